//! The Tera context of each page: common keys (`site`, `root`, `nav`, `title`,
//! `description`, `canonical`) plus a page-specific `page` view.

use super::pages::{Facet, Page, SiteIndex, Term, paged};
use super::views::{ArticleCard, ArticleView, ErrorView, SiteView, article_url};
use crate::config::Settings;
use crate::model::{Article, Kb};
use serde::Serialize;
use tera::Context;

const RECENT: usize = 10;
/// Products and tags on the home page; the rest are on `products/` and `tags/`.
const HOME_TERMS: usize = 24;
const FEED_ENTRIES: usize = 50;

#[derive(Serialize)]
struct TermCount {
    name: String,
    slug: String,
    count: usize,
}

#[derive(Serialize)]
struct HomeView {
    article_count: usize,
    /// The most used products and tags (by name); all of them when few.
    products: Vec<TermCount>,
    tags: Vec<TermCount>,
    product_count: usize,
    tag_count: usize,
    recent: Vec<ArticleCard>,
}

/// Links between the pages of a long list (URLs relative to the site root).
#[derive(Serialize)]
struct PagerView {
    /// 1-based.
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages were skipped before this one (show an ellipsis).
    gap: bool,
}

/// The page numbers (0-based) a pager shows: first, last, and two either side of
/// the current one, so 200 pages still make a short row.
fn window(total: usize, p: usize) -> Vec<usize> {
    (0..total)
        .filter(|&n| n == 0 || n + 1 == total || n.abs_diff(p) <= 2)
        .collect()
}

fn pager(index: &SiteIndex, dir: &str, p: usize, items: usize) -> Option<PagerView> {
    let total = index.page_count(items);
    (total > 1).then(|| PagerView {
        current: p + 1,
        total,
        prev: (p > 0).then(|| paged(dir, p - 1)),
        next: (p + 1 < total).then(|| paged(dir, p + 1)),
        pages: {
            let shown = window(total, p);
            (shown.iter().enumerate())
                .map(|(k, &n)| PagerLink {
                    number: n + 1,
                    url: paged(dir, n),
                    current: n == p,
                    gap: k > 0 && shown[k - 1] + 1 != n,
                })
                .collect()
        },
    })
}

#[derive(Serialize)]
struct ListView {
    heading: String,
    /// Articles in the whole list (this page shows some of them).
    total: usize,
    /// "Product", "Tag" or empty for the list of all articles.
    kind: &'static str,
    /// The index page this list belongs to (`products/`), relative to the root.
    parent_url: Option<String>,
    parent_label: Option<&'static str>,
    articles: Vec<ArticleCard>,
}

#[derive(Serialize)]
struct TermsView {
    heading: &'static str,
    dir: &'static str,
    terms: Vec<TermCount>,
}

#[derive(Serialize)]
struct ErrorEntry {
    title: String,
    url: String,
    errors: Vec<ErrorView>,
}

#[derive(Serialize)]
struct ErrorsView {
    count: usize,
    entries: Vec<ErrorEntry>,
}

#[derive(Serialize)]
struct UrlEntry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    summary: Option<String>,
}

#[derive(Serialize)]
struct FeedView {
    url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// The relative path from a page at `path` back to the site root.
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn counts(terms: &[Term]) -> Vec<TermCount> {
    terms
        .iter()
        .map(|t| TermCount {
            name: t.name.clone(),
            slug: t.slug.clone(),
            count: t.articles.len(),
        })
        .collect()
}

/// The `HOME_TERMS` terms with most articles, in name order.
fn most_used(terms: &[Term]) -> Vec<TermCount> {
    let mut by_use: Vec<&Term> = terms.iter().collect();
    by_use.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.slug.cmp(&b.slug))
    });
    by_use.truncate(HOME_TERMS);
    by_use.sort_by(|a, b| a.slug.cmp(&b.slug));
    let top: Vec<Term> = by_use.into_iter().cloned().collect();
    counts(&top)
}

fn cards(kb: &Kb, ids: &[usize]) -> Vec<ArticleCard> {
    ids.iter()
        .map(|&i| ArticleCard::new(&kb.articles[i]))
        .collect()
}

/// The article that replaces retired article `i`, when it has one in `kb`.
fn successor(kb: &Kb, i: usize) -> Option<&Article> {
    let a = &kb.articles[i];
    let next = a.life.superseded_by.as_deref()?;
    (a.life.status == crate::model::Status::Retired).then(|| kb.get(next))?
}

/// A page that sends the reader on to `to` (an alias, a retired article's URL).
fn redirect(to: &Article, reason: &str, ctx: &mut Context) -> &'static str {
    #[derive(serde::Serialize)]
    struct RedirectView<'a> {
        title: &'a str,
        url: String,
        reason: &'a str,
    }
    let view = RedirectView {
        title: &to.title,
        url: article_url(&to.id),
        reason,
    };
    ctx.insert("title", &to.title);
    ctx.insert("page", &view);
    // The template names the target as canonical, not this page.
    ctx.insert("canonical", &None::<String>);
    "redirect.html"
}

impl Page {
    /// The template to render and its context.
    pub fn context(
        &self,
        kb: &Kb,
        index: &SiteIndex,
        site: &SiteView,
        settings: &Settings,
    ) -> anyhow::Result<(&'static str, Context)> {
        let path = self.path(kb, index);
        let mut ctx = Context::new();
        ctx.insert("site", site);
        ctx.insert("root", &self.root(&path, settings));
        let dir = path.strip_suffix("index.html").unwrap_or(&path);
        let canonical = settings.base_url.as_ref().map(|b| format!("{b}/{dir}"));
        ctx.insert("canonical", &canonical);
        ctx.insert("description", &site.description);
        ctx.insert("pager", &None::<PagerView>);
        let template = match self {
            Page::Home => self.home(kb, index, &mut ctx),
            Page::Alias(i, _) => redirect(&kb.articles[*i], "has moved", &mut ctx),
            Page::Article(i) if successor(kb, *i).is_some() => {
                let next = successor(kb, *i).unwrap_or(&kb.articles[*i]);
                redirect(next, "was retired and replaced by", &mut ctx)
            }
            Page::Article(i) => {
                let a = &kb.articles[*i];
                let view = ArticleView::new(a, kb, settings);
                ctx.insert("nav", "articles");
                ctx.insert("title", &a.title);
                if let Some(s) = &a.summary {
                    ctx.insert("description", s);
                }
                ctx.insert("page", &view);
                "article.html"
            }
            Page::AllArticles(p) => {
                let all = &index.by_title;
                let articles = cards(kb, index.page_of(all, *p));
                ctx.insert("pager", &pager(index, "articles/", *p, all.len()));
                let heading = "All articles";
                list(
                    &mut ctx,
                    "articles",
                    heading,
                    "",
                    None,
                    (articles, all.len()),
                );
                "list.html"
            }
            Page::Terms(f) => {
                let view = TermsView {
                    heading: f.heading(),
                    dir: f.dir(),
                    terms: counts(index.terms(*f)),
                };
                ctx.insert("nav", f.dir());
                ctx.insert("title", f.heading());
                ctx.insert("page", &view);
                "terms.html"
            }
            Page::Term(f, t, p) => {
                let term = &index.terms(*f)[*t];
                let (kind, parent) = match f {
                    Facet::Products => ("Product", "All products"),
                    Facet::Tags => ("Tag", "All tags"),
                };
                let articles = cards(kb, index.page_of(&term.articles, *p));
                let dir = format!("{}/{}/", f.dir(), term.slug);
                ctx.insert("pager", &pager(index, &dir, *p, term.articles.len()));
                let total = term.articles.len();
                list(
                    &mut ctx,
                    f.dir(),
                    &term.name,
                    kind,
                    Some(parent),
                    (articles, total),
                );
                "list.html"
            }
            Page::Errors(p) => self.errors(kb, index, *p, &mut ctx),
            Page::Search => simple(&mut ctx, "search", "Search", "search.html"),
            Page::NotFound => simple(&mut ctx, "", "Page not found", "404.html"),
            Page::Robots => simple(&mut ctx, "", "", "robots.txt"),
            Page::Sitemap => self.sitemap(kb, index, settings, &mut ctx),
            Page::Feed => self.feed(kb, index, settings, &mut ctx),
        };
        Ok((template, ctx))
    }

    /// Relative to the page, except 404.html: it is served at any depth, so it links
    /// from the server root (the base URL's path, or `/` without one).
    fn root(&self, path: &str, settings: &Settings) -> String {
        if *self != Page::NotFound {
            return root_for(path);
        }
        let base_path = settings
            .base_url
            .as_deref()
            .and_then(|b| b.splitn(4, '/').nth(3))
            .filter(|p| !p.is_empty());
        match base_path {
            Some(p) => format!("/{p}/"),
            None => "/".into(),
        }
    }

    fn home(&self, kb: &Kb, index: &SiteIndex, ctx: &mut Context) -> &'static str {
        let recent: Vec<usize> = index.by_date.iter().copied().take(RECENT).collect();
        let view = HomeView {
            article_count: index.by_title.len(),
            products: most_used(&index.products),
            tags: most_used(&index.tags),
            product_count: index.products.len(),
            tag_count: index.tags.len(),
            recent: cards(kb, &recent),
        };
        ctx.insert("nav", "home");
        ctx.insert("title", "");
        ctx.insert("page", &view);
        "index.html"
    }

    fn errors(&self, kb: &Kb, index: &SiteIndex, p: usize, ctx: &mut Context) -> &'static str {
        let all = &index.with_errors;
        let entries: Vec<ErrorEntry> = (index.page_of(all, p).iter())
            .map(|&i| &kb.articles[i])
            .map(|a| ErrorEntry {
                title: a.title.clone(),
                url: article_url(&a.id),
                errors: a.errors.iter().map(|e| ErrorView::new(&e.text)).collect(),
            })
            .collect();
        let view = ErrorsView {
            count: all.iter().map(|&i| kb.articles[i].errors.len()).sum(),
            entries,
        };
        ctx.insert("pager", &pager(index, "errors/", p, all.len()));
        ctx.insert("nav", "errors");
        ctx.insert("title", "Error messages");
        ctx.insert("page", &view);
        "errors.html"
    }

    fn sitemap(
        &self,
        kb: &Kb,
        index: &SiteIndex,
        settings: &Settings,
        ctx: &mut Context,
    ) -> &'static str {
        let base = settings.base_url.clone().unwrap_or_default();
        let entry = |dir: String, lastmod: Option<String>| UrlEntry {
            loc: format!("{base}/{dir}"),
            lastmod,
        };
        let mut urls = vec![entry(String::new(), None), entry("articles/".into(), None)];
        for a in kb.articles.iter().filter(|a| crate::publish::is_listed(a)) {
            let lastmod = a.last_changed().map(|d| d.to_string());
            urls.push(entry(article_url(&a.id), lastmod));
        }
        for facet in [Facet::Products, Facet::Tags] {
            urls.push(entry(format!("{}/", facet.dir()), None));
            for t in index.terms(facet) {
                urls.push(entry(format!("{}/{}/", facet.dir(), t.slug), None));
            }
        }
        urls.push(entry("errors/".into(), None));
        ctx.insert("urls", &urls);
        "sitemap.xml"
    }

    fn feed(
        &self,
        kb: &Kb,
        index: &SiteIndex,
        settings: &Settings,
        ctx: &mut Context,
    ) -> &'static str {
        let base = settings.base_url.clone().unwrap_or_default();
        let stamp = |d: Option<crate::model::Date>| match d {
            Some(d) => format!("{d}T00:00:00Z"),
            None => "1970-01-01T00:00:00Z".into(),
        };
        let newest = index.by_date.first().map(|&i| &kb.articles[i]);
        let view = FeedView {
            url: format!("{base}/"),
            updated: stamp(newest.and_then(|a| a.last_changed())),
            entries: index
                .by_date
                .iter()
                .take(FEED_ENTRIES)
                .map(|&i| &kb.articles[i])
                .map(|a| FeedEntry {
                    title: a.title.clone(),
                    url: format!("{base}/{}", article_url(&a.id)),
                    updated: stamp(a.last_changed()),
                    summary: a.summary.clone(),
                })
                .collect(),
        };
        ctx.insert("page", &view);
        "feed.xml"
    }
}

fn simple(ctx: &mut Context, nav: &str, title: &str, template: &'static str) -> &'static str {
    ctx.insert("nav", nav);
    ctx.insert("title", title);
    template
}

fn list(
    ctx: &mut Context,
    nav: &str,
    heading: &str,
    kind: &'static str,
    parent_label: Option<&'static str>,
    (articles, total): (Vec<ArticleCard>, usize),
) {
    let parent_url = parent_label.map(|_| format!("{nav}/"));
    let view = ListView {
        heading: heading.to_string(),
        total,
        kind,
        parent_url,
        parent_label,
        articles,
    };
    ctx.insert("nav", nav);
    ctx.insert("title", heading);
    ctx.insert("page", &view);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_window_keeps_ends_and_neighbours() {
        assert_eq!(window(3, 0), [0, 1, 2]);
        assert_eq!(window(200, 100), [0, 98, 99, 100, 101, 102, 199]);
        assert_eq!(window(200, 0), [0, 1, 2, 199]);
    }

    #[test]
    fn roots_climb_back_to_the_site() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("articles/x/index.html"), "../../");
        assert_eq!(root_for("tags/sso/page/2/index.html"), "../../../../");
    }
}
