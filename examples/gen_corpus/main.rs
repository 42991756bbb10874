//! Deterministic benchmark corpus: N troubleshooting articles in kbgen's YAML
//! format, the same articles as a Hugo site, a large log with embedded errors for
//! `kbgen match`, and known-item queries for search relevance.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --n 10000 --out /dev/shm/kb10k \
//!     [--seed 42] [--no-hugo] [--log-mb 64] [--queries 150]
//! ```
//!
//! Output: OUT/kb/*.yaml, OUT/hugo/{hugo.toml,layouts/,content/articles/*.md},
//! OUT/app.log + OUT/app.log.truth.json (line and article of each embedded error),
//! OUT/queries.json (`[{"q", "expect_id", "kind"}]`), OUT/stats.json.

mod article;
mod body;
mod emit;
mod errors;
mod pools;
mod query;
mod rng;

use rng::Rng;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

struct Opts {
    n: usize,
    seed: u64,
    out: PathBuf,
    hugo: bool,
    log_mb: usize,
    queries: usize,
}

fn parse() -> Result<Opts, String> {
    let mut o = Opts {
        n: 1000,
        seed: 42,
        out: PathBuf::from("corpus"),
        hugo: true,
        log_mb: 0,
        queries: 150,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let num = |s: String| s.parse::<u64>().map_err(|e| format!("{s}: {e}"));
        match a.as_str() {
            "--n" => o.n = num(val("--n")?)? as usize,
            "--seed" => o.seed = num(val("--seed")?)?,
            "--out" => o.out = PathBuf::from(val("--out")?),
            "--no-hugo" => o.hugo = false,
            "--log-mb" => o.log_mb = num(val("--log-mb")?)? as usize,
            "--queries" => o.queries = num(val("--queries")?)? as usize,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if o.n < 2 {
        return Err("--n must be at least 2".into());
    }
    Ok(o)
}

fn main() {
    let opts = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&opts) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
}

fn run(o: &Opts) -> std::io::Result<()> {
    let base = Rng::new(o.seed);
    let kb = o.out.join("kb");
    let content = o.out.join("hugo/content/articles");
    fs::create_dir_all(&kb)?;
    if o.hugo {
        write_hugo_skeleton(&o.out.join("hugo"))?;
        fs::create_dir_all(&content)?;
    }
    let (mut words, mut bytes) = (0usize, 0usize);
    for i in 0..o.n {
        let d = article::doc(&base, i, o.n);
        let y = emit::yaml(&d);
        words += y.split_whitespace().count();
        bytes += y.len();
        fs::write(kb.join(format!("{}.yaml", d.head.id)), &y)?;
        if o.hugo {
            fs::write(content.join(format!("{}.md", d.head.id)), emit::hugo_md(&d))?;
        }
    }
    let qs = query::known_items(&base, o.n, o.queries);
    fs::write(o.out.join("queries.json"), qs)?;
    if o.log_mb > 0 {
        write_log(&base, o)?;
    }
    let stats = format!(
        "{{\"articles\":{},\"seed\":{},\"yaml_bytes\":{bytes},\"yaml_words_per_article\":{}}}\n",
        o.n,
        o.seed,
        words / o.n
    );
    fs::write(o.out.join("stats.json"), &stats)?;
    eprint!("gen_corpus: {stats}");
    Ok(())
}

fn write_hugo_skeleton(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir.join("layouts"))?;
    fs::create_dir_all(dir.join("content"))?;
    fs::write(dir.join("hugo.toml"), emit::HUGO_CONFIG)?;
    for (name, text) in emit::HUGO_LAYOUTS {
        fs::write(dir.join("layouts").join(name), text)?;
    }
    fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Knowledge base\n---\n",
    )
}

/// A log of `log_mb` MiB: routine lines with, every few hundred lines, an error
/// text of a random article with its placeholders filled in.
fn write_log(base: &Rng, o: &Opts) -> std::io::Result<()> {
    let mut r = base.fork(u64::MAX);
    let mut log = BufWriter::new(fs::File::create(o.out.join("app.log"))?);
    let mut truth = String::from("[");
    let (limit, mut size, mut line) = (o.log_mb << 20, 0usize, 1usize);
    while size < limit {
        let text = if r.chance(1) && r.chance(40) {
            let i = r.below(o.n);
            let d = article::doc(base, i, o.n);
            if d.errors.is_empty() {
                continue;
            }
            let k = r.below(d.errors.len());
            let e = errors::fill(&mut r, &d.errors[k]);
            if truth.len() > 1 {
                truth.push(',');
            }
            truth.push_str(&format!("{{\"line\":{line},\"id\":\"{}\"}}", d.head.id));
            format!("{} ERROR [{}] {e}\n", stamp(&mut r), d.head.id.len() % 7)
        } else {
            noise(&mut r)
        };
        line += text.matches('\n').count();
        size += text.len();
        log.write_all(text.as_bytes())?;
    }
    log.flush()?;
    truth.push_str("]\n");
    fs::write(o.out.join("app.log.truth.json"), truth)
}

fn stamp(r: &mut Rng) -> String {
    format!(
        "2026-03-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        r.range(1, 28),
        r.below(24),
        r.below(60),
        r.below(60),
        r.below(1000)
    )
}

fn noise(r: &mut Rng) -> String {
    let s = stamp(r);
    let c = r.pick(pools::COMPONENTS);
    match r.below(4) {
        0 => format!(
            "{s} INFO  [worker-{}] {c}: request completed in {} ms id={}\n",
            r.below(16),
            r.range(1, 900),
            r.uuid()
        ),
        1 => format!(
            "{s} DEBUG [http] GET /api/v1/users/{}/groups 200 {} bytes\n",
            r.hex(20),
            r.range(100, 90000)
        ),
        2 => format!(
            "{{\"ts\":\"{s}\",\"level\":\"info\",\"msg\":\"{c} heartbeat\",\"host\":\"agent-{}.corp.example.com\",\"latency_ms\":{}}}\n",
            r.below(40),
            r.below(500)
        ),
        _ => format!(
            "{s} WARN  [scheduler] {c} is running behind by {} s; queue depth {}\n",
            r.below(120),
            r.below(5000)
        ),
    }
}
