//! The built-in templates and static assets (embedded with `include_str!`), and the
//! file-by-file override from a `--templates` folder.

use anyhow::Context as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every template kbgen renders, by name, with its built-in source.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("_card.html", include_str!("../../templates/_card.html")),
    ("_paste.html", include_str!("../../templates/_paste.html")),
    ("_pager.html", include_str!("../../templates/_pager.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("terms.html", include_str!("../../templates/terms.html")),
    ("errors.html", include_str!("../../templates/errors.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// Built-in static files, written under `assets/`.
pub const BUILTIN_ASSETS: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../templates/static/style.css"),
    ),
    ("kbgen.js", include_str!("../../templates/static/kbgen.js")),
    ("match.js", include_str!("../../templates/static/match.js")),
    (
        "match-tokens.js",
        include_str!("../../templates/static/match-tokens.js"),
    ),
    (
        "match-evidence.js",
        include_str!("../../templates/static/match-evidence.js"),
    ),
    (
        "favicon.svg",
        include_str!("../../templates/static/favicon.svg"),
    ),
    (
        "search.js",
        include_str!("../../templates/static/search.js"),
    ),
];

/// Templates and assets after overrides, plus where each template came from (for
/// error messages).
#[derive(Debug, Default)]
pub struct Sources {
    /// (name, source), parents before children as Tera needs them.
    pub templates: Vec<(String, String)>,
    /// name -> the file the reader should open (`templates/article.html`, or
    /// `<built-in>/article.html`).
    pub origins: BTreeMap<String, String>,
    /// `assets/…` path -> bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

/// Built-ins, overridden by same-named files in `dir` (when it exists); files in
/// `dir/static/` are added to or replace the built-in assets.
pub fn load(dir: &Path) -> anyhow::Result<Sources> {
    let mut sources = Sources::default();
    for (name, builtin) in BUILTIN {
        let path = dir.join(name);
        let (text, origin) = match std::fs::read_to_string(&path) {
            Ok(text) => (text, path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (builtin.to_string(), format!("<built-in>/{name}"))
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        sources.templates.push((name.to_string(), text));
        sources.origins.insert(name.to_string(), origin);
    }
    for (name, text) in BUILTIN_ASSETS {
        sources
            .assets
            .insert(format!("assets/{name}"), text.as_bytes().to_vec());
    }
    for (name, path) in static_files(&dir.join("static"))? {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        sources.assets.insert(format!("assets/{name}"), bytes);
    }
    Ok(sources)
}

/// Files directly in `dir` (sorted; none when it does not exist). Hidden files and
/// editor backups are skipped.
fn static_files(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let skip = name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp");
        if !skip && entry.file_type().is_ok_and(|t| t.is_file()) {
            files.push((name, entry.path()));
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_overrides_one_template_and_adds_assets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("robots.txt"),
            "User-agent: *\nDisallow: /\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/extra.js"), "x").unwrap();
        let s = load(dir.path()).unwrap();
        let robots = s.templates.iter().find(|(n, _)| n == "robots.txt").unwrap();
        assert!(robots.1.contains("Disallow: /"));
        assert!(s.origins["robots.txt"].ends_with("robots.txt"));
        assert_eq!(s.origins["article.html"], "<built-in>/article.html");
        assert!(s.assets.contains_key("assets/extra.js"));
        assert!(s.assets.contains_key("assets/style.css"));
    }

    #[test]
    fn a_missing_folder_means_built_ins() {
        let s = load(Path::new("/nonexistent/kbgen-templates")).unwrap();
        assert_eq!(s.templates.len(), BUILTIN.len());
    }
}
