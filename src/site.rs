//! Orchestrates a build: check, render every page, add the indexes, and swap the output in atomically.
