//! Blocks set as one piece and moved onto a page whole: a table's rows, a figure with its caption.
//! A frame's coordinates run from its top left corner (x from the text block's left, y upwards, so
//! below the top is negative); pagination adds the page position. A table that runs onto another
//! page repeats its head there and closes the page it leaves with its rule ([`Continued`]).

use std::sync::Arc;

use super::document::Row;
use super::line::SetLine;
use super::{Dot, Element, Glyph, LinkRect, Page, Picture, Rect};

/// Glyphs, rectangles, images, links and emphasis dots of one piece, from its top left corner, and
/// the notes its text cites.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    pub height: f32,
    pub glyphs: Vec<Glyph>,
    pub rects: Vec<Rect>,
    /// `before_glyph` counts the frame's own glyphs.
    pub pictures: Vec<Picture>,
    pub links: Vec<LinkRect>,
    pub dots: Vec<Dot>,
    /// The notes whose markers the frame's lines hold, in order: their text goes to the foot of the
    /// page the frame is placed on.
    pub notes: Vec<usize>,
}

impl Frame {
    /// Adds a set line of text `size` in a line box whose top left is at (`x`, `top`), `height`
    /// tall, the ideographic em box centred in it (as in the column's rows); its glyphs belong to
    /// `element`.
    pub fn add_line(
        &mut self,
        line: &SetLine,
        x: f32,
        top: f32,
        height: f32,
        size: f32,
        element: usize,
    ) {
        let baseline = top - baseline_below_top(height, size);
        self.glyphs.extend(line.glyphs.iter().map(|g| Glyph {
            x: x + g.x,
            y: baseline + g.y,
            element,
            ..g.clone()
        }));
        for (x0, x1, target) in &line.links {
            self.links.push(LinkRect {
                x0: x + x0,
                y0: top - height,
                x1: x + x1,
                y1: top,
                target: target.clone(),
            });
        }
        self.dots.extend(line.dots.iter().map(|d| Dot {
            x: x + d.x,
            y: baseline + d.y,
            ..*d
        }));
        self.notes.extend(&line.notes);
    }

    /// A horizontal rule of the given weight whose top is at `top`, from `x0` to `x1`.
    pub fn add_rule(&mut self, x0: f32, x1: f32, top: f32, weight: f32) {
        self.rects.push(Rect {
            x: x0,
            y: top - weight,
            width: x1 - x0,
            height: weight,
            fill: Some([0.0, 0.0, 0.0]),
            stroke: None,
        });
    }

    /// Puts `other` under this frame, which grows by its height.
    pub fn append(&mut self, other: Frame) {
        let dy = -self.height;
        let base = self.glyphs.len();
        self.glyphs
            .extend(other.glyphs.into_iter().map(|g| Glyph { y: g.y + dy, ..g }));
        self.rects
            .extend(other.rects.into_iter().map(|r| Rect { y: r.y + dy, ..r }));
        self.pictures
            .extend(other.pictures.into_iter().map(|p| Picture {
                y: p.y + dy,
                before_glyph: p.before_glyph + base,
                ..p
            }));
        self.links.extend(other.links.into_iter().map(|l| LinkRect {
            y0: l.y0 + dy,
            y1: l.y1 + dy,
            ..l
        }));
        self.dots
            .extend(other.dots.into_iter().map(|d| Dot { y: d.y + dy, ..d }));
        self.notes.extend(other.notes);
        self.height += other.height;
    }

    /// Renumbers the structure elements of the frame's glyphs and pictures by `offset`.
    pub fn shift_elements(&mut self, offset: usize) {
        for g in &mut self.glyphs {
            g.element += offset;
        }
        for p in &mut self.pictures {
            p.element += offset;
        }
    }

    /// Places the frame with its top at `top` and its left at `left` (the text block's): its glyphs
    /// as content, or as artifacts (what pagination repeats, which a reader of the structure must
    /// not read twice).
    pub fn place(&self, left: f32, top: f32, page: &mut Page, artifact: bool) {
        let glyphs = self.glyphs.iter().map(|g| Glyph {
            x: g.x + left,
            y: g.y + top,
            ..g.clone()
        });
        if artifact {
            page.furniture.extend(glyphs);
        } else {
            let base = page.glyphs.len();
            page.pictures.extend(self.pictures.iter().map(|p| Picture {
                x: p.x + left,
                y: p.y + top,
                before_glyph: base + p.before_glyph,
                ..p.clone()
            }));
            page.glyphs.extend(glyphs);
            page.links.extend(self.links.iter().map(|l| LinkRect {
                x0: l.x0 + left,
                x1: l.x1 + left,
                y0: l.y0 + top,
                y1: l.y1 + top,
                target: l.target.clone(),
            }));
        }
        page.rects.extend(self.rects.iter().map(|r| Rect {
            x: r.x + left,
            y: r.y + top,
            ..r.clone()
        }));
        page.dots.extend(self.dots.iter().map(|d| Dot {
            x: d.x + left,
            y: d.y + top,
            ..*d
        }));
    }
}

/// The baseline of text `size` in a line box `height` tall, below the box's top: the ideographic em
/// box centred in the line, its top 0.88 em above the baseline.
pub fn baseline_below_top(height: f32, size: f32) -> f32 {
    (height - size) / 2.0 + 0.88 * size
}

/// What a table shows again on each page it runs onto, and how it closes each page it leaves. The
/// rows of one table share one.
#[derive(Debug, Clone, PartialEq)]
pub struct Continued {
    /// The caption "续表N" and the header rows between their rules.
    pub head: Frame,
    /// The bottom rule, drawn under the last row on a page the table leaves.
    pub foot: Frame,
}

/// The table that row `i` goes on with from the row before it, if any.
pub fn continues(rows: &[Row], i: usize) -> Option<&Continued> {
    let before = rows.get(i.checked_sub(1)?)?.continued.as_ref()?;
    let here = rows.get(i)?.continued.as_ref()?;
    Arc::ptr_eq(before, here).then_some(here)
}

/// Room to keep under row `i` for the rule that closes its table's part of the page, should the
/// page end there while the table goes on.
pub fn closing_height(rows: &[Row], i: usize) -> f32 {
    continues(rows, i + 1).map_or(0.0, |c| c.foot.height)
}

/// A block laid out apart from the column (a table, a figure): its structure elements, whose parents
/// are indices into the same list (`None`: the block's own parent), and its rows.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub elements: Vec<Element>,
    pub rows: Vec<Row>,
}

impl Laid {
    /// Opens a structure element under `parent` (an index into this block's elements).
    pub fn open(&mut self, role: super::Role, parent: Option<usize>) -> usize {
        self.elements.push(Element {
            role,
            parent,
            alt: None,
        });
        self.elements.len() - 1
    }
}

impl Row {
    /// A row that is a frame, its glyphs belonging to the elements they name.
    pub fn of_frame(frame: Frame, element: usize, space_before: f32, keep_with_next: bool) -> Row {
        // The notes cited in the frame go to the foot of its page, as a line's do.
        let line = SetLine {
            notes: frame.notes.clone(),
            ..SetLine::empty(0.0)
        };
        Row {
            space_before,
            height: frame.height,
            keep_with_next,
            frame: Some(frame),
            ..Row::of_line(line, element, None)
        }
    }

    /// The row with its table's continuation.
    pub fn continuing(mut self, continued: &Arc<Continued>) -> Row {
        self.continued = Some(Arc::clone(continued));
        self
    }
}
