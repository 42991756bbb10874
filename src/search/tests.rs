//! Index tests: read the built files back the way the client does (longest shard
//! prefix, surface form -> stem, gap-coded postings).

use super::build_index;
use super::encode::decode;
use crate::model::{Article, ErrorText, Kb, Resolution};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn article(id: &str, title: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        path: PathBuf::from(format!("{id}.yaml")),
        rel_path: format!("{id}.yaml"),
        title: title.into(),
        summary: None,
        products: vec![],
        tags: vec![],
        created: None,
        updated: None,
        symptoms: vec!["Something fails.".into()],
        errors: vec![],
        environment: vec!["Any".into()],
        conditions: vec![],
        cause: body.into(),
        resolution: Resolution {
            intro: None,
            steps: vec!["Contact support.".into()],
            outro: None,
        },
        related: vec![],
        references: vec![],
        life: Default::default(),
    }
}

fn kb(mut articles: Vec<Article>) -> Kb {
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    Kb { articles }
}

struct Index(BTreeMap<String, Vec<u8>>);

impl Index {
    fn build(kb: &Kb) -> Index {
        Index(build_index(kb, &Default::default()).into_iter().collect())
    }

    fn json(&self, path: &str) -> Value {
        serde_json::from_slice(&self.0[path]).unwrap()
    }

    /// The shard a word lives in: the longest shard key that is a prefix of it.
    fn shard_for(&self, word: &str) -> Option<Value> {
        let meta = self.json("search/meta.json");
        let key = meta["shards"]
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| word.starts_with(k))
            .max_by_key(|k| k.chars().count())?
            .to_string();
        Some(self.json(&format!("search/t/{}.json", super::shards::file_name(&key))))
    }

    /// The stem a query word resolves to, if the corpus has it.
    fn stem_of(&self, word: &str) -> Option<String> {
        let shard = self.shard_for(word)?;
        if let Some(stem) = shard["w"][word].as_str() {
            return Some(stem.to_string());
        }
        shard["t"].get(word).map(|_| word.to_string())
    }

    /// (document, quantised tf) for a query word, following surface -> stem.
    fn postings(&self, word: &str) -> Vec<(u32, u32)> {
        let Some(stem) = self.stem_of(word) else {
            return vec![];
        };
        let shard = self.shard_for(&stem).unwrap();
        let entry = &shard["t"][&stem];
        let nums = decode(entry[1].as_str().unwrap()).unwrap();
        let mut doc = 0;
        let out: Vec<(u32, u32)> = nums
            .chunks(2)
            .map(|p| {
                doc += p[0];
                (doc, p[1])
            })
            .collect();
        assert_eq!(
            entry[0].as_u64().unwrap() as usize,
            out.len(),
            "df of {stem}"
        );
        out
    }
}

#[test]
fn inflected_words_resolve_to_one_stem() {
    let kb = kb(vec![
        article("a", "Provisioning fails", "The user was provisioned twice."),
        article("b", "Sync stops", "Objects synced by DirSync."),
    ]);
    let ix = Index::build(&kb);
    assert_eq!(ix.stem_of("provisioning"), ix.stem_of("provisioned"));
    assert_eq!(ix.stem_of("synced"), Some("sync".into()));
    assert_eq!(ix.postings("sync"), ix.postings("synced"));
    assert_eq!(ix.postings("provisioned").len(), 1);
    let shard = ix.shard_for("provis").unwrap();
    let surfaces = &shard["t"]["provis"][2];
    assert_eq!(
        *surfaces,
        serde_json::json!(["provisioned", "provisioning"])
    );
}

#[test]
fn every_term_is_in_the_shard_its_longest_prefix_names() {
    let mut articles = Vec::new();
    for i in 0..60 {
        let body = format!(
            "word{i} prefix{i}x pre{i} provisioning provider{} producer{} zebra{}",
            i % 7,
            i % 5,
            i % 3
        );
        articles.push(article(
            &format!("doc-{i:02}"),
            &format!("Title {i}"),
            &body,
        ));
    }
    let kb = kb(articles);
    // Small shards force splitting several levels deep.
    let inv = super::invert::invert(&kb);
    let shards = super::shards::build(&inv, 200);
    assert!(shards.len() > 20, "only {} shards", shards.len());
    let keys: Vec<&str> = shards.iter().map(|s| s.0.as_str()).collect();
    for (key, bytes) in &shards {
        let v: Value = serde_json::from_slice(bytes).unwrap();
        for section in ["t", "w"] {
            for term in v[section].as_object().unwrap().keys() {
                let best = keys
                    .iter()
                    .filter(|k| term.starts_with(**k))
                    .max_by_key(|k| k.chars().count())
                    .unwrap();
                assert_eq!(
                    best, key,
                    "{term} is in shard {key:?}, lookup picks {best:?}"
                );
            }
        }
    }
}

#[test]
fn build_is_deterministic() {
    let make = || {
        let mut articles: Vec<Article> = (0..40)
            .map(|i| {
                article(
                    &format!("a{i}"),
                    &format!("Error {i}"),
                    "sync provisioning okta",
                )
            })
            .collect();
        articles[3].products = vec!["Okta".into(), "Microsoft Office 365".into()];
        articles[5].tags = vec!["dirsync".into()];
        kb(articles)
    };
    let first = build_index(&make(), &Default::default());
    let second = build_index(&make(), &Default::default());
    assert!(first.len() > 40);
    assert_eq!(first, second);
    let paths: Vec<&String> = first.iter().map(|f| &f.0).collect();
    assert!(paths.windows(2).all(|w| w[0] < w[1]), "paths sorted");
    assert!(paths.iter().all(|p| p.starts_with("search/")));
}

#[test]
fn a_title_match_outweighs_a_body_match() {
    let mut in_summary = article("b-summary", "Unrelated words", "Nothing here.");
    in_summary.summary = Some("About dirsync.".into());
    let mut in_errors = article("c-errors", "Other words", "Nothing here.");
    in_errors.errors = vec![ErrorText {
        text: "DirSync error <id>".into(),
        line: 1,
    }];
    let kb = kb(vec![
        article(
            "a-body",
            "Plain title",
            "The dirsync tool is mentioned in passing.",
        ),
        in_summary,
        in_errors,
        article("d-title", "DirSync breaks profile push", "Nothing else."),
    ]);
    let ix = Index::build(&kb);
    let tf: BTreeMap<u32, u32> = ix.postings("dirsync").into_iter().collect();
    let id = |name: &str| kb.articles.iter().position(|a| a.id == name).unwrap() as u32;
    assert!(tf[&id("d-title")] > tf[&id("b-summary")]);
    assert!(tf[&id("b-summary")] > tf[&id("a-body")]);
    assert!(tf[&id("c-errors")] > tf[&id("a-body")]);
}

#[test]
fn markup_placeholders_and_stopwords_are_not_indexed() {
    let mut a = article(
        "a",
        "Profile push",
        "Go to **Applications** > `Provisioning`.",
    );
    a.errors = vec![ErrorText {
        text: "push of user <firstname> failed".into(),
        line: 1,
    }];
    a.resolution.steps = vec!["<b>bold</b> text and [a link](https://example.com)".into()];
    let ix = Index::build(&kb(vec![a]));
    assert_eq!(ix.postings("applications").len(), 1);
    assert_eq!(ix.postings("provisioning").len(), 1);
    assert_eq!(ix.postings("link").len(), 1);
    assert!(ix.postings("firstname").is_empty());
    assert!(ix.postings("the").is_empty());
    assert!(ix.postings("https").is_empty(), "link targets are not text");
    let record = ix.json("search/d/0.json");
    let text = record[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Go to Applications > Provisioning."),
        "{text}"
    );
    assert!(!text.contains("**"), "{text}");
    assert!(!text.contains("<b>"), "{text}");
}

#[test]
fn records_and_facets_describe_each_document() {
    let mut a = article("o365-push", "Office 365 push fails", "Body.");
    a.products = vec!["Okta".into(), "Microsoft Office 365".into()];
    a.tags = vec!["provisioning".into()];
    a.summary = Some("Fix *profile push* errors.".into());
    let mut b = article("okta-login", "Login loop", "Body.");
    b.products = vec!["okta".into()];
    let ix = Index::build(&kb(vec![a, b]));
    let meta = ix.json("search/meta.json");
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["docs"], 2);
    let products: Vec<(&str, u64)> = meta["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["slug"].as_str().unwrap(), p["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(products, [("microsoft-office-365", 1), ("okta", 2)]);
    let rec = &ix.json("search/d/0.json")[0];
    assert_eq!(rec["url"], "articles/o365-push/");
    assert_eq!(rec["summary"], "Fix profile push errors.");
    assert_eq!(rec["products"], serde_json::json!([1, 0]));
    let facets = ix.json("search/facets.json");
    assert_eq!(
        decode(facets["products"][1].as_str().unwrap()).unwrap(),
        [0, 1]
    );
}

#[test]
fn stopwords_are_sorted_for_binary_search() {
    let words = super::invert::STOPWORDS;
    assert!(words.windows(2).all(|w| w[0] < w[1]));
    assert!(words.iter().all(|w| w.len() <= 5));
    assert!(!super::invert::is_indexed("the"));
    assert!(super::invert::is_indexed("dirsync"));
}

#[test]
fn fast_folding_matches_the_shared_folding() {
    for s in [
        "DisplayName ABC-12_x",
        "Ｆｕｌｌ ﬁle Straße",
        "İstanbul ΣΑΣ",
        "",
    ] {
        assert_eq!(
            super::invert::fold_fast(s, String::from("stale")),
            crate::text::fold(s),
            "{s}"
        );
    }
}

#[test]
fn counting_in_runs_gives_the_same_index_as_one_run() {
    let bodies = [
        "The user was provisioned twice.",
        "Provisioning stops; DirSync synced the *objects*.",
        "Ｆｕｌｌｗｉｄｔｈ text and Straße, then provisioning again.",
        "the the the a an",
        "Objects sync: `displayName` changes are provisioned.",
    ];
    let articles: Vec<Article> = (0..23)
        .map(|i| {
            let mut a = article(
                &format!("doc-{i:02}"),
                &format!("Sync {i} fails"),
                bodies[i % bodies.len()],
            );
            a.symptoms = vec![format!("Step {} synced", i % 4), "<br>".into()];
            a
        })
        .collect();
    let kb = kb(articles);
    let whole = super::invert::invert(&kb);
    assert!(whole.stems.iter().any(|s| s.surfaces.len() > 1));
    for run in [1, 2, 5, 7, 22] {
        let runs = super::invert::invert_in_runs(&kb, run, &Default::default());
        assert_eq!(format!("{runs:?}"), format!("{whole:?}"), "runs of {run}");
    }
}

mod ranking;
