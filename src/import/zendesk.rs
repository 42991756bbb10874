//! A Zendesk Guide export: one page of the Help Center "List Articles" response
//! (`{"articles": […], "next_page": …}`) or one `{"article": {…}}`. The body HTML
//! becomes Markdown (`htmd`), then the Markdown section rules apply; `label_names` →
//! tags, `created_at`/`updated_at` → dates, `draft: true` → a draft, a
//! `user_segment_id` → `audience: internal`, `html_url` → the source.

use super::front_matter::parse_date;
use super::{Imported, Located};
use serde_json::Value;

/// The articles of an export file, each or its problem; `Err` when the file is not an
/// export at all.
pub fn convert(text: &str) -> Result<Vec<Result<Imported, Located>>, Located> {
    let root: Value = serde_json::from_str(text).map_err(|e| Located {
        line: e.line().max(1),
        column: e.column().max(1),
        message: format!("not valid JSON: {e}"),
        hint: "pass the JSON the Help Center API returned, unchanged".into(),
    })?;
    let articles = match (root.get("articles"), root.get("article")) {
        (Some(Value::Array(list)), _) => list.iter().collect::<Vec<_>>(),
        (_, Some(one @ Value::Object(_))) => vec![one],
        _ => {
            return Err(Located {
                line: 1,
                column: 1,
                message: "not a Zendesk Help Center export: no `articles` list or `article` object"
                    .into(),
                hint: "export with `GET /api/v2/help_center/articles.json` (one file per page)"
                    .into(),
            });
        }
    };
    Ok(articles.into_iter().map(|a| article(a, text)).collect())
}

fn str_of<'a>(a: &'a Value, key: &str) -> Option<&'a str> {
    a.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn article(a: &Value, text: &str) -> Result<Imported, Located> {
    let id = a.get("id").map(|v| v.to_string()).unwrap_or_default();
    let line = line_of(text, &id);
    let Some(title) = str_of(a, "title") else {
        return Err(Located {
            line,
            column: 1,
            message: format!("article {id} has no title"),
            hint: "every exported article needs a `title`".into(),
        });
    };
    let source =
        str_of(a, "html_url").map_or_else(|| format!("zendesk article {id}"), String::from);
    let mut imp = Imported::new(source);
    imp.title = title.trim().to_string();
    imp.id_hint = imp.title.clone();
    let html = str_of(a, "body").unwrap_or("");
    // A converter bug must not end the whole import: this article fails, alone.
    let converted = std::panic::catch_unwind(|| htmd::convert(html))
        .unwrap_or_else(|_| Err(std::io::Error::other("the HTML converter gave up")));
    let md = converted.map_err(|e| Located {
        line,
        column: 1,
        message: format!("article {id}: body is not readable HTML: {e}"),
        hint: "check the `body` field".into(),
    })?;
    imp.fill_from_body(&md, 1);
    imp.h1 = None;
    if let Some(Value::Array(labels)) = a.get("label_names") {
        let names: Vec<String> = labels
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect();
        imp.add_tags(&names, line);
    }
    imp.created = str_of(a, "created_at").and_then(parse_date);
    imp.updated = str_of(a, "updated_at").and_then(parse_date);
    if imp.updated.is_some() && imp.updated == imp.created {
        imp.updated = None;
    }
    imp.draft = a.get("draft").and_then(Value::as_bool).unwrap_or(false);
    imp.internal = a.get("user_segment_id").is_some_and(|v| !v.is_null());
    Ok(imp)
}

/// The line of the article's `"id": N` in the file (1 when not found).
fn line_of(text: &str, id: &str) -> usize {
    if id.is_empty() || id == "null" {
        return 1;
    }
    let needle = format!("\"id\": {id}");
    let compact = format!("\"id\":{id}");
    text.find(&needle)
        .or_else(|| text.find(&compact))
        .map_or(1, |at| crate::load::line_col(text, at).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_maps_onto_articles() {
        let page = r#"{"articles": [{"id": 7, "title": "Sync stalls", "html_url": "https://help.example.com/hc/articles/7",
          "body": "<h2>Symptoms</h2><p>It stalls.</p><pre><code>SyncTimeoutException: gave up</code></pre><h2>Cause</h2><p>A lock.</p><h2>Resolution</h2><ol><li>Restart.</li><li>Retry.</li></ol>",
          "label_names": ["Sync", "Desktop App"], "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-02-02T03:04:05Z",
          "draft": true, "user_segment_id": 12}], "next_page": null}"#;
        let list = convert(page).unwrap();
        let a = list[0].as_ref().unwrap();
        assert_eq!(a.source, "https://help.example.com/hc/articles/7");
        assert_eq!(a.tags, ["sync", "desktop-app"]);
        assert_eq!(a.errors, ["SyncTimeoutException: gave up"]);
        assert_eq!(a.resolution.steps, ["Restart.", "Retry."]);
        assert!(a.draft && a.internal);
        assert_eq!(a.created.unwrap().to_string(), "2024-01-02");
    }

    #[test]
    fn not_an_export_is_refused() {
        assert!(convert(r#"{"users": []}"#).is_err());
        assert_eq!(convert("{\n  \"articles\": [\n").unwrap_err().line, 3);
        let no_title = convert("{\"articles\": [\n{\"id\": 3, \"body\": \"\"}]}").unwrap();
        assert_eq!(no_title[0].as_ref().unwrap_err().line, 2);
    }
}
