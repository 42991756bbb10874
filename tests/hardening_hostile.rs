//! Hostile content: the hostile kb (`tests/fixtures/hostile/kb`) is valid and must pass
//! `kbgen check`; every file in `tests/fixtures/hostile/rejected` and `bad-names` holds
//! markup or a link scheme that validation refuses, named in its `# expect: CODE` line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn check_json(kb: &Path) -> (Option<i32>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["check", "--format", "json", "--kb"])
        .arg(kb)
        .output()
        .expect("run kbgen");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json)
}

/// `# expect: CODE` from the first line of each fixture, by file name.
fn expectations(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read fixtures") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let code = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect: CODE` line", path.display()));
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        out.insert(name, code.trim().to_string());
    }
    out
}

#[test]
fn hostile_kb_is_valid_content() {
    let (code, json) = check_json(&fixtures().join("kb"));
    let errors: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, Some(0));
}

#[test]
fn markup_and_script_links_in_markdown_fields_are_refused_with_their_code() {
    for folder in ["rejected", "bad-names"] {
        let dir = fixtures().join(folder);
        let expected = expectations(&dir);
        assert!(!expected.is_empty());
        let (code, json) = check_json(&dir);
        assert_eq!(code, Some(1), "{json:#}");
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for d in json["diagnostics"].as_array().expect("diagnostics") {
            let path = d["path"].as_str().expect("path");
            let name = path.rsplit('/').next().unwrap_or(path).to_string();
            found
                .entry(name)
                .or_default()
                .push(d["code"].as_str().expect("code").into());
        }
        for (file, code) in &expected {
            let got = found.get(file).cloned().unwrap_or_default();
            assert!(!got.is_empty(), "{folder}/{file}: accepted");
            assert!(got.contains(code), "{folder}/{file}: {got:?}");
        }
    }
}

#[test]
fn diagnostics_quote_hostile_text_without_terminal_escapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    // YAML double quotes turn `\e` into ESC: a field name that rewrites the terminal title.
    let yaml =
        "\"\\e]0;owned\\a\\e[2J\": x\ntitle: \"\\e[31mred\"\nsymptoms: [\"\\e[1m<b>x</b>\"]\n";
    std::fs::write(dir.path().join("esc.yaml"), yaml).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["check", "--color", "never", "--kb"])
        .arg(dir.path())
        .output()
        .expect("run kbgen");
    let all = [out.stdout, out.stderr].concat();
    let text = String::from_utf8_lossy(&all);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[E003]"), "{text}");
    assert!(!all.contains(&0x1b) && !all.contains(&0x07), "{text:?}");
}

/// Regression: `[x](//evil.example/x)` was rendered as a link to another site (a
/// protocol-relative URL has no scheme for the http(s) rule to check).
#[test]
fn protocol_relative_links_in_the_hostile_kb_are_shown_as_text() {
    let (_, json) = check_json(&fixtures().join("kb"));
    let hints: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "W004")
        .filter_map(|d| d["hint"].as_str())
        .collect();
    assert!(
        hints.iter().any(|h| h.contains("https://evil.example/x")),
        "{hints:?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["build", "--quiet", "--kb"])
        .arg(fixtures().join("kb"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run kbgen");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::read_to_string(out.join("articles/hostile-links/index.html"))
        .expect("article page");
    assert!(
        page.contains("protocol-relative"),
        "the symptom is on the page"
    );
    for attr in ["href=\"", "src=\""] {
        for (i, _) in page.match_indices(attr) {
            let url = &page[i + attr.len()..];
            assert!(
                !url.starts_with("//") && !url.starts_with('\\') && !url.starts_with("/\\"),
                "link to another site without a scheme: {}",
                &url[..url.find('"').unwrap_or(url.len())]
            );
        }
    }
}
