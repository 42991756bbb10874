//! The input cut into chunks of raw bytes at piece boundaries (cheap enough for the
//! reading thread: it only looks for the last newline and counts newlines), and a
//! chunk cut into pieces and tokenised (on a worker thread).
//!
//! A piece is a line, or a [`MAX_LINE`]-byte part of a longer one, which keeps the
//! line's number. A piece boundary follows every newline, and a line without one
//! is cut every `MAX_LINE` bytes from its start, so a chunk that starts at a piece
//! boundary is cut into the same pieces wherever the chunk ends.

use super::index::SignatureIndex;
use super::normalise::normalise_into;
use super::tokens::tokenize_with;
use std::borrow::Cow;
use std::io::{self, BufRead};

/// Longest piece of a line tokenised at once.
pub const MAX_LINE: usize = 1 << 20;
/// Bytes the reader hands over at a time (a chunk is cut at the last piece
/// boundary after this many).
pub const CHUNK: usize = 1 << 18;

/// Raw bytes of whole pieces, in input order.
pub(super) struct Chunk {
    pub seq: usize,
    /// The 1-based line number of its first piece.
    pub first_line: u64,
    pub bytes: Vec<u8>,
}

/// Cuts an input into [`Chunk`]s of about `size` bytes.
pub(super) struct Chunker {
    buf: Vec<u8>,
    size: usize,
    next_line: u64,
    seq: usize,
    eof: bool,
}

impl Chunker {
    pub fn new(size: usize) -> Self {
        Chunker {
            buf: Vec::new(),
            size: size.max(1),
            next_line: 1,
            seq: 0,
            eof: false,
        }
    }

    /// Whether the input has been read to its end (what is left is the last chunk).
    pub fn at_end(&self) -> bool {
        self.eof
    }

    /// The next chunk, `None` at the end of the input.
    pub fn next(&mut self, input: &mut impl BufRead) -> io::Result<Option<Chunk>> {
        self.next_into(input, Vec::new())
    }

    /// [`Chunker::next`], reading on into `spare` (a buffer given back by a chunk
    /// already tokenised: emptied here, its room kept).
    pub fn next_into(
        &mut self,
        input: &mut impl BufRead,
        mut spare: Vec<u8>,
    ) -> io::Result<Option<Chunk>> {
        let cut = loop {
            if self.eof {
                break self.buf.len();
            }
            if self.buf.len() >= self.size
                && let Some(cut) = cut_point(&self.buf)
            {
                break cut;
            }
            self.read_more(input)?;
        };
        if cut == 0 {
            return Ok(None);
        }
        empty_with_room(&mut spare, self.size);
        spare.extend_from_slice(&self.buf[cut..]);
        self.buf.truncate(cut);
        let bytes = std::mem::replace(&mut self.buf, spare);
        let first_line = self.next_line;
        self.next_line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        self.seq += 1;
        Ok(Some(Chunk {
            seq: self.seq - 1,
            first_line,
            bytes,
        }))
    }

    fn read_more(&mut self, input: &mut impl BufRead) -> io::Result<()> {
        let avail = match input.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            self.eof = true;
            return Ok(());
        }
        let n = avail.len();
        self.buf.extend_from_slice(avail);
        input.consume(n);
        Ok(())
    }
}

/// The last piece boundary in `buf` (which starts at one), if it has one inside.
fn cut_point(buf: &[u8]) -> Option<usize> {
    match buf.iter().rposition(|&b| b == b'\n') {
        Some(nl) => Some(nl + 1),
        None => (buf.len() >= MAX_LINE).then_some(MAX_LINE),
    }
}

/// The tokens of a chunk, with their lines, and the text of its pieces that have
/// tokens.
#[derive(Default)]
pub(super) struct Tokens {
    pub seq: usize,
    pub ids: Vec<u32>,
    pub weights: Vec<f64>,
    pub lines: Vec<u64>,
    pub text: String,
    /// Per piece with tokens: its line number, where its text starts in `text`,
    /// and where its tokens end in `ids`.
    pub pieces: Vec<(u64, usize, usize)>,
}

impl Tokens {
    /// The text of piece `k`.
    pub fn piece_text(&self, k: usize) -> &str {
        let end = self.pieces.get(k + 1).map_or(self.text.len(), |p| p.1);
        &self.text[self.pieces[k].1..end]
    }
}

/// Buffers a tokenising thread reuses from line to line.
#[derive(Default)]
pub(super) struct LineScratch {
    norm: String,
    chars: Vec<char>,
}

/// Cuts `chunk` into pieces, normalises and tokenises each, into `t` (a spare:
/// emptied here, its room kept).
pub(super) fn tokenise(
    index: &SignatureIndex,
    chunk: &Chunk,
    sc: &mut LineScratch,
    mut t: Tokens,
) -> Tokens {
    let bytes = &chunk.bytes;
    // room for a token every few bytes, so the buffers rarely grow (and copy)
    let room = bytes.len() / 4;
    t.seq = chunk.seq;
    empty_with_room(&mut t.ids, room);
    empty_with_room(&mut t.weights, room);
    empty_with_room(&mut t.lines, room);
    t.text.clear();
    t.text.reserve(bytes.len());
    t.pieces.clear();
    // valid as a whole (the usual case), a piece cut at char boundaries is valid
    let whole = std::str::from_utf8(bytes).ok();
    let mut line_no = chunk.first_line;
    let mut at = 0;
    while at < bytes.len() {
        let limit = bytes.len().min(at + MAX_LINE);
        let (end, ended) = match bytes[at..limit].iter().position(|&b| b == b'\n') {
            Some(nl) => (at + nl + 1, true),
            None => (limit, limit - at < MAX_LINE),
        };
        let line = match whole.and_then(|w| w.get(at..end)) {
            Some(valid) => Cow::Borrowed(valid),
            None => String::from_utf8_lossy(&bytes[at..end]),
        };
        let line = line.trim_end_matches(['\n', '\r']);
        normalise_into(line, &mut sc.norm);
        super::spelling::join_prefixes(&mut sc.norm);
        let before = t.ids.len();
        tokenize_with(&sc.norm, false, &mut sc.chars, |tok| {
            let (id, w) = index.input_token(tok);
            t.ids.push(id);
            t.weights.push(w);
            t.lines.push(line_no);
        });
        if t.ids.len() > before {
            t.pieces.push((line_no, t.text.len(), t.ids.len()));
            t.text.push_str(line);
        }
        if ended {
            line_no += 1;
        }
        at = end;
    }
    t
}

/// Empties `v`, keeping room for at least `room` items.
pub(super) fn empty_with_room<T>(v: &mut Vec<T>, room: usize) {
    v.clear();
    v.reserve(room);
}
