//! Structural checks on the located YAML tree: unknown fields (with did-you-mean),
//! wrong types, missing and empty required fields. They run before the typed parse
//! so that a file with several such mistakes gets all of them reported at once.

use super::codes;
use crate::diagnostic::Diagnostic;
use crate::raw::{ARTICLE, Field, Kind, Node};
use serde_saphyr::Spanned;
use std::path::Path;

/// Checks the whole article tree; pushes one diagnostic per problem.
pub fn check(path: &Path, root: &Spanned<Node>, out: &mut Vec<Diagnostic>) {
    let mut c = Checker { path, out };
    match &root.value {
        Node::Map(entries) => c.mapping(root, entries, ARTICLE, None),
        other => {
            let (line, column) = at(root);
            c.out.push(
                Diagnostic::error(
                    codes::WRONG_TYPE,
                    path,
                    line,
                    column,
                    format!(
                        "an article must be a mapping of fields, found {}",
                        other.kind()
                    ),
                )
                .with_hint("start the file with `title: ...`; run `kbgen new ID` for a skeleton"),
            );
        }
    }
}

struct Checker<'a> {
    path: &'a Path,
    out: &'a mut Vec<Diagnostic>,
}

/// 1-based line and column of a located value (1:1 when unknown).
pub(super) fn at<T>(s: &Spanned<T>) -> (usize, usize) {
    let (l, c) = (s.referenced.line() as usize, s.referenced.column() as usize);
    if l == 0 { (1, 1) } else { (l, c.max(1)) }
}

impl Checker<'_> {
    fn error(&mut self, code: &'static str, loc: (usize, usize), msg: String) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::error(code, self.path, loc.0, loc.1, msg));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// `parent` names the enclosing field (`resolution`), `None` at the top level.
    fn mapping(
        &mut self,
        map: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        fields: &[Field],
        parent: Option<&str>,
    ) {
        // Fields a typo was taken for: "did you mean `symptoms`?" already says it is missing.
        let mut suggested = Vec::new();
        for (key, value) in entries {
            let name = key.value.scalar_text().unwrap_or_default();
            match fields.iter().find(|f| f.name == name) {
                Some(f) => self.value(f, value, parent),
                None => suggested.extend(self.unknown_field(key, &name, fields, parent)),
            }
        }
        for f in fields
            .iter()
            .filter(|f| f.required && !suggested.contains(&f.name))
        {
            let present = entries
                .iter()
                .any(|(k, _)| k.value.scalar_text().as_deref() == Some(f.name));
            if !present {
                let within = parent.map_or(String::new(), |p| format!(" in `{p}`"));
                let hint = format!("add `{}:` {}", f.name, example(f.kind));
                self.error(
                    codes::MISSING_FIELD,
                    at(map),
                    format!("missing required field `{}`{within}", f.name),
                )
                .hint = Some(hint);
            }
        }
    }

    fn unknown_field(
        &mut self,
        key: &Spanned<Node>,
        name: &str,
        fields: &[Field],
        parent: Option<&str>,
    ) -> Option<&'static str> {
        let within = parent.map_or(String::new(), |p| format!(" in `{p}`"));
        let best = did_you_mean(name, fields);
        let hint = match best {
            Some(best) => format!("did you mean `{best}`?"),
            None => match nested_home(name, fields) {
                Some(home) => format!("`{name}` belongs under `{home}:`"),
                None => format!("expected one of: {}", list(fields)),
            },
        };
        let shown = if name.is_empty() {
            key.value.kind().to_string()
        } else {
            format!("`{name}`")
        };
        self.error(
            codes::UNKNOWN_FIELD,
            at(key),
            format!("unknown field {shown}{within}"),
        )
        .hint = Some(hint);
        best
    }

    fn value(&mut self, f: &Field, v: &Spanned<Node>, parent: Option<&str>) {
        let name = match parent {
            Some(p) => format!("{p}.{}", f.name),
            None => f.name.to_string(),
        };
        match (&f.kind, &v.value) {
            (_, Node::Null) if f.required => self.empty(&name, v, f.kind),
            (_, Node::Null) => {}
            (Kind::Text, n) if n.scalar_text().is_some() => {
                if f.required && n.scalar_text().is_some_and(|t| t.trim().is_empty()) {
                    self.empty(&name, v, f.kind);
                }
            }
            (Kind::TextList | Kind::MapList(_), Node::Seq(items)) => {
                if f.required && items.is_empty() {
                    self.empty(&name, v, f.kind);
                }
                for (i, item) in items.iter().enumerate() {
                    self.item(f.kind, &name, i, item);
                }
            }
            (Kind::Map(fields), Node::Map(entries)) => {
                self.mapping(v, entries, fields, Some(&name))
            }
            (kind, n) => self.wrong_type(&name, v, *kind, n),
        }
    }

    fn item(&mut self, kind: Kind, name: &str, i: usize, item: &Spanned<Node>) {
        let entry = format!("entry {} of `{name}`", i + 1);
        match (kind, &item.value) {
            (Kind::TextList, n) if n.scalar_text().is_some_and(|t| !t.trim().is_empty()) => {}
            (Kind::TextList, Node::Null | Node::Str(_)) => {
                self.error(codes::EMPTY_FIELD, at(item), format!("{entry} is empty"))
                    .hint = Some("write the text after `- `, or delete the line".into());
            }
            (Kind::MapList(fields), Node::Map(entries)) => {
                self.mapping(item, entries, fields, Some(name))
            }
            (Kind::TextList, Node::Map(_)) => {
                self.error(
                    codes::WRONG_TYPE,
                    at(item),
                    format!("{entry} must be text, found a mapping"),
                )
                .hint = Some(
                    "a `: ` inside the text makes YAML read it as a mapping; put the text in quotes"
                        .into(),
                );
            }
            (_, n) => {
                let want = if kind == Kind::TextList {
                    "text"
                } else {
                    "a mapping"
                };
                self.error(
                    codes::WRONG_TYPE,
                    at(item),
                    format!("{entry} must be {want}, found {}", n.kind()),
                );
            }
        }
    }

    fn empty(&mut self, name: &str, v: &Spanned<Node>, kind: Kind) {
        self.error(
            codes::EMPTY_FIELD,
            at(v),
            format!("required field `{name}` is empty"),
        )
        .hint = Some(format!("give `{name}` a value: {}", example(kind)));
    }

    fn wrong_type(&mut self, name: &str, v: &Spanned<Node>, kind: Kind, found: &Node) {
        let (want, hint) = match kind {
            Kind::Text => (
                "text",
                "write the text on the same line, or use `|` for several lines",
            ),
            Kind::TextList => (
                "a list",
                "write each entry on its own line starting with `- `",
            ),
            Kind::Map(_) => ("a mapping", "write its fields indented below it"),
            Kind::MapList(_) => (
                "a list of mappings",
                "write each entry as `- { title: ..., url: ... }`",
            ),
        };
        self.error(
            codes::WRONG_TYPE,
            at(v),
            format!("`{name}` must be {want}, found {}", found.kind()),
        )
        .hint = Some(hint.into());
    }
}

/// Whether a typed article holds a value `check` would call empty (a blank required
/// text, an empty required list, a blank list entry): such files take the tree path.
pub fn has_blank_values(raw: &crate::raw::RawArticle) -> bool {
    let blank = |s: &Spanned<String>| s.value.trim().is_empty();
    let lists = [
        Some(&raw.symptoms),
        Some(&raw.environment),
        Some(&raw.resolution.steps),
        raw.products.as_ref(),
        raw.tags.as_ref(),
        raw.errors.as_ref(),
        raw.conditions.as_ref(),
        raw.related.as_ref(),
    ];
    let refs = raw.references.iter().flatten();
    blank(&raw.title)
        || blank(&raw.cause)
        || raw.symptoms.is_empty()
        || raw.environment.is_empty()
        || raw.resolution.steps.is_empty()
        || lists.into_iter().flatten().flatten().any(blank)
        || refs.into_iter().any(|r| blank(&r.title) || blank(&r.url))
}

/// The closest expected field name, if one is close enough to be a typo.
pub fn did_you_mean(name: &str, fields: &[Field]) -> Option<&'static str> {
    closest(name, fields.iter().map(|f| f.name))
}

/// The candidate nearest to `name` (case-insensitive Damerau-Levenshtein within a
/// third of its length, or a prefix of three letters or more), for "did you mean"
/// hints on field names and on field values alike.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    (candidates.into_iter())
        .map(|cand| (cand, strsim::damerau_levenshtein(&lower, cand)))
        .filter(|&(cand, d)| {
            d <= (cand.len() / 3).max(1) || cand.starts_with(&lower) && lower.len() >= 3
        })
        .min_by_key(|&(_, d)| d)
        .map(|(cand, _)| cand)
}

/// The field of `fields` whose nested mapping has a field called `name` (e.g. `steps`).
fn nested_home(name: &str, fields: &[Field]) -> Option<&'static str> {
    fields.iter().find_map(|f| match f.kind {
        Kind::Map(inner) | Kind::MapList(inner) if inner.iter().any(|i| i.name == name) => {
            Some(f.name)
        }
        _ => None,
    })
}

fn list(fields: &[Field]) -> String {
    let names: Vec<_> = fields.iter().map(|f| format!("`{}`", f.name)).collect();
    names.join(", ")
}

fn example(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "followed by the text",
        Kind::TextList => "followed by a list (`- ...` on the next lines)",
        Kind::Map(_) => "with its fields indented below it",
        Kind::MapList(_) => "followed by a list of mappings",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(yaml: &str) -> Vec<Diagnostic> {
        let root: Spanned<Node> = serde_saphyr::from_str(yaml).unwrap();
        let mut out = Vec::new();
        check(Path::new("a.yaml"), &root, &mut out);
        out
    }

    #[test]
    fn typos_get_a_did_you_mean() {
        assert_eq!(did_you_mean("symptom", ARTICLE), Some("symptoms"));
        assert_eq!(did_you_mean("titel", ARTICLE), Some("title"));
        assert_eq!(did_you_mean("Cause", ARTICLE), Some("cause"));
        assert_eq!(did_you_mean("enviroment", ARTICLE), Some("environment"));
        assert_eq!(did_you_mean("zzz", ARTICLE), None);
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let d = diags("titel: x\nsymptoms: []\nenvironment: a\ncause:\nsteps: [a]\n");
        let codes: Vec<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["E003", "E005", "E002", "E005", "E003", "E004"],
            "{d:#?}"
        );
        assert_eq!(
            d[4].hint.as_deref(),
            Some("`steps` belongs under `resolution:`")
        );
    }

    #[test]
    fn a_colon_in_a_list_entry_explains_the_quoting() {
        let d = diags("symptoms:\n  - Navigate to: Apps\n");
        assert_eq!(d[0].code, codes::WRONG_TYPE);
        assert_eq!((d[0].line, d[0].column), (2, 5));
        assert!(d[0].hint.as_deref().unwrap().contains("quotes"));
    }
}
