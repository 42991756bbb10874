//! Which output files an incremental rebuild redoes, from the articles that changed:
//! their own pages, the pages of articles whose related cards show them, and the
//! list pages whose members, order or shown fields moved (compared page by page
//! with the last good render), the site-wide lists they appear on, and whether
//! `signatures.json` needs rebuilding or only new titles. Everything else keeps
//! its bytes, so it is neither rendered nor written.

use crate::model::{Article, Kb, slugify};
use crate::render::views::article_dir;
use crate::render::{Facet, Page, SiteIndex};
use crate::validate::ArticleChange;
use std::collections::{BTreeMap, BTreeSet};

/// What the served site was rendered from: the article ids in `Kb` order and the
/// list orders (indices into those ids).
pub struct Snapshot {
    pub ids: Vec<String>,
    pub index: SiteIndex,
}

impl Snapshot {
    pub fn new(kb: &Kb, index: SiteIndex) -> Snapshot {
        Snapshot {
            ids: kb.articles.iter().map(|a| a.id.clone()).collect(),
            index,
        }
    }
}

/// How `signatures.json` follows the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signatures {
    Keep,
    /// Only titles of articles with error texts changed.
    Retitle,
    Rebuild,
}

/// The work of one incremental rebuild.
#[derive(Debug)]
pub struct Plan {
    pub pages: Vec<Page>,
    /// Articles whose `source.yaml` copy is rewritten.
    pub sources: Vec<String>,
    /// Output files that no longer exist (relative to the site root).
    pub remove: Vec<String>,
    pub signatures: Signatures,
}

/// The changes as the planner reads them.
struct Diff<'a> {
    by_id: BTreeMap<&'a str, &'a ArticleChange>,
    /// Ids whose list card (title, summary, products, tags, dates) or existence changed.
    cards: BTreeSet<&'a str>,
}

impl<'a> Diff<'a> {
    fn new(changes: &'a [ArticleChange]) -> Diff<'a> {
        let by_id = changes.iter().map(|c| (c.id.as_str(), c)).collect();
        let cards = (changes.iter())
            .filter(|c| differs(c, card))
            .map(|c| c.id.as_str())
            .collect();
        Diff { by_id, cards }
    }

    fn card(&self, id: &str) -> bool {
        self.cards.contains(id)
    }

    /// Whether the errors index shows article `id` differently (title or texts).
    fn error_entry(&self, id: &str) -> bool {
        let errors = |a: &Article| (a.title.clone(), a.errors.clone());
        self.by_id.get(id).is_some_and(|c| differs(c, errors))
    }
}

/// Whether `key` of the article differs before and after (existence included).
fn differs<'a, K: PartialEq>(c: &'a ArticleChange, key: impl Fn(&'a Article) -> K) -> bool {
    c.old.as_ref().map(&key) != c.new.as_ref().map(&key)
}

type Card<'a> = (
    &'a str,
    &'a Option<String>,
    &'a [String],
    &'a [String],
    Option<crate::model::Date>,
    Option<crate::model::Date>,
);

fn card(a: &Article) -> Card<'_> {
    (
        &a.title,
        &a.summary,
        &a.products,
        &a.tags,
        a.created,
        a.updated,
    )
}

/// Plans the rebuild from `old` to `kb` (with its `index`) after `changes`.
pub fn plan(
    old: &Snapshot,
    kb: &Kb,
    index: &SiteIndex,
    changes: &[ArticleChange],
    with_base_url: bool,
) -> Plan {
    let diff = Diff::new(changes);
    let mut plan = Plan {
        pages: vec![Page::Home],
        sources: Vec::new(),
        remove: Vec::new(),
        signatures: signatures(changes),
    };
    for c in changes {
        match c.new {
            Some(_) => plan.sources.push(c.id.clone()),
            None => {
                let dir = article_dir(&c.id);
                plan.remove.push(format!("{dir}index.html"));
                plan.remove.push(format!("{dir}source.yaml"));
            }
        }
    }
    for (i, a) in kb.articles.iter().enumerate() {
        let shows_a_changed_card = a.related.iter().any(|r| diff.card(r));
        if diff.by_id.contains_key(a.id.as_str()) || shows_a_changed_card {
            plan.pages.push(Page::Article(i));
        }
    }
    let lists = Lists { old, kb, index };
    lists.all_articles(&diff, &mut plan);
    lists.errors(&diff, changes, &mut plan);
    for facet in [Facet::Products, Facet::Tags] {
        lists.terms(facet, &diff, changes, &mut plan);
    }
    if with_base_url && !diff.cards.is_empty() {
        plan.pages.extend([Page::Sitemap, Page::Feed]);
    }
    plan
}

fn signatures(changes: &[ArticleChange]) -> Signatures {
    let has_errors = |a: &Option<Article>| a.as_ref().is_some_and(|a| !a.errors.is_empty());
    let with_errors = changes
        .iter()
        .filter(|c| has_errors(&c.old) || has_errors(&c.new));
    let mut result = Signatures::Keep;
    for c in with_errors {
        if differs(c, |a| a.errors.clone()) {
            return Signatures::Rebuild;
        }
        if differs(c, |a| a.title.clone()) {
            result = Signatures::Retitle;
        }
    }
    result
}

/// A product or tag by slug: its position, name and articles.
fn find_term<'a>(
    index: &'a SiteIndex,
    facet: Facet,
    slug: &str,
) -> Option<(usize, &'a str, &'a [usize])> {
    let terms = index.terms(facet);
    let at = terms.binary_search_by(|t| t.slug.as_str().cmp(slug)).ok();
    at.map(|t| (t, terms[t].name.as_str(), terms[t].articles.as_slice()))
}

/// The paged lists, old and new.
struct Lists<'a> {
    old: &'a Snapshot,
    kb: &'a Kb,
    index: &'a SiteIndex,
}

impl Lists<'_> {
    fn old_ids(&self, list: &[usize]) -> Vec<&str> {
        list.iter().map(|&i| self.old.ids[i].as_str()).collect()
    }

    fn new_ids(&self, list: &[usize]) -> Vec<&str> {
        list.iter()
            .map(|&i| self.kb.articles[i].id.as_str())
            .collect()
    }

    fn all_articles(&self, diff: &Diff, plan: &mut Plan) {
        let old = self.old_ids(&self.old.index.by_title);
        let new = self.new_ids(&self.index.by_title);
        let render = self.pages(&old, &new, |id| diff.card(id), false);
        plan.pages.extend(render.into_iter().map(Page::AllArticles));
        let empty = Kb::default();
        let gone = self.gone(old.len(), new.len());
        plan.remove
            .extend(gone.map(|p| Page::AllArticles(p).path(&empty, self.index)));
    }

    fn errors(&self, diff: &Diff, changes: &[ArticleChange], plan: &mut Plan) {
        let old = self.old_ids(&self.old.index.with_errors);
        let new = self.new_ids(&self.index.with_errors);
        let count = |a: &Option<Article>| a.as_ref().map_or(0, |a| a.errors.len());
        // The page heading counts every error text.
        let count_changed = changes.iter().any(|c| count(&c.old) != count(&c.new));
        let render = self.pages(&old, &new, |id| diff.error_entry(id), count_changed);
        plan.pages.extend(render.into_iter().map(Page::Errors));
        let empty = Kb::default();
        let gone = self.gone(old.len(), new.len());
        plan.remove
            .extend(gone.map(|p| Page::Errors(p).path(&empty, self.index)));
    }

    /// The product or tag pages of every term a changed article was or is on, and
    /// the page listing all terms when membership changed.
    fn terms(&self, facet: Facet, diff: &Diff, changes: &[ArticleChange], plan: &mut Plan) {
        let names = |a: &Article| match facet {
            Facet::Products => a.products.clone(),
            Facet::Tags => a.tags.clone(),
        };
        let slugs: BTreeSet<String> = (changes.iter())
            .flat_map(|c| c.old.iter().chain(c.new.iter()))
            .flat_map(|a| names(a).into_iter().map(|n| slugify(&n)))
            .collect();
        if changes.iter().any(|c| differs(c, names)) {
            plan.pages.push(Page::Terms(facet));
        }
        let find = |index, slug| find_term(index, facet, slug);
        let empty = Kb::default();
        for slug in &slugs {
            let old = find(&self.old.index, slug);
            let new = find(self.index, slug);
            let old_ids = old.map(|(_, _, a)| self.old_ids(a)).unwrap_or_default();
            let new_ids = new.map(|(_, _, a)| self.new_ids(a)).unwrap_or_default();
            let renamed = old.map(|(_, name, _)| name) != new.map(|(_, name, _)| name);
            if let Some((t, _, _)) = new {
                let render = self.pages(&old_ids, &new_ids, |id| diff.card(id), renamed);
                plan.pages
                    .extend(render.into_iter().map(|p| Page::Term(facet, t, p)));
            }
            if let Some((t, _, _)) = old {
                let mut gone = self.gone(old_ids.len(), new_ids.len());
                if new.is_none() {
                    gone.start = 0;
                }
                let path = |p| Page::Term(facet, t, p).path(&empty, &self.old.index);
                plan.remove.extend(gone.map(path));
            }
        }
    }

    /// The pages of a list to render: any page whose items, or whose items' shown
    /// fields, changed; all of them when the length (and so the count in the
    /// heading and the pager) or the heading changed.
    fn pages(
        &self,
        old: &[&str],
        new: &[&str],
        shown: impl Fn(&str) -> bool,
        whole: bool,
    ) -> Vec<usize> {
        let index = self.index;
        let every = whole || old.len() != new.len();
        (0..index.page_count(new.len()))
            .filter(|&p| {
                let items = index.page_of(new, p);
                every || items != index.page_of(old, p) || items.iter().any(|id| shown(id))
            })
            .collect()
    }

    /// Old pages of a list past the end of the new one.
    fn gone(&self, old: usize, new: usize) -> std::ops::Range<usize> {
        self.index.page_count(new)..self.old.index.page_count(old)
    }
}
