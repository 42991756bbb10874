//! Tera templates (embedded defaults, overridable file by file) and the view structs
//! they see. Rendering is pure: a knowledge base in, a map of output files out; the
//! `site` module decides where and how they are written.

mod context;
mod pages;
pub mod templates;
pub mod views;

pub use pages::{Facet, Page, SiteIndex};

use crate::config::Settings;
use crate::model::Kb;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{ErrorKind, Tera};

/// Output files by path relative to the site root (`articles/ID/index.html`), sorted.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Templates loaded once, with the site settings they render with.
pub struct Renderer {
    tera: Tera,
    origins: BTreeMap<String, String>,
    assets: Files,
    settings: Settings,
    site: views::SiteView,
}

impl Renderer {
    /// Loads the built-in templates overridden by files in `templates_dir`. A template
    /// syntax error names the template file, line and column.
    pub fn new(templates_dir: &Path, settings: Settings) -> anyhow::Result<Renderer> {
        let sources = templates::load(templates_dir)?;
        let mut tera = Tera::new();
        // Markdown output is the only trusted HTML; `.txt` is for robots.txt.
        tera.autoescape_on(vec![".html", ".xml"]);
        for (name, text) in &sources.templates {
            tera.add_raw_template(name, text)
                .map_err(|e| template_error(&e, &sources.origins))?;
        }
        Ok(Renderer {
            tera,
            origins: sources.origins,
            assets: sources.assets,
            site: views::SiteView::new(&settings),
            settings,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every page of the site plus the static assets (not `signatures.json` nor the
    /// search index, which `site` adds). Pages render in parallel.
    pub fn render_all(&self, kb: &Kb) -> anyhow::Result<Files> {
        let index = SiteIndex::new(kb);
        let pages = Page::all(kb, &index, self.settings.base_url.is_some());
        let rendered: Vec<(String, Vec<u8>)> = pages
            .par_iter()
            .map(|page| self.render_page(kb, &index, page))
            .collect::<anyhow::Result<_>>()?;
        let mut files = self.assets.clone();
        files.extend(rendered);
        Ok(files)
    }

    /// The page of article `id` and every page that lists it or links to it (home,
    /// its products and tags, indexes, related articles, errors, sitemap, feed), for
    /// an incremental rebuild after that one article changed.
    pub fn render_article_and_lists(&self, kb: &Kb, id: &str) -> anyhow::Result<Files> {
        let index = SiteIndex::new(kb);
        let pages = Page::for_article(kb, &index, id, self.settings.base_url.is_some());
        pages
            .par_iter()
            .map(|page| self.render_page(kb, &index, page))
            .collect()
    }

    /// The static assets (`assets/…`).
    pub fn assets(&self) -> &Files {
        &self.assets
    }

    /// Renders one page to (path, bytes).
    pub fn render_page(
        &self,
        kb: &Kb,
        index: &SiteIndex,
        page: &Page,
    ) -> anyhow::Result<(String, Vec<u8>)> {
        let (template, ctx) = page.context(kb, index, &self.site, &self.settings)?;
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(&e, &self.origins))?;
        Ok((page.path(kb, index), html.into_bytes()))
    }
}

/// Turns a Tera error into `file:line:column: template error: message` followed by
/// Tera's own report with the source snippet.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, String>) -> anyhow::Error {
    let origin = |name: &str| origins.get(name).cloned().unwrap_or_else(|| name.into());
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            anyhow::anyhow!(
                "{}:{}:{}: template error: {}\n{e}",
                origin(r.filename()),
                span.start_line,
                span.start_col + 1,
                r.message()
            )
        }
        _ => anyhow::anyhow!("template error: {e}"),
    }
}
