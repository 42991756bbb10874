//! `kbgen serve` end to end: the real binary on a temp copy of tests/fixtures/serve,
//! spoken to over loopback with raw HTTP (SSE read as HTTP/1.0, so no chunking).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);
const ARTICLE: &str = "kb/o365-dirsync-profile-push-400.yaml";
const PAGE: &str = "/articles/o365-dirsync-profile-push-400/";

struct Server {
    child: Child,
    dir: tempfile::TempDir,
    addr: String,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    /// What it printed before serving (the initial build's line).
    first: String,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

fn kbgen(dir: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kbgen"));
    cmd.current_dir(dir)
        .args([
            "serve",
            "--kb",
            "kb",
            "--templates",
            "templates",
            "--out",
            "site",
        ])
        .args(["--config", "kbgen.yaml", "--color", "never"])
        .args(extra)
        .env("NO_COLOR", "1");
    cmd
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve");
        copy_dir(&fixture, dir.path());
        let mut args = vec!["--port", "0"];
        args.extend_from_slice(extra);
        let mut child = kbgen(dir.path(), &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting kbgen: {e}"));
        let (tx, stdout) = channel();
        let out = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let err = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let (etx, stderr) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                eprintln!("kbgen stderr: {line}");
                let _ = etx.send(line);
            }
        });
        let mut first = String::new();
        let line = wait_line(&stdout, |l| {
            first.push_str(l);
            first.push('\n');
            l.contains("http://")
        });
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        Server {
            child,
            dir,
            addr,
            stdout,
            stderr,
            first,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.path(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(&self.addr, path)
    }

    fn live(&self) -> Sse {
        Sse::connect(&self.addr, "/_live")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_line(rx: &Receiver<String>, mut want: impl FnMut(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) if want(&line) => return line,
            Ok(_) => {}
            Err(e) => panic!("waiting for a line of output: {e}"),
        }
    }
    panic!("no matching line of output within {WAIT:?}");
}

fn request(addr: &str, path: &str, version: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream
        .set_read_timeout(Some(WAIT))
        .unwrap_or_else(|e| panic!("{e}"));
    let req = format!("GET {path} {version}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(req.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    stream
}

/// One GET over a raw socket (the path is sent exactly as given): status and body.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut raw = Vec::new();
    let _ = request(addr, path, "HTTP/1.0").read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A Server-Sent Events stream: yields (event, data) pairs.
struct Sse {
    reader: BufReader<TcpStream>,
}

impl Sse {
    fn connect(addr: &str, path: &str) -> Sse {
        let mut reader = BufReader::new(request(addr, path, "HTTP/1.0"));
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        assert!(line.contains(" 200 "), "SSE status: {line:?}");
        while line.trim_end() != "" {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("SSE stream closed in its headers");
            }
        }
        Sse { reader }
    }

    /// The next named event (keep-alive comments skipped).
    fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), String::new());
        let mut line = String::new();
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(Instant::now() < deadline, "no SSE event within {WAIT:?}");
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("SSE stream ended"),
                Ok(_) => {}
                Err(e) => panic!("no SSE event within {WAIT:?}: {e}"),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event:") {
                event = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push_str(v.trim_start());
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }
}

fn generation(data: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(data).unwrap_or_else(|e| panic!("{e}: {data}"));
    v["generation"]
        .as_u64()
        .unwrap_or_else(|| panic!("no generation in {data}"))
}

#[test]
fn editing_an_article_reloads_after_the_new_page_is_in_place() {
    let server = Server::start(&[]);
    let (status, before) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(before.contains("Office 365 profile push fails"));
    let mut live = server.live();
    server.edit(
        ARTICLE,
        "title: Office 365 profile push",
        "title: Edited 365 profile push",
    );
    let (event, data) = live.next();
    assert_eq!(event, "reload", "{data}");
    // The reload comes only once the new page is served.
    let (_, after) = server.get(PAGE);
    assert!(after.contains("Edited 365 profile push"), "{after}");
    assert!(
        after.contains("<script src=\"/_live.js\""),
        "live script injected"
    );
    let on_disk = std::fs::read_to_string(
        server.path("site/articles/o365-dirsync-profile-push-400/index.html"),
    );
    let on_disk = on_disk.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        on_disk.contains("Edited 365") && !on_disk.contains("_live.js"),
        "built files stay clean"
    );
    assert_eq!(server.get("/_live.js").0, 200);
}

#[test]
fn synonym_groups_added_while_serving_reach_the_search_index() {
    let server = Server::start(&[]);
    let meta = || std::fs::read_to_string(server.path("site/search/meta.json")).unwrap_or_default();
    let indexed = |want: bool| {
        let start = std::time::Instant::now();
        while meta().contains("dirsync") != want && start.elapsed() < WAIT {
            std::thread::sleep(Duration::from_millis(50));
        }
        meta().contains("dirsync") == want
    };
    assert!(indexed(false), "no group before the edit: {}", meta());
    let mut live = server.live();
    server.edit(
        "kbgen.yaml",
        "title: Serve fixture",
        "title: Serve fixture\nsynonyms:\n  - [dirsync, directory synchronization]",
    );
    assert_eq!(live.next().0, "reload");
    assert!(indexed(true), "the group reaches meta.json: {}", meta());
    // an article saved later is indexed in the background, with the groups of now
    std::fs::remove_file(server.path("site/search/meta.json")).unwrap_or_else(|e| panic!("{e}"));
    server.edit(
        ARTICLE,
        "title: Office 365 profile push",
        "title: Edited 365 profile push",
    );
    assert_eq!(live.next().0, "reload");
    assert!(
        indexed(true),
        "the group stays after an article edit: {}",
        meta()
    );
}

#[test]
fn broken_yaml_sends_the_diagnostics_and_the_next_good_save_reloads() {
    let server = Server::start(&[]);
    let mut live = server.live();
    server.edit(
        ARTICLE,
        "title: Office 365 profile push",
        "title: [Office 365 profile push",
    );
    let (event, data) = live.next();
    assert_eq!(event, "error", "{data}");
    let report: serde_json::Value =
        serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
    let first = &report["diagnostics"][0];
    assert!(
        first["path"]
            .as_str()
            .unwrap_or("")
            .ends_with("o365-dirsync-profile-push-400.yaml"),
        "{data}"
    );
    assert!(first["line"].as_u64().unwrap_or(0) >= 1, "{data}");
    assert!(
        !first["message"].as_str().unwrap_or("").is_empty(),
        "{data}"
    );
    // The terminal gets the diagnostics and the summary line `check` prints.
    let summary = wait_line(&server.stderr, |l| l.starts_with("error: "));
    assert!(
        summary.starts_with("error: 1 error, 0 warnings in "),
        "{summary}"
    );
    // The last good page keeps being served.
    let (status, page) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Office 365 profile push fails"));
    // A page opened now learns about the error on connecting.
    let (late_event, _) = server.live().next();
    assert_eq!(late_event, "error");
    server.edit(
        ARTICLE,
        "title: [Office 365 profile push",
        "title: Fixed 365 profile push",
    );
    // The broken save may have been seen as two changes (truncate, then write): a
    // second report of the same error can come before the fix's reload.
    let mut next = live.next();
    for _ in 0..3 {
        if next.0 != "error" || next.1 != data {
            break;
        }
        next = live.next();
    }
    let (event, data) = next;
    assert_eq!(event, "reload", "{data}");
    assert!(server.get(PAGE).1.contains("Fixed 365 profile push"));
}

/// `serve` and `build` count the same things: "N pages" is the HTML pages of the site.
#[test]
fn serve_reports_as_many_pages_as_build() {
    let server = Server::start(&[]);
    let line = &server.first;
    let served = count_before(line, " pages");
    let out = server.path("built");
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(server.dir.path())
        .args(["build", "--kb", "kb", "--templates", "templates"])
        .args(["--config", "kbgen.yaml", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let said = String::from_utf8_lossy(&build.stdout).into_owned();
    assert_eq!(count_before(&said, " pages"), served, "{said} / {line}");
    assert_eq!(html_files(&out), served, "{said}");
}

/// The number just before `word` in `line` (`22` in `(22 pages; …`).
fn count_before(line: &str, word: &str) -> usize {
    let head = line.split(word).next().unwrap_or_default();
    let digits: String = head
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    let digits: String = digits.chars().rev().collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no count before {word:?} in {line:?}"))
}

fn html_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| match e.path() {
            p if p.is_dir() => html_files(&p),
            p => usize::from(p.extension().is_some_and(|x| x == "html")),
        })
        .sum()
}

#[test]
fn editor_temp_files_do_not_trigger_rebuilds() {
    let server = Server::start(&[]);
    let (_, home) = server.get("/");
    let served_gen: u64 = home
        .split("data-generation=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no generation in the page: {home}"));
    let mut live = server.live();
    for noise in [
        "kb/.o365.yaml.swp",
        "kb/o365.yaml~",
        "kb/4913",
        "kb/#o365.yaml#",
        "site/extra.yaml",
    ] {
        std::fs::write(server.path(noise), "title: [broken").unwrap_or_else(|e| panic!("{e}"));
    }
    std::thread::sleep(Duration::from_millis(400));
    server.edit(ARTICLE, "title: Office 365", "title: Office 366");
    let (event, data) = live.next();
    assert_eq!(event, "reload", "{data}");
    assert_eq!(generation(&data), served_gen + 1, "exactly one rebuild");
}

#[test]
fn polling_picks_up_edits_and_templates_and_config_changes_rebuild() {
    let server = Server::start(&["--poll"]);
    let mut live = server.live();
    server.edit(ARTICLE, "title: Office 365", "title: Polled 365");
    assert_eq!(live.next().0, "reload");
    assert!(server.get(PAGE).1.contains("Polled 365"));
    server.edit(
        "kbgen.yaml",
        "title: Serve fixture",
        "title: Renamed fixture",
    );
    assert_eq!(live.next().0, "reload");
    server.edit("templates/static/extra.css", "#333", "#444");
    assert_eq!(live.next().0, "reload");
    server.edit("kbgen.yaml", "title: Renamed fixture", "title: [broken");
    assert_eq!(live.next().0, "error");
    server.edit("kbgen.yaml", "title: [broken", "title: Serve fixture");
    assert_eq!(live.next().0, "reload");
}

#[test]
fn paths_outside_the_output_folder_are_never_served() {
    let server = Server::start(&[]);
    let secret = server.path("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, server.path("site/leak.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(server.dir.path(), server.path("site/up"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let attempts = [
        "/../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/articles/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/leak.txt",
        "/up/secret.txt",
        "/up/kbgen.yaml",
    ];
    for path in attempts {
        let (status, body) = server.get(path);
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("Serve fixture\n"),
            "{path} leaked"
        );
    }
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("/_live.js"), "the 404 page reloads too");
}

#[test]
fn a_taken_port_is_a_clear_error_with_exit_code_2() {
    let holder = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = holder
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"),
        dir.path(),
    );
    let out = kbgen(dir.path(), &["--port", &port.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already in use") && stderr.contains(&port.to_string()),
        "{stderr}"
    );
    assert!(
        !dir.path().join("site").exists(),
        "nothing is built when the port is taken"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly_with_a_live_page_open() {
    let mut server = Server::start(&[]);
    let _live = server.live();
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            break status;
        }
        assert!(Instant::now() < deadline, "kbgen did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    wait_line(&server.stdout, |l| l == "Stopped.");
}
