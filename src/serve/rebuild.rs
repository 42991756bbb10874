//! Incremental rebuilds: takes a batch of changes, has the pipeline re-check the
//! files it names and redo only what they affect, writes only files whose bytes
//! changed, and keeps the last good state when a rebuild fails. The search index is
//! rebuilt behind the reload by the indexer (`worker`).

use super::output::Output;
use super::site_pipeline::{Render, SitePipeline, Stages};
use super::watch::ChangeSet;
use crate::diagnostic::Diagnostic;
use crate::model::Kb;
use crate::validate::ArticleChange;
use std::path::{Path, PathBuf};
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
    /// HTML pages among the files rendered (what `build` counts as pages).
    pub pages: usize,
    /// Output files rendered (pages, assets, indexes, article sources).
    pub rendered: usize,
    pub written: usize,
    pub removed: usize,
    /// Warnings of the files rebuilt, to print.
    pub warnings: Vec<Diagnostic>,
    /// Time spent checking, rendering (split into `stages`) and writing.
    pub check: Duration,
    pub render: Duration,
    pub stages: Stages,
    pub write: Duration,
}

/// What the search indexer is sent after a good rebuild.
pub enum IndexUpdate {
    /// Every article (after a full render).
    All(Kb),
    /// The articles that changed.
    Changes(Vec<ArticleChange>),
}

/// The state kept between rebuilds.
pub struct Rebuilder {
    pipeline: SitePipeline,
    output: Output,
    /// `--kb` as the user gave it, and its absolute form (the watcher reports those).
    kb_dir: PathBuf,
    kb_abs: PathBuf,
    /// Changes not yet in a good build (collected while rebuilds fail).
    pending: ChangeSet,
    /// A full render is owed (first build, templates or config, or a failed one).
    need_full: bool,
    /// The indexer's news of the last good rebuild, sent once the page reloaded.
    to_index: Option<IndexUpdate>,
}

impl Rebuilder {
    pub fn new(pipeline: SitePipeline, out: &Path, kb_dir: &Path, kb_abs: &Path) -> Self {
        Rebuilder {
            pipeline,
            output: Output::new(out),
            kb_dir: kb_dir.to_path_buf(),
            kb_abs: kb_abs.to_path_buf(),
            pending: ChangeSet::default(),
            need_full: true,
            to_index: None,
        }
    }

    /// The diagnostics as the pipeline prints them for people.
    pub fn report(&self, diagnostics: &[Diagnostic]) -> String {
        self.pipeline.report(diagnostics)
    }

    /// The summary line `kbgen check` prints under the same diagnostics.
    pub fn summary(&self, diagnostics: &[Diagnostic]) -> String {
        self.pipeline.summary(diagnostics)
    }

    /// What the search index has not seen yet (taken once).
    pub fn take_index_update(&mut self) -> Option<IndexUpdate> {
        match self.to_index.take()? {
            IndexUpdate::All(_) => self.pipeline.index_kb().map(IndexUpdate::All),
            changes => Some(changes),
        }
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
            // Article files were re-checked already; only the inputs must be retried.
            self.pending.templates = changes.templates;
            self.pending.config = changes.config;
        }
        result
    }

    fn rebuild(&mut self, changes: &ChangeSet) -> Outcome {
        if changes.templates || changes.config {
            if let Err(diags) = self.pipeline.reload_inputs() {
                self.need_full = true;
                return Outcome::Failed(diags);
            }
            self.need_full = true;
        }
        let edited: Vec<PathBuf> = changes.articles.iter().map(|p| self.user_path(p)).collect();
        let started = Instant::now();
        if let Err(e) = self.pipeline.check(&edited, changes.rescan) {
            let msg = format!("{e:#}");
            return Outcome::Failed(vec![Diagnostic::error("E000", &self.kb_dir, 0, 0, msg)]);
        }
        if self.pipeline.has_errors() {
            return Outcome::Failed(self.pipeline.diagnostics().to_vec());
        }
        let check = started.elapsed();
        let started = Instant::now();
        let full = self.need_full;
        let rendered = if full {
            self.pipeline.render_all()
        } else {
            self.pipeline.render_changes()
        };
        let render = match rendered {
            Ok(r) => r,
            Err(diags) => {
                self.need_full |= full;
                return Outcome::Failed(diags);
            }
        };
        let render_time = started.elapsed();
        let warnings = self
            .pipeline
            .diagnostics_for((!full).then_some(&edited[..]));
        let mut outcome = self.finish(render);
        if let Outcome::Built(summary) = &mut outcome {
            (summary.check, summary.render) = (check, render_time);
            summary.warnings = warnings;
        }
        outcome
    }

    fn finish(&mut self, render: Render) -> Outcome {
        let Render {
            files,
            remove,
            full,
            snapshot,
            stages,
        } = render;
        let rendered = files.len();
        let pages = files.iter().filter(|(p, _)| p.ends_with(".html")).count();
        let started = Instant::now();
        let written = self.output.write(files, full);
        let removed = written.and_then(|w| Ok((w, self.output.remove(&remove)?)));
        let (written, removed) = match removed {
            Ok((w, r)) => (w, r),
            Err(e) => {
                self.need_full = true;
                let msg = format!("writing the site: {e:#}");
                let root = self.output.root();
                return Outcome::Failed(vec![Diagnostic::error("E000", root, 0, 0, msg)]);
            }
        };
        self.need_full = false;
        let changes = self.pipeline.rendered(snapshot);
        // Copying every article for the indexer waits until after the reload.
        self.to_index = Some(match full {
            true => IndexUpdate::All(Kb::default()),
            false => IndexUpdate::Changes(changes),
        });
        Outcome::Built(Summary {
            kind: if full { "full" } else { "incremental" },
            pages,
            rendered,
            written: written.written,
            removed: written.removed + removed,
            stages,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLACK: &str = "kb/slack-scim-409-conflict.yaml";

    fn setup() -> (PathBuf, tempfile::TempDir, Rebuilder) {
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
            publish: Default::default(),
        });
        let kb = root.join("kb");
        let rb = Rebuilder::new(pipeline, &root.join("site"), &kb, &kb);
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
        assert_eq!(s.kind, "incremental");
        assert!(s.removed >= 3, "page, source and product page: {s:?}");
        assert!(
            !root
                .join("site/articles/slack-scim-409-conflict/index.html")
                .exists()
        );
        assert!(!root.join("site/products/slack/index.html").exists());
    }
}
