//! Error texts found in a source: code blocks, block quotes and inline code that
//! hold an error (a vendor code such as `AADSTS50105`, `0x80070005`, `Error 1603`,
//! an `…Exception`, `KubeletNotReady`, a "Code: … Message: …" pair) become `errors:`
//! entries verbatim, markup removed, variable values (GUIDs, timestamps, request and
//! correlation ids, e-mail addresses, `\<Region>` names) turned into `<placeholder>`s.

/// A code block longer than this keeps only its lines that hold an error.
const MAX_BLOCK_LINES: usize = 8;
/// Longest error text kept.
const MAX_CHARS: usize = 1000;

/// The error texts of `markdown`, in order, each once.
pub fn extract(markdown: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut push = |raw: &str| {
        for text in candidates(raw) {
            let t = placeholders(&plain(&text));
            if !t.is_empty() && t.chars().count() <= MAX_CHARS && !found.contains(&t) {
                found.push(t);
            }
        }
    };
    let (mut block, mut quote) = (None::<String>, String::new());
    for line in markdown.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            match block.take() {
                Some(b) => push(&b),
                None => block = Some(String::new()),
            }
            continue;
        }
        if let Some(b) = &mut block {
            b.push_str(line);
            b.push('\n');
            continue;
        }
        if let Some(q) = t.strip_prefix('>') {
            quote.push_str(q.trim_start_matches(['>', ' ']));
            quote.push('\n');
            continue;
        }
        if !quote.is_empty() {
            push(&std::mem::take(&mut quote));
        }
        for code in inline_code(line) {
            push(code);
        }
    }
    push(&quote);
    found
}

/// The parts of a block worth an entry: the whole block when short and holding an
/// error, else each line that holds one.
fn candidates(raw: &str) -> Vec<String> {
    let lines: Vec<&str> = raw.lines().filter(|l| !l.trim().is_empty()).collect();
    let lines: Vec<&str> = lines
        .into_iter()
        .filter(|l| !l.trim().starts_with("**Note:**"))
        .collect();
    if lines.is_empty() || !lines.iter().any(|l| is_error(l)) && !is_error(raw) {
        return Vec::new();
    }
    if lines.len() <= MAX_BLOCK_LINES {
        return vec![lines.join("\n")];
    }
    lines
        .into_iter()
        .filter(|l| is_error(l))
        .map(String::from)
        .collect()
}

fn inline_code(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// Whether `s` holds an error by one of the shapes above.
pub fn is_error(s: &str) -> bool {
    let lower = s.to_lowercase();
    if lower.contains("code:") && lower.contains("message:") || lower.contains("error:") {
        return true;
    }
    let words: Vec<&str> = s
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| is_code_word(w))
        || words.windows(2).any(|p| {
            let word = p[0].to_lowercase();
            (word == "error" || word == "code")
                && p[1].len() >= 3
                && p[1].bytes().all(|b| b.is_ascii_digit())
        })
}

const SUFFIXES: &[&str] = &[
    "NotReady",
    "Failed",
    "Failure",
    "Denied",
    "NotFound",
    "Forbidden",
    "BackOff",
    "Exceeded",
    "Invalid",
    "Unavailable",
    "Conflict",
    "Timeout",
    "Mismatch",
    "Error",
];

fn is_code_word(w: &str) -> bool {
    let w = w.trim_matches(['-', '_']);
    let hex = w.len() == 10
        && (w.starts_with("0x") || w.starts_with("0X"))
        && w[2..].bytes().all(|b| b.is_ascii_hexdigit());
    let letters = w.bytes().take_while(u8::is_ascii_uppercase).count();
    let rest = w[letters..].trim_start_matches('-');
    let vendor = letters >= 2 && rest.len() >= 3 && rest.bytes().all(|b| b.is_ascii_digit());
    let humps = w.bytes().filter(u8::is_ascii_uppercase).count();
    let camel = w.len() > 9
        && w.starts_with(|c: char| c.is_ascii_uppercase())
        && humps >= 2
        && w.bytes().any(|b| b.is_ascii_lowercase())
        && (w.ends_with("Exception")
            || SUFFIXES.iter().any(|s| w.ends_with(s) && w.len() > s.len()));
    hex || vendor || camel
}

/// Markup removed: emphasis markers, backticks, escapes; lines trimmed.
fn plain(s: &str) -> String {
    let lines: Vec<String> = s
        .lines()
        .map(|l| {
            l.replace("**", "")
                .replace('`', "")
                .replace("\\<", "<")
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// Variable values replaced by `<placeholder>`s.
pub fn placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        let at_word = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if at_word && let Some(n) = guid_len(&b[i..]) {
            out.push_str(&format!("<{}>", id_name(&out)));
            i += n;
        } else if at_word && let Some(n) = timestamp_len(&b[i..]) {
            out.push_str("<timestamp>");
            i += n;
        } else if b[i] == b'@'
            && let Some((start, n)) = email_span(s, i)
            && out.ends_with(&s[start..i])
        {
            out.truncate(out.len() - (i - start));
            out.push_str("<email>");
            i += n;
        } else {
            let c = s[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `<request-id>` after "Request ID:", `<correlation-id>` after "Correlation ID:" …,
/// else `<guid>`.
fn id_name(before: &str) -> String {
    let tail: String = before
        .chars()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = tail.to_lowercase().replace(['_', '-'], " ");
    let tail = tail.trim_end_matches([' ', ':', '"', '\'', '=', '[']);
    for label in [
        "request id",
        "correlation id",
        "trace id",
        "activity id",
        "session id",
        "tenant id",
        "subscription id",
        "object id",
        "client id",
        "app id",
    ] {
        let joined = label.replace(' ', "");
        if tail.ends_with(label) || tail.ends_with(&joined) {
            return label.replace(' ', "-");
        }
    }
    "guid".into()
}

fn guid_len(b: &[u8]) -> Option<usize> {
    let groups = [8, 4, 4, 4, 12];
    let mut i = 0;
    for (g, &n) in groups.iter().enumerate() {
        if b.len() < i + n || !b[i..i + n].iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        i += n;
        if g < 4 {
            (b.get(i) == Some(&b'-')).then_some(())?;
            i += 1;
        }
    }
    (b.get(i).is_none_or(|c| !c.is_ascii_alphanumeric())).then_some(i)
}

/// `2024-01-15T10:20:30.123Z` or `2024-01-15 10:20:30`.
fn timestamp_len(b: &[u8]) -> Option<usize> {
    let shape = b"dddd-dd-dd?dd:dd";
    if b.len() < shape.len() {
        return None;
    }
    for (c, s) in b.iter().zip(shape) {
        let ok = match s {
            b'd' => c.is_ascii_digit(),
            b'?' => *c == b'T' || *c == b' ',
            _ => c == s,
        };
        ok.then_some(())?;
    }
    let mut i = shape.len();
    while i < b.len() && (b[i].is_ascii_digit() || b":.Z+".contains(&b[i])) {
        i += 1;
    }
    Some(i)
}

/// (start, length from `at`) of the e-mail address whose `@` is at `at`.
fn email_span(s: &str, at: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let mut start = at;
    while start > 0 && local(b[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < b.len() && (b[end].is_ascii_alphanumeric() || b".-".contains(&b[end])) {
        end += 1;
    }
    let domain = s[at + 1..end].trim_end_matches('.');
    (start < at && domain.contains('.')).then_some((start, at + 1 + domain.len() - at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shapes_are_recognised() {
        for s in [
            "AADSTS50105: no",
            "HRESULT 0x80070005",
            "Error 1603 during",
            "System.IO.FileNotFoundException",
            "KubeletNotReady",
            "Code: X Message: Y",
            "ORA-00942 table",
        ] {
            assert!(is_error(s), "{s}");
        }
        for s in ["az vm list", "Restart the NotReady node", "ls -la"] {
            assert!(!is_error(s), "{s}");
        }
    }

    #[test]
    fn variable_values_become_placeholders() {
        let s = "Request Id: 0f3a1b2c-1111-2222-3333-444455556666 Timestamp: 2024-01-15 10:20:30Z by ann.lee@example.com in \\<Region>";
        assert_eq!(
            placeholders(&plain(s)),
            "Request Id: <request-id> Timestamp: <timestamp> by <email> in <Region>"
        );
    }

    #[test]
    fn blocks_quotes_and_inline_code_are_searched() {
        let md = "Run `az login`.\n\n```\nAADSTS50105: The signed in user is not assigned.\n```\n\n> **Error 1603** at setup\n\nSee `0x80070005`.\n";
        assert_eq!(
            extract(md),
            [
                "AADSTS50105: The signed in user is not assigned.",
                "Error 1603 at setup",
                "0x80070005"
            ]
        );
    }
}
