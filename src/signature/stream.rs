//! Matching a whole input, streamed in windows of tokens so that memory stays
//! bounded however long the log is.
//!
//! The input is cut into pieces: lines, and a line longer than [`MAX_LINE`] bytes
//! into parts that keep its line number. Pieces are normalised and tokenised, and
//! when a window holds [`WINDOW`] fresh tokens (after a whole piece) it is matched;
//! its last tokens (a few times the longest signature) are carried into the next
//! window, so a signature wrapped over lines at a window edge is still found whole;
//! an occurrence is reported by the window in whose fresh part it ends. Each
//! article keeps its best score and the lines where any of its signatures was found
//! (the first [`MAX_LINES`]).
//!
//! A long input is read on the calling thread in chunks of raw bytes
//! ([`super::chunk`]); worker threads tokenise the chunks and match the windows,
//! which the calling thread puts together from the chunks' tokens in input order,
//! so the windows are the same however the chunks fall and whatever the number of
//! threads. Queues are bounded, so memory stays a few chunks and windows.

use super::align::Occurrence;
use super::chunk::{CHUNK, Chunk, Chunker, LineScratch, Tokens, empty_with_room, tokenise};
use super::evidence;
use super::index::SignatureIndex;
use super::scan::Scratch;
use super::spares::Spares;
use super::tokens::tokenize_with;
use super::weights;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Mutex, OnceLock};

pub use super::chunk::MAX_LINE;

/// Tokens matched at a time.
pub const WINDOW: usize = 1 << 16;
/// Most line numbers kept per article (the lowest).
pub const MAX_LINES: usize = 10_000;
/// Most threads matching windows of one input.
pub const MAX_WORKERS: usize = 4;

/// An article found in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleMatch {
    /// Index into `SignatureIndex::articles`.
    pub article: usize,
    /// Best score of any occurrence, 0..=1.
    pub score: f64,
    /// 1-based input lines where a signature was found, ascending.
    pub lines: Vec<u64>,
    /// How many occurrences were found.
    pub occurrences: usize,
    /// The first matched line: its number and text.
    pub excerpt: Option<(u64, String)>,
    /// The signature weight its best occurrence found (ties between equal
    /// scores go to the more specific match).
    pub weight: f64,
    /// The best occurrence: its signature (index into `SignatureIndex::signatures`),
    /// which of its tokens were found, and its first and last input line.
    pub best: Option<Best>,
}

/// The occurrence that gave an article its score, for `--explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Best {
    pub signature: usize,
    pub found: Vec<bool>,
    pub lines: (u64, u64),
}

#[derive(Default, Clone)]
struct Window {
    ids: Vec<u32>,
    weights: Vec<f64>,
    lines: Vec<u64>,
    /// Text of the lines that have tokens in the window, one after the other, and
    /// where each starts: (line number, offset in `text`).
    text: String,
    starts: Vec<(u64, usize)>,
    fresh: usize,
}

/// Buffers handed back for reuse while one input is matched by several threads:
/// chunks' bytes once tokenised, their tokens once in a window, windows once
/// matched.
#[derive(Default)]
struct Pools {
    bytes: Spares<Vec<u8>>,
    tokens: Spares<Tokens>,
    windows: Spares<Window>,
}

/// Matching buffers reused from window to window.
#[derive(Default)]
struct Scan {
    scratch: Scratch,
    out: Vec<(usize, Occurrence)>,
    dp: Vec<f64>,
}

/// Whether (score, weight, first line) `a` beats `b`: a higher score, or as high
/// and more signature weight found, or both as high and earlier in the input (so
/// that the best is the same however the windows are matched).
fn better(a: (f64, f64, u64), b: (f64, f64, u64)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && (a.1 > b.1 || (a.1 == b.1 && a.2 < b.2)))
}

impl Found {
    fn rank(&self) -> (f64, f64, u64) {
        let line = self.best.as_ref().map_or(u64::MAX, |b| b.lines.0);
        (self.score, self.weight, line)
    }
}

#[derive(Default)]
struct Found {
    score: f64,
    weight: f64,
    best: Option<Best>,
    lines: BTreeSet<u64>,
    occurrences: usize,
    excerpt: Option<(u64, String)>,
}

impl Found {
    /// Keeps the lowest `MAX_LINES` line numbers, whatever the order they come in.
    fn insert_line(&mut self, line: u64) {
        self.lines.insert(line);
        if self.lines.len() > MAX_LINES {
            self.lines.pop_last();
        }
    }
}

fn merge_found(into: &mut BTreeMap<usize, Found>, part: BTreeMap<usize, Found>) {
    for (article, p) in part {
        let f = into.entry(article).or_default();
        if better(p.rank(), f.rank()) {
            (f.score, f.weight, f.best) = (p.score, p.weight, p.best);
        }
        f.occurrences += p.occurrences;
        for l in p.lines {
            f.insert_line(l);
        }
        if let Some((l, text)) = p.excerpt
            && f.excerpt.as_ref().is_none_or(|(k, _)| l < *k)
        {
            f.excerpt = Some((l, text));
        }
    }
}

/// How a long input is cut and matched: the defaults, or smaller for tests.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Fresh tokens per window.
    pub window: usize,
    /// Bytes per chunk handed to a tokenising thread.
    pub chunk: usize,
    /// Threads tokenising chunks and matching windows.
    pub workers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window: WINDOW,
            chunk: CHUNK,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS)),
        }
    }
}

/// What a worker thread is handed: a chunk to tokenise or a window to match.
enum Job {
    Tokenise(Chunk),
    Match(Window),
}

/// Tells the reading thread that a worker died, so that it does not wait forever
/// for the chunk the worker held.
struct Poison<'a>(&'a Sender<Option<Tokens>>);

impl Drop for Poison<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send(None);
        }
    }
}

impl SignatureIndex {
    /// Ranks articles for a pasted text, best first.
    pub fn match_text(&self, text: &str) -> Vec<ArticleMatch> {
        self.match_reader(text.as_bytes()).unwrap_or_default()
    }

    /// Ranks articles for everything `input` holds, best first. This thread only
    /// cuts the input into chunks of whole lines and puts their tokens together
    /// into windows; worker threads (one per core, at most [`MAX_WORKERS`])
    /// tokenise the chunks and match the windows. What each finds merges the same
    /// in any order, and the windows are the same however the chunks fall.
    pub fn match_reader(&self, input: impl BufRead) -> io::Result<Vec<ArticleMatch>> {
        self.match_reader_with(input, Limits::default())
    }

    pub(super) fn match_reader_with(
        &self,
        mut input: impl BufRead,
        limits: Limits,
    ) -> io::Result<Vec<ArticleMatch>> {
        let mut chunker = Chunker::new(limits.chunk);
        let first = chunker.next(&mut input)?;
        if limits.workers <= 1 || chunker.at_end() {
            return self.match_here(first, chunker, input, limits);
        }
        let carry = self.carry();
        let anchors = OnceLock::new();
        let (jobs_tx, jobs_rx) = sync_channel::<Job>(limits.workers * 2);
        let (done_tx, done_rx) = channel::<Option<Tokens>>();
        let jobs_rx = Mutex::new(jobs_rx);
        let spares = Pools::default();
        std::thread::scope(|scope| {
            let pool: Vec<_> = (0..limits.workers)
                .map(|_| {
                    let done = done_tx.clone();
                    let (jobs, anchors, spares) = (&jobs_rx, &anchors, &spares);
                    scope.spawn(move || self.worker(jobs, &done, anchors, spares))
                })
                .collect();
            drop(done_tx);
            let mut win = Window::default();
            let send_window = |w: Window| {
                anchors.get_or_init(|| self.anchors_for_input(&w.ids));
                let _ = jobs_tx.send(Job::Match(w));
            };
            let mut feed = Feed {
                chunker,
                first,
                in_flight: limits.workers * 2 + 2,
            };
            let read = feed.run(&mut input, (&jobs_tx, &done_rx), &spares.bytes, |t| {
                win.push(&t, limits.window, carry, &spares.windows, send_window);
                spares.tokens.give(t);
            });
            if read.is_ok() {
                let _ = jobs_tx.send(Job::Match(std::mem::take(&mut win)));
            }
            drop(jobs_tx);
            let mut found = BTreeMap::new();
            for h in pool {
                let part = h
                    .join()
                    .map_err(|_| io::Error::other("a matcher thread failed"))?;
                merge_found(&mut found, part);
            }
            read.map(|()| finish(found))
        })
    }

    /// Everything on this thread: a short input, or a single core.
    fn match_here(
        &self,
        mut chunk: Option<Chunk>,
        mut chunker: Chunker,
        mut input: impl BufRead,
        limits: Limits,
    ) -> io::Result<Vec<ArticleMatch>> {
        let carry = self.carry();
        let (mut found, mut sc) = (BTreeMap::new(), Scan::default());
        let mut lines = LineScratch::default();
        let mut anchors: Option<Vec<Vec<u32>>> = None;
        let (mut win, mut t) = (Window::default(), Tokens::default());
        let windows = Spares::default();
        while let Some(c) = chunk {
            t = tokenise(self, &c, &mut lines, t);
            win.push(&t, limits.window, carry, &windows, |w| {
                let a = anchors.get_or_insert_with(|| self.anchors_for_input(&w.ids));
                self.scan(&w, a, &mut found, &mut sc);
                windows.give(w);
            });
            chunk = chunker.next_into(&mut input, c.bytes)?;
        }
        let a = anchors.as_deref().unwrap_or_else(|| self.default_anchors());
        self.scan(&win, a, &mut found, &mut sc);
        Ok(finish(found))
    }

    fn worker(
        &self,
        jobs: &Mutex<Receiver<Job>>,
        done: &Sender<Option<Tokens>>,
        anchors: &OnceLock<Vec<Vec<u32>>>,
        spares: &Pools,
    ) -> BTreeMap<usize, Found> {
        let _poison = Poison(done);
        let (mut found, mut sc) = (BTreeMap::new(), Scan::default());
        let mut lines = LineScratch::default();
        while let Some(job) = jobs.lock().ok().and_then(|r| r.recv().ok()) {
            match job {
                Job::Tokenise(c) => {
                    let t = tokenise(self, &c, &mut lines, spares.tokens.take());
                    spares.bytes.give(c.bytes);
                    let _ = done.send(Some(t));
                }
                Job::Match(win) => {
                    let a = anchors
                        .get()
                        .map_or_else(|| self.default_anchors(), Vec::as_slice);
                    self.scan(&win, a, &mut found, &mut sc);
                    spares.windows.give(win);
                }
            }
        }
        found
    }

    /// Tokens kept from one window into the next: a few times the longest signature.
    fn carry(&self) -> usize {
        let longest = self.signatures.iter().map(|s| s.ids.len()).max();
        longest.unwrap_or(0) * 4 + 64
    }

    fn scan(
        &self,
        win: &Window,
        anchors: &[Vec<u32>],
        found: &mut BTreeMap<usize, Found>,
        sc: &mut Scan,
    ) {
        let input = (&win.ids[..], &win.weights[..]);
        self.find_all(input, anchors, &mut sc.scratch, &mut sc.out);
        for &(s, occ) in &sc.out {
            if occ.last < win.fresh {
                continue;
            }
            let sig = &self.signatures[s];
            let all = evidence::Input {
                ids: &win.ids,
                weights: &win.weights,
                lines: &win.lines,
                seen: |k| self.input_seen(win.ids[k], win.weights[k]),
            };
            let codes = || win.codes(occ.first, occ.last);
            let Some(ev) = evidence::judge(sig, &self.vocab, &all, &occ, &mut sc.dp, codes) else {
                continue;
            };
            let f = found.entry(sig.article).or_default();
            if better((ev.score, ev.weight, win.lines[occ.first]), f.rank()) {
                (f.score, f.weight) = (ev.score, ev.weight);
                f.best = Some(Best {
                    signature: s,
                    found: ev.found,
                    lines: (win.lines[occ.first], win.lines[occ.last]),
                });
            }
            f.occurrences += 1;
            for &l in &win.lines[occ.first..=occ.last] {
                f.insert_line(l);
            }
            let first = win.lines[occ.first];
            if f.excerpt.as_ref().is_none_or(|(l, _)| first < *l) {
                f.excerpt = Some((first, win.line_text(first)));
            }
        }
    }
}

/// The reading side of a threaded match: chunks out to the workers, their tokens
/// back in input order.
struct Feed {
    chunker: Chunker,
    first: Option<Chunk>,
    /// Most chunks handed out and not yet put into windows.
    in_flight: usize,
}

impl Feed {
    fn run(
        &mut self,
        input: &mut impl BufRead,
        (jobs, done): (&SyncSender<Job>, &Receiver<Option<Tokens>>),
        bytes: &Spares<Vec<u8>>,
        mut take: impl FnMut(Tokens),
    ) -> io::Result<()> {
        let (mut sent, mut next) = (0, 0);
        let mut waiting: BTreeMap<usize, Tokens> = BTreeMap::new();
        loop {
            while sent - next < self.in_flight {
                let chunk = match self.first.take() {
                    Some(c) => c,
                    None => match self.chunker.next_into(input, bytes.take())? {
                        Some(c) => c,
                        None => break,
                    },
                };
                jobs.send(Job::Tokenise(chunk))
                    .map_err(|_| io::Error::other("the matcher threads stopped"))?;
                sent += 1;
            }
            if sent == next {
                return Ok(());
            }
            let t = done
                .recv()
                .ok()
                .flatten()
                .ok_or_else(|| io::Error::other("a matcher thread failed"))?;
            waiting.insert(t.seq, t);
            while let Some(t) = waiting.remove(&next) {
                next += 1;
                take(t);
            }
        }
    }
}

impl Window {
    /// Appends the pieces of `t`; each time the window holds `window` fresh tokens
    /// (after a whole piece, as when it was read line by line), hands it to `full`
    /// and goes on with its last `carry` tokens (in a window taken from `spares`).
    fn push(
        &mut self,
        t: &Tokens,
        window: usize,
        carry: usize,
        spares: &Spares<Window>,
        mut full: impl FnMut(Window),
    ) {
        let mut from = 0;
        for (k, &(line, _, end)) in t.pieces.iter().enumerate() {
            self.ids.extend_from_slice(&t.ids[from..end]);
            self.weights.extend_from_slice(&t.weights[from..end]);
            self.lines.extend_from_slice(&t.lines[from..end]);
            self.starts.push((line, self.text.len()));
            self.text.push_str(t.piece_text(k));
            from = end;
            if self.ids.len() - self.fresh >= window {
                let tail = self.tail(carry, window, spares.take());
                full(std::mem::replace(self, tail));
            }
        }
    }

    /// A window starting with the last `carry` tokens of this one, in `into` (a
    /// spare), with room for `window` more (and as much text as this one had room
    /// for), so that filling it does not grow and copy its buffers.
    fn tail(&self, carry: usize, window: usize, mut into: Window) -> Window {
        let drop = self.ids.len().saturating_sub(carry);
        let keep_from = self.lines.get(drop).copied().unwrap_or(u64::MAX);
        let k = self.starts.partition_point(|&(l, _)| l < keep_from);
        let cut = self.starts.get(k).map_or(self.text.len(), |&(_, at)| at);
        let room = self.ids.len() - drop + window + window / 8;
        refill(&mut into.ids, &self.ids[drop..], room);
        refill(&mut into.weights, &self.weights[drop..], room);
        refill(&mut into.lines, &self.lines[drop..], room);
        into.text.clear();
        into.text.reserve(self.text.capacity());
        into.text.push_str(&self.text[cut..]);
        into.starts.clear();
        into.starts
            .extend(self.starts[k..].iter().map(|&(l, at)| (l, at - cut)));
        into.fresh = self.ids.len() - drop;
        into
    }

    /// The tokens of the input lines of tokens `first..=last` that may be codes
    /// (not framing), for [`evidence::judge`].
    fn codes(&self, first: usize, last: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = Vec::new();
        for line in self.lines[first]..=self.lines[last] {
            let mut norm = super::normalise::normalise(&self.line_text(line));
            super::spelling::join_prefixes(&mut norm);
            tokenize_with(&norm, false, &mut chars, |t| {
                if !weights::is_stopword(t) {
                    out.push(t.to_string());
                }
            });
        }
        out
    }

    /// The text of line `line` (all its pieces when it was cut).
    fn line_text(&self, line: u64) -> String {
        let k = self.starts.partition_point(|&(l, _)| l < line);
        let end_k = self.starts.partition_point(|&(l, _)| l <= line);
        let start = self.starts.get(k).map_or(self.text.len(), |&(_, at)| at);
        let end = self
            .starts
            .get(end_k)
            .map_or(self.text.len(), |&(_, at)| at);
        self.text[start..end].to_string()
    }
}

/// Makes `v` a copy of `items`, with room for `room` in all.
fn refill<T: Copy>(v: &mut Vec<T>, items: &[T], room: usize) {
    empty_with_room(v, room.max(items.len()));
    v.extend_from_slice(items);
}

fn finish(found: BTreeMap<usize, Found>) -> Vec<ArticleMatch> {
    let mut out: Vec<ArticleMatch> = found
        .into_iter()
        .map(|(article, f)| ArticleMatch {
            article,
            score: f.score,
            lines: f.lines.into_iter().collect(),
            occurrences: f.occurrences,
            excerpt: f.excerpt,
            weight: f.weight,
            best: f.best,
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.weight.total_cmp(&a.weight))
            .then(a.article.cmp(&b.article))
    });
    out
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
