//! Every vector of `tests/match-vectors.json` through the Rust matcher, and a few
//! through the real `kbgen match` binary (exit codes and JSON output).

use kbgen::model::Kb;
use kbgen::signature::SignatureIndex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[path = "common/run.rs"]
mod run;

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
    /// No other article may be reported.
    #[serde(default)]
    alone: bool,
    /// The lowest score the first article may have.
    min: Option<f64>,
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
            && v.also.iter().all(|a| ids.contains(&a.as_str()))
            && (!v.alone || ids.len() == 1)
            && v.min
                .is_none_or(|min| found.first().is_some_and(|m| m.score >= min));
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

fn kbgen(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = run::kbgen_in(&root(), args, stdin.as_bytes());
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap(),
        text(out.stdout),
        text(out.stderr),
    )
}

fn vector(name: &str) -> Vector {
    vectors().into_iter().find(|v| v.name == name).unwrap()
}

const DIRSYNC: &str = "o365-dirsync-profile-push-400";

#[test]
fn binary_names_the_dirsync_article_for_the_seed_error_in_json() {
    let v = vector("seed error with a hyphenated name and hex request ids");
    let (code, out, _) = kbgen(&["match", "--format", "json", "-"], &v.input);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &json["matches"][0];
    assert_eq!(first["id"], DIRSYNC);
    assert_eq!(first["url"], format!("articles/{DIRSYNC}/"));
    assert_eq!(first["lines"], serde_json::json!([1]));
    assert!(first["score"].as_f64().unwrap() > 0.9);
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "lines", "score", "title", "url"]);
}

#[test]
fn binary_exits_1_with_no_matches_for_an_unrelated_graph_400() {
    let v = vector("look-alike: same Okta framing, read-only property message");
    let (code, out, _) = kbgen(&["match", "--format", "json"], &v.input);
    assert_eq!((code, out.trim()), (1, r#"{"matches":[]}"#));
    let (code, out, err) = kbgen(&["match"], &v.input);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("no article matches"), "{err}");
}

#[test]
fn binary_human_output_shows_title_score_and_lines() {
    let v = vector("seed error wrapped at 80 columns on spaces");
    let (code, out, _) = kbgen(&["match", "--kb", "kb"], &v.input);
    assert_eq!(code, 0);
    assert!(out.starts_with("1. Office 365 profile push fails"), "{out}");
    assert!(out.contains(DIRSYNC) && out.contains("lines: 1-"), "{out}");
}

#[test]
fn binary_exits_2_when_the_input_file_is_missing() {
    let (code, _, err) = kbgen(&["match", "tests/fixtures/match/no-such-file.log"], "");
    assert_eq!(code, 2);
    assert!(err.contains("no-such-file.log"), "{err}");
}

#[test]
fn binary_matches_valid_articles_when_others_have_errors() {
    let input = "AADSTS50105: The signed in user 'a@b.com' is not assigned to a role for the application 'x'(y).";
    let (code, out, err) = kbgen(
        &[
            "match",
            "--kb",
            "tests/fixtures/match/broken",
            "--format",
            "json",
        ],
        input,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("aadsts50105-not-assigned"), "{out}");
    assert!(
        err.contains("1 error") && err.contains("kbgen check"),
        "{err}"
    );
}

/// A log longer than one matching window: every occurrence is reported with its
/// lines, including one wrapped over lines where a window ends.
#[test]
fn binary_reports_every_occurrence_in_a_log_across_windows() {
    let seed = vector("seed error as in the provisioning task").input;
    let wrapped: Vec<String> = {
        let words: Vec<&str> = seed.split(' ').collect();
        words
            .chunks(words.len().div_ceil(3))
            .map(|c| c.join(" "))
            .collect()
    };
    let lookalike = vector("look-alike: same Okta framing, read-only property message").input;
    let noise = "2022-11-01 15:52:07,812 INFO worker started task alpha beta";
    let mut lines: Vec<String> = Vec::new();
    let mut expected = Vec::new();
    while lines.len() < 30_000 {
        let n = lines.len() + 1;
        match n {
            12_000 | 20_000 => {
                lines.push(seed.clone());
                expected.push(n as u64);
            }
            // the first window fills up within this error (7 tokens per noise line)
            9_362 => {
                lines.extend(wrapped.iter().cloned());
                expected.extend([n as u64, n as u64 + 1, n as u64 + 2]);
            }
            15_000 => lines.push(lookalike.clone()),
            _ => lines.push(noise.to_string()),
        }
    }
    let log = lines.join("\n") + "\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    std::fs::write(&path, log).unwrap();
    let (code, out, _) = kbgen(&["match", "--format", "json", path.to_str().unwrap()], "");
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["matches"].as_array().unwrap().len(), 1, "{out}");
    assert_eq!(json["matches"][0]["lines"], serde_json::json!(expected));
}

#[test]
fn a_whole_error_text_with_other_values_or_spellings_scores_at_least_0_9() {
    for name in [
        "generic error text found whole, with another value, matches its article",
        "spelling variants: British 'acknowledgement' and unhyphenated 'prelogin' cost little",
    ] {
        let v = vector(name);
        let index = SignatureIndex::build(&load(&kb_dir(&v.kb)));
        let found = index.match_text(&v.input);
        assert!(found[0].score >= 0.9, "{name}: {}", found[0].score);
    }
}

#[test]
fn explain_shows_the_error_text_that_matched_and_its_tokens_found_and_missing() {
    let v = vector(
        "chained exception: the inner timeout message wins over a shared word with 'Login failed'",
    );
    let kb = kb_dir(&v.kb);
    let kb = kb.to_str().unwrap();
    let (code, out, _) = kbgen(&["match", "--kb", kb, "--explain", "-"], &v.input);
    assert_eq!(code, 0);
    assert!(out.starts_with("1. Connecting times out"), "{out}");
    assert!(out.contains("why: at line 1, this error text"), "{out}");
    assert!(
        out.contains("[acknowledgment]") && out.contains("[prelogin]"),
        "{out}"
    );
    let (_, out, _) = kbgen(
        &["match", "--kb", kb, "--explain", "--format", "json", "-"],
        &v.input,
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let explain = &json["matches"][0]["explain"];
    assert_eq!(explain["lines"], serde_json::json!([1, 1]));
    let tokens = |key: &str| -> Vec<String> {
        explain[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["token"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(tokens("found").contains(&"handshake".to_string()));
    assert!(explain["found"][0]["weight"].as_f64().unwrap() > 0.0);
    // the chain's other messages are not this signature's: nothing of it is missing
    // but what the paste worded otherwise
    assert!(tokens("missing").len() < tokens("found").len(), "{explain}");
    // without --explain the JSON stays as it was
    let (_, out, _) = kbgen(&["match", "--kb", kb, "--format", "json", "-"], &v.input);
    assert!(!out.contains("explain"), "{out}");
}
