//! Property tests of the error-signature normaliser and matcher, through their public
//! API only (`signature::normalise::normalise`, `SignatureIndex::build`, `match_text`,
//! `match_reader`): normalising never panics and agrees with `text::fold`; a
//! signature's own text, with any values put in for its `<placeholders>`, finds its
//! article, also inside a longer log; arbitrary text never panics and yields scores in
//! 0..=1, valid articles and line numbers, best first.
//!
//! Short runs here (256 cases each, `PROPTEST_CASES` to change); the long run is the
//! cargo-fuzz target `signature` in `fuzz/` (see fuzz/README.md).

use kbgen::model::{ErrorText, Kb};
use kbgen::signature::normalise::normalise;
use kbgen::signature::{ArticleMatch, SignatureIndex};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// The articles of `kb/` and of the matcher's fixture kb, and their index.
fn fixture() -> &'static (Kb, SignatureIndex) {
    static FIXTURE: OnceLock<(Kb, SignatureIndex)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut articles = Vec::new();
        for dir in [
            "kb",
            "tests/fixtures/match/graph",
            "tests/fixtures/match/traces",
        ] {
            let checked = kbgen::validate::check(&root.join(dir)).expect("fixture kb");
            assert!(!checked.has_errors(), "{dir}: {:?}", checked.diagnostics);
            for mut a in checked.kb.articles {
                a.id = format!("{}-{}", dir.replace('/', "-"), a.id);
                articles.push(a);
            }
        }
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        let kb = Kb { articles };
        let index = SignatureIndex::build(&kb);
        (kb, index)
    })
}

/// Every error text of the fixture, with its article id.
fn signatures() -> Vec<(String, String)> {
    let (kb, _) = fixture();
    let mut out = Vec::new();
    for a in &kb.articles {
        for ErrorText { text, .. } in &a.errors {
            out.push((a.id.clone(), text.clone()));
        }
    }
    assert!(out.len() >= 8, "too few fixture signatures");
    out
}

/// Checks what every result must hold for `input`; returns the results.
fn check_matches(index: &SignatureIndex, input: &str) -> Result<Vec<ArticleMatch>, TestCaseError> {
    let found = index.match_text(input);
    let line_count = input.split('\n').count() as u64;
    for m in &found {
        prop_assert!(
            (0.0..=1.0).contains(&m.score),
            "score {} for {:?}",
            m.score,
            input
        );
        prop_assert!(m.article < index.articles.len());
        prop_assert!(m.occurrences >= 1);
        prop_assert!(!m.lines.is_empty());
        prop_assert!(m.lines.windows(2).all(|w| w[0] < w[1]), "{:?}", m.lines);
        prop_assert!(
            m.lines.iter().all(|&l| l >= 1 && l <= line_count),
            "{:?}",
            m.lines
        );
    }
    let scores: Vec<f64> = found.iter().map(|m| m.score).collect();
    prop_assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "not best first: {:?}",
        scores
    );
    let streamed = index
        .match_reader(input.as_bytes())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&streamed, &found, "match_reader and match_text disagree");
    Ok(found)
}

/// A value an author would have hidden behind a `<placeholder>`.
fn value() -> impl Strategy<Value = String> {
    let one = prop_oneof![
        "[A-Z][a-z]{1,9}",
        "[a-z]{2,10}",
        "[a-z]{1,8}(\\.[a-z]{1,8})?@[a-z]{2,8}\\.(com|org|test)",
        "[0-9]{1,9}",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[0-9a-f]{32}",
        "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9])T[0-1][0-9]:[0-5][0-9]:[0-5][0-9]Z",
        "[A-Z][a-z]{1,6}-[A-Z][a-z]{1,6}",
    ];
    prop::collection::vec(one, 1..3).prop_map(|v| v.join(" "))
}

/// `text` with each `<placeholder>` replaced by the next of `values` (cycled).
fn fill(text: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut k = 0;
    while let Some(open) = rest.find('<') {
        let Some(len) = rest[open..].find('>') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        out.push_str(&rest[..open]);
        if name.is_empty() || name.contains('<') {
            out.push('<');
            rest = &rest[open + 1..];
            continue;
        }
        out.push_str(&values[k % values.len()]);
        k += 1;
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` with the spaces at the picked positions turned into line breaks.
fn wrap(text: &str, at: &[prop::sample::Index]) -> String {
    let spaces: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
    let mut bytes = text.as_bytes().to_vec();
    for i in at.iter().filter(|_| !spaces.is_empty()) {
        bytes[spaces[i.index(spaces.len())]] = b'\n';
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Words of unrelated log lines.
const NOISE: &[&str] = &[
    "INFO",
    "DEBUG",
    "worker",
    "started",
    "request",
    "completed",
    "in",
    "ms",
    "user",
    "session",
    "cache",
    "hit",
    "GET",
    "/healthz",
    "200",
    "OK",
    "the",
    "of",
    "retry",
    "connection",
    "pool",
    "size",
    "=",
    "[main]",
    "2024-01-02T03:04:05Z",
    "{",
    "}",
    ":",
];

fn noise_lines() -> impl Strategy<Value = Vec<String>> {
    let line = prop::collection::vec(prop::sample::select(NOISE), 0..12).prop_map(|w| w.join(" "));
    prop::collection::vec(line, 0..30)
}

/// Escapes, entities, URL encoding and Unicode that normalising must survive.
const FRAGMENTS: &[&str] = &[
    "\\",
    "\\\"",
    "\\n",
    "\\u00e9",
    "\\ud83d",
    "\\u",
    "\\x",
    "&",
    "&amp;",
    "&amp;lt;",
    "&quot;",
    "&#39;",
    "&#x41;",
    "&#xD800;",
    "&#1114112;",
    "&#;",
    "&bogus;",
    "%",
    "%3a",
    "%3A",
    "%C3%A9",
    "%FF",
    "%e2%80",
    "%2525",
    "+",
    "++",
    "<",
    ">",
    "<name>",
    "\"",
    "'",
    " ",
    "\n",
    "\r\n",
    "\t",
    "AADSTS50105",
    "0x80072030",
    "E0000001",
    "Request_BadRequest",
    "ＡＢＣ",
    "ﬁ",
    "İ",
    "ß",
    "Σ",
    "\u{202e}",
    "\u{200b}",
    "\u{0}",
    "é",
    "e\u{301}",
    "𝔘",
    "a",
    "Z",
    "9",
];

fn fragments() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.concat()),
        "\\PC{0,120}",
        "[ -~]{0,120}",
    ]
}

proptest! {
    // 256 cases each unless `PROPTEST_CASES` says otherwise; nothing written to disk.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// The module docs: escapes undone, then folded (NFKC + lower case); so the result
    /// is already folded, and text with nothing to unescape is only folded.
    #[test]
    fn normalise_never_panics_and_folds(s in fragments()) {
        let n = normalise(&s);
        prop_assert_eq!(kbgen::text::fold(&n), n.clone(), "not folded: {:?}", s);
        if !s.contains(['\\', '&', '%', '+']) {
            prop_assert_eq!(&n, &kbgen::text::fold(&s), "escape-free text is only folded");
        }
        // Once no escape is left, normalising again changes nothing.
        if !n.contains(['\\', '&', '%', '+']) {
            prop_assert_eq!(normalise(&n), n);
        }
    }

    #[test]
    fn a_signature_with_any_placeholder_values_finds_its_article(
        pick in any::<prop::sample::Index>(),
        values in prop::collection::vec(value(), 1..6),
    ) {
        let (_, index) = fixture();
        let sigs = signatures();
        let (id, text) = &sigs[pick.index(sigs.len())];
        let input = fill(text, &values);
        let found = check_matches(index, &input)?;
        let ids: Vec<&str> = found.iter().map(|m| index.articles[m.article].id.as_str()).collect();
        prop_assert!(ids.contains(&id.as_str()), "{} not found for {:?}: {:?}", id, input, ids);
    }

    /// Inside a log, wrapped over lines at any spaces, or as a JSON string value.
    #[test]
    fn a_signature_inside_a_log_is_found_on_its_lines(
        pick in any::<prop::sample::Index>(),
        values in prop::collection::vec(value(), 1..6),
        wraps in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        as_json in any::<bool>(),
        before in noise_lines(),
        after in noise_lines(),
    ) {
        let (_, index) = fixture();
        let sigs = signatures();
        let (id, text) = &sigs[pick.index(sigs.len())];
        let error = if as_json {
            let value = serde_json::to_string(&fill(text, &values)).unwrap_or_default();
            format!("{{\"level\":\"error\",\"msg\":{value}}}")
        } else {
            wrap(&fill(text, &values), &wraps)
        };
        let first = before.len() as u64 + 1;
        let last = first + error.lines().count() as u64 - 1;
        let log = [before, vec![error], after].concat().join("\n");
        let found = check_matches(index, &log)?;
        let m = found.iter().find(|m| index.articles[m.article].id == *id);
        prop_assert!(m.is_some(), "{} not found in {:?}", id, log);
        let lines = &m.map(|m| m.lines.clone()).unwrap_or_default();
        let on_error = lines.iter().any(|l| (first..=last).contains(l));
        prop_assert!(on_error, "lines {:?}, error on {}..={}", lines, first, last);
    }

    #[test]
    fn arbitrary_text_never_panics_and_scores_stay_in_range(
        parts in prop::collection::vec(prop_oneof![
            fragments(),
            prop::sample::select(NOISE).prop_map(str::to_string),
            any::<prop::sample::Index>().prop_map(|i| {
                let sigs = signatures();
                let text = &sigs[i.index(sigs.len())].1;
                // A piece of a signature: its words from a random point.
                let words: Vec<&str> = text.split(' ').collect();
                words[i.index(words.len())..].join(" ")
            }),
        ], 0..12),
    ) {
        let (_, index) = fixture();
        check_matches(index, &parts.join(" "))?;
    }

    /// Signatures written by anyone: building the index from arbitrary error texts and
    /// matching arbitrary input against it never panics; `signatures.json` is JSON.
    #[test]
    fn arbitrary_signatures_build_and_match(
        texts in prop::collection::vec(fragments(), 1..4),
        input in fragments(),
    ) {
        let (kb, _) = fixture();
        let mut article = kb.articles[0].clone();
        article.errors = texts
            .iter()
            .map(|t| ErrorText { text: t.clone(), line: 1 })
            .collect();
        let own = Kb { articles: vec![article] };
        let index = SignatureIndex::build(&own);
        check_matches(&index, &input)?;
        for t in &texts {
            check_matches(&index, t)?;
        }
        let json: Result<serde_json::Value, _> = serde_json::from_str(&index.to_json());
        prop_assert!(json.is_ok());
    }
}

#[test]
fn fill_replaces_every_placeholder() {
    let v = ["Jane".to_string(), "Doe".to_string()];
    assert_eq!(
        fill("user <first> <last> in <x>", &v),
        "user Jane Doe in Jane"
    );
    assert_eq!(fill("a < b and <c", &v), "a < b and <c");
}
