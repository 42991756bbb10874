//! The pipeline's stages depend on each other in one direction only: load →
//! validate → index (search, signature) → render → write. The index stages make
//! output files through `crate::output`, never through the render stage, so that
//! either can change without the other.

use std::fs;
use std::path::Path;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("source file");
            out.push((path.display().to_string(), text));
        }
    }
    out
}

/// Lines of `text` that name the render stage as a path (`crate::render`,
/// `super::render`, `render::…`), outside comments.
fn render_uses(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| line.contains("render::") || line.contains("crate::render"))
        .map(|(k, line)| (k + 1, line.trim()))
        .collect()
}

#[test]
fn index_stages_know_nothing_of_rendering() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for stage in ["search", "signature"] {
        for (path, text) in sources(&root.join(stage)) {
            for (line, code) in render_uses(&text) {
                found.push(format!("{path}:{line}: {code}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "index stages use render:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_use_of_render() {
    let text = "//! docs mention render::Plan\nuse crate::render::PutFile;\n";
    assert_eq!(render_uses(text), [(2, "use crate::render::PutFile;")]);
}
