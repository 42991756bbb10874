//! Differential test of the normaliser and tokeniser against their previous
//! implementation (`tests/oracle/`, char by char, one allocation per line and word):
//! the byte-level fast paths must not change a single token, on every line of the
//! fixtures and on random and adversarial strings.

#[allow(dead_code)]
#[path = "oracle/normalise_v1.rs"]
mod normalise_v1;
#[allow(dead_code)]
#[path = "oracle/tokens_v1.rs"]
mod tokens_v1;

use kbgen::signature::normalise::{normalise, normalise_into};
use kbgen::signature::tokens::{tokenize, tokenize_with};
use proptest::prelude::*;
use std::path::Path;

fn old(line: &str, signature: bool) -> (String, Vec<String>) {
    let norm = normalise_v1::normalise(line);
    let mut toks = Vec::new();
    tokens_v1::tokenize(&norm, signature, |t| toks.push(t.to_string()));
    (norm, toks)
}

fn new(line: &str, signature: bool) -> (String, Vec<String>) {
    let mut norm = String::from("left over from the previous line");
    normalise_into(line, &mut norm);
    assert_eq!(norm, normalise(line));
    let mut toks = Vec::new();
    let mut buf = vec!['x'; 3];
    tokenize_with(&norm, signature, &mut buf, |t| toks.push(t.to_string()));
    (norm, toks)
}

/// Both paths also on text that was not normalised (upper case, raw escapes).
fn same(line: &str) {
    for signature in [false, true] {
        assert_eq!(new(line, signature), old(line, signature), "{line:?}");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        tokenize(line, signature, |t| a.push(t.to_string()));
        tokens_v1::tokenize(line, signature, |t| b.push(t.to_string()));
        assert_eq!(a, b, "raw {line:?}");
    }
}

fn fixture_lines(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            fixture_lines(&p, out);
        } else if let Ok(bytes) = std::fs::read(&p) {
            let text = String::from_utf8_lossy(&bytes);
            out.extend(text.lines().map(str::to_string));
        }
    }
}

#[test]
fn every_fixture_line_tokenises_as_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines = Vec::new();
    for dir in ["tests/fixtures", "kb"] {
        fixture_lines(&root.join(dir), &mut lines);
    }
    let vectors = std::fs::read_to_string(root.join("tests/match-vectors.json")).unwrap();
    lines.extend(vectors.lines().map(str::to_string));
    assert!(lines.len() > 1000, "only {} fixture lines", lines.len());
    for line in &lines {
        same(line);
    }
}

#[test]
fn adversarial_lines_tokenise_as_before() {
    let cases = [
        "",
        "<",
        "<a",
        "<>",
        "<1>",
        "<ab> <a b c> <x<y>",
        "0x 0x1 0xg 0x_1",
        "12:30:45.123456789z 12:30 pm utc+01:00 12:3",
        "tue, 01 nov 2022 15:52:08 gmt nov  1 2022 nov 1, 2022 01-nov-2022",
        "2022-11-01t15:52:08.123+0100 1.2.2022 11/01/22 2022.11.01",
        "a@b.c a@b.cd x.y@z-w.example.com @@ a@",
        "1.2.3.4:65535 1.2.3.4.5 256.1.1.1 ::1 fe80::1%eth0 1:2:3:4:5:6:7:8",
        "ora-00942 ab-1 abcdef-123 e0000001 aadsts50105 x_y_z",
        "https://x.com/a?b=c#d http://, ftp://x. s3://b/k) x://y",
        "8a1f2c3d-0000-4b5e-9f00-123456789abc 8a1f2c3d-0000-4b5e-9f00-123456789abcd",
        "1,234.5,6 1..2 ,5 .5 5.",
        "deadbeefcafe1234 1a2b3c4d abcdefghij0123456789 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "Ünïcödé ＡＡＤＳＴＳ50105 日本語のエラー ß ǅ ﬁ İ",
        "&amp;quot;x&quot; &#39; &#x41; &#xzz; &bogus; %C3%A9 %FF %%41 + \\u00e9 \\ud800 \\n\\t",
        "\u{0}\u{7f}\u{80}\u{ffff}\u{10ffff}\r\n\t",
        "mon tues 1 nov sept 30, 2022 december 1, 2022 thursday, 1 dec 2022",
    ];
    for c in cases {
        same(c);
        same(&c.to_uppercase());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn tricky_alphabet_tokenises_as_before(
        s in "[a-fA-FxXtTzZnNoOvV0-9 :./@<>%&;#_+,'\"\\\\-]{0,60}"
    ) {
        same(&s);
    }

    #[test]
    fn any_string_tokenises_as_before(s in any::<String>()) {
        same(&s);
    }

    #[test]
    fn mixed_ascii_and_unicode_tokenise_as_before(
        s in "[a-z0-9 :.@/<>-]{0,20}[é日ＡßİΣ\u{301}]{0,3}[a-z0-9 :.@/<>-]{0,20}"
    ) {
        same(&s);
    }
}
