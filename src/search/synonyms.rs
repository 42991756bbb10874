//! Synonym groups from `kbgen.yaml` (`synonyms: [[entra id, azure ad], ...]`): the
//! check that reports bad groups with their location, and the phrase matcher the
//! index uses to give every article that says any member of a group one more term,
//! the group's token `~N` (N = the group's number). The client reads the folded
//! groups from `meta.json` and searches a member it finds in a query as that token.

use crate::text::{fold, words};
use serde_saphyr::Spanned;
use std::collections::HashMap;

/// The index term that stands for group `n`; no word of any text starts with `~`.
pub fn token(n: usize) -> String {
    format!("~{n}")
}

/// Checks the groups as written in the config file `name`: every group has at
/// least two members, every member has a word, and no member is in two groups
/// (compared as search sees them: folded, by words).
pub fn check(groups: &[Spanned<Vec<Spanned<String>>>], name: &str) -> anyhow::Result<()> {
    let at = |l: &serde_saphyr::Location| format!("{name}:{}:{}", l.line(), l.column());
    let mut seen: HashMap<Vec<String>, String> = HashMap::new();
    for g in groups {
        if g.value.len() < 2 {
            anyhow::bail!(
                "{}: a synonym group needs at least two members, this one has {}\n\
                 hint: list the words or phrases that mean the same, e.g. [entra id, azure ad]",
                at(&g.referenced),
                g.value.len()
            );
        }
        for m in &g.value {
            let key = member_words(&m.value);
            if key.is_empty() {
                anyhow::bail!(
                    "{}: synonym `{}` has no word to search for\nhint: remove it or write the word",
                    at(&m.referenced),
                    m.value
                );
            }
            if let Some(first) = seen.insert(key, at(&m.referenced)) {
                anyhow::bail!(
                    "{}: synonym `{}` is already in a group at {first}\n\
                     hint: a word or phrase can be in one group only: merge the two groups",
                    at(&m.referenced),
                    m.value
                );
            }
        }
    }
    Ok(())
}

/// The folded words of a member, as the index and the client split text.
pub fn member_words(member: &str) -> Vec<String> {
    words(&fold(member)).map(str::to_string).collect()
}

/// The groups as folded words, ready to find in article text.
#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    /// Group -> members -> words.
    groups: Vec<Vec<Vec<String>>>,
    /// First word of a member -> (group, member) of every member starting with it.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

impl Synonyms {
    /// From checked groups (see [`check`]); members without words are skipped.
    pub fn new(groups: &[Vec<String>]) -> Synonyms {
        let mut s = Synonyms::default();
        for (g, members) in groups.iter().enumerate() {
            let folded: Vec<Vec<String>> = members.iter().map(|m| member_words(m)).collect();
            for (m, ws) in folded.iter().enumerate() {
                if let Some(first) = ws.first() {
                    s.by_first.entry(first.clone()).or_default().push((g, m));
                }
            }
            s.groups.push(folded);
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The groups whose members occur in `text` (folded words), with the word
    /// position each occurrence starts at.
    pub fn find(&self, text: &[&str], mut hit: impl FnMut(usize, usize)) {
        for (i, w) in text.iter().enumerate() {
            let Some(starts) = self.by_first.get(*w) else {
                continue;
            };
            for &(g, m) in starts {
                let member = &self.groups[g][m];
                let here = text.get(i..i + member.len());
                if here.is_some_and(|h| h.iter().zip(member).all(|(a, b)| *a == b)) {
                    hit(g, i);
                }
            }
        }
    }

    /// The groups for `meta.json`: group -> members -> folded words.
    pub fn groups(&self) -> &[Vec<Vec<String>>] {
        &self.groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn err(yaml: &str) -> String {
        format!("{:#}", Config::parse(yaml, "kbgen.yaml").unwrap_err())
    }

    #[test]
    fn bad_groups_are_located_errors() {
        let one = err("synonyms:\n  - [entra id]\n");
        assert!(one.starts_with("kbgen.yaml:2:5:"), "{one}");
        assert!(one.contains("at least two"), "{one}");
        let empty = err("synonyms:\n  - []\n");
        assert!(empty.starts_with("kbgen.yaml:2:5:"), "{empty}");
        let twice = err("synonyms:\n  - [entra id, azure ad]\n  - [dirsync, Azure  AD]\n");
        assert!(twice.starts_with("kbgen.yaml:3:15:"), "{twice}");
        assert!(
            twice.contains("already in a group at kbgen.yaml:2:16"),
            "{twice}"
        );
        let blank = err("synonyms:\n  - [entra id, \"--\"]\n");
        assert!(blank.contains("no word"), "{blank}");
    }

    #[test]
    fn good_groups_reach_the_settings() {
        let c = Config::parse("synonyms:\n  - [entra id, azure ad]\n", "k").unwrap();
        let s = c.settings(None).unwrap();
        assert_eq!(s.synonyms, [["entra id", "azure ad"]]);
    }

    #[test]
    fn members_are_found_word_for_word() {
        let s = Synonyms::new(&[vec!["Entra ID".into(), "azure ad".into(), "aad".into()]]);
        let mut hits = Vec::new();
        let text = ["sync", "to", "azure", "ad", "or", "entra", "idp", "aad"];
        s.find(&text, |g, i| hits.push((g, i)));
        assert_eq!(hits, [(0, 2), (0, 7)]);
    }
}
