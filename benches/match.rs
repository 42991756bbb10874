//! Matcher benchmark (`cargo bench --bench match`): throughput of `kbgen match` on a
//! large synthetic log, and the time to rank one paste against 10,000 signatures.
//! Prints a table; nothing here asserts a time. Also writes the 10,000 signatures to
//! `target/bench-signatures-10k.json` for `bench/match-browser.mjs`.

use kbgen::model::{Article, ErrorText, Kb};
use kbgen::signature::SignatureIndex;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64*), so every run sees the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> String {
        const SYL: [&str; 16] = [
            "ka", "ro", "mi", "te", "lu", "san", "dor", "vi", "pe", "quo", "ex", "tra", "ni",
            "bel", "os", "gra",
        ];
        (0..2 + self.below(3))
            .map(|_| SYL[self.below(16)])
            .collect()
    }
}

const FRAMES: [&str; 4] = [
    "Automatic profile push of user <firstname> <lastname> to app <app> failed: Received response with HTTP status code 400. errorCode=Request_BadRequest errorMessage=\"{}\" request-id=<request-id>",
    "{\"error\":{\"code\":\"Request_BadRequest\",\"message\":\"{}\",\"innerError\":{\"request-id\":\"<id>\"}}}",
    "ERR{} {} at <host>",
    "The operation failed: {}. Correlation ID: <id> Timestamp: <timestamp>",
];

fn synthetic_kb(n: usize, rng: &mut Rng) -> Kb {
    let mut articles: Vec<Article> = (0..n)
        .map(|i| {
            let message: Vec<String> = (0..6 + rng.below(8)).map(|_| rng.word()).collect();
            let frame = FRAMES[rng.below(FRAMES.len())];
            let text = if frame.starts_with("ERR") {
                format!("AADSTS{} {} at <host>", 10_000 + i, message.join(" "))
            } else {
                frame.replace("{}", &message.join(" "))
            };
            article(&format!("synthetic-{i:05}"), text)
        })
        .collect();
    articles.push(article(
        "o365-dirsync-profile-push-400",
        std::fs::read_to_string("kb/o365-dirsync-profile-push-400.yaml")
            .ok()
            .and_then(|y| y.split("errors:\n  - >-\n").nth(1).map(str::to_string))
            .map(|rest| {
                rest.split("\nenvironment:")
                    .next()
                    .unwrap_or("")
                    .replace("\n    ", " ")
            })
            .unwrap_or_default(),
    ));
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    Kb { articles }
}

fn article(id: &str, error: String) -> Article {
    Article {
        title: format!("Article {id}"),
        errors: vec![ErrorText {
            text: error,
            line: 1,
        }],
        ..Article::sample(id)
    }
}

const SEED: &str = "Automatic profile push of user Jean-Luc Picard to app Microsoft Office 365 failed: Could not push profile for Office 365 user received error: Received response with HTTP status code 400. httpStatusCode=400 errorCode=Request_BadRequest errorMessage=\"Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.\" client-request-id=4f2a9c1e77f04c3d9a1b2c3d4e5f6a7b request-id=c0ffee00deadbeef1234567890abcdef timestamp='Wed, 15 Mar 2023 08:01:59 GMT' method=PATCH url=https://graph.microsoft.com/v1.0/users/5b2a9c1e-77f0-4c3d-9a1b-2c3d4e5f6a7b";

fn synthetic_log(bytes: usize, rng: &mut Rng) -> String {
    let mut log = String::with_capacity(bytes + 1024);
    let mut n = 0u64;
    while log.len() < bytes {
        n += 1;
        if n.is_multiple_of(5_000) {
            log.push_str("2022-11-01 15:52:08,512 ERROR [sync] ");
            log.push_str(SEED);
        } else {
            let (a, b) = (rng.word(), rng.word());
            log.push_str(&format!(
                "2022-11-01 15:52:{:02},{:03} INFO  [worker-{}] {a} task {n} for user {b}@contoso.com took {} ms",
                n % 60, n % 1000, n % 8, n % 997
            ));
        }
        log.push('\n');
    }
    log
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let t = Instant::now();
    let kb = synthetic_kb(10_000, &mut rng);
    let index = SignatureIndex::build(&kb);
    let build = t.elapsed();
    let json = index.to_json();
    // bench/match-browser.mjs times match.js on the same signatures
    let json_path = std::path::Path::new("target/bench-signatures-10k.json");
    let _ = std::fs::write(json_path, &json);
    let repo = SignatureIndex::build(
        &kbgen::validate::check("kb".as_ref())
            .map(|c| c.kb)
            .unwrap_or_default(),
    );
    let log = synthetic_log(64 << 20, &mut rng);

    let paste: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            black_box(index.match_text(black_box(SEED)));
            t.elapsed()
        })
        .collect();
    let best = index.match_text(SEED);
    let first = best
        .first()
        .map(|m| index.articles[m.article].id.as_str())
        .unwrap_or("none");

    let throughput = |idx: &SignatureIndex| {
        let t = Instant::now();
        let found = idx.match_reader(log.as_bytes()).unwrap_or_default();
        let secs = t.elapsed().as_secs_f64();
        (
            log.len() as f64 / secs / 1e6,
            found.first().map_or(0, |m| m.lines.len()),
        )
    };
    let (mbs_10k, lines_10k) = throughput(&index);
    let (mbs_repo, lines_repo) = throughput(&repo);

    println!("| measure | value |");
    println!("| --- | --- |");
    println!(
        "| build index, 10,000 signatures | {:.0} ms |",
        build.as_secs_f64() * 1e3
    );
    println!(
        "| signatures.json, 10,000 signatures | {:.1} MB |",
        json.len() as f64 / 1e6
    );
    println!(
        "| rank one paste vs 10,000 signatures (median of 30) | {:.2} ms (best: {first}) |",
        median(paste).as_secs_f64() * 1e3
    );
    println!(
        "| match a {} MB log, repo kb | {mbs_repo:.0} MB/s ({lines_repo} lines found) |",
        log.len() >> 20
    );
    println!(
        "| match a {} MB log, 10,000 signatures | {mbs_10k:.0} MB/s ({lines_10k} lines found) |",
        log.len() >> 20
    );
}
