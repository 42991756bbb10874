//! Front matter of a Markdown source: the `---` block at its top, read leniently.
//!
//! Real front matter is often not YAML (`ms.custom: sap: Virtual Machine running
//! Linux`), so this reads it line by line: `key: value`, quoted values, `[a, b]` and
//! `- item` lists, `|`/`>` blocks. A value YAML would refuse is read as the rest of
//! its line, with a warning.

use crate::model::Date;

/// One value of a front-matter key.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    List(Vec<String>),
}

impl Value {
    /// The value as a list: a text is split on commas (`keywords: a, b`).
    pub fn items(&self) -> Vec<String> {
        match self {
            Value::Text(t) => t
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            Value::List(l) => l.clone(),
        }
    }

    /// The value as one text (a list's items joined by `, `).
    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::List(l) => l.join(", "),
        }
    }
}

/// The keys of a front matter, in order, with the 1-based line of each.
#[derive(Debug, Default)]
pub struct FrontMatter {
    pub fields: Vec<(String, Value, usize)>,
    /// (line, message) of every line read leniently.
    pub warnings: Vec<(usize, String)>,
}

impl FrontMatter {
    /// The value and line of `key` (case-insensitive), if present and not empty.
    pub fn get(&self, key: &str) -> Option<(&Value, usize)> {
        self.fields
            .iter()
            .find(|(k, v, _)| k.eq_ignore_ascii_case(key) && *v != Value::Text(String::new()))
            .map(|(_, v, l)| (v, *l))
    }
}

/// A source split into front matter and body; `body_line` is the 1-based line the
/// body starts at. Front matter is YAML between `---` lines (Jekyll, Hugo, MkDocs,
/// Learn) or TOML between `+++` lines (Hugo, Zola). `Err` is the line and the
/// delimiter of a front matter never closed.
pub fn split(text: &str) -> Result<(FrontMatter, &str, usize), (usize, &'static str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let toml = match first.trim_end() {
        "---" => false,
        "+++" => true,
        _ => return Ok((FrontMatter::default(), text, 1)),
    };
    let mut offset = first.len() + 1;
    for (i, line) in text[offset.min(text.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        let t = line.trim_end();
        if (!toml && (t == "---" || t == "...")) || (toml && t == "+++") {
            let block = &text[first.len() + 1..offset];
            let body = &text[(offset + line.len()).min(text.len())..];
            let fm = if toml {
                parse(&toml_lines(block))
            } else {
                parse(block)
            };
            return Ok((fm, body, i + 3));
        }
        offset += line.len();
    }
    Err((1, if toml { "+++" } else { "---" }))
}

/// TOML front matter as the `key: value` lines [`parse`] reads, one line for each
/// (so lines keep their numbers): `key = value` → `key: value`, an array over
/// several lines joined onto its first, and the keys of `[tables]` left out.
fn toml_lines(block: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let (mut table, mut open) = (false, None::<usize>);
    for line in block.lines() {
        let t = line.trim();
        if let Some(at) = open {
            out[at].push(' ');
            out[at].push_str(t);
            out.push(String::new());
            if t.ends_with(']') {
                open = None;
            }
            continue;
        }
        if t.starts_with('[') {
            table = true;
        }
        let pair = t.split_once('=').filter(|_| !table && !t.starts_with('#'));
        let Some((key, value)) = pair else {
            out.push(String::new());
            continue;
        };
        let value = value.trim();
        if value.starts_with('[') && !value.ends_with(']') {
            open = Some(out.len());
        }
        out.push(format!("{}: {value}", key.trim().trim_matches('"')));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Reads the lines of a front matter (without its `---` lines; it starts on line 2).
pub fn parse(yaml: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let lines: Vec<&str> = yaml.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let (line, n) = (lines[i].trim_end(), i + 2);
        i += 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            fm.warnings
                .push((n, "indented line without a key above it: ignored".into()));
            continue;
        }
        let Some((key, rest)) = line.split_once(':') else {
            fm.warnings
                .push((n, format!("`{line}` is not a `key: value` line: ignored")));
            continue;
        };
        let (key, rest) = (key.trim().to_string(), rest.trim());
        let start = i;
        while i < lines.len() && (lines[i].starts_with([' ', '\t']) || lines[i].trim().is_empty()) {
            i += 1;
        }
        let nested: Vec<&str> = lines[start..i].iter().map(|l| l.trim()).collect();
        let value = value(rest, &nested, n, &mut fm.warnings);
        fm.fields.push((key, value, n));
    }
    fm
}

fn value(rest: &str, nested: &[&str], line: usize, warnings: &mut Vec<(usize, String)>) -> Value {
    let nested: Vec<&str> = nested.iter().copied().filter(|l| !l.is_empty()).collect();
    if rest.is_empty() || rest.starts_with(['|', '>']) {
        if !nested.is_empty() && nested.iter().all(|l| l.starts_with('-')) {
            let items = nested.iter().map(|l| unquote(l[1..].trim()));
            return Value::List(items.filter(|s| !s.is_empty()).collect());
        }
        let sep = if rest.starts_with('|') { "\n" } else { " " };
        return Value::Text(nested.join(sep));
    }
    if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let items = inner.split(',').map(|s| unquote(s.trim()));
        return Value::List(items.filter(|s| !s.is_empty()).collect());
    }
    if rest.starts_with(['"', '\'']) {
        return Value::Text(unquote(rest));
    }
    let plain = match rest.find(" #") {
        Some(at) => rest[..at].trim_end(),
        None => rest,
    };
    if plain.contains(": ") || plain.ends_with(':') {
        warnings.push((
            line,
            format!(
                "`{}` is not valid YAML: read as `key: rest of line`",
                line_text(rest)
            ),
        ));
    }
    let mut text = plain.to_string();
    for more in nested {
        text.push(' ');
        text.push_str(more);
    }
    Value::Text(text)
}

fn line_text(s: &str) -> String {
    s.chars().take(60).collect()
}

/// A YAML-quoted scalar's text; anything else as written.
fn unquote(s: &str) -> String {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return serde_json::from_str::<String>(s).unwrap_or_else(|_| s[1..s.len() - 1].into());
    }
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        return s[1..s.len() - 1].replace("''", "'");
    }
    s.to_string()
}

/// A date as written in front matter or an export: `MM/DD/YYYY`, `YYYY-MM-DD`, or an
/// ISO timestamp (`2023-05-01T10:00:00Z`).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let [m, d, y] = s.split('/').collect::<Vec<_>>()[..] {
        let (m, d, y) = (m.trim(), d.trim(), y.trim());
        if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) {
            return Date::parse(&format!("{y}-{m:0>2}-{d:0>2}"));
        }
        return None;
    }
    let day = s.get(..10)?;
    let rest = &s[10..];
    (rest.is_empty() || rest.starts_with(['T', ' ', 't']))
        .then(|| Date::parse(day))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_lines_are_read_with_a_warning() {
        let fm = parse(
            "title: Disk full\nms.custom: sap: Virtual Machine running Linux\ntags: [a, 'b c']\nkeywords:\n  - one\n  - \"two\"\n",
        );
        assert_eq!(fm.get("title").unwrap().0.text(), "Disk full");
        assert_eq!(
            fm.get("ms.custom").unwrap().0.text(),
            "sap: Virtual Machine running Linux"
        );
        assert_eq!(fm.warnings.len(), 1);
        assert_eq!(fm.warnings[0].0, 3);
        assert_eq!(fm.get("tags").unwrap().0.items(), ["a", "b c"]);
        assert_eq!(fm.get("KEYWORDS").unwrap().0.items(), ["one", "two"]);
    }

    #[test]
    fn front_matter_must_be_closed() {
        assert_eq!(split("---\ntitle: x\n").unwrap_err(), (1, "---"));
        assert_eq!(split("+++\ntitle = 'x'\n---\n").unwrap_err(), (1, "+++"));
        let (fm, body, line) = split("---\ntitle: x\n---\n# Body\n").unwrap();
        assert_eq!(fm.get("title").unwrap().1, 2);
        assert_eq!((body, line), ("# Body\n", 4));
    }

    #[test]
    fn toml_front_matter_is_read_with_its_lines() {
        let src = "+++\ntitle = \"Disk full\"\ndraft = true\ntags = [\n  \"disk\",\n  \"backup\",\n]\ndate = 2024-03-01T10:00:00Z\n[menu.main]\nweight = 3\n+++\n# Body\n";
        let (fm, body, line) = split(src).unwrap();
        assert_eq!((body, line), ("# Body\n", 12));
        assert_eq!(
            fm.get("title").unwrap(),
            (&Value::Text("Disk full".into()), 2)
        );
        assert_eq!(fm.get("draft").unwrap().0.text(), "true");
        assert_eq!(fm.get("tags").unwrap().0.items(), ["disk", "backup"]);
        assert_eq!(fm.get("date").unwrap().1, 8);
        assert!(
            fm.get("weight").is_none(),
            "a table's key is not the page's"
        );
        assert!(fm.warnings.is_empty(), "{:?}", fm.warnings);
    }

    #[test]
    fn dates_in_us_and_iso_forms() {
        let d = |s| parse_date(s).map(|d| d.to_string());
        assert_eq!(d("03/07/2024").as_deref(), Some("2024-03-07"));
        assert_eq!(d("3/7/2024").as_deref(), Some("2024-03-07"));
        assert_eq!(d("2024-03-07T10:00:00Z").as_deref(), Some("2024-03-07"));
        assert_eq!(d("2024-02-30"), None);
        assert_eq!(d("yesterday"), None);
    }
}
