//! The list orders of the site (`render::SiteIndex`) after an edit, moved rather
//! than rebuilt: when no article came or went, only the edited articles change
//! place in the title and date orders and in their products' and tags' lists.
//! Building the index anew sorts and slugifies every article (most of a save's
//! time at 10k articles); the result here is the same, as a test checks.

use crate::model::{Article, Kb, slugify};
use crate::render::{Facet, SiteIndex};
use std::cmp::Ordering;
use std::collections::HashMap;

/// `old` (made for a `Kb` with the same ids in the same places) with the articles at
/// `edited` moved to where they belong in `kb`. `None` when a product or tag appears
/// in a facet that had none (no term to start from): build it anew then.
pub fn updated(old: &SiteIndex, kb: &Kb, edited: &[usize]) -> Option<SiteIndex> {
    let a = &kb.articles;
    let by_title_key = |i: usize| (a[i].title.to_lowercase(), a[i].id.as_str());
    let mut index = old.clone();
    index.by_title.retain(|i| !edited.contains(i));
    for &i in edited {
        let key = by_title_key(i);
        let at = index.by_title.partition_point(|&j| by_title_key(j) < key);
        index.by_title.insert(at, i);
    }
    index.by_date.retain(|i| !edited.contains(i));
    for &i in edited {
        let at = (index.by_date).partition_point(|&j| by_date(&a[j], &a[i]) == Ordering::Less);
        index.by_date.insert(at, i);
    }
    index.with_errors = (index.by_title.iter().copied())
        .filter(|&i| !a[i].errors.is_empty())
        .collect();
    let mut rank = vec![0; a.len()];
    for (r, &i) in index.by_title.iter().enumerate() {
        rank[i] = r;
    }
    let mut slugs = Slugs::default();
    for facet in [Facet::Products, Facet::Tags] {
        move_terms(&mut index, kb, edited, facet, &rank, &mut slugs)?;
    }
    Some(index)
}

/// The order of `SiteIndex::by_date`: newest first, undated last, then by id.
fn by_date(a: &Article, b: &Article) -> Ordering {
    b.last_changed()
        .cmp(&a.last_changed())
        .then(a.id.cmp(&b.id))
}

fn names(a: &Article, facet: Facet) -> &[String] {
    match facet {
        Facet::Products => &a.products,
        Facet::Tags => &a.tags,
    }
}

/// Slugs of names already seen (most names recur across thousands of articles).
#[derive(Default)]
struct Slugs<'a>(HashMap<&'a str, String>);

impl<'a> Slugs<'a> {
    fn of(&mut self, name: &'a str) -> &str {
        self.0.entry(name).or_insert_with(|| slugify(name))
    }
}

/// Takes the edited articles out of every term's list and puts them into the
/// terms they have now, in title order; drops emptied terms, adds new ones and
/// names each touched term as `SiteIndex::new` does (its smallest name).
fn move_terms<'a>(
    index: &mut SiteIndex,
    kb: &'a Kb,
    edited: &[usize],
    facet: Facet,
    rank: &[usize],
    slugs: &mut Slugs<'a>,
) -> Option<()> {
    let a = &kb.articles;
    let terms = match facet {
        Facet::Products => &mut index.products,
        Facet::Tags => &mut index.tags,
    };
    let mut touched: Vec<String> = Vec::new();
    for t in terms.iter_mut() {
        if t.articles.iter().any(|i| edited.contains(i)) {
            t.articles.retain(|i| !edited.contains(i));
            touched.push(t.slug.clone());
        }
    }
    for &i in edited {
        for name in names(&a[i], facet) {
            let slug = slugs.of(name).to_string();
            let t = match terms.binary_search_by(|t| t.slug.cmp(&slug)) {
                Ok(t) => t,
                Err(t) => {
                    // The entry type is not exported: start from a copy of another.
                    let mut new = terms.first()?.clone();
                    (new.name, new.slug) = (name.clone(), slug.clone());
                    new.articles.clear();
                    terms.insert(t, new);
                    t
                }
            };
            let list = &mut terms[t].articles;
            if let Err(at) = list.binary_search_by(|&j| rank[j].cmp(&rank[i])) {
                list.insert(at, i);
            }
            touched.push(slug);
        }
    }
    terms.retain(|t| !t.articles.is_empty());
    for t in terms.iter_mut().filter(|t| touched.contains(&t.slug)) {
        let mut smallest: Option<&String> = None;
        for &i in &t.articles {
            for name in names(&a[i], facet) {
                if slugs.of(name) == t.slug && smallest.is_none_or(|s| name < s) {
                    smallest = Some(name);
                }
            }
        }
        if let Some(name) = smallest {
            t.name.clone_from(name);
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, ErrorText};

    fn article(id: &str, title: &str, products: &[&str], tags: &[&str], day: u8) -> Article {
        Article {
            title: title.into(),
            products: products.iter().map(|p| p.to_string()).collect(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            created: Date::parse(&format!("2024-01-{day:02}")),
            errors: if day.is_multiple_of(2) {
                vec![ErrorText {
                    text: format!("E{day} failed"),
                    line: 1,
                }]
            } else {
                Vec::new()
            },
            ..Article::sample(id)
        }
    }

    fn kb() -> Kb {
        Kb {
            articles: vec![
                article("a", "Zeta", &["OKTA", "okta"], &["sso"], 3),
                article("b", "alpha", &["Slack"], &["sso", "scim"], 4),
                article("c", "Alpha", &["Okta"], &["dns"], 4),
                article("d", "mid", &["Box"], &["scim"], 1),
                article("e", "Mid", &["Okta"], &["sso"], 9),
            ],
        }
    }

    type Edit = fn(&mut Article);

    /// Each edit, alone, moved with `updated` equals the index built anew.
    #[test]
    fn moved_orders_equal_orders_built_anew() {
        let edits: [(&str, usize, Edit); 8] = [
            ("title to the front", 0, |a| a.title = "aaa".into()),
            ("title to the end", 2, |a| a.title = "zzz".into()),
            ("newer date", 3, |a| a.created = Date::parse("2025-01-01")),
            ("no date", 4, |a| a.created = None),
            ("new tag and product", 1, |a| {
                a.tags.push("brand-new".into());
                a.products.push("Zoom".into());
            }),
            ("last member leaves", 2, |a| a.tags = vec!["sso".into()]),
            ("smallest name goes", 0, |a| {
                a.products = vec!["Okta".into()]
            }),
            ("errors appear", 3, |a| {
                a.errors.push(ErrorText {
                    text: "x failed".into(),
                    line: 1,
                })
            }),
        ];
        for (what, i, edit) in edits {
            let mut kb = kb();
            let old = SiteIndex::new(&kb, 2);
            edit(&mut kb.articles[i]);
            let moved = updated(&old, &kb, &[i]).unwrap_or_else(|| panic!("{what}: no terms"));
            let anew = SiteIndex::new(&kb, 2);
            assert_eq!(format!("{moved:?}"), format!("{anew:?}"), "{what}");
        }
    }
}
