//! The full-text search index: stemmed tokens, BM25F statistics, a sharded
//! dictionary with postings, and document chunks, written under `search/`.
//!
//! Layout (all JSON, `"version": 1` in `meta.json`):
//! - `search/meta.json`: document count, BM25F parameters and field statistics,
//!   the shard keys, the chunk size, the product and tag names, the synonym
//!   groups (folded words; group N is the index term `~N`).
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
pub mod synonyms;
#[cfg(test)]
mod tests;

use crate::model::Kb;
use crate::output::PutFile;
use fields::{FIELDS, Plain};
use rayon::prelude::*;
use serde_json::json;
use std::sync::Mutex;
pub use synonyms::Synonyms;

/// Format version of the files under `search/`; bump on any incompatible change.
pub const VERSION: u32 = 1;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// Target size of a dictionary shard in bytes (a shard with one huge term is larger).
const SHARD_BYTES: usize = 12 * 1024;
/// Document records per chunk file.
const DOC_CHUNK: usize = 1;
/// Runs of articles counted per thread (see `run_len`).
const RUNS_PER_THREAD: usize = 4;
/// Fewest articles in a run.
const MIN_RUN: usize = 64;
/// Characters of article text kept in a record for excerpts.
const EXCERPT_CHARS: usize = 4000;

/// The index files, as (path relative to the site root, bytes), in a stable order.
pub fn build_index(kb: &Kb, synonyms: &Synonyms) -> Vec<(String, Vec<u8>)> {
    let files = Mutex::new(Vec::new());
    let collected = write_index(kb, synonyms, &|path, bytes| {
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
pub fn write_index(kb: &Kb, synonyms: &Synonyms, put: &PutFile<'_>) -> anyhow::Result<()> {
    let facets = docs::Facets::collect(kb);
    put("search/facets.json", &facets.docs_json())?;
    let inv = invert_and_write_records(kb, &facets, synonyms, put)?;
    let shards = shards::build(&inv, SHARD_BYTES);
    let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
    put(
        "search/meta.json",
        &meta_json(&inv, &facets, &keys, synonyms),
    )?;
    (shards.par_iter()).try_for_each(|(key, bytes)| {
        put(&format!("search/t/{}.json", shards::file_name(key)), bytes)
    })
}

/// One pass over the articles: each one's Markdown is reduced to text once, for
/// both its record (written at once) and its counted words. Runs of consecutive
/// articles are counted in parallel, each by its own counter, then merged in order.
fn invert_and_write_records(
    kb: &Kb,
    facets: &docs::Facets,
    synonyms: &Synonyms,
    put: &PutFile<'_>,
) -> anyhow::Result<invert::Inverted> {
    let records = docs::Records::new(facets, EXCERPT_CHARS);
    let run = run_len(kb.articles.len(), rayon::current_num_threads());
    let counters = (kb.articles.par_chunks(run).enumerate()).map(|(r, articles)| {
        let mut counter = invert::Counter::new(r * run, synonyms);
        for (i, chunk) in articles.chunks(DOC_CHUNK).enumerate() {
            let plain: Vec<Plain> = chunk.iter().map(Plain::of).collect();
            records.write((r * run) / DOC_CHUNK + i, chunk, &plain, put)?;
            for (a, p) in chunk.iter().zip(&plain) {
                counter.add(a, p);
            }
        }
        Ok(counter)
    });
    let counters = counters.collect::<anyhow::Result<Vec<_>>>()?;
    Ok(invert::merge(counters))
}

/// Articles per counter: a few runs per thread so that a thread slowed down by
/// other work does not hold up the rest, yet few enough that each counter's own
/// dictionary (every word stemmed once per counter) stays cheap. A multiple of
/// `DOC_CHUNK`, so record chunks never straddle two runs.
fn run_len(articles: usize, threads: usize) -> usize {
    let runs = (threads * RUNS_PER_THREAD).max(1);
    let run = articles.div_ceil(runs).max(MIN_RUN);
    run.next_multiple_of(DOC_CHUNK)
}

fn meta_json(
    inv: &invert::Inverted,
    facets: &docs::Facets,
    keys: &[&str],
    synonyms: &Synonyms,
) -> Vec<u8> {
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
        "synonyms": synonyms.groups(),
    });
    let mut out = meta.to_string().into_bytes();
    out.push(b'\n');
    out
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
