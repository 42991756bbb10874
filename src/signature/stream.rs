//! Matching a whole input, streamed in windows of tokens so that memory stays
//! bounded however long the log is.
//!
//! Lines are read one at a time (a line longer than [`MAX_LINE`] bytes is cut into
//! pieces that keep its line number), normalised and tokenised. When a window holds
//! [`WINDOW`] tokens it is matched, then its last tokens (a few times the longest
//! signature) are carried into the next window, so a signature wrapped over lines
//! at a window edge is still found whole; an occurrence is reported by the window in
//! whose fresh part it ends. Each article keeps its best score and the lines where
//! any of its signatures was found (the first [`MAX_LINES`]). Windows of a long
//! input are matched on worker threads while the next are read (a bounded queue,
//! so memory stays a few windows); their findings merge the same in any order.

use super::align::Occurrence;
use super::index::SignatureIndex;
use super::normalise::normalise;
use super::scan::Scratch;
use super::tokens::tokenize_with;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, sync_channel};

/// Tokens matched at a time.
pub const WINDOW: usize = 1 << 16;
/// Longest piece of a line read at once.
pub const MAX_LINE: usize = 1 << 20;
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

/// Matching buffers reused from window to window.
#[derive(Default)]
struct Scan {
    scratch: Scratch,
    out: Vec<(usize, Occurrence)>,
}

#[derive(Default)]
struct Found {
    score: f64,
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
        f.score = f.score.max(p.score);
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

/// Reads lines into windows of tokens.
#[derive(Default)]
struct Reader {
    buf: Vec<u8>,
    chars: Vec<char>,
    line_no: u64,
}

impl Reader {
    /// Reads until `win` holds `WINDOW` fresh tokens (`true`) or the input ends.
    fn fill(
        &mut self,
        index: &SignatureIndex,
        input: &mut impl BufRead,
        win: &mut Window,
    ) -> io::Result<bool> {
        while let Some(ended) = read_piece(input, &mut self.buf)? {
            let line_no = self.line_no + 1;
            let line = String::from_utf8_lossy(&self.buf);
            let line = line.trim_end_matches(['\n', '\r']);
            let before = win.ids.len();
            tokenize_with(&normalise(line), false, &mut self.chars, |t| {
                let (id, w) = index.input_token(t);
                win.ids.push(id);
                win.weights.push(w);
                win.lines.push(line_no);
            });
            if win.ids.len() > before {
                win.starts.push((line_no, win.text.len()));
                win.text.push_str(line);
            }
            if ended {
                self.line_no += 1;
            }
            if win.ids.len() - win.fresh >= WINDOW {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl SignatureIndex {
    /// Ranks articles for a pasted text, best first.
    pub fn match_text(&self, text: &str) -> Vec<ArticleMatch> {
        self.match_reader(text.as_bytes()).unwrap_or_default()
    }

    /// Ranks articles for everything `input` holds, best first. A long input is
    /// read on this thread and its windows matched on the others (one per core,
    /// at most [`MAX_WORKERS`]); what each finds merges the same in any order.
    pub fn match_reader(&self, mut input: impl BufRead) -> io::Result<Vec<ArticleMatch>> {
        let mut rd = Reader::default();
        let mut win = Window::default();
        if !rd.fill(self, &mut input, &mut win)? {
            let mut found = BTreeMap::new();
            self.scan(
                &win,
                self.default_anchors(),
                &mut found,
                &mut Scan::default(),
            );
            return Ok(finish(found));
        }
        let anchors = self.anchors_for_input(&win.ids);
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS));
        let carry = self.longest() * 4 + 64;
        let (tx, rx) = sync_channel::<Window>(workers);
        let rx = Mutex::new(rx);
        std::thread::scope(|scope| {
            let pool: Vec<_> = (0..workers)
                .map(|_| scope.spawn(|| self.worker(&rx, &anchors)))
                .collect();
            // `win` is full here: hand a copy over, keep its tail, read on
            let read = (|| loop {
                let next = win.clone();
                win.shift(carry);
                if tx.send(next).is_err() || !rd.fill(self, &mut input, &mut win)? {
                    return io::Result::Ok(());
                }
            })();
            let _ = tx.send(std::mem::take(&mut win));
            drop(tx);
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

    fn worker(&self, rx: &Mutex<Receiver<Window>>, anchors: &[Vec<u32>]) -> BTreeMap<usize, Found> {
        let (mut found, mut sc) = (BTreeMap::new(), Scan::default());
        while let Some(win) = rx.lock().ok().and_then(|r| r.recv().ok()) {
            self.scan(&win, anchors, &mut found, &mut sc);
        }
        found
    }

    fn longest(&self) -> usize {
        self.signatures
            .iter()
            .map(|s| s.ids.len())
            .max()
            .unwrap_or(0)
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
            let f = found.entry(self.signatures[s].article).or_default();
            f.score = f.score.max(occ.score);
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

impl Window {
    /// Keeps the last `carry` tokens as the start of the next window.
    fn shift(&mut self, carry: usize) {
        let drop = self.ids.len().saturating_sub(carry);
        self.ids.drain(..drop);
        self.weights.drain(..drop);
        self.lines.drain(..drop);
        let keep_from = self.lines.first().copied().unwrap_or(u64::MAX);
        let k = self.starts.partition_point(|&(l, _)| l < keep_from);
        let cut = self.starts.get(k).map_or(self.text.len(), |&(_, at)| at);
        self.text.drain(..cut);
        self.starts.drain(..k);
        for s in &mut self.starts {
            s.1 -= cut;
        }
        self.fresh = self.ids.len();
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

fn finish(found: BTreeMap<usize, Found>) -> Vec<ArticleMatch> {
    let mut out: Vec<ArticleMatch> = found
        .into_iter()
        .map(|(article, f)| ArticleMatch {
            article,
            score: f.score,
            lines: f.lines.into_iter().collect(),
            occurrences: f.occurrences,
            excerpt: f.excerpt,
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.article.cmp(&b.article)));
    out
}

/// Reads one line (or a `MAX_LINE` piece of one) into `buf`; `Some(true)` when it
/// ended with a newline, `None` at the end of the input.
fn read_piece(input: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
    buf.clear();
    loop {
        let avail = match input.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((!buf.is_empty()).then_some(true));
        }
        let room = MAX_LINE - buf.len();
        let take = avail.len().min(room);
        if let Some(nl) = avail[..take].iter().position(|&b| b == b'\n') {
            buf.extend_from_slice(&avail[..=nl]);
            input.consume(nl + 1);
            return Ok(Some(true));
        }
        buf.extend_from_slice(&avail[..take]);
        input.consume(take);
        if buf.len() >= MAX_LINE {
            return Ok(Some(false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ErrorText, Kb};

    fn article(id: &str, error: &str) -> Article {
        Article {
            errors: vec![ErrorText {
                text: error.into(),
                line: 1,
            }],
            ..Article::sample(id)
        }
    }

    const FRAME: &str = "Automatic profile push of user <first> <last> to app Google Workspace failed: \
        errorCode=UniquenessViolation errorMessage=\"{}\" request-id=<id>";

    /// Regression: a long log whose every line is a near miss of the signatures
    /// (same framing, another message) must still name the article of the one
    /// real error, on its lines only, in whichever window it falls.
    #[test]
    fn long_log_of_near_misses_reports_the_right_article_and_lines() {
        let messages = [
            "Failed to unlock the specified distribution list before the token expired",
            "Unable to delete the specified OU filter before the token expired",
            "Could not rotate the signing certificate while the tenant was locked",
        ];
        let kb = Kb {
            articles: (0..3)
                .map(|k| article(&format!("a{k}"), &FRAME.replace("{}", messages[k])))
                .collect(),
        };
        let index = SignatureIndex::build(&kb);
        let near = FRAME.replace(
            "{}",
            "Failed to unlock the specified OU list for the tenant",
        );
        let real = FRAME.replace("{}", messages[2]);
        let mut log = String::new();
        let hit_lines = [7_000u64, 9_001];
        for n in 1..=12_000u64 {
            let line = if hit_lines.contains(&n) { &real } else { &near };
            log.push_str(&format!("2026-03-04T00:51:26.121Z ERROR [{n}] "));
            log.push_str(&line.replace("<first>", "Kofi").replace("<last>", "Tanaka"));
            log.push('\n');
        }
        let found = index.match_text(&log);
        let ids: Vec<&str> = found
            .iter()
            .map(|m| index.articles[m.article].id.as_str())
            .collect();
        assert_eq!(ids, ["a2"], "{:?}", found);
        assert_eq!(found[0].lines, hit_lines);
        assert_eq!(found[0].occurrences, 2);
    }
}
