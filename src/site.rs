//! Orchestrates a build: check, render every page, add the indexes, and swap the
//! output in atomically. Also the pieces `serve` reuses for incremental rebuilds:
//! [`Builder::render_all`], [`Builder::render_article`] and [`write::write_files`].

pub mod write;

use crate::config::{Config, Settings};
use crate::diagnostic::Diagnostic;
use crate::model::Kb;
pub use crate::output::{Files, PutFile};
use crate::progress::Progress;
pub use crate::render::Changes;
use crate::render::Renderer;
use anyhow::Context as _;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;
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
    /// Which articles and notes the site shows (public, no drafts by default).
    pub publish: crate::publish::Publish,
}

/// Wall-clock time of each stage of a build. Files are written as each stage makes
/// them, so `render` and `search` include writing their files into the staging
/// folder, and `write` is the final swap into the output folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Settings and templates.
    pub setup: Duration,
    /// Walking `kb/`, reading and parsing every file.
    pub load: Duration,
    /// The rules on every article and the checks across articles.
    pub validate: Duration,
    /// Pages, assets and article sources.
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
    /// The site's absolute URL, when one was set (without it there is no
    /// `sitemap.xml` or `feed.xml`).
    pub base_url: Option<String>,
    /// Valid articles the build left out: drafts, then internal ones (see `publish`).
    pub left_out: (usize, usize),
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

/// Checks, renders the site into a staging folder beside `opts.out` and swaps it in.
/// `Err` is a usage, settings, template or I/O problem; content errors come back
/// in the report with nothing written. Either way the previous site stays whole.
pub fn build(opts: &BuildOptions) -> anyhow::Result<BuildReport> {
    build_with_progress(opts, &Progress::hidden())
}

/// [`build`], showing each stage on `progress`.
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: &Progress,
) -> anyhow::Result<BuildReport> {
    let start = Instant::now();
    let builder = Builder::new(opts)?;
    let mut report = BuildReport {
        base_url: builder.renderer.settings().base_url.clone(),
        ..BuildReport::default()
    };
    report.timings.setup = start.elapsed();

    progress.stage("check", None);
    let (mut checked, check) = crate::validate::check_timed(&opts.kb)?;
    let every = builder.renderer.settings().review_every_days;
    checked.check_reviews(every, crate::model::Date::today());
    (report.timings.load, report.timings.validate) = (check.load, check.validate);
    report.diagnostics_text = diagnostics_text(&checked, opts);
    report.diagnostics = checked.diagnostics.clone();
    report.articles = checked.kb.articles.len();
    if checked.has_errors() {
        report.timings.total = start.elapsed();
        return Ok(report);
    }

    report.left_out = opts.publish.left_out(&checked.kb);
    let kb = opts.publish.apply(std::mem::take(&mut checked.kb));
    report.articles = kb.articles.len();
    let staging = write::Staging::begin(&opts.out)?;
    let put = |path: &str, bytes: &[u8]| staging.put(path, bytes);
    builder.write_all(&kb, &put, progress, &mut report.timings)?;
    drop(checked);
    progress.stage("write", None);
    let t = Instant::now();
    (report.files, report.pages, report.bytes) = staging.counts();
    staging.commit()?;
    report.timings.write = t.elapsed();
    report.written = true;
    report.timings.total = start.elapsed();
    Ok(report)
}

/// The diagnostics as the terminal shows them (errors only with `--quiet`), with a
/// summary line when there are errors.
fn diagnostics_text(checked: &crate::validate::Checked, opts: &BuildOptions) -> String {
    let shown: Vec<Diagnostic> = (checked.diagnostics.iter())
        .filter(|d| !opts.quiet || d.is_error())
        .cloned()
        .collect();
    let mut text = crate::report::human(&shown, &checked.sources, opts.color);
    if checked.has_errors() {
        let (e, w) = (checked.error_count(), checked.warning_count());
        let line = crate::report::summary(e, w, checked.file_count, opts.color);
        text.push_str(&format!("{line}\n"));
    }
    text
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
        let files = Mutex::new(Files::new());
        let put = |path: &str, bytes: &[u8]| {
            let mut files = files.lock().map_err(|_| anyhow::anyhow!("render failed"))?;
            files.insert(path.to_string(), bytes.to_vec());
            Ok(())
        };
        self.write_all(kb, &put, &Progress::hidden(), timings)?;
        files
            .into_inner()
            .map_err(|_| anyhow::anyhow!("render failed"))
    }

    /// Makes every output file of the site (pages, assets, article sources, the
    /// search index and `signatures.json`) and hands each to `put` as it is made.
    /// Shows the stages on `progress` and adds their times to `timings`.
    pub fn write_all(
        &self,
        kb: &Kb,
        put: &PutFile<'_>,
        progress: &Progress,
        timings: &mut Timings,
    ) -> anyhow::Result<()> {
        let t = Instant::now();
        let plan = self.renderer.plan(kb);
        let files = plan.len() + self.renderer.assets().len() + kb.articles.len();
        progress.stage("render", Some(files as u64));
        let counted = |path: &str, bytes: &[u8]| {
            put(path, bytes)?;
            progress.inc(1);
            Ok(())
        };
        self.renderer.render_each(kb, &plan, &counted)?;
        (kb.articles.par_iter())
            .filter(|a| !a.life.source_withheld)
            .try_for_each(|a| counted(&source_path(&a.id), &read_source(a)?))?;
        timings.render = t.elapsed();
        let kb = &*crate::publish::listed(kb);

        progress.stage("search", Some(kb.articles.len() as u64));
        let t = Instant::now();
        let synonyms = crate::search::Synonyms::new(&self.renderer.settings().synonyms);
        crate::search::write_index(kb, &synonyms, &|path, bytes| {
            put(path, bytes)?;
            if path.starts_with("search/d/") {
                progress.inc(1);
            }
            Ok(())
        })?;
        timings.search = t.elapsed();

        progress.stage("signatures", None);
        let t = Instant::now();
        let signatures = crate::signature::SignatureIndex::build(kb).to_json();
        put("signatures.json", signatures.as_bytes())?;
        timings.signatures = t.elapsed();
        Ok(())
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
