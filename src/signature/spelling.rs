//! Spelling variants that say the same thing, made one token on both sides of a
//! match: British and American spellings (`acknowledgement` / `acknowledgment`,
//! `authorisation` / `authorization`, `cancelled` / `canceled`) become the
//! American one, and a hyphen after a prefix (`pre-login`, `multi-factor`,
//! `non-existent`) is dropped, as vendors print both forms; and a verb with its
//! particle, one space or hyphen apart, is written as the noun (`set up` and
//! `set-up` → `setup`, `log in` → `login`, `time out` → `timeout`, `plug-in` →
//! `plugin`: [`COMPOUNDS`]).
//!
//! Two steps, applied after normalising and around the tokeniser (which they leave
//! as it is): [`join_prefixes`] on the normalised line, [`canon`] on each token.
//! The tables travel in `signatures.json`, so `match.js` applies exactly these.

use aho_corasick::{AhoCorasick, Input, MatchKind};
use serde::Serialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Prefixes whose hyphen before a letter is dropped (`pre-login` → `prelogin`).
pub const PREFIXES: &[&str] = &[
    "auto", "co", "inter", "multi", "non", "post", "pre", "re", "sub", "un",
];

/// Words printed both whole and as a verb and its particle (`log in`, `log-in`),
/// as (verb, particle), sorted.
pub const COMPOUNDS: &[(&str, &str)] = &[
    ("back", "up"),
    ("built", "in"),
    ("clean", "up"),
    ("lock", "out"),
    ("log", "in"),
    ("log", "off"),
    ("log", "on"),
    ("log", "out"),
    ("look", "up"),
    ("plug", "in"),
    ("pop", "up"),
    ("roll", "back"),
    ("roll", "out"),
    ("set", "up"),
    ("shut", "down"),
    ("sign", "in"),
    ("sign", "on"),
    ("sign", "out"),
    ("sign", "up"),
    ("start", "up"),
    ("time", "out"),
    ("work", "around"),
];

/// Whole words and their American spelling, sorted by the first.
pub const WORDS: &[(&str, &str)] = &[
    ("acknowledgement", "acknowledgment"),
    ("acknowledgements", "acknowledgments"),
    ("analyse", "analyze"),
    ("analysed", "analyzed"),
    ("artefact", "artifact"),
    ("artefacts", "artifacts"),
    ("behaviour", "behavior"),
    ("behaviours", "behaviors"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("catalogue", "catalog"),
    ("centre", "center"),
    ("colour", "color"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("favour", "favor"),
    ("fulfil", "fulfill"),
    ("grey", "gray"),
    ("judgement", "judgment"),
    ("labelled", "labeled"),
    ("labelling", "labeling"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("modelled", "modeled"),
    ("neighbour", "neighbor"),
    ("programme", "program"),
    ("signalled", "signaled"),
    ("travelled", "traveled"),
];

/// Stems spelled `-is-` in British English and `-iz-` in American, before the
/// endings in [`ENDINGS`] (`authoris` + `ed` → `authorized`).
pub const STEMS: &[&str] = &[
    "authoris",
    "capitalis",
    "categoris",
    "customis",
    "deserialis",
    "finalis",
    "initialis",
    "localis",
    "maximis",
    "minimis",
    "normalis",
    "optimis",
    "organis",
    "prioritis",
    "realis",
    "recognis",
    "sanitis",
    "serialis",
    "standardis",
    "summaris",
    "synchronis",
    "tokenis",
    "unauthoris",
    "unrecognis",
    "utilis",
    "virtualis",
    "visualis",
];

/// Endings after a stem of [`STEMS`].
pub const ENDINGS: &[&str] = &["e", "ed", "er", "ers", "es", "ing", "ation", "ations"];

/// Whether byte `c` continues a word (an ASCII letter, digit or `_`).
fn in_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Every [`COMPOUNDS`] pair written with a space and with a hyphen (`log in`,
/// `log-in`), found in one pass over a line.
fn pairs() -> &'static AhoCorasick {
    static PAIRS: OnceLock<AhoCorasick> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let written = COMPOUNDS
            .iter()
            .flat_map(|(v, p)| [format!("{v} {p}"), format!("{v}-{p}")]);
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(written)
            .expect("the compound pairs are a small fixed set")
    })
}

/// The tables, as `signatures.json` holds them for `match.js`.
#[derive(Debug, Serialize)]
pub struct Tables {
    pub prefixes: &'static [&'static str],
    pub compounds: &'static [(&'static str, &'static str)],
    pub words: &'static [(&'static str, &'static str)],
    pub stems: &'static [&'static str],
    pub endings: &'static [&'static str],
}

/// This kbgen's tables.
pub const TABLES: Tables = Tables {
    prefixes: PREFIXES,
    compounds: COMPOUNDS,
    words: WORDS,
    stems: STEMS,
    endings: ENDINGS,
};

/// The one spelling of a token: American, `-ize`.
pub fn canon(token: &str) -> Cow<'_, str> {
    if let Ok(k) = WORDS.binary_search_by(|(w, _)| w.cmp(&token)) {
        return Cow::Borrowed(WORDS[k].1);
    }
    if !token.contains("is") {
        return Cow::Borrowed(token);
    }
    for stem in STEMS {
        if let Some(end) = token.strip_prefix(stem)
            && ENDINGS.contains(&end)
        {
            return Cow::Owned(format!("{}z{end}", &stem[..stem.len() - 1]));
        }
    }
    Cow::Borrowed(token)
}

/// Every spelling [`canon`] changes, with the one it gives.
pub fn variants() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = WORDS
        .iter()
        .map(|(w, c)| (w.to_string(), c.to_string()))
        .collect();
    for stem in STEMS {
        for end in ENDINGS {
            let variant = format!("{stem}{end}");
            let canon = canon(&variant).into_owned();
            out.push((variant, canon));
        }
    }
    out
}

/// Drops, in a normalised line, the hyphen between a word that is one of
/// [`PREFIXES`] and a following ASCII letter (`pre-login` → `prelogin`), and the
/// space or hyphen between the two words of a [`COMPOUNDS`] pair (`log in` →
/// `login`).
pub fn join_prefixes(line: &mut String) {
    let b = line.as_bytes();
    // a word starts after a non-word ASCII byte (a non-ASCII byte is a letter)
    let starts_word = |at: usize| at == 0 || (!in_word(b[at - 1]) && b[at - 1].is_ascii());
    let ends_word = |at: usize| b.get(at).is_none_or(|&c| !in_word(c) && c.is_ascii());
    let mut cut = Vec::new();
    for k in memchr::memchr_iter(b'-', b) {
        if !b.get(k + 1).is_some_and(u8::is_ascii_lowercase) {
            continue;
        }
        let start = b[..k]
            .iter()
            .rposition(|&c| !in_word(c))
            .map_or(0, |p| p + 1);
        if starts_word(start) && PREFIXES.contains(&&line[start..k]) {
            cut.push(k);
        }
    }
    // every pair found, also one that starts inside another (`roll back up`): at
    // most one pattern can start at a place, so searching on from the byte after
    // each start finds them all
    let mut from = 0;
    while let Some(m) = pairs().find(Input::new(b).span(from..b.len())) {
        if starts_word(m.start()) && ends_word(m.end()) {
            let (verb, _) = COMPOUNDS[m.pattern().as_usize() / 2];
            cut.push(m.start() + verb.len());
        }
        from = m.start() + 1;
    }
    cut.sort_unstable();
    cut.dedup();
    for k in cut.into_iter().rev() {
        line.remove(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_spellings_become_american() {
        assert_eq!(canon("acknowledgement"), "acknowledgment");
        assert_eq!(canon("cancelled"), "canceled");
        assert_eq!(canon("authorisation"), "authorization");
        assert_eq!(canon("unauthorised"), "unauthorized");
        assert_eq!(canon("recognised"), "recognized");
        assert_eq!(canon("authorization"), "authorization");
        assert_eq!(canon("otherwise"), "otherwise");
        assert_eq!(canon("realistic"), "realistic");
    }

    #[test]
    fn a_hyphen_after_a_prefix_is_dropped() {
        let join = |s: &str| {
            let mut s = s.to_string();
            join_prefixes(&mut s);
            s
        };
        assert_eq!(join("the pre-login handshake"), "the prelogin handshake");
        assert_eq!(
            join("multi-factor auth, non-existent"),
            "multifactor auth, nonexistent"
        );
        assert_eq!(
            join("ora-00942 re-1 spre-login x-re-try"),
            "ora-00942 re-1 spre-login x-retry"
        );
    }

    #[test]
    fn a_verb_and_its_particle_are_one_word() {
        let join = |s: &str| {
            let mut s = s.to_string();
            join_prefixes(&mut s);
            s
        };
        assert_eq!(
            join("please run az login to set up an account"),
            "please run az login to setup an account"
        );
        assert_eq!(
            join("failed to log in; sign-in timed out"),
            "failed to login; signin timed out"
        );
        assert_eq!(
            join("the operation will time out"),
            "the operation will timeout"
        );
        assert_eq!(
            join("a built-in role, a plug-in"),
            "a builtin role, a plugin"
        );
        // whole words only
        assert_eq!(
            join("reset upload login in settings"),
            "reset upload login in settings"
        );
        assert_eq!(join("catalog in"), "catalog in");
        // a pair inside another, and after a longer word that is not the verb
        assert_eq!(join("roll back up the log in"), "rollbackup the login");
        assert_eq!(join("xroll back up, élog in"), "xroll backup, élog in");
    }

    #[test]
    fn every_variant_is_what_canon_changes() {
        let v = variants();
        assert!(v.iter().all(|(w, c)| w != c && canon(w) == c.as_str()));
        assert!(v.iter().any(|(w, _)| w == "authorised"));
    }

    #[test]
    fn the_tables_are_sorted_and_lower_case() {
        assert!(WORDS.windows(2).all(|p| p[0].0 < p[1].0));
        assert!(STEMS.iter().all(|s| s.ends_with("is")));
        assert!(COMPOUNDS.windows(2).all(|p| p[0] < p[1]));
    }
}
