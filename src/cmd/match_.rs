//! `kbgen match [FILE|-]`: ranks the articles whose error signatures appear in a
//! pasted error or a whole log, and says on which lines.
//!
//! Exit 0 when an article matches, 1 when none does, 2 on a usage or I/O error.
//! `--limit N` (default 5) caps the articles printed; a human listing says how many
//! more matched. Each article lists at most 10,000 matched lines.
//! Articles with content errors are left out, like `grep` skipping unreadable
//! files: the count is reported on stderr (run `kbgen check` for the details) and
//! the valid articles are matched. `--site DIR` matches against the
//! `signatures.json` of a built site instead, without checking the knowledge base.
//! `--explain` says why each article matched ([`super::match_explain`]).
//!
//! The score is a confidence, 0 to 1: 1 when the input holds the article's whole
//! error text (values aside), and only matches of at least the threshold
//! (`evidence::CONFIDENCE`, 0.71) with specific evidence are listed.

use crate::cli::{Format, GlobalOpts, MatchArgs};
use crate::signature::{ArticleMatch, SignatureIndex};
use anyhow::Context;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::BufReader;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: MatchArgs, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let index = match &args.site {
        Some(site) => from_site(site)?,
        None => {
            let publish = crate::publish::Publish {
                drafts: args.drafts,
                audience: args.audience.into(),
            };
            from_kb(&args.kb, publish, global)?
        }
    };
    if args.dump_signatures {
        super::out(&format!("{}\n", index.to_json()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let found = match args.file.as_deref() {
        None => index.match_reader(std::io::stdin().lock()),
        Some(p) if p.as_os_str() == "-" => index.match_reader(std::io::stdin().lock()),
        Some(p) => {
            let file =
                std::fs::File::open(p).with_context(|| format!("reading {}", p.display()))?;
            index.match_reader(BufReader::with_capacity(1 << 16, file))
        }
    }
    .context("reading the input")?;
    let shown = &found[..found.len().min(args.limit)];
    let text = match args.format {
        Format::Json => json(&index, shown, args.explain),
        Format::Human => human(&index, shown, found.len(), args.explain),
    };
    super::out(&text)?;
    if found.is_empty() && args.format == Format::Human && !global.quiet {
        super::err("no article matches this input\n")?;
    }
    Ok(if found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The index of the valid articles of `kb` that `publish` lists, as a build's
/// `signatures.json` holds them; warns about the articles with errors.
fn from_kb(
    kb: &Path,
    publish: crate::publish::Publish,
    global: &GlobalOpts,
) -> anyhow::Result<SignatureIndex> {
    let checked = crate::validate::check(kb)?;
    if checked.has_errors() && !global.quiet {
        let n = checked.error_count();
        super::err(&format!(
            "warning: {n} error{} in {}; matching the valid articles only (run `kbgen check`)\n",
            if n == 1 { "" } else { "s" },
            kb.display()
        ))?;
    }
    let shown = publish.apply(checked.kb);
    Ok(SignatureIndex::build(&crate::publish::listed(&shown)))
}

/// The index a built site holds in its `signatures.json`.
fn from_site(site: &Path) -> anyhow::Result<SignatureIndex> {
    let path = site.join("signatures.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (written by `kbgen build`)", path.display()))?;
    SignatureIndex::from_json(&text).map_err(|e| {
        let sep = if e.at.is_some() { "" } else { " " };
        anyhow::anyhow!("{}:{sep}{e}", path.display())
    })
}

/// Scores are shown with three decimals.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn json(index: &SignatureIndex, found: &[ArticleMatch], explain: bool) -> String {
    #[derive(Serialize)]
    struct Match<'a> {
        id: &'a str,
        title: &'a str,
        url: &'a str,
        score: f64,
        lines: &'a [u64],
        #[serde(skip_serializing_if = "Option::is_none")]
        explain: Option<super::match_explain::Explain<'a>>,
    }
    #[derive(Serialize)]
    struct Out<'a> {
        matches: Vec<Match<'a>>,
    }
    let matches = found
        .iter()
        .map(|m| {
            let a = &index.articles[m.article];
            Match {
                id: &a.id,
                title: &a.title,
                url: &a.url,
                score: round3(m.score),
                lines: &m.lines,
                explain: explain
                    .then(|| super::match_explain::explain(index, m))
                    .flatten(),
            }
        })
        .collect();
    serde_json::to_string(&Out { matches }).unwrap_or_default() + "\n"
}

fn human(index: &SignatureIndex, shown: &[ArticleMatch], total: usize, explain: bool) -> String {
    let mut s = String::new();
    for (k, m) in shown.iter().enumerate() {
        let a = &index.articles[m.article];
        let _ = writeln!(s, "{}. {}  (score {:.2})", k + 1, a.title, m.score);
        let _ = writeln!(s, "   {}  {}", a.id, a.url);
        let _ = writeln!(
            s,
            "   {}: {}",
            plural(m.lines.len(), "line"),
            ranges(&m.lines)
        );
        if let Some((line, text)) = &m.excerpt {
            let _ = writeln!(s, "   {line:>5} | {}", excerpt(text, 100));
        }
        if explain {
            super::match_explain::human(index, m, &mut s);
        }
    }
    if total > shown.len() {
        let _ = writeln!(
            s,
            "({} more; raise --limit to see them)",
            total - shown.len()
        );
    }
    s
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `1-3, 17, 40-42`.
fn ranges(lines: &[u64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        let mut e = k;
        while e + 1 < lines.len() && lines[e + 1] == lines[e] + 1 {
            e += 1;
        }
        parts.push(if e == k {
            lines[k].to_string()
        } else {
            format!("{}-{}", lines[k], lines[e])
        });
        k = e + 1;
    }
    parts.join(", ")
}

fn excerpt(text: &str, max: usize) -> String {
    let t = text.trim();
    if t.chars().count() <= max {
        return t.to_string();
    }
    let cut: String = t.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges_are_compressed() {
        assert_eq!(ranges(&[1, 2, 3, 17, 40, 41]), "1-3, 17, 40-41");
        assert_eq!(ranges(&[]), "");
    }
}
