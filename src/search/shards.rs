//! The dictionary split into shards by term prefix, so a query fetches only the
//! shards of its own words.
//!
//! A shard holds every term (stems with their postings, surface forms with the stem
//! they reduce to) whose longest matching shard prefix is its key. Shards start as
//! one per first character and split on the next character while they are larger
//! than the target size; terms exactly as long as the prefix stay in the parent.
//! The client picks, for a word, the longest key that is a prefix of it.

use super::encode;
use super::invert::{Inverted, StemEntry};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One dictionary entry, already serialised as a JSON member (`"key":value`).
struct Item {
    key: String,
    member: String,
    is_stem: bool,
}

/// The shards as (prefix key, JSON bytes), sorted by key.
pub fn build(inv: &Inverted, target_bytes: usize) -> Vec<(String, Vec<u8>)> {
    let items = items(inv);
    let refs: Vec<&Item> = items.iter().collect();
    let mut groups = Vec::new();
    split("", 0, refs, target_bytes, &mut groups);
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_par_iter()
        .map(|(key, items)| (key, shard_json(&items)))
        .collect()
}

/// The file name of a shard: its key's UTF-8 bytes in hex (keys can be any text).
pub fn file_name(key: &str) -> String {
    if key.is_empty() {
        return "_".into();
    }
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn items(inv: &Inverted) -> Vec<Item> {
    let mut items = Vec::new();
    for s in &inv.stems {
        items.push(Item {
            key: s.stem.clone(),
            member: stem_member(s),
            is_stem: true,
        });
        for surface in s.surfaces.iter().filter(|w| **w != s.stem) {
            items.push(Item {
                key: surface.clone(),
                member: format!("{}:{}", json_str(surface), json_str(&s.stem)),
                is_stem: false,
            });
        }
    }
    items
}

/// `"stem":[document frequency,"gap,tf,gap,tf...",["surface",...]]`, and when the
/// stem is in some titles a fourth item, `"gap,position,..."` of those titles.
fn stem_member(s: &StemEntry) -> String {
    let mut postings = String::with_capacity(s.postings.len() * 3);
    let mut prev = 0;
    for &(doc, tf) in &s.postings {
        encode::push(&mut postings, doc - prev);
        encode::push(&mut postings, tf);
        prev = doc;
    }
    let surfaces: Vec<String> = s.surfaces.iter().map(|w| json_str(w)).collect();
    let mut title = String::new();
    let mut prev = 0;
    for &(doc, pos) in &s.title {
        encode::push(&mut title, doc - prev);
        encode::push(&mut title, u32::from(pos));
        prev = doc;
    }
    let title = if title.is_empty() {
        title
    } else {
        format!(",\"{title}\"")
    };
    format!(
        "{}:[{},\"{}\",[{}]{title}]",
        json_str(&s.stem),
        s.postings.len(),
        postings,
        surfaces.join(",")
    )
}

fn json_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn split<'a>(
    prefix: &str,
    depth: usize,
    items: Vec<&'a Item>,
    target: usize,
    out: &mut Vec<(String, Vec<&'a Item>)>,
) {
    let size: usize = items.iter().map(|i| i.member.len() + 1).sum();
    if depth > 0 && size <= target {
        out.push((prefix.to_string(), items));
        return;
    }
    let mut here = Vec::new();
    let mut children: BTreeMap<char, Vec<&Item>> = BTreeMap::new();
    for item in items {
        match item.key.chars().nth(depth) {
            Some(c) => children.entry(c).or_default().push(item),
            None => here.push(item),
        }
    }
    if !here.is_empty() {
        out.push((prefix.to_string(), here));
    }
    for (c, group) in children {
        let mut child = prefix.to_string();
        child.push(c);
        split(&child, depth + 1, group, target, out);
    }
}

fn shard_json(items: &[&Item]) -> Vec<u8> {
    let mut sorted: Vec<&&Item> = items.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let join = |stems: bool| {
        sorted
            .iter()
            .filter(|i| i.is_stem == stems)
            .map(|i| i.member.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!("{{\"t\":{{{}}},\"w\":{{{}}}}}\n", join(true), join(false)).into_bytes()
}
