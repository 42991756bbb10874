//! Text folding shared by the matcher and the search index, so both see the same
//! tokens: Unicode NFKC, lower case, and Unicode word boundaries.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// NFKC-normalises and lower-cases `s`.
pub fn fold(s: &str) -> String {
    s.nfkc().flat_map(char::to_lowercase).collect()
}

/// The words of already folded text, by Unicode word boundaries (UAX #29),
/// keeping only words that contain a letter or digit. ASCII text takes a scanner
/// that gives exactly the words of `unicode-segmentation`'s ASCII rules, without
/// producing the segments between words.
pub fn words(folded: &str) -> Words<'_> {
    if folded.is_ascii() {
        Words::Ascii(AsciiWords {
            text: folded,
            pos: 0,
        })
    } else {
        Words::Unicode(folded.unicode_words())
    }
}

/// The iterator of [`words`].
pub enum Words<'a> {
    Ascii(AsciiWords<'a>),
    Unicode(unicode_segmentation::UnicodeWords<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Unicode(w) => w.by_ref().find(|w| w.chars().any(char::is_alphanumeric)),
        }
    }
}

/// Words of ASCII text: runs of letters, digits and `_`, joined across `.`, `,`,
/// `;` and `'` between digits and across `'`, `.` and `:` between letters
/// (WB6/7, WB11/12), with at least one letter or digit.
pub struct AsciiWords<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let b = self.text.as_bytes();
        loop {
            let rest = b.get(self.pos..)?;
            let Some(skip) = rest.iter().position(|&c| class(c) & CORE != 0) else {
                self.pos = b.len();
                return None;
            };
            let start = self.pos + skip;
            let (mut i, mut alnum) = (start, false);
            while let Some(&c) = b.get(i) {
                let k = class(c);
                if k & CORE != 0 {
                    alnum |= k & ALNUM != 0;
                } else if !is_infix(c, b[i - 1], b.get(i + 1).copied()) {
                    break;
                }
                i += 1;
            }
            self.pos = i;
            if alnum {
                return self.text.get(start..i);
            }
        }
    }
}

const CORE: u8 = 1;
const ALNUM: u8 = 2;
const DIGIT: u8 = 4;
const ALPHA: u8 = 8;

/// Character classes of ASCII bytes, by table: the scanner's inner loop.
const CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            CORE | ALNUM | DIGIT
        } else if c.is_ascii_alphabetic() {
            CORE | ALNUM | ALPHA
        } else if c == b'_' {
            CORE
        } else {
            0
        };
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASSES[b as usize]
}

/// Whether `b`, after `prev` and before `next`, joins them into one word.
fn is_infix(b: u8, prev: u8, next: Option<u8>) -> bool {
    let Some(next) = next else { return false };
    let both = class(prev) & class(next);
    match b {
        b'.' | b',' | b';' | b'\'' if both & DIGIT != 0 => true,
        b'\'' | b'.' | b':' => both & ALPHA != 0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_applies_nfkc_and_lowercase() {
        assert_eq!(fold("ＡＢＣ ﬁle"), "abc file");
        assert_eq!(fold("DisplayName"), "displayname");
    }

    #[test]
    fn words_split_on_unicode_boundaries() {
        let f = fold("Okta's push failed: lastName, displayName.");
        let w: Vec<_> = words(&f).collect();
        assert_eq!(w, ["okta's", "push", "failed", "lastname", "displayname"]);
    }

    /// The general Unicode path, which the ASCII scanner must agree with.
    fn unicode_words(folded: &str) -> Vec<&str> {
        folded
            .unicode_words()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect()
    }

    #[test]
    fn ascii_words_join_numbers_and_letters_like_uax29() {
        let s = "e.g. 1,000.5 it's a:b __ _x_ x__ 3.14. ab: :ab 'a' a''b 1;2 a;b a,b \r\n.";
        assert_eq!(words(s).collect::<Vec<_>>(), unicode_words(s));
        assert_eq!(words(s).next(), Some("e.g"));
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_match_unicode_segmentation(s in "[a-c0-2_.,;:' \r\n\t\\-]{0,40}") {
            proptest::prop_assert_eq!(words(&s).collect::<Vec<_>>(), unicode_words(&s));
        }
    }
}
