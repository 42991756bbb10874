//! The boundary between `serve` and the build pipeline: what a rebuild needs from
//! checking and rendering, as a trait, so the watcher, the incremental planner and the
//! HTTP side do not depend on how pages are made.

use crate::diagnostic::Diagnostic;
use crate::model::Kb;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Rendered output: (path relative to the site root with `/` separators, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The result of checking the knowledge base.
#[derive(Debug, Default)]
pub struct Checked {
    /// Every valid article, sorted by id.
    pub kb: Kb,
    /// Errors and warnings for the whole knowledge base.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The pages an incremental rebuild redoes besides the site-wide ones (home page,
/// error index, feed, sitemap), which a pipeline always includes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Affected {
    /// Article ids whose own page must be rendered.
    pub articles: BTreeSet<String>,
    /// Product names whose list page must be rendered (the old and the new ones).
    pub products: BTreeSet<String>,
    /// Tag slugs whose list page must be rendered (the old and the new ones).
    pub tags: BTreeSet<String>,
    /// Error texts changed: the signature index must be rebuilt.
    pub signatures: bool,
}

/// Checking and rendering as `serve` needs them. The search index is not part of
/// it: serve builds it separately (`crate::search::build_index`) so it may trail.
pub trait Pipeline: Send + 'static {
    /// Checks the knowledge base. `changed` lists the article files created, edited or
    /// removed since the last call (none: check everything); an implementation may
    /// re-read only those.
    fn check(&mut self, changed: Option<&[PathBuf]>) -> anyhow::Result<Checked>;

    /// Re-reads the templates and the config file; their problems are diagnostics.
    fn reload_inputs(&mut self) -> Result<(), Vec<Diagnostic>>;

    /// Every file of the site except the search index, in memory.
    fn render_all(&self, kb: &Kb) -> Result<Files, Vec<Diagnostic>>;

    /// The pages `affected` names plus the site-wide pages that list articles.
    fn render_pages(&self, kb: &Kb, affected: &Affected) -> Result<Files, Vec<Diagnostic>>;

    /// The diagnostics as people read them in a terminal.
    fn report(&self, diagnostics: &[Diagnostic]) -> String {
        let mut text = String::new();
        for d in diagnostics {
            let severity = if d.is_error() { "error" } else { "warning" };
            let (path, line, column) = (d.path.display(), d.line, d.column);
            text.push_str(&format!(
                "{path}:{line}:{column}: {severity}[{}]: {}\n",
                d.code, d.message
            ));
            if let Some(hint) = &d.hint {
                text.push_str(&format!("  = hint: {hint}\n"));
            }
        }
        text
    }
}
