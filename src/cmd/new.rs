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
    let text = skeleton(&title, &schema_prefix(&args.kb), &today());
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
fn schema_prefix(kb: &Path) -> Option<String> {
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
summary: One or two sentences for lists, search results and the page description.
products: []
tags: []
created: {date}
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
  steps:
    - The first step, e.g. navigate to **Admin > Settings**.
related: []
references: []
"#
    )
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a calendar date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_297), (2022, 11, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert!(crate::model::Date::parse(&today()).is_some());
    }

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
