//! The alignment of one signature against a stretch of input tokens, and its score.
//!
//! A local alignment (Smith–Waterman style) in one pass over the input, keeping one
//! column of `m + 1` cells: a signature token matches an equal input token and adds
//! its weight; a signature token may be skipped for free (partial pastes); an input
//! token the signature does not explain costs [`GAP`] × its weight (so a match stays
//! local); a wildcard absorbs up to [`WILDCARD_MAX`] input tokens for free. Each
//! alignment is then scored on both sides: `R` = the signature weight it found / the
//! signature's whole weight, `P` = the input weight it explains (matched or absorbed by
//! a wildcard) / the weight of the input stretch from its first to its last matched
//! token; `score = R × P`, kept when at least [`THRESHOLD`]. Several disjoint
//! occurrences are reported in order. The alignment runs only over the regions of
//! input that [`super::scan`] found worth it (around anchor hits); each region starts
//! from empty cells, with one reused pair of columns ([`Columns`]).

/// Vocabulary id of a wildcard in a signature.
pub const WILD: u32 = u32::MAX;
/// Vocabulary id of an input token no signature contains.
pub const UNKNOWN: u32 = u32::MAX - 1;
/// Cost of an unexplained input token, as a fraction of its weight.
pub const GAP: f64 = 0.5;
/// How many input tokens one wildcard may absorb.
pub const WILDCARD_MAX: u32 = 8;
/// Lowest score that counts as a match.
pub const THRESHOLD: f64 = 0.5;
/// Tokens after an alignment's last match before it is reported.
const STALE: usize = 24;
/// Tokens before the first and after the last content hit that a region also holds
/// (framing that the alignment may match).
pub const PAD: usize = 8;
const NONE: usize = usize::MAX;

/// One signature's tokens (vocabulary ids, `WILD`) and weights.
#[derive(Debug, Clone, Copy)]
pub struct SigView<'a> {
    pub ids: &'a [u32],
    pub weights: &'a [f64],
    pub total: f64,
}

/// A place where a signature was found: input token positions and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occurrence {
    pub first: usize,
    pub last: usize,
    pub score: f64,
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    h: f64,
    mw: f64,
    ew: f64,
    ewl: f64,
    first: usize,
    last: usize,
    wl: u32,
}

const ZERO: Cell = Cell {
    h: 0.0,
    mw: 0.0,
    ew: 0.0,
    ewl: 0.0,
    first: NONE,
    last: NONE,
    wl: 0,
};

/// Reused DP columns, so aligning allocates nothing once warm.
#[derive(Debug, Default)]
pub struct Columns {
    prev: Vec<Cell>,
    cur: Vec<Cell>,
}

/// Every occurrence of `sig` in `ids`/`weights` (input tokens) inside the inclusive
/// `regions` (ascending, disjoint), appended to `out` in input order. `prefix[k]` is
/// the sum of input weights before position `k`.
pub fn find(
    sig: SigView,
    input: (&[u32], &[f64], &[f64]),
    regions: &[(usize, usize)],
    cols: &mut Columns,
    out: &mut Vec<Occurrence>,
) {
    for &region in regions {
        run(sig, input, region, cols, out);
    }
}

fn run(
    sig: SigView,
    (ids, weights, prefix): (&[u32], &[f64], &[f64]),
    (lo, hi): (usize, usize),
    cols: &mut Columns,
    out: &mut Vec<Occurrence>,
) {
    let m = sig.ids.len();
    let Columns { prev, cur } = cols;
    prev.clear();
    prev.resize(m + 1, ZERO);
    cur.clear();
    cur.resize(m + 1, ZERO);
    let mut best: Option<Cell> = None;
    // `floor`: last token of the alignment reported before; `reported`: of the last
    // one that scored, so that its continuations are not reported again.
    let mut floor = NONE;
    let mut reported = NONE;
    for i in lo..=hi {
        column(sig, ids[i], weights[i], i, prev, cur);
        for c in &cur[1..] {
            if c.last == NONE || (floor != NONE && c.last <= floor) {
                continue;
            }
            match best {
                Some(b) if c.first > b.last => {
                    emit(sig, prefix, b, &mut reported, out);
                    floor = b.last;
                    best = Some(*c);
                }
                Some(b) if c.h <= b.h => {}
                _ => best = Some(*c),
            }
        }
        if let Some(b) = best.filter(|b| i - b.last >= STALE) {
            emit(sig, prefix, b, &mut reported, out);
            floor = b.last;
            best = None;
        }
        std::mem::swap(prev, cur);
    }
    if let Some(b) = best {
        emit(sig, prefix, b, &mut reported, out);
    }
}

/// One DP column for input token `x` (weight `v`) at position `i`.
fn column(sig: SigView, x: u32, v: f64, i: usize, prev: &[Cell], cur: &mut [Cell]) {
    cur[0] = ZERO;
    for j in 1..prev.len() {
        let mut best = cur[j - 1];
        best.wl = 0;
        let p = prev[j];
        if p.h > 0.0 && p.h - GAP * v > best.h {
            best = Cell {
                h: p.h - GAP * v,
                ..p
            };
        }
        let s = sig.ids[j - 1];
        let d = prev[j - 1];
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
            let w = sig.weights[j - 1];
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
                };
            }
        }
        cur[j] = if best.h > 0.0 { best } else { ZERO };
    }
}

fn emit(sig: SigView, prefix: &[f64], c: Cell, reported: &mut usize, out: &mut Vec<Occurrence>) {
    if *reported != NONE && c.first <= *reported {
        return;
    }
    let stretch = prefix[c.last + 1] - prefix[c.first];
    let r = c.mw / sig.total;
    let p = if stretch > 0.0 {
        (c.ewl / stretch).min(1.0)
    } else {
        1.0
    };
    let score = r * p;
    if score >= THRESHOLD {
        *reported = c.last;
        out.push(Occurrence {
            first: c.first,
            last: c.last,
            score,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(w: &[f64]) -> Vec<f64> {
        let mut p = vec![0.0];
        for x in w {
            p.push(p.last().unwrap() + x);
        }
        p
    }

    fn all(sig: SigView, ids: &[u32], w: &[f64]) -> Vec<Occurrence> {
        let mut out = Vec::new();
        let p = prefix(w);
        let region = [(0, ids.len() - 1)];
        find(
            sig,
            (ids, w, &p),
            &region,
            &mut Columns::default(),
            &mut out,
        );
        out
    }

    #[test]
    fn finds_signature_inside_noise_with_wildcards() {
        // signature: 1 2 * 3 4 ; input: 9 9 1 2 7 7 3 4 9
        let sig_ids = [1, 2, WILD, 3, 4];
        let sw = [1.0, 1.0, 0.0, 1.0, 1.0];
        let sig = SigView {
            ids: &sig_ids,
            weights: &sw,
            total: 4.0,
        };
        let ids = [9, 9, 1, 2, 7, 7, 3, 4, 9].map(|x| if x >= 7 { UNKNOWN } else { x });
        let occ = all(sig, &ids, &[1.0; 9]);
        assert_eq!(occ.len(), 1);
        assert_eq!((occ[0].first, occ[0].last), (2, 7));
        assert!((occ[0].score - 1.0).abs() < 1e-9);
    }

    #[test]
    fn partial_match_scores_by_found_weight_and_reports_each_occurrence() {
        let sig_ids = [1, 2, 3, 4];
        let sw = [1.0, 1.0, 1.0, 1.0];
        let sig = SigView {
            ids: &sig_ids,
            weights: &sw,
            total: 4.0,
        };
        let mut ids = vec![1, 2, 3];
        ids.extend([UNKNOWN; 40]);
        ids.extend([1, 2, 3, 4]);
        let occ = all(sig, &ids, &vec![1.0; ids.len()]);
        assert_eq!(occ.len(), 2);
        assert!((occ[0].score - 0.75).abs() < 1e-9);
        assert_eq!(occ[1].first, 43);
        let lone = all(sig, &[1, UNKNOWN], &[1.0, 1.0]);
        assert!(lone.is_empty(), "one token of four is below the threshold");
    }
}
