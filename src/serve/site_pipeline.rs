//! The real `Pipeline`: `validate::check` for the articles and `site::Builder` for
//! settings, templates and pages. Template and settings problems become located
//! diagnostics so the browser overlay shows them like article errors.

use super::pipeline::{Affected, Checked, Files, Pipeline};
use crate::diagnostic::Diagnostic;
use crate::load::Sources;
use crate::model::{Kb, slugify};
use crate::render::TemplateError;
use crate::site::{BuildOptions, Builder, Changes, Timings};
use std::path::PathBuf;

/// Checks with `validate`, renders with `site`.
pub struct SitePipeline {
    opts: BuildOptions,
    builder: Option<Builder>,
    /// Texts of the last check, for snippets in the terminal.
    sources: Sources,
}

impl SitePipeline {
    pub fn new(opts: BuildOptions) -> Self {
        SitePipeline {
            opts,
            builder: None,
            sources: Sources::default(),
        }
    }

    fn builder(&self) -> Result<&Builder, Vec<Diagnostic>> {
        self.builder.as_ref().ok_or_else(|| {
            vec![Diagnostic::error(
                "E000",
                &self.opts.templates,
                0,
                0,
                "templates are not loaded",
            )]
        })
    }

    /// A rendering or setup error as diagnostics, located when the cause says where.
    fn diagnostics(&self, err: &anyhow::Error) -> Vec<Diagnostic> {
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
            let path = if text.contains(&config) {
                &self.opts.config
            } else {
                &self.opts.templates
            };
            Diagnostic::error("E000", path, 0, 0, first_line(&text))
        })]
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

/// Files of the search index; the search worker writes those, behind the reload.
pub fn is_search_index(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

impl Pipeline for SitePipeline {
    fn check(&mut self, _changed: Option<&[PathBuf]>) -> anyhow::Result<Checked> {
        // `validate::check` reads every file in parallel and checks across them
        // (unique ids, related links), so it always sees the whole folder.
        let checked = crate::validate::check(&self.opts.kb)?;
        self.sources = checked.sources;
        Ok(Checked {
            kb: checked.kb,
            diagnostics: checked.diagnostics,
        })
    }

    fn reload_inputs(&mut self) -> Result<(), Vec<Diagnostic>> {
        match Builder::new(&self.opts) {
            Ok(b) => {
                self.builder = Some(b);
                Ok(())
            }
            Err(e) => Err(self.diagnostics(&e)),
        }
    }

    fn render_all(&self, kb: &Kb) -> Result<Files, Vec<Diagnostic>> {
        let mut timings = Timings::default();
        let files = self.builder()?.render_all(kb, &mut timings);
        let files = files.map_err(|e| self.diagnostics(&e))?;
        Ok(files
            .into_iter()
            .filter(|(p, _)| !is_search_index(p))
            .collect())
    }

    fn render_pages(&self, kb: &Kb, affected: &Affected) -> Result<Files, Vec<Diagnostic>> {
        let changes = Changes {
            articles: affected.articles.clone(),
            products: affected.products.iter().map(|p| slugify(p)).collect(),
            tags: affected.tags.iter().map(|t| slugify(t)).collect(),
        };
        let files = self.builder()?.render_changes(kb, &changes);
        let mut files: Files = files
            .map_err(|e| self.diagnostics(&e))?
            .into_iter()
            .collect();
        if affected.signatures {
            let json = crate::signature::SignatureIndex::build(kb).to_json();
            files.push(("signatures.json".into(), json.into_bytes()));
        }
        Ok(files)
    }

    fn report(&self, diagnostics: &[Diagnostic]) -> String {
        crate::report::human(diagnostics, &self.sources, self.opts.color)
    }
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

    #[test]
    fn only_index_files_under_search_belong_to_the_search_worker() {
        assert!(is_search_index("search/dict/00.json"));
        assert!(!is_search_index("search/index.html"));
        assert!(!is_search_index("articles/search/index.html"));
    }
}
