//! The content stream of each page: the boxes, rules and emphasis dots, then the text of each layout
//! element (and each figure's image where it is read) inside marked content that the structure tree
//! points to, then the running header and footer and what pagination repeats. Boxes, rules, dots,
//! header and footer are marked as artifacts, so that screen readers skip them and copied text has no
//! dots. Pages are written in parallel, each deflated.

use lopdf::{Dictionary, Stream};
use rayon::prelude::*;

use super::fonts::Embedded;
use super::images::Images;
use super::objects::deflated_stream;
use super::structure::tag;
use crate::Error;
use crate::layout::{Document, Dot, Element, Glyph, Page, Picture, Rect, Rgb, Role};

/// A page's deflated content stream, and the element of each of its marked-content ids.
pub(super) type Content = (Stream, Vec<usize>);

/// The content of every page, in page order.
pub(super) fn streams(
    doc: &Document,
    fonts: &[Embedded],
    images: &Images,
) -> Vec<Result<Content, Error>> {
    doc.pages
        .par_iter()
        .map(|page| {
            let (bytes, marks) = content(page, &doc.elements, fonts, images, doc.link_colour);
            Ok((deflated_stream(Dictionary::new(), &bytes)?, marks))
        })
        .collect()
}

/// The content stream of a page and the element of each of its marked-content ids: the text of each
/// element marked for the structure tree; boxes, rules, dots, running header and footer marked as
/// artifacts.
fn content(
    page: &Page,
    elements: &[Element],
    fonts: &[Embedded],
    images: &Images,
    link_colour: Option<Rgb>,
) -> (Vec<u8>, Vec<usize>) {
    let mut out = String::new();
    for r in &page.rects {
        rect(&mut out, r);
    }
    for r in &page.rules {
        out.push_str(&format!(
            "/Artifact BMC q {} w 0.45 G {} {} m {} {} l S Q EMC\n",
            fmt(r.width),
            fmt(r.x0),
            fmt(r.y),
            fmt(r.x1),
            fmt(r.y)
        ));
    }
    if !page.dots.is_empty() {
        out.push_str("/Artifact BMC q 0 g\n");
        for d in &page.dots {
            circle(&mut out, d);
        }
        out.push_str("f Q EMC\n");
    }
    out.push_str("BT\n");
    let mut marks = Vec::new();
    let mut pictures = page.pictures.iter().peekable();
    let mut at = 0;
    for group in page.glyphs.chunk_by(|a, b| a.element == b.element) {
        // The images read before this text, drawn outside the text object.
        while let Some(p) = pictures.next_if(|p| p.before_glyph <= at) {
            out.push_str("ET\n");
            picture(&mut out, p, &mut marks, images);
            out.push_str("BT\n");
        }
        at += group.len();
        let element = group[0].element;
        let role = elements.get(element).map_or(Role::Paragraph, |e| e.role);
        out.push_str(&format!("/{} <</MCID {}>> BDC\n", tag(role), marks.len()));
        marks.push(element);
        show(&mut out, group, fonts, link_colour);
        out.push_str("EMC\n");
    }
    for p in pictures {
        out.push_str("ET\n");
        picture(&mut out, p, &mut marks, images);
        out.push_str("BT\n");
    }
    if !page.furniture.is_empty() {
        out.push_str("/Artifact BMC\n");
        show(&mut out, &page.furniture, fonts, None);
        out.push_str("EMC\n");
    }
    out.push_str("ET\n");
    for p in &page.furniture_images {
        furniture_image(&mut out, p, images);
    }
    (out.into_bytes(), marks)
}

/// A box or a rule drawn as a rectangle: filled, outlined, or both.
fn rect(out: &mut String, r: &Rect) {
    let colour = |c: [f32; 3]| format!("{} {} {}", fmt(c[0]), fmt(c[1]), fmt(c[2]));
    out.push_str("/Artifact BMC q ");
    if let Some(fill) = r.fill {
        out.push_str(&format!("{} rg ", colour(fill)));
    }
    if let Some((stroke, width)) = r.stroke {
        out.push_str(&format!("{} RG {} w ", colour(stroke), fmt(width)));
    }
    let paint = match (r.fill.is_some(), r.stroke.is_some()) {
        (true, true) => "B",
        (true, false) => "f",
        (false, true) => "S",
        (false, false) => "n",
    };
    out.push_str(&format!(
        "{} {} {} {} re {paint} Q EMC\n",
        fmt(r.x),
        fmt(r.y),
        fmt(r.width),
        fmt(r.height)
    ));
}

/// A figure's image, marked as its Figure element's content.
fn picture(out: &mut String, p: &Picture, marks: &mut Vec<usize>, images: &Images) {
    let Some(name) = images.name(&p.image) else {
        return;
    };
    out.push_str(&format!(
        "/Figure <</MCID {}>> BDC q {} 0 0 {} {} {} cm /{name} Do Q EMC\n",
        marks.len(),
        fmt(p.width),
        fmt(p.height),
        fmt(p.x),
        fmt(p.y)
    ));
    marks.push(p.element);
}

/// An image of the page furniture (the header's logo), drawn as an artifact.
fn furniture_image(out: &mut String, p: &Picture, images: &Images) {
    let Some(name) = images.name(&p.image) else {
        return;
    };
    out.push_str(&format!(
        "/Artifact BMC q {} 0 0 {} {} {} cm /{name} Do Q EMC\n",
        fmt(p.width),
        fmt(p.height),
        fmt(p.x),
        fmt(p.y)
    ));
}

/// Shows glyphs in runs of one face, size and baseline, each glyph placed by a TJ adjustment from
/// where the previous one left the pen.
/// The text of links to outside addresses is filled with `link_colour` when one is given.
fn show(out: &mut String, glyphs: &[Glyph], fonts: &[Embedded], link_colour: Option<Rgb>) {
    let mut i = 0;
    while i < glyphs.len() {
        let first = &glyphs[i];
        // A hyphen the layout added at a line's end is no part of the text: its replacement text is
        // empty (PDF 32000 §14.9.4), so copying and text extraction join the word again.
        let added_hyphen = first.text == SOFT_HYPHEN;
        if added_hyphen {
            out.push_str("/Span <</ActualText ()>> BDC\n");
        }
        let Some(font) = fonts.iter().find(|f| f.face == first.face) else {
            i += 1;
            continue;
        };
        let colour = link_colour.filter(|_| first.link);
        if let Some(rgb) = colour {
            for c in rgb {
                num(out, c);
                out.push(' ');
            }
            out.push_str("rg ");
        }
        // Written piece by piece: this runs for every glyph of every page.
        out.push('/');
        out.push_str(&font.name);
        out.push(' ');
        num(out, first.size);
        out.push_str(" Tf 1 0 0 1 ");
        num(out, first.x);
        out.push(' ');
        num(out, first.y);
        out.push_str(" Tm [");
        let mut pen = first.x;
        let mut j = i;
        while j < glyphs.len() {
            let g = &glyphs[j];
            let apart = added_hyphen || g.text == SOFT_HYPHEN;
            let recoloured = link_colour.is_some() && g.link != first.link;
            let changes = g.face != first.face || g.size != first.size || g.y != first.y;
            if j > i && (apart || changes || recoloured) {
                break;
            }
            let shift = (g.x - pen) * 1000.0 / g.size;
            if shift.abs() >= 0.05 {
                num(out, -shift);
                out.push(' ');
            }
            hex4(out, font.code(g.id, &g.text));
            let width = font.widths.get(&g.id).copied().unwrap_or(0) as f32;
            pen = g.x + width * g.size / 1000.0;
            j += 1;
        }
        out.push_str("] TJ\n");
        if colour.is_some() {
            out.push_str("0 g\n");
        }
        if added_hyphen {
            out.push_str("EMC\n");
        }
        i = j;
    }
}

/// The text of a hyphen the layout sets where it breaks an English word (the soft hyphen, U+00AD).
const SOFT_HYPHEN: &str = "\u{ad}";

/// A dot as a closed path: a circle of four Bézier quarters.
fn circle(out: &mut String, d: &Dot) {
    // The control points' distance that makes a Bézier quarter closest to a circle's.
    let k = 0.5523 * d.radius;
    let (x, y, r) = (d.x, d.y, d.radius);
    let quarters = [
        [(x + r, y + k), (x + k, y + r), (x, y + r)],
        [(x - k, y + r), (x - r, y + k), (x - r, y)],
        [(x - r, y - k), (x - k, y - r), (x, y - r)],
        [(x + k, y - r), (x + r, y - k), (x + r, y)],
    ];
    out.push_str(&format!("{} {} m\n", fmt(x + r), fmt(y)));
    for q in quarters {
        for (px, py) in q {
            out.push_str(&format!("{} {} ", fmt(px), fmt(py)));
        }
        out.push_str("c\n");
    }
    out.push_str("h\n");
}

/// A number for a content stream: at most two decimals, no trailing zeros, never "-0".
fn fmt(v: f32) -> String {
    let mut s = String::new();
    num(&mut s, v);
    s
}

/// Writes [`fmt`]'s form of `v`: rounded to hundredths half to even, as `{:.2}` rounds (an f32
/// times 100 is exact in an f64, so a tie is seen as one).
fn num(out: &mut String, v: f32) {
    use std::fmt::Write;
    if !v.is_finite() {
        out.push('0');
        return;
    }
    let hundredths = (f64::from(v) * 100.0).round_ties_even() as i64;
    if hundredths < 0 {
        out.push('-');
    }
    let n = hundredths.unsigned_abs();
    let _ = write!(out, "{}", n / 100);
    match n % 100 {
        0 => {}
        f if f % 10 == 0 => {
            let _ = write!(out, ".{}", f / 10);
        }
        f => {
            let _ = write!(out, ".{f:02}");
        }
    }
}

/// A glyph code as four upper-case hex digits in angle brackets.
fn hex4(out: &mut String, code: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('<');
    for shift in [12, 8, 4, 0] {
        out.push(DIGITS[usize::from((code >> shift) & 0xF)] as char);
    }
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(fmt(10.5), "10.5");
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(0.126), "0.13");
        assert_eq!(fmt(-0.001), "0");
        assert_eq!(fmt(-3.25), "-3.25");
        assert_eq!(fmt(0.125), "0.12");
        assert_eq!(fmt(0.375), "0.38");
        assert_eq!(fmt(-0.005), "0");
        assert_eq!(fmt(1e9), "1000000000");
        let mut s = String::new();
        hex4(&mut s, 0x0A3F);
        assert_eq!(s, "<0A3F>");
    }

    #[test]
    fn numbers_are_written_as_two_decimals_would_write_them() {
        // The old form, `{:.2}` trimmed, over a sweep of the values a page has.
        let old = |v: f32| {
            let s = format!("{:.2}", v);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".to_string()
            } else {
                s.to_string()
            }
        };
        for i in -200_000..200_000 {
            let v = i as f32 * 0.00731;
            assert_eq!(fmt(v), old(v), "{v}");
        }
        for v in [
            0.005f32, 0.015, 0.025, 1.005, 2.675, 841.89, 595.28, 66.64, -1000.125,
        ] {
            assert_eq!(fmt(v), old(v), "{v}");
        }
    }
}
