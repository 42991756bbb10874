//! Checks on one well-formed article (tags, dates, URLs, HTML in Markdown, error
//! texts) and the conversion of a `RawArticle` into the checked `model::Article`.
//! Checks across articles (duplicate ids, `related`, shared pages) live in `validate`.

mod lifecycle;
mod terms;

use super::codes;
use super::shape::at;
use super::spellings::Term;
use crate::diagnostic::{Diagnostic, Related};
use crate::load::{self, SourceFile};
use crate::markdown::{Dest, classify};
use crate::model::{Article, Date, ErrorText, Reference, Resolution, slugify};
use crate::raw::RawArticle;
use pulldown_cmark::{Event, Parser, Tag};
use serde_saphyr::Spanned;

type S = Spanned<String>;

/// Error texts shorter than this many words (placeholders not counted) match too much.
pub const MIN_ERROR_WORDS: usize = 4;

/// Checks one article; returns the model when it has no errors.
pub fn article(
    p: &SourceFile,
    raw: &RawArticle,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let before = out.iter().filter(|d| d.is_error()).count();
    let c = Ctx { p, text };
    for tag in raw.tags.iter().flatten() {
        c.tag(tag, out);
    }
    let created = raw.created.as_ref().and_then(|d| c.date(d, out));
    let updated = raw.updated.as_ref().and_then(|d| c.date(d, out));
    if let (Some(cr), Some(up), Some(cs), Some(us)) = (created, updated, &raw.created, &raw.updated)
        && up < cr
    {
        out.push(c.updated_before_created(cs, us));
    }
    for r in raw.references.iter().flatten() {
        c.url(&r.url, out);
    }
    for field in markdown_fields(raw) {
        c.markdown(field, out);
    }
    c.error_texts(raw, out);
    let life = lifecycle::check(&c, raw, created, out);
    let facets = Facets {
        products: terms::names(raw.products.iter().flatten(), "product", &p.path, out),
        tags: terms::names(
            raw.tags.iter().flatten().filter(|t| is_slug(&t.value)),
            "tag",
            &p.path,
            out,
        ),
    };
    let after = out.iter().filter(|d| d.is_error()).count();
    (after == before).then(|| Article {
        life,
        ..to_model(p, raw, created, updated, facets)
    })
}

/// The article's product and tag names, plain, each page once, where they are written
/// (tags that are not slugs are left out: they make no page).
pub(super) fn terms(raw: &RawArticle) -> Vec<Term> {
    let tags = raw.tags.iter().flatten().filter(|t| is_slug(&t.value));
    let named =
        (raw.products.iter().flatten().map(|v| ("product", v))).chain(tags.map(|v| ("tag", v)));
    let mut found: Vec<Term> = Vec::new();
    for (facet, v) in named {
        let name = terms::plain(&v.value);
        let (line, column) = at(v);
        let seen = |t: &Term| t.facet == facet && slugify(&t.name) == slugify(&name);
        if !name.is_empty() && !found.iter().any(seen) {
            found.push(Term {
                facet,
                name,
                line,
                column,
            });
        }
    }
    found
}

/// Every Markdown value of the article.
fn markdown_fields(raw: &RawArticle) -> impl Iterator<Item = &S> {
    let r = &raw.resolution;
    raw.symptoms
        .iter()
        .chain(&raw.environment)
        .chain(raw.conditions.iter().flatten())
        .chain(std::iter::once(&raw.cause))
        .chain(r.intro.iter().chain(&r.steps).chain(&r.outro))
        .chain(raw.internal.iter())
}

struct Ctx<'a> {
    p: &'a SourceFile,
    text: &'a str,
}

impl Ctx<'_> {
    fn error(&self, code: &'static str, s: &S, msg: String, hint: String) -> Diagnostic {
        let (line, column) = at(s);
        Diagnostic::error(code, &self.p.path, line, column, msg).with_hint(hint)
    }

    fn tag(&self, tag: &S, out: &mut Vec<Diagnostic>) {
        if !is_slug(&tag.value) {
            out.push(self.error(
                codes::BAD_TAG,
                tag,
                format!("tag `{}` is not a slug", tag.value),
                format!(
                    "tags use lower-case letters, digits and single hyphens: write `{}`",
                    slugify(&terms::plain(&tag.value))
                ),
            ));
        }
    }

    fn date(&self, d: &S, out: &mut Vec<Diagnostic>) -> Option<Date> {
        let date = Date::parse(d.value.trim());
        if date.is_none() {
            out.push(self.error(
                codes::BAD_DATE,
                d,
                format!("`{}` is not a date", d.value),
                "write a real calendar date as YYYY-MM-DD, e.g. 2022-11-01".into(),
            ));
        }
        date
    }

    fn updated_before_created(&self, created: &S, updated: &S) -> Diagnostic {
        let (line, column) = at(created);
        self.error(
            codes::UPDATED_BEFORE_CREATED,
            updated,
            format!(
                "`updated` ({}) is before `created` ({})",
                updated.value.trim(),
                created.value.trim()
            ),
            "swap the two dates, or correct the one that is wrong".into(),
        )
        .with_related(Related {
            path: self.p.path.clone(),
            line,
            column,
            message: "created here".into(),
        })
    }

    fn url(&self, url: &S, out: &mut Vec<Diagnostic>) {
        if !is_http_url(&url.value) {
            let hint = if classify(&url.value) == Dest::ProtocolRelative {
                protocol_relative_hint(&url.value)
            } else {
                "references link to web pages: write the full address, starting with https://"
                    .into()
            };
            out.push(self.error(
                codes::BAD_URL,
                url,
                format!("`{}` is not an http(s) URL", url.value),
                hint,
            ));
        }
    }

    fn markdown(&self, s: &S, out: &mut Vec<Diagnostic>) {
        if let Some((url, dest)) = first_unsafe_link(&s.value) {
            let (line, column) = self.locate(s, &url);
            let hint = if dest == Dest::ProtocolRelative {
                protocol_relative_hint(&url)
            } else {
                "links may point to http(s) or mailto: addresses, or to pages of this site".into()
            };
            out.push(
                Diagnostic::warning(
                    codes::UNSAFE_LINK,
                    &self.p.path,
                    line,
                    column,
                    format!("link to `{url}` will be shown as plain text, not as a link"),
                )
                .with_hint(hint),
            );
        }
        let Some(html) = first_html(&s.value) else {
            return;
        };
        let (line, column) = self.locate(s, &html);
        out.push(
            Diagnostic::error(
                codes::RAW_HTML,
                &self.p.path,
                line,
                column,
                format!("raw HTML `{html}` in Markdown is not allowed"),
            )
            .with_hint(
                "kbgen never passes HTML through; use Markdown, or put the text in backticks (`<like this>`)",
            ),
        );
    }

    /// Where `needle` appears in the source at or after the value `s`, else the value itself.
    fn locate(&self, s: &S, needle: &str) -> (usize, usize) {
        let (line, column) = at(s);
        let start = load::offset_of(self.text, line, column);
        let first_line = needle.lines().next().unwrap_or(needle).trim();
        match self.text[start..].find(first_line) {
            Some(i) if !first_line.is_empty() => load::line_col(self.text, start + i),
            _ => (line, column),
        }
    }

    fn error_texts(&self, raw: &RawArticle, out: &mut Vec<Diagnostic>) {
        let errors = raw.errors.as_deref().unwrap_or_default();
        if errors.is_empty() {
            let ((line, column), hint) = self.where_errors_go(raw);
            out.push(
                Diagnostic::warning(
                    codes::NO_ERRORS,
                    &self.p.path,
                    line,
                    column,
                    "article has no `errors:` entry, so a pasted error can never lead to it",
                )
                .with_hint(hint),
            );
        }
        for e in errors {
            self.error_text(e, out);
        }
    }

    /// Where W001 points, and what its hint says: an empty `errors:` field itself, else
    /// the field after `symptoms:` (the article format puts `errors:` there), else the
    /// article's first line.
    fn where_errors_go(&self, raw: &RawArticle) -> ((usize, usize), &'static str) {
        let fields = || {
            load::numbered_lines(self.text)
                .map(|(n, l)| (n, l.trim_start_matches('\u{feff}')))
                .filter(|(_, l)| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']))
        };
        if let Some((n, _)) = fields().find(|(_, l)| l.starts_with("errors:")) {
            return (
                (n, 1),
                "write the error text exactly as users see it under `errors:`",
            );
        }
        let after = raw.symptoms.last().map(|s| at(s).0);
        match after.and_then(|last| fields().find(|&(n, _)| n > last)) {
            Some((n, _)) => (
                (n, 1),
                "add `errors:` above this field, with the error text exactly as users see it",
            ),
            None => (
                (1, 1),
                "add the error text exactly as users see it under `errors:`",
            ),
        }
    }

    fn error_text(&self, e: &S, out: &mut Vec<Diagnostic>) {
        let (line, column) = at(e);
        if let Some(off) = unclosed_placeholder(&e.value) {
            let after = &e.value[off..];
            let (l, c) = self.locate(e, after.lines().next().unwrap_or(after));
            out.push(
                Diagnostic::warning(
                    codes::UNCLOSED_PLACEHOLDER,
                    &self.p.path,
                    l,
                    c,
                    "placeholder `<` is never closed with `>`",
                )
                .with_hint("write placeholders as `<name>`; a lone `<` is matched literally"),
            );
        }
        let words = significant_words(&e.value);
        if words < MIN_ERROR_WORDS && !has_vendor_code(&e.value) {
            out.push(
                Diagnostic::warning(
                    codes::SHORT_ERROR,
                    &self.p.path,
                    line,
                    column,
                    format!("error text has only {words} word(s) besides placeholders; it would match too much"),
                )
                .with_hint("paste the whole message as users see it, codes and all"),
            );
        } else if is_generic(&e.value) {
            out.push(
                Diagnostic::warning(
                    codes::GENERIC_ERROR,
                    &self.p.path,
                    line,
                    column,
                    "error text is too generic to identify its article: it matches only when pasted whole",
                )
                .with_hint("add the code or the quoted part of the message"),
            );
        }
    }
}

/// Whether an error text has no code and fewer than two specific words (words
/// not common to every vendor's errors), the evidence a match needs unless the
/// text is found whole ([`crate::signature::evidence`]).
fn is_generic(text: &str) -> bool {
    use crate::signature::evidence::{Kind, MIN_SPECIFIC, kind};
    let mut specific: Vec<String> = Vec::new();
    for (t, _) in crate::signature::index::signature_tokens(text) {
        match kind(&t, 1, 1) {
            Kind::Code => return false,
            Kind::Specific if !specific.contains(&t) && t != "*" => specific.push(t),
            _ => {}
        }
    }
    specific.len() < MIN_SPECIFIC
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `http://` or `https://` followed by a host, and no whitespace.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// The first raw HTML fragment pulldown-cmark finds in `markdown`.
pub fn first_html(markdown: &str) -> Option<String> {
    Parser::new(markdown).find_map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => {
            let h = h.trim();
            Some(h.lines().next().unwrap_or(h).to_string())
        }
        _ => None,
    })
}

/// The first link or image target in `markdown` the renderer will refuse
/// (`javascript:`, `data:`, `file:`, protocol-relative `//host` ...), by the rule the
/// renderer applies (`markdown::classify`); http(s), mailto and relative links are fine.
pub(crate) fn first_unsafe_link(markdown: &str) -> Option<(String, Dest)> {
    Parser::new(markdown).find_map(|ev| {
        let (url, image) = match &ev {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => return None,
        };
        let dest = classify(url);
        (!dest.is_kept(image)).then(|| (url.to_string(), dest))
    })
}

/// A `//host/x` URL names another site but no scheme: say how to write it.
fn protocol_relative_hint(url: &str) -> String {
    let rest = url.trim().trim_start_matches(['/', '\\']);
    format!("a URL starting with `//` has no scheme: write `https://{rest}`")
}

/// Byte offset of a `<` that starts a placeholder (`<` then a letter) but has no `>`
/// before the next `<` or the end of the line.
pub fn unclosed_placeholder(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let b = line.as_bytes();
        for (i, _) in line.match_indices('<') {
            if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            let rest = &line[i + 1..];
            let closed = match (rest.find('>'), rest.find('<')) {
                (Some(gt), Some(lt)) => gt < lt,
                (Some(_), None) => true,
                _ => false,
            };
            if !closed {
                return Some(offset + i);
            }
        }
        offset += line.len();
    }
    None
}

/// Whether the text holds a distinctive error code such as `AADSTS50105`, `E0000001`
/// or `0x80072030` (letters and at least four digits): alone it is evidence enough.
pub fn has_vendor_code(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| {
            let digits = w.bytes().filter(u8::is_ascii_digit).count();
            digits >= 4 && w.bytes().any(|b| b.is_ascii_alphabetic())
        })
}

/// Words of an error text outside `<placeholders>`.
pub fn significant_words(text: &str) -> usize {
    let mut kept = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => kept.push(ch),
            _ => {}
        }
    }
    let folded = crate::text::fold(&kept);
    crate::text::words(&folded).count()
}

fn strings(v: &[S]) -> Vec<String> {
    v.iter().map(|s| s.value.trim_end().to_string()).collect()
}

fn opt(v: &Option<S>) -> Option<String> {
    v.as_ref()
        .map(|s| s.value.trim_end().to_string())
        .filter(|s| !s.trim().is_empty())
}

/// An article's product and tag names, plain and each once (see `terms`).
struct Facets {
    products: Vec<String>,
    tags: Vec<String>,
}

fn to_model(
    p: &SourceFile,
    raw: &RawArticle,
    created: Option<Date>,
    updated: Option<Date>,
    facets: Facets,
) -> Article {
    let list = |v: &Option<Vec<S>>| v.as_deref().map(strings).unwrap_or_default();
    Article {
        id: p.id.clone(),
        path: p.path.clone(),
        rel_path: p.rel_path.clone(),
        title: raw.title.value.trim().to_string(),
        summary: opt(&raw.summary),
        products: facets.products,
        tags: facets.tags,
        created,
        updated,
        symptoms: strings(&raw.symptoms),
        errors: raw
            .errors
            .iter()
            .flatten()
            .map(|e| ErrorText {
                text: e.value.trim_end().to_string(),
                line: at(e).0,
            })
            .collect(),
        environment: strings(&raw.environment),
        conditions: list(&raw.conditions),
        cause: raw.cause.value.trim_end().to_string(),
        resolution: Resolution {
            intro: opt(&raw.resolution.intro),
            steps: strings(&raw.resolution.steps),
            outro: opt(&raw.resolution.outro),
        },
        related: list(&raw.related),
        references: raw
            .references
            .iter()
            .flatten()
            .map(|r| Reference {
                title: r.title.value.trim().to_string(),
                url: r.url.value.trim().to_string(),
            })
            .collect(),
        life: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("provisioning"));
        assert!(is_slug("o365-dirsync"));
        for bad in ["", "Okta", "a--b", "-a", "a-", "a b", "ä"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_http() {
        assert!(is_http_url("https://learn.microsoft.com/x?y#z"));
        assert!(is_http_url("HTTP://example.com"));
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "https:// x",
            "example.com",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn html_is_found_in_blocks_and_inline() {
        assert_eq!(first_html("a <b>bold</b>").as_deref(), Some("<b>"));
        assert_eq!(
            first_html("<script>x</script>\n").as_deref(),
            Some("<script>x</script>")
        );
        assert_eq!(first_html("a `<b>` and 1 < 2"), None);
    }

    #[test]
    fn unsafe_link_schemes_are_found() {
        let url = |md: &str| first_unsafe_link(md).map(|(u, _)| u);
        assert_eq!(
            url("[x](javascript:alert(1))").as_deref(),
            Some("javascript:alert(1)")
        );
        assert_eq!(
            url("![i](data:image/svg+xml,x)").as_deref(),
            Some("data:image/svg+xml,x")
        );
        assert_eq!(url("<JavaScript:x>").as_deref(), Some("JavaScript:x"));
        assert_eq!(url("![m](mailto:a@b.c)").as_deref(), Some("mailto:a@b.c"));
        // Regression: protocol-relative links passed as relative ones.
        for bad in [
            "[a](//evil.example/x)",
            "[a][r]\n\n[r]: //evil.example/x",
            "[a](/\\evil)",
        ] {
            let found = first_unsafe_link(bad);
            assert_eq!(found.map(|(_, d)| d), Some(Dest::ProtocolRelative), "{bad}");
        }
        assert_eq!(
            protocol_relative_hint("//evil.example/x"),
            "a URL starting with `//` has no scheme: write `https://evil.example/x`"
        );
        for ok in [
            "[a](https://x.y)",
            "[a](../b/)",
            "[a](#top)",
            "[a](mailto:a@b.c)",
            "[a](/x?y=1:2)",
            "[a](<java script:x>)",
        ] {
            assert_eq!(first_unsafe_link(ok), None, "{ok}");
        }
    }

    #[test]
    fn placeholders() {
        assert_eq!(unclosed_placeholder("user <first name> x"), None);
        assert_eq!(unclosed_placeholder("a < 5 and <= 3"), None);
        assert_eq!(unclosed_placeholder("user <firstname failed"), Some(5));
        assert_eq!(unclosed_placeholder("a <x\n<y>"), Some(2));
        assert_eq!(unclosed_placeholder("<a <b>"), Some(0));
    }

    #[test]
    fn vendor_codes_are_distinctive_alone() {
        assert!(has_vendor_code("AADSTS50105"));
        assert!(has_vendor_code("error 0x80072030."));
        assert!(!has_vendor_code("Request_BadRequest 400"));
        assert!(!has_vendor_code("Error 2022"));
    }

    #[test]
    fn placeholders_do_not_count_as_words() {
        assert_eq!(significant_words("<user> failed"), 1);
        assert_eq!(significant_words("Request_BadRequest 400 for <id>"), 3);
    }
}
