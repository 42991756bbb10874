//! Named error codes: the codes vendors spell as words, not numbers
//! (`StorageAccountAlreadyTaken`, `Request_BadRequest`, `invalid_client`), found
//! in an error text as its author wrote it, and the family each belongs to.
//!
//! A numbered code's family is what comes before its digits
//! ([`super::evidence::family`]); a named code's is its first two words:
//! `storageaccount` for `StorageAccountAlreadyTaken` (a compound of at least
//! [`MIN_HUMPS`] capitalised words, case being lost once tokens are folded), or
//! what comes up to its first `_` (`request_`, `invalid_`). Another member of the
//! family in the input where the signature's own code is missing is another
//! error: `StorageAccountAlreadyExists` is not `StorageAccountAlreadyTaken`, however
//! much of the message they share. Exception and error types
//! (`ClassNotFoundException`, `OutOfMemoryError`) are not codes: every sibling
//! error throws the same type with another message.

/// Capitalised words a compound needs to be a code (`AuthorizationFailed` is two,
/// and reads as a word; `StorageAccountAlreadyTaken` is four).
pub const MIN_HUMPS: usize = 3;

/// The named codes of error text `text` as positions in its signature `tokens`,
/// each with its family: every token that is, as written, a compound of
/// capitalised words or a `_`-joined name.
pub fn named_codes<T: AsRef<str>>(text: &str, tokens: &[T]) -> Vec<(usize, String)> {
    let named: Vec<(String, String)> = words(text).filter_map(code_family).collect();
    tokens
        .iter()
        .enumerate()
        .filter_map(|(j, t)| {
            let t = t.as_ref();
            named
                .iter()
                .find(|(code, _)| code == t)
                .map(|(_, family)| (j, family.clone()))
        })
        .collect()
}

/// The qualified names of error text `text` as token ranges of its signature
/// `tokens`: each run of two or more `.`- or `/`-separated words, each starting
/// with a letter (`java.lang.ClassNotFoundException`, `org/acme/Driver`), whose
/// words are consecutive tokens. A name the tokens do not hold as such (a URL or
/// a path the tokeniser masked) is left out.
pub fn qualified_names<T: AsRef<str>>(text: &str, tokens: &[T]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    for name in text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/'))) {
        let Some(parts) = qualified(name) else {
            continue;
        };
        let rest = tokens.get(from..).unwrap_or_default();
        let at = rest
            .windows(parts.len())
            .position(|w| w.iter().zip(&parts).all(|(t, p)| t.as_ref() == p));
        if let Some(j) = at.map(|k| from + k) {
            out.push((j, j + parts.len()));
            from = j + parts.len();
        }
    }
    out
}

/// The lower-cased words of `text` if it is one qualified name (see
/// [`qualified_names`]; a sentence's full stop after it is not part of it).
pub fn qualified(text: &str) -> Option<Vec<String>> {
    let name = text.trim().trim_end_matches('.');
    let parts: Vec<&str> = name.split(['.', '/']).collect();
    let words = parts.iter().all(|p| {
        p.starts_with(|c: char| c.is_ascii_alphabetic())
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    (parts.len() >= 2 && words).then(|| parts.iter().map(|p| p.to_ascii_lowercase()).collect())
}

/// Whether input token `token` is another code of `family` than `code`.
pub fn other_member(family: &str, code: &str, token: &str) -> bool {
    token != code && token.len() > family.len() && token.starts_with(family)
}

/// The runs of ASCII letters, digits and `_` in `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// `(code, family)` in lower case, if `word` is a named code.
fn code_family(word: &str) -> Option<(String, String)> {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return None; // numbered codes have their own family
    }
    if word.ends_with("Exception") || word.ends_with("Error") {
        return None; // a type that sibling errors share, thrown with many messages
    }
    let lower = word.to_ascii_lowercase();
    if let Some(k) = word.find('_') {
        let joined = k > 0
            && word[k + 1..]
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic());
        return joined.then(|| (lower.clone(), lower[..=k].to_string()));
    }
    let humps: Vec<usize> = word
        .char_indices()
        .filter(|&(i, c)| {
            c.is_ascii_uppercase()
                && (i == 0 || !word[..i].ends_with(|p: char| p.is_ascii_uppercase()))
        })
        .map(|(i, _)| i)
        .collect();
    let compound = humps.len() >= MIN_HUMPS && humps[0] == 0;
    compound.then(|| (lower.clone(), lower[..humps[2]].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_and_joined_names_are_codes_with_their_family() {
        let text = "(StorageAccountAlreadyTaken) The storage account named <name> is taken. \
                    Request_BadRequest invalid_client AuthorizationFailed AADSTS50105 HTTPServer \
                    ClassNotFoundException OutOfMemoryError";
        let toks = [
            "storageaccountalreadytaken",
            "the",
            "request_badrequest",
            "invalid_client",
            "authorizationfailed",
            "aadsts50105",
        ];
        assert_eq!(
            named_codes(text, &toks),
            [
                (0, "storageaccount".to_string()),
                (2, "request_".to_string()),
                (3, "invalid_".to_string()),
            ]
        );
    }

    #[test]
    fn a_qualified_name_is_one_range_of_tokens() {
        let text = "java.lang.ClassNotFoundException: com.zentry.ledger.jdbc.LedgerDriver. \
                    See /var/log/x.log or 1.2.3";
        let toks = [
            "java",
            "lang",
            "classnotfoundexception",
            "com",
            "zentry",
            "ledger",
            "jdbc",
            "ledgerdriver",
            "see",
            "<path>",
            "or",
            "<num>",
        ];
        assert_eq!(qualified_names(text, &toks), [(0, 3), (3, 8)]);
        assert_eq!(
            qualified("org/acme/Driver."),
            Some(vec!["org".into(), "acme".into(), "driver".into()])
        );
        // a name longer than the tokens left (the tokeniser masked it) is not there
        assert_eq!(qualified_names("see a.b.c", &["see", "<url>"]), []);
        assert_eq!(qualified_names("a.b", &["a"]), []);
        assert_eq!(qualified("Driver"), None);
        assert_eq!(qualified("v1.2"), None);
        assert_eq!(qualified("no such host"), None);
    }

    #[test]
    fn another_member_is_a_longer_token_of_the_family() {
        let (family, code) = ("storageaccount", "storageaccountalreadytaken");
        assert!(other_member(family, code, "storageaccountalreadyexists"));
        assert!(!other_member(family, code, code));
        assert!(!other_member(family, code, "storageaccount"));
        assert!(!other_member(family, code, "storage"));
        assert!(other_member("invalid_", "invalid_client", "invalid_grant"));
    }
}
