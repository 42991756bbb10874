//! Incremental rebuilds against full builds: after every kind of edit, the served
//! folder must hold exactly the files `kbgen build` makes from the same articles
//! (the search index aside, which the indexer writes later). Lists are paginated by
//! two and a base URL is set, so pagers, the sitemap and the feed are all exercised.

use super::rebuild::{Outcome, Rebuilder};
use super::site_pipeline::SitePipeline;
use super::watch::ChangeSet;
use crate::publish::Publish;
use crate::site::BuildOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const PRODUCTS: [&str; 4] = ["Okta", "Slack", "Zoom", "Box"];

fn article(i: usize, title: &str) -> String {
    let related = if i > 0 {
        format!("related: [a{:02}]\n", i - 1)
    } else {
        String::new()
    };
    format!(
        "title: {title}\nsummary: Summary {i}.\nproducts: [{}]\ntags: [t{}, common]\n\
         created: 2024-01-{:02}\nsymptoms: [It fails {i}.]\n\
         errors: [\"Request_BadRequest {}: cannot update <user> in app {i}\"]\n\
         environment: [Env {i}]\ncause: Cause {i}.\nresolution:\n  steps: [Fix {i}.]\n{related}",
        PRODUCTS[i % 4],
        i % 3,
        i % 28 + 1,
        4000 + i,
    )
}

/// Every file under `dir` but the search index, by path relative to it.
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.starts_with("search/") && rel != "search/index.html" {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{rel}: {e}"));
        files.insert(rel, bytes);
    }
    files
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    rb: Rebuilder,
    publish: Publish,
}

impl Fixture {
    fn new(n: usize) -> Fixture {
        Fixture::with(n, Publish::default())
    }

    /// A kb of `n` articles served as `publish` says.
    fn with(n: usize, publish: Publish) -> Fixture {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("kb")).unwrap_or_else(|e| panic!("{e}"));
        let config = "paginate_by: 2\nbase_url: https://kb.example.com/help\n";
        std::fs::write(root.join("kbgen.yaml"), config).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..n {
            let title = format!("Title {:02}", i * 7 % n);
            std::fs::write(root.join(format!("kb/a{i:02}.yaml")), article(i, &title))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let kb = root.join("kb");
        let opts = BuildOptions {
            publish,
            ..Fixture::options(&root, "site")
        };
        let mut rb = Rebuilder::new(SitePipeline::new(opts), &root.join("site"), &kb, &kb);
        assert!(matches!(rb.initial(), Outcome::Built(_)));
        Fixture {
            _dir: dir,
            root,
            rb,
            publish,
        }
    }

    fn options(root: &Path, out: &str) -> BuildOptions {
        BuildOptions {
            kb: root.join("kb"),
            templates: root.join("templates"),
            out: root.join(out),
            config: root.join("kbgen.yaml"),
            base_url: None,
            quiet: true,
            color: false,
            publish: Default::default(),
        }
    }

    fn path(&self, id: &str) -> PathBuf {
        self.root.join(format!("kb/{id}.yaml"))
    }

    fn edit(&self, id: &str, from: &str, to: &str) -> PathBuf {
        let path = self.path(id);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains(from), "{id} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    /// Applies one batch, then compares the served folder with a full build.
    fn apply_and_compare(&mut self, step: &str, paths: Vec<PathBuf>) {
        let kind = self.apply(step, paths);
        assert_eq!(kind, "incremental", "{step}");
        self.compare(step);
    }

    /// Applies one batch; the kind of rebuild it made.
    fn apply(&mut self, step: &str, paths: Vec<PathBuf>) -> &'static str {
        let changes = ChangeSet {
            articles: paths.into_iter().collect(),
            ..ChangeSet::default()
        };
        match self.rb.apply(changes) {
            Outcome::Built(s) => s.kind,
            Outcome::Failed(d) => panic!("{step}: {d:?}"),
        }
    }

    /// Compares the served folder with a full build of the same articles.
    fn compare(&mut self, step: &str) {
        let full = BuildOptions {
            publish: self.publish,
            ..Fixture::options(&self.root, "full")
        };
        let report = crate::site::build(&full).unwrap_or_else(|e| panic!("{step}: {e:#}"));
        assert!(report.written, "{step}: {}", report.diagnostics_text);
        let (served, built) = (site_files(&self.root.join("site")), site_files(&full.out));
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&served), names(&built), "{step}: file lists differ");
        for (path, bytes) in &built {
            assert!(
                &served[path] == bytes,
                "{step}: {path} differs from a full build"
            );
        }
    }
}

/// An edit: changes files, returns their paths.
type Step = Box<dyn Fn(&Fixture) -> Vec<PathBuf>>;

#[test]
fn incremental_rebuilds_leave_what_a_full_build_makes() {
    let mut f = Fixture::new(9);
    let steps: Vec<(&str, Step)> = vec![
        (
            "title moves across list pages",
            Box::new(|f| vec![f.edit("a03", "title: Title", "title: ZZ Title")]),
        ),
        (
            "summary only",
            Box::new(|f| vec![f.edit("a04", "Summary 4.", "Another summary.")]),
        ),
        (
            "cause only",
            Box::new(|f| vec![f.edit("a05", "Cause 5.", "A new cause.")]),
        ),
        (
            "a new tag and product",
            Box::new(|f| {
                vec![
                    f.edit("a02", "tags: [t2,", "tags: [fresh, t2,"),
                    f.edit("a02", "products: [Zoom]", "products: [Zoom, Jira]"),
                ]
            }),
        ),
        (
            "the last article leaves a tag",
            Box::new(|f| vec![f.edit("a02", "tags: [fresh, t2,", "tags: [t2,")]),
        ),
        (
            "a newer date",
            Box::new(|f| vec![f.edit("a06", "created: 2024-01-07", "created: 2025-06-01")]),
        ),
        (
            "error text",
            Box::new(|f| vec![f.edit("a07", "cannot update", "could not update")]),
        ),
        (
            "an error added",
            Box::new(|f| {
                vec![f.edit(
                    "a08",
                    "errors: [",
                    "errors: [\"AADSTS50105: user is not assigned to the app\", ",
                )]
            }),
        ),
        (
            "errors removed",
            Box::new(|f| {
                vec![f.edit(
                    "a01",
                    "errors: [\"Request_BadRequest 4001: cannot update <user> in app 1\"]",
                    "errors: []",
                )]
            }),
        ),
        (
            "an article added",
            Box::new(|f| {
                let path = f.path("a09");
                std::fs::write(&path, article(9, "AAA first by title"))
                    .unwrap_or_else(|e| panic!("{e}"));
                vec![path]
            }),
        ),
        (
            "a linked title",
            Box::new(|f| vec![f.edit("a00", "title: Title", "title: Renamed")]),
        ),
        (
            "an article removed",
            Box::new(|f| {
                let path = f.path("a09");
                std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
                vec![path]
            }),
        ),
        (
            "the last one of a product removed",
            Box::new(|f| {
                let path = f.path("a08");
                std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
                vec![path]
            }),
        ),
        ("unchanged bytes", Box::new(|f| vec![f.path("a03")])),
    ];
    for (step, run) in &steps {
        let paths = run(&f);
        f.apply_and_compare(step, paths);
    }
}

#[test]
fn a_broken_save_in_between_still_ends_like_a_full_build() {
    let mut f = Fixture::new(5);
    let broken = f.edit("a02", "title: Title", "title: [Title");
    let changes = ChangeSet {
        articles: [broken].into(),
        ..ChangeSet::default()
    };
    assert!(matches!(f.rb.apply(changes), Outcome::Failed(_)));
    let fixed = f.edit("a02", "title: [Title", "title: Fixed");
    f.apply_and_compare("fixed", vec![fixed]);
}

/// What the indexer is sent after a rebuild, written as the search index.
fn search_files(rb: &mut Rebuilder) -> BTreeMap<String, Vec<u8>> {
    let kb = match rb.take_index_update() {
        Some(super::rebuild::IndexUpdate::All(kb)) => kb,
        _ => panic!("a lifecycle change sends the indexer every listed article"),
    };
    let files = std::sync::Mutex::new(BTreeMap::new());
    let put = |path: &str, bytes: &[u8]| {
        files
            .lock()
            .unwrap()
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    };
    crate::search::write_index(&kb, &Default::default(), &put).unwrap_or_else(|e| panic!("{e}"));
    files.into_inner().unwrap_or_default()
}

/// Flipping an article to draft, retired or internal, or giving it an alias or an
/// internal note, leaves the served pages, `signatures.json` and the search index
/// exactly as a full build makes them, in a public preview and a staff one.
#[test]
fn lifecycle_edits_end_like_a_full_build() {
    let staff = Publish {
        drafts: true,
        audience: crate::model::Audience::Internal,
    };
    let public = Publish {
        drafts: true,
        ..Publish::default()
    };
    for publish in [public, staff] {
        let mut f = Fixture::with(6, publish);
        let steps: Vec<(&str, Step)> = vec![
            (
                "to draft",
                Box::new(|f| vec![f.edit("a02", "title:", "status: draft\ntitle:")]),
            ),
            (
                "to retired",
                Box::new(|f| vec![f.edit("a03", "title:", "status: retired\ntitle:")]),
            ),
            (
                "retired with a successor",
                Box::new(|f| {
                    vec![f.edit(
                        "a03",
                        "status: retired",
                        "status: retired\nsuperseded_by: a04",
                    )]
                }),
            ),
            (
                "to internal",
                Box::new(|f| vec![f.edit("a04", "title:", "audience: internal\ntitle:")]),
            ),
            (
                "an alias",
                Box::new(|f| vec![f.edit("a05", "title:", "aliases: [old-five]\ntitle:")]),
            ),
            (
                "an internal note",
                Box::new(|f| vec![f.edit("a01", "title:", "internal: Staff only words.\ntitle:")]),
            ),
            (
                "published again",
                Box::new(|f| vec![f.edit("a02", "status: draft\n", "")]),
            ),
            (
                "public again",
                Box::new(|f| vec![f.edit("a04", "audience: internal\n", "")]),
            ),
        ];
        for (step, run) in &steps {
            let paths = run(&f);
            assert_eq!(f.apply(step, paths), "full", "{step}");
            f.compare(step);
            let served = search_files(&mut f.rb);
            let built = site_files_with_search(&f.root.join("full"));
            assert!(
                served == built,
                "{step}: the search index differs from a full build"
            );
        }
    }
}

/// The search index of a built site.
fn site_files_with_search(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir.join("search"))
        .into_iter()
        .flatten()
    {
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file() && rel != "search/index.html" {
            let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{rel}: {e}"));
            files.insert(rel, bytes);
        }
    }
    files
}
