//! One function per subcommand; each is short and delegates to the pipeline modules.

pub mod build;
pub mod check;
pub mod match_;
pub mod new;
pub mod schema;
pub mod serve;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let g = &cli.global;
    match cli.command {
        Command::Check(args) => check::run(args, g),
        Command::Build(args) => build::run(args, g),
        Command::Serve(args) => serve::run(args, g),
        Command::New(args) => new::run(args, g),
        Command::Match(args) => match_::run(args, g),
        Command::Schema => schema::run((), g),
    }
}
