//! What the index decides for ranking: one field's repetitions saturate, titles
//! carry positions, parts of dotted names and synonym groups are index terms.

use super::{Index, article, kb};
use crate::model::ErrorText;
use crate::search::{Synonyms, build_index};
use std::collections::BTreeMap;

fn tf_by_doc(ix: &Index, word: &str) -> BTreeMap<u32, u32> {
    ix.postings(word).into_iter().collect()
}

#[test]
fn a_long_body_repeating_a_word_does_not_outweigh_it_in_a_short_title() {
    let long = "Quota checks run nightly and the quota report lists every quota. ".repeat(40);
    let kb = kb(vec![
        article("a-body", "Storage warnings in the console", &long),
        article("b-title", "Raise the mailbox quota", "Open the settings."),
    ]);
    let ix = Index::build(&kb);
    let tf = tf_by_doc(&ix, "quota");
    assert!(tf[&1] > tf[&0], "title {} vs body {}", tf[&1], tf[&0]);
}

#[test]
fn titles_carry_the_position_of_each_word() {
    let kb = kb(vec![article("a", "Reset password links expire", "Body.")]);
    let ix = Index::build(&kb);
    let shard = ix.shard_for("password").unwrap();
    let entry = &shard["t"][ix.stem_of("password").unwrap().as_str()];
    let title = super::decode(entry[3].as_str().unwrap()).unwrap();
    assert_eq!(title, [0, 1], "document 0, position 1");
    let body_only = &ix.shard_for("body").unwrap()["t"]["bodi"];
    assert_eq!(body_only.as_array().unwrap().len(), 3, "no title list");
}

#[test]
fn a_code_inside_a_dotted_name_is_a_word_of_its_own() {
    let mut a = article("a", "Service stops under load", "Heap too small.");
    a.errors = vec![ErrorText {
        text: "java.lang.OutOfMemoryError: Java heap space".into(),
        line: 1,
    }];
    let kb = kb(vec![a, article("b", "Other", "Nothing.")]);
    let ix = Index::build(&kb);
    assert_eq!(ix.postings("outofmemoryerror").len(), 1);
    assert_eq!(ix.postings("java.lang.outofmemoryerror").len(), 1);
    assert_eq!(ix.postings("request_badrequest").len(), 0);
}

#[test]
fn an_article_saying_any_member_of_a_group_has_the_group_token() {
    let kb = kb(vec![
        article("a", "Azure AD sign-in logs are empty", "Body."),
        article("b", "Entra ID roles", "Body."),
        article("c", "Azure storage", "Body."),
    ]);
    let groups = vec![vec!["Entra ID".to_string(), "azure ad".to_string()]];
    let files: BTreeMap<_, _> = build_index(&kb, &Synonyms::new(&groups))
        .into_iter()
        .collect();
    let ix = Index(files);
    let docs: Vec<u32> = ix.postings("~0").into_iter().map(|(d, _)| d).collect();
    assert_eq!(docs, [0, 1]);
    let meta = ix.json("search/meta.json");
    assert_eq!(meta["synonyms"][0][1][0], "azure");
}

#[test]
fn error_codes_are_whole_words_as_the_matcher_sees_them() {
    let mut a = article("a", "Sign-in and update failures", "Body.");
    a.errors = vec![ErrorText {
        text: "AADSTS50105: not assigned; 0x800f081f; errorCode=Request_BadRequest; E0000004"
            .into(),
        line: 1,
    }];
    let kb = kb(vec![a, article("b", "Other", "Nothing.")]);
    let ix = Index::build(&kb);
    for code in [
        "aadsts50105",
        "0x800f081f",
        "request_badrequest",
        "e0000004",
    ] {
        assert_eq!(ix.postings(code).len(), 1, "{code}");
        let matcher: Vec<String> = crate::text::words(code).map(str::to_string).collect();
        assert_eq!(matcher, [code], "one token for the matcher too");
    }
}
