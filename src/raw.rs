//! Raw serde shapes of an article file, with spans (`Spanned<T>`) kept for diagnostics.
//!
//! Two views of the same YAML: `Node`, a generic tree where every value keeps its
//! location (so validation can report *every* structural problem, not the first one
//! serde stops at), and `RawArticle`, the typed struct with `deny_unknown_fields` that
//! the semantic checks read once the structure is known to be right. `ARTICLE`
//! describes the fields of both; a unit test keeps it in step with `RawArticle`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with every child located.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl Node {
    /// The text of a scalar (numbers and booleans as written), `None` for null and collections.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Node::Str(s) | Node::Number(s) => Some(s.clone()),
            Node::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A short name of the kind of value, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing (null)",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::Str(_) => "text",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Node>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// What a field holds, for the structural checks on `Node`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A scalar, read as text.
    Text,
    /// A list of scalars.
    TextList,
    /// A mapping with these fields.
    Map(&'static [Field]),
    /// A list of mappings with these fields.
    MapList(&'static [Field]),
}

/// One field of a mapping in the article format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn field(name: &'static str, kind: Kind, required: bool) -> Field {
    Field {
        name,
        kind,
        required,
    }
}

/// The fields of `resolution:`.
pub const RESOLUTION: &[Field] = &[
    field("intro", Kind::Text, false),
    field("steps", Kind::TextList, true),
    field("outro", Kind::Text, false),
];

/// The fields of one `references:` entry.
pub const REFERENCE: &[Field] = &[
    field("title", Kind::Text, true),
    field("url", Kind::Text, true),
];

/// The top-level fields of an article (DESIGN.md, "Article format (v1)").
pub const ARTICLE: &[Field] = &[
    field("title", Kind::Text, true),
    field("status", Kind::Text, false),
    field("audience", Kind::Text, false),
    field("summary", Kind::Text, false),
    field("products", Kind::TextList, false),
    field("tags", Kind::TextList, false),
    field("created", Kind::Text, false),
    field("updated", Kind::Text, false),
    field("reviewed", Kind::Text, false),
    field("symptoms", Kind::TextList, true),
    field("errors", Kind::TextList, false),
    field("environment", Kind::TextList, true),
    field("conditions", Kind::TextList, false),
    field("cause", Kind::Text, true),
    field("resolution", Kind::Map(RESOLUTION), true),
    field("related", Kind::TextList, false),
    field("references", Kind::MapList(REFERENCE), false),
    field("superseded_by", Kind::Text, false),
    field("aliases", Kind::TextList, false),
    field("internal", Kind::Text, false),
];

/// The values of `status:` (the first is the default).
pub const STATUSES: &[&str] = &["published", "draft", "retired"];

/// The values of `audience:` (the first is the default).
pub const AUDIENCES: &[&str] = &["public", "internal"];

/// Regex of a tag slug (also used in the JSON Schema).
pub const TAG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// Regex of a date (the day is checked to exist in `validate`).
pub const DATE_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}$";

type S = Spanned<String>;

/// An article exactly as written; `JsonSchema` here is what `kbgen schema` prints.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "kbgen article",
    description = "One troubleshooting article (kbgen, format v1)."
)]
pub struct RawArticle {
    /// Title of the article.
    #[schemars(with = "String", length(min = 1))]
    pub title: S,
    /// `draft` (left out of builds unless `--drafts`; may be incomplete), `published`
    /// (the default) or `retired` (out of lists and search; see `superseded_by`).
    #[schemars(with = "Option<StatusSchema>")]
    pub status: Option<S>,
    /// `public` (the default) or `internal`: only in builds with `--audience internal`.
    #[schemars(with = "Option<AudienceSchema>")]
    pub audience: Option<S>,
    /// One or two sentences for lists, search results and the meta description.
    #[schemars(with = "Option<String>")]
    pub summary: Option<S>,
    /// Products the article is about (facets).
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Vec<S>>,
    /// Tags, each a slug such as `provisioning`.
    #[schemars(with = "Option<Vec<TagSchema>>")]
    pub tags: Option<Vec<S>>,
    /// Date written, `YYYY-MM-DD`.
    #[schemars(with = "Option<DateSchema>")]
    pub created: Option<S>,
    /// Date last changed, `YYYY-MM-DD`, not before `created`.
    #[schemars(with = "Option<DateSchema>")]
    pub updated: Option<S>,
    /// Date the article was last checked to be right, `YYYY-MM-DD`, not before `created`.
    #[schemars(with = "Option<DateSchema>")]
    pub reviewed: Option<S>,
    /// What the user sees (Markdown), at least one.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub symptoms: Vec<S>,
    /// Error texts exactly as users see them; `<placeholder>` marks a value that varies.
    #[schemars(with = "Option<Vec<String>>")]
    pub errors: Option<Vec<S>>,
    /// Where the issue happens (Markdown), at least one.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub environment: Vec<S>,
    /// "This issue occurs when" (Markdown).
    #[schemars(with = "Option<Vec<String>>")]
    pub conditions: Option<Vec<S>>,
    /// Why it happens (Markdown).
    #[schemars(with = "String", length(min = 1))]
    pub cause: S,
    /// How to fix it.
    pub resolution: RawResolution,
    /// Ids of related articles (file names without `.yaml`).
    #[schemars(with = "Option<Vec<String>>")]
    pub related: Option<Vec<S>>,
    /// Links to vendor documentation.
    pub references: Option<Vec<RawReference>>,
    /// For `status: retired`: the id of the article that replaces this one; its URL
    /// then redirects there.
    #[schemars(with = "Option<String>")]
    pub superseded_by: Option<S>,
    /// Former ids of this article: each keeps a redirect page at `articles/OLD-ID/`.
    #[schemars(with = "Option<Vec<TagSchema>>")]
    pub aliases: Option<Vec<S>>,
    /// Notes for support staff (Markdown), only in builds with `--audience internal`.
    #[schemars(with = "Option<String>")]
    pub internal: Option<S>,
}

/// `resolution:` as written.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResolution {
    /// Text before the steps (Markdown).
    #[schemars(with = "Option<String>")]
    pub intro: Option<S>,
    /// The steps, in order (Markdown), at least one.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub steps: Vec<S>,
    /// Text after the steps (Markdown).
    #[schemars(with = "Option<String>")]
    pub outro: Option<S>,
}

/// One `references:` entry as written.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    #[schemars(with = "String", length(min = 1))]
    pub title: S,
    /// An http(s) URL.
    #[schemars(with = "String", url)]
    pub url: S,
}

impl RawArticle {
    /// A best-effort `RawArticle` from a tree that has structural errors: values of the
    /// wrong type are left out and missing text is empty, so the per-value rules (tags,
    /// dates, URLs, HTML) can still run and report everything in one pass. For a
    /// well-formed tree it equals the serde result (tested below).
    pub fn from_tree(root: &Spanned<Node>) -> RawArticle {
        let t = Tree(entries(root));
        let res = t.get("resolution");
        let r = Tree(res.map(entries).unwrap_or_default());
        RawArticle {
            title: t.text("title").unwrap_or_else(|| empty_at(root)),
            status: t.text("status"),
            audience: t.text("audience"),
            summary: t.text("summary"),
            products: t.list("products"),
            tags: t.list("tags"),
            created: t.text("created"),
            updated: t.text("updated"),
            reviewed: t.text("reviewed"),
            symptoms: t.list("symptoms").unwrap_or_default(),
            errors: t.list("errors"),
            environment: t.list("environment").unwrap_or_default(),
            conditions: t.list("conditions"),
            cause: t.text("cause").unwrap_or_else(|| empty_at(root)),
            resolution: RawResolution {
                intro: r.text("intro"),
                steps: r.list("steps").unwrap_or_default(),
                outro: r.text("outro"),
            },
            related: t.list("related"),
            references: t.get("references").and_then(|v| match &v.value {
                Node::Seq(items) => Some(items.iter().filter_map(reference).collect()),
                _ => None,
            }),
            superseded_by: t.text("superseded_by"),
            aliases: t.list("aliases"),
            internal: t.text("internal"),
        }
    }
}

fn reference(item: &Spanned<Node>) -> Option<RawReference> {
    let t = Tree(entries(item));
    Some(RawReference {
        title: t.text("title")?,
        url: t.text("url")?,
    })
}

fn empty_at<T>(s: &Spanned<T>) -> S {
    Spanned::new(String::new(), s.referenced, s.defined)
}

fn entries(node: &Spanned<Node>) -> &[(Spanned<Node>, Spanned<Node>)] {
    match &node.value {
        Node::Map(e) => e,
        _ => &[],
    }
}

/// The entries of one mapping, looked up by key.
struct Tree<'a>(&'a [(Spanned<Node>, Spanned<Node>)]);

impl<'a> Tree<'a> {
    fn get(&self, key: &str) -> Option<&'a Spanned<Node>> {
        self.0
            .iter()
            .find(|(k, _)| k.value.scalar_text().as_deref() == Some(key))
            .map(|(_, v)| v)
    }

    fn text(&self, key: &str) -> Option<S> {
        self.get(key).and_then(scalar)
    }

    fn list(&self, key: &str) -> Option<Vec<S>> {
        match &self.get(key)?.value {
            Node::Seq(items) => Some(items.iter().filter_map(scalar).collect()),
            _ => None,
        }
    }
}

fn scalar(v: &Spanned<Node>) -> Option<S> {
    let text = v.value.scalar_text()?;
    Some(Spanned::new(text, v.referenced, v.defined))
}

/// A tag: a lower-case slug.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct TagSchema(#[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))] pub String);

/// A value of `status:`.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct StatusSchema(#[schemars(regex(pattern = r"^(published|draft|retired)$"))] pub String);

/// A value of `audience:`.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct AudienceSchema(#[schemars(regex(pattern = r"^(public|internal)$"))] pub String);

/// A calendar date, `YYYY-MM-DD`.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct DateSchema(#[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))] pub String);

#[cfg(test)]
mod tests {
    use super::*;

    /// Field names serde expects for `T`, read from its `deserialize_struct` call.
    fn serde_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
        struct Probe(Option<&'static [&'static str]>);
        #[derive(Debug)]
        struct Stop;
        impl fmt::Display for Stop {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("stop")
            }
        }
        impl std::error::Error for Stop {}
        impl de::Error for Stop {
            fn custom<M: fmt::Display>(_: M) -> Self {
                Stop
            }
        }
        impl<'de> Deserializer<'de> for &mut Probe {
            type Error = Stop;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
                Err(Stop)
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Stop> {
                self.0 = Some(fields);
                Err(Stop)
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                bytes byte_buf option unit unit_struct newtype_struct seq tuple
                tuple_struct map enum identifier ignored_any
            }
        }
        let mut probe = Probe(None);
        let _ = T::deserialize(&mut probe);
        probe.0.unwrap_or(&[])
    }

    fn names(fields: &[Field]) -> Vec<&'static str> {
        fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn field_tables_match_the_serde_structs() {
        assert_eq!(names(ARTICLE), serde_fields::<RawArticle>());
        assert_eq!(names(RESOLUTION), serde_fields::<RawResolution>());
        assert_eq!(names(REFERENCE), serde_fields::<RawReference>());
    }

    #[test]
    fn from_tree_equals_serde_on_a_well_formed_article() {
        let yaml = "title: T\nsummary: s\ntags: [a, b-c]\ncreated: 2022-11-01\n\
            symptoms:\n  - one\n  - >-\n    two\n    lines\nerrors: ['x <y> z']\n\
            environment: [e]\ncause: |\n  c\nresolution:\n  intro: i\n  steps: [s1, s2]\n\
            related: [r]\nreferences:\n  - {title: t, url: 'https://x.y'}\n";
        let typed: RawArticle = serde_saphyr::from_str(yaml).unwrap();
        let root: Spanned<Node> = serde_saphyr::from_str(yaml).unwrap();
        assert_eq!(RawArticle::from_tree(&root), typed);
    }

    #[test]
    fn node_keeps_locations_of_nested_values() {
        let yaml = "a: 1\nb:\n  - x\n  - {c: true}\n";
        let root: Spanned<Node> = serde_saphyr::from_str(yaml).unwrap();
        let Node::Map(entries) = &root.value else {
            panic!("expected a map, got {:?}", root.value)
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].0.value, Node::Str("b".into()));
        assert_eq!(entries[1].0.referenced.line(), 2);
        let Node::Seq(items) = &entries[1].1.value else {
            panic!("expected a list")
        };
        assert_eq!(items[1].referenced.line(), 4);
        assert_eq!(items[0].referenced.column(), 5);
        assert_eq!(entries[0].1.value, Node::Number("1".into()));
    }
}
