//! The boxes drawn around rows of the column: a block quote's bar at its left, an aside's tinted
//! panel. The rows inside are ordinary rows, set narrower; pagination tells the box where its rows
//! went on each page, and the box is drawn once per page around them.

use super::{Geometry, Page, Rect, Rgb};

/// Space above and below a quote or an aside.
pub const SPACE_AROUND: f32 = 8.0;
/// A quote's text, from the text block's left and right: two body ems.
pub fn quote_inset(body: f32) -> (f32, f32) {
    (2.0 * body, 2.0 * body)
}
/// The bar left of a quote: its width and its grey (its left is a body em in from the text block's).
const QUOTE_BAR: (f32, f32) = (2.0, 0.72);
/// An aside's text, from the text block's left and right: an em inside the panel, which spans the
/// text width.
pub fn aside_inset(body: f32) -> (f32, f32) {
    (body, body)
}
/// Room between an aside's panel and its first and last line.
pub const ASIDE_PAD: f32 = 7.0;
/// A pale blue-grey that leaves black text its full contrast, and a deeper one for the outline.
const ASIDE_FILL: Rgb = [0.925, 0.945, 0.965];
const ASIDE_EDGE: (Rgb, f32) = ([0.68, 0.75, 0.82], 0.6);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelKind {
    Quote,
    Aside,
}

/// The box a row is drawn in: its quote's or aside's structure element tells one box from the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panel {
    pub element: usize,
    pub kind: PanelKind,
}

/// The box being filled on the current page, and how far its rows reach there.
#[derive(Debug)]
pub struct Panels {
    open: Option<(Panel, f32, f32)>,
    geometry: Geometry,
}

impl Panels {
    pub fn new(geometry: Geometry) -> Panels {
        Panels {
            open: None,
            geometry,
        }
    }

    /// A row from `top` down to `bottom` has been placed: it extends its box, or ends the one before.
    pub fn add(&mut self, panel: Option<Panel>, top: f32, bottom: f32, page: &mut Page) {
        match (&mut self.open, panel) {
            (Some((open, _, low)), Some(p)) if *open == p => *low = bottom,
            _ => {
                self.close(page);
                self.open = panel.map(|p| (p, top, bottom));
            }
        }
    }

    /// Draws the box being filled (at a page's end, or after its last row).
    pub fn close(&mut self, page: &mut Page) {
        if let Some((panel, top, bottom)) = self.open.take() {
            page.rects
                .push(draw(panel.kind, top, bottom, &self.geometry));
        }
    }
}

fn draw(kind: PanelKind, top: f32, bottom: f32, geometry: &Geometry) -> Rect {
    match kind {
        PanelKind::Quote => {
            let (width, grey) = QUOTE_BAR;
            Rect {
                x: geometry.left + geometry.body,
                y: bottom,
                width,
                height: top - bottom,
                fill: Some([grey; 3]),
                stroke: None,
            }
        }
        PanelKind::Aside => {
            // The outline is stroked on the rectangle's edge: half its width inside keeps it all
            // within the text block.
            let half = ASIDE_EDGE.1 / 2.0;
            Rect {
                x: geometry.left + half,
                y: bottom + half,
                width: geometry.width - 2.0 * half,
                height: top - bottom - 2.0 * half,
                fill: Some(ASIDE_FILL),
                stroke: Some(ASIDE_EDGE),
            }
        }
    }
}
