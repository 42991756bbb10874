//! `kbgen serve` never writes into `kb/` and never serves a file outside the output
//! folder: the server is run on a copy of the repository's articles, requests try path
//! traversal, articles are edited (and broken), and `kb/` must hold exactly the bytes
//! the test wrote, no more files.
//!
//! Runs the real `kbgen serve`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

struct Serve {
    child: Child,
    addr: String,
    _lines: Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(dir)
        .args([
            "serve", "--kb", "kb", "--out", "site", "--port", "0", "--color", "never",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kbgen serve");
    let (tx, rx) = channel();
    let out = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + WAIT;
    let addr = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).expect("kbgen serve printed no URL");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap_or(rest).to_string();
        }
    };
    Serve {
        child,
        addr,
        _lines: rx,
    }
}

/// A raw GET, so the path reaches the server exactly as written (no normalisation).
fn get(addr: &str, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let head = String::from_utf8_lossy(&response[..response.len().min(20)]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

fn wait_for(addr: &str, path: &str, want: &str) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        let (_, body) = get(addr, path);
        if String::from_utf8_lossy(&body).contains(want) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{path} never showed {want:?}");
}

#[test]
fn serve_never_writes_into_kb_nor_serves_outside_the_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).expect("mkdir");
    let repo_kb = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    for (rel, bytes) in files(&repo_kb) {
        std::fs::write(kb.join(rel), bytes).expect("copy");
    }
    std::fs::write(tmp.path().join("secret.txt"), "outside the site").expect("write");
    let server = start(tmp.path());
    let addr = server.addr.clone();

    for path in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fkb/o365-dirsync-profile-push-400.yaml",
        "/....//secret.txt",
        "/articles/../../secret.txt",
        "//etc/passwd",
        "/%2F%2Fetc%2Fpasswd",
        "/..\\secret.txt",
        "/%00",
    ] {
        let (status, body) = get(&addr, path);
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("outside the site"),
            "{path} served secret.txt"
        );
        assert!(!text.contains("root:x:0:0"), "{path} served /etc/passwd");
        assert!(status >= 300, "{path}: {status}");
    }

    // Edit an article, break one, add one: serve rebuilds, but only the test writes kb/.
    let id = "o365-dirsync-profile-push-400";
    let path = kb.join(format!("{id}.yaml"));
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = text.replacen("title: ", "title: Edited while serving - ", 1);
    std::fs::write(&path, &edited).expect("edit");
    wait_for(&addr, &format!("/articles/{id}/"), "Edited while serving");
    std::fs::write(kb.join("broken.yaml"), "title: [\n").expect("write");
    std::thread::sleep(Duration::from_secs(2));
    std::fs::remove_file(kb.join("broken.yaml")).expect("remove");
    std::thread::sleep(Duration::from_secs(2));

    let mut expected = files(&repo_kb);
    expected.insert(format!("{id}.yaml"), edited.into_bytes());
    assert_eq!(
        files(&kb).keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert!(
        files(&kb) == expected,
        "kb/ bytes changed under kbgen serve"
    );
    drop(server);
}
