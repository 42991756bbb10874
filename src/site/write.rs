//! Writing output without ever leaving a half-written site: a whole build goes into a
//! temporary folder beside the output and is swapped in; incremental updates replace
//! single files by rename.

use crate::output::Files;
use anyhow::Context as _;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Writes `files` into a fresh folder beside `out`, then swaps it in (see [`Staging`]).
pub fn replace_dir(out: &Path, files: &Files) -> anyhow::Result<()> {
    let staging = Staging::begin(out)?;
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| staging.put(rel, bytes))?;
    staging.commit()
}

/// A whole build on its way into `out`: files go into a fresh folder beside it as
/// they are made (so a build never holds the whole site in memory), and
/// [`Staging::commit`] swaps that folder in: the old output is renamed away, the new
/// one renamed in, the old one deleted. A failure or kill at any point leaves either
/// the old site or the new one at `out`; a `Staging` dropped without a commit (an
/// error half way through) removes its folder.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    committed: bool,
    files: AtomicUsize,
    pages: AtomicUsize,
    bytes: AtomicU64,
}

impl Staging {
    /// Makes the empty staging folder, after checking that `out` may be replaced and
    /// recovering the previous site if a build was killed between its two renames.
    pub fn begin(out: &Path) -> anyhow::Result<Staging> {
        let (tmp, old) = siblings(out)?;
        if !out.exists() && old.is_dir() {
            std::fs::rename(&old, out)
                .with_context(|| format!("restoring the previous site from {}", old.display()))?;
        }
        guard_output(out)?;
        remove_if_exists(&tmp)?;
        remove_if_exists(&old)?;
        std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            old,
            committed: false,
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    /// Writes one file, by path relative to the site root. Called from many threads.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        check_path(rel)?;
        let path = self.tmp.join(rel);
        // Most files go into a folder that exists already: try that first.
        let written = match std::fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match path.parent() {
                Some(parent) => std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))
                    .and_then(|()| Ok(std::fs::write(&path, bytes)?)),
                None => Err(e.into()),
            },
            other => other.map_err(anyhow::Error::from),
        };
        written.with_context(|| format!("writing {}", path.display()))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        if rel.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Files, HTML pages and bytes written so far.
    pub fn counts(&self) -> (usize, usize, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.pages.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// Swaps the staged folder in at `out`.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let (out, tmp, old) = (&self.out, &self.tmp, &self.old);
        let had_old = out.exists();
        if had_old {
            std::fs::rename(out, old)
                .with_context(|| format!("moving the previous {} aside", out.display()))?;
        }
        if let Err(e) = std::fs::rename(tmp, out) {
            if had_old {
                let _ = std::fs::rename(old, out);
            }
            return Err(e).with_context(|| format!("moving the new site into {}", out.display()));
        }
        self.committed = true;
        if had_old {
            remove_tree(old)
                .with_context(|| format!("removing the previous site at {}", old.display()))?;
        }
        Ok(())
    }
}

/// `remove_dir_all`, with the folders two levels down (one per article, tag …)
/// removed in parallel: deleting the previous site is a good part of a build.
fn remove_tree(root: &Path) -> std::io::Result<()> {
    let mut entries = Vec::new();
    for top in std::fs::read_dir(root)? {
        let top = top?;
        if top.file_type()?.is_dir() {
            for e in std::fs::read_dir(top.path())? {
                entries.push(e?.path());
            }
        }
    }
    entries.par_iter().try_for_each(|path| {
        let meta = std::fs::symlink_metadata(path)?;
        if meta.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        }
    })?;
    std::fs::remove_dir_all(root)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes each file into the existing folder `out` (temp file + rename, so a reader
/// never sees half a file). For incremental rebuilds.
pub fn write_files(out: &Path, files: &Files) -> anyhow::Result<()> {
    check_paths(files)?;
    files.par_iter().try_for_each(|(rel, bytes)| {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{}.kbgen-tmp", name.unwrap_or_default()));
        std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("replacing {}", path.display()))
    })
}

/// Removes output files (relative paths) that no longer exist, and folders left empty.
pub fn remove_files<'a>(
    out: &Path,
    paths: impl IntoIterator<Item = &'a str>,
) -> anyhow::Result<()> {
    for rel in paths {
        let path = out.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Output paths come from article ids and slugs: make sure none can leave the folder.
fn check_paths(files: &Files) -> anyhow::Result<()> {
    files.keys().try_for_each(|rel| check_path(rel))
}

fn check_path(rel: &str) -> anyhow::Result<()> {
    let safe = rel
        .split(['/', '\\'])
        .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
    if !safe {
        anyhow::bail!("refusing to write `{rel}`: not a plain path inside the output folder");
    }
    Ok(())
}

/// `.NAME.kbgen-new` and `.NAME.kbgen-old` in the output's parent folder (same file
/// system, so renames are atomic).
fn siblings(out: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let name = out
        .file_name()
        .with_context(|| format!("{}: the output must be a named folder", out.display()))?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((
        parent.join(format!(".{name}.kbgen-new")),
        parent.join(format!(".{name}.kbgen-old")),
    ))
}

fn remove_if_exists(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("removing {}", path.display())),
    }
}

/// Replacing the output deletes it: refuse unless it is missing, empty, or looks like
/// a site kbgen wrote (has `index.html`), so `--out .` cannot wipe a project.
fn guard_output(out: &Path) -> anyhow::Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        anyhow::bail!("{} exists and is not a folder", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("reading {}", out.display()))?
        .next()
        .is_none();
    if empty || out.join("index.html").is_file() {
        return Ok(());
    }
    anyhow::bail!(
        "refusing to replace {}: it is not empty and does not look like a generated site (no index.html); choose another --out or empty it",
        out.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn replace_swaps_whole_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        replace_dir(
            &out,
            &files(&[("index.html", "1"), ("a/b/index.html", "x")]),
        )
        .unwrap();
        replace_dir(&out, &files(&[("index.html", "2")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("a").exists(), "files of the old site are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    #[test]
    fn a_swap_interrupted_between_renames_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        replace_dir(&out, &files(&[("index.html", "1")])).unwrap();
        // As if killed after moving the old site aside, before moving the new one in.
        std::fs::rename(&out, dir.path().join(".site.kbgen-old")).unwrap();
        std::fs::create_dir(dir.path().join(".site.kbgen-new")).unwrap();
        let err = replace_dir(&out, &files(&[("../x", "2")]));
        assert!(err.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "1"
        );
    }

    #[test]
    fn replace_refuses_a_folder_that_is_not_a_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "").unwrap();
        let err = replace_dir(dir.path(), &files(&[("index.html", "1")])).unwrap_err();
        assert!(err.to_string().contains("refusing"), "{err}");
        assert!(dir.path().join("Cargo.toml").exists());
    }

    #[test]
    fn paths_leaving_the_output_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        for bad in ["articles/../../x.html", "/etc/x", "articles/./x", ""] {
            assert!(replace_dir(&out, &files(&[(bad, "x")])).is_err(), "{bad}");
            assert!(
                write_files(dir.path(), &files(&[(bad, "x")])).is_err(),
                "{bad}"
            );
        }
        assert!(!dir.path().join("x.html").exists());
    }

    #[test]
    fn write_and_remove_single_files() {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &files(&[("articles/x/index.html", "x")])).unwrap();
        assert!(dir.path().join("articles/x/index.html").is_file());
        remove_files(dir.path(), ["articles/x/index.html"]).unwrap();
        assert!(!dir.path().join("articles").exists());
    }
}
