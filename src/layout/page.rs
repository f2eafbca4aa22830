//! Pagination: rows poured into the text blocks of the pages, a heading never last on a page (nor a paragraph's
//! single first or last line alone), the notes a row cites at the foot of its page (`notes`), a
//! table's head repeated on the pages it runs onto, quote and aside boxes drawn around their rows on
//! each page, then the page furniture ([`super::furniture`]).

use crate::Error;

use super::boxes::Panels;
use super::document::Row;
use super::frame::{closing_height, continues};
use super::notes::{Foot, SetNote};
use super::shaper::Shaper;
use super::{Anchor, Bookmark, Document, Dot, Geometry, Glyph, LinkRect, Page, Rule};

/// What the pages carry besides the article: the running header's title, and the house style's
/// header text and logo and footer pattern.
pub struct Furniture<'a> {
    pub running_title: &'a str,
    pub style: &'a crate::style::Style,
}

/// For each row i, the height of rows i..=j where j ends the chain of rows kept with the next one
/// (and the room j keeps for its table's closing rule), and j: from the last row up, so that a long
/// chain is summed once, not once per row.
fn chains(rows: &[Row]) -> (Vec<f32>, Vec<usize>) {
    let mut heights = vec![0.0; rows.len()];
    let mut ends: Vec<usize> = (0..rows.len()).collect();
    for i in (0..rows.len()).rev() {
        heights[i] = match rows.get(i + 1) {
            Some(next) if rows[i].keep_with_next => {
                ends[i] = ends[i + 1];
                rows[i].height + next.space_before + heights[i + 1]
            }
            _ => rows[i].height + closing_height(rows, i),
        };
    }
    (heights, ends)
}

/// For each row, the first row at or after it that cites notes (`rows.len()` when none does).
fn next_citing(rows: &[Row]) -> Vec<usize> {
    let mut next = vec![rows.len(); rows.len() + 1];
    for i in (0..rows.len()).rev() {
        next[i] = if rows[i].line.notes.is_empty() {
            next[i + 1]
        } else {
            i
        };
    }
    next
}

/// The notes cited by rows i..=end, visiting only the rows that cite some.
fn chain_notes(rows: &[Row], i: usize, end: usize, citing: &[usize]) -> Vec<usize> {
    let mut notes = Vec::new();
    let mut k = citing[i];
    while k <= end && k < rows.len() {
        notes.extend(&rows[k].line.notes);
        k = citing[k + 1];
    }
    notes
}

pub fn paginate(
    rows: Vec<Row>,
    notes: &[SetNote],
    furniture: Furniture,
    geometry: Geometry,
    shaper: &mut Shaper,
) -> Result<Document, Error> {
    let g = &geometry;
    let mut doc = Document::default();
    let mut page = Page::default();
    let mut foot = Foot::new(notes, geometry);
    let mut y = g.top;
    let mut empty = true;
    let (heights, ends) = chains(&rows);
    let citing = next_citing(&rows);
    let mut panels = Panels::new(geometry);
    for (i, row) in rows.iter().enumerate() {
        let space = loop {
            let space = if empty { 0.0 } else { row.space_before };
            let chain = heights[i];
            let cited = chain_notes(&rows, i, ends[i], &citing);
            let notes = foot.height() + foot.least(&cited);
            let fits_chain = y - space - chain >= g.bottom + notes - 0.01;
            // A chain taller than a page cannot be kept together: then only the row itself must fit.
            let keeps = empty || fits_chain || chain > g.block_height();
            let bottom = y - space - row.height - closing_height(&rows, i);
            if keeps && foot.take(&row.line.notes, bottom, false) {
                break space;
            }
            // Nothing to move off an empty page: the row stays, with the first lines of its notes.
            if empty && foot.is_empty() {
                foot.take(&row.line.notes, bottom, true);
                break space;
            }
            // The table's part of this page is closed by its rule, and its head starts the next.
            let table = continues(&rows, i);
            if let Some(c) = table {
                c.foot.place(g.left, y, &mut page, false);
                y -= c.foot.height;
            }
            panels.close(&mut page);
            foot.fill(y);
            foot.close(&mut page, true);
            doc.pages.push(std::mem::take(&mut page));
            y = g.top;
            empty = true;
            if let Some(c) = table {
                c.head.place(g.left, y, &mut page, true);
                y -= c.head.height;
            }
        };
        y -= space;
        place(row, y, &mut page, &mut doc.bookmarks, doc.pages.len(), g);
        panels.add(row.panel, y, y - row.height, &mut page);
        y -= row.height;
        empty = false;
    }
    panels.close(&mut page);
    // Notes that did not fit under the last of the body continue on pages of their own.
    foot.close(&mut page, false);
    while !foot.is_done() {
        doc.pages.push(std::mem::take(&mut page));
        foot.close(&mut page, false);
    }
    doc.pages.push(page);
    super::furniture::furnish(&mut doc, &furniture, g, shaper)?;
    Ok(doc)
}
/// Places one row whose top is at `top`, with its heading's bookmark.
fn place(
    row: &Row,
    top: f32,
    page: &mut Page,
    bookmarks: &mut Vec<Bookmark>,
    index: usize,
    g: &Geometry,
) {
    place_row(row, top, page, g);
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
pub(super) fn place_row(row: &Row, top: f32, page: &mut Page, g: &Geometry) {
    let left = g.left + row.x;
    let baseline = top - row.baseline;
    if row.rule {
        page.rules.push(Rule {
            x0: g.left,
            x1: g.right(),
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
    if let Some(frame) = &row.frame {
        frame.place(g.left, top, page, false);
    }
    if let Some(target) = &row.anchor {
        page.anchors.push(Anchor {
            target: target.clone(),
            x: g.left,
            y: top,
        });
    }
    page.dots.extend(row.line.dots.iter().map(|d| Dot {
        x: left + d.x,
        y: baseline + d.y,
        ..*d
    }));
}
