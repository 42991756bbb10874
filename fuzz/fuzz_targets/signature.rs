//! Any bytes as a pasted error or log, matched against the signatures of `kb/` and of
//! the matcher's fixture kb; and, when the input starts with `#sig`, its next lines as
//! the error texts of an article of its own. Normalising and matching never panic;
//! normalised text is folded; scores are in 0..=1; articles and line numbers exist;
//! results are best first; streaming and whole-text matching agree.
#![no_main]

use kbgen::model::{Article, ErrorText, Kb};
use kbgen::signature::SignatureIndex;
use kbgen::signature::normalise::normalise;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn fixture() -> &'static (Article, SignatureIndex) {
    static FIXTURE: OnceLock<(Article, SignatureIndex)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut articles = Vec::new();
        for dir in ["kb", "tests/fixtures/match/graph"] {
            let checked = kbgen::validate::check(&root.join(dir)).expect("fixture kb");
            for mut a in checked.kb.articles {
                a.id = format!("{}-{}", dir.replace('/', "-"), a.id);
                articles.push(a);
            }
        }
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        let first = articles.first().cloned().expect("fixture articles");
        (first, SignatureIndex::build(&Kb { articles }))
    })
}

fn check(index: &SignatureIndex, text: &str) {
    let found = index.match_text(text);
    let line_count = text.split('\n').count() as u64;
    for m in &found {
        assert!((0.0..=1.0).contains(&m.score), "score {}", m.score);
        assert!(m.article < index.articles.len());
        assert!(!m.lines.is_empty() && m.lines.windows(2).all(|w| w[0] < w[1]));
        assert!(
            m.lines.iter().all(|&l| (1..=line_count).contains(&l)),
            "{:?}",
            m.lines
        );
    }
    assert!(
        found.windows(2).all(|w| w[0].score >= w[1].score),
        "not best first"
    );
    let streamed = index
        .match_reader(text.as_bytes())
        .expect("reading a slice");
    assert_eq!(streamed, found, "match_reader and match_text disagree");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let n = normalise(&text);
    assert_eq!(kbgen::text::fold(&n), n, "normalised text is not folded");
    let (article, index) = fixture();
    if let Some(rest) = text.strip_prefix("#sig\n") {
        // Signatures from the input: the lines up to a blank one; the rest is matched.
        let (sigs, input) = rest.split_once("\n\n").unwrap_or((rest, rest));
        let mut own = article.clone();
        own.errors = sigs
            .lines()
            .map(|l| ErrorText {
                text: l.to_string(),
                line: 1,
            })
            .collect();
        let index = SignatureIndex::build(&Kb {
            articles: vec![own],
        });
        check(&index, input);
        let json: serde_json::Value =
            serde_json::from_str(&index.to_json()).expect("signatures.json is JSON");
        assert!(json.is_object());
    } else {
        check(index, &text);
    }
});
