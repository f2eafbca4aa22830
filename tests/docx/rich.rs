//! Tables, figures, footnotes, quotes, asides, sub- and superscript and emphasis in the Word
//! document, checked in its XML with nothing but cargo; and, with LibreOffice, poppler-utils, pandoc
//! and python3-docx installed, read back by other programs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use handout::model::{Article, Block, Cell, Inline, List};

use super::{
    R, assert_every_character_is_in_its_embedded_face, fold, inline_text, is_w, missing_paragraphs,
    part, parts, render, run, text_in, tool, w,
};

/// Every rich element: a table with a two-row header, spans and a note in a cell; a PNG twice and a
/// JPEG; notes with a link and emphasis; a quote with its source; an aside with a nested list and a
/// labelled paragraph; emphasis over Han, Latin and both, strong emphasis; sub- and superscript.
const RICH: &str = r#"{
  "meta": {"title": "富内容测试", "author": "作者", "date": "2025-03-07"},
  "blocks": [
    {"heading": {"level": 1, "content": ["一、数据"]}},
    {"paragraph": ["着重：", {"emph": ["显著降低 IL-6 → 水平。"]}, "斜体：", {"emph": ["Latin words"]},
                   "；", {"strong": [{"emph": ["加粗强调 Bold"]}]}, "。注释", {"note": ["第一条脚注，见",
                   {"link": {"url": "https://example.org/note", "content": ["链接"]}}, "与", {"emph": ["强调"]}, "。"]},
                   "，上标 10", {"sup": ["6"]}, " cells/kg，下标 Aβ", {"sub": ["42"]}, "。"]},
    {"table": {"caption": ["治疗前后指标对比"],
      "columns": [{"align": "left"}, {"align": "right"}, {"align": "decimal"}, {"align": "right"}],
      "head": [[{"content": ["指标"], "rowspan": 2}, {"content": ["治疗组"], "colspan": 2}, {"content": ["P 值"], "rowspan": 2}],
               ["例数", "均值"]],
      "body": [["ALSFRS-R 评分", "42", "35.2", "0.01"],
               [{"content": ["合并"], "rowspan": 2}, "12", "1.5", {"content": ["0.2", {"note": ["表中的脚注。"]}]}],
               ["8", "112.25", "<0.001"],
               [{"content": ["合计"], "colspan": 3}, "—"]]}},
    {"figure": {"image": "chart.png", "alt": "柱状图：五组评分", "caption": ["各组评分"], "width": 0.5}},
    {"figure": {"image": "photo.jpg", "alt": "一张灰色的照片", "caption": ["照片"]}},
    {"figure": {"image": "chart.png", "alt": "同一张柱状图", "caption": ["再用一次"], "width": 0.25}},
    {"quote": {"paragraphs": [["引文第一段，应在规范的临床研究中进行。"], ["引文第二段。"]], "source": ["《管理办法》"]}},
    {"aside": {"label": "温馨提示", "blocks": [
      {"paragraph": ["治疗前请咨询专业医生。"]},
      {"list": {"style": "bullet", "items": [{"content": ["定期复查"], "children": [
        {"style": "decimal", "items": [{"content": ["每月一次"]}]}]}, {"content": ["记录症状"]}]}},
      {"labelled": {"term": ["注意"], "content": ["术语段落。"]}}]}},
    {"paragraph": ["其后的正文。", {"note": ["第三条脚注。"]}]}
  ],
  "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
}"#;

/// The rich article (its images read when it is loaded) and its image files.
pub struct Rich {
    pub article: Article,
    png: Vec<u8>,
    jpeg: Vec<u8>,
}

/// Writes the rich article and its images to a folder and loads it.
pub fn rich() -> Rich {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (png, jpeg) = (bar_chart_png(), grey_jpeg(64, 32));
    std::fs::write(dir.path().join("chart.png"), &png).expect("written");
    std::fs::write(dir.path().join("photo.jpg"), &jpeg).expect("written");
    let source = dir.path().join("rich.json");
    std::fs::write(&source, RICH).expect("written");
    let article = handout::source::load(&source).expect("the rich article loads");
    Rich { article, png, jpeg }
}

/// A 120 × 60 RGB bar chart, written with the png crate.
fn bar_chart_png() -> Vec<u8> {
    let (width, height) = (120u32, 60u32);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let bar = x / 24;
            let top = 50 - 9 * bar;
            let on = x % 24 >= 6 && x % 24 < 18 && y >= top;
            pixels.extend(if on { [70, 110, 170] } else { [255, 255, 255] });
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a PNG header");
    writer.write_image_data(&pixels).expect("PNG data");
    writer.finish().expect("a whole PNG");
    out
}

/// A uniform grey baseline JPEG of `width` × `height` pixels (multiples of 8), written marker by
/// marker: every 8 × 8 block codes a DC difference of 0 and an end of block, a one-bit code each.
fn grey_jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    // One quantisation table of ones.
    j.extend([0xFF, 0xDB, 0, 67, 0]);
    j.extend([1u8; 64]);
    // Baseline frame: 8 bits, one component.
    j.extend([0xFF, 0xC0, 0, 11, 8]);
    j.extend(height.to_be_bytes());
    j.extend(width.to_be_bytes());
    j.extend([1, 1, 0x11, 0]);
    // A DC and an AC table, each with one code of length 1: category 0, end of block.
    for class in [0x00, 0x10] {
        j.extend([0xFF, 0xC4, 0, 20, class, 1]);
        j.extend([0u8; 16]);
    }
    j.extend([0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0]);
    let bits = 2 * usize::from(width / 8) * usize::from(height / 8);
    j.extend(vec![0u8; bits / 8]);
    if bits % 8 != 0 {
        // The last bits, padded with ones.
        j.push(0xFF >> (bits % 8));
    }
    j.extend([0xFF, 0xD9]);
    j
}

fn doc(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).expect("well-formed")
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|n| is_w(n, name))
}

/// The value of `w:val` on a property child of `node`.
fn val<'a>(node: roxmltree::Node<'a, '_>, path: &[&str]) -> Option<&'a str> {
    let mut at = node;
    for name in path {
        at = child(at, name)?;
    }
    w(at, "val")
}

fn tables(a: &Article) -> Vec<&handout::model::Table> {
    a.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn figures(a: &Article) -> Vec<&handout::model::Figure> {
    a.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .collect()
}

#[test]
fn the_rich_article_gives_the_same_well_formed_parts_twice() {
    let rich = rich();
    let docx = render(&rich.article);
    assert!(docx == render(&rich.article), "two renders differ");
    for (name, bytes) in &parts(&docx) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// The cells Word needs in each row, by the test's own placing of spans: each cell's gridSpan and
/// vMerge ("restart", "continue" or none), rows below a row-spanning cell holding its continuation.
fn expected_cells(rows: &[Vec<Cell>], width: usize) -> Vec<Vec<(usize, &'static str)>> {
    // At the column where a row-spanning cell starts: its colspan and the rows it still covers.
    let mut spanning = vec![(0usize, 0usize); width];
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut cells = row.iter();
        let mut expected = Vec::new();
        let mut column = 0;
        while column < width {
            let (colspan, below) = spanning[column];
            if below > 0 {
                spanning[column].1 -= 1;
                expected.push((colspan, "continue"));
                column += colspan;
                continue;
            }
            let Some(cell) = cells.next() else { break };
            let (colspan, rowspan) = (cell.colspan as usize, cell.rowspan as usize);
            let merge = if rowspan > 1 { "restart" } else { "" };
            if rowspan > 1 {
                spanning[column] = (colspan, (rowspan - 1).min(rows.len() - r - 1));
            }
            expected.push((colspan, merge));
            column += colspan;
        }
        out.push(expected);
    }
    out
}

/// Each table: the three-line style, grid columns across the text width, header rows marked to
/// repeat and only they, no row split across pages, spans as gridSpan and vMerge.
#[test]
fn tables_repeat_their_header_rows_and_carry_their_spans() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let xml = part(&parts, "word/document.xml");
    let d = doc(xml);
    let sect = d.descendants().find(|n| is_w(n, "sectPr")).expect("sectPr");
    let twips = |el: &str, attr: &str| -> usize {
        w(child(sect, el).expect(el), attr)
            .and_then(|v| v.parse().ok())
            .expect("a number")
    };
    let text_width = twips("pgSz", "w") - twips("pgMar", "left") - twips("pgMar", "right");
    let word_tables: Vec<_> = d.descendants().filter(|n| is_w(n, "tbl")).collect();
    let model = tables(&rich.article);
    assert_eq!(word_tables.len(), model.len());
    for (tbl, t) in word_tables.iter().zip(&model) {
        let tbl_pr = child(*tbl, "tblPr").expect("tblPr");
        assert_eq!(val(tbl_pr, &["tblStyle"]), Some("ThreeLineTable"));
        let grid: Vec<usize> = child(*tbl, "tblGrid")
            .expect("tblGrid")
            .children()
            .filter(|n| is_w(n, "gridCol"))
            .map(|c| w(c, "w").and_then(|v| v.parse().ok()).expect("a width"))
            .collect();
        let width: usize = t.body[0].iter().map(|c| c.colspan as usize).sum();
        assert_eq!(grid.len(), width, "one grid column per column");
        assert_eq!(grid.iter().sum::<usize>(), text_width, "{grid:?}");
        assert!(!xml.contains("<w:gridCol w:w=\"0\""), "no empty column");
        let rows: Vec<_> = tbl.children().filter(|n| is_w(n, "tr")).collect();
        assert_eq!(rows.len(), t.head.len() + t.body.len());
        for (i, tr) in rows.iter().enumerate() {
            let tr_pr = child(*tr, "trPr").expect("trPr");
            assert!(child(tr_pr, "cantSplit").is_some(), "row {i} may split");
            assert_eq!(
                child(tr_pr, "tblHeader").is_some(),
                i < t.head.len(),
                "row {i}: tblHeader on the header rows only"
            );
        }
        let expected: Vec<_> = expected_cells(&t.head, width)
            .into_iter()
            .chain(expected_cells(&t.body, width))
            .collect();
        let seen: Vec<Vec<(usize, &str)>> = rows
            .iter()
            .map(|tr| {
                tr.children()
                    .filter(|n| is_w(n, "tc"))
                    .map(|tc| {
                        let tc_pr = child(tc, "tcPr").expect("tcPr");
                        let span = val(tc_pr, &["gridSpan"]).map_or(1, |v| v.parse().unwrap());
                        let merge = match child(tc_pr, "vMerge") {
                            None => "",
                            Some(m) => match w(m, "val") {
                                Some("restart") => "restart",
                                _ => "continue",
                            },
                        };
                        (span, merge)
                    })
                    .collect()
            })
            .collect();
        assert_eq!(seen, expected);
    }
    // gridCol has a width and nothing else (CT_TblGridCol).
    assert!(
        d.descendants()
            .filter(|n| is_w(n, "gridCol"))
            .all(|c| c.attributes().count() == 1)
    );
}

/// A decimal column's body cells align on a decimal tab stop inside the cell (Word and LibreOffice
/// align a cell's text on it without a tab character); its header cells are centred; the other
/// columns are aligned as they say.
#[test]
fn columns_are_aligned_as_they_say() {
    use handout::model::Align;
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let d = doc(part(&parts, "word/document.xml"));
    for (tbl, t) in d
        .descendants()
        .filter(|n| is_w(n, "tbl"))
        .zip(tables(&rich.article))
    {
        let rows: Vec<_> = tbl.children().filter(|n| is_w(n, "tr")).collect();
        for (i, tr) in rows.iter().enumerate() {
            let mut column = 0;
            for tc in tr.children().filter(|n| is_w(n, "tc")) {
                let tc_pr = child(tc, "tcPr").expect("tcPr");
                let span: usize = val(tc_pr, &["gridSpan"]).map_or(1, |v| v.parse().unwrap());
                let width: usize = child(tc_pr, "tcW")
                    .and_then(|x| w(x, "w"))
                    .unwrap()
                    .parse()
                    .unwrap();
                let p = child(tc, "p").expect("a paragraph");
                let jc = val(p, &["pPr", "jc"]);
                let tab = child(p, "pPr")
                    .and_then(|x| child(x, "tabs"))
                    .and_then(|x| child(x, "tab"));
                let align = t.columns[column].align;
                let body = i >= t.head.len();
                let continued = val(tc_pr, &["vMerge"]).is_some_and(|v| v != "restart");
                if continued {
                    // A merged cell's continuation holds nothing to align.
                    column += span;
                    continue;
                }
                if align == Align::Decimal && body && span == 1 {
                    let tab = tab.unwrap_or_else(|| panic!("row {i} column {column}: no tab stop"));
                    assert_eq!(w(tab, "val"), Some("decimal"));
                    let pos: usize = w(tab, "pos").unwrap().parse().unwrap();
                    assert!(
                        pos > 0 && pos < width,
                        "row {i} column {column}: stop at {pos}"
                    );
                    assert_eq!(jc, None);
                } else {
                    let expected = match align {
                        // A header over several columns is centred over them.
                        _ if !body && span > 1 => Some("center"),
                        Align::Left => None,
                        Align::Right => Some("right"),
                        Align::Center | Align::Decimal => Some("center"),
                    };
                    assert_eq!(jc, expected, "row {i} column {column}");
                    assert!(tab.is_none());
                }
                column += span;
            }
        }
    }
}

/// 三线表: heavy rules above and below the table in its style, nothing between rows or columns, a
/// light rule under the last header row (on every cell that reaches it).
#[test]
fn tables_have_the_three_rules() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let styles = doc(part(&parts, "word/styles.xml"));
    let style = styles
        .descendants()
        .find(|n| is_w(n, "style") && w(*n, "styleId") == Some("ThreeLineTable"))
        .expect("the table style");
    assert_eq!(w(style, "type"), Some("table"));
    let borders = child(child(style, "tblPr").expect("tblPr"), "tblBorders").expect("borders");
    let size = |side: &str| {
        let b = child(borders, side).expect(side);
        (w(b, "val").unwrap_or(""), w(b, "sz").unwrap_or(""))
    };
    assert_eq!(size("top"), ("single", "12"));
    assert_eq!(size("bottom"), ("single", "12"));
    for side in ["left", "right", "insideH", "insideV"] {
        assert_eq!(size(side).0, "nil", "{side}");
    }
    let d = doc(part(&parts, "word/document.xml"));
    for (tbl, t) in d
        .descendants()
        .filter(|n| is_w(n, "tbl"))
        .zip(tables(&rich.article))
    {
        let rows: Vec<_> = tbl.children().filter(|n| is_w(n, "tr")).collect();
        for (i, tr) in rows.iter().enumerate() {
            for tc in tr.children().filter(|n| is_w(n, "tc")) {
                let rule = child(tc, "tcPr")
                    .and_then(|p| child(p, "tcBorders"))
                    .and_then(|b| child(b, "bottom"))
                    .and_then(|b| w(b, "sz"));
                let last_header_row = i + 1 == t.head.len();
                // A header cell spanning down to the last header row carries it too.
                let spans_to_it = i + 1 < t.head.len()
                    && child(tc, "tcPr").and_then(|p| val(p, &["vMerge"])) == Some("restart");
                if last_header_row {
                    assert_eq!(rule, Some("6"), "row {i}: the rule under the header");
                } else if !spans_to_it {
                    assert_eq!(rule, None, "row {i}: no rule");
                }
            }
        }
    }
}

/// The runs of a paragraph in order, each with its text and properties.
struct WordRun {
    text: String,
    style: Option<String>,
    italic: bool,
    bold: bool,
    latin_font: Option<String>,
    vert_align: Option<String>,
}

fn word_runs(p: roxmltree::Node) -> Vec<WordRun> {
    p.descendants()
        .filter(|n| is_w(n, "r"))
        .map(|r| {
            let rpr = child(r, "rPr");
            let has = |name: &str| rpr.and_then(|p| child(p, name)).is_some();
            WordRun {
                text: text_in(r),
                style: rpr.and_then(|p| val(p, &["rStyle"])).map(str::to_string),
                italic: has("i"),
                bold: has("b"),
                latin_font: rpr
                    .and_then(|p| child(p, "rFonts"))
                    .and_then(|f| w(f, "ascii"))
                    .map(str::to_string),
                vert_align: rpr.and_then(|p| val(p, &["vertAlign"])).map(str::to_string),
            }
        })
        .collect()
}

/// The test's own Han: the CJK unified ideographs.
fn han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Inline texts of one kind (emphasis, superscript, subscript) in a paragraph, with whether they are
/// inside strong text.
fn marked_texts(inlines: &[Inline], kind: &str, strong: bool, out: &mut Vec<(String, bool)>) {
    for inline in inlines {
        match (inline, kind) {
            (Inline::Emph(c), "emph") | (Inline::Sup(c), "sup") | (Inline::Sub(c), "sub") => {
                out.push((plain_text(c), strong))
            }
            (Inline::Strong(c), _) => marked_texts(c, kind, true, out),
            (Inline::Emph(c) | Inline::Sup(c) | Inline::Sub(c), _) => {
                marked_texts(c, kind, strong, out)
            }
            _ => {}
        }
    }
}

fn plain_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Sup(c) | Inline::Sub(c) => plain_text(c),
            Inline::Link(l) => plain_text(&l.content),
            _ => String::new(),
        })
        .collect()
}

/// The first paragraph of the body that the article's first paragraph block became.
fn first_body_paragraph(a: &Article) -> &[Inline] {
    a.blocks
        .iter()
        .find_map(|b| match b {
            Block::Paragraph(p) => Some(p.as_slice()),
            _ => None,
        })
        .expect("a paragraph")
}

/// Each emphasised character is marked the Chinese way: a Han character by the Emphasis style
/// (whose `w:em` is underDot), a Latin one in Noto Serif italic unless it is strong (there is no bold
/// italic; strong stays bold), punctuation by neither.
#[test]
fn emphasis_is_dots_under_han_and_italic_over_latin() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let styles = doc(part(&parts, "word/styles.xml"));
    let emphasis = styles
        .descendants()
        .find(|n| is_w(n, "style") && w(*n, "styleId") == Some("Emphasis"))
        .expect("the Emphasis style");
    assert_eq!(val(emphasis, &["rPr", "em"]), Some("underDot"));
    assert!(
        child(child(emphasis, "rPr").unwrap(), "b").is_none(),
        "not bold"
    );
    let d = doc(part(&parts, "word/document.xml"));
    let paragraph = d
        .descendants()
        .filter(|n| is_w(n, "p"))
        .find(|p| text_in(*p).contains("着重"))
        .expect("the paragraph");
    let runs = word_runs(paragraph);
    // Each character of the paragraph, with its run.
    let chars: Vec<(char, &WordRun)> = runs
        .iter()
        .flat_map(|r| r.text.chars().map(move |c| (c, r)))
        .collect();
    let text: String = chars.iter().map(|(c, _)| c).collect();
    let mut emphasised = Vec::new();
    marked_texts(
        first_body_paragraph(&rich.article),
        "emph",
        false,
        &mut emphasised,
    );
    assert!(emphasised.len() >= 3);
    for (phrase, strong) in emphasised {
        let start = text
            .find(&phrase)
            .map(|b| text[..b].chars().count())
            .unwrap_or_else(|| panic!("{phrase:?} not in {text:?}"));
        for (c, run) in &chars[start..start + phrase.chars().count()] {
            let dotted = run.style.as_deref() == Some("Emphasis");
            let italic = run.italic && run.latin_font.as_deref() == Some("Noto Serif");
            // Bold directly or by the Strong style.
            let bold = run.bold || run.style.as_deref() == Some("Strong");
            if han(*c) {
                assert!(dotted && !run.italic, "{c:?} in {phrase:?} is not dotted");
                assert_eq!(bold, strong, "{c:?} in {phrase:?}: bold when strong");
            } else if c.is_ascii_alphanumeric() {
                assert!(!dotted, "{c:?} in {phrase:?} is dotted");
                assert_eq!(italic, !strong, "{c:?} in {phrase:?}: italic unless strong");
                assert_eq!(bold, strong, "{c:?} in {phrase:?}: bold when strong");
            } else if c.is_ascii_punctuation() {
                assert!(!dotted, "{c:?} dotted");
            } else if !c.is_whitespace() {
                assert!(!dotted && !run.italic, "{c:?} in {phrase:?} is marked");
            }
        }
    }
    // Outside emphasis, nothing is dotted or italic.
    assert!(
        runs.iter()
            .filter(|r| r.style.as_deref() == Some("Emphasis") || r.italic)
            .all(|r| r.text.chars().all(|c| !"着斜注上下".contains(c)))
    );
}

/// The italic is embedded: fontTable lists Noto Serif with `w:embedItalic`, and every character set
/// in it (as Word resolves the run fonts) is in the embedded subset, as for the other faces.
#[test]
fn the_latin_italic_is_embedded() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let fonts = doc(part(&parts, "word/fontTable.xml"));
    let serif = fonts
        .descendants()
        .find(|n| is_w(n, "font") && w(*n, "name") == Some("Noto Serif"))
        .expect("Noto Serif in fontTable.xml");
    let italic = child(serif, "embedItalic").expect("embedItalic");
    assert!(italic.attribute((R, "id")).is_some());
    assert_every_character_is_in_its_embedded_face(&rich.article);
}

#[test]
fn sub_and_superscript_are_lowered_and_raised() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let d = doc(part(&parts, "word/document.xml"));
    let runs: Vec<WordRun> = d
        .descendants()
        .filter(|n| is_w(n, "p"))
        .flat_map(word_runs)
        .collect();
    for (kind, align) in [("sup", "superscript"), ("sub", "subscript")] {
        let mut texts = Vec::new();
        for block in &rich.article.blocks {
            if let Block::Paragraph(p) = block {
                marked_texts(p, kind, false, &mut texts);
            }
        }
        let expected: String = texts.into_iter().map(|(t, _)| t).collect();
        let seen: String = runs
            .iter()
            .filter(|r| r.vert_align.as_deref() == Some(align))
            .map(|r| r.text.as_str())
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(seen, expected, "{align}");
    }
}

/// The notes of an article in reading order (the order the walk numbers them in): paragraphs, table
/// captions then cells, figure captions, quotes, asides, lists.
fn notes_in_order(a: &Article) -> Vec<Vec<Inline>> {
    fn inlines(content: &[Inline], out: &mut Vec<Vec<Inline>>) {
        for i in content {
            match i {
                Inline::Note(c) => out.push(c.clone()),
                Inline::Strong(c) | Inline::Emph(c) | Inline::Sup(c) | Inline::Sub(c) => {
                    inlines(c, out)
                }
                Inline::Link(l) => inlines(&l.content, out),
                _ => {}
            }
        }
    }
    fn list(l: &List, out: &mut Vec<Vec<Inline>>) {
        for item in &l.items {
            inlines(&item.term, out);
            inlines(&item.content, out);
            item.children.iter().for_each(|c| list(c, out));
        }
    }
    fn blocks(bs: &[Block], out: &mut Vec<Vec<Inline>>) {
        for b in bs {
            match b {
                Block::Heading(h) => inlines(&h.content, out),
                Block::Paragraph(p) => inlines(p, out),
                Block::Labelled(l) => {
                    inlines(&l.term, out);
                    inlines(&l.content, out);
                }
                Block::List(l) => list(l, out),
                Block::Table(t) => {
                    inlines(&t.caption, out);
                    for cell in t.head.iter().chain(&t.body).flatten() {
                        inlines(&cell.content, out);
                    }
                }
                Block::Figure(f) => inlines(&f.caption, out),
                Block::Quote(q) => {
                    q.paragraphs.iter().for_each(|p| inlines(p, out));
                    inlines(&q.source, out);
                }
                Block::Aside(x) => blocks(&x.blocks, out),
            }
        }
    }
    let mut out = Vec::new();
    blocks(&a.blocks, &mut out);
    out
}

/// Real footnotes: the separators Word expects (named in settings.xml), then each note under its
/// number, led by its own number mark; the text refers to them by the same numbers, in order; the
/// part is declared and related, with the relationships its links need.
#[test]
fn footnotes_are_numbered_as_the_walk_numbers_them() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let notes = notes_in_order(&rich.article);
    assert_eq!(notes.len(), 3);
    let footnotes = doc(part(&parts, "word/footnotes.xml"));
    let all: Vec<_> = footnotes
        .root_element()
        .children()
        .filter(|n| is_w(n, "footnote"))
        .collect();
    let kinds: Vec<(Option<&str>, Option<&str>)> = all
        .iter()
        .take(2)
        .map(|n| (w(*n, "type"), w(*n, "id")))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (Some("separator"), Some("-1")),
            (Some("continuationSeparator"), Some("0"))
        ]
    );
    for (i, (note, content)) in all[2..].iter().zip(&notes).enumerate() {
        assert_eq!(w(*note, "id"), Some((i + 1).to_string().as_str()));
        let p = child(*note, "p").expect("a paragraph");
        assert_eq!(val(p, &["pPr", "pStyle"]), Some("FootnoteText"));
        let first = p.children().find(|n| is_w(n, "r")).expect("a run");
        assert!(
            child(first, "footnoteRef").is_some(),
            "note {} has its number",
            i + 1
        );
        assert_eq!(
            fold(&text_in(p)),
            fold(&inline_text(&rich.article, content))
        );
    }
    assert_eq!(all.len(), notes.len() + 2);
    let d = doc(part(&parts, "word/document.xml"));
    let references: Vec<&str> = d
        .descendants()
        .filter(|n| is_w(n, "footnoteReference"))
        .filter_map(|n| w(n, "id"))
        .collect();
    let numbers: Vec<String> = (1..=notes.len()).map(|n| n.to_string()).collect();
    assert_eq!(references, numbers);
    let settings = doc(part(&parts, "word/settings.xml"));
    let named: Vec<&str> = settings
        .descendants()
        .filter(|n| is_w(n, "footnote") && n.parent().is_some_and(|p| is_w(&p, "footnotePr")))
        .filter_map(|n| w(n, "id"))
        .collect();
    assert_eq!(named, vec!["-1", "0"]);
    let styles = doc(part(&parts, "word/styles.xml"));
    let style = |id: &str| {
        styles
            .descendants()
            .find(|n| is_w(n, "style") && w(*n, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    };
    assert_eq!(
        val(style("FootnoteReference"), &["rPr", "vertAlign"]),
        Some("superscript")
    );
    let ind = child(child(style("FootnoteText"), "pPr").expect("pPr"), "ind");
    assert!(
        ind.is_none_or(|i| w(i, "firstLine").is_none()),
        "no first-line indent"
    );
    let types = part(&parts, "[Content_Types].xml");
    assert!(
        types.contains(r#"PartName="/word/footnotes.xml""#),
        "{types}"
    );
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Target="footnotes.xml""#), "{rels}");
    let note_rels = part(&parts, "word/_rels/footnotes.xml.rels");
    let link = footnotes
        .descendants()
        .find(|n| is_w(n, "hyperlink"))
        .and_then(|h| h.attribute((R, "id")))
        .expect("the note's link");
    assert!(
        note_rels.contains(&format!(r#"Id="{link}""#)) && note_rels.contains("example.org/note"),
        "{note_rels}"
    );
}

/// The relationships of a part: id -> target.
fn relationships(xml: &str) -> BTreeMap<String, String> {
    doc(xml)
        .descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .map(|n| {
            (
                n.attribute("Id").unwrap().to_string(),
                n.attribute("Target").unwrap().to_string(),
            )
        })
        .collect()
}

/// Each figure is an inline picture of the file's own bytes (the same file stored once), described
/// by its alt text, at its width fraction of the text block or its natural size, with its caption
/// below.
#[test]
fn figures_are_the_original_bytes_with_their_alt_text() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let media: Vec<&(String, Vec<u8>)> = parts
        .iter()
        .filter(|(n, _)| n.starts_with("word/media/"))
        .collect();
    let stored: BTreeSet<&[u8]> = media.iter().map(|(_, b)| b.as_slice()).collect();
    assert_eq!(media.len(), 2, "two distinct files");
    assert_eq!(stored, BTreeSet::from([&rich.png[..], &rich.jpeg[..]]));
    let types = part(&parts, "[Content_Types].xml");
    assert!(types.contains(r#"Extension="png" ContentType="image/png""#));
    assert!(types.contains(r#"Extension="jpeg" ContentType="image/jpeg""#));
    let rels = relationships(part(&parts, "word/_rels/document.xml.rels"));
    let xml = part(&parts, "word/document.xml");
    let d = doc(xml);
    let sect = d.descendants().find(|n| is_w(n, "sectPr")).expect("sectPr");
    let attr =
        |el: &str, a: &str| -> f64 { w(child(sect, el).unwrap(), a).unwrap().parse().unwrap() };
    let text_width_emu =
        (attr("pgSz", "w") - attr("pgMar", "left") - attr("pgMar", "right")) * 635.0;
    let drawings: Vec<_> = d.descendants().filter(|n| is_w(n, "drawing")).collect();
    let model = figures(&rich.article);
    assert_eq!(drawings.len(), model.len());
    let mut ids = BTreeSet::new();
    for (drawing, figure) in drawings.iter().zip(&model) {
        let named = |name: &str| {
            drawing
                .descendants()
                .find(|n| n.tag_name().name() == name)
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let doc_pr = named("docPr");
        assert_eq!(doc_pr.attribute("descr"), Some(figure.alt.as_str()));
        assert!(
            ids.insert(doc_pr.attribute("id").unwrap().to_string()),
            "ids unique"
        );
        let rid = named("blip").attribute((R, "embed")).expect("r:embed");
        let target = &rels[rid];
        let bytes = &parts
            .iter()
            .find(|(n, _)| *n == format!("word/{target}"))
            .expect("the image part")
            .1;
        let file = if figure.image.ends_with(".png") {
            &rich.png
        } else {
            &rich.jpeg
        };
        assert!(bytes == file, "{} is stored as it is", figure.image);
        let extent = named("extent");
        let size = |a: &str| extent.attribute(a).unwrap().parse::<f64>().unwrap();
        let image = rich.article.images.get(&figure.image).expect("loaded");
        let (natural_w, natural_h) = image.natural_size();
        let expect_w = match figure.width {
            Some(f) => f64::from(f) * text_width_emu,
            None => f64::from(natural_w) * 12_700.0,
        };
        assert!(
            (size("cx") - expect_w).abs() <= 1.0,
            "{}: {} EMU wide",
            figure.image,
            size("cx")
        );
        let aspect = f64::from(natural_h / natural_w);
        assert!((size("cy") / size("cx") - aspect).abs() < 1e-3);
    }
    // Every figure paragraph is followed by its caption, "图N" numbered by a SEQ 图 field.
    let captions: Vec<_> = d
        .descendants()
        .filter(|n| is_w(n, "p") && val(*n, &["pPr", "pStyle"]) == Some("Caption"))
        .filter(|n| {
            n.descendants()
                .any(|x| is_w(&x, "instrText") && x.text().is_some_and(|t| t.contains("SEQ 图")))
        })
        .collect();
    assert_eq!(captions.len(), model.len(), "one 图 caption per figure");
    for (n, (caption, figure)) in captions.iter().zip(&model).enumerate() {
        let before = caption
            .prev_sibling_element()
            .expect("the figure paragraph");
        assert!(before.descendants().any(|x| is_w(&x, "drawing")));
        assert_caption(
            *caption,
            "图",
            n + 1,
            &inline_text(&rich.article, &figure.caption),
        );
    }
}

/// A caption: the word, a SEQ field for it whose result is the number, the caption text.
fn assert_caption(p: roxmltree::Node, word: &str, n: usize, caption: &str) {
    let instr: String = p
        .descendants()
        .filter(|x| is_w(x, "instrText"))
        .filter_map(|x| x.text())
        .collect();
    assert_eq!(
        instr.split_whitespace().collect::<Vec<_>>(),
        ["SEQ", word, "\\*", "ARABIC"]
    );
    let kinds: Vec<&str> = p
        .descendants()
        .filter(|x| is_w(x, "fldChar"))
        .filter_map(|x| w(x, "fldCharType"))
        .collect();
    assert_eq!(kinds, ["begin", "separate", "end"]);
    assert_eq!(fold(&text_in(p)), fold(&format!("{word}{n}{caption}")));
}

#[test]
fn table_captions_come_first_with_a_seq_field() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let d = doc(part(&parts, "word/document.xml"));
    for (n, (tbl, t)) in d
        .descendants()
        .filter(|x| is_w(x, "tbl"))
        .zip(tables(&rich.article))
        .enumerate()
    {
        let caption = tbl.prev_sibling_element().expect("a caption");
        assert_eq!(val(caption, &["pPr", "pStyle"]), Some("Caption"));
        assert!(
            caption.descendants().any(|x| is_w(&x, "keepNext")),
            "a table's caption stays with its table"
        );
        assert_caption(
            caption,
            "表",
            n + 1,
            &inline_text(&rich.article, &t.caption),
        );
    }
}

/// The indents of a paragraph as Word resolves them: its style's, then its numbering level's.
fn indents(
    p: roxmltree::Node,
    styles: &roxmltree::Document,
    numbering: &roxmltree::Document,
) -> (Option<String>, Option<String>) {
    let mut ind = (None, None);
    let mut take = |node: Option<roxmltree::Node>| {
        if let Some(i) = node {
            ind.0 = w(i, "left").map(str::to_string).or(ind.0.take());
            ind.1 = w(i, "right").map(str::to_string).or(ind.1.take());
        }
    };
    let style = val(p, &["pPr", "pStyle"]).expect("a style");
    let s = styles
        .descendants()
        .find(|n| is_w(n, "style") && w(*n, "styleId") == Some(style))
        .expect("the style");
    take(child(s, "pPr").and_then(|p| child(p, "ind")));
    if let (Some(num), Some(level)) = (
        val(p, &["pPr", "numPr", "numId"]),
        val(p, &["pPr", "numPr", "ilvl"]),
    ) {
        let abstract_id = numbering
            .descendants()
            .find(|n| is_w(n, "num") && w(*n, "numId") == Some(num))
            .and_then(|n| val(n, &["abstractNumId"]))
            .expect("a num");
        let lvl = numbering
            .descendants()
            .find(|n| is_w(n, "abstractNum") && w(*n, "abstractNumId") == Some(abstract_id))
            .and_then(|a| {
                a.children()
                    .find(|l| is_w(l, "lvl") && w(*l, "ilvl") == Some(level))
            })
            .expect("the level");
        take(child(lvl, "pPr").and_then(|p| child(p, "ind")));
    }
    ind
}

/// A quote is indented with a rule at its left; an aside's label, paragraphs and list items (at
/// every level) share one set of borders and shading and the same outer indents, which is what makes
/// Word and LibreOffice draw them as one box.
#[test]
fn quotes_are_ruled_and_asides_one_box() {
    let rich = rich();
    let parts = parts(&render(&rich.article));
    let styles = doc(part(&parts, "word/styles.xml"));
    let numbering = doc(part(&parts, "word/numbering.xml"));
    let d = doc(part(&parts, "word/document.xml"));
    let style_of = |p: &roxmltree::Node| val(*p, &["pPr", "pStyle"]).unwrap_or("").to_string();
    let props = |id: &str, name: &str| -> String {
        styles
            .descendants()
            .find(|n| is_w(n, "style") && w(*n, "styleId") == Some(id))
            .and_then(|s| child(s, "pPr"))
            .and_then(|p| child(p, name))
            .map(|n| doc_text(n))
            .unwrap_or_default()
    };
    assert!(props("Quote", "pBdr").contains("left"), "the quote's rule");
    assert!(!props("Quote", "pBdr").contains("top"));
    let quotes = d
        .descendants()
        .filter(|p| is_w(p, "p") && style_of(p).starts_with("Quote"))
        .count();
    assert_eq!(quotes, 3, "two paragraphs and the source");
    let aside: Vec<_> = d
        .descendants()
        .filter(|p| is_w(p, "p") && style_of(p).starts_with("Aside"))
        .collect();
    let boxed: BTreeSet<String> = aside.iter().map(style_of).collect();
    assert_eq!(
        boxed,
        BTreeSet::from(
            ["AsideLabel", "Aside", "AsideListBullet", "AsideListNumber"].map(String::from)
        )
    );
    assert_eq!(
        aside.len(),
        1 + 1 + 3 + 1,
        "label, paragraph, three items, labelled paragraph"
    );
    // Consecutive in the body, one border set and shading, the same outer indents.
    let first = &aside[0];
    let mut at = Some(*first);
    for p in &aside {
        assert_eq!(
            at.map(|a| a.id()),
            Some(p.id()),
            "the aside's paragraphs are adjacent"
        );
        at = p.next_sibling_element();
    }
    let borders: BTreeSet<String> = boxed.iter().map(|s| props(s, "pBdr")).collect();
    let shading: BTreeSet<String> = boxed.iter().map(|s| props(s, "shd")).collect();
    assert_eq!(borders.len(), 1, "{borders:?}");
    assert_eq!(shading.len(), 1);
    for side in ["top", "left", "bottom", "right"] {
        assert!(borders.iter().next().unwrap().contains(side), "{side}");
    }
    let edges: BTreeSet<_> = aside
        .iter()
        .map(|p| indents(*p, &styles, &numbering))
        .collect();
    assert_eq!(edges.len(), 1, "{edges:?}");
}

/// An element with its attributes and descendants, as text to compare.
fn doc_text(node: roxmltree::Node) -> String {
    node.descendants()
        .map(|n| {
            let attrs: Vec<String> = n
                .attributes()
                .map(|a| format!("{}={}", a.name(), a.value()))
                .collect();
            format!("{}[{}]", n.tag_name().name(), attrs.join(","))
        })
        .collect()
}

/// A document without the rich elements carries none of their parts or styles: the seed article
/// packs as it did before them.
#[test]
fn an_article_without_them_carries_none_of_their_parts() {
    let parts = parts(&render(&super::article()));
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("footnotes") && !n.starts_with("word/media")),
        "{names:?}"
    );
    let styles = part(&parts, "word/styles.xml");
    for id in [
        "ThreeLineTable",
        "Caption",
        "Quote",
        "Aside",
        "FootnoteText",
        "Figure",
    ] {
        assert!(!styles.contains(&format!(r#"w:styleId="{id}""#)), "{id}");
    }
    assert!(!part(&parts, "word/fontTable.xml").contains(r#""Noto Serif""#));
    assert!(!part(&parts, "word/settings.xml").contains("footnotePr"));
}

// ---- Read back by other programs --------------------------------------------------------------

/// The text of every table cell and note, which are not body paragraphs.
fn cell_and_note_texts(a: &Article) -> Vec<String> {
    let mut out: Vec<String> = tables(a)
        .iter()
        .flat_map(|t| t.head.iter().chain(&t.body).flatten())
        .map(|c| inline_text(a, &c.content))
        .collect();
    out.extend(notes_in_order(a).iter().map(|n| inline_text(a, n)));
    out
}

fn write_rich(dir: &std::path::Path, a: &Article) -> PathBuf {
    let file = dir.join("rich.docx");
    std::fs::write(&file, render(a)).expect("written");
    file
}

/// LibreOffice sets every paragraph, cell and note in the embedded faces, the italic among them; the
/// pictures are on the pages; each note is on the page that cites it.
#[test]
#[ignore = "needs LibreOffice, poppler-utils"]
fn libreoffice_sets_the_rich_article() {
    let rich = rich();
    let pieces = cell_and_note_texts(&rich.article);
    let markers: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let faces = [
        "NotoSerifSC-Regular",
        "NotoSerifSC-Bold",
        "NotoSansSC-Regular",
        "NotoSansSC-Bold",
        "NotoSerif-Italic",
    ];
    let (_dir, pdf, text) = super::libreoffice_sets(&rich.article, &faces, &markers);
    let images = run(Command::new(tool("pdfimages")).arg("-list").arg(&pdf));
    assert!(images.lines().skip(2).count() >= 2, "{images}");
    // Each note's text is on the page of the paragraph that cites it.
    let pages: Vec<String> = text.split('\u{c}').map(fold).collect();
    for (citing, note) in [("注释", "第一条脚注"), ("其后的正文", "第三条脚注")] {
        let page = pages
            .iter()
            .position(|p| p.contains(&fold(citing)))
            .expect(citing);
        assert!(
            pages[page].contains(&fold(note)),
            "{note} not on page {}",
            page + 1
        );
    }
}

#[test]
#[ignore = "needs pandoc"]
fn pandoc_reads_the_rich_article() {
    let rich = rich();
    let dir = tempfile::tempdir().expect("a temp dir");
    let docx = write_rich(dir.path(), &rich.article);
    let text = run(Command::new(tool("pandoc"))
        .args(["-f", "docx", "-t", "plain", "--wrap=none", "--standalone"])
        .arg(&docx));
    let missing = missing_paragraphs(&rich.article, &text);
    assert!(missing.is_empty(), "pandoc lacks:\n{}", missing.join("\n"));
    let mut pieces = cell_and_note_texts(&rich.article);
    pieces.extend(figures(&rich.article).iter().map(|f| f.alt.clone()));
    for piece in pieces {
        assert!(
            fold(&text).contains(&fold(&piece)),
            "no {piece:?} in:\n{text}"
        );
    }
    let markdown = run(Command::new(tool("pandoc"))
        .args(["-f", "docx", "-t", "markdown", "--wrap=none"])
        .arg(&docx));
    for (marked, what) in [
        ("*Latin words*", "italic"),
        ("10^6^", "superscript"),
        ("~42~", "subscript"),
    ] {
        assert!(markdown.contains(marked), "no {what} in:\n{markdown}");
    }
}

#[test]
#[ignore = "needs python3-docx"]
fn python_docx_sees_the_tables_and_pictures() {
    const SCRIPT: &str = r#"
import docx, json, sys
d = docx.Document(sys.argv[1])
print(json.dumps({
  "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
  "pictures": [s._inline.docPr.get("descr") for s in d.inline_shapes],
}))
"#;
    let rich = rich();
    let dir = tempfile::tempdir().expect("a temp dir");
    let docx = write_rich(dir.path(), &rich.article);
    let out = run(Command::new(super::python_with_docx())
        .arg("-c")
        .arg(SCRIPT)
        .arg(&docx));
    let seen: serde_json::Value = serde_json::from_str(&out).expect("JSON from python-docx");
    let alts: Vec<String> = figures(&rich.article)
        .iter()
        .map(|f| f.alt.clone())
        .collect();
    assert_eq!(seen["pictures"], serde_json::json!(alts));
    let tables = seen["tables"].as_array().expect("tables");
    let model = tables_of(&rich.article);
    assert_eq!(tables.len(), model.len());
    for (table, cells) in tables.iter().zip(model) {
        let seen: BTreeSet<String> = table
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap().iter())
            .map(|c| fold(c.as_str().unwrap()))
            .collect();
        for cell in cells {
            assert!(seen.contains(&fold(&cell)), "{cell:?} not in {seen:?}");
        }
    }
}

/// Each table's cell texts.
fn tables_of(a: &Article) -> Vec<Vec<String>> {
    tables(a)
        .iter()
        .map(|t| {
            t.head
                .iter()
                .chain(&t.body)
                .flatten()
                .map(|c| inline_text(a, &c.content))
                .collect()
        })
        .collect()
}
