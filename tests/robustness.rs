//! Inputs that must neither panic, hang nor be lost: huge paragraphs, many paragraphs, a token with no
//! break opportunity, deep nesting, characters the fonts lack, text that looks like markup.

mod common;

use std::path::Path;

use common::*;
use handout::model::Article;
use serde_json::json;

fn article_with(blocks: serde_json::Value) -> serde_json::Value {
    json!({
        "meta": {"title": "压力测试", "author": "测试"},
        "blocks": blocks,
        "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
    })
}

fn parse(value: &serde_json::Value) -> Result<Article, handout::SourceErrors> {
    handout::source::parse(Path::new("t.json"), &value.to_string())
}

/// Renders every built format; each must succeed and carry every text in its place, read back as a
/// reader would: the plain text as it is, the PDF through its /ToUnicode maps (lopdf), the Word
/// document through its XML (roxmltree).
fn render_all(article: &Article) {
    let running = article.meta.running_title();
    for format in handout::Format::ALL {
        let bytes = handout::render(article, format, &handout::Options::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        let text = match format {
            handout::Format::Txt => String::from_utf8(bytes).expect("UTF-8"),
            handout::Format::Pdf => pdf_text(&bytes, running),
            handout::Format::Docx => docx_text(&bytes),
        };
        assert_every_text_in(article, &text, &format!("{format:?}"));
    }
}

#[test]
fn a_megabyte_paragraph() {
    let sentence = "干细胞(MSC)治疗渐冻症,短期症状缓解到长期神经再生。";
    let text = sentence.repeat((1 << 20) / sentence.len() + 1);
    let article = parse(&article_with(json!([{"paragraph": [text]}]))).expect("loads");
    render_all(&article);
}

#[test]
fn ten_thousand_paragraphs() {
    let blocks: Vec<serde_json::Value> = (0..10_000)
        .map(|i| json!({"paragraph": [format!("第{i}段:干细胞治疗渐冻症。")]}))
        .collect();
    let article = parse(&article_with(json!(blocks))).expect("loads");
    render_all(&article);
}

#[test]
fn a_five_thousand_character_token() {
    let token: String = "ACGT".chars().cycle().take(5000).collect();
    let article = parse(&article_with(
        json!([{"paragraph": [format!("序列{token}结束。")]}]),
    ))
    .expect("loads");
    render_all(&article);
}

#[test]
fn lists_nested_a_thousand_deep_are_refused_clearly() {
    // Built as text: a 1000-deep serde_json::Value would itself overflow a test thread's stack.
    let mut list = r#"{"style": "bullet", "items": [{"content": ["底"]}]}"#.to_string();
    for _ in 0..1000 {
        list = format!(
            r#"{{"style": "bullet", "items": [{{"content": ["层"], "children": [{list}]}}]}}"#
        );
    }
    let text = article_with(json!([{"list": "PLACEHOLDER"}]))
        .to_string()
        .replace("\"PLACEHOLDER\"", &list);
    let e = handout::source::parse(Path::new("t.json"), &text)
        .expect_err("refused")
        .to_string();
    assert!(e.starts_with("t.json:1:"), "{e}");
    assert!(e.contains("recursion limit exceeded"), "{e}");

    let mut list = json!({"style": "bullet", "items": [{"content": ["底"]}]});
    for _ in 0..9 {
        list = json!({"style": "bullet", "items": [{"content": ["层"], "children": [list]}]});
    }
    let e = parse(&article_with(json!([{"list": list}])))
        .expect_err("refused")
        .to_string();
    assert!(e.contains("lists nested 9 deep, expected at most 8"), "{e}");
}

/// The faces (file names) that lack `c`, read from the font files themselves.
fn faces_lacking(c: char) -> Vec<String> {
    [
        "NotoSerifSC-Regular.ttf",
        "NotoSerifSC-Bold.ttf",
        "NotoSansSC-Regular.ttf",
        "NotoSansSC-Bold.ttf",
    ]
    .into_iter()
    .filter(|name| {
        let data = std::fs::read(root().join("fonts").join(name)).expect("a font file");
        let face = ttf_parser::Face::parse(&data, 0).expect("a font");
        face.glyph_index(c).is_none()
    })
    .map(str::to_string)
    .collect()
}

/// Line and column (in characters, from 1) of the first `c` in `text`.
fn place_of(text: &str, c: char) -> (usize, usize) {
    for (n, line) in text.lines().enumerate() {
        if let Some(at) = line.find(c) {
            return (n + 1, line[..at].chars().count() + 1);
        }
    }
    panic!("{c} is not in the text");
}

/// `handout check` names each character the fonts lack with the line and column where it stands, and
/// the faces that lack it; which characters and faces those are is read from the font files here.
#[test]
fn characters_the_fonts_lack_are_listed_with_their_place() {
    let text = "{\n  \"meta\": {\"title\": \"压力测试\", \"author\": \"测试\"},\n  \"blocks\": [\n    \
                {\"paragraph\": [\"表情😀和𠀀字\"]},\n    {\"heading\": {\"level\": 1, \"content\": \
                [\"标题𓀀\"]}}\n  ],\n  \"disclaimer\": {\"label\": \"免责说明\", \"paragraphs\": \
                [[\"仅供参考。\"]]}\n}\n";
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("t.json"), text).expect("write");
    let o = handout(
        dir.path(),
        &[
            "check",
            "t.json",
            "--fonts",
            &root().join("fonts").to_string_lossy(),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for (c, path) in [
        ('😀', "blocks[0].paragraph[0]"),
        ('𠀀', "blocks[0].paragraph[0]"),
        ('𓀀', "blocks[1].heading.content[0]"),
    ] {
        let lacking = faces_lacking(c);
        let (line, column) = place_of(text, c);
        let message = format!(
            "t.json:{line}:{column}: {path}: character '{c}' (U+{:04X}) is not in {}",
            c as u32,
            lacking.join(", ")
        );
        if lacking.is_empty() {
            assert!(
                !err.contains(&format!("'{c}'")),
                "{c} is in every face: {err}"
            );
        } else {
            assert!(err.contains(&message), "expected {message:?} in:\n{err}");
        }
    }
    assert!(!faces_lacking('😀').is_empty() && !faces_lacking('𓀀').is_empty());
}

#[test]
fn text_that_looks_like_markup_stays_text() {
    let article = parse(&article_with(json!([
        {"paragraph": ["</w:t><w:p>段落 ) Tj ( <script>alert(1)</script> &amp; %PDF-1.7 \\ endstream"]}
    ])))
    .expect("loads");
    render_all(&article);
}

#[test]
fn a_javascript_link_is_refused() {
    let e = parse(&article_with(json!([
        {"paragraph": [{"link": {"url": "javascript:alert(1)", "content": ["点我"]}}]}
    ])))
    .expect_err("refused")
    .to_string();
    assert!(
        e.contains(
            "blocks[0].paragraph[0].link.url: link target \"javascript:alert(1)\" is not allowed"
        ),
        "{e}"
    );
}
