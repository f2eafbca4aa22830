//! XML text: the one escaper, for the DOCX parts written by hand, text handed to docx-rs, and the PDF's
//! XMP metadata.

pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Whether XML 1.0 can carry `c`: not a control character other than tab and line ends, not one of
/// the non-characters U+FFFE and U+FFFF (surrogates cannot occur in a Rust string).
fn allowed(c: char) -> bool {
    !(((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// Escapes text for element content and attribute values; characters XML cannot carry are dropped
/// rather than producing an unreadable part.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Text without the characters XML cannot carry (docx-rs escapes markup but writes every character).
pub fn clean(s: &str) -> String {
    s.chars().filter(|&c| allowed(c)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped_and_what_xml_cannot_carry_dropped() {
        assert_eq!(
            super::escape("<a & \"b\" 'c'>\u{1}\u{FFFE}"),
            "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;"
        );
        assert_eq!(super::clean("a\u{0}b\tc"), "ab\tc");
    }
}
