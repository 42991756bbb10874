//! `kbgen schema`: print the JSON Schema of an article, for editors.
//!
//! The schema is derived (schemars) from `raw::RawArticle`, the same struct the
//! articles are parsed into, so it cannot drift from the real format. Save it as
//! `kbgen.schema.json` and start articles with
//! `# yaml-language-server: $schema=../kbgen.schema.json`.

use crate::raw::RawArticle;
use std::process::ExitCode;

/// The JSON Schema of one article file, pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawArticle);
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| "{}".into())
}

pub fn run(_args: (), _global: &crate::cli::GlobalOpts) -> anyhow::Result<ExitCode> {
    super::out(&format!("{}\n", schema_json()))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::{ARTICLE, TAG_PATTERN};
    use serde_json::Value;

    #[test]
    fn schema_describes_required_fields_and_tag_pattern() {
        let v: Value = serde_json::from_str(&schema_json()).unwrap();
        let required: Vec<&str> = v["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let expected: Vec<&str> = ARTICLE
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        let mut got = required.clone();
        got.sort();
        let mut want = expected.clone();
        want.sort();
        assert_eq!(got, want);
        assert_eq!(v["additionalProperties"], Value::Bool(false));
        let props = v["properties"].as_object().unwrap();
        assert_eq!(props.len(), ARTICLE.len());
        let text = schema_json();
        assert!(text.contains(&TAG_PATTERN.replace('\\', "\\\\")), "{text}");
    }
}
