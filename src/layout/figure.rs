//! A figure: its image centred, at the width the source asks (a fraction of the text width) or at
//! its natural size, never wider than the text block nor so tall that it and its caption outgrow a
//! page; the caption "图N" below. Image and caption are one piece, so a figure that does not fit at
//! the foot of a page moves to the next with its caption.

use crate::Error;
use crate::walk::Figure;

use super::caption::caption;
use super::document::Row;
use super::frame::{Frame, Laid};
use super::shaper::Shaper;
use super::{Geometry, Picture, Role};

/// Between the image and its caption.
const CAPTION_GAP: f32 = 6.0;
/// Space above and below a figure.
pub const SPACE_AROUND: f32 = 10.0;

/// The size the image is drawn at in a text block `text_width` wide, with `room` the height left to
/// it on a page.
pub fn drawn_size(figure: &Figure, text_width: f32, room: f32) -> (f32, f32) {
    let (natural_w, natural_h) = figure.image.natural_size();
    let width = figure
        .width
        .filter(|f| f.is_finite() && *f > 0.0)
        .map_or(natural_w, |f| f * text_width)
        .min(text_width);
    let aspect = if natural_w > 0.0 {
        natural_h / natural_w
    } else {
        1.0
    };
    let height = width * aspect;
    if height > room && height > 0.0 {
        (width * room / height, room)
    } else {
        (width, height)
    }
}

/// Lays the figure out as one row of the column.
pub fn set(shaper: &mut Shaper, figure: &Figure, g: &Geometry) -> Result<Laid, Error> {
    let mut laid = Laid::default();
    let element = laid.open(Role::Figure, None);
    laid.elements[element].alt = Some(figure.alt.clone());
    let caption_element = laid.open(Role::Caption, None);
    let below = caption(
        shaper,
        &figure.label,
        &figure.caption,
        caption_element,
        g.width,
    )?;
    let room = g.block_height() - CAPTION_GAP - below.height;
    let (width, height) = drawn_size(figure, g.width, room.max(0.0));
    let mut frame = Frame {
        height: height + CAPTION_GAP,
        ..Frame::default()
    };
    frame.pictures.push(Picture {
        image: figure.image.clone(),
        x: (g.width - width) / 2.0,
        y: -height,
        width,
        height,
        element,
        before_glyph: 0,
    });
    frame.append(below);
    laid.rows = vec![Row::of_frame(frame, element, SPACE_AROUND, false)];
    Ok(laid)
}
