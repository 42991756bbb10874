//! What a build shows readers. Drafts only with `--drafts`; internal articles and
//! every `internal:` note only in a staff build (`--audience internal`). It runs
//! between validation and every stage that writes, so nothing held back reaches a
//! page, a list, the search index, `signatures.json`, the sitemap or the feed.
//! Retired articles keep their page (a notice, or a redirect to their successor)
//! but are [`listed`] nowhere.

use crate::model::{Article, Audience, Kb, Status};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Which articles and notes a build includes. The default is the public site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Publish {
    /// Include drafts, marked as such (`build --drafts`, `serve`).
    pub drafts: bool,
    /// `Internal`: the staff site, with internal articles and notes, marked.
    pub audience: Audience,
}

impl Publish {
    /// Whether a build of this kind has a page for `a`.
    pub fn shows(&self, a: &Article) -> bool {
        (self.drafts || a.life.status != Status::Draft)
            && (self.audience == Audience::Internal || a.life.audience == Audience::Public)
    }

    /// How many articles of `kb` this build leaves out: (drafts, internal ones).
    pub fn left_out(&self, kb: &Kb) -> (usize, usize) {
        let hidden = kb.articles.iter().filter(|a| !self.shows(a));
        hidden.fold((0, 0), |(d, i), a| {
            match a.life.status == Status::Draft && !self.drafts {
                true => (d + 1, i),
                false => (d, i + 1),
            }
        })
    }

    /// The articles of `kb` this build shows; links to the others are dropped, and
    /// a public build drops every internal note (and the source file of an article
    /// that had one, since it holds the note).
    pub fn apply(&self, kb: Kb) -> Kb {
        let mut articles: Vec<Article> = (kb.articles.into_iter())
            .filter(|a| self.shows(a))
            .collect();
        let ids: BTreeSet<String> = articles.iter().map(|a| a.id.clone()).collect();
        for a in &mut articles {
            a.related.retain(|r| ids.contains(r));
            if a.life
                .superseded_by
                .as_ref()
                .is_some_and(|s| !ids.contains(s))
            {
                a.life.superseded_by = None;
            }
            if self.audience == Audience::Public && a.life.internal.take().is_some() {
                a.life.source_withheld = true;
            }
        }
        Kb { articles }
    }
}

/// Whether `a` appears in lists, search and `signatures.json` (retired ones do not).
pub fn is_listed(a: &Article) -> bool {
    a.life.status != Status::Retired
}

/// The articles of `kb` that lists, search and signatures hold (`kb` itself when
/// nothing is retired).
pub fn listed(kb: &Kb) -> Cow<'_, Kb> {
    if kb.articles.iter().all(is_listed) {
        return Cow::Borrowed(kb);
    }
    Cow::Owned(Kb {
        articles: kb
            .articles
            .iter()
            .filter(|a| is_listed(a))
            .cloned()
            .collect(),
    })
}

/// Whether `a`'s lifecycle fields change which pages, lists and indexes hold it (so
/// an edit of them is rendered in full, not incrementally).
pub fn shapes_the_site(a: &Article) -> bool {
    let l = &a.life;
    l.status != Status::Published
        || l.audience != Audience::Public
        || l.superseded_by.is_some()
        || !l.aliases.is_empty()
        || l.internal.is_some()
}
