//! `signatures.json` read back (`SignatureIndex::from_json`, `kbgen match --site`):
//! the index read from the file matches exactly as the one built from the articles,
//! and a wrong or damaged file is a located error (exit 2), never a panic.

use kbgen::model::Kb;
use kbgen::signature::SignatureIndex;
use kbgen::signature::json::JsonError;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "common/run.rs"]
mod run;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(dir: &str) -> Kb {
    let checked = kbgen::validate::check(&root().join(dir)).unwrap();
    assert!(!checked.has_errors(), "{dir}: {:?}", checked.diagnostics);
    checked.kb
}

/// Every input of the vectors, one per line, and all of them as one log.
fn inputs() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("tests/match-vectors.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut out: Vec<String> = v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["input"].as_str().unwrap().to_string())
        .collect();
    let log = out.join("\n").repeat(3);
    out.push(log);
    out
}

#[test]
fn the_index_read_back_matches_exactly_as_the_one_built() {
    for dir in ["kb", "tests/fixtures/match/graph"] {
        let built = SignatureIndex::build(&load(dir));
        let text = built.to_json();
        let read = SignatureIndex::from_json(&text).unwrap();
        assert_eq!(read.to_json(), text, "{dir}: written again the same");
        assert_eq!(
            format!("{:?}", read.signatures),
            format!("{:?}", built.signatures)
        );
        assert_eq!(read.default_anchors(), built.default_anchors());
        let mut matched = 0;
        for input in inputs() {
            let want = built.match_text(&input);
            matched += usize::from(!want.is_empty());
            assert_eq!(read.match_text(&input), want, "{dir}: {input:.80}");
        }
        assert!(matched > 5, "{dir}: only {matched} inputs matched");
    }
}

fn error_of(json: &str) -> JsonError {
    match SignatureIndex::from_json(json) {
        Ok(_) => panic!("read: {json:.200}"),
        Err(e) => e,
    }
}

/// The file of the repository's kb as JSON, with `edit` applied.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let text = SignatureIndex::build(&load("kb")).to_json();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    edit(&mut v);
    v.to_string()
}

#[test]
fn a_damaged_file_is_a_located_error() {
    let e = error_of("{\"version\": 1,\n  \"threshold\": }");
    assert_eq!(e.at, Some((2, 16)), "{e}");
    assert!(e.to_string().starts_with("2:16: expected value"), "{e}");
    assert!(error_of("").at.is_some());
    let whole = SignatureIndex::build(&load("kb")).to_json();
    let cut = error_of(&whole[..whole.len() / 2]);
    assert!(cut.at.is_some(), "{cut}");
    let e = error_of(&edited(|v| v["signatures"][0]["t"] = json!("x")));
    assert!(e.at.is_some() && e.message.contains("invalid type"), "{e}");
    let e = error_of(&edited(|v| v["extra"] = json!(1)));
    assert!(e.message.contains("unknown field `extra`"), "{e}");
}

#[test]
fn another_version_or_other_rules_are_refused() {
    let e = error_of(&edited(|v| v["version"] = json!(1)));
    assert_eq!(e.at, None);
    assert!(
        e.message.contains("version 1") && e.message.contains("reads version 2"),
        "{e}"
    );
    let e = error_of("{\"version\": 7}");
    assert!(e.message.contains("version 7"), "{e}");
    let e = error_of(&edited(|v| v["threshold"] = json!(0.1)));
    assert!(e.message.contains("other matching rules"), "{e}");
    let e = error_of(&edited(|v| v["stopwords"][0] = json!("zzz")));
    assert!(e.message.contains("other matching rules"), "{e}");
    let e = error_of(&edited(|v| v["confidence"] = json!(0.5)));
    assert!(e.message.contains("other matching rules"), "{e}");
    let e = error_of(&edited(|v| v["common"][0] = json!("zzz")));
    assert!(e.message.contains("other matching rules"), "{e}");
    let e = error_of(&edited(|v| v["spelling"]["words"] = json!([])));
    assert!(e.message.contains("other matching rules"), "{e}");
}

/// A change made to a good file.
type Edit = dyn FnOnce(&mut Value);

#[test]
fn inconsistent_contents_are_refused() {
    let cases: Vec<(Box<Edit>, &str)> = vec![
        (
            Box::new(|v| v["signatures"][0]["a"] = json!(100_000)),
            "signature 0: article 100000 of",
        ),
        (
            Box::new(|v| v["signatures"][1]["t"][0] = json!(1_000_000)),
            "signature 1: token 1000000 of",
        ),
        (
            Box::new(|v| v["signatures"][1]["t"][0] = json!(-2)),
            "signature 1: token -2 of",
        ),
        (
            Box::new(|v| v["signatures"][0]["w"] = json!([])),
            "signature 0: ",
        ),
        (
            Box::new(|v| v["signatures"][0] = json!({"a": 0, "t": [-1], "w": [0.0], "m": [0, 0]})),
            "no token but wildcards",
        ),
        (
            Box::new(|v| v["signatures"][0]["w"][0] = json!(-1.0)),
            "negative weight",
        ),
        (
            Box::new(|v| v["signatures"][0]["m"] = json!([0, 100_000])),
            "signature 0: message [0, 100000] outside its",
        ),
        (
            Box::new(|v| v["weights"][3] = json!(-1.0)),
            "weight 3 is negative",
        ),
        (
            Box::new(|v| {
                v["weights"]
                    .as_array_mut()
                    .unwrap()
                    .pop()
                    .map(drop)
                    .unwrap_or(())
            }),
            "weights",
        ),
        (
            Box::new(|v| v["tokens"][0] = json!("zzzzzzzz")),
            "not in ascending order",
        ),
    ];
    for (edit, want) in cases {
        let e = error_of(&edited(edit));
        assert!(e.message.contains(want), "{e} (wanted {want:?})");
        assert_eq!(e.at, None, "{e}");
    }
}

fn kbgen(args: &[&str], stdin: &[u8]) -> Output {
    run::kbgen_in(&root(), args, stdin)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn binary_matches_a_built_site_as_the_kb_it_was_built_from() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let built = kbgen(&["build", "--kb", "kb", "--out", arg(&site)], b"");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let log = inputs().pop().unwrap();
    for format in ["json", "human"] {
        let common = ["match", "--format", format, "--limit", "1000", "-"];
        let from_kb = kbgen(&[&common[..], &["--kb", "kb"]].concat(), log.as_bytes());
        let from_site = kbgen(
            &[&common[..], &["--site", arg(&site)]].concat(),
            log.as_bytes(),
        );
        assert_eq!(from_kb.status.code(), Some(0));
        assert_eq!(from_site.status.code(), Some(0));
        assert_eq!(from_site.stdout, from_kb.stdout, "--format {format}");
    }
    let dumped = kbgen(&["match", "--site", arg(&site), "--dump-signatures"], b"");
    let file = std::fs::read(site.join("signatures.json")).unwrap();
    assert_eq!(dumped.stdout, [&file[..], b"\n"].concat());
}

#[test]
fn binary_exits_2_naming_a_damaged_or_missing_signatures_json() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("signatures.json");
    std::fs::write(&path, "{\"version\": 2,\n \"threshold\": [}").unwrap();
    let out = kbgen(&["match", "--site", arg(tmp.path()), "-"], b"x");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("{}:2:16: ", path.display())), "{err}");
    std::fs::write(&path, "{\"version\": 3}").unwrap();
    let out = kbgen(&["match", "--site", arg(tmp.path()), "-"], b"x");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{}: signatures.json version 3", path.display())),
        "{err}"
    );
    let out = kbgen(
        &["match", "--site", arg(&tmp.path().join("none")), "-"],
        b"x",
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("written by `kbgen build`"), "{err}");
    let both = kbgen(
        &["match", "--site", arg(tmp.path()), "--kb", "kb", "-"],
        b"x",
    );
    assert_eq!(both.status.code(), Some(2));
}
