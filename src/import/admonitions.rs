//! Call-out boxes of documentation generators as the block quotes kbgen writes for
//! Learn's `> [!NOTE]`: `> **Warning:** …`, or `> **Warning: Title**` then the text.
//!
//! | source | shape |
//! | --- | --- |
//! | MkDocs Material | `!!! warning "Title"` / `??? tip` / `???+ note`, body indented 4 |
//! | Docusaurus, VuePress | `:::tip[Title]` / `::: danger Title` … `:::` |
//! | Hugo shortcodes | `{{< note >}}` … `{{< /note >}}`, `{{% notice warning "T" %}}` … |
//! | Telerik docs | `>note Text` |
//! | Microsoft Learn | `> [!div class="…"]` (a wrapper: dropped, its content kept) |
//!
//! Every line is kept (a dropped line becomes empty) so later line numbers hold.

/// The label of an admonition kind (`warning` → `Warning`), `None` if not one.
fn label(kind: &str) -> Option<&'static str> {
    Some(match kind.to_ascii_lowercase().as_str() {
        "note" | "info" | "information" | "abstract" | "summary" | "seealso" | "todo"
        | "example" | "question" | "quote" | "secondary" | "details" | "notice" | "callout"
        | "admonition" | "alert" | "hint-info" => "Note",
        "tip" | "hint" | "success" | "check" | "done" | "tldr" => "Tip",
        "important" => "Important",
        "caution" | "attention" => "Caution",
        "warning" | "warn" | "danger" | "error" | "failure" | "fail" | "bug" | "missing" => {
            "Warning"
        }
        _ => return None,
    })
}

/// `body` (first line `first_line`) with admonitions as quotes, and notes.
pub fn convert(body: &str, first_line: usize) -> (String, Vec<String>) {
    let lines: Vec<&str> = body.lines().collect();
    let mut notes = Vec::new();
    let out = block(&lines, first_line, &mut notes);
    let mut text = out.join("\n");
    text.push('\n');
    (text, notes)
}

/// The lines of a block, converted (recursively for nested admonitions).
fn block(lines: &[&str], first_line: usize, notes: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut fence = false;
    let mut i = 0;
    while i < lines.len() {
        let (line, n) = (lines[i], first_line + i);
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        let found = if fence {
            None
        } else {
            mkdocs(lines, i)
                .or_else(|| colons(lines, i))
                .or_else(|| shortcode(lines, i))
        };
        if let Some(b) = found {
            let inner = block(&b.body, n + 1, notes);
            out.extend(quote(&b.label, b.title.as_deref(), &inner));
            out.extend(std::iter::repeat_n(String::new(), b.after));
            i += 1 + b.body.len() + b.after;
            continue;
        }
        if !fence && let Some(rest) = learn_div(t) {
            notes.push(format!(
                "dropped the Learn wrapper `{}` (line {n}): its content kept",
                rest.replace('`', "'")
            ));
            out.push(String::new());
            i += 1;
            while i < lines.len() && lines[i].trim_start().starts_with('>') {
                let q = lines[i].trim_start()[1..].strip_prefix(' ');
                out.push(q.unwrap_or(&lines[i].trim_start()[1..]).to_string());
                i += 1;
            }
            continue;
        }
        out.push(if fence {
            line.to_string()
        } else {
            telerik(line)
        });
        i += 1;
    }
    out
}

/// An admonition found at a line: its label, title, body lines and the lines after
/// the body that closed it.
struct Found<'a> {
    label: String,
    title: Option<String>,
    body: Vec<&'a str>,
    after: usize,
}

fn quote(label: &str, title: Option<&str>, body: &[String]) -> Vec<String> {
    let has_body = body.iter().any(|l| !l.trim().is_empty());
    let head = match title.filter(|t| !t.trim().is_empty()) {
        Some(t) if has_body => format!("> **{label}: {}**\\", t.trim()),
        Some(t) => format!("> **{label}: {}**", t.trim()),
        None => format!("> **{label}:**"),
    };
    let mut out = vec![head];
    out.extend(body.iter().map(|l| {
        if l.trim().is_empty() {
            ">".to_string()
        } else {
            format!("> {l}")
        }
    }));
    out
}

/// MkDocs `!!! kind "Title"`, `??? kind`, `???+ kind` and its indented body.
fn mkdocs<'a>(lines: &[&'a str], i: usize) -> Option<Found<'a>> {
    let rest = ["???+ ", "!!! ", "??? "]
        .iter()
        .find_map(|m| lines[i].strip_prefix(m))?;
    let (head, title) = match rest.find('"') {
        Some(q) => (
            &rest[..q],
            Some(rest[q..].trim().trim_matches('"').to_string()),
        ),
        None => (rest, None),
    };
    let kind = head.split_whitespace().next()?;
    let label = label(kind).unwrap_or("Note").to_string();
    let mut end = i + 1;
    while end < lines.len() {
        let l = lines[end];
        let indented = |l: &&str| l.starts_with("    ") || l.starts_with('\t');
        let more = || {
            lines[end + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(indented)
        };
        if indented(&l) || (l.trim().is_empty() && more()) {
            end += 1;
        } else {
            break;
        }
    }
    let body = lines[i + 1..end]
        .iter()
        .map(|l| {
            l.strip_prefix("    ")
                .or_else(|| l.strip_prefix('\t'))
                .unwrap_or(l.trim_start())
        })
        .collect();
    Some(Found {
        label,
        title: title.or_else(|| titled_kind(head, kind)),
        body,
        after: 0,
    })
}

/// `!!! note` has no title; a kind that is not a known word is the title.
fn titled_kind(_head: &str, kind: &str) -> Option<String> {
    label(kind).is_none().then(|| kind.to_string())
}

/// Docusaurus / VuePress `:::kind[Title]` or `::: kind Title` up to its `:::`.
fn colons<'a>(lines: &[&'a str], i: usize) -> Option<Found<'a>> {
    let t = lines[i].trim();
    let n = t.len() - t.trim_start_matches(':').len();
    if n < 3 {
        return None;
    }
    let rest = t[n..].trim_start();
    let kind: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    let label = label(&kind)?;
    let after = rest[kind.len()..].trim();
    let title = after
        .strip_prefix('[')
        .and_then(|a| a.strip_suffix(']'))
        .or_else(|| {
            after
                .strip_prefix("{title=\"")
                .and_then(|a| a.strip_suffix("\"}"))
        })
        .unwrap_or(after);
    let close = ":".repeat(n);
    let end = (i + 1..lines.len()).find(|&j| lines[j].trim() == close)?;
    let title = (!title.is_empty()).then(|| title.to_string());
    let title = title.or_else(|| (kind == "details").then(|| "Details".to_string()));
    Some(Found {
        label: label.to_string(),
        title,
        body: lines[i + 1..end].to_vec(),
        after: 1,
    })
}

/// A Hugo shortcode alone on its line whose name or type is an admonition kind, up
/// to its closing `{{< /name >}}`.
fn shortcode<'a>(lines: &[&'a str], i: usize) -> Option<Found<'a>> {
    let t = lines[i].trim();
    let (open, close) = [("{{<", ">}}"), ("{{%", "%}}")]
        .into_iter()
        .find(|(o, c)| t.starts_with(o) && t.ends_with(c) && t.len() >= 6)?;
    let inner = t[3..t.len() - 3].trim();
    let words = args(inner);
    let name = words.first()?.1.clone();
    let named = |k: &str| words.iter().find(|(key, _)| key.as_deref() == Some(k));
    let positional: Vec<&String> = words[1..]
        .iter()
        .filter(|(k, _)| k.is_none())
        .map(|(_, v)| v)
        .collect();
    let (kind, title) = if label(&name).is_some()
        && !matches!(name.as_str(), "notice" | "callout" | "admonition" | "alert")
    {
        (name.clone(), positional.first().map(|s| s.to_string()))
    } else if matches!(
        name.as_str(),
        "notice" | "callout" | "admonition" | "alert" | "hint"
    ) {
        let kind = named("type").map(|(_, v)| v.clone());
        let kind = kind.or_else(|| positional.first().map(|s| s.to_string()));
        let title = named("title").map(|(_, v)| v.clone());
        let title = title.or_else(|| positional.get(1).map(|s| s.to_string()));
        (kind.unwrap_or(name.clone()), title)
    } else {
        return None;
    };
    let end = (i + 1..lines.len()).find(|&j| {
        let l = lines[j].trim();
        l.starts_with(open)
            && l.ends_with(close)
            && l[3..l.len().max(6) - 3]
                .trim()
                .strip_prefix('/')
                .map(str::trim)
                == Some(&name)
    })?;
    Some(Found {
        label: label(&kind).unwrap_or("Note").to_string(),
        title: title.filter(|t| !t.is_empty()),
        body: lines[i + 1..end].to_vec(),
        after: 1,
    })
}

/// The words of a shortcode: `name "quoted arg" key=value key="v w"`.
fn args(inner: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let (key, after) = match rest.find(['=', ' ', '"']) {
            Some(at) if rest.as_bytes()[at] == b'=' => {
                (Some(rest[..at].to_string()), &rest[at + 1..])
            }
            _ => (None, rest),
        };
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').unwrap_or(q.len());
            (q[..end].to_string(), q.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        out.push((key, value));
        rest = next.trim_start();
    }
    out
}

/// The rest of a Learn `> [!div …]` line.
fn learn_div(t: &str) -> Option<&str> {
    let rest = t.strip_prefix('>')?.trim();
    let lower = rest.get(..6)?.to_ascii_lowercase();
    (lower == "[!div " || lower == "[!div]").then_some(rest)
}

/// Telerik's `>note Text` → `> **Note:** Text`.
fn telerik(line: &str) -> String {
    let Some(rest) = line.strip_prefix('>') else {
        return line.to_string();
    };
    let kind: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    let after = &rest[kind.len()..];
    match label(&kind) {
        Some(l) if !kind.is_empty() && (after.is_empty() || after.starts_with(' ')) => {
            format!("> **{l}:**{after}")
        }
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(s: &str) -> (String, Vec<String>) {
        convert(s, 1)
    }

    #[test]
    fn mkdocs_admonitions_with_titles_bodies_and_nesting() {
        let src = "!!! warning \"Data loss\"\n    Files go.\n\n    Upload again.\n\n??? tip\n    Run it.\n    !!! note\n        Inner.\nAfter.\n";
        let (out, _) = conv(src);
        assert_eq!(
            out,
            "> **Warning: Data loss**\\\n> Files go.\n>\n> Upload again.\n\n> **Tip:**\n> Run it.\n> > **Note:**\n> > Inner.\nAfter.\n"
        );
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn colon_fences_and_shortcodes() {
        let src = ":::tip[Quick check]\nOpen it.\n:::\n::: danger\nSlow.\n:::\n:::image source=\"a.png\":::\n{{% notice warning \"Lifetimes\" %}}\nShort.\n{{% /notice %}}\n{{< callout type=\"info\" >}}\nSee.\n{{< /callout >}}\n{{< tabs >}}\n";
        let (out, _) = conv(src);
        assert_eq!(
            out,
            "> **Tip: Quick check**\\\n> Open it.\n\n> **Warning:**\n> Slow.\n\n:::image source=\"a.png\":::\n> **Warning: Lifetimes**\\\n> Short.\n\n> **Note:**\n> See.\n\n{{< tabs >}}\n"
        );
    }

    #[test]
    fn learn_wrappers_and_telerik_notes() {
        let (out, notes) = conv(
            "> [!div class=\"nextstepaction\"]\n> [Next](https://x.example)\n\n>tip Use paging.\n>notebook\n",
        );
        assert_eq!(
            out,
            "\n[Next](https://x.example)\n\n> **Tip:** Use paging.\n>notebook\n"
        );
        assert!(notes[0].contains("(line 1): its content kept"), "{notes:?}");
    }

    #[test]
    fn unclosed_blocks_are_left_alone() {
        let (out, _) = conv(":::note\nNo end.\n{{< note >}}\nNo end.\n!!!\n");
        assert_eq!(out, ":::note\nNo end.\n{{< note >}}\nNo end.\n!!!\n");
    }
}
