//! `kbgen import markdown|zendesk SOURCE… [--kb DIR]`: bring existing articles in
//! (the work is in `crate::import`).

use crate::cli::{GlobalOpts, ImportCommand};
use crate::import::{self, SourceKind};
use std::process::ExitCode;

pub fn run(command: ImportCommand, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let (kind, args) = match command {
        ImportCommand::Markdown(a) => (SourceKind::Markdown, a),
        ImportCommand::Zendesk(a) => (SourceKind::Zendesk, a),
    };
    import::run(kind, &args, global)
}
