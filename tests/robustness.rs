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

/// Renders every built format; each must succeed and carry every text.
fn render_all(article: &Article) {
    for format in handout::Format::ALL {
        let bytes = handout::render(article, format, &handout::Options::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(!bytes.is_empty());
        if format == handout::Format::Txt {
            assert_every_text_in(article, &String::from_utf8(bytes).expect("UTF-8"), "txt");
        }
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

#[test]
fn characters_the_fonts_lack_are_listed_with_their_place() {
    let text = article_with(json!([{"paragraph": ["表情😀和𠀀字"]}])).to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("t.json");
    std::fs::write(&file, &text).expect("write");
    let source = handout::load(&file).expect("loads");
    let fonts = handout::fonts::Fonts::locate(Some(&root().join("fonts"))).expect("fonts");
    let e = handout::check_fonts(&source, &fonts)
        .expect_err("gaps")
        .to_string();
    assert!(
        e.contains("blocks[0].paragraph[0]: character '😀' (U+1F600)"),
        "{e}"
    );
    let covered_ext_b = fonts.coverage().missing('𠀀').is_empty();
    assert_eq!(e.contains("U+20000"), !covered_ext_b, "{e}");
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
