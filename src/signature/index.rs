//! The signature index: every error text of the knowledge base as weighted tokens,
//! and the anchors that [`super::scan`] looks up.

use super::align::{self, UNKNOWN, WILD};
use super::common::COMMON;
use super::evidence::{self, Seen};
use super::named;
use super::needs::Needs;
use super::normalise::normalise;
use super::spelling;
use super::tokens::MASKS;
use super::tokens::{WILDCARD, tokenize};
use super::weights::{self, Class, MASK_WEIGHT, Place, STOPWORDS};
use crate::model::Kb;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The hasher of the token maps: every input token is looked up once, where
/// SipHash's flooding resistance buys nothing (the vocabulary comes from the
/// articles) and foldhash is several times faster on short strings.
type Fast = foldhash::fast::FixedState;

/// Vocabulary ids by token.
type Lookup = HashMap<String, u32, Fast>;

/// An article a signature belongs to, as `signatures.json` lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleRef {
    pub id: String,
    pub title: String,
    /// Relative to the site root: `articles/ID/`.
    pub url: String,
}

/// One error text of an article, tokenised and weighed.
#[derive(Debug, Clone)]
pub struct Signature {
    /// Index into `SignatureIndex::articles`.
    pub article: usize,
    /// Vocabulary ids, `align::WILD` for a placeholder.
    pub ids: Vec<u32>,
    pub weights: Vec<f64>,
    pub total: f64,
    /// Weight of framing and mask tokens, assumed present by the local bound.
    pub free: f64,
    /// Its distinct content tokens (not framing, not masks), heaviest first (then
    /// by id), each with its summed weight in the signature.
    pub content: Vec<(u32, f64)>,
    /// The most input tokens an occurrence may span (see [`span`]).
    pub span: usize,
    /// The token range of its message ([`signature_parts`]); empty when it has none.
    pub message: (usize, usize),
    /// Its named codes: token positions and their families ([`super::named`]).
    pub named: Vec<(usize, String)>,
    /// Its qualified names: token ranges, each one piece of evidence
    /// ([`super::named::qualified_names`]).
    pub names: Vec<(usize, usize)>,
}

/// Weights of input tokens that no signature contains.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unknown {
    pub word: f64,
    pub code: f64,
    pub numbered: f64,
    pub stop: f64,
    /// A [`super::common`] word no signature holds.
    pub common: f64,
}

/// Every error signature of a knowledge base, ready to match against.
#[derive(Debug, Clone)]
pub struct SignatureIndex {
    pub articles: Vec<ArticleRef>,
    pub signatures: Vec<Signature>,
    pub(super) vocab: Vec<String>,
    pub(super) vocab_weights: Vec<f64>,
    pub(super) unknown: Unknown,
    /// Per vocabulary id: the signatures it is an anchor of, chosen by how many
    /// signatures share it (see [`anchors_of`]); made when first asked for, as a
    /// long input chooses its own.
    anchors: OnceLock<Vec<Vec<u32>>>,
    df: Vec<u32>,
    /// Per signature, what a region must hold for an occurrence there to count.
    pub(super) needs: Vec<Needs>,
    /// The id and weight of every vocabulary token, mask and stopword as input
    /// tokens: one look-up answers for most of the input.
    known: Known,
}

/// Tokens to (id, weight): those of at most 8 bytes (most of a log's) keyed by
/// their bytes as an integer, so that a look-up reads no string; the others by
/// their text. Tokens hold no NUL byte, so the zero padding is unambiguous.
#[derive(Debug, Clone, Default)]
struct Known {
    short: HashMap<u64, (u32, f64), Fast>,
    long: HashMap<String, (u32, f64), Fast>,
}

impl Known {
    fn short_key(token: &str) -> Option<u64> {
        let b = token.as_bytes();
        (b.len() <= 8).then(|| {
            let mut key = [0u8; 8];
            key[..b.len()].copy_from_slice(b);
            u64::from_le_bytes(key)
        })
    }

    fn insert(&mut self, token: &str, v: (u32, f64)) {
        match Self::short_key(token) {
            Some(k) => self.short.insert(k, v),
            None => self.long.insert(token.to_string(), v),
        };
    }

    fn get(&self, token: &str) -> Option<&(u32, f64)> {
        match Self::short_key(token) {
            Some(k) => self.short.get(&k),
            None => self.long.get(token),
        }
    }
}

/// A signature's tokens and its message range ([`signature_parts`]).
type Parts = (Vec<(String, Place)>, (usize, usize));
/// Those parts with the signature's named codes ([`named::named_codes`]) and
/// qualified names ([`named::qualified_names`]).
type Named = (Parts, Vec<(usize, String)>, Vec<(usize, usize)>);

/// Fewest tokens (placeholders aside) in double quotes that make a quoted message
/// ([`Place::Quoted`]): fewer are a JSON key or a quoted value.
pub const MIN_QUOTED: usize = 3;

/// The tokens of a signature text, each with where it sits ([`Place`]).
pub fn signature_tokens(text: &str) -> Vec<(String, Place)> {
    signature_parts(text).0
}

/// The tokens of a signature text with where they sit, and its message: on its
/// last line that is not a stack frame and has content, the last quoted message
/// with content, or else the last `: `-separated part with content (`write
/// <path>: no space left on device`, `java.lang.Error: Java heap space`: what went
/// wrong, after what was being done), with the part before it when it is one
/// qualified name (`java.lang.ClassNotFoundException: com.acme.Driver`). Wrapped
/// errors and exceptions put the most specific message last.
pub fn signature_parts(text: &str) -> (Vec<(String, Place)>, (usize, usize)) {
    let norm: Vec<String> = text
        .lines()
        .map(|l| {
            let mut n = normalise(l);
            spelling::join_prefixes(&mut n);
            n
        })
        .collect();
    let quotes: usize = norm.iter().map(|l| l.matches('"').count()).sum();
    let balanced = quotes >= 2 && quotes.is_multiple_of(2);
    let mut out = Vec::new();
    let mut inside = false;
    // line by line (undone `\n` escapes too), as input is; no token spans a line
    let mut message = (0, 0);
    for line in norm.iter().flat_map(|l| l.split('\n')) {
        let frame = weights::is_frame(line);
        let start = out.len();
        let mut quoted = None;
        for (k, part) in line.split('"').enumerate() {
            inside ^= k > 0;
            let mut toks = Vec::new();
            tokenize(part, true, |t| toks.push(spelling::canon(t).into_owned()));
            // a quoted message, not a JSON key or a single quoted value
            let message = toks.iter().filter(|t| *t != WILDCARD).count() >= MIN_QUOTED;
            let place = if frame {
                Place::Frame
            } else if balanced && inside && message {
                Place::Quoted
            } else {
                Place::Plain
            };
            let from = out.len();
            let content = toks.iter().any(|t| t != WILDCARD && is_content(t));
            out.extend(toks.into_iter().map(|t| (t, place)));
            if place == Place::Quoted && content {
                quoted = Some((from, out.len()));
            }
        }
        if !frame && let Some(m) = quoted.or_else(|| last_message(line, start, out.len())) {
            message = m;
        }
    }
    let first = out
        .iter()
        .position(|(t, _)| t != WILDCARD)
        .unwrap_or(out.len());
    let last = out
        .iter()
        .rposition(|(t, _)| t != WILDCARD)
        .map_or(0, |p| p + 1);
    if first >= last {
        return (Vec::new(), (0, 0));
    }
    let clamp = |k: usize| k.clamp(first, last) - first;
    (
        out[first..last].to_vec(),
        (clamp(message.0), clamp(message.1)),
    )
}

/// The token range of the last `: `-separated part of `line` that holds content
/// (with the part before it when it is one qualified name), its tokens being
/// `start..end` of the signature's; `None` when no part does or when the parts do
/// not tokenise as the line does.
fn last_message(line: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let mut parts = Vec::new();
    let mut at = start;
    for part in line.split(": ") {
        let (mut n, mut content) = (0, false);
        tokenize(part, true, |t| {
            n += 1;
            content |= t != WILDCARD && is_content(t);
        });
        parts.push((at, at + n, content, named::qualified(part).is_some()));
        at += n;
    }
    if at != end {
        return None;
    }
    let k = parts.iter().rposition(|p| p.2)?;
    // one qualified name is what the error is about (`…: com.acme.Driver`); what
    // went wrong is the part before it (`java.lang.ClassNotFoundException`)
    let before = parts[..k].iter().rposition(|p| p.2).filter(|_| parts[k].3);
    Some((before.map_or(parts[k].0, |b| parts[b].0), parts[k].1))
}

impl SignatureIndex {
    /// Tokenises and weighs every error text of `kb`.
    pub fn build(kb: &Kb) -> Self {
        let mut articles = Vec::new();
        let mut raw: Vec<(usize, Named)> = Vec::new();
        // tokenised on all cores, then put together in article order
        let tokens: Vec<Vec<Named>> = kb
            .articles
            .par_iter()
            .map(|a| {
                let sigs = a.errors.iter().map(|e| {
                    let (toks, message) = signature_parts(&e.text);
                    let words: Vec<&str> = toks.iter().map(|t| t.0.as_str()).collect();
                    let named = named::named_codes(&e.text, &words);
                    let names = named::qualified_names(&e.text, &words);
                    ((toks, message), named, names)
                });
                sigs.filter(|t| !t.0.0.is_empty()).collect()
            })
            .collect();
        for (a, sigs) in kb.articles.iter().zip(tokens) {
            let idx = articles.len();
            if sigs.is_empty() {
                continue;
            }
            articles.push(ArticleRef {
                id: a.id.clone(),
                title: a.title.clone(),
                url: format!("articles/{}/", a.id),
            });
            raw.extend(sigs.into_iter().map(|t| (idx, t)));
        }
        let mut df: HashMap<&str, usize, Fast> = HashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        for (_, ((toks, _), _, _)) in &raw {
            distinct.clear();
            distinct.extend(toks.iter().map(|(t, _)| t.as_str()));
            distinct.sort_unstable();
            distinct.dedup();
            for &t in distinct.iter().filter(|t| **t != WILDCARD) {
                *df.entry(t).or_default() += 1;
            }
        }
        let n = raw.len();
        let mut df: Vec<(&str, usize)> = df.into_iter().collect();
        df.sort_unstable();
        let vocab: Vec<String> = df.iter().map(|(t, _)| t.to_string()).collect();
        let vocab_weights: Vec<f64> = df.iter().map(|&(t, d)| weights::weight(t, d, n)).collect();
        let lookup = lookup_of(&vocab);
        let idf0 = weights::idf(0, n);
        let unknown = Unknown {
            word: weights::round4(idf0),
            code: weights::round4(weights::CODE_PRIOR * idf0),
            numbered: weights::round4(weights::NUMBERED_PRIOR * idf0),
            stop: weights::round4(weights::STOP_PRIOR * idf0),
            common: weights::round4(weights::COMMON_PRIOR * weights::common_idf(0, n)),
        };
        let content = content_ids(&vocab);
        let signatures: Vec<Signature> = raw
            .par_iter()
            .map(|(a, ((toks, m), named, names))| {
                let sig = make_signature(*a, toks, &lookup, &vocab_weights, &content);
                let sig = sig.with_message(*m).with_named(named.clone());
                sig.with_names(names.clone())
            })
            .collect();
        Self::assemble(articles, signatures, vocab, vocab_weights, unknown)
    }

    /// The index around its parts, with what matching derives from them: how many
    /// signatures hold each content token, and the anchors chosen by that.
    pub(super) fn assemble(
        articles: Vec<ArticleRef>,
        signatures: Vec<Signature>,
        vocab: Vec<String>,
        vocab_weights: Vec<f64>,
        unknown: Unknown,
    ) -> Self {
        let mut df = vec![0u32; vocab.len()];
        for sig in &signatures {
            for &(id, _) in &sig.content {
                df[id as usize] += 1;
            }
        }
        let mut known = Known::default();
        let masks = MASKS.iter().map(|m| (m, (UNKNOWN, MASK_WEIGHT)));
        let stops = STOPWORDS.iter().map(|t| (t, (UNKNOWN, unknown.stop)));
        let common = COMMON.iter().map(|t| (t, (UNKNOWN, unknown.common)));
        for (t, v) in stops.chain(common).chain(masks) {
            known.insert(t, v);
        }
        for (id, (t, &w)) in vocab.iter().zip(&vocab_weights).enumerate() {
            known.insert(t, (id as u32, w));
        }
        // every other spelling of a known token is known as it (`spelling::canon`),
        // so that reading input costs one look-up per token
        for (variant, canon) in spelling::variants() {
            if let Some(&v) = known.get(&canon) {
                known.insert(&variant, v);
            }
        }
        let classes: Vec<Class> = vocab.par_iter().map(|t| evidence::kind(t)).collect();
        let needs = signatures
            .par_iter()
            .map(|s| Needs::of(s, &classes))
            .collect();
        SignatureIndex {
            articles,
            signatures,
            needs,
            vocab,
            vocab_weights,
            unknown,
            anchors: OnceLock::new(),
            df,
            known,
        }
    }

    /// Per vocabulary id, the signatures it is an anchor of when a token costs
    /// `cost[id]` to look up (how often it is expected in the input).
    pub fn anchors_by(&self, cost: &[u32]) -> Vec<Vec<u32>> {
        let mut anchors = vec![Vec::new(); self.vocab.len()];
        for (k, sig) in self.signatures.iter().enumerate() {
            for id in anchors_of(sig, cost) {
                anchors[id as usize].push(k as u32);
            }
        }
        anchors
    }

    /// The anchors to use for an input whose first tokens are `ids`: chosen by how
    /// often each token occurs there, as log lines repeat their framing.
    pub fn anchors_for_input(&self, ids: &[u32]) -> Vec<Vec<u32>> {
        let mut count = vec![0u32; self.vocab.len()];
        for &id in ids {
            if let Some(c) = count.get_mut(id as usize) {
                *c = c.saturating_add(1);
            }
        }
        self.anchors_by(&count)
    }

    /// The anchors chosen by how many signatures share each token.
    pub fn default_anchors(&self) -> &[Vec<u32>] {
        self.anchors.get_or_init(|| self.anchors_by(&self.df))
    }

    /// The tokens of signature `s` with their weights; `None` for a placeholder.
    pub fn tokens_of(&self, s: usize) -> Vec<(Option<&str>, f64)> {
        let sig = &self.signatures[s];
        let token = |id: u32| (id != WILD).then(|| self.vocab[id as usize].as_str());
        sig.ids
            .iter()
            .zip(&sig.weights)
            .map(|(&id, &w)| (token(id), w))
            .collect()
    }

    /// The size of the vocabulary (ids below it are known tokens).
    pub fn vocab_len(&self) -> usize {
        self.vocab.len()
    }

    /// What an input token of vocabulary id `id` (or [`UNKNOWN`]) weighing `w` is.
    pub fn input_seen(&self, id: u32, w: f64) -> Seen {
        let (mask, stop) = match self.vocab.get(id as usize) {
            Some(t) => (weights::is_mask(t), weights::is_stopword(t)),
            None => (w == MASK_WEIGHT, w == self.unknown.stop),
        };
        if mask {
            Seen::Value
        } else if stop {
            Seen::Framing
        } else {
            Seen::Content
        }
    }

    /// The vocabulary id and weight of an input token.
    pub fn input_token(&self, token: &str) -> (u32, f64) {
        if let Some(&known) = self.known.get(token) {
            return known;
        }
        // neither in the vocabulary nor a mask nor a stopword (all in `known`)
        let w = match weights::shape_class(token) {
            Class::Numbered => self.unknown.numbered,
            Class::Code => self.unknown.code,
            Class::Stop | Class::Common | Class::Word => self.unknown.word,
        };
        (UNKNOWN, w)
    }
}

/// The anchors of a signature: content tokens without all of which it cannot reach
/// the threshold. They are taken cheapest first (`cost[id]` ascending, then the
/// heavier, then by id) until the content tokens left out, with all the framing
/// and masks, weigh under `THRESHOLD × total`. So every occurrence that scores
/// holds an anchor, whatever the costs: they only decide how much input is looked
/// at, never what is found.
pub fn anchors_of(sig: &Signature, cost: &[u32]) -> Vec<u32> {
    let mut order: Vec<(u32, f64)> = sig.content.clone();
    order.sort_by(|a, b| {
        let c = |id: u32| cost.get(id as usize).copied().unwrap_or(0);
        c(a.0)
            .cmp(&c(b.0))
            .then(b.1.total_cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let need = align::THRESHOLD * sig.total - 1e-9;
    let mut left = sig.free + order.iter().map(|&(_, w)| w).sum::<f64>();
    let mut out = Vec::new();
    for (id, w) in order {
        if left < need {
            break;
        }
        left -= w;
        out.push(id);
    }
    out.sort_unstable();
    out
}

fn is_content(token: &str) -> bool {
    !weights::is_mask(token) && !weights::is_stopword(token)
}

/// Per vocabulary id, whether the token is content (not framing, not a mask).
pub(super) fn content_ids(vocab: &[String]) -> Vec<bool> {
    vocab.iter().map(|t| is_content(t)).collect()
}

/// The vocabulary ids of `vocab`, which is in ascending order.
fn lookup_of(vocab: &[String]) -> Lookup {
    vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32))
        .collect()
}

fn make_signature(
    article: usize,
    toks: &[(String, Place)],
    lookup: &Lookup,
    vocab_weights: &[f64],
    content: &[bool],
) -> Signature {
    let mut ids = Vec::with_capacity(toks.len());
    let mut ws = Vec::with_capacity(toks.len());
    let mut seen: HashMap<u32, u32> = HashMap::new();
    for (t, place) in toks {
        let Some(&id) = lookup.get(t.as_str()) else {
            ids.push(WILD);
            ws.push(0.0);
            continue;
        };
        let w = weights::placed(t, vocab_weights[id as usize], *place);
        let k = seen.entry(id).or_default();
        *k += 1;
        let w = weights::repeated(t, w, *k);
        ids.push(id);
        ws.push(w);
    }
    Signature::new(article, ids, ws, content)
}

impl Signature {
    /// A signature of tokens `ids` (`WILD` or a vocabulary id, whether content by
    /// [`content_ids`]) weighing `ws`, with the sums and the span the matcher uses.
    pub(super) fn new(article: usize, ids: Vec<u32>, ws: Vec<f64>, is_content: &[bool]) -> Self {
        let (mut total, mut free) = (0.0, 0.0);
        let mut content: BTreeMap<u32, f64> = BTreeMap::new();
        let mut wild = 0;
        for (&id, &w) in ids.iter().zip(&ws) {
            let Some(&content_id) = is_content.get(id as usize) else {
                wild += 1;
                continue;
            };
            total += w;
            if content_id {
                *content.entry(id).or_default() += w;
            } else {
                free += w;
            }
        }
        Signature {
            article,
            span: span(ids.len(), wild),
            ids,
            weights: ws,
            total,
            free,
            content: heaviest_first(content),
            message: (0, 0),
            named: Vec::new(),
            names: Vec::new(),
        }
    }

    /// This signature with named codes `named` (those inside its tokens).
    pub(super) fn with_named(mut self, mut named: Vec<(usize, String)>) -> Self {
        named.retain(|n| n.0 < self.ids.len() && self.ids[n.0] != WILD);
        self.named = named;
        self
    }

    /// This signature with qualified names `names` (those inside its tokens).
    pub(super) fn with_names(mut self, mut names: Vec<(usize, usize)>) -> Self {
        names.retain(|&(a, b)| a < b && b <= self.ids.len());
        self.names = names;
        self
    }

    /// This signature with message range `m` (kept inside its tokens).
    pub(super) fn with_message(mut self, (a, b): (usize, usize)) -> Self {
        let n = self.ids.len();
        self.message = (a.min(n), b.min(n).max(a.min(n)));
        self
    }
}

/// Content tokens and weights, heaviest first (then by id).
fn heaviest_first(content: BTreeMap<u32, f64>) -> Vec<(u32, f64)> {
    let mut content: Vec<(u32, f64)> = content.into_iter().collect();
    content.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    content
}

/// The most input tokens an occurrence of a signature of `m` tokens, `wild` of them
/// wildcards, may span: what it can explain (each wildcard absorbs up to
/// `WILDCARD_MAX` tokens) and as many unexplained tokens as the signature has, as
/// an occurrence with more unexplained input than that rarely keeps half its
/// stretch's weight explained. A long value is absorbed, not unexplained, so it
/// widens the span once, not twice.
pub fn span(m: usize, wild: usize) -> usize {
    2 * m + (align::WILDCARD_MAX as usize - 1) * wild
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_the_last_quoted_message_or_the_last_part_after_a_colon() {
        let (toks, (a, b)) =
            signature_parts("failed to register layer: write <path>: no space left");
        let msg: Vec<&str> = toks[a..b].iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(msg, ["no", "space", "left"]);
        let (toks, (a, b)) =
            signature_parts(r#"{"code":"E1","message":"Invalid value for 'nick' of resource"}"#);
        assert_eq!(toks[a].0, "invalid");
        assert_eq!(toks[b - 1].0, "resource");
        // a frame line is never the message
        let (toks, (a, b)) = signature_parts("java.lang.Error: heap full\n\tat a.B.c(B.java:3)");
        let msg: Vec<&str> = toks[a..b].iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(msg, ["heap", "full"]);
        // a message that is one qualified name takes the part before it
        let (toks, (a, b)) =
            signature_parts("Caused by: java.lang.ClassNotFoundException: com.acme.Driver");
        let msg: Vec<&str> = toks[a..b].iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            msg,
            [
                "java",
                "lang",
                "classnotfoundexception",
                "com",
                "acme",
                "driver"
            ]
        );
    }

    #[test]
    fn tokens_on_frame_lines_and_inside_quotes_are_placed() {
        let text = "IllegalStateException: \"cannot assign it\nthe phone number\" (code 7)\n    \
                    at net.ldap.Worker.run(Worker.java:411)\\n\tat Main.main(Main.java:3)";
        let got = signature_tokens(text);
        let place = |t: &str| got.iter().find(|(g, _)| g == t).map(|&(_, p)| p);
        assert_eq!(place("illegalstateexception"), Some(Place::Plain));
        assert_eq!(place("assign"), Some(Place::Quoted));
        assert_eq!(place("number"), Some(Place::Quoted));
        assert_eq!(place("code"), Some(Place::Plain));
        assert_eq!(place("worker"), Some(Place::Frame));
        // after an escaped `\n`, as a frame pasted from JSON
        assert_eq!(place("main"), Some(Place::Frame));
        // the same tokens as the whole text gives, line by line or not
        let norm: Vec<String> = text.lines().map(normalise).collect();
        let mut whole = Vec::new();
        tokenize(&norm.join("\n"), true, |t| whole.push(t.to_string()));
        let tokens: Vec<String> = got.into_iter().map(|(t, _)| t).collect();
        assert_eq!(tokens, whole);
        // a JSON key or a single quoted value is not a quoted message
        let json = signature_tokens(
            r#"{"error":"invalid_grant","error_description":"the code has expired"}"#,
        );
        let place = |t: &str| json.iter().find(|(g, _)| g == t).map(|&(_, p)| p);
        assert_eq!(place("invalid_grant"), Some(Place::Plain));
        assert_eq!(place("error_description"), Some(Place::Plain));
        assert_eq!(place("expired"), Some(Place::Quoted));
    }
}
