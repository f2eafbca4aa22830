//! The captions of tables and figures: "表1　…" above a table, "图1　…" below a figure, label and text
//! in the sans bold, each line centred on the text block.

use crate::Error;
use crate::fonts::Face;
use crate::runs::Run;

use super::document::spans_of;
use super::frame::Frame;
use super::line::{self, Span};
use super::shaper::Shaper;

pub const CAPTION_SIZE: f32 = 10.0;
const CAPTION_LINE: f32 = 1.5 * CAPTION_SIZE;

/// The caption as a frame of centred lines, its glyphs belonging to `element`.
pub fn caption(
    shaper: &mut Shaper,
    label: &str,
    runs: &[Run],
    element: usize,
    width: f32,
) -> Result<Frame, Error> {
    // An ideographic space between the number and the text, as Chinese captions have it.
    let label = if runs.is_empty() {
        label.to_string()
    } else {
        format!("{label}\u{3000}")
    };
    let mut spans = vec![Span::plain(label, Face::SansBold, CAPTION_SIZE)];
    spans.extend(spans_of(runs, CAPTION_SIZE).into_iter().map(|s| Span {
        face: Face::SansBold,
        ..s
    }));
    let mut frame = Frame::default();
    for line in line::set(shaper, &spans, width, width, false)? {
        let x = (width - line.width).max(0.0) / 2.0;
        frame.add_line(&line, x, -frame.height, CAPTION_LINE, CAPTION_SIZE, element);
        frame.height += CAPTION_LINE;
    }
    Ok(frame)
}
