//! `kbgen serve`: maps the command line onto `serve::ServeOptions`.

use crate::cli::{GlobalOpts, ServeArgs};
use crate::serve::{self, ServeOptions};
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(args: ServeArgs, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    serve::run(ServeOptions {
        kb: args.paths.kb,
        templates: args.paths.templates,
        out: args.paths.out,
        config: args.paths.config,
        bind: args.bind,
        port: args.port,
        open: args.open,
        poll: args.poll,
        quiet: global.quiet,
        color: crate::report::color_enabled(global.color, std::io::stderr().is_terminal()),
        base_url: args.base_url,
        audience: args.audience.into(),
    })
}
