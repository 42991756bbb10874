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
use crate::render::PutFile;
use fields::{FIELDS, Plain};
use rayon::prelude::*;
use serde_json::json;
use std::sync::Mutex;

/// Format version of the files under `search/`; bump on any incompatible change.
pub const VERSION: u32 = 1;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// Target size of a dictionary shard in bytes (a shard with one huge term is larger).
const SHARD_BYTES: usize = 12 * 1024;
/// Document records per chunk file.
const DOC_CHUNK: usize = 1;
/// Documents counted per parallel batch (a multiple of `DOC_CHUNK`); bounds the
/// memory of counted words in flight.
const BATCH: usize = 512;
const _: () = assert!(BATCH.is_multiple_of(DOC_CHUNK));
/// Characters of article text kept in a record for excerpts.
const EXCERPT_CHARS: usize = 4000;

/// The index files, as (path relative to the site root, bytes), in a stable order.
pub fn build_index(kb: &Kb) -> Vec<(String, Vec<u8>)> {
    let files = Mutex::new(Vec::new());
    let collected = write_index(kb, &|path, bytes| {
        let mut files = files
            .lock()
            .map_err(|_| anyhow::anyhow!("index writer failed"))?;
        files.push((path.to_string(), bytes.to_vec()));
        Ok(())
    });
    let mut files = match (collected, files.into_inner()) {
        (Ok(()), Ok(files)) => files,
        _ => Vec::new(),
    };
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Builds the index and hands each file to `put` (path relative to the site root)
/// as soon as it is made; document records are made in parallel, so `put` is
/// called from several threads.
pub fn write_index(kb: &Kb, put: &PutFile<'_>) -> anyhow::Result<()> {
    let facets = docs::Facets::collect(kb);
    put("search/facets.json", &facets.docs_json())?;
    let inv = invert_and_write_records(kb, &facets, put)?;
    let shards = shards::build(&inv, SHARD_BYTES);
    let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
    put("search/meta.json", &meta_json(&inv, &facets, &keys))?;
    for (key, bytes) in &shards {
        put(&format!("search/t/{}.json", shards::file_name(key)), bytes)?;
    }
    Ok(())
}

/// One pass over the articles: each one's Markdown is reduced to text once, for
/// both its record (written at once) and its counted words. Batches are counted
/// in parallel while the previous batch is merged into the dictionary.
fn invert_and_write_records(
    kb: &Kb,
    facets: &docs::Facets,
    put: &PutFile<'_>,
) -> anyhow::Result<invert::Inverted> {
    let records = docs::Records::new(facets, EXCERPT_CHARS);
    let mut inverter = invert::Inverter::new(kb.articles.len());
    let mut pending = Vec::new();
    for (b, batch) in kb.articles.chunks(BATCH).enumerate() {
        let first_chunk = b * BATCH / DOC_CHUNK;
        let count = || -> anyhow::Result<Vec<invert::DocWords>> {
            let counted = (batch.par_chunks(DOC_CHUNK).enumerate()).map(|(i, articles)| {
                let plain: Vec<Plain> = articles.iter().map(Plain::of).collect();
                records.write(first_chunk + i, articles, &plain, put)?;
                let words = articles.iter().zip(&plain);
                Ok(words.map(|(a, p)| invert::count(a, p)).collect::<Vec<_>>())
            });
            let counted: Vec<Vec<_>> = counted.collect::<anyhow::Result<_>>()?;
            Ok(counted.into_iter().flatten().collect())
        };
        let done = std::mem::take(&mut pending);
        let (counted, ()) = rayon::join(count, || inverter.add(done));
        pending = counted?;
    }
    inverter.add(pending);
    Ok(inverter.finish())
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
