//! `kbgen new` and `kbgen schema` run as a binary in temporary folders, and every
//! command whose reader goes away early (`kbgen check --format json | head`).

#[path = "common/output.rs"]
mod output;

use output::kbgen_in;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

#[test]
fn new_writes_a_skeleton_that_passes_check_and_creates_kb() {
    let dir = tempfile::tempdir().unwrap();
    let out = kbgen_in(
        dir.path(),
        &[
            "new",
            "okta-saml-clock-skew",
            "--title",
            "SAML: clock skew # 1",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.path().join("kb/okta-saml-clock-skew.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=../kbgen.schema.json\n"));
    // A new article is a draft until its author says otherwise.
    assert!(text.contains("\nstatus: draft\n"), "{text}");
    let out = kbgen_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let checked = kbgen::validate::check(&dir.path().join("kb")).unwrap();
    assert_eq!(checked.kb.articles[0].title, "SAML: clock skew # 1");
    assert_eq!(
        checked.kb.articles[0].life.status,
        kbgen::model::Status::Draft
    );
    // The only nudge is to add the error text.
    let codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["W001"]);
}

#[test]
fn new_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("kb")).unwrap();
    let path = dir.path().join("kb/mine.yaml");
    std::fs::write(&path, "hand-written").unwrap();
    let out = kbgen_in(dir.path(), &["new", "mine"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "hand-written");
}

#[test]
fn new_refuses_an_id_that_is_not_a_slug() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["Okta SAML", "../escape", "a--b", "x.yaml"] {
        let out = kbgen_in(dir.path(), &["new", id]);
        assert_eq!(out.status.code(), Some(2), "{id}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid article id"));
    }
    assert!(
        !dir.path().join("kb").exists()
            || std::fs::read_dir(dir.path().join("kb")).unwrap().count() == 0
    );
}

#[test]
fn schema_is_json_and_matches_the_committed_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = kbgen_in(root, &["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(
        v["properties"]["tags"]["items"]["$ref"],
        "#/$defs/TagSchema"
    );
    assert_eq!(
        v["$defs"]["TagSchema"]["pattern"],
        "^[a-z0-9]+(-[a-z0-9]+)*$"
    );
    assert_eq!(
        v["$defs"]["RawResolution"]["required"],
        serde_json::json!(["steps"])
    );
    assert_eq!(v["additionalProperties"], false);
    let committed = std::fs::read_to_string(root.join("kbgen.schema.json")).unwrap();
    assert_eq!(
        printed, committed,
        "kbgen.schema.json is stale: run `kbgen schema > kbgen.schema.json`"
    );
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs kbgen with stdout a pipe whose reading end is closed before it writes.
fn with_closed_stdout(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("kbgen runs")
}

/// Runs kbgen with stdout and stderr one pipe whose reading end is closed, as
/// `kbgen check 2>&1 | head` does once `head` has had its lines.
fn with_closed_output(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let err = writer.try_clone().expect("pipe");
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stdout(writer)
        .stderr(err)
        .output()
        .expect("kbgen runs")
}

/// Regression: a closed pipe turned failures into exit 0 (`kbgen check | head` on
/// a kb with errors, `kbgen match log | head` on a log nothing matches).
#[test]
fn a_closed_pipe_keeps_the_exit_code() {
    let many = "tests/fixtures/check/many-problems";
    let cases: [(&[&str], i32); 6] = [
        (&["check", "--format", "json", "--kb", many], 1),
        (&["check", "--kb", many], 1),
        (&["check"], 0),
        (&["match", "--kb", "kb", "Cargo.toml"], 1),
        (
            &["match", "--format", "json", "--kb", "kb", "Cargo.toml"],
            1,
        ),
        (&["match", "--kb", "kb", "tests/match-vectors.json"], 0),
    ];
    for (args, code) in cases {
        let out = with_closed_output(args);
        assert_eq!(out.status.code(), Some(code), "{args:?} with output closed");
    }
}

/// Regression: `kbgen check --format json | head` printed "Broken pipe" and exited 2.
/// The exit code is the command's own: 1 for a kb with errors.
#[test]
fn a_reader_that_goes_away_ends_kbgen_quietly() {
    let many = "tests/fixtures/check/many-problems";
    let out_dir = tempfile::tempdir().unwrap();
    let site = out_dir.path().join("site");
    let site = site.to_str().unwrap();
    for args in [
        &["build", "--kb", "kb", "--out", site][..],
        &["match", "--kb", "kb", "--dump-signatures"],
        &["check", "--format", "json", "--kb", many],
        &["check", "--format", "json"],
        &["match", "--kb", "kb", "tests/match-vectors.json"],
        &[
            "match",
            "--format",
            "json",
            "--kb",
            "kb",
            "tests/match-vectors.json",
        ],
        &["schema"],
    ] {
        let out = with_closed_stdout(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = if args.contains(&many) { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// Like `kbgen check --format json | head -c 10` on output larger than a pipe holds:
/// kbgen is blocked writing when the reader closes.
#[test]
fn a_reader_that_stops_midway_ends_kbgen_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        let text = format!("titel: {i}\nsymptom: [x]\ncaus: y\n");
        std::fs::write(dir.path().join(format!("a{i}.yaml")), text).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["check", "--format", "json", "--kb"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kbgen runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut head = [0u8; 10];
    stdout.read_exact(&mut head).unwrap();
    assert_eq!(&head[..1], b"{");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
