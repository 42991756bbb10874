//! Prints diagnostics: compiler-style with source snippets for people, one JSON document for tools.
