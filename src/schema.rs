//! The JSON Schema of a source, generated from the model so that the two never disagree.

/// The schema as pretty-printed JSON with a final newline (the form committed as source/schema.json).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::model::Article);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of a Markdown source's front matter, in the same form (committed as
/// source/front-matter.schema.json).
pub fn front_matter_schema_json() -> String {
    let schema = crate::source::markdown::front_matter_schema();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
