//! The page furniture: the running header from page 2 (the house's logo and name at the left and
//! the article's short title at the right, or the short title alone, centred), its rule, and the
//! footer of the house's pattern on every page. All of it is drawn as artifacts.

use crate::Error;
use crate::fonts::{Face, Fonts};
use crate::image::Image;
use crate::style::RunningHeader;

use super::line::{self, Span};
use super::page::Furniture;
use super::shaper::Shaper;
use super::{Document, Geometry, Glyph, Page, Picture, Rule};

/// Size of the header's and footer's text.
const SIZE: f32 = 9.0;
/// The header's baseline and its rule, above the text block; the footer's baseline below it.
const HEADER_RISE: f32 = 26.0;
const RULE_RISE: f32 = 20.0;
const FOOTER_DROP: f32 = 34.0;
/// The logo's height, the room between it and the rule, and between it and the house's name.
const LOGO_HEIGHT: f32 = 14.0;
const LOGO_LIFT: f32 = 3.0;
const LOGO_GAP: f32 = SIZE / 1.5;

/// The running header (from page 2) and the footer.
pub fn furnish(
    doc: &mut Document,
    furniture: &Furniture,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<(), Error> {
    let total = doc.pages.len();
    for (i, page) in doc.pages.iter_mut().enumerate() {
        if i > 0 {
            header(page, furniture, g, shaper)?;
        }
        let footer = furniture.style.footer.text(i + 1, total);
        let (width, glyphs) = one_line(shaper, &footer, Face::SerifRegular, g.width)?;
        let left = (g.page_width - width) / 2.0;
        page.furniture
            .extend(placed(glyphs, left, g.bottom - FOOTER_DROP));
    }
    Ok(())
}

/// The running header: the short title centred, or the house's logo and name at the left and the
/// short title at the right; a rule under it.
fn header(
    page: &mut Page,
    furniture: &Furniture,
    g: &Geometry,
    shaper: &mut Shaper,
) -> Result<(), Error> {
    let house = &furniture.style.header;
    let baseline = g.top + HEADER_RISE;
    page.rules.push(Rule {
        x0: g.left,
        x1: g.right(),
        y: g.top + RULE_RISE,
        width: 0.4,
    });
    if house.text.is_none() && house.logo.is_none() {
        let (width, glyphs) =
            one_line(shaper, furniture.running_title, Face::SansRegular, g.width)?;
        let left = (g.page_width - width) / 2.0;
        page.furniture.extend(placed(glyphs, left, baseline));
        return Ok(());
    }
    let mut x = g.left;
    if let Some(image) = &house.logo {
        let (width, height) = logo_size(image, g.width);
        page.furniture_images.push(Picture {
            image: image.clone(),
            x,
            y: g.top + RULE_RISE + LOGO_LIFT,
            width,
            height,
            element: 0,
            before_glyph: 0,
        });
        x += width + LOGO_GAP;
    }
    if let Some(text) = &house.text {
        let (width, glyphs) = one_line(shaper, text, Face::SansRegular, g.right() - x)?;
        page.furniture.extend(placed(glyphs, x, baseline));
        x += width;
    }
    // The short title at the right, in what the house's part leaves (after two ems of space).
    if let Some((width, glyphs)) = title_beside(shaper, furniture.running_title, g.right() - x)? {
        page.furniture
            .extend(placed(glyphs, g.right() - width, baseline));
    }
    Ok(())
}

/// The logo's size: the header's height, but never wider than a third of the line.
fn logo_size(image: &Image, line: f32) -> (f32, f32) {
    let (w, h) = image.natural_size();
    let scale = (LOGO_HEIGHT / h.max(1e-3)).min(line / 3.0 / w.max(1e-3));
    (w * scale, h * scale)
}

/// The short title set in what `room` leaves after two ems of space (`None` when that is too
/// little to be worth it).
fn title_beside(
    shaper: &mut Shaper,
    title: &str,
    room: f32,
) -> Result<Option<(f32, Vec<Glyph>)>, Error> {
    let room = room - 2.0 * SIZE;
    if room <= 4.0 * SIZE {
        return Ok(None);
    }
    cut_to(shaper, title, Face::SansRegular, room).map(Some)
}

/// The short title as the running header sets it beside the house's name and logo on a line `line`
/// points wide: whole, cut with "…", or empty. The Word document asks this too, so that its header
/// keeps to one line as the PDF's does.
pub fn header_title(
    fonts: &Fonts,
    house: &RunningHeader,
    title: &str,
    line: f32,
) -> Result<String, Error> {
    let mut shaper = Shaper::new(fonts)?;
    let mut used = house
        .logo
        .as_ref()
        .map_or(0.0, |l| logo_size(l, line).0 + LOGO_GAP);
    if let Some(text) = &house.text {
        used += one_line(&mut shaper, text, Face::SansRegular, line - used)?.0;
    }
    let title = title_beside(&mut shaper, title, line - used)?;
    Ok(title.map_or(String::new(), |(_, glyphs)| {
        glyphs.iter().map(|g| g.text.as_str()).collect()
    }))
}

/// `text` on one line of `width`; when it does not fit, what fits of it (broken where a line may
/// break) and an ellipsis "…", so that a reader sees that the title goes on.
fn cut_to(
    shaper: &mut Shaper,
    text: &str,
    face: Face,
    width: f32,
) -> Result<(f32, Vec<Glyph>), Error> {
    let span = Span::plain(text, face, SIZE);
    let lines = line::set(shaper, &[span], width - SIZE, width - SIZE, false)?;
    if lines.len() <= 1 {
        return one_line(shaper, text, face, width);
    }
    let kept: String = lines[0].glyphs.iter().map(|g| g.text.as_str()).collect();
    one_line(shaper, &format!("{}…", kept.trim_end()), face, width)
}

/// The first line of `text` set in `width` (what does not fit is left out), and its width.
fn one_line(
    shaper: &mut Shaper,
    text: &str,
    face: Face,
    width: f32,
) -> Result<(f32, Vec<Glyph>), Error> {
    let span = Span::plain(text, face, SIZE);
    let lines = line::set(shaper, &[span], width, width, false)?;
    Ok(lines
        .into_iter()
        .next()
        .map_or((0.0, Vec::new()), |l| (l.width, l.glyphs)))
}

fn placed(glyphs: Vec<Glyph>, left: f32, baseline: f32) -> impl Iterator<Item = Glyph> {
    glyphs.into_iter().map(move |g| Glyph {
        x: left + g.x,
        y: baseline + g.y,
        ..g
    })
}
