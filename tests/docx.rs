//! The Word writer: reproducible bytes, well-formed parts, embedded fonts; and, with LibreOffice,
//! poppler-utils and pandoc installed (`cargo test -- --ignored`), that other programs read back every
//! paragraph and use the embedded fonts.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use handout::model::{Article, Block, Inline, List};
use handout::references::{Numbering, format_plain};
use handout::runs::{RunOptions, runs};

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
/// that does not exist, a huge list start.
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
            {"list": deep}
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
    let options = handout::Options::new(
        Default::default(),
        Some(PathBuf::from("/nonexistent/fonts")),
    );
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
    let strong_emph = r#"<w:rPr><w:rStyle w:val="Emphasis" /><w:b /><w:bCs /></w:rPr>"#;
    assert!(document.contains(strong_emph), "rStyle first in rPr");
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
    let doc = roxmltree::Document::parse(core).expect("core.xml");
    let text = |name: &str| {
        doc.descendants()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(text("title").as_deref(), Some(a.meta.title.as_str()));
    assert_eq!(text("creator").as_deref(), Some(a.meta.author.as_str()));
    assert_eq!(text("language").as_deref(), Some(a.meta.lang.as_str()));
    assert!(!core.contains("unknown"));
}

#[test]
fn citations_link_to_bookmarked_entries() {
    let a = article();
    let parts = parts(&render(&a));
    let document = part(&parts, "word/document.xml");
    let n = Numbering::new(&a).order.len();
    for i in 1..=n {
        assert!(
            document.contains(&format!(r#"w:name="ref_{i}""#)),
            "bookmark ref_{i}"
        );
    }
    assert!(
        document.contains(r#"w:anchor="ref_1""#),
        "a citation links to entry 1"
    );
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(rels.contains("https://doi.org/10.1007/s12015-020-10016-7"));
    assert!(rels.contains("https://pubmed.ncbi.nlm.nih.gov/32725316/"));
}

/// The fonts in the package, de-obfuscated with the key fontTable.xml gives them.
#[test]
fn embedded_fonts_are_subset_with_a_cmap() {
    let parts = parts(&render(&article()));
    let table = part(&parts, "word/fontTable.xml");
    let rels = part(&parts, "word/_rels/fontTable.xml.rels");
    let ft = roxmltree::Document::parse(table).expect("fontTable");
    let rl = roxmltree::Document::parse(rels).expect("rels");
    let mut seen = 0;
    for embed in ft
        .descendants()
        .filter(|n| n.tag_name().name().starts_with("embed"))
    {
        let rid = embed
            .attributes()
            .find(|a| a.name() == "id")
            .expect("r:id")
            .value();
        let key = embed
            .attributes()
            .find(|a| a.name() == "fontKey")
            .expect("fontKey")
            .value();
        let target = rl
            .descendants()
            .find(|n| n.attribute("Id") == Some(rid))
            .and_then(|n| n.attribute("Target"))
            .expect("a relationship");
        let mut font = parts
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
            font[i] ^= g[15 - i % 16];
        }
        let face = ttf_parser::Face::parse(&font, 0).expect("a font");
        assert!(
            face.glyph_index('的').is_some() || face.glyph_index('1').is_some(),
            "{target}: cmap"
        );
        assert!(
            font.len() < 2_000_000,
            "{target} is not subset: {} bytes",
            font.len()
        );
        seen += 1;
    }
    assert!(seen >= 3, "{seen} faces embedded");
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
/// without hyphens (pdftotext joins "IL-" at a line end to "6" on the next as "IL6").
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
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

/// Every paragraph of the article as the writers set it (punctuation rules applied).
fn paragraphs(a: &Article) -> Vec<String> {
    styled_paragraphs(a)
        .into_iter()
        .map(|(_, text)| text)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

fn missing_paragraphs(a: &Article, extracted: &str) -> Vec<String> {
    let got = fold(extracted);
    paragraphs(a)
        .into_iter()
        .filter(|p| !got.contains(&fold(p)))
        .collect()
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

/// Converts the article's docx to PDF with LibreOffice, with every Chinese system font hidden, and
/// checks the faces in the PDF (all embedded) and its text, list markers and footer included.
fn libreoffice_sets(a: &Article, faces: &[&str], markers: &[&str]) {
    let soffice = tool("soffice");
    let pdffonts = tool("pdffonts");
    let pdftotext = tool("pdftotext");
    let dir = tempfile::tempdir().expect("a temp dir");
    let docx = write_docx(dir.path(), a);
    let profile = dir.path().join("profile");
    let fontconfig = dir.path().join("fonts.conf");
    std::fs::write(&fontconfig, NO_CJK_FONTCONFIG).expect("written");
    run(Command::new(&soffice)
        .env("FONTCONFIG_FILE", &fontconfig)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx));
    let pdf = dir.path().join("article.pdf");
    assert!(pdf.is_file(), "LibreOffice wrote no PDF");
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
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils, pandoc"]
fn pandoc_reads_every_paragraph() {
    pandoc_reads(&article());
    pandoc_reads(&every_feature());
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

/// Every paragraph of the article with the style an editor must find on it, in reading order.
fn styled_paragraphs(a: &Article) -> Vec<(&'static str, String)> {
    let numbering = Numbering::new(a);
    let options = RunOptions {
        numbering: &numbering,
        keep_punctuation: false,
    };
    let text = |term: Option<&[Inline]>, content: &[Inline]| {
        runs(term, content, options)
            .into_iter()
            .map(|r| r.text)
            .collect::<String>()
    };
    let mut out = vec![("Title", handout::runs::plain(&a.meta.title, false))];
    for block in &a.blocks {
        match block {
            Block::Heading(h) => {
                let style =
                    ["Heading 1", "Heading 2", "Heading 3"][usize::from(h.level.clamp(1, 3)) - 1];
                out.push((style, text(None, &h.content)));
            }
            Block::Paragraph(p) => out.push(("Normal", text(None, p))),
            Block::Labelled(l) => out.push(("Normal", text(Some(&l.term), &l.content))),
            Block::List(l) => list_styles(l, &text, &mut out),
        }
    }
    for &i in &numbering.order {
        out.push(("Bibliography", format_plain(&a.references[i])));
    }
    let notices = [
        ("Disclaimer", Some(&a.disclaimer)),
        ("Copyright", a.copyright.as_ref()),
    ];
    for (style, notice) in notices {
        let Some(notice) = notice else { continue };
        let label = [Inline::Text(notice.label.clone())];
        for (i, p) in notice.paragraphs.iter().enumerate() {
            out.push((style, text((i == 0).then_some(&label[..]), p)));
        }
    }
    out
}

fn list_styles(
    list: &List,
    text: &dyn Fn(Option<&[Inline]>, &[Inline]) -> String,
    out: &mut Vec<(&'static str, String)>,
) {
    let style = match list.style {
        handout::model::ListStyle::Bullet => "List Bullet",
        _ => "List Number",
    };
    for item in &list.items {
        out.push((style, text(Some(&item.term), &item.content)));
        for child in &item.children {
            list_styles(child, text, out);
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
    for a in [article(), every_feature()] {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = write_docx(dir.path(), &a);
        let out = run(Command::new(python_with_docx())
            .arg("-c")
            .arg(SCRIPT)
            .arg(&file));
        let seen: Vec<(String, String)> =
            serde_json::from_str(&out).expect("JSON from python-docx");
        let mut at = 0;
        for (style, text) in styled_paragraphs(&a) {
            let want = fold(&text);
            let found = seen[at..].iter().position(|(_, t)| {
                fold(t) == want || (!want.is_empty() && fold(t).contains(&want))
            });
            let Some(i) = found else {
                panic!("python-docx does not see {text:?} (after paragraph {at}): {seen:?}")
            };
            assert_eq!(seen[at + i].0, style, "style of {text:?}");
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
