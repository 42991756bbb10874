//! Whether an occurrence of a signature rests on specific evidence, not on a
//! shared word: an alignment that scores is kept only if the input stretch it
//! covers holds
//!
//! - one of the signature's codes (`aadsts50020`, `0x80072030`, `request_badrequest`),
//! - or at least [`MIN_SPECIFIC`] of its specific words (content words that are not
//!   [`super::common`], nor held by more than half of the signatures),
//! - or the signature whole and in order, each placeholder standing for one to
//!   [`VALUE_MAX`] tokens of a value, never for the words around it.
//!
//! So `Login failed for user '<username>'`, all common words and a placeholder,
//! matches only where it is found whole, and one shared word such as `address`
//! never makes a match whatever its idf. `match.js` applies the same rule to the
//! same token kinds (`evidence` there).

use super::align::WILD;
use super::common::is_common;
use super::weights::{self, Class};

/// How many distinct specific words are evidence without a code.
pub const MIN_SPECIFIC: usize = 2;
/// How many input tokens a placeholder may stand for when the signature is found whole.
pub const VALUE_MAX: usize = super::align::WILDCARD_MAX as usize;

/// What a vocabulary token is worth as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Framing, a common word or a mask.
    Plain,
    /// A content word no vendor's errors share.
    Specific,
    /// A code: digits or `_` in it.
    Code,
}

/// The kind of a vocabulary token held by `df` of `n` signatures: a word that
/// more than half of them hold (the framing a family of errors shares) is not
/// specific either.
pub fn kind(token: &str, df: u32, n: usize) -> Kind {
    if weights::is_mask(token) || is_common(token) || df as usize > (n / 2).max(1) {
        return Kind::Plain;
    }
    match weights::shape_class(token) {
        Class::Numbered | Class::Code => Kind::Code,
        Class::Word | Class::Stop => Kind::Specific,
    }
}

/// Whether the input stretch `input[first..=last]` (vocabulary ids) holds specific
/// evidence for the signature `sig` (its ids, `WILD` for a placeholder); `kinds`
/// by vocabulary id. Found whole, the signature starts in the stretch and may end
/// past it (an alignment may leave a repeated last word out).
pub fn holds(sig: &[u32], kinds: &[Kind], input: &[u32], (first, last): (usize, usize)) -> bool {
    let stretch = &input[first..=last];
    let kind_of = |id: u32| kinds.get(id as usize).copied().unwrap_or(Kind::Plain);
    let mut specific = 0;
    for (j, &id) in sig.iter().enumerate() {
        if id == WILD || sig[..j].contains(&id) || !stretch.contains(&id) {
            continue;
        }
        match kind_of(id) {
            Kind::Code => return true,
            Kind::Specific => specific += 1,
            Kind::Plain => {}
        }
    }
    specific >= MIN_SPECIFIC || (first..=last).any(|i| whole_at(sig, &input[i..]))
}

/// Whether `sig` matches a prefix of `input` token for token, a placeholder
/// standing for 1 to [`VALUE_MAX`] tokens.
fn whole_at(sig: &[u32], input: &[u32]) -> bool {
    match sig.split_first() {
        None => true,
        Some((&WILD, rest)) => {
            (1..=VALUE_MAX.min(input.len())).any(|k| whole_at(rest, &input[k..]))
        }
        Some((&id, rest)) => input.first() == Some(&id) && whole_at(rest, &input[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: [Kind; 5] = [
        Kind::Plain,
        Kind::Plain,
        Kind::Specific,
        Kind::Specific,
        Kind::Code,
    ];

    fn at(sig: &[u32], input: &[u32]) -> bool {
        holds(sig, &K, input, (0, input.len() - 1))
    }

    #[test]
    fn one_shared_common_word_is_no_evidence() {
        // login(0) failed(1) for(1) user(1) <wild>
        let sig = [0, 1, 1, WILD];
        assert!(!at(&sig, &[9, 0, 9, 9, 1]));
        assert!(at(&sig, &[9, 0, 1, 1, 7, 9]));
        // the placeholder stands for a value (up to eight tokens: a path, an image), not for nine words
        let sig = [0, WILD, 1];
        assert!(at(&sig, &[0, 9, 9, 1]));
        assert!(!at(&sig, &[0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1]));
        // found whole, though the stretch left its last word out
        assert!(holds(&sig, &K, &[0, 9, 1], (0, 1)));
    }

    #[test]
    fn a_code_or_two_specific_words_are_evidence() {
        let sig = [0, 2, 3, 4];
        assert!(at(&sig, &[4]));
        assert!(at(&sig, &[2, 9, 3]));
        assert!(!at(&sig, &[2, 0, 2]));
    }

    #[test]
    fn kinds_follow_the_common_list_and_the_shape() {
        assert_eq!(kind("address", 1, 10), Kind::Plain);
        assert_eq!(kind("<num>", 1, 10), Kind::Plain);
        assert_eq!(kind("handshake", 1, 10), Kind::Specific);
        assert_eq!(kind("handshake", 6, 10), Kind::Plain);
        assert_eq!(kind("aadsts50020", 1, 10), Kind::Code);
    }
}
