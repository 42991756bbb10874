//! One page per product or tag: names that differ but slugify alike (`C#` and `C++`
//! are both `products/c/`) would share a page without a word, so each spelling after
//! the first gets a W006 warning naming the first and where it is written.

use super::codes;
use crate::diagnostic::{Diagnostic, Related};
use crate::model::slugify;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::Path;

/// A product or tag name as the site shows it, where an article writes it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Term {
    /// `product` or `tag`.
    pub facet: &'static str,
    /// The plain name (see `rules::terms`).
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// Warns at every spelling of a product or tag that an earlier file wrote otherwise;
/// `files` in the order the walk found them, each with its terms.
pub(super) fn check<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a [Term])>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: BTreeMap<(&str, String), (&Path, &Term)> = BTreeMap::new();
    for (path, terms) in files {
        for t in terms {
            match first.entry((t.facet, slugify(&t.name))) {
                Entry::Vacant(e) => {
                    e.insert((path, t));
                }
                Entry::Occupied(e) if e.get().1.name != t.name => {
                    let (first_path, first) = *e.get();
                    out.push(warning(path, t, first_path, first, &e.key().1));
                }
                Entry::Occupied(_) => {}
            }
        }
    }
}

fn warning(path: &Path, t: &Term, first_path: &Path, first: &Term, slug: &str) -> Diagnostic {
    let (facet, name, was) = (t.facet, &t.name, &first.name);
    Diagnostic::warning(
        codes::SHARED_PAGE,
        path,
        t.line,
        t.column,
        format!("{facet} `{name}` shares the page {facet}s/{slug}/ with `{was}`"),
    )
    .with_hint(format!(
        "names that differ only in case or punctuation make one page: write `{was}` \
         here too, or rename one of them"
    ))
    .with_related(Related {
        path: first_path.to_path_buf(),
        line: first.line,
        column: first.column,
        message: format!("`{was}` is written here first"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(facet: &'static str, name: &str, line: usize) -> Term {
        Term {
            facet,
            name: name.into(),
            line,
            column: 12,
        }
    }

    #[test]
    fn later_spellings_of_one_page_are_warned_with_the_first_place() {
        let a = [term("product", "C#", 3), term("tag", "c", 4)];
        let b = [term("product", "C++", 3), term("product", "C#", 3)];
        let c = [term("product", "Node.js", 3), term("tag", "c", 4)];
        let d = [term("product", "node js", 5)];
        let files = [
            ("a.yaml", &a[..]),
            ("b.yaml", &b),
            ("c.yaml", &c),
            ("d.yaml", &d),
        ];
        let mut out = Vec::new();
        check(files.iter().map(|(p, t)| (Path::new(*p), *t)), &mut out);
        let got: Vec<_> = out
            .iter()
            .map(|d| (d.code, d.path.to_str().unwrap(), d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "W006",
                    "b.yaml",
                    3,
                    "product `C++` shares the page products/c/ with `C#`"
                ),
                (
                    "W006",
                    "d.yaml",
                    5,
                    "product `node js` shares the page products/node-js/ with `Node.js`"
                ),
            ]
        );
        let first = out[0].related.as_ref().unwrap();
        assert_eq!(
            (first.path.to_str(), first.line, first.column),
            (Some("a.yaml"), 3, 12)
        );
    }
}
