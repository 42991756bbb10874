//! The full-text search index: stemmed tokens, BM25F statistics, a sharded
//! dictionary with postings, and document chunks, written under `search/`.

use crate::model::Kb;

/// The index files, as (path relative to the site root, bytes), in a stable order.
pub fn build_index(_kb: &Kb) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}
