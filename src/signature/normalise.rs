//! Normalisation of one line of text before tokenising: escapes undone, then
//! Unicode NFKC and lower case (`crate::text::fold`).
//!
//! Escapes undone, in one left-to-right pass (no backtracking):
//! - backslash escapes: `\n`, `\r`, `\t` become a space; `\"`, `\'`, `\\`, `\/` the
//!   character; `\uXXXX` the code point (a surrogate becomes a space);
//! - HTML entities: `&quot;`, `&amp;`, `&lt;`, `&gt;`, `&apos;`, `&nbsp;` (names in
//!   any case), `&#NN;` and `&#xHH;`; `&amp;` directly followed by another entity is
//!   decoded twice (double-escaped text);
//! - URL encoding: a run of `%XX` is decoded as UTF-8 (an invalid run becomes a
//!   space) and `+` becomes a space.

/// Undoes escapes, then folds (NFKC + lower case).
pub fn normalise(line: &str) -> String {
    let mut out = String::new();
    normalise_into(line, &mut out);
    out
}

/// [`normalise`] into `out` (cleared first), so that a reader of many lines
/// reuses one buffer: an ASCII line without escapes is only lower-cased.
pub fn normalise_into(line: &str, out: &mut String) {
    out.clear();
    let bytes = line.as_bytes();
    if line.is_ascii()
        && memchr::memchr3(b'\\', b'&', b'%', bytes).is_none()
        && memchr::memchr(b'+', bytes).is_none()
    {
        out.push_str(line);
        out.make_ascii_lowercase();
        return;
    }
    out.push_str(&crate::text::fold(&unescape(line)));
}

/// Undoes backslash, HTML and URL escapes (see the module docs).
pub fn unescape(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < c.len() {
        let (text, next) = match c[i] {
            '\\' => backslash(&c, i),
            '&' => entity(&c, i),
            '%' => percent(&c, i),
            '+' => (Some(' '.to_string()), i + 1),
            _ => (None, i + 1),
        };
        match text {
            Some(t) => out.push_str(&t),
            None => out.push(c[i]),
        }
        i = next;
    }
    out
}

fn backslash(c: &[char], i: usize) -> (Option<String>, usize) {
    let one = |ch: char| (Some(ch.to_string()), i + 2);
    match c.get(i + 1) {
        Some('n' | 'r' | 't') => one(' '),
        Some(&ch @ ('"' | '\'' | '\\' | '/')) => one(ch),
        Some('u') => match hex_value(c, i + 2, 4) {
            Some(v) => (Some(char::from_u32(v).unwrap_or(' ').to_string()), i + 6),
            None => (None, i + 1),
        },
        _ => (None, i + 1),
    }
}

fn hex_value(c: &[char], from: usize, len: usize) -> Option<u32> {
    let digits = c.get(from..from + len)?;
    digits
        .iter()
        .try_fold(0u32, |acc, ch| Some(acc * 16 + ch.to_digit(16)?))
}

/// An entity body after `&` at `from`: returns the text and the index after `;`.
fn entity_body(c: &[char], from: usize) -> Option<(char, usize)> {
    let end = (from..c.len().min(from + 10)).find(|&k| c[k] == ';')?;
    let name: String = c[from..end].iter().collect::<String>().to_ascii_lowercase();
    let ch = match name.as_str() {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = name.strip_prefix('#')?;
            let v = match num.strip_prefix('x') {
                Some(h) if !h.is_empty() && h.len() <= 6 => {
                    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    u32::from_str_radix(h, 16).ok()?
                }
                None if !num.is_empty() && num.len() <= 7 => {
                    if !num.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    num.parse().ok()?
                }
                _ => return None,
            };
            char::from_u32(v).unwrap_or(' ')
        }
    };
    Some((ch, end + 1))
}

fn entity(c: &[char], i: usize) -> (Option<String>, usize) {
    match entity_body(c, i + 1) {
        Some(('&', next)) => match entity_body(c, next) {
            Some((ch, after)) => (Some(ch.to_string()), after),
            None => (Some("&".into()), next),
        },
        Some((ch, next)) => (Some(ch.to_string()), next),
        None => (None, i + 1),
    }
}

fn percent(c: &[char], i: usize) -> (Option<String>, usize) {
    let mut bytes = Vec::new();
    let mut k = i;
    while c.get(k) == Some(&'%') {
        match hex_value(c, k + 1, 2) {
            Some(v) => bytes.push(v as u8),
            None => break,
        }
        k += 3;
    }
    if bytes.is_empty() {
        return (None, i + 1);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (Some(s), k),
        Err(_) => (Some(" ".into()), k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_backslash_html_and_url_escapes() {
        assert_eq!(unescape(r#"a\"b\nc\u0027d"#), "a\"b c'd");
        assert_eq!(
            unescape("&quot;x&quot; &amp;quot;y&#39; &#x41;"),
            "\"x\" \"y' A"
        );
        assert_eq!(
            unescape("on-premises%20mastered%3A+x"),
            "on-premises mastered: x"
        );
        assert_eq!(unescape("%C3%A9t%C3%A9 %FF"), "été  ");
        assert_eq!(unescape("100% & &bogus; \\q"), "100% & &bogus; \\q");
    }

    #[test]
    fn normalise_folds_case_and_width() {
        assert_eq!(normalise("Request_BadRequest"), "request_badrequest");
        assert_eq!(normalise("ＡＡＤＳＴＳ50105"), "aadsts50105");
    }
}
