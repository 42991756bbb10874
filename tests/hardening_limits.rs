//! Resource limits: hostile article files (an alias bomb, a 50 MB file, 100k list items,
//! deep nesting, a megabyte-long line, a FIFO) each end in a clear located diagnostic,
//! under a memory cap and a hang guard, never in an abort or a hang.
//!
//! The files are generated into a temp dir at run time; nothing big is committed.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address-space cap for each run (KiB). A loader that tried to hold the 50 MB file,
/// or expanded the alias bomb, would fail here instead of passing.
const MEMORY_CAP_KIB: u64 = 1024 * 1024;
/// Hang guard, not a timing assertion: a run this long is stuck.
const HANG_GUARD: Duration = Duration::from_secs(120);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `kbgen ARGS` under `ulimit -v`, killing it if it outlives the hang guard.
fn kbgen(args: &[&str]) -> Run {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_CAP_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kbgen");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("kbgen {args:?} still running after {HANG_GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

/// A kb folder holding one file `name` with `text`.
fn kb_with(name: &str, text: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), text).expect("write");
    dir
}

/// `kbgen check` on `kb` must exit 1 (content error, not a crash: a signal gives no
/// code, a panic exits 101) with a located diagnostic of `code` whose message holds
/// `words`; returns the whole report.
fn assert_diagnostic(kb: &Path, code: &str, words: &str) -> String {
    let kb_arg = kb.to_str().expect("utf-8 temp path");
    let run = kbgen(&["check", "--kb", kb_arg]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, Some(1), "exit code; output:\n{all}");
    let head = format!("error[{code}]: ");
    let line = all
        .lines()
        .find(|l| l.contains(&head))
        .unwrap_or_else(|| panic!("no {code} diagnostic in:\n{all}"));
    assert!(line.contains(".yaml:"), "diagnostic is not located: {line}");
    assert!(line.contains(words), "expected {words:?} in: {line}");
    assert!(
        !all.contains("panicked") && !all.contains("budget breached"),
        "{all}"
    );
    // The report stays readable: no source line is echoed whole.
    assert!(all.len() < 16 * 1024, "report is {} bytes", all.len());
    all
}

fn alias_bomb(levels: usize) -> String {
    let mut yaml =
        String::from("title: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..levels {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 9].join(", ");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    yaml
}

#[test]
fn alias_bomb_is_refused_with_a_diagnostic() {
    let kb = kb_with("bomb.yaml", alias_bomb(12).as_bytes());
    assert_diagnostic(kb.path(), "E001", "alias");
}

#[test]
fn alias_bomb_inside_a_field_is_refused_too() {
    // Nine levels stay under the per-anchor limits; using the last one in a real field
    // is what would replay 9^9 events.
    let mut yaml = alias_bomb(9);
    yaml.push_str("cause: *a8\n");
    let kb = kb_with("bomb-in-field.yaml", yaml.as_bytes());
    assert_diagnostic(kb.path(), "E001", "alias");
}

#[test]
fn fifty_megabyte_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.yaml");
    let mut text = String::from("title: huge\ncause: \"");
    text.push_str(&"a".repeat(50 * 1024 * 1024));
    text.push_str("\"\n");
    std::fs::write(&path, text).expect("write");
    let all = assert_diagnostic(dir.path(), "E016", "1 MiB");
    assert!(all.contains("huge.yaml:1:1"), "{all}");
}

#[test]
fn a_hundred_thousand_list_items_are_refused() {
    let mut yaml = String::from("title: many\nsymptoms:\n");
    yaml.push_str(&"- a\n".repeat(100_000));
    assert!(yaml.len() < 1 << 20, "stays under the file size limit");
    let kb = kb_with("many.yaml", yaml.as_bytes());
    assert_diagnostic(kb.path(), "E001", "too many values");
}

#[test]
fn a_hundred_thousand_flow_items_are_refused() {
    let mut yaml = String::from("title: many\ntags: [");
    yaml.push_str(&vec!["a"; 100_000].join(","));
    yaml.push_str("]\n");
    let kb = kb_with("many-flow.yaml", yaml.as_bytes());
    assert_diagnostic(kb.path(), "E001", "too many values");
}

#[test]
fn deep_nesting_is_refused_in_every_yaml_form() {
    let n = 100_000;
    let cases = [
        (
            "flow-seq",
            format!("title: {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "flow-map",
            format!("title: {}x{}\n", "{a: ".repeat(n), "}".repeat(n)),
        ),
        ("block-seq", format!("symptoms:\n{}x\n", "- ".repeat(n))),
        (
            "block-map",
            (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect(),
        ),
    ];
    for (name, yaml) in cases {
        let kb = kb_with(&format!("{name}.yaml"), yaml.as_bytes());
        let all = assert_diagnostic(kb.path(), "E001", "nested too deeply");
        assert!(all.contains(&format!("{name}.yaml:")), "{all}");
    }
}

#[test]
fn a_megabyte_long_line_gives_a_short_snippet() {
    // Just under the size limit, on one line, with a syntax error at its end.
    let mut yaml = String::from("title: \"");
    yaml.push_str(&"x".repeat(1_000_000));
    yaml.push_str("\" trailing: [\n");
    let kb = kb_with("long-line.yaml", yaml.as_bytes());
    assert_diagnostic(kb.path(), "E001", "");
}

#[test]
fn a_long_valid_field_is_accepted_or_refused_quickly_but_never_crashes() {
    // 900 kB of Markdown in one field: within the limits, so it must not be refused
    // for size; the article is still incomplete (E004), which is what is reported.
    let mut yaml = String::from("title: long\ncause: |\n  ");
    yaml.push_str(&"*a* `b` [c](https://e.test) ".repeat(30_000));
    yaml.push('\n');
    let kb = kb_with("long-field.yaml", yaml.as_bytes());
    let all = assert_diagnostic(kb.path(), "E004", "");
    assert!(!all.contains("E016") && !all.contains("E001"), "{all}");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_an_article_does_not_hang_the_loader() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    std::fs::write(dir.path().join("bad.yaml"), "title: [\n").expect("write");
    // Only the regular file is read; opening the FIFO would block for ever.
    assert_diagnostic(dir.path(), "E001", "");
}

#[test]
fn binary_garbage_and_nul_bytes_are_diagnostics() {
    let cases: [(&str, &[u8], &str); 3] = [
        ("latin1.yaml", b"title: caf\xe9\n", "E015"),
        ("nul.yaml", b"title: a\x00b\n", "E001"),
        ("bom-only.yaml", b"\xef\xbb\xbf\n\n", "E014"),
    ];
    for (name, bytes, code) in cases {
        let kb = kb_with(name, bytes);
        assert_diagnostic(kb.path(), code, "");
    }
}
