//! The words that error messages of every vendor share, and how common they are
//! taken to be before the knowledge base says anything.
//!
//! In a kb of a hundred articles a word such as `login` or `address` is in two or
//! three error texts, so its document frequency alone makes it look rare; in the
//! world's error messages it is everywhere. [`COMMON`] is a built-in prior, written
//! for kbgen from the vocabulary of error messages (no list was copied): each of
//! these words counts as present in [`COMMON_SHARE`] of [`BACKGROUND`] background
//! signatures, added to the kb's own counts ([`super::weights::idf`]), so a common
//! word weighs little in a kb of 10 articles as in one of 10,000, and a word the kb
//! repeats everywhere still loses weight as before. Common words are never
//! *specific* evidence ([`super::evidence`]).

use std::collections::HashSet;
use std::sync::OnceLock;

/// Background signatures the prior stands for.
pub const BACKGROUND: f64 = 200.0;
/// Share of the background signatures that hold a common word.
pub const COMMON_SHARE: f64 = 0.5;

/// Words that say that something went wrong somewhere, not what: shared by the
/// error messages of every product (with the resources every platform runs out
/// of, `cpu`, `memory`, `disk`, `space`, `quota`, and their allocation), with the
/// platform names that every error of a platform prints (`microsoft`, `java`,
/// `lang`) and the keys and codes of the OAuth error response that every identity
/// provider sends. Lower case, spelled as [`super::spelling`] leaves them.
pub const COMMON: &[&str] = &[
    "abort",
    "aborted",
    "access",
    "access_denied",
    "account",
    "action",
    "active",
    "add",
    "address",
    "allocate",
    "allocated",
    "allocation",
    "allowed",
    "already",
    "amazon",
    "application",
    "argument",
    "attempt",
    "attempted",
    "attempting",
    "authentication",
    "available",
    "aws",
    "azure",
    "bad",
    "because",
    "before",
    "call",
    "called",
    "canceled",
    "capacity",
    "cause",
    "caused",
    "check",
    "closed",
    "command",
    "complete",
    "completed",
    "configuration",
    "configured",
    "connect",
    "connected",
    "connection",
    "contact",
    "correlation_id",
    "cpu",
    "create",
    "created",
    "current",
    "currently",
    "data",
    "database",
    "default",
    "denied",
    "device",
    "directory",
    "disabled",
    "disk",
    "docker",
    "domain",
    "during",
    "enabled",
    "ensure",
    "error_codes",
    "error_description",
    "exceeded",
    "exist",
    "exists",
    "exit",
    "expected",
    "expired",
    "file",
    "find",
    "following",
    "forbidden",
    "found",
    "free",
    "full",
    "further",
    "given",
    "google",
    "group",
    "handle",
    "host",
    "image",
    "information",
    "instance",
    "insufficient",
    "internal",
    "invalid",
    "invalid_client",
    "invalid_grant",
    "invalid_request",
    "issue",
    "java",
    "javax",
    "key",
    "lang",
    "later",
    "limit",
    "linux",
    "list",
    "load",
    "local",
    "location",
    "log",
    "login",
    "logon",
    "made",
    "make",
    "memory",
    "microsoft",
    "missing",
    "more",
    "name",
    "need",
    "net",
    "network",
    "new",
    "node",
    "none",
    "null",
    "number",
    "object",
    "one",
    "only",
    "open",
    "operation",
    "option",
    "oracle",
    "password",
    "path",
    "permission",
    "permissions",
    "port",
    "process",
    "property",
    "provided",
    "python",
    "quota",
    "read",
    "refused",
    "remote",
    "required",
    "requires",
    "resource",
    "retry",
    "run",
    "running",
    "security",
    "see",
    "service",
    "session",
    "set",
    "setting",
    "settings",
    "sign",
    "size",
    "space",
    "specified",
    "sql",
    "start",
    "started",
    "state",
    "stopped",
    "storage",
    "succeeded",
    "successful",
    "support",
    "supported",
    "system",
    "target",
    "task",
    "timed",
    "timeout",
    "token",
    "trace_id",
    "type",
    "unauthorized",
    "unauthorized_client",
    "unavailable",
    "unexpected",
    "unknown",
    "update",
    "use",
    "used",
    "username",
    "using",
    "valid",
    "validation",
    "version",
    "wait",
    "windows",
    "write",
    "wrong",
    "you",
    "your",
];

/// Whether `token` is one of the [`COMMON`] words (a set lookup).
pub fn is_common(token: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, foldhash::fast::FixedState>> = OnceLock::new();
    SET.get_or_init(|| COMMON.iter().copied().collect())
        .contains(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_is_lower_case_sorted_and_has_no_duplicates() {
        assert!(COMMON.len() >= 140, "{}", COMMON.len());
        assert!(COMMON.windows(2).all(|p| p[0] < p[1]), "sorted, unique");
        assert!(
            COMMON
                .iter()
                .all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
        assert!(is_common("login") && is_common("address") && !is_common("aadsts50105"));
    }
}
