//! HTML tables in Markdown (Telerik and Progress KBs put their Environment in one):
//! a table of two-cell rows becomes a list (`- Product: Grid`), any other a Markdown
//! table whose first row is the header. Raw HTML would otherwise lose its structure.
//! Blank lines make up for the lines a table had, so later line numbers hold.

/// `body` with each `<table>` … `</table>` outside code as Markdown.
pub fn convert(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut table: Option<String> = None;
    let mut fence = false;
    for line in body.lines() {
        let t = line.trim_start();
        if table.is_none() && (t.starts_with("```") || t.starts_with("~~~")) {
            fence = !fence;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(html) = table.as_mut() {
            html.push_str(line);
            html.push('\n');
        } else if !fence && lower.trim_start().starts_with("<table") {
            table = Some(format!("{line}\n"));
        } else {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if lower.contains("</table>") {
            let html = table.take().unwrap_or_default();
            let md = markdown(&rows(&html));
            out.push_str(&md);
            let short = html.lines().count().saturating_sub(md.lines().count());
            out.push_str(&"\n".repeat(short));
        }
    }
    if let Some(rest) = table {
        out.push_str(&rest);
    }
    out
}

/// The text of each cell of each row.
fn rows(html: &str) -> Vec<Vec<String>> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for row in lower.match_indices("<tr").map(|(at, _)| at) {
        let end = lower[row..].find("</tr>").map_or(html.len(), |e| row + e);
        let (l, h) = (&lower[row..end], &html[row..end]);
        let mut cells = Vec::new();
        for (at, _) in l.match_indices("<t") {
            if !matches!(l.as_bytes().get(at + 2), Some(b'd' | b'h')) {
                continue;
            }
            let Some(open) = l[at..].find('>') else {
                continue;
            };
            let start = at + open + 1;
            let stop = l[start..].find("</t").map_or(l.len(), |e| start + e);
            cells.push(plain(&h[start..stop]));
        }
        if !cells.is_empty() {
            out.push(cells);
        }
    }
    out
}

/// A cell's text: tags removed, spaces made one, pipes escaped.
fn plain(html: &str) -> String {
    let mut text = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' if tag => {
                tag = false;
                text.push(' ');
            }
            _ if !tag => text.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").replace('|', "\\|")
}

fn markdown(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    if rows.iter().all(|r| r.len() == 2) {
        for r in rows {
            out.push_str(&format!("- {}: {}\n", r[0], r[1]));
        }
        return out;
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for (i, r) in rows.iter().enumerate() {
        let mut cells = r.clone();
        cells.resize(width, String::new());
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(width)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cell_rows_are_a_list_and_others_a_table() {
        let src = "Before\n<table>\n<tbody>\n<tr><td>Product</td><td><b>Grid</b> 2024</td></tr>\n<tr>\n<td>OS</td>\n<td>Linux</td>\n</tr>\n</tbody>\n</table>\nAfter\n";
        assert_eq!(
            convert(src),
            "Before\n- Product: Grid 2024\n- OS: Linux\n\n\n\n\n\n\n\nAfter\n"
        );
        let src = "<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td>1</td><td>x|y</td></tr></table>\n";
        assert_eq!(
            convert(src),
            "| A | B | C |\n| --- | --- | --- |\n| 1 | x\\|y |  |\n"
        );
        let src = "```\n<table>\n```\n<table>\n<tr>\n";
        assert_eq!(convert(src), src, "code and unclosed tables are left alone");
    }
}
