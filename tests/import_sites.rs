//! `kbgen import markdown` on the sources of site generators and help centres
//! (tests/fixtures/import/sites: Hugo, Jekyll, MkDocs, Docusaurus, Learn,
//! Telerik): their front matter, file names, call-outs, template tags and images.

#[path = "common/import.rs"]
mod common;

use common::{assert_checks_and_builds, files, project, read, run};

/// A site generator's source as `kbgen import markdown src` wrote it (`id`'s YAML).
fn import_sites() -> (tempfile::TempDir, String) {
    let p = project("sites");
    let (code, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(code, Some(0), "{err}");
    (p, err)
}

#[test]
fn generator_front_matter_gives_drafts_slugs_aliases_and_post_dates() {
    let (p, err) = import_sites();
    let hugo = read(p.path(), "vpn-tunnel-drops");
    assert!(hugo.contains("\nstatus: draft\n"), "{hugo}");
    assert!(
        hugo.ends_with("aliases:\n  - vpn-drops-hourly\n  - tunnel-reset\n"),
        "{hugo}"
    );
    assert!(!hugo.contains("weight"), "{hugo}");
    assert!(err.contains("`weight: 20` left out"), "{err}");
    let jekyll = read(p.path(), "printer-offline");
    assert!(jekyll.contains("\nstatus: draft\n"), "{jekyll}");
    assert!(jekyll.contains("\ncreated: 2023-04-01\n"), "{jekyll}");
    assert!(
        jekyll.ends_with("aliases:\n  - offline-after-update\n"),
        "{jekyll}"
    );
    assert!(
        p.path().join("kb/grid-export-out-of-memory.yaml").exists(),
        "the slug is the id"
    );
    let learn = read(p.path(), "agent-not-reporting");
    assert!(!learn.contains("status:"), "{learn}");
    assert_checks_and_builds(p.path());
    let before = files(p.path());
    let (code, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("imported 0 (with error texts 0, as drafts 0), unchanged 7"),
        "{err}"
    );
    assert_eq!(files(p.path()), before);
}

#[test]
fn a_telerik_description_is_the_symptoms() {
    let (p, err) = import_sites();
    let kb = read(p.path(), "grid-export-out-of-memory");
    assert!(!kb.contains("status:"), "{kb}");
    assert!(
        kb.contains("symptoms:\n  - |-\n    When I export a grid with 200,000 rows"),
        "{kb}"
    );
    assert!(
        kb.contains("System.OutOfMemoryException: Array dimensions exceeded supported range."),
        "{kb}"
    );
    assert!(
        err.contains("section \"Description\" (line 20): read as the symptoms"),
        "{err}"
    );
}

#[test]
fn a_source_over_10_mib_is_too_large_and_the_rest_is_imported() {
    let p = project("sites");
    let big = p.path().join("src/huge.md");
    let mut text = String::from("# Huge page\n\n## Symptoms\n\n");
    let para = "The same long paragraph, again and again, to make the file big.\n\n";
    while text.len() <= 10 << 20 {
        text.push_str(para);
    }
    std::fs::write(&big, &text).unwrap();
    // Over the 1 MiB an article may have, but a source this size is imported.
    std::fs::write(p.path().join("src/long.md"), &text[..3 << 20]).unwrap();
    let (code, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(code, Some(1), "{err}");
    let want = format!(
        "src/huge.md:1:1: error[I001]: too large: {} bytes",
        text.len()
    );
    assert!(err.contains(&want), "{err}");
    assert!(err.contains(", failed 1\n"), "{err}");
    assert!(p.path().join("kb/long.yaml").exists(), "{err}");
    assert!(
        err.contains("src/long.md:1:1: warning[I002]: the article is "),
        "{err}"
    );
    assert!(p.path().join("kb/vpn-tunnel-drops.yaml").exists());
    assert!(!p.path().join("kb/huge.yaml").exists());
}

#[test]
fn admonitions_become_quotes_and_template_tags_are_dropped_with_a_line() {
    let (p, err) = import_sites();
    let mkdocs = read(p.path(), "disk-quota");
    assert!(
        mkdocs.contains("    > **Warning: Data loss**\\\n    > Files uploaded while the quota is full are not kept.\n    >\n    > Ask users"),
        "{mkdocs}"
    );
    assert!(
        mkdocs.contains("> **Tip: Checking usage**\\\n    > Run `quota show`"),
        "{mkdocs}"
    );
    assert!(
        mkdocs.contains("> **Note:**\n    > The counter updates hourly."),
        "{mkdocs}"
    );
    let docusaurus = read(p.path(), "cache-reset");
    assert!(
        docusaurus.contains("> **Tip: Quick check**\\\n    > Open the page"),
        "{docusaurus}"
    );
    assert!(
        docusaurus.contains("> **Warning:**\n    > Purging during peak hours"),
        "{docusaurus}"
    );
    let hugo = read(p.path(), "vpn-tunnel-drops");
    assert!(
        hugo.contains("> **Note:**\n    > Users on the guest network"),
        "{hugo}"
    );
    assert!(
        hugo.contains("> **Warning: Lifetimes**\\\n  > A lifetime below"),
        "{hugo}"
    );
    assert!(hugo.contains("see\n  the rekey settings for how"), "{hugo}");
    assert!(
        hugo.contains("Restart the tunnel: in the console."),
        "{hugo}"
    );
    let jekyll = read(p.path(), "printer-offline");
    assert!(jekyll.contains("More help is on."), "{jekyll}");
    assert!(
        jekyll.contains("port = \"{{ printer.host }}:9100\""),
        "{jekyll}"
    );
    assert!(
        jekyll.contains(
            "    ```text\n    Spooler: port USB001 for queue Front-Desk does not exist\n    ```"
        ),
        "{jekyll}"
    );
    assert!(!jekyll.contains("page.owner"), "{jekyll}");
    let learn = read(p.path(), "agent-not-reporting");
    assert!(
        learn.contains(
            "outro: \"[Renew agent certificates](https://learn.example.com/agents/renew)\""
        ),
        "{learn}"
    );
    for kb in [&mkdocs, &docusaurus, &hugo, &jekyll, &learn] {
        let raw = kb.replace("{{ printer.host }}", "");
        for tag in ["{{", "{%", ":::", "!!!", "???", "[!div"] {
            assert!(!raw.contains(tag), "{tag} in\n{kb}");
        }
    }
    for note in [
        "src/hugo/tunnel-drops.md -> kb/vpn-tunnel-drops.yaml (imported)\n  `weight: 20` left out: kbgen orders lists by date and title\n  dropped the shortcode `{{< ref \"ike-rekey-settings\" >}}` (line 32)\n  dropped the shortcode `{{< kbd \"Ctrl+R\" >}}` (line 41)\n",
        "  dropped the Liquid tag `{% include warning-banner.html %}` (line 10)\n  dropped the Liquid value `{{ site.support_url }}` (line 15)\n",
        "  dropped the Learn wrapper `[!div class=\"nextstepaction\"]` (line 24): its content kept\n",
    ] {
        assert!(err.contains(note), "{note}\n---\n{err}");
    }
    assert_checks_and_builds(p.path());
}

#[test]
fn relative_images_are_kept_and_the_files_to_host_are_named() {
    let (p, err) = import_sites();
    let kb = read(p.path(), "grid-export-out-of-memory");
    assert!(
        kb.contains("![The export dialog](images/export-dialog.png)"),
        "{kb}"
    );
    assert!(kb.contains("![Console](img/console-error.png)"), "{kb}");
    assert!(!kb.contains("<img"), "{kb}");
    let telerik = "src/telerik/grid-export-fails.md";
    for want in [
        format!(
            "{telerik}:25:22: warning[I004]: image `images/export-dialog.png` kept as a relative link, but kbgen serves no files beside articles: host src/telerik/images/export-dialog.png and link it by URL"
        ),
        format!(
            "{telerik}:27:11: warning[I004]: image `img/console-error.png` not found: there is no src/telerik/img/console-error.png (the link is kept)"
        ),
    ] {
        assert!(err.contains(&want), "{want}\n---\n{err}");
    }
    assert!(
        err.contains("failed 0\n"),
        "a missing image is no failure: {err}"
    );
    assert_checks_and_builds(p.path());
}

#[test]
fn toml_front_matter_and_hugo_figures() {
    let (p, err) = import_sites();
    let kb = read(p.path(), "cert-expiry");
    assert!(
        kb.contains("\ntags:\n  - tls\n  - api\n  - security\ncreated: 2024-02-10\n"),
        "{kb}"
    );
    assert!(!kb.contains("status:"), "{kb}");
    assert!(!kb.contains("+++"), "{kb}");
    assert!(
        kb.contains("![The served chain](img/cert-chain.png)"),
        "{kb}"
    );
    assert!(
        err.contains("src/hugo/cert-expiry.md:19:17: warning[I004]: image `img/cert-chain.png` kept as a relative link"),
        "{err}"
    );
}
