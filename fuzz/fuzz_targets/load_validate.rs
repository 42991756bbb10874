//! Any bytes as an article file: loading, validating and both report formats never
//! panic, and every diagnostic is located inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn kb_dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
}

fuzz_target!(|data: &[u8]| {
    let dir = kb_dir();
    std::fs::write(dir.path().join("fuzz.yaml"), data).expect("write");
    let checked = kbgen::validate::check(dir.path()).expect("the kb folder is readable");
    assert_eq!(checked.kb.articles.is_empty(), checked.has_errors());
    // YAML breaks lines at `\n`, `\r\n` and a lone `\r` (old Mac files).
    let lone_cr = data.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count();
    let lines = data.split(|&b| b == b'\n').count() + lone_cr + usize::from(data.ends_with(b"\r"));
    for d in &checked.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines, "line {} of {lines}: {d:?}", d.line);
    }
    let human = kbgen::report::human(&checked.diagnostics, &checked.sources, false);
    assert!(!human.contains('\u{1b}'), "{human:?}");
    let json = kbgen::report::json(&checked.diagnostics);
    assert!(json.starts_with('{'));
});
