//! A minimal article loader used by `site` until `validate::check` is available:
//! parses each YAML file into the model and reports problems as diagnostics.
//! It checks far less than `validate` and goes away when that lands.

use crate::diagnostic::Diagnostic;
use crate::model::{Article, Date, ErrorText, Kb, Reference, Resolution};
use serde::Deserialize;
use std::path::Path;

/// The outcome of checking a knowledge base, shaped like `validate::Checked`.
pub struct Checked {
    pub kb: Kb,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    summary: Option<String>,
    #[serde(default)]
    products: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    created: Option<String>,
    updated: Option<String>,
    symptoms: Vec<String>,
    #[serde(default)]
    errors: Vec<String>,
    environment: Vec<String>,
    #[serde(default)]
    conditions: Vec<String>,
    cause: String,
    resolution: RawResolution,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    references: Vec<RawReference>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResolution {
    intro: Option<String>,
    steps: Vec<String>,
    outro: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReference {
    title: String,
    url: String,
}

/// Loads every `*.yaml`/`*.yml` under `dir`; `Err` only when `dir` cannot be read.
pub fn check(dir: &Path) -> anyhow::Result<Checked> {
    if !dir.is_dir() {
        anyhow::bail!("{}: no such folder of articles", dir.display());
    }
    let mut articles = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        let path = entry.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if !entry.file_type().is_file() || !is_yaml {
            continue;
        }
        let text = std::fs::read_to_string(path)?;
        match serde_saphyr::from_str::<Raw>(&text) {
            Ok(raw) => articles.push(article(dir, path, raw, &mut diagnostics)),
            Err(e) => {
                let (line, col) = e
                    .location()
                    .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
                let msg = e.render_with_options(serde_saphyr::render_options! {
                    snippets: serde_saphyr::SnippetMode::Off,
                });
                diagnostics.push(Diagnostic::error("E000", path, line, col, msg));
            }
        }
    }
    articles.sort_by(|a: &Article, b| a.id.cmp(&b.id));
    let kb = Kb { articles };
    for a in &kb.articles {
        for r in &a.related {
            if kb.get(r).is_none() {
                let msg = format!("related article `{r}` does not exist");
                diagnostics.push(Diagnostic::error("E001", &a.path, 0, 0, msg));
            }
        }
    }
    Ok(Checked { kb, diagnostics })
}

fn article(dir: &Path, path: &Path, raw: Raw, diags: &mut Vec<Diagnostic>) -> Article {
    let mut date = |s: Option<String>| {
        s.and_then(|s| {
            let d = Date::parse(&s);
            if d.is_none() {
                let msg = format!("`{s}` is not a date (YYYY-MM-DD)");
                diags.push(Diagnostic::error("E002", path, 0, 0, msg));
            }
            d
        })
    };
    let (created, updated) = (date(raw.created), date(raw.updated));
    let rel = path.strip_prefix(dir).unwrap_or(path);
    Article {
        id: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_path_buf(),
        rel_path: rel.to_string_lossy().replace('\\', "/"),
        title: raw.title,
        summary: raw.summary,
        products: raw.products,
        tags: raw.tags,
        created,
        updated,
        symptoms: raw.symptoms,
        errors: raw
            .errors
            .into_iter()
            .map(|text| ErrorText { text, line: 0 })
            .collect(),
        environment: raw.environment,
        conditions: raw.conditions,
        cause: raw.cause,
        resolution: Resolution {
            intro: raw.resolution.intro,
            steps: raw.resolution.steps,
            outro: raw.resolution.outro,
        },
        related: raw.related,
        references: raw
            .references
            .into_iter()
            .map(|r| Reference {
                title: r.title,
                url: r.url,
            })
            .collect(),
    }
}

/// One line per diagnostic, compiler style.
pub fn human(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let sev = if d.is_error() { "error" } else { "warning" };
        out.push_str(&format!(
            "{}:{}:{}: {sev}[{}]: {}\n",
            d.path.display(),
            d.line,
            d.column,
            d.code,
            d.message
        ));
    }
    out
}
