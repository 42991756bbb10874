//! The words that error messages of every vendor share, as a built-in prior.
//!
//! A knowledge base of a few dozen articles cannot tell by its own counts that
//! `login`, `address` or `denied` are ordinary: each may occur in one error text of
//! the kb and so look as rare as a product's own word. [`COMMON`] is our list of
//! the words that error messages of any product use to say that something failed
//! and where (written for kbgen from the shape of error messages, not derived from
//! any word list). [`super::weights`] blends it with the kb's document frequencies:
//! a common word counts as found in [`COMMON_SHARE`] of [`PRIOR_DOCS`] virtual
//! error texts besides the kb's own, so its rarity is the same for a kb of 10
//! articles as for 10,000, where the kb's own counts dominate.
//! [`super::evidence`] does not count common words as specific evidence.
//! `signatures.json` carries the list (`common`) so that `match.js` uses the same.

use std::collections::HashSet;
use std::sync::OnceLock;

/// How many virtual error texts the prior stands for.
pub const PRIOR_DOCS: f64 = 100.0;
/// The share of those virtual error texts that hold a common word.
pub const COMMON_SHARE: f64 = 0.3;

/// Words that error messages of every vendor share (the framing words of
/// [`super::weights::STOPWORDS`] count as common too).
pub const COMMON: &[&str] = &[
    "access",
    "accessed",
    "account",
    "accounts",
    "action",
    "active",
    "address",
    "addresses",
    "already",
    "allowed",
    "application",
    "app",
    "argument",
    "attempt",
    "attempted",
    "authenticate",
    "authentication",
    "authorization",
    "authorized",
    "available",
    "bad",
    "because",
    "blocked",
    "call",
    "called",
    "canceled",
    "check",
    "closed",
    "command",
    "complete",
    "completed",
    "config",
    "configuration",
    "configured",
    "connect",
    "connected",
    "connection",
    "connections",
    "contact",
    "container",
    "could",
    "create",
    "created",
    "credentials",
    "current",
    "data",
    "database",
    "default",
    "denied",
    "device",
    "directory",
    "disabled",
    "does",
    "domain",
    "during",
    "enabled",
    "ensure",
    "exceeded",
    "exist",
    "exists",
    "expired",
    "failed",
    "field",
    "file",
    "files",
    "find",
    "found",
    "group",
    "handle",
    "host",
    "identity",
    "incorrect",
    "instance",
    "internal",
    "invalid",
    "key",
    "limit",
    "list",
    "load",
    "loaded",
    "local",
    "log",
    "logon",
    "login",
    "missing",
    "mode",
    "more",
    "name",
    "network",
    "new",
    "node",
    "none",
    "null",
    "object",
    "only",
    "open",
    "operation",
    "option",
    "out",
    "parameter",
    "password",
    "path",
    "permission",
    "permissions",
    "port",
    "process",
    "provided",
    "provider",
    "read",
    "refused",
    "remote",
    "required",
    "requested",
    "resource",
    "resources",
    "retry",
    "run",
    "running",
    "service",
    "services",
    "session",
    "set",
    "settings",
    "size",
    "specified",
    "start",
    "started",
    "state",
    "system",
    "target",
    "task",
    "timed",
    "timeout",
    "token",
    "type",
    "unexpected",
    "unknown",
    "update",
    "use",
    "used",
    "using",
    "valid",
    "version",
    "wait",
    "write",
    "you",
    "your",
    // vendor and platform names: the framing of every error one vendor prints
    "microsoft",
    "sql",
    "windows",
    "azure",
    "lang",
    "net",
    "docker",
    "linux",
    "google",
    "amazon",
    "aws",
    "oracle",
    "forbidden",
    "unauthorized",
    "rejected",
    "terminated",
    "reached",
    "reset",
    "permitted",
    "unavailable",
];

/// Whether `token` is a common word (a set lookup; framing words included).
pub fn is_common(token: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, foldhash::fast::FixedState>> = OnceLock::new();
    super::weights::is_stopword(token)
        || SET
            .get_or_init(|| COMMON.iter().copied().collect())
            .contains(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_error_words_are_common_and_product_words_are_not() {
        for w in [
            "login", "address", "denied", "timeout", "user", "the", "failed",
        ] {
            assert!(is_common(w), "{w}");
        }
        for w in ["prelogin", "handshake", "tempdb", "kubelet", "aadsts50020"] {
            assert!(!is_common(w), "{w}");
        }
        assert!(COMMON.len() >= 150, "{}", COMMON.len());
        let mut sorted = COMMON.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), COMMON.len(), "duplicates in COMMON");
    }
}
