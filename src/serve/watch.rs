//! Watches the articles, the templates and the config file (native events through
//! notify's full debouncer, or polling with `--poll`), drops editor noise and the
//! output folder, and hands each coalesced batch of changes to the rebuild worker.

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long the debouncer waits for a save's burst of events to settle.
const DEBOUNCE: Duration = Duration::from_millis(25);
const TICK: Duration = Duration::from_millis(5);
/// How often `--poll` scans the watched folders.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// The watched inputs, as absolute paths (symlinks resolved where they exist).
#[derive(Debug, Clone)]
pub struct Roots {
    pub kb: PathBuf,
    pub templates: PathBuf,
    pub config: PathBuf,
    pub out: PathBuf,
}

impl Roots {
    pub fn new(kb: &Path, templates: &Path, config: &Path, out: &Path) -> Self {
        Roots {
            kb: absolute(kb),
            templates: absolute(templates),
            config: absolute(config),
            out: absolute(out),
        }
    }
}

/// An absolute form of `path`: canonical when it exists, else its canonical parent
/// joined with its name (the config file may be created later).
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map(|p| p.join(name))
            .unwrap_or_else(|_| abs.clone()),
        _ => abs,
    }
}

/// What one batch of file events touched.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    /// Article files created, edited or removed (whether each still exists is
    /// decided when the batch is rebuilt, since editors save by rename).
    pub articles: BTreeSet<PathBuf>,
    /// A folder under the articles was created, moved or removed: walk it again
    /// (its files get no events of their own).
    pub rescan: bool,
    pub templates: bool,
    pub config: bool,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty() && !self.rescan && !self.templates && !self.config
    }

    /// Folds a later batch into this one.
    pub fn merge(&mut self, other: ChangeSet) {
        self.articles.extend(other.articles);
        self.rescan |= other.rescan;
        self.templates |= other.templates;
        self.config |= other.config;
    }
}

/// Sorts changed paths into articles, templates and config; everything else is noise.
pub fn classify<'a>(roots: &Roots, paths: impl IntoIterator<Item = &'a Path>) -> ChangeSet {
    let mut set = ChangeSet::default();
    for path in paths {
        if path.starts_with(&roots.out) || is_editor_noise(path) {
            continue;
        }
        if path == roots.config {
            set.config = true;
        } else if path.starts_with(&roots.templates) {
            set.templates = true;
        } else if path.starts_with(&roots.kb) && is_article_path(path) {
            set.articles.insert(path.to_path_buf());
        } else if path.starts_with(&roots.kb) && (path.extension().is_none() || path.is_dir()) {
            set.rescan = true;
        }
    }
    set
}

/// A `.yaml`/`.yml` file that is not an editor's temporary or hidden file.
pub fn is_article_path(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str());
    matches!(ext, Some("yaml" | "yml")) && !is_editor_noise(path)
}

/// Swap, backup, lock and temporary files of common editors (vim, emacs, JetBrains,
/// VS Code, kate, gedit), plus hidden files.
pub fn is_editor_noise(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || name.contains("___jb_")
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".kate-swp",
            ".crswap",
            ".part",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Keeps the watcher alive; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// Starts watching `roots`; each non-empty batch goes to `tx`.
pub fn start(roots: &Roots, poll: bool, tx: Sender<ChangeSet>) -> anyhow::Result<Watcher> {
    let r = roots.clone();
    let handler = move |result: DebounceEventResult| match result {
        Ok(events) => {
            let paths = events
                .iter()
                .filter(|e| is_change(&e.event.kind))
                .flat_map(|e| e.event.paths.iter().map(PathBuf::as_path));
            let set = classify(&r, paths);
            if !set.is_empty() {
                let _ = tx.send(set);
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("kbgen: warning: watching files: {e}");
            }
        }
    };
    let mut watcher = if poll {
        // notify's poller compares whole-second mtimes; two saves within a second
        // would look like one, so it compares contents too.
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        Watcher::Poll(new_debouncer_opt(
            DEBOUNCE,
            Some(TICK),
            handler,
            NoCache,
            config,
        )?)
    } else {
        Watcher::Native(new_debouncer(DEBOUNCE, Some(TICK), handler)?)
    };
    watcher.watch(&roots.kb, RecursiveMode::Recursive)?;
    if roots.templates.is_dir() {
        watcher.watch(&roots.templates, RecursiveMode::Recursive)?;
    }
    // The folder, not the file: editors replace the file on save.
    if let Some(dir) = roots.config.parent().filter(|d| d.is_dir()) {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> anyhow::Result<()> {
        let result = match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        };
        result.map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", path.display()))
    }
}

/// Writes, creations, removals and renames; not reads.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots() -> Roots {
        Roots {
            kb: "/p/kb".into(),
            templates: "/p/templates".into(),
            config: "/p/kbgen.yaml".into(),
            out: "/p/kb/site".into(),
        }
    }

    #[test]
    fn editor_temp_files_and_the_output_folder_are_ignored() {
        let paths = [
            "/p/kb/.a.yaml.swp",
            "/p/kb/a.yaml~",
            "/p/kb/4913",
            "/p/kb/#a.yaml#",
            "/p/kb/.#a.yaml",
            "/p/kb/a.yaml___jb_tmp___",
            "/p/kb/site/articles/a/index.html",
            "/p/kb/notes.txt",
            "/p/README.md",
        ];
        let set = classify(&roots(), paths.iter().map(Path::new));
        assert!(set.is_empty(), "{set:?}");
    }

    #[test]
    fn a_save_burst_becomes_one_change() {
        let paths = ["/p/kb/a.yaml", "/p/kb/a.yaml", "/p/kb/sub/b.yml"];
        let set = classify(&roots(), paths.iter().map(Path::new));
        assert_eq!(set.articles.len(), 2);
        assert!(!set.templates && !set.config);
        let set = classify(
            &roots(),
            ["/p/templates/article.html", "/p/kbgen.yaml"]
                .iter()
                .map(Path::new),
        );
        assert!(set.templates && set.config && set.articles.is_empty());
        let set = classify(&roots(), [Path::new("/p/kb/moved-folder")]);
        assert!(set.rescan && set.articles.is_empty());
    }
}
