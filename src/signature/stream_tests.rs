use super::*;
use crate::model::{Article, ErrorText, Kb};

fn article(id: &str, error: &str) -> Article {
    Article {
        errors: vec![ErrorText {
            text: error.into(),
            line: 1,
        }],
        ..Article::sample(id)
    }
}

const FRAME: &str = "Automatic profile push of user <first> <last> to app Google Workspace failed: \
    errorCode=UniquenessViolation errorMessage=\"{}\" request-id=<id>";

/// Regression: a long log whose every line is a near miss of the signatures
/// (same framing, another message) must still name the article of the one
/// real error, on its lines only, in whichever window it falls.
#[test]
fn long_log_of_near_misses_reports_the_right_article_and_lines() {
    let messages = [
        "Failed to unlock the specified distribution list before the token expired",
        "Unable to delete the specified OU filter before the token expired",
        "Could not rotate the signing certificate while the tenant was locked",
    ];
    let kb = Kb {
        articles: (0..3)
            .map(|k| article(&format!("a{k}"), &FRAME.replace("{}", messages[k])))
            .collect(),
    };
    let index = SignatureIndex::build(&kb);
    let near = FRAME.replace(
        "{}",
        "Failed to unlock the specified OU list for the tenant",
    );
    let real = FRAME.replace("{}", messages[2]);
    let mut log = String::new();
    let hit_lines = [7_000u64, 9_001];
    for n in 1..=12_000u64 {
        let line = if hit_lines.contains(&n) { &real } else { &near };
        log.push_str(&format!("2026-03-04T00:51:26.121Z ERROR [{n}] "));
        log.push_str(&line.replace("<first>", "Kofi").replace("<last>", "Tanaka"));
        log.push('\n');
    }
    let found = index.match_text(&log);
    let ids: Vec<&str> = found
        .iter()
        .map(|m| index.articles[m.article].id.as_str())
        .collect();
    assert_eq!(ids, ["a2"], "{:?}", found);
    assert_eq!(found[0].lines, hit_lines);
    assert_eq!(found[0].occurrences, 2);
}

/// The reader as it was before chunks: one piece at a time on this thread, each
/// window matched as soon as it is full. The chunked, threaded reader must give
/// exactly what this gives.
fn reference(index: &SignatureIndex, input: &[u8], window: usize) -> Vec<ArticleMatch> {
    use super::super::normalise::normalise;
    use super::super::tokens::tokenize_with;
    let mut input = input;
    let (mut buf, mut chars, mut line_no) = (Vec::new(), Vec::new(), 0u64);
    let (mut win, mut found, mut sc) = (Window::default(), BTreeMap::new(), Scan::default());
    let mut anchors: Option<Vec<Vec<u32>>> = None;
    while let Some(ended) = read_piece(&mut input, &mut buf) {
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\n', '\r']);
        let before = win.ids.len();
        tokenize_with(&normalise(line), false, &mut chars, |t| {
            super::super::spelling::each(t, |t| {
                let (id, w) = index.input_token(t);
                win.ids.push(id);
                win.weights.push(w);
                win.lines.push(line_no + 1);
            });
        });
        if win.ids.len() > before {
            win.starts.push((line_no + 1, win.text.len()));
            win.text.push_str(line);
        }
        line_no += u64::from(ended);
        if win.ids.len() - win.fresh >= window {
            let a = anchors.get_or_insert_with(|| index.anchors_for_input(&win.ids));
            index.scan(&win, a, &mut found, &mut sc);
            shift(&mut win, index.carry());
        }
    }
    let a = anchors.as_deref().unwrap_or(index.default_anchors());
    index.scan(&win, a, &mut found, &mut sc);
    finish(found)
}

/// Keeps the last `carry` tokens as the start of the next window (as the reader
/// did before).
fn shift(win: &mut Window, carry: usize) {
    let drop = win.ids.len().saturating_sub(carry);
    win.ids.drain(..drop);
    win.weights.drain(..drop);
    win.lines.drain(..drop);
    let keep_from = win.lines.first().copied().unwrap_or(u64::MAX);
    let k = win.starts.partition_point(|&(l, _)| l < keep_from);
    let cut = win.starts.get(k).map_or(win.text.len(), |&(_, at)| at);
    win.text.drain(..cut);
    win.starts.drain(..k);
    for s in &mut win.starts {
        s.1 -= cut;
    }
    win.fresh = win.ids.len();
}

/// One line, or a `MAX_LINE` piece of one; `Some(true)` when it ended the line.
fn read_piece(input: &mut &[u8], buf: &mut Vec<u8>) -> Option<bool> {
    buf.clear();
    if input.is_empty() {
        return None;
    }
    let take = input.len().min(MAX_LINE);
    let (n, ended) = match input[..take].iter().position(|&b| b == b'\n') {
        Some(nl) => (nl + 1, true),
        None => (take, take < MAX_LINE),
    };
    buf.extend_from_slice(&input[..n]);
    *input = &input[n..];
    Some(ended)
}

fn near_miss_kb() -> SignatureIndex {
    let messages = [
        "Failed to unlock the specified distribution list before the token expired",
        "Unable to delete the specified OU filter before the token expired",
        "Could not rotate the signing certificate while the tenant was locked",
    ];
    let mut articles: Vec<Article> = (0..3)
        .map(|k| article(&format!("a{k}"), &FRAME.replace("{}", messages[k])))
        .collect();
    articles.push(article("short", "ORA-00942: table or view does not exist"));
    SignatureIndex::build(&Kb { articles })
}

/// A log of near misses with real errors, some wrapped over two lines, some
/// with CRLF, a few lines without tokens, and invalid UTF-8.
fn mixed_log(lines: u64) -> Vec<u8> {
    let real = FRAME
        .replace(
            "{}",
            "Could not rotate the signing certificate while the tenant was locked",
        )
        .replace("<first>", "Kofi")
        .replace("<last>", "Tanaka");
    let near = FRAME.replace(
        "{}",
        "Failed to unlock the specified OU list for the tenant",
    );
    let mut log = Vec::new();
    for n in 1..=lines {
        let text = match n % 37 {
            5 => real.clone(),
            11 => real.replacen(" to app ", " to app\r\n", 1),
            17 => "ORA-00942: table or view\n does not exist \u{e9}\u{fffd}".to_string(),
            23 => "-- ..".to_string(),
            29 => String::new(),
            _ => near.clone(),
        };
        log.extend_from_slice(format!("2026-03-04T00:51:26.121Z ERROR [{n}] ").as_bytes());
        log.extend_from_slice(text.as_bytes());
        if n % 41 == 3 {
            log.extend_from_slice(b" \xff\xfe broken");
        }
        log.extend_from_slice(if n % 3 == 0 { b"\r\n" } else { b"\n" });
    }
    log
}

fn chunked(index: &SignatureIndex, log: &[u8], limits: Limits, read: usize) -> Vec<ArticleMatch> {
    let input = io::BufReader::with_capacity(read, log);
    index.match_reader_with(input, limits).unwrap()
}

/// Cutting the input into chunks anywhere, reading it in reads of any size and
/// matching on any number of threads give what the line-by-line reader gave,
/// for windows of many sizes (so their edges fall inside wrapped signatures).
#[test]
fn chunks_reads_and_threads_do_not_change_what_is_found() {
    let index = near_miss_kb();
    let log = mixed_log(400);
    for window in [3, 40, 333, 4000, WINDOW] {
        let want = reference(&index, &log, window);
        assert!(want.len() >= 2, "{want:?}");
        for (chunk, read, workers) in [
            (1, 1, 2),
            (7, 3, 3),
            (100, 64, 1),
            (1000, 1000, 2),
            (4096, 7, 4),
            (CHUNK, 1 << 16, 2),
        ] {
            let limits = Limits {
                window,
                chunk,
                workers,
            };
            let got = chunked(&index, &log, limits, read);
            assert_eq!(got, want, "window {window}, {limits:?}, reads of {read}");
        }
    }
}

/// A line longer than `MAX_LINE` is cut into the same pieces, with the same line
/// number, whether it falls in one chunk or is cut where a chunk ends.
#[test]
fn long_lines_are_cut_into_the_same_pieces_in_chunks() {
    let index = near_miss_kb();
    let mut log = mixed_log(30);
    let long_line = 1 + log.iter().filter(|&&b| b == b'\n').count() as u64;
    let filler = "ORA-00942: table or view does not exist x ".repeat(MAX_LINE / 40);
    log.extend_from_slice(filler.as_bytes());
    log.extend_from_slice(&filler.as_bytes()[..MAX_LINE / 2]);
    log.push(b'\n');
    log.extend_from_slice(&mixed_log(30));
    log.extend_from_slice(&filler.as_bytes()[..MAX_LINE + 5]);
    let want = reference(&index, &log, 2000);
    let short = want
        .iter()
        .find(|m| index.articles[m.article].id == "short");
    assert!(
        short.is_some_and(|m| m.lines.contains(&long_line)),
        "{want:?}"
    );
    for (chunk, workers) in [(1000, 2), (MAX_LINE - 1, 2), (MAX_LINE + 3, 1), (CHUNK, 3)] {
        let limits = Limits {
            window: 2000,
            chunk,
            workers,
        };
        assert_eq!(chunked(&index, &log, limits, 1 << 16), want, "{limits:?}");
    }
}
