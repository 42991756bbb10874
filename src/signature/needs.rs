//! What a stretch of input must hold for [`super::evidence::judge`] to find
//! evidence in it, known before aligning: so that [`super::scan`] does not align a
//! region in which no occurrence could count.
//!
//! An occurrence counts only if its best run holds a numbered code, or holds
//! [`MIN_SPECIFIC`] distinct specific tokens, the signature's whole text or its
//! whole message (when that says something distinctive), and, without a numbered
//! code, finds [`MESSAGE_SHARE`] of the message's weight. Every token a run finds
//! is in the occurrence's stretch, which is inside its region; so a region lacking
//! what these rules ask for, counting every content token it holds and taking all
//! framing, masks and placeholders as found, holds no occurrence that counts. The
//! bound only ever lets more through than the rules do: it never changes what is
//! found.

use super::align::WILD;
use super::evidence::{MESSAGE_SHARE, MIN_SPECIFIC};
use super::index::Signature;
use super::weights::Class;

/// A content token that is a numbered code.
const CODE: u8 = 1;
/// A content token that is specific evidence (a word or a code, not a common word).
const SPECIFIC: u8 = 2;
/// A content token of the message.
const MESSAGE: u8 = 4;

/// One signature's requirements (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Per entry of `Signature::content`: what it is (`CODE`, `SPECIFIC`,
    /// `MESSAGE`) and the weight of its rows in the message.
    tokens: Vec<(u8, f64)>,
    /// Weight of the message's other rows (framing, masks, placeholders).
    message_free: f64,
    /// The message weight a run must find without a numbered code.
    message_need: f64,
    /// How many content tokens the message has.
    message_tokens: usize,
    /// Whether the message holds a distinctive token, so that it whole is evidence.
    telling: bool,
}

impl Needs {
    /// The requirements of `sig`; `classes` has the evidence class of each
    /// vocabulary id ([`super::evidence::kind`]).
    pub fn of(sig: &Signature, classes: &[Class]) -> Self {
        let (ma, mb) = sig.message;
        let kinds: Vec<Class> = sig
            .ids
            .iter()
            .map(|&id| match id {
                WILD => Class::Stop,
                id => classes[id as usize],
            })
            .collect();
        let mut tokens: Vec<(u8, f64)> = sig
            .content
            .iter()
            .map(|&(id, _)| {
                let j = sig.ids.iter().position(|&s| s == id).unwrap_or(0);
                match kinds[j] {
                    Class::Numbered => (CODE, 0.0),
                    Class::Code | Class::Word => (SPECIFIC, 0.0),
                    _ => (0, 0.0),
                }
            })
            .collect();
        let mut message_free = 0.0;
        for j in ma..mb {
            let id = sig.ids[j];
            match sig.content.iter().position(|&(c, _)| c == id) {
                Some(c) if id != WILD => {
                    tokens[c].0 |= MESSAGE;
                    tokens[c].1 += sig.weights[j];
                }
                _ => message_free += sig.weights[j],
            }
        }
        let distinctive = |c: &Class| matches!(c, Class::Word | Class::Code | Class::Numbered);
        Needs {
            message_tokens: tokens.iter().filter(|t| t.0 & MESSAGE != 0).count(),
            message_need: MESSAGE_SHARE * sig.weights[ma..mb].iter().sum::<f64>(),
            telling: kinds[ma..mb].iter().any(distinctive),
            tokens,
            message_free,
        }
    }

    /// Whether a stretch holding the content tokens `present` (indices into
    /// `Signature::content`, each once) may hold an occurrence that counts.
    pub fn may_hold(&self, present: impl Iterator<Item = usize>) -> bool {
        let (mut said, mut specific, mut held, mut in_message) = (self.message_free, 0, 0, 0);
        for c in present {
            let (what, w) = self.tokens[c];
            if what & CODE != 0 {
                return true;
            }
            specific += usize::from(what & SPECIFIC != 0);
            in_message += usize::from(what & MESSAGE != 0);
            said += w;
            held += 1;
        }
        let whole =
            held == self.tokens.len() || (self.telling && in_message == self.message_tokens);
        // the sums run in another order than the rules': a little slack
        said >= self.message_need - 1e-9 && (whole || specific >= MIN_SPECIFIC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::weights;

    /// The needs of a signature of `words` (`*` a placeholder, weight 0, the rest
    /// 1) whose message is its last `message` tokens.
    fn needs(words: &[&str], message: usize) -> (Needs, Signature, Vec<String>) {
        let mut vocab: Vec<String> = words
            .iter()
            .filter(|w| **w != "*")
            .map(|w| w.to_string())
            .collect();
        vocab.sort();
        vocab.dedup();
        let ids: Vec<u32> = words
            .iter()
            .map(|w| match *w {
                "*" => WILD,
                w => vocab.iter().position(|v| v == w).unwrap() as u32,
            })
            .collect();
        let ws = ids
            .iter()
            .map(|&i| if i == WILD { 0.0 } else { 1.0 })
            .collect();
        let content: Vec<bool> = vocab.iter().map(|v| !weights::is_stopword(v)).collect();
        let n = ids.len();
        let sig = Signature::new(0, ids, ws, &content).with_message((n - message, n));
        let classes: Vec<Class> = vocab
            .iter()
            .map(|t| super::super::evidence::kind(t))
            .collect();
        (Needs::of(&sig, &classes), sig, vocab)
    }

    /// The indices into `content` of the tokens `words`.
    fn present(sig: &Signature, vocab: &[String], words: &[&str]) -> Vec<usize> {
        let id = |w: &str| vocab.iter().position(|v| v == w).unwrap() as u32;
        words
            .iter()
            .map(|w| sig.content.iter().position(|c| c.0 == id(w)).unwrap())
            .collect()
    }

    #[test]
    fn a_numbered_code_alone_may_be_evidence() {
        let (n, sig, vocab) = needs(&["mailbox", "18456", "login", "address", "*"], 4);
        assert!(n.may_hold(present(&sig, &vocab, &["18456"]).into_iter()));
        assert!(!n.may_hold(present(&sig, &vocab, &["mailbox"]).into_iter()));
    }

    #[test]
    fn common_words_alone_are_no_evidence_but_the_whole_message_is() {
        // login and address are common: only the whole text counts
        let (n, sig, vocab) = needs(&["login", "failed", "for", "address", "*"], 5);
        assert!(!n.may_hold(present(&sig, &vocab, &["login"]).into_iter()));
        let all = present(&sig, &vocab, &["login", "address"]);
        assert!(n.may_hold(all.into_iter()));
    }

    #[test]
    fn the_message_must_be_there() {
        // two specific words of the framing, none of the message
        let (n, sig, vocab) = needs(&["kubelet", "sandbox", "mailbox", "cgroup", "throttled"], 2);
        assert!(!n.may_hold(present(&sig, &vocab, &["kubelet", "sandbox"]).into_iter()));
        let with = present(&sig, &vocab, &["kubelet", "sandbox", "cgroup"]);
        assert!(n.may_hold(with.into_iter()));
    }
}
