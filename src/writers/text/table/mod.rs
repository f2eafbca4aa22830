//! Tables in plain text: "表1 caption" above, then a three-line table (三线表: a rule above, one under
//! the header, one under the body) whose columns are aligned by display width, or, when even the
//! narrowest columns the cells allow are wider than the text, one record per row ("列名：值").
//!
//! Why three lines and no grid of ┌─┬─┐ │ ├─┼─┤: box-drawing characters are East Asian Ambiguous, two
//! columns wide on a Chinese terminal and one on most others. A grid's vertical rules and junctions
//! line up only under one of the two, and a row with a spanning cell has fewer of them than the rule
//! above it, so the grid falls apart under the other; a three-line table aligns its columns with
//! spaces and text alone, so they line up under either, and at worst the rules come out shorter. It is
//! also how Chinese papers set tables, and how the PDF handout sets them.

mod grid;
mod records;
mod widths;

use crate::model::Align;
use crate::text::decimal;
use crate::text::width::columns;
use crate::walk;

use super::fill::{fill, place};
use super::inline::flatten;
use grid::Grid;
use widths::Need;

/// A cell made ready: its text, where it stands, how it is aligned.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    column: usize,
    colspan: usize,
    rowspan: usize,
    align: Align,
    /// Where its number's decimal point is (byte offset), when it lines up on it with its column.
    point: Option<usize>,
}

/// The lines of a table at most `width` columns wide, caption first.
pub fn lines(table: &walk::Table, width: usize) -> Vec<String> {
    let head = cells(&table.head, false);
    let body = cells(&table.body, true);
    let points = Points::of(table.width, &body);
    let needs = needs(&head, &body, &points);
    let weights: Vec<Option<f32>> = table.columns.iter().map(|c| c.1).collect();
    let caption = flatten(&table.caption);
    match widths::fit(table.width, &needs, &weights, width) {
        Some(widths) => {
            let grid = Grid::new(widths, points);
            let mut out = caption_lines(&table.label, &caption, grid.width(), width);
            out.extend(grid.lines(&head, &body));
            out
        }
        None => {
            let mut out = caption_lines(&table.label, &caption, width, width);
            out.extend(records::lines(table.width, &head, &body, width));
            out
        }
    }
}

/// "表1 caption": centred over the table when it fits on one line as wide as the table, else
/// filled to the text width, hanging after the label.
fn caption_lines(label: &str, caption: &str, table_width: usize, width: usize) -> Vec<String> {
    let line = if caption.is_empty() {
        label.to_string()
    } else {
        format!("{label} {caption}")
    };
    if columns(&line) <= table_width {
        return vec![
            place(&line, table_width, Align::Center)
                .trim_end()
                .to_string(),
        ];
    }
    let first = format!("{label} ");
    fill(caption, &first, &" ".repeat(columns(&first)), width)
}

/// The cells of some rows as text. A header cell of a number column is centred over it; a body
/// cell of one lines up on its point when it covers one column and holds a number on one line.
fn cells(rows: &[Vec<walk::Cell>], body: bool) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    let text = flatten(&c.runs);
                    let point = (body && c.align == Align::Decimal && c.colspan == 1)
                        .then(|| decimal::point(&text))
                        .flatten()
                        .filter(|_| !text.contains('\n'));
                    Cell {
                        text,
                        column: c.column,
                        colspan: c.colspan,
                        rowspan: c.rowspan,
                        align: c.align,
                        point,
                    }
                })
                .collect()
        })
        .collect()
}

/// For each column, the widest text before and from the point among the cells aligned on it.
#[derive(Debug, Clone, Default)]
struct Points {
    before: Vec<usize>,
    after: Vec<usize>,
}

impl Points {
    fn of(count: usize, body: &[Vec<Cell>]) -> Points {
        let mut points = Points {
            before: vec![0; count],
            after: vec![0; count],
        };
        for cell in body.iter().flatten() {
            if let Some(p) = cell.point.filter(|_| cell.column < count) {
                let c = cell.column;
                points.before[c] = points.before[c].max(columns(&cell.text[..p]));
                points.after[c] = points.after[c].max(columns(&cell.text[p..]));
            }
        }
        points
    }

    /// The width of the block of aligned numbers in column `c`.
    fn block(&self, c: usize) -> usize {
        self.before[c] + self.after[c]
    }
}

/// What every cell asks of its columns; the numbers aligned on their points ask for their block.
fn needs(head: &[Vec<Cell>], body: &[Vec<Cell>], points: &Points) -> Vec<Need> {
    let mut needs: Vec<Need> = head
        .iter()
        .chain(body)
        .flatten()
        .filter(|c| c.point.is_none())
        .map(|c| {
            let (min, max) = widths::extent(&c.text);
            Need {
                column: c.column,
                colspan: c.colspan,
                min,
                max,
            }
        })
        .collect();
    needs.extend((0..points.before.len()).map(|c| Need {
        column: c,
        colspan: 1,
        min: points.block(c),
        max: points.block(c),
    }));
    needs
}

#[cfg(test)]
mod tests;
