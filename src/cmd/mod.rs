//! One function per subcommand; each is short and delegates to the pipeline modules.

pub mod build;
pub mod check;
pub mod import;
pub mod match_;
mod match_explain;
pub mod new;
pub mod schema;
pub mod serve;

use crate::cli::{Cli, Command};
use std::io::{self, Write};
use std::process::ExitCode;

/// Writes `text` to stdout. A reader that went away (`kbgen match log | head`)
/// ends the output, not the command: the exit code still says what happened.
pub fn out(text: &str) -> io::Result<()> {
    ended_ok(io::stdout().lock().write_all(text.as_bytes()))
}

/// Writes `text` to stderr, as [`out`] does to stdout (`kbgen check 2>&1 | head`).
pub fn err(text: &str) -> io::Result<()> {
    ended_ok(io::stderr().lock().write_all(text.as_bytes()))
}

fn ended_ok(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let g = &cli.global;
    match cli.command {
        Command::Check(args) => check::run(args, g),
        Command::Build(args) => build::run(args, g),
        Command::Serve(args) => serve::run(args, g),
        Command::New(args) => new::run(args, g),
        Command::Match(args) => match_::run(args, g),
        Command::Schema => schema::run((), g),
        Command::Import(c) => import::run(c, g),
    }
}
