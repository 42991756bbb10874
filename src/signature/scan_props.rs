//! Property test of [`SignatureIndex::find_all`] against a naive scan: every
//! signature that has a content token aligned over the whole window, with no
//! anchors, ranges or bounds (a signature of framing words alone has no anchor, so
//! it is never looked for: it would match any sentence). The
//! pruning in `find_all` claims to drop only input where no occurrence can reach the
//! threshold or count as evidence ([`super::super::needs`]), so both must report
//! the same signatures, each at the same best score, among the occurrences whose
//! stretch may be evidence; and every occurrence the evidence rules accept must be
//! one whose stretch the bound lets through.

use super::super::evidence;
use super::super::normalise::normalise;
use super::super::tokens::tokenize_with;
use super::*;
use crate::model::{Article, ErrorText, Kb};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// A small vocabulary, so that signatures share words and inputs hit many anchors.
const WORDS: [&str; 16] = [
    "failed", "user", "mailbox", "quota", "sync", "token", "expired", "tenant", "denied", "access",
    "login", "server", "timeout", "profile", "push", "license",
];

fn words(max: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..WORDS.len(), 1..max)
}

fn text(ws: &[usize]) -> String {
    ws.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ")
}

fn index_of(signatures: &[Vec<usize>]) -> SignatureIndex {
    let articles = signatures
        .iter()
        .enumerate()
        .map(|(k, ws)| Article {
            errors: vec![ErrorText {
                text: text(ws),
                line: 1,
            }],
            ..Article::sample(&format!("a{k}"))
        })
        .collect();
    SignatureIndex::build(&Kb { articles })
}

/// The input's vocabulary ids and weights, as the reader makes them.
fn tokens(index: &SignatureIndex, input: &str) -> (Vec<u32>, Vec<f64>) {
    let (mut ids, mut weights, mut chars) = (Vec::new(), Vec::new(), Vec::new());
    tokenize_with(&normalise(input), false, &mut chars, |t| {
        let (id, w) = index.input_token(t);
        ids.push(id);
        weights.push(w);
    });
    (ids, weights)
}

/// Whether the stretch of `occ` may hold evidence for signature `s`: the content
/// tokens it holds, as [`Needs::may_hold`] is asked.
fn may_count(index: &SignatureIndex, ids: &[u32], (s, occ): (usize, Occurrence)) -> bool {
    let stretch = &ids[occ.first..=occ.last];
    let content = &index.signatures[s].content;
    let present = (0..content.len()).filter(|&c| stretch.contains(&content[c].0));
    index.needs[s].may_hold(present)
}

/// Whether the evidence rules accept occurrence `occ` of signature `s`.
fn counts(
    index: &SignatureIndex,
    (ids, weights): (&[u32], &[f64]),
    (s, occ): (usize, Occurrence),
) -> bool {
    let lines = vec![1; ids.len()];
    let all = evidence::Input {
        ids,
        weights,
        lines: &lines,
        seen: |k| index.input_seen(ids[k], weights[k]),
    };
    let sig = &index.signatures[s];
    evidence::judge(sig, &index.vocab, &all, &occ, &mut Vec::new(), Vec::new).is_some()
}

/// Best score per signature, from a list of occurrences.
fn best(found: impl Iterator<Item = (usize, Occurrence)>) -> BTreeMap<usize, f64> {
    let mut best = BTreeMap::new();
    for (s, occ) in found {
        let b = best.entry(s).or_insert(0.0_f64);
        *b = b.max(occ.score);
    }
    best
}

/// Every signature aligned over the whole input.
fn naive(index: &SignatureIndex, ids: &[u32], weights: &[f64]) -> Vec<(usize, Occurrence)> {
    let mut prefix = vec![0.0];
    for w in weights {
        prefix.push(prefix.last().unwrap() + w);
    }
    let (mut cols, mut occ, mut out) = (Columns::default(), Vec::new(), Vec::new());
    for (s, sig) in index.signatures.iter().enumerate() {
        if sig.content.is_empty() {
            continue;
        }
        let view = SigView {
            ids: &sig.ids,
            weights: &sig.weights,
            total: sig.total,
            free: sig.free,
        };
        occ.clear();
        let whole = [(0, ids.len() - 1)];
        align::find(view, (ids, weights, &prefix), &whole, &mut cols, &mut occ);
        out.extend(occ.iter().map(|&o| (s, o)));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Inputs are noise words with copies of signatures planted in them, some
    /// with words dropped, so that both near misses and real hits occur.
    #[test]
    fn find_all_finds_what_aligning_everywhere_finds(
        signatures in prop::collection::vec(words(12), 1..8),
        noise in prop::collection::vec(words(20), 1..6),
        planted in prop::collection::vec((0..8usize, 0..12usize), 0..4),
        default_anchors in any::<bool>(),
    ) {
        let index = index_of(&signatures);
        let mut input = Vec::new();
        for (k, n) in noise.iter().enumerate() {
            input.extend_from_slice(n);
            if let Some(&(s, drop)) = planted.get(k) {
                let mut copy = signatures[s % signatures.len()].clone();
                if copy.len() > 2 {
                    copy.remove(drop % copy.len());
                }
                input.extend(copy);
            }
        }
        let (ids, weights) = tokens(&index, &text(&input));
        prop_assume!(!ids.is_empty());
        let anchors = if default_anchors {
            index.default_anchors().to_vec()
        } else {
            index.anchors_for_input(&ids)
        };
        let mut got = Vec::new();
        index.find_all((&ids, &weights), &anchors, &mut Scratch::default(), &mut got);
        let want = naive(&index, &ids, &weights);
        for &o in &want {
            prop_assert!(
                !counts(&index, (&ids, &weights), o) || may_count(&index, &ids, o),
                "signature {}: an occurrence that counts, ruled out by its needs", o.0
            );
        }
        let kept = |found: &[(usize, Occurrence)]| {
            best(found.iter().copied().filter(|&o| may_count(&index, &ids, o)))
        };
        let (got, want) = (kept(&got), kept(&want));
        prop_assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
        for (s, w) in &want {
            prop_assert!((got[s] - w).abs() < 1e-9, "signature {}: {} vs {}", s, got[s], w);
        }
    }
}
