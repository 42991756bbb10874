//! Checking and rendering for `serve`: an incremental check of the articles
//! (`validate::Incremental`), the templates and settings loaded once, and renders of
//! either the whole site or only what `plan` says a batch of changes touched.
//! Template and settings problems become located diagnostics so the browser overlay
//! shows them like article errors. The search index is not rendered here: the
//! indexer builds it behind the reload.

use super::plan::{self, Signatures, Snapshot};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Article, Date, Kb};
use crate::render::views::article_dir;
use crate::render::{Renderer, SiteIndex, TemplateError};
use crate::signature::SignatureIndex;
use crate::site::BuildOptions;
use crate::validate::{ArticleChange, Incremental};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Rendered output: (path relative to the site root with `/` separators, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// A render, and what it was made from once it is written.
pub struct Render {
    pub files: Files,
    /// Output files that no longer exist.
    pub remove: Vec<String>,
    /// Whether `files` is the whole site.
    pub full: bool,
    /// What the pages show once written.
    pub snapshot: Snapshot,
    pub stages: Stages,
}

/// Where the time of a render went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stages {
    /// List orders of the new articles, and the plan.
    pub plan: Duration,
    pub pages: Duration,
    pub signatures: Duration,
}

/// Checks with `validate::Incremental`, renders with `render::Renderer`.
pub struct SitePipeline {
    opts: BuildOptions,
    renderer: Option<Renderer>,
    check: Option<Incremental>,
    /// What the served pages were rendered from (none before the first good render).
    shown: Option<Snapshot>,
    /// The error-signature index and its `signatures.json`.
    signatures: Option<(SignatureIndex, String)>,
    /// Changes not yet rendered, by id: the article as rendered and as it is now.
    unrendered: BTreeMap<String, ArticleChange>,
    /// The articles the site shows (`opts.publish` applied to the checked ones),
    /// when that differs from all of them.
    published: Option<Kb>,
}

impl SitePipeline {
    pub fn new(opts: BuildOptions) -> Self {
        SitePipeline {
            opts,
            renderer: None,
            check: None,
            shown: None,
            signatures: None,
            unrendered: BTreeMap::new(),
            published: None,
        }
    }

    /// Re-reads the templates and the settings file; their problems are diagnostics.
    pub fn reload_inputs(&mut self) -> Result<(), Vec<Diagnostic>> {
        let load = || -> anyhow::Result<Renderer> {
            let settings =
                Config::load(&self.opts.config)?.settings(self.opts.base_url.as_deref())?;
            Renderer::new(&self.opts.templates, settings)
        };
        match load() {
            Ok(r) => {
                self.renderer = Some(r);
                Ok(())
            }
            Err(e) => Err(self.diagnostics_of(&e)),
        }
    }

    /// Checks the articles: all of them the first time, then only `paths` (files
    /// created, edited or removed), after walking the folder again with `rescan`.
    /// `Err` when the folder cannot be read.
    pub fn check(&mut self, paths: &[PathBuf], rescan: bool) -> anyhow::Result<()> {
        let changes = match &mut self.check {
            None => {
                self.check = Some(Incremental::new(&self.opts.kb)?);
                self.republish();
                return Ok(());
            }
            Some(check) => {
                let mut changes = check.update(paths);
                if rescan {
                    changes.extend(check.rescan()?);
                }
                changes
            }
        };
        for c in changes {
            match self.unrendered.get_mut(&c.id) {
                Some(pending) => pending.new = c.new,
                None => {
                    self.unrendered.insert(c.id.clone(), c);
                }
            }
        }
        self.republish();
        Ok(())
    }

    /// Works out which articles the site shows after a check.
    fn republish(&mut self) {
        let Some(check) = &self.check else { return };
        let (kb, p) = (check.kb(), self.opts.publish);
        let staff = p.audience == crate::model::Audience::Internal;
        let all = (kb.articles.iter()).all(|a| p.shows(a) && (staff || a.life.internal.is_none()));
        self.published = (!all).then(|| p.apply(kb.clone()));
    }

    /// The articles the site shows (drafts and internal ones as `opts.publish` says).
    fn site_kb<'a>(&'a self, check: &'a Incremental) -> &'a Kb {
        self.published.as_ref().unwrap_or(check.kb())
    }

    /// Every diagnostic of the last check.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.check.as_ref().map_or(&[], |c| c.diagnostics())
    }

    pub fn has_errors(&self) -> bool {
        self.check.as_ref().is_some_and(Incremental::has_errors)
    }

    /// The diagnostics of `paths` (of every file with `None`).
    pub fn diagnostics_for(&self, paths: Option<&[PathBuf]>) -> Vec<Diagnostic> {
        let Some(check) = &self.check else {
            return Vec::new();
        };
        let mut out: Vec<Diagnostic> = match paths {
            None => check.diagnostics().to_vec(),
            Some(paths) => (paths.iter())
                .flat_map(|p| check.diagnostics_of(p))
                .cloned()
                .collect(),
        };
        let every = (self.renderer.as_ref()).and_then(|r| r.settings().review_every_days);
        if let Some(every) = every {
            let due = crate::validate::reviews_due(check.kb(), every, Date::today());
            out.extend(
                due.into_iter()
                    .filter(|d| paths.is_none_or(|p| p.contains(&d.path))),
            );
        }
        out
    }

    /// The articles the search index holds (those the site lists), once checked.
    pub fn index_kb(&self) -> Option<Kb> {
        let check = self.check.as_ref()?;
        Some(crate::publish::listed(self.site_kb(check)).into_owned())
    }

    /// Whether a render is owed for the last checks.
    pub fn has_unrendered(&self) -> bool {
        self.unrendered.values().any(|c| c.old != c.new)
    }

    fn parts(&self) -> Result<(&Renderer, &Incremental), Vec<Diagnostic>> {
        let missing = |what: &str| {
            vec![Diagnostic::error(
                "E000",
                &self.opts.templates,
                0,
                0,
                format!("{what} not loaded"),
            )]
        };
        let renderer = self
            .renderer
            .as_ref()
            .ok_or_else(|| missing("templates are"))?;
        let check = self.check.as_ref().ok_or_else(|| missing("articles are"))?;
        Ok((renderer, check))
    }

    /// Every file of the site except the search index, in memory.
    pub fn render_all(&mut self) -> Result<Render, Vec<Diagnostic>> {
        let (renderer, check) = self.parts()?;
        let kb = self.site_kb(check);
        let rendered = renderer
            .render_all(kb)
            .map_err(|e| self.diagnostics_of(&e))?;
        let mut files: Files = rendered.into_iter().collect();
        for a in kb.articles.iter().filter(|a| !a.life.source_withheld) {
            files.push(self.source(a)?);
        }
        let signatures = SignatureIndex::build(&crate::publish::listed(kb));
        let json = signatures.to_json();
        files.push(("signatures.json".into(), json.clone().into_bytes()));
        let index = SiteIndex::new(kb, renderer.settings().per_page);
        let snapshot = Snapshot::new(kb, index);
        self.signatures = Some((signatures, json));
        Ok(Render {
            files,
            remove: Vec::new(),
            full: true,
            snapshot,
            stages: Stages::default(),
        })
    }

    /// The files the unrendered changes touch (see `plan`); a full render before
    /// the first one.
    pub fn render_changes(&mut self) -> Result<Render, Vec<Diagnostic>> {
        let Some(shown) = &self.shown else {
            return self.render_all();
        };
        let (renderer, check) = self.parts()?;
        let kb = self.site_kb(check);
        let changes: Vec<ArticleChange> = (self.unrendered.values())
            .filter(|c| c.old != c.new)
            .cloned()
            .collect();
        // Drafts, retirements, aliases and audiences change which pages exist and
        // what every list and index holds: those edits are rendered in full.
        let shaping = |a: &Option<Article>| a.as_ref().is_some_and(crate::publish::shapes_the_site);
        if changes.iter().any(|c| shaping(&c.old) || shaping(&c.new)) {
            return self.render_all();
        }
        let settings = renderer.settings();
        let mut stages = Stages::default();
        let started = Instant::now();
        let index = list_orders(shown, kb, &changes, settings.per_page);
        let plan = plan::plan(shown, kb, &index, &changes, settings.base_url.is_some());
        stages.plan = started.elapsed();
        let started = Instant::now();
        let rendered: Result<Files, _> = (plan.pages.par_iter())
            .map(|page| renderer.render_page(kb, &index, page))
            .collect();
        let mut files = rendered.map_err(|e| self.diagnostics_of(&e))?;
        for id in &plan.sources {
            if let Some(a) = kb.get(id).filter(|a| !a.life.source_withheld) {
                files.push(self.source(a)?);
            }
        }
        let snapshot = Snapshot::new(kb, index);
        stages.pages = started.elapsed();
        let started = Instant::now();
        if let Some(json) = self.signatures_json(plan.signatures, &changes) {
            files.push(("signatures.json".into(), json.into_bytes()));
        }
        stages.signatures = started.elapsed();
        Ok(Render {
            files,
            remove: plan.remove,
            full: false,
            snapshot,
            stages,
        })
    }

    /// `signatures.json` after the changes, when they touch it.
    fn signatures_json(&mut self, how: Signatures, changes: &[ArticleChange]) -> Option<String> {
        let check = self.check.as_ref()?;
        let kb = crate::publish::listed(self.published.as_ref().unwrap_or(check.kb()));
        let kb = &*kb;
        match (how, &mut self.signatures) {
            (Signatures::Keep, _) => None,
            (Signatures::Retitle, Some((index, json))) => {
                retitle(index, json, kb, changes);
                Some(json.clone())
            }
            _ => {
                let index = SignatureIndex::build(kb);
                let json = index.to_json();
                self.signatures = Some((index, json.clone()));
                Some(json)
            }
        }
    }

    /// Records that a render from `snapshot` is written: the pages show the current
    /// articles. Returns the changes it rendered.
    pub fn rendered(&mut self, snapshot: Snapshot) -> Vec<ArticleChange> {
        self.shown = Some(snapshot);
        let changes = std::mem::take(&mut self.unrendered).into_values();
        changes.filter(|c| c.old != c.new).collect()
    }

    /// The article's YAML, copied beside its page as `kbgen build` does (from the
    /// text the check read, so a save costs no second read).
    fn source(&self, a: &Article) -> Result<(String, Vec<u8>), Vec<Diagnostic>> {
        let path = format!("{}source.yaml", article_dir(&a.id));
        let known = self.check.as_ref().and_then(|c| c.sources().get(&a.path));
        match known {
            Some(text) => Ok((path, text.as_bytes().to_vec())),
            None => std::fs::read(&a.path).map(|b| (path, b)).map_err(|e| {
                vec![Diagnostic::error(
                    "E018",
                    &a.path,
                    1,
                    1,
                    format!("cannot read file: {e}"),
                )]
            }),
        }
    }

    /// The diagnostics as people read them in a terminal.
    pub fn report(&self, diagnostics: &[Diagnostic]) -> String {
        let sources = self.check.as_ref().map(Incremental::sources);
        let empty = crate::load::Sources::default();
        crate::report::human(diagnostics, sources.unwrap_or(&empty), self.opts.color)
    }

    /// The line `kbgen check` prints under its diagnostics
    /// (`error: 1 error, 0 warnings in 3 articles`).
    pub fn summary(&self, diagnostics: &[Diagnostic]) -> String {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let files = self.check.as_ref().map_or(0, Incremental::file_count);
        let warnings = diagnostics.len() - errors;
        crate::report::summary(errors, warnings, files, self.opts.color)
    }

    /// A rendering or setup error as diagnostics, located when the cause says where.
    fn diagnostics_of(&self, err: &anyhow::Error) -> Vec<Diagnostic> {
        if let Some(t) = err.downcast_ref::<TemplateError>() {
            return vec![Diagnostic::error(
                "T001",
                &t.file,
                t.line,
                t.column,
                t.message.clone(),
            )];
        }
        let text = format!("{err:#}");
        let config = self.opts.config.display().to_string();
        vec![located(&text, &config).unwrap_or_else(|| {
            let path: &Path = if text.contains(&config) {
                &self.opts.config
            } else {
                &self.opts.templates
            };
            Diagnostic::error("E000", path, 0, 0, first_line(&text))
        })]
    }
}

/// The list orders of `kb`: moved from the shown ones when only edits happened,
/// built anew when articles came or went.
fn list_orders(shown: &Snapshot, kb: &Kb, changes: &[ArticleChange], per_page: usize) -> SiteIndex {
    let edits_only = changes.iter().all(|c| c.old.is_some() && c.new.is_some());
    let edited: Option<Vec<usize>> = (changes.iter())
        .map(|c| kb.articles.binary_search_by(|a| a.id.cmp(&c.id)).ok())
        .collect();
    match edited {
        Some(edited) if edits_only && shown.ids.len() == kb.articles.len() => {
            super::list_orders::updated(&shown.index, kb, &edited)
                .unwrap_or_else(|| SiteIndex::new(kb, per_page))
        }
        _ => SiteIndex::new(kb, per_page),
    }
}

/// Gives the articles of `index` their titles in `kb`, and `json` (its
/// `signatures.json`) the same change: each article is one object in its
/// `articles` list, replaced in place, so retokenising 10k error texts and
/// serialising every weight again is not needed for a new title.
fn retitle(index: &mut SignatureIndex, json: &mut String, kb: &Kb, changes: &[ArticleChange]) {
    let mut spliced = true;
    for c in changes {
        let at = index.articles.binary_search_by(|a| a.id.cmp(&c.id));
        let (Ok(at), Some(now)) = (at, kb.get(&c.id)) else {
            continue;
        };
        let a = &mut index.articles[at];
        if a.title == now.title {
            continue;
        }
        let before = serde_json::to_string(&*a).unwrap_or_default();
        a.title.clone_from(&now.title);
        let after = serde_json::to_string(&*a).unwrap_or_default();
        match json.find(&before) {
            Some(at) if !before.is_empty() => json.replace_range(at..at + before.len(), &after),
            _ => spliced = false,
        }
    }
    if !spliced {
        *json = index.to_json();
    }
}

/// Reads a `path:line:column: message` prefix naming `path`.
fn located(text: &str, path: &str) -> Option<Diagnostic> {
    let rest = text.strip_prefix(path)?.strip_prefix(':')?;
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.trim().parse().ok()?;
    let column = parts.next()?.trim().parse().ok()?;
    let message = first_line(parts.next()?.trim());
    let hint = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("hint: "))
        .map(str::to_string);
    let d = Diagnostic::error("E000", path, line, column, message);
    Some(match hint {
        Some(h) => d.with_hint(h),
        None => d,
    })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_errors_keep_their_location_and_hint() {
        let text = "kbgen.yaml:3:7: invalid site settings\ndetail\nhint: the fields are title";
        let d = located(text, "kbgen.yaml").unwrap_or_else(|| panic!("not located"));
        assert_eq!((d.line, d.column), (3, 7));
        assert_eq!(d.message, "invalid site settings");
        assert_eq!(d.hint.as_deref(), Some("the fields are title"));
        assert!(located("other.yaml:1:1: x", "kbgen.yaml").is_none());
    }
}
