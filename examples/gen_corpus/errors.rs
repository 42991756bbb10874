//! Error texts as authors paste them (with `<placeholder>` for private values), and
//! the same texts with the placeholders filled in, as they show up in a real log.

use crate::pools::*;
use crate::rng::Rng;

/// What an error text is about: the article's own product, verb and object.
pub struct Topic<'a> {
    pub product: &'a str,
    pub verb: &'a str,
    pub object: &'a str,
    pub component: &'a str,
}

const LEADS: &[&str] = &[
    "Unable to",
    "Could not",
    "Failed to",
    "Not allowed to",
    "Timed out trying to",
];

const QUALIFIERS: &[&str] = &[
    "for on-premises mastered directory objects",
    "while the tenant is in read-only mode",
    "because the value is not unique in the target directory",
    "with the supplied credentials",
    "before the token expired",
    "for the requested scope",
    "because the object is undergoing migration",
    "as the caller lacks the required privilege",
    "because the request exceeded the rate limit",
    "due to an invalid signature on the request",
    "since the referenced object no longer exists",
    "because the certificate chain could not be validated",
];

fn message(rng: &mut Rng, t: &Topic) -> String {
    format!(
        "{} {} the specified {} {}",
        rng.pick(LEADS),
        t.verb,
        t.object,
        rng.pick(QUALIFIERS)
    )
}

fn upper_hex(rng: &mut Rng, len: usize) -> String {
    rng.hex(len).to_uppercase()
}

/// One error text with placeholders; codes are random so each article's error is
/// its own, as in a real knowledge base.
pub fn error_text(rng: &mut Rng, t: &Topic) -> String {
    let msg = message(rng, t);
    match rng.below(8) {
        0 => format!(
            "AADSTS{}: {msg}. Trace ID: <trace-id> Correlation ID: <correlation-id> Timestamp: <timestamp>",
            rng.range(50000, 900999)
        ),
        1 => {
            let status = rng.pick(&[400, 401, 403, 404, 409, 429, 500, 503]);
            format!(
                "Automatic profile push of user <firstname> <lastname> to app {p} failed: Could not {v} {o} for {p} user received error: Received response with HTTP status code {status}. httpStatusCode={status} errorCode={c} errorMessage=\"{msg}.\" client-request-id=<client-request-id> request-id=<request-id> timestamp='<timestamp>'",
                p = t.product,
                v = t.verb,
                o = t.object,
                c = rng.pick(CODE_WORDS),
            )
        }
        2 => format!(
            "E0000{}: {msg} (errorId: <error-id>, user: <email>)",
            rng.digits(3)
        ),
        3 => format!(
            "Error 0x8007{}: {msg}. Event ID {}, source {}.",
            upper_hex(rng, 4),
            rng.range(1000, 9999),
            t.component
        ),
        4 => {
            let pkg = rng.pick(JAVA_PACKAGES);
            let exc = rng.pick(EXCEPTIONS);
            let code = format!("{}-{}", upper_hex(rng, 3), rng.digits(4));
            format!(
                "{pkg}.{exc}: {msg} [code={code}]\n    at {pkg}.SyncTask.run(SyncTask.java:{})\n    at {pkg}.Worker.process(Worker.java:{})\n    at java.base/java.lang.Thread.run(Thread.java:1583)",
                rng.range(40, 900),
                rng.range(40, 900)
            )
        }
        5 => format!(
            "{{\"error\":\"{}\",\"error_description\":\"{}{}: {msg}\",\"trace_id\":\"<trace-id>\"}}",
            rng.pick(CODE_WORDS),
            upper_hex(rng, 3),
            rng.digits(5)
        ),
        6 => format!(
            "LDAP: error code {} - {}: {msg}, data {}, v{}",
            rng.range(10, 80),
            upper_hex(rng, 8),
            rng.hex(3),
            rng.range(1000, 4999)
        ),
        _ => format!(
            "The SAML response was rejected (SAML-{}): {msg}. InResponseTo: <request-id>, IssueInstant: <timestamp>, Destination: <url>",
            rng.digits(5)
        ),
    }
}

/// The error text as a user would see it: every `<placeholder>` replaced by a
/// plausible value (ids, timestamps, names, e-mail addresses, URLs).
pub fn fill(rng: &mut Rng, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        out.push_str(&value_for(rng, name));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

fn value_for(rng: &mut Rng, name: &str) -> String {
    let first = rng.pick(FIRST_NAMES).to_string();
    let last = rng.pick(LAST_NAMES).to_string();
    match name {
        "timestamp" => format!(
            "2026-{:02}-{:02} {:02}:{:02}:{:02}Z",
            rng.range(1, 12),
            rng.range(1, 28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        ),
        "firstname" => first,
        "lastname" => last,
        "email" | "user" => format!("{}.{}@example.com", first, last).to_lowercase(),
        "url" => format!("https://idp{}.example.com/sso/saml", rng.below(100)),
        _ => rng.uuid(),
    }
}
