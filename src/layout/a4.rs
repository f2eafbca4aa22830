//! The built-in A4 page, for the tests that check positions on it (checked against the style).

use crate::Error;
use crate::fonts::Fonts;
use crate::model::Article;

use super::{Document, Geometry, LayoutOptions};

pub const PAGE_WIDTH: f32 = 595.28;
pub const BODY_SIZE: f32 = 10.5;
pub const TEXT_WIDTH: f32 = 44.0 * BODY_SIZE;
pub const TEXT_LEFT: f32 = (PAGE_WIDTH - TEXT_WIDTH) / 2.0;
pub const TEXT_RIGHT: f32 = TEXT_LEFT + TEXT_WIDTH;
pub const TEXT_TOP: f32 = 841.89 - 72.0;
pub const TEXT_BOTTOM: f32 = 72.0;
pub const QUOTE_INSET: (f32, f32) = (2.0 * BODY_SIZE, 2.0 * BODY_SIZE);
pub const ASIDE_INSET: (f32, f32) = (BODY_SIZE, BODY_SIZE);

/// The article laid out in the built-in style.
pub fn layout(article: &Article, fonts: &Fonts, options: LayoutOptions) -> Result<Document, Error> {
    super::layout(article, fonts, options, &crate::style::Style::default())
}

#[test]
fn these_are_the_built_in_style() {
    let g = Geometry::default();
    assert_eq!(g.left, TEXT_LEFT);
    assert_eq!(g.width, TEXT_WIDTH);
    assert_eq!(g.right(), TEXT_RIGHT);
    assert_eq!(g.top, TEXT_TOP);
    assert_eq!(g.bottom, TEXT_BOTTOM);
    assert_eq!(g.body, BODY_SIZE);
    assert_eq!(super::boxes::quote_inset(g.body), QUOTE_INSET);
    assert_eq!(super::boxes::aside_inset(g.body), ASIDE_INSET);
}
