//! Pagination: rows poured into A4 text blocks, a heading never last on a page (nor a paragraph's
//! single first or last line alone), the notes a row cites at the foot of its page (`notes`), then
//! the running header from page 2 and the footer "第 N 页 / 共 M 页" on every page.

use crate::Error;
use crate::fonts::Face;

use super::document::Row;
use super::line::{self, Span};
use super::notes::{Foot, SetNote};
use super::shaper::Shaper;
use super::{
    Anchor, Bookmark, Document, Dot, Glyph, LinkRect, PAGE_WIDTH, Page, Rule, TEXT_BOTTOM,
    TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_WIDTH,
};

const BLOCK_HEIGHT: f32 = TEXT_TOP - TEXT_BOTTOM;

/// Height of rows i..=j where j ends the chain of rows kept with the next one, and the notes they
/// cite.
fn chain_of(rows: &[Row], i: usize) -> (f32, Vec<usize>) {
    let mut need = rows[i].height;
    let mut notes = rows[i].line.notes.clone();
    let mut j = i;
    while rows[j].keep_with_next && j + 1 < rows.len() {
        j += 1;
        need += rows[j].space_before + rows[j].height;
        notes.extend(&rows[j].line.notes);
    }
    (need, notes)
}

pub fn paginate(
    rows: Vec<Row>,
    notes: &[SetNote],
    running_title: &str,
    shaper: &mut Shaper,
) -> Result<Document, Error> {
    let mut doc = Document::default();
    let mut page = Page::default();
    let mut foot = Foot::new(notes);
    let mut y = TEXT_TOP;
    let mut empty = true;
    for i in 0..rows.len() {
        let row = &rows[i];
        let space = loop {
            let space = if empty { 0.0 } else { row.space_before };
            let (chain, chain_notes) = chain_of(&rows, i);
            let notes = foot.height() + foot.least(&chain_notes);
            let fits_chain = y - space - chain >= TEXT_BOTTOM + notes - 0.01;
            // A chain taller than a page cannot be kept together: then only the row itself must fit.
            let keeps = empty || fits_chain || chain > BLOCK_HEIGHT;
            let bottom = y - space - row.height;
            if keeps && foot.take(&row.line.notes, bottom, false) {
                break space;
            }
            // Nothing to move off an empty page: the row stays, with the first lines of its notes.
            if empty && foot.is_empty() {
                foot.take(&row.line.notes, bottom, true);
                break space;
            }
            foot.fill(y);
            foot.close(&mut page, true);
            doc.pages.push(std::mem::take(&mut page));
            y = TEXT_TOP;
            empty = true;
        };
        y -= space;
        place(row, y, &mut page, &mut doc.bookmarks, doc.pages.len());
        y -= row.height;
        empty = false;
    }
    // Notes that did not fit under the last of the body continue on pages of their own.
    foot.close(&mut page, false);
    while !foot.is_done() {
        doc.pages.push(std::mem::take(&mut page));
        foot.close(&mut page, false);
    }
    doc.pages.push(page);
    furnish(&mut doc, running_title, shaper)?;
    Ok(doc)
}

/// Places one row whose top is at `top`, with its heading's bookmark.
fn place(row: &Row, top: f32, page: &mut Page, bookmarks: &mut Vec<Bookmark>, index: usize) {
    place_row(row, top, page);
    if let Some((level, title)) = &row.bookmark {
        bookmarks.push(Bookmark {
            level: *level,
            title: title.clone(),
            page: index,
            y: top,
        });
    }
}

/// Places the content of one row whose top is at `top`: its rule, glyphs, links, anchor and dots.
pub(super) fn place_row(row: &Row, top: f32, page: &mut Page) {
    let left = TEXT_LEFT + row.x;
    let baseline = top - row.baseline;
    if row.rule {
        page.rules.push(Rule {
            x0: TEXT_LEFT,
            x1: TEXT_RIGHT,
            y: top - row.height / 2.0,
            width: 0.5,
        });
    }
    page.glyphs.extend(row.line.glyphs.iter().map(|g| Glyph {
        x: left + g.x,
        y: baseline + g.y,
        element: row.element,
        ..g.clone()
    }));
    for (x0, x1, target) in &row.line.links {
        page.links.push(LinkRect {
            x0: left + x0,
            y0: top - row.height,
            x1: left + x1,
            y1: top,
            target: target.clone(),
        });
    }
    if let Some(target) = &row.anchor {
        page.anchors.push(Anchor {
            target: target.clone(),
            x: TEXT_LEFT,
            y: top,
        });
    }
    page.dots.extend(row.line.dots.iter().map(|d| Dot {
        x: left + d.x,
        y: baseline + d.y,
        ..*d
    }));
}

/// One centred line of page furniture, cut to the text width.
fn furniture_line(
    shaper: &mut Shaper,
    text: &str,
    face: Face,
    size: f32,
    baseline: f32,
) -> Result<Vec<Glyph>, Error> {
    let span = Span::plain(text, face, size);
    let lines = line::set(shaper, &[span], TEXT_WIDTH, TEXT_WIDTH, false)?;
    let Some(first) = lines.into_iter().next() else {
        return Ok(Vec::new());
    };
    let left = (PAGE_WIDTH - first.width) / 2.0;
    Ok(first
        .glyphs
        .into_iter()
        .map(|g| Glyph {
            x: left + g.x,
            y: baseline + g.y,
            ..g
        })
        .collect())
}

/// The running header (from page 2) and the footer.
fn furnish(doc: &mut Document, running_title: &str, shaper: &mut Shaper) -> Result<(), Error> {
    let total = doc.pages.len();
    for (i, page) in doc.pages.iter_mut().enumerate() {
        if i > 0 {
            let header = furniture_line(
                shaper,
                running_title,
                Face::SansRegular,
                9.0,
                TEXT_TOP + 26.0,
            )?;
            page.furniture.extend(header);
            page.rules.push(Rule {
                x0: TEXT_LEFT,
                x1: TEXT_RIGHT,
                y: TEXT_TOP + 20.0,
                width: 0.4,
            });
        }
        let footer = format!("第 {} 页 / 共 {} 页", i + 1, total);
        let footer = furniture_line(shaper, &footer, Face::SerifRegular, 9.0, TEXT_BOTTOM - 34.0)?;
        page.furniture.extend(footer);
    }
    Ok(())
}
