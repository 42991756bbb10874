//! The warnings about error texts too generic to identify their article, judged
//! with the matcher's own rules ([`crate::signature::evidence`]):
//!
//! - **W007**: the error text holds no error code and fewer than two *specific*
//!   tokens (not framing, not one of the words every vendor's errors share, not a
//!   placeholder): it matches only when a paste holds it whole, and then it would
//!   match unrelated errors that happen to say the same few words
//!   (`Login failed for user '<username>'.`).
//! - **W008**: its distinctive tokens (codes and specific words) all appear in one
//!   error text of another article, so nothing in it tells the two apart.
//!
//! Both are warnings (real knowledge bases have them), located at the `errors:`
//! entry, with the hint to add the code or the quoted part of the message. An
//! error text short enough for W003 is not warned again.

use super::codes;
use super::rules::{MIN_ERROR_WORDS, has_vendor_code, significant_words};
use crate::diagnostic::{Diagnostic, Related};
use crate::model::Kb;
use crate::signature::evidence::MIN_SPECIFIC;
use crate::signature::index::signature_tokens;
use crate::signature::weights::{self, Class};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

const HINT: &str = "add the code or the quoted part of the message";

/// The distinctive tokens of an error text: its codes and specific words.
fn distinctive(text: &str) -> BTreeSet<String> {
    signature_tokens(text)
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| !weights::is_mask(t))
        .filter(|t| {
            matches!(
                weights::class(t),
                Class::Numbered | Class::Code | Class::Word
            )
        })
        .filter(|t| t != crate::signature::tokens::WILDCARD)
        .collect()
}

fn has_code(tokens: &BTreeSet<String>) -> bool {
    tokens.iter().any(|t| weights::class(t) == Class::Numbered)
}

/// Where the text of an `errors:` entry on `line` starts: after the indent and
/// the list's `- `.
fn column(source: Option<&str>, line: usize) -> usize {
    // any line end: `\n`, `\r\n` or a lone `\r`, as the YAML parser counts them
    let text = source.and_then(|s| {
        let s = s.replace("\r\n", "\n");
        s.split(['\n', '\r'])
            .nth(line.saturating_sub(1))
            .map(str::to_string)
    });
    text.map_or(1, |l| {
        let rest = l.trim_start();
        let rest = rest.strip_prefix("- ").map_or(rest, str::trim_start);
        l.len() - rest.len() + 1
    })
}

/// The distinctive tokens of error texts already tokenised, by text: a checker
/// that runs again after an edit tokenises only the texts it has not seen.
pub type Distinct = HashMap<String, BTreeSet<String>>;

/// W007 and W008 for every error text of `kb`; `source` gives a file's text.
pub fn generic_errors<'a>(kb: &Kb, source: impl Fn(&Path) -> Option<&'a str>) -> Vec<Diagnostic> {
    generic_errors_with(kb, source, &mut Distinct::new())
}

/// [`generic_errors`] with the distinctive tokens of texts seen before in `seen`
/// (kept for the next call: texts no longer in `kb` are dropped).
pub fn generic_errors_with<'a>(
    kb: &Kb,
    source: impl Fn(&Path) -> Option<&'a str>,
    seen: &mut Distinct,
) -> Vec<Diagnostic> {
    let texts: BTreeSet<&str> = kb
        .articles
        .iter()
        .flat_map(|a| a.errors.iter().map(|e| e.text.as_str()))
        .collect();
    seen.retain(|t, _| texts.contains(t.as_str()));
    let new: Vec<&str> = texts
        .into_iter()
        .filter(|t| !seen.contains_key(*t))
        .collect();
    // tokenised on all cores
    let fresh: Vec<(String, BTreeSet<String>)> = new
        .par_iter()
        .map(|t| (t.to_string(), distinctive(t)))
        .collect();
    seen.extend(fresh);
    // (article index, error index, distinctive tokens) of every error text
    let mut all: Vec<(usize, usize, &BTreeSet<String>)> = Vec::new();
    for (a, article) in kb.articles.iter().enumerate() {
        for (e, err) in article.errors.iter().enumerate() {
            all.push((a, e, &seen[&err.text]));
        }
    }
    let mut holding: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (_, _, toks)) in all.iter().enumerate() {
        for t in toks.iter() {
            holding.entry(t.as_str()).or_default().push(k);
        }
    }
    let mut out = Vec::new();
    for (a, e, toks) in &all {
        let article = &kb.articles[*a];
        let err = &article.errors[*e];
        if significant_words(&err.text) < MIN_ERROR_WORDS && !has_vendor_code(&err.text) {
            continue; // W003 says it already
        }
        // looked for only when there is something to say
        let col = || column(source(&article.path), err.line);
        if !has_code(toks) && toks.len() < MIN_SPECIFIC {
            let words: Vec<&str> = toks.iter().map(String::as_str).collect();
            let said = match words.len() {
                0 => "no code and no distinctive word".to_string(),
                n => format!(
                    "no code and only {n} distinctive word ({})",
                    words.join(", ")
                ),
            };
            out.push(
                Diagnostic::warning(
                    codes::GENERIC_ERROR,
                    &article.path,
                    err.line,
                    col(),
                    format!("error text too generic: {said}; it would match unrelated errors"),
                )
                .with_hint(HINT),
            );
            continue;
        }
        // the error texts of other articles holding its rarest token, then all of them
        let Some(rarest) = toks.iter().min_by_key(|t| holding[t.as_str()].len()) else {
            continue;
        };
        let other = holding[rarest.as_str()]
            .iter()
            .map(|&k| &all[k])
            .find(|(b, _, theirs)| b != a && toks.is_subset(theirs));
        if let Some((b, f, _)) = other {
            let them = &kb.articles[*b];
            let line = them.errors[*f].line;
            out.push(
                Diagnostic::warning(
                    codes::SHARED_ERROR,
                    &article.path,
                    err.line,
                    col(),
                    format!(
                        "error text not distinctive: its distinctive tokens all appear in an error text of `{}`; a paste could not tell the two apart",
                        them.id
                    ),
                )
                .with_hint(HINT)
                .with_related(Related {
                    path: them.path.clone(),
                    line,
                    column: column(source(&them.path), line),
                    message: "the other article's error text".to_string(),
                }),
            );
        }
    }
    out
}
