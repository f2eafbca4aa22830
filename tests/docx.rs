//! The Word writer: reproducible bytes, well-formed parts, embedded fonts; and, with LibreOffice,
//! poppler-utils and pandoc installed (`cargo test -- --ignored`), that other programs read back every
//! paragraph and use the embedded fonts. Tables, figures, notes, quotes, asides, scripts and
//! emphasis: [`rich`].

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
// In tests/docx/: a test crate looks for its modules in tests/ itself.
#[path = "docx/rich.rs"]
mod rich;

use common::{Place, citation_label, citation_order, core_property, reference_fields};
use handout::model::{Article, Block, Inline, List};

fn article() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    handout::source::load(&path).expect("the seed article loads")
}

/// An article with every feature the seed lacks: subtitle, summary, strong, emphasis, both, an
/// inline link, a decimal list starting at 3, lists nested in lists, a level-3 heading, a copyright.
const EVERY_FEATURE: &str = r#"{
  "meta": {"title": "测试标题", "subtitle": "副标题", "short_title": "短标题", "author": "作者",
           "date": "2025-03-07", "keywords": ["甲", "乙"], "summary": "摘要文字。"},
  "blocks": [
    {"heading": {"level": 1, "content": ["一级标题"]}},
    {"paragraph": ["普通文字，", {"strong": ["加粗文字"]}, "，", {"emph": ["强调文字"]}, "，",
                   {"strong": [{"emph": ["加粗强调"]}]}, "，见", {"link": {"url": "https://example.org/a?b=1&c=2", "content": ["链接文字"]}},
                   "。引用", {"cite": ["b", "a"]}, "。"]},
    {"heading": {"level": 3, "content": ["三级标题"]}},
    {"labelled": {"term": ["术语"], "content": ["说明文字。"]}},
    {"list": {"style": "decimal", "start": 3, "items": [
      {"content": ["第三项"]},
      {"term": ["第四项"], "content": ["有术语"], "children": [
        {"style": "chinese", "items": [{"content": ["子项一"]}, {"content": ["子项二"], "children": [
          {"style": "bullet", "items": [{"content": ["孙项"]}]}]}]}]}]}}
  ],
  "references": [
    {"id": "a", "type": "article-journal", "author": [{"family": "Smith", "given": "J"}], "title": "A study",
     "container-title": "J Test", "issued": {"date-parts": [[2020]]}, "DOI": "10.1/x"},
    {"id": "b", "type": "book", "author": [{"family": "张", "given": "三"}], "title": "一本书",
     "publisher": "出版社", "issued": {"date-parts": [[2019]]}}
  ],
  "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"], ["第二段。"]]},
  "copyright": {"label": "版权说明", "paragraphs": [["版权所有。"]]}
}"#;

fn every_feature() -> Article {
    serde_json::from_str(EVERY_FEATURE).expect("the test article parses")
}

fn render(article: &Article) -> Vec<u8> {
    handout::writers::docx::render(article, &handout::Options::default()).expect("the docx renders")
}

/// The package's parts, in archive order.
fn parts(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("an entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("readable");
            (f.name().expect("a name").to_string(), bytes)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let bytes = &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no part {name}"))
        .1;
    std::str::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn two_renders_give_the_same_bytes() {
    let a = article();
    let first = render(&a);
    let second = render(&a);
    assert!(first == second, "two renders differ");
}

#[test]
fn every_feature_renders_with_all_four_faces() {
    let a = every_feature();
    let docx = render(&a);
    assert!(docx == render(&a), "two renders differ");
    let parts = parts(&docx);
    for (name, bytes) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let fonts = parts.iter().filter(|(n, _)| n.ends_with(".odttf")).count();
    assert_eq!(fonts, 4, "Serif and Sans, regular and bold");
    let document = part(&parts, "word/document.xml");
    for style in [
        "Strong",
        "Emphasis",
        "Hyperlink",
        "Citation",
        "Term",
        "Subtitle",
        "Heading3",
    ] {
        assert!(
            document.contains(&format!(r#"w:val="{style}""#)),
            "{style} used"
        );
    }
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(rels.contains("https://example.org/a?b=1&amp;c=2"), "{rels}");
    let numbering = part(&parts, "word/numbering.xml");
    assert!(
        numbering.contains(r#"<w:startOverride w:val="3" />"#),
        "decimal list starts at 3"
    );
    let header = part(&parts, "word/header1.xml");
    assert!(header.contains("短标题"), "running title");
}

/// Input the source checks would refuse still renders, well-formed: control characters, U+FFFF, a
/// character outside the fonts, heading level 7, empty paragraphs and lists, deep nesting, a cited id
/// that does not exist, a huge list start; tables without rows, with ragged rows, zero and
/// overlong spans; a figure whose image was never loaded; notes in a heading and in a note; an
/// aside with an empty label; emphasis of nothing but punctuation or space.
#[test]
fn odd_input_still_gives_well_formed_parts() {
    let mut deep = serde_json::json!({"style": "bullet", "items": [{"content": ["底"]}]});
    for _ in 0..12 {
        deep = serde_json::json!({"style": "chinese", "items": [{"content": ["层"], "children": [deep]}]});
    }
    let source = serde_json::json!({
        "meta": {"title": "标题\u{0}\u{1b}\u{ffff}", "author": "a&b<c>\"d\"", "lang": "en"},
        "blocks": [
            {"heading": {"level": 7, "content": ["😀 ]]> 𠀀"]}},
            {"paragraph": []},
            {"paragraph": ["x", {"cite": ["nobody"]}]},
            {"list": {"style": "decimal", "start": 4294967295u32, "items": []}},
            {"list": {"style": "decimal", "start": 4294967295u32, "items": [{"content": ["大"]}, {}]}},
            {"list": deep},
            {"table": {"caption": [], "body": []}},
            {"table": {"caption": ["参差"], "head": [[{"content": ["a"], "colspan": 0, "rowspan": 9}]],
                       "body": [["1", "2", "3", "4"], [], [{"content": ["x"], "colspan": 99, "rowspan": 0}]]}},
            {"figure": {"image": "never-loaded.png", "alt": "无", "caption": ["图"]}},
            {"heading": {"level": 1, "content": ["标题", {"note": ["注", {"note": ["注中注"]}]}]}},
            {"aside": {"label": "", "blocks": [{"paragraph": [{"emph": ["。 ，"]}, {"emph": [" "]}]}]}}
        ],
        "disclaimer": {"label": "", "paragraphs": []}
    });
    let a: Article = serde_json::from_value(source).expect("the odd article parses");
    let parts = parts(&render(&a));
    for (name, bytes) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn missing_fonts_are_an_error_not_a_panic() {
    let options = handout::Options {
        fonts_dir: Some(PathBuf::from("/nonexistent/fonts")),
        ..handout::Options::default()
    };
    let result = handout::writers::docx::render(&article(), &options);
    assert!(
        matches!(result, Err(handout::Error::Fonts(_))),
        "{:?}",
        result.err()
    );
}

#[test]
fn the_package_is_deflated_with_fixed_times_and_modes() {
    let docx = render(&article());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx[..])).expect("a zip");
    for i in 0..zip.len() {
        let f = zip.by_index(i).expect("an entry");
        let name = f.name().expect("a name").to_string();
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated, "{name}");
        assert_eq!(f.unix_mode().map(|m| m & 0o777), Some(0o644), "{name}");
        let t = f.last_modified().expect("a time");
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{name}");
    }
}

#[test]
fn every_xml_part_is_well_formed() {
    let parts = parts(&render(&article()));
    let mut checked = 0;
    for (name, bytes) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} XML parts");
}

#[test]
fn styles_carry_language_fonts_and_indent() {
    let parts = parts(&render(&article()));
    let styles = part(&parts, "word/styles.xml");
    assert_eq!(
        styles.matches(r#"w:styleId="Normal""#).count(),
        1,
        "one Normal"
    );
    assert!(
        styles.contains(r#"w:default="1" w:styleId="Normal""#),
        "Normal is the default"
    );
    assert!(styles.contains(r#"w:eastAsia="zh-CN""#), "w:lang");
    assert!(
        styles.contains(r#"w:firstLineChars="200""#),
        "2-character indent"
    );
    for id in [
        "Title",
        "Heading1",
        "Heading2",
        "Heading3",
        "ListBullet",
        "ListNumber",
        "Bibliography",
        "Disclaimer",
        "Copyright",
    ] {
        assert!(
            styles.contains(&format!(r#"w:styleId="{id}""#)),
            "style {id}"
        );
    }
    assert!(styles.contains("Noto Serif SC") && styles.contains("Noto Sans SC"));
    let numbering = part(&parts, "word/numbering.xml");
    assert!(numbering.contains("chineseCounting") && numbering.contains("decimal"));
    let settings = part(&parts, "word/settings.xml");
    let embed = settings
        .find("<w:embedTrueTypeFonts/>")
        .expect("embedTrueTypeFonts");
    let subset = settings
        .find("<w:saveSubsetFonts/>")
        .expect("saveSubsetFonts");
    let tab = settings.find("<w:defaultTabStop").expect("defaultTabStop");
    assert!(embed < subset && subset < tab, "CT_Settings order");
}

/// docx-rs writes some property children out of schema order; the writer puts them back.
#[test]
fn property_children_are_in_schema_order() {
    let parts = parts(&render(&every_feature()));
    let document = part(&parts, "word/document.xml");
    assert!(!document.contains("<w:pPr><w:rPr"), "rPr first in pPr");
    assert!(document.contains(r#"<w:pPr><w:pStyle w:val="Title" />"#));
    let sect = &document[document.find("<w:sectPr").expect("sectPr")..];
    assert!(
        sect.find("<w:headerReference") < sect.find("<w:pgSz"),
        "references first in sectPr"
    );
    assert!(!document.contains("<w:numPr><w:numId"), "ilvl before numId");
    // Every run property list that names a style names it first.
    let styled: Vec<&str> = document
        .split("<w:rPr>")
        .skip(1)
        .filter_map(|rest| rest.split("</w:rPr>").next())
        .filter(|props| props.contains("<w:rStyle"))
        .collect();
    assert!(!styled.is_empty(), "no styled run");
    assert!(
        styled.iter().all(|props| props.starts_with("<w:rStyle")),
        "rStyle first in rPr: {styled:?}"
    );
    let styles = part(&parts, "word/styles.xml");
    assert!(
        !styles.contains("<w:rPr /><w:pPr>") && !styles.contains("</w:rPr><w:pPr>"),
        "pPr before rPr in a style"
    );
    let numbering = part(&parts, "word/numbering.xml");
    for level in numbering.split("<w:lvl ").skip(1) {
        if let (Some(suff), Some(text)) = (level.find("<w:suff"), level.find("<w:lvlText")) {
            assert!(suff < text, "suff before lvlText: {level}");
        }
    }
}

#[test]
fn properties_come_from_the_article() {
    let a = article();
    let parts = parts(&render(&a));
    let core = part(&parts, "docProps/core.xml");
    let text = |name: &str| core_property(core, name);
    assert_eq!(text("title").as_deref(), Some(a.meta.title.as_str()));
    assert_eq!(text("creator").as_deref(), Some(a.meta.author.as_str()));
    assert_eq!(text("language").as_deref(), Some(a.meta.lang.as_str()));
    assert!(!core.contains("unknown"));
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn w<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

fn is_w(node: &roxmltree::Node, name: &str) -> bool {
    node.tag_name().namespace() == Some(W) && node.tag_name().name() == name
}

/// The text of a paragraph (or any element): its `w:t` in order.
fn text_in(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| is_w(n, "t"))
        .filter_map(|n| n.text())
        .collect()
}

/// Every citation is a hyperlink whose text is its label ("[1]", "[2-4]", numbered by first
/// citation) and whose anchor is a bookmark on the entry of its first number; every entry carries
/// its bookmark; DOI and PMID link out.
#[test]
fn citations_link_to_bookmarked_entries() {
    for a in [article(), every_feature()] {
        let parts = parts(&render(&a));
        let document = part(&parts, "word/document.xml");
        let doc = roxmltree::Document::parse(document).expect("document.xml");
        // Bookmark name -> the text of the paragraph it starts in.
        let bookmarks: BTreeMap<String, String> = doc
            .descendants()
            .filter(|n| is_w(n, "bookmarkStart"))
            .map(|n| {
                let p = n
                    .ancestors()
                    .find(|a| is_w(a, "p"))
                    .expect("in a paragraph");
                (w(n, "name").expect("a name").to_string(), text_in(p))
            })
            .collect();
        let order = citation_order(&a);
        let mut expected = Vec::new();
        a.walk(&mut |_, item| {
            if let handout::model::Item::Cite(ids) = item {
                let first = ids
                    .iter()
                    .filter_map(|id| a.references.iter().position(|r| &r.id == id))
                    .filter_map(|i| order.iter().position(|&o| o == i))
                    .min()
                    .expect("a cited entry")
                    + 1;
                expected.push((citation_label(&a, ids), first));
            }
        });
        let links: Vec<(String, String)> = doc
            .descendants()
            .filter(|n| is_w(n, "hyperlink"))
            .filter_map(|n| w(n, "anchor").map(|anchor| (text_in(n), anchor.to_string())))
            .collect();
        assert_eq!(
            links.len(),
            expected.len(),
            "one link per citation: {links:?}"
        );
        for ((text, anchor), (label, first)) in links.iter().zip(&expected) {
            assert_eq!(text, label, "the citation's text");
            let entry = bookmarks
                .get(anchor)
                .unwrap_or_else(|| panic!("{label} links to {anchor}, which is no bookmark"));
            assert!(
                entry.starts_with(&format!("[{first}]")),
                "{label} links to {anchor}, on {entry:?}, not entry [{first}]"
            );
        }
        for (n, &i) in order.iter().enumerate() {
            let holder = bookmarks
                .values()
                .find(|t| t.starts_with(&format!("[{}]", n + 1)));
            let holder = holder.unwrap_or_else(|| panic!("entry [{}] has no bookmark", n + 1));
            let fields = reference_fields(&a.references[i]);
            assert!(
                holds_in_order(&fold(holder), &fields),
                "{holder:?} lacks {fields:?}"
            );
        }
    }
    let parts = parts(&render(&article()));
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(rels.contains("https://doi.org/10.1007/s12015-020-10016-7"));
    assert!(rels.contains("https://pubmed.ncbi.nlm.nih.gov/32725316/"));
}

/// Run properties as a style or a run sets them.
#[derive(Debug, Clone, Default)]
struct RunProps {
    east_asia: Option<String>,
    ascii: Option<String>,
    bold: Option<bool>,
}

fn run_props(rpr: Option<roxmltree::Node>) -> RunProps {
    let Some(rpr) = rpr else {
        return RunProps::default();
    };
    let fonts = rpr.children().find(|n| is_w(n, "rFonts"));
    let bold = rpr
        .children()
        .find(|n| is_w(n, "b"))
        .map(|b| !matches!(w(b, "val"), Some("0" | "false" | "off")));
    RunProps {
        east_asia: fonts.and_then(|f| w(f, "eastAsia")).map(str::to_string),
        ascii: fonts.and_then(|f| w(f, "ascii")).map(str::to_string),
        bold,
    }
}

/// styles.xml as Word reads it: the document defaults and each style with its base.
struct Styles {
    defaults: RunProps,
    styles: BTreeMap<String, (Option<String>, RunProps)>,
}

impl Styles {
    fn parse(xml: &str) -> Styles {
        let doc = roxmltree::Document::parse(xml).expect("styles.xml");
        let defaults = run_props(
            doc.descendants()
                .find(|n| is_w(n, "rPrDefault"))
                .and_then(|d| d.children().find(|n| is_w(n, "rPr"))),
        );
        let styles = doc
            .descendants()
            .filter(|n| is_w(n, "style"))
            .map(|s| {
                let based_on = s
                    .children()
                    .find(|n| is_w(n, "basedOn"))
                    .and_then(|b| w(b, "val"))
                    .map(str::to_string);
                let props = run_props(s.children().find(|n| is_w(n, "rPr")));
                (
                    w(s, "styleId").expect("an id").to_string(),
                    (based_on, props),
                )
            })
            .collect();
        Styles { defaults, styles }
    }

    /// A style and its bases, the style first.
    fn chain(&self, id: Option<&str>) -> Vec<&RunProps> {
        let mut out = Vec::new();
        let mut at = id.map(str::to_string);
        while let Some(s) = at.and_then(|id| self.styles.get(&id)) {
            out.push(&s.1);
            at = s.0.clone();
        }
        out
    }

    /// The family and boldness a run is set in (ECMA-376 17.7.2): direct formatting, then the
    /// character style, then the paragraph style, then the defaults; bold is a toggle property, so a
    /// bold character style in a bold paragraph style is not bold (17.7.3).
    fn face(
        &self,
        pstyle: Option<&str>,
        rstyle: Option<&str>,
        direct: &RunProps,
        cjk: bool,
    ) -> (String, bool) {
        let (pchain, rchain) = (self.chain(pstyle), self.chain(rstyle));
        let font = |p: &RunProps| {
            if cjk {
                p.east_asia.clone()
            } else {
                p.ascii.clone()
            }
        };
        let family = std::iter::once(direct)
            .chain(rchain.iter().copied())
            .chain(pchain.iter().copied())
            .chain(std::iter::once(&self.defaults))
            .find_map(font)
            .expect("a font for every run");
        let mut bold = self.defaults.bold.unwrap_or(false);
        for p in pchain.iter().rev().chain(rchain.iter().rev()) {
            if p.bold == Some(true) {
                bold = !bold;
            }
        }
        if let Some(b) = direct.bold {
            bold = b;
        }
        (family, bold)
    }
}

/// Characters Word takes the East Asian font for.
fn east_asian(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Chinese counting numerals (Word's chineseCounting), the test's own.
fn chinese_counting(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

/// The list markers Word draws, paragraph by paragraph: from numbering.xml, counting each list's
/// items (a number restarts when a list of a lower level intervenes).
/// Keyed by where each paragraph starts in the part.
fn list_markers(numbering: &str, document: &roxmltree::Document) -> BTreeMap<usize, String> {
    let num = roxmltree::Document::parse(numbering).expect("numbering.xml");
    // abstractNum id -> level -> (format, text, start)
    let mut abstracts: BTreeMap<String, BTreeMap<String, (String, String, usize)>> =
        BTreeMap::new();
    for a in num.descendants().filter(|n| is_w(n, "abstractNum")) {
        let levels = a
            .children()
            .filter(|n| is_w(n, "lvl"))
            .map(|l| {
                let child = |name: &str| {
                    l.children()
                        .find(|n| is_w(n, name))
                        .and_then(|n| w(n, "val"))
                        .unwrap_or("")
                        .to_string()
                };
                let start = child("start").parse().unwrap_or(1);
                (
                    w(l, "ilvl").expect("ilvl").to_string(),
                    (child("numFmt"), child("lvlText"), start),
                )
            })
            .collect();
        abstracts.insert(w(a, "abstractNumId").expect("an id").to_string(), levels);
    }
    // num id -> (abstract id, level -> start override)
    let mut nums: BTreeMap<String, (String, BTreeMap<String, usize>)> = BTreeMap::new();
    for n in num.descendants().filter(|n| is_w(n, "num")) {
        let abstract_id = n
            .children()
            .find(|c| is_w(c, "abstractNumId"))
            .and_then(|c| w(c, "val"))
            .expect("an abstractNumId")
            .to_string();
        let overrides = n
            .children()
            .filter(|c| is_w(c, "lvlOverride"))
            .filter_map(|o| {
                let start = o
                    .children()
                    .find(|c| is_w(c, "startOverride"))
                    .and_then(|c| w(c, "val"))?
                    .parse()
                    .ok()?;
                Some((w(o, "ilvl")?.to_string(), start))
            })
            .collect();
        nums.insert(
            w(n, "numId").expect("an id").to_string(),
            (abstract_id, overrides),
        );
    }
    let mut counters: BTreeMap<(String, usize), usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for p in document.descendants().filter(|n| is_w(n, "p")) {
        let Some(numpr) = p.descendants().find(|n| is_w(n, "numPr")) else {
            continue;
        };
        let val = |name: &str| {
            numpr
                .children()
                .find(|n| is_w(n, name))
                .and_then(|n| w(n, "val"))
                .expect("numPr values")
                .to_string()
        };
        let (num_id, ilvl) = (val("numId"), val("ilvl"));
        let level: usize = ilvl.parse().expect("a level");
        let (abstract_id, overrides) = &nums[&num_id];
        let (format, text, start) = abstracts[abstract_id][&ilvl].clone();
        let start = overrides.get(&ilvl).copied().unwrap_or(start);
        counters.retain(|(id, l), _| !(id == &num_id && *l > level));
        let n = counters
            .entry((num_id.clone(), level))
            .and_modify(|n| *n += 1)
            .or_insert(start);
        let shown = match format.as_str() {
            "decimal" => n.to_string(),
            "chineseCounting" => chinese_counting(*n),
            _ => String::new(),
        };
        out.insert(
            p.range().start,
            text.replace(&format!("%{}", level + 1), &shown),
        );
    }
    out
}

/// The characters each face sets, as Word resolves the styles: the text of every run, list markers,
/// the digits of the page number fields and of footnote numbers.
fn characters_per_face(parts: &[(String, Vec<u8>)]) -> BTreeMap<(String, bool), BTreeSet<char>> {
    let styles = Styles::parse(part(parts, "word/styles.xml"));
    let mut used: BTreeMap<(String, bool), BTreeSet<char>> = BTreeMap::new();
    for name in [
        "word/document.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "word/footnotes.xml",
    ] {
        if !parts.iter().any(|(n, _)| n == name) {
            continue;
        }
        let doc = roxmltree::Document::parse(part(parts, name)).expect(name);
        let markers = list_markers(part(parts, "word/numbering.xml"), &doc);
        for p in doc.descendants().filter(|n| is_w(n, "p")) {
            let ppr = p.children().find(|n| is_w(n, "pPr"));
            let pstyle = ppr
                .and_then(|ppr| ppr.children().find(|n| is_w(n, "pStyle")))
                .and_then(|s| w(s, "val"));
            let mut add = |text: &str, rstyle: Option<&str>, direct: &RunProps| {
                for c in text.chars().filter(|c| !c.is_control()) {
                    let face = styles.face(pstyle, rstyle, direct, east_asian(c));
                    used.entry(face).or_default().insert(c);
                }
            };
            if let Some(marker) = markers.get(&p.range().start) {
                add(marker, None, &RunProps::default());
            }
            for r in p.descendants().filter(|n| is_w(n, "r")) {
                let rpr = r.children().find(|n| is_w(n, "rPr"));
                let rstyle = rpr
                    .and_then(|rpr| rpr.children().find(|n| is_w(n, "rStyle")))
                    .and_then(|s| w(s, "val"));
                let direct = run_props(rpr);
                let text: String = r
                    .children()
                    .filter(|n| is_w(n, "t"))
                    .filter_map(|n| n.text())
                    .collect();
                add(&text, rstyle, &direct);
                if r.children().any(|n| is_w(&n, "instrText")) {
                    add("0123456789", rstyle, &direct);
                }
                // A footnote's number, in the text and before the note.
                let reference = r.children().find(|n| is_w(n, "footnoteReference"));
                let own = r
                    .children()
                    .any(|n| is_w(&n, "footnoteRef"))
                    .then(|| r.ancestors().find(|n| is_w(n, "footnote")))
                    .flatten();
                if let Some(id) = reference.or(own).and_then(|n| w(n, "id")) {
                    add(id, rstyle, &direct);
                }
            }
        }
    }
    used
}

/// The embedded faces, de-obfuscated with the key fontTable.xml gives each: (family, bold) -> font.
fn embedded_faces(parts: &[(String, Vec<u8>)]) -> BTreeMap<(String, bool), Vec<u8>> {
    let ft = roxmltree::Document::parse(part(parts, "word/fontTable.xml")).expect("fontTable");
    let rl =
        roxmltree::Document::parse(part(parts, "word/_rels/fontTable.xml.rels")).expect("rels");
    let mut out = BTreeMap::new();
    for font in ft.descendants().filter(|n| is_w(n, "font")) {
        let family = w(font, "name").expect("a name").to_string();
        for embed in font
            .children()
            .filter(|n| n.tag_name().name().starts_with("embed"))
        {
            let bold = embed.tag_name().name().contains("Bold");
            let rid = embed.attribute((R, "id")).expect("r:id");
            let key = w(embed, "fontKey").expect("fontKey");
            let target = rl
                .descendants()
                .find(|n| n.attribute("Id") == Some(rid))
                .and_then(|n| n.attribute("Target"))
                .expect("a relationship");
            let mut data = parts
                .iter()
                .find(|(n, _)| *n == format!("word/{target}"))
                .expect("the font part")
                .1
                .clone();
            let hex: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
            assert_eq!(hex.len(), 32, "{key}");
            let g: Vec<u8> = (0..16)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
                .collect();
            for i in 0..32 {
                data[i] ^= g[15 - i % 16];
            }
            out.insert((family.clone(), bold), data);
        }
    }
    out
}

/// Asserts that every character each face sets (as Word resolves the styles) is in that face's
/// embedded subset, whose cmap maps it; each subset is small.
fn assert_every_character_is_in_its_embedded_face(a: &Article) {
    let parts = parts(&render(a));
    let faces = embedded_faces(&parts);
    let used = characters_per_face(&parts);
    assert!(used.len() >= 3, "{} faces set text", used.len());
    for ((family, bold), chars) in &used {
        let data = faces
            .get(&(family.clone(), *bold))
            .unwrap_or_else(|| panic!("{family} (bold {bold}) sets {chars:?} but is not embedded"));
        let face = ttf_parser::Face::parse(data, 0).expect("a font");
        let lacking: String = chars
            .iter()
            .filter(|&&c| face.glyph_index(c).is_none())
            .collect();
        assert!(
            lacking.is_empty(),
            "{family} (bold {bold}) lacks {lacking:?} of the {} characters it sets",
            chars.len()
        );
        assert!(
            data.len() < 2_000_000,
            "{family} is not subset: {} bytes",
            data.len()
        );
    }
}

#[test]
fn embedded_fonts_are_subset_with_a_cmap() {
    assert_every_character_is_in_its_embedded_face(&article());
    assert_every_character_is_in_its_embedded_face(&every_feature());
}

/// Strong text in a heading: the Strong character style (bold) inside a bold heading style is not
/// bold in Word (bold is a toggle property, ECMA-376 17.7.3), so it is set in Noto Sans SC Regular,
/// which must then hold its characters. (LibreOffice 7.4 does not toggle and sets it bold, so its
/// conversion does not show the gap.)
#[test]
fn strong_text_in_a_heading_is_in_the_face_word_sets_it_in() {
    let source = EVERY_FEATURE.replace(
        r#"{"heading": {"level": 3, "content": ["三级标题"]}}"#,
        r#"{"heading": {"level": 3, "content": ["三级", {"emph": ["标题"]}, {"strong": ["重点"]}]}}"#,
    );
    let a: Article = serde_json::from_str(&source).expect("parses");
    assert_every_character_is_in_its_embedded_face(&a);
}

// ---- Round trips through other programs ------------------------------------------------------

fn tool(name: &str) -> PathBuf {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    found.unwrap_or_else(|| {
        panic!(
            "{name} is not installed: install libreoffice-writer-nogui, poppler-utils and pandoc"
        )
    })
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text compared without white space, with ASCII and full-width punctuation made the same, and
/// without hyphens (pdftotext joins "IL-" at a line end to "6" on the next as "IL6"); raised and
/// lowered digits as digits (pandoc writes "10⁶" for a superscript).
fn fold(s: &str) -> String {
    const RAISED: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    const LOWERED: &str = "₀₁₂₃₄₅₆₇₈₉";
    let digit = |c: char| {
        let at = |set: &str| set.chars().position(|d| d == c);
        at(RAISED)
            .or(at(LOWERED))
            .and_then(|n| char::from_digit(n as u32, 10))
    };
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| digit(c).unwrap_or(c))
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            '、' => ',',
            '。' => '.',
            c => c,
        })
        .collect()
}

/// Whether `pieces` are all in `text` (folded), in order.
fn holds_in_order(text: &str, pieces: &[String]) -> bool {
    let mut at = 0;
    for piece in pieces {
        match text[at..].find(&fold(piece)) {
            Some(i) => at += i + fold(piece).len(),
            None => return false,
        }
    }
    true
}

/// The paragraphs of the article a reader must find in `extracted`, each in its place after the one
/// before: those missing, or found only out of place.
fn missing_paragraphs(a: &Article, extracted: &str) -> Vec<String> {
    let got = fold(extracted);
    let mut at = 0;
    let mut missing = Vec::new();
    for (_, pieces) in styled_paragraphs(a) {
        let first = fold(&pieces[0]);
        if first.is_empty() {
            continue;
        }
        // The paragraph starts where its first piece is next found; the rest follow it in order.
        let found = got[at..]
            .match_indices(&first)
            .map(|(i, _)| at + i)
            .find(|&start| holds_in_order(&got[start..], &pieces));
        match found {
            Some(start) => at = start + first.len(),
            None => missing.push(pieces.join(" … ")),
        }
    }
    missing
}

/// The system's fontconfig setup minus every font that covers Simplified Chinese.
const NO_CJK_FONTCONFIG: &str = r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="lang"><string>zh-cn</string></patelt></pattern>
    <pattern><patelt name="family"><string>Noto Serif SC</string></patelt></pattern>
    <pattern><patelt name="family"><string>Noto Sans SC</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"#;

fn write_docx(dir: &Path, a: &Article) -> PathBuf {
    let file = dir.join("article.docx");
    std::fs::write(&file, render(a)).expect("written");
    file
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils, pandoc"]
fn libreoffice_sets_every_paragraph_in_the_embedded_fonts() {
    libreoffice_sets(
        &article(),
        &[
            "NotoSerifSC-Regular",
            "NotoSansSC-Regular",
            "NotoSansSC-Bold",
        ],
        &["一、神经再生", "二、营养因子", "•"],
    );
    libreoffice_sets(
        &every_feature(),
        &[
            "NotoSerifSC-Regular",
            "NotoSerifSC-Bold",
            "NotoSansSC-Regular",
            "NotoSansSC-Bold",
        ],
        &[
            "3.第三项",
            "4.第四项",
            "一、子项一",
            "二、子项二",
            "•孙项",
            "第1页/共1页",
        ],
    );
}

/// Converts a docx to PDF with LibreOffice, with every Chinese system font hidden, in `dir`.
fn libreoffice_pdf(dir: &Path, docx: &Path) -> PathBuf {
    let soffice = tool("soffice");
    let profile = dir.join("profile");
    let fontconfig = dir.join("fonts.conf");
    std::fs::write(&fontconfig, NO_CJK_FONTCONFIG).expect("written");
    run(Command::new(&soffice)
        .env("FONTCONFIG_FILE", &fontconfig)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx));
    let pdf = docx.with_extension("pdf");
    assert!(pdf.is_file(), "LibreOffice wrote no PDF");
    pdf
}

/// Converts the article's docx to PDF with LibreOffice and checks the faces in the PDF (all
/// embedded) and its text, list markers and footer included. The PDF (in the folder given back) and
/// its text, for more checks.
fn libreoffice_sets(
    a: &Article,
    faces: &[&str],
    markers: &[&str],
) -> (tempfile::TempDir, PathBuf, String) {
    let pdffonts = tool("pdffonts");
    let pdftotext = tool("pdftotext");
    let dir = tempfile::tempdir().expect("a temp dir");
    let docx = write_docx(dir.path(), a);
    let pdf = libreoffice_pdf(dir.path(), &docx);
    let fonts = run(Command::new(&pdffonts).arg(&pdf));
    for face in faces {
        assert!(
            fonts.contains(&format!("+{face} ")),
            "{face} not in the PDF:\n{fonts}"
        );
    }
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // Columns: name, type (one or two words), encoding, emb, sub, uni, object, ID.
        if let Some(emb) = cols.len().checked_sub(5).and_then(|i| cols.get(i)) {
            assert_eq!(*emb, "yes", "not embedded: {line}");
        }
        // A character missing from a subset would be set in some other font.
        assert!(
            line.contains("+Noto"),
            "a face other than the embedded ones: {line}"
        );
    }
    let text = run(Command::new(&pdftotext).arg(&pdf).arg("-"));
    let folded = fold(&text);
    for marker in markers {
        assert!(folded.contains(&fold(marker)), "no {marker} in:\n{text}");
    }
    let missing = missing_paragraphs(a, &text);
    assert!(
        missing.is_empty(),
        "pdftotext lacks:\n{}",
        missing.join("\n")
    );
    (dir, pdf, text)
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils, pandoc"]
fn pandoc_reads_every_paragraph() {
    pandoc_reads(&article());
    pandoc_reads(&every_feature());
    pandoc_reads(&rich::rich().article);
}

fn pandoc_reads(a: &Article) {
    let pandoc = tool("pandoc");
    let dir = tempfile::tempdir().expect("a temp dir");
    let docx = write_docx(dir.path(), a);
    let text = run(Command::new(&pandoc)
        .args(["-f", "docx", "-t", "plain", "--wrap=none", "--standalone"])
        .arg(&docx));
    let missing = missing_paragraphs(a, &text);
    assert!(missing.is_empty(), "pandoc lacks:\n{}", missing.join("\n"));
}

/// The text a reader sees of inlines, straight from the model: texts, link texts, citation labels
/// numbered by first citation (the test's own numbering).
fn inline_text(a: &Article, inlines: &[Inline]) -> String {
    text_with_notes(a, inlines, "")
}

/// The same text, cut where a note is cited: a reader shows the note's number there ("1", "[1]").
fn inline_pieces(a: &Article, inlines: &[Inline]) -> Vec<String> {
    text_with_notes(a, inlines, "\u{1}")
        .split('\u{1}')
        .map(str::to_string)
        .collect()
}

/// The text of inlines with `note` where a note is cited (its text is elsewhere).
fn text_with_notes(a: &Article, inlines: &[Inline], note: &str) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Sup(c) | Inline::Sub(c) => {
                text_with_notes(a, c, note)
            }
            Inline::Cite(ids) => citation_label(a, ids),
            Inline::Link(l) => text_with_notes(a, &l.content, note),
            Inline::Note(_) => note.to_string(),
        })
        .collect()
}

/// A term and its text as one paragraph: joined by a colon; a blank term is no term.
fn term_and_text(a: &Article, term: &[Inline], content: &[Inline]) -> String {
    let term = inline_text(a, term);
    let content = inline_text(a, content);
    if term.trim().is_empty() {
        content
    } else if content.is_empty() {
        term
    } else {
        format!("{term}:{content}")
    }
}

/// Every paragraph of the article with the style an editor must find on it, in reading order, each
/// as the pieces it must hold in order: a whole text, or a reference entry's label and raw fields.
fn styled_paragraphs(a: &Article) -> Vec<(&'static str, Vec<String>)> {
    let mut out = vec![("Title", vec![a.meta.title.clone()])];
    // Tables and figures so far.
    let mut numbers = (0, 0);
    for block in &a.blocks {
        block_styles(a, block, false, &mut numbers, &mut out);
    }
    for (n, i) in citation_order(a).into_iter().enumerate() {
        let mut pieces = vec![format!("[{}]", n + 1)];
        pieces.extend(reference_fields(&a.references[i]));
        out.push(("Bibliography", pieces));
    }
    let notices = [
        ("Disclaimer", a.disclaimer.as_ref()),
        ("Copyright", a.copyright.as_ref()),
    ];
    for (style, notice) in notices {
        let Some(notice) = notice else { continue };
        for (i, p) in notice.paragraphs.iter().enumerate() {
            let text = if i == 0 {
                term_and_text(a, &[Inline::Text(notice.label.clone())], p)
            } else {
                inline_text(a, p)
            };
            out.push((style, vec![text]));
        }
    }
    out.retain(|(_, pieces)| !pieces[0].trim().is_empty());
    out
}

/// The paragraphs of a block, `boxed` inside an aside. Table cells and
/// footnotes are not among the body's paragraphs (python-docx leaves them out of `paragraphs`, other
/// readers put notes elsewhere): their texts are checked apart. A figure's own paragraph holds only
/// its picture.
fn block_styles(
    a: &Article,
    block: &Block,
    boxed: bool,
    numbers: &mut (usize, usize),
    out: &mut Vec<(&'static str, Vec<String>)>,
) {
    let body = if boxed { "Aside" } else { "Normal" };
    match block {
        Block::Heading(h) => {
            let style = match h.level {
                1 => "Heading 1",
                2 => "Heading 2",
                _ => "Heading 3",
            };
            out.push((style, vec![inline_text(a, &h.content)]));
        }
        Block::Paragraph(p) => out.push((body, inline_pieces(a, p))),
        Block::Labelled(l) => out.push((body, vec![term_and_text(a, &l.term, &l.content)])),
        Block::List(l) => list_styles(a, l, boxed, out),
        Block::Table(t) => {
            numbers.0 += 1;
            let label = format!("表{}", numbers.0);
            out.push(("Caption", vec![label, inline_text(a, &t.caption)]));
        }
        Block::Figure(f) => {
            numbers.1 += 1;
            let label = format!("图{}", numbers.1);
            out.push(("Caption", vec![label, inline_text(a, &f.caption)]));
        }
        Block::Quote(q) => {
            for p in &q.paragraphs {
                out.push(("Quote", vec![inline_text(a, p)]));
            }
            if !q.source.is_empty() {
                let source = format!("——{}", inline_text(a, &q.source));
                out.push(("Quote Source", vec![source]));
            }
        }
        Block::Aside(x) => {
            out.push(("Aside Label", vec![x.label.clone()]));
            for b in &x.blocks {
                block_styles(a, b, true, numbers, out);
            }
        }
    }
}

fn list_styles(a: &Article, list: &List, boxed: bool, out: &mut Vec<(&'static str, Vec<String>)>) {
    let style = match (list.style, boxed) {
        (handout::model::ListStyle::Bullet, false) => "List Bullet",
        (_, false) => "List Number",
        (handout::model::ListStyle::Bullet, true) => "Aside List Bullet",
        (_, true) => "Aside List Number",
    };
    for item in &list.items {
        out.push((style, vec![term_and_text(a, &item.term, &item.content)]));
        for child in &item.children {
            list_styles(a, child, boxed, out);
        }
    }
}

/// A Python that has python-docx: the one on PATH, or Debian's (python3-docx installs there).
fn python_with_docx() -> PathBuf {
    for python in ["python3", "/usr/bin/python3"] {
        let ok = Command::new(python)
            .args(["-c", "import docx"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return PathBuf::from(python);
        }
    }
    panic!("no python3 with python-docx: install python3-docx (.ci/run does)")
}

#[test]
#[ignore = "needs python3-docx"]
fn python_docx_sees_every_paragraph_in_its_style() {
    // Text of each paragraph, hyperlinks included (python-docx 0.8 leaves them out of .text).
    const SCRIPT: &str = r#"
import docx, json, sys
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
print(json.dumps([[p.style.name, "".join(t.text or "" for t in p._p.iter(qn("w:t")))] for p in d.paragraphs]))
"#;
    for a in [article(), every_feature(), rich::rich().article] {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = write_docx(dir.path(), &a);
        let out = run(Command::new(python_with_docx())
            .arg("-c")
            .arg(SCRIPT)
            .arg(&file));
        let seen: Vec<(String, String)> =
            serde_json::from_str(&out).expect("JSON from python-docx");
        let mut at = 0;
        for (style, pieces) in styled_paragraphs(&a) {
            // Each paragraph of the article is the next one python-docx sees that holds its pieces.
            let found = seen[at..]
                .iter()
                .position(|(_, t)| holds_in_order(&fold(t), &pieces));
            let Some(i) = found else {
                panic!("python-docx does not see {pieces:?} (after paragraph {at}): {seen:?}")
            };
            assert_eq!(seen[at + i].0, style, "style of {pieces:?}");
            at += i + 1;
        }
    }
}

#[test]
#[ignore = "needs unzip"]
fn unzip_finds_the_package_sound() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_docx(dir.path(), &article());
    let out = run(Command::new(tool("unzip")).arg("-t").arg(&file));
    assert!(out.contains("No errors detected"), "{out}");
}

// ---- Every article in source/, read back whole --------------------------------------------------

/// Asserts that `text`, a reader's view of the DOCX of `article`, holds every text of the model: the
/// body in order, the notes in order, each table cell; the alt texts when the reader shows them.
fn assert_reads_back(article: &Article, text: &str, alts: Option<&str>, what: &str) {
    common::assert_every_text_in(article, text, what);
    for place in [Place::Note, Place::Cell] {
        common::assert_every_text_at(article, place, text, what);
    }
    if let Some(alts) = alts {
        common::assert_every_text_at(article, Place::Alt, alts, what);
    }
}

/// pandoc reads every text of every article in source/ from its DOCX (as HTML: each table cell
/// whole, the footnotes at the end).
#[test]
#[ignore = "needs LibreOffice, poppler-utils, pandoc"]
fn pandoc_reads_every_text_of_every_article() {
    let pandoc = tool("pandoc");
    for (path, article) in common::articles() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let docx = write_docx(dir.path(), &article);
        let html = run(Command::new(&pandoc)
            .args(["-f", "docx", "-t", "html", "--wrap=none", "--standalone"])
            .arg(&docx));
        let what = format!("pandoc's reading of {}", path.display());
        assert_reads_back(&article, &common::html_text(&html), None, &what);
    }
}

/// LibreOffice reads every text of every article in source/ from its DOCX (saved as HTML: tables,
/// footnotes and all).
#[test]
#[ignore = "needs LibreOffice, poppler-utils, pandoc"]
fn libreoffice_reads_every_text_of_every_article() {
    let soffice = tool("soffice");
    for (path, article) in common::articles() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let docx = write_docx(dir.path(), &article);
        run(Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.path().join("profile").display()
            ))
            .args(["--headless", "--convert-to", "html", "--outdir"])
            .arg(dir.path())
            .arg(&docx));
        let html = std::fs::read_to_string(dir.path().join("article.html"))
            .expect("LibreOffice wrote the HTML");
        let what = format!("LibreOffice's reading of {}", path.display());
        assert_reads_back(&article, &common::html_text(&html), None, &what);
    }
}

/// python-docx reads every text of every article in source/ from its DOCX: the body's paragraphs
/// (table cells included) in order, the footnotes part, the pictures' descriptions (descr).
#[test]
#[ignore = "needs python3-docx"]
fn python_docx_reads_every_text_of_every_article() {
    const SCRIPT: &str = r#"
import docx, json, sys
from docx.oxml.ns import qn
from lxml import etree
d = docx.Document(sys.argv[1])
text = lambda e: "".join(t.text or "" for t in e.iter(qn("w:t")))
body = [text(p) for p in d.element.body.iter(qn("w:p"))]
notes = []
for part in d.part.package.iter_parts():
    if str(part.partname) == "/word/footnotes.xml":
        notes = [text(p) for p in etree.fromstring(part.blob).iter(qn("w:p"))]
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
alts = [e.get("descr") or "" for e in d.element.body.iter(WP)]
print(json.dumps({"body": body, "notes": notes, "alts": alts}))
"#;
    for (path, article) in common::articles() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = write_docx(dir.path(), &article);
        let out = run(Command::new(python_with_docx())
            .arg("-c")
            .arg(SCRIPT)
            .arg(&file));
        let seen: serde_json::Value = serde_json::from_str(&out).expect("JSON from python-docx");
        let lines = |key: &str| -> String {
            let items = seen[key].as_array().expect("a list");
            let texts: Vec<&str> = items.iter().filter_map(|v| v.as_str()).collect();
            texts.join("\n")
        };
        let what = format!("python-docx's reading of {}", path.display());
        let body = format!("{}\n{}", lines("body"), lines("notes"));
        assert_reads_back(&article, &body, Some(&lines("alts")), &what);
    }
}
