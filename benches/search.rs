//! Search index benchmark on a synthetic knowledge base: build time, extra peak
//! memory, index size, and the bytes a two-word query fetches (dictionary shards
//! plus the record chunks of the first page of results), as the client would.
//!
//! `cargo bench --bench search` (sizes: `-- 1000 10000`).

use kbgen::model::{Article, Kb, Resolution};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

/// Results whose records a query page loads.
const PAGE: usize = 8;
const QUERIES: usize = 300;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10_000]
    } else {
        sizes
    };
    println!(
        "| articles | build ms | build CPU ms | extra peak MB | index MB | files | shards | max shard KB | 2-word query KB mean | p95 | max | top-1 | top-5 |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        run(n);
    }
}

fn run(n: usize) {
    let kb = corpus(n, 42);
    let base = rss_reset();
    let (mut best, mut cpu) = (f64::MAX, f64::MAX);
    let mut files = Vec::new();
    for _ in 0..3 {
        drop(std::mem::take(&mut files));
        let (t, c) = (Instant::now(), cpu_ms());
        files = kbgen::search::build_index(&kb, &Default::default());
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        cpu = cpu.min(cpu_ms() - c);
    }
    let peak = peak_kb().saturating_sub(base) as f64 / 1024.0;
    let ix = Index::new(files);
    let shards = ix.keys.len();
    let max_shard = ix.files.iter().filter(|(p, _)| p.starts_with("search/t/"));
    let max_shard = max_shard.map(|(_, b)| b.len()).max().unwrap_or(0);
    let total: usize = ix.files.values().map(Vec::len).sum();
    let mut rng = Rng(7);
    let (mut bytes, mut top1, mut top5) = (Vec::new(), 0, 0);
    for _ in 0..QUERIES {
        let doc = rng.below(n);
        let words = query_words(&kb.articles[doc], &mut rng);
        let (fetched, ranked) = ix.query(&words);
        bytes.push(fetched);
        top1 += usize::from(ranked.first() == Some(&doc));
        top5 += usize::from(ranked.iter().take(5).any(|&d| d == doc));
    }
    bytes.sort_unstable();
    let kb_of = |b: usize| b as f64 / 1024.0;
    let mean = bytes.iter().sum::<usize>() as f64 / bytes.len() as f64;
    println!(
        "| {n} | {best:.0} | {cpu:.0} | {peak:.0} | {:.1} | {} | {shards} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0}% | {:.0}% |",
        total as f64 / 1048576.0,
        ix.files.len(),
        kb_of(max_shard),
        kb_of(mean as usize),
        kb_of(bytes[bytes.len() * 95 / 100]),
        kb_of(*bytes.last().unwrap_or(&0)),
        100.0 * top1 as f64 / QUERIES as f64,
        100.0 * top5 as f64 / QUERIES as f64,
    );
}

/// Two words a reader might type for an article: one from its title, one from its text.
fn query_words(a: &Article, rng: &mut Rng) -> Vec<String> {
    let pick = |text: &str, rng: &mut Rng| {
        let w: Vec<&str> = text.split_whitespace().filter(|w| w.len() > 3).collect();
        w[rng.below(w.len())].to_lowercase()
    };
    vec![pick(&a.title, rng), pick(&a.cause, rng)]
}

/// The built files, read back the way `search.js` reads them.
struct Index {
    files: BTreeMap<String, Vec<u8>>,
    keys: Vec<String>,
    docs: f64,
    k1: f64,
    chunk: usize,
}

impl Index {
    fn new(files: Vec<(String, Vec<u8>)>) -> Index {
        let files: BTreeMap<_, _> = files.into_iter().collect();
        let meta: Value = serde_json::from_slice(&files["search/meta.json"]).unwrap();
        let keys = meta["shards"].as_array().unwrap();
        let keys = keys
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        Index {
            keys,
            docs: meta["docs"].as_f64().unwrap(),
            k1: meta["k1"].as_f64().unwrap(),
            chunk: meta["chunk"].as_u64().unwrap() as usize,
            files,
        }
    }

    fn shard(&self, word: &str, fetched: &mut BTreeMap<String, usize>) -> Option<Value> {
        let key = self.keys.iter().filter(|k| word.starts_with(k.as_str()));
        let key = key.max_by_key(|k| k.chars().count())?;
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        let path = format!("search/t/{hex}.json");
        let bytes = &self.files[&path];
        fetched.insert(path, bytes.len());
        serde_json::from_slice(bytes).ok()
    }

    /// Bytes fetched and documents ranked by BM25F for an exact-word query.
    fn query(&self, words: &[String]) -> (usize, Vec<usize>) {
        let mut fetched = BTreeMap::new();
        let mut scores: HashMap<usize, f64> = HashMap::new();
        for w in words {
            let Some(shard) = self.shard(w, &mut fetched) else {
                continue;
            };
            let stem = shard["w"][w].as_str().unwrap_or(w).to_string();
            let shard = if stem == *w {
                Some(shard)
            } else {
                self.shard(&stem, &mut fetched)
            };
            let Some(entry) = shard.as_ref().and_then(|s| s["t"].get(&stem)) else {
                continue;
            };
            let df = entry[0].as_f64().unwrap();
            let idf = (1.0 + (self.docs - df + 0.5) / (df + 0.5)).ln();
            let nums = decode(entry[1].as_str().unwrap());
            let mut doc = 0;
            for p in nums.chunks(2) {
                doc += p[0] as usize;
                let tf = f64::from(p[1]);
                *scores.entry(doc).or_default() += idf * tf / (tf + self.k1 * 4.0);
            }
        }
        let mut ranked: Vec<(usize, f64)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let ranked: Vec<usize> = ranked.into_iter().map(|r| r.0).collect();
        for &doc in ranked.iter().take(PAGE) {
            let path = format!("search/d/{}.json", doc / self.chunk);
            fetched.insert(path.clone(), self.files[&path].len());
        }
        (fetched.values().sum(), ranked)
    }
}

fn decode(s: &str) -> Vec<u32> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut out, mut v, mut shift) = (Vec::new(), 0u32, 0);
    for c in s.bytes() {
        let d = A.iter().position(|&a| a == c).unwrap() as u32;
        v |= (d & 31) << shift;
        if d & 32 == 0 {
            out.push(v);
            (v, shift) = (0, 0);
        } else {
            shift += 5;
        }
    }
    out
}

/// A deterministic synthetic knowledge base: pseudo-English words with inflections,
/// Zipf-like frequencies, ~600 words an article.
fn corpus(n: usize, seed: u64) -> Kb {
    let mut rng = Rng(seed);
    let roots: Vec<String> = (0..6000).map(|_| pseudo_word(&mut rng)).collect();
    let products: Vec<String> = (0..60).map(|i| format!("Product {}", roots[i])).collect();
    let tags: Vec<String> = (0..200).map(|i| roots[i + 100].clone()).collect();
    let words = |rng: &mut Rng, k: usize| -> String {
        let mut out = Vec::with_capacity(k);
        for _ in 0..k {
            let u = rng.unit();
            let root = &roots[(u * u * u * roots.len() as f64) as usize];
            let suffix = ["", "", "", "s", "ed", "ing", "er", "ation"][rng.below(8)];
            out.push(format!("{root}{suffix}"));
        }
        out.join(" ")
    };
    let articles = (0..n)
        .map(|i| Article {
            id: format!("article-{i:05}"),
            path: PathBuf::new(),
            rel_path: String::new(),
            title: words(&mut rng, 8),
            summary: Some(words(&mut rng, 25)),
            products: vec![products[rng.below(60)].clone()],
            tags: vec![tags[rng.below(200)].clone(), tags[rng.below(200)].clone()],
            created: None,
            updated: None,
            symptoms: vec![words(&mut rng, 20), words(&mut rng, 20)],
            errors: vec![],
            environment: vec![words(&mut rng, 3), words(&mut rng, 3)],
            conditions: vec![words(&mut rng, 20)],
            cause: words(&mut rng, 300),
            resolution: Resolution {
                intro: None,
                steps: (0..10).map(|_| words(&mut rng, 20)).collect(),
                outro: None,
            },
            related: vec![],
            references: vec![],
            life: Default::default(),
        })
        .collect();
    Kb { articles }
}

fn pseudo_word(rng: &mut Rng) -> String {
    const C: &[&str] = &[
        "b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "pr", "st", "tr",
        "sh",
    ];
    const V: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou"];
    let syllables = 2 + rng.below(3);
    (0..syllables)
        .map(|_| format!("{}{}", C[rng.below(C.len())], V[rng.below(V.len())]))
        .collect::<String>()
        + ["n", "t", "r", "m"][rng.below(4)]
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

/// CPU time of this process (all threads, user + system) in milliseconds.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = stat.rsplit_once(") ").map(|r| r.1).unwrap_or("");
    let f: Vec<f64> = rest.split(' ').map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) * 10.0
}

/// Resets the peak RSS counter and returns the current RSS in KiB.
fn rss_reset() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_kb("VmRSS:")
}

fn peak_kb() -> u64 {
    status_kb("VmHWM:")
}

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap_or("");
    line.split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
