//! Token weights: rare tokens are strong evidence, framing is weak.
//!
//! A token's weight is `prior × idf`, with the BM25 form
//! `idf = ln(1 + (N − df + 0.5) / (df + 0.5))` over the N signatures of the
//! knowledge base (df: how many contain the token; 0 for input tokens no signature
//! has), so a token every signature shares weighs next to nothing. The prior is 0.2
//! for framing words ([`STOPWORDS`]: English function words and the vocabulary every
//! HTTP/API error shares), [`NUMBERED_PRIOR`] for numbered codes (four digits or more
//! with a letter: `aadsts50105`, `e0000001`, `0x80072030`: vendors reword messages
//! more often than codes), 1.5 for other codes (a digit or `_`: `request_badrequest`),
//! 1 otherwise. Mask tokens weigh [`MASK_WEIGHT`] whatever their frequency. In a
//! signature, tokens inside double quotes (usually the vendor's own message, the
//! part that says what went wrong) weigh [`QUOTE_BOOST`] times more than the framing
//! around them. Weights are rounded to four decimals so that Rust and JavaScript do
//! the same arithmetic on the same numbers.
//!
//! A token that a signature repeats counts less each time: its `k`-th occurrence in
//! the signature weighs `1/k` of its weight ([`repeated`]; masks excepted). A stack
//! trace repeats its package and class names on every frame; without this, frames
//! that hundreds of articles share outweigh the one line that says what went wrong,
//! and a log's unrelated stack trace would match them all.
//!
//! A stack frame says where something went wrong, not what: tokens on a frame line
//! of a signature ([`is_frame`]: `at com.okta.Worker.run(Worker.java:411)`, Python's
//! `File "…", line N`) weigh [`FRAME_PRIOR`] of their weight ([`placed`]). So the
//! exception line alone, as a reader pastes it, finds its article, and another
//! exception thrown from the same frames does not.

use super::common::{COMMON_SHARE, PRIOR_DOCS, is_common};
use super::tokens::MASKS;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Weight of a mask token (`<num>`, `<date>`, …).
pub const MASK_WEIGHT: f64 = 0.15;
/// Prior of a framing word.
pub const STOP_PRIOR: f64 = 0.2;
/// Prior of a code-shaped token.
pub const CODE_PRIOR: f64 = 1.5;
/// Prior of a numbered code.
pub const NUMBERED_PRIOR: f64 = 6.0;
/// Multiplier for signature tokens inside double quotes.
pub const QUOTE_BOOST: f64 = 2.5;

/// Multiplier for signature tokens on a stack-frame line.
pub const FRAME_PRIOR: f64 = 0.25;

/// Where a token sits in a signature, which scales its weight ([`placed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside double quotes: usually the vendor's message, what went wrong.
    Quoted,
    /// On a stack-frame line ([`is_frame`]): where it went wrong.
    Frame,
    Plain,
}

/// The weight `w` of a signature token for where it sits: [`QUOTE_BOOST`] times
/// more inside quotes, [`FRAME_PRIOR`] of it on a stack frame; masks keep theirs.
pub fn placed(token: &str, w: f64, place: Place) -> f64 {
    match place {
        _ if is_mask(token) => w,
        Place::Quoted => round4(w * QUOTE_BOOST),
        Place::Frame => round4(w * FRAME_PRIOR),
        Place::Plain => w,
    }
}

/// Whether a normalised line is a stack frame: `at` and a qualified name, a path,
/// or a place in parentheses with a line number (Java, .NET, JavaScript, and the
/// location lines of a Rust backtrace: `at com.okta.Worker.run(Worker.java:411)`,
/// `at async Object.<anonymous> (/app/x.js:1:2)`), or Python's `File "…", line N`.
/// Prose such as `at least 8 characters` is not.
pub fn is_frame(line: &str) -> bool {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("at ") {
        let mut words = rest.split_whitespace();
        let name = words.find(|w| !matches!(*w, "async" | "new"));
        let qualified = name.is_some_and(|w| w.contains(['.', '/', '\\', '(', '<']));
        // `at new Connection (/app/db.js:3:9)`: a place with a line number
        let placed = rest.split_once('(').is_some_and(|(_, at)| at.contains(':'));
        return qualified || placed;
    }
    line.starts_with("file \"") && line.contains("\", line ")
}

/// Framing words: they say that something failed, not what.
pub const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "may",
    "must",
    "no",
    "not",
    "of",
    "on",
    "or",
    "please",
    "should",
    "so",
    "than",
    "that",
    "the",
    "then",
    "there",
    "this",
    "to",
    "try",
    "unable",
    "was",
    "were",
    "when",
    "which",
    "while",
    "will",
    "with",
    "would",
    "again",
    "error",
    "errors",
    "failed",
    "failure",
    "fail",
    "fails",
    "exception",
    "message",
    "errormessage",
    "code",
    "errorcode",
    "status",
    "statuscode",
    "httpstatuscode",
    "http",
    "https",
    "request",
    "response",
    "received",
    "id",
    "client",
    "server",
    "user",
    "timestamp",
    "time",
    "date",
    "method",
    "url",
    "uri",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "value",
    "result",
    "reason",
    "details",
    "detail",
    "info",
    "warn",
    "warning",
    "debug",
    "trace",
    "fatal",
    "level",
    "occurred",
    "innererror",
    "correlation",
    "requestid",
    "traceid",
];

/// What kind of token a (non-mask) token is, for its prior.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Stop,
    Numbered,
    Code,
    Word,
}

/// Whether `token` is a framing word (a set lookup: this runs for every input token).
pub fn is_stopword(token: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, foldhash::fast::FixedState>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(token)
}

/// The class of a token (`match.js` has the same rules).
pub fn class(token: &str) -> Class {
    if is_stopword(token) {
        Class::Stop
    } else {
        shape_class(token)
    }
}

/// The class of a token known not to be a framing word, by its digits and `_`.
pub fn shape_class(token: &str) -> Class {
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 4 {
        Class::Numbered
    } else if digits > 0 || token.contains('_') {
        Class::Code
    } else {
        Class::Word
    }
}

/// The prior of a token's class.
pub fn prior(token: &str) -> f64 {
    match class(token) {
        Class::Stop => STOP_PRIOR,
        Class::Numbered => NUMBERED_PRIOR,
        Class::Code => CODE_PRIOR,
        Class::Word => 1.0,
    }
}

/// Whether `token` is a mask (its weight never depends on frequency).
pub fn is_mask(token: &str) -> bool {
    MASKS.contains(&token)
}

/// The inverse document frequency of a token found in `df` of `n` signatures.
pub fn idf(df: usize, n: usize) -> f64 {
    let (df, n) = (df as f64, n as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Rounds to four decimals (weights travel to `signatures.json`).
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The inverse document frequency of a common word ([`super::common`]) found in
/// `df` of `n` signatures: the kb's counts blended with the prior, as if the word
/// were also in [`COMMON_SHARE`] of [`PRIOR_DOCS`] more error texts.
pub fn common_idf(df: usize, n: usize) -> f64 {
    let df = df as f64 + PRIOR_DOCS * COMMON_SHARE;
    let n = n as f64 + PRIOR_DOCS;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The weight of a token found in `df` of `n` signatures (`df = 0`: unknown).
pub fn weight(token: &str, df: usize, n: usize) -> f64 {
    if is_mask(token) {
        MASK_WEIGHT
    } else if is_common(token) {
        round4(prior(token) * common_idf(df, n))
    } else {
        round4(prior(token) * idf(df, n))
    }
}

/// The weight of the `k`-th occurrence (1-based) of a token of weight `w` in one
/// signature: `w / k`, rounded like every weight; masks keep theirs.
pub fn repeated(token: &str, w: f64, k: u32) -> f64 {
    if k <= 1 || is_mask(token) {
        w
    } else {
        round4(w / f64::from(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_repeated_in_a_signature_counts_less_each_time() {
        assert_eq!(repeated("connector", 3.53, 1), 3.53);
        assert_eq!(repeated("connector", 3.53, 2), 1.765);
        assert_eq!(repeated("connector", 3.53, 3), 1.1767);
        assert_eq!(repeated("<num>", MASK_WEIGHT, 4), MASK_WEIGHT);
    }

    #[test]
    fn stack_frame_lines_are_told_from_prose() {
        for frame in [
            "    at com.okta.connector.worker.process(worker.java:411)",
            "\tat java.base/java.lang.thread.run(thread.java:1583)",
            "   at system.net.http.httpclient.sendasync() in c:\\src\\client.cs:line 42",
            "    at async object.<anonymous> (/app/index.js:10:5)",
            "    at new connection (/app/db.js:3:9)",
            "             at /rustc/1.80/library/std/src/panicking.rs:616:12",
            "  file \"/usr/lib/python3/site-packages/ldap3/core.py\", line 12, in bind",
        ] {
            assert!(is_frame(frame), "{frame}");
        }
        for prose in [
            "at least 8 characters are required",
            "the password must have at least one digit (0-9)",
            "at 10:00 the sync stopped",
            "com.okta.connector.sockettimeoutexception: timed out",
            "file not found: \"config.yaml\"",
        ] {
            assert!(!is_frame(prose), "{prose}");
        }
    }

    #[test]
    fn frames_weigh_less_and_quotes_more_but_masks_keep_theirs() {
        assert_eq!(placed("worker", 2.0, Place::Frame), 0.5);
        assert_eq!(placed("worker", 2.0, Place::Quoted), 5.0);
        assert_eq!(placed("worker", 2.0, Place::Plain), 2.0);
        assert_eq!(placed("<num>", MASK_WEIGHT, Place::Frame), MASK_WEIGHT);
        assert_eq!(placed("<num>", MASK_WEIGHT, Place::Quoted), MASK_WEIGHT);
    }

    #[test]
    fn rare_codes_outweigh_framing() {
        assert!(weight("aadsts50105", 1, 100) > weight("mastered", 1, 100));
        assert!(weight("mastered", 1, 100) > weight("mastered", 50, 100));
        assert!(weight("the", 1, 100) < weight("objects", 30, 100));
        assert_eq!(weight("<date>", 1, 100), MASK_WEIGHT);
    }

    #[test]
    fn a_common_word_stays_ordinary_in_a_small_kb() {
        // in 10 signatures, `address` once looks as rare as `kubelet` by the kb alone
        assert!(weight("address", 1, 10) < 0.7 * weight("kubelet", 1, 10));
        // in a large kb its own counts dominate
        let big = weight("address", 1000, 10_000);
        assert!((big - idf(1000, 10_000)).abs() < 0.05, "{big}");
    }
}
