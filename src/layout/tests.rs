//! Layout checks on the seed article: glyphs inside the text block, justified lines flush right, the
//! clreq line-start rule, missing glyphs refused.

mod inline;
mod notes;

use crate::layout::a4::layout;
use crate::layout::a4::*;
use std::path::Path;

use super::document::rows;
use super::*;
use crate::model::{Block, Inline};

/// The marks W3C clreq keeps off the start of a line (closing quotes and brackets, pause and stop
/// marks, connecting and separating marks, the halves of —— and ……, their ASCII twins): the test's
/// own list, not the code's.
const CLREQ_NO_LINE_START: &str = "、，。．：；！？」』”’）］｝〕〗〙】》〉—…·～／,.:;!?)]}";
/// The marks clreq keeps off the end of a line: opening quotes and brackets.
const CLREQ_NO_LINE_END: &str = "「『“‘（［｛〔〖〘【《〈([{";

fn article() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    crate::source::load(&path).expect("the seed article loads")
}

fn fonts() -> Fonts {
    Fonts::locate(None).expect("the fonts in fonts/")
}

#[test]
fn every_glyph_is_inside_the_text_block() {
    let doc = layout(&article(), &fonts(), LayoutOptions::default()).expect("laid out");
    assert!(doc.pages.len() >= 2);
    for (p, page) in doc.pages.iter().enumerate() {
        assert!(!page.glyphs.is_empty(), "page {p} is empty");
        for g in &page.glyphs {
            let ok = g.x >= TEXT_LEFT - 0.01
                && g.x + g.advance <= TEXT_RIGHT + 0.01
                && g.y >= TEXT_BOTTOM
                && g.y <= TEXT_TOP;
            assert!(ok, "page {p}: {g:?} outside the text block");
        }
        for g in &page.furniture {
            assert!(g.y < TEXT_BOTTOM || g.y > TEXT_TOP, "page {p}: {g:?}");
        }
    }
}

#[test]
fn justified_lines_end_at_the_right_edge() {
    let fonts = fonts();
    let mut shaper = Shaper::new(&fonts).expect("shaper");
    let (rows, _) = rows(&article(), &mut shaper, LayoutOptions::default()).expect("rows");
    let mut justified = 0;
    for row in &rows {
        if row.line.justified {
            justified += 1;
            let end = row.x + row.line.width;
            assert!(
                (end - TEXT_WIDTH).abs() <= 0.5,
                "{} ends at {end}, not {TEXT_WIDTH}",
                row.line.text
            );
        }
        assert!(
            row.x + row.line.width <= TEXT_WIDTH + 0.5,
            "{}",
            row.line.text
        );
    }
    assert!(justified > 20, "only {justified} justified lines");
}

#[test]
fn no_line_starts_with_a_closing_mark_nor_ends_with_an_opening_one() {
    let fonts = fonts();
    let mut shaper = Shaper::new(&fonts).expect("shaper");
    for keep_punctuation in [false, true] {
        let options = LayoutOptions {
            keep_punctuation,
            ..Default::default()
        };
        let (rows, _) = rows(&article(), &mut shaper, options).expect("rows");
        for row in &rows {
            if let Some(c) = row.line.text.chars().next() {
                assert!(
                    !CLREQ_NO_LINE_START.contains(c),
                    "line starts with {c}: {}",
                    row.line.text
                );
            }
            if let Some(c) = row.line.text.chars().next_back() {
                assert!(
                    !CLREQ_NO_LINE_END.contains(c),
                    "line ends with {c}: {}",
                    row.line.text
                );
            }
        }
    }
}

#[test]
fn headings_are_never_last_on_a_page() {
    let doc = layout(&article(), &fonts(), LayoutOptions::default()).expect("laid out");
    for b in &doc.bookmarks {
        // Something of the body must follow the heading on its page.
        let page = &doc.pages[b.page];
        assert!(
            page.glyphs.iter().any(|g| g.y < b.y - 30.0),
            "{} is last on page {}",
            b.title,
            b.page + 1
        );
    }
}

#[test]
fn a_character_no_face_has_is_an_error() {
    let mut a = article();
    a.blocks
        .push(Block::Paragraph(vec![Inline::Text("象形文字𓀀".into())]));
    match layout(&a, &fonts(), LayoutOptions::default()) {
        Err(Error::MissingGlyph { character, .. }) => assert_eq!(character, '𓀀'),
        other => panic!(
            "expected a missing glyph, got {:?}",
            other.map(|d| d.pages.len())
        ),
    }
}

#[test]
fn laying_out_twice_gives_the_same_pages() {
    let fonts = fonts();
    let a = article();
    let one = layout(&a, &fonts, LayoutOptions::default()).expect("laid out");
    let two = layout(&a, &fonts, LayoutOptions::default()).expect("laid out");
    assert_eq!(one, two);
}

#[test]
fn odd_input_is_laid_out_inside_the_block() {
    use crate::model::{List, ListItem, ListStyle};
    let mut a = article();
    let mut list = List {
        style: ListStyle::Decimal,
        start: 4_294_967_290,
        items: vec![ListItem {
            term: Vec::new(),
            content: vec![Inline::Text("最深的一层".into())],
            children: Vec::new(),
        }],
    };
    for _ in 0..40 {
        list = List {
            style: ListStyle::Chinese,
            start: 1,
            items: vec![ListItem {
                term: vec![Inline::Text("层".into())],
                content: Vec::new(),
                children: vec![list],
            }],
        };
    }
    a.blocks.push(Block::List(list));
    a.blocks.push(Block::Paragraph(Vec::new()));
    a.blocks
        .push(Block::Paragraph(vec![Inline::Text("x".repeat(500))]));
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    for page in &doc.pages {
        for g in &page.glyphs {
            assert!(
                g.x >= TEXT_LEFT - 0.01 && g.x + g.advance <= TEXT_RIGHT + 0.01,
                "{g:?}"
            );
        }
    }
}

/// Emphasis over Han stays in the text face (it gets dots instead: `tests::inline`).
#[test]
fn strong_is_the_real_bold_and_terms_the_sans_bold() {
    let mut a = article();
    a.blocks.push(Block::Paragraph(vec![
        Inline::Text("普通".into()),
        Inline::Strong(vec![Inline::Text("加粗".into())]),
        Inline::Emph(vec![Inline::Text("强调".into())]),
    ]));
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    let glyphs: Vec<&Glyph> = doc.pages.iter().flat_map(|p| &p.glyphs).collect();
    let texts: Vec<&str> = glyphs.iter().map(|g| g.text.as_str()).collect();
    let at = texts
        .windows(6)
        .position(|w| w == ["普", "通", "加", "粗", "强", "调"])
        .expect("the paragraph is set");
    let faces: Vec<Face> = glyphs[at..at + 6].iter().map(|g| g.face).collect();
    assert_eq!(faces[..2], [Face::SerifRegular; 2]);
    assert_eq!(faces[2..4], [Face::SerifBold; 2]);
    assert_eq!(faces[4..], [Face::SerifRegular; 2]);
    let term = doc.pages[0].glyphs.iter().find(|g| g.text == "神");
    assert_eq!(term.map(|g| g.face), Some(Face::SansBold));
}

#[test]
fn citations_link_to_their_entries_and_identifiers_link_out() {
    let doc = layout(&article(), &fonts(), LayoutOptions::default()).expect("laid out");
    let links: Vec<&LinkRect> = doc.pages.iter().flat_map(|p| &p.links).collect();
    let anchors: Vec<Target> = doc
        .pages
        .iter()
        .flat_map(|p| &p.anchors)
        .map(|a| a.target.clone())
        .collect();
    assert_eq!(anchors, (1..=4).map(Target::Reference).collect::<Vec<_>>());
    for n in 1..=4 {
        assert!(
            links.iter().any(|l| l.target == Target::Reference(n)),
            "no citation of [{n}]"
        );
    }
    for url in [
        "https://doi.org/10.1007/s12015-020-10016-7",
        "https://pubmed.ncbi.nlm.nih.gov/32725316/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC7456414/",
    ] {
        assert!(
            links.iter().any(|l| l.target == Target::Url(url.into())),
            "no link to {url}"
        );
    }
    for l in links {
        assert!(l.x1 > l.x0 && l.y1 > l.y0, "{l:?}");
    }
}

#[test]
fn every_page_has_its_footer_and_pages_after_the_first_a_header() {
    let doc = layout(&article(), &fonts(), LayoutOptions::default()).expect("laid out");
    let total = doc.pages.len();
    for (i, page) in doc.pages.iter().enumerate() {
        let text: String = page
            .furniture
            .iter()
            .flat_map(|g| g.text.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains(&format!("第{}页/共{total}页", i + 1)),
            "{text}"
        );
        assert_eq!(text.contains("干细胞治疗渐冻症"), i > 0, "{text}");
    }
}

/// The lines of each paragraph-like element on each page, in order: (element, page, line count).
/// Lines are told apart by their baselines (a raised citation label stays on its line).
fn portions(doc: &Document) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (p, page) in doc.pages.iter().enumerate() {
        let mut last_y: Option<(usize, f32)> = None;
        for g in &page.glyphs {
            let role = doc.elements.get(g.element).map(|e| e.role);
            if !matches!(role, Some(Role::Paragraph | Role::ListItem)) {
                continue;
            }
            let new_line = match last_y {
                Some((e, y)) => e != g.element || (g.y - y).abs() > 6.0,
                None => true,
            };
            if new_line {
                match out.last_mut() {
                    Some((e, page, lines)) if *e == g.element && *page == p => *lines += 1,
                    _ => out.push((g.element, p, 1)),
                }
                last_y = Some((g.element, g.y));
            }
        }
    }
    out
}

/// A long article of headings and paragraphs of every length: headings never end a page, no
/// paragraph leaves a single line alone at the foot of a page (orphan) or at the head of the next
/// (widow), the layout stays fast.
#[test]
fn long_articles_keep_headings_with_their_text() {
    use crate::model::Heading;
    let mut a = article();
    a.blocks.clear();
    let sentence = "干细胞治疗渐冻症的机制是多重生物学效应的协同结果，ALS患者的FVC值稳定。";
    for i in 0..160 {
        if i % 3 == 0 {
            a.blocks.push(Block::Heading(Heading {
                level: 1 + (i / 3 % 3) as u8,
                content: vec![Inline::Text(format!("第{i}节"))],
            }));
        }
        a.blocks.push(Block::Paragraph(vec![Inline::Text(
            sentence.repeat(1 + i % 5),
        )]));
    }
    let start = std::time::Instant::now();
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert!(doc.pages.len() > 10);
    for b in &doc.bookmarks {
        let page = &doc.pages[b.page];
        assert!(
            page.glyphs.iter().any(|g| g.y < b.y - 40.0),
            "{} is last on page {}",
            b.title,
            b.page + 1
        );
    }
    for page in &doc.pages {
        for g in &page.glyphs {
            assert!(
                g.x >= TEXT_LEFT - 0.01 && g.x + g.advance <= TEXT_RIGHT + 0.01,
                "{g:?}"
            );
            assert!(g.y >= TEXT_BOTTOM && g.y <= TEXT_TOP, "{g:?}");
        }
    }
    let portions = portions(&doc);
    let mut split = 0;
    for w in portions.windows(2) {
        let ((e, page, before), (f, next_page, after)) = (w[0], w[1]);
        if e != f {
            continue;
        }
        split += 1;
        assert_eq!(next_page, page + 1, "element {e} skips a page");
        assert!(
            before >= 2,
            "orphan: element {e} leaves {before} line alone at the foot of page {}",
            page + 1
        );
        assert!(
            after >= 2,
            "widow: element {e} leaves {after} line alone at the head of page {}",
            next_page + 1
        );
    }
    assert!(
        split >= 3,
        "only {split} paragraphs cross a page: the check proves little"
    );
}

/// Paragraphs of every length from one to four lines, ending in a stop or not: the last line of a
/// paragraph never holds a single character (besides its punctuation).
#[test]
fn no_paragraph_ends_in_a_line_of_one_character() {
    let fonts = fonts();
    let mut shaper = Shaper::new(&fonts).expect("shaper");
    let mut a = article();
    a.blocks.clear();
    // 44 Han fill a body line (the first holds 42 after its indent).
    for n in 1..=140 {
        let text: String = "甲乙丙丁戊己庚辛壬癸".chars().cycle().take(n).collect();
        a.blocks
            .push(Block::Paragraph(vec![Inline::Text(text.clone())]));
        a.blocks
            .push(Block::Paragraph(vec![Inline::Text(format!("{text}。"))]));
    }
    let (rows, _) = rows(&a, &mut shaper, LayoutOptions::default()).expect("rows");
    let mut paragraphs: Vec<(usize, Vec<String>)> = Vec::new();
    for row in rows.iter().filter(|r| !r.rule) {
        match paragraphs.last_mut() {
            Some((e, lines)) if *e == row.element => lines.push(row.line.text.clone()),
            _ => paragraphs.push((row.element, vec![row.line.text.clone()])),
        }
    }
    let mut checked = 0;
    let ours = |lines: &Vec<String>| {
        lines
            .iter()
            .all(|l| l.chars().all(|c| "甲乙丙丁戊己庚辛壬癸。".contains(c)))
    };
    for (_, lines) in paragraphs.iter().filter(|(_, l)| l.len() >= 2 && ours(l)) {
        let last = lines.last().expect("a line");
        let letters = last.chars().filter(|c| c.is_alphanumeric()).count();
        assert!(letters >= 2, "a last line of one character: {lines:?}");
        checked += 1;
    }
    assert!(
        checked > 150,
        "only {checked} paragraphs of two lines or more"
    );
}

/// Enumerations such as "1、2、3、…": a line of many short segments, each ending in a closing mark,
/// stays inside the text block.
#[test]
fn enumerations_stay_inside_the_text_block() {
    let mut a = article();
    let numbers: Vec<String> = (1..=60).map(|n| n.to_string()).collect();
    let latin: Vec<&str> = ["A", "B", "C", "D", "E", "F", "G", "H"]
        .into_iter()
        .cycle()
        .take(40)
        .collect();
    a.blocks = vec![
        Block::Paragraph(vec![Inline::Text(format!(
            "第{}天复查。",
            numbers.join("、")
        ))]),
        Block::Paragraph(vec![Inline::Text(format!("分组{}。", latin.join("，")))]),
    ];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    for g in doc.pages.iter().flat_map(|p| &p.glyphs) {
        assert!(
            g.x + g.advance <= TEXT_RIGHT + 0.01,
            "{:?} ends {:.2} pt past the right margin",
            g.text,
            g.x + g.advance - TEXT_RIGHT
        );
    }
}
