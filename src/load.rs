//! Walks the `kb/` folder and parses each YAML file into a raw article, keeping source text for snippets.
//!
//! Reading never fails because of one file: a file that cannot be read, is empty, is
//! not UTF-8, is too large or is not YAML becomes a `Diagnostic`. Only a `kb/` folder
//! that cannot be read at all is an `Err` (exit 2). `validate` drives these per file.

mod syntax;

pub use syntax::{parse_tree, yaml_error};

use crate::diagnostic::Diagnostic;
use anyhow::{Context, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Largest article file kbgen reads (1 MiB); bigger files are an error, not a slow build.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Diagnostic codes raised while loading (the full table is in `validate`).
pub mod codes {
    pub const SYNTAX: &str = "E001";
    pub const EMPTY_FILE: &str = "E014";
    pub const NOT_UTF8: &str = "E015";
    pub const TOO_LARGE: &str = "E016";
    pub const BAD_FILE_NAME: &str = "E017";
    pub const UNREADABLE: &str = "E018";
}

/// The text of every file read, by the path used in diagnostics, for snippets.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    /// The text of `path`, if it was read.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Records (or replaces) the text of `path`.
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, text);
    }

    /// Forgets the text of `path` (the file was removed).
    pub fn remove(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// Every (path, text), sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.files.iter().map(|(p, t)| (p.as_path(), t.as_str()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// One article file found under the `--kb` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path as found (under the `--kb` folder); the path diagnostics use.
    pub path: PathBuf,
    /// Path relative to the `--kb` folder with `/` separators.
    pub rel_path: String,
    /// File name without the extension: the article id.
    pub id: String,
}

impl SourceFile {
    pub fn new(kb_dir: &Path, path: &Path) -> SourceFile {
        let rel = path.strip_prefix(kb_dir).unwrap_or(path);
        let rel_path = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        SourceFile {
            path: path.to_path_buf(),
            rel_path,
            id,
        }
    }
}

/// Parser options: the defaults with tighter limits, since articles are small.
pub fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(MAX_FILE_BYTES as usize);
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_documents = 1;
    // Parsing recurses once per level: the default 64 levels of flow mappings overflow
    // a 2 MiB thread stack in a debug build. An article is at most four levels deep.
    budget.max_depth = 16;
    let mut aliases = serde_saphyr::options::AliasLimits::default();
    aliases.max_total_replayed_events = 100_000;
    aliases.max_alias_expansions_per_anchor = 100;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits = aliases;
    options.with_snippet = false;
    options
}

/// The article files under `kb_dir`, sorted: `.yaml`/`.yml`, nested folders included,
/// hidden files and folders and editor temp files skipped, symlink loops ignored.
pub fn find_files(kb_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(kb_dir)
        .with_context(|| format!("cannot read the articles folder {}", kb_dir.display()))?;
    if !meta.is_dir() {
        bail!("{} is not a folder", kb_dir.display());
    }
    let walker = walkdir::WalkDir::new(kb_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut files = Vec::new();
    for entry in walker {
        // A symlink loop or a folder that vanished mid-walk is not an article: skip it.
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file() && is_article_name(&entry.file_name().to_string_lossy()) {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Whether `find_files(kb_dir)` would list `path` (given as found under `kb_dir`):
/// an existing `.yaml`/`.yml` file with no hidden or ignored folder on the way.
/// Lets `serve` re-check one changed file without walking the whole folder.
pub fn is_article_file(kb_dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(kb_dir) else {
        return false;
    };
    let mut names = rel.components().map(|c| match c {
        std::path::Component::Normal(n) => Some(n.to_string_lossy()),
        _ => None,
    });
    let Some(Some(file)) = names.next_back() else {
        return false;
    };
    names.all(|n| n.is_some_and(|n| !is_ignored_name(&n)))
        && is_article_name(&file)
        && path.is_file()
}

/// Hidden files, Emacs lock/backup files and Vim swap files.
fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || (name.starts_with('#') && name.ends_with('#'))
}

fn is_article_name(name: &str) -> bool {
    !is_ignored_name(name) && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// The error for a file that cannot be read.
fn unreadable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        codes::UNREADABLE,
        path,
        1,
        1,
        format!("cannot read file: {e}"),
    )
    .with_hint("check that the file exists and that its permissions allow reading it")
}

/// The text of `path` for snippets (lossy when not UTF-8), and the problem that
/// keeps it from being parsed, if any (unreadable, too large, not UTF-8, empty).
pub fn read_text(path: &Path) -> (Option<String>, Option<Diagnostic>) {
    let unreadable = |e: std::io::Error| unreadable(path, &e);
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return (None, Some(unreadable(e))),
    };
    if size > MAX_FILE_BYTES {
        let d = Diagnostic::error(
            codes::TOO_LARGE,
            path,
            1,
            1,
            format!("file is {size} bytes, more than the 1 MiB an article may have"),
        )
        .with_hint("split the article, or move long logs out of it");
        return (None, Some(d));
    }
    read_utf8(path)
}

/// The text of `path` whatever its size (the caller has checked it), and the problem
/// that keeps it from being parsed, if any (unreadable, not UTF-8, empty).
pub fn read_utf8(path: &Path) -> (Option<String>, Option<Diagnostic>) {
    let unreadable = |e: std::io::Error| unreadable(path, &e);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return (None, Some(unreadable(e))),
    };
    match String::from_utf8(bytes) {
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let (line, column) = line_col(&lossy, valid.min(lossy.len()));
            let d = Diagnostic::error(
                codes::NOT_UTF8,
                path,
                line,
                column,
                format!("file is not valid UTF-8 (invalid byte at offset {valid})"),
            )
            .with_hint("save the file as UTF-8");
            (Some(lossy), Some(d))
        }
        Ok(text) if text.trim_start_matches('\u{feff}').trim().is_empty() => {
            (Some(text), Some(empty_file(path)))
        }
        Ok(text) => (Some(text), None),
    }
}

fn empty_file(path: &Path) -> Diagnostic {
    Diagnostic::error(codes::EMPTY_FILE, path, 1, 1, "file is empty")
        .with_hint("run `kbgen new ID` for a skeleton article, or delete the file")
}

/// Parses `text` into the typed article (the fast path for well-formed files).
pub fn parse_article(text: &str) -> Result<crate::raw::RawArticle, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(text, yaml_options())
}

/// 1-based line and column (in characters) of byte offset `at` in `text`, counting
/// lines as YAML (and so serde-saphyr's locations) does: a line ends at `\n`, `\r\n`
/// or a lone `\r` (old Mac files).
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = floor_char_boundary(text, at);
    let (mut line, mut start) = (1, 0);
    for s in line_starts(text).take_while(|&s| s <= at) {
        line += 1;
        start = s;
    }
    (line, text[start..at].chars().count() + 1)
}

/// Byte offset of 1-based `line` and `column` (in characters) in `text`, clamped to the
/// line (and the text); lines are counted as in [`line_col`].
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = match line.saturating_sub(1) {
        0 => 0,
        n => match line_starts(text).nth(n - 1) {
            Some(s) => s,
            None => return text.len(),
        },
    };
    let line_text = &text[start..];
    let line_end = line_text.find(['\n', '\r']).unwrap_or(line_text.len());
    start
        + line_text[..line_end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_end, |(i, _)| i)
}

/// Every line of `text` (without its line break) and its 1-based number, lines
/// counted as in [`line_col`].
pub fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let starts = std::iter::once(0).chain(line_starts(text));
    starts.enumerate().map(move |(i, s)| {
        let rest = &text[s..];
        (
            i + 1,
            &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())],
        )
    })
}

/// Byte offsets where a line starts after a line break (`\n`, `\r\n`, lone `\r`).
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let b = text.as_bytes();
    b.iter().enumerate().filter_map(move |(i, &c)| {
        let ends = c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n'));
        ends.then_some(i + 1)
    })
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_and_hidden_files_are_ignored() {
        for name in [
            ".#a.yaml",
            "a.yaml~",
            ".a.yaml.swp",
            "#a.yaml#",
            ".hidden.yaml",
        ] {
            assert!(!is_article_name(name), "{name}");
        }
        assert!(is_article_name("a.yaml"));
        assert!(is_article_name("a.yml"));
        assert!(!is_article_name("a.json"));
    }

    /// Regression: a lone `\r` (old Mac line ending) did not count as a line break,
    /// so kbgen's own positions disagreed with the YAML parser's.
    #[test]
    fn line_col_counts_lines_as_the_yaml_parser_does() {
        use serde_saphyr::Spanned;
        for eol in ["\n", "\r\n", "\r"] {
            let text = format!("a: one{eol}b:  twé{eol}{eol}c: 'thé'{eol}");
            let map: std::collections::BTreeMap<String, Spanned<String>> =
                serde_saphyr::from_str(&text).unwrap();
            for (key, needle) in [("a", "one"), ("b", "twé"), ("c", "'thé")] {
                let at = text.find(needle).unwrap();
                let loc = map[key].referenced;
                let yaml = (loc.line() as usize, loc.column() as usize);
                assert_eq!(line_col(&text, at), yaml, "{key} with {eol:?}");
                assert_eq!(offset_of(&text, yaml.0, yaml.1), at, "{key} with {eol:?}");
            }
            // Past the end of a line: clamped to the line break, not beyond it.
            assert_eq!(offset_of(&text, 1, 99), "a: one".len(), "{eol:?}");
            assert_eq!(line_col(&text, text.len()), (5, 1), "{eol:?}");
        }
    }

    #[test]
    fn single_files_are_recognised_as_the_walk_would_list_them() {
        let dir = tempfile::tempdir().unwrap();
        let kb = dir.path();
        for rel in [
            "a.yaml",
            "sub/b.yml",
            ".hidden/c.yaml",
            "notes.txt",
            "x.yaml~",
        ] {
            let path = kb.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "title: t\n").unwrap();
        }
        std::fs::create_dir_all(kb.join("dir.yaml")).unwrap();
        let found = find_files(kb).unwrap();
        for rel in [
            "a.yaml",
            "sub/b.yml",
            ".hidden/c.yaml",
            "notes.txt",
            "x.yaml~",
            "dir.yaml",
            "gone.yaml",
        ] {
            let path = kb.join(rel);
            assert_eq!(is_article_file(kb, &path), found.contains(&path), "{rel}");
        }
        assert!(!is_article_file(&kb.join("sub"), &kb.join("a.yaml")));
    }

    #[test]
    fn line_col_and_offset_of_round_trip_with_multibyte_text() {
        let text = "a: é\nbé: x\n";
        let at = text.find('x').unwrap();
        assert_eq!(line_col(text, at), (2, 5));
        assert_eq!(offset_of(text, 2, 5), at);
        assert_eq!(offset_of(text, 9, 9), text.len());
    }
}

#[cfg(test)]
mod stack_tests {
    use super::*;

    /// Regression: 64 levels of `{a: {a: ...}}` overflowed a 2 MiB stack (an abort, in
    /// serve's worker threads) before the depth limit stopped it.
    #[test]
    fn deep_flow_mappings_stop_before_the_stack_runs_out() {
        let run = || {
            for n in [15, 16, 17, 30, 64, 65, 1000] {
                let deep = format!("a: {}x{}", "{a: ".repeat(n), "}".repeat(n));
                let _ = parse_tree(Path::new("x.yaml"), &deep);
                let _ = parse_article(&deep);
                let deep = format!("title: {}x{}", "[".repeat(n), "]".repeat(n));
                let _ = parse_tree(Path::new("x.yaml"), &deep);
                let _ = parse_article(&deep);
            }
        };
        let worker = std::thread::Builder::new().stack_size(1 << 20).spawn(run);
        let joined = worker.expect("spawn").join();
        assert!(joined.is_ok(), "parsing deep nesting must not overflow");
    }
}
