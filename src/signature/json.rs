//! `signatures.json`: the compact, versioned form of the index that `kbgen build`
//! writes for `match.js`, and reading it back for `kbgen match --site`, so that a
//! log is matched without checking the knowledge base again. Reading rebuilds
//! everything the matcher derives (sums, spans, anchors) the way `build` does, so
//! both give the same matches.

use super::align::{self, WILD};
use super::common::COMMON;
use super::evidence::CONFIDENCE;
use super::index::{ArticleRef, Signature, SignatureIndex, Unknown, content_ids};
use super::spelling;
use super::weights::{MASK_WEIGHT, STOPWORDS};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `version` this kbgen writes and reads.
pub const VERSION: u32 = 2;

#[derive(Serialize)]
struct Sig<'a> {
    a: usize,
    t: Vec<i64>,
    w: &'a [f64],
    m: [usize; 2],
    /// Named codes: token position and family (left out when none).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    c: &'a [(usize, String)],
    /// Qualified names: token ranges (left out when none).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    q: &'a [(usize, usize)],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Json<'a> {
    version: u32,
    threshold: f64,
    confidence: f64,
    gap: f64,
    wildcard_max: u32,
    mask: f64,
    unknown: Unknown,
    stopwords: &'a [&'a str],
    common: &'a [&'a str],
    spelling: &'a spelling::Tables,
    articles: &'a [ArticleRef],
    tokens: &'a [String],
    weights: &'a [f64],
    signatures: Vec<Sig<'a>>,
}

/// Only the version, read first so that another version is named as such rather
/// than as whatever field it lacks.
#[derive(Deserialize)]
struct Versioned {
    version: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SigIn {
    a: usize,
    t: Vec<i64>,
    w: Vec<f64>,
    m: [usize; 2],
    #[serde(default)]
    c: Vec<(usize, String)>,
    #[serde(default)]
    q: Vec<(usize, usize)>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsonIn {
    version: u32,
    threshold: f64,
    confidence: f64,
    gap: f64,
    wildcard_max: u32,
    mask: f64,
    unknown: Unknown,
    stopwords: Vec<String>,
    common: Vec<String>,
    spelling: serde_json::Value,
    articles: Vec<ArticleRef>,
    tokens: Vec<String>,
    weights: Vec<f64>,
    signatures: Vec<SigIn>,
}

/// Why a `signatures.json` could not be read; the caller names the file.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// Line and column (1-based) of a syntax or type error.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.at {
            write!(f, "{line}:{column}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

fn syntax(e: &serde_json::Error) -> JsonError {
    let message = e.to_string();
    // serde_json appends " at line L column C", given here in front
    let message = match message.rfind(" at line ") {
        Some(k) if e.line() > 0 => message[..k].to_string(),
        _ => message,
    };
    JsonError {
        at: (e.line() > 0).then(|| (e.line(), e.column())),
        message,
    }
}

fn other_version(version: u32) -> JsonError {
    invalid(format!(
        "signatures.json version {version} (this kbgen reads version {VERSION}); \
         rebuild the site with this kbgen"
    ))
}

fn invalid(message: String) -> JsonError {
    JsonError { at: None, message }
}

impl SignatureIndex {
    /// The compact, versioned `signatures.json` of the site (see `match.js`).
    pub fn to_json(&self) -> String {
        let signatures = self
            .signatures
            .iter()
            .map(|s| Sig {
                a: s.article,
                t: s.ids
                    .iter()
                    .map(|&i| if i == WILD { -1 } else { i64::from(i) })
                    .collect(),
                w: &s.weights,
                m: [s.message.0, s.message.1],
                c: &s.named,
                q: &s.names,
            })
            .collect();
        let json = Json {
            version: VERSION,
            threshold: align::THRESHOLD,
            confidence: CONFIDENCE,
            gap: align::GAP,
            wildcard_max: align::WILDCARD_MAX,
            mask: MASK_WEIGHT,
            unknown: self.unknown,
            stopwords: STOPWORDS,
            common: COMMON,
            spelling: &spelling::TABLES,
            articles: &self.articles,
            tokens: &self.vocab,
            weights: &self.vocab_weights,
            signatures,
        };
        serde_json::to_string(&json).unwrap_or_default()
    }

    /// Reads what [`Self::to_json`] wrote: the same index, matching the same.
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        // parsed once; only a file that does not fit is read again for its version,
        // so that another version is named as such rather than by a field it lacks
        let json: JsonIn = serde_json::from_str(text).map_err(|e| {
            match serde_json::from_str::<Versioned>(text) {
                Ok(v) if v.version != VERSION => other_version(v.version),
                Ok(_) => syntax(&e),
                // not even the version reads: the file itself is malformed there
                Err(not_json) => syntax(&not_json),
            }
        })?;
        if json.version != VERSION {
            return Err(other_version(json.version));
        }
        check_rules(&json)?;
        check_tokens(&json.tokens, &json.weights)?;
        let n = json.articles.len();
        let content = content_ids(&json.tokens);
        // on all cores; the first bad signature in file order is the one reported
        let signatures: Vec<Result<Signature, JsonError>> = json
            .signatures
            .into_par_iter()
            .enumerate()
            .map(|(k, s)| signature(k, s, n, &content))
            .collect();
        let signatures = signatures.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Self::assemble(
            json.articles,
            signatures,
            json.tokens,
            json.weights,
            json.unknown,
        ))
    }
}

/// The matching rules the file was written with must be this kbgen's.
fn check_rules(json: &JsonIn) -> Result<(), JsonError> {
    let spelling = serde_json::to_value(&spelling::TABLES).unwrap_or_default();
    let same = json.threshold == align::THRESHOLD
        && json.confidence == CONFIDENCE
        && json.spelling == spelling
        && json
            .common
            .iter()
            .map(String::as_str)
            .eq(COMMON.iter().copied())
        && json.gap == align::GAP
        && json.wildcard_max == align::WILDCARD_MAX
        && json.mask == MASK_WEIGHT
        && json
            .stopwords
            .iter()
            .map(String::as_str)
            .eq(STOPWORDS.iter().copied());
    if same {
        Ok(())
    } else {
        Err(invalid(
            "written with other matching rules (threshold, confidence, gap, wildcards, mask \
             weight, stopwords, common words or spellings) than this kbgen's; rebuild the \
             site with this kbgen"
                .into(),
        ))
    }
}

fn check_tokens(tokens: &[String], weights: &[f64]) -> Result<(), JsonError> {
    if tokens.len() != weights.len() {
        return Err(invalid(format!(
            "{} tokens but {} weights",
            tokens.len(),
            weights.len()
        )));
    }
    if let Some(k) = tokens.windows(2).position(|p| p[0] >= p[1]) {
        return Err(invalid(format!(
            "tokens are not in ascending order at token {}: {:?}",
            k + 1,
            tokens[k + 1]
        )));
    }
    if let Some(k) = weights.iter().position(|w| *w < 0.0) {
        return Err(invalid(format!("weight {k} is negative")));
    }
    Ok(())
}

/// Signature `k` of the file, checked against the number of `articles` and the
/// vocabulary (`content`: whether each token is content).
fn signature(
    k: usize,
    s: SigIn,
    articles: usize,
    content: &[bool],
) -> Result<Signature, JsonError> {
    let tokens = content.len();
    let bad = |what: String| invalid(format!("signature {k}: {what}"));
    if s.a >= articles {
        return Err(bad(format!("article {} of {articles}", s.a)));
    }
    if s.t.len() != s.w.len() {
        return Err(bad(format!(
            "{} tokens but {} weights",
            s.t.len(),
            s.w.len()
        )));
    }
    if !s.t.iter().any(|&t| t >= 0) {
        return Err(bad("no token but wildcards".into()));
    }
    if s.w.iter().any(|w| *w < 0.0) {
        return Err(bad("a negative weight".into()));
    }
    let ids =
        s.t.iter()
            .map(|&t| match t {
                -1 => Ok(WILD),
                t if t >= 0 && (t as u64) < tokens as u64 => Ok(t as u32),
                t => Err(bad(format!("token {t} of {tokens}"))),
            })
            .collect::<Result<Vec<u32>, _>>()?;
    if s.m[0] > s.m[1] || s.m[1] > ids.len() {
        return Err(bad(format!(
            "message {:?} outside its {} tokens",
            s.m,
            ids.len()
        )));
    }
    if let Some((j, _)) = s.c.iter().find(|(j, _)| *j >= ids.len() || ids[*j] == WILD) {
        return Err(bad(format!("named code at {j}, not one of its tokens")));
    }
    if let Some(q) = s.q.iter().find(|&&(a, b)| a >= b || b > ids.len()) {
        return Err(bad(format!(
            "qualified name {q:?} outside its {} tokens",
            ids.len()
        )));
    }
    Ok(Signature::new(s.a, ids, s.w, content)
        .with_message((s.m[0], s.m[1]))
        .with_named(s.c)
        .with_names(s.q))
}
