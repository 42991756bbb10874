//! An imported article as YAML an author would write (the key order of `kbgen new`,
//! block scalars for Markdown, lines folded near 88 columns, the schema comment, a
//! first comment naming the source), and writing it without ever leaving a partial
//! file or overwriting an edited one unless asked.

use super::Imported;
use std::fmt::Write as _;
use std::path::Path;

/// Where text is folded.
const WIDTH: usize = 88;

/// The first line of every imported file, naming its source.
pub fn source_comment(source: &str) -> String {
    format!("# Imported from {} by kbgen import.", one_line(source))
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The YAML text of `a`.
pub fn yaml(a: &Imported, schema_prefix: &Option<String>) -> String {
    let mut y = source_comment(&a.source);
    y.push('\n');
    if let Some(p) = schema_prefix {
        let _ = writeln!(y, "# yaml-language-server: $schema={p}kbgen.schema.json");
    }
    scalar(&mut y, 0, "title", &a.title);
    if a.draft {
        y.push_str("status: draft\n");
    }
    if a.internal {
        y.push_str("audience: internal\n");
    }
    if let Some(s) = &a.summary {
        scalar(&mut y, 0, "summary", s);
    }
    list(&mut y, "tags", &a.tags);
    for (key, date) in [("created", a.created), ("updated", a.updated)] {
        if let Some(d) = date {
            let _ = writeln!(y, "{key}: {d}");
        }
    }
    list(&mut y, "symptoms", &a.symptoms);
    list(&mut y, "errors", &a.errors);
    list(&mut y, "environment", &a.environment);
    if !a.cause.is_empty() {
        scalar(&mut y, 0, "cause", &a.cause);
    }
    let r = &a.resolution;
    if !r.steps.is_empty() || r.intro.is_some() || r.outro.is_some() {
        y.push_str("resolution:\n");
        if let Some(t) = &r.intro {
            scalar(&mut y, 2, "intro", t);
        }
        if !r.steps.is_empty() {
            y.push_str("  steps:\n");
        }
        for s in &r.steps {
            entry(&mut y, 4, s);
        }
        if let Some(t) = &r.outro {
            scalar(&mut y, 2, "outro", t);
        }
    }
    if !a.references.is_empty() {
        y.push_str("references:\n");
        for r in &a.references {
            let _ = write!(y, "  - title: ");
            value(&mut y, 4, 11, &r.title);
            let _ = write!(y, "    url: ");
            value(&mut y, 4, 9, &r.url);
        }
    }
    list(&mut y, "aliases", &a.aliases);
    y
}

fn list(y: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(y, "{key}:");
    for i in items {
        entry(y, 2, i);
    }
}

fn entry(y: &mut String, indent: usize, text: &str) {
    let _ = write!(y, "{:indent$}- ", "");
    value(y, indent + 2, indent + 2, text);
}

fn scalar(y: &mut String, indent: usize, key: &str, text: &str) {
    let _ = write!(y, "{:indent$}{key}: ", "");
    value(y, indent + 2, indent + key.len() + 2, text);
}

/// Writes `text` after a `key: ` or `- ` already on the line (ending at column `at`),
/// with continuation lines indented by `indent`.
fn value(y: &mut String, indent: usize, at: usize, text: &str) {
    let controls = text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
        || text.contains('\u{feff}')
        || text.contains('\u{85}');
    if controls || text.is_empty() || text.starts_with([' ', '\t']) {
        return quoted(y, text);
    }
    if text.contains('\n') {
        y.push_str("|-\n");
        for line in text.lines() {
            if line.is_empty() {
                y.push('\n');
            } else {
                let _ = writeln!(y, "{:indent$}{line}", "");
            }
        }
        return;
    }
    if at + text.len() <= WIDTH && is_plain(text) {
        y.push_str(text);
        y.push('\n');
    } else if at + text.len() > WIDTH && foldable(text) {
        y.push_str(">-\n");
        for line in fold(text, WIDTH.saturating_sub(indent).max(40)) {
            let _ = writeln!(y, "{:indent$}{line}", "");
        }
    } else {
        quoted(y, text);
    }
}

fn quoted(y: &mut String, text: &str) {
    y.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()));
    y.push('\n');
}

/// Whether `text` reads back as itself as a plain YAML scalar.
fn is_plain(text: &str) -> bool {
    let first = text.chars().next().unwrap_or(' ');
    let special = ["true", "false", "null", "yes", "no", "on", "off", "~"];
    first.is_alphabetic()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([':', ' '])
        && !text.contains(['\t', '"', '\'', '`', '{', '}', '[', ']'])
        && !special.contains(&text.to_lowercase().as_str())
        && text.parse::<f64>().is_err()
        && !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'-' || b == b':')
}

/// Whether a one-line text survives folding: single spaces only, no leading or
/// trailing space, nothing a block scalar would read differently.
fn foldable(text: &str) -> bool {
    !text.contains("  ")
        && !text.ends_with(' ')
        && !text.contains('\t')
        && !text.starts_with(['#', '-'])
}

fn fold(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Markdown with its long paragraph lines wrapped at `width`: only plain lines outside
/// code blocks, lists, quotes and tables, and never before a word that would start a
/// block (`-`, `#`, `>`, a digit …), so the text renders exactly as before.
pub fn wrap_markdown(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 40);
    let mut fence = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        let plain = !fence
            && !line.starts_with([' ', '\t'])
            && !t.starts_with(['-', '*', '+', '#', '>', '|', '<', '`', '=', '~'])
            && !t.starts_with(|c: char| c.is_ascii_digit())
            && !line.contains('|')
            && !line.ends_with('\\');
        if !out.is_empty() {
            out.push('\n');
        }
        if !plain || line.chars().count() <= width || line.contains("  ") {
            out.push_str(line);
            continue;
        }
        wrap_line(&mut out, line, width);
    }
    out
}

fn wrap_line(out: &mut String, line: &str, width: usize) {
    let mut len = 0;
    for (i, word) in line.split(' ').enumerate() {
        let starts_block = word.starts_with(['-', '*', '+', '#', '>', '|', '<', '`', '=', '~'])
            || word.starts_with(|c: char| c.is_ascii_digit());
        let n = word.chars().count();
        if i > 0 && len + 1 + n > width && !starts_block && !word.is_empty() {
            out.push('\n');
            len = 0;
        } else if i > 0 {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += n;
    }
}

/// What happened to one target file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Unchanged,
    /// It differs from what the import would write: edited since.
    Skipped,
}

/// Writes `text` to `path` through a temporary file and a rename, unless the file is
/// already `text` (unchanged) or differs and `force` is off (skipped).
pub fn write(path: &Path, text: &str, force: bool, dry_run: bool) -> std::io::Result<Outcome> {
    match std::fs::read(path) {
        Ok(old) if old == text.as_bytes() => return Ok(Outcome::Unchanged),
        Ok(_) if !force => return Ok(Outcome::Skipped),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if dry_run {
        return Ok(Outcome::Written);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".kbgen-import")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(Outcome::Written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_folded_and_markdown_kept_literal() {
        let mut y = String::new();
        let long = "word ".repeat(30).trim_end().to_string();
        scalar(&mut y, 0, "summary", &long);
        scalar(&mut y, 0, "cause", "Line one.\n\n- item");
        scalar(&mut y, 0, "title", "Error: 42");
        assert!(y.starts_with("summary: >-\n  word"), "{y}");
        assert!(y.lines().all(|l| l.len() <= WIDTH), "{y}");
        assert!(y.contains("cause: |-\n  Line one.\n\n  - item\n"), "{y}");
        assert!(y.ends_with("title: \"Error: 42\"\n"), "{y}");
    }

    #[test]
    fn paragraphs_wrap_but_code_lists_and_block_starts_do_not() {
        let long = format!("{} - not a list 1. nor this", "word ".repeat(20).trim_end());
        let code = format!("```\n{long}\n```");
        let text = format!("{long}\n\n- {long}\n\n{code}");
        let out = wrap_markdown(&text, 40);
        assert!(out.lines().next().unwrap().len() <= 40, "{out}");
        assert!(out.contains(&format!("- {long}\n")), "{out}");
        assert!(out.ends_with(&code), "{out}");
        let rendered = |s: &str| {
            let html = crate::markdown::to_html(s);
            html.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        assert_eq!(rendered(&out), rendered(&text));
        assert!(
            !out.lines()
                .any(|l| l.starts_with("- not") || l.starts_with("1.")),
            "{out}"
        );
    }
}
