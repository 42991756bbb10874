//! Finding every signature in a window of input tokens without aligning every
//! signature everywhere: the work grows with the anchor hits, not with signatures
//! × input.
//!
//! 1. Anchor hits: each input token looks up the signatures it is an anchor of
//!    ([`super::index::anchors_of`]); a signature with no anchor hit cannot score.
//! 2. Local bound: around an anchor hit at `k`, the region `k ± reach` (see
//!    [`super::index::reach`]) is checked for the signature's content tokens; if
//!    their weight plus all its framing and masks stays under `THRESHOLD × total`,
//!    no occurrence there can score and the hit is dropped. The positions of every
//!    token of the window are indexed once (a counting sort), so the check is a
//!    binary search per content token.
//! 3. Alignment: a hit that passes gives the region from `PAD` tokens before the
//!    first content token found to `PAD` after the last; overlapping regions of one
//!    signature are merged and aligned ([`super::align::find`]).

use super::align::{self, Columns, Occurrence, PAD, SigView, THRESHOLD};
use super::index::{Signature, SignatureIndex};

/// Buffers reused from one window to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    /// Per vocabulary id, where its positions start in `pos` (counting sort).
    start: Vec<u32>,
    pos: Vec<u32>,
    /// (signature, position) of every anchor hit.
    hits: Vec<(u32, u32)>,
    regions: Vec<(usize, usize)>,
    prefix: Vec<f64>,
    cols: Columns,
    occ: Vec<Occurrence>,
}

impl SignatureIndex {
    /// Every occurrence of every signature in a window of input tokens, by
    /// signature then input order, into `out` (cleared first).
    pub fn find_all(
        &self,
        ids: &[u32],
        weights: &[f64],
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
        self.anchor_hits(ids, sc);
        let hits = std::mem::take(&mut sc.hits);
        for group in hits.chunk_by(|a, b| a.0 == b.0) {
            let s = group[0].0 as usize;
            let sig = &self.signatures[s];
            sc.regions.clear();
            for &(_, k) in group {
                if let Some(r) = live_region(sig, k as usize, ids.len(), sc) {
                    sc.regions.push(r);
                }
            }
            merge(&mut sc.regions);
            let view = SigView {
                ids: &sig.ids,
                weights: &sig.weights,
                total: sig.total,
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

    /// Every (signature, position) where an anchor of the signature occurs, sorted.
    fn anchor_hits(&self, ids: &[u32], sc: &mut Scratch) {
        sc.hits.clear();
        for (k, &id) in ids.iter().enumerate() {
            if let Some(sigs) = self.anchors.get(id as usize) {
                sc.hits.extend(sigs.iter().map(|&s| (s, k as u32)));
            }
        }
        sc.hits.sort_unstable();
    }
}

/// The region to align around anchor hit `k`, if the content tokens within reach
/// could make the signature score.
fn live_region(sig: &Signature, k: usize, n: usize, sc: &Scratch) -> Option<(usize, usize)> {
    let lo = k.saturating_sub(sig.reach) as u32;
    let hi = (k + sig.reach).min(n - 1) as u32;
    let mut bound = sig.free;
    let (mut first, mut last) = (u32::MAX, 0);
    for &(id, w) in &sig.content {
        let at = &sc.pos[sc.start[id as usize] as usize..sc.start[id as usize + 1] as usize];
        let i = at.partition_point(|&p| p < lo);
        if i < at.len() && at[i] <= hi {
            bound += w;
            first = first.min(at[i]);
            let j = at.partition_point(|&p| p <= hi);
            last = last.max(at[j - 1]);
        }
    }
    if bound < THRESHOLD * sig.total - 1e-9 {
        return None;
    }
    let first = (first as usize).saturating_sub(PAD);
    Some((first, (last as usize + PAD).min(n - 1)))
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
    fn regions_merge_when_they_overlap_or_touch() {
        let mut r = vec![(10, 20), (0, 5), (6, 8), (19, 30), (40, 41)];
        merge(&mut r);
        assert_eq!(r, [(0, 8), (10, 30), (40, 41)]);
    }
}
