//! `kbgen import`: existing articles (Markdown with front matter, or a Zendesk Guide
//! Help Center export) to one article YAML each that passes `kbgen check`.
//!
//! `markdown` and `zendesk` read sources into [`Imported`] (with `front_matter`,
//! `markup`, `sections` and `errors`); [`Imported::finish`] makes every Markdown field
//! plain and marks an article that lacks a required section as a draft; `run` gives
//! each a stable id and `write` writes it safely. Nothing is invented: what a source
//! does not say stays out, and everything moved or dropped gets a note.
//!
//! A Markdown body goes through, in order: `images` (`<img>` to Markdown, relative
//! paths found), `admonitions` (call-outs to quotes), `templates` (shortcodes and
//! Liquid dropped), `tables` (HTML tables to Markdown), `markup` (Learn markup and
//! HTML), then `sections`. Each keeps the body's lines, so notes name real lines.
//! `site_fields` reads the generators' front-matter keys and Jekyll post names.
//!
//! Diagnostic codes (stable; documented in the README):
//!
//! | code | severity | problem |
//! | --- | --- | --- |
//! | I001 | error | the source cannot be imported (over 10 MiB, binary, front matter never closed, not an export, no title, no such path) |
//! | I002 | warning | a line read leniently, a value left out, an article over check's 1 MiB |
//! | I003 | warning | the id is taken: written with a suffix |
//! | I004 | warning | an image with a relative path (kbgen serves no files beside articles), or its file is missing |

pub mod admonitions;
pub mod errors;
pub mod front_matter;
pub mod images;
pub mod markdown;
pub mod markup;
pub mod run;
pub mod sections;
pub mod site_fields;
pub mod tables;
pub mod templates;
pub mod write;
pub mod zendesk;

pub use run::run;

use crate::diagnostic::Diagnostic;
use crate::model::{Date, Reference, Resolution, slugify};
use crate::validate::is_slug;

/// Which kind of source an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Markdown,
    Zendesk,
}

/// A problem at a place in a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

/// An article read from a source, before it has an id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    /// The source's path or URL, named in the file's first comment.
    pub source: String,
    /// What the id is made from (file name or title).
    pub id_hint: String,
    pub title: String,
    pub h1: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub created: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub internal: bool,
    pub symptoms: Vec<String>,
    pub errors: Vec<String>,
    pub environment: Vec<String>,
    pub cause: String,
    pub has_cause: bool,
    pub resolution: Resolution,
    pub references: Vec<Reference>,
    /// Earlier ids (Hugo `aliases`, Jekyll `redirect_from`), each a redirect page.
    pub aliases: Vec<String>,
    /// Where sections went, what was dropped.
    pub notes: Vec<String>,
    /// (line, message) of lenient readings.
    pub warnings: Vec<(usize, String)>,
    /// (line, column, message) of images kbgen cannot serve (I004).
    pub images: Vec<(usize, usize, String)>,
}

impl Imported {
    pub fn new(source: String) -> Imported {
        Imported {
            source,
            ..Imported::default()
        }
    }

    pub fn warn(&mut self, line: usize, message: String) {
        self.warnings.push((line, message));
    }

    /// Adds `names` as tags (slugified, each once); a name with no slug is warned.
    pub fn add_tags(&mut self, names: &[String], line: usize) {
        for name in names {
            let slug = slugify(name);
            if !is_slug(&slug) {
                self.warn(line, format!("tag `{name}` has no plain slug: left out"));
            } else if !self.tags.contains(&slug) {
                self.tags.push(slug);
            }
        }
    }

    /// Makes every Markdown field plain (no raw HTML, no trailing spaces), and marks
    /// the article a draft, saying so in the summary, when a required section is missing.
    pub fn finish(&mut self) {
        let md = |s: &str| write::wrap_markdown(&tidy(&markup::strip_html(s)), 80);
        self.title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        self.summary = self.summary.as_deref().map(md).filter(|s| !s.is_empty());
        for list in [
            &mut self.symptoms,
            &mut self.environment,
            &mut self.resolution.steps,
        ] {
            *list = list
                .iter()
                .map(|s| md(s))
                .filter(|s| !s.is_empty())
                .collect();
        }
        self.cause = md(&self.cause);
        let r = &mut self.resolution;
        r.intro = r.intro.as_deref().map(md).filter(|s| !s.is_empty());
        r.outro = r.outro.as_deref().map(md).filter(|s| !s.is_empty());
        self.errors = self
            .errors
            .iter()
            .map(|e| tidy(e))
            .filter(|e| !e.is_empty())
            .collect();
        if self.updated.is_some() && self.updated < self.created {
            self.updated = None;
            self.notes
                .push("`updated` is before `created` in the source: left out".into());
        }
        let missing = self.missing();
        if !missing.is_empty() {
            self.draft = true;
            let lacks = format!(
                "Imported as a draft: the source has no {}.",
                list_words(&missing)
            );
            self.summary = Some(match self.summary.take() {
                Some(s) => format!("{s} {lacks}"),
                None => lacks,
            });
            self.notes
                .push(format!("draft: no {}", list_words(&missing)));
        }
    }

    /// The required sections the source lacks.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.symptoms.is_empty() {
            m.push("symptoms");
        }
        if self.environment.is_empty() {
            m.push("environment");
        }
        if !self.has_cause || self.cause.is_empty() {
            m.push("cause");
        }
        if self.resolution.steps.is_empty() {
            m.push("resolution steps");
        }
        m
    }
}

fn list_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Lines without trailing spaces, runs of blank lines made one, ends trimmed.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// A diagnostic for a source problem.
pub fn diagnostic(path: &std::path::Path, l: &Located) -> Diagnostic {
    Diagnostic::error("I001", path, l.line, l.column, l.message.clone()).with_hint(l.hint.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_marks_a_draft_and_keeps_dates_in_order() {
        let mut a = Imported::new("s.md".into());
        a.title = "  Two   words ".into();
        a.created = Date::parse("2024-02-01");
        a.updated = Date::parse("2024-01-01");
        a.symptoms = vec!["It <b>fails</b>.  ".into(), " ".into()];
        a.finish();
        assert_eq!(a.title, "Two words");
        assert_eq!(a.updated, None);
        assert_eq!(a.symptoms, ["It fails."]);
        assert!(a.draft);
        assert_eq!(
            a.summary.as_deref(),
            Some("Imported as a draft: the source has no environment, cause or resolution steps.")
        );
    }
}
