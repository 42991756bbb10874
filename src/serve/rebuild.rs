//! Incremental rebuilds: classifies a batch of changes, redoes only what it affects
//! (an edited article re-renders its page, its list pages and the site-wide pages),
//! writes only files whose bytes changed, and keeps the last good state when a
//! rebuild fails. The search index is rebuilt behind the reload by `search_worker`.

use super::output::Output;
use super::pipeline::{Affected, Checked, Files, Pipeline};
use super::watch::ChangeSet;
use crate::diagnostic::Diagnostic;
use crate::model::{Article, Kb};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// New files are in place; the page should reload.
    Built(Summary),
    /// The rebuild failed; the previous files are untouched.
    Failed(Vec<Diagnostic>),
}

#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// "full" or "incremental".
    pub kind: &'static str,
    pub rendered: usize,
    pub written: usize,
    pub removed: usize,
    /// Warnings of a successful build, to print.
    pub warnings: Vec<Diagnostic>,
    /// Time spent checking, rendering and writing.
    pub check: Duration,
    pub render: Duration,
    pub write: Duration,
}

/// The state kept between rebuilds.
pub struct Rebuilder<P: Pipeline> {
    pipeline: P,
    output: Output,
    /// `--kb` as the user gave it, and its absolute form (the watcher reports those).
    kb_dir: PathBuf,
    kb_abs: PathBuf,
    /// The last good knowledge base, shared with the search worker.
    kb: Option<Arc<Kb>>,
    /// Changes not yet in a good build (collected while rebuilds fail).
    pending: ChangeSet,
    /// A full render is owed (first build, templates or config, or a failed one).
    need_full: bool,
    /// Called with each good knowledge base so the search index catches up.
    on_kb: Box<dyn FnMut(Arc<Kb>) + Send>,
}

impl<P: Pipeline> Rebuilder<P> {
    pub fn new(
        pipeline: P,
        out: &Path,
        kb_dir: &Path,
        kb_abs: &Path,
        on_kb: Box<dyn FnMut(Arc<Kb>) + Send>,
    ) -> Self {
        Rebuilder {
            pipeline,
            output: Output::new(out),
            kb_dir: kb_dir.to_path_buf(),
            kb_abs: kb_abs.to_path_buf(),
            kb: None,
            pending: ChangeSet::default(),
            need_full: true,
            on_kb,
        }
    }

    /// The diagnostics as the pipeline prints them for people.
    pub fn report(&self, diagnostics: &[Diagnostic]) -> String {
        self.pipeline.report(diagnostics)
    }

    /// The first build: everything.
    pub fn initial(&mut self) -> Outcome {
        self.apply(ChangeSet {
            config: true,
            ..ChangeSet::default()
        })
    }

    /// Rebuilds for one batch of changes (and any left over from failed rebuilds).
    pub fn apply(&mut self, changes: ChangeSet) -> Outcome {
        self.pending.merge(changes);
        let changes = std::mem::take(&mut self.pending);
        let result = self.rebuild(&changes);
        if let Outcome::Failed(_) = result {
            self.pending = changes;
            if self.pending.templates || self.pending.config {
                self.need_full = true;
            }
        }
        result
    }

    fn rebuild(&mut self, changes: &ChangeSet) -> Outcome {
        if changes.templates || changes.config {
            if let Err(diags) = self.pipeline.reload_inputs() {
                return Outcome::Failed(diags);
            }
            self.need_full = true;
        }
        let edited: Vec<PathBuf> = changes.articles.iter().map(|p| self.user_path(p)).collect();
        let structural = edited.iter().any(|p| self.is_added_or_removed(p));
        let incremental = !self.need_full && !structural && self.kb.is_some();
        let started = Instant::now();
        let checked = match self.check(&edited) {
            Ok(c) => c,
            Err(diags) => return Outcome::Failed(diags),
        };
        let check = started.elapsed();
        let started = Instant::now();
        let rendered = if incremental {
            let affected = self.affected(&checked.kb, &edited);
            self.pipeline.render_pages(&checked.kb, &affected)
        } else {
            self.pipeline.render_all(&checked.kb)
        };
        let files = match rendered {
            Ok(files) => files,
            Err(diags) => return Outcome::Failed(diags),
        };
        let render = started.elapsed();
        let mut outcome = self.finish(checked, files, !incremental);
        if let Outcome::Built(summary) = &mut outcome {
            (summary.check, summary.render) = (check, render);
        }
        outcome
    }

    /// Re-checks only the edited files once a good state exists (the pipeline keeps
    /// the rest); the first check reads everything.
    fn check(&mut self, edited: &[PathBuf]) -> Result<Checked, Vec<Diagnostic>> {
        let scope = self.kb.is_some().then_some(edited);
        let checked = self.pipeline.check(scope).map_err(|e| {
            vec![Diagnostic::error(
                "E000",
                &self.kb_dir,
                0,
                0,
                format!("{e:#}"),
            )]
        })?;
        if checked.has_errors() {
            return Err(checked.diagnostics);
        }
        Ok(checked)
    }

    fn finish(&mut self, checked: Checked, files: Files, full: bool) -> Outcome {
        let rendered = files.len();
        let started = Instant::now();
        let written = match self.output.write(files, full) {
            Ok(w) => w,
            Err(e) => {
                let msg = format!("writing the site: {e:#}");
                return Outcome::Failed(vec![Diagnostic::error(
                    "E000",
                    self.output.root(),
                    0,
                    0,
                    msg,
                )]);
            }
        };
        self.need_full = false;
        let kb = Arc::new(checked.kb);
        self.kb = Some(kb.clone());
        (self.on_kb)(kb);
        Outcome::Built(Summary {
            kind: if full { "full" } else { "incremental" },
            rendered,
            written: written.written,
            removed: written.removed,
            warnings: checked.diagnostics,
            write: started.elapsed(),
            ..Summary::default()
        })
    }

    /// The watcher's absolute path in the form the pipeline reports (under `--kb`).
    fn user_path(&self, abs: &Path) -> PathBuf {
        abs.strip_prefix(&self.kb_abs)
            .map(|rel| self.kb_dir.join(rel))
            .unwrap_or_else(|_| abs.to_path_buf())
    }

    fn is_added_or_removed(&self, path: &Path) -> bool {
        let known = self.previous(path).is_some();
        known != path.is_file()
    }

    fn previous(&self, path: &Path) -> Option<&Article> {
        self.kb.as_ref()?.articles.iter().find(|a| a.path == path)
    }

    /// The pages an edit of these files touches: the articles themselves (old and new
    /// ids), every list they were or are on, and articles that link to them.
    fn affected(&self, kb: &Kb, edited: &[PathBuf]) -> Affected {
        let mut affected = Affected::default();
        for path in edited {
            let old = self.previous(path);
            let new = kb.articles.iter().find(|a| &a.path == path);
            for a in old.iter().chain(new.iter()) {
                affected.articles.insert(a.id.clone());
                affected.products.extend(a.products.iter().cloned());
                affected.tags.extend(a.tags.iter().cloned());
            }
            affected.signatures |= old.map(|a| &a.errors) != new.map(|a| &a.errors);
        }
        let ids: BTreeSet<String> = affected.articles.clone();
        for a in &kb.articles {
            if a.related.iter().any(|r| ids.contains(r)) {
                affected.articles.insert(a.id.clone());
            }
        }
        affected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::site_pipeline::SitePipeline;

    const SLACK: &str = "kb/slack-scim-409-conflict.yaml";

    fn setup() -> (PathBuf, tempfile::TempDir, Rebuilder<SitePipeline>) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve/kb");
        std::fs::create_dir_all(root.join("kb")).unwrap_or_else(|e| panic!("{e}"));
        for entry in std::fs::read_dir(fixture)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            let to = root.join("kb").join(entry.file_name());
            std::fs::copy(entry.path(), to).unwrap_or_else(|e| panic!("{e}"));
        }
        let pipeline = SitePipeline::new(crate::site::BuildOptions {
            kb: root.join("kb"),
            templates: root.join("templates"),
            out: root.join("site"),
            config: root.join("kbgen.yaml"),
            base_url: None,
            quiet: true,
            color: false,
        });
        let kb = root.join("kb");
        let rb = Rebuilder::new(pipeline, &root.join("site"), &kb, &kb, Box::new(|_| {}));
        (root, dir, rb)
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn built(outcome: Outcome) -> Summary {
        match outcome {
            Outcome::Built(s) => s,
            Outcome::Failed(d) => panic!("build failed: {d:?}"),
        }
    }

    fn changed(path: &Path) -> ChangeSet {
        ChangeSet {
            articles: [path.to_path_buf()].into(),
            ..ChangeSet::default()
        }
    }

    #[test]
    fn an_edit_renders_only_the_pages_it_touches() {
        let (root, _dir, mut rb) = setup();
        let full = built(rb.initial());
        assert_eq!(full.kind, "full");
        let other = root.join("site/articles/okta-saml-clock-skew/index.html");
        let before = std::fs::metadata(&other).and_then(|m| m.modified()).ok();
        let slack = root.join(SLACK);
        edit(&slack, "title: Slack SCIM", "title: Edited SCIM");
        let s = built(rb.apply(changed(&slack)));
        assert_eq!(s.kind, "incremental");
        assert!(s.rendered < full.rendered, "{s:?} vs {full:?}");
        assert!(
            read(&root.join("site/articles/slack-scim-409-conflict/index.html"))
                .contains("Edited SCIM")
        );
        assert!(read(&root.join("site/products/slack/index.html")).contains("Edited SCIM"));
        let after = std::fs::metadata(&other).and_then(|m| m.modified()).ok();
        assert_eq!(before, after, "an unrelated article page is not rewritten");
    }

    #[test]
    fn a_broken_edit_keeps_the_last_good_files_and_recovers() {
        let (root, _dir, mut rb) = setup();
        built(rb.initial());
        let slack = root.join(SLACK);
        edit(&slack, "title: Slack SCIM", "title: [Slack SCIM");
        let Outcome::Failed(diags) = rb.apply(changed(&slack)) else {
            panic!("a broken file must fail the rebuild");
        };
        assert_eq!(diags[0].path, slack);
        assert!(diags[0].line >= 1);
        let page = root.join("site/articles/slack-scim-409-conflict/index.html");
        assert!(read(&page).contains("Slack SCIM provisioning"));
        edit(&slack, "title: [Slack SCIM", "title: Fixed SCIM");
        built(rb.apply(changed(&slack)));
        assert!(read(&page).contains("Fixed SCIM"));
    }

    #[test]
    fn a_removed_article_loses_its_page() {
        let (root, _dir, mut rb) = setup();
        built(rb.initial());
        let slack = root.join(SLACK);
        std::fs::remove_file(&slack).unwrap_or_else(|e| panic!("{e}"));
        let s = built(rb.apply(changed(&slack)));
        assert_eq!(s.kind, "full");
        assert!(s.removed >= 2, "{s:?}");
        assert!(
            !root
                .join("site/articles/slack-scim-409-conflict/index.html")
                .exists()
        );
        assert!(!root.join("site/products/slack/index.html").exists());
    }
}
