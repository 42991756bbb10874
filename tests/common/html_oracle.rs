//! A small checker for HTML that kbgen produced from article text: every tag is one
//! Markdown can make, no attribute is an event handler or a style, and every link or
//! image target is http(s), mailto: or relative. Shared by the property tests and
//! the cargo-fuzz targets (`#[path]`-included there).

/// Tags the Markdown renderer may emit.
const TAGS: &[&str] = &[
    "a",
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "br",
    "del",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "sup",
    "sub",
    "input",
    "div",
    "section",
    "dl",
    "dt",
    "dd",
];
const ATTRIBUTES: &[&str] = &[
    "href",
    "title",
    "rel",
    "src",
    "alt",
    "class",
    "start",
    "align",
    "type",
    "checked",
    "disabled",
    "id",
    "colspan",
    "rowspan",
    "lang",
    "dir",
    "data-footnote-ref",
];

/// The first problem in `html`, if any.
pub fn problem(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let closing = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            if body.starts_with('!') || body.starts_with('?') {
                return Some(format!("markup declaration or comment: <{}", head(body)));
            }
            continue; // `<` followed by a space or digit is not a tag to a browser
        }
        if !TAGS.contains(&name.as_str()) {
            return Some(format!("tag <{}{name}>", if closing { "/" } else { "" }));
        }
        let end = body.find('>').unwrap_or(body.len());
        if let Some(p) = attributes(&body[name.len()..end]) {
            return Some(format!("<{name}>: {p}"));
        }
        rest = &body[end..];
    }
    None
}

fn head(s: &str) -> &str {
    let end = s.char_indices().nth(40).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Checks `name="value"` pairs (kbgen always double-quotes and escapes `"`).
fn attributes(mut s: &str) -> Option<String> {
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return None;
        }
        let name_end = s
            .find(|c: char| c == '=' || c.is_whitespace() || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        if !ATTRIBUTES.contains(&name.as_str()) {
            return Some(format!("attribute {name}"));
        }
        s = &s[name_end..];
        let Some(after_eq) = s.strip_prefix("=\"") else {
            if s.starts_with('=') {
                return Some(format!("unquoted value for {name}"));
            }
            continue;
        };
        let close = after_eq.find('"')?;
        let value = &after_eq[..close];
        if (name == "href" || name == "src") && !safe_url(value) {
            return Some(format!("{name}=\"{value}\""));
        }
        s = &after_eq[close + 1..];
    }
}

/// http(s), mailto: or a relative URL, read the way a browser would (entities decoded,
/// tabs and newlines dropped, case folded).
fn safe_url(escaped: &str) -> bool {
    let Some(decoded) = decode_entities(escaped) else {
        return false; // an entity kbgen never writes: something was passed through
    };
    let url: String = decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    if url.chars().any(char::is_control) {
        return false;
    }
    // `//host/x` (and the backslash forms browsers read the same way) leaves the site.
    if ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|p| url.starts_with(p))
    {
        return false;
    }
    match url.find(':') {
        None => true,
        Some(colon) => {
            let before = &url[..colon];
            // Only `[a-z][a-z0-9+.-]*` before the `:` is a scheme; anything else
            // (`%3ejavascript:`, `a/b:c`) is a relative path to a browser.
            let scheme = before.starts_with(|c: char| c.is_ascii_alphabetic())
                && before
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            !scheme || matches!(before, "http" | "https" | "mailto")
        }
    }
}

/// Decodes the five entities HTML escaping writes, in one pass; `None` for any other.
fn decode_entities(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (entity, ch) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
        ]
        .into_iter()
        .find(|(e, _)| rest.starts_with(e))?;
        out.push(ch);
        rest = &rest[entity.len()..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
#[allow(dead_code)]
pub fn self_test() {
    assert!(problem("<p>a <a href=\"https://x\">b</a></p>").is_none());
    assert!(problem("<img src=x onerror=alert(1)>").is_some());
    assert!(problem("<a href=\"javascript:alert(1)\">x</a>").is_some());
    assert!(problem("<a href=\"JaVa&#x09;script:x\">x</a>").is_some());
    assert!(problem("<script>alert(1)</script>").is_some());
    assert!(problem("<!-- x -->").is_some());
    assert!(problem("1 &lt; 2 and a < b").is_none());
    assert!(problem("<a href=\"//evil.example/x\">x</a>").is_some());
    assert!(problem("<img src=\"/\\evil.example/x\">").is_some());
    assert!(problem("<a href=\"../articles/a/\">x</a>").is_none());
}
