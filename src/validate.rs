//! Turns raw articles into the checked `model`, collecting every problem as a `Diagnostic`.
//!
//! `check` loads every file, runs the structural checks (`shape`) on the located YAML
//! tree, parses well-formed files into `RawArticle`, runs the per-article rules
//! (`rules`), then the checks across articles (duplicate ids, `related`). Invalid
//! articles are left out of the `Kb`; nothing stops at the first problem.
//!
//! Diagnostic codes (stable; documented in the README):
//!
//! | code | severity | problem |
//! | --- | --- | --- |
//! | E001 | error | YAML syntax error (also: alias/size limits breached, several documents) |
//! | E002 | error | wrong type (e.g. text where a list is expected) |
//! | E003 | error | unknown field (with a did-you-mean) |
//! | E004 | error | missing required field (points at the mapping) |
//! | E005 | error | required field or list entry is empty |
//! | E006 | error | tag is not a slug (`^[a-z0-9]+(-[a-z0-9]+)*$`) |
//! | E007 | error | not a real `YYYY-MM-DD` date |
//! | E008 | error | `updated` is before `created` |
//! | E009 | error | duplicate article id (same file name in two folders) |
//! | E010 | error | `related` names an article that does not exist |
//! | E011 | error | `related` names the article itself |
//! | E012 | error | reference URL is not http(s) |
//! | E013 | error | raw HTML in a Markdown field |
//! | E014 | error | file is empty |
//! | E015 | error | file is not UTF-8 |
//! | E016 | error | file is larger than 1 MiB |
//! | E017 | error | file name (the article id) is not a slug |
//! | E018 | error | file cannot be read |
//! | W001 | warning | no `errors:` entry |
//! | W002 | warning | a `<placeholder` is never closed |
//! | W003 | warning | an error text so short it would match too much |

mod rules;
mod shape;

pub use rules::{first_html, is_http_url, is_slug, significant_words, unclosed_placeholder};
pub use shape::did_you_mean;

use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::load::{self, Parsed, Sources};
use crate::model::{Kb, slugify};
use crate::raw::RawArticle;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The stable diagnostic codes (see the module docs for the table).
pub mod codes {
    pub use crate::load::codes::*;
    pub const WRONG_TYPE: &str = "E002";
    pub const UNKNOWN_FIELD: &str = "E003";
    pub const MISSING_FIELD: &str = "E004";
    pub const EMPTY_FIELD: &str = "E005";
    pub const BAD_TAG: &str = "E006";
    pub const BAD_DATE: &str = "E007";
    pub const UPDATED_BEFORE_CREATED: &str = "E008";
    pub const DUPLICATE_ID: &str = "E009";
    pub const MISSING_RELATED: &str = "E010";
    pub const SELF_RELATED: &str = "E011";
    pub const BAD_URL: &str = "E012";
    pub const RAW_HTML: &str = "E013";
    pub const NO_ERRORS: &str = "W001";
    pub const UNCLOSED_PLACEHOLDER: &str = "W002";
    pub const SHORT_ERROR: &str = "W003";
}

/// The result of checking a knowledge base.
#[derive(Debug, Default)]
pub struct Checked {
    /// Every valid article, sorted by id.
    pub kb: Kb,
    /// Every problem found, sorted by path, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, for snippets.
    pub sources: Sources,
    /// Number of article files found (valid or not).
    pub file_count: usize,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// Loads and validates every article under `kb_dir`.
///
/// `Err` only when `kb_dir` itself cannot be read (exit 2); every problem in the
/// articles is a diagnostic.
pub fn check(kb_dir: &Path) -> anyhow::Result<Checked> {
    let loaded = load::load(kb_dir)?;
    let mut diagnostics = loaded.diagnostics;
    let mut checked = Vec::new();
    for p in &loaded.parsed {
        let text = loaded.sources.get(&p.path).unwrap_or_default();
        checked.push(check_one(p, text, &mut diagnostics));
    }
    // Ids of every parsed file, valid or not: a `related` to an article with its own
    // errors is reported there, not as a missing id here.
    let known: BTreeSet<&str> = loaded.parsed.iter().map(|p| p.id.as_str()).collect();
    let duplicates = duplicate_ids(&loaded.parsed, &mut diagnostics);
    let mut articles = Vec::new();
    for (p, (article, related)) in loaded.parsed.iter().zip(checked) {
        let ok = check_related(&p.path, &p.id, &related, &known, &mut diagnostics);
        if let Some(article) = article.filter(|_| ok && !duplicates.contains(&p.path)) {
            articles.push(article);
        }
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: BTreeSet<String> = articles.iter().map(|a| a.id.clone()).collect();
    for a in &mut articles {
        // Only reachable with errors elsewhere; keeps every link inside the Kb.
        a.related.retain(|r| ids.contains(r));
    }
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok(Checked {
        kb: Kb { articles },
        diagnostics,
        sources: loaded.sources,
        file_count: loaded.file_count,
    })
}

/// Checks one parsed file: the article when valid, and its located `related` ids.
fn check_one(
    p: &Parsed,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> (Option<crate::model::Article>, Vec<Spanned<String>>) {
    let errors = |out: &Vec<Diagnostic>| out.iter().filter(|d| d.is_error()).count();
    let before = errors(out);
    if !is_slug(&p.id) {
        out.push(bad_file_name(p));
    }
    shape::check(&p.path, &p.root, out);
    let raw = if errors(out) > before {
        // Still run the value rules on what is well-formed, so one pass reports all.
        RawArticle::from_tree(&p.root)
    } else {
        match serde_saphyr::from_str_with_options(text, load::yaml_options()) {
            Ok(raw) => raw,
            Err(e) => {
                // The structural checks should have caught it; report serde's view anyway.
                out.push(load::yaml_error(&p.path, text, &e));
                RawArticle::from_tree(&p.root)
            }
        }
    };
    let article = rules::article(p, &raw, text, out).filter(|_| errors(out) == before);
    (article, raw.related.unwrap_or_default())
}

fn bad_file_name(p: &Parsed) -> Diagnostic {
    Diagnostic::error(
        codes::BAD_FILE_NAME,
        &p.path,
        1,
        1,
        format!("file name `{}` is not a valid article id", p.id),
    )
    .with_hint(format!(
        "the file name is the article's URL: rename it to `{}.yaml`",
        slugify(&p.id)
    ))
}

/// Reports every file whose id was already taken by an earlier file; returns their paths.
fn duplicate_ids(parsed: &[Parsed], out: &mut Vec<Diagnostic>) -> BTreeSet<std::path::PathBuf> {
    let mut first: BTreeMap<&str, &Parsed> = BTreeMap::new();
    let mut dups = BTreeSet::new();
    for p in parsed {
        match first.get(p.id.as_str()) {
            None => {
                first.insert(&p.id, p);
            }
            Some(orig) => {
                out.push(
                    Diagnostic::error(
                        codes::DUPLICATE_ID,
                        &p.path,
                        1,
                        1,
                        format!("duplicate article id `{}`", p.id),
                    )
                    .with_hint(
                        "ids are file names and must be unique across all folders: rename one file",
                    )
                    .with_related(Related {
                        path: orig.path.clone(),
                        line: 1,
                        column: 1,
                        message: format!("`{}` is first defined here", p.id),
                    }),
                );
                dups.insert(p.path.clone());
            }
        }
    }
    dups
}

/// Checks `related` ids; `false` when any is wrong.
fn check_related(
    path: &Path,
    id: &str,
    related: &[Spanned<String>],
    known: &BTreeSet<&str>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let mut ok = true;
    for r in related {
        let (line, column) = shape::at(r);
        let target = r.value.trim();
        if target == id {
            ok = false;
            out.push(
                Diagnostic::error(
                    codes::SELF_RELATED,
                    path,
                    line,
                    column,
                    format!("article `{id}` lists itself in `related`"),
                )
                .with_hint("remove this entry"),
            );
        } else if !known.contains(target) {
            ok = false;
            let hint = match closest_id(target, known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "`related` takes article ids: file names without `.yaml`".into(),
            };
            out.push(
                Diagnostic::error(
                    codes::MISSING_RELATED,
                    path,
                    line,
                    column,
                    format!("related article `{target}` does not exist"),
                )
                .with_hint(hint),
            );
        }
    }
    ok
}

fn closest_id<'a>(target: &str, known: &BTreeSet<&'a str>) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (*k, strsim::jaro_winkler(target, k)))
        .filter(|&(_, s)| s > 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}
