//! Tokenising, stemming and inverting the knowledge base: for every stem, the
//! documents that contain it with their BM25F pseudo term frequency, and the
//! surface forms seen in the corpus that reduce to it.
//!
//! Tokens are `crate::text::fold` + `crate::text::words`, exactly what the matcher
//! sees; stems come from the English Snowball stemmer, applied here and never in
//! the browser: the dictionary carries surface form -> stem instead.

use super::fields::{FIELDS, NFIELDS, Plain, field_texts};
use super::synonyms::{Synonyms, token};
use crate::model::Article;
use crate::text::{fold, words};
use rayon::prelude::*;
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
    fn write_u64(&mut self, word: u64) {
        self.add(word);
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
    /// (document number, position of the term's first word in the title), for the
    /// documents whose title holds it, ascending by document.
    pub title: Vec<(u32, u8)>,
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

/// The title's field number in `FIELDS`.
const TITLE: usize = 0;
/// Title positions past this one are stored as this one.
const MAX_TITLE_POS: u32 = 63;

/// Marks a surface form that is counted in its field's length but not indexed.
const NOT_INDEXED: u32 = u32::MAX;

/// Counts the words of a run of consecutive documents, on one thread. Words are
/// interned per counter, so a word is hashed once per occurrence and stemmed once
/// per counter; the counters are merged in document order by [`merge`].
pub struct Counter {
    stemmer: Stemmer,
    first_doc: u32,
    /// Surface form -> local stem id, or `NOT_INDEXED`: short words packed (the
    /// common case, hashed and compared as two integers), longer ones as text.
    short: FastMap<Packed, u32>,
    long: FastMap<String, u32>,
    /// Every indexed surface form with its local stem id.
    surfaces: Vec<(String, u32)>,
    stem_ids: FastMap<String, u32>,
    stems: Vec<String>,
    /// Field lengths of each document counted so far.
    lens: Vec<[u32; NFIELDS]>,
    /// For each local stem: (document number, counts by field), ascending by document.
    postings: Vec<Vec<(u32, Counts)>>,
    /// Counts of the current document by local stem, and the stems it touched.
    doc_counts: Vec<Counts>,
    touched: Vec<u32>,
    /// For each local stem: (document number, title position), see `StemEntry`.
    title: Vec<Vec<(u32, u8)>>,
    synonyms: Synonyms,
    folded: String,
}

impl Counter {
    /// A counter whose first document is number `first_doc`, that counts the
    /// members of `synonyms` as their group's token too.
    pub fn new(first_doc: usize, synonyms: &Synonyms) -> Counter {
        Counter {
            stemmer: Stemmer::create(Algorithm::English),
            first_doc: first_doc as u32,
            short: FastMap::default(),
            long: FastMap::default(),
            surfaces: Vec::new(),
            stem_ids: FastMap::default(),
            stems: Vec::new(),
            lens: Vec::new(),
            postings: Vec::new(),
            doc_counts: Vec::new(),
            touched: Vec::new(),
            title: Vec::new(),
            synonyms: synonyms.clone(),
            folded: String::new(),
        }
    }

    /// Counts the next document (numbered on from the ones added before).
    pub fn add(&mut self, a: &Article, plain: &Plain) {
        let doc = self.first_doc + self.lens.len() as u32;
        let mut lens = [0u32; NFIELDS];
        for (f, text) in field_texts(a, plain).iter().enumerate() {
            let folded = fold_fast(text, std::mem::take(&mut self.folded));
            for (pos, w) in words(&folded).enumerate() {
                lens[f] += 1;
                self.word(w, f, doc, pos as u32);
                // `java.lang.OutOfMemoryError` is one word, and so is each part of it
                for part in compound_parts(w) {
                    self.word(part, f, doc, pos as u32);
                }
            }
            if !self.synonyms.is_empty() {
                self.count_synonyms(&folded, f, doc);
            }
            self.folded = folded;
        }
        self.lens.push(lens);
        for &stem in &self.touched {
            let counts = std::mem::take(&mut self.doc_counts[stem as usize]);
            self.postings[stem as usize].push((doc, counts));
        }
        self.touched.clear();
    }

    fn word(&mut self, w: &str, field: usize, doc: u32, pos: u32) {
        let stem = self.stem_id(w);
        if stem != NOT_INDEXED {
            self.count(stem, field);
            if field == TITLE {
                self.title_at(stem, doc, pos);
            }
        }
    }

    /// Counts each occurrence of a synonym group's member as the group's token.
    fn count_synonyms(&mut self, folded: &str, field: usize, doc: u32) {
        let text: Vec<&str> = words(folded).collect();
        let mut found = Vec::new();
        self.synonyms.find(&text, |g, i| found.push((g, i)));
        for (g, pos) in found {
            let id = self.intern_raw(&token(g));
            self.count(id, field);
            if field == TITLE {
                self.title_at(id, doc, pos as u32);
            }
        }
    }

    fn title_at(&mut self, stem: u32, doc: u32, pos: u32) {
        let list = &mut self.title[stem as usize];
        if list.last().map(|&(d, _)| d) != Some(doc) {
            list.push((doc, pos.min(MAX_TITLE_POS) as u8));
        }
    }

    fn count(&mut self, stem: u32, field: usize) {
        let counts = &mut self.doc_counts[stem as usize];
        if *counts == Counts::default() {
            self.touched.push(stem);
        }
        counts[field] = counts[field].saturating_add(1);
    }

    /// The local stem id of a folded word, interning it when first seen.
    fn stem_id(&mut self, surface: &str) -> u32 {
        let packed = Packed::of(surface);
        let known = match packed {
            Some(key) => self.short.get(&key),
            None => self.long.get(surface),
        };
        if let Some(&id) = known {
            return id;
        }
        let id = if is_indexed(surface) {
            let id = self.intern_stem(surface);
            self.surfaces.push((surface.to_string(), id));
            id
        } else {
            NOT_INDEXED
        };
        match packed {
            Some(key) => self.short.insert(key, id),
            None => self.long.insert(surface.to_string(), id),
        };
        id
    }

    fn intern_stem(&mut self, surface: &str) -> u32 {
        let stem = self.stemmer.stem(surface);
        self.intern_raw(&stem)
    }

    /// The local id of an index term, as it is (not stemmed).
    fn intern_raw(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stem_ids.insert(stem.to_string(), id);
        self.stems.push(stem.to_string());
        self.postings.push(Vec::new());
        self.doc_counts.push(Counts::default());
        self.title.push(Vec::new());
        id
    }
}

/// A word of at most 15 bytes packed with its length into 16 bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Packed(u64, u64);

impl Packed {
    fn of(w: &str) -> Option<Packed> {
        let b = w.as_bytes();
        if b.len() > 15 {
            return None;
        }
        let mut buf = [0u8; 16];
        buf[..b.len()].copy_from_slice(b);
        buf[15] = b.len() as u8;
        let (lo, hi) = buf.split_at(8);
        let word = |h: &[u8]| u64::from_le_bytes(h.try_into().unwrap_or_default());
        Some(Packed(word(lo), word(hi)))
    }
}

impl std::hash::Hash for Packed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0);
        state.write_u64(self.1);
    }
}

/// A counter's words with their postings' BM25F term frequencies quantised.
struct Run {
    stems: Vec<String>,
    postings: Vec<Vec<(u32, u32)>>,
    surfaces: Vec<(String, u32)>,
    title: Vec<Vec<(u32, u8)>>,
}

impl Run {
    fn of(c: Counter, lens: &[[u32; NFIELDS]], avg_len: &[f64; NFIELDS]) -> Run {
        // Each list of counts is consumed as it is quantised, so the counts and
        // the term frequencies of a run are not held in full at the same time.
        let postings = (c.postings.into_iter())
            .map(|list| {
                (list.into_iter())
                    .map(|(doc, counts)| {
                        let tf = pseudo_tf(&counts, &lens[doc as usize], avg_len);
                        (doc, quantise(tf))
                    })
                    .collect()
            })
            .collect();
        Run {
            stems: c.stems,
            postings,
            surfaces: c.surfaces,
            title: c.title,
        }
    }
}

/// Tokenises, stems and inverts every article of `kb` (document number = position).
#[cfg(test)]
pub fn invert(kb: &crate::model::Kb) -> Inverted {
    invert_in_runs(kb, kb.articles.len().max(1), &Synonyms::default())
}

/// [`invert`] with the articles counted in runs of `run` documents.
#[cfg(test)]
pub fn invert_in_runs(kb: &crate::model::Kb, run: usize, synonyms: &Synonyms) -> Inverted {
    let counters = kb.articles.chunks(run).enumerate().map(|(i, articles)| {
        let mut c = Counter::new(i * run, synonyms);
        for a in articles {
            c.add(a, &Plain::of(a));
        }
        c
    });
    merge(counters.collect())
}

/// Merges counters of consecutive runs of documents, in document order, into the
/// inverted index with BM25F term frequencies (now that the average field lengths
/// are known).
pub fn merge(counters: Vec<Counter>) -> Inverted {
    let lens: Vec<[u32; NFIELDS]> = counters
        .iter()
        .flat_map(|c| c.lens.iter().copied())
        .collect();
    let avg_len = average(&lens);
    let runs: Vec<Run> = (counters.into_par_iter())
        .map(|c| Run::of(c, &lens, &avg_len))
        .collect();
    let mut ids: FastMap<String, u32> = FastMap::default();
    let mut stems: Vec<StemEntry> = Vec::new();
    for run in runs {
        let global: Vec<u32> = (run.stems.into_iter())
            .map(|stem| match ids.get(&stem) {
                Some(&id) => id,
                None => {
                    let id = stems.len() as u32;
                    ids.insert(stem.clone(), id);
                    stems.push(StemEntry {
                        stem,
                        ..StemEntry::default()
                    });
                    id
                }
            })
            .collect();
        for (local, postings) in run.postings.into_iter().enumerate() {
            stems[global[local] as usize].postings.extend(postings);
        }
        for (local, title) in run.title.into_iter().enumerate() {
            stems[global[local] as usize].title.extend(title);
        }
        for (surface, local) in run.surfaces {
            stems[global[local as usize] as usize]
                .surfaces
                .push(surface);
        }
    }
    for s in &mut stems {
        s.surfaces.sort_unstable();
        s.surfaces.dedup();
    }
    stems.sort_unstable_by(|a, b| a.stem.cmp(&b.stem));
    Inverted {
        docs: lens.len() as u32,
        avg_len,
        stems,
    }
}

/// `crate::text::fold` of `s`, skipping normalisation for ASCII text (NFKC leaves
/// it as is), reusing `buf` for it.
pub(super) fn fold_fast(s: &str, mut buf: String) -> String {
    if s.is_ascii() {
        buf.clear();
        buf.push_str(s);
        buf.make_ascii_lowercase();
        buf
    } else {
        fold(s)
    }
}

/// The parts of a word that joins words with `.` or `:` (`java.lang.outofmemoryerror`,
/// `liquibase.exception.lockexception`): each part with a letter and at least 3
/// characters; nothing for other words.
fn compound_parts(w: &str) -> impl Iterator<Item = &str> {
    let compound = w.contains(['.', ':']);
    (compound.then(|| w.split(['.', ':'])).into_iter().flatten())
        .filter(|p| p.len() >= 3 && p.chars().any(char::is_alphabetic))
}

/// Whether a folded word goes into the index.
pub fn is_indexed(w: &str) -> bool {
    w.len() <= MAX_WORD_BYTES && (w.len() > 5 || STOPWORDS.binary_search(&w).is_err())
}

/// Average length of each field over the documents that have it: a field most
/// articles leave empty (error texts) is not "long" in the few that fill it.
fn average(lens: &[[u32; NFIELDS]]) -> [f64; NFIELDS] {
    let mut sum = [0.0; NFIELDS];
    let mut have = [0u32; NFIELDS];
    for l in lens {
        for f in 0..NFIELDS {
            sum[f] += f64::from(l[f]);
            have[f] += u32::from(l[f] > 0);
        }
    }
    std::array::from_fn(|f| {
        if have[f] == 0 {
            0.0
        } else {
            sum[f] / f64::from(have[f])
        }
    })
}

/// BM25F's combined term frequency, each field saturated on its own: a field's
/// count, length-normalised with that field's `b`, saturates with `FIELD_K`
/// (at most `FIELD_K + 1`), times the field's weight. So a word repeated all
/// through a long body adds at most a few times the body's weight, and never
/// outweighs one mention in a short title.
pub fn pseudo_tf(counts: &Counts, lens: &[u32; NFIELDS], avg: &[f64; NFIELDS]) -> f64 {
    let mut tf = 0.0;
    for (f, spec) in FIELDS.iter().enumerate() {
        if counts[f] == 0 || avg[f] <= 0.0 {
            continue;
        }
        let norm = 1.0 - spec.b + spec.b * f64::from(lens[f]) / avg[f];
        let x = f64::from(counts[f]) / norm.max(0.1);
        tf += spec.weight * x * (FIELD_K + 1.0) / (x + FIELD_K);
    }
    tf
}

/// Per-field term-frequency saturation.
pub const FIELD_K: f64 = 1.2;

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
