//! Walks the `kb/` folder and parses each YAML file into a raw article, keeping source text for snippets.
