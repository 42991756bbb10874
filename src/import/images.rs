//! Images of a Markdown source: `<img src="…" alt="…">` and Hugo's
//! `{{< figure src="…" >}}` become `![alt](…)` (raw HTML is not kept, a shortcode
//! cannot be), and every image with a relative path is found with its place.
//!
//! kbgen serves no files beside articles (a build writes pages, its own assets and
//! each article's YAML, nothing from `kb/`), so an import cannot copy images: the
//! link is kept and the author is told which file to host (and link by URL), or that
//! the file is missing. Every line is kept so later line numbers hold.

use std::path::Path;

/// An image with a relative path: the 1-based line and column of the path, and the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Relative {
    pub line: usize,
    pub column: usize,
    pub path: String,
}

/// `body` (first line `first_line`) with `<img>` tags as Markdown images, and its
/// images with relative paths, outside code.
pub fn scan(body: &str, first_line: usize) -> (String, Vec<Relative>) {
    let mut out = String::with_capacity(body.len());
    let mut found = Vec::new();
    let mut fence = false;
    for (i, line) in body.lines().enumerate() {
        if super::markup::in_code(line, &mut fence) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let source = line;
        let line = img_tags(line);
        for (at, path) in targets(&line) {
            if is_relative(&path) {
                // The path's place in the source line (before `<img>` was rewritten).
                let at = source.find(path.as_str()).unwrap_or(at.min(source.len()));
                let at = (0..=at)
                    .rev()
                    .find(|&i| source.is_char_boundary(i))
                    .unwrap_or(0);
                let column = source[..at].chars().count() + 1;
                found.push(Relative {
                    line: first_line + i,
                    column,
                    path,
                });
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    (out, found)
}

/// Whether an image path names a file of the source site (not a URL, not data).
fn is_relative(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    !path.is_empty()
        && !lower.contains("://")
        && !lower.starts_with("//")
        && !lower.starts_with("data:")
        && !lower.starts_with("mailto:")
        && !path.starts_with('#')
        && !path.contains("{{")
        && !path.contains("{%")
}

/// (byte offset of `![`, target) of each Markdown image on `line`, outside inline code.
fn targets(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut code = false;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'`' {
            code = !code;
        } else if !code
            && bytes[i..].starts_with(b"![")
            && let Some(close) = line[i..].find("](")
        {
            let start = i + close + 2;
            let rest = &line[start..];
            let end = rest.find(')').unwrap_or(rest.len());
            let target = rest[..end].trim();
            let target = target.split_whitespace().next().unwrap_or("");
            let target = target.trim_start_matches('<').trim_end_matches('>');
            out.push((i, target.to_string()));
            i = start + end;
            continue;
        }
        i += 1;
    }
    out
}

/// `line` with each `<img …>` tag as `![alt](src)` (a tag without `src` stays for
/// the HTML cleanup to remove).
fn img_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = find_img(rest) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let close = if tail.starts_with("{{") { "}}" } else { ">" };
        let end = tail.find(close).map_or(tail.len(), |e| e + close.len());
        let tag = &tail[..end];
        match attr(tag, "src") {
            Some(src) if tag.ends_with(close) => {
                let alt = attr(tag, "alt").or_else(|| attr(tag, "caption"));
                let alt = alt.or_else(|| attr(tag, "title")).unwrap_or_default();
                let alt = alt.replace(['[', ']'], "");
                out.push_str(&format!("![{alt}]({})", src.replace(' ', "%20")));
            }
            _ => out.push_str(tag),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Where the next `<img …>` tag or Hugo `{{< figure … >}}` shortcode starts.
fn find_img(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    ["<img ", "<img\t", "{{< figure ", "{{% figure "]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
}

/// The value of `name="…"` or `name='…'` in an HTML tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|a| a + from) {
        let before = lower[..at].chars().last();
        let after = lower[at + name.len()..].trim_start();
        from = at + name.len();
        if !before.is_some_and(char::is_whitespace) || !after.starts_with('=') {
            continue;
        }
        let value = after[1..].trim_start();
        let offset = tag.len() - value.len();
        let value = &tag[offset..];
        let quote = value.chars().next()?;
        return Some(if quote == '"' || quote == '\'' {
            value[1..].split(quote).next().unwrap_or("").to_string()
        } else {
            let end = value.find([' ', '>', '/']).unwrap_or(value.len());
            value[..end].to_string()
        });
    }
    None
}

/// The warning for an image at `rel` of the source `source` (its file looked up
/// beside the source).
pub fn warning(source: &Path, rel: &Relative) -> String {
    let path = rel.path.split(['?', '#']).next().unwrap_or("");
    if path.starts_with('/') {
        return format!(
            "image `{}` is a path of the source site: kbgen serves no files beside articles, so host the file and link it by URL",
            rel.path
        );
    }
    let decoded = path.replace("%20", " ");
    let file = source.parent().unwrap_or(Path::new("")).join(&decoded);
    if file.is_file() {
        format!(
            "image `{}` kept as a relative link, but kbgen serves no files beside articles: host {} and link it by URL",
            rel.path,
            file.display()
        )
    } else {
        format!(
            "image `{}` not found: there is no {} (the link is kept)",
            rel.path,
            file.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn img_tags_become_markdown_and_relative_paths_are_found() {
        let src = "See ![Disk](media/disk.png \"Disk\") and <IMG alt=\"Menu [1]\" SRC='img/menu.png'>.\n```\n![in code](x.png)\n```\n`![inline](y.png)` ![web](https://e.example/a.png) ![abs](/images/z.png)\n<img alt=\"no source\">\n";
        let (out, found) = scan(src, 3);
        assert_eq!(
            out.lines().next(),
            Some("See ![Disk](media/disk.png \"Disk\") and ![Menu 1](img/menu.png).")
        );
        assert_eq!(out.lines().count(), src.lines().count());
        assert!(out.contains("<img alt=\"no source\">"), "{out}");
        let paths: Vec<_> = found
            .iter()
            .map(|f| (f.line, f.column, f.path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                (3, 13, "media/disk.png"),
                (3, 65, "img/menu.png"),
                (7, 59, "/images/z.png")
            ]
        );
    }

    #[test]
    fn odd_tags_never_panic() {
        for s in [
            "<img src=",
            "<img src=\"a",
            "<img ",
            "![x](",
            "![",
            "<img src=é>",
            "<img\tsrc=a.png/>",
        ] {
            let _ = scan(s, 1);
        }
        assert_eq!(scan("<img\tsrc=a.png/>", 1).1[0].path, "a.png");
        let (out, found) = scan("{{< figure src=\"img/c.png\" caption=\"Cert\" >}}\n", 1);
        assert_eq!(out, "![Cert](img/c.png)\n");
        assert_eq!(found[0].path, "img/c.png");
    }
}
