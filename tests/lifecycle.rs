//! Drafts, retirement, aliases, audiences and reviews, end to end with the real
//! binary on tests/fixtures/site/lifecycle: what each kind of build writes, and
//! that nothing held back reaches any byte of a public build.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Words that appear only in the draft, the internal article and the internal note.
const HELD_BACK: [&str; 3] = [
    "QUOKKA-DRAFT",
    "OCELOT-INTERNAL-ARTICLE",
    "ZEBRA-INTERNAL-NOTE",
];
/// Words that appear only in the two retired articles.
const RETIRED: [&str; 2] = ["PANGOLIN-RETIRED", "NARWHAL-RETIRED"];

fn kb() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/lifecycle/kb")
}

fn kbgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("kbgen runs")
}

/// `kbgen build` of the fixture into `out` with `extra` flags, whatever its exit code.
fn run_build(out: &Path, extra: &[&str]) -> Output {
    let kb = kb();
    let mut args = vec!["build", "--kb", kb.to_str().unwrap()];
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    kbgen(&args)
}

/// Builds the fixture with the built-in templates, no kbgen.yaml and `extra` flags into
/// a temporary folder.
fn build(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut args = vec![
        "--templates",
        "/nonexistent",
        "--config",
        "/nonexistent.yaml",
    ];
    args.extend(["--base-url", "https://kb.example.com/"]);
    args.extend(extra);
    let run = run_build(&out, &args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (tmp, out)
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = (walkdir::WalkDir::new(dir).into_iter().flatten())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn contains(bytes: &[u8], word: &str) -> bool {
    bytes.windows(word.len()).any(|w| w == word.as_bytes())
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_public_build_holds_no_byte_of_drafts_internal_articles_or_notes() {
    let (_tmp, site) = build(&[]);
    assert!(!in_search(&site, "quokka") && !in_search(&site, "narwhal"));
    let all = files(&site);
    assert!(all.len() > 20, "{} files", all.len());
    for (path, bytes) in &all {
        for word in HELD_BACK {
            assert!(!contains(bytes, word), "{word} in {path}");
        }
    }
    assert!(!site.join("articles/draft-notes").exists());
    assert!(!site.join("articles/staff-runbook").exists());
    // Its source holds the internal note, so it is not published.
    assert!(!site.join("articles/public-fix/source.yaml").exists());
    let page = read(&site, "articles/public-fix/index.html");
    assert!(!page.contains("source.yaml") && !page.contains("Internal notes"));
    assert!(page.contains("Last reviewed"), "reviewed date shown");
}

#[test]
fn retired_articles_keep_their_page_but_are_listed_nowhere() {
    let (_tmp, site) = build(&[]);
    for (path, bytes) in files(&site) {
        let own =
            path.starts_with("articles/old-fix/") || path.starts_with("articles/legacy-note/");
        for word in RETIRED {
            assert!(own || !contains(&bytes, word), "{word} in {path}");
        }
        if !own {
            for id in ["old-fix", "legacy-note"] {
                assert!(!contains(&bytes, id), "retired `{id}` in {path}");
            }
        }
    }
    let banner = read(&site, "articles/legacy-note/index.html");
    assert!(banner.contains("banner-retired") && banner.contains("NARWHAL-RETIRED"));
    let moved = read(&site, "articles/old-fix/index.html");
    assert!(
        moved
            .contains(r#"<meta http-equiv="refresh" content="0; url=../../articles/public-fix/">"#)
    );
    assert!(
        moved.contains(
            r#"<link rel="canonical" href="https://kb.example.com/articles/public-fix/">"#
        )
    );
    assert!(
        !moved.contains("PANGOLIN-RETIRED"),
        "a redirect shows no body"
    );
}

#[test]
fn an_alias_leaves_a_redirect_at_the_old_url() {
    let (_tmp, site) = build(&[]);
    let page = read(&site, "articles/saml-loop-after-rotation/index.html");
    assert!(
        page.contains(r#"content="0; url=../../articles/public-fix/""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="../../articles/public-fix/">Sign-in loop"#),
        "{page}"
    );
    assert!(!read(&site, "sitemap.xml").contains("saml-loop-after-rotation"));
}

#[test]
fn drafts_are_built_marked_only_when_asked_for() {
    let (_tmp, site) = build(&["--drafts"]);
    let page = read(&site, "articles/draft-notes/index.html");
    assert!(page.contains(r#"<span class="badge badge-draft">Draft</span>"#));
    let list = read(&site, "articles/index.html");
    assert!(list.contains("QUOKKA-DRAFT") && list.contains("badge-draft"));
    assert!(read(&site, "signatures.json").contains(r#"{"id":"draft-notes","#));
    assert!(in_search(&site, "quokka"), "the draft is searchable");
    for word in &HELD_BACK[1..] {
        assert!(
            files(&site).iter().all(|(_, b)| !contains(b, word)),
            "{word}"
        );
    }
}

/// Whether any search shard holds `word`.
fn in_search(site: &Path, word: &str) -> bool {
    files(&site.join("search"))
        .iter()
        .any(|(_, b)| contains(b, word))
}

#[test]
fn the_staff_build_has_internal_articles_and_notes_marked() {
    let (_tmp, site) = build(&["--audience", "internal"]);
    let runbook = read(&site, "articles/staff-runbook/index.html");
    assert!(runbook.contains(r#"<span class="badge badge-internal">Internal</span>"#));
    let page = read(&site, "articles/public-fix/index.html");
    assert!(page.contains("Internal notes") && page.contains("ZEBRA-INTERNAL-NOTE"));
    assert!(site.join("articles/public-fix/source.yaml").is_file());
    assert!(!site.join("articles/draft-notes").exists());
}

#[test]
fn the_build_summary_says_what_it_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_build(&tmp.path().join("site"), &[]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("Built 3 articles, "), "{stdout}");
    assert!(
        stdout.contains("; left out 1 draft (--drafts), 1 internal article (--audience internal)"),
        "{stdout}"
    );
}

/// A temporary file holding `text`, as a pasted error for `kbgen match`.
fn paste_file(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

#[test]
fn match_leaves_out_drafts_and_retired_articles_unless_asked() {
    let kb = kb();
    let kb = kb.to_str().unwrap();
    let paste = paste_file(
        "QUOKKA-DRAFT provisioning task stalled after waiting for the connector heartbeat\n",
    );
    let paste = paste.path().to_str().unwrap();
    assert_eq!(kbgen(&["match", "--kb", kb, paste]).status.code(), Some(1));
    let found = kbgen(&["match", "--kb", kb, "--drafts", "--format", "json", paste]);
    assert_eq!(found.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&found.stdout).contains("\"id\":\"draft-notes\""));
    let retired = paste_file(
        "NARWHAL-RETIRED agent heartbeat refused because the protocol version is no longer supported\n",
    );
    let retired = retired.path().to_str().unwrap();
    assert_eq!(
        kbgen(&["match", "--kb", kb, retired]).status.code(),
        Some(1)
    );
}

#[test]
fn build_warns_about_reviews_due_and_still_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("kbgen.yaml");
    std::fs::write(&config, "review_every_days: 30\n").unwrap();
    let out = tmp.path().join("site");
    let run = run_build(&out, &["--config", config.to_str().unwrap()]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("public-fix.yaml:6:11: warning[W010]: last reviewed 2024-09-01"),
        "{stderr}"
    );
    // Published articles only: not the draft nor the retired ones.
    assert_eq!(stderr.matches("warning[W010]").count(), 2, "{stderr}");
    for id in ["old-fix", "legacy-note"] {
        assert!(!stderr.contains(&format!("{id}.yaml")), "{id}: {stderr}");
    }
}
