//! Whether an occurrence that [`super::align`] found is evidence for its article,
//! and how confident a match it is.
//!
//! The tokens of the signature are matched in order to the occurrence's stretch of
//! input (a longest common subsequence by weight; ties go to the diagonal, then to
//! the skipped signature token), and then:
//! - **Specific evidence or nothing.** The occurrence counts only if it holds an
//!   error code (a numbered code: `aadsts50105`, `0x80072030`), or at least
//!   [`MIN_SPECIFIC`] distinct *specific* tokens (not framing, not a mask, not one
//!   of the [`super::common`] words every vendor's errors share; the tokens of one
//!   qualified name, `com.acme.jdbc.Driver`, count once), or the
//!   signature's whole text in order, or its whole message (below) when that
//!   holds a specific token. So `login`, `address` or `denied` shared
//!   with an unrelated error never make a match, whatever their idf. The whole
//!   text or message counts only as printed: no word of the input between two of
//!   its tokens but where a placeholder stands (`creating the login failed for
//!   this user` is a sentence, not `Login failed for user '<username>'`).
//! - **The message must be there.** A signature's message is the last part of its
//!   last line that is not a stack frame (after the last `: `): what went wrong,
//!   where the parts before say what was being done. An occurrence must find at
//!   least [`MESSAGE_SHARE`] of its weight, so the same framing with another
//!   message (`…: read-only file system` for `…: no space left on device`) is
//!   another error, unless it found the code (vendors reword messages, not codes).
//! - **A different code is a different error.** When no code of the signature is
//!   found and the occurrence's lines hold another code of the same family
//!   (`aadsts50020` where the signature has `aadsts90072`;
//!   `StorageAccountAlreadyExists` where it has `StorageAccountAlreadyTaken`,
//!   [`super::named`]), it is dropped.
//! - **Another word in a word's place is another error.** Unless it found a code,
//!   an occurrence is dropped when the input has content where the signature has
//!   content it did not find, between two found tokens (`BOOTMGR is compressed`
//!   for `BOOTMGR is missing`), or right after the last found token of the
//!   message when only its last few tokens are missing (`kubelogin failed with
//!   exit code 1` for `kubelogin not found`): a vendor's sibling errors share
//!   everything but the words that say what went wrong, and those are often the
//!   common ones that weigh least ([`substituted`]); so is a distinctive word it
//!   did not find that the occurrence's lines hold elsewhere, the same words in
//!   another order (`Class.forName("…SQLServerDriver") works, no
//!   ClassNotFoundException`). This looks at every token
//!   the occurrence's stretch matched, not only the best run: a run that starts
//!   after the replaced word (the shared advice after another reason) is no
//!   evidence for it.
//! - **A placeholder stands for a value.** The input tokens between two found
//!   tokens that a `<placeholder>` spans are explained by it (at most
//!   `WILDCARD_MAX` per placeholder), except the signature's own words: a
//!   placeholder never stands in for the words around it.
//! - **The score is a confidence**: `sqrt(R × P)`, `R` the share of the
//!   signature's weight found, `P` the share of the input stretch's weight that the
//!   signature explains. A paste holding the whole error text, values changed,
//!   scores 1; one at [`CONFIDENCE`] (`sqrt(THRESHOLD)`: the alignment's own bound
//!   stays exact) or above is shown.

use super::align::{Occurrence, THRESHOLD, WILD, WILDCARD_MAX};
use super::index::Signature;
use super::named;
use super::weights::{self, Class};

/// Lowest confidence shown as a match: `sqrt(THRESHOLD)`, rounded down to four
/// decimals as it travels in `signatures.json` (not `FRAC_1_SQRT_2`: it follows
/// `THRESHOLD`, and JavaScript compares against the same written number).
#[allow(clippy::approx_constant)]
pub const CONFIDENCE: f64 = 0.7071;
/// Distinct specific tokens that make evidence without a code or the whole text
/// (the tokens of one qualified name count once).
pub const MIN_SPECIFIC: usize = 2;
/// Marks the evidence a token of a qualified name gives: the name's, not its own
/// (vocabulary ids stay far below it).
const NAME: u32 = 1 << 31;
/// Most tokens a replaced stretch may differ by, or a replaced end may have
/// ([`substituted`]).
pub const SWAP: usize = 4;
/// Share of the weight of a signature's message (its last part, what went wrong:
/// [`super::index::signature_parts`]) that an occurrence must find.
pub const MESSAGE_SHARE: f64 = 0.5;

const _: () = assert!(CONFIDENCE * CONFIDENCE <= THRESHOLD);

/// What an occurrence showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The confidence, `sqrt(R × P)`.
    pub score: f64,
    /// The signature weight found (ties between equal scores go to the heavier).
    pub weight: f64,
    /// Per signature token, whether it was found.
    pub found: Vec<bool>,
}

/// What a token of the signature is, for the evidence rules.
pub(super) fn kind(token: &str) -> Class {
    if weights::is_mask(token) {
        Class::Stop
    } else {
        weights::class(token)
    }
}

/// The family of a numbered code: what comes before its first digit (`aadsts`),
/// or `0x`.
pub fn family(code: &str) -> &str {
    let at = code
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(code.len());
    if at == 0 && code.starts_with("0x") {
        "0x"
    } else {
        &code[..at]
    }
}

/// The input an occurrence was found in: token ids, weights and line numbers, and
/// what the token at a position is.
pub struct Input<'a, F: Fn(usize) -> Seen> {
    pub ids: &'a [u32],
    pub weights: &'a [f64],
    pub lines: &'a [u64],
    pub seen: F,
}

/// What an input token is, for [`substituted`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A mask: a value the tokeniser took out (a number, a URL, an id).
    Value,
    /// A framing word.
    Framing,
    /// Anything else.
    Content,
}

/// Judges occurrence `occ` of `sig` in `input`; `vocab` names the signature's
/// tokens; `codes` gives the tokens of the occurrence's input lines (asked only
/// when no code of the signature was found). `dp` is reused. The found tokens are
/// scored as every run of them from one to another (a reworded message around a
/// code is not held against the code), and the best run that is evidence is kept.
pub fn judge<F: Fn(usize) -> Seen>(
    sig: &Signature,
    vocab: &[String],
    all: &Input<F>,
    occ: &Occurrence,
    dp: &mut Vec<f64>,
    codes: impl FnOnce() -> Vec<String>,
) -> Option<Evidence> {
    let (ids, weights) = (all.ids, all.weights);
    let input = (&ids[occ.first..=occ.last], &weights[occ.first..=occ.last]);
    let pairs = subsequence(sig, input.0, dp);
    let kinds: Vec<Class> = sig
        .ids
        .iter()
        .map(|&id| {
            if id == WILD {
                Class::Stop
            } else {
                kind(&vocab[id as usize])
            }
        })
        .collect();
    let loose = loose_gaps(sig, &pairs, occ.first, all);
    let (from, to, score, weight) = best_run(sig, input, &pairs, &kinds, &loose)?;
    let mut found = vec![false; sig.ids.len()];
    for &(j, _) in &pairs[from..=to] {
        found[j] = true;
    }
    let coded = (0..sig.ids.len()).any(|j| found[j] && kinds[j] == Class::Numbered)
        || sig.named.iter().any(|n| found[n.0]);
    // vendors reword messages, not codes: a found code is the error
    if !coded
        && (substituted(sig, &kinds, &pairs, occ.first, all)
            || another_code(sig, vocab, &kinds, codes))
    {
        return None;
    }
    Some(Evidence {
        score,
        weight,
        found,
    })
}

/// Per found pair `k > 0`, whether the input has a word (not a value) between
/// pairs `k - 1` and `k` where the signature has no placeholder: the two tokens
/// are not printed together. Entry 0 is `false`.
fn loose_gaps<F: Fn(usize) -> Seen>(
    sig: &Signature,
    pairs: &[(usize, usize)],
    first: usize,
    input: &Input<F>,
) -> Vec<bool> {
    let mut out = vec![false; pairs.len()];
    for k in 1..pairs.len() {
        let ((ja, ia), (jb, ib)) = (pairs[k - 1], pairs[k]);
        out[k] = !sig.ids[ja + 1..jb].contains(&WILD)
            && (first + ia + 1..first + ib).any(|i| (input.seen)(i) != Seen::Value);
    }
    out
}

/// Whether a signature token of class `c` is distinctive: a word or a code, not
/// framing, a mask or a common word.
fn distinctive(c: Class) -> bool {
    matches!(c, Class::Word | Class::Code | Class::Numbered)
}

/// Whether the input says something else where the signature has words, judged
/// over every (signature, input) pair the occurrence matched (input positions from
/// `first`), not only the best run: [`replaced_between`], [`reordered`] or
/// [`replaced_end`]. `BOOTMGR is compressed` is not `BOOTMGR is missing`,
/// `executable kubelogin failed with exit code 1` not `executable kubelogin not
/// found`, however little their common words weigh.
fn substituted<F: Fn(usize) -> Seen>(
    sig: &Signature,
    kinds: &[Class],
    pairs: &[(usize, usize)],
    first: usize,
    input: &Input<F>,
) -> bool {
    replaced_between(sig, kinds, pairs, first, input)
        || reordered(sig, kinds, pairs, first, input)
        || replaced_end(sig, kinds, pairs, first, input)
}

/// Whether the signature tokens `js` hold content and no placeholder.
fn said(sig: &Signature, kinds: &[Class], js: std::ops::Range<usize>) -> bool {
    !sig.ids[js.clone()].contains(&WILD) && js.into_iter().any(|j| kinds[j] != Class::Stop)
}

/// Between two found tokens: content of the input where content of the signature
/// is missing (no placeholder between, the input's stretch at most [`SWAP`]
/// tokens longer), or any word but a value for one distinctive word (`Reason:
/// Error` for `Reason: OOMKilled`).
fn replaced_between<F: Fn(usize) -> Seen>(
    sig: &Signature,
    kinds: &[Class],
    pairs: &[(usize, usize)],
    first: usize,
    input: &Input<F>,
) -> bool {
    pairs.windows(2).any(|w| {
        let ((ja, ia), (jb, ib)) = (w[0], w[1]);
        let other = first + ia + 1..first + ib;
        let one = jb == ja + 2
            && other.len() == 1
            && distinctive(kinds[ja + 1])
            && (input.seen)(other.start) != Seen::Value;
        one || said(sig, kinds, ja + 1..jb)
            && other.len() <= jb - ja + SWAP
            && other.into_iter().any(|k| (input.seen)(k) == Seen::Content)
    })
}

/// A distinctive signature token not found that the input's lines of the stretch
/// hold elsewhere: the same words in another order, another name
/// (`com.microsoft.jdbc.sqlserver` for `com.microsoft.sqlserver.jdbc`), or a
/// sentence that names the error's words without being it (`the driver class
/// loads, no ClassNotFoundException`).
fn reordered<F: Fn(usize) -> Seen>(
    sig: &Signature,
    kinds: &[Class],
    pairs: &[(usize, usize)],
    first: usize,
    input: &Input<F>,
) -> bool {
    let (Some(&(_, i0)), Some(&(_, il))) = (pairs.first(), pairs.last()) else {
        return false;
    };
    let used: Vec<usize> = pairs.iter().map(|p| first + p.1).collect();
    let lines = whole_lines(input.lines, first + i0, first + il);
    (0..sig.ids.len()).any(|j| {
        distinctive(kinds[j])
            && !pairs.iter().any(|p| p.0 == j)
            && lines
                .clone()
                .any(|k| input.ids[k] == sig.ids[j] && !used.contains(&k))
    })
}

/// The positions `a..=b` widened to whole lines: from the first token of `a`'s
/// line to the last of `b`'s.
fn whole_lines(lines: &[u64], a: usize, b: usize) -> std::ops::RangeInclusive<usize> {
    let start = lines[..a]
        .iter()
        .rposition(|&l| l != lines[a])
        .map_or(0, |p| p + 1);
    let end = lines[b + 1..]
        .iter()
        .position(|&l| l != lines[b])
        .map_or(lines.len() - 1, |p| b + p);
    start..=end
}

/// The message's last few tokens (at most [`SWAP`]) missing, and the input's next
/// [`SWAP`] tokens on the same line holding content but none of them. A longer
/// missing end is a sentence left out; the missing words a little later, an
/// inserted word.
fn replaced_end<F: Fn(usize) -> Seen>(
    sig: &Signature,
    kinds: &[Class],
    pairs: &[(usize, usize)],
    first: usize,
    input: &Input<F>,
) -> bool {
    let Some(&(jl, il)) = pairs.last() else {
        return false;
    };
    let (k, end) = (first + il, sig.message.1);
    if !(sig.message.0..end).contains(&jl) || end - jl > SWAP || !said(sig, kinds, jl + 1..end) {
        return false;
    }
    let next = (k + 1..input.ids.len())
        .take(SWAP)
        .take_while(|&n| input.lines[n] == input.lines[k]);
    let later = next
        .clone()
        .any(|n| sig.ids[jl + 1..end].contains(&input.ids[n]));
    !later && next.into_iter().any(|n| (input.seen)(n) == Seen::Content)
}

/// Whether the input lines (`codes`: their tokens) of an occurrence that found
/// none of the signature's codes hold another code of the same family: a numbered one
/// ([`family`]) or a named one ([`super::named`]).
fn another_code(
    sig: &Signature,
    vocab: &[String],
    kinds: &[Class],
    codes: impl FnOnce() -> Vec<String>,
) -> bool {
    let token = |j: usize| vocab[sig.ids[j] as usize].as_str();
    let numbered: Vec<usize> = (0..sig.ids.len())
        .filter(|&j| kinds[j] == Class::Numbered)
        .collect();
    if numbered.is_empty() && sig.named.is_empty() {
        return false; // no code to differ from: the input's lines are not read
    }
    let missing: Vec<&str> = numbered.iter().map(|&j| token(j)).collect();
    codes().iter().any(|c| {
        let numbered_clash = weights::class(c) == Class::Numbered
            && !missing.contains(&c.as_str())
            && missing.iter().any(|m| family(m) == family(c));
        numbered_clash
            || sig
                .named
                .iter()
                .any(|(j, fam)| named::other_member(fam, token(*j), c))
    })
}

/// The run `pairs[from..=to]` of found tokens with the highest confidence among
/// those that are evidence (see the module docs), as (from, to, score, weight
/// found), if one reaches [`CONFIDENCE`]. Ties go to the earlier, then the
/// shorter run.
fn best_run(
    sig: &Signature,
    (ids, weights): (&[u32], &[f64]),
    pairs: &[(usize, usize)],
    kinds: &[Class],
    loose: &[bool],
) -> Option<(usize, usize, f64, f64)> {
    let explained = explained_by_pair(sig, (ids, weights), pairs);
    // per pair k > 0, the input weight after pair k - 1 up to and with pair k
    let gaps: Vec<f64> = (0..pairs.len())
        .map(|k| match k {
            0 => 0.0,
            _ => weights[pairs[k - 1].1 + 1..=pairs[k].1].iter().sum(),
        })
        .collect();
    let tokens = sig.ids.iter().filter(|&&s| s != WILD).count();
    let (ma, mb) = sig.message;
    let need: f64 = MESSAGE_SHARE * sig.weights[ma..mb].iter().sum::<f64>();
    let said_all = (ma..mb).filter(|&j| sig.ids[j] != WILD).count();
    let telling = (ma..mb).any(|j| distinctive(kinds[j]));
    // what a found token is evidence of: itself, or the qualified name it is part of
    let mut thing: Vec<u32> = sig.ids.clone();
    for (k, &(a, b)) in sig.names.iter().enumerate() {
        thing[a..b].fill(NAME | k as u32);
    }
    let mut best: Option<(usize, usize, f64, f64)> = None;
    let mut specific: Vec<u32> = Vec::new();
    for from in 0..pairs.len() {
        let (mut found, mut expl, mut stretch) = (0.0, 0.0, 0.0);
        let (mut code, mut count, mut said, mut said_n) = (false, 0, 0.0, 0);
        let mut tight = true;
        specific.clear();
        for to in from..pairs.len() {
            let (j, i) = pairs[to];
            found += sig.weights[j];
            count += 1;
            if (ma..mb).contains(&j) {
                said += sig.weights[j];
                said_n += 1;
            }
            tight &= to == from || !loose[to];
            if to == from {
                expl += weights[i];
                stretch += weights[i];
            } else {
                expl += explained[to];
                stretch += gaps[to];
            }
            match kinds[j] {
                Class::Numbered => code = true,
                Class::Code | Class::Word if !specific.contains(&thing[j]) => {
                    specific.push(thing[j]);
                }
                _ => {}
            }
            let message = telling && said_n == said_all;
            // the whole text or message of common words counts only as printed
            let whole = tight && (count == tokens || message);
            let evidence = code || whole || specific.len() >= MIN_SPECIFIC;
            if !evidence || (said < need && !code) {
                continue;
            }
            let r = found / sig.total;
            let p = if stretch > 0.0 {
                (expl / stretch).min(1.0)
            } else {
                1.0
            };
            let score = (r * p).sqrt();
            if score >= CONFIDENCE && best.is_none_or(|b| score > b.2) {
                best = Some((from, to, score, found));
            }
        }
    }
    best
}

/// Per found pair `k > 0`, the input weight the signature explains after pair
/// `k - 1` up to and with pair `k`, in input order: the found token, and those a
/// placeholder between the two spans (see the module docs). Entry 0 is unused.
fn explained_by_pair(
    sig: &Signature,
    (ids, weights): (&[u32], &[f64]),
    pairs: &[(usize, usize)],
) -> Vec<f64> {
    let mut out = vec![0.0; pairs.len()];
    for k in 1..pairs.len() {
        let ((ja, ia), (jb, ib)) = (pairs[k - 1], pairs[k]);
        let wild = sig.ids[ja + 1..jb].iter().filter(|&&s| s == WILD).count();
        let mut room = wild * WILDCARD_MAX as usize;
        let mut sum = 0.0;
        for i in ia + 1..ib {
            if room == 0 {
                break;
            }
            room -= 1;
            if !sig.ids.contains(&ids[i]) {
                sum += weights[i];
            }
        }
        out[k] = sum + weights[ib];
    }
    out
}

/// The heaviest in-order matching of the signature's tokens to `input`: (signature
/// position, input position) pairs, ascending.
///
/// The weighted longest common subsequence, with its columns only at the input
/// tokens the signature holds: a column at any other token copies the one before
/// it, so leaving it out changes no cell. The walk back goes over every input
/// position as the full table's would, so ties break the same way.
fn subsequence(sig: &Signature, input: &[u32], dp: &mut Vec<f64>) -> Vec<(usize, usize)> {
    let m = sig.ids.len();
    let mut held: Vec<u32> = sig.ids.clone();
    held.sort_unstable();
    // the input positions (1-based) of the columns kept
    let cols: Vec<usize> = (1..=input.len())
        .filter(|&i| held.binary_search(&input[i - 1]).is_ok())
        .collect();
    let w = cols.len() + 1;
    dp.clear();
    dp.resize((m + 1) * w, 0.0);
    for j in 1..=m {
        let (up, row) = dp[(j - 1) * w..(j + 1) * w].split_at_mut(w);
        for (c, &i) in (1..).zip(&cols) {
            let mut best = up[c].max(row[c - 1]);
            if sig.ids[j - 1] == input[i - 1] {
                best = best.max(up[c - 1] + sig.weights[j - 1]);
            }
            row[c] = best;
        }
    }
    let mut pairs = Vec::new();
    let (mut j, mut i, mut c) = (m, input.len(), cols.len());
    while j > 0 && i > 0 {
        let here = dp[j * w + c];
        let kept = c > 0 && cols[c - 1] == i;
        if kept
            && sig.ids[j - 1] == input[i - 1]
            && dp[(j - 1) * w + c - 1] + sig.weights[j - 1] == here
        {
            pairs.push((j - 1, i - 1));
            j -= 1;
            i -= 1;
            c -= 1;
        } else if dp[(j - 1) * w + c] == here {
            j -= 1;
        } else {
            i -= 1;
            c -= usize::from(kept);
        }
    }
    pairs.reverse();
    pairs
}

#[cfg(test)]
#[path = "evidence_tests.rs"]
mod tests;
