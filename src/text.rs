//! Text folding shared by the matcher and the search index, so both see the same
//! tokens: Unicode NFKC, lower case, and Unicode word boundaries.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// NFKC-normalises and lower-cases `s`.
pub fn fold(s: &str) -> String {
    s.nfkc().flat_map(char::to_lowercase).collect()
}

/// The words of already folded text, by Unicode word boundaries (UAX #29),
/// keeping only words that contain a letter or digit.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .unicode_words()
        .filter(|w| w.chars().any(char::is_alphanumeric))
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
}
