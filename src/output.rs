//! The shape of site output shared by every stage that makes files: rendering, the
//! search index and the signature index produce them, `site` writes them. Kept apart
//! so that no producing stage depends on another.

use std::collections::BTreeMap;

/// Output files by path relative to the site root (`articles/ID/index.html`), sorted.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Takes one output file (path relative to the site root, bytes) as it is made;
/// called from several threads at once.
pub type PutFile<'a> = dyn Fn(&str, &[u8]) -> anyhow::Result<()> + Sync + 'a;
