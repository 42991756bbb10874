//! `kbgen match --explain`: why an article matched. For its best occurrence: the
//! error text that matched (as the matcher sees it: normalised tokens, `<…>` for a
//! placeholder), the input lines, and its tokens found and missing with their
//! weights, so a reader sees at once whether it is their error.

use crate::signature::{ArticleMatch, SignatureIndex};
use serde::Serialize;
use std::fmt::Write as _;

/// One token of the signature and its weight.
#[derive(Debug, Serialize)]
pub struct Weighed<'a> {
    pub token: &'a str,
    pub weight: f64,
}

/// The `explain` object of `kbgen match --format json --explain`.
#[derive(Debug, Serialize)]
pub struct Explain<'a> {
    /// The signature's tokens, `<…>` for a placeholder; found ones in `[ ]` in text.
    pub signature: String,
    /// First and last input line of the occurrence.
    pub lines: [u64; 2],
    pub found: Vec<Weighed<'a>>,
    pub missing: Vec<Weighed<'a>>,
}

/// Why `m` matched, if the matcher kept its best occurrence.
pub fn explain<'a>(index: &'a SignatureIndex, m: &ArticleMatch) -> Option<Explain<'a>> {
    let best = m.best.as_ref()?;
    let (mut found, mut missing, mut words) = (Vec::new(), Vec::new(), Vec::new());
    for ((token, weight), &hit) in index.tokens_of(best.signature).into_iter().zip(&best.found) {
        let Some(token) = token else {
            words.push("<…>".to_string());
            continue;
        };
        words.push(if hit {
            format!("[{token}]")
        } else {
            token.to_string()
        });
        let w = Weighed { token, weight };
        if hit { found.push(w) } else { missing.push(w) }
    }
    Some(Explain {
        signature: words.join(" "),
        lines: [best.lines.0, best.lines.1],
        found,
        missing,
    })
}

/// The `--explain` block of the human listing, indented under its article.
pub fn human(index: &SignatureIndex, m: &ArticleMatch, s: &mut String) {
    let Some(e) = explain(index, m) else { return };
    let list = |ws: &[Weighed]| {
        let parts: Vec<String> = ws
            .iter()
            .map(|w| format!("{} {:.2}", w.token, w.weight))
            .collect();
        if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(", ")
        }
    };
    let lines = if e.lines[0] == e.lines[1] {
        format!("line {}", e.lines[0])
    } else {
        format!("lines {}-{}", e.lines[0], e.lines[1])
    };
    let _ = writeln!(s, "   why: at {lines}, this error text ([found] words):");
    let _ = writeln!(s, "        {}", e.signature);
    let _ = writeln!(s, "   found:   {}", list(&e.found));
    let _ = writeln!(s, "   missing: {}", list(&e.missing));
}
