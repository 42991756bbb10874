//! Markup an article may not keep: Microsoft Learn extensions (`[!INCLUDE …]`,
//! `:::image …:::`, `> [!NOTE]` alerts, `<a name>` anchors) and raw HTML, which
//! `kbgen check` refuses in Markdown fields. Each becomes plain Markdown or is
//! dropped with a note.

use pulldown_cmark::{Event, Parser};

/// `body` with Learn markup made plain, and a note for everything dropped.
pub fn clean_learn(body: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let (mut fence, mut in_image, mut comment) = (false, false, false);
    for line in body.lines() {
        if !fence && (comment || line.trim_start().starts_with("<!--")) {
            comment = !line.contains("-->");
            let after = line.rsplit_once("-->").map_or("", |(_, a)| a);
            if after.trim().is_empty() {
                continue;
            }
        }
        if in_code(line, &mut fence) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let t = line.trim_start();
        if in_image {
            in_image = !t.starts_with(":::image-end:::");
            continue;
        }
        if t.starts_with("[!INCLUDE") || t.starts_with("[!include") {
            notes.push(format!("dropped the include `{}`", short(t)));
            continue;
        }
        if t.starts_with(":::") {
            in_image = t.contains("type=\"complex\"") && !t.contains(":::image-end:::");
            notes.push(if t.starts_with(":::image") {
                format!("dropped the image `{}`", short(attr(t, "source")))
            } else {
                format!("dropped the directive `{}`", short(t))
            });
            continue;
        }
        let line = alert(&line.replace("&nbsp;", " "));
        let (line, anchors) = drop_anchors(&line);
        if anchors && line.trim().is_empty() {
            continue;
        }
        out.push_str(&line);
        out.push('\n');
    }
    (out, notes)
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    s.replace('`', "'")
}

/// The value of `name="…"` in a Learn directive.
fn attr<'a>(t: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    t.find(&key)
        .map(|at| &t[at + key.len()..])
        .and_then(|r| r.split('"').next())
        .unwrap_or(t)
}

/// `> [!NOTE]` → `> **Note:**`.
fn alert(line: &str) -> String {
    let t = line.trim_start();
    let Some(rest) = t.strip_prefix('>') else {
        return line.to_string();
    };
    let rest = rest.trim();
    for kind in ["NOTE", "TIP", "IMPORTANT", "CAUTION", "WARNING"] {
        if rest.eq_ignore_ascii_case(&format!("[!{kind}]")) {
            let word = kind[..1].to_string() + &kind[1..].to_lowercase();
            return format!("> **{word}:**");
        }
    }
    line.to_string()
}

/// The line without `<a name="…"></a>` / `<a id="…"></a>` anchors.
fn drop_anchors(line: &str) -> (String, bool) {
    let mut out = line.to_string();
    let mut found = false;
    while let Some(at) = out.find("<a name=").or_else(|| out.find("<a id=")) {
        let end = match out[at..].find("</a>") {
            Some(e) => at + e + 4,
            None => match out[at..].find('>') {
                Some(e) => at + e + 1,
                None => break,
            },
        };
        out.replace_range(at..end, "");
        found = true;
    }
    (out, found)
}

/// Elements whose tags are removed from Markdown (their text is kept); any other
/// `<word>` is a placeholder such as `<Region>` and is escaped.
const HTML_TAGS: &[&str] = &[
    "a",
    "b",
    "br",
    "strong",
    "i",
    "em",
    "u",
    "sup",
    "sub",
    "span",
    "div",
    "p",
    "img",
    "kbd",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "font",
    "center",
    "small",
    "big",
    "del",
    "ins",
    "mark",
    "details",
    "summary",
    "blockquote",
    "section",
    "article",
    "iframe",
    "video",
    "script",
    "style",
    "dl",
    "dt",
    "dd",
    "caption",
    "colgroup",
    "col",
    "tt",
    "var",
    "s",
    "strike",
];

/// `markdown` without raw HTML: known tags are removed, comments dropped, and any
/// other `<…>` escaped so it reads as text.
pub fn strip_html(markdown: &str) -> String {
    let mut text = markdown.to_string();
    for _ in 0..3 {
        let ranges: Vec<_> = Parser::new(&text)
            .into_offset_iter()
            .filter(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
            .map(|(_, r)| r)
            .collect();
        if ranges.is_empty() {
            break;
        }
        for r in ranges.into_iter().rev() {
            let fixed = plain_tags(&text[r.clone()]);
            text.replace_range(r, &fixed);
        }
    }
    text
}

fn plain_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if tag.starts_with("<!--") {
            let close = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[close..];
            continue;
        }
        if HTML_TAGS.contains(&name.as_str()) && end > 1 {
            if name == "br" || name == "p" || name == "div" || name == "li" {
                out.push(' ');
            }
        } else {
            out.push('\\');
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether `line` is a code fence or inside one (`fence` says whether a fence is
/// open, and is toggled by a fence line).
pub fn in_code(line: &str, fence: &mut bool) -> bool {
    let t = line.trim_start();
    let marker = t.starts_with("```") || t.starts_with("~~~");
    *fence ^= marker;
    marker || *fence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learn_markup_becomes_plain() {
        let src = "<!-- a\nnote -->\n<a name=\"top\"></a>\n[!INCLUDE [x](../includes/x.md)]\n> [!NOTE]\n> Restart.\n:::image type=\"content\" source=\"media/a.png\" alt-text=\"A\":::\n```\n[!INCLUDE kept in code]\n```\n";
        let (out, notes) = clean_learn(src);
        assert_eq!(
            out,
            "> **Note:**\n> Restart.\n```\n[!INCLUDE kept in code]\n```\n"
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[1].contains("media/a.png"), "{notes:?}");
        let (_, notes) = clean_learn(":::zone target=\"docs\"\n");
        assert_eq!(notes, ["dropped the directive `:::zone target=\"docs\"`"]);
    }

    #[test]
    fn html_is_removed_and_placeholders_escaped() {
        let out = strip_html("Use <b>East</b> in <Region>.\n\n<div>\nblock\n</div>\n");
        assert!(crate::validate::first_html(&out).is_none(), "{out}");
        assert!(out.contains("Use East in \\<Region>."), "{out}");
    }
}
