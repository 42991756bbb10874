//! Tests of the alignment: the sparse DP against a dense one over every cell.

use super::*;
use proptest::prelude::*;

/// The alignment as a dense DP over every cell (the plain statement of the
/// rules), to check the sparse one against.
mod dense {
    use super::super::{GAP, Occurrence, STALE, SigView, THRESHOLD, WILD, WILDCARD_MAX};
    const NONE: usize = usize::MAX;
    const STALE_: usize = STALE as usize;

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

    pub(super) fn find(
        sig: SigView,
        input: (&[u32], &[f64], &[f64]),
        regions: &[(usize, usize)],
        out: &mut Vec<Occurrence>,
    ) {
        let (mut prev, mut cur) = (Vec::new(), Vec::new());
        for &region in regions {
            run(sig, input, region, (&mut prev, &mut cur), out);
        }
    }

    fn run(
        sig: SigView,
        (ids, weights, prefix): (&[u32], &[f64], &[f64]),
        (lo, hi): (usize, usize),
        (prev, cur): (&mut Vec<Cell>, &mut Vec<Cell>),
        out: &mut Vec<Occurrence>,
    ) {
        let m = sig.ids.len();
        prev.clear();
        prev.resize(m + 1, ZERO);
        cur.clear();
        cur.resize(m + 1, ZERO);
        let (mut best, mut next): (Option<Cell>, Option<Cell>) = (None, None);
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
                        if c.h > b.h {
                            emit(sig, prefix, b, &mut reported, out);
                            floor = b.last;
                            (best, next) = (Some(*c), None);
                        } else if next.is_none_or(|n| c.h > n.h) {
                            next = Some(*c);
                        }
                    }
                    Some(b) if c.h <= b.h => {}
                    _ => {
                        best = Some(*c);
                        next = next.filter(|n| n.first > c.last);
                    }
                }
            }
            if let Some(b) = best.filter(|b| i - b.last >= STALE_) {
                emit(sig, prefix, b, &mut reported, out);
                floor = b.last;
                best = next.take();
                if let Some(n) = best.filter(|n| i - n.last >= STALE_) {
                    emit(sig, prefix, n, &mut reported, out);
                    floor = n.last;
                    best = None;
                }
            }
            std::mem::swap(prev, cur);
        }
        if let Some(b) = best {
            emit(sig, prefix, b, &mut reported, out);
            floor = b.last;
        }
        if let Some(n) = next.filter(|n| floor == NONE || n.last > floor) {
            emit(sig, prefix, n, &mut reported, out);
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

    fn emit(
        sig: SigView,
        prefix: &[f64],
        c: Cell,
        reported: &mut usize,
        out: &mut Vec<Occurrence>,
    ) {
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
        if score >= THRESHOLD && c.mw > sig.free {
            *reported = c.last;
            out.push(Occurrence {
                first: c.first,
                last: c.last,
                score,
            });
        }
    }
}

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
fn row_index_gives_each_tokens_rows_with_the_wildcards() {
    let mut index = RowIndex::default();
    for round in 0..2 {
        // reused: a longer signature first, then a shorter one
        let ids: &[u32] = if round == 0 {
            &[7, WILD, 3, 7, 9, WILD, 3, 11, 12, 13]
        } else {
            &[5, WILD, 5, 6]
        };
        index.build(ids);
        let wild: Vec<u32> = (1..)
            .zip(ids)
            .filter(|e| *e.1 == WILD)
            .map(|e| e.0)
            .collect();
        assert_eq!(index.wild, wild);
        for x in 0..20 {
            let want: Vec<u32> = (1..)
                .zip(ids)
                .filter(|&(_, &s)| s == WILD || s == x)
                .map(|(j, _)| j)
                .collect();
            match index.of(x) {
                Some(rows) => assert_eq!(rows, &want[..], "token {x}"),
                None => assert!(!ids.contains(&x), "token {x}"),
            }
        }
        assert!(index.of(UNKNOWN).is_none() && index.of(WILD).is_none());
    }
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
        free: 0.0,
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
        free: 0.0,
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

/// Token ids and their weights.
type Tokens = (Vec<u32>, Vec<f64>);

/// A signature (ids, weights) of tokens 0..6 and wildcards, an input of tokens
/// 0..8 and `UNKNOWN`, and region cut points.
fn case() -> impl Strategy<Value = (Tokens, Tokens, Vec<usize>)> {
    let weight = prop::sample::select(vec![0.0, 0.15, 0.2, 0.5, 1.0, 1.3, 2.5, 4.0]);
    let sig_token = prop_oneof![1 => Just(WILD), 5 => 0u32..6];
    let input_token = prop_oneof![1 => Just(UNKNOWN), 6 => 0u32..8];
    (
        prop::collection::vec((sig_token, weight.clone()), 1..14),
        prop::collection::vec((input_token, weight), 1..160),
        prop::collection::vec(0usize..160, 0..6),
    )
        .prop_map(|(sig, input, cuts)| {
            let sig = sig
                .into_iter()
                .map(|(s, w)| (s, if s == WILD { 0.0 } else { w }))
                .unzip();
            (sig, input.into_iter().unzip(), cuts)
        })
}

/// Disjoint ascending regions of `0..n` from cut points: every other gap between
/// sorted cuts, or the whole input without cuts.
fn regions(n: usize, mut cuts: Vec<usize>) -> Vec<(usize, usize)> {
    cuts.iter_mut().for_each(|c| *c %= n);
    cuts.sort_unstable();
    cuts.dedup();
    if cuts.len() < 2 {
        return vec![(0, n - 1)];
    }
    cuts.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0], c[1]))
        .collect()
}

proptest! {
    #[test]
    fn sparse_columns_find_what_the_dense_dp_finds(
        cases in prop::collection::vec(case(), 1..4)
    ) {
        // one `Columns` across signatures, as `scan` reuses it
        let mut cols = Columns::default();
        for ((sig_ids, sw), (ids, w), cuts) in cases {
            let total = sw.iter().sum::<f64>().max(0.1);
            let sig = SigView { ids: &sig_ids, weights: &sw, total, free: 0.0 };
            let p = prefix(&w);
            let regions = regions(ids.len(), cuts);
            let (mut sparse, mut dense) = (Vec::new(), Vec::new());
            find(sig, (&ids, &w, &p), &regions, &mut cols, &mut sparse);
            dense::find(sig, (&ids, &w, &p), &regions, &mut dense);
            prop_assert_eq!(sparse, dense);
        }
    }
}
