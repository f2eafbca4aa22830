//! Any bytes as a source: loading must refuse or accept without panicking, and an accepted article must
//! go through every built writer without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(article) = handout::source::parse(std::path::Path::new("fuzz.json"), text) else { return };
    let options = handout::Options::default();
    for format in handout::Format::ALL {
        let _ = handout::render(&article, format, &options);
    }
});
