//! Which pages a site has, where each is written, and the context each template gets.

use super::views::article_dir;
use crate::model::{Article, Kb, slugify};

/// The two ways articles are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Products,
    Tags,
}

impl Facet {
    /// The folder of its pages: `products` or `tags`.
    pub fn dir(self) -> &'static str {
        match self {
            Facet::Products => "products",
            Facet::Tags => "tags",
        }
    }

    pub(super) fn heading(self) -> &'static str {
        match self {
            Facet::Products => "Products",
            Facet::Tags => "Tags",
        }
    }

    fn names(self, a: &Article) -> &[String] {
        match self {
            Facet::Products => &a.products,
            Facet::Tags => &a.tags,
        }
    }
}

/// A product or tag with its articles (indices into `Kb::articles`, by title).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub articles: Vec<usize>,
}

/// What list pages need, computed once per render: terms and article orders.
#[derive(Debug, Clone)]
pub struct SiteIndex {
    pub products: Vec<Term>,
    pub tags: Vec<Term>,
    /// All articles by title (case-insensitive), then id.
    pub by_title: Vec<usize>,
    /// All articles by last change, newest first; undated last; then by id.
    pub by_date: Vec<usize>,
    /// Articles with error texts, by title.
    pub with_errors: Vec<usize>,
    /// Items per list page (0: one page however long).
    pub per_page: usize,
}

impl SiteIndex {
    /// The lists of `kb`'s listed articles (retired ones have a page but are in no
    /// list).
    pub fn new(kb: &Kb, per_page: usize) -> SiteIndex {
        let listed = |&i: &usize| crate::publish::is_listed(&kb.articles[i]);
        let mut by_title: Vec<usize> = (0..kb.articles.len()).filter(listed).collect();
        by_title.sort_by_cached_key(|&i| {
            let a = &kb.articles[i];
            (a.title.to_lowercase(), a.id.clone())
        });
        let mut by_date: Vec<usize> = (0..kb.articles.len()).filter(listed).collect();
        by_date.sort_by(|&x, &y| {
            let (a, b) = (&kb.articles[x], &kb.articles[y]);
            b.last_changed()
                .cmp(&a.last_changed())
                .then(a.id.cmp(&b.id))
        });
        let with_errors = (by_title.iter().copied())
            .filter(|&i| !kb.articles[i].errors.is_empty())
            .collect();
        SiteIndex {
            products: terms(kb, &by_title, Facet::Products),
            tags: terms(kb, &by_title, Facet::Tags),
            by_title,
            by_date,
            with_errors,
            per_page,
        }
    }

    /// How many pages a list of `n` items takes (at least one).
    pub fn page_count(&self, n: usize) -> usize {
        match self.per_page {
            0 => 1,
            per => n.div_ceil(per).max(1),
        }
    }

    /// The items of page `p` (0-based) of a list.
    pub fn page_of<'a, T>(&self, items: &'a [T], p: usize) -> &'a [T] {
        match self.per_page {
            0 => items,
            per => {
                let start = (p * per).min(items.len());
                &items[start..(start + per).min(items.len())]
            }
        }
    }

    pub fn terms(&self, facet: Facet) -> &[Term] {
        match facet {
            Facet::Products => &self.products,
            Facet::Tags => &self.tags,
        }
    }
}

/// Groups articles by slug (names that slugify alike share a page; the first name
/// in sort order is shown), sorted by slug.
fn terms(kb: &Kb, by_title: &[usize], facet: Facet) -> Vec<Term> {
    let mut map: std::collections::BTreeMap<String, Term> = Default::default();
    for &i in by_title {
        for name in facet.names(&kb.articles[i]) {
            let slug = slugify(name);
            let term = map.entry(slug.clone()).or_insert_with(|| Term {
                name: name.clone(),
                slug,
                articles: Vec::new(),
            });
            if name < &term.name {
                term.name = name.clone();
            }
            if term.articles.last() != Some(&i) {
                term.articles.push(i);
            }
        }
    }
    map.into_values().collect()
}

/// What changed, for an incremental render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Ids of articles added or edited.
    pub articles: std::collections::BTreeSet<String>,
    /// Slugs of product pages to redo (of the old and the new names).
    pub products: std::collections::BTreeSet<String>,
    /// Slugs of tag pages to redo.
    pub tags: std::collections::BTreeSet<String>,
}

impl Changes {
    /// One article changed: its id, products and tags.
    pub fn article(a: &Article) -> Changes {
        Changes {
            articles: [a.id.clone()].into(),
            products: a.products.iter().map(|p| slugify(p)).collect(),
            tags: a.tags.iter().map(|t| slugify(t)).collect(),
        }
    }
}

/// One output page. List pages carry a 0-based page number.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Home,
    /// Index into `Kb::articles`.
    Article(usize),
    AllArticles(usize),
    Terms(Facet),
    /// Index into `SiteIndex::terms(facet)`, page.
    Term(Facet, usize, usize),
    Errors(usize),
    Search,
    /// A redirect left at a former id: index into `Kb::articles`, into its aliases.
    Alias(usize, usize),
    NotFound,
    Sitemap,
    Feed,
    Robots,
}

impl Page {
    /// Every page of the site; sitemap and feed only with a base URL (they need
    /// absolute URLs).
    pub fn all(kb: &Kb, index: &SiteIndex, with_base_url: bool) -> Vec<Page> {
        let mut pages = vec![Page::Search, Page::NotFound, Page::Robots];
        pages.extend(Page::lists(index, with_base_url));
        pages.extend((0..kb.articles.len()).map(Page::Article));
        pages.extend(Page::aliases(kb, 0..kb.articles.len()));
        for facet in [Facet::Products, Facet::Tags] {
            for t in 0..index.terms(facet).len() {
                pages.extend(Page::term_pages(index, facet, t));
            }
        }
        pages
    }

    /// The alias pages of the articles `which`.
    pub fn aliases(kb: &Kb, which: impl Iterator<Item = usize>) -> Vec<Page> {
        which
            .flat_map(|i| (0..kb.articles[i].life.aliases.len()).map(move |k| Page::Alias(i, k)))
            .collect()
    }

    /// The site-wide pages that list articles.
    fn lists(index: &SiteIndex, with_base_url: bool) -> Vec<Page> {
        let mut pages = vec![
            Page::Home,
            Page::Terms(Facet::Products),
            Page::Terms(Facet::Tags),
        ];
        pages.extend((0..index.page_count(index.by_title.len())).map(Page::AllArticles));
        pages.extend((0..index.page_count(index.with_errors.len())).map(Page::Errors));
        if with_base_url {
            pages.extend([Page::Sitemap, Page::Feed]);
        }
        pages
    }

    fn term_pages(index: &SiteIndex, facet: Facet, t: usize) -> impl Iterator<Item = Page> {
        let n = index.terms(facet)[t].articles.len();
        (0..index.page_count(n)).map(move |p| Page::Term(facet, t, p))
    }

    /// The pages to redo after some articles changed: those articles' pages, the
    /// pages of articles that list them as related, the given product and tag pages
    /// (by slug; unknown ones are skipped) and the site-wide lists.
    pub fn for_changes(
        kb: &Kb,
        index: &SiteIndex,
        changes: &Changes,
        with_base_url: bool,
    ) -> Vec<Page> {
        let mut pages = Page::lists(index, with_base_url);
        for (i, a) in kb.articles.iter().enumerate() {
            let changed = changes.articles.contains(&a.id);
            if changed || a.related.iter().any(|r| changes.articles.contains(r)) {
                pages.push(Page::Article(i));
            }
            if changed {
                pages.extend(Page::aliases(kb, std::iter::once(i)));
            }
        }
        for (facet, slugs) in [
            (Facet::Products, &changes.products),
            (Facet::Tags, &changes.tags),
        ] {
            for (t, term) in index.terms(facet).iter().enumerate() {
                if slugs.contains(&term.slug) {
                    pages.extend(Page::term_pages(index, facet, t));
                }
            }
        }
        pages
    }

    /// The output path relative to the site root.
    pub fn path(&self, kb: &Kb, index: &SiteIndex) -> String {
        match self {
            Page::NotFound | Page::Sitemap | Page::Feed | Page::Robots => self.dir(kb, index),
            _ => format!("{}index.html", self.dir(kb, index)),
        }
    }

    /// The page's URL relative to the site root (`tags/sso/page/2/`); for pages that
    /// are single files, the file name.
    pub fn dir(&self, kb: &Kb, index: &SiteIndex) -> String {
        match self {
            Page::Home => String::new(),
            Page::Article(i) => article_dir(&kb.articles[*i].id),
            Page::Alias(i, k) => article_dir(&kb.articles[*i].life.aliases[*k]),
            Page::AllArticles(p) => paged("articles/", *p),
            Page::Terms(f) => format!("{}/", f.dir()),
            Page::Term(f, t, p) => paged(&format!("{}/{}/", f.dir(), index.terms(*f)[*t].slug), *p),
            Page::Errors(p) => paged("errors/", *p),
            Page::Search => "search/".into(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Feed => "feed.xml".into(),
            Page::Robots => "robots.txt".into(),
        }
    }
}

/// `dir/` for the first page, `dir/page/N/` (1-based) for the others, as Zola does.
pub fn paged(dir: &str, p: usize) -> String {
    if p == 0 {
        dir.to_string()
    } else {
        format!("{dir}page/{}/", p + 1)
    }
}
