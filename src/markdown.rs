//! Markdown to safe HTML (pulldown-cmark): raw HTML is never passed through and link schemes are limited.
