//! Nothing lost: `kbgen build` killed (SIGKILL) at 20 moments spread over a build always
//! leaves the output folder as the complete old site or the complete new one; `kbgen new`
//! never overwrites or writes through a link; `kbgen build` refuses output folders that
//! are not sites (such as `kb/` itself).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KBGEN: &str = env!("CARGO_BIN_EXE_kbgen");

fn seed_article() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb/o365-dirsync-profile-push-400.yaml");
    let text = std::fs::read_to_string(path).expect("read the seed article");
    // Drop `related:` so copies stand alone.
    text.lines()
        .filter(|l| !l.starts_with("related:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A kb of `n` copies of the seed article; `version` changes every title, so every
/// article page differs between versions, and version 2 has extra articles.
fn write_kb(dir: &Path, n: usize, version: u32) {
    std::fs::create_dir_all(dir).expect("mkdir kb");
    let seed = seed_article();
    let count = if version == 1 { n } else { n + n / 10 };
    for i in 0..count {
        let text = seed.replacen("title: ", &format!("title: v{version} copy {i} - "), 1);
        std::fs::write(dir.join(format!("article-{i:04}.yaml")), text).expect("write article");
    }
}

fn build(kb: &Path, out: &Path) -> std::process::Output {
    Command::new(KBGEN)
        .args(["build", "--quiet", "--kb"])
        .arg(kb)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run kbgen build")
}

/// Every file under `root` by relative path, with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).expect("inside root");
            let bytes = std::fs::read(entry.path()).expect("read");
            files.insert(rel.to_string_lossy().into_owned(), bytes);
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Deterministic pseudo-random numbers (so a failing kill moment can be replayed).
fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (kb1, kb2) = (tmp.path().join("kb1"), tmp.path().join("kb2"));
    write_kb(&kb1, 80, 1);
    write_kb(&kb2, 80, 2);
    let (old_dir, new_dir) = (tmp.path().join("old"), tmp.path().join("new"));
    let first = build(&kb1, &old_dir);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let started = Instant::now();
    assert!(build(&kb2, &new_dir).status.success());
    let full = started.elapsed();
    let (old, new) = (snapshot(&old_dir), snapshot(&new_dir));
    assert_ne!(old, new);
    assert!(new.len() > 80, "{} files", new.len());

    let out = tmp.path().join("work").join("site");
    let mut seed = 0x6b62_6765_6e00_0001_u64;
    let mut outcomes = BTreeMap::new();
    // Four spread kill moments, one surely after the end, then a bisection towards the
    // moment the new site is swapped in, where a non-atomic writer would be caught.
    let full_us = full.as_micros() as u64;
    let (mut lo, mut hi) = (0, full_us * 3);
    for round in 0..20u32 {
        let _ = std::fs::remove_dir_all(out.parent().expect("parent"));
        copy_tree(&old_dir, &out);
        let jitter = lcg(&mut seed) % (full_us / 20 + 1);
        let delay_us = match round {
            0..=2 => full_us * u64::from(round) / 3 + jitter,
            3 => full_us * 3,
            _ => (lo + hi) / 2 + jitter - full_us / 40,
        };
        let delay = Duration::from_micros(delay_us);
        let mut child = Command::new(KBGEN)
            .args(["build", "--quiet", "--kb"])
            .arg(&kb2)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn kbgen build");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix; an error means it had already finished
        let status = child.wait().expect("wait");
        let now = snapshot(&out);
        let which = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            let missing = new.keys().filter(|k| !now.contains_key(*k)).count();
            panic!(
                "round {round}: killed after {delay:?} ({status}): output is neither site \
                 ({} files, {missing} of the new site missing; out exists: {})",
                now.len(),
                out.exists()
            );
        };
        if which == "old" {
            lo = lo.max(delay_us);
        } else {
            hi = hi.min(delay_us);
        }
        if hi <= lo {
            // The load on the machine changed; start the bisection again.
            (lo, hi) = (0, full_us * 3);
        }
        *outcomes.entry(which).or_insert(0) += 1;
        eprintln!("round {round:2}: kill after {delay:>12?} -> {which} site ({status})");
    }
    eprintln!("full build {full:?}; outcomes {outcomes:?}");
    // A later build cleans up whatever a kill left beside the output.
    assert!(build(&kb2, &out).status.success());
    assert_eq!(snapshot(&out), new);
    let leftovers: Vec<PathBuf> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("read")
        .map(|e| e.expect("entry").path())
        .filter(|p| *p != out)
        .collect();
    assert!(leftovers.is_empty(), "left beside the site: {leftovers:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let kb = tmp.path().join("kb");
    write_kb(&kb, 3, 1);
    let out = tmp.path().join("site");
    assert!(build(&kb, &out).status.success());
    let before = snapshot(&out);
    std::fs::write(kb.join("broken.yaml"), "title: [\n").expect("write");
    let run = build(&kb, &out);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn build_refuses_to_replace_a_folder_that_is_not_a_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let kb = tmp.path().join("kb");
    write_kb(&kb, 2, 1);
    let before = snapshot(&kb);
    for out in [kb.clone(), tmp.path().to_path_buf()] {
        let run = build(&kb, &out);
        assert_eq!(run.status.code(), Some(2), "--out {}", out.display());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains("refusing"), "{err}");
        assert_eq!(
            snapshot(&kb),
            before,
            "kb/ changed by --out {}",
            out.display()
        );
    }
}

fn new_article(kb: &Path, id: &str) -> std::process::Output {
    Command::new(KBGEN)
        .args(["new", id, "--title", "Replacement", "--kb"])
        .arg(kb)
        .output()
        .expect("run kbgen new")
}

#[test]
fn new_never_overwrites_an_article() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).expect("mkdir");
    let path = kb.join("existing.yaml");
    std::fs::write(&path, "title: mine, not a skeleton\n").expect("write");
    let run = new_article(&kb, "existing");
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("never overwrites"));
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(after, "title: mine, not a skeleton\n");
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_symlink() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).expect("mkdir");
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "precious").expect("write");
    let dangling = tmp.path().join("not-there.txt");
    std::os::unix::fs::symlink(&outside, kb.join("linked.yaml")).expect("symlink");
    std::os::unix::fs::symlink(&dangling, kb.join("dangling.yaml")).expect("symlink");
    for id in ["linked", "dangling"] {
        let run = new_article(&kb, id);
        assert_eq!(run.status.code(), Some(1), "{id}");
    }
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "precious");
    assert!(
        !dangling.exists(),
        "kbgen new created a file through a dangling link"
    );
}

#[test]
fn new_refuses_ids_that_would_leave_the_kb_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).expect("mkdir");
    for id in ["../escape", "/tmp/abs", "a/b", "..", "x\u{1b}[2J"] {
        let run = new_article(&kb, id);
        assert_eq!(run.status.code(), Some(2), "{id:?}");
    }
    assert!(!tmp.path().join("escape.yaml").exists());
    assert_eq!(std::fs::read_dir(&kb).expect("read").count(), 0);
}
