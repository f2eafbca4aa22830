//! Chinese punctuation in every format: the ASCII marks an author types in Chinese text are set
//! full-width only when they belong to the Chinese sentence (GB/T 15834-2011), never inside Latin
//! phrases, numbers, abbreviations, URLs or DOIs; `--keep-punctuation` keeps every mark as typed.
//! Each case of [`CASES`] is one paragraph of one article, read back from the plain text, the
//! DOCX's `word/document.xml` and the PDF as laid out.

mod common;

use common::{docx_paragraphs, zip_parts};
use handout::model::Article;
use handout::{Format, Options};

/// A case: a paragraph as the author typed it, the paragraph as it must be set, and why.
struct Case {
    input: &'static str,
    expected: &'static str,
    why: &'static str,
}

const fn case(input: &'static str, expected: &'static str, why: &'static str) -> Case {
    Case {
        input,
        expected,
        why,
    }
}

/// The table: every case in Chinese context, with what a reader of a printed handout expects.
const CASES: &[Case] = &[
    // A full stop that ends a Chinese sentence.
    case(
        "对安全性指标进行评价.",
        "对安全性指标进行评价。",
        "the seed's sentence: a stop after Han",
    ),
    case(
        "他们使用的是 PET.",
        "他们使用的是 PET。",
        "a Chinese sentence ending in one Latin word",
    ),
    case(
        "治疗前后比较 ALSFRS-R.",
        "治疗前后比较 ALSFRS-R。",
        "a hyphenated score name ends the Chinese sentence",
    ),
    case(
        "检测值约 3.5.",
        "检测值约 3.5。",
        "a decimal, then the sentence's stop",
    ),
    case(
        "本组共 28 例.",
        "本组共 28 例。",
        "a number, then a measure word and the stop",
    ),
    case(
        "结果见表 1.",
        "结果见表 1。",
        "a number right after Han is no list number",
    ),
    case(
        "剂量为 3.5 mg.",
        "剂量为 3.5 mg。",
        "a number and its unit are one Latin word",
    ),
    case(
        "疗程为第 1-12 周.",
        "疗程为第 1-12 周。",
        "a range stays, the stop converts",
    ),
    case(
        "给药时间为 10:30.",
        "给药时间为 10:30。",
        "a time ends the sentence: its colon stays",
    ),
    case(
        "差异显著,p<0.05.",
        "差异显著，p<0.05。",
        "a p value ends the sentence",
    ),
    case(
        "血压为 120/80 mmHg.",
        "血压为 120/80 mmHg。",
        "a reading and its unit",
    ),
    case(
        "联系邮箱 info@a.org.",
        "联系邮箱 info@a.org。",
        "an e-mail address ends the sentence",
    ),
    case(
        "版本为 v2.0.",
        "版本为 v2.0。",
        "a version number ends the sentence",
    ),
    case(
        "他说“It works”.",
        "他说“It works”。",
        "a quoted Latin sentence inside a Chinese one: the stop is the Chinese sentence's",
    ),
    case(
        "使用的是 PET (正电子发射断层扫描).",
        "使用的是 PET（正电子发射断层扫描）。",
        "a gloss in parentheses is looked through",
    ),
    case("他说“好”.", "他说“好”。", "a stop after a closing quote"),
    case(
        "他说:\"好.\"",
        "他说：\"好。\"",
        "a stop before an ASCII closing quote",
    ),
    case(
        "评价. 然后随访",
        "评价。然后随访",
        "a stop mid-paragraph: the typed space goes",
    ),
    // Abbreviations, decimals, URLs, DOIs: their dots are not stops.
    case(
        "中位生存期 1183 天 vs. 640 天",
        "中位生存期 1183 天 vs. 640 天",
        "vs. is an abbreviation",
    ),
    case(
        "该研究由 Smith et al. 完成",
        "该研究由 Smith et al. 完成",
        "et al.",
    ),
    case("如 Fig. 1 所示", "如 Fig. 1 所示", "Fig. before its number"),
    case(
        "编号 No. 5 患者",
        "编号 No. 5 患者",
        "No. before its number",
    ),
    case("该药在 U.S. 获批", "该药在 U.S. 获批", "dotted capitals"),
    case(
        "该药获批于 U.S.",
        "该药获批于 U.S.",
        "an abbreviation's dot ends the sentence as it is",
    ),
    case("张医生是 Ph.D.", "张医生是 Ph.D.", "Ph.D."),
    case("给药时间为 9 a.m.", "给药时间为 9 a.m.", "a.m."),
    case("即 i.e. 间充质干细胞", "即 i.e. 间充质干细胞", "i.e."),
    case(
        "多种细胞因子(e.g., IL-6)升高",
        "多种细胞因子（e.g., IL-6）升高",
        "e.g., keeps its comma; the parentheses are the Chinese sentence's",
    ),
    case(
        "DOI 为 10.1007/s12015",
        "DOI 为 10.1007/s12015",
        "a DOI's dot",
    ),
    case(
        "详见 https://a.org/x.html",
        "详见 https://a.org/x.html",
        "a URL's dots",
    ),
    case(
        "网址:https://a.org/x?id=1",
        "网址：https://a.org/x?id=1",
        "a URL's colon and question mark stay, the Chinese colon converts",
    ),
    case(
        "详见 www.a.org.",
        "详见 www.a.org。",
        "the stop after an address",
    ),
    case(
        "下载附件报告.pdf",
        "下载附件报告.pdf",
        "a file name's dot after Han",
    ),
    case(
        "然后...",
        "然后...",
        "three dots are an ellipsis, not a stop",
    ),
    case(
        "分为: 1. 对照组; 2. 试验组",
        "分为：1. 对照组；2. 试验组",
        "list numbers keep their dots",
    ),
    // Latin phrases and sentences keep their marks.
    case(
        "详见《What Happens in Alzheimer's Disease?》一文",
        "详见《What Happens in Alzheimer's Disease?》一文",
        "the question is the English title's",
    ),
    case(
        "What Is Alzheimer's Disease?这是",
        "What Is Alzheimer's Disease?这是",
        "Latin with no Chinese before it",
    ),
    case(
        "他说：It works. 然后离开了",
        "他说：It works. 然后离开了",
        "a Latin sentence inside a Chinese paragraph",
    ),
    case("他问：Are you OK?", "他问：Are you OK?", "a Latin question"),
    case(
        "引自 Stem Cell Rev Rep. 2020 Oct;16(5):922-932",
        "引自 Stem Cell Rev Rep. 2020 Oct;16(5):922-932",
        "a Latin citation",
    ),
    case(
        "IL-6, TNF-α 与 IL-1β 升高.",
        "IL-6, TNF-α 与 IL-1β 升高。",
        "a comma between Latin terms stays",
    ),
    case(
        "血清 25(OH)D 水平降低",
        "血清 25(OH)D 水平降低",
        "parentheses inside a Latin name",
    ),
    // Numbers: times, ratios, thousands.
    case("上午 10:30 给药", "上午 10:30 给药", "a time"),
    case("按 1:2 随机分组", "按 1:2 随机分组", "a ratio"),
    case("共 1,000 例", "共 1,000 例", "a thousands separator"),
    // The Chinese sentence's marks, as before.
    case(
        "近日,中国医学科学院",
        "近日，中国医学科学院",
        "a comma between Han",
    ),
    case("怎么样?干细胞", "怎么样？干细胞", "a question after Han"),
    case("真的有效吗?!", "真的有效吗？！", "?! after Han"),
    case(
        "什么是渐冻症(ALS)?",
        "什么是渐冻症（ALS）？",
        "a Latin abbreviation in parentheses, then the question",
    ),
    case(
        "复合体IV(CIV)缺陷",
        "复合体IV（CIV）缺陷",
        "parentheses around a Latin abbreviation in a Chinese sentence",
    ),
    case(
        "肌萎缩侧索硬化症:ALS",
        "肌萎缩侧索硬化症：ALS",
        "a colon after Han, before Latin",
    ),
    case(
        "ALSFRS-R:治疗前",
        "ALSFRS-R：治疗前",
        "a colon after Latin, before Han",
    ),
    case(
        "什么是 ALS?",
        "什么是 ALS？",
        "a question ending in one Latin word",
    ),
    case(
        "平均年龄为 (45.3 ± 2.1) 岁.",
        "平均年龄为（45.3 ± 2.1）岁。",
        "parentheses beside Han, their spaces dropped",
    ),
];

fn article(paragraphs: &[&str]) -> Article {
    let blocks: Vec<serde_json::Value> = paragraphs
        .iter()
        .map(|p| serde_json::json!({"paragraph": [p]}))
        .collect();
    article_of(blocks)
}

fn article_of(blocks: Vec<serde_json::Value>) -> Article {
    let source = serde_json::json!({
        "meta": {"title": "标点测试", "author": "测试"},
        "blocks": blocks,
        "references": [{"id": "a", "type": "book", "title": "一本书", "publisher": "出版社",
                        "author": [{"family": "张", "given": "三"}],
                        "issued": {"date-parts": [[2019]]}}],
        "disclaimer": {"label": "免责说明", "paragraphs": [["仅供测试。"]]}
    });
    serde_json::from_value(source).expect("the test article parses")
}

fn options(keep_punctuation: bool) -> Options {
    Options {
        width: 1000,
        keep_punctuation,
        ..Options::default()
    }
}

/// The paragraphs of the plain text: each is one line at width 1000, indented by two ideographic
/// spaces.
fn txt_paragraphs(article: &Article, keep: bool) -> Vec<String> {
    let out = handout::render(article, Format::Txt, &options(keep)).expect("the text renders");
    let out = String::from_utf8(out).expect("UTF-8");
    out.lines()
        .map(|l| l.trim_start_matches('\u{3000}').to_string())
        .collect()
}

fn docx_paragraphs_of(article: &Article, keep: bool) -> Vec<String> {
    let out = handout::render(article, Format::Docx, &options(keep)).expect("the DOCX renders");
    let parts = zip_parts(&out);
    let xml = std::str::from_utf8(&parts["word/document.xml"]).expect("UTF-8");
    docx_paragraphs(xml)
}

/// The lines of the PDF as laid out, each the text of its glyphs, without white space (the PDF sets
/// spaces as room, not glyphs): a new line where the baseline moves by more than a raised
/// citation's rise.
fn pdf_lines(article: &Article, keep: bool) -> Vec<String> {
    let doc = handout::writers::pdf::lay_out(article, &options(keep)).expect("laid out");
    let mut lines = Vec::new();
    for page in &doc.pages {
        let mut last: Option<f32> = None;
        for g in &page.glyphs {
            if last.is_none_or(|y| (g.y - y).abs() >= 6.0) {
                lines.push(String::new());
            }
            last = Some(g.y);
            if let Some(line) = lines.last_mut() {
                line.extend(g.text.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
    lines
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that `expected` are whole paragraphs of `paragraphs`, in order.
fn assert_paragraphs(paragraphs: &[String], expected: &[&str], what: &str) {
    let mut at = 0;
    for (n, e) in expected.iter().enumerate() {
        match paragraphs[at..].iter().position(|p| p == e) {
            Some(i) => at += i + 1,
            None => panic!(
                "{what}: case {n} ({e:?}) is not a paragraph after paragraph {at}: {:?}",
                &paragraphs[at.saturating_sub(1)..(at + 3).min(paragraphs.len())]
            ),
        }
    }
}

/// Asserts that the PDF's lines hold `expected`, in order, each starting a line and ending one: a
/// paragraph is the lines from where it starts to where its text is complete.
fn assert_pdf_paragraphs(lines: &[String], expected: &[&str], what: &str) {
    let mut at = 0;
    for (n, e) in expected.iter().enumerate() {
        let e = squeezed(e);
        let found = (at..lines.len()).find_map(|start| {
            let mut text = String::new();
            for (k, line) in lines[start..].iter().enumerate() {
                text.push_str(line);
                if text.len() >= e.len() {
                    return (text == e).then_some(start + k + 1);
                }
            }
            None
        });
        match found {
            Some(end) => at = end,
            None => panic!("{what}: case {n} ({e:?}) is not a paragraph after line {at}"),
        }
    }
}

/// Every case, set in every format, reads as the table says.
#[test]
fn every_case_is_set_as_the_table_says_in_every_format() {
    assert!(CASES.len() >= 40, "the table holds {} cases", CASES.len());
    let inputs: Vec<&str> = CASES.iter().map(|c| c.input).collect();
    let expected: Vec<&str> = CASES.iter().map(|c| c.expected).collect();
    let article = article(&inputs);
    assert_paragraphs(&txt_paragraphs(&article, false), &expected, "plain text");
    assert_paragraphs(&docx_paragraphs_of(&article, false), &expected, "DOCX");
    assert_pdf_paragraphs(&pdf_lines(&article, false), &expected, "PDF");
}

/// `--keep-punctuation` leaves every ASCII mark of every case as typed, in every format.
#[test]
fn keep_punctuation_keeps_every_case_as_typed() {
    let inputs: Vec<&str> = CASES.iter().map(|c| c.input).collect();
    let article = article(&inputs);
    assert_paragraphs(&txt_paragraphs(&article, true), &inputs, "plain text, kept");
    assert_paragraphs(&docx_paragraphs_of(&article, true), &inputs, "DOCX, kept");
    assert_pdf_paragraphs(&pdf_lines(&article, true), &inputs, "PDF, kept");
}

/// The normalizer itself agrees with the table, case by case (a failure here names the case's
/// reason), and is idempotent: setting set text again changes nothing.
#[test]
fn the_normalizer_agrees_with_the_table() {
    use handout::text::punctuation::normalize;
    for c in CASES {
        assert_eq!(normalize(c.input), c.expected, "{}: {:?}", c.why, c.input);
        assert_eq!(normalize(c.expected), c.expected, "idempotent: {}", c.why);
    }
}

/// The seed's abstract ends "对安全性指标进行评价。" in the plain text, and no "评价." is left.
#[test]
fn the_seed_s_sentence_ends_with_a_chinese_full_stop() {
    let article = common::seed_article();
    let out = handout::render(&article, Format::Txt, &options(false)).expect("the text renders");
    let out = String::from_utf8(out).expect("UTF-8");
    assert!(out.contains("对安全性指标进行评价。"), "{out}");
    assert!(!out.contains("评价."), "{out}");
    let kept = handout::render(&article, Format::Txt, &options(true)).expect("the text renders");
    let kept = String::from_utf8(kept).expect("UTF-8");
    assert!(kept.contains("对安全性指标进行评价."), "{kept}");
}

/// The rich article writes its Latin terms and marks as the author did: "blood-based biomarkers"
/// and every ASCII mark outside Chinese sentences come out as with `--keep-punctuation`.
#[test]
fn the_rich_article_keeps_its_latin_marks() {
    let path = common::root().join("source/alzheimer-blood-test.json");
    let article = handout::load(&path)
        .expect("the rich article loads")
        .article;
    let render = |keep| {
        let out = handout::render(&article, Format::Txt, &options(keep)).expect("renders");
        String::from_utf8(out).expect("UTF-8")
    };
    let (set, kept) = (render(false), render(true));
    assert!(set.contains("blood-based biomarkers"), "{set}");
    assert_eq!(
        set, kept,
        "the rich article has no ASCII mark in a Chinese sentence"
    );
}

/// A link whose text is an English title keeps the title's question mark before Chinese text, and
/// the Chinese sentence after it takes its full stop; a citation label or a note marker between a
/// sentence and its "." does not hide the Chinese sentence.
#[test]
fn links_citations_and_notes_are_context() {
    let link = serde_json::json!({"link": {"url": "https://www.nia.nih.gov/x",
                                           "content": ["What Is Alzheimer's Disease?"]}});
    let blocks = vec![
        serde_json::json!({"paragraph": ["详见", link, "一文."]}),
        serde_json::json!({"paragraph": ["对疗效进行评价", {"cite": ["a"]}, "."]}),
        serde_json::json!({"paragraph": ["对疗效进行评价", {"note": ["注释内容。"]}, "."]}),
    ];
    let article = article_of(blocks);
    let txt = txt_paragraphs(&article, false).join("\n");
    assert!(txt.contains("Disease?"), "{txt}");
    assert!(!txt.contains("Disease？"), "{txt}");
    assert!(txt.contains("一文。"), "{txt}");
    assert!(txt.contains("评价[1]。"), "{txt}");
    assert!(txt.contains("评价[注1]。"), "{txt}");
    let docx = docx_paragraphs_of(&article, false);
    assert!(
        docx.iter()
            .any(|p| p == "详见What Is Alzheimer's Disease?一文。"),
        "{docx:?}"
    );
    assert!(docx.iter().any(|p| p == "对疗效进行评价[1]。"), "{docx:?}");
    let pdf = pdf_lines(&article, false).concat();
    // The PDF may mark the link with the number of a note that holds its address: looked at apart.
    assert!(pdf.contains("详见WhatIsAlzheimer'sDisease?"), "{pdf}");
    assert!(
        !pdf.contains("Disease？") && pdf.contains("一文。"),
        "{pdf}"
    );
    assert!(pdf.contains("对疗效进行评价[1]。"), "{pdf}");
    let kept = txt_paragraphs(&article, true).join("\n");
    assert!(
        kept.contains("一文.") && kept.contains("评价[1]."),
        "{kept}"
    );
}

/// Normalizing stays linear: a megabyte of abbreviations, dots and marks in Chinese text.
#[test]
fn a_megabyte_of_marks_is_normalized_in_linear_time() {
    let text = "中e.g.,a.,x?.".repeat(80_000);
    let started = std::time::Instant::now();
    let out = handout::text::punctuation::normalize(&text);
    assert!(out.chars().count() > 800_000);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
