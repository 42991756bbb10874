//! YAML syntax errors as author-facing diagnostics: the parser's message in kbgen's
//! words, at the place to fix (the tab itself, the first of two duplicate fields),
//! with what to do about it. `load` parses; this module explains what went wrong.

use super::{codes, empty_file, line_col, numbered_lines, offset_of, yaml_options};
use crate::diagnostic::{Diagnostic, Related};
use crate::raw::Node;
use serde_saphyr::Spanned;
use std::path::Path;

/// Parses `text` into a located tree; a syntax error becomes a located diagnostic.
///
/// The parser stops at a duplicate field before it reads the rest of the file, so a
/// syntax error later on (an unclosed `[` in the second `title:`) is looked for with
/// duplicates allowed, and reported too.
pub fn parse_tree(path: &Path, text: &str) -> Result<Spanned<Node>, Vec<Diagnostic>> {
    let parse = |options| serde_saphyr::from_str_with_options::<Spanned<Node>>(text, options);
    match parse(yaml_options()) {
        Ok(root) if root.value == Node::Null => Err(vec![empty_file(path)]),
        Ok(root) => Ok(root),
        Err(e) => {
            let mut found = vec![yaml_error(path, text, &e)];
            if is_duplicate_key(&e) {
                let d = &mut found[0];
                if let Some((line, column)) = first_of_key(text, d.line, d.column) {
                    let message = "first written here".to_string();
                    let path = d.path.clone();
                    d.related = Some(Related {
                        path,
                        line,
                        column,
                        message,
                    });
                }
                let mut options = yaml_options();
                options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::FirstWins;
                if let Err(e) = parse(options) {
                    found.push(yaml_error(path, text, &e));
                }
            }
            Err(found)
        }
    }
}

/// Where the block mapping holding the key at `line`:`column` first has that key: the
/// nearest line above with the same key at the same column, not leaving the mapping.
fn first_of_key(text: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    fn key_at(l: &str) -> (usize, &str) {
        let rest = l.trim_start_matches([' ', '-']);
        (l.len() - rest.len() + 1, rest)
    }
    let lines: Vec<(usize, &str)> = numbered_lines(text).take(line).collect();
    let (_, dup) = key_at(lines.get(line - 1)?.1);
    let key = &dup[..dup.find(':')?];
    for &(n, l) in lines[..line - 1].iter().rev() {
        let (col, rest) = key_at(l);
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if col == column && rest.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            return Some((n, col));
        }
        // Above a shallower line, or the `- ` that starts this entry: another mapping.
        if col < column || (col == column && l.trim_start().starts_with('-')) {
            return None;
        }
    }
    None
}

fn is_duplicate_key(e: &serde_saphyr::Error) -> bool {
    e.without_snippet()
        .to_string()
        .starts_with("duplicate mapping key: ")
}

/// A serde-saphyr error as a diagnostic at its location (1:1 when it has none).
pub fn yaml_error(path: &Path, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .filter(|&(l, c)| l > 0 && c > 0)
        .unwrap_or((1, 1));
    if let Some((message, hint)) = limit_message(e) {
        return Diagnostic::error(codes::SYNTAX, path, line, column, message).with_hint(hint);
    }
    let message = strip_location(&e.without_snippet().to_string());
    if is_about_a_tab(&message) || indented_with_a_tab(text, line, column) {
        return tab_error(path, text, line, column);
    }
    let (message, hint) = explain(message);
    let hint = unclosed_bracket(text, line).unwrap_or(hint);
    Diagnostic::error(codes::SYNTAX, path, line, column, message).with_hint(hint)
}

/// Whether the parser's `message` is about a tab where YAML wants spaces.
fn is_about_a_tab(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "found a tab",
        "tabs disallowed",
        "tab cannot",
        "tab character",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// Whether the whitespace that starts `line`, up to `column`, holds a tab: whatever
/// the parser then says, the tab is why it could not read the line.
fn indented_with_a_tab(text: &str, line: usize, column: usize) -> bool {
    let start = offset_of(text, line, 1);
    let indent = &text[start..offset_of(text, line, column)];
    indent.contains('\t') && indent.trim_start_matches([' ', '\t']).is_empty()
}

/// A tab in the indentation, located at the tab itself. The parser reports the
/// character after an indenting tab, or where a scalar holding one began.
fn tab_error(path: &Path, text: &str, line: usize, column: usize) -> Diagnostic {
    let start = offset_of(text, line, 1);
    let at = offset_of(text, line, column);
    let before = text[start..at].rfind('\t').map(|i| start + i);
    let after = || text[at..].find('\t').map(|i| at + i);
    let (line, column) = before
        .or_else(after)
        .map_or((line, column), |i| line_col(text, i));
    Diagnostic::error(
        codes::SYNTAX,
        path,
        line,
        column,
        "tab character where YAML allows only spaces",
    )
    .with_hint(
        "YAML indents with spaces only: replace the tab (shown as `\\t`) with spaces, \
         as many as the lines around it use",
    )
}

/// A parser limit breached, in the author's words: which limit and what to do.
/// serde-saphyr's own text for these is its `Debug` form (`Nodes { nodes: 100001 }`).
fn limit_message(e: &serde_saphyr::Error) -> Option<(String, &'static str)> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let mut err = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = err {
        err = error;
    }
    let aliases = "articles may not expand aliases this much; write the values out";
    let (message, hint) = match err {
        E::Budget { breach, .. } => match breach {
            B::Nodes { .. } | B::Events { .. } | B::ScalarBytes { .. } => (
                "the file holds too many values for an article (more than 100000 list items, keys or texts)",
                "an article is a page, not a data set: split it, or move long logs out of it",
            ),
            B::Depth { .. } => (
                "values are nested too deeply (more than 16 levels)",
                "articles are at most three levels deep: check the indentation and brackets",
            ),
            B::Aliases { .. } | B::Anchors { .. } | B::MergeKeys { .. } => (
                "the file uses too many anchors, aliases or merge keys",
                aliases,
            ),
            // `explain` words this one with the place of the second `---`.
            B::Documents { .. } => return None,
            _ => (
                "the file breaches a parser limit",
                "make the article smaller and simpler",
            ),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => {
            ("aliases expand to too much text (an alias bomb)", aliases)
        }
        _ if err.to_string().contains("recursion limit exceeded") => (
            "values are nested too deeply",
            "articles are at most three levels deep: check the indentation and brackets",
        ),
        _ => return None,
    };
    Some((message.to_string(), hint))
}

/// serde-saphyr appends " at line L, column C"; the diagnostic carries that already.
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].trim_end_matches(':').to_string(),
        None => first.to_string(),
    }
}

/// "the `[` opened on line 3 is never closed", when a line before `line` leaves a
/// flow bracket open (the parser only notices on a later line).
fn unclosed_bracket(text: &str, line: usize) -> Option<String> {
    let mut open: Vec<(char, usize)> = Vec::new();
    for (n, l) in text.lines().take(line).enumerate() {
        let mut quote = None;
        for c in l.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((c, n + 1)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let (c, at) = *open.first()?;
    let close = if c == '[' { ']' } else { '}' };
    (at < line).then(|| {
        format!(
            "the `{c}` opened on line {at} is never closed: add `{close}` at the end of that line"
        )
    })
}

/// serde-saphyr's message in an author's words, and what to do about it.
fn explain(message: String) -> (String, String) {
    let m = message.to_ascii_lowercase();
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest);
        let text = format!("field `{key}` appears twice in the same mapping");
        return (
            text,
            "each field may appear once: merge the two entries".into(),
        );
    }
    if let Some(c) = message
        .strip_prefix("unclosed bracket '")
        .and_then(|r| r.chars().next())
    {
        let close = if c == '[' { ']' } else { '}' };
        return (
            format!("this `{c}` is never closed"),
            format!("end the list with `{close}`, or quote the text if the `{c}` belongs to it"),
        );
    }
    let hint = if m.contains("documents {") {
        return (
            "a file holds one article, but this starts a second YAML document".into(),
            "remove this `---` line, or move the second article into its own file".into(),
        );
    } else if m.contains("budget") || m.contains("alias") {
        "the file expands anchors/aliases or nests values too much: write the values out"
    } else {
        "check the indentation and quoting here; quote text that contains `: ` or ` #`, \
         or that starts with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `%` or `@`"
    };
    (message, hint.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first diagnostic of a file that does not parse.
    fn syntax_error(yaml: &str) -> Diagnostic {
        parse_tree(Path::new("x.yaml"), yaml).unwrap_err().remove(0)
    }

    #[test]
    fn syntax_errors_are_located_and_readable() {
        let d = syntax_error("title: a\n\tcause: b\n");
        assert_eq!(d.code, codes::SYNTAX);
        assert_eq!((d.line, d.column), (2, 1));
        assert!(!d.message.contains(" at line "), "{}", d.message);
    }

    /// Regression: the column was the character after the tab, and the message the
    /// parser's ("tabs disallowed within this context (block indentation)").
    #[test]
    fn tab_errors_point_at_the_tab_in_kbgen_words() {
        for yaml in [
            "title: a\nsymptoms:\n\t- x\n",
            "title: a\ncause: |\n  x\n\ty\n",
            "title: a\nsymptoms:\n  - x\n \t- y\n",
        ] {
            let d = syntax_error(yaml);
            let tab = yaml.find('\t').unwrap();
            assert_eq!((d.line, d.column), line_col(yaml, tab), "{yaml:?}");
            assert_eq!(d.message, "tab character where YAML allows only spaces");
            assert!(d.hint.unwrap().contains("spaces"));
        }
    }

    #[test]
    fn unclosed_flow_bracket_names_the_line_it_opened_on() {
        let d = syntax_error("title: t\ntags: [a, b\ncause: c\n");
        assert_eq!(d.code, codes::SYNTAX);
        let hint = d.hint.unwrap();
        assert!(hint.contains("opened on line 2"), "{hint}");
    }

    #[test]
    fn duplicate_keys_and_second_documents_are_explained() {
        let d = syntax_error("title: a\ntitle: b\n");
        assert_eq!(
            (d.line, d.message.as_str()),
            (2, "field `title` appears twice in the same mapping")
        );
        let d = syntax_error("title: a\n---\ntitle: b\n");
        assert_eq!(d.line, 2);
        assert!(d.hint.unwrap().contains("`---`"));
    }

    /// Regression: appending `title: [unclosed` reported only the duplicate field; the
    /// parser stopped there and never read the unclosed `[`.
    #[test]
    fn a_syntax_error_after_a_duplicate_field_is_reported_too() {
        let found = parse_tree(Path::new("x.yaml"), "title: a\ntitle: [unclosed\n").unwrap_err();
        let got: Vec<_> = found.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            got[0],
            (2, "field `title` appears twice in the same mapping")
        );
        assert_eq!(got.len(), 2, "{found:?}");
        assert_eq!(got[1], (2, "this `[` is never closed"));
        let alone = parse_tree(Path::new("x.yaml"), "title: a\ntitle: b\n").unwrap_err();
        assert_eq!(alone.len(), 1, "{alone:?}");
        let first = alone[0].related.as_ref().map(|r| (r.line, r.column));
        assert_eq!(first, Some((1, 1)));
        let yaml =
            "references:\n  - title: a\n    url: u\n  - title: b\n    url: v\n    title: c\n";
        let first = syntax_error(yaml).related.map(|r| (r.line, r.column));
        assert_eq!(first, Some((4, 5)));
    }

    #[test]
    fn alias_bomb_stops_with_a_diagnostic() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            yaml.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let d = syntax_error(&yaml);
        assert_eq!(d.code, codes::SYNTAX);
        assert!(d.message.contains("alias bomb"), "{}", d.message);
    }

    /// Regression: too many list items and deep nesting said `budget breached: Nodes { .. }`
    /// with a hint about aliases.
    #[test]
    fn node_and_depth_limits_say_which_limit_in_words() {
        let list = format!("symptoms:\n{}", "- a\n".repeat(100_001));
        let d = syntax_error(&list);
        assert!(d.message.contains("too many values"), "{}", d.message);
        assert!(!d.hint.as_deref().unwrap_or("").contains("alias"));
        for deep in [
            format!("a: {}x{}", "{a: ".repeat(100), "}".repeat(100)),
            format!("a: {}{}", "[".repeat(2000), "]".repeat(2000)),
        ] {
            let d = syntax_error(&deep);
            assert!(d.message.contains("nested too deeply"), "{}", d.message);
        }
    }
}
