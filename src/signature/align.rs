//! The alignment of one signature against a stretch of input tokens, and its score.
//!
//! A local alignment (Smith–Waterman style) in one pass over the input, keeping one
//! column of `m + 1` cells (row `j`: the signature's first `j` tokens): a signature
//! token matches an equal input token and adds its weight; a signature token may be
//! skipped for free (partial pastes); an input token the signature does not explain
//! costs [`GAP`] × its weight (so a match stays local); a wildcard absorbs up to
//! [`WILDCARD_MAX`] input tokens for free. Each alignment is then scored on both
//! sides: `R` = the signature weight it found / the signature's whole weight, `P` =
//! the input weight it explains (matched or absorbed by a wildcard) / the weight of
//! the input stretch from its first to its last matched token; `score = R × P`, kept
//! when at least [`THRESHOLD`] and when it found more weight than the signature's
//! framing and masks weigh (framing alone never makes an occurrence, so every
//! occurrence holds an anchor, [`super::index::anchors_of`]). Several disjoint occurrences are reported in order.
//! The alignment runs only over the regions of input that [`super::scan`] found
//! worth it (around anchor hits); each region starts from empty cells, with one
//! reused pair of columns ([`Columns`]).
//!
//! Down a column the score never falls (skipping a signature token is free), so a
//! column is stored sparse, as the rows where it rises; the others copy the row
//! above. A row can only rise where it rose in the previous column, at a wildcard, or
//! at a signature token equal to the input token, so a column costs those rows, not
//! `m`, and an all-zero column followed by a token the signature lacks costs one hash
//! probe. The cells, and so the occurrences and their tie-breaking, are exactly
//! those of the dense DP, which the unit tests keep as the reference.

/// Vocabulary id of a wildcard in a signature.
pub const WILD: u32 = u32::MAX;
/// Vocabulary id of an input token no signature contains.
pub const UNKNOWN: u32 = u32::MAX - 1;
/// Cost of an unexplained input token, as a fraction of its weight.
pub const GAP: f64 = 0.5;
/// How many input tokens one wildcard may absorb.
pub const WILDCARD_MAX: u32 = 16;
/// Lowest score that counts as a match.
pub const THRESHOLD: f64 = 0.5;
/// Tokens after an alignment's last match before it is reported.
const STALE: u32 = 24;
/// Tokens before the first and after the last content hit that a region also holds
/// (framing that the alignment may match).
pub const PAD: usize = 8;

/// One signature's tokens (vocabulary ids, `WILD`) and weights.
#[derive(Debug, Clone, Copy)]
pub struct SigView<'a> {
    pub ids: &'a [u32],
    pub weights: &'a [f64],
    pub total: f64,
    /// Weight of its framing and masks: an occurrence must find more than that.
    pub free: f64,
}

/// A place where a signature was found: input token positions and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occurrence {
    pub first: usize,
    pub last: usize,
    pub score: f64,
}

/// The value of one DP cell, and its row (1-based signature position) where it is
/// stored in a sparse column. `h`: alignment score so far; `mw`: signature weight
/// matched; `ew`/`ewl`: input weight explained (so far / up to the last match);
/// `first`/`last`: input positions of the first and last match; `wl`: tokens the
/// wildcard of this row has absorbed.
#[derive(Debug, Clone, Copy)]
struct Cell {
    h: f64,
    mw: f64,
    ew: f64,
    ewl: f64,
    first: u32,
    last: u32,
    wl: u32,
    row: u32,
}

const ZERO: Cell = Cell {
    h: 0.0,
    mw: 0.0,
    ew: 0.0,
    ewl: 0.0,
    first: NONE,
    last: NONE,
    wl: 0,
    row: 0,
};

/// Reused buffers, so aligning allocates nothing once warm: the previous and the
/// current sparse column, and the signature's rows by token.
#[derive(Debug, Default)]
pub struct Columns {
    prev: Vec<Cell>,
    cur: Vec<Cell>,
    rows: RowIndex,
}

/// Every occurrence of `sig` in `ids`/`weights` (input tokens) inside the inclusive
/// `regions` (ascending, disjoint), appended to `out` in input order. `prefix[k]` is
/// the sum of input weights before position `k`. Positions past `u32::MAX - 1` are
/// not looked at.
pub fn find(
    sig: SigView,
    input: (&[u32], &[f64], &[f64]),
    regions: &[(usize, usize)],
    cols: &mut Columns,
    out: &mut Vec<Occurrence>,
) {
    if regions.is_empty() {
        return;
    }
    cols.rows.build(sig.ids);
    for &(lo, hi) in regions {
        let hi = hi.min(MAX_POS);
        if lo <= hi {
            run(sig, input, (lo as u32, hi as u32), cols, out);
        }
    }
}

/// Highest input position an alignment looks at (`NONE` stays free).
const MAX_POS: usize = u32::MAX as usize - 1;
const NONE: u32 = u32::MAX;

/// The rows of a signature where an input token may rise: those holding the token,
/// and the wildcards, by vocabulary id in an open-addressing hash table (most input
/// tokens are in no signature, and are ruled out in one probe).
#[derive(Debug, Default)]
struct RowIndex {
    /// Per distinct token, its rows and the wildcards', ascending, one after the other.
    rows: Vec<u32>,
    /// The wildcards' rows alone, ascending.
    wild: Vec<u32>,
    /// (id, `NONE` when free; where its rows are in `rows`).
    slots: Vec<(u32, u32, u32)>,
    shift: u32,
    /// The slots in use, and each row's (`NONE` for a wildcard), while building.
    used: Vec<u32>,
    row_slot: Vec<u32>,
}

impl RowIndex {
    /// Indexes the signature `ids` (rows are 1-based) in time linear in its length
    /// and its wildcards × distinct tokens.
    fn build(&mut self, ids: &[u32]) {
        // at most a quarter full, so that an absent token mostly ends on its first probe
        let bits = (4 * ids.len()).max(4).next_power_of_two().trailing_zeros();
        self.shift = 32 - bits;
        self.slots.clear();
        self.slots.resize(1 << bits, (NONE, 0, 0));
        self.wild.clear();
        self.used.clear();
        self.row_slot.clear();
        for (j, &s) in (1..).zip(ids) {
            if s == WILD {
                self.wild.push(j);
                self.row_slot.push(NONE);
            } else {
                let k = self.slot(s);
                if self.slots[k].0 == NONE {
                    self.slots[k].0 = s;
                    self.used.push(k as u32);
                }
                self.slots[k].2 += 1;
                self.row_slot.push(k as u32);
            }
        }
        // each token's rows and the wildcards' go to `from..`; `.2` is where the next goes
        let mut from = 0;
        for &k in &self.used {
            let slot = &mut self.slots[k as usize];
            let n = slot.2 + self.wild.len() as u32;
            *slot = (slot.0, from, from);
            from += n;
        }
        self.rows.clear();
        self.rows.resize(from as usize, 0);
        for (j, &k) in (1..).zip(&self.row_slot) {
            let to = if k == NONE { &self.used[..] } else { &[k][..] };
            for &k in to {
                let slot = &mut self.slots[k as usize];
                self.rows[slot.2 as usize] = j;
                slot.2 += 1;
            }
        }
    }

    /// The slot of `id`, or the free one where it goes.
    fn slot(&self, id: u32) -> usize {
        let mut k = (id.wrapping_mul(0x9e37_79b9) >> self.shift) as usize;
        while self.slots[k].0 != id && self.slots[k].0 != NONE {
            k = (k + 1) & (self.slots.len() - 1);
        }
        k
    }

    /// The rows (ascending) where input token `x` may rise: `None` when the
    /// signature does not hold it (then only at its wildcards, `self.wild`).
    fn of(&self, x: u32) -> Option<&[u32]> {
        match self.slots[self.slot(x)] {
            (NONE, ..) => None,
            (_, from, to) => Some(&self.rows[from as usize..to as usize]),
        }
    }
}

/// The best alignment not reported yet, and what was reported before.
struct Track<'a> {
    sig: SigView<'a>,
    prefix: &'a [f64],
    out: &'a mut Vec<Occurrence>,
    best: Option<Cell>,
    /// The best alignment that starts after `best` ends.
    next: Option<Cell>,
    /// Last token of the alignment reported before.
    floor: u32,
    /// Last token of the last one that scored, so that its continuations are not
    /// reported again.
    reported: u32,
}

impl Track<'_> {
    /// Takes one new cell of the current column into account (rows in order).
    fn see(&mut self, c: &Cell) {
        if c.last == NONE || (self.floor != NONE && c.last <= self.floor) {
            return;
        }
        match self.best {
            // a later alignment ends the best only once it outscores it; until then
            // it waits as `next` (the best may still grow, as when the signature
            // repeats a word that also starts a fresh alignment)
            Some(b) if c.first > b.last => {
                if c.h > b.h {
                    self.emit(b);
                    (self.best, self.next) = (Some(*c), None);
                } else if self.next.is_none_or(|n| c.h > n.h) {
                    self.next = Some(*c);
                }
            }
            Some(b) if c.h <= b.h => {}
            _ => {
                self.best = Some(*c);
                self.next = self.next.filter(|n| n.first > c.last);
            }
        }
    }

    /// Reports the best alignment if its last match is `STALE` tokens before `i`;
    /// the one waiting after it takes its place.
    fn stale(&mut self, i: u32) {
        if let Some(b) = self.best.filter(|b| i - b.last >= STALE) {
            self.emit(b);
            self.best = self.next.take();
            if let Some(n) = self.best.filter(|n| i - n.last >= STALE) {
                self.emit(n);
                self.best = None;
            }
        }
    }

    /// Reports what is left at the end of a region.
    fn finish(&mut self) {
        if let Some(b) = self.best.take() {
            self.emit(b);
        }
        if let Some(n) = self.next.take() {
            self.emit(n);
        }
    }

    fn emit(&mut self, c: Cell) {
        self.floor = c.last;
        if self.reported != NONE && c.first <= self.reported {
            return;
        }
        let stretch = self.prefix[c.last as usize + 1] - self.prefix[c.first as usize];
        let r = c.mw / self.sig.total;
        let p = if stretch > 0.0 {
            (c.ewl / stretch).min(1.0)
        } else {
            1.0
        };
        let score = r * p;
        if score >= THRESHOLD && c.mw > self.sig.free {
            self.reported = c.last;
            self.out.push(Occurrence {
                first: c.first as usize,
                last: c.last as usize,
                score,
            });
        }
    }
}

fn run(
    sig: SigView,
    (ids, weights, prefix): (&[u32], &[f64], &[f64]),
    (lo, hi): (u32, u32),
    cols: &mut Columns,
    out: &mut Vec<Occurrence>,
) {
    let Columns { prev, cur, rows } = cols;
    prev.clear();
    let mut t = Track {
        sig,
        prefix,
        out,
        best: None,
        next: None,
        floor: NONE,
        reported: NONE,
    };
    for i in lo..=hi {
        let (x, v) = (ids[i as usize], weights[i as usize]);
        // a token the signature does not hold after an all-zero column leaves it zero
        let (rising, held) = rows.of(x).map_or((&rows.wild[..], false), |r| (r, true));
        if held || !prev.is_empty() {
            column(sig, (x, v, i), prev, cur, rising, &mut t);
            std::mem::swap(prev, cur);
        }
        t.stale(i);
    }
    t.finish();
}

/// One DP column for input token `x` (weight `v`) at position `i`, from the previous
/// one. A column is kept sparse: the cells that differ from the one above them
/// (`h` rises strictly there; every other cell copies the one above with `wl = 0`,
/// and a copy changes nothing in [`Track::see`]). Such a cell can only be at a row
/// that was one in the previous column (where only the gap applies, unless it is in
/// `rising`), or in `rising` (a wildcard or a signature token equal to `x`), so
/// only those rows are computed, in order.
fn column(
    sig: SigView,
    (x, v, i): (u32, f64, u32),
    prev: &[Cell],
    cur: &mut Vec<Cell>,
    rising: &[u32],
    t: &mut Track,
) {
    cur.clear();
    let g = GAP * v;
    let mut a = 0;
    for &j in rising {
        while a < prev.len() && prev[a].row < j {
            gap(prev[a], g, cur, t);
            a += 1;
        }
        // the previous column at rows j - 1 (d; its `wl` is never used) and j (p)
        let d = a.checked_sub(1).map_or(ZERO, |k| prev[k]);
        let p = if a < prev.len() && prev[a].row == j {
            a += 1;
            prev[a - 1]
        } else {
            Cell { wl: 0, ..d }
        };
        let up = cur.last().map_or(ZERO, |c| Cell { wl: 0, ..*c });
        let mut best = cell(sig, (x, v, g, i), j, (up, p, d));
        if best.h > up.h {
            best.row = j;
            t.see(&best);
            cur.push(best);
        }
    }
    for &e in &prev[a..] {
        gap(e, g, cur, t);
    }
}

/// The cell at the row of `e`, a rising cell of the previous column, when the
/// signature's token there is neither a wildcard nor the input token: `e` less the
/// gap, if that rises above the cell above.
#[inline]
fn gap(e: Cell, g: f64, cur: &mut Vec<Cell>, t: &mut Track) {
    let h = e.h - g;
    if h > cur.last().map_or(0.0, |c| c.h) {
        let c = Cell { h, ..e };
        t.see(&c);
        cur.push(c);
    }
}

/// One cell at row `j`, from the cell above it (`up`, `wl = 0`), the previous
/// column's cell at its row (`p`) and above (`d`).
#[inline]
fn cell(
    sig: SigView,
    (x, v, g, i): (u32, f64, f64, u32),
    j: u32,
    (up, p, d): (Cell, Cell, Cell),
) -> Cell {
    let mut best = up;
    if p.h > 0.0 && p.h - g > best.h {
        best = Cell { h: p.h - g, ..p };
    }
    let s = sig.ids[j as usize - 1];
    if s == WILD {
        if p.h > 0.0 && p.wl < WILDCARD_MAX && p.h > best.h {
            best = Cell {
                ew: p.ew + v,
                wl: p.wl + 1,
                ..p
            };
        }
        if d.h > 0.0 && d.h > best.h {
            best = Cell {
                ew: d.ew + v,
                wl: 1,
                ..d
            };
        }
    } else if s == x {
        let w = sig.weights[j as usize - 1];
        if d.h + w > best.h {
            let ew = d.ew + v;
            let first = if d.first == NONE { i } else { d.first };
            best = Cell {
                h: d.h + w,
                mw: d.mw + w,
                ew,
                ewl: ew,
                first,
                last: i,
                wl: 0,
                row: j,
            };
        }
    }
    best
}

#[cfg(test)]
#[path = "align_tests.rs"]
mod tests;
