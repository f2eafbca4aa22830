//! Pagination: rows poured into A4 text blocks, a heading never last on a page (nor a paragraph's
//! single first or last line alone), the notes a row cites at the foot of its page (`notes`), a
//! table's head repeated on the pages it runs onto, quote and aside boxes drawn around their rows on
//! each page, then the running header from page 2 and the footer "第 N 页 / 共 M 页" on every page.

use crate::Error;
use crate::fonts::Face;

use super::boxes::Panels;
use super::document::Row;
use super::frame::{closing_height, continues};
use super::line::{self, Span};
use super::notes::{Foot, SetNote};
use super::shaper::Shaper;
use super::{
    Anchor, Bookmark, Document, Dot, Glyph, LinkRect, PAGE_WIDTH, Page, Rule, TEXT_BOTTOM,
    TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_WIDTH,
};

const BLOCK_HEIGHT: f32 = TEXT_TOP - TEXT_BOTTOM;

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
    running_title: &str,
    shaper: &mut Shaper,
) -> Result<Document, Error> {
    let mut doc = Document::default();
    let mut page = Page::default();
    let mut foot = Foot::new(notes);
    let mut y = TEXT_TOP;
    let mut empty = true;
    let (heights, ends) = chains(&rows);
    let citing = next_citing(&rows);
    let mut panels = Panels::default();
    for (i, row) in rows.iter().enumerate() {
        let space = loop {
            let space = if empty { 0.0 } else { row.space_before };
            let chain = heights[i];
            let cited = chain_notes(&rows, i, ends[i], &citing);
            let notes = foot.height() + foot.least(&cited);
            let fits_chain = y - space - chain >= TEXT_BOTTOM + notes - 0.01;
            // A chain taller than a page cannot be kept together: then only the row itself must fit.
            let keeps = empty || fits_chain || chain > BLOCK_HEIGHT;
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
                c.foot.place(y, &mut page, false);
                y -= c.foot.height;
            }
            panels.close(&mut page);
            foot.fill(y);
            foot.close(&mut page, true);
            doc.pages.push(std::mem::take(&mut page));
            y = TEXT_TOP;
            empty = true;
            if let Some(c) = table {
                c.head.place(y, &mut page, true);
                y -= c.head.height;
            }
        };
        y -= space;
        place(row, y, &mut page, &mut doc.bookmarks, doc.pages.len());
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
    if let Some(frame) = &row.frame {
        frame.place(top, page, false);
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
