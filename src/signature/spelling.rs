//! Spelling variants that must cost nothing: British and American spellings
//! (`acknowledgement` / `acknowledgment`, `authorisation` / `authorization`,
//! `cancelled` / `canceled`) become the American one ([`VARIANTS`]), and a word
//! joined to a prefix (`prelogin`, `multifactor`) is split as its hyphenated
//! form is (`pre-login` tokenises as `pre`, `login`; [`PREFIXES`]). Applied to the
//! tokens of signatures and of input alike, after [`super::tokens`];
//! `signatures.json` carries both tables (`variants`, `prefixes`) so that
//! `match.js` applies the same.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Prefixes that vendors write joined or hyphenated; a token that starts with
/// one and goes on with at least [`REST_MIN`] letters is split after it.
pub const PREFIXES: &[&str] = &["pre", "multi", "non"];
/// The fewest letters after a prefix for a token to be split.
pub const REST_MIN: usize = 4;

/// British spelling → American, for words that error messages use.
pub const VARIANTS: &[(&str, &str)] = &[
    ("acknowledgement", "acknowledgment"),
    ("acknowledgements", "acknowledgments"),
    ("analyse", "analyze"),
    ("authorisation", "authorization"),
    ("authorisations", "authorizations"),
    ("authorise", "authorize"),
    ("authorised", "authorized"),
    ("behaviour", "behavior"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("catalogue", "catalog"),
    ("centre", "center"),
    ("colour", "color"),
    ("customise", "customize"),
    ("defence", "defense"),
    ("finalise", "finalize"),
    ("initialisation", "initialization"),
    ("initialise", "initialize"),
    ("initialised", "initialized"),
    ("judgement", "judgment"),
    ("labelled", "labeled"),
    ("licence", "license"),
    ("localisation", "localization"),
    ("maximise", "maximize"),
    ("minimise", "minimize"),
    ("modelling", "modeling"),
    ("normalise", "normalize"),
    ("optimise", "optimize"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("prioritise", "prioritize"),
    ("recognise", "recognize"),
    ("recognised", "recognized"),
    ("serialisation", "serialization"),
    ("serialise", "serialize"),
    ("synchronisation", "synchronization"),
    ("synchronise", "synchronize"),
    ("unauthorised", "unauthorized"),
    ("unrecognised", "unrecognized"),
    ("utilise", "utilize"),
    ("virtualisation", "virtualization"),
];

fn variant(token: &str) -> &str {
    static MAP: OnceLock<HashMap<&'static str, &'static str, foldhash::fast::FixedState>> =
        OnceLock::new();
    if token.len() < 5 || token.starts_with('<') {
        return token;
    }
    let map = MAP.get_or_init(|| VARIANTS.iter().copied().collect());
    map.get(token).copied().unwrap_or(token)
}

/// The tokens `token` stands for, in order, to `emit`: split after a prefix,
/// each part in its American spelling.
pub fn each(token: &str, mut emit: impl FnMut(&str)) {
    for p in PREFIXES {
        let rest = token.strip_prefix(p);
        if let Some(rest) =
            rest.filter(|r| r.len() >= REST_MIN && r.bytes().all(|b| b.is_ascii_lowercase()))
        {
            emit(p);
            emit(variant(rest));
            return;
        }
    }
    emit(variant(token));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(tokens: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for t in tokens {
            each(t, |x| out.push(x.to_string()));
        }
        out
    }

    #[test]
    fn british_and_american_and_joined_and_hyphenated_are_one() {
        assert_eq!(all(&["acknowledgement"]), all(&["acknowledgment"]));
        assert_eq!(all(&["authorisation"]), ["authorization"]);
        assert_eq!(all(&["prelogin"]), all(&["pre", "login"]));
        assert_eq!(all(&["multifactor"]), ["multi", "factor"]);
        // too short to be a prefixed word, or not letters
        assert_eq!(
            all(&["press", "nonce", "pre2024"]),
            ["press", "nonce", "pre2024"]
        );
    }

    #[test]
    fn every_variant_is_spelt_once() {
        let mut keys: Vec<&str> = VARIANTS.iter().map(|v| v.0).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), VARIANTS.len());
        assert!(VARIANTS.iter().all(|(b, a)| b != a));
    }
}
