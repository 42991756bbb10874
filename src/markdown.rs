//! Markdown from articles to HTML, safely: raw HTML is shown as text, link and image
//! URLs are limited to http, https, mailto and relative ones (a protocol-relative
//! `//host/x` is not relative: it names another site), external links get
//! `rel="noopener noreferrer"`, and headings are demoted below the page's own.
//!
//! This is the only HTML from content that templates print unescaped.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// Markdown headings start at this level (`#` becomes `<h3>`), below the article's
/// `<h1>` title and `<h2>` section headings, so the page keeps its heading order.
const HEADING_OFFSET: usize = 2;

/// Renders block Markdown (paragraphs, lists, code blocks) to HTML.
pub fn to_html(markdown: &str) -> String {
    render(markdown, false)
}

/// Renders Markdown for a list item or a short line: a lone paragraph is not wrapped
/// in `<p>` (several blocks still are).
pub fn to_html_inline(markdown: &str) -> String {
    render(markdown, true)
}

fn render(markdown: &str, inline: bool) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut rw = Rewriter::default();
    for event in Parser::new_ext(markdown, options) {
        if rw.in_image > 0 {
            rw.alt_text(event);
        } else {
            rw.push(event);
        }
    }
    let mut events = rw.events;
    if inline {
        unwrap_lone_paragraph(&mut events);
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out.trim_end().to_string()
}

/// Rewrites parser events into safe ones.
#[derive(Default)]
struct Rewriter<'a> {
    events: Vec<Event<'a>>,
    /// The closing tag of each open link or image (`None`: dropped, shown as text).
    closers: Vec<Option<&'static str>>,
    /// Depth of images being read: their content is alt text.
    in_image: usize,
}

impl<'a> Rewriter<'a> {
    fn push(&mut self, event: Event<'a>) {
        match event {
            // Raw HTML is never passed through: it becomes visible text.
            Event::Html(s) | Event::InlineHtml(s) => self.events.push(Event::Text(s)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                // `<help@example.com>` gives the bare address; the href needs the scheme.
                let dest_url = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}").into(),
                    _ => dest_url,
                };
                self.open(open_link(&dest_url, &title))
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                self.in_image += 1;
                self.open(open_image(&dest_url, &title));
            }
            Event::End(TagEnd::Link) => self.close(),
            Event::Start(Tag::Heading { level, .. }) => {
                self.events.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.events.push(Event::End(TagEnd::Heading(demote(level))))
            }
            other => self.events.push(other),
        }
    }

    /// Inside an image: alt text is an attribute, so only its plain text is kept.
    fn alt_text(&mut self, event: Event<'a>) {
        match event {
            Event::End(TagEnd::Image) => {
                self.in_image -= 1;
                self.close();
            }
            Event::Start(Tag::Image { .. }) => {
                self.in_image += 1;
                self.closers.push(None);
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                // Escaped here: the HTML writer leaves `"` alone in text.
                self.events.push(Event::InlineHtml(escape(&t).into()))
            }
            _ => {}
        }
    }

    fn open(&mut self, (open, close): (Option<String>, Option<&'static str>)) {
        self.events
            .extend(open.map(|h| Event::InlineHtml(h.into())));
        self.closers.push(close);
    }

    fn close(&mut self) {
        if let Some(Some(close)) = self.closers.pop() {
            self.events.push(Event::InlineHtml(CowStr::Borrowed(close)));
        }
    }
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + HEADING_OFFSET).min(6)).unwrap_or(HeadingLevel::H6)
}

/// Drops `<p>` … `</p>` when the whole text is one paragraph.
fn unwrap_lone_paragraph(events: &mut Vec<Event>) {
    let lone = matches!(events.first(), Some(Event::Start(Tag::Paragraph)))
        && matches!(events.last(), Some(Event::End(TagEnd::Paragraph)))
        && events
            .iter()
            .filter(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            .count()
            == 1;
    if lone {
        events.pop();
        events.remove(0);
    }
}

/// What kind of destination a link has, after the checks browsers would do. The one
/// rule for the renderer and for validation (`validate::rules`), so a link the
/// site would drop is always the link `kbgen check` warns about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dest {
    /// No scheme: a path, `#fragment` or `?query` on this site.
    Relative,
    /// http or https.
    External,
    Mailto,
    /// `//host/x` (or `\\host`, `/\host`: browsers read `\` as `/`): another site
    /// with no scheme to check; refused, like any scheme but http(s).
    ProtocolRelative,
    /// Any other scheme (javascript:, data:, vbscript:, file: …) or a suspicious URL.
    Refused,
}

impl Dest {
    /// Whether the site keeps a link (or an image: remote ones become links) to it.
    pub(crate) fn is_kept(self, image: bool) -> bool {
        match self {
            Dest::Relative | Dest::External => true,
            Dest::Mailto => !image,
            Dest::ProtocolRelative | Dest::Refused => false,
        }
    }
}

pub(crate) fn classify(url: &str) -> Dest {
    // Browsers ignore tabs and newlines inside URLs and trim spaces/controls, so
    // `java\tscript:` is a script URL: refuse anything with controls in it.
    if url.chars().any(|c| c.is_control()) {
        return Dest::Refused;
    }
    let url = url.trim();
    if url.len() >= 2 && url.bytes().take(2).all(|b| b == b'/' || b == b'\\') {
        return Dest::ProtocolRelative;
    }
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    match scheme_end {
        Some(i) if i > 0 && url[i..].starts_with(':') => {
            match url[..i].to_ascii_lowercase().as_str() {
                "http" | "https" => Dest::External,
                "mailto" => Dest::Mailto,
                _ => Dest::Refused,
            }
        }
        _ => Dest::Relative,
    }
}

/// The opening tag for a link and its closing tag; refused links become plain text.
fn open_link(url: &str, title: &str) -> (Option<String>, Option<&'static str>) {
    let rel = match classify(url) {
        Dest::Refused | Dest::ProtocolRelative => return (None, None),
        Dest::External => " rel=\"noopener noreferrer\"",
        Dest::Relative | Dest::Mailto => "",
    };
    let title = title_attr(title);
    (
        Some(format!("<a href=\"{}\"{title}{rel}>", escape(&href(url)))),
        Some("</a>"),
    )
}

/// Images on this site stay images; remote images would be a request leaving the
/// site (and the page's CSP blocks them), so they become links; others plain text.
fn open_image(url: &str, title: &str) -> (Option<String>, Option<&'static str>) {
    match classify(url) {
        Dest::Relative => {
            let title = title_attr(title);
            // The alt text is the image's text content; close the attribute after it.
            (
                Some(format!("<img src=\"{}\"{title} alt=\"", escape(&href(url)))),
                Some("\">"),
            )
        }
        Dest::External => open_link(url, title),
        Dest::Mailto | Dest::ProtocolRelative | Dest::Refused => (None, None),
    }
}

/// ` title="…"`, or nothing for an empty title.
fn title_attr(title: &str) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    }
}

/// `url` trimmed, with the characters a URL may not hold (controls, space, `"`, `<`,
/// `>`, backtick, `{`, `}`, `|`, `\\`, `^`) percent-encoded, so an href is a valid URL;
/// `%` is left alone, so encoded URLs are not encoded twice.
pub fn href(url: &str) -> String {
    const INVALID: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'|')
        .add(b'\\')
        .add(b'^');
    percent_encoding::utf8_percent_encode(url.trim(), INVALID).to_string()
}

/// Escapes text for HTML content and double- or single-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_links_become_plain_text() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let html = to_html_inline(&format!("[click]({url})"));
            assert_eq!(html, "click", "{url}");
        }
        let html = to_html_inline("[x](<java\tscript:alert(1)>)");
        assert!(!html.contains("href"), "{html}");
    }

    /// Regression: `//evil.example/x` was kept as a link (rel="noopener"), though it
    /// names another site without a scheme the rules could check.
    #[test]
    fn protocol_relative_links_become_plain_text() {
        for url in [
            "//evil.example/x",
            " //evil.example",
            "\\\\evil.example",
            "/\\evil",
            "\\/evil",
        ] {
            assert_eq!(classify(url), Dest::ProtocolRelative, "{url:?}");
        }
        // Markdown undoes backslash escapes: the text `/\\evil` is the URL `/\evil`.
        for url in ["//evil.example/x", "/\\\\evil"] {
            assert_eq!(
                to_html_inline(&format!("[click]({url})")),
                "click",
                "{url:?}"
            );
            assert_eq!(to_html_inline(&format!("![img]({url})")), "img", "{url:?}");
        }
        let html = to_html("A [ref][r].\n\n[r]: //evil.example/x\n");
        assert!(!html.contains("href"), "{html}");
        assert_eq!(classify("/x/y"), Dest::Relative);
        assert_eq!(classify("./x//y"), Dest::Relative);
    }

    #[test]
    fn allowed_links_keep_their_target() {
        assert_eq!(
            to_html_inline("[MS](https://learn.microsoft.com/a?b=1&c=2)"),
            "<a href=\"https://learn.microsoft.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">MS</a>"
        );
        assert_eq!(
            to_html_inline("[other](../other-id/)"),
            "<a href=\"../other-id/\">other</a>"
        );
        assert_eq!(
            to_html_inline("<mailto:help@example.com>"),
            "<a href=\"mailto:help@example.com\">mailto:help@example.com</a>"
        );
    }

    /// Regression: `[x](?q=<b>)` gave `href="?q=&lt;b&gt;"`: inert, but not a valid URL.
    #[test]
    fn hrefs_percent_encode_characters_urls_may_not_hold() {
        assert_eq!(
            to_html_inline("[q](?q=<b>&c=\"d\"#e%20f)"),
            "<a href=\"?q=%3Cb%3E&amp;c=%22d%22#e%20f\">q</a>"
        );
    }

    /// Regression: `<help@example.com>` linked to the relative page `help@example.com`.
    #[test]
    fn email_autolinks_get_a_mailto_href() {
        assert_eq!(
            to_html_inline("<help@example.com>"),
            "<a href=\"mailto:help@example.com\">help@example.com</a>"
        );
    }

    #[test]
    fn images_never_load_from_elsewhere() {
        let html = to_html_inline("![diagram](https://cdn.example/x.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("href=\"https://cdn.example/x.png\""),
            "{html}"
        );
        let html = to_html_inline("![a \"b\"](img/x.png)");
        assert_eq!(html, "<img src=\"img/x.png\" alt=\"a &quot;b&quot;\">");
        assert_eq!(to_html_inline("![x](javascript:alert(1))"), "x");
        let html = to_html_inline("![**b** [l](javascript:x) <i>](p.png)");
        assert_eq!(html, "<img src=\"p.png\" alt=\"b l &lt;i&gt;\">");
    }

    #[test]
    fn inline_drops_lone_paragraph_only() {
        assert_eq!(
            to_html_inline("Save the **changes**."),
            "Save the <strong>changes</strong>."
        );
        let two = to_html_inline("One.\n\nTwo.");
        assert_eq!(two, "<p>One.</p>\n<p>Two.</p>");
        assert_eq!(to_html("One."), "<p>One.</p>");
    }

    #[test]
    fn headings_are_demoted() {
        assert_eq!(to_html("# Title"), "<h3>Title</h3>");
        assert_eq!(to_html("##### Deep"), "<h6>Deep</h6>");
    }
}
