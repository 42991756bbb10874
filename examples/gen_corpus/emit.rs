//! Writes an article as kbgen YAML and as a Hugo Markdown page with the same
//! words, plus the minimal Hugo site (config and layouts) that renders full pages.

use crate::article::Doc;
use std::fmt::Write;

/// A YAML scalar: plain when that is unambiguous, otherwise double-quoted.
pub fn yaml_str(s: &str) -> String {
    let first_bad = s
        .chars()
        .next()
        .is_none_or(|c| "-?:,[]{}#&*!|>'\"%@`= ".contains(c));
    let bad = first_bad
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' ')
        || s.contains('\n')
        || s.contains('\t');
    if !bad {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn flow_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| yaml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn block_list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key}:");
    for s in items {
        let _ = writeln!(out, "  - {}", yaml_str(s));
    }
}

/// kbgen's article format (DESIGN.md, "Article format (v1)").
pub fn yaml(d: &Doc) -> String {
    let mut o = String::with_capacity(6000);
    let _ = writeln!(o, "title: {}", yaml_str(&d.head.title));
    let _ = writeln!(o, "summary: {}", yaml_str(&d.summary));
    let _ = writeln!(o, "products: {}", flow_list(&d.products));
    let _ = writeln!(o, "tags: {}", flow_list(&d.tags));
    let _ = writeln!(o, "created: {}", d.created);
    if let Some(u) = &d.updated {
        let _ = writeln!(o, "updated: {u}");
    }
    block_list(&mut o, "symptoms", &d.symptoms);
    if !d.errors.is_empty() {
        o.push_str("errors:\n");
        for e in &d.errors {
            let style = if e.contains('\n') { "|-" } else { ">-" };
            let _ = writeln!(o, "  - {style}");
            for line in e.lines() {
                let _ = writeln!(o, "    {line}");
            }
        }
    }
    block_list(&mut o, "environment", &d.environment);
    block_list(&mut o, "conditions", &d.conditions);
    o.push_str("cause: |\n");
    for (k, para) in d.cause.iter().enumerate() {
        if k > 0 {
            o.push('\n');
        }
        let _ = writeln!(o, "  {para}");
    }
    o.push_str("resolution:\n");
    let _ = writeln!(o, "  intro: {}", yaml_str(&d.intro));
    o.push_str("  steps:\n");
    for s in &d.steps {
        let _ = writeln!(o, "    - {}", yaml_str(s));
    }
    if let Some(outro) = &d.outro {
        let _ = writeln!(o, "  outro: {}", yaml_str(outro));
    }
    if !d.related.is_empty() {
        let ids: Vec<String> = d.related.iter().map(|(id, _)| id.clone()).collect();
        let _ = writeln!(o, "related: {}", flow_list(&ids));
    }
    if !d.references.is_empty() {
        o.push_str("references:\n");
        for (title, url) in &d.references {
            let _ = writeln!(o, "  - {{ title: {}, url: \"{url}\" }}", json_str(title));
        }
    }
    o
}

fn json_str(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn md_list(o: &mut String, heading: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(o, "## {heading}\n");
    for s in items {
        let _ = writeln!(o, "- {s}");
    }
    o.push('\n');
}

/// The same article as a Hugo content page (YAML front matter, Markdown body).
pub fn hugo_md(d: &Doc) -> String {
    let mut o = String::with_capacity(6000);
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", yaml_str(&d.head.title));
    let _ = writeln!(o, "summary: {}", yaml_str(&d.summary));
    let _ = writeln!(o, "date: {}", d.created);
    if let Some(u) = &d.updated {
        let _ = writeln!(o, "lastmod: {u}");
    }
    let _ = writeln!(o, "products: {}", flow_list(&d.products));
    let _ = writeln!(o, "tags: {}", flow_list(&d.tags));
    o.push_str("---\n\n");
    let _ = writeln!(o, "{}\n", d.summary);
    md_list(&mut o, "Symptoms", &d.symptoms);
    if !d.errors.is_empty() {
        o.push_str("## Error text\n\n");
        for e in &d.errors {
            let _ = writeln!(o, "```text\n{e}\n```\n");
        }
    }
    md_list(&mut o, "Environment", &d.environment);
    md_list(&mut o, "This issue occurs when", &d.conditions);
    o.push_str("## Cause\n\n");
    for para in &d.cause {
        let _ = writeln!(o, "{para}\n");
    }
    let _ = writeln!(o, "## Resolution\n\n{}\n", d.intro);
    for (k, s) in d.steps.iter().enumerate() {
        let _ = writeln!(o, "{}. {s}", k + 1);
    }
    o.push('\n');
    if let Some(outro) = &d.outro {
        let _ = writeln!(o, "{outro}\n");
    }
    let related: Vec<String> = d
        .related
        .iter()
        .map(|(id, title)| format!("[{title}](../{id}/)"))
        .collect();
    md_list(&mut o, "Related articles", &related);
    let refs: Vec<String> = d
        .references
        .iter()
        .map(|(title, url)| format!("[{title}]({url})"))
        .collect();
    md_list(&mut o, "References", &refs);
    o
}

pub const HUGO_CONFIG: &str = r#"baseURL = "https://kb.example.com/"
title = "Knowledge base"
languageCode = "en"
relativeURLs = true
[taxonomies]
  product = "products"
  tag = "tags"
[markup.goldmark.renderer]
  unsafe = false
[markup.highlight]
  codeFences = false
"#;

pub const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "baseof.html",
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ with .Summary }}{{ . | plainify }}{{ end }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<form role="search" action="{{ "/search/" | relURL }}" method="get"><input type="search" name="q"></form>
</header>
{{ block "main" . }}{{ end }}
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"#,
    ),
    (
        "single.html",
        r#"{{ define "main" }}<main data-pagefind-body>
<article>
<h1>{{ .Title }}</h1>
<p>Updated {{ .Lastmod.Format "2006-01-02" }}
{{ range .GetTerms "products" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "tags" }} · <a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
</article>
</main>{{ end }}
"#,
    ),
    (
        "list.html",
        r#"{{ define "main" }}<main>
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <small>{{ .Date.Format "2006-01-02" }}</small></li>
{{ end }}</ul>
</main>{{ end }}
"#,
    ),
    (
        "home.html",
        r#"{{ define "main" }}<main>
<h1>{{ site.Title }}</h1>
<h2>Products</h2><ul>{{ range site.Taxonomies.products }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Tags</h2><ul>{{ range site.Taxonomies.tags }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></li>{{ end }}</ul>
<h2>Recent articles</h2><ul>{{ range first 20 (where site.RegularPages "Section" "articles").ByLastmod.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main>{{ end }}
"#,
    ),
];
