//! Any bytes as a source: loading must refuse or accept without panicking, and an accepted article must
//! go through every writer without panicking. The fonts must be found (a run without them would never
//! reach the writers): the repository's fonts/ is named explicitly, and failing to open it is a crash.
//! An accepted article may still be refused by the writers for one reason only: a character no face
//! has (a located error in the CLI); any other error is a bug.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn options() -> &'static handout::Options {
    static OPTIONS: OnceLock<handout::Options> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fonts");
        let options = handout::Options {
            fonts_dir: Some(fonts),
            ..handout::Options::default()
        };
        if let Err(e) = options.fonts() {
            panic!("the fuzz target needs the repository's fonts: {e}");
        }
        options
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(article) = handout::source::parse(Path::new("fuzz.json"), text) else {
        return;
    };
    for format in handout::Format::ALL {
        match handout::render(&article, format, options()) {
            Ok(bytes) => assert!(!bytes.is_empty(), "{format:?}: an empty output"),
            Err(handout::Error::MissingGlyph { .. }) => {}
            Err(e) => panic!("{format:?}: an accepted article failed: {e}"),
        }
    }
});
