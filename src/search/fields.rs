//! The searchable fields of an article and their weights, and the plain text each
//! field contributes: Markdown is reduced to its words (markup and raw HTML dropped),
//! error texts lose their `<placeholder>` marks.

use crate::model::Article;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// Per-field BM25F parameters: the weight of a match and the length normalisation.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub weight: f64,
    pub b: f64,
}

/// Every field, strongest first: a word in the title counts most, then the error
/// texts and summary, then products and tags, then symptoms, then the rest.
pub const FIELDS: [FieldSpec; 6] = [
    spec("title", 6.0, 0.5),
    spec("errors", 3.0, 0.5),
    spec("summary", 3.0, 0.5),
    spec("labels", 2.0, 0.3),
    spec("symptoms", 2.5, 0.5),
    spec("body", 1.0, 0.5),
];

/// Number of fields.
pub const NFIELDS: usize = FIELDS.len();

const fn spec(name: &'static str, weight: f64, b: f64) -> FieldSpec {
    FieldSpec { name, weight, b }
}

/// The plain text of an article's Markdown fields, extracted once per article and
/// shared by the indexed fields and the excerpt text (parsing Markdown is the
/// costliest part of indexing).
pub struct Plain {
    /// Empty when the article has no summary.
    pub summary: String,
    pub symptoms: Joined,
    /// The parts of the body field, in reading order (see `body_parts`).
    pub body: Joined,
}

/// Parts of a field joined into its indexed text, with the range of each part
/// (an excerpt shows them apart).
#[derive(Default)]
pub struct Joined {
    /// The parts, each after the first preceded by `" ; "` once the text is not empty.
    pub text: String,
    parts: Vec<std::ops::Range<usize>>,
}

impl Joined {
    /// Reduces each Markdown source to text and appends it as one part.
    fn of<'a>(sources: impl Iterator<Item = &'a str>) -> Joined {
        let mut j = Joined::default();
        for md in sources {
            if !j.text.is_empty() {
                j.text.push_str(" ; ");
            }
            let start = j.text.len();
            push_markdown_text(md, &mut j.text);
            j.parts.push(start..j.text.len());
        }
        j
    }

    /// The text of each part, in order.
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|r| &self.text[r.clone()])
    }
}

impl Plain {
    pub fn of(a: &Article) -> Plain {
        Plain {
            summary: a.summary.as_deref().map(markdown_text).unwrap_or_default(),
            symptoms: Joined::of(a.symptoms.iter().map(String::as_str)),
            body: Joined::of(body_parts(a)),
        }
    }
}

/// The text of each field of `a`, in `FIELDS` order.
pub fn field_texts<'a>(a: &'a Article, plain: &'a Plain) -> [Cow<'a, str>; NFIELDS] {
    // Parts are joined with ASCII so that ASCII articles fold on the fast path.
    let mut errors = String::new();
    for e in &a.errors {
        join_words(&mut errors, &strip_placeholders(&e.text));
    }
    let mut labels = a.products.join(" ; ");
    for t in &a.tags {
        // Tags are slugs: their words matter, not the hyphens.
        join_words(&mut labels, &t.replace('-', " "));
    }
    [
        Cow::Borrowed(a.title.as_str()),
        Cow::Owned(errors),
        Cow::Borrowed(plain.summary.as_str()),
        Cow::Owned(labels),
        Cow::Borrowed(plain.symptoms.text.as_str()),
        Cow::Borrowed(plain.body.text.as_str()),
    ]
}

/// The Markdown sources that make up the body field, in reading order.
fn body_parts(a: &Article) -> impl Iterator<Item = &str> {
    let r = &a.resolution;
    a.environment
        .iter()
        .chain(&a.conditions)
        .map(String::as_str)
        .chain(std::iter::once(a.cause.as_str()))
        .chain(r.intro.as_deref())
        .chain(r.steps.iter().map(String::as_str))
        .chain(r.outro.as_deref())
}

/// The text shown in excerpts: what a reader would scan for the query words,
/// most telling parts first, capped at `max_chars` characters.
pub fn excerpt_text(a: &Article, plain: &Plain, max_chars: usize) -> String {
    let mut out = String::new();
    push_part(&mut out, &plain.summary);
    for s in plain.symptoms.parts() {
        push_part(&mut out, s);
    }
    for e in &a.errors {
        push_part(&mut out, e.text.trim());
    }
    for part in plain.body.parts() {
        push_part(&mut out, part);
    }
    truncate_chars(out, max_chars)
}

/// Appends `part` to indexed text: a word boundary between parts is all that matters.
fn join_words(out: &mut String, part: &str) {
    if !out.is_empty() {
        out.push_str(" ; ");
    }
    out.push_str(part);
}

/// Appends `part` as a sentence-like unit so excerpts do not run items together.
fn push_part(out: &mut String, part: &str) {
    let part = part.trim();
    if part.is_empty() {
        return;
    }
    if !out.is_empty() {
        let ends_sentence = out.ends_with(['.', '!', '?', ':', ';']);
        out.push_str(if ends_sentence { " " } else { " \u{2014} " });
    }
    out.push_str(part);
}

fn truncate_chars(mut s: String, max_chars: usize) -> String {
    if let Some((i, _)) = s.char_indices().nth(max_chars) {
        s.truncate(i);
        s.push('\u{2026}');
    }
    s
}

/// Removes `<placeholder>` marks (values that vary per user are not search words).
pub fn strip_placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        match after.find('>') {
            Some(close) if !after[..close].contains(['<', '\n']) => {
                out.push_str(&rest[..open]);
                out.push(' ');
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words of a Markdown snippet as plain text: markup dropped, raw HTML dropped,
/// blocks and line breaks turned into spaces.
pub fn markdown_text(md: &str) -> String {
    let mut out = String::new();
    push_markdown_text(md, &mut out);
    out
}

/// Appends [`markdown_text`] of `md` to `out`.
fn push_markdown_text(md: &str, out: &mut String) {
    if is_plain_line(md) {
        out.push_str(md.trim_end());
    } else {
        push_parsed_text(md, out);
    }
}

/// Whether `md` is one line of text that Markdown leaves as it is: it starts with
/// a letter (so it opens no block) and holds no character that could start inline
/// markup, an entity or an escape. Most list items of an article are like this,
/// and setting up the parser costs more than reading them.
fn is_plain_line(md: &str) -> bool {
    let starts_with_letter = md.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    starts_with_letter
        && md.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b'.'
                        | b','
                        | b';'
                        | b':'
                        | b'\''
                        | b'"'
                        | b'('
                        | b')'
                        | b'/'
                        | b'?'
                        | b'-'
                )
        })
}

/// [`push_markdown_text`] by the Markdown parser.
fn push_parsed_text(md: &str, out: &mut String) {
    let start = out.len();
    out.reserve(md.len());
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => out.push(' '),
            Event::Start(Tag::Item) | Event::End(TagEnd::Paragraph | TagEnd::Item)
                if out.len() > start && !out.ends_with(' ') =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    let kept = out[start..].trim_end().len();
    out.truncate(start + kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(md: &str) -> String {
        let mut out = String::new();
        push_parsed_text(md, &mut out);
        out
    }

    #[test]
    fn plain_lines_skip_the_parser_and_markup_does_not() {
        assert!(is_plain_line(
            "Okta Verify (integrated with Google Workspace)."
        ));
        for md in [
            "**Save**", "1. Open", "a <b>", "a & b", "a\nb", "a_b_c", "Tab\tb", "",
        ] {
            assert!(!is_plain_line(md), "{md:?}");
        }
        assert_eq!(
            markdown_text("Sign in again.  "),
            parsed("Sign in again.  ")
        );
    }

    proptest::proptest! {
        #[test]
        fn plain_lines_read_as_the_parser_reads_them(
            md in "[aZ1 .,;:'\"()/?!#=*_`<>&\\\\\\[\\]\n\t-]{0,24}"
        ) {
            proptest::prop_assert_eq!(markdown_text(&md), parsed(&md));
        }

        #[test]
        fn lines_taken_as_plain_read_as_the_parser_reads_them(
            md in "[aZ][aZ1 .,;:'\"()/?-]{0,40}"
        ) {
            proptest::prop_assert!(is_plain_line(&md));
            proptest::prop_assert_eq!(markdown_text(&md), parsed(&md));
        }
    }
}
