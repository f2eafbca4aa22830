//! The PDF handout, end to end: reproducible bytes, and (with poppler-utils and qpdf installed) a file
//! that qpdf accepts, with every font embedded and subset with a /ToUnicode map, and every paragraph's
//! text given back by pdftotext.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{
    CLREQ_NO_LINE_END, CLREQ_NO_LINE_START, HANGING_CLOSING_MARKS, Place, assert_every_text_at,
    assert_every_text_in, canonical, pdf_info, pdf_text,
};
use handout::model::{Article, Block, Inline};
use handout::walk::NotePlacement;
use handout::{Format, Options};

fn seed() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    handout::source::load(&path).expect("the seed article loads")
}

fn render(article: &Article) -> Vec<u8> {
    handout::render(article, Format::Pdf, &Options::default()).expect("the PDF renders")
}

/// The seed rendered into a temporary folder.
fn rendered() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("article.pdf");
    std::fs::write(&file, render(&seed())).expect("the PDF is written");
    (dir, file)
}

/// Runs a tool, failing loudly when it is not installed.
fn run(tool: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} cannot run ({e}): install poppler-utils and qpdf (apt-get install -y poppler-utils qpdf)")
    });
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn two_renders_give_identical_bytes() {
    let article = seed();
    let one = render(&article);
    let two = render(&article);
    assert!(one.starts_with(b"%PDF-"));
    assert!(one == two, "two renders of one article differ");
}

#[test]
fn a_character_no_font_has_is_refused() {
    let mut article = seed();
    article
        .blocks
        .push(Block::Paragraph(vec![Inline::Text("𓀀".into())]));
    let err = handout::render(&article, Format::Pdf, &Options::default())
        .expect_err("a missing glyph is an error");
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("U+13000"), "{err}");
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn qpdf_finds_no_error() {
    let (_dir, file) = rendered();
    let (ok, out) = run("qpdf", &["--check", &file.to_string_lossy()]);
    assert!(ok, "qpdf --check failed:\n{out}");
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn every_font_is_embedded_subset_and_mapped_to_unicode() {
    let (_dir, file) = rendered();
    let (ok, out) = run("pdffonts", &[&file.to_string_lossy()]);
    assert!(ok, "pdffonts failed:\n{out}");
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (two words), encoding, emb, sub, uni, object, generation
        let n = cols.len();
        assert!(n >= 8, "{row}");
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
        assert!(
            cols[0].chars().nth(6) == Some('+'),
            "not a subset name: {row}"
        );
    }
}

/// Every text of every article in source/, read back by pdftotext, with the notes at the foot of
/// their pages and at the end: the body in order, the notes in order, each table cell, and each
/// figure's alt text in the tag structure (/Alt).
#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn pdftotext_gives_back_every_paragraph() {
    for (path, article) in common::articles() {
        for notes in [NotePlacement::Foot, NotePlacement::End] {
            let what = format!("pdftotext of {} (notes {notes:?})", path.display());
            let options = Options {
                notes,
                ..Options::default()
            };
            let pdf = handout::render(&article, Format::Pdf, &options).expect("the PDF renders");
            let dir = tempfile::tempdir().expect("a temporary folder");
            let file = dir.path().join("article.pdf");
            std::fs::write(&file, &pdf).expect("the PDF is written");
            let (ok, out) = run(
                "pdftotext",
                &["-enc", "UTF-8", &file.to_string_lossy(), "-"],
            );
            assert!(ok, "{what} failed:\n{out}");
            // Page furniture (header, footer) can fall inside a paragraph that crosses a page: drop it.
            let running = canonical(article.meta.running_title());
            let lines: Vec<String> = out
                .lines()
                .map(canonical)
                .filter(|l| *l != running && !(l.starts_with('第') && l.contains("页/共")))
                .collect();
            let text = lines.concat();
            // A paragraph that crosses a page is read on either side of the notes at the page's foot.
            assert_every_text_in(&article, &without_notes(&article, &text), &what);
            for place in [Place::Note, Place::Cell] {
                assert_every_text_at(&article, place, &text, &what);
            }
            let alts = alt_texts(&pdf);
            assert_every_text_at(&article, Place::Alt, &alts, &format!("/Alt of {what}"));
        }
    }
}

/// Canonical text without the notes' texts, each taken out once, in order, with the number before it.
fn without_notes(article: &Article, text: &str) -> String {
    let mut out = text.to_string();
    let mut from = 0;
    for (_, note) in common::texts_at(article, Place::Note) {
        let note = canonical(&note);
        let Some(i) = out[from..].find(&note).map(|i| from + i) else {
            continue;
        };
        let number = out[..i]
            .trim_end_matches('.')
            .trim_end_matches(|c: char| c.is_ascii_digit());
        let start = if out[..i].ends_with('.') {
            number.len()
        } else {
            i
        };
        out.replace_range(start..i + note.len(), "");
        from = start;
    }
    out
}

/// Every /Alt text string of a PDF, one a line.
fn alt_texts(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let mut out = String::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if let Ok(lopdf::Object::String(bytes, _)) = dict.get(b"Alt") {
            out.push_str(&text_string(bytes));
            out.push('\n');
        }
    }
    out
}

/// A PDF text string: UTF-16BE after its byte order mark, else PDFDocEncoding (Latin-1 for the
/// characters that matter here).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[test]
#[ignore = "needs poppler-utils"]
fn extracted_lines_keep_the_line_breaking_rules() {
    let (_dir, pdf) = rendered();
    let (ok, text) = run("pdftotext", &[pdf.to_str().expect("UTF-8 path"), "-"]);
    assert!(ok, "pdftotext failed: {text}");
    let mut lines = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        assert!(
            !line.starts_with(|c| CLREQ_NO_LINE_START.contains(c)),
            "a line starts with a closing mark: {line:?}"
        );
        assert!(
            !line.ends_with(|c| CLREQ_NO_LINE_END.contains(c)),
            "a line ends with an opening mark: {line:?}"
        );
    }
    assert!(lines > 150, "only {lines} lines extracted");
}

/// pdftotext's words with where they end: (text, xMax).
fn words_with_their_right_edge(pdf: &Path) -> Vec<(String, f32)> {
    let (ok, html) = run(
        "pdftotext",
        &["-bbox", pdf.to_str().expect("UTF-8 path"), "-"],
    );
    assert!(ok, "pdftotext failed: {html}");
    html.split("<word ")
        .skip(1)
        .map(|part| {
            let x_max: f32 = part
                .split("xMax=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .expect("xMax of a word");
            let word = part
                .split('>')
                .nth(1)
                .unwrap_or("")
                .trim_end_matches("</word")
                .to_string();
            (word, x_max)
        })
        .collect()
}

/// Nothing runs past the right edge of the text block but a line-end closing mark, which hangs by
/// the blank half of its em (10.5 pt body: 5.25 pt) that it gives up.
#[test]
#[ignore = "needs poppler-utils"]
fn no_line_runs_past_the_right_edge() {
    let (_dir, pdf) = rendered();
    let edge = handout::layout::Geometry::default().right() + 0.05;
    let words = words_with_their_right_edge(&pdf);
    let mut hanging = 0;
    for (word, x_max) in &words {
        let hangs = word.ends_with(|c| HANGING_CLOSING_MARKS.contains(c));
        let limit = if hangs { edge + 5.25 } else { edge };
        assert!(
            *x_max <= limit,
            "{word:?} ends at {x_max} pt, past the text block ({limit} pt)"
        );
        assert!(
            *x_max > handout::layout::Geometry::default().left,
            "{word:?} outside the text block"
        );
        hanging += usize::from(hangs && *x_max > edge);
    }
    assert!(words.len() > 150, "only {} words extracted", words.len());
    assert!(
        hanging > 0,
        "no closing mark hangs: the allowance is not exercised"
    );
}

#[test]
#[ignore = "needs mupdf-tools and poppler-utils"]
fn mutool_draws_every_page_without_a_warning() {
    let (dir, pdf) = rendered();
    let pattern = dir.path().join("page-%d.png");
    let (ok, out) = run(
        "mutool",
        &[
            "draw",
            "-q",
            "-r",
            "36",
            "-o",
            pattern.to_str().expect("UTF-8 path"),
            pdf.to_str().expect("UTF-8 path"),
        ],
    );
    assert!(ok, "mutool draw failed: {out}");
    // Debian's mutool is built without colour management and says so for every file it draws.
    let complaints: Vec<&str> = out
        .lines()
        .filter(|l| !l.trim().is_empty() && *l != "warning: ICC support is not available")
        .collect();
    assert!(complaints.is_empty(), "mutool draw: {complaints:?}");
    let pages = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .count();
    assert_eq!(pages, 6, "pages drawn");
}

// ---- The document's structure, read back with lopdf -----------------------------------------------

const STRUCTURED: &str = r#"{
  "meta": {"title": "结构测试", "subtitle": "副标题", "author": "作者甲", "date": "2025-03-07",
           "keywords": ["干细胞", "渐冻症"], "summary": "摘要文字。", "lang": "zh-CN"},
  "blocks": [
    {"heading": {"level": 1, "content": ["背景"]}},
    {"paragraph": ["背景正文。"]},
    {"heading": {"level": 2, "content": ["研究方法"]}},
    {"heading": {"level": 3, "content": ["样本"]}},
    {"paragraph": ["样本正文。"]},
    {"heading": {"level": 3, "content": ["统计"]}},
    {"paragraph": ["统计正文。"]},
    {"heading": {"level": 2, "content": ["结果"]}},
    {"paragraph": ["结果正文。"]},
    {"heading": {"level": 1, "content": ["讨论"]}},
    {"paragraph": ["讨论正文", {"cite": ["a"]}, "。"]}
  ],
  "references": [{"id": "a", "type": "book", "title": "书名", "publisher": "出版社"}],
  "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
}"#;

fn structured() -> (Article, lopdf::Document, Vec<u8>) {
    let article: Article =
        handout::source::parse(Path::new("s.json"), STRUCTURED).expect("the test article loads");
    let bytes = render(&article);
    let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads the PDF");
    (article, doc, bytes)
}

/// A PDF text string (UTF-16BE with its byte order mark, or PDFDocEncoding ASCII) as text.
fn text_of(object: &lopdf::Object) -> String {
    let bytes = object.as_str().expect("a string");
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
            .collect();
        String::from_utf16(&units).expect("UTF-16")
    } else {
        String::from_utf8(bytes.to_vec()).expect("ASCII")
    }
}

/// An outline entry: its title, its page (from 1), and its children.
#[derive(Debug, PartialEq)]
struct Entry {
    title: String,
    page: u32,
    children: Vec<Entry>,
}

/// The outline below `parent`, checking each entry's links: /Parent, /Prev, /Next, /Last, /Count.
fn outline_below(doc: &lopdf::Document, parent: lopdf::ObjectId) -> Vec<Entry> {
    let pages: BTreeMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let dict = doc.get_dictionary(parent).expect("an outline dictionary");
    let mut out = Vec::new();
    let mut previous: Option<lopdf::ObjectId> = None;
    let mut next = dict.get(b"First").and_then(|f| f.as_reference()).ok();
    while let Some(id) = next {
        let item = doc.get_dictionary(id).expect("an outline item");
        let reference = |key: &[u8]| item.get(key).and_then(|o| o.as_reference()).ok();
        assert_eq!(reference(b"Parent"), Some(parent), "/Parent of {id:?}");
        assert_eq!(reference(b"Prev"), previous, "/Prev of {id:?}");
        let dest = item
            .get(b"Dest")
            .and_then(|d| d.as_array())
            .expect("a /Dest");
        let page = pages[&dest[0].as_reference().expect("a page")];
        let children = outline_below(doc, id);
        let count = item.get(b"Count").and_then(|c| c.as_i64()).unwrap_or(0);
        let descendants = fn_descendants(&children);
        assert_eq!(
            count, descendants as i64,
            "/Count of {id:?} (open, all descendants)"
        );
        out.push(Entry {
            title: text_of(item.get(b"Title").expect("a /Title")),
            page,
            children,
        });
        previous = Some(id);
        next = reference(b"Next");
    }
    let last = dict.get(b"Last").and_then(|l| l.as_reference()).ok();
    assert_eq!(last, previous, "/Last of {parent:?}");
    out
}

fn fn_descendants(entries: &[Entry]) -> usize {
    entries
        .iter()
        .map(|e| 1 + fn_descendants(&e.children))
        .sum()
}

fn leaf(title: &str, page: u32) -> Entry {
    Entry {
        title: title.into(),
        page,
        children: vec![],
    }
}

/// The outline nests the headings by level, each entry pointing at the page of its heading; the
/// reference list's heading is a top-level entry.
#[test]
fn bookmarks_nest_by_heading_level() {
    let (_, doc, _) = structured();
    let catalog = doc.catalog().expect("a catalog");
    let root = catalog
        .get(b"Outlines")
        .and_then(|o| o.as_reference())
        .expect("/Outlines");
    let outline = outline_below(&doc, root);
    let expected = vec![
        Entry {
            title: "背景".into(),
            page: 1,
            children: vec![
                Entry {
                    title: "研究方法".into(),
                    page: 1,
                    children: vec![leaf("样本", 1), leaf("统计", 1)],
                },
                leaf("结果", 1),
            ],
        },
        leaf("讨论", 1),
        leaf("参考文献", 1),
    ];
    assert_eq!(outline, expected);
    let top = doc.get_dictionary(root).expect("the outline root");
    assert_eq!(
        top.get(b"Count").and_then(|c| c.as_i64()).ok(),
        Some(fn_descendants(&expected) as i64)
    );
}

/// Info and XMP carry the article's title, author, keywords and language (and the summary as the
/// subject), as the README says.
#[test]
fn info_and_xmp_carry_title_author_keywords_and_language() {
    let (article, doc, bytes) = structured();
    let info = pdf_info(&doc);
    let field = |key: &[u8]| info.get(key).map(text_of).ok();
    assert_eq!(field(b"Title").as_deref(), Some("结构测试"));
    assert_eq!(field(b"Author").as_deref(), Some("作者甲"));
    assert_eq!(field(b"Keywords").as_deref(), Some("干细胞, 渐冻症"));
    assert_eq!(field(b"Subject").as_deref(), Some("摘要文字。"));
    assert_eq!(field(b"CreationDate").as_deref(), Some("D:20250307000000Z"));

    let catalog = doc.catalog().expect("a catalog");
    let lang = catalog.get(b"Lang").map(text_of).ok();
    assert_eq!(lang.as_deref(), Some(article.meta.lang.as_str()));
    let metadata = catalog
        .get(b"Metadata")
        .and_then(|m| m.as_reference())
        .and_then(|r| doc.get_object(r))
        .and_then(|o| o.as_stream())
        .expect("a /Metadata stream");
    let xml = String::from_utf8(metadata.content.clone()).expect("XMP is UTF-8");
    assert!(
        bytes.windows(xml.len()).any(|w| w == xml.as_bytes()),
        "the XMP packet is not findable by a byte scan (compressed?)"
    );
    let xml = xml.trim_start_matches(|c| c != '<');
    let body = &xml[xml.find("<x:xmpmeta").expect("xmpmeta")..xml.rfind("<?xpacket").expect("end")];
    let xmp = roxmltree::Document::parse(body).expect("well-formed XMP");
    let value = |name: &str| -> Vec<String> {
        xmp.descendants()
            .filter(|n| n.tag_name().name() == name)
            .flat_map(|n| {
                let items: Vec<String> = n
                    .descendants()
                    .filter(|d| d.tag_name().name() == "li")
                    .filter_map(|d| d.text().map(str::to_string))
                    .collect();
                if items.is_empty() {
                    n.text().map(str::to_string).into_iter().collect()
                } else {
                    items
                }
            })
            .collect()
    };
    assert_eq!(value("title"), vec!["结构测试"]);
    assert_eq!(value("creator"), vec!["作者甲"]);
    assert_eq!(value("language"), vec!["zh-CN"]);
    assert_eq!(value("Keywords"), vec!["干细胞, 渐冻症"]);
    assert_eq!(value("CreateDate"), vec!["2025-03-07"]);
}

/// The trailer's /ID is two equal 16-byte strings: the first 16 bytes of the SHA-256 of the file
/// with the /ID itself zeroed; so it changes with any change of the content and with nothing else.
#[test]
fn the_file_identifier_is_a_hash_of_the_content() {
    use sha2::{Digest, Sha256};
    let id_of = |bytes: &[u8]| -> Vec<u8> {
        let doc = lopdf::Document::load_mem(bytes).expect("lopdf reads the PDF");
        let ids = doc
            .trailer
            .get(b"ID")
            .and_then(|i| i.as_array())
            .expect("an /ID");
        assert_eq!(ids.len(), 2);
        let first = ids[0].as_str().expect("a string").to_vec();
        assert_eq!(
            first,
            ids[1].as_str().expect("a string"),
            "the two halves differ"
        );
        assert_eq!(first.len(), 16);
        first
    };
    let (article, _, bytes) = structured();
    let id = id_of(&bytes);
    let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
    let written = format!("<{hex}>").into_bytes();
    let at: Vec<usize> = (0..bytes.len() - written.len())
        .filter(|&i| bytes[i..i + written.len()] == written[..])
        .collect();
    assert_eq!(at.len(), 2, "the /ID is written as two hex strings");
    let mut zeroed = bytes.clone();
    for i in at {
        zeroed[i + 1..i + 33].copy_from_slice("0".repeat(32).as_bytes());
    }
    let digest = Sha256::digest(&zeroed);
    assert_eq!(
        id,
        digest[..16].to_vec(),
        "/ID is not the hash of the content"
    );

    assert_eq!(id_of(&render(&article)), id, "same content, same /ID");
    let mut changed = article.clone();
    changed.meta.author = "作者乙".into();
    assert_ne!(
        id_of(&render(&changed)),
        id,
        "another content, the same /ID"
    );
}

/// Citations link to their entries in the list, each to the page and place of its entry.
#[test]
fn every_citation_links_to_its_entry() {
    let article = seed();
    let doc = lopdf::Document::load_mem(&render(&article)).expect("lopdf reads the PDF");
    let mut internal = 0;
    for (_, page) in doc.get_pages() {
        for annot in doc.get_page_annotations(page).expect("annotations") {
            let Ok(dest) = annot.get(b"Dest").and_then(|d| d.as_array()) else {
                continue;
            };
            internal += 1;
            let target = dest[0].as_reference().expect("a page");
            assert!(
                doc.get_pages().values().any(|&p| p == target),
                "a link to no page"
            );
        }
    }
    let citations = {
        let mut n = 0;
        article
            .walk(&mut |_, item| n += usize::from(matches!(item, handout::model::Item::Cite(_))));
        n
    };
    assert!(
        internal >= citations,
        "{internal} internal links for {citations} citations"
    );
}

/// The sans faces draw the middle dot with the bullet's glyph; copied back, each must still be
/// itself ("约翰·史密斯", not "约翰•史密斯").
#[test]
fn a_middle_dot_beside_a_bullet_copies_back_as_a_middle_dot() {
    let source = r#"{
      "meta": {"title": "测试", "author": "作者"},
      "blocks": [
        {"list": {"style": "bullet", "items": [{"content": ["第一项"]}]}},
        {"heading": {"level": 1, "content": ["约翰·史密斯的研究"]}},
        {"paragraph": ["正文。"]}
      ],
      "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
    }"#;
    let article = handout::source::parse(Path::new("t.json"), source).expect("loads");
    let text = pdf_text(&render(&article), "测试");
    assert!(text.contains("•第一项"), "{text}");
    assert!(text.contains("约翰·史密斯的研究"), "{text}");
}
