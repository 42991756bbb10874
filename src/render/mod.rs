//! Tera templates (embedded defaults, overridable file by file) and the view structs they see.
