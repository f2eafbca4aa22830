//! Footnotes, emphasis and sub/superscript in the PDF, read back: each note's text on the page of its
//! marker (pdftotext, page by page), the notes as /Note elements of the structure tree, each marker
//! a link to its note, emphasis dots drawn as artifact paths that copied text does not hold, and the
//! italic embedded as an italic.

use std::path::PathBuf;
use std::process::Command;

mod common;

use common::{canonical, pdf_text, require, root};
use handout::model::{Article, Block, Inline};
use handout::walk::NotePlacement;
use handout::{Format, Options};

fn fixture() -> Article {
    handout::load(&root().join("tests/fixtures/notes.json"))
        .expect("the notes fixture loads")
        .article
}

fn render(article: &Article, notes: NotePlacement) -> Vec<u8> {
    let options = Options {
        notes,
        ..Options::default()
    };
    handout::render(article, Format::Pdf, &options).expect("the PDF renders")
}

/// A note as the source has it: its number, the text just before its marker, its own text.
struct SourceNote {
    number: usize,
    before: String,
    text: String,
}

/// The notes of the paragraphs and list items, numbered in reading order (the fixture has no
/// other block that holds notes).
fn source_notes(article: &Article) -> Vec<SourceNote> {
    fn inlines(content: &[Inline], before: &mut String, out: &mut Vec<SourceNote>) {
        for inline in content {
            match inline {
                Inline::Note(note) => out.push(SourceNote {
                    number: out.len() + 1,
                    before: canonical(before),
                    text: canonical(&Inline::plain(note)),
                }),
                Inline::Strong(c) | Inline::Emph(c) | Inline::Sup(c) | Inline::Sub(c) => {
                    inlines(c, before, out)
                }
                other => before.push_str(&Inline::plain(std::slice::from_ref(other))),
            }
        }
    }
    fn blocks(blocks: &[Block], out: &mut Vec<SourceNote>) {
        for block in blocks {
            match block {
                Block::Paragraph(content) => inlines(content, &mut String::new(), out),
                Block::List(list) => {
                    for item in &list.items {
                        inlines(&item.content, &mut String::new(), out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    blocks(&article.blocks, &mut out);
    out
}

/// pdftotext's text of each page, as it gives it.
fn pages_of(pdf: &[u8]) -> Vec<String> {
    require("pdftotext", "poppler-utils");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file: PathBuf = dir.path().join("notes.pdf");
    std::fs::write(&file, pdf).expect("the PDF is written");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.split('\u{c}').map(str::to_string).collect()
}

/// Where `needle` stands in `page` not followed by a digit (note 1's marker is not note 12's).
fn stands_alone(page: &str, needle: &str) -> bool {
    page.match_indices(needle)
        .any(|(at, _)| !page[at + needle.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a note's label ("3.") starts a line of `page`.
fn has_label(page: &str, number: usize) -> bool {
    let label = format!("{number}.");
    page.lines().any(|l| l.trim_start().starts_with(&label))
}

/// The page of note `n`'s marker: the one page where the text before the marker is followed by the
/// number (as much of the text as stands on that page: a marker never starts a line).
fn marker_page(pages: &[String], note: &SourceNote) -> usize {
    let before: Vec<char> = note.before.chars().collect();
    for k in (1..=before.len().min(10)).rev() {
        let tail: String = before[before.len() - k..].iter().collect();
        let needle = format!("{tail}{}", note.number);
        let found: Vec<usize> = (0..pages.len())
            .filter(|&p| stands_alone(&pages[p], &needle))
            .collect();
        match found[..] {
            [p] => return p,
            [] => continue,
            _ => panic!("note {}: {needle} stands on pages {found:?}", note.number),
        }
    }
    panic!("the marker of note {} is nowhere", note.number);
}

/// A long article of paragraphs of every length citing notes of every length, so that markers fall
/// at every height of a page, near its foot too: the fixture's front matter and notice around it.
fn crowded() -> Article {
    const HAN: &str = "研究显示干细胞移植后患者的运动功能评分下降速度减缓而呼吸功能保持稳定";
    let han: Vec<char> = HAN.chars().collect();
    let filler = |n: usize, seed: usize| -> String {
        (0..n)
            .map(|i| {
                if i % 19 == 18 {
                    '，'
                } else {
                    han[(i * 5 + seed) % han.len()]
                }
            })
            .collect()
    };
    let mut article = fixture();
    article.blocks.clear();
    let mut number = 0;
    for i in 0..70 {
        let mut content = Vec::new();
        for s in 0..1 + (i * 5) % 7 {
            content.push(Inline::Text(format!(
                "{}。",
                filler(18 + (i * s) % 41, i + s)
            )));
            if (i + s) % 2 == 0 {
                number += 1;
                let length = [12, 60, 150, 30, 420, 15, 900][number % 7];
                let text = format!("注{}{}。", filler(3, number), filler(length, number * 3));
                content.push(Inline::Note(vec![Inline::Text(text)]));
            }
        }
        article.blocks.push(Block::Paragraph(content));
    }
    article
}

fn assert_notes_on_their_markers_pages(article: &Article) -> usize {
    let raw = pages_of(&render(article, NotePlacement::Foot));
    let pages: Vec<String> = raw.iter().map(|p| canonical(p)).collect();
    assert!(pages.iter().filter(|p| !p.is_empty()).count() >= 3);
    let notes = source_notes(article);
    assert!(notes.len() >= 25, "only {} notes", notes.len());
    let mut split = 0;
    for note in &notes {
        let p = marker_page(&pages, note);
        // pdftotext may read the hanging numbers as a column of their own: the number and the
        // note's first words are looked for apart.
        let first: String = note.text.chars().take(10).collect();
        assert!(
            pages[p].contains(&first) && has_label(&raw[p], note.number),
            "note {} ({first}…) is not on page {}, the page of its marker",
            note.number,
            p + 1
        );
        let last: String = {
            let chars: Vec<char> = note.text.chars().collect();
            chars[chars.len().saturating_sub(8)..].iter().collect()
        };
        split += usize::from(!pages[p].contains(&last));
    }
    split
}

#[test]
#[ignore = "needs pdftotext"]
fn every_note_is_on_the_page_of_its_marker() {
    let split = assert_notes_on_their_markers_pages(&fixture());
    assert!(
        split >= 1,
        "no note of the fixture continues on the next page"
    );
    let split = assert_notes_on_their_markers_pages(&crowded());
    assert!(split >= 5, "only {split} notes continue on the next page");
}

#[test]
#[ignore = "needs pdftotext"]
fn endnotes_stand_under_their_heading_before_the_references() {
    let mut article = common::seed_article();
    let Some(Block::Paragraph(first)) = article.blocks.first_mut() else {
        panic!("the seed starts with a paragraph");
    };
    first.push(Inline::Note(vec![Inline::Text("尾注的文字。".into())]));
    let pages = pages_of(&render(&article, NotePlacement::End));
    let text = canonical(&pages.concat());
    let heading = text
        .find("注释1.尾注的文字。")
        .expect("the endnote under 注释");
    let references = text
        .find(&canonical(&article.references_title))
        .expect("the references");
    assert!(
        heading < references,
        "the endnotes come after the references"
    );
    assert!(
        text[..heading].contains("的研发。1"),
        "the marker is not where it stands"
    );
}

/// The emphasised words copy back whole: the dots are no text.
#[test]
fn emphasis_dots_are_drawn_not_written() {
    let article = fixture();
    let pdf = render(&article, NotePlacement::Foot);
    let text = canonical(&pdf_text(&pdf, article.meta.running_title()));
    for words in [
        "运动神经元的进行性丢失是疾病",
        "需要强调的是,动物实验",
        "其长期获益的重要",
    ] {
        assert!(text.contains(words), "{words} does not copy back whole");
    }
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf reads it");
    let first = doc.get_pages()[&1];
    let content = String::from_utf8_lossy(&doc.get_page_content(first)).into_owned();
    let artifact = content
        .split("/Artifact BMC")
        .find(|part| part.trim_start().starts_with("q 0 g"))
        .expect("the dots in an artifact");
    let paths = artifact.split("EMC").next().unwrap_or("");
    // Under 运动神经元的进行性丢失, 需要强调的是 and 长期获益; none under the comma emphasised
    // with 需要强调的是, nor under the Latin emphasis.
    assert_eq!(paths.matches(" m\n").count(), 11 + 6 + 4, "dots on page 1");
    assert_eq!(
        paths.matches(" c\n").count(),
        4 * paths.matches(" m\n").count()
    );
}

fn dictionaries_of_type<'d>(doc: &'d lopdf::Document, kind: &[u8]) -> Vec<&'d lopdf::Dictionary> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(kind))
        .collect()
}

#[test]
fn the_italic_is_embedded_as_an_italic() {
    let pdf = render(&fixture(), NotePlacement::Foot);
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf reads it");
    let descriptors = dictionaries_of_type(&doc, b"FontDescriptor");
    let mut italics = 0;
    for d in &descriptors {
        let name =
            String::from_utf8_lossy(d.get(b"FontName").and_then(|n| n.as_name()).expect("name"))
                .into_owned();
        let flags = d.get(b"Flags").and_then(|f| f.as_i64()).expect("/Flags");
        let angle = d
            .get(b"ItalicAngle")
            .and_then(|a| a.as_float())
            .expect("/ItalicAngle");
        assert!(d.has(b"FontFile2"), "{name} is not embedded");
        if name.ends_with("+NotoSerif-Italic") {
            italics += 1;
            assert_eq!(flags & 64, 64, "{name}: /Flags lacks Italic");
            assert_eq!(flags & 2, 2, "{name}: /Flags lacks Serif");
            assert!((angle + 12.0).abs() < 0.01, "{name}: /ItalicAngle {angle}");
        } else {
            assert_eq!(flags & 64, 0, "{name} claims to be italic");
            assert_eq!(angle, 0.0, "{name}");
        }
    }
    assert_eq!(italics, 1, "the italic is embedded once");
}

#[test]
fn notes_are_note_elements_and_markers_link_to_them() {
    let article = fixture();
    let count = source_notes(&article).len();
    let pdf = render(&article, NotePlacement::Foot);
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf reads it");
    let elements = dictionaries_of_type(&doc, b"StructElem");
    fn role(d: &lopdf::Dictionary) -> &[u8] {
        d.get(b"S").and_then(|s| s.as_name()).unwrap_or(b"")
    }
    let notes: Vec<_> = elements.iter().filter(|d| role(d) == b"Note").collect();
    assert_eq!(notes.len(), count, "one /Note per note");
    for note in notes {
        let parent = note
            .get(b"P")
            .and_then(|p| p.as_reference())
            .and_then(|p| doc.get_dictionary(p))
            .expect("a parent");
        assert!(
            matches!(role(parent), b"P" | b"LI"),
            "a note under /{}",
            String::from_utf8_lossy(role(parent))
        );
    }
    // The fixture cites no reference: every link inside the document is a marker's, and a
    // footnote stands on its marker's page.
    let pages = doc.get_pages();
    let mut markers = 0;
    for page in pages.values() {
        for annot in doc.get_page_annotations(*page).expect("annotations") {
            let Ok(dest) = annot.get(b"Dest").and_then(|d| d.as_array()) else {
                continue;
            };
            markers += 1;
            assert_eq!(
                dest[0].as_reference().ok(),
                Some(*page),
                "a marker links off its page"
            );
        }
    }
    assert_eq!(markers, count);
}
