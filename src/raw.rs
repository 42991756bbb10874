//! Raw serde shapes of an article file, with spans (`Spanned<T>`) kept for diagnostics.
