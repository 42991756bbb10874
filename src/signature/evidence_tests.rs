//! The substitution rule of [`super::substituted`] on hand-made signatures.

use super::super::align::WILD;
use super::super::index::Signature;
use super::super::weights::{self, Class};
use super::{Input, SWAP, Seen, substituted};

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
