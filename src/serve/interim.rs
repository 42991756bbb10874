//! A small `Pipeline` used until the `site` and `validate` modules provide the real
//! one: it reads each article's YAML (located syntax errors, required title), keeps a
//! per-file cache so an edit re-reads one file, and renders plain pages in the site's
//! layout. It exists so `serve` runs and is tested end to end on its own.

use super::pipeline::{Affected, Checked, Files, Pipeline};
use crate::diagnostic::Diagnostic;
use crate::model::{Article, Kb, slugify};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
struct RawArticle {
    title: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    products: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    #[serde(default)]
    title: Option<String>,
}

/// Reads `kb_dir` and the config file; renders without templates.
#[derive(Debug)]
pub struct InterimPipeline {
    kb_dir: PathBuf,
    config: PathBuf,
    site_title: String,
    /// Per source file: the article read from it, or its diagnostics.
    cache: BTreeMap<PathBuf, Result<Article, Vec<Diagnostic>>>,
}

impl InterimPipeline {
    pub fn new(kb_dir: &Path, config: &Path) -> Self {
        InterimPipeline {
            kb_dir: kb_dir.to_path_buf(),
            config: config.to_path_buf(),
            site_title: "Knowledge base".into(),
            cache: BTreeMap::new(),
        }
    }

    fn read(&self, path: &Path) -> Result<Article, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic::error("E001", path, 0, 0, format!("cannot read: {e}"))]
        })?;
        let raw: RawArticle = serde_saphyr::from_str(&text).map_err(|e| vec![yaml_diag(path, &e)])?;
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let rel_path = path.strip_prefix(&self.kb_dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        Ok(Article {
            id,
            path: path.to_path_buf(),
            rel_path,
            title: raw.title,
            summary: raw.summary,
            products: raw.products,
            tags: raw.tags,
            created: None,
            updated: None,
            symptoms: Vec::new(),
            errors: raw.errors.into_iter().map(|text| crate::model::ErrorText { text, line: 0 }).collect(),
            environment: Vec::new(),
            conditions: Vec::new(),
            cause: String::new(),
            resolution: Default::default(),
            related: Vec::new(),
            references: Vec::new(),
        })
    }

    fn article_files(&self) -> Vec<PathBuf> {
        walkdir::WalkDir::new(&self.kb_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|p| super::watch::is_article_path(p))
            .collect()
    }
}

fn yaml_diag(path: &Path, err: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = err
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    let message = err.without_snippet().to_string();
    let message = message.lines().next().unwrap_or("invalid YAML").to_string();
    Diagnostic::error("E001", path, line, column, message)
        .with_hint("fix the YAML at this position; the last good page is still served")
}

impl Pipeline for InterimPipeline {
    fn check(&mut self, changed: Option<&[PathBuf]>) -> anyhow::Result<Checked> {
        match changed {
            Some(paths) if !self.cache.is_empty() => {
                for path in paths {
                    if path.is_file() {
                        let entry = self.read(path);
                        self.cache.insert(path.clone(), entry);
                    } else {
                        self.cache.remove(path);
                    }
                }
            }
            _ => {
                anyhow::ensure!(self.kb_dir.is_dir(), "cannot read {}", self.kb_dir.display());
                let files = self.article_files();
                self.cache = files.into_iter().map(|p| (p.clone(), self.read(&p))).collect();
            }
        }
        let mut checked = Checked::default();
        for entry in self.cache.values() {
            match entry {
                Ok(article) => checked.kb.articles.push(article.clone()),
                Err(diags) => checked.diagnostics.extend(diags.iter().cloned()),
            }
        }
        checked.kb.articles.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(checked)
    }

    fn reload_inputs(&mut self) -> Result<(), Vec<Diagnostic>> {
        let config = match std::fs::read_to_string(&self.config) {
            Ok(text) => serde_saphyr::from_str::<RawConfig>(&text)
                .map_err(|e| vec![yaml_diag(&self.config, &e)])?,
            Err(_) => RawConfig::default(),
        };
        self.site_title = config.title.unwrap_or_else(|| "Knowledge base".into());
        Ok(())
    }

    fn render_all(&self, kb: &Kb) -> Result<Files, Vec<Diagnostic>> {
        let affected = Affected {
            articles: kb.articles.iter().map(|a| a.id.clone()).collect(),
            products: kb.articles.iter().flat_map(|a| a.products.iter().cloned()).collect(),
            tags: kb.articles.iter().flat_map(|a| a.tags.iter().cloned()).collect(),
            signatures: true,
        };
        let mut files = self.render_pages(kb, &affected)?;
        files.push(("404.html".into(), self.page("", "Not found", "<p>No page here.</p>")));
        Ok(files)
    }

    fn render_pages(&self, kb: &Kb, affected: &Affected) -> Result<Files, Vec<Diagnostic>> {
        let mut files = Files::new();
        for id in &affected.articles {
            if let Some(a) = kb.get(id) {
                let body = format!("<h1>{}</h1><p>{}</p>", esc(&a.title), esc(a.summary.as_deref().unwrap_or("")));
                files.push((format!("articles/{id}/index.html"), self.page("../../", &a.title, &body)));
            }
        }
        for (kind, names) in [("products", &affected.products), ("tags", &affected.tags)] {
            for name in names {
                let members: Vec<&Article> = kb
                    .articles
                    .iter()
                    .filter(|a| if kind == "products" { &a.products } else { &a.tags }.contains(name))
                    .collect();
                let path = format!("{kind}/{}/index.html", slugify(name));
                files.push((path, self.page("../../", name, &list("../../", &members))));
            }
        }
        let all: Vec<&Article> = kb.articles.iter().collect();
        files.push(("index.html".into(), self.page("", &self.site_title, &list("", &all))));
        if affected.signatures {
            let json = crate::signature::SignatureIndex::build(kb).to_json();
            files.push(("signatures.json".into(), json.into_bytes()));
        }
        Ok(files)
    }
}

impl InterimPipeline {
    fn page(&self, root: &str, title: &str, body: &str) -> Vec<u8> {
        format!(
            "<!doctype html>\n<html lang=\"en\" data-root=\"{root}\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; \
             style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'\">\
             <title>{} · {}</title></head>\n<body><main>{body}</main></body></html>\n",
            esc(title),
            esc(&self.site_title)
        )
        .into_bytes()
    }
}

fn list(root: &str, articles: &[&Article]) -> String {
    let mut out = String::from("<ul>");
    for a in articles {
        let _ = write!(out, "<li><a href=\"{root}articles/{}/\">{}</a></li>", esc(&a.id), esc(&a.title));
    }
    out.push_str("</ul>");
    out
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
