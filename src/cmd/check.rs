//! `kbgen check`: load and validate the articles, print every diagnostic.
//!
//! Exit 0 when there are no errors (warnings allowed), 1 when an article has errors,
//! 2 (through `Err`) when the articles folder cannot be read.

use crate::cli::{CheckArgs, Format, GlobalOpts};
use crate::{report, validate};
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(args: CheckArgs, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let config = crate::config::Config::load(&args.paths.config)?;
    let mut checked = validate::check(&args.paths.kb)?;
    checked.check_reviews(config.review_every_days, crate::model::Date::today());
    match args.format {
        Format::Json => {
            super::out(&format!("{}\n", report::json(&checked.diagnostics)))?;
        }
        Format::Human => {
            let color = report::color_enabled(global.color, std::io::stderr().is_terminal());
            let shown: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| !global.quiet || d.is_error())
                .cloned()
                .collect();
            let mut text = report::human(&shown, &checked.sources, color);
            if !global.quiet {
                let line = report::summary(
                    checked.error_count(),
                    checked.warning_count(),
                    checked.file_count,
                    color,
                );
                text.push_str(&line);
                let due = (checked.diagnostics.iter())
                    .filter(|d| d.code == validate::codes::REVIEW_DUE)
                    .count();
                if due > 0 {
                    let s = if due == 1 { "" } else { "s" };
                    text.push_str(&format!(" ({due} article{s} due for review)"));
                }
                text.push('\n');
            }
            super::err(&text)?;
        }
    }
    Ok(if checked.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
