//! Product and tag names as the site shows them: one name, one page. A name is read in
//! its plain form (Unicode NFKC, no invisible characters such as zero-width spaces or
//! bidi controls, single spaces), so `Ｏｋｔａ`, `Ok<ZWSP>ta` and `Okta` are one
//! product on one page, not look-alike pages. A name that had to change, or that one
//! article lists twice, gets a W005 warning; a name with nothing visible is an E005.

use super::super::codes;
use super::super::shape::at;
use crate::diagnostic::Diagnostic;
use crate::model::slugify;
use serde_saphyr::Spanned;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// The names of one facet of an article (`product` or `tag`), plain, each page once.
pub(super) fn names<'a>(
    values: impl IntoIterator<Item = &'a Spanned<String>>,
    facet: &str,
    path: &Path,
    out: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for v in values {
        let name = plain(&v.value);
        let (line, column) = at(v);
        let written = visible(v.value.trim());
        if name.is_empty() {
            let msg = format!("{facet} `{written}` has no visible characters");
            let hint = format!("write the {facet}'s name, or delete the entry");
            out.push(
                Diagnostic::error(codes::EMPTY_FIELD, path, line, column, msg).with_hint(hint),
            );
            continue;
        }
        let slug = slugify(&name);
        let warn = |msg: String, hint: String| {
            Diagnostic::warning(codes::RENAMED_TERM, path, line, column, msg).with_hint(hint)
        };
        if let Some(first) = kept.iter().find(|k| slugify(k) == slug) {
            out.push(warn(
                format!("{facet} `{written}` is listed twice: `{first}` has the same page"),
                format!(
                    "names that differ only in case, punctuation or invisible characters \
                     are one {facet}: list it once"
                ),
            ));
            continue;
        }
        if name != v.value.trim() {
            out.push(warn(
                format!(
                    "{facet} `{written}` has invisible or look-alike characters; \
                     it is listed as `{name}`"
                ),
                format!("write `{name}`, so every article lists this {facet} on one page"),
            ));
        }
        kept.push(name);
    }
    kept
}

/// `name` in NFKC, without invisible characters, with single spaces, trimmed.
pub(super) fn plain(name: &str) -> String {
    let shown: String = name.nfkc().filter(|&c| !is_invisible(c)).collect();
    shown.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `name` with its invisible characters written as `\u{..}`, for messages.
fn visible(name: &str) -> String {
    name.chars()
        .map(|c| {
            if is_invisible(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Controls (but whitespace) and Unicode's default-ignorable code points: zero-width
/// spaces and joiners, bidi controls, soft hyphen, variation selectors, fillers, tags.
fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c,
            '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
            | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}' | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_saphyr::Location;

    fn spanned(s: &str) -> Spanned<String> {
        Spanned::new(s.to_string(), Location::UNKNOWN, Location::UNKNOWN)
    }

    #[test]
    fn look_alike_names_have_one_plain_form() {
        for name in [
            "Okta",
            "Ｏｋｔａ",
            "Ok\u{200b}ta",
            "\u{202e}Okta",
            "Okta\u{feff}",
            " Okta\u{a0}",
        ] {
            assert_eq!(plain(name), "Okta", "{name:?}");
        }
        assert_eq!(
            plain("Microsoft\u{3000}Office  365"),
            "Microsoft Office 365"
        );
        assert_eq!(plain("\u{200b}\u{2066}"), "");
    }

    /// Regression: `Ok<ZWSP>ta` got its own page `products/ok-ta/` that looked like
    /// `products/okta/`, and `Ｏｋｔａ` one at `products/ｏｋｔａ/`.
    #[test]
    fn names_are_plain_once_each_with_a_warning_for_each_change() {
        let values: Vec<_> = [
            "Okta",
            "Ｏｋｔａ",
            "Ok\u{200b}ta",
            "OKTA",
            "Azure AD",
            "\u{200b}",
        ]
        .into_iter()
        .map(spanned)
        .collect();
        let mut out = Vec::new();
        let kept = names(&values, "product", Path::new("a.yaml"), &mut out);
        assert_eq!(kept, ["Okta", "Azure AD"]);
        let codes: Vec<_> = out.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["W005", "W005", "W005", "E005"]);
        assert!(
            out[1].message.contains("`Ok\\u{200b}ta`"),
            "{}",
            out[1].message
        );
    }

    #[test]
    fn plain_names_pass_without_a_word() {
        let values: Vec<_> = ["Okta", "Microsoft Office 365", "C++"]
            .into_iter()
            .map(spanned)
            .collect();
        let mut out = Vec::new();
        assert_eq!(
            names(&values, "product", Path::new("a.yaml"), &mut out).len(),
            3
        );
        assert!(out.is_empty(), "{out:?}");
    }
}
