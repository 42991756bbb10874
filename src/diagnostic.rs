//! Author-facing problems: one `Diagnostic` per problem, located in the whole file.
//!
//! Validation collects every diagnostic and never stops at the first; rendering
//! (human, like a compiler, or JSON for editors) lives in `report`.

use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, with a stable code such as `E003`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line in the whole file (0 when the problem concerns the file as a whole).
    pub line: usize,
    /// 1-based column in characters (0 when the problem concerns the file as a whole).
    pub column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Another place that belongs to the same problem (e.g. the first of two duplicate ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Related>,
}

/// A second location shown with a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            column,
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            related: None,
        }
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, line, column, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_related(mut self, related: Related) -> Self {
        self.related = Some(related);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
