//! The import command: find the sources, convert them (in parallel), give each
//! article a stable id, write, and report what went where.

use super::write::{self, Outcome};
use super::{Imported, Located, SourceKind, diagnostic};
use crate::cli::{GlobalOpts, ImportArgs};
use crate::diagnostic::Diagnostic;
use crate::load::Sources;
use crate::model::slugify;
use crate::validate::is_slug;
use anyhow::Context;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Tally {
    imported: usize,
    with_errors: usize,
    drafts: usize,
    unchanged: usize,
    skipped: usize,
    failed: usize,
}

/// The articles of one source file, or why it has none.
type Converted = (
    PathBuf,
    Option<String>,
    Result<Vec<Result<Imported, Located>>, Diagnostic>,
);

pub fn run(kind: SourceKind, args: &ImportArgs, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    let color = crate::report::color_enabled(global.color, std::io::stderr().is_terminal());
    let (files, mut diags) = find_sources(kind, &args.paths);
    let progress = crate::progress::Progress::for_stderr(files.len() as u64, global.quiet);
    let converted: Vec<Converted> = files
        .par_iter()
        .map(|p| {
            let c = convert(kind, p);
            progress.inc(1);
            c
        })
        .collect();
    progress.finish();
    if !args.dry_run {
        std::fs::create_dir_all(&args.kb)
            .with_context(|| format!("creating the articles folder {}", args.kb.display()))?;
    }
    let prefix = crate::cmd::new::schema_prefix(&args.kb);
    let (mut tally, mut log, mut sources) = (Tally::default(), String::new(), Sources::default());
    let mut taken = HashSet::new();
    let (ids, mut aliases) = (base_ids(&converted), HashSet::new());
    tally.failed = diags.len();
    for (path, text, result) in converted {
        let results = match result {
            Ok(r) => r,
            Err(d) => {
                diags.push(d);
                tally.failed += 1;
                vec![]
            }
        };
        for r in results {
            let mut a = match r {
                Ok(a) => a,
                Err(l) => {
                    diags.push(diagnostic(&path, &l));
                    tally.failed += 1;
                    continue;
                }
            };
            for (line, m) in &a.warnings {
                diags.push(Diagnostic::warning("I002", &path, *line, 1, m.clone()));
            }
            for (line, column, m) in &a.images {
                let d = Diagnostic::warning("I004", &path, *line, *column, m.clone());
                diags.push(d.with_hint("host the image and change the link to its URL"));
            }
            a.finish();
            let (id, clash) = assign_id(&a, &args.kb, &mut taken);
            if let Some(other) = clash {
                let m = format!("id `{other}` is already taken: written as `{id}`");
                diags.push(Diagnostic::warning("I003", &path, 0, 0, m));
            }
            keep_aliases(&mut a, &id, &args.kb, &ids, &mut aliases);
            let target = args.kb.join(format!("{id}.yaml"));
            let yaml = write::yaml(&a, &prefix);
            if yaml.len() as u64 > crate::load::MAX_FILE_BYTES {
                let m = format!(
                    "the article is {} bytes, more than the 1 MiB `kbgen check` allows (E016): split it",
                    yaml.len()
                );
                diags.push(Diagnostic::warning("I002", &path, 1, 1, m));
            }
            let outcome = write::write(&target, &yaml, args.force, args.dry_run)
                .with_context(|| format!("writing {}", target.display()))?;
            count(&mut tally, &a, outcome);
            if args.dry_run && outcome == Outcome::Written {
                crate::cmd::out(&format!("==> {} <==\n{yaml}\n", target.display()))?;
            }
            log_one(&mut log, &a, &target, outcome);
        }
        if let Some(t) = text {
            sources.insert(path, t);
        }
    }
    diags.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let mut text = crate::report::human(&diags, &sources, color);
    if !global.quiet {
        text.push_str(&log);
        text.push_str(&summary(&tally, args.dry_run));
    } else {
        text = crate::report::human(
            &diags
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect::<Vec<_>>(),
            &sources,
            color,
        );
    }
    crate::cmd::err(&text)?;
    Ok(if tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The base id of every article converted, so an alias never names another one.
fn base_ids(converted: &[Converted]) -> HashSet<String> {
    let articles = converted.iter().filter_map(|(_, _, r)| r.as_ref().ok());
    articles
        .flatten()
        .filter_map(|r| r.as_ref().ok())
        .map(|a| base_id(&a.id_hint))
        .collect()
}

/// Leaves out (with a note) each alias that is the article's own id, another
/// article's id or an earlier article's alias, which `kbgen check` refuses (E021).
fn keep_aliases(
    a: &mut Imported,
    id: &str,
    kb: &Path,
    ids: &HashSet<String>,
    used: &mut HashSet<String>,
) {
    let mut notes = Vec::new();
    a.aliases.retain(|alias| {
        let why = if alias == id {
            "is the article's own id"
        } else if ids.contains(alias) || kb.join(format!("{alias}.yaml")).exists() {
            "is another article's id"
        } else if !used.insert(alias.clone()) {
            "is another article's alias"
        } else {
            return true;
        };
        notes.push(format!("alias `{alias}` left out: it {why}"));
        false
    });
    a.notes.extend(notes);
}

fn count(t: &mut Tally, a: &Imported, outcome: Outcome) {
    match outcome {
        Outcome::Written => {
            t.imported += 1;
            t.with_errors += usize::from(!a.errors.is_empty());
            t.drafts += usize::from(a.draft);
        }
        Outcome::Unchanged => t.unchanged += 1,
        Outcome::Skipped => t.skipped += 1,
    }
}

fn summary(t: &Tally, dry_run: bool) -> String {
    format!(
        "{}imported {} (with error texts {}, as drafts {}), unchanged {}, skipped {} (edited), failed {}\n",
        if dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        t.imported,
        t.with_errors,
        t.drafts,
        t.unchanged,
        t.skipped,
        t.failed
    )
}

fn log_one(log: &mut String, a: &Imported, target: &Path, outcome: Outcome) {
    let what = match outcome {
        Outcome::Written => "imported",
        Outcome::Unchanged => "unchanged",
        Outcome::Skipped => "skipped: edited since it was imported (--force overwrites)",
    };
    let found = match a.errors.len() {
        0 => String::new(),
        1 => ", 1 error text".into(),
        n => format!(", {n} error texts"),
    };
    let what = if outcome == Outcome::Skipped {
        what.to_string()
    } else {
        format!("{what}{found}")
    };
    log.push_str(&format!("{} -> {} ({what})\n", a.source, target.display()));
    for n in &a.notes {
        log.push_str(&format!("  {n}\n"));
    }
}

/// The source files named (folders searched for `*.md`), and a failure per missing path.
fn find_sources(kind: SourceKind, paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let (mut files, mut diags) = (Vec::new(), Vec::new());
    for p in paths {
        if p.is_dir() && kind == SourceKind::Markdown {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md")
                })
                .map(|e| e.into_path())
                .collect();
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            let d = Diagnostic::error("I001", p, 0, 0, "no such file or folder");
            diags.push(d.with_hint("check the path"));
        }
    }
    let mut seen = HashSet::new();
    let files = files
        .into_iter()
        .map(|f| tidy_path(&f))
        .filter(|f| seen.insert(f.clone()));
    (files.collect(), diags)
}

/// `path` without `./` parts, and relative to the working folder when under it, so
/// that `./docs/a.md`, `docs/a.md` and `$PWD/docs/a.md` name one source (the name
/// in each file's first line, which tells a re-run its own files).
fn tidy_path(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let real = cwd.canonicalize().unwrap_or_else(|_| cwd.clone());
    let rel = (path
        .strip_prefix(&cwd)
        .or_else(|_| path.strip_prefix(&real)))
    .unwrap_or(path);
    rel.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Largest source an import reads (10 MiB: a Zendesk page of 100 long articles fits).
pub const MAX_SOURCE_BYTES: u64 = 10 << 20;

/// The text of `path`, or why it cannot be imported (too large, unreadable, not UTF-8).
fn read_source(path: &Path) -> (Option<String>, Option<Diagnostic>) {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > MAX_SOURCE_BYTES {
        let m = format!("too large: {size} bytes, more than the 10 MiB a source may have");
        let d = Diagnostic::error("I001", path, 1, 1, m)
            .with_hint("split the source (an export into pages, a page into articles)");
        return (None, Some(d));
    }
    crate::load::read_utf8(path)
}

fn convert(kind: SourceKind, path: &Path) -> Converted {
    let (text, problem) = read_source(path);
    if let Some(d) = problem {
        return (path.to_path_buf(), text, Err(d));
    }
    let text = text.unwrap_or_default();
    if let Some(at) = text.find('\0') {
        let (line, column) = crate::load::line_col(&text, at);
        let d = Diagnostic::error("I001", path, line, column, "binary file (holds a NUL byte)")
            .with_hint("import only text sources");
        return (path.to_path_buf(), None, Err(d));
    }
    let result = match kind {
        SourceKind::Markdown => Ok(vec![super::markdown::convert(path, &text)]),
        SourceKind::Zendesk => super::zendesk::convert(&text).map_err(|l| diagnostic(path, &l)),
    };
    (path.to_path_buf(), Some(text), result)
}

/// A slug id for `a`, with a suffix when another source or an article not imported
/// from this source already has it; the taken id comes back to be warned about.
fn assign_id(a: &Imported, kb: &Path, taken: &mut HashSet<String>) -> (String, Option<String>) {
    let base = base_id(&a.id_hint);
    let mine = write::source_comment(&a.source);
    for n in 1.. {
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let first = std::fs::read_to_string(kb.join(format!("{id}.yaml")));
        let free = match &first {
            Ok(text) => text.lines().next() == Some(mine.as_str()),
            Err(_) => true,
        };
        if free && taken.insert(id.clone()) {
            return (id, (n > 1).then_some(base));
        }
    }
    unreachable!("some suffix is free")
}

fn base_id(hint: &str) -> String {
    let mut id = slugify(hint);
    if !is_slug(&id) {
        let ascii: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        id = slugify(&ascii);
    }
    if !is_slug(&id) {
        id = "article".into();
    }
    while id.len() > 80 {
        match id.rfind('-') {
            Some(at) => id.truncate(at),
            None => id.truncate(80),
        }
    }
    id
}
