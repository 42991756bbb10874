//! The full-text search index: stemmed tokens, BM25F statistics, a sharded
//! dictionary with postings, and document chunks, written under `search/`.
//!
//! Layout (all JSON, `"version": 1` in `meta.json`):
//! - `search/meta.json`: document count, BM25F parameters and field statistics,
//!   the shard keys, the chunk size, the product and tag names.
//! - `search/t/HEX.json`: one dictionary shard (`shards`), file named after its key.
//! - `search/d/N.json`: document records `N*chunk ..` (`docs`).
//! - `search/facets.json`: the documents of each product and tag, for filter counts.
//!
//! The client (`templates/static/search.js`) reads these; keep both in step.

mod docs;
mod encode;
mod fields;
mod invert;
mod shards;
#[cfg(test)]
mod tests;

use crate::model::Kb;
use fields::FIELDS;
use serde_json::json;

/// Format version of the files under `search/`; bump on any incompatible change.
pub const VERSION: u32 = 1;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// Target size of a dictionary shard in bytes (a shard with one huge term is larger).
const SHARD_BYTES: usize = 12 * 1024;
/// Document records per chunk file.
const DOC_CHUNK: usize = 1;
/// Characters of article text kept in a record for excerpts.
const EXCERPT_CHARS: usize = 4000;

/// The index files, as (path relative to the site root, bytes), in a stable order.
pub fn build_index(kb: &Kb) -> Vec<(String, Vec<u8>)> {
    let inv = invert::invert(kb);
    let facets = docs::Facets::collect(kb);
    let shards = shards::build(&inv, SHARD_BYTES);
    let mut files = Vec::with_capacity(shards.len() + kb.articles.len() + 2);
    let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
    files.push((
        "search/meta.json".to_string(),
        meta_json(&inv, &facets, &keys),
    ));
    files.push(("search/facets.json".to_string(), facets.docs_json()));
    for (n, bytes) in docs::chunks(kb, &facets, DOC_CHUNK, EXCERPT_CHARS) {
        files.push((format!("search/d/{n}.json"), bytes));
    }
    for (key, bytes) in shards {
        files.push((format!("search/t/{}.json", shards::file_name(&key)), bytes));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn meta_json(inv: &invert::Inverted, facets: &docs::Facets, keys: &[&str]) -> Vec<u8> {
    let fields: Vec<_> = FIELDS
        .iter()
        .zip(inv.avg_len)
        .map(|(f, avg)| json!({"name": f.name, "weight": f.weight, "b": f.b, "avg_len": round2(avg)}))
        .collect();
    let names = |values: &[docs::FacetValue]| -> Vec<_> {
        values
            .iter()
            .map(|v| json!({"name": v.name, "slug": v.slug, "count": v.docs.len()}))
            .collect()
    };
    let meta = json!({
        "version": VERSION,
        "docs": inv.docs,
        "k1": K1,
        "tf_scale": invert::TF_SCALE,
        "fields": fields,
        "stopwords": invert::STOPWORDS,
        "chunk": DOC_CHUNK,
        "shards": keys,
        "products": names(&facets.products),
        "tags": names(&facets.tags),
    });
    let mut out = meta.to_string().into_bytes();
    out.push(b'\n');
    out
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
