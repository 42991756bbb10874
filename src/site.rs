//! Orchestrates a build: check, render every page, add the indexes, and swap the
//! output in atomically. Also the pieces `serve` reuses for incremental rebuilds:
//! [`Builder::render_all`], [`Builder::render_article`] and [`write::write_files`].

pub mod write;

use crate::config::{Config, Settings};
use crate::diagnostic::Diagnostic;
use crate::model::Kb;
use crate::render::Renderer;
pub use crate::render::{Changes, Files};
use anyhow::Context as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `kbgen build` (and `serve`) needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub kb: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    /// The `kbgen.yaml` settings file (missing is fine).
    pub config: PathBuf,
    /// Overrides `base_url` from the settings file.
    pub base_url: Option<String>,
    pub quiet: bool,
    /// Colour in the diagnostics text.
    pub color: bool,
}

/// Wall-clock time of each stage of a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Settings and templates.
    pub setup: Duration,
    /// Loading and validating the articles (one stage in `validate::check`).
    pub check: Duration,
    pub render: Duration,
    pub search: Duration,
    pub signatures: Duration,
    pub write: Duration,
    pub total: Duration,
}

/// The outcome of a build. With content errors nothing is written: `written` is
/// false and `diagnostics_text` says why.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub written: bool,
    pub articles: usize,
    /// HTML pages written.
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Every diagnostic (errors and warnings).
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics as people read them (compiler style).
    pub diagnostics_text: String,
    pub timings: Timings,
}

impl BuildReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks, renders everything in memory and swaps the result in at `opts.out`.
/// `Err` is a usage, settings, template or I/O problem; content errors come back
/// in the report with nothing written.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildReport> {
    let start = Instant::now();
    let builder = Builder::new(opts)?;
    let mut report = BuildReport::default();
    report.timings.setup = start.elapsed();

    let t = Instant::now();
    let checked = crate::validate::check(&opts.kb)?;
    report.timings.check = t.elapsed();
    let shown: Vec<Diagnostic> = (checked.diagnostics.iter())
        .filter(|d| !opts.quiet || d.is_error())
        .cloned()
        .collect();
    report.diagnostics_text = crate::report::human(&shown, &checked.sources, opts.color);
    if checked.has_errors() {
        let (e, w) = (checked.error_count(), checked.warning_count());
        let line = crate::report::summary(e, w, checked.file_count, opts.color);
        report.diagnostics_text.push_str(&format!("{line}\n"));
    }
    report.diagnostics = checked.diagnostics.clone();
    report.articles = checked.kb.articles.len();
    if checked.has_errors() {
        report.timings.total = start.elapsed();
        return Ok(report);
    }

    let files = builder.render_all(&checked.kb, &mut report.timings)?;
    let t = Instant::now();
    write::replace_dir(&opts.out, &files)?;
    report.timings.write = t.elapsed();

    report.written = true;
    report.files = files.len();
    report.pages = files.keys().filter(|p| p.ends_with(".html")).count();
    report.bytes = files.values().map(|b| b.len() as u64).sum();
    report.timings.total = start.elapsed();
    Ok(report)
}

/// Settings and templates loaded once; renders whole sites or single articles.
pub struct Builder {
    renderer: Renderer,
}

impl Builder {
    /// Reads the settings file (flags win) and the templates. Errors are located.
    pub fn new(opts: &BuildOptions) -> anyhow::Result<Builder> {
        let config = Config::load(&opts.config)?;
        let settings = config.settings(opts.base_url.as_deref())?;
        let renderer = Renderer::new(&opts.templates, settings)?;
        Ok(Builder { renderer })
    }

    pub fn settings(&self) -> &Settings {
        self.renderer.settings()
    }

    /// Every output file of the site, in memory: pages, assets, article sources,
    /// `signatures.json` and the search index. Adds the stage times to `timings`.
    pub fn render_all(&self, kb: &Kb, timings: &mut Timings) -> anyhow::Result<Files> {
        let t = Instant::now();
        let mut files = self.renderer.render_all(kb)?;
        for a in &kb.articles {
            files.insert(source_path(&a.id), read_source(a)?);
        }
        timings.render = t.elapsed();

        let t = Instant::now();
        for (path, bytes) in crate::search::build_index(kb) {
            files.insert(path, bytes);
        }
        timings.search = t.elapsed();

        let t = Instant::now();
        let signatures = crate::signature::SignatureIndex::build(kb).to_json();
        files.insert("signatures.json".into(), signatures.into_bytes());
        timings.signatures = t.elapsed();
        Ok(files)
    }

    /// The files to rewrite after `changes` (pages and article sources), for
    /// `write::write_files`. The search index and `signatures.json` are not included:
    /// rebuild them with their own modules.
    pub fn render_changes(&self, kb: &Kb, changes: &Changes) -> anyhow::Result<Files> {
        let mut files = self.renderer.render_changes(kb, changes)?;
        for id in &changes.articles {
            if let Some(a) = kb.get(id) {
                files.insert(source_path(id), read_source(a)?);
            }
        }
        Ok(files)
    }

    /// The files to rewrite when only article `id` changed (and its products and
    /// tags did not).
    pub fn render_article(&self, kb: &Kb, id: &str) -> anyhow::Result<Files> {
        match kb.get(id) {
            Some(a) => self.render_changes(kb, &Changes::article(a)),
            None => Ok(Files::new()),
        }
    }
}

/// The article's YAML, copied beside its page so "View the YAML source" works offline.
fn source_path(id: &str) -> String {
    format!("{}source.yaml", crate::render::views::article_dir(id))
}

fn read_source(a: &crate::model::Article) -> anyhow::Result<Vec<u8>> {
    std::fs::read(&a.path).with_context(|| format!("reading {}", a.path.display()))
}
