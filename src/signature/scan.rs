//! Finding every signature in a window of input tokens without aligning every
//! signature everywhere: the work grows with the anchor hits, not with signatures
//! × input.
//!
//! 1. Anchor hits: each input token looks up the signatures it is an anchor of
//!    ([`super::index::anchors_of`]); a signature with no anchor hit cannot score.
//!    For a long input the anchors are chosen from the token counts of its first
//!    window, so that tokens the log repeats on every line are not anchors; a paste
//!    (and `match.js`) uses the anchors chosen by how many signatures share a token.
//!    A signature of framing words alone has no anchor and is never looked for.
//! 2. Local bound: the ranges within `span` (the most an occurrence may cover,
//!    [`super::index::span`]) of the signature's anchor hits are each kept only if
//!    the content tokens found in the range, plus all the framing and masks, weigh
//!    at least `THRESHOLD × total` (looked up heaviest first, so most ranges are
//!    ruled out after a few; the positions of every token of the window are indexed
//!    once, by a counting sort). In the ranges kept, its content tokens are
//!    collected and a window of `span` tokens slides over them: where the distinct
//!    content tokens inside, plus all the framing and masks, weigh enough, an
//!    occurrence may score there.
//! 3. Exact bound: a region where no alignment can reach the threshold, counting
//!    which signature rows its tokens can match and how much of its stretch they
//!    can explain, is dropped ([`super::bound`]).
//! 4. Alignment: each such window, from `PAD` tokens before its first content token
//!    to `PAD` after its last, is a region; overlapping regions of one signature are
//!    merged and aligned ([`super::align::find`]).

use super::align::{self, Columns, Occurrence, PAD, SigView, THRESHOLD};
use super::bound::Bound;
use super::index::{Signature, SignatureIndex};
use super::needs::Needs;

/// Buffers reused from one window to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Per vocabulary id, where its positions start in `pos` (counting sort).
    start: Vec<u32>,
    pos: Vec<u32>,
    /// (signature, position) of every anchor hit.
    hits: Vec<(u32, u32)>,
    /// Per signature, where its anchor hits go in `hits` (counting sort).
    sig_start: Vec<u32>,
    /// Ranges near one signature's anchor hits, and its content tokens there:
    /// position << 32 | index into `Signature::content` (sorted, by position); how
    /// often each is in the window.
    near: Vec<(usize, usize)>,
    chits: Vec<u64>,
    /// The content tokens of one signature that the window holds: index into
    /// `Signature::content`, its weight, and where its positions are in `pos`.
    present: Vec<(u32, f64, u32, u32)>,
    /// The signature's weight less that of the content tokens the window lacks.
    window_most: f64,
    /// Per present content token, how many of its positions come before the range
    /// looked at.
    cursor: Vec<usize>,
    counts: Vec<u32>,
    regions: Vec<(usize, usize)>,
    prefix: Vec<f64>,
    cols: Columns,
    occ: Vec<Occurrence>,
    bound: Bound,
}

impl SignatureIndex {
    /// Every occurrence of every signature in a window of input tokens, by
    /// signature then input order, into `out` (cleared first).
    pub fn find_all(
        &self,
        (ids, weights): (&[u32], &[f64]),
        anchors: &[Vec<u32>],
        sc: &mut Scratch,
        out: &mut Vec<(usize, Occurrence)>,
    ) {
        out.clear();
        if ids.is_empty() {
            return;
        }
        sc.prefix.clear();
        sc.prefix.push(0.0);
        let mut sum = 0.0;
        for w in weights {
            sum += w;
            sc.prefix.push(sum);
        }
        self.index_positions(ids, sc);
        anchor_hits(ids, anchors, self.signatures.len(), sc);
        let hits = std::mem::take(&mut sc.hits);
        for group in hits.chunk_by(|a, b| a.0 == b.0) {
            let s = group[0].0 as usize;
            let sig = &self.signatures[s];
            live_regions(sig, group, ids.len(), sc);
            let needs = &self.needs[s];
            sc.regions
                .retain(|&r| may_be_evidence(needs, &sc.pos, &sc.present, r));
            if !sc.regions.is_empty() {
                sc.bound.mark(sig, self.vocab_len());
                let input = (ids, weights, &sc.prefix[..]);
                sc.regions.retain(|&r| sc.bound.can_score(sig, input, r));
                sc.bound.unmark();
            }
            let view = SigView {
                ids: &sig.ids,
                weights: &sig.weights,
                total: sig.total,
                free: sig.free,
            };
            sc.occ.clear();
            let input = (ids, weights, &sc.prefix[..]);
            align::find(view, input, &sc.regions, &mut sc.cols, &mut sc.occ);
            out.extend(sc.occ.iter().map(|&o| (s, o)));
        }
        sc.hits = hits;
    }

    /// Groups the positions of every known token by id.
    fn index_positions(&self, ids: &[u32], sc: &mut Scratch) {
        let v = self.vocab_len();
        sc.start.clear();
        sc.start.resize(v + 2, 0);
        for &id in ids.iter().filter(|&&id| (id as usize) < v) {
            sc.start[id as usize + 2] += 1;
        }
        for k in 2..sc.start.len() {
            sc.start[k] += sc.start[k - 1];
        }
        // start[id + 1] is now where id's positions go; filling moves it to the end
        sc.pos.clear();
        sc.pos.resize(sc.start[v + 1] as usize, 0);
        for (k, &id) in ids.iter().enumerate() {
            if (id as usize) < v {
                let at = &mut sc.start[id as usize + 1];
                sc.pos[*at as usize] = k as u32;
                *at += 1;
            }
        }
    }
}

/// Every (signature, position) where an anchor of the signature occurs, sorted: by
/// a counting sort on the signature (the positions come in order), as there are
/// many hits and few signatures.
fn anchor_hits(ids: &[u32], anchors: &[Vec<u32>], signatures: usize, sc: &mut Scratch) {
    let of = |id: u32| anchors.get(id as usize).map_or(&[][..], Vec::as_slice);
    let next = &mut sc.sig_start;
    next.clear();
    next.resize(signatures + 1, 0);
    for &id in ids {
        for &s in of(id) {
            next[s as usize + 1] += 1;
        }
    }
    for k in 1..next.len() {
        next[k] += next[k - 1];
    }
    sc.hits.clear();
    sc.hits.resize(next[signatures] as usize, (0, 0));
    for (k, &id) in ids.iter().enumerate() {
        for &s in of(id) {
            let at = &mut next[s as usize];
            sc.hits[*at as usize] = (s, k as u32);
            *at += 1;
        }
    }
}

/// The regions to align for one signature, from its anchor hits (see the module
/// docs), into `sc.regions`, ascending and disjoint.
fn live_regions(sig: &Signature, anchors: &[(u32, u32)], n: usize, sc: &mut Scratch) {
    let span = sig.span;
    sc.regions.clear();
    if !window_may_score(sig, sc) {
        return;
    }
    sc.near.clear();
    sc.near.extend(anchors.iter().map(|&(_, k)| {
        let k = k as usize;
        (k.saturating_sub(span), (k + span).min(n - 1))
    }));
    merge(&mut sc.near);
    if !may_score(sig, sc) {
        return;
    }
    sc.chits.clear();
    for &(c, _, from, to) in &sc.present {
        let at = &sc.pos[from as usize..to as usize];
        within(at, &sc.near, c, &mut sc.chits);
    }
    sc.chits.sort_unstable();
    sc.counts.clear();
    sc.counts.resize(sig.content.len(), 0);
    let need = THRESHOLD * sig.total - 1e-9;
    let (mut bound, mut i) = (sig.free, 0);
    for j in 0..sc.chits.len() {
        let (pj, cj) = unpack(sc.chits[j]);
        sc.counts[cj] += 1;
        if sc.counts[cj] == 1 {
            bound += sig.content[cj].1;
        }
        while (pj - unpack(sc.chits[i]).0) as usize > span {
            let ci = unpack(sc.chits[i]).1;
            sc.counts[ci] -= 1;
            if sc.counts[ci] == 0 {
                bound -= sig.content[ci].1;
            }
            i += 1;
        }
        if bound >= need {
            let first = (unpack(sc.chits[i]).0 as usize).saturating_sub(PAD);
            sc.regions.push((first, (pj as usize + PAD).min(n - 1)));
        }
    }
    merge(&mut sc.regions);
}

/// Collects into `sc.present` the content tokens of `sig` that the window holds,
/// and says whether they, with all its framing and masks, weigh at least
/// `THRESHOLD × total`: a signature whose heavy tokens the window lacks is ruled
/// out before its ranges are looked at.
fn window_may_score(sig: &Signature, sc: &mut Scratch) -> bool {
    let need = THRESHOLD * sig.total - 1e-6;
    let mut most = sig.total;
    sc.present.clear();
    for (c, &(id, w)) in (0..).zip(&sig.content) {
        let (from, to) = (sc.start[id as usize], sc.start[id as usize + 1]);
        if from == to {
            most -= w;
            if most < need {
                return false;
            }
        } else {
            sc.present.push((c, w, from, to));
        }
    }
    sc.window_most = most;
    true
}

/// Whether the inclusive region `(lo, hi)` holds enough of the signature's content
/// tokens (`present`: those the window holds, with where their positions are in
/// `pos`) for an occurrence there to count as evidence ([`Needs`]).
fn may_be_evidence(
    needs: &Needs,
    pos: &[u32],
    present: &[(u32, f64, u32, u32)],
    (lo, hi): (usize, usize),
) -> bool {
    needs.may_hold(present.iter().filter_map(|&(c, _, from, to)| {
        let at = &pos[from as usize..to as usize];
        let k = at.partition_point(|&q| (q as usize) < lo);
        at.get(k)
            .is_some_and(|&q| q as usize <= hi)
            .then_some(c as usize)
    }))
}

/// Keeps of `sc.near` the ranges where the content tokens of `sig` found in the
/// range, with all its framing and masks, weigh at least `THRESHOLD × total`, and
/// says whether any is left. Every occurrence that scores holds an anchor hit and
/// spans at most `span` tokens, so it lies inside one range: this bounds the
/// sliding window from above, and costs less, as the heaviest tokens are looked up
/// first and most ranges are ruled out once a few of them are missing.
fn may_score(sig: &Signature, sc: &mut Scratch) -> bool {
    // the sliding window adds and subtracts; a little slack keeps this above it
    let need = THRESHOLD * sig.total - 1e-6;
    sc.cursor.clear();
    sc.cursor.resize(sc.present.len(), 0);
    let mut kept = 0;
    for r in 0..sc.near.len() {
        let (lo, hi) = sc.near[r];
        let mut most = sc.window_most;
        for (k, &(_, w, from, to)) in sc.cursor.iter_mut().zip(&sc.present) {
            let at = &sc.pos[from as usize..to as usize];
            *k += gallop(&at[*k..], |&q| (q as usize) < lo);
            if at.get(*k).is_none_or(|&p| p as usize > hi) {
                most -= w;
                if most < need {
                    break;
                }
            }
        }
        if most >= need {
            sc.near[kept] = sc.near[r];
            kept += 1;
        }
    }
    sc.near.truncate(kept);
    kept > 0
}

/// (position, index into `Signature::content`) of a packed content hit.
fn unpack(hit: u64) -> (u32, usize) {
    ((hit >> 32) as u32, (hit & 0xffff_ffff) as usize)
}

/// The positions `at` that are inside one of `near` (both ascending, the ranges
/// inclusive and disjoint), packed with content index `c` into `out`. Both lists are
/// walked together, each skipping ahead to the other.
fn within(mut at: &[u32], mut near: &[(usize, usize)], c: u32, out: &mut Vec<u64>) {
    while let (Some(&p), Some(&(lo, hi))) = (at.first(), near.first()) {
        let p = p as usize;
        if p < lo {
            at = &at[gallop(at, |&q| (q as usize) < lo)..];
        } else if p > hi {
            near = &near[gallop(near, |r| r.1 < p)..];
        } else {
            let to = gallop(at, |&q| q as usize <= hi);
            out.extend(at[..to].iter().map(|&q| u64::from(q) << 32 | u64::from(c)));
            at = &at[to..];
            near = &near[1..];
        }
    }
}

/// How many of the first items of `items` are `below` (true, then only false): an
/// exponential then a binary search, so walking a long list in small steps costs
/// the log of each step.
fn gallop<T>(items: &[T], below: impl Fn(&T) -> bool) -> usize {
    let mut hi = 1;
    while hi <= items.len() && below(&items[hi - 1]) {
        hi *= 2;
    }
    let lo = hi / 2;
    let hi = hi.min(items.len());
    lo + items[lo..hi].partition_point(below)
}

/// Sorts regions and merges those that overlap or touch.
fn merge(regions: &mut Vec<(usize, usize)>) {
    regions.sort_unstable();
    let mut w = 0;
    for r in 0..regions.len() {
        if w > 0 && regions[r].0 <= regions[w - 1].1 + 1 {
            regions[w - 1].1 = regions[w - 1].1.max(regions[r].1);
        } else {
            regions[w] = regions[r];
            w += 1;
        }
    }
    regions.truncate(w);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gallop_counts_the_positions_below() {
        let at: Vec<u32> = (0..50).map(|k| 3 * k).collect();
        for x in 0..160 {
            let want = at.iter().filter(|&&p| p < x).count();
            assert_eq!(gallop(&at, |&p| p < x), want, "x = {x}");
        }
        assert_eq!(gallop(&[] as &[u32], |_| true), 0);
    }

    #[test]
    fn positions_within_ranges_are_those_a_filter_keeps() {
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        for _ in 0..500 {
            let mut at: Vec<u32> = (0..next(60)).map(|_| next(400) as u32).collect();
            at.sort_unstable();
            at.dedup();
            let mut near: Vec<(usize, usize)> = (0..next(12))
                .map(|_| {
                    let lo = next(400) as usize;
                    (lo, lo + next(30) as usize)
                })
                .collect();
            merge(&mut near);
            let mut got = Vec::new();
            within(&at, &near, 5, &mut got);
            let want: Vec<u64> = at
                .iter()
                .filter(|&&p| {
                    near.iter()
                        .any(|&(lo, hi)| (lo..=hi).contains(&(p as usize)))
                })
                .map(|&p| u64::from(p) << 32 | 5)
                .collect();
            assert_eq!(got, want, "at {at:?} near {near:?}");
        }
    }

    #[test]
    fn regions_merge_when_they_overlap_or_touch() {
        let mut r = vec![(10, 20), (0, 5), (6, 8), (19, 30), (40, 41)];
        merge(&mut r);
        assert_eq!(r, [(0, 8), (10, 30), (40, 41)]);
    }
}

#[cfg(test)]
#[path = "scan_props.rs"]
mod props;
