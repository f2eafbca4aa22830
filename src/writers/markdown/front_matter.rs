//! The YAML front matter: metadata, the references' heading when not the default, the references.
//!
//! Every text is a double-quoted scalar, so that no YAML typing (a date, a number, `yes`, `null`)
//! changes it; a reference is one line, `  - {"id": "…", …}`: its JSON form, which is YAML's flow syntax,
//! with the characters YAML does not allow in a string escaped.

use crate::model::Article;

pub(super) fn write(article: &Article) -> String {
    let m = &article.meta;
    let mut out = String::from("---\n");
    let fields = [
        ("title", Some(&m.title)),
        ("short_title", m.short_title.as_ref()),
        ("subtitle", m.subtitle.as_ref()),
        ("author", Some(&m.author)),
        ("date", m.date.as_ref()),
        ("lang", Some(&m.lang)),
        ("url", m.url.as_ref()),
    ];
    for (key, value) in fields {
        if let Some(v) = value {
            out.push_str(&format!("{key}: {}\n", quote(v)));
        }
    }
    if !m.keywords.is_empty() {
        let keywords: Vec<String> = m.keywords.iter().map(|k| quote(k)).collect();
        out.push_str(&format!("keywords: [{}]\n", keywords.join(", ")));
    }
    if let Some(s) = &m.summary {
        out.push_str(&format!("summary: {}\n", quote(s)));
    }
    if article.references_title != "参考文献" {
        out.push_str(&format!(
            "references_title: {}\n",
            quote(&article.references_title)
        ));
    }
    if !article.references.is_empty() {
        out.push_str("references:\n");
        for r in &article.references {
            // A reference always serializes (string keys, no failing field).
            let json = serde_json::to_string(r).unwrap_or_default();
            out.push_str(&format!("  - {}\n", flow(&json)));
        }
    }
    out.push_str("---\n");
    out
}

/// Compact JSON as YAML flow syntax, in the model's field order: a space after each `:` and `,`, and
/// the characters YAML does not allow in a string (which JSON leaves as they are) escaped.
fn flow(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if !in_string {
            out.push(c);
            match c {
                '"' => in_string = true,
                ':' | ',' => out.push(' '),
                _ => {}
            }
        } else if escaped || printable(c) {
            out.push(c);
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else {
            out.push_str(&format!("\\u{:04X}", c as u32));
        }
    }
    out
}

/// A YAML double-quoted scalar: `"` and `\` escaped, and every character YAML does not allow as is
/// (controls, DEL, C1, surrogates, U+FFFE/U+FFFF) or reads as a line break or a byte order mark
/// (U+0085, U+2028, U+2029, U+FEFF) as an escape.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// YAML 1.2's printable characters, less those YAML 1.1 reads as line breaks and the byte order mark.
/// (Every character beyond U+FFFF is printable, so `\u` with four digits escapes all the others.)
fn printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}
