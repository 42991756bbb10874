//! `kbgen build` end to end: the real binary on fixtures in tests/fixtures/site/<case>/.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/site")
        .join(case)
}

/// Runs `kbgen build` with the kb, templates and config of fixture `case`.
fn build(case: &str, out: &Path, extra: &[&str]) -> Output {
    build_with(case, case, out, extra)
}

/// Builds fixture `case` into a fresh temporary `site/` (kept while the guard lives).
fn built(case: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build(case, &out, &[]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    (tmp, out)
}

/// Like `build`, but with the articles of `kb_case` and the rest of `case`.
fn build_with(case: &str, kb_case: &str, out: &Path, extra: &[&str]) -> Output {
    let dir = fixture(case);
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .arg("build")
        .arg("--kb")
        .arg(fixture(kb_case).join("kb"))
        .arg("--templates")
        .arg(dir.join("templates"))
        .arg("--config")
        .arg(dir.join("kbgen.yaml"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("running kbgen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `root`, by relative path, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    if !root.exists() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The values of `attr="…"` in the tags of an HTML page (not in escaped text).
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut values = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        for (i, _) in tag.match_indices(&needle) {
            let rest = &tag[i + needle.len()..];
            values.extend(rest.find('"').map(|end| &rest[..end]));
        }
    }
    values
}

/// Without a base URL there is no sitemap or feed, and build says so and how to
/// set one; with one it says nothing and writes both.
#[test]
fn build_says_when_it_leaves_out_the_sitemap_and_feed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build("basic", &out, &[]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let note: Vec<String> = (text(&run.stderr).lines())
        .filter(|l| l.contains("sitemap.xml"))
        .map(str::to_string)
        .collect();
    assert_eq!(note.len(), 1, "one line: {note:?}");
    for word in [
        "no base URL",
        "feed.xml",
        "--base-url",
        "base_url:",
        "kbgen.yaml",
    ] {
        assert!(note[0].contains(word), "{word:?} in {note:?}");
    }
    assert!(!out.join("sitemap.xml").exists() && !out.join("feed.xml").exists());

    let run = build("basic", &out, &["--base-url", "https://kb.example.com/"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        !text(&run.stderr).contains("base URL"),
        "{}",
        text(&run.stderr)
    );
    assert!(out.join("sitemap.xml").is_file() && out.join("feed.xml").is_file());
    let quiet = build("basic", &out, &["--quiet"]);
    assert!(text(&quiet.stderr).is_empty(), "{}", text(&quiet.stderr));
}

#[test]
fn build_writes_every_page_and_prints_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build("basic", &out, &[]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.starts_with("Built 3 articles, "), "{stdout}");
    assert!(stdout.contains(" pages into "), "{stdout}");
    for page in [
        "index.html",
        "articles/index.html",
        "articles/o365-dirsync-profile-push-400/index.html",
        "articles/o365-dirsync-profile-push-400/source.yaml",
        "products/index.html",
        "products/microsoft-office-365/index.html",
        "tags/index.html",
        "tags/provisioning/index.html",
        "errors/index.html",
        "search/index.html",
        "404.html",
        "robots.txt",
        "signatures.json",
        "assets/style.css",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    // Without a base URL there are no absolute URLs to put in a sitemap or feed.
    assert!(!out.join("sitemap.xml").exists());
    assert!(!out.join("feed.xml").exists());
}

#[test]
fn quiet_build_prints_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let run = build("basic", &tmp.path().join("site"), &["--quiet"]);
    assert!(run.status.success());
    assert!(run.stdout.is_empty() && run.stderr.is_empty());
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build("custom", &a, &[]).status.success());
    assert!(build("custom", &b, &[]).status.success());
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[test]
fn a_broken_article_leaves_the_previous_site_untouched() {
    let (tmp, out) = built("basic");
    let before = tree(&out);
    let run = build_with("basic", "broken", &out, &[]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("broken-article.yaml:"), "{stderr}");
    assert!(stderr.contains("sumary"), "{stderr}");
    assert!(
        tree(&out) == before,
        "the output changed after a failed build"
    );
    let siblings: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(
        siblings.len(),
        1,
        "no temporary folders left beside the output"
    );
}

#[test]
fn a_broken_article_writes_nothing_when_there_was_no_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build_with("basic", "broken", &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn every_internal_link_is_relative_and_resolves() {
    let (_tmp, out) = built("basic");
    let files = tree(&out);
    let (mut checked, mut pages) = (0, 0);
    for (rel, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        if rel == "404.html" {
            continue; // served at any depth: links from the server root (own test)
        }
        let html = text(bytes);
        // The icon is a file like any other link (once a data: URL, skipped here).
        let icon = attrs(&html, "href")
            .into_iter()
            .any(|l| l.ends_with("assets/favicon.svg"));
        assert!(icon, "{rel}: no link to assets/favicon.svg");
        pages += 1;
        let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
        for link in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if link.starts_with("https://") || link.starts_with("http://") {
                continue;
            }
            assert!(!link.starts_with('/'), "{rel}: absolute link {link}");
            let target = link.split(['#', '?']).next().unwrap();
            if target.is_empty() {
                continue;
            }
            let mut path = normalize(&dir.join(target));
            if target.ends_with('/') || path.is_empty() {
                path = format!(
                    "{}index.html",
                    if path.is_empty() {
                        String::new()
                    } else {
                        format!("{path}/")
                    }
                );
            }
            // match.js and search.js come from their own modules; skip when absent.
            if path == "assets/match.js"
                || path == "assets/match-evidence.js"
                || path == "assets/match-tokens.js"
                || path == "assets/search.js"
            {
                continue;
            }
            assert!(
                files.contains_key(&path),
                "{rel}: broken link {link} -> {path}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    assert!(pages > 5, "only {pages} pages checked");
}

/// `a/b/../c` -> `a/c`, with `/` separators.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(
                    parts.pop().is_some(),
                    "link escapes the site: {}",
                    path.display()
                );
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn hostile_article_text_never_becomes_markup() {
    let (_tmp, out) = built("hostile");
    for (rel, bytes) in tree(&out) {
        if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
            continue;
        }
        let html = text(&bytes).to_lowercase();
        // The only scripts are kbgen's own, loaded from assets/.
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
            assert!(tag.contains("assets/"), "{rel}: script from content: {tag}");
        }
        for raw in [
            "<img src=x",
            "<iframe",
            "<style",
            "</a><script",
            "<div onmouseover",
        ] {
            assert!(!html.contains(raw), "{rel}: raw markup {raw}");
        }
        // Allowed as visible text, never as an attribute or a URL.
        for tag in html
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or(""))
        {
            let unquoted: String = tag.split('"').step_by(2).collect();
            let handler = unquoted
                .split_whitespace()
                .any(|w| w.starts_with("on") && w.contains('='));
            assert!(!handler, "{rel}: event handler in <{tag}>");
        }
        for url in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            let url = url.trim_start();
            // No data: URL at all, not even the icon (a file in assets/); no
            // protocol-relative link to another site.
            assert!(
                !url.starts_with("javascript:") && !url.starts_with("data:"),
                "{rel}: {url}"
            );
            assert!(!url.starts_with("//"), "{rel}: {url}");
        }
        assert!(
            !html.contains("src=\"https://evil.example"),
            "{rel}: remote image kept"
        );
    }
    let page = read(&out, "articles/hostile-article/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;alert('title')&lt;/script&gt;"),
        "title is shown as text"
    );
}

#[test]
fn settings_file_and_flags_shape_the_site() {
    let (_tmp, out) = built("custom");
    let home = read(&out, "index.html");
    assert!(home.contains("<title>Acme Support</title>"), "{home}");
    assert!(home.contains("lang=\"en-GB\""));
    let article = read(&out, "articles/saml-clock-skew/index.html");
    assert!(
        article.contains("href=\"https://git.acme.example/kb/blob/main/kb/saml-clock-skew.yaml\"")
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://support.acme.example/kb/articles/saml-clock-skew/</loc>"),
        "{sitemap}"
    );
    let feed = read(&out, "feed.xml");
    assert!(
        feed.contains("<id>https://support.acme.example/kb/articles/saml-clock-skew/</id>"),
        "{feed}"
    );
    assert!(feed.contains("<updated>2024-01-20T00:00:00Z</updated>"));
    // The overridden template wins; the others stay built in.
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nDisallow: /private/\n"
    );
    // 404.html is served at any depth: its links start at the base URL's path.
    let not_found = read(&out, "404.html");
    assert!(
        not_found.contains("href=\"/kb/assets/style.css\""),
        "{not_found}"
    );

    let run = build("custom", &out, &["--base-url", "https://other.example/"]);
    assert!(run.status.success());
    assert!(read(&out, "sitemap.xml").contains("<loc>https://other.example/articles/"));
}

#[test]
fn unknown_setting_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = build_with("badconfig", "basic", &tmp.path().join("site"), &[]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("kbgen.yaml:2:1"), "{stderr}");
    assert!(stderr.contains("theme"), "{stderr}");
}

#[test]
fn template_error_names_the_template_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build_with("badtemplate", "basic", &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("article.html:4:"), "{stderr}");
    assert!(stderr.contains("no_such_field"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_template_failing_half_way_leaves_the_previous_site_and_no_staging_folder() {
    // Pages are written as they render, so this failure comes after files were
    // already staged beside the output: they must all go, and the old site stay.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build("basic", &out, &[]).status.success());
    let before = tree(&out);
    let run = build_with("badtemplate", "basic", &out, &[]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(
        tree(&out) == before,
        "the output changed after a failed build"
    );
    let siblings: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["site"], "nothing left beside the output");
}

/// Runs `kbgen build` of fixture `basic` with stderr on a pseudo-terminal (through
/// util-linux `script`) and the progress bar due at once; returns what the terminal
/// showed, or None when `script` is not installed.
fn build_on_terminal(out: &Path, extra: &str) -> Option<String> {
    let dir = fixture("basic");
    let command = format!(
        "'{}' build --kb '{}' --templates '{}' --config '{}' --out '{}' {extra}",
        env!("CARGO_BIN_EXE_kbgen"),
        dir.join("kb").display(),
        dir.join("templates").display(),
        dir.join("kbgen.yaml").display(),
        out.display(),
    );
    let run = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("KBGEN_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .output()
        .ok()?;
    assert!(run.status.success(), "{}", text(&run.stdout));
    Some(text(&run.stdout))
}

#[test]
fn progress_shows_the_stage_on_a_terminal_but_not_with_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(screen) = build_on_terminal(&tmp.path().join("a"), "") else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(
        screen.contains("check ("),
        "no progress on the terminal: {screen:?}"
    );
    assert!(screen.contains("Built 3 articles"), "{screen:?}");
    let quiet = build_on_terminal(&tmp.path().join("b"), "--quiet").unwrap_or_default();
    assert!(
        !quiet.contains("check ("),
        "progress despite --quiet: {quiet:?}"
    );
}

#[test]
fn progress_is_absent_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture("basic");
    let run = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .arg("build")
        .arg("--kb")
        .arg(dir.join("kb"))
        .arg("--out")
        .arg(tmp.path().join("site"))
        .env("KBGEN_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(text(&run.stderr), "", "stderr of a piped build");
    assert!(text(&run.stdout).starts_with("Built 3 articles"));
}

#[test]
fn dirsync_article_page_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build("basic", &out, &[]).status.success());
    let page = read(&out, "articles/o365-dirsync-profile-push-400/index.html");
    insta::assert_snapshot!("dirsync_article", page);
}

/// The repository's committed site/ must be what `kbgen build` makes of kb/.
#[test]
fn committed_site_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("kb").is_dir() {
        eprintln!("no kb/ folder: nothing to compare");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let fresh = tmp.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(root)
        .args(["build", "--quiet", "--out"])
        .arg(&fresh)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let (want, have) = (tree(&fresh), tree(&root.join("site")));
    let stale: Vec<&String> = want
        .keys()
        .chain(have.keys())
        .filter(|k| want.get(*k) != have.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "site/ is stale ({} files differ, e.g. {:?}); refresh it with: cargo run --release -- build",
        stale.len(),
        stale.first()
    );
}

#[test]
fn pages_follow_the_dom_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build("basic", &out, &[]).status.success());
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'\">";
    for (page, root) in [
        ("index.html", ""),
        ("errors/index.html", "../"),
        ("search/index.html", "../"),
        ("articles/saml-clock-skew/index.html", "../../"),
    ] {
        let html = read(&out, page);
        assert!(
            html.contains(&format!("<html lang=\"en\" data-root=\"{root}\">")),
            "{page}"
        );
        assert!(html.contains(csp), "{page}: CSP");
        assert!(html.contains(&format!("<form class=\"site-search\" role=\"search\" aria-label=\"Site search\" action=\"{root}search/\" method=\"get\" data-kb-search>")), "{page}");
        assert!(html.contains(
            "<input type=\"search\" name=\"q\" id=\"site-search-q\" autocomplete=\"off\""
        ));
        for script in [
            "match-tokens.js",
            "match-evidence.js",
            "match.js",
            "search.js",
            "kbgen.js",
        ] {
            assert!(
                html.contains(&format!(
                    "<script defer src=\"{root}assets/{script}\"></script>"
                )),
                "{page}: {script}"
            );
        }
        assert!(
            !html.contains(" onclick=") && !html.contains("<script>"),
            "{page}: inline script"
        );
    }
    for page in ["index.html", "errors/index.html"] {
        let html = read(&out, page);
        for part in [
            "<section class=\"paste\" data-kb-paste",
            "<label for=\"paste-input\">Paste your error</label>",
            "<textarea id=\"paste-input\" data-kb-paste-input rows=\"6\"",
            "<div class=\"paste-results\" data-kb-paste-results aria-live=\"polite\"></div>",
            "<noscript>",
        ] {
            assert!(html.contains(part), "{page}: {part}");
        }
    }
    let search = read(&out, "search/index.html");
    for part in [
        "name=\"q\"",
        "<div class=\"search-facets\" data-kb-search-facets></div>",
        "data-kb-search-status aria-live=\"polite\"",
        "<ol class=\"search-results\" data-kb-search-results></ol>",
        "<noscript>",
    ] {
        assert!(search.contains(part), "search page: {part}");
    }
    // Without a base URL, 404.html links from the server root.
    assert!(read(&out, "404.html").contains("href=\"/assets/style.css\""));
}

/// Regression: `Ｏｋｔａ`, `Ok<ZWSP>ta` and `<RLO>Okta` made look-alike product pages
/// (`products/ｏｋｔａ/`, `products/ok-ta/`) or put a bidi control in a shared one;
/// now they are one product, `Okta`, on one page, each with a W005 warning.
#[test]
fn look_alike_product_names_share_one_page() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    let names = [
        "Okta",
        "OKTA",
        "\u{ff2f}\u{ff4b}\u{ff54}\u{ff41}",
        "Ok\u{200b}ta",
        "\u{202e}Okta",
    ];
    for (i, name) in names.iter().enumerate() {
        let article = format!(
            "title: Look-alike {i}\nproducts: [\"{name}\"]\nsymptoms: [x]\nenvironment: [x]\n\
             cause: x\nresolution:\n  steps: [x]\n\
             errors: [\"Automatic profile push of user <u> failed: AADSTS5010{i}\"]\n"
        );
        std::fs::write(kb.join(format!("look-alike-{i}.yaml")), article).unwrap();
    }
    let run = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["build", "--kb", "kb", "--out", "site"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = text(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(stderr.matches("warning[W005]").count(), 3, "{stderr}");
    let site = tree(&tmp.path().join("site"));
    let product_pages: Vec<&String> = site
        .keys()
        .filter(|p| p.starts_with("products/") && p.ends_with("/index.html"))
        .filter(|p| *p != "products/index.html")
        .collect();
    assert_eq!(product_pages, ["products/okta/index.html"]);
    let page = text(&site["products/okta/index.html"]);
    for i in 0..names.len() {
        assert!(page.contains(&format!("Look-alike {i}")), "{i} missing");
    }
    for (path, bytes) in site.iter().filter(|(p, _)| !p.ends_with("source.yaml")) {
        let t = text(bytes);
        assert!(
            !t.contains(['\u{200b}', '\u{202e}', '\u{ff2f}']),
            "{path} shows a look-alike name"
        );
    }
}
