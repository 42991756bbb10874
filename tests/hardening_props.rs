//! Property tests of load + validate (and of the report printers): arbitrary bytes,
//! YAML-ish fragments, mutated seed articles and hostile field values never panic, every
//! diagnostic is located inside its file, and reports stay free of terminal escapes.
//!
//! Short runs here (256 cases each, `PROPTEST_CASES` to change); the long runs are the
//! cargo-fuzz targets in `fuzz/` (see fuzz/README.md). The seed corpus is every YAML
//! file under `kb/` and `tests/fixtures/`.

#[path = "common/html_oracle.rs"]
mod html_oracle;

use kbgen::diagnostic::Diagnostic;
use kbgen::load::Sources;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Pieces of YAML and of hostile text, glued at random into near-articles.
const FRAGMENTS: &[&str] = &[
    "title",
    "summary",
    "products",
    "tags",
    "created",
    "updated",
    "symptoms",
    "errors",
    "environment",
    "conditions",
    "cause",
    "resolution",
    "intro",
    "steps",
    "outro",
    "related",
    "references",
    "url",
    "titel",
    ": ",
    ":",
    "\n",
    "\r\n",
    "  ",
    "    ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a",
    "!!str ",
    "!!binary ",
    "!custom ",
    "|",
    "|-",
    ">-",
    "'",
    "\"",
    "\\",
    "\\u202e",
    "\\x00",
    "# ",
    "---",
    "...",
    "%YAML 1.2",
    "\t",
    "?",
    "~",
    "null",
    "true",
    "0x1F",
    "1e400",
    "2022-02-30",
    "2022-11-01",
    "9999-99-99",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</script>",
    "-->",
    "<!--",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "[x](javascript:alert(1))",
    "`<b>`",
    "&lt;",
    "&#x3C;",
    "&amp;",
    "%3Cscript%3E",
    "<placeholder>",
    "<unclosed",
    "AADSTS50105",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "\u{0}",
    "\u{1b}[31m",
    "é",
    "𝔘",
    "ﬁ",
    "a",
    "x y z",
    "https://e.test/a?b=<c>",
    "http://",
    "ftp://x",
    "self-id",
    "../../etc/passwd",
];

fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..120).prop_map(|v| v.concat())
}

/// A hostile but plausible scalar: fragments, or any printable Unicode.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(FRAGMENTS), 1..12).prop_map(|v| v.concat()),
        "\\PC{0,80}",
        "[ -~]{0,80}",
    ]
}

/// A well-formed article whose every text is hostile: reaches the per-field rules.
fn article() -> impl Strategy<Value = String> {
    let list = || prop::collection::vec(hostile_text(), 0..4);
    (
        hostile_text(),
        list(),
        list(),
        list(),
        hostile_text(),
        list(),
        prop::collection::vec("[a-z0-9-]{0,12}", 0..3),
        prop::collection::vec(hostile_text(), 0..3),
    )
        .prop_map(|(title, symptoms, errors, env, cause, steps, tags, urls)| {
            let q = |s: &String| serde_json::to_string(s).unwrap_or_default();
            let seq = |v: &Vec<String>| format!("[{}]", v.iter().map(q).collect::<Vec<_>>().join(", "));
            let refs: Vec<String> = urls
                .iter()
                .map(|u| format!("{{title: {}, url: {}}}", q(u), q(u)))
                .collect();
            format!(
                "title: {}\nsymptoms: {}\nerrors: {}\nenvironment: {}\ncause: {}\nresolution:\n  steps: {}\ntags: {}\nreferences: [{}]\n",
                q(&title),
                seq(&symptoms),
                seq(&errors),
                seq(&env),
                q(&cause),
                seq(&steps),
                seq(&tags),
                refs.join(", ")
            )
        })
}

/// Every `.yaml` file under `kb/` and `tests/fixtures/`, for mutation.
fn seed_corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    for dir in [root.join("kb"), root.join("tests/fixtures")] {
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let p = entry.path();
            let yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if yaml
                && entry.file_type().is_file()
                && let Ok(bytes) = std::fs::read(p)
            {
                seeds.push(bytes);
            }
        }
    }
    assert!(!seeds.is_empty(), "no seed articles found");
    seeds
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Replace(usize, u8),
    Splice(usize, &'static str),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (any::<usize>(), prop::sample::select(FRAGMENTS)).prop_map(|(i, f)| Edit::Splice(i, f)),
    ];
    prop::collection::vec(edit, 1..6)
}

fn mutate(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Insert(i, b) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Replace(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] = *b;
                }
            }
            Edit::Splice(i, f) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, f.bytes());
            }
        }
    }
    bytes
}

/// Checks a kb holding one file with `bytes` and the invariants every result must keep.
fn check_bytes(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let checked = kbgen::validate::check(dir.path())
        .map_err(|e| TestCaseError::fail(format!("check returned Err: {e:#}")))?;
    prop_assert_eq!(checked.file_count, 1);
    let valid = checked.kb.articles.len();
    prop_assert!(valid <= 1);
    prop_assert_eq!(
        valid == 1,
        !checked.has_errors(),
        "valid article iff no errors"
    );
    for d in &checked.diagnostics {
        located_inside(d, &checked.sources)?;
    }
    let human = kbgen::report::human(&checked.diagnostics, &checked.sources, false);
    prop_assert!(
        !human
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "control character in the plain report: {:?}",
        human
    );
    let json = kbgen::report::json(&checked.diagnostics);
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json);
    prop_assert!(parsed.is_ok(), "report is not JSON: {}", json);
    Ok(())
}

/// A diagnostic points at a line and column that exist in its file (1:1 for whole files).
fn located_inside(d: &Diagnostic, sources: &Sources) -> Result<(), TestCaseError> {
    prop_assert!(d.line >= 1 && d.column >= 1, "{:?}", d);
    let Some(text) = sources.get(&d.path) else {
        return Ok(());
    };
    // Lines end at `\n`, `\r\n` or a lone `\r`, for the YAML parser and kbgen alike.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let width = lines.get(d.line - 1).map(|l| l.chars().count());
    prop_assert!(
        d.line <= lines.len().max(1) && d.column <= width.unwrap_or(0) + 2,
        "outside the file: {:?}",
        d
    );
    Ok(())
}

/// Markdown syntax mixed with markup, entities and script URLs.
const MARKDOWN: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "`",
    "```",
    "*",
    "_",
    "#",
    "\n",
    "\n\n",
    "    ",
    "- ",
    "1. ",
    "> ",
    "|",
    "---",
    "\\",
    "\"",
    "'",
    " ",
    "a",
    "x y",
    "[r]: ",
    "[r]",
    "javascript:alert(1)",
    "JaVaScRiPt:",
    "java\tscript:",
    "data:text/html,",
    "vbscript:",
    "https://e.test/",
    "mailto:a@b.test",
    "a@b.test",
    "//evil.test",
    "/\\evil",
    "#frag",
    "&#106;",
    "&#x6A;",
    "&#58;",
    "&colon;",
    "&lt;",
    "&gt;",
    "&amp;",
    "&quot;",
    "&#0;",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=",
    " onclick=",
    "<!--",
    "-->",
    "<svg/onload=alert(1)>",
    "<iframe>",
    "<style>",
    "<?xml",
    "<![CDATA[",
    "%3C",
    "\u{202e}",
    "\u{0}",
    "\u{2028}",
    "é",
];

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(MARKDOWN), 0..60).prop_map(|v| v.concat())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(256)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_bytes("bytes.yaml", &bytes)?;
    }

    #[test]
    fn yamlish_fragments_never_panic(text in yamlish()) {
        check_bytes("yamlish.yaml", text.as_bytes())?;
    }

    #[test]
    fn mutated_seed_articles_never_panic(pick in any::<prop::sample::Index>(), e in edits()) {
        let seeds = seed_corpus();
        let seed = seeds[pick.index(seeds.len())].clone();
        check_bytes("mutated.yaml", &mutate(seed, &e))?;
    }

    #[test]
    fn hostile_values_in_well_formed_articles_never_panic(text in article()) {
        check_bytes("hostile-values.yaml", text.as_bytes())?;
    }

    #[test]
    fn markdown_output_holds_only_safe_markup(md in markdownish()) {
        for html in [kbgen::markdown::to_html(&md), kbgen::markdown::to_html_inline(&md)] {
            prop_assert_eq!(html_oracle::problem(&html), None, "from {:?}: {}", md, html);
            // A protocol-relative `//host` target names another site with no scheme.
            let tags = html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or(""));
            let other_site = tags
                .flat_map(|t| ["href=\"//", "src=\"//", "href=\"/%5C"].map(|a| t.contains(a)))
                .any(|found| found);
            prop_assert!(!other_site, "from {:?}: {}", md, html);
        }
    }

    #[test]
    fn shared_text_folding_never_panics(s in "\\PC{0,200}") {
        let folded = kbgen::text::fold(&s);
        let _ = kbgen::text::words(&folded).count();
        let slug = kbgen::model::slugify(&s);
        prop_assert!(slug == "-" || kbgen::validate::is_slug(&slug) || !slug.is_ascii(), "{:?}", slug);
    }

    #[test]
    fn date_parse_never_panics_and_round_trips(s in "[0-9-]{0,12}|\\PC{0,12}") {
        if let Some(d) = kbgen::model::Date::parse(&s) {
            prop_assert_eq!(d.to_string(), s);
        }
    }
}

#[test]
fn seed_corpus_includes_the_hostile_fixtures() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let hostile = root.join("tests/fixtures/hostile");
    let seeds = seed_corpus();
    let hostile_count = walkdir::WalkDir::new(&hostile)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    assert!(hostile_count > 0, "tests/fixtures/hostile is empty");
    assert!(seeds.len() >= hostile_count);
}

#[test]
fn html_oracle_catches_what_it_should() {
    html_oracle::self_test();
}
