//! One Markdown source (front matter and body) to an [`Imported`] article.

use super::front_matter::{self, FrontMatter, parse_date};
use super::{Imported, Located, admonitions, images, markup, sections, templates};
use crate::model::slugify;
use std::path::Path;

/// The article of the Markdown file `path` holding `text`, or why there is none.
pub fn convert(path: &Path, text: &str) -> Result<Imported, Located> {
    let text = text.replace("\r\n", "\n");
    let (fm, body, body_line) = front_matter::split(&text).map_err(|(line, mark)| Located {
        line,
        column: 1,
        message: format!("front matter opened with `{mark}` is never closed"),
        hint: format!("end the front matter with a line `{mark}`"),
    })?;
    let mut a = Imported::new(path.display().to_string());
    for (line, message) in &fm.warnings {
        a.warn(*line, message.clone());
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
    a.id_hint = stem.unwrap_or_default();
    let title = fm.get("title").map(|(v, _)| v.text());
    a.summary = fm.get("description").map(|(v, _)| v.text());
    dates(&fm, &mut a);
    super::site_fields::apply(&fm, &mut a);
    for key in [
        "tags",
        "categories",
        "category",
        "keywords",
        "ms.service",
        "ms.subservice",
    ] {
        if let Some((v, line)) = fm.get(key) {
            a.add_tags(&v.items(), line);
        }
    }
    let (body, found) = images::scan(body, body_line);
    for f in &found {
        a.images.push((f.line, f.column, images::warning(path, f)));
    }
    a.fill_from_body(&body, body_line);
    a.title = match title.or_else(|| a.h1.take()) {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            return Err(Located {
                line: 1,
                column: 1,
                message: "no title: neither a front-matter `title:` nor a `# ` heading".into(),
                hint: "add `title:` to the front matter or a first line `# Title`".into(),
            });
        }
    };
    if matches!(slugify(&a.id_hint).as_str(), "-" | "index" | "readme") {
        a.id_hint = a.title.clone();
    }
    Ok(a)
}

fn dates(fm: &FrontMatter, a: &mut Imported) {
    for (key, created) in [("date", true), ("ms.date", false), ("updated", false)] {
        let Some((v, line)) = fm.get(key) else {
            continue;
        };
        match parse_date(&v.text()) {
            Some(d) if created => a.created = Some(d),
            Some(d) => a.updated = a.updated.max(Some(d)),
            None => a.warn(
                line,
                format!("`{key}: {}` is not a date: left out", v.text()),
            ),
        }
    }
}

impl Imported {
    /// The fields a Markdown body gives (Learn markup made plain, sections mapped,
    /// error texts found), with a note for everything moved or dropped.
    pub fn fill_from_body(&mut self, body: &str, body_line: usize) {
        let (body, notes) = admonitions::convert(body, body_line);
        self.notes.extend(notes);
        let (body, notes) = templates::drop_tags(&body, body_line);
        self.notes.extend(notes);
        let body = super::tables::convert(&body);
        let (clean, notes) = markup::clean_learn(&body);
        self.notes.extend(notes);
        self.errors = super::errors::extract(&clean);
        let mut b = sections::split(&clean, body_line);
        self.h1 = b.h1.take();
        let mut preamble = Vec::new();
        for line in b.preamble.lines() {
            let bare = line.trim().trim_matches(['*', '_']).trim_start();
            let applies = bare
                .get(..10)
                .is_some_and(|p| p.eq_ignore_ascii_case("applies to"));
            if applies {
                let list = bare[10..].trim_start_matches([':', '*', '_', ' ']);
                let items = list
                    .split(',')
                    .map(|s| s.trim().trim_matches(['*', '_']).trim());
                b.environment
                    .extend(items.filter(|s| !s.is_empty()).map(String::from));
            } else if lower_starts(bare, "original product version") {
                let v = bare[24..].trim_start_matches([':', '*', '_', ' ']).trim();
                b.environment.extend((!v.is_empty()).then(|| v.to_string()));
            } else if lower_starts(bare, "original kb number") {
                self.notes
                    .push(format!("dropped the line `{}`", line.trim()));
            } else {
                preamble.push(line);
            }
        }
        let preamble = preamble.join("\n").trim().to_string();
        self.place_preamble(&preamble, &mut b.cause);
        self.symptoms = b.symptoms;
        self.environment = b.environment;
        self.cause = b.cause.join("\n\n");
        self.has_cause = b.has_cause;
        self.resolution = b.resolution;
        self.references = b.references;
        self.notes.extend(b.notes);
    }

    /// Text before the first section: its first paragraph is the summary when there is
    /// none; the rest is kept in the cause.
    fn place_preamble(&mut self, preamble: &str, cause: &mut Vec<String>) {
        if preamble.is_empty() {
            return;
        }
        let (first, rest) = preamble.split_once("\n\n").unwrap_or((preamble, ""));
        let first_plain =
            !first.contains('\n') && !first.starts_with(['#', '>', '-', '*', '`', '|']);
        let rest = if self.summary.is_none() && first_plain {
            self.summary = Some(first.trim().to_string());
            rest.trim()
        } else if self.summary.as_deref() == Some(first.trim()) {
            rest.trim()
        } else {
            preamble
        };
        if !rest.is_empty() {
            cause.insert(0, rest.to_string());
            self.notes
                .push("text before the first section: kept in the cause".into());
        }
    }
}

/// Whether `s` starts with the ASCII words `prefix`, in any case.
fn lower_starts(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}
