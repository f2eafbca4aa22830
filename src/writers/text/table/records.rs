//! A table too wide for the text, set as one record per body row: a line "列名：值" for each cell,
//! named by the header cells over its columns ("研究人群/队列"), records set apart by a blank line
//! between two rules. A cell that spans every column (a group's heading, a note) is its text alone.
//! A row-spanning cell's value is given in every record it covers, so that each record reads whole.

use crate::text::width::columns;

use super::super::fill::{fill, rule};
use super::Cell;

/// The records of the body rows, `width` columns wide.
pub fn lines(count: usize, head: &[Vec<Cell>], body: &[Vec<Cell>], width: usize) -> Vec<String> {
    let names = column_names(count, head);
    let mut out = vec![rule(width)];
    // For each column, the cell of a row above that still covers it and the rows it has left.
    let mut above: Vec<Option<(&Cell, usize)>> = vec![None; count];
    for (i, row) in body.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        let mut cells: Vec<&Cell> = above.iter().flatten().map(|(c, _)| *c).collect();
        cells.dedup_by_key(|c| c.column);
        cells.extend(row.iter());
        cells.sort_by_key(|c| c.column);
        for cell in cells {
            if cell.colspan >= count && !cell.text.trim().is_empty() {
                out.extend(fill(cell.text.trim(), "", "", width));
            } else {
                out.extend(field(cell, &names, width));
            }
        }
        for slot in above.iter_mut() {
            *slot = slot
                .filter(|(_, left)| *left > 1)
                .map(|(c, left)| (c, left - 1));
        }
        for cell in row.iter().filter(|c| c.rowspan > 1) {
            for slot in above.iter_mut().skip(cell.column).take(cell.colspan) {
                *slot = Some((cell, cell.rowspan - 1));
            }
        }
    }
    out.push(rule(width));
    out
}

/// One cell's line (or lines): its name, a full-width colon, its value hanging after the name.
fn field(cell: &Cell, names: &[String], width: usize) -> Vec<String> {
    if cell.text.trim().is_empty() {
        return Vec::new();
    }
    let mut name: Vec<&str> = Vec::new();
    for n in names.iter().skip(cell.column).take(cell.colspan) {
        if name.last() != Some(&n.as_str()) {
            name.push(n);
        }
    }
    let first = format!("{}：", name.join("、"));
    // The value hangs after a short name; after a long one it would be squeezed into a sliver, so it
    // hangs two characters in, and a name that leaves too little room beside it has a line of its own.
    let (named, hang) = (columns(&first), 4);
    let value = cell.text.trim();
    if named <= width / 3 {
        return fill(value, &first, &" ".repeat(named), width);
    }
    if named + ROOM <= width {
        return fill(value, &first, &" ".repeat(hang), width);
    }
    let mut out = fill(&first, "", "", width);
    out.extend(fill(value, &" ".repeat(hang), &" ".repeat(hang), width));
    out
}

/// The least room a value keeps beside its name on the name's line: four characters.
const ROOM: usize = 8;

/// Each column's name: the texts of the header cells over it, top to bottom, joined by "/"; a
/// column no header names is "第N列".
fn column_names(count: usize, head: &[Vec<Cell>]) -> Vec<String> {
    let mut parts: Vec<Vec<&str>> = vec![Vec::new(); count];
    for cell in head.iter().flatten() {
        let text = cell.text.trim();
        if text.is_empty() {
            continue;
        }
        for part in parts.iter_mut().skip(cell.column).take(cell.colspan) {
            part.push(text);
        }
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(c, p)| {
            if p.is_empty() {
                format!("第{}列", c + 1)
            } else {
                p.join("/")
            }
        })
        .collect()
}
