//! Emphasis, superscript and subscript as laid out: dots under each Han character inside the line's
//! descent and none under punctuation, the italic over Latin, raised and lowered glyphs that leave
//! the lines where they were, a note's marker kept with the word before it.

use super::{article, fonts};
use crate::fonts::Face;
use crate::layout::a4::layout;
use crate::layout::a4::*;
use crate::layout::shaper::Shaper;
use crate::layout::{Document, Glyph, LayoutOptions};
use crate::model::{Article, Block, Inline};

fn text(t: &str) -> Inline {
    Inline::Text(t.into())
}

/// The seed's front matter with these blocks as its body.
fn with_blocks(blocks: Vec<Block>) -> Article {
    let mut a = article();
    a.blocks = blocks;
    a
}

fn laid_out(blocks: Vec<Block>) -> Document {
    layout(&with_blocks(blocks), &fonts(), LayoutOptions::default()).expect("laid out")
}

/// The body glyphs whose texts, read in order, are `texts` (the first such stretch).
fn find<'d>(doc: &'d Document, texts: &[&str]) -> Vec<&'d Glyph> {
    let glyphs: Vec<&Glyph> = doc.pages.iter().flat_map(|p| &p.glyphs).collect();
    let at = glyphs
        .windows(texts.len())
        .position(|w| w.iter().map(|g| g.text.as_str()).eq(texts.iter().copied()))
        .unwrap_or_else(|| panic!("{texts:?} is not set"));
    glyphs[at..at + texts.len()].to_vec()
}

#[test]
fn han_emphasis_has_a_dot_centred_under_each_character_inside_the_descent() {
    let doc = laid_out(vec![Block::Paragraph(vec![
        text("研究"),
        Inline::Emph(vec![text("运动神经元，「丢失」")]),
        text("。"),
    ])]);
    let glyphs = find(
        &doc,
        &["运", "动", "神", "经", "元", "，", "「", "丢", "失", "」"],
    );
    let dots: Vec<_> = doc.pages.iter().flat_map(|p| &p.dots).collect();
    assert_eq!(
        dots.len(),
        7,
        "one dot per Han character, none under punctuation"
    );
    for g in glyphs
        .iter()
        .filter(|g| crate::text::is_han(g.text.chars().next().unwrap()))
    {
        let dot = dots
            .iter()
            .find(|d| (d.x - (g.x + g.advance / 2.0)).abs() < 0.01)
            .unwrap_or_else(|| panic!("no dot centred under {}", g.text));
        let em = g.size;
        // Below the ideographic em box (0.12 em under the baseline), above the line's bottom (a
        // body line is 1.7 em: 0.35 em of leading under the em box).
        assert!(
            dot.y + dot.radius <= g.y - 0.12 * em,
            "{dot:?} touches {}",
            g.text
        );
        assert!(
            dot.y - dot.radius >= g.y - 0.47 * em,
            "{dot:?} leaves the line"
        );
        assert_eq!(g.face, Face::SerifRegular);
    }
    for g in &glyphs[5..7] {
        let centre = g.x + g.advance / 2.0;
        assert!(
            dots.iter().all(|d| (d.x - centre).abs() > 1.0),
            "a dot under {}",
            g.text
        );
    }
}

#[test]
fn han_emphasis_moves_no_glyph() {
    let plain = laid_out(vec![
        Block::Paragraph(vec![text(&"运动神经元的进行性丢失".repeat(12))]),
        Block::Paragraph(vec![text("下一段。")]),
    ]);
    let emphasised = laid_out(vec![
        Block::Paragraph(vec![Inline::Emph(vec![text(
            &"运动神经元的进行性丢失".repeat(12),
        )])]),
        Block::Paragraph(vec![text("下一段。")]),
    ]);
    let at = |d: &Document| -> Vec<(f32, f32, usize)> {
        d.pages
            .iter()
            .enumerate()
            .flat_map(|(p, page)| page.glyphs.iter().map(move |g| (g.x, g.y, p)))
            .collect()
    };
    assert_eq!(at(&plain), at(&emphasised), "the emphasis moved a glyph");
    let dots = emphasised.pages.iter().map(|p| p.dots.len()).sum::<usize>();
    assert_eq!(dots, 12 * 11);
    assert!(plain.pages.iter().all(|p| p.dots.is_empty()));
}

#[test]
fn latin_emphasis_is_the_real_italic_and_strong_emphasis_stays_bold() {
    let doc = laid_out(vec![Block::Paragraph(vec![
        text("在"),
        Inline::Emph(vec![text("in vivo")]),
        text("条件下，"),
        Inline::Strong(vec![Inline::Emph(vec![text("长期ok")])]),
        text("。"),
    ])]);
    let vivo = find(&doc, &["i", "n", " ", "v", "i", "v", "o"]);
    assert!(vivo.iter().all(|g| g.face == Face::SerifItalic), "{vivo:?}");
    let strong = find(&doc, &["长", "期", "o", "k"]);
    assert!(
        strong.iter().all(|g| g.face == Face::SerifBold),
        "{strong:?}"
    );
    let dots: Vec<_> = doc.pages.iter().flat_map(|p| &p.dots).collect();
    assert_eq!(dots.len(), 2, "dots under 长期 only: {dots:?}");
}

#[test]
fn scaled_superscripts_and_subscripts_keep_the_baseline() {
    let doc = laid_out(vec![Block::Paragraph(vec![
        text("剂量10"),
        Inline::Sup(vec![text("6")]),
        text("，Aβ"),
        Inline::Sub(vec![text("42")]),
        text("升高。"),
    ])]);
    let ten = find(&doc, &["1", "0", "6"]);
    let baseline = ten[0].y;
    let six = ten[2];
    assert_eq!(six.face, Face::SerifRegular, "the CJK faces have no sups");
    assert!((six.size - 0.65 * BODY_SIZE).abs() < 0.01, "{six:?}");
    assert!(
        (six.y - (baseline + 0.35 * BODY_SIZE)).abs() < 0.01,
        "{six:?}"
    );
    let sub = find(&doc, &["β", "4", "2"]);
    assert_eq!(sub[0].y, baseline);
    for g in &sub[1..] {
        assert!((g.size - 0.65 * BODY_SIZE).abs() < 0.01, "{g:?}");
        assert!((g.y - (baseline - 0.15 * BODY_SIZE)).abs() < 0.01, "{g:?}");
    }
    // The lines keep their height: the next line's baseline is where it would be without them.
    let plain = laid_out(vec![Block::Paragraph(vec![text("剂量106，Aβ42升高。")])]);
    let first = |d: &Document| {
        d.pages[0]
            .glyphs
            .iter()
            .map(|g| g.y)
            .fold(f32::MAX, f32::min)
    };
    assert_eq!(first(&doc), first(&plain));
}

#[test]
fn the_italic_uses_its_own_superior_and_inferior_forms() {
    let doc = laid_out(vec![Block::Paragraph(vec![
        text("写作"),
        Inline::Emph(vec![text("10"), Inline::Sup(vec![text("6")])]),
        text("和"),
        Inline::Emph(vec![text("CO"), Inline::Sub(vec![text("2")])]),
        text("，"),
        Inline::Emph(vec![Inline::Sup(vec![text("6x")])]),
        text("。"),
    ])]);
    let fonts = fonts();
    let mut shaper = Shaper::new(&fonts).expect("shaper");
    let plain_id = |s: &mut Shaper, t: &str| s.shape(Face::SerifItalic, t).expect("shaped")[0].id;
    let six = find(&doc, &["1", "0", "6"])[2];
    assert_eq!(six.face, Face::SerifItalic);
    assert_eq!(
        six.size, BODY_SIZE,
        "the face's superior is set at the text size"
    );
    assert_ne!(six.id, plain_id(&mut shaper, "6"), "not the superior glyph");
    let two = find(&doc, &["C", "O", "2"])[2];
    assert_eq!(two.size, BODY_SIZE);
    assert_ne!(two.id, plain_id(&mut shaper, "2"), "not the inferior glyph");
    // The italic has no superior x: the run falls back to scaled glyphs, both of them.
    let mixed = find(&doc, &["6", "x"]);
    for g in mixed {
        assert!((g.size - 0.65 * BODY_SIZE).abs() < 0.01, "{g:?}");
        assert_eq!(g.id, plain_id(&mut shaper, &g.text));
    }
}

#[test]
fn a_note_marker_never_starts_a_line() {
    use crate::layout::Target;
    // The first line holds 42 Han after its indent: a marker after the 42nd would start the next.
    for n in 40..=44 {
        let han: String = "甲乙丙丁戊己庚辛壬癸".chars().cycle().take(n).collect();
        let doc = laid_out(vec![Block::Paragraph(vec![
            text(&han),
            Inline::Note(vec![text("注。")]),
            text("后文继续写下去。"),
        ])]);
        let page = &doc.pages[0];
        let link = page
            .links
            .iter()
            .find(|l| l.target == Target::Note(1))
            .expect("the marker links to its note");
        let marker = page
            .glyphs
            .iter()
            .find(|g| g.x >= link.x0 - 0.01 && g.x < link.x1 && g.y > link.y0 && g.y < link.y1)
            .expect("the marker's glyph");
        let before = page
            .glyphs
            .iter()
            .filter(|g| (g.y - marker.y).abs() < 6.0 && g.x < marker.x)
            .count();
        assert!(before > 0, "{n} Han: the marker starts a line");
    }
}
