//! Tera templates (embedded defaults, overridable file by file) and the view structs
//! they see. Rendering is pure: a knowledge base in, a map of output files out; the
//! `site` module decides where and how they are written.

mod context;
mod pages;
pub mod templates;
pub mod views;

pub use pages::{Changes, Facet, Page, SiteIndex};

use crate::config::Settings;
use crate::model::Kb;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{ErrorKind, Tera};

pub use crate::output::{Files, PutFile};

/// Which pages a whole-site render makes, worked out once.
pub struct Plan {
    index: SiteIndex,
    pages: Vec<Page>,
}

impl Plan {
    /// Number of pages (assets not counted).
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

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
        let plan = self.plan(kb);
        let rendered: Vec<(String, Vec<u8>)> = (plan.pages.par_iter())
            .map(|page| self.render_page(kb, &plan.index, page))
            .collect::<anyhow::Result<_>>()?;
        let mut files = self.assets.clone();
        files.extend(rendered);
        Ok(files)
    }

    /// The pages of the whole site, for [`Renderer::render_each`].
    pub fn plan(&self, kb: &Kb) -> Plan {
        let index = SiteIndex::new(kb, self.settings.per_page);
        let pages = Page::all(kb, &index, self.settings.base_url.is_some());
        Plan { index, pages }
    }

    /// Renders the assets and every page of `plan`, handing each file to `put` as
    /// soon as it is made, so no more than a page per thread is held in memory.
    /// Pages render in parallel: `put` is called from several threads.
    pub fn render_each(&self, kb: &Kb, plan: &Plan, put: &PutFile<'_>) -> anyhow::Result<()> {
        for (path, bytes) in &self.assets {
            put(path, bytes)?;
        }
        plan.pages.par_iter().try_for_each(|page| {
            let (path, html) = self.render_page(kb, &plan.index, page)?;
            put(&path, &html)
        })
    }

    /// The pages that change with `changes` (see [`Page::for_changes`]), for an
    /// incremental rebuild.
    pub fn render_changes(&self, kb: &Kb, changes: &Changes) -> anyhow::Result<Files> {
        let index = SiteIndex::new(kb, self.settings.per_page);
        let with_base = self.settings.base_url.is_some();
        let pages = Page::for_changes(kb, &index, changes, with_base);
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

/// A template problem, located in the template file (1-based line and column), so
/// `serve` can show it like an article diagnostic.
#[derive(Debug, Clone)]
pub struct TemplateError {
    /// The template file (`templates/article.html`, or `<built-in>/article.html`).
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Tera's full report with the source snippet.
    pub report: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (file, line, column) = (&self.file, self.line, self.column);
        write!(
            f,
            "{file}:{line}:{column}: template error: {}",
            self.message
        )?;
        write!(f, "\n{}", self.report)
    }
}

impl std::error::Error for TemplateError {}

/// Turns a Tera error into a [`TemplateError`] when Tera located it.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, String>) -> anyhow::Error {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let file = (origins.get(r.filename()).cloned()).unwrap_or_else(|| r.filename().into());
            anyhow::Error::new(TemplateError {
                file,
                line: r.span().start_line,
                column: r.span().start_col + 1,
                message: r.message().to_string(),
                report: e.to_string(),
            })
        }
        _ => anyhow::anyhow!("template error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Article;

    fn article(id: &str, tags: &[&str], related: &[&str]) -> Article {
        Article {
            title: format!("Title of {id}"),
            products: vec!["Okta".into()],
            tags: tags.iter().map(|t| t.to_string()).collect(),
            related: related.iter().map(|r| r.to_string()).collect(),
            ..Article::sample(id)
        }
    }

    fn kb() -> Kb {
        Kb {
            articles: vec![
                article("a", &["sso"], &["b"]),
                article("b", &["sso", "saml"], &[]),
                article("c", &["dns"], &[]),
            ],
        }
    }

    fn renderer(dir: &Path) -> anyhow::Result<Renderer> {
        Renderer::new(dir, Config::default().settings(None)?)
    }

    #[test]
    fn render_all_makes_every_page() {
        let r = renderer(Path::new("/nonexistent")).unwrap();
        let files = r.render_all(&kb()).unwrap();
        for path in [
            "index.html",
            "articles/c/index.html",
            "tags/saml/index.html",
            "products/okta/index.html",
            "assets/style.css",
        ] {
            assert!(files.contains_key(path), "{path}");
        }
        let tag = String::from_utf8_lossy(&files["tags/sso/index.html"]).into_owned();
        assert!(
            tag.contains("href=\"../../articles/a/\"")
                && tag.contains("href=\"../../articles/b/\"")
        );
        assert!(!tag.contains("articles/c/"));
    }

    #[test]
    fn changes_redo_the_article_the_pages_relating_to_it_and_its_lists() {
        let r = renderer(Path::new("/nonexistent")).unwrap();
        let kb = kb();
        let files = r
            .render_changes(&kb, &Changes::article(&kb.articles[1]))
            .unwrap();
        let paths: Vec<&str> = files.keys().map(String::as_str).collect();
        assert!(paths.contains(&"articles/b/index.html"));
        assert!(
            paths.contains(&"articles/a/index.html"),
            "a lists b as related"
        );
        assert!(!paths.contains(&"articles/c/index.html"));
        assert!(paths.contains(&"tags/saml/index.html") && paths.contains(&"tags/sso/index.html"));
        assert!(!paths.contains(&"tags/dns/index.html"));
        assert!(paths.contains(&"index.html"));
    }

    #[test]
    fn long_lists_are_paginated_with_links_both_ways() {
        let config = Config::parse("paginate_by: 2\n", "kbgen.yaml").unwrap();
        let r = Renderer::new(Path::new("/nonexistent"), config.settings(None).unwrap()).unwrap();
        let files = r.render_all(&kb()).unwrap();
        let first = String::from_utf8_lossy(&files["articles/index.html"]).into_owned();
        let second = String::from_utf8_lossy(&files["articles/page/2/index.html"]).into_owned();
        assert!(!files.contains_key("articles/page/3/index.html"));
        assert!(first.contains("href=\"../articles/a/\""));
        assert!(
            first.contains("href=\"../articles/page/2/\" rel=\"next\""),
            "{first}"
        );
        assert!(
            second.contains("href=\"../../../articles/\" rel=\"prev\""),
            "{second}"
        );
        assert!(second.contains("href=\"../../../articles/c/\""));
        assert!(!second.contains("href=\"../../../articles/a/\""));
        assert!(files.contains_key("products/okta/page/2/index.html"));
    }

    #[test]
    fn template_syntax_errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let bad = "{% extends \"base.html\" %}\n{% block main %}\n{% for a in page.related %}\n{{ a.title }}\n{% endblock main %}\n";
        std::fs::write(dir.path().join("article.html"), bad).unwrap();
        let err = renderer(dir.path())
            .err()
            .expect("a missing endfor is an error");
        let e = err.downcast_ref::<TemplateError>().expect("located");
        assert!(e.file.ends_with("article.html"), "{}", e.file);
        assert!(e.line >= 3, "line {}", e.line);
    }
}
