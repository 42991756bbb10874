//! The two background threads of `kbgen serve`: the rebuild worker (one batch of
//! changes at a time, then a reload or an error for the pages, and a line in the
//! terminal) and the search indexer, which catches up behind reloads.

use super::live::LiveHub;
use super::output::Output;
use super::rebuild::{IndexUpdate, Outcome, Rebuilder};
use super::watch::ChangeSet;
use crate::diagnostic::Diagnostic;
use crate::model::Kb;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Terminal output settings.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub quiet: bool,
}

/// Builds once, reporting like any later rebuild.
pub fn first_build(rb: &mut Rebuilder, hub: &LiveHub, term: Terminal, index: &Sender<IndexUpdate>) {
    let started = Instant::now();
    let outcome = rb.initial();
    publish(rb, outcome, hub, term, "initial build", started);
    if let Some(update) = rb.take_index_update() {
        let _ = index.send(update);
    }
}

/// Runs until every sender of `rx` is gone (the watcher stopped).
pub fn spawn_rebuilds(
    mut rb: Rebuilder,
    rx: Receiver<ChangeSet>,
    hub: Arc<LiveHub>,
    term: Terminal,
    index: Sender<IndexUpdate>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        while let Ok(mut changes) = rx.recv() {
            let started = Instant::now();
            // Coalesce whatever else arrived while the last rebuild ran.
            while let Ok(more) = rx.try_recv() {
                changes.merge(more);
            }
            let what = describe(&changes);
            let outcome = rb.apply(changes);
            publish(&rb, outcome, &hub, term, &what, started);
            if let Some(update) = rb.take_index_update() {
                let _ = index.send(update);
            }
        }
    })
}

fn publish(
    rb: &Rebuilder,
    outcome: Outcome,
    hub: &LiveHub,
    term: Terminal,
    what: &str,
    started: Instant,
) {
    match outcome {
        Outcome::Built(summary) => {
            hub.publish_reload();
            let total = started.elapsed().as_secs_f64() * 1000.0;
            if !term.quiet {
                eprint!("{}", rb.report(&summary.warnings));
            }
            if !term.quiet {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                let st = summary.stages;
                let render = match summary.kind {
                    "incremental" => format!(
                        "render {:.1} ms: plan {:.1}, pages {:.1}, signatures {:.1}",
                        ms(summary.render),
                        ms(st.plan),
                        ms(st.pages),
                        ms(st.signatures)
                    ),
                    _ => format!("render {:.1} ms", ms(summary.render)),
                };
                println!(
                    "[{}] {what}: {} rebuild in {total:.0} ms ({}; {} rendered, {} written, \
                     {} removed; check {:.1} ms, {render}, write {:.1} ms)",
                    clock(),
                    summary.kind,
                    plural(summary.pages, "page"),
                    plural(summary.rendered, "file"),
                    summary.written,
                    summary.removed,
                    ms(summary.check),
                    ms(summary.write),
                );
            }
        }
        Outcome::Failed(diagnostics) => {
            eprintln!(
                "[{}] {what}: build failed; serving the last good site",
                clock()
            );
            eprint!("{}", rb.report(&diagnostics));
            eprintln!("{}", rb.summary(&diagnostics));
            hub.publish_error(diagnostics_json(&diagnostics));
        }
    }
}

/// The document sent with `event: error`: the shape of `kbgen check --format json`,
/// on one line.
pub fn diagnostics_json(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let doc = serde_json::json!({
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "diagnostics": diagnostics,
    });
    doc.to_string()
}

/// `1 page`, `22 pages`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn describe(changes: &ChangeSet) -> String {
    let mut parts = Vec::new();
    match changes.articles.len() {
        0 => {}
        1 => parts.extend(changes.articles.iter().map(|p| short(p))),
        n => parts.push(format!("{n} articles")),
    }
    if changes.templates {
        parts.push("templates".into());
    }
    if changes.config {
        parts.push("config".into());
    }
    format!("{} changed", parts.join(", "))
}

fn short(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// UTC wall-clock time of day, for the rebuild lines.
fn clock() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        % 86_400;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Starts the search indexer. It keeps its own copy of the articles, patched with
/// each update it is sent, and indexes the newest state, skipping states that were
/// superseded while it worked, with the synonym groups the settings file `config`
/// has then (a file that does not load keeps the last good groups: the build
/// reports it). It runs on one thread of its own so a rebuild that follows a save
/// always has a core.
pub fn spawn_indexer(out: PathBuf, config: PathBuf) -> (Sender<IndexUpdate>, JoinHandle<()>) {
    let (tx, rx) = channel::<IndexUpdate>();
    let handle = std::thread::spawn(move || {
        lower_priority();
        let pool = (rayon::ThreadPoolBuilder::new().num_threads(1))
            .start_handler(|_| lower_priority())
            .build();
        let mut output = Output::new(&out);
        let mut kb = Kb::default();
        let mut synonyms = crate::search::Synonyms::default();
        while let Ok(update) = rx.recv() {
            apply(&mut kb, update);
            while let Ok(newer) = rx.try_recv() {
                apply(&mut kb, newer);
            }
            synonyms = synonyms_of(&config).unwrap_or(synonyms);
            let files = match &pool {
                Ok(pool) => pool.install(|| crate::search::build_index(&kb, &synonyms)),
                Err(_) => crate::search::build_index(&kb, &synonyms),
            };
            if let Err(e) = output.write(files, true) {
                eprintln!("kbgen: error: writing the search index: {e:#}");
            }
        }
    });
    (tx, handle)
}

/// The synonym groups of settings file `config`, if it loads.
fn synonyms_of(config: &std::path::Path) -> Option<crate::search::Synonyms> {
    let settings = crate::config::Config::load(config)
        .ok()?
        .settings(None)
        .ok()?;
    Some(crate::search::Synonyms::new(&settings.synonyms))
}

/// Makes the calling thread yield the processor to everything else (nice 19), so
/// the index catching up never slows the rebuild of the next save.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread, no pointers involved.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 19);
    }
}

/// Brings the indexer's copy of the articles up to date.
fn apply(kb: &mut Kb, update: IndexUpdate) {
    let changes = match update {
        IndexUpdate::All(all) => {
            *kb = all;
            return;
        }
        IndexUpdate::Changes(changes) => changes,
    };
    for c in changes {
        let at = kb.articles.binary_search_by(|a| a.id.cmp(&c.id));
        match (at, c.new) {
            (Ok(i), Some(a)) => kb.articles[i] = a,
            (Ok(i), None) => {
                kb.articles.remove(i);
            }
            (Err(i), Some(a)) => kb.articles.insert(i, a),
            (Err(_), None) => {}
        }
    }
}
