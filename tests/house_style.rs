//! The house style on the page: every paper size sets the seed within its text block, with its
//! header and footer in place and its body lines justified; the Word document takes the same paper;
//! a team's notices, logo, footer and link colour reach the handouts.

mod common;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use common::*;
use handout::layout::{Document, Geometry, LayoutOptions};
use handout::style::{Paper, Style};
use handout::{Format, Options};

fn laid_out(article: &handout::model::Article, style: &Style) -> Document {
    let fonts = handout::fonts::Fonts::locate(None).expect("the fonts");
    handout::layout::layout(article, &fonts, LayoutOptions::default(), style).expect("laid out")
}

fn options(style: Style) -> Options {
    Options {
        style: Arc::new(style),
        ..Options::default()
    }
}

fn docx_part(docx: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut file = zip.by_name(name).ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8");
    Some(text)
}

/// The lines of a page's body text: (baseline, left of the first glyph, right of the last).
fn lines(doc: &Document, page: usize) -> Vec<(f32, f32, f32)> {
    let mut lines: Vec<(f32, f32, f32)> = Vec::new();
    for g in &doc.pages[page].glyphs {
        match lines.last_mut() {
            Some(l) if (l.0 - g.y).abs() < 0.01 => {
                l.1 = l.1.min(g.x);
                l.2 = l.2.max(g.x + g.advance);
            }
            _ => lines.push((g.y, g.x, g.x + g.advance)),
        }
    }
    lines
}

#[test]
fn every_paper_sets_the_seed_inside_its_text_block_with_header_and_footer_in_place() {
    let article = seed_article();
    for paper in Paper::ALL {
        let style = Style::for_paper(paper);
        let g = Geometry::of(&style);
        let doc = laid_out(&article, &style);
        assert_eq!(doc.page_size, paper.size(), "{paper:?}");
        assert!(doc.pages.len() >= 3, "{paper:?}: {} pages", doc.pages.len());
        for (p, page) in doc.pages.iter().enumerate() {
            for glyph in &page.glyphs {
                assert!(
                    glyph.x >= g.left - 0.01 && glyph.x + glyph.advance <= g.right() + 0.01,
                    "{paper:?} page {p}: {glyph:?} outside {}..{}",
                    g.left,
                    g.right()
                );
                assert!(
                    glyph.y >= g.bottom && glyph.y <= g.top,
                    "{paper:?}: {glyph:?}"
                );
            }
            // The footer below the block on every page, centred; the header above it from page 2.
            let below: Vec<_> = page.furniture.iter().filter(|f| f.y < g.bottom).collect();
            let above: Vec<_> = page.furniture.iter().filter(|f| f.y > g.top).collect();
            assert!(!below.is_empty(), "{paper:?} page {p}: no footer");
            let text: String = below.iter().map(|f| f.text.as_str()).collect();
            assert_eq!(text, format!("第 {} 页 / 共 {} 页", p + 1, doc.pages.len()));
            let left = below.iter().map(|f| f.x).fold(f32::MAX, f32::min);
            let right = below.iter().map(|f| f.x + f.advance).fold(0.0, f32::max);
            assert!(
                ((left + right) / 2.0 - g.page_width / 2.0).abs() < 1.0,
                "{paper:?}"
            );
            assert!(
                below.iter().all(|f| f.y > 0.0),
                "{paper:?}: footer off the paper"
            );
            assert_eq!(above.is_empty(), p == 0, "{paper:?} page {p}: header");
            assert!(above.iter().all(|f| f.y + f.size < g.page_height));
        }
        // Justified: most full lines of the body end at the right edge of the block.
        let full = (0..doc.pages.len())
            .flat_map(|p| lines(&doc, p))
            .filter(|l| (l.2 - g.right()).abs() < 0.05)
            .count();
        assert!(
            full > 20,
            "{paper:?}: only {full} lines reach the right edge"
        );
    }
}

#[test]
fn a5_is_set_for_its_size_not_shrunk_from_a4() {
    let a4 = Style::for_paper(Paper::A4);
    let a5 = Style::for_paper(Paper::A5);
    // A shrunk A4 would set 10.5 × 0.71 = 7.4 pt on 44 characters; the A5 handout keeps a
    // readable body on a shorter measure.
    assert!(a5.body_size >= 10.0);
    let ems = |s: &Style| (s.text_width() / s.body_size).round();
    assert_eq!(ems(&a4), 44.0);
    assert_eq!(ems(&a5), 32.0);
    assert!(a5.margins.left < a4.margins.left);
}

#[test]
fn the_word_document_takes_the_paper_and_its_first_page_has_no_running_header() {
    let article = seed_article();
    for paper in Paper::ALL {
        let docx = handout::render(&article, Format::Docx, &options(Style::for_paper(paper)))
            .expect("a Word document");
        let document = docx_part(&docx, "word/document.xml").expect("document.xml");
        let (w, h) = paper.twips();
        assert!(
            document.contains(&format!(r#"<w:pgSz w:w="{w}" w:h="{h}" />"#)),
            "{paper:?}: {}",
            &document[document.find("<w:sectPr").unwrap_or(0)..]
        );
        assert!(document.contains(r#"<w:headerReference w:type="first" r:id="rIdHeader2" />"#));
        assert!(document.contains("<w:titlePg />"));
        let first = docx_part(&docx, "word/header2.xml").expect("the first page's header");
        assert!(
            !first.contains("<w:t"),
            "the first page's header has text: {first}"
        );
        let running = docx_part(&docx, "word/header1.xml").expect("the running header");
        assert!(running.contains("干细胞治疗渐冻症"), "{running}");
        // The footer is on the first page too.
        let footers = ["word/footer1.xml", "word/footer2.xml"].map(|f| docx_part(&docx, f));
        for footer in footers {
            let footer = footer.expect("a footer");
            assert!(
                footer.contains("PAGE") && footer.contains("NUMPAGES"),
                "{footer}"
            );
        }
    }
}

/// A source with a handout.toml beside it, written into a fresh folder.
fn folder_with(config: &str, drop_notices: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    let mut article: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seed_source()).expect("the seed"))
            .expect("JSON");
    if drop_notices {
        let object = article.as_object_mut().expect("an object");
        object.remove("disclaimer");
        object.remove("copyright");
    }
    std::fs::write(dir.path().join("a.json"), article.to_string()).expect("written");
    std::fs::write(dir.path().join("handout.toml"), config).expect("written");
    std::fs::write(dir.path().join("logo.png"), bad_sources::png(60, 20)).expect("written");
    dir
}

const HOUSE: &str = r##"
footer = "{page} / {pages}"
link_colour = "#C00000"

[header]
text = "协和医院健康教育科"
logo = "logo.png"

[disclaimer]
label = "声明"
text = "本页内容仅供科普。\n\n不能代替医生的诊断。"

[copyright]
label = "版权"
text = "健康教育科编印。"
"##;

fn written(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn notices_come_from_the_file_when_the_article_has_none_and_from_the_article_when_it_has() {
    for drop in [true, false] {
        let dir = folder_with(HOUSE, drop);
        for format in ["txt", "pdf", "docx"] {
            let out = format!("a.{format}");
            let o = handout(dir.path(), &[format, "a.json", "-o", &out]);
            assert!(o.status.success(), "{format}: {}", stderr(&o));
        }
        let text = String::from_utf8(written(dir.path(), "a.txt")).expect("UTF-8");
        let house = [
            "声明：本页内容仅供科普。",
            "不能代替医生的诊断。",
            "版权：健康教育科编印。",
        ];
        let seed = seed_article();
        let own = seed.disclaimer.as_ref().expect("the seed's disclaimer");
        let own_label = format!("{}：", own.label);
        for line in house {
            assert_eq!(
                text.contains(line),
                drop,
                "{line} (article without notices: {drop})"
            );
        }
        assert_eq!(text.contains(&own_label), !drop, "{own_label}");
        let docx = written(dir.path(), "a.docx");
        let document = docx_part(&docx, "word/document.xml").expect("document.xml");
        assert_eq!(document.contains("本页内容仅供科普。"), drop);
        assert_eq!(document.contains(&own.label), !drop);
    }
}

#[test]
fn an_article_without_a_disclaimer_and_no_house_one_is_refused_where_it_is() {
    let dir = folder_with("paper = \"a4\"\n", true);
    let o = handout(dir.path(), &["pdf", "a.json", "-o", "a.pdf"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("a.json:1:1: disclaimer: no disclaimer"),
        "{err}"
    );
    assert!(
        err.contains("[disclaimer]") && err.contains("handout.toml"),
        "{err}"
    );
    assert!(!dir.path().join("a.pdf").exists());
    let md = "---\ntitle: 标题\nauthor: 作者\n---\n\n正文。\n";
    std::fs::write(dir.path().join("b.md"), md).expect("written");
    let o = handout(dir.path(), &["txt", "b.md", "-o", "b.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(
        "b.md:1:1: disclaimer: no disclaimer: expected a `::: disclaimer 免责说明` block"
    ));
    assert!(!dir.path().join("b.txt").exists());
}

#[test]
fn the_logo_footer_and_link_colour_reach_the_pdf_and_the_word_document() {
    let dir = folder_with(HOUSE, false);
    for format in ["pdf", "docx"] {
        let o = handout(
            dir.path(),
            &[format, "a.json", "-o", &format!("a.{format}")],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let pdf = lopdf::Document::load_mem(&written(dir.path(), "a.pdf")).expect("a PDF");
    let pages: Vec<_> = pdf.get_pages().into_values().collect();
    for (i, &page) in pages.iter().enumerate() {
        let content = pdf.get_page_content(page);
        let content = String::from_utf8_lossy(&content);
        // The logo (the seed has no figure) is drawn as an artifact from page 2, as the running
        // header is.
        assert_eq!(content.contains(" Do Q EMC"), i > 0, "page {}", i + 1);
        let text = pdf.extract_text(&[i as u32 + 1]).unwrap_or_default();
        let footer = format!("{} / {}", i + 1, pages.len());
        assert!(
            text.replace(' ', "").contains(&footer.replace(' ', "")),
            "{text}"
        );
    }
    // The seed's outside links are set in the house's colour, and only they.
    let all: String = pages
        .iter()
        .map(|&p| String::from_utf8_lossy(&pdf.get_page_content(p)).into_owned())
        .collect();
    assert!(all.contains("0.75 0 0 rg "), "no link in the house colour");
    let docx = written(dir.path(), "a.docx");
    let header = docx_part(&docx, "word/header1.xml").expect("header1.xml");
    assert!(header.contains(r#"r:embed="rIdLogo""#) && header.contains("协和医院健康教育科"));
    let rels = docx_part(&docx, "word/_rels/header1.xml.rels").expect("the header's rels");
    assert!(rels.contains(r#"Target="media/logo.png""#), "{rels}");
    let styles = docx_part(&docx, "word/styles.xml").expect("styles.xml");
    assert!(
        styles.contains(r#"w:color w:val="C00000""#),
        "the link colour"
    );
    let footer = docx_part(&docx, "word/footer1.xml").expect("footer1.xml");
    assert!(
        footer.contains(">/ <") || footer.contains(" / "),
        "{footer}"
    );
    assert!(!footer.contains("第"), "{footer}");
}

#[test]
fn without_a_configuration_nothing_changes() {
    // The built-in style is what a run without handout.toml uses, and it has no logo, no notices
    // of its own and the usual footer.
    let style = Style::default();
    assert!(style.is_default());
    assert_eq!(style.paper, Paper::A4);
    let article = seed_article();
    let plain = handout::render(&article, Format::Pdf, &Options::default()).expect("a PDF");
    let styled = handout::render(&article, Format::Pdf, &options(Style::default())).expect("PDF");
    assert_eq!(plain, styled);
}

/// A face the test fonts script fetched, or a loud failure saying how to get it.
fn test_font(name: &str) -> std::path::PathBuf {
    let path = root().join("target/test-fonts").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-test-fonts (as .ci/run does)",
        path.display()
    );
    path
}

#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts)"]
fn a_house_with_its_own_face_logo_and_notices_builds_every_format() {
    let regular = test_font("LXGWWenKai-Regular.ttf");
    let bold = test_font("LXGWWenKai-Bold.ttf");
    let config = format!(
        "paper = \"a5\"\n{HOUSE}\n[fonts]\nbody = {:?}\nbody_bold = {:?}\nheading = {:?}\n",
        regular.display().to_string(),
        bold.display().to_string(),
        bold.display().to_string(),
    );
    let dir = folder_with(&config, true);
    let o = handout(dir.path(), &["all", "a.json", "--out-dir", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let text = String::from_utf8(written(&out, "a.txt")).expect("UTF-8");
    assert!(text.contains("声明：本页内容仅供科普。") && text.contains("版权：健康教育科编印。"));
    // The PDF sets the body and headings in the configured face, on A5.
    let pdf = lopdf::Document::load_mem(&written(&out, "a.pdf")).expect("a PDF");
    let fonts: Vec<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.has_type(b"Font"))
        .filter_map(|d| {
            d.get(b"BaseFont")
                .ok()?
                .as_name()
                .ok()
                .map(|n| String::from_utf8_lossy(n).into_owned())
        })
        .collect();
    assert!(fonts.iter().any(|f| f.contains("LXGWWenKai")), "{fonts:?}");
    let page = pdf.get_pages().into_values().next().expect("a page");
    let media = pdf
        .get_dictionary(page)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(lopdf::Object::as_array)
        .expect("MediaBox")
        .iter()
        .map(|n| n.as_float().unwrap_or(0.0))
        .collect::<Vec<_>>();
    assert_eq!(media, [0.0, 0.0, 419.53, 595.28]);
    // The Word document embeds it under its family, and carries the logo and the notices.
    let docx = written(&out, "a.docx");
    let table = docx_part(&docx, "word/fontTable.xml").expect("fontTable.xml");
    assert!(
        table.contains(r#"w:name="LXGW WenKai""#) && table.contains("w:embedRegular"),
        "{table}"
    );
    let document = docx_part(&docx, "word/document.xml").expect("document.xml");
    assert!(document.contains("本页内容仅供科普。"));
    assert!(
        docx_part(&docx, "word/_rels/header1.xml.rels").is_some_and(|r| r.contains("logo.png"))
    );
}

#[test]
fn a_short_title_too_long_for_the_house_header_is_cut_alike_in_pdf_and_word() {
    let article = seed_article();
    let mut style = Style::for_paper(Paper::A5);
    style.header.text = Some("北京协和医院神经内科科普小组".into());
    let g = Geometry::of(&style);
    let doc = laid_out(&article, &style);
    let header: String = doc.pages[1]
        .furniture
        .iter()
        .filter(|f| f.y > g.top)
        .map(|f| f.text.as_str())
        .collect();
    let title = header
        .strip_prefix("北京协和医院神经内科科普小组")
        .expect("the house's name first");
    assert!(title.ends_with('…'), "{header}");
    let whole = handout::runs::plain(article.meta.running_title(), false);
    assert!(
        whole.starts_with(title.trim_end_matches('…')),
        "{title} / {whole}"
    );
    let docx = handout::render(&article, Format::Docx, &options(style)).expect("a Word document");
    let running = docx_part(&docx, "word/header1.xml").expect("header1.xml");
    assert!(
        running.contains(&format!(">{title}<")),
        "{title}: {running}"
    );
}
