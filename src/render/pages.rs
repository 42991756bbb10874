//! Which pages a site has, where each is written, and the context each template gets.

use super::views::article_url;
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
}

impl SiteIndex {
    pub fn new(kb: &Kb) -> SiteIndex {
        let mut by_title: Vec<usize> = (0..kb.articles.len()).collect();
        by_title.sort_by_cached_key(|&i| {
            let a = &kb.articles[i];
            (a.title.to_lowercase(), a.id.clone())
        });
        let mut by_date: Vec<usize> = (0..kb.articles.len()).collect();
        by_date.sort_by(|&x, &y| {
            let (a, b) = (&kb.articles[x], &kb.articles[y]);
            b.last_changed()
                .cmp(&a.last_changed())
                .then(a.id.cmp(&b.id))
        });
        SiteIndex {
            products: terms(kb, &by_title, Facet::Products),
            tags: terms(kb, &by_title, Facet::Tags),
            by_title,
            by_date,
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

/// One output page.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Home,
    /// Index into `Kb::articles`.
    Article(usize),
    AllArticles,
    Terms(Facet),
    /// Index into `SiteIndex::terms(facet)`.
    Term(Facet, usize),
    Errors,
    Search,
    NotFound,
    Sitemap,
    Feed,
    Robots,
}

impl Page {
    /// Every page of the site; sitemap and feed only with a base URL (they need
    /// absolute URLs).
    pub fn all(kb: &Kb, index: &SiteIndex, with_base_url: bool) -> Vec<Page> {
        let mut pages = vec![
            Page::Home,
            Page::AllArticles,
            Page::Terms(Facet::Products),
            Page::Terms(Facet::Tags),
            Page::Errors,
            Page::Search,
            Page::NotFound,
            Page::Robots,
        ];
        if with_base_url {
            pages.extend([Page::Sitemap, Page::Feed]);
        }
        pages.extend((0..kb.articles.len()).map(Page::Article));
        for facet in [Facet::Products, Facet::Tags] {
            pages.extend((0..index.terms(facet).len()).map(|t| Page::Term(facet, t)));
        }
        pages
    }

    /// The pages that show article `id`: its own, articles listing it as related,
    /// and the lists it appears in. Pages of terms it no longer has are not included.
    pub fn for_article(kb: &Kb, index: &SiteIndex, id: &str, with_base_url: bool) -> Vec<Page> {
        let Some(pos) = kb.articles.iter().position(|a| a.id == id) else {
            return Vec::new();
        };
        let mut pages = vec![Page::Article(pos)];
        for (i, a) in kb.articles.iter().enumerate() {
            if i != pos && a.related.iter().any(|r| r == id) {
                pages.push(Page::Article(i));
            }
        }
        pages.extend([
            Page::Home,
            Page::AllArticles,
            Page::Terms(Facet::Products),
            Page::Terms(Facet::Tags),
            Page::Errors,
        ]);
        if with_base_url {
            pages.extend([Page::Sitemap, Page::Feed]);
        }
        for facet in [Facet::Products, Facet::Tags] {
            for (t, term) in index.terms(facet).iter().enumerate() {
                if term.articles.contains(&pos) {
                    pages.push(Page::Term(facet, t));
                }
            }
        }
        pages
    }

    /// The output path relative to the site root.
    pub fn path(&self, kb: &Kb, index: &SiteIndex) -> String {
        match self {
            Page::Home => "index.html".into(),
            Page::Article(i) => format!("{}index.html", article_url(&kb.articles[*i].id)),
            Page::AllArticles => "articles/index.html".into(),
            Page::Terms(f) => format!("{}/index.html", f.dir()),
            Page::Term(f, t) => format!("{}/{}/index.html", f.dir(), index.terms(*f)[*t].slug),
            Page::Errors => "errors/index.html".into(),
            Page::Search => "search/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Feed => "feed.xml".into(),
            Page::Robots => "robots.txt".into(),
        }
    }
}
