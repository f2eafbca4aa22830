//! Links on paper: every external link's URL printed where a reader of paper finds it (a footnote on
//! the page of its marker, or the list 链接 with `--links end`), in the PDF and, with `--links end`,
//! in the Word document; QR codes beside the reference entries (`--qr`) and for the article's own
//! address, rendered and decoded.

use std::path::Path;
use std::process::Command;

mod common;

use common::{canonical, require, root, zip_parts};
use handout::model::{Article, Block, Reference};
use handout::walk::LinkPlacement;
use handout::{Format, Options};

const NIA: &str = "https://www.nia.nih.gov/health/alzheimers-disease";
const ALZ: &str = "https://www.alz.org/alzheimers-dementia/research_progress";
const OWN: &str = "https://clinicaltrials.gov/";
const MAIL: &str = "mailto:editor@example.org?subject=handout";
const ADDRESS: &str = "editor@example.org";
const ARTICLE_URL: &str = "https://example.org/articles/alzheimer-blood-test";

/// The rich article with two paragraphs of links (a repeated URL, a link whose text is its URL, a
/// mailto link, a note between them), a reference with only a PMID and one with only a PMCID, and the
/// article's own address.
fn article() -> Article {
    let mut a = handout::load(&root().join("source/alzheimer-blood-test.json"))
        .expect("the rich article loads")
        .article;
    let blocks = serde_json::json!([
        {"paragraph": ["美国国家老龄化研究所的",
            {"link": {"url": NIA, "content": ["科普页面"]}},
            "介绍了病程",
            {"note": ["这是一条普通的注释。"]},
            "，阿尔茨海默病协会的",
            {"link": {"url": ALZ, "content": ["研究进展"]}},
            "也值得一读",
            {"cite": ["pmidonly", "pmconly"]},
            "。"]},
        {"paragraph": ["再看一次",
            {"link": {"url": NIA, "content": ["研究所页面"]}},
            "。临床试验可在",
            {"link": {"url": OWN, "content": [OWN]}},
            "查询；来信请寄",
            {"link": {"url": MAIL, "content": ["编辑部"]}},
            "。"]}
    ]);
    let blocks: Vec<Block> = serde_json::from_value(blocks).expect("blocks");
    a.blocks.extend(blocks);
    let refs = serde_json::json!([
        {"id": "pmidonly", "type": "article-journal", "title": "Only a PubMed number",
         "author": [{"family": "Smith", "given": "J"}], "container-title": "J Test",
         "issued": {"date-parts": [[2020]]}, "PMID": "31234567"},
        {"id": "pmconly", "type": "article-journal", "title": "Only a PMC number",
         "author": [{"family": "Li", "given": "W"}], "container-title": "J Test",
         "issued": {"date-parts": [[2021]]}, "PMCID": "PMC7654321"}
    ]);
    let refs: Vec<Reference> = serde_json::from_value(refs).expect("references");
    a.references.extend(refs);
    a.meta.url = Some(ARTICLE_URL.into());
    a
}

fn render(article: &Article, format: Format, links: LinkPlacement, qr: bool) -> Vec<u8> {
    let options = Options {
        links,
        qr,
        ..Options::default()
    };
    handout::render(article, format, &options).expect("the article renders")
}

/// Runs a poppler tool on the PDF in a temporary folder; returns the folder and the tool's output.
fn poppler(pdf: &[u8], tool: &str, args: &[&str]) -> (tempfile::TempDir, Vec<u8>) {
    require(tool, "poppler-utils");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("links.pdf");
    std::fs::write(&file, pdf).expect("the PDF is written");
    let out = Command::new(tool)
        .args(args)
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .expect("the tool runs");
    assert!(out.status.success(), "{tool} failed");
    (dir, out.stdout)
}

/// pdftotext's text of each page, white space removed.
fn pages(pdf: &[u8]) -> Vec<String> {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("links.pdf");
    std::fs::write(&file, pdf).expect("the PDF is written");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.split('\u{c}').map(canonical).collect()
}

/// The number right after `text` on the pages (a marker), and the page it stands on.
fn marker_after(pages: &[String], text: &str) -> (usize, String) {
    for (p, page) in pages.iter().enumerate() {
        if let Some(at) = page.find(text) {
            let rest = &page[at + text.len()..];
            let digits: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '链')
                .collect();
            return (p, digits);
        }
    }
    panic!("{text} is on no page");
}

fn count(pages: &[String], needle: &str) -> usize {
    pages.iter().map(|p| p.matches(needle).count()).sum()
}

#[test]
#[ignore = "needs pdftotext (poppler-utils)"]
fn urls_are_footnotes_on_the_page_of_their_marker() {
    let pdf = render(&article(), Format::Pdf, LinkPlacement::Foot, false);
    let pages = pages(&pdf);
    let (nia_page, nia) = marker_after(&pages, "科普页面");
    let (_, again) = marker_after(&pages, "研究所页面");
    let (_, note) = marker_after(&pages, "介绍了病程");
    let (alz_page, alz) = marker_after(&pages, "研究进展");
    let (mail_page, mail) = marker_after(&pages, "编辑部");
    // One numbering in reading order, notes and links together; one URL, one number.
    let numbers: Vec<usize> = [&nia, &note, &alz]
        .iter()
        .map(|n| n.parse().expect("a note number"))
        .collect();
    assert_eq!(numbers[1], numbers[0] + 1, "{numbers:?}");
    assert_eq!(numbers[2], numbers[1] + 1, "{numbers:?}");
    assert_eq!(again, nia, "the repeated URL shares its number");
    for (page, number, url) in [
        (nia_page, &nia, NIA),
        (alz_page, &alz, ALZ),
        (mail_page, &mail, ADDRESS),
    ] {
        // pdftotext reads the hanging labels of the notes apart from their text.
        let foot = &pages[page];
        assert!(
            foot.contains(url) && foot.contains(&format!("{number}.")),
            "note {number} ({url}) is not at the foot of page {}",
            page + 1
        );
        assert_eq!(count(&pages, url), 1, "{url} is printed once");
    }
    assert!(
        !pages.iter().any(|p| p.contains("mailto:")),
        "an address, not a mailto URL"
    );
    // The link whose text is its URL is printed once, as its text, with no marker.
    assert_eq!(count(&pages, OWN), 1);
    let (_, after_own) = marker_after(&pages, OWN);
    assert!(
        after_own.is_empty(),
        "no marker after its own URL: {after_own}"
    );
}

#[test]
#[ignore = "needs pdftotext (poppler-utils)"]
fn urls_are_listed_before_the_references_with_links_end() {
    let pdf = render(&article(), Format::Pdf, LinkPlacement::End, false);
    let text: String = pages(&pdf).concat();
    let (_, nia) = marker_after(std::slice::from_ref(&text), "科普页面");
    let (_, again) = marker_after(std::slice::from_ref(&text), "研究所页面");
    let (_, alz) = marker_after(std::slice::from_ref(&text), "研究进展");
    let (_, mail) = marker_after(std::slice::from_ref(&text), "编辑部");
    assert_eq!((nia.as_str(), again.as_str()), ("链1", "链1"));
    assert_eq!((alz.as_str(), mail.as_str()), ("链2", "链3"));
    let list = text.rfind("链接1.").expect("the list 链接");
    let references = text.rfind("参考文献").expect("the references");
    assert!(list < references, "the list comes before the references");
    assert!(text[list..references].contains(&format!("链接1.{NIA}2.{ALZ}3.{ADDRESS}")));
    for url in [NIA, ALZ, ADDRESS, OWN] {
        assert_eq!(text.matches(url).count(), 1, "{url} is printed once");
    }
}

/// Every QR code on the pages rendered at 300 dpi, decoded.
fn decoded_codes(pdf: &[u8]) -> Vec<String> {
    let (dir, _) = poppler(pdf, "pdftoppm", &["-r", "300", "-png", "-gray"]);
    let mut pngs: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pngs.sort();
    pngs.iter().flat_map(|p| decode(p)).collect()
}

fn decode(png: &Path) -> Vec<String> {
    let image = image::open(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .iter()
        // The figures and the text also hold square shapes that rqrr takes for grids, far larger
        // than a code and never decoding: what counts is what decodes.
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
#[ignore = "needs pdftoppm (poppler-utils)"]
fn qr_codes_decode_to_each_entry_and_the_article() {
    let article = article();
    let pdf = render(&article, Format::Pdf, LinkPlacement::Foot, true);
    let mut got = decoded_codes(&pdf);
    got.sort();
    let mut want: Vec<String> = article
        .references
        .iter()
        .filter_map(|r| {
            r.doi
                .as_deref()
                .map(handout::references::doi_url)
                .or_else(|| r.pmid.as_deref().map(handout::references::pmid_url))
                .or_else(|| r.pmcid.as_deref().map(handout::references::pmcid_url))
        })
        .chain([ARTICLE_URL.to_string()])
        .collect();
    want.sort();
    assert_eq!(got, want);
    // Without --qr only the article's own address has a code.
    let plain = render(&article, Format::Pdf, LinkPlacement::Foot, false);
    assert_eq!(decoded_codes(&plain), vec![ARTICLE_URL.to_string()]);
}

fn document_xml(docx: &[u8]) -> String {
    String::from_utf8(zip_parts(docx)["word/document.xml"].clone()).expect("UTF-8")
}

#[test]
fn docx_keeps_hyperlinks_and_lists_the_urls_with_links_end() {
    let article = article();
    let docx = render(&article, Format::Docx, LinkPlacement::Foot, false);
    let parts = zip_parts(&docx);
    let rels = String::from_utf8(parts["word/_rels/document.xml.rels"].clone()).expect("UTF-8");
    for url in [NIA, ALZ, OWN, MAIL] {
        assert!(
            rels.contains(&url.replace('&', "&amp;")),
            "{url} is a hyperlink"
        );
    }
    let xml = document_xml(&docx);
    assert!(xml.contains("<w:hyperlink"));
    assert!(
        !xml.contains(NIA) && !xml.contains("链接"),
        "no URL as text by default"
    );

    let docx = render(&article, Format::Docx, LinkPlacement::End, false);
    let text = common::docx_text(&docx);
    let xml = document_xml(&docx);
    assert!(xml.contains("<w:hyperlink"), "the links stay live");
    for url in [NIA, ALZ, ADDRESS] {
        assert_eq!(text.matches(url).count(), 1, "{url} is in the list once");
    }
    let list = text.find("\n链接\n").expect("the heading 链接");
    let references = text.rfind("参考文献").expect("the references");
    assert!(list < references);
    assert!(text.contains(&format!("1.\t{NIA}")), "{}", &text[list..]);
    assert!(text.contains("科普页面链1") && text.contains("研究所页面链1"));
}

#[test]
fn meta_url_must_be_a_web_address() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("a.json");
    let source = serde_json::json!({
        "meta": {"title": "标题", "author": "作者", "url": "ftp://example.org/a"},
        "blocks": [{"paragraph": ["正文。"]}],
        "disclaimer": {"label": "免责声明", "paragraphs": [["仅供参考。"]]}
    });
    std::fs::write(&file, source.to_string()).expect("written");
    let Err(e) = handout::load(&file) else {
        panic!("an ftp address is refused");
    };
    let message = e.to_string();
    assert!(
        message.contains("meta.url") && message.contains("http(s)"),
        "{message}"
    );
}

/// The article's own address closes the text handout and the Word document too (the PDF sets it as a
/// QR code under 扫码阅读原文): after the copyright notice, the Word document's a live hyperlink.
#[test]
fn the_article_s_address_closes_the_text_and_the_word_document() {
    let a = article();
    let text =
        String::from_utf8(render(&a, Format::Txt, LinkPlacement::Foot, false)).expect("UTF-8");
    let last = text.trim_end().lines().last().expect("a last line");
    assert_eq!(last, format!("阅读原文：<{ARTICLE_URL}>"));
    let docx = render(&a, Format::Docx, LinkPlacement::Foot, false);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("document.xml"),
        &mut document,
    )
    .expect("UTF-8");
    let at = document
        .find("阅读原文：")
        .expect("the address's paragraph");
    assert!(document[at..].contains(ARTICLE_URL));
    let mut rels = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/_rels/document.xml.rels").expect("rels"),
        &mut rels,
    )
    .expect("UTF-8");
    assert!(
        rels.contains(&format!("Target=\"{ARTICLE_URL}\"")),
        "{rels}"
    );
    // Without meta.url, neither says it.
    let mut plain = a.clone();
    plain.meta.url = None;
    let text = render(&plain, Format::Txt, LinkPlacement::Foot, false);
    assert!(!String::from_utf8(text).expect("UTF-8").contains("阅读原文"));
}

/// A 链N marker stays with the link text before it: wherever the line falls, no line starts with
/// one (as no line starts with a note's marker).
#[test]
fn a_link_marker_never_starts_a_line() {
    let options = Options {
        links: LinkPlacement::End,
        ..Options::default()
    };
    let mut before_and_at_the_edge = 0;
    for k in 30..50 {
        let paragraph = serde_json::json!({"paragraph": [
            "字".repeat(k),
            {"link": {"url": NIA, "content": ["研究所页面"]}},
            "之后还有一些文字，足够再排一行。"
        ]});
        let mut a = article();
        a.blocks = vec![serde_json::from_value(paragraph).expect("a paragraph")];
        let doc = handout::writers::pdf::lay_out(&a, &options).expect("laid out");
        let mut lines: Vec<(f32, String)> = Vec::new();
        for g in &doc.pages[0].glyphs {
            match lines.last_mut() {
                Some((y, text)) if (*y - g.y).abs() < 8.0 => text.push_str(&g.text),
                _ => lines.push((g.y, g.text.clone())),
            }
        }
        for (_, text) in &lines {
            let marker_first =
                text.starts_with('链') && text.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
            assert!(
                !marker_first,
                "k = {k}: a line starts with a marker: {text}"
            );
            if text.ends_with("链1") {
                before_and_at_the_edge += 1;
            }
        }
    }
    // Some of these paragraphs put the link's end at a line's end: the case the rule is about.
    assert!(before_and_at_the_edge > 0);
}
