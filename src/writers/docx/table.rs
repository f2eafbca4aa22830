//! Tables: the caption above ("表" and a `SEQ 表` field), then a `w:tbl` in the three-line table
//! style (三线表, [`super::element_styles`]) across the text width, with the light rule under the
//! header as the bottom border of the last header row's cells (a table style's first-row formatting
//! cannot reach a header of several rows). Header rows repeat on every page (`w:tblHeader`, which
//! docx-rs cannot write: [`super::fill`] adds it to the first rows of the table); no row splits
//! across pages (`w:cantSplit`). Spans are `w:gridSpan` and `w:vMerge`: the rows below a
//! row-spanning cell get the continuing cells Word needs.
//!
//! Column alignment is the cell paragraph's: left, centred, right; a decimal column's body cells
//! get a decimal tab stop, on which Word and LibreOffice align a cell's text without a tab character
//! (the point of each number on the stop, text without a point ending there), placed so that the
//! column's widest numbers sit centred in it; its header cells are centred, as is a header cell over
//! several columns.

use docx_rs::{
    AlignmentType, BorderType, Tab, TabValueType, Table, TableAlignmentType, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

use super::body::Builder;
use super::element_styles::THREE_LINE_TABLE;
use super::styles::{CHAR, Para};
use crate::model::Align;
use crate::walk;

/// The text width in twips (A4 less the margins, [`super::body`]).
/// Left and right cell margins together (the table style's).
const CELL_MARGINS: usize = CHAR as usize;
/// One display column (half a character) of the 9 pt table text, in twips.
const COLUMN: usize = 90;
/// A column shrinks to four Han characters (or its longest line, if shorter) before others give
/// way.
const MIN_COLUMNS: usize = 8;

/// A cell of a row as Word needs it: the article's, the continuation of one from a row above, or
/// filler where a row has fewer cells than the grid (never from a checked source).
enum Slot<'a> {
    Cell {
        cell: &'a walk::Cell,
        colspan: usize,
        rowspan: usize,
    },
    Continue {
        column: usize,
        colspan: usize,
    },
    Empty {
        column: usize,
        colspan: usize,
    },
}

impl Slot<'_> {
    fn column(&self) -> usize {
        match self {
            Slot::Cell { cell, .. } => cell.column,
            Slot::Continue { column, .. } | Slot::Empty { column, .. } => *column,
        }
    }

    fn colspan(&self) -> usize {
        match self {
            Slot::Cell { colspan, .. }
            | Slot::Continue { colspan, .. }
            | Slot::Empty { colspan, .. } => *colspan,
        }
    }
}

impl Builder<'_> {
    pub(super) fn table_block(&mut self, t: &walk::Table) {
        // In the Caption style as a figure's, and kept with the table below it.
        self.caption("表", t.number, &t.caption, true);
        if t.width == 0 || t.head.len() + t.body.len() == 0 {
            // Word cannot open a table without rows or columns.
            return;
        }
        let text_width = self.style.word_text_twips().0 as usize;
        let widths = grid_widths(t, text_width);
        let tabs = decimal_tabs(t, &widths);
        let mut rows = self.rows(&t.head, &widths, &[], true);
        rows.extend(self.rows(&t.body, &widths, &tabs, false));
        self.inline.styles.add(THREE_LINE_TABLE);
        let table = Table::without_borders(rows)
            .style(THREE_LINE_TABLE)
            .set_grid(widths)
            .width(text_width, WidthType::Dxa)
            .align(TableAlignmentType::Center)
            .layout(TableLayoutType::Fixed);
        self.header_rows.push(t.head.len());
        self.docx = std::mem::take(&mut self.docx).add_table(table);
    }

    /// The rows of the header (`head`) or the body; the last header row carries the light rule.
    /// `tabs`: the decimal tab stop of each decimal column (none for the header).
    fn rows(
        &mut self,
        rows: &[Vec<walk::Cell>],
        widths: &[usize],
        tabs: &[Option<usize>],
        head: bool,
    ) -> Vec<TableRow> {
        // Per grid column where a row-spanning cell starts: its colspan and the rows it still covers.
        let mut spans = vec![(0, 0); widths.len()];
        let mut out = Vec::with_capacity(rows.len());
        for (r, cells) in rows.iter().enumerate() {
            let rows_left = rows.len() - r;
            let slots = slots(cells, &mut spans, rows_left);
            let cells = slots
                .iter()
                .map(|slot| {
                    let ends_last = match slot {
                        Slot::Cell { rowspan, .. } => *rowspan == rows_left,
                        _ => rows_left == 1,
                    };
                    let tab = tabs.get(slot.column()).copied().flatten();
                    let align = match slot {
                        Slot::Cell { cell, colspan, .. } => {
                            cell_align(cell.align, *colspan, tab, head)
                        }
                        _ => CellAlign::Left,
                    };
                    self.cell(slot, widths, align, head && ends_last)
                })
                .collect();
            out.push(TableRow::new(cells).cant_split());
        }
        out
    }

    fn cell(&mut self, slot: &Slot, widths: &[usize], align: CellAlign, rule: bool) -> TableCell {
        let (column, colspan) = (slot.column(), slot.colspan());
        let width = widths.iter().skip(column).take(colspan).sum();
        let mut p = self.new_paragraph(Para::TableText);
        let mut c = TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center);
        match slot {
            Slot::Cell { cell, rowspan, .. } => {
                p = match align {
                    CellAlign::Left => p,
                    CellAlign::Center => p.align(AlignmentType::Center),
                    CellAlign::Right => p.align(AlignmentType::Right),
                    CellAlign::Decimal(pos) => {
                        p.add_tab(Tab::new().val(TabValueType::Decimal).pos(pos))
                    }
                };
                p = self.inline.add_runs(p, Para::TableText, &cell.runs);
                if *rowspan > 1 {
                    c = c.vertical_merge(VMergeType::Restart);
                }
            }
            Slot::Continue { .. } => c = c.vertical_merge(VMergeType::Continue),
            Slot::Empty { .. } => {}
        }
        if colspan > 1 {
            c = c.grid_span(colspan);
        }
        if rule {
            let bottom = TableCellBorder::new(TableCellBorderPosition::Bottom)
                .border_type(BorderType::Single)
                .size(6)
                .color("000000");
            c = c.set_borders(TableCellBorders::with_empty().set(bottom));
        }
        // Every cell holds a paragraph of ours: docx-rs would number an empty cell's from its own
        // counter.
        c.add_paragraph(p)
    }
}

/// How a cell's paragraph is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellAlign {
    Left,
    Center,
    Right,
    /// On a decimal tab stop this far from the cell's text edge, in twips.
    Decimal(usize),
}

/// A cell's alignment: its column's; a header cell over several columns centred over them; a
/// decimal column's body cells on its tab stop (`tab`), its header cells and cells across several
/// columns centred.
fn cell_align(align: Align, colspan: usize, tab: Option<usize>, head: bool) -> CellAlign {
    match (align, tab) {
        _ if head && colspan > 1 => CellAlign::Center,
        (Align::Decimal, Some(pos)) if colspan == 1 => CellAlign::Decimal(pos),
        (Align::Left, _) => CellAlign::Left,
        (Align::Right, _) => CellAlign::Right,
        (Align::Center | Align::Decimal, _) => CellAlign::Center,
    }
}

/// The cells of one row in grid order, with the continuations of the cells above that still cover
/// a column (`spans`, updated for the next row) and filler for columns no cell covers.
fn slots<'a>(
    cells: &'a [walk::Cell],
    spans: &mut [(usize, usize)],
    rows_left: usize,
) -> Vec<Slot<'a>> {
    let width = spans.len();
    let mut out = Vec::new();
    let mut column = 0;
    // A cell of a hand-made model that overlaps another, or lies beyond the grid, has no place.
    let mut cells = cells.iter().filter(|c| c.column < width).peekable();
    while column < width {
        if spans[column].1 > 0 {
            let colspan = spans[column].0;
            spans[column].1 -= 1;
            out.push(Slot::Continue { column, colspan });
            column += colspan;
            continue;
        }
        while cells.next_if(|c| c.column < column).is_some() {}
        if let Some(cell) = cells.next_if(|c| c.column == column) {
            let colspan = cell.colspan.clamp(1, width - column);
            let rowspan = cell.rowspan.clamp(1, rows_left);
            if rowspan > 1 {
                spans[column] = (colspan, rowspan - 1);
            }
            out.push(Slot::Cell {
                cell,
                colspan,
                rowspan,
            });
            column += colspan;
            continue;
        }
        let covered = (column..width).find(|&c| spans[c].1 > 0).unwrap_or(width);
        let next = cells.peek().map_or(width, |c| c.column).min(covered);
        out.push(Slot::Empty {
            column,
            colspan: next.max(column + 1) - column,
        });
        column = next.max(column + 1);
    }
    out
}

/// The decimal tab stop of each decimal column, in twips from the cell's text edge: where the point
/// falls when the column's widest integer part and widest fraction (estimated at half a character a
/// digit) sit centred in the cell. The point is the shared rule's ([`crate::text::decimal`]); a cell
/// without a number does not count.
fn decimal_tabs(t: &walk::Table, widths: &[usize]) -> Vec<Option<usize>> {
    let mut sides = vec![(0usize, 0usize); t.width];
    for cell in t.body.iter().flatten() {
        if cell.colspan == 1 && cell.column < t.width {
            let text: String = cell.runs.iter().map(|r| r.text.as_str()).collect();
            let Some(point) = crate::text::decimal::point(&text) else {
                continue;
            };
            let (int, frac) = text.split_at(point);
            let side = &mut sides[cell.column];
            side.0 = side.0.max(crate::text::width::columns(int.trim_start()));
            side.1 = side.1.max(crate::text::width::columns(frac.trim_end()));
        }
    }
    t.columns
        .iter()
        .zip(sides.iter().zip(widths))
        .map(|(&(align, _), (&(int, frac), &width))| {
            let inner = width.saturating_sub(CELL_MARGINS);
            let lead = inner.saturating_sub((int + frac) * COLUMN) / 2;
            (align == Align::Decimal).then_some((lead + int * COLUMN).min(inner))
        })
        .collect()
}

/// Grid column widths in twips, filling the text width: in proportion to the columns' widths when
/// every column gives one; else from the content, as browsers set automatic tables.
fn grid_widths(t: &walk::Table, text_width: usize) -> Vec<usize> {
    let given: Option<Vec<f64>> = t
        .columns
        .iter()
        .map(|c| c.1.filter(|w| w.is_finite() && *w > 0.0).map(f64::from))
        .collect();
    match given {
        Some(w) if w.len() == t.width => share(text_width, &w),
        _ => content_widths(t, text_width),
    }
}

/// Each column's preferred width is its longest line (display width: a Han character is two
/// columns), its minimum that up to [`MIN_COLUMNS`]. Columns get their preferred widths and share
/// what is left in proportion to them; when those do not fit, their minimums and, of the rest, a
/// share in proportion to how much more they would like.
fn content_widths(t: &walk::Table, text_width: usize) -> Vec<usize> {
    let preferred = preferred_columns(t);
    let twips = |columns: usize| (columns * COLUMN + CELL_MARGINS) as f64;
    let pref: Vec<f64> = preferred.iter().map(|&p| twips(p)).collect();
    let min: Vec<f64> = preferred
        .iter()
        .map(|&p| twips(p.min(MIN_COLUMNS)))
        .collect();
    let (sum_pref, sum_min) = (pref.iter().sum::<f64>(), min.iter().sum::<f64>());
    let total = text_width as f64;
    if sum_pref <= total || sum_min >= total {
        let base = if sum_pref <= total { &pref } else { &min };
        return share(text_width, base);
    }
    let room = total - sum_min;
    let want = sum_pref - sum_min;
    let widths: Vec<f64> = min
        .iter()
        .zip(&pref)
        .map(|(m, p)| m + room * (p - m) / want)
        .collect();
    share(text_width, &widths)
}

/// The display width of each column's longest cell, at least two columns; a spanning cell wider than
/// its columns widens them evenly.
fn preferred_columns(t: &walk::Table) -> Vec<usize> {
    let mut pref = vec![2usize; t.width];
    let text_width = |cell: &walk::Cell| {
        cell.runs
            .iter()
            .map(|r| crate::text::width::columns(&r.text))
            .sum::<usize>()
    };
    let cells = || t.head.iter().chain(&t.body).flatten();
    for cell in cells().filter(|c| c.colspan == 1 && c.column < t.width) {
        pref[cell.column] = pref[cell.column].max(text_width(cell));
    }
    for cell in cells().filter(|c| c.colspan > 1 && c.column < t.width) {
        let end = (cell.column + cell.colspan).min(t.width);
        let have: usize = pref[cell.column..end].iter().sum();
        let need = text_width(cell);
        if need > have {
            let n = end - cell.column;
            for p in &mut pref[cell.column..end] {
                *p += (need - have).div_ceil(n);
            }
        }
    }
    pref
}

/// `total` shared in proportion to `weights`, in whole twips that add up to `total`.
fn share(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![total / weights.len().max(1); weights.len()];
    }
    let mut widths: Vec<usize> = weights
        .iter()
        .map(|w| (total as f64 * w / sum).floor() as usize)
        .collect();
    let short = total.saturating_sub(widths.iter().sum());
    if let Some(last) = widths.last_mut() {
        *last += short;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: usize, colspan: usize, rowspan: usize, text: &str) -> walk::Cell {
        walk::Cell {
            runs: vec![crate::runs::Run::plain(text)],
            column,
            colspan,
            rowspan,
            align: Align::Left,
        }
    }

    #[test]
    fn rows_below_a_rowspan_get_its_continuations() {
        let rows = [
            vec![cell(0, 1, 3, "a"), cell(1, 2, 1, "b")],
            vec![cell(1, 1, 1, "c"), cell(2, 1, 1, "d")],
            vec![cell(1, 2, 1, "e")],
        ];
        let mut spans = vec![(0, 0); 3];
        let kinds: Vec<Vec<(char, usize, usize)>> = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                slots(row, &mut spans, rows.len() - r)
                    .iter()
                    .map(|s| {
                        let kind = match s {
                            Slot::Cell { .. } => 'c',
                            Slot::Continue { .. } => '+',
                            Slot::Empty { .. } => ' ',
                        };
                        (kind, s.column(), s.colspan())
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                vec![('c', 0, 1), ('c', 1, 2)],
                vec![('+', 0, 1), ('c', 1, 1), ('c', 2, 1)],
                vec![('+', 0, 1), ('c', 1, 2)],
            ]
        );
    }

    #[test]
    fn short_rows_are_filled_and_spans_end_with_the_rows() {
        let rows = [vec![cell(0, 1, 5, "a")], vec![]];
        let mut spans = vec![(0, 0); 3];
        let first = slots(&rows[0], &mut spans, 2);
        assert!(matches!(
            first[1],
            Slot::Empty {
                column: 1,
                colspan: 2
            }
        ));
        let second = slots(&rows[1], &mut spans, 1);
        assert!(matches!(
            second[0],
            Slot::Continue {
                column: 0,
                colspan: 1
            }
        ));
        assert!(matches!(
            second[1],
            Slot::Empty {
                column: 1,
                colspan: 2
            }
        ));
        assert_eq!(spans, vec![(1, 0), (0, 0), (0, 0)]);
    }

    #[test]
    fn widths_fill_the_text_width() {
        assert_eq!(share(100, &[1.0, 1.0, 1.0]), vec![33, 33, 34]);
        assert_eq!(share(100, &[]), Vec::<usize>::new());
        let t = walk::Table {
            number: 1,
            label: "表1".into(),
            caption: vec![],
            width: 2,
            columns: vec![(Align::Left, None); 2],
            head: vec![],
            body: vec![vec![
                cell(0, 1, 1, "药物"),
                cell(1, 1, 1, &"长".repeat(200)),
            ]],
        };
        let text_width = crate::style::Style::default().word_text_twips().0 as usize;
        assert_eq!(text_width, 11906 - 2 * 1588);
        let w = grid_widths(&t, text_width);
        assert_eq!(w.iter().sum::<usize>(), text_width);
        // The short column keeps its text on one line; the long one takes the rest.
        assert!(w[0] >= 4 * COLUMN + CELL_MARGINS, "{w:?}");
        assert!(w[1] > 6 * w[0], "{w:?}");
    }
}
