//! Writes a set of rendered files into the served folder: only files whose bytes
//! changed, each staged beside its target and then renamed into place, so a page is
//! never seen half written and the reload is sent only after every rename.

use super::site_pipeline::Files;
use anyhow::Context;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hasher};
use std::path::{Component, Path, PathBuf};

/// The files this process has put in the folder, by path, with a hash of their bytes.
#[derive(Debug)]
pub struct Output {
    root: PathBuf,
    known: HashMap<String, u64>,
}

/// How many files a write changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub removed: usize,
}

impl Output {
    pub fn new(root: &Path) -> Self {
        Output {
            root: root.to_path_buf(),
            known: HashMap::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `files`; with `complete`, `files` is the whole set this writer owns and
    /// files it wrote before that are not in it are removed.
    pub fn write(&mut self, files: Files, complete: bool) -> anyhow::Result<Written> {
        let mut staged = Vec::new();
        let mut seen = HashSet::with_capacity(files.len());
        let result = self.stage(files, &mut staged, &mut seen);
        if let Err(e) = result {
            for (tmp, _, _, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(e);
        }
        let mut stats = Written::default();
        for (tmp, target, rel, hash) in staged {
            std::fs::rename(&tmp, &target)
                .with_context(|| format!("moving {} into place", target.display()))?;
            self.known.insert(rel, hash);
            stats.written += 1;
        }
        if complete {
            stats.removed = self.remove_stale(&seen);
        }
        Ok(stats)
    }

    /// Writes every changed file to a temporary name beside its target.
    fn stage(
        &mut self,
        files: Files,
        staged: &mut Vec<(PathBuf, PathBuf, String, u64)>,
        seen: &mut HashSet<String>,
    ) -> anyhow::Result<()> {
        for (rel, bytes) in files {
            let target = self.target(&rel)?;
            let hash = hash(&bytes);
            seen.insert(rel.clone());
            match self.known.get(&rel) {
                // a file removed from under the server is written again
                Some(&h) if h == hash && target.symlink_metadata().is_ok() => continue,
                None if std::fs::read(&target).is_ok_and(|old| old == bytes) => {
                    self.known.insert(rel, hash);
                    continue;
                }
                _ => {}
            }
            let dir = target.parent().unwrap_or(&self.root);
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.kbgen-{}.tmp", std::process::id()));
            std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
            staged.push((tmp, target, rel, hash));
        }
        Ok(())
    }

    /// The path of `rel` inside the folder; refuses anything that would leave it.
    fn target(&self, rel: &str) -> anyhow::Result<PathBuf> {
        let path = Path::new(rel);
        anyhow::ensure!(
            !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_))),
            "refusing to write outside the output folder: {rel:?}"
        );
        Ok(self.root.join(path))
    }

    /// Removes files that no longer belong to the site (paths relative to the
    /// folder), and folders left empty. Returns how many existed.
    pub fn remove(&mut self, paths: &[String]) -> anyhow::Result<usize> {
        let mut removed = 0;
        for rel in paths {
            let path = self.target(rel)?;
            self.known.remove(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
            }
            self.remove_empty_parents(&path);
        }
        Ok(removed)
    }

    fn remove_stale(&mut self, keep: &HashSet<String>) -> usize {
        let stale: Vec<String> = self
            .known
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for rel in &stale {
            self.known.remove(rel);
            let path = self.root.join(rel);
            let _ = std::fs::remove_file(&path);
            self.remove_empty_parents(&path);
        }
        stale.len()
    }

    fn remove_empty_parents(&self, path: &Path) {
        // Drop folders the removal emptied (remove_dir fails on non-empty ones).
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.root) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn unchanged_bytes_are_not_rewritten_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut out = Output::new(dir.path());
        let w = out.write(files(&[("a/index.html", "1"), ("b/index.html", "2")]), true);
        assert_eq!(
            w.ok(),
            Some(Written {
                written: 2,
                removed: 0
            })
        );
        let w = out.write(files(&[("a/index.html", "1"), ("c.json", "3")]), true);
        assert_eq!(
            w.ok(),
            Some(Written {
                written: 1,
                removed: 1
            })
        );
        assert!(!dir.path().join("b").exists());
        let leftovers = std::fs::read_dir(dir.path().join("a"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(leftovers, 1, "no temporary files left behind");
    }

    #[test]
    fn identical_files_already_on_disk_are_left_alone() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("x.html"), "same").unwrap_or_else(|e| panic!("{e}"));
        let mut out = Output::new(dir.path());
        let w = out.write(files(&[("x.html", "same")]), false);
        assert_eq!(
            w.ok(),
            Some(Written {
                written: 0,
                removed: 0
            })
        );
    }

    #[test]
    fn a_file_removed_since_it_was_written_is_written_again() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut out = Output::new(dir.path());
        let w = out.write(files(&[("search/meta.json", "{}")]), true);
        assert_eq!(w.ok().map(|w| w.written), Some(1));
        std::fs::remove_file(dir.path().join("search/meta.json")).unwrap_or_else(|e| panic!("{e}"));
        let w = out.write(files(&[("search/meta.json", "{}")]), true);
        assert_eq!(w.ok().map(|w| w.written), Some(1));
        let back = std::fs::read_to_string(dir.path().join("search/meta.json"));
        assert_eq!(back.ok().as_deref(), Some("{}"));
    }

    #[test]
    fn paths_leaving_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut out = Output::new(&dir.path().join("site"));
        assert!(out.write(files(&[("../escape.html", "x")]), false).is_err());
        assert!(out.write(files(&[("/abs.html", "x")]), false).is_err());
        assert!(!dir.path().join("escape.html").exists());
    }
}
