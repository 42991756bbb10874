//! The small serialisable views templates see (never the model itself).
//!
//! Markdown fields arrive here already rendered by `markdown` (`*_html`); every
//! other string is plain text that the templates escape.

use crate::config::Settings;
use crate::markdown;
use crate::model::{Article, Audience, Date, Kb, Status, slugify};
use serde::Serialize;

/// Site-wide settings, as every page sees them.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: Option<String>,
    pub repo_url: Option<String>,
}

impl SiteView {
    pub fn new(s: &Settings) -> Self {
        SiteView {
            title: s.title.clone(),
            description: s.description.clone(),
            language: s.language.clone(),
            base_url: s.base_url.clone(),
            repo_url: s.repo_url.clone(),
        }
    }
}

/// A product or tag, with the slug of its page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TermLink {
    pub name: String,
    pub slug: String,
}

impl TermLink {
    pub fn new(name: &str) -> Self {
        TermLink {
            name: name.to_string(),
            slug: slugify(name),
        }
    }
}

/// A date for `<time>`: machine form and reader form.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2022-11-02`
    pub iso: String,
    /// `2 November 2022`
    pub human: String,
}

impl DateView {
    pub fn new(d: Date) -> Self {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS
            .get(usize::from(d.month).saturating_sub(1))
            .copied()
            .unwrap_or("");
        DateView {
            iso: d.to_string(),
            human: format!("{} {month} {}", d.day, d.year),
        }
    }
}

/// An article in a list: title, summary, facets and date.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCard {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    /// Relative to the site root, e.g. `articles/ID/`.
    pub url: String,
    pub products: Vec<TermLink>,
    pub tags: Vec<TermLink>,
    /// The last change: `updated`, else `created`.
    pub updated: Option<DateView>,
    /// "Updated" or "Published" (when only `created` is known).
    pub date_label: &'static str,
    /// `published`, `draft` (only in builds with drafts) or `retired`.
    pub status: &'static str,
    /// Only in the staff site.
    pub internal: bool,
}

impl ArticleCard {
    pub fn new(a: &Article) -> Self {
        ArticleCard {
            id: a.id.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            url: article_url(&a.id),
            products: a.products.iter().map(|p| TermLink::new(p)).collect(),
            tags: a.tags.iter().map(|t| TermLink::new(t)).collect(),
            updated: a.last_changed().map(DateView::new),
            date_label: if a.updated.is_some() {
                "Updated"
            } else {
                "Published"
            },
            status: status_name(a.life.status),
            internal: a.life.audience == Audience::Internal,
        }
    }
}

/// The `status:` value of `s`, for templates.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Draft => "draft",
        Status::Published => "published",
        Status::Retired => "retired",
    }
}

/// The site-root-relative URL of an article page; the id is percent-encoded so
/// any file name makes a working link.
pub fn article_url(id: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    format!(
        "articles/{}/",
        percent_encoding::utf8_percent_encode(id, KEEP)
    )
}

/// The folder of an article page in the output (the id as it is).
pub fn article_dir(id: &str) -> String {
    format!("articles/{id}/")
}

/// One error text as runs of plain text and `<placeholder>` names, so the template
/// escapes all of it and only marks which parts vary.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub segments: Vec<Segment>,
    /// Error codes spotted in the text (`AADSTS50105`, `Request_BadRequest`).
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub text: String,
    pub placeholder: bool,
}

impl ErrorView {
    pub fn new(text: &str) -> Self {
        ErrorView {
            segments: segments(text)
                .into_iter()
                .map(|(placeholder, s)| Segment {
                    text: s.to_string(),
                    placeholder,
                })
                .collect(),
            codes: error_codes(text),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView {
    pub title: String,
    pub url: String,
}

/// Everything the article page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub products: Vec<TermLink>,
    pub tags: Vec<TermLink>,
    pub created: Option<DateView>,
    pub updated: Option<DateView>,
    pub symptoms_html: Vec<String>,
    pub errors: Vec<ErrorView>,
    pub environment_html: Vec<String>,
    pub conditions_html: Vec<String>,
    pub cause_html: String,
    pub intro_html: Option<String>,
    pub steps_html: Vec<String>,
    pub outro_html: Option<String>,
    pub related: Vec<ArticleCard>,
    pub references: Vec<ReferenceView>,
    /// The source file relative to the kb folder (`o365-dirsync.yaml`).
    pub source_path: String,
    /// "Edit this article" link into the source repository, when one is configured.
    pub edit_url: Option<String>,
    /// `published`, `draft` or `retired`.
    pub status: &'static str,
    /// The article is for support staff only (a staff build).
    pub internal: bool,
    /// The notes for support staff (a staff build only).
    pub internal_html: Option<String>,
    pub reviewed: Option<DateView>,
    /// No `source.yaml` beside the page (it holds notes a public build leaves out).
    pub source_withheld: bool,
}

impl ArticleView {
    pub fn new(a: &Article, kb: &Kb, settings: &Settings) -> Self {
        let md = |v: &[String]| v.iter().map(|s| markdown::to_html_inline(s)).collect();
        ArticleView {
            id: a.id.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            products: a.products.iter().map(|p| TermLink::new(p)).collect(),
            tags: a.tags.iter().map(|t| TermLink::new(t)).collect(),
            created: a.created.map(DateView::new),
            updated: a.updated.map(DateView::new),
            symptoms_html: md(&a.symptoms),
            errors: a.errors.iter().map(|e| ErrorView::new(&e.text)).collect(),
            environment_html: md(&a.environment),
            conditions_html: md(&a.conditions),
            cause_html: markdown::to_html(&a.cause),
            intro_html: a.resolution.intro.as_deref().map(markdown::to_html),
            steps_html: md(&a.resolution.steps),
            outro_html: a.resolution.outro.as_deref().map(markdown::to_html),
            related: a
                .related
                .iter()
                .filter_map(|id| kb.get(id))
                .map(ArticleCard::new)
                .collect(),
            references: a
                .references
                .iter()
                .map(|r| ReferenceView {
                    title: r.title.clone(),
                    url: crate::markdown::href(&r.url),
                })
                .collect(),
            source_path: a.rel_path.clone(),
            edit_url: settings
                .repo_url
                .as_ref()
                .map(|repo| format!("{repo}/{}", a.rel_path)),
            status: status_name(a.life.status),
            internal: a.life.audience == Audience::Internal,
            internal_html: a.life.internal.as_deref().map(markdown::to_html),
            reviewed: a.life.reviewed.map(DateView::new),
            source_withheld: a.life.source_withheld,
        }
    }
}

/// Splits an error text into plain runs and `<placeholder>` runs (the name without
/// brackets): up to 60 characters on one line, no nested brackets, not starting or
/// ending with a space, so `a < b > c` stays plain text.
pub fn segments(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let (mut rest, mut plain_from) = (text, 0usize);
    let mut pos = 0usize;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after
            .char_indices()
            .take(61)
            .find(|&(_, c)| matches!(c, '<' | '>' | '\n'))
            .filter(|&(i, c)| c == '>' && i > 0 && after[..i].trim() == &after[..i]);
        match end {
            Some((i, _)) => {
                let abs = pos + start;
                if abs > plain_from {
                    out.push((false, &text[plain_from..abs]));
                }
                out.push((true, &after[..i]));
                plain_from = abs + i + 2;
                pos = plain_from;
                rest = &after[i + 1..];
            }
            None => {
                pos += start + 1;
                rest = after;
            }
        }
    }
    if plain_from < text.len() {
        out.push((false, &text[plain_from..]));
    }
    out
}

/// Tokens that look like vendor error codes: letters and digits mixed (`AADSTS50105`,
/// `E0000001`), hex (`0x80072030`) or `Word_Word` identifiers; placeholders excluded.
pub fn error_codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    let plain = segments(text).into_iter().filter(|(ph, _)| !ph);
    for (_, run) in plain {
        for token in run.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if looks_like_code(token) && !codes.iter().any(|c| c == token) {
                codes.push(token.to_string());
            }
        }
    }
    codes
}

fn looks_like_code(token: &str) -> bool {
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let hex = token.starts_with("0x") && token.len() >= 6;
    let mixed = letters >= 1 && digits >= 3 && token.len() >= 6;
    let ident = token.contains('_')
        && token.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && token.len() >= 6;
    hex || mixed || ident
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Escapes an error text and wraps each `<placeholder>` in `<span class="ph">`.
    fn highlight_placeholders(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 32);
        for (placeholder, s) in segments(text) {
            if placeholder {
                out.push_str("<span class=\"ph\">&lt;");
                out.push_str(&markdown::escape(s));
                out.push_str("&gt;</span>");
            } else {
                out.push_str(&markdown::escape(s));
            }
        }
        out
    }

    #[test]
    fn placeholders_are_marked_and_everything_escaped() {
        assert_eq!(
            highlight_placeholders("user <firstname> said \"<b>hi</b>\" & left"),
            "user <span class=\"ph\">&lt;firstname&gt;</span> said &quot;<span class=\"ph\">&lt;b&gt;</span>hi<span class=\"ph\">&lt;/b&gt;</span>&quot; &amp; left"
        );
        assert_eq!(highlight_placeholders("a < b > c"), "a &lt; b &gt; c");
        assert_eq!(
            highlight_placeholders("x <<y>"),
            "x &lt;<span class=\"ph\">&lt;y&gt;</span>"
        );
        assert_eq!(highlight_placeholders("<>"), "&lt;&gt;");
        assert_eq!(
            highlight_placeholders("<img src=x onerror=alert(1)"),
            "&lt;img src=x onerror=alert(1)"
        );
    }

    #[test]
    fn segments_never_lose_or_invent_text() {
        // Every string of up to 5 characters over a tricky alphabet.
        let alphabet = ['<', '>', 'é', ' ', 'a', '\n'];
        let mut strings = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            frontier = (frontier.iter())
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(frontier.iter().cloned());
        }
        for s in &strings {
            let joined: String = segments(s)
                .into_iter()
                .map(|(ph, t)| if ph { format!("<{t}>") } else { t.to_string() })
                .collect();
            assert_eq!(&joined, s);
        }
    }

    #[test]
    fn error_codes_are_spotted() {
        let codes = error_codes(
            "AADSTS50105: errorCode=Request_BadRequest 0x80072030 status 400 id=<request-id> E0000001",
        );
        assert_eq!(
            codes,
            [
                "AADSTS50105",
                "Request_BadRequest",
                "0x80072030",
                "E0000001"
            ]
        );
    }

    #[test]
    fn article_urls_survive_any_file_name() {
        assert_eq!(article_url("okta-saml"), "articles/okta-saml/");
        assert_eq!(article_url("Über #1?"), "articles/%C3%9Cber%20%231%3F/");
        assert_eq!(article_dir("Über #1?"), "articles/Über #1?/");
    }

    #[test]
    fn dates_read_naturally() {
        let d = DateView::new(Date::parse("2022-11-02").unwrap());
        assert_eq!(
            (d.iso.as_str(), d.human.as_str()),
            ("2022-11-02", "2 November 2022")
        );
    }
}
