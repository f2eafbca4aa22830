//! Footnotes as laid out, on a long article whose paragraphs cite notes of every length at every
//! place (short ones, ones of several lines, ones longer than half a page and than a whole page;
//! markers early and late in a paragraph, several in one line): each note starts on the page of its
//! marker, stands below the body inside the text block, and a note split across pages keeps its
//! order, its rest before the next page's own notes.

use crate::layout::a4::layout;
use crate::layout::a4::*;
use std::collections::BTreeMap;

use super::{article, fonts};
use crate::layout::{Document, LayoutOptions, Role, Target};
use crate::model::{Article, Block, Inline, List, ListItem, ListStyle};
use crate::walk::NotePlacement;

/// Han filler of `n` characters, with a stop every so often.
fn filler(n: usize, seed: usize) -> String {
    const HAN: &str = "干细胞治疗渐冻症的机制是多重生物学效应的协同结果患者运动功能评分稳定";
    let chars: Vec<char> = HAN.chars().collect();
    (0..n)
        .map(|i| {
            if i % 23 == 22 {
                '，'
            } else {
                chars[(i * 7 + seed) % chars.len()]
            }
        })
        .collect()
}

/// The text of note `n`: its length cycles through short, two lines, seven lines, and now and then
/// half a page or more than a page.
fn note_text(n: usize) -> String {
    let length = match n % 9 {
        4 => 110,
        7 => 330,
        _ if n.is_multiple_of(17) => 3200,
        _ if n.is_multiple_of(11) => 1200,
        _ => 18,
    };
    format!("第{n}条注释{}。", filler(length, n))
}

/// An article of 80 paragraphs and a list citing notes: the notes' texts in number order.
fn noted_article() -> (Article, Vec<String>) {
    let mut a = article();
    a.blocks.clear();
    let mut notes = Vec::new();
    let mut note = |content: &mut Vec<Inline>| {
        let text = note_text(notes.len() + 1);
        notes.push(text.clone());
        content.push(Inline::Note(vec![Inline::Text(text)]));
    };
    for i in 0..80 {
        let mut content = Vec::new();
        let sentences = 1 + (i * 7) % 6;
        for s in 0..sentences {
            content.push(Inline::Text(format!(
                "{}。",
                filler(20 + (i * s) % 37, i + s)
            )));
            if (i + s) % 3 == 0 {
                note(&mut content);
            }
            if (i * s) % 10 == 7 {
                // Two markers side by side.
                note(&mut content);
                note(&mut content);
            }
        }
        a.blocks.push(Block::Paragraph(content));
        if i % 25 == 24 {
            let mut item = vec![Inline::Text("列表项".into())];
            note(&mut item);
            a.blocks.push(Block::List(List {
                style: ListStyle::Decimal,
                start: 1,
                items: vec![ListItem {
                    term: Vec::new(),
                    content: item,
                    children: Vec::new(),
                }],
            }));
        }
    }
    (a, notes)
}

fn laid_out() -> (Document, Vec<String>) {
    let (a, notes) = noted_article();
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    (doc, notes)
}

fn is_note(doc: &Document, element: usize) -> bool {
    doc.elements.get(element).map(|e| e.role) == Some(Role::Note)
}

#[test]
fn every_note_starts_on_the_page_of_its_marker() {
    let (doc, notes) = laid_out();
    let mut markers = BTreeMap::new();
    let mut starts = BTreeMap::new();
    for (p, page) in doc.pages.iter().enumerate() {
        for link in &page.links {
            if let Target::Note(n) = link.target {
                markers.entry(n).or_insert(p);
            }
        }
        for anchor in &page.anchors {
            if let Target::Note(n) = anchor.target {
                assert!(starts.insert(n, p).is_none(), "note {n} starts twice");
            }
        }
    }
    assert!(notes.len() > 60, "only {} notes", notes.len());
    for n in 1..=notes.len() {
        let marker = markers
            .get(&n)
            .unwrap_or_else(|| panic!("no marker of note {n}"));
        let start = starts
            .get(&n)
            .unwrap_or_else(|| panic!("note {n} is not set"));
        assert_eq!(
            marker,
            start,
            "note {n}: marker on page {}, note starts on page {}",
            marker + 1,
            start + 1
        );
    }
}

#[test]
fn notes_stand_below_the_body_inside_the_text_block() {
    let (doc, _) = laid_out();
    let mut pages_with_notes = 0;
    for (p, page) in doc.pages.iter().enumerate() {
        for g in &page.glyphs {
            let inside = g.x >= TEXT_LEFT - 0.01
                && g.x + g.advance <= TEXT_RIGHT + 0.01
                && g.y - 0.12 * g.size >= TEXT_BOTTOM - 0.01
                && g.y + 0.88 * g.size <= TEXT_TOP + 0.01;
            assert!(inside, "page {}: {g:?} outside the text block", p + 1);
        }
        for d in &page.dots {
            assert!(d.y - d.radius >= TEXT_BOTTOM && d.y + d.radius <= TEXT_TOP);
        }
        let (notes, body): (Vec<_>, Vec<_>) =
            page.glyphs.iter().partition(|g| is_note(&doc, g.element));
        if notes.is_empty() {
            continue;
        }
        pages_with_notes += 1;
        let short: Vec<_> = page
            .rules
            .iter()
            .filter(|r| r.x1 - r.x0 < TEXT_WIDTH / 2.0)
            .collect();
        assert_eq!(short.len(), 1, "page {}: the notes' rule", p + 1);
        let rule = short[0];
        let notes_top = notes
            .iter()
            .map(|g| g.y + 0.88 * g.size)
            .fold(f32::MIN, f32::max);
        assert!(rule.y > notes_top, "page {}: a note above its rule", p + 1);
        if let Some(body_bottom) = body.iter().map(|g| g.y - 0.12 * g.size).reduce(f32::min) {
            assert!(rule.y < body_bottom, "page {}: body below the rule", p + 1);
        }
    }
    assert!(
        pages_with_notes > 5,
        "only {pages_with_notes} pages with notes"
    );
}

#[test]
fn a_note_split_across_pages_keeps_its_order() {
    let (doc, notes) = laid_out();
    let expected: String = notes
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}.{t}", i + 1))
        .collect();
    let note_elements: Vec<usize> = (0..doc.elements.len())
        .filter(|&e| is_note(&doc, e))
        .collect();
    let mut read = String::new();
    let mut pages_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (p, page) in doc.pages.iter().enumerate() {
        for g in page.glyphs.iter().filter(|g| is_note(&doc, g.element)) {
            read.push_str(&g.text);
            let n = note_elements.binary_search(&g.element).expect("a note") + 1;
            let pages = pages_of.entry(n).or_default();
            if pages.last() != Some(&p) {
                pages.push(p);
            }
        }
    }
    let read: String = read.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        read == expected,
        "the notes, read page by page, are not the notes in order"
    );
    let mut split = 0;
    for (n, pages) in &pages_of {
        assert!(
            pages.windows(2).all(|w| w[1] == w[0] + 1),
            "note {n} skips a page: {pages:?}"
        );
        split += usize::from(pages.len() > 1);
    }
    assert!(split >= 4, "only {split} notes cross a page");
    assert!(
        pages_of.values().any(|p| p.len() >= 3),
        "no note longer than a page"
    );
}

#[test]
fn endnotes_are_a_numbered_list_before_the_references() {
    let mut a = article();
    let Some(Block::Paragraph(first)) = a.blocks.first_mut() else {
        panic!("the seed starts with a paragraph");
    };
    first.push(Inline::Note(vec![Inline::Text("第一条注释。".into())]));
    first.push(Inline::Note(vec![Inline::Text("第二条注释。".into())]));
    let options = LayoutOptions {
        notes: NotePlacement::End,
        ..Default::default()
    };
    let doc = layout(&a, &fonts(), options).expect("laid out");
    assert!(doc.elements.iter().all(|e| e.role != Role::Note));
    let titles: Vec<&str> = doc.bookmarks.iter().map(|b| b.title.as_str()).collect();
    let notes = titles.iter().position(|t| *t == "注释").expect("注释");
    let references = titles
        .iter()
        .position(|t| *t == a.references_title)
        .expect("the references' heading");
    assert_eq!(notes + 1, references, "{titles:?}");
    let anchors: Vec<&Target> = doc
        .pages
        .iter()
        .flat_map(|p| &p.anchors)
        .map(|a| &a.target)
        .collect();
    assert_eq!(anchors[..2], [&Target::Note(1), &Target::Note(2)]);
    assert_eq!(anchors[2], &Target::Reference(1));
    for page in &doc.pages {
        assert!(
            page.rules.iter().all(|r| r.x1 - r.x0 > TEXT_WIDTH / 2.0),
            "a footnote rule with endnotes"
        );
    }
    let marker_links = doc
        .pages
        .iter()
        .flat_map(|p| &p.links)
        .filter(|l| matches!(l.target, Target::Note(_)))
        .count();
    assert_eq!(marker_links, 2);
}
