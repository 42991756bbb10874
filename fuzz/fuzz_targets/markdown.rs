//! Any text as Markdown: the rendered HTML holds only the tags Markdown makes, no event
//! handler and no link or image target other than http(s), mailto: or relative.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/html_oracle.rs"]
mod html_oracle;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for html in [kbgen::markdown::to_html(text), kbgen::markdown::to_html_inline(text)] {
        if let Some(problem) = html_oracle::problem(&html) {
            panic!("{problem}\nfrom {text:?}\nto {html}");
        }
    }
});
