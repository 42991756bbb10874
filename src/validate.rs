//! Turns raw articles into the checked `model`, collecting every problem as a `Diagnostic`.
//!
//! `check` reads every file (in parallel) and parses it into `RawArticle`; a file that
//! does not fit is parsed again into a located YAML tree for the structural checks
//! (`shape`). Then the per-article rules (`rules`) run, then the checks across
//! articles (duplicate ids, `related`, two spellings of one product or tag page in
//! `spellings`). Invalid articles are left out of the `Kb`; nothing stops at the
//! first problem.
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
//! | E019 | error | unknown `status` or `audience` value (with a did-you-mean) |
//! | E020 | error | `superseded_by` names a missing, draft or retired article, or the article itself, or is set on an article that is not retired |
//! | E021 | error | an alias that is not a slug, is an existing article's id, or is another article's alias |
//! | E022 | error | `reviewed` is before `created` |
//! | W001 | warning | no `errors:` entry |
//! | W002 | warning | a `<placeholder` is never closed |
//! | W003 | warning | an error text so short it would match too much (under 4 words besides placeholders, and no vendor code such as `AADSTS50105`) |
//! | W004 | warning | a Markdown link the site will show as plain text (`javascript:`, `data:`, protocol-relative `//host` …; http(s), mailto: and relative links are kept) |
//! | W005 | warning | a product or tag name with invisible (zero-width, bidi) or look-alike (full-width …) characters, listed in its plain form; or a name one article lists twice |
//! | W006 | warning | two articles spell a product or tag differently, but both names make one page (`C#` and `C++` are both `products/c/`); the later spelling is warned, with the place of the first |
//! | W007 | warning | an error text too generic to identify its article: no code and fewer than two distinctive words (besides framing, placeholders and the words every vendor's errors share); it would match unrelated errors |
//! | W008 | warning | an error text whose distinctive tokens all appear in one error text of another article |
//! | W009 | warning | a published article's `related` names a draft: the link is left out of builds without drafts |
//! | W010 | warning | the article's last review (`reviewed`, else `updated`, else `created`) is older than `review_every_days` |
//! | W011 | warning | a draft lacks a required field (an error once it is published) |

mod generic;
mod incremental;
mod lifecycle;
mod rules;
mod shape;
mod spellings;

pub use incremental::{ArticleChange, Incremental};
pub use lifecycle::reviews_due;
pub use rules::{first_html, is_http_url, is_slug, significant_words, unclosed_placeholder};
pub use shape::{closest, did_you_mean};

use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::load::{self, SourceFile, Sources};
use crate::model::{Article, Kb, slugify};
use crate::raw::{Node, RawArticle};
use rayon::prelude::*;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    pub const UNSAFE_LINK: &str = "W004";
    pub const RENAMED_TERM: &str = "W005";
    pub const SHARED_PAGE: &str = "W006";
    pub const GENERIC_ERROR: &str = "W007";
    pub const SHARED_ERROR: &str = "W008";
    pub const UNKNOWN_VALUE: &str = "E019";
    pub const BAD_SUCCESSOR: &str = "E020";
    pub const BAD_ALIAS: &str = "E021";
    pub const REVIEWED_BEFORE_CREATED: &str = "E022";
    pub const RELATED_DRAFT: &str = "W009";
    pub const REVIEW_DUE: &str = "W010";
    pub const INCOMPLETE_DRAFT: &str = "W011";

    /// Every code kbgen check can report, in table order.
    pub const ALL: &[&str] = &[
        SYNTAX,
        WRONG_TYPE,
        UNKNOWN_FIELD,
        MISSING_FIELD,
        EMPTY_FIELD,
        BAD_TAG,
        BAD_DATE,
        UPDATED_BEFORE_CREATED,
        DUPLICATE_ID,
        MISSING_RELATED,
        SELF_RELATED,
        BAD_URL,
        RAW_HTML,
        EMPTY_FILE,
        NOT_UTF8,
        TOO_LARGE,
        BAD_FILE_NAME,
        UNREADABLE,
        UNKNOWN_VALUE,
        BAD_SUCCESSOR,
        BAD_ALIAS,
        REVIEWED_BEFORE_CREATED,
        NO_ERRORS,
        UNCLOSED_PLACEHOLDER,
        SHORT_ERROR,
        UNSAFE_LINK,
        RENAMED_TERM,
        SHARED_PAGE,
        GENERIC_ERROR,
        SHARED_ERROR,
        RELATED_DRAFT,
        REVIEW_DUE,
        INCOMPLETE_DRAFT,
    ];
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

    /// Adds a W010 warning for each article due for review (`review_every_days`).
    pub fn check_reviews(&mut self, every: Option<u32>, today: crate::model::Date) {
        if let Some(every) = every {
            let due = lifecycle::reviews_due(&self.kb, every, today);
            self.diagnostics.extend(due);
            sort_diagnostics(&mut self.diagnostics);
        }
    }
}

/// Loads and validates every article under `kb_dir`.
///
/// `Err` only when `kb_dir` itself cannot be read (exit 2); every problem in the
/// articles is a diagnostic. Files are checked in parallel, then across each other.
pub fn check(kb_dir: &Path) -> anyhow::Result<Checked> {
    check_timed(kb_dir).map(|(checked, _)| checked)
}

/// Wall-clock time of the two halves of [`check`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckTimings {
    /// Walking the folder, reading and parsing every file.
    pub load: Duration,
    /// The rules on each article and the checks across articles.
    pub validate: Duration,
}

/// [`check`], timing loading (read and parse, all files in parallel) apart from
/// validating (the rules, then the checks across files).
pub fn check_timed(kb_dir: &Path) -> anyhow::Result<(Checked, CheckTimings)> {
    let start = Instant::now();
    let paths = load::find_files(kb_dir)?;
    let loaded: Vec<Loaded> = paths.par_iter().map(|p| load_file(kb_dir, p)).collect();
    let load = start.elapsed();
    let start = Instant::now();
    let results: Vec<FileResult> = loaded.into_par_iter().map(validate_loaded).collect();
    let checked = combine(results);
    let validate = start.elapsed();
    Ok((checked, CheckTimings { load, validate }))
}

/// The checks across files over every file's own result, and the `Checked` they make.
fn combine(results: Vec<FileResult>) -> Checked {
    let mut checked = Checked {
        file_count: results.len(),
        ..Checked::default()
    };
    let refs: Vec<&FileResult> = results.iter().collect();
    let (valid, _) = cross_check(&refs, &mut checked.diagnostics);
    let mut articles: Vec<Article> = valid.iter().filter_map(|r| r.article.clone()).collect();
    for r in results {
        checked.diagnostics.extend(r.diagnostics);
        if let Some(text) = r.text {
            checked.sources.insert(r.file.path, text);
        }
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: BTreeSet<String> = articles.iter().map(|a| a.id.clone()).collect();
    for a in &mut articles {
        // Only reachable with errors elsewhere; keeps every link inside the Kb.
        a.related.retain(|r| ids.contains(r));
    }
    checked.kb = Kb { articles };
    let generic = generic::generic_errors(&checked.kb, |p| checked.sources.get(p));
    checked.diagnostics.extend(generic);
    sort_diagnostics(&mut checked.diagnostics);
    checked
}

/// The order diagnostics are reported in: by path, line and column (stable, so
/// problems at one place keep the order they were found in).
fn sort_diagnostics(d: &mut [Diagnostic]) {
    d.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}

/// The checks across files (unique ids, `related` targets, shared pages) over
/// `results` in the order the walk found them: adds their diagnostics to `out` and
/// returns the files whose article goes into the `Kb`.
fn cross_check<'a>(
    results: &[&'a FileResult],
    out: &mut Vec<Diagnostic>,
) -> (Vec<&'a FileResult>, BTreeSet<PathBuf>) {
    // Every file found names an id, even a broken one: a `related` to an article with
    // its own errors is reported there, not as a missing id here.
    let files: Vec<&SourceFile> = results.iter().map(|r| &r.file).collect();
    let known: BTreeSet<&str> = files.iter().map(|f| f.id.as_str()).collect();
    let duplicates = duplicate_ids(&files, out);
    let mut valid = Vec::new();
    for r in results {
        let ok = check_related(&r.file, &r.links.related, &known, out);
        if ok && r.article.is_some() && !duplicates.contains(&r.file.path) {
            valid.push(*r);
        }
    }
    shared_pages(&valid, out);
    let bad = lifecycle::check(&valid, &known, out);
    valid.retain(|r| !bad.contains(&r.file.path));
    (valid, duplicates)
}

/// W006 over the files whose articles make pages (only they can share one).
fn shared_pages(valid: &[&FileResult], out: &mut Vec<Diagnostic>) {
    let terms = valid.iter().map(|r| (r.file.path.as_path(), &r.terms[..]));
    spellings::check(terms, out);
}

/// What checking one file on its own found.
struct FileResult {
    file: SourceFile,
    /// The text for snippets (lossy when not UTF-8), if it could be read.
    text: Option<String>,
    diagnostics: Vec<Diagnostic>,
    article: Option<Article>,
    /// Its product and tag names, located, for W006.
    terms: Vec<spellings::Term>,
    /// The located ids it names (`related`, `superseded_by`, `aliases`).
    links: lifecycle::Links,
}

/// One file read and given to the typed parser: the load half of checking it.
struct Loaded {
    file: SourceFile,
    text: Option<String>,
    problem: Option<Diagnostic>,
    /// The typed parse of `text`, when it could be read.
    typed: Option<Result<RawArticle, serde_saphyr::Error>>,
}

fn load_file(kb_dir: &Path, path: &Path) -> Loaded {
    let file = SourceFile::new(kb_dir, path);
    let (text, problem) = load::read_text(path);
    let typed = match (&text, &problem) {
        (Some(t), None) => Some(load::parse_article(t)),
        _ => None,
    };
    Loaded {
        file,
        text,
        problem,
        typed,
    }
}

fn check_file(kb_dir: &Path, path: &Path) -> FileResult {
    validate_loaded(load_file(kb_dir, path))
}

/// The validate half of checking one file: its rules, on the parse `load_file` made.
fn validate_loaded(loaded: Loaded) -> FileResult {
    let Loaded {
        file,
        text,
        problem,
        typed,
    } = loaded;
    let mut diagnostics = Vec::new();
    let (article, raw) = match (&text, problem, typed) {
        (_, Some(d), _) => {
            diagnostics.push(d);
            (None, None)
        }
        (Some(t), None, Some(typed)) => check_text(&file, t, typed, &mut diagnostics),
        _ => (None, None),
    };
    FileResult {
        file,
        text,
        diagnostics,
        article,
        terms: raw.as_ref().map(rules::terms).unwrap_or_default(),
        links: raw.as_ref().map(lifecycle::Links::of).unwrap_or_default(),
    }
}

/// Checks one file's text: the article when valid, and the raw article it was read
/// from (for the checks across files), if the text is a YAML mapping.
///
/// The typed parse is the fast path. Only a file it rejects (or one with empty values)
/// is parsed again into a located tree, so every structural problem is reported at
/// once and the value rules still run on the well-formed rest.
fn check_text(
    f: &SourceFile,
    text: &str,
    typed: Result<RawArticle, serde_saphyr::Error>,
    out: &mut Vec<Diagnostic>,
) -> (Option<Article>, Option<RawArticle>) {
    let errors = |out: &Vec<Diagnostic>| out.iter().filter(|d| d.is_error()).count();
    let before = errors(out);
    if !is_slug(&f.id) {
        out.push(bad_file_name(f));
    }
    let raw = match typed {
        Ok(raw) if !shape::has_blank_values(&raw) => raw,
        typed => {
            let root = match load::parse_tree(&f.path, text) {
                Ok(root) => root,
                Err(found) => {
                    out.extend(found);
                    return (None, None);
                }
            };
            let (n, start) = (errors(out), out.len());
            shape::check(&f.path, &root, out);
            if !matches!(root.value, Node::Map(_)) {
                return (None, None);
            }
            let raw = RawArticle::from_tree(&root);
            let draft = raw
                .status
                .as_ref()
                .is_some_and(|s| s.value.trim() == "draft");
            let allowed = draft && lifecycle::allow_incomplete(&mut out[start..]);
            if let (Err(e), true) = (typed, errors(out) == n && !allowed) {
                // The structural checks should have caught it; report serde's view anyway.
                out.push(load::yaml_error(&f.path, text, &e));
            }
            raw
        }
    };
    let article = rules::article(f, &raw, text, out).filter(|_| errors(out) == before);
    (article, Some(raw))
}

fn bad_file_name(f: &SourceFile) -> Diagnostic {
    Diagnostic::error(
        codes::BAD_FILE_NAME,
        &f.path,
        1,
        1,
        format!("file name `{}` is not a valid article id", f.id),
    )
    .with_hint(format!(
        "the file name is the article's URL: rename it to `{}.yaml`",
        slugify(&f.id)
    ))
}

/// Reports every file whose id was already taken by an earlier file; returns their paths.
fn duplicate_ids(parsed: &[&SourceFile], out: &mut Vec<Diagnostic>) -> BTreeSet<PathBuf> {
    let mut first: BTreeMap<&str, &SourceFile> = BTreeMap::new();
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
fn check_related<S: std::borrow::Borrow<str> + Ord>(
    f: &SourceFile,
    related: &[Spanned<String>],
    known: &BTreeSet<S>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let (path, id) = (&f.path, f.id.as_str());
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

fn closest_id<'a, S: std::borrow::Borrow<str>>(
    target: &str,
    known: &'a BTreeSet<S>,
) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (k.borrow(), strsim::jaro_winkler(target, k.borrow())))
        .filter(|&(_, s)| s > 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_table_in_the_docs_lists_every_code_once() {
        let docs = include_str!("validate.rs");
        for code in codes::ALL {
            let row = format!("//! | {code} |");
            assert_eq!(docs.matches(&row).count(), 1, "{code}");
        }
        let mut sorted = codes::ALL.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), codes::ALL.len());
    }
}
