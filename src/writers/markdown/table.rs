//! Tables (docs/markdown.md, Tables).
//!
//! The first header row is GFM's header row (a row of empty cells when the table has no header);
//! then the delimiter row with the columns' alignments (`:---` left, `:---:` centre, `---:` right and
//! decimal, plain `---` everywhere when the table describes no columns); then the other header rows and,
//! when there are two header rows or more, a row of `---` cells that ends the header; then the body.
//! A grid position that a cell spans over from the left is `<`; every position a cell spans over
//! below its first row is `^`, whatever its column. Cells are padded to their column's display width
//! (a cell spanning columns is left out of the widths).
//!
//! The caption follows after a blank line as `Table: caption {align="…" widths="…"}`: `align` only
//! when a column is decimal (which the delimiter row cannot say), `widths` when a column has a width
//! (`-` for one without); the line is left out when there is neither caption nor braces.

use unicode_width::UnicodeWidthStr;

use super::check::Container;
use super::{Unwritable, Writer};
use crate::model::{Align, Cell, Table};

/// A position of the grid: a cell's own (with its path), or one it spans over.
enum Slot<'a> {
    Cell(&'a Cell, String),
    Left,
    Up,
}

impl<'a> Writer<'a> {
    pub(super) fn table(&mut self, t: &'a Table, path: &str) -> Result<Vec<String>, Unwritable> {
        let first = t.head.first().or(t.body.first());
        let width = first.map_or(0, |row| row.iter().map(|c| c.colspan as usize).sum());
        if width == 0 {
            return Err(Unwritable::at(
                format!("{path}.body"),
                "a table without cells",
            ));
        }
        if !t.columns.is_empty() && t.columns.len() != width {
            return Err(Unwritable::at(
                format!("{path}.columns"),
                format!(
                    "{} columns described, the rows have {width}",
                    t.columns.len()
                ),
            ));
        }
        let head = grid(&t.head, width, &format!("{path}.head"))?;
        let body = grid(&t.body, width, &format!("{path}.body"))?;
        let mut rows = Vec::new();
        for row in &head {
            rows.push(self.row(row)?);
        }
        if rows.first().is_some_and(|r| r.iter().all(String::is_empty)) {
            return Err(Unwritable::at(
                format!("{path}.head[0]"),
                "a first header row of empty cells, which Markdown reads as no header row",
            ));
        }
        if head.is_empty() {
            rows.push(vec![String::new(); width]);
        }
        if head.len() > 1 {
            rows.push(vec!["---".to_string(); width]);
        }
        for row in &body {
            rows.push(self.row(row)?);
        }
        let mut lines = format_rows(&rows, &aligns(t, width));
        if let Some(caption) = self.caption(t, path)? {
            lines.push(String::new());
            lines.push(caption);
        }
        Ok(lines)
    }

    fn row(&mut self, row: &[Slot<'a>]) -> Result<Vec<String>, Unwritable> {
        row.iter()
            .map(|slot| match slot {
                Slot::Cell(cell, path) => {
                    let mut line = self.line(Container::Paragraph, path);
                    line.run(&cell.content, true)?;
                    self.finish(line)
                }
                Slot::Left => Ok("<".into()),
                Slot::Up => Ok("^".into()),
            })
            .collect()
    }

    /// `Table: caption {align="…" widths="…"}`, if there is a caption or braces.
    fn caption(&mut self, t: &'a Table, path: &str) -> Result<Option<String>, Unwritable> {
        let mut braces = Vec::new();
        if t.columns.iter().any(|c| c.align == Align::Decimal) {
            let names: Vec<&str> = t.columns.iter().map(|c| align_name(c.align)).collect();
            braces.push(format!("align=\"{}\"", names.join(" ")));
        }
        if t.columns.iter().any(|c| c.width.is_some()) {
            let mut widths = Vec::new();
            for (i, c) in t.columns.iter().enumerate() {
                widths.push(match c.width {
                    None => "-".to_string(),
                    // f32's Display is the shortest text that reads back as the same f32.
                    Some(w) if w.is_finite() => w.to_string(),
                    Some(w) => {
                        let at = format!("{path}.columns[{i}].width");
                        return Err(Unwritable::at(at, format!("width {w}, expected a number")));
                    }
                });
            }
            braces.push(format!("widths=\"{}\"", widths.join(" ")));
        }
        if t.caption.is_empty() && braces.is_empty() {
            return Ok(None);
        }
        let mut line = self.line(Container::Paragraph, &format!("{path}.caption"));
        line.raw("Table:", "Table:");
        if !t.caption.is_empty() {
            line.raw(" ", " ");
            line.run(&t.caption, false)?;
        }
        if !braces.is_empty() {
            let end = line.toks.len() - 1;
            line.refuse_trimmed(
                end,
                char::is_whitespace,
                "at the end of a table's caption before its braces",
            )?;
            let braces = format!(" {{{}}}", braces.join(" "));
            line.raw(braces.clone(), &braces);
        }
        self.finish(line).map(Some)
    }
}

/// The rows of one part (head or body) on a grid `width` columns wide.
fn grid<'a>(
    rows: &'a [Vec<Cell>],
    width: usize,
    path: &str,
) -> Result<Vec<Vec<Slot<'a>>>, Unwritable> {
    // How many rows below the current one each column is still covered from above.
    let mut covered = vec![0u32; width];
    let mut grid = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut slots: Vec<Option<Slot>> = covered
            .iter()
            .map(|&c| (c > 0).then_some(Slot::Up))
            .collect();
        covered.iter_mut().for_each(|c| *c = c.saturating_sub(1));
        let mut col = 0;
        for (j, cell) in row.iter().enumerate() {
            let at = format!("{path}[{r}][{j}]");
            while slots.get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let end = col + cell.colspan as usize;
            let fits = cell.colspan > 0
                && cell.rowspan > 0
                && end <= width
                && slots[col..end].iter().all(Option::is_none)
                && r + cell.rowspan as usize <= rows.len();
            if !fits {
                return Err(Unwritable::at(
                    at,
                    "the cell's spans do not fit the table's rows and columns",
                ));
            }
            slots[col] = Some(Slot::Cell(cell, at));
            slots[col + 1..end]
                .iter_mut()
                .for_each(|s| *s = Some(Slot::Left));
            covered[col..end]
                .iter_mut()
                .for_each(|c| *c = cell.rowspan - 1);
            col = end;
        }
        let full: Option<Vec<Slot>> = slots.into_iter().collect();
        grid.push(full.ok_or_else(|| {
            Unwritable::at(
                format!("{path}[{r}]"),
                "the row covers fewer columns than the first row",
            )
        })?);
    }
    Ok(grid)
}

/// Each column's alignment in the delimiter row; none when the table describes no columns.
fn aligns(t: &Table, width: usize) -> Vec<Option<Align>> {
    if t.columns.is_empty() {
        vec![None; width]
    } else {
        t.columns.iter().map(|c| Some(c.align)).collect()
    }
}

fn align_name(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Decimal => "decimal",
    }
}

/// `| a | b |` lines padded to each column's width, the delimiter row after the first.
fn format_rows(rows: &[Vec<String>], aligns: &[Option<Align>]) -> Vec<String> {
    let mut widths = vec![3; aligns.len()];
    for row in rows {
        for (i, (w, cell)) in widths.iter_mut().zip(row).enumerate() {
            // A cell that spans columns (a `<` follows it) would widen its first column alone.
            if row.get(i + 1).is_none_or(|next| next != "<") {
                *w = (*w).max(cell.width());
            }
        }
    }
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let cells = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.width()))));
        lines.push(line(cells.collect()));
        if i == 0 {
            lines.push(line(
                aligns
                    .iter()
                    .zip(&widths)
                    .map(|(a, w)| delimiter(*a, *w))
                    .collect(),
            ));
        }
    }
    lines
}

fn delimiter(align: Option<Align>, width: usize) -> String {
    let dashes = |n: usize| "-".repeat(n);
    match align {
        None => dashes(width),
        Some(Align::Left) => format!(":{}", dashes(width - 1)),
        Some(Align::Center) => format!(":{}:", dashes(width - 2)),
        Some(Align::Right | Align::Decimal) => format!("{}:", dashes(width - 1)),
    }
}
