//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handout::model::{Article, Item};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_source() -> PathBuf {
    root().join("source/article.json")
}

pub fn seed_article() -> Article {
    handout::load(&seed_source())
        .expect("the seed article loads")
        .article
}

/// Runs the built `handout` binary in `dir`.
pub fn handout(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(args)
        .current_dir(dir)
        .env_remove("HANDOUT_FONTS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the handout binary runs")
}

/// Text reduced to what survives any writer: no white space, ASCII and full-width punctuation folded
/// together, so that wrapping and the punctuation rules do not hide a missing or changed word.
pub fn canonical(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '？' => '?',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// Every text of the model the reader must find in an output, with its JSON path: the body, the
/// metadata shown, the notices. Reference fields are checked through the formatted entries.
pub fn texts_to_find(article: &Article) -> Vec<(String, String)> {
    let mut out = Vec::new();
    article.walk(&mut |path, item| {
        if let Item::Text(t) = item {
            let hidden = path.starts_with("references[")
                || (path == "references_title" && article.references.is_empty())
                || path == "meta.short_title"
                || path.ends_with(".link.url");
            if !hidden && !t.trim().is_empty() {
                out.push((path.to_string(), t.to_string()));
            }
        }
    });
    let numbering = handout::references::Numbering::new(article);
    for &i in &numbering.order {
        out.push((
            format!("references[{i}]"),
            handout::references::format_plain(&article.references[i]),
        ));
    }
    out
}

/// Asserts that every text of the article is in `output` (compared canonically).
pub fn assert_every_text_in(article: &Article, output: &str, what: &str) {
    let haystack = canonical(output);
    // Texts come mostly in output order: search on from the last find first, so that a long
    // document is read once rather than once per text.
    let mut cursor = 0;
    let mut missing = Vec::new();
    for (path, text) in texts_to_find(article) {
        let needle = canonical(&text);
        if let Some(i) = haystack[cursor..].find(&needle) {
            cursor += i + needle.len();
        } else if !haystack.contains(&needle) {
            missing.push(format!("{path}: {text}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{what} lacks {} text(s):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// The path of a program, or a loud failure naming the package that brings it.
pub fn require(program: &str, package: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success());
    assert!(
        found.unwrap_or(false),
        "{program} is missing: install {package} (.ci/run does)"
    );
}
