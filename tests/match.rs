//! Every vector of `tests/match-vectors.json` through the Rust matcher, and a few
//! through the real `kbgen match` binary (exit codes and JSON output).

use kbgen::model::Kb;
use kbgen::signature::SignatureIndex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    input: String,
    kb: String,
    expect: Option<String>,
    #[serde(default)]
    also: Vec<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(root().join("tests/match-vectors.json")).unwrap();
    serde_json::from_str::<Vectors>(&text).unwrap().vectors
}

fn kb_dir(kb: &str) -> PathBuf {
    if kb == "repo" {
        root().join("kb")
    } else {
        root().join("tests/fixtures/match").join(kb)
    }
}

fn load(dir: &Path) -> Kb {
    let checked = kbgen::validate::check(dir).unwrap();
    assert!(
        !checked.has_errors(),
        "{}: {:?}",
        dir.display(),
        checked.diagnostics
    );
    checked.kb
}

#[test]
fn every_vector_names_its_article_or_nothing() {
    let mut failures = Vec::new();
    let vs = vectors();
    assert!(vs.len() >= 40, "at least 40 vectors");
    for v in &vs {
        let index = SignatureIndex::build(&load(&kb_dir(&v.kb)));
        let found = index.match_text(&v.input);
        let ids: Vec<&str> = found
            .iter()
            .map(|m| index.articles[m.article].id.as_str())
            .collect();
        let ok = ids.first().copied() == v.expect.as_deref()
            && v.also.iter().all(|a| ids.contains(&a.as_str()));
        let scores: Vec<String> = found
            .iter()
            .map(|m| format!("{}={:.3}", index.articles[m.article].id, m.score))
            .collect();
        if !ok {
            failures.push(format!(
                "{}: expected {:?}, got {scores:?}",
                v.name, v.expect
            ));
        } else if std::env::var_os("MATCH_VERBOSE").is_some() {
            eprintln!("ok {}: {scores:?}", v.name);
        }
    }
    assert!(
        failures.is_empty(),
        "{} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
