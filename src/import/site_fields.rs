//! Front-matter keys and file-name conventions of static site generators (Hugo, Zola,
//! Jekyll, Docusaurus, MkDocs): `draft` / `published` → `status: draft`, `slug` (or the
//! last part of a Docusaurus slug path) → the id, `aliases` / `redirect_from` →
//! `aliases`, a Jekyll `2023-04-01-name.md` file name → the id `name` and `created`,
//! and `weight`, which has no kbgen field.

use super::Imported;
use super::front_matter::{FrontMatter, Value};
use crate::model::{Date, slugify};
use crate::validate::is_slug;

/// A Jekyll post's file stem (`2023-04-01-vpn-drops`) as (date, name).
pub fn dated_stem(stem: &str) -> Option<(Date, &str)> {
    let (day, rest) = (stem.get(..10)?, stem.get(10..)?);
    let name = rest.strip_prefix('-').filter(|n| !n.is_empty())?;
    let digits = |r: std::ops::Range<usize>| day[r].bytes().all(|b| b.is_ascii_digit());
    let shaped = digits(0..4) && digits(5..7) && digits(8..10) && &day[4..5] == "-";
    (shaped && &day[7..8] == "-")
        .then(|| Date::parse(day))
        .flatten()
        .map(|d| (d, name))
}

/// A YAML boolean as front matter writes it (`true`, `False`, `yes`, `off`).
fn boolean(v: &Value) -> Option<bool> {
    match v.text().trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => Some(true),
        "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Reads the generator keys of `fm` into `a` (whose `id_hint` is the file stem).
pub fn apply(fm: &FrontMatter, a: &mut Imported) {
    if let Some((date, name)) = dated_stem(&a.id_hint) {
        let name = name.to_string();
        a.id_hint = name;
        if fm.get("date").is_none() {
            a.created = Some(date);
            a.notes
                .push(format!("`created: {date}` from the file name's date"));
        }
    }
    for (key, draft_when) in [("draft", true), ("published", false)] {
        let Some((v, line)) = fm.get(key) else {
            continue;
        };
        match boolean(v) {
            Some(b) if b == draft_when => a.draft = true,
            Some(_) => {}
            None => a.warn(
                line,
                format!("`{key}: {}` is not true or false: left out", v.text()),
            ),
        }
    }
    if let Some((v, line)) = fm.get("slug") {
        let slug = v.text().trim().to_string();
        // Docusaurus writes a path (`/network/vpn-drops`): its last part is the name.
        let last = slug.trim_matches('/').rsplit('/').next().unwrap_or("");
        if is_slug(last) {
            a.id_hint = last.to_string();
        } else {
            a.warn(
                line,
                format!("`slug: {slug}` is not a valid id: the id is made from the file name"),
            );
        }
    }
    for key in ["aliases", "redirect_from"] {
        if let Some((v, line)) = fm.get(key) {
            aliases(&v.items(), line, a);
        }
    }
    if let Some((v, _)) = fm.get("weight") {
        a.notes.push(format!(
            "`weight: {}` left out: kbgen orders lists by date and title",
            v.text()
        ));
    }
}

/// Each alias URL (`/kb/old-name/`, `old.html`) as the earlier id it names: its last
/// path segment, when that is a slug.
fn aliases(urls: &[String], line: usize, a: &mut Imported) {
    for url in urls {
        let path = url.split(['?', '#']).next().unwrap_or("");
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let last = last
            .strip_suffix(".html")
            .or_else(|| last.strip_suffix(".md"))
            .unwrap_or(last);
        let id = slugify(last);
        if is_slug(&id) && last.eq_ignore_ascii_case(&id) {
            if !a.aliases.contains(&id) {
                a.aliases.push(id);
            }
        } else {
            a.warn(
                line,
                format!(
                    "alias `{url}` names no earlier id (its last part is not a slug): left out"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::front_matter::parse;

    #[test]
    fn jekyll_file_names_give_the_date_and_the_name() {
        let (d, name) = dated_stem("2023-04-01-vpn-drops").unwrap();
        assert_eq!((d.to_string().as_str(), name), ("2023-04-01", "vpn-drops"));
        assert!(dated_stem("2023-02-30-x").is_none());
        assert!(dated_stem("2023-04-01").is_none());
        assert!(dated_stem("2023-04-01-").is_none());
        assert!(dated_stem("vpn-drops").is_none());
        assert!(dated_stem("2023_04_01-x").is_none());
    }

    #[test]
    fn drafts_slugs_and_aliases() {
        let fm = parse(
            "published: False\nslug: Not A Slug\naliases: [/kb/old-name/, /a/b.html, /x/Über/]\nweight: 3\n",
        );
        let mut a = Imported::new("s.md".into());
        a.id_hint = "2021-12-31-year-end".into();
        apply(&fm, &mut a);
        assert!(a.draft);
        assert_eq!(a.id_hint, "year-end");
        assert_eq!(
            a.created.map(|d| d.to_string()).as_deref(),
            Some("2021-12-31")
        );
        assert_eq!(a.aliases, ["old-name", "b"]);
        assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
        assert!(
            a.notes.iter().any(|n| n.contains("weight: 3")),
            "{:?}",
            a.notes
        );
        let fm = parse("draft: false\nslug: /network/vpn-drops/\ndate: 2020-01-01\n");
        let mut a = Imported::new("s.md".into());
        a.id_hint = "2021-12-31-year-end".into();
        apply(&fm, &mut a);
        assert!(!a.draft);
        assert_eq!(a.id_hint, "vpn-drops");
        assert_eq!(a.created, None, "the front matter's date is read elsewhere");
    }
}
