//! `kbgen new ID [--title T]`: write `kb/ID.yaml` from a skeleton that passes `kbgen check`.
//!
//! The file is created with `create_new`, so an existing article is never overwritten,
//! not even by a race with another process. A non-slug id is refused (it becomes the URL).

use crate::cli::{GlobalOpts, NewArgs};
use crate::model::slugify;
use crate::validate::is_slug;
use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Component, Path};
use std::process::ExitCode;

pub fn run(args: NewArgs, global: &GlobalOpts) -> anyhow::Result<ExitCode> {
    if !is_slug(&args.id) {
        bail!(
            "`{}` is not a valid article id: use lower-case letters, digits and single hyphens, e.g. `{}`",
            args.id,
            slugify(&args.id)
        );
    }
    std::fs::create_dir_all(&args.kb)
        .with_context(|| format!("creating the articles folder {}", args.kb.display()))?;
    let path = args.kb.join(format!("{}.yaml", args.id));
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| title_from_id(&args.id));
    let today = crate::model::Date::today().to_string();
    let text = skeleton(&title, &schema_prefix(&args.kb), &today);
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "kbgen: error: {} already exists; kbgen new never overwrites an article",
                path.display()
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    if !global.quiet {
        eprintln!("created {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `okta-saml-clock-skew` → `Okta saml clock skew`.
fn title_from_id(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// The `../` path from the articles folder back to the project root, where
/// `kbgen.schema.json` lives; `None` when it cannot be known (absolute or `..` paths).
pub(crate) fn schema_prefix(kb: &Path) -> Option<String> {
    let mut depth = 0;
    for c in kb.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some("../".repeat(depth))
}

/// A skeleton article; every required field has text, so it passes `kbgen check`.
pub fn skeleton(title: &str, schema_prefix: &Option<String>, date: &str) -> String {
    let schema = match schema_prefix {
        Some(p) => format!("# yaml-language-server: $schema={p}kbgen.schema.json\n"),
        None => String::new(),
    };
    // A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"{schema}title: {title}
# draft: left out of `kbgen build` (shown, marked, by `serve` and `build --drafts`),
# and may be incomplete. Change to `published` (or remove the line) when it is ready.
status: draft
# audience: internal   # only in the staff site (`build --audience internal`)
summary: One or two sentences for lists, search results and the page description.
products: []
tags: []
created: {date}
# updated: {date}      # the last real change, not before `created`
# reviewed: {date}     # last checked to be right (`review_every_days` in kbgen.yaml)
symptoms:
  - What the user sees, in Markdown.
# The error texts exactly as users see them, so a pasted error finds this article.
# Write <placeholders> for values that vary (names, ids, times).
# errors:
#   - >-
#     Automatic profile push of user <firstname> <lastname> failed: ...
environment:
  - The product, version or setup where this happens.
conditions:
  - This issue occurs when ...
cause: |
  Why it happens, in Markdown.
resolution:
  # intro: Text before the steps.
  steps:
    - The first step, e.g. navigate to **Admin > Settings**.
  # outro: Text after the steps, e.g. how to check that it worked.
related: []
references: []
# aliases: [old-id]    # former ids: each keeps a redirect page at articles/OLD-ID/
# internal: |          # notes for support staff, never in the public site
#   Escalate to ...
# For `status: retired`: the article that replaces this one (its URL redirects there).
# superseded_by: other-article-id
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_prefix_counts_folders() {
        assert_eq!(schema_prefix(Path::new("kb")).as_deref(), Some("../"));
        assert_eq!(
            schema_prefix(Path::new("./docs/kb")).as_deref(),
            Some("../../")
        );
        assert_eq!(schema_prefix(Path::new("/abs/kb")), None);
    }

    #[test]
    fn titles_with_yaml_syntax_stay_text() {
        let text = skeleton("a: b # c", &None, "2022-11-01");
        assert!(text.starts_with("title: \"a: b # c\"\n"), "{text}");
        assert_eq!(title_from_id("okta-saml"), "Okta saml");
    }
}
