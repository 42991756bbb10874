//! Tokenising, stemming and inverting the knowledge base: for every stem, the
//! documents that contain it with their BM25F pseudo term frequency, and the
//! surface forms seen in the corpus that reduce to it.
//!
//! Tokens are `crate::text::fold` + `crate::text::words`, exactly what the matcher
//! sees; stems come from the English Snowball stemmer, applied here and never in
//! the browser: the dictionary carries surface form -> stem instead.

use super::fields::{FIELDS, NFIELDS, Plain, field_texts};
use crate::model::Article;
use crate::text::{fold, words};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Word -> id maps are the hot path of the build; SipHash's DoS resistance buys
/// nothing here (the input is the author's own articles), so use the Fx hash.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let mut rest = [0u8; 8];
        let tail = chunks.remainder();
        rest[..tail.len()].copy_from_slice(tail);
        self.add(u64::from_le_bytes(rest) ^ tail.len() as u64);
    }
    fn finish(&self) -> u64 {
        // Multiplication only carries entropy upwards, and the table indexes by the
        // low bits: finish with the splitmix64 mixer so every bit counts.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Multiplier applied to the pseudo term frequency before rounding it to an integer.
pub const TF_SCALE: f64 = 4.0;
/// Longest word indexed, in bytes; longer runs are ids or noise, not search words.
const MAX_WORD_BYTES: usize = 40;

/// Words too common in English to tell articles apart; the client drops them too.
/// Sorted (looked up by binary search).
pub const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "these",
    "this", "to", "was", "were", "which", "will", "with",
];

/// One index term (a stem) with its postings.
#[derive(Debug, Default)]
pub struct StemEntry {
    pub stem: String,
    /// (document number, quantised pseudo term frequency), ascending by document.
    pub postings: Vec<(u32, u32)>,
    /// Every surface form in the corpus that stems to `stem`, sorted.
    pub surfaces: Vec<String>,
}

/// The inverted knowledge base.
#[derive(Debug)]
pub struct Inverted {
    pub docs: u32,
    /// Average length in words of each field over all documents.
    pub avg_len: [f64; NFIELDS],
    /// Sorted by stem.
    pub stems: Vec<StemEntry>,
}

type Counts = [u16; NFIELDS];

/// Words of one document: its field lengths and per-surface counts by field. Words
/// are (field, byte range) into `folded`, so counting allocates no string per word.
pub struct DocWords {
    lens: [u32; NFIELDS],
    folded: Vec<String>,
    words: Vec<(usize, std::ops::Range<usize>, Counts)>,
}

impl DocWords {
    fn word(&self, field: usize, range: &std::ops::Range<usize>) -> &str {
        &self.folded[field][range.clone()]
    }
}

/// Interns surface forms and stems as they are first seen.
#[derive(Default)]
struct Dict {
    surface_ids: FastMap<String, u32>,
    /// Stem id of each surface id.
    surface_stem: Vec<u32>,
    surfaces: Vec<String>,
    stem_ids: FastMap<String, u32>,
    stems: Vec<String>,
}

impl Dict {
    fn stem_of(&mut self, surface: &str, stemmer: &Stemmer) -> u32 {
        if let Some(&sid) = self.surface_ids.get(surface) {
            return self.surface_stem[sid as usize];
        }
        let surface = surface.to_string();
        let stem = stemmer.stem(&surface).into_owned();
        let next = self.stems.len() as u32;
        let stem_id = *self.stem_ids.entry(stem.clone()).or_insert(next);
        if stem_id == next {
            self.stems.push(stem);
        }
        self.surface_ids
            .insert(surface.clone(), self.surfaces.len() as u32);
        self.surfaces.push(surface);
        self.surface_stem.push(stem_id);
        stem_id
    }
}

/// Tokenises, stems and inverts every article of `kb` (document number = position).
#[cfg(test)]
pub fn invert(kb: &crate::model::Kb) -> Inverted {
    let mut inverter = Inverter::new(kb.articles.len());
    inverter.add(
        kb.articles
            .iter()
            .map(|a| count(a, &Plain::of(a)))
            .collect(),
    );
    inverter.finish()
}

/// The words of one article, counted: the part of inverting that runs in parallel.
pub fn count(a: &Article, plain: &Plain) -> DocWords {
    count_words(&field_texts(a, plain))
}

/// Inverts documents handed to it in order, batch by batch, so counting the next
/// batch (in parallel) can overlap with stemming and merging this one.
pub struct Inverter {
    stemmer: Stemmer,
    dict: Dict,
    lens: Vec<[u32; NFIELDS]>,
    by_doc: Vec<Vec<(u32, Counts)>>,
}

impl Inverter {
    pub fn new(docs: usize) -> Inverter {
        Inverter {
            stemmer: Stemmer::create(Algorithm::English),
            dict: Dict::default(),
            lens: Vec::with_capacity(docs),
            by_doc: Vec::with_capacity(docs),
        }
    }

    /// Adds the next documents (numbered on from the ones added before).
    pub fn add(&mut self, docs: Vec<DocWords>) {
        for doc in docs {
            self.lens.push(doc.lens);
            (self.by_doc).push(merge_by_stem(&doc, &mut self.dict, &self.stemmer));
        }
    }

    /// The postings with their BM25F term frequencies, now that the average field
    /// lengths are known.
    pub fn finish(self) -> Inverted {
        let Inverter {
            dict, lens, by_doc, ..
        } = self;
        let avg_len = average(&lens);
        let mut stems: Vec<StemEntry> = (dict.stems.into_iter())
            .map(|stem| StemEntry {
                stem,
                ..StemEntry::default()
            })
            .collect();
        for (doc, terms) in by_doc.into_iter().enumerate() {
            for (stem_id, counts) in terms {
                let q = quantise(pseudo_tf(&counts, &lens[doc], &avg_len));
                stems[stem_id as usize].postings.push((doc as u32, q));
            }
        }
        for (surface, stem_id) in dict.surfaces.into_iter().zip(dict.surface_stem) {
            stems[stem_id as usize].surfaces.push(surface);
        }
        for s in &mut stems {
            s.surfaces.sort_unstable();
        }
        stems.sort_unstable_by(|a, b| a.stem.cmp(&b.stem));
        Inverted {
            docs: lens.len() as u32,
            avg_len,
            stems,
        }
    }
}

/// Counts the indexable words of each field of one document.
fn count_words(texts: &[String; NFIELDS]) -> DocWords {
    let mut lens = [0u32; NFIELDS];
    let folded: Vec<String> = texts.iter().map(|t| fold_fast(t)).collect();
    // Sized for a typical article's distinct words: growing the table costs more.
    let mut counts: FastMap<&str, (usize, usize, Counts)> =
        FastMap::with_capacity_and_hasher(512, Default::default());
    for (f, text) in folded.iter().enumerate() {
        for w in words(text) {
            lens[f] += 1;
            if is_indexed(w) {
                let start = w.as_ptr() as usize - text.as_ptr() as usize;
                let entry = counts.entry(w).or_insert((f, start, Counts::default()));
                entry.2[f] = entry.2[f].saturating_add(1);
            }
        }
    }
    let words = counts
        .into_iter()
        .map(|(w, (f, start, c))| (f, start..start + w.len(), c))
        .collect();
    DocWords {
        lens,
        folded,
        words,
    }
}

/// `crate::text::fold`, skipping normalisation for ASCII text (NFKC leaves it as is).
pub(super) fn fold_fast(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        fold(s)
    }
}

/// Whether a folded word goes into the index.
pub fn is_indexed(w: &str) -> bool {
    w.len() <= MAX_WORD_BYTES && (w.len() > 5 || STOPWORDS.binary_search(&w).is_err())
}

/// Stems a document's words and adds up the counts of words sharing a stem.
fn merge_by_stem(doc: &DocWords, dict: &mut Dict, stemmer: &Stemmer) -> Vec<(u32, Counts)> {
    let mut terms: Vec<(u32, Counts)> = doc
        .words
        .iter()
        .map(|(f, r, c)| (dict.stem_of(doc.word(*f, r), stemmer), *c))
        .collect();
    terms.sort_unstable_by_key(|t| t.0);
    terms.dedup_by(|next, kept| {
        if next.0 != kept.0 {
            return false;
        }
        for (k, n) in kept.1.iter_mut().zip(next.1) {
            *k = k.saturating_add(n);
        }
        true
    });
    terms
}

fn average(lens: &[[u32; NFIELDS]]) -> [f64; NFIELDS] {
    let mut avg = [0.0; NFIELDS];
    if lens.is_empty() {
        return avg;
    }
    for l in lens {
        for (a, &x) in avg.iter_mut().zip(l) {
            *a += f64::from(x);
        }
    }
    avg.map(|a| a / lens.len() as f64)
}

/// BM25F's combined term frequency: each field's count, length-normalised with
/// that field's `b`, times the field's weight.
pub fn pseudo_tf(counts: &Counts, lens: &[u32; NFIELDS], avg: &[f64; NFIELDS]) -> f64 {
    let mut tf = 0.0;
    for (f, spec) in FIELDS.iter().enumerate() {
        if counts[f] == 0 || avg[f] <= 0.0 {
            continue;
        }
        let norm = 1.0 - spec.b + spec.b * f64::from(lens[f]) / avg[f];
        tf += spec.weight * f64::from(counts[f]) / norm.max(0.1);
    }
    tf
}

/// The pseudo term frequency as a small integer (never 0 for a present term).
fn quantise(tf: f64) -> u32 {
    (tf * TF_SCALE).round().clamp(1.0, 4095.0) as u32
}

#[cfg(test)]
mod hash_tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn fx_hash_spreads_words_over_low_and_high_bits() {
        let b = BuildHasherDefault::<FxHasher>::default();
        let words: Vec<String> = (0..20_000).map(|i| format!("word{i}ing")).collect();
        let low: std::collections::HashSet<u64> = words
            .iter()
            .map(|w| b.hash_one(w.as_str()) & 0xffff)
            .collect();
        let high: std::collections::HashSet<u64> =
            words.iter().map(|w| b.hash_one(w.as_str()) >> 57).collect();
        assert!(low.len() > 15_000, "low bits: {}", low.len());
        assert_eq!(high.len(), 128);
    }
}
