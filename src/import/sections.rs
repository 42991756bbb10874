//! A Markdown body split into sections by heading (any level) and mapped onto the
//! article's fields, tolerant of case and of the usual variants ("Symptom", "Cause 2:
//! …", "Solution 1: …", "Applies to"). Sections of no known kind are kept in the
//! cause or the resolution's outro, and each gets a note saying where it went.

use crate::model::{Reference, Resolution};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Symptoms,
    Cause,
    Resolution,
    Environment,
    References,
    /// "Description" (Telerik / Progress KBs): the symptoms when there is no
    /// Symptoms section, else like any other section.
    Description,
    Other,
}

/// What the heading `h` names.
pub fn classify(h: &str) -> Kind {
    let h = h.trim().trim_matches(['*', '_']).to_lowercase();
    let starts = |words: &[&str]| words.iter().any(|w| h.starts_with(w));
    if starts(&["symptom", "issue", "problem"]) {
        Kind::Symptoms
    } else if starts(&["cause", "root cause"]) {
        Kind::Cause
    } else if starts(&["resolution", "solution", "workaround", "fix", "resolve"]) {
        Kind::Resolution
    } else if starts(&["environment", "applies to", "prerequisite"]) {
        Kind::Environment
    } else if starts(&["more information", "reference", "see also", "learn more"]) {
        Kind::References
    } else if starts(&["description"]) {
        Kind::Description
    } else {
        Kind::Other
    }
}

#[derive(Debug)]
struct Section {
    kind: Kind,
    level: usize,
    heading: String,
    line: usize,
    text: String,
    subs: Vec<(String, String)>,
}

impl Section {
    /// Its own text and every sub-section (`**Heading**` then its text), as one Markdown.
    fn whole(&self) -> String {
        let mut parts = vec![self.text.trim().to_string()];
        parts.extend(self.subs.iter().map(|(h, t)| titled(h, t)));
        join(parts)
    }
}

fn titled(heading: &str, text: &str) -> String {
    join(vec![
        format!("**{}**", heading.trim()),
        text.trim().to_string(),
    ])
}

fn join(parts: Vec<String>) -> String {
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    parts.join("\n\n")
}

/// The fields a body gives, which of the required sections it had, and notes.
#[derive(Debug, Default)]
pub struct Body {
    /// The first `# ` heading.
    pub h1: Option<String>,
    /// Text before the first section (after the `# ` heading).
    pub preamble: String,
    pub symptoms: Vec<String>,
    pub environment: Vec<String>,
    pub cause: Vec<String>,
    pub has_cause: bool,
    pub resolution: Resolution,
    pub references: Vec<Reference>,
    pub notes: Vec<String>,
}

/// `(level, text)` of an ATX heading line.
fn heading(line: &str) -> Option<(usize, String)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[level..];
    if !(1..=6).contains(&level) || !(rest.starts_with(' ') || rest.is_empty()) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some((level, text.to_string()))
}

fn sections(body: &str, first_line: usize, out: &mut Body) -> Vec<Section> {
    let mut list: Vec<Section> = Vec::new();
    let mut fence = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        let h = if fence { None } else { heading(line) };
        let Some((level, text)) = h else {
            let target = match list.last_mut() {
                None => &mut out.preamble,
                Some(s) => match s.subs.last_mut() {
                    Some((_, sub)) => sub,
                    None => &mut s.text,
                },
            };
            target.push_str(line);
            target.push('\n');
            continue;
        };
        if level == 1 && out.h1.is_none() && list.is_empty() {
            out.h1 = Some(text);
            continue;
        }
        let kind = classify(&text);
        match list.last_mut() {
            Some(cur)
                if level > cur.level
                    && (matches!(kind, Kind::Other | Kind::Description) || kind == cur.kind) =>
            {
                cur.subs.push((text, String::new()));
            }
            _ => list.push(Section {
                kind,
                level,
                heading: text,
                line: first_line + i,
                text: String::new(),
                subs: Vec::new(),
            }),
        }
    }
    list
}

/// Splits `body` (whose first line is line `first_line` of the source) into fields.
pub fn split(body: &str, first_line: usize) -> Body {
    let mut out = Body::default();
    let mut list = sections(body, first_line, &mut out);
    describe_symptoms(&mut list, &mut out.notes);
    let first_fix = list.iter().position(|s| s.kind == Kind::Resolution);
    let fixes: Vec<&Section> = list.iter().filter(|s| s.kind == Kind::Resolution).collect();
    let causes = list.iter().filter(|s| s.kind == Kind::Cause).count();
    let mut outro = Vec::new();
    for (i, s) in list.iter().enumerate() {
        match s.kind {
            Kind::Symptoms => out.symptoms.extend(entries(&s.whole())),
            Kind::Environment => out.environment.extend(entries(&s.whole())),
            Kind::Cause => {
                out.has_cause = true;
                let numbered = causes > 1 || s.heading.contains(':');
                out.cause.push(match numbered {
                    true => titled(&s.heading, &s.whole()),
                    false => s.whole(),
                });
            }
            Kind::Resolution => {}
            Kind::References => {
                let (refs, rest) = links(&s.whole());
                out.references.extend(refs);
                if !rest.trim().is_empty() {
                    outro.push(titled(&s.heading, &rest));
                    out.notes.push(note(
                        s,
                        "its text besides links kept in the resolution's outro",
                    ));
                }
            }
            Kind::Other | Kind::Description if first_fix.is_some_and(|f| i > f) => {
                outro.push(titled(&s.heading, &s.whole()));
                out.notes.push(note(s, "kept in the resolution's outro"));
            }
            Kind::Other | Kind::Description => {
                out.cause.push(titled(&s.heading, &s.whole()));
                out.notes.push(note(s, "kept in the cause"));
            }
        }
    }
    out.resolution = resolution(&fixes);
    let outro = join(
        out.resolution
            .outro
            .take()
            .into_iter()
            .chain(outro)
            .collect(),
    );
    out.resolution.outro = (!outro.is_empty()).then_some(outro);
    out
}

/// The first "Description" section becomes the symptoms when no section is called
/// Symptoms; any other is kept like a section of no known kind.
fn describe_symptoms(list: &mut [Section], notes: &mut Vec<String>) {
    let has_symptoms = list.iter().any(|s| s.kind == Kind::Symptoms);
    let mut first = !has_symptoms;
    for s in list.iter_mut().filter(|s| s.kind == Kind::Description) {
        s.kind = if first { Kind::Symptoms } else { Kind::Other };
        if first {
            notes.push(note(s, "read as the symptoms"));
        }
        first = false;
    }
}

fn note(s: &Section, what: &str) -> String {
    format!("section \"{}\" (line {}): {what}", s.heading, s.line)
}

/// One resolution section: numbered items and sub-sections become steps; several
/// sections ("Solution 1", "Solution 2"): each is a step.
fn resolution(fixes: &[&Section]) -> Resolution {
    let mut r = Resolution::default();
    if let [s] = fixes {
        let (intro, items, after) = numbered(&s.text);
        r.steps = items;
        r.steps.extend(s.subs.iter().map(|(h, t)| titled(h, t)));
        let (intro, after) = (intro.trim().to_string(), after.trim().to_string());
        if r.steps.is_empty() {
            r.steps = entries_of_text(&join(vec![intro, after]));
        } else {
            r.intro = (!intro.is_empty()).then_some(intro);
            r.outro = (!after.is_empty()).then_some(after);
        }
    } else {
        r.steps = fixes
            .iter()
            .map(|s| titled(&s.heading, &s.whole()))
            .collect();
    }
    r.steps.retain(|s| !s.trim().is_empty());
    r
}

fn entries_of_text(text: &str) -> Vec<String> {
    let t = text.trim();
    if t.is_empty() {
        Vec::new()
    } else {
        vec![t.to_string()]
    }
}

fn item_marker(line: &str, numbered: bool) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let t = &line[indent..];
    if indent > 3 {
        return None;
    }
    let width = if numbered {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let ok = (1..=3).contains(&digits) && t[digits..].starts_with([')', '.']);
        if !ok { return None } else { digits + 1 }
    } else if t.starts_with(['-', '*', '+']) {
        1
    } else {
        return None;
    };
    let rest = &t[width..];
    (rest.starts_with(' ') || rest.is_empty()).then(|| indent + width + 1)
}

/// The first list (`numbered` or bulleted) of `text`: (before, items, after).
fn list_items(text: &str, numbered: bool) -> (String, Vec<String>, String) {
    let (mut before, mut items, mut after) = (String::new(), Vec::<String>::new(), String::new());
    let (mut fence, mut blank, mut done) = (false, false, false);
    for line in text.lines() {
        let t = line.trim_start();
        let fence_line = t.starts_with("```") || t.starts_with("~~~");
        let marker = (!fence).then(|| item_marker(line, numbered)).flatten();
        if done {
            after.push_str(line);
            after.push('\n');
        } else if let Some(w) = marker {
            items.push(line[w.min(line.len())..].to_string());
        } else if items.is_empty() {
            before.push_str(line);
            before.push('\n');
        } else if fence || line.starts_with([' ', '\t']) || line.trim().is_empty() || !blank {
            let item = items.last_mut().expect("an item");
            item.push('\n');
            item.push_str(line.strip_prefix("   ").unwrap_or(line.trim_start()));
        } else {
            done = true;
            after.push_str(line);
            after.push('\n');
        }
        if fence_line {
            fence = !fence;
        }
        blank = line.trim().is_empty();
    }
    let items = items.into_iter().map(|i| i.trim().to_string()).collect();
    (before, items, after)
}

fn numbered(text: &str) -> (String, Vec<String>, String) {
    list_items(text, true)
}

/// Entries of a list field: a bulleted list's items when the text is only that list,
/// else the whole text as one entry.
pub fn entries(text: &str) -> Vec<String> {
    let (before, items, after) = list_items(text, false);
    if before.trim().is_empty() && after.trim().is_empty() && !items.is_empty() {
        return items.into_iter().filter(|i| !i.is_empty()).collect();
    }
    entries_of_text(text)
}

/// The http(s) links of `text` (`[title](url)` and bare URLs) and the text left.
pub fn links(text: &str) -> (Vec<Reference>, String) {
    let mut refs = Vec::new();
    let mut rest = String::new();
    for line in text.lines() {
        let mut found = false;
        let mut s = line;
        while let Some(open) = s.find('[') {
            let Some(mid) = s[open..].find("](") else {
                break;
            };
            let Some(close) = s[open + mid..].find(')') else {
                break;
            };
            let title = &s[open + 1..open + mid];
            let url = &s[open + mid + 2..open + mid + close];
            let url = url.split_whitespace().next().unwrap_or("");
            if url.starts_with("http://") || url.starts_with("https://") {
                let title = title.trim().trim_matches(['*', '_', '`']);
                let title = if title.is_empty() { url } else { title };
                refs.push(Reference {
                    title: title.into(),
                    url: url.into(),
                });
                found = true;
            }
            s = &s[open + mid + close + 1..];
        }
        let bare = line.trim().trim_start_matches(['-', '*', ' ']);
        if !found
            && (bare.starts_with("https://") || bare.starts_with("http://"))
            && !bare.contains(' ')
        {
            refs.push(Reference {
                title: bare.into(),
                url: bare.into(),
            });
            found = true;
        }
        if !found {
            rest.push_str(line);
            rest.push('\n');
        }
    }
    (refs, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_any_level_and_variants() {
        assert_eq!(classify("Symptom"), Kind::Symptoms);
        assert_eq!(classify("ISSUE"), Kind::Symptoms);
        assert_eq!(classify("Cause 1: Expired key"), Kind::Cause);
        assert_eq!(classify("Solution 2: Renew"), Kind::Resolution);
        assert_eq!(classify("Workaround"), Kind::Resolution);
        assert_eq!(classify("Applies to"), Kind::Environment);
        assert_eq!(classify("More information"), Kind::References);
        assert_eq!(classify("Overview"), Kind::Other);
    }

    #[test]
    fn numbered_items_and_sub_sections_become_steps() {
        let body = "# T\n\n## Symptoms\n\nIt hangs.\n\n### Resolution\n\nFirst:\n\n1. Open it.\n   More.\n2. Close it.\n\nDone.\n\n#### Check\n\nLook.\n\n## Overview\n\nAfter.\n";
        let b = split(body, 1);
        assert_eq!(b.h1.as_deref(), Some("T"));
        assert_eq!(b.symptoms, ["It hangs."]);
        assert_eq!(b.resolution.intro.as_deref(), Some("First:"));
        assert_eq!(
            b.resolution.steps,
            ["Open it.\nMore.", "Close it.", "**Check**\n\nLook."]
        );
        assert_eq!(
            b.resolution.outro.as_deref(),
            Some("Done.\n\n**Overview**\n\nAfter.")
        );
        assert_eq!(b.notes.len(), 1, "{:?}", b.notes);
        assert!(b.notes[0].contains("line 21"), "{:?}", b.notes);
    }

    #[test]
    fn a_description_is_the_symptoms_only_without_a_symptoms_section() {
        let b = split(
            "## Description\n\nIt hangs.\n\n## Solution\n\n1. Wait.\n",
            1,
        );
        assert_eq!(b.symptoms, ["It hangs."]);
        assert!(b.notes[0].contains("\"Description\" (line 1): read as the symptoms"));
        let b = split("## Description\n\nAbout.\n\n## Symptoms\n\nIt hangs.\n", 1);
        assert_eq!(b.symptoms, ["It hangs."]);
        assert_eq!(b.cause, ["**Description**\n\nAbout."]);
        let b = split("## Fix\n\n1. Wait.\n\n### Description\n\nOf the fix.\n", 1);
        assert!(b.symptoms.is_empty(), "a sub-section stays in its section");
    }

    #[test]
    fn reference_links_are_collected() {
        let (refs, rest) = links(
            "- [Docs](https://example.com/a)\n- https://example.com/b\nSee the [local](x.md) page.\n",
        );
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].title, "Docs");
        assert_eq!(rest.trim(), "See the [local](x.md) page.");
    }
}
