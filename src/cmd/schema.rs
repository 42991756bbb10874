//! `kbgen schema`.

use std::process::ExitCode;

pub fn run(_args: (), _global: &crate::cli::GlobalOpts) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
