//! A table set on its columns: the rows' cells side by side, each filled and aligned in the width of
//! the columns it covers, between the three rules; a short rule under a header cell that spans
//! columns, over the cells it heads. A row-spanning cell's text stands in its first row, blank below.

use crate::text::width::columns;

use super::super::fill::{fill, place, rule};
use super::widths::GAP;
use super::{Cell, Points};

pub struct Grid {
    widths: Vec<usize>,
    /// Where each column starts, in display columns from the left.
    starts: Vec<usize>,
    points: Points,
}

impl Grid {
    pub fn new(widths: Vec<usize>, points: Points) -> Grid {
        let starts = widths
            .iter()
            .scan(0, |at, w| {
                let start = *at;
                *at += w + GAP;
                Some(start)
            })
            .collect();
        Grid {
            widths,
            starts,
            points,
        }
    }

    /// The table's width, gaps included.
    pub fn width(&self) -> usize {
        self.widths.iter().sum::<usize>() + GAP * self.widths.len().saturating_sub(1)
    }

    /// The rules and rows. Body rows are set apart by a blank line when one of them takes more than
    /// one line, so that a wrapped cell is not read as two rows.
    pub fn lines(&self, head: &[Vec<Cell>], body: &[Vec<Cell>]) -> Vec<String> {
        let full = rule(self.width());
        let mut out = vec![full.clone()];
        for (i, row) in head.iter().enumerate() {
            out.extend(self.row(row));
            if i + 1 < head.len() {
                out.extend(self.spanning_rules(row));
            }
        }
        if !head.is_empty() {
            out.push(full.clone());
        }
        let rows: Vec<Vec<String>> = body.iter().map(|row| self.row(row)).collect();
        let apart = rows.iter().any(|r| r.len() > 1);
        for (i, lines) in rows.into_iter().enumerate() {
            if apart && i > 0 {
                out.push(String::new());
            }
            out.extend(lines);
        }
        out.push(full);
        out
    }

    /// Width of the columns a cell covers, with the gaps between them.
    fn span(&self, cell: &Cell) -> usize {
        let columns = self.widths.iter().skip(cell.column).take(cell.colspan);
        columns.sum::<usize>() + GAP * cell.colspan.saturating_sub(1)
    }

    /// A cell's lines, each padded to the cell's width.
    fn cell_lines(&self, cell: &Cell) -> Vec<String> {
        let width = self.span(cell);
        if let Some(p) = cell.point {
            let c = cell.column;
            let lead = (width.saturating_sub(self.points.block(c))) / 2 + self.points.before[c]
                - columns(&cell.text[..p]);
            let line = format!("{}{}", " ".repeat(lead), cell.text);
            return vec![place(&line, width, crate::model::Align::Left)];
        }
        if cell.text.is_empty() {
            return Vec::new();
        }
        fill(&cell.text, "", "", width)
            .iter()
            .map(|line| place(line, width, cell.align))
            .collect()
    }

    /// The lines of one row: its cells side by side, the columns that a cell from a row above still
    /// covers left blank.
    fn row(&self, row: &[Cell]) -> Vec<String> {
        let cells: Vec<(usize, Vec<String>)> = row
            .iter()
            .map(|c| {
                (
                    self.starts.get(c.column).copied().unwrap_or(0),
                    self.cell_lines(c),
                )
            })
            .collect();
        let height = cells.iter().map(|(_, l)| l.len()).max().unwrap_or(0).max(1);
        (0..height)
            .map(|k| {
                let mut line = String::new();
                let mut at = 0;
                for (start, lines) in &cells {
                    let Some(text) = lines.get(k) else { continue };
                    line.extend(std::iter::repeat_n(' ', start.saturating_sub(at)));
                    line.push_str(text);
                    at = at.max(*start) + columns(text);
                }
                line.trim_end().to_string()
            })
            .collect()
    }

    /// Under a header row: a short rule under each cell that spans columns, over the cells it heads.
    fn spanning_rules(&self, row: &[Cell]) -> Option<String> {
        let mut line = String::new();
        let mut at = 0;
        for cell in row.iter().filter(|c| c.colspan > 1) {
            let start = self.starts.get(cell.column).copied().unwrap_or(0);
            let short = rule(self.span(cell));
            line.extend(std::iter::repeat_n(' ', start.saturating_sub(at)));
            line.push_str(&short);
            at = at.max(start) + columns(&short);
        }
        (!line.is_empty()).then_some(line)
    }
}
