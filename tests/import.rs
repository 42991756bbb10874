//! `kbgen import markdown|zendesk` on the fixtures in tests/fixtures/import: what it
//! writes passes `kbgen check`, builds and is found by `kbgen match`; re-runs change
//! nothing, edited files are kept unless `--force`, `--dry-run` writes nothing, bad
//! sources fail with a location while the rest is imported, and the YAML loads back
//! to the article the import meant.

#[path = "common/import.rs"]
mod common;

use common::{FIXTURES, assert_checks_and_builds, files, kbgen_in, project, read, run};
use kbgen::model::{Audience, Status};
use std::path::Path;
#[test]
fn markdown_import_maps_every_rule_and_passes_check_and_build() {
    let p = project("markdown");
    let (code, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("imported 4 (with error texts 4, as drafts 1), unchanged 0, skipped 0 (edited), failed 0"),
        "{err}"
    );
    assert!(
        err.contains("portal-user-not-assigned.md:7:1: warning[I002]"),
        "{err}"
    );
    assert!(
        err.contains("section \"Overview\" (line 10): kept in the cause"),
        "{err}"
    );
    assert!(
        err.contains("dropped the image `media/sign-in-error.png`"),
        "{err}"
    );
    let portal = read(p.path(), "portal-user-not-assigned");
    assert!(portal.starts_with("# Imported from src/portal-user-not-assigned.md by kbgen import.\n# yaml-language-server: $schema=../kbgen.schema.json\n"), "{portal}");
    for want in [
        "  - |-\n    AADSTS50105: The signed in user '<email>' is not assigned to a role for the application.\n    Request Id: <request-id>\n    Correlation ID: <correlation-id>\n    Timestamp: <timestamp>\n",
        "tags:\n  - sign-in\n  - app-roles\n  - contoso-identity\n  - app-access\n",
        "updated: 2024-03-14\n",
        "environment:\n  - Contoso Identity\n  - Contoso Portal 3\n  - Contoso Portal 3.1\n",
        "  intro: |-\n    > **Note:**\n",
        "    - Add the user, or a group the user belongs to, in the \\<Region> directory.\n",
        "  - title: Role claims\n    url: https://learn.example.com/role-claims\n",
    ] {
        assert!(portal.contains(want), "{want}\n---\n{portal}");
    }
    for gone in [
        "INCLUDE",
        ":::",
        "<a name",
        "4000001",
        "portal team",
        "&nbsp;",
    ] {
        assert!(!portal.contains(gone), "{gone}: {portal}");
    }
    let backup = read(p.path(), "backup-disk-full");
    assert!(
        backup.contains("created: 2023-06-01\nupdated: 2024-01-20\n"),
        "{backup}"
    );
    assert!(
        backup.contains("**Solution 2: Remove old staging copies**"),
        "{backup}"
    );
    assert!(
        backup.contains("- \"Error 1603: the staging volume has no free space left.\""),
        "{backup}"
    );
    // An `index.md` is named by its title; a missing section makes a draft that says so.
    let setup = read(p.path(), "desktop-client-setup-ends-with-error-1603");
    assert!(setup.contains("**Run setup again**"), "{setup}");
    let node = read(p.path(), "node-not-ready");
    assert!(node.contains("status: draft\nsummary: \"Imported as a draft: the source has no environment or cause.\"\n"), "{node}");
    assert!(node.contains("errors:\n  - KubeletNotReady\n"), "{node}");
    assert!(
        node.contains("  outro: |-\n    **References**\n\n    The node conditions"),
        "{node}"
    );
    assert!(
        node.contains("references:\n  - title: Node conditions\n"),
        "{node}"
    );
    assert!(
        err.contains(
            "section \"References\" (line 12): its text besides links kept in the resolution's outro"
        ),
        "{err}"
    );
    assert!(node.lines().all(|l| l.chars().count() <= 100), "{node}");
    assert_checks_and_builds(p.path());
}

#[test]
fn a_second_import_changes_no_byte_and_edits_are_kept_unless_forced() {
    let p = project("markdown");
    assert_eq!(run(p.path(), &["import", "markdown", "src"]).0, Some(0));
    let first = files(p.path());
    let (code, _, err) = run(p.path(), &["import", "markdown", "src", "-q"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    let (_, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert!(
        err.contains("imported 0 (with error texts 0, as drafts 0), unchanged 4, skipped 0"),
        "{err}"
    );
    assert_eq!(files(p.path()), first);
    // The same sources named another way are the same sources.
    let abs = p.path().join("src").canonicalize().unwrap();
    let again = [
        "import",
        "markdown",
        "./src",
        abs.to_str().unwrap(),
        "src/node-not-ready.md",
    ];
    let (_, _, err) = run(p.path(), &again);
    assert!(err.contains(", unchanged 4, skipped 0"), "{err}");
    assert_eq!(files(p.path()), first);

    let edited = p.path().join("kb/node-not-ready.yaml");
    let mine = read(p.path(), "node-not-ready").replace("status: draft\n", "");
    std::fs::write(&edited, &mine).unwrap();
    let (code, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("unchanged 3, skipped 1 (edited)"), "{err}");
    assert!(
        err.contains("node-not-ready.yaml (skipped: edited since it was imported"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), mine);

    let (_, _, err) = run(p.path(), &["import", "markdown", "src", "--force"]);
    assert!(
        err.contains("imported 1 (with error texts 1, as drafts 1), unchanged 3"),
        "{err}"
    );
    assert_eq!(files(p.path()), first);
    let leftovers = std::fs::read_dir(p.path().join("kb")).unwrap().count();
    assert_eq!(leftovers, 4, "no temporary file is left behind");
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let p = project("markdown");
    let (code, out, err) = run(p.path(), &["import", "markdown", "src", "--dry-run"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!p.path().join("kb").exists());
    assert!(
        out.contains("==> kb/node-not-ready.yaml <==\n# Imported from src/node-not-ready.md"),
        "{out}"
    );
    assert!(
        err.contains("dry run, nothing written: imported 4"),
        "{err}"
    );
}

#[test]
fn bad_sources_fail_with_a_location_and_the_rest_is_imported() {
    let p = project("bad");
    std::fs::copy(
        Path::new(FIXTURES).join("markdown/node-not-ready.md"),
        p.path().join("src/good.md"),
    )
    .unwrap();
    std::fs::write(p.path().join("src/binary.md"), b"# Title\n\nab\0cd\n").unwrap();
    std::fs::write(p.path().join("src/latin1.md"), b"# Caf\xe9\n").unwrap();
    let (code, _, err) = run(p.path(), &["import", "markdown", "src", "missing.md"]);
    assert_eq!(code, Some(1), "{err}");
    for want in [
        "src/unclosed.md:1:1: error[I001]: front matter opened with `---` is never closed",
        "src/no-title.md:1:1: error[I001]: no title",
        "src/binary.md:3:3: error[I001]: binary file",
        "src/latin1.md:1:6: error[E015]: file is not valid UTF-8",
        "missing.md: error[I001]: no such file or folder",
        "imported 1 (with error texts 1, as drafts 1), unchanged 0, skipped 0 (edited), failed 5",
    ] {
        assert!(err.contains(want), "{want}\n---\n{err}");
    }
    assert!(p.path().join("kb/good.yaml").exists());
    let (code, _, err) = run(p.path(), &["import", "zendesk", "src/not-export.json"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("src/not-export.json:1:1: error[I001]: not a Zendesk Help Center export"),
        "{err}"
    );
    let (code, _, err) = run(p.path(), &["import", "zendesk", "src/untitled-page.json"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("src/untitled-page.json:13:1: error[I001]: article 480002 has no title"),
        "{err}"
    );
    assert!(err.contains("imported 1 (with error texts 1, as drafts 1), unchanged 0, skipped 0 (edited), failed 1"), "{err}");
    assert!(
        p.path()
            .join("kb/badge-reader-rejects-every-card-with-error-4012.yaml")
            .exists()
    );
}

#[test]
fn the_same_file_name_twice_gets_a_suffix_and_a_warning() {
    let p = project("markdown");
    std::fs::create_dir(p.path().join("src/zz")).unwrap();
    let again = "# Another node problem\n\n## Issue\n\n`KubeletNotReady` again.\n";
    std::fs::write(p.path().join("src/zz/node-not-ready.md"), again).unwrap();
    let (code, _, err) = run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "warning[I003]: id `node-not-ready` is already taken: written as `node-not-ready-2`"
        ),
        "{err}"
    );
    assert!(
        read(p.path(), "node-not-ready-2").starts_with("# Imported from src/zz/node-not-ready.md")
    );
    let before = files(p.path());
    run(p.path(), &["import", "markdown", "src"]);
    assert_eq!(files(p.path()), before, "ids are stable across runs");

    // An article an author wrote is never taken for an import of the same name.
    let q = project("markdown");
    std::fs::create_dir(q.path().join("kb")).unwrap();
    let own = "title: Mine\n";
    std::fs::write(q.path().join("kb/node-not-ready.yaml"), own).unwrap();
    let (_, _, err) = run(q.path(), &["import", "markdown", "src"]);
    assert!(err.contains("written as `node-not-ready-2`"), "{err}");
    assert_eq!(
        std::fs::read_to_string(q.path().join("kb/node-not-ready.yaml")).unwrap(),
        own
    );
}

#[test]
fn imported_yaml_loads_back_to_the_same_article() {
    let p = project("markdown");
    let kb = p.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    let mut want = Vec::new();
    for name in [
        "portal-user-not-assigned",
        "backup-disk-full",
        "node-not-ready",
    ] {
        let path = p.path().join(format!("src/{name}.md"));
        let mut a =
            kbgen::import::markdown::convert(&path, &std::fs::read_to_string(&path).unwrap())
                .unwrap();
        a.finish();
        std::fs::write(
            kb.join(format!("{name}.yaml")),
            kbgen::import::write::yaml(&a, &None),
        )
        .unwrap();
        want.push((name, a));
    }
    let checked = kbgen::validate::check(&kb).unwrap();
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    for (name, a) in want {
        let got = checked.kb.get(name).unwrap();
        assert_eq!(got.title, a.title);
        assert_eq!(got.summary, a.summary);
        assert_eq!(
            (&got.tags, got.created, got.updated),
            (&a.tags, a.created, a.updated)
        );
        assert_eq!(
            (&got.symptoms, &got.environment, &got.cause),
            (&a.symptoms, &a.environment, &a.cause)
        );
        let errors: Vec<&str> = got.errors.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(errors, a.errors);
        assert_eq!(got.resolution, a.resolution);
        assert_eq!(got.references, a.references);
        assert_eq!(got.life.status == Status::Draft, a.draft);
        assert_eq!(got.life.audience == Audience::Internal, a.internal);
    }
}

#[test]
fn a_paste_with_other_values_finds_the_imported_article() {
    let p = project("markdown");
    assert_eq!(
        run(p.path(), &["import", "markdown", "src", "-q"]).0,
        Some(0)
    );
    let paste = "AADSTS50105: The signed in user 'sam.berg@northwind.example' is not assigned to a role for the application.\nRequest Id: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\nCorrelation ID: 99999999-8888-4777-a666-555555555555\nTimestamp: 2025-11-30 23:59:01Z\n";
    let out = kbgen_in(p.path(), &["match", "--format", "json"], paste.as_bytes());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["matches"][0]["id"], "portal-user-not-assigned",
        "{json}"
    );
}

#[test]
fn zendesk_export_maps_labels_dates_drafts_and_segments() {
    let p = project("zendesk");
    let (code, _, err) = run(
        p.path(),
        &["import", "zendesk", "src/page-1.json", "src/single.json"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("imported 3 (with error texts 3, as drafts 1)"),
        "{err}"
    );
    let printer = read(p.path(), "printer-queue-stuck-after-driver-update");
    for want in [
        "# Imported from https://help.example.com/hc/en-us/articles/360001-Printer-queue-stuck by kbgen import.\n",
        "tags:\n  - printing\n  - driver-updates\ncreated: 2023-09-04\nupdated: 2024-02-11\n",
        "errors:\n  - \"SpoolerServiceException: job 4411 could not be rendered on PRN-22\"\n",
        "    - Open *Services*.\n",
        "      **Check it worked**\n",
    ] {
        assert!(printer.contains(want), "{want}\n---\n{printer}");
    }
    assert!(
        !printer.contains("status:") && !printer.contains("audience:"),
        "{printer}"
    );
    let vpn = read(p.path(), "vpn-client-reports-0x80070005-on-connect");
    assert!(vpn.contains("status: draft\naudience: internal\n"), "{vpn}");
    assert!(vpn.contains("for user <email>"), "{vpn}");
    let mail = read(
        p.path(),
        "mail-sync-stops-with-code-451-message-try-again-later",
    );
    assert!(
        mail.contains("  - \"Code: 451 Message: temporary server error, try again later\"\n"),
        "{mail}"
    );
    assert_checks_and_builds(p.path());
    let before = files(p.path());
    run(
        p.path(),
        &["import", "zendesk", "src/page-1.json", "src/single.json"],
    );
    assert_eq!(files(p.path()), before);
}

mod any_source {
    use proptest::prelude::*;
    use std::path::Path;

    const PIECES: &[&str] = &[
        "# ",
        "## Symptoms\n",
        "### Cause 1: x\n",
        "## Solution\n",
        "## Other\n",
        "```\n",
        "> ",
        "> [!NOTE]\n",
        "1. ",
        "- ",
        "<b>",
        "</div>",
        "<Region>",
        "\\<Zone>",
        "<a name=\"x\">",
        ": ",
        "\"",
        "'",
        "\t",
        " ",
        "  ",
        "\n",
        "\n\n",
        "AADSTS50105",
        "KubeletNotReady",
        "é",
        "İ",
        "0f3a1b2c-1111-2222-3333-444455556666",
        "a.b@c.example",
        "---\n",
        "title: t\n",
        "ms.custom: a: b\n",
        "[l](https://x.example)",
        "#",
        "|",
        ">-",
        "*",
        "`",
        "word",
        "2024-01-02T03:04:05Z",
        "[!INCLUDE [a](b)]\n",
        ":::image source=\"a\":::\n",
        "!!! warning \"T\"\n",
        "    ",
        "???+ ",
        ":::tip[x]\n",
        ":::\n",
        "{{< note >}}\n",
        "{{< /note >}}\n",
        "{{% notice tip \"t\" %}}",
        "{{</* x */>}}",
        "{% raw %}",
        "{% endraw %}",
        "{% include x %}",
        "{{ site.x }}",
        "](",
        "> [!div class=\"x\"]\n",
        ">note ",
        "![i](media/a.png)",
        "<img src=\"img/b.png\">",
        "draft: true\n",
        "slug: s\n",
        "aliases: [/a/b/]\n",
        "\r\n",
        "\u{7}",
        "\u{feff}",
        "yes",
        "0x10",
        "- [x](y)\n",
        "Error 1603",
        "&amp;",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_markdown_gives_yaml_that_loads_back(
            titled in any::<bool>(),
            picks in prop::collection::vec(0..PIECES.len(), 0..60),
        ) {
            let start = if titled { "# T\n" } else { "" };
            let text: String = std::iter::once(start).chain(picks.iter().map(|&i| PIECES[i])).collect();
            let Ok(mut a) = kbgen::import::markdown::convert(Path::new("s.md"), &text) else {
                return Ok(());
            };
            a.finish();
            let yaml = kbgen::import::write::yaml(&a, &None);
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("s.yaml"), &yaml).unwrap();
            let checked = kbgen::validate::check(dir.path()).unwrap();
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).collect();
            prop_assert!(errors.is_empty(), "{errors:?}\n{yaml}");
            let got = checked.kb.get("s").expect("the article loads");
            prop_assert_eq!(&got.title, &a.title);
            prop_assert_eq!(&got.cause, &a.cause);
            prop_assert_eq!(&got.symptoms, &a.symptoms);
            prop_assert_eq!(&got.resolution, &a.resolution);
            let mut fields = a.symptoms.clone();
            fields.extend(a.environment.clone());
            fields.extend(a.resolution.steps.clone());
            fields.push(a.cause.clone());
            for f in fields {
                prop_assert!(kbgen::validate::first_html(&f).is_none(), "{f:?}");
            }
        }
    }
}

mod any_export {
    use proptest::prelude::*;

    const HTML: &[&str] = &[
        "<h2>Symptoms</h2>",
        "<h3>Cause</h3>",
        "<h2>Solution 1: x</h2>",
        "<p>",
        "</p>",
        "<ol><li>",
        "</li></ol>",
        "<pre><code>",
        "</code></pre>",
        "<blockquote>",
        "<code>",
        "</code>",
        "<b>",
        "<script>alert(1)</script>",
        "<a href=\"javascript:x\">l</a>",
        "<img src=x>",
        "&lt;Region&gt;",
        "Error 1603",
        "word ",
        "\n",
        "<table><tr><td>",
        "</td></tr></table>",
        "<h1>",
        "</h1>",
        "# ",
        "<!-- c -->",
        "<",
        ">",
        "é",
        "0x80070005",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_body_gives_an_article_that_checks(picks in prop::collection::vec(0..HTML.len(), 0..50)) {
            let body: String = picks.iter().map(|&i| HTML[i]).collect();
            let page = serde_json::json!({"articles": [{"id": 1, "title": "T", "body": body}]});
            let list = kbgen::import::zendesk::convert(&page.to_string()).unwrap();
            let mut a = list.into_iter().next().unwrap().unwrap();
            a.finish();
            let dir = tempfile::tempdir().unwrap();
            let yaml = kbgen::import::write::yaml(&a, &None);
            std::fs::write(dir.path().join("t.yaml"), &yaml).unwrap();
            let checked = kbgen::validate::check(dir.path()).unwrap();
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).collect();
            prop_assert!(errors.is_empty(), "{errors:?}\n{yaml}");
        }
    }
}
