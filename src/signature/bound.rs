//! An exact upper bound on what a signature can score in a region of input, so that
//! the regions where no alignment can reach the threshold are not aligned at all.
//! A log of template lines that hundreds of signatures share (Java stack frames,
//! say) passes [`super::scan`]'s local bound for every one of those signatures;
//! this bound throws most of them out before the DP. `match.js` has the same bound
//! (`canScore`).
//!
//! An alignment from input position `a` to `b` (its first and last matches) matches
//! each signature row at most once, and only to an equal token. So the signature
//! weight it finds is at most `M(a, b)`: for each token, the heaviest rows holding
//! it, as many as the token occurs in `[a, b]`. The input weight it explains is at
//! most `E(a, b)`, the weight of those occurrences (every occurrence of a token
//! weighs the same), plus what the signature's wildcards absorb: at most
//! `WILDCARD_MAX` tokens each, none heavier than the heaviest of the region. Its
//! score is therefore at most
//! `M / total × min(1, E / stretch)` (see `align::emit`). The pairs `(a, b)` are
//! tried only when that is cheaper than aligning, and only from an `a` whose
//! `M(a, end)` is enough. It holds because every weight is at least 0.

use super::align::{THRESHOLD, WILD, WILDCARD_MAX};
use super::index::Signature;

/// Buffers of the bound, by vocabulary id, reused from signature to signature.
#[derive(Debug, Default)]
pub struct Bound {
    /// Per id: how many rows of the marked signature hold it (0: none), where
    /// their weights start in `by_weight` (heaviest first), and a counter.
    count: Vec<u32>,
    group: Vec<u32>,
    seen: Vec<u32>,
    by_weight: Vec<f64>,
    rows: Vec<(u32, f64)>,
    /// How many input tokens the marked signature's wildcards may absorb.
    absorb: usize,
    at: Vec<usize>,
    suffix: Vec<f64>,
}

impl Bound {
    /// Marks the rows of `sig` (for a vocabulary of `vocab` ids); [`Self::unmark`]
    /// clears them again.
    pub fn mark(&mut self, sig: &Signature, vocab: usize) {
        if self.count.len() < vocab {
            self.count.resize(vocab, 0);
            self.group.resize(vocab, 0);
            self.seen.resize(vocab, 0);
        }
        self.rows.clear();
        self.rows.extend(
            sig.ids
                .iter()
                .zip(&sig.weights)
                .filter(|&(&id, _)| id != WILD)
                .map(|(&id, &w)| (id, w)),
        );
        self.absorb = (sig.ids.len() - self.rows.len()) * WILDCARD_MAX as usize;
        // by id, heaviest first
        self.rows
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        self.by_weight.clear();
        for (k, &(id, w)) in self.rows.iter().enumerate() {
            let c = &mut self.count[id as usize];
            if *c == 0 {
                self.group[id as usize] = k as u32;
            }
            *c += 1;
            self.by_weight.push(w);
        }
    }

    /// Clears what [`Self::mark`] set for `sig`.
    pub fn unmark(&mut self) {
        for &(id, _) in &self.rows {
            self.count[id as usize] = 0;
        }
    }

    /// The weight of the `c`-th heaviest row holding `x`, when there is one.
    fn row_weight(&self, x: u32, c: u32) -> Option<f64> {
        let x = x as usize;
        (c < self.count[x]).then(|| self.by_weight[(self.group[x] + c) as usize])
    }

    /// Whether an alignment of the marked signature `sig` in the inclusive region
    /// `(lo, hi)` of the input could reach the threshold (see the module docs).
    /// `prefix[k]` is the sum of input weights before position `k`.
    pub fn can_score(
        &mut self,
        sig: &Signature,
        (ids, weights, prefix): (&[u32], &[f64], &[f64]),
        (lo, hi): (usize, usize),
    ) -> bool {
        let need = THRESHOLD - 1e-9;
        let total = sig.total;
        self.at.clear();
        let count = &self.count;
        self.at
            .extend((lo..=hi).filter(|&i| count.get(ids[i] as usize).is_some_and(|&c| c > 0)));
        let l = self.at.len();
        // M(a, end) for every a, from the end (the same heaviest rows, whichever side)
        self.suffix.clear();
        self.suffix.resize(l, 0.0);
        let mut m = 0.0;
        for i in (0..l).rev() {
            let x = ids[self.at[i]];
            let c = self.seen[x as usize];
            self.seen[x as usize] += 1;
            m += self.row_weight(x, c).unwrap_or(0.0);
            self.suffix[i] = m;
        }
        self.reset_seen(ids, 0, l);
        if l * l > 2 * (hi - lo + 1) * sig.ids.len() {
            return l > 0 && self.suffix[0] / total >= need;
        }
        // what the wildcards absorb weighs at most that many of the heaviest
        let absorbed = match self.absorb {
            0 => 0.0,
            n => n as f64 * weights[lo..=hi].iter().copied().fold(0.0, f64::max),
        };
        for a in 0..l {
            if self.suffix[a] / total < need {
                break;
            }
            if self.scores_from(a, (total, absorbed), (ids, weights, prefix)) {
                return true;
            }
        }
        false
    }

    /// Whether some alignment whose first match is at `at[a]` could score, when
    /// the wildcards may explain `absorbed` more input weight.
    fn scores_from(
        &mut self,
        a: usize,
        (total, absorbed): (f64, f64),
        input: (&[u32], &[f64], &[f64]),
    ) -> bool {
        let (ids, weights, prefix) = input;
        let need = THRESHOLD - 1e-9;
        let (mut m, mut e, mut ok, mut b) = (0.0, absorbed, false, a);
        while b < self.at.len() && !ok {
            let x = ids[self.at[b]];
            let c = self.seen[x as usize];
            self.seen[x as usize] += 1;
            if let Some(w) = self.row_weight(x, c) {
                m += w;
                e += weights[self.at[b]];
            }
            if m / total >= need {
                let stretch = prefix[self.at[b] + 1] - prefix[self.at[a]];
                let p = if stretch > 0.0 {
                    (e / stretch).min(1.0)
                } else {
                    1.0
                };
                ok = m / total * p >= need;
            }
            b += 1;
        }
        self.reset_seen(ids, a, b);
        ok
    }

    fn reset_seen(&mut self, ids: &[u32], from: usize, to: usize) {
        for &i in &self.at[from..to] {
            self.seen[ids[i] as usize] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::align::{self, Columns, SigView, UNKNOWN};

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn signature(rng: &mut Rng, wild: bool) -> Signature {
        let rows = [0.0, 0.15, 0.5, 1.0, 2.5];
        let m = 2 + rng.below(10) as usize;
        let mut ids = Vec::new();
        let mut weights = Vec::new();
        for _ in 0..m {
            if wild && rng.below(5) == 0 {
                ids.push(WILD);
                weights.push(0.0);
            } else {
                ids.push(rng.below(6) as u32);
                weights.push(rows[rng.below(5) as usize]);
            }
        }
        Signature {
            article: 0,
            total: weights.iter().sum(),
            ids,
            weights,
            free: 0.0,
            content: Vec::new(),
            span: 0,
            message: (0, 0),
            named: Vec::new(),
            names: Vec::new(),
        }
    }

    /// Input tokens (ids 0..6 known, each with one weight; others unknown) and
    /// the prefix sums of their weights.
    fn input(rng: &mut Rng, sig: &Signature) -> (Vec<u32>, Vec<f64>, Vec<f64>) {
        let known = [0.15, 0.4, 1.0, 1.0, 2.0, 0.8];
        let n = 1 + rng.below(60) as usize;
        let (mut ids, mut weights) = (Vec::new(), Vec::new());
        for _ in 0..n {
            // runs of the signature itself, as a log repeats a template
            if rng.below(4) == 0 {
                let from = rng.below(sig.ids.len() as u64) as usize;
                for &id in sig.ids[from..].iter().filter(|&&id| id != WILD) {
                    ids.push(id);
                    weights.push(known[id as usize]);
                }
            }
            let x = rng.below(9) as u32;
            if x < 6 {
                ids.push(x);
                weights.push(known[x as usize]);
            } else {
                ids.push(UNKNOWN);
                weights.push(rng.below(4) as f64 * 0.5);
            }
        }
        let mut prefix = vec![0.0];
        for w in &weights {
            prefix.push(prefix.last().copied().unwrap_or(0.0) + w);
        }
        (ids, weights, prefix)
    }

    fn occurrences(
        sig: &Signature,
        input: (&[u32], &[f64], &[f64]),
        regions: &[(usize, usize)],
    ) -> Vec<align::Occurrence> {
        let view = SigView {
            ids: &sig.ids,
            weights: &sig.weights,
            total: sig.total,
            free: sig.free,
        };
        let mut out = Vec::new();
        align::find(view, input, regions, &mut Columns::default(), &mut out);
        out
    }

    /// The bound only drops regions where aligning finds nothing: what is found
    /// with it is what is found without it, on random signatures and inputs.
    #[test]
    fn dropping_regions_by_the_bound_changes_nothing_found() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut dropped, mut found) = (0, 0);
        let mut bound = Bound::default();
        for case in 0..4000 {
            let sig = signature(&mut rng, case % 4 == 0);
            if sig.total <= 0.0 {
                continue;
            }
            let (ids, weights, prefix) = input(&mut rng, &sig);
            let input = (&ids[..], &weights[..], &prefix[..]);
            let n = ids.len();
            let mut regions = vec![(0, n - 1)];
            for _ in 0..3 {
                let lo = rng.below(n as u64) as usize;
                regions.push((lo, (lo + rng.below(20) as usize).min(n - 1)));
            }
            bound.mark(&sig, 6);
            for r in regions {
                let all = occurrences(&sig, input, &[r]);
                found += all.len();
                if !bound.can_score(&sig, input, r) {
                    dropped += 1;
                    assert!(
                        all.is_empty(),
                        "case {case}: {sig:?} {ids:?} {r:?}: {all:?}"
                    );
                }
            }
            bound.unmark();
        }
        assert!(
            dropped > 1000 && found > 1000,
            "{dropped} dropped, {found} found"
        );
    }
}
