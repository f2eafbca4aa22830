//! JSON: the article as a JSON source, as `handout convert` writes it.

use crate::model::Article;

/// The article as a JSON source: pretty-printed with two spaces, a trailing newline, `$schema` kept as
/// the model has it.
pub fn write(article: &Article) -> String {
    // The model always serializes (every map key is a string, no Serialize impl fails); the default
    // is never reached.
    let mut text = serde_json::to_string_pretty(article).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::source;

    fn round_trip(file: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("source")
            .join(file);
        let article = source::load(&path).unwrap();
        let text = super::write(&article);
        assert!(text.ends_with("}\n"), "{text}");
        assert!(
            text.contains("\n  \"meta\": {\n    \"title\": "),
            "two-space indentation"
        );
        let again = source::parse(Path::new("a.json"), &text).unwrap();
        // The images are read beside the source, not part of the JSON.
        assert!(again.images.0.is_empty());
        let mut article = article;
        article.images = Default::default();
        assert_eq!(again, article);
    }

    #[test]
    fn seed_round_trips() {
        round_trip("article.json");
    }

    #[test]
    fn rich_article_round_trips() {
        round_trip("alzheimer-blood-test.json");
    }

    #[test]
    fn chinese_stays_utf8_and_schema_is_kept() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
        let text = super::write(&source::load(&path).unwrap());
        assert!(
            text.starts_with("{\n  \"$schema\": \"schema.json\",\n"),
            "{}",
            &text[..60]
        );
        assert!(text.contains("干细胞") && !text.contains("\\u"));
    }
}
