//! Template tags of static site generators, which an article cannot resolve: Hugo
//! shortcodes (`{{< name >}}`, `{{% name %}}`) and Liquid (`{% include x %}`,
//! `{{ site.x }}`). Each is dropped with a note naming its line; a link whose target
//! was a tag (`[text]({{< ref "x" >}})`) becomes its text. `{% raw %}` …
//! `{% endraw %}` keeps its content literally; `{% highlight sh %}` …
//! `{% endhighlight %}` is a fenced code block; a `{% comment %}` block goes; Hugo's
//! `{{</* x */>}}` is the literal `{{< x >}}`. Inside code (fenced or inline) text is
//! kept as written: there it is usually a Jinja, Helm or Go template, not the page's.
//!
//! Every line is kept (a dropped line becomes empty) so later line numbers hold.

/// Stands for a dropped tag until links are fixed.
const GONE: char = '\u{1}';

/// `body` (first line `first_line`) without template tags, and a note for each.
pub fn drop_tags(body: &str, first_line: usize) -> (String, Vec<String>) {
    let mut s = Scan {
        notes: Vec::new(),
        raw: false,
    };
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<String> = None;
    let (mut highlight, mut comment) = (false, false);
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        let tag = liquid_line(t);
        let name = tag.map(|(n, _)| n);
        if comment {
            comment = name != Some("endcomment");
            out.push('\n');
            continue;
        }
        if highlight && name == Some("endhighlight") {
            (highlight, fence) = (false, None);
            out.push_str("```\n");
            continue;
        }
        if fence.is_none() && !s.raw {
            match tag {
                Some(("highlight", lang)) => {
                    let lang = lang.split_whitespace().next().unwrap_or("");
                    out.push_str(&format!("```{lang}\n"));
                    (highlight, fence) = (true, Some("```".into()));
                    continue;
                }
                Some(("comment", _)) => {
                    let n = first_line + i;
                    s.notes.push(format!("dropped a Liquid comment (line {n})"));
                    comment = true;
                    out.push('\n');
                    continue;
                }
                _ => {}
            }
        }
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        let fence_line = marker.len() >= 3;
        let fixed = if fence.is_some() || s.raw || fence_line {
            s.code_line(line)
        } else {
            s.line(line, first_line + i)
        };
        if fence_line && !s.raw {
            fence = match fence {
                Some(f)
                    if marker.starts_with(&f)
                        && t.trim_start_matches(['`', '~']).trim().is_empty() =>
                {
                    None
                }
                Some(f) => Some(f),
                None => Some(marker),
            };
        }
        let blank_now = fixed.trim().chars().all(|c| c == GONE) && !line.trim().is_empty();
        if !blank_now {
            out.push_str(&fixed);
        }
        out.push('\n');
    }
    (unlink(&out), s.notes)
}

/// The name and arguments of a line that is one Liquid tag (`{%- highlight sh %}`).
fn liquid_line(t: &str) -> Option<(&str, &str)> {
    let inner = t.trim_end().strip_prefix("{%")?.strip_suffix("%}")?;
    if inner.contains("%}") {
        return None;
    }
    let inner = inner.trim_matches('-').trim();
    Some(inner.split_once(' ').unwrap_or((inner, "")))
}

struct Scan {
    notes: Vec<String>,
    raw: bool,
}

/// The kind of tag at the start of `s`, with the text that closes it.
fn opener(s: &str) -> Option<(&'static str, &'static str, &'static str)> {
    [
        ("{{</*", "*/>}}", "escaped"),
        ("{{%/*", "*/%}}", "escaped"),
        ("{{/*", "*/}}", "comment"),
        ("{{<", ">}}", "shortcode"),
        ("{{%", "%}}", "shortcode"),
        ("{%", "%}", "Liquid tag"),
        ("{{", "}}", "Liquid value"),
    ]
    .into_iter()
    .find(|(open, _, _)| s.starts_with(open))
}

impl Scan {
    /// A line of code: only `{% raw %}` markers are taken out.
    fn code_line(&mut self, line: &str) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(at) = rest.find("{%") {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            match tail.find("%}") {
                Some(end) if is_raw_marker(&tail[..end + 2]).is_some() => {
                    self.raw = is_raw_marker(&tail[..end + 2]) == Some(true);
                    out.push(GONE);
                    rest = &tail[end + 2..];
                }
                _ => {
                    out.push_str("{%");
                    rest = &tail[2..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A line of prose (`n` its line in the source): tags dropped with notes.
    fn line(&mut self, line: &str, n: usize) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while !rest.is_empty() {
            if self.raw {
                let Some(at) = rest.find("{%") else {
                    out.push_str(rest);
                    break;
                };
                let tail = &rest[at..];
                let end = tail.find("%}").map(|e| e + 2);
                out.push_str(&rest[..at]);
                match end.filter(|&e| is_raw_marker(&tail[..e]) == Some(false)) {
                    Some(e) => {
                        self.raw = false;
                        out.push(GONE);
                        rest = &tail[e..];
                    }
                    None => {
                        out.push_str("{%");
                        rest = &tail[2..];
                    }
                }
                continue;
            }
            if rest.starts_with('`') {
                let ticks = rest.len() - rest.trim_start_matches('`').len();
                let close = rest[ticks..].find(&rest[..ticks]).map(|e| e + 2 * ticks);
                let span = close.unwrap_or(ticks);
                out.push_str(&rest[..span]);
                rest = &rest[span..];
                continue;
            }
            let Some((open, close, what)) = opener(rest) else {
                let Some(c) = rest.chars().next() else { break };
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            };
            let Some(end) = rest[open.len()..]
                .find(close)
                .map(|e| e + open.len() + close.len())
            else {
                out.push_str(open);
                rest = &rest[open.len()..];
                continue;
            };
            let tag = &rest[..end];
            rest = &rest[end..];
            if what == "escaped" {
                out.push_str(&tag.replacen("/*", "", 1).replacen("*/", "", 1));
            } else if let Some(opens) = is_raw_marker(tag) {
                self.raw = opens;
                out.push(GONE);
            } else {
                self.notes
                    .push(format!("dropped the {what} `{}` (line {n})", short(tag)));
                out.push(GONE);
            }
        }
        out
    }
}

/// `Some(true)` for `{% raw %}`, `Some(false)` for `{% endraw %}` (with `-` trims).
fn is_raw_marker(tag: &str) -> Option<bool> {
    let inner = tag.strip_prefix("{%")?.strip_suffix("%}")?;
    match inner.trim_matches('-').trim() {
        "raw" => Some(true),
        "endraw" => Some(false),
        _ => None,
    }
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    s.replace('`', "'")
}

/// Links whose target held a dropped tag become their text (images go); then the
/// marks of dropped tags go.
fn unlink(text: &str) -> String {
    let mut out = text.to_string();
    while let Some(gone) = out.find(GONE) {
        let Some(link) = link_around(&out, gone) else {
            let after = out[gone + GONE.len_utf8()..].chars().next();
            let tight = after.is_none_or(|c| c == ' ' || ".,;:!?)\n".contains(c));
            let from = if tight && out[..gone].ends_with(' ') {
                gone - 1
            } else {
                gone
            };
            out.replace_range(from..gone + GONE.len_utf8(), "");
            continue;
        };
        let (start, text_end, end) = link;
        let image = start > 0 && out[..start].ends_with('!');
        let words = out[start + 1..text_end].to_string();
        let from = if image { start - 1 } else { start };
        out.replace_range(from..end, if image { "" } else { &words });
    }
    out
}

/// The `[text](target)` around byte `at` when `at` is in its target, as (position
/// of `[`, of `]`, after `)`), all on one line.
fn link_around(s: &str, at: usize) -> Option<(usize, usize, usize)> {
    let line_start = s[..at].rfind('\n').map_or(0, |p| p + 1);
    let line_end = s[at..].find('\n').map_or(s.len(), |p| at + p);
    let open = s[line_start..at].rfind("](")? + line_start;
    if s[open + 2..at].contains(')') {
        return None;
    }
    let close = s[at..line_end].find(')')? + at + 1;
    let mut depth = 0;
    for (i, c) in s[line_start..open].char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => return Some((line_start + i, open, close)),
            '[' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_dropped_with_located_notes() {
        let src = "{% include banner.html %}\nSee {{ site.help }} and [rekey]({{< ref \"rekey\" >}}).\nPress {{< kbd \"F5\" >}}, `{{ kept }}`.\n";
        let (out, notes) = drop_tags(src, 5);
        assert_eq!(out, "\nSee and rekey.\nPress, `{{ kept }}`.\n");
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert!(notes[0].contains("Liquid tag `{% include banner.html %}` (line 5)"));
        assert!(notes[1].contains("Liquid value `{{ site.help }}` (line 6)"));
        assert!(notes[2].contains("shortcode `{{< ref \"rekey\" >}}` (line 6)"));
    }

    #[test]
    fn raw_and_code_are_kept_literally() {
        let src = "{% raw %}\nUse {{ name }} and {% if x %}.\n{% endraw %}\nInline {%raw%}{{ a }}{%endraw%}.\n```\n{% include x %} {{ .Values.y }}\n```\nShow {{</* note */>}}.\n";
        let (out, notes) = drop_tags(src, 1);
        assert_eq!(
            out,
            "\nUse {{ name }} and {% if x %}.\n\nInline {{ a }}.\n```\n{% include x %} {{ .Values.y }}\n```\nShow {{< note >}}.\n"
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn highlight_blocks_are_code_and_comments_go() {
        let src = "{% highlight shell linenos %}\n$ run {{ x }}\n{% endhighlight %}\n{% comment %}\nsecret {{ y }}\n{% endcomment %}\nText{{/* why */}}.\n";
        let (out, notes) = drop_tags(src, 1);
        assert_eq!(out, "```shell\n$ run {{ x }}\n```\n\n\n\nText.\n");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("Liquid comment (line 4)"), "{notes:?}");
    }

    #[test]
    fn unclosed_tags_and_images_never_panic() {
        let (out, notes) = drop_tags(
            "a {{< x\n![pic]({{ site.url }}/p.png) ok {%\n{% raw %}\nb",
            1,
        );
        assert_eq!(out, "a {{< x\n ok {%\n\nb\n");
        assert_eq!(notes.len(), 1);
    }
}
