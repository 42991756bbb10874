//! The lifecycle rules across articles: what `superseded_by` and `aliases` name,
//! `related` links to drafts, and drafts that may be incomplete.

use super::{FileResult, codes, shape};
use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::model::{Article, Date, Status};
use crate::raw::RawArticle;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, BTreeSet};

/// The located values of one article's fields that name other articles.
#[derive(Debug, Default)]
pub struct Links {
    pub related: Vec<Spanned<String>>,
    pub superseded_by: Option<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
}

impl Links {
    pub fn of(raw: &RawArticle) -> Links {
        Links {
            related: raw.related.clone().unwrap_or_default(),
            superseded_by: raw.superseded_by.clone(),
            aliases: raw.aliases.clone().unwrap_or_default(),
        }
    }

    /// Whether the article takes part in the lifecycle checks across articles.
    pub fn has_lifecycle(&self, a: Option<&Article>) -> bool {
        self.superseded_by.is_some()
            || !self.aliases.is_empty()
            || a.is_some_and(|a| a.life.status != Status::Published)
    }
}

/// Turns the missing and empty required fields of a draft into warnings (a draft
/// may be incomplete); whether there were any.
pub fn allow_incomplete(diagnostics: &mut [Diagnostic]) -> bool {
    let mut any = false;
    for d in diagnostics.iter_mut() {
        if d.code == codes::MISSING_FIELD || d.code == codes::EMPTY_FIELD {
            d.code = codes::INCOMPLETE_DRAFT;
            d.severity = Severity::Warning;
            d.message = format!("{} (allowed in a draft)", d.message);
            d.hint = Some(match d.hint.take() {
                Some(h) => format!("{h}, before the article is published"),
                None => "fill it in before the article is published".into(),
            });
            any = true;
        }
    }
    any
}

/// Checks what the lifecycle fields of the `valid` files name (`known`: the id of
/// every file found); the paths of the files with errors here, which are left out
/// of the `Kb`.
pub fn check(
    valid: &[&FileResult],
    known: &BTreeSet<&str>,
    out: &mut Vec<Diagnostic>,
) -> BTreeSet<std::path::PathBuf> {
    let by_id: BTreeMap<&str, &FileResult> = (valid.iter())
        .filter_map(|&r| r.article.as_ref().map(|a| (a.id.as_str(), r)))
        .collect();
    let mut bad = BTreeSet::new();
    let mut aliases: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
    for r in valid {
        let Some(a) = &r.article else { continue };
        if let Some(next) = &r.links.superseded_by
            && let Some(d) = successor(r, next, &by_id, known)
        {
            out.push(d);
            bad.insert(r.file.path.clone());
        }
        for alias in &r.links.aliases {
            let name = alias.value.trim();
            let taken = known.contains(name) || aliases.contains_key(name);
            if let Some(d) = taken.then(|| alias_clash(r, alias, aliases.get(name), &by_id)) {
                out.push(d);
                bad.insert(r.file.path.clone());
            } else {
                aliases.insert(name, alias);
            }
        }
        if a.life.status != Status::Draft {
            related_drafts(r, &by_id, out);
        }
    }
    bad
}

fn located(
    code: &'static str,
    r: &FileResult,
    at: &Spanned<String>,
    msg: String,
    error: bool,
) -> Diagnostic {
    let (line, column) = shape::at(at);
    let path = &r.file.path;
    match error {
        true => Diagnostic::error(code, path, line, column, msg),
        false => Diagnostic::warning(code, path, line, column, msg),
    }
}

/// The problem with `superseded_by: next`, if any.
fn successor(
    r: &FileResult,
    next: &Spanned<String>,
    by_id: &BTreeMap<&str, &FileResult>,
    known: &BTreeSet<&str>,
) -> Option<Diagnostic> {
    let id = next.value.trim();
    let (msg, hint) = match by_id.get(id).and_then(|t| t.article.as_ref()) {
        _ if id == r.file.id => return None, // reported with the article's own rules
        Some(t) if t.life.status == Status::Draft => (
            format!("`superseded_by` names `{id}`, a draft"),
            "readers would be sent to a page that is not published: publish it first",
        ),
        Some(t) if t.life.status == Status::Retired => (
            format!("`superseded_by` names `{id}`, which is retired too"),
            "name the article that replaces both",
        ),
        Some(_) => return None,
        None if known.contains(id) => return None, // it has errors of its own
        None => (
            format!("`superseded_by` names `{id}`, which does not exist"),
            "`superseded_by` takes an article id: a file name without `.yaml`",
        ),
    };
    Some(located(codes::BAD_SUCCESSOR, r, next, msg, true).with_hint(hint))
}

fn alias_clash(
    r: &FileResult,
    alias: &Spanned<String>,
    earlier: Option<&&Spanned<String>>,
    by_id: &BTreeMap<&str, &FileResult>,
) -> Diagnostic {
    let name = alias.value.trim();
    let msg = match by_id.contains_key(name) || earlier.is_none() {
        true => format!("alias `{name}` is the id of an existing article"),
        false => format!("alias `{name}` is already another article's alias"),
    };
    let hint = "an old URL can lead to one article only: remove this alias";
    let d = located(codes::BAD_ALIAS, r, alias, msg, true).with_hint(hint);
    let other = by_id.values().find(|o| {
        o.links.aliases.iter().any(|a| a.value.trim() == name) && o.file.path != r.file.path
    });
    match (earlier, other) {
        (Some(at), Some(o)) => {
            let (line, column) = shape::at(at);
            d.with_related(Related {
                path: o.file.path.clone(),
                line,
                column,
                message: format!("`{name}` is an alias of `{}` here", o.file.id),
            })
        }
        _ => d,
    }
}

/// Warns about `related` entries of a published or retired article naming a draft.
fn related_drafts(r: &FileResult, by_id: &BTreeMap<&str, &FileResult>, out: &mut Vec<Diagnostic>) {
    for rel in &r.links.related {
        let id = rel.value.trim();
        let draft = (by_id.get(id).and_then(|t| t.article.as_ref()))
            .is_some_and(|t| t.life.status == Status::Draft);
        if draft {
            let msg = format!("related article `{id}` is a draft");
            let hint =
                "the link is left out of builds without drafts: publish it, or remove the entry";
            out.push(located(codes::RELATED_DRAFT, r, rel, msg, false).with_hint(hint));
        }
    }
}

/// W010 for each published article of `kb` whose last review is more than `every`
/// days before `today`.
pub fn reviews_due(kb: &crate::model::Kb, every: u32, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in kb
        .articles
        .iter()
        .filter(|a| a.life.status == Status::Published)
    {
        let (line, column) = a.life.review_at;
        let message = match a.last_reviewed() {
            Some(d) if today.days() - d.days() <= i64::from(every) => continue,
            Some(d) => format!(
                "last reviewed {d}, {} days ago (`review_every_days: {every}`)",
                today.days() - d.days()
            ),
            None => "never reviewed: no `reviewed`, `updated` or `created` date".into(),
        };
        let hint = format!("check that the article is still right, then set `reviewed: {today}`");
        out.push(
            Diagnostic::warning(codes::REVIEW_DUE, &a.path, line, column, message).with_hint(hint),
        );
    }
    out
}
