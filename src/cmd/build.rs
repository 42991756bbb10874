//! `kbgen build`: check, render the whole site, swap it into `--out`, with a progress
//! bar on stderr for long builds (see `progress`). `KBGEN_TIMINGS=1` adds one line of
//! stage times on stderr, which the benchmark script parses.

use crate::cli::{BuildArgs, GlobalOpts};
use crate::progress::Progress;
use crate::site::{self, BuildOptions};
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(args: BuildArgs, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let color = crate::report::color_enabled(global.color, std::io::stderr().is_terminal());
    let opts = BuildOptions {
        kb: args.paths.kb,
        templates: args.paths.templates,
        out: args.paths.out,
        config: args.paths.config,
        base_url: args.base_url,
        quiet: global.quiet,
        color,
        publish: crate::publish::Publish {
            drafts: args.drafts,
            audience: args.audience.into(),
        },
    };
    let progress = Progress::for_stderr(0, global.quiet);
    let report = site::build_with_progress(&opts, &progress);
    progress.finish();
    let report = report?;
    if !report.diagnostics_text.is_empty() {
        super::err(&report.diagnostics_text)?;
    }
    if !report.written {
        let out = opts.out.display();
        super::err(&format!("kbgen: build failed: {out} left as it was\n"))?;
        return Ok(ExitCode::from(1));
    }
    if !global.quiet {
        super::out(&format!("{}\n", summary(&report, &opts)))?;
        if report.base_url.is_none() {
            super::err(NO_BASE_URL)?;
        }
    }
    if std::env::var_os("KBGEN_TIMINGS").is_some() {
        super::err(&format!("{}\n", timings(&report.timings)))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Said after a build without a base URL, which cannot make absolute links.
const NO_BASE_URL: &str = "note: no base URL, so sitemap.xml and feed.xml were not written; \
set one with --base-url URL or `base_url:` in kbgen.yaml\n";

/// `Built 3 articles, 25 pages into site/ in 45 ms`, and what was left out
/// (`; left out 1 draft (--drafts), 2 internal articles (--audience internal)`).
fn summary(report: &site::BuildReport, opts: &BuildOptions) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "Built {}, {} into {}/ in {} ms",
        plural(report.articles, "article"),
        plural(report.pages, "page"),
        opts.out.display().to_string().trim_end_matches('/'),
        report.timings.total.as_millis()
    );
    let (drafts, internal) = report.left_out;
    let mut left = Vec::new();
    if drafts > 0 {
        left.push(format!("{} (--drafts)", plural(drafts, "draft")));
    }
    if internal > 0 {
        let n = plural(internal, "internal article");
        left.push(format!("{n} (--audience internal)"));
    }
    if !left.is_empty() {
        line.push_str(&format!("; left out {}", left.join(", ")));
    }
    line
}

/// One line of stage times, for `KBGEN_TIMINGS=1` and benchmarks.
fn timings(t: &site::Timings) -> String {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    format!(
        "timings (ms): setup {:.1}, load {:.1}, validate {:.1}, render {:.1}, search {:.1}, signatures {:.1}, write {:.1}, total {:.1}",
        ms(t.setup),
        ms(t.load),
        ms(t.validate),
        ms(t.render),
        ms(t.search),
        ms(t.signatures),
        ms(t.write),
        ms(t.total)
    )
}
