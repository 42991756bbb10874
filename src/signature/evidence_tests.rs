//! The substitution rule of [`super::substituted`] on hand-made signatures.

use super::super::align::WILD;
use super::super::index::Signature;
use super::super::weights::{self, Class};
use super::{Input, SWAP, Seen, loose_gaps, subsequence, substituted, whole_lines};

/// A signature of `words` (`*` a placeholder) whose message is its last
/// `message` tokens, with the vocabulary it is written in.
fn signature(words: &[&str], message: usize) -> (Signature, Vec<String>) {
    let mut vocab: Vec<String> = Vec::new();
    let ids: Vec<u32> = words
        .iter()
        .map(|w| {
            if *w == "*" {
                return WILD;
            }
            let at = vocab.iter().position(|v| v == w).unwrap_or_else(|| {
                vocab.push(w.to_string());
                vocab.len() - 1
            });
            at as u32
        })
        .collect();
    let content: Vec<bool> = vocab.iter().map(|v| !weights::is_stopword(v)).collect();
    let ws = ids
        .iter()
        .map(|&i| if i == WILD { 0.0 } else { 1.0 })
        .collect();
    let n = ids.len();
    let sig = Signature::new(0, ids, ws, &content).with_message((n - message, n));
    (sig, vocab)
}

fn kinds(sig: &Signature, vocab: &[String]) -> Vec<Class> {
    let class = |&i: &u32| match i {
        WILD => Class::Stop,
        i => weights::class(&vocab[i as usize]),
    };
    sig.ids.iter().map(class).collect()
}

/// Whether the input `words` (all on one line, each with the signature's id where
/// the vocabulary has it), found at the signature positions `run` pairs with,
/// says something else than `sig`.
fn replaced(sig: &Signature, vocab: &[String], run: &[(usize, usize)], words: &[&str]) -> bool {
    let ids: Vec<u32> = (words.iter())
        .map(|w| {
            vocab
                .iter()
                .position(|v| v == w)
                .map_or(u32::MAX - 1, |k| k as u32)
        })
        .collect();
    let lines = vec![1; words.len()];
    let input = Input {
        ids: &ids,
        weights: &vec![1.0; words.len()],
        lines: &lines,
        seen: |k: usize| match weights::is_stopword(words[k]) {
            true => Seen::Framing,
            false => Seen::Content,
        },
    };
    substituted(sig, &kinds(sig, vocab), run, 0, &input)
}

#[test]
fn another_word_where_the_signature_has_one_is_another_error() {
    let (sig, vocab) = signature(&["bootmgr", "is", "missing", "press", "restart"], 2);
    let run = [(0, 0), (1, 1), (3, 3), (4, 4)];
    assert!(replaced(
        &sig,
        &vocab,
        &run,
        &["bootmgr", "is", "compressed", "press", "restart"]
    ));
    // the same word left out, nothing in its place
    let run = [(0, 0), (1, 1), (3, 2), (4, 3)];
    assert!(!replaced(
        &sig,
        &vocab,
        &run,
        &["bootmgr", "is", "press", "restart"]
    ));
}

#[test]
fn any_word_in_place_of_one_specific_word_is_another_error() {
    let (sig, vocab) = signature(&["reason", "oomkilled", "exit", "code"], 4);
    let run = [(0, 0), (2, 2), (3, 3)];
    assert!(replaced(
        &sig,
        &vocab,
        &run,
        &["reason", "error", "exit", "code"]
    ));
}

#[test]
fn a_placeholder_between_takes_whatever_the_input_has() {
    let (sig, vocab) = signature(&["image", "*", "missing"], 1);
    let run = [(0, 0), (2, 3)];
    assert!(!replaced(
        &sig,
        &vocab,
        &run,
        &["image", "alpine", "edge", "missing"]
    ));
}

#[test]
fn a_replaced_end_of_the_message_is_another_error_a_long_missing_end_is_not() {
    let (sig, vocab) = signature(&["exec", "executable", "kubelogin", "not", "found"], 4);
    let run = [(0, 0), (1, 1), (2, 2)];
    let other = [
        "exec",
        "executable",
        "kubelogin",
        "failed",
        "with",
        "exit",
        "code",
    ];
    assert!(replaced(&sig, &vocab, &run, &other));
    assert!(!replaced(
        &sig,
        &vocab,
        &run,
        &["exec", "executable", "kubelogin"]
    ));
    // a word inserted before the missing end is not a replaced end
    let inserted = ["exec", "executable", "kubelogin", "binary", "not", "found"];
    assert!(!replaced(&sig, &vocab, &run, &inserted));
    // a message whose missing end is a whole sentence: the reader's own words follow
    let mut long = vec!["account", "denied"];
    long.extend(["please", "refresh", "your", "credentials", "and", "retry"].iter());
    assert!(long.len() - 2 > SWAP);
    let (sig, vocab) = signature(&long, long.len());
    let run = [(0, 0), (1, 1)];
    assert!(!replaced(
        &sig,
        &vocab,
        &run,
        &["account", "denied", "the", "owner", "says"]
    ));
}

#[test]
fn the_words_of_the_error_out_of_order_on_its_line_are_another_error() {
    let (sig, vocab) = signature(&["classnotfoundexception", "ledgerdriver"], 1);
    // the class name found alone; the exception type after it on the same line
    let run = [(1, 1)];
    let words = ["loads", "ledgerdriver", "no", "classnotfoundexception"];
    assert!(replaced(&sig, &vocab, &run, &words));
    let run = [(1, 0)];
    assert!(!replaced(&sig, &vocab, &run, &["ledgerdriver", "loads"]));
}

#[test]
fn whole_lines_widen_a_stretch_to_the_lines_it_touches() {
    let lines = [1, 1, 2, 2, 2, 3, 4, 4];
    assert_eq!(whole_lines(&lines, 3, 3), 2..=4);
    assert_eq!(whole_lines(&lines, 1, 5), 0..=5);
    assert_eq!(whole_lines(&lines, 7, 7), 6..=7);
}

#[test]
fn a_word_between_two_found_tokens_is_a_loose_gap_a_value_or_a_placeholder_is_not() {
    let (sig, _) = signature(&["login", "failed", "for", "user", "*", "server"], 6);
    let words = [
        "login", "failed", "for", "this", "user", "<n>", "x", "server",
    ];
    let ids = vec![0; words.len()];
    let lines = vec![1; words.len()];
    let input = Input {
        ids: &ids,
        weights: &vec![1.0; words.len()],
        lines: &lines,
        seen: |k: usize| match words[k] {
            "<n>" => Seen::Value,
            w if weights::is_stopword(w) => Seen::Framing,
            _ => Seen::Content,
        },
    };
    let pairs = [(0, 0), (1, 1), (2, 2), (3, 4), (5, 7)];
    // `this` between `for` and `user`; `<n> x` where the placeholder stands
    assert_eq!(
        loose_gaps(&sig, &pairs, 0, &input),
        [false, false, false, true, false]
    );
    let pairs = [(0, 0), (1, 1), (2, 5)];
    let value_only = ["login", "failed", "<n>", "<n>", "<n>", "for"];
    let input = Input {
        ids: &ids[..value_only.len()],
        weights: &vec![1.0; value_only.len()],
        lines: &lines[..value_only.len()],
        seen: |k: usize| match value_only[k] {
            "<n>" => Seen::Value,
            _ => Seen::Content,
        },
    };
    assert_eq!(loose_gaps(&sig, &pairs, 0, &input), [false, false, false]);
}

/// The weighted longest common subsequence over the whole table, walked back with
/// ties to the diagonal, then to the skipped signature token: what
/// [`subsequence`] must give.
fn dense_subsequence(sig: &Signature, input: &[u32]) -> Vec<(usize, usize)> {
    let (m, n) = (sig.ids.len(), input.len());
    let w = n + 1;
    let mut dp = vec![0.0_f64; (m + 1) * w];
    for j in 1..=m {
        for i in 1..=n {
            let mut best = dp[(j - 1) * w + i].max(dp[j * w + i - 1]);
            if sig.ids[j - 1] == input[i - 1] {
                best = best.max(dp[(j - 1) * w + i - 1] + sig.weights[j - 1]);
            }
            dp[j * w + i] = best;
        }
    }
    let mut pairs = Vec::new();
    let (mut j, mut i) = (m, n);
    while j > 0 && i > 0 {
        let here = dp[j * w + i];
        if sig.ids[j - 1] == input[i - 1] && dp[(j - 1) * w + i - 1] + sig.weights[j - 1] == here {
            pairs.push((j - 1, i - 1));
            j -= 1;
            i -= 1;
        } else if dp[(j - 1) * w + i] == here {
            j -= 1;
        } else {
            i -= 1;
        }
    }
    pairs.reverse();
    pairs
}

#[test]
fn the_subsequence_is_the_dense_tables_ties_and_all() {
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    for _ in 0..3000 {
        // few distinct tokens and few distinct weights, so that ties are common
        let m = 1 + next(12) as usize;
        let ids: Vec<u32> = (0..m)
            .map(|_| match next(6) {
                0 => WILD,
                t => t as u32,
            })
            .collect();
        let ws: Vec<f64> = ids
            .iter()
            .map(|&i| {
                if i == WILD {
                    0.0
                } else {
                    [0.5, 1.0, 1.5][next(3) as usize]
                }
            })
            .collect();
        let content = vec![true; 12];
        let sig = Signature::new(0, ids, ws, &content);
        let input: Vec<u32> = (0..next(30)).map(|_| next(10) as u32).collect();
        let mut dp = Vec::new();
        assert_eq!(
            subsequence(&sig, &input, &mut dp),
            dense_subsequence(&sig, &input),
            "signature {:?} input {input:?}",
            sig.ids
        );
    }
}
