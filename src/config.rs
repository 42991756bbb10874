//! Site settings: the optional `kbgen.yaml` at the root of a knowledge base project.
//!
//! Every field is optional and unknown fields are errors (with a location), so a typo
//! never silently drops a setting. Command-line flags override the file.

use anyhow::Context as _;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::Path;

/// Articles per list page unless `paginate_by` says otherwise.
pub const DEFAULT_PER_PAGE: usize = 50;

/// The settings as written in `kbgen.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title shown in the header, the page titles and the feed.
    pub title: Option<String>,
    /// Absolute URL the site is published at; used for `sitemap.xml` and `feed.xml`.
    pub base_url: Option<String>,
    /// Source repository URL of the `kb/` folder's project, for "view source" and
    /// "edit this article" links (e.g. `https://github.com/acme/kb/blob/main/kb`).
    pub repo_url: Option<String>,
    /// One sentence about the knowledge base: home page and meta description.
    pub description: Option<String>,
    /// The `lang` of every page (default `en`).
    pub language: Option<String>,
    /// Articles per page of the long lists (all articles, a product, a tag, the
    /// error messages); default 50, 0 for one page however long.
    pub paginate_by: Option<usize>,
    /// Days after which an article's last review (`reviewed`, else `updated`, else
    /// `created`) is due again: `check`, `build` and `serve` warn (W010). None: never.
    pub review_every_days: Option<u32>,
    /// Groups of words or phrases that mean the same to search
    /// (`[[entra id, azure ad], ...]`); see `crate::search::synonyms`.
    pub synonyms: Option<Vec<Spanned<Vec<Spanned<String>>>>>,
}

/// Settings after defaults and flags are applied: what the renderer uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub title: String,
    /// Without a trailing slash; `None` when no base URL was given.
    pub base_url: Option<String>,
    /// Without a trailing slash.
    pub repo_url: Option<String>,
    pub description: String,
    pub language: String,
    pub per_page: usize,
    /// See [`Config::review_every_days`].
    pub review_every_days: Option<u32>,
    /// Checked synonym groups, as written (see [`Config::synonyms`]).
    pub synonyms: Vec<Vec<String>>,
}

impl Config {
    /// Reads `path`; a missing file is the empty config. Errors say file, line and column.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Config::parse(&text, &path.display().to_string())
    }

    /// Parses the text of a config file named `name` (for messages).
    pub fn parse(text: &str, name: &str) -> anyhow::Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = serde_saphyr::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("{name}:{}:{}", l.line(), l.column()))
                .unwrap_or_else(|| name.to_string());
            let detail =
                e.render_with_options(serde_saphyr::render_options! { source_name: Some(name) });
            anyhow::anyhow!(
                "{at}: invalid site settings\n{detail}\nhint: the fields are title, base_url, repo_url, description, language, paginate_by, review_every_days and synonyms"
            )
        })?;
        for (field, url) in [
            ("base_url", &config.base_url),
            ("repo_url", &config.repo_url),
        ] {
            if let Some(url) = url {
                check_url(field, url).with_context(|| format!("{name}: invalid site settings"))?;
            }
        }
        if let Some(groups) = &config.synonyms {
            crate::search::synonyms::check(groups, name)?;
        }
        Ok(config)
    }

    /// Applies defaults and the `--base-url` flag (which wins over the file).
    pub fn settings(&self, base_url_flag: Option<&str>) -> anyhow::Result<Settings> {
        let base_url = match base_url_flag {
            Some(url) => {
                check_url("--base-url", url)?;
                Some(url)
            }
            None => self.base_url.as_deref(),
        };
        Ok(Settings {
            title: self
                .title
                .clone()
                .unwrap_or_else(|| "Knowledge base".into()),
            base_url: base_url.map(|u| u.trim_end_matches('/').to_string()),
            repo_url: self
                .repo_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_string()),
            description: self
                .description
                .clone()
                .unwrap_or_else(|| "Troubleshooting articles: symptoms, causes and fixes.".into()),
            language: self.language.clone().unwrap_or_else(|| "en".into()),
            per_page: self.paginate_by.unwrap_or(DEFAULT_PER_PAGE),
            review_every_days: self.review_every_days,
            synonyms: (self.synonyms.iter().flatten())
                .map(|g| g.value.iter().map(|m| m.value.clone()).collect())
                .collect(),
        })
    }
}

/// Only absolute http(s) URLs make sense for a published site or a repository.
fn check_url(field: &str, url: &str) -> anyhow::Result<()> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => Ok(()),
        _ => anyhow::bail!(
            "{field} `{url}` is not an absolute http(s) URL (e.g. https://kb.example.com/)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_optional() {
        assert_eq!(Config::parse("", "kbgen.yaml").unwrap(), Config::default());
        let c = Config::parse("title: Acme KB\n", "kbgen.yaml").unwrap();
        assert_eq!(c.title.as_deref(), Some("Acme KB"));
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn unknown_field_is_located() {
        let err = Config::parse("title: x\ntitel: y\n", "kbgen.yaml").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.starts_with("kbgen.yaml:2:1:"), "{msg}");
        assert!(msg.contains("titel"), "{msg}");
    }

    #[test]
    fn flag_overrides_file_and_trailing_slash_is_dropped() {
        let c = Config::parse("base_url: https://a.example/kb/\n", "k").unwrap();
        let s = c.settings(None).unwrap();
        assert_eq!(s.base_url.as_deref(), Some("https://a.example/kb"));
        let s = c.settings(Some("https://b.example/")).unwrap();
        assert_eq!(s.base_url.as_deref(), Some("https://b.example"));
        assert_eq!(s.language, "en");
    }

    #[test]
    fn non_http_urls_are_rejected() {
        assert!(Config::parse("repo_url: javascript:alert(1)\n", "k").is_err());
        assert!(Config::default().settings(Some("ftp://x")).is_err());
        assert!(Config::default().settings(Some("https://")).is_err());
    }
}
