//! kbgen: troubleshooting articles in YAML to a searchable static site and an
//! error-signature index.
//!
//! The modules follow the pipeline: `load` (files to raw articles with spans),
//! `validate` (raw to the checked `model` plus diagnostics), `markdown`,
//! `signature` (normalise, index, match), `search`, `render` (Tera views), `site`
//! (orchestrates a build, writes atomically) and `serve` (HTTP, watch, live reload).

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod publish;
pub mod raw;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod signature;
pub mod site;
pub mod text;
pub mod validate;

use std::process::ExitCode;

/// Runs one command; `Err` is a usage or I/O problem (exit 2).
pub fn run(cli: cli::Cli) -> anyhow::Result<ExitCode> {
    cmd::run(cli)
}
