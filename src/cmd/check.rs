//! `kbgen check`.

use std::process::ExitCode;

pub fn run(
    _args: crate::cli::CheckArgs,
    _global: &crate::cli::GlobalOpts,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
