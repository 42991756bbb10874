//! Checking kept up to date file by file, for `serve`: each file's own result is
//! cached, a save re-reads and re-checks only the files it touched, and the checks
//! across files (unique ids, `related` targets, shared pages) run again over the
//! cached results.
//! The outcome is the same `Kb` and diagnostics a full [`check`](super::check) gives.

use super::{
    FileResult, check_file, check_related, codes, cross_check, shared_pages, sort_diagnostics,
};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Sources};
use crate::model::{Article, Kb};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An article of the `Kb` before and after an update (`None`: not in the `Kb`).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleChange {
    pub id: String,
    pub old: Option<Article>,
    pub new: Option<Article>,
}

/// The checked knowledge base with every file's own result kept.
pub struct Incremental {
    kb_dir: PathBuf,
    /// By path: the order `load::find_files` walks in (component-wise, by name).
    files: BTreeMap<PathBuf, FileResult>,
    sources: Sources,
    kb: Kb,
    /// Id and path of each article in `kb`.
    valid: BTreeMap<String, PathBuf>,
    /// The id of every file, and the files whose id an earlier file has.
    known: BTreeSet<String>,
    duplicates: BTreeSet<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    /// The distinctive tokens of every error text, for W007 and W008 after an edit.
    distinct: super::generic::Distinct,
}

impl Incremental {
    /// Checks every article under `kb_dir` (in parallel), like `check`.
    pub fn new(kb_dir: &Path) -> anyhow::Result<Incremental> {
        let mut this = Incremental {
            kb_dir: kb_dir.to_path_buf(),
            files: BTreeMap::new(),
            sources: Sources::default(),
            kb: Kb::default(),
            valid: BTreeMap::new(),
            known: BTreeSet::new(),
            duplicates: BTreeSet::new(),
            diagnostics: Vec::new(),
            distinct: Default::default(),
        };
        let paths = load::find_files(kb_dir)?;
        this.update(&paths);
        Ok(this)
    }

    /// Re-checks `paths` (files created, edited or removed under the folder; others
    /// are ignored) and returns the articles of the `Kb` that changed.
    pub fn update(&mut self, paths: &[PathBuf]) -> Vec<ArticleChange> {
        let changes = self.update_files(paths);
        // error texts too generic or shared (W007, W008) depend on every article
        let across =
            |d: &Diagnostic| d.code == codes::GENERIC_ERROR || d.code == codes::SHARED_ERROR;
        self.diagnostics.retain(|d| !across(d));
        let sources = &self.sources;
        let generic =
            super::generic::generic_errors_with(&self.kb, |p| sources.get(p), &mut self.distinct);
        self.diagnostics.extend(generic);
        sort_diagnostics(&mut self.diagnostics);
        changes
    }

    fn update_files(&mut self, paths: &[PathBuf]) -> Vec<ArticleChange> {
        let kb_dir = &self.kb_dir;
        let fresh: Vec<(&PathBuf, Option<FileResult>)> = paths
            .par_iter()
            .map(|p| {
                (
                    p,
                    load::is_article_file(kb_dir, p).then(|| check_file(kb_dir, p)),
                )
            })
            .collect();
        // The same files as before: ids and duplicates stand, only the edited files'
        // own results and links need checking again.
        let same_files = fresh
            .iter()
            .all(|(p, r)| r.is_some() == self.files.contains_key(*p));
        let edited: Vec<PathBuf> = fresh.iter().map(|(p, _)| (*p).clone()).collect();
        // What lifecycle fields name, and links to drafts, are checked across every
        // article: an edit that may change them is checked with all the others.
        let lifecycle = |r: &FileResult| r.links.has_lifecycle(r.article.as_ref());
        let across = (fresh.iter().filter_map(|(_, r)| r.as_ref()))
            .chain(self.files.values())
            .any(lifecycle);
        let mut touched = BTreeSet::new();
        for (path, result) in fresh {
            if let Some(old) = self.files.remove(path) {
                touched.insert(old.file.id);
            }
            self.sources.remove(path);
            if let Some(mut r) = result {
                touched.insert(r.file.id.clone());
                if let Some(text) = r.text.take() {
                    self.sources.insert(path.clone(), text);
                }
                self.files.insert(path.clone(), r);
            }
        }
        if same_files && !across && self.recheck_edited(&edited) {
            return touched
                .into_iter()
                .filter_map(|id| self.patch(id))
                .collect();
        }
        self.recheck(touched)
    }

    /// The checks across files for `edited` alone, when no file came or went. Gives
    /// up (false, nothing changed) when an edit moves an article into or out of the
    /// `Kb`, or a diagnostic names another file: then every file is checked again.
    fn recheck_edited(&mut self, edited: &[PathBuf]) -> bool {
        let mut fresh = Vec::new();
        for path in edited {
            let Some(r) = self.files.get(path) else {
                return false;
            };
            let ok = check_related(&r.file, &r.links.related, &self.known, &mut fresh);
            let valid = ok && r.article.is_some() && !self.duplicates.contains(path);
            let was_valid = self.valid.get(&r.file.id) == Some(path);
            if valid != was_valid {
                return false;
            }
            fresh.extend(r.diagnostics.iter().cloned());
        }
        if fresh.iter().any(|d| !edited.contains(&d.path)) {
            return false;
        }
        // A duplicate id stays one: keep that diagnostic, replace the others. An edit
        // may give any file's product a shared page or take it away: W006 anew for all.
        let replaced = |d: &Diagnostic| {
            (edited.contains(&d.path) && d.code != codes::DUPLICATE_ID)
                || d.code == codes::SHARED_PAGE
        };
        self.diagnostics.retain(|d| !replaced(d));
        // In `check`'s order: the checks across files first (the sort keeps it).
        let mut all = Vec::new();
        let valid: Vec<&FileResult> = (self.files.values())
            .filter(|r| self.valid.get(&r.file.id) == Some(&r.file.path))
            .collect();
        shared_pages(&valid, &mut all);
        all.append(&mut self.diagnostics);
        all.extend(fresh);
        sort_diagnostics(&mut all);
        self.diagnostics = all;
        true
    }

    /// Walks the folder again (after a folder was added, moved or removed) and
    /// re-checks the files that appeared or went away.
    pub fn rescan(&mut self) -> anyhow::Result<Vec<ArticleChange>> {
        let found: BTreeSet<PathBuf> = load::find_files(&self.kb_dir)?.into_iter().collect();
        let gone = self.files.keys().filter(|p| !found.contains(*p));
        let mut paths: Vec<PathBuf> = gone.cloned().collect();
        paths.extend(found.into_iter().filter(|p| !self.files.contains_key(p)));
        Ok(self.update(&paths))
    }

    /// Runs the checks across files and patches the `Kb`: the articles of `touched`
    /// ids, those that entered or left it, and those whose `related` lists name one
    /// of the latter (their links to it are kept only while it is valid).
    fn recheck(&mut self, mut refresh: BTreeSet<String>) -> Vec<ArticleChange> {
        let results: Vec<&FileResult> = self.files.values().collect();
        let mut diagnostics = Vec::new();
        let (valid, duplicates) = cross_check(&results, &mut diagnostics);
        let valid: BTreeMap<String, PathBuf> = (valid.into_iter())
            .map(|r| (r.file.id.clone(), r.file.path.clone()))
            .collect();
        for r in &results {
            diagnostics.extend(r.diagnostics.iter().cloned());
        }
        self.known = results.iter().map(|r| r.file.id.clone()).collect();
        self.duplicates = duplicates;
        sort_diagnostics(&mut diagnostics);
        self.diagnostics = diagnostics;

        let entered_or_left: BTreeSet<&String> = (valid.keys())
            .filter(|id| !self.valid.contains_key(*id))
            .chain(self.valid.keys().filter(|id| !valid.contains_key(*id)))
            .collect();
        for (id, path) in &valid {
            let moved = self.valid.get(id) != Some(path);
            let article = self.files.get(path).and_then(|r| r.article.as_ref());
            let links =
                article.is_some_and(|a| a.related.iter().any(|r| entered_or_left.contains(r)));
            if moved || links {
                refresh.insert(id.clone());
            }
        }
        refresh.extend(entered_or_left.into_iter().cloned());
        self.valid = valid;
        refresh
            .into_iter()
            .filter_map(|id| self.patch(id))
            .collect()
    }

    /// Puts the current form of article `id` into the `Kb`; the change, if any.
    fn patch(&mut self, id: String) -> Option<ArticleChange> {
        let new = (self.valid.get(&id))
            .and_then(|path| self.files.get(path))
            .and_then(|r| r.article.clone())
            .map(|mut a| {
                // Only reachable with errors elsewhere; keeps every link inside the Kb.
                a.related.retain(|r| self.valid.contains_key(r));
                a
            });
        let articles = &mut self.kb.articles;
        let old = match (articles.binary_search_by(|a| a.id.cmp(&id)), &new) {
            (Ok(i), Some(n)) => Some(std::mem::replace(&mut articles[i], n.clone())),
            (Ok(i), None) => Some(articles.remove(i)),
            (Err(i), Some(n)) => {
                articles.insert(i, n.clone());
                None
            }
            (Err(_), None) => None,
        };
        (old != new).then_some(ArticleChange { id, old, new })
    }

    /// Every valid article, sorted by id.
    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    /// Every problem found, in the order `check` reports them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The diagnostics of one file (its own and those across files).
    pub fn diagnostics_of<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.path == path)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The text of every file read, for snippets.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Number of article files found (valid or not).
    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::check;

    fn same_as_full_check(inc: &Incremental, kb_dir: &Path, step: &str) {
        let full = check(kb_dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(inc.diagnostics(), full.diagnostics.as_slice(), "{step}");
        assert_eq!(inc.kb().articles, full.kb.articles, "{step}");
        assert_eq!(inc.file_count(), full.file_count, "{step}");
        let texts = |s: &Sources| -> Vec<(PathBuf, String)> {
            s.iter()
                .map(|(p, t)| (p.to_path_buf(), t.to_string()))
                .collect()
        };
        assert_eq!(texts(inc.sources()), texts(&full.sources), "{step}");
    }

    fn article(title: &str, related: &[&str]) -> String {
        let mut text = format!(
            "title: {title}\nproducts: [Okta]\ntags: [sso]\nsymptoms: [It fails.]\n\
             errors: [\"AADSTS50105: the signed in user is not assigned to a role\"]\n\
             environment: [Okta]\ncause: A cause.\nresolution:\n  steps: [Fix it.]\n"
        );
        if !related.is_empty() {
            text.push_str(&format!("related: [{}]\n", related.join(", ")));
        }
        text
    }

    /// Each step edits the folder, updates the incremental check with the paths it
    /// touched, and compares everything with a full check of the same folder.
    #[test]
    fn incremental_updates_match_a_full_check_after_every_kind_of_edit() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let kb = dir.path().join("kb");
        let write = |rel: &str, text: &str| {
            let path = kb.join(rel);
            std::fs::create_dir_all(path.parent().unwrap_or(&kb)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            path
        };
        write("a.yaml", &article("Alpha", &["b"]));
        write("b.yaml", &article("Beta", &[]));
        write("sub/c.yaml", &article("Gamma", &["a", "b"]));
        write("d.yaml", "title: Delta\nsymptoms: [x]\n");
        let mut inc = Incremental::new(&kb).unwrap_or_else(|e| panic!("{e}"));
        same_as_full_check(&inc, &kb, "initial");

        type Step<'a> = (&'a str, Box<dyn Fn() -> Vec<PathBuf> + 'a>);
        let steps: Vec<Step> = vec![
            (
                "edit a title",
                Box::new(|| vec![write("a.yaml", &article("Alpha 2", &["b"]))]),
            ),
            (
                "add an article",
                Box::new(|| vec![write("e.yaml", &article("Epsilon", &["a"]))]),
            ),
            (
                "break one that others link to",
                Box::new(|| vec![write("b.yaml", "title: [\n")]),
            ),
            (
                "fix it again",
                Box::new(|| vec![write("b.yaml", &article("Beta", &[]))]),
            ),
            (
                "fix d",
                Box::new(|| vec![write("d.yaml", &article("Delta", &[]))]),
            ),
            (
                "related to a missing id",
                Box::new(|| vec![write("e.yaml", &article("Epsilon", &["zzz"]))]),
            ),
            (
                "a duplicate id in a subfolder",
                Box::new(|| vec![write("sub/a.yaml", &article("Other", &[]))]),
            ),
            (
                "edit the duplicate",
                Box::new(|| vec![write("sub/a.yaml", "title: Other\ncause: x\n")]),
            ),
            (
                "warnings and errors in one edit",
                Box::new(|| {
                    let text = article("Epsilon", &["zzz"]).replace("errors:", "conditions:");
                    vec![write("e.yaml", &format!("{text}summary: <b>raw</b>\n"))]
                }),
            ),
            (
                "remove the first of the duplicates",
                Box::new(|| {
                    let path = kb.join("a.yaml");
                    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
                    vec![path]
                }),
            ),
            (
                "rename an id",
                Box::new(|| {
                    let (from, to) = (kb.join("b.yaml"), kb.join("beta.yaml"));
                    std::fs::rename(&from, &to).unwrap_or_else(|e| panic!("{e}"));
                    vec![from, to]
                }),
            ),
            (
                "fix every link",
                Box::new(|| {
                    vec![
                        write("e.yaml", &article("Epsilon", &["beta"])),
                        write("sub/c.yaml", &article("Gamma", &["a", "beta"])),
                    ]
                }),
            ),
            (
                "a second spelling of a product (W006 in the edited file)",
                Box::new(|| {
                    let text = article("Gamma", &["a", "beta"]).replace("[Okta]", "[OKTA]");
                    vec![write("sub/c.yaml", &text)]
                }),
            ),
            (
                "the first spelling changes (W006 moves to another file)",
                Box::new(|| {
                    let text = article("Epsilon", &["beta"]).replace("[Okta]", "[okta]");
                    vec![write("e.yaml", &text)]
                }),
            ),
            (
                "one spelling again",
                Box::new(|| {
                    let text = article("Gamma", &["a", "beta"]);
                    vec![
                        write("e.yaml", &article("Epsilon", &["beta"])),
                        write("sub/c.yaml", &text),
                    ]
                }),
            ),
            (
                "an empty file and a non-article",
                Box::new(|| vec![write("f.yaml", ""), write("notes.txt", "x")]),
            ),
            (
                "a file in a hidden folder",
                Box::new(|| vec![write(".git/g.yaml", &article("G", &[]))]),
            ),
        ];
        for (step, run) in &steps {
            let paths = run();
            inc.update(&paths);
            same_as_full_check(&inc, &kb, step);
        }
    }

    #[test]
    fn changes_name_what_entered_left_or_changed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let kb = dir.path().to_path_buf();
        std::fs::write(kb.join("a.yaml"), article("Alpha", &[])).unwrap_or_else(|e| panic!("{e}"));
        let mut inc = Incremental::new(&kb).unwrap_or_else(|e| panic!("{e}"));
        let b = kb.join("b.yaml");
        std::fs::write(&b, article("Beta", &["a"])).unwrap_or_else(|e| panic!("{e}"));
        let changes = inc.update(std::slice::from_ref(&b));
        assert_eq!(changes.len(), 1);
        assert!(changes[0].old.is_none() && changes[0].new.is_some());
        assert!(
            inc.update(std::slice::from_ref(&b)).is_empty(),
            "unchanged bytes change nothing"
        );
        std::fs::remove_file(kb.join("a.yaml")).unwrap_or_else(|e| panic!("{e}"));
        let changes = inc.rescan().unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"], "b's link to a fails now");
        assert!(inc.has_errors());
    }
}
