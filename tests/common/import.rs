//! Shared by the import tests: a temporary project holding a fixture folder of
//! tests/fixtures/import as `src/`, running kbgen in it, and what it wrote.
#![allow(dead_code)]

#[path = "run.rs"]
mod run;

pub use run::kbgen_in;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// A temporary project holding a copy of the fixture folder `name` as `src/`.
pub fn project(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(FIXTURES).join(name);
    for e in walkdir::WalkDir::new(&from).into_iter().map(Result::unwrap) {
        let to = dir
            .path()
            .join("src")
            .join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    dir
}

pub fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = kbgen_in(dir, args, b"");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir.join("kb"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

pub fn read(dir: &Path, id: &str) -> String {
    std::fs::read_to_string(dir.join(format!("kb/{id}.yaml"))).unwrap()
}

pub fn assert_checks_and_builds(dir: &Path) {
    let (code, json, _) = run(dir, &["check", "--format", "json"]);
    assert_eq!(code, Some(0), "{json}");
    assert!(!json.contains("\"severity\":\"error\""), "{json}");
    for args in [
        &["build", "-q"][..],
        &[
            "build",
            "-q",
            "--drafts",
            "--out",
            "staff",
            "--audience",
            "internal",
        ],
    ] {
        let (code, _, err) = run(dir, args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
}
