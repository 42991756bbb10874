//! Document records (what a result shows: title, URL, summary, facets, the text
//! excerpts are cut from) in fixed-size chunks, and the product and tag facets.

use super::encode;
use super::fields::{Plain, excerpt_text};
use crate::model::{Article, Kb, slugify};
use crate::output::PutFile;
use serde::Serialize;
use std::collections::BTreeMap;

/// One facet value (a product or a tag) and the documents that carry it.
#[derive(Debug)]
pub struct FacetValue {
    pub name: String,
    pub slug: String,
    pub docs: Vec<u32>,
}

/// Product and tag facets, each sorted by slug.
#[derive(Debug)]
pub struct Facets {
    pub products: Vec<FacetValue>,
    pub tags: Vec<FacetValue>,
}

impl Facets {
    pub fn collect(kb: &Kb) -> Facets {
        Facets {
            products: facet(kb, |a| &a.products),
            tags: facet(kb, |a| &a.tags),
        }
    }

    /// `facets.json`: for each value, in `meta.json` order, its gap-coded documents.
    pub fn docs_json(&self) -> Vec<u8> {
        let lists = |values: &[FacetValue]| -> Vec<String> {
            values
                .iter()
                .map(|v| encode::doc_list(v.docs.iter().copied()))
                .collect()
        };
        let v = serde_json::json!({
            "version": super::VERSION,
            "products": lists(&self.products),
            "tags": lists(&self.tags),
        });
        let mut out = v.to_string().into_bytes();
        out.push(b'\n');
        out
    }
}

/// Groups values by slug (so "Office 365" and "office 365" are one facet), naming
/// each after its first spelling in document order.
fn facet(kb: &Kb, values: impl Fn(&crate::model::Article) -> &Vec<String>) -> Vec<FacetValue> {
    let mut by_slug: BTreeMap<String, FacetValue> = BTreeMap::new();
    for (doc, a) in kb.articles.iter().enumerate() {
        for name in values(a) {
            let slug = slugify(name);
            let v = by_slug.entry(slug.clone()).or_insert_with(|| FacetValue {
                name: name.clone(),
                slug,
                docs: Vec::new(),
            });
            if v.docs.last() != Some(&(doc as u32)) {
                v.docs.push(doc as u32);
            }
        }
    }
    by_slug.into_values().collect()
}

fn slug_index(values: &[FacetValue]) -> BTreeMap<&str, usize> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| (v.slug.as_str(), i))
        .collect()
}

/// A document record as the client reads it.
#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
    /// Indexes into `meta.json`'s products.
    products: Vec<usize>,
    /// Indexes into `meta.json`'s tags.
    tags: Vec<usize>,
    text: String,
}

/// Writes document records in chunks, `chunk` documents per file, as
/// `search/d/N.json`; shared by the threads that make them.
pub struct Records<'a> {
    products: BTreeMap<&'a str, usize>,
    tags: BTreeMap<&'a str, usize>,
    max_text: usize,
}

impl<'a> Records<'a> {
    pub fn new(facets: &'a Facets, max_text: usize) -> Records<'a> {
        Records {
            products: slug_index(&facets.products),
            tags: slug_index(&facets.tags),
            max_text,
        }
    }

    /// Writes chunk `n`: the records of `articles`, whose Markdown is in `plain`.
    pub fn write(
        &self,
        n: usize,
        articles: &[Article],
        plain: &[Plain],
        put: &PutFile<'_>,
    ) -> anyhow::Result<()> {
        let records: Vec<Record> = (articles.iter().zip(plain))
            .map(|(a, p)| Record {
                id: &a.id,
                url: format!("articles/{}/", a.id),
                title: &a.title,
                summary: p.summary.clone(),
                products: ids(&a.products, &self.products),
                tags: ids(&a.tags, &self.tags),
                text: excerpt_text(a, p, self.max_text),
            })
            .collect();
        let mut bytes = serde_json::to_vec(&records)?;
        bytes.push(b'\n');
        put(&format!("search/d/{n}.json"), &bytes)
    }
}

/// Facet value numbers of `names`, in the article's order.
fn ids(names: &[String], idx: &BTreeMap<&str, usize>) -> Vec<usize> {
    let mut v: Vec<usize> = names
        .iter()
        .filter_map(|n| idx.get(slugify(n).as_str()).copied())
        .collect();
    v.dedup();
    v
}
