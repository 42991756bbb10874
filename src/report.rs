//! Prints diagnostics: compiler-style with source snippets for people, one JSON document for tools.
//!
//! Human output starts each diagnostic with `path:line:column: error[CODE]: message`
//! (so editors and terminals can jump to it), then an annotate-snippets excerpt with a
//! caret, the related location if any, and the hint.

use crate::cli::ColorChoice;
use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{self, Sources};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt::Write as _;
use std::path::Path;

/// Whether to colour output written to a stream (`NO_COLOR` disables `auto`).
pub fn color_enabled(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Every diagnostic, compiler-style, each followed by a blank line.
pub fn human(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let d = &printable(d);
        let _ = writeln!(out, "{}", header(d, color));
        let body = renderer.render(&[body(d, sources)]);
        if !body.trim().is_empty() {
            out.push_str(&body);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// A copy of `d` whose texts (quoting article content and file names) cannot drive
/// the terminal: control characters and bidi overrides are shown as `\u{..}` escapes.
fn printable(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = escape_controls(&d.message);
    d.hint = d.hint.as_deref().map(escape_controls);
    d.path = escape_controls(&d.path.to_string_lossy()).into();
    if let Some(r) = &mut d.related {
        r.message = escape_controls(&r.message);
        r.path = escape_controls(&r.path.to_string_lossy()).into();
    }
    d
}

/// `s` with every control character (but tab and newline) and every bidi control escaped.
pub fn escape_controls(s: &str) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `path:line:column`, or `path:line` or `path` alone for a problem with no column,
/// or no place in the file (never a line or column 0, which editors cannot jump to).
fn place(path: &Path, line: usize, column: usize) -> String {
    match (line, column) {
        (0, _) => format!("{}", path.display()),
        (_, 0) => format!("{}:{line}", path.display()),
        _ => format!("{}:{line}:{column}", path.display()),
    }
}

/// `path:line:column: error[CODE]: message` (`path: error[...]` for whole-file problems).
pub fn header(d: &Diagnostic, color: bool) -> String {
    let loc = place(&d.path, d.line, d.column);
    let (word, style) = match d.severity {
        Severity::Error => ("error", anstyle::AnsiColor::BrightRed),
        Severity::Warning => ("warning", anstyle::AnsiColor::Yellow),
    };
    if color {
        let s = anstyle::Style::new().fg_color(Some(style.into())).bold();
        let b = anstyle::Style::new().bold();
        format!(
            "{b}{loc}:{b:#} {s}{word}[{}]{s:#}{b}: {}{b:#}",
            d.code, d.message
        )
    } else {
        format!("{loc}: {word}[{}]: {}", d.code, d.message)
    }
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// The snippet(s), related location and hint of one diagnostic, without a title
/// (the header line already says what is wrong).
fn body<'a>(d: &'a Diagnostic, sources: &'a Sources) -> Group<'a> {
    let mut group = Group::with_level(level(d.severity));
    let file_level = FILE_LEVEL.contains(&d.code);
    let related = d.related.as_ref();
    // Line 0: no place in the file, so no excerpt (but the related place still shows).
    let located = d.line > 0;
    // A related place a few lines away shares the primary excerpt, like rustc does.
    let near = located
        && related.is_some_and(|r| r.line > 0 && r.path == d.path && r.line.abs_diff(d.line) <= 4);
    if !file_level && located {
        let mut marks = vec![Mark {
            line: d.line,
            column: d.column,
            kind: AnnotationKind::Primary,
            label: label(d.code),
        }];
        marks.extend(related.filter(|_| near).map(context_mark));
        if let Some(s) = snippet(&d.path, &marks, sources) {
            group = group.element(s);
        }
    }
    if let Some(r) = related.filter(|_| !near || file_level) {
        let excerpt = (!file_level)
            .then(|| snippet(&r.path, &[context_mark(r)], sources))
            .flatten();
        group = match excerpt {
            Some(s) => group.element(s),
            None => {
                let at = place(&r.path, r.line, r.column);
                group.element(Level::NOTE.message(format!("{at}: {}", r.message)))
            }
        };
    }
    if let Some(h) = &d.hint {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    group
}

fn context_mark(r: &crate::diagnostic::Related) -> Mark<'_> {
    Mark {
        line: r.line,
        column: r.column,
        kind: AnnotationKind::Context,
        label: &r.message,
    }
}

/// Codes about a file as a whole: no snippet, the header says it all.
const FILE_LEVEL: &[&str] = &["E014", "E016", "E017", "E018"];

/// One caret (or underline) in an excerpt.
#[derive(Clone, Copy)]
struct Mark<'a> {
    line: usize,
    column: usize,
    kind: AnnotationKind,
    label: &'a str,
}

/// The source lines spanning `marks`, each mark covering the token that starts there.
fn snippet<'a>(
    path: &'a Path,
    marks: &[Mark<'a>],
    sources: &'a Sources,
) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let text = sources.get(path)?;
    let first = marks.iter().map(|m| m.line).min()?;
    let last = marks.iter().map(|m| m.line).max()?;
    if first == 0 {
        return None;
    }
    let start = load::offset_of(text, first, 1);
    let end_line = load::offset_of(text, last, 1);
    let end = text[end_line..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| end_line + i);
    let src = &text[start..end];
    // CRLF files: drop the `\r`s (and shift the spans) so no `␍` shows in the excerpt;
    // a lone `\r` (old Mac files) ends a line as `\n` does. A tab is shown as `\t`
    // (one byte more), as rustc does: as spaces, a tab in the indentation is invisible.
    let shift = |o: usize| o - src[..o].matches("\r\n").count() + src[..o].matches('\t').count();
    let lines = src
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "\\t");
    let mut snippet = Snippet::source(no_c1_controls(&lines))
        .line_start(first)
        .path(path.to_string_lossy());
    for m in marks {
        let line_start = load::offset_of(text, m.line, 1) - start;
        let at = load::offset_of(text, m.line, m.column.max(1)) - start;
        let line_end = src[line_start..]
            .find(['\n', '\r'])
            .map_or(src.len(), |i| line_start + i);
        let at = at.min(line_end);
        let len = token_len(&src[at..line_end]);
        let span = shift(at)..shift(at + len);
        let annotation = m.kind.span(span);
        snippet = snippet.annotation(if m.label.is_empty() {
            annotation
        } else {
            annotation.label(m.label)
        });
    }
    Some(snippet)
}

/// `s` with C1 controls (U+0080..U+009F, such as the 8-bit CSI) shown as `¤`:
/// annotate-snippets shows C0 controls and bidi overrides as symbols, but passes C1
/// controls through to the terminal. Both are two bytes, so spans stay valid.
fn no_c1_controls(s: &str) -> String {
    s.chars()
        .map(|c| {
            if ('\u{80}'..='\u{9f}').contains(&c) {
                '¤'
            } else {
                c
            }
        })
        .collect()
}

/// Length in bytes of the token at the start of `s`: up to whitespace, or a key's `:`.
fn token_len(s: &str) -> usize {
    if let Some(q @ ('"' | '\'')) = s.chars().next() {
        // A quoted scalar: up to its closing quote (skipping `\"` escapes).
        let mut prev = q;
        for (i, c) in s.char_indices().skip(1) {
            if c == q && (q == '\'' || prev != '\\') {
                return i + 1;
            }
            prev = c;
        }
        return s.len();
    }
    let mut len = 0;
    let mut opened = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        // `C#]` and `C++,` in a flow list `[C++, C#]`: the item ends before `,` or `]`.
        let ends_item = matches!(c, ',' | ']' | '}') && i > 0 && !opened;
        if c.is_whitespace() || (c == ':' && next_is_space && i > 0) || ends_item {
            break;
        }
        opened |= matches!(c, '[' | '{');
        len = i + c.len_utf8();
    }
    len.max(s.chars().next().map_or(0, char::len_utf8))
}

/// A short caret label per code.
fn label(code: &str) -> &'static str {
    match code {
        "E001" => "here",
        "E002" => "wrong type",
        "E003" => "unknown field",
        "E004" => "in this mapping",
        "E005" => "empty",
        "E006" => "not a slug",
        "E007" => "not a date",
        "E008" => "updated here",
        "E009" => "a second file with this id",
        "E010" => "no such article",
        "E011" => "this article",
        "E012" => "not http(s)",
        "E013" => "raw HTML",
        "E015" => "invalid UTF-8 here",
        "W002" => "never closed",
        "W003" => "too short",
        "W007" => "too generic",
        "W008" => "shared with another article",
        "W004" => "not kept as a link",
        "W006" => "a second spelling of one page",
        _ => "",
    }
}

/// One line: `error: 2 errors, 1 warning in 5 articles` (or a clean result).
pub fn summary(errors: usize, warnings: usize, files: usize, color: bool) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let tail = format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "article")
    );
    let (word, c) = match (errors, warnings) {
        (0, 0) => return format!("checked {}: no problems", plural(files, "article")),
        (0, _) => ("warning", anstyle::AnsiColor::Yellow),
        _ => ("error", anstyle::AnsiColor::BrightRed),
    };
    if color {
        let s = anstyle::Style::new().fg_color(Some(c.into())).bold();
        format!("{s}{word}{s:#}: {tail}")
    } else {
        format!("{word}: {tail}")
    }
}

/// One JSON document: `{"errors": N, "warnings": N, "diagnostics": [...]}`.
pub fn json(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let doc = serde_json::json!({
        "errors": errors,
        "warnings": diags.len() - errors,
        "diagnostics": diags,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Related;
    use std::path::PathBuf;

    fn sources() -> Sources {
        let mut s = Sources::default();
        s.insert(PathBuf::from("kb/a.yaml"), "title: x\nsymptom: y\n".into());
        s
    }

    /// Regression: a YAML key `"\e]0;title\a"` put a raw ESC sequence into the message,
    /// so `kbgen check` in a terminal or CI log ran the article's escape codes.
    #[test]
    fn control_characters_in_content_cannot_drive_the_terminal() {
        let d = Diagnostic::error(
            "E003",
            "kb/\u{1b}[2Ja.yaml",
            2,
            1,
            "field `\u{1b}]0;x\u{7}`",
        )
        .with_hint("did you mean `\u{202e}txt.exe`?");
        for color in [false, true] {
            let out = human(std::slice::from_ref(&d), &sources(), color);
            let plain: String = out.split("\u{1b}[").collect::<Vec<_>>().join("");
            assert!(
                !out.contains("\u{1b}]") && !out.contains('\u{7}'),
                "{out:?}"
            );
            assert!(!out.contains('\u{202e}'), "{out:?}");
            assert!(plain.contains("\\u{1b}]0;x\\u{7}"), "{out:?}");
        }
        let plain = human(&[d], &sources(), false);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        let mut c1 = Sources::default();
        c1.insert(PathBuf::from("kb/c.yaml"), "title: \u{9b}2J x\n".into());
        let d = Diagnostic::error("E001", "kb/c.yaml", 1, 9, "bad");
        let out = human(&[d], &c1, false);
        assert!(!out.contains('\u{9b}') && out.contains("¤2J x"), "{out:?}");
    }

    #[test]
    fn first_line_is_compiler_style_and_snippet_has_a_caret() {
        let d = Diagnostic::error("E003", "kb/a.yaml", 2, 1, "unknown field `symptom`")
            .with_hint("did you mean `symptoms`?");
        let out = human(&[d], &sources(), false);
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some("kb/a.yaml:2:1: error[E003]: unknown field `symptom`")
        );
        assert!(out.contains("2 | symptom: y"), "{out}");
        assert!(out.contains("^^^^^^^ unknown field"), "{out}");
        assert!(out.contains("help: did you mean `symptoms`?"), "{out}");
        assert!(!out.contains('\u{1b}'));
    }

    /// Regression (lone `\r`): in an old-Mac file the excerpt was the whole file on
    /// one line, with the caret on the wrong line.
    #[test]
    fn crlf_and_lone_cr_files_show_their_lines_without_carriage_returns() {
        for eol in ["\r\n", "\r"] {
            let mut s = Sources::default();
            s.insert(
                PathBuf::from("a.yaml"),
                format!("created: x{eol}updated: y{eol}"),
            );
            let d = Diagnostic::error("E008", "a.yaml", 2, 10, "before").with_related(Related {
                path: "a.yaml".into(),
                line: 1,
                column: 10,
                message: "created here".into(),
            });
            let out = human(&[d], &s, false);
            assert!(!out.contains('\r') && !out.contains('␍'), "{out}");
            assert!(out.contains("1 | created: x\n"), "{eol:?}: {out}");
            assert!(
                out.contains("2 | updated: y\n  |          ^ updated here"),
                "{eol:?}: {out}"
            );
        }
    }

    #[test]
    fn related_locations_are_shown() {
        let d = Diagnostic::error("E009", "kb/a.yaml", 1, 1, "duplicate").with_related(Related {
            path: "kb/b.yaml".into(),
            line: 1,
            column: 1,
            message: "first defined here".into(),
        });
        let out = human(&[d], &sources(), false);
        assert!(out.contains("kb/b.yaml:1:1: first defined here"), "{out}");
    }

    /// Regression: `serve` printed setup and template problems that have no place in
    /// a file with a line 0; a related place with none was dropped, or printed as `:0`.
    #[test]
    fn diagnostics_without_a_location_print_the_file_alone() {
        let nowhere = |path: &str| Related {
            path: path.into(),
            line: 0,
            column: 0,
            message: "defined here".into(),
        };
        let diags = [
            Diagnostic::error("E000", "templates", 0, 0, "templates not loaded"),
            Diagnostic::error("E000", "kb/a.yaml", 0, 0, "no place").with_related(Related {
                line: 2,
                column: 1,
                ..nowhere("kb/a.yaml")
            }),
            Diagnostic::error("E000", "kb/a.yaml", 2, 1, "near").with_related(nowhere("kb/a.yaml")),
            Diagnostic::error("E009", "kb/a.yaml", 0, 0, "far").with_related(nowhere("kb/b.yaml")),
            Diagnostic::error("T001", "kb/a.yaml", 2, 0, "no column"),
        ];
        let out = human(&diags, &sources(), false);
        assert!(!out.contains(":0"), "{out}");
        assert!(
            out.contains("templates: error[E000]: templates not loaded\n"),
            "{out}"
        );
        assert!(out.contains("kb/a.yaml: error[E000]: no place\n"), "{out}");
        assert!(
            out.contains("2 | symptom: y\n  | ------- defined here"),
            "{out}"
        );
        assert!(out.contains("note: kb/a.yaml: defined here"), "{out}");
        assert!(out.contains("note: kb/b.yaml: defined here"), "{out}");
        assert!(out.contains("kb/a.yaml:2: error[T001]: no column"), "{out}");
    }

    #[test]
    fn colour_follows_the_choice() {
        assert!(color_enabled(ColorChoice::Always, false));
        assert!(!color_enabled(ColorChoice::Never, true));
        assert!(!color_enabled(ColorChoice::Auto, false));
        let d = Diagnostic::warning("W001", "kb/a.yaml", 1, 1, "no errors");
        assert!(human(&[d], &sources(), true).contains('\u{1b}'));
    }

    #[test]
    fn token_len_stops_at_key_colon_and_space() {
        assert_eq!(token_len("symptom: y"), 7);
        assert_eq!(token_len("https://x.y z"), 11);
        assert_eq!(token_len(""), 0);
        assert_eq!(token_len(" x"), 1);
        assert_eq!(token_len(r#""a: \"b\"" # c"#), 10);
        assert_eq!(token_len("'a: b', c"), 6);
        assert_eq!(token_len("C++, Okta]"), 3);
        assert_eq!(token_len("C#]"), 2);
        assert_eq!(token_len("[docs]"), 6);
    }

    #[test]
    fn summary_counts() {
        assert_eq!(
            summary(2, 1, 5, false),
            "error: 2 errors, 1 warning in 5 articles"
        );
        assert_eq!(
            summary(0, 1, 1, false),
            "warning: 0 errors, 1 warning in 1 article"
        );
        assert_eq!(summary(0, 0, 3, false), "checked 3 articles: no problems");
    }

    #[test]
    fn json_is_one_document() {
        let d = Diagnostic::error("E007", "kb/a.yaml", 3, 10, "bad date");
        let v: serde_json::Value = serde_json::from_str(&json(&[d])).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["diagnostics"][0]["code"], "E007");
        assert_eq!(v["diagnostics"][0]["line"], 3);
    }
}
