//! The checked article model: what every stage after `validate` trusts.
//!
//! Values here are already validated (dates are real, tags are slugs, related ids
//! exist, URLs are http(s)); the raw serde shapes live in `raw` and never leave
//! `load`/`validate`.

use std::fmt;
use std::path::PathBuf;

/// A whole knowledge base: every valid article, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Kb {
    pub articles: Vec<Article>,
}

impl Kb {
    /// The article with this id, if any.
    pub fn get(&self, id: &str) -> Option<&Article> {
        self.articles
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.articles[i])
    }
}

/// One troubleshooting article (DESIGN.md, "Article format (v1)").
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// File name without `.yaml`/`.yml`; unique across the knowledge base.
    pub id: String,
    /// Path of the source file as it was found (under the `--kb` folder).
    pub path: PathBuf,
    /// Path of the source file relative to the `--kb` folder, with `/` separators.
    pub rel_path: String,
    pub title: String,
    pub summary: Option<String>,
    pub products: Vec<String>,
    pub tags: Vec<String>,
    pub created: Option<Date>,
    pub updated: Option<Date>,
    /// Markdown.
    pub symptoms: Vec<String>,
    pub errors: Vec<ErrorText>,
    /// Markdown.
    pub environment: Vec<String>,
    /// Markdown ("This issue occurs when").
    pub conditions: Vec<String>,
    /// Markdown.
    pub cause: String,
    pub resolution: Resolution,
    pub related: Vec<String>,
    pub references: Vec<Reference>,
    pub life: Lifecycle,
}

/// Where an article is in its life and who may read it; every field is optional in
/// the file, and the defaults are a published, public article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lifecycle {
    pub status: Status,
    pub audience: Audience,
    /// For a retired article: the id of the article that replaces it.
    pub superseded_by: Option<String>,
    /// Former ids, each a redirect page to this article.
    pub aliases: Vec<String>,
    /// Markdown notes for support staff: never in a public build.
    pub internal: Option<String>,
    /// When the article was last checked to be right.
    pub reviewed: Option<Date>,
    /// Line and column of the date that counts as the last review (`reviewed`, else
    /// `updated`, else `created`; 1:1 without any), where a review warning points.
    pub review_at: (usize, usize),
    /// Set by a public build that dropped the article's internal notes: its source
    /// file holds them, so it is not published.
    pub source_withheld: bool,
}

/// `status:` of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// Left out of builds unless asked for; may be incomplete.
    Draft,
    #[default]
    Published,
    /// Out of lists, search and signatures; its URL says so or redirects.
    Retired,
}

/// `audience:` of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    #[default]
    Public,
    /// Only in builds for support staff (`--audience internal`).
    Internal,
}

impl Article {
    /// A small valid article `id` (title = id, one symptom, environment, cause and
    /// step), for tests and benchmarks to adjust with struct update syntax.
    #[doc(hidden)]
    pub fn sample(id: &str) -> Article {
        Article {
            id: id.into(),
            path: format!("kb/{id}.yaml").into(),
            rel_path: format!("{id}.yaml"),
            title: id.into(),
            summary: None,
            products: Vec::new(),
            tags: Vec::new(),
            created: None,
            updated: None,
            symptoms: vec!["It fails.".into()],
            errors: Vec::new(),
            environment: vec!["Okta".into()],
            conditions: Vec::new(),
            cause: "A cause.".into(),
            resolution: Resolution {
                intro: None,
                steps: vec!["Fix it.".into()],
                outro: None,
            },
            related: Vec::new(),
            references: Vec::new(),
            life: Lifecycle::default(),
        }
    }

    /// The date readers see as "last updated": `updated`, else `created`.
    pub fn last_changed(&self) -> Option<Date> {
        self.updated.or(self.created)
    }

    /// The date it was last known to be right: `reviewed`, else `updated`, else
    /// `created`.
    pub fn last_reviewed(&self) -> Option<Date> {
        self.life.reviewed.or(self.last_changed())
    }
}

/// An error text exactly as users see it; `<placeholder>` marks a varying value.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorText {
    pub text: String,
    /// 1-based line of the entry in the source file.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolution {
    /// Markdown.
    pub intro: Option<String>,
    /// Markdown, at least one.
    pub steps: Vec<String>,
    /// Markdown.
    pub outro: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub title: String,
    /// An http(s) URL.
    pub url: String,
}

/// A calendar date (`YYYY-MM-DD`), checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` and checks that the day exists (leap years included).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && (1..=days).contains(&day)).then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }
}

impl Date {
    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Today, in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Turns a product or tag name into a URL slug: `Microsoft Office 365` → `microsoft-office-365`.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "-".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_rejects_days_that_do_not_exist() {
        assert!(Date::parse("2022-11-01").is_some());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2022-13-01").is_none());
        assert!(Date::parse("2022-1-01").is_none());
        assert!(Date::parse("2022-11-31").is_none());
        assert_eq!(Date::parse("2022-11-02").unwrap().to_string(), "2022-11-02");
    }

    #[test]
    fn days_count_from_1970_and_back() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2000-03-01").days() - d("2000-02-28").days(), 2);
        assert_eq!(d("2024-01-01").days() - d("2023-01-01").days(), 365);
        for day in [-700_000, -1, 0, 59, 11_016, 20_000, 2_000_000] {
            assert_eq!(Date::from_days(day).days(), day, "{day}");
        }
        assert_eq!(Date::from_days(20_794).to_string(), "2026-12-07");
    }

    #[test]
    fn slugify_keeps_letters_and_digits() {
        assert_eq!(slugify("Microsoft Office 365"), "microsoft-office-365");
        assert_eq!(slugify("  Azure AD (AAD) "), "azure-ad-aad");
        assert_eq!(slugify("!!!"), "-");
    }
}
