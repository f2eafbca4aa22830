//! Tables, figures, quotes and asides in the PDF, end to end: the fixture article
//! (tests/fixtures/blocks.json, its images made here) read back with lopdf (images embedded as their
//! own bytes and once each, alt text and table structure in the tag tree), checked by qpdf, and a
//! 120-row table read page by page with pdftotext; a table too wide for the page refused by the
//! command with its place in the source.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use handout::{Format, Options};
use lopdf::{Document, Object, ObjectId, Stream};

// ---- The fixture --------------------------------------------------------------------------------

/// A PNG of the given colour type and depth, rows of `pixels` (samples as the type has them).
fn png(
    width: u32,
    height: u32,
    color: png::ColorType,
    palette: Option<&[u8]>,
    pixels: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(p) = palette {
        encoder.set_palette(p.to_vec());
    }
    let mut writer = encoder.write_header().expect("a PNG header");
    writer.write_image_data(pixels).expect("PNG rows");
    writer.finish().expect("a whole PNG");
    out
}

/// A bar chart: white ground, three bars, RGB without alpha.
fn chart_png() -> Vec<u8> {
    let (w, h) = (480u32, 300u32);
    let mut px = vec![255u8; (w * h * 3) as usize];
    let bars = [
        (60, 140, 80, [74, 122, 181]),
        (200, 280, 140, [200, 85, 61]),
        (340, 420, 60, [74, 122, 181]),
    ];
    for y in 0..h {
        for x in 0..w {
            let i = ((y * w + x) * 3) as usize;
            for &(x0, x1, top, colour) in &bars {
                if x >= x0 && x < x1 && y >= top && y < 280 {
                    px[i..i + 3].copy_from_slice(&colour);
                }
            }
            if y == 280 {
                px[i..i + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    png(w, h, png::ColorType::Rgb, None, &px)
}

/// A half-transparent disc: RGBA.
fn badge_png() -> Vec<u8> {
    let side = 200u32;
    let mut px = Vec::with_capacity((side * side * 4) as usize);
    for y in 0..side {
        for x in 0..side {
            let (dx, dy) = (x as f32 - 100.0, y as f32 - 100.0);
            let alpha = if dx * dx + dy * dy < 90.0 * 90.0 {
                150
            } else {
                0
            };
            px.extend_from_slice(&[200, 60, 60, alpha]);
        }
    }
    png(side, side, png::ColorType::Rgba, None, &px)
}

/// Four colour squares, as a palette image.
fn palette_png() -> Vec<u8> {
    let palette = [230, 60, 50, 40, 90, 200, 60, 170, 90, 250, 200, 40];
    let px: Vec<u8> = (0..40u32 * 40)
        .map(|i| ((i % 40) / 20 + 2 * ((i / 40) / 20)) as u8)
        .collect();
    png(40, 40, png::ColorType::Indexed, Some(&palette), &px)
}

/// A photo-like gradient, as a baseline RGB JPEG.
fn photo_jpeg() -> Vec<u8> {
    let (w, h) = (600u32, 400u32);
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x * 255 / w) as u8, (y * 255 / h) as u8, 150]);
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode(&px, w, h, image::ExtendedColorType::Rgb8)
        .expect("a JPEG");
    out
}

/// The fixture's images by the names it gives them.
fn images() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("images/chart.png", chart_png()),
        ("images/photo.jpg", photo_jpeg()),
        ("images/badge.png", badge_png()),
        ("images/palette.png", palette_png()),
    ]
}

/// The fixture article and its images, written into a temporary folder.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let source = dir.path().join("blocks.json");
    std::fs::copy(common::root().join("tests/fixtures/blocks.json"), &source).expect("copied");
    std::fs::create_dir(dir.path().join("images")).expect("an images folder");
    for (name, bytes) in images() {
        std::fs::write(dir.path().join(name), bytes).expect("an image written");
    }
    (dir, source)
}

fn render_file(source: &Path) -> Vec<u8> {
    let loaded = handout::load(source).expect("the fixture loads");
    handout::render_source(&loaded, Format::Pdf, &Options::default()).expect("the PDF renders")
}

/// The fixture's PDF, written beside it.
fn fixture_pdf() -> (tempfile::TempDir, PathBuf, Document) {
    let (dir, source) = fixture();
    let bytes = render_file(&source);
    let file = dir.path().join("blocks.pdf");
    std::fs::write(&file, &bytes).expect("the PDF is written");
    let doc = Document::load_mem(&bytes).expect("lopdf reads the PDF");
    (dir, file, doc)
}

// ---- Reading the PDF back -----------------------------------------------------------------------

fn name_of<'a>(d: &'a lopdf::Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    d.get(key).ok().and_then(|o| o.as_name().ok())
}

/// Every image XObject of the file, by object number.
fn image_streams(doc: &Document) -> Vec<(ObjectId, &Stream)> {
    doc.objects
        .iter()
        .filter_map(|(&id, o)| o.as_stream().ok().map(|s| (id, s)))
        .filter(|(_, s)| name_of(&s.dict, b"Subtype") == Some(b"Image"))
        .collect()
}

/// The images drawn by the pages (soft masks are not drawn by themselves), once each.
fn drawn_images(doc: &Document) -> Vec<ObjectId> {
    let mut ids = Vec::new();
    for (_, page) in doc.get_pages() {
        let Ok(resources) = doc.get_page_resources(page) else {
            continue;
        };
        let dicts = resources.0.into_iter().chain(
            resources
                .1
                .iter()
                .filter_map(|&id| doc.get_dictionary(id).ok()),
        );
        for d in dicts {
            let Ok(xobjects) = d.get(b"XObject").and_then(Object::as_dict) else {
                continue;
            };
            for (_, o) in xobjects.iter() {
                if let Ok(id) = o.as_reference()
                    && !ids.contains(&id)
                {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

/// The structure elements of the file: (type, /Alt).
fn structure(doc: &Document) -> Vec<(String, Option<String>)> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| name_of(d, b"Type") == Some(b"StructElem"))
        .map(|d| {
            let tag = String::from_utf8_lossy(name_of(d, b"S").unwrap_or_default()).into_owned();
            let alt = d.get(b"Alt").ok().and_then(|a| a.as_str().ok()).map(utf16);
            (tag, alt)
        })
        .collect()
}

/// A PDF text string (UTF-16BE with its byte order mark) as text.
fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

// ---- Tests ----------------------------------------------------------------------------------------

#[test]
fn a_jpeg_is_embedded_as_the_file_s_own_bytes() {
    let (_dir, _file, doc) = fixture_pdf();
    let photo = photo_jpeg();
    let jpegs: Vec<&Stream> = image_streams(&doc)
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| name_of(&s.dict, b"Filter") == Some(b"DCTDecode"))
        .collect();
    assert_eq!(jpegs.len(), 1, "one JPEG in the fixture");
    assert!(jpegs[0].content == photo, "the JPEG's bytes were changed");
    assert_eq!(
        name_of(&jpegs[0].dict, b"ColorSpace"),
        Some(&b"DeviceRGB"[..])
    );
    assert_eq!(
        jpegs[0].dict.get(b"Width").and_then(Object::as_i64).ok(),
        Some(600)
    );
}

#[test]
fn each_image_is_embedded_once_however_often_it_is_drawn() {
    let (_dir, _file, doc) = fixture_pdf();
    // Five figures, four files: the chart is drawn twice.
    let drawn = drawn_images(&doc);
    assert_eq!(drawn.len(), 4, "{drawn:?}");
    let masks = image_streams(&doc).len() - drawn.len();
    assert_eq!(masks, 1, "one soft mask, the badge's");
}

#[test]
fn a_png_without_alpha_keeps_its_rows_and_one_with_alpha_gets_a_soft_mask() {
    let (_dir, _file, doc) = fixture_pdf();
    let streams = image_streams(&doc);
    let chart_rows = handout::image::png_idat(&chart_png());
    let chart = streams
        .iter()
        .find(|(_, s)| s.content == chart_rows)
        .expect("the chart's own compressed rows");
    let parms = chart
        .1
        .dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .expect("parms");
    assert_eq!(
        parms.get(b"Predictor").and_then(Object::as_i64).ok(),
        Some(15)
    );
    assert_eq!(parms.get(b"Colors").and_then(Object::as_i64).ok(), Some(3));
    assert_eq!(
        parms.get(b"Columns").and_then(Object::as_i64).ok(),
        Some(480)
    );
    let palette_rows = handout::image::png_idat(&palette_png());
    let palette = streams
        .iter()
        .find(|(_, s)| s.content == palette_rows)
        .expect("the palette image's own rows");
    let space = palette
        .1
        .dict
        .get(b"ColorSpace")
        .and_then(Object::as_array)
        .expect("an array");
    assert_eq!(space[0].as_name().ok(), Some(&b"Indexed"[..]));
    let masked: Vec<_> = streams
        .iter()
        .filter(|(_, s)| s.dict.has(b"SMask"))
        .collect();
    assert_eq!(masked.len(), 1, "the badge has a soft mask");
    let mut pixels = masked[0].1.clone();
    pixels.decompress().expect("deflated pixels");
    assert_eq!(pixels.content.len(), 200 * 200 * 3);
}

#[test]
fn figures_carry_their_alt_text_and_tables_their_structure() {
    let (_dir, _file, doc) = fixture_pdf();
    let elements = structure(&doc);
    let alts: Vec<&str> = elements
        .iter()
        .filter(|(tag, _)| tag == "Figure")
        .filter_map(|(_, alt)| alt.as_deref())
        .collect();
    let source: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("tests/fixtures/blocks.json")).expect("read"),
    )
    .expect("JSON");
    let expected: Vec<&str> = source["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .filter_map(|b| b["figure"]["alt"].as_str())
        .collect();
    assert_eq!(alts, expected);
    let count = |t: &str| elements.iter().filter(|(tag, _)| tag == t).count();
    assert_eq!(count("Table"), 2);
    assert_eq!(count("Caption"), 2 + 5);
    assert_eq!(count("TH"), 4 + 2 + 3);
    assert_eq!(count("TR"), 2 + 5 + 1 + 3);
    assert_eq!(count("BlockQuote"), 1);
    assert_eq!(count("Div"), 2);
}

#[test]
fn every_text_of_the_fixture_is_read_back_in_its_place() {
    let (dir, source) = fixture();
    let bytes = render_file(&source);
    let mut article = handout::load(&source).expect("loads").article;
    // The alt text is for readers who cannot see the image: in the structure tree, not on the page.
    for block in &mut article.blocks {
        if let handout::model::Block::Figure(f) = block {
            f.alt.clear();
        }
    }
    let text = common::pdf_text(&bytes, article.meta.running_title());
    common::assert_every_text_in(&article, &text, "the fixture's PDF");
    drop(dir);
}

#[test]
#[ignore = "needs mupdf-tools"]
fn mutool_draws_the_fixture_without_a_warning() {
    common::require("mutool", "mupdf-tools");
    let (dir, file, doc) = fixture_pdf();
    let pattern = dir.path().join("page-%d.png");
    let out = Command::new("mutool")
        .args(["draw", "-q", "-r", "36", "-o"])
        .arg(&pattern)
        .arg(&file)
        .output()
        .expect("mutool runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    // Debian's mutool is built without colour management and says so for every file it draws.
    let complaints: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && *l != "warning: ICC support is not available")
        .collect();
    assert!(
        out.status.success() && complaints.is_empty(),
        "mutool draw: {complaints:?}"
    );
    let drawn = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .count();
    assert_eq!(drawn, doc.get_pages().len());
}

#[test]
#[ignore = "needs qpdf"]
fn qpdf_finds_no_error_in_the_fixture() {
    common::require("qpdf", "qpdf");
    let (_dir, file, _) = fixture_pdf();
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&file)
        .output()
        .expect("qpdf runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !text.contains("WARNING"),
        "qpdf --check:\n{text}"
    );
}

/// The cells of row `n` of the long table.
fn row_cells(n: usize) -> [String; 4] {
    [
        format!("第{n}行"),
        format!("ID-{n:03}"),
        format!("{n}.5"),
        format!("{}", n * 3),
    ]
}

/// An article of one short paragraph and a table of `rows` rows, each row's cells marked with its
/// number.
fn long_table_article(rows: usize) -> serde_json::Value {
    let body: Vec<serde_json::Value> = (1..=rows)
        .map(|n| serde_json::json!(row_cells(n)))
        .collect();
    serde_json::json!({
        "meta": { "title": "长表", "author": "测试" },
        "blocks": [
            { "paragraph": ["下表有一百二十行。"] },
            { "table": {
                "caption": ["随访记录"],
                "columns": [{}, {}, { "align": "decimal" }, { "align": "right" }],
                "head": [["行号", "样本编号", "评分", "天数"]],
                "body": body
            } }
        ],
        "disclaimer": { "label": "免责说明", "paragraphs": [["仅供测试。"]] }
    })
}

/// The text of each page, as pdftotext lays it out.
fn pages_text(pdf: &Path) -> Vec<String> {
    common::require("pdftotext", "poppler-utils");
    let count = Document::load(pdf)
        .expect("lopdf reads it")
        .get_pages()
        .len();
    (1..=count)
        .map(|p| {
            let page = p.to_string();
            let out = Command::new("pdftotext")
                .args(["-layout", "-f", &page, "-l", &page])
                .arg(pdf)
                .arg("-")
                .output()
                .expect("pdftotext runs");
            assert!(out.status.success(), "pdftotext failed on page {p}");
            String::from_utf8(out.stdout).expect("UTF-8")
        })
        .collect()
}

#[test]
#[ignore = "needs pdftotext"]
fn a_120_row_table_spans_three_pages_with_its_head_and_continued_caption() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let source = dir.path().join("long.json");
    std::fs::write(&source, long_table_article(120).to_string()).expect("written");
    let file = dir.path().join("long.pdf");
    std::fs::write(&file, render_file(&source)).expect("the PDF is written");
    let pages = pages_text(&file);
    // The page and line each row is found on: all its cells on one line of one page, once.
    let compact = |line: &str| line.split_whitespace().collect::<String>();
    let mut row_pages = Vec::new();
    for n in 1..=120 {
        let row = row_cells(n).concat();
        let found: Vec<(usize, usize)> = pages
            .iter()
            .enumerate()
            .flat_map(|(p, text)| text.lines().enumerate().map(move |(l, line)| (p, l, line)))
            .filter(|(_, _, line)| compact(line) == row)
            .map(|(p, l, _)| (p, l))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "row {n} ({row}) found whole {} times",
            found.len()
        );
        row_pages.push(found[0]);
    }
    for w in row_pages.windows(2) {
        assert!(w[1] > w[0], "rows out of order: {:?}", w);
    }
    let table_pages: Vec<usize> = {
        let mut v: Vec<usize> = row_pages.iter().map(|(p, _)| *p).collect();
        v.dedup();
        v
    };
    assert_eq!(
        table_pages,
        vec![0, 1, 2],
        "the table is expected on pages 1 to 3"
    );
    // pdftotext spaces out the quarter em between Han and Latin: lines are compared without spaces.
    for (p, text) in pages.iter().enumerate().take(3) {
        let lines: Vec<String> = text
            .lines()
            .map(compact)
            .filter(|l| !l.is_empty())
            .collect();
        let head = lines
            .iter()
            .position(|l| l.contains("行号") && l.contains("样本编号") && l.contains("天数"));
        let head = head.unwrap_or_else(|| panic!("page {}: no header row", p + 1));
        let first_row = lines.iter().position(|l| l.contains("ID-")).unwrap_or(0);
        assert!(
            head < first_row,
            "page {}: the header is not above the rows",
            p + 1
        );
        let caption = if p == 0 { "表1" } else { "续表1" };
        let caption_line = lines
            .iter()
            .position(|l| l.contains(caption) && l.contains("随访记录"));
        let caption_line = caption_line.unwrap_or_else(|| panic!("page {}: no {caption}", p + 1));
        assert!(
            caption_line < head,
            "page {}: the caption is not above the header",
            p + 1
        );
        assert_eq!(compact(text).contains("续表1"), p > 0, "page {}", p + 1);
    }
}

#[test]
fn a_table_too_wide_is_refused_naming_it_with_its_place_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let row: Vec<String> = (0..14).map(|_| "1234567.125".to_string()).collect();
    let article = serde_json::json!({
        "meta": { "title": "宽表", "author": "测试" },
        "blocks": [
            { "paragraph": ["前文。"] },
            { "table": { "caption": ["十四列的数据"], "body": [row] } }
        ],
        "disclaimer": { "label": "免责说明", "paragraphs": [["仅供测试。"]] }
    });
    let source = dir.path().join("wide.json");
    std::fs::write(
        &source,
        serde_json::to_string_pretty(&article).expect("JSON"),
    )
    .expect("written");
    let out = common::handout(dir.path(), &["pdf", "wide.json", "-o", "wide.pdf"]);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("wide.json:"), "{err}");
    assert!(err.contains("blocks[1].table"), "{err}");
    assert!(
        err.contains("表1") && err.contains("十四列的数据") && err.contains("too wide"),
        "{err}"
    );
    assert!(!dir.path().join("wide.pdf").exists(), "a PDF was written");
    // The error is located: file:line:column.
    let located = err.lines().any(|l| {
        l.split(':')
            .nth(2)
            .is_some_and(|n| n.trim().parse::<usize>().is_ok())
    });
    assert!(located, "{err}");
}
