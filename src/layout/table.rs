//! A table set as a three-line table (三线表): its caption "表N" above, a heavy rule, the header rows,
//! a light rule, the body rows, a heavy rule; no vertical rules. Columns are as wide as their content
//! asks (`columns`), cells are filled by the paragraph's clreq rules (`line::set`) and centred
//! vertically, numbers of a decimal column aligned on their point. Body rows become rows of the
//! column, each set as one piece, so that pagination breaks the table only between rows (rows joined
//! by a cell spanning them stay together); on the pages a table runs onto, its caption reads "续表N"
//! and its header rows come again. A row taller than a page is cut between lines.

use std::sync::Arc;

use crate::Error;
use crate::fonts::Face;
use crate::model::Align;
use crate::walk::{Cell, Table};

use super::caption::caption;
use super::columns::{self, Need};
use super::document::{Row, spans_of};
use super::frame::{Continued, Frame, Laid};
use super::line::{self, SetLine, Span};
use super::shaper::Shaper;
use super::{Geometry, Role};

const CELL_SIZE: f32 = 9.0;
const CELL_LINE: f32 = 1.4 * CELL_SIZE;
/// Room between a cell's text and its column's edges, and above and below it.
const PAD_X: f32 = 0.5 * CELL_SIZE;
const PAD_Y: f32 = 1.2;
/// More room above and below the cells of a row where a cell runs to several lines, so that its
/// last line is not read with the next row.
const PAD_Y_MULTILINE: f32 = 3.0;
/// Room between a rule and the rows next to it.
const RULE_GAP: f32 = 2.5;
const HEAVY: f32 = 1.0;
const LIGHT: f32 = 0.5;
/// The rule under a header cell that spans columns over other header cells.
const SPANNER: f32 = 0.4;
/// Between the caption and the top rule.
const CAPTION_GAP: f32 = 2.0;
/// A cell whose text is at most this wide (padding included) is not broken while the table fits.
const SHORT: f32 = 6.0 * CELL_SIZE + 2.0 * PAD_X;
/// Space above and below a table.
pub const SPACE_AROUND: f32 = 9.0;
/// Header rows taller than this part of a page are not repeated on the pages a table runs onto.
const REPEATED_HEAD_SHARE: f32 = 1.0 / 3.0;

/// A cell with its text set at its column's width, and the lines' left edges within it.
struct SetCell<'a> {
    cell: &'a Cell,
    /// Row within its part of the table (head or body).
    row: usize,
    /// Left edge from the table's left, and width.
    left: f32,
    width: f32,
    lines: Vec<(SetLine, f32)>,
    element: usize,
}

impl SetCell<'_> {
    fn content_height(&self) -> f32 {
        self.lines.len().max(1) as f32 * CELL_LINE
    }

    /// The height the cell needs, padding included.
    fn needed_height(&self) -> f32 {
        let pad = if self.lines.len() > 1 {
            PAD_Y_MULTILINE
        } else {
            PAD_Y
        };
        self.content_height() + 2.0 * pad
    }
}

/// A cell's spans: header cells in the sans.
fn cell_spans(cell: &Cell, header: bool) -> Vec<Span> {
    spans_of(&cell.runs, CELL_SIZE)
        .into_iter()
        .map(|s| {
            let face = match (header, s.face) {
                (true, Face::SerifRegular) => Face::SansRegular,
                (true, Face::SerifBold) => Face::SansBold,
                (_, face) => face,
            };
            Span { face, ..s }
        })
        .collect()
}

/// How a cell's lines are aligned: a header cell of a decimal column is centred over it.
fn alignment(cell: &Cell, header: bool) -> Align {
    match cell.align {
        Align::Decimal if header || cell.colspan > 1 => Align::Center,
        align => align,
    }
}

/// Where a number's point falls in its line: the x of the first "." between digits, else the end of
/// the first run of digits, else the line's end.
fn point(line: &SetLine) -> f32 {
    let chars: Vec<(char, f32)> = line
        .glyphs
        .iter()
        .filter(|g| !g.text.is_empty())
        .flat_map(|g| g.text.chars().map(move |c| (c, g.x)))
        .collect();
    let digit = |i: usize| chars.get(i).is_some_and(|(c, _)| c.is_ascii_digit());
    if let Some(i) = (1..chars.len()).find(|&i| chars[i].0 == '.' && digit(i - 1) && digit(i + 1)) {
        return chars[i].1;
    }
    let first = chars.iter().position(|(c, _)| c.is_ascii_digit());
    let end = first.and_then(|f| (f..chars.len()).find(|&i| !digit(i)));
    match (first, end) {
        (Some(_), Some(i)) => chars[i].1,
        _ => line.width,
    }
}

/// The integer and fraction widths of each line of a decimal cell, set unbroken.
fn decimal_parts(shaper: &mut Shaper, spans: &[Span]) -> Result<Vec<(SetLine, f32)>, Error> {
    let lines = line::set(shaper, spans, f32::MAX, f32::MAX, false)?;
    Ok(lines
        .into_iter()
        .map(|l| {
            let at = point(&l);
            (l, at)
        })
        .collect())
}

/// Whether a body cell is aligned on the decimal point.
fn on_point(cell: &Cell, header: bool) -> bool {
    !header && cell.align == Align::Decimal && cell.colspan == 1
}

/// The widths each cell needs, and the widths of the decimal columns' integer and fraction parts.
fn needs(
    shaper: &mut Shaper,
    table: &Table,
    points: &mut [(f32, f32)],
) -> Result<Vec<Need>, Error> {
    let mut needs = Vec::new();
    let parts = [(&table.head, true), (&table.body, false)];
    for (rows, header) in parts {
        for cell in rows.iter().flatten() {
            let spans = cell_spans(cell, header);
            if on_point(cell, header) {
                for (line, at) in decimal_parts(shaper, &spans)? {
                    let p = &mut points[cell.column];
                    *p = (p.0.max(at), p.1.max(line.width - at));
                }
                continue;
            }
            let widest = line::set(shaper, &spans, f32::MAX, f32::MAX, false)?
                .iter()
                .map(|l| l.width)
                .fold(0.0, f32::max);
            needs.push(Need {
                column: cell.column,
                span: cell.colspan,
                min: line::min_width(shaper, &spans)? + 2.0 * PAD_X,
                max: widest + 2.0 * PAD_X,
            });
        }
    }
    for (column, &(int, frac)) in points.iter().enumerate() {
        if int + frac > 0.0 {
            let width = int + frac + 2.0 * PAD_X;
            needs.push(Need {
                column,
                span: 1,
                min: width,
                max: width,
            });
        }
    }
    Ok(needs)
}

/// The error of a table too wide for the text block, naming it.
fn too_wide(table: &Table, path: &str, needed: f32, text_width: f32) -> Error {
    let caption: String = table.caption.iter().map(|r| r.text.as_str()).collect();
    Error::Content {
        path: path.to_string(),
        message: format!(
            "{} \"{caption}\" is too wide for the text block: its {} columns need at least {needed:.0} pt \
             where the text block is {text_width:.0} pt, expected fewer columns or shorter words and \
             numbers that cannot be broken",
            table.label, table.width
        ),
    }
}

/// Lays the table out as rows of the column: the caption and head as one row kept with the next,
/// then each group of body rows (cut when taller than a page), the last closed by the bottom rule.
pub fn set(shaper: &mut Shaper, table: &Table, path: &str, g: &Geometry) -> Result<Laid, Error> {
    let grid = Grid::new(shaper, table, path, g.width)?;
    let mut laid = Laid::default();
    let element = laid.open(Role::Table, None);
    let caption_element = laid.open(Role::Caption, Some(element));
    let head = grid.set_rows(shaper, &table.head, true, &mut laid, element)?;
    let body = grid.set_rows(shaper, &table.body, false, &mut laid, element)?;

    let first = caption(
        shaper,
        &table.label,
        &table.caption,
        caption_element,
        g.width,
    )?;
    let again = caption(
        shaper,
        &format!("续{}", table.label),
        &table.caption,
        0,
        g.width,
    )?;
    let head_rows = head.frame(0, head.heights.len());
    let block = g.block_height();
    let repeat = head_rows.height <= block * REPEATED_HEAD_SHARE;
    let mut top = opening(first, Some(&head_rows), g.width);
    let continued = Arc::new(Continued {
        head: opening(again, repeat.then_some(&head_rows), g.width),
        foot: closing(g.width),
    });
    // A piece must fit on a page under either head, with room for the rule that closes it.
    let limit = block - top.height.max(continued.head.height) - 2.0 * continued.foot.height;
    let mut pieces: Vec<Frame> = body
        .groups()
        .into_iter()
        .flat_map(|(from, to)| body.pieces(from, to, limit))
        .collect();
    match pieces.last_mut() {
        Some(last) => last.append(closing(g.width)),
        None => top.append(closing(g.width)),
    }
    let keep = !pieces.is_empty();
    laid.rows = std::iter::once(Row::of_frame(top, element, SPACE_AROUND, keep))
        .chain(
            pieces
                .into_iter()
                .map(|p| Row::of_frame(p, element, 0.0, false).continuing(&continued)),
        )
        .collect();
    Ok(laid)
}

/// The caption, the top rule and the header rows above their rule (when there are any).
fn opening(mut frame: Frame, head_rows: Option<&Frame>, width: f32) -> Frame {
    frame.height += CAPTION_GAP;
    frame.add_rule(0.0, width, -frame.height, HEAVY);
    frame.height += HEAVY + RULE_GAP;
    if let Some(rows) = head_rows.filter(|h| h.height > 0.0) {
        frame.append(rows.clone());
        frame.height += RULE_GAP;
        frame.add_rule(0.0, width, -frame.height, LIGHT);
        frame.height += LIGHT + RULE_GAP;
    }
    frame
}

/// The bottom rule, with the room above it.
fn closing(width: f32) -> Frame {
    let mut frame = Frame {
        height: RULE_GAP,
        ..Frame::default()
    };
    frame.add_rule(0.0, width, -frame.height, HEAVY);
    frame.height += HEAVY;
    frame
}

/// The columns' left edges (and the table's right edge last), and each decimal column's widest
/// integer and fraction parts.
struct Grid {
    lefts: Vec<f32>,
    points: Vec<(f32, f32)>,
}

/// The head or the body, set: the height of each row, and its cells.
struct Part<'a> {
    header: bool,
    heights: Vec<f32>,
    cells: Vec<SetCell<'a>>,
    /// Index of the first cell of each row in `cells`, and the cells' count last.
    starts: Vec<usize>,
}

impl Grid {
    /// The columns shared out over the text width by what the cells need; an error naming the
    /// table when they cannot fit.
    fn new(shaper: &mut Shaper, table: &Table, path: &str, text_width: f32) -> Result<Grid, Error> {
        let mut points = vec![(0.0f32, 0.0f32); table.width];
        let needs = needs(shaper, table, &mut points)?;
        // Relative widths count when every column has one.
        let relative: Option<Vec<f32>> = table.columns.iter().map(|c| c.1).collect();
        let share =
            |needs: &[Need]| columns::widths(table.width, needs, relative.as_deref(), text_width);
        // A short cell ("项目", "12个月") is kept on one line while the table can afford it: a
        // column squeezed to one character reads badly, and browsers would squeeze it.
        let whole: Vec<Need> = needs
            .iter()
            .map(|n| Need {
                min: if n.max <= SHORT { n.max } else { n.min },
                ..*n
            })
            .collect();
        let widths = share(&whole)
            .or_else(|_| share(&needs))
            .map_err(|e| too_wide(table, path, e.needed, text_width))?;
        let mut lefts = Vec::with_capacity(widths.len() + 1);
        lefts.push(0.0f32);
        for w in &widths {
            lefts.push(lefts.last().copied().unwrap_or(0.0) + w);
        }
        Ok(Grid { lefts, points })
    }

    /// The cell's width, from its first column to the end of its last.
    fn width(&self, cell: &Cell) -> f32 {
        let last = (cell.column + cell.colspan).min(self.lefts.len() - 1);
        self.lefts[last] - self.lefts[cell.column.min(last)]
    }

    /// Sets rows of cells, opening a TR element for each row and a TH or TD for each cell.
    fn set_rows<'a>(
        &self,
        shaper: &mut Shaper,
        rows: &'a [Vec<Cell>],
        header: bool,
        laid: &mut Laid,
        table: usize,
    ) -> Result<Part<'a>, Error> {
        let mut cells = Vec::new();
        let mut starts = Vec::with_capacity(rows.len() + 1);
        for (r, row) in rows.iter().enumerate() {
            starts.push(cells.len());
            let tr = laid.open(Role::TableRow, Some(table));
            for cell in row {
                let role = Role::TableCell {
                    header,
                    rowspan: cell.rowspan as u32,
                    colspan: cell.colspan as u32,
                };
                let element = laid.open(role, Some(tr));
                let lines = self.set_cell(shaper, cell, header)?;
                cells.push(SetCell {
                    cell,
                    row: r,
                    left: self.lefts[cell.column.min(self.lefts.len() - 1)],
                    width: self.width(cell),
                    lines,
                    element,
                });
            }
        }
        starts.push(cells.len());
        let heights = row_heights(rows.len(), &cells);
        Ok(Part {
            header,
            heights,
            cells,
            starts,
        })
    }

    /// A cell's lines, each with its left edge from the cell's left.
    fn set_cell(
        &self,
        shaper: &mut Shaper,
        cell: &Cell,
        header: bool,
    ) -> Result<Vec<(SetLine, f32)>, Error> {
        let spans = cell_spans(cell, header);
        let width = self.width(cell);
        if on_point(cell, header) {
            let (int, frac) = self.points[cell.column];
            // The column's numbers as one block, centred in the column, each on the block's point.
            let at = (width - int - frac) / 2.0 + int;
            return Ok(decimal_parts(shaper, &spans)?
                .into_iter()
                .map(|(line, p)| (line, at - p))
                .collect());
        }
        let inner = (width - 2.0 * PAD_X).max(0.0);
        let align = alignment(cell, header);
        // Ragged right: a narrow column justified opens wide gaps around its Latin words.
        let lines = line::set(shaper, &spans, inner, inner, false)?;
        Ok(lines
            .into_iter()
            .map(|line| {
                let slack = (inner - line.width).max(0.0);
                let x = PAD_X
                    + match align {
                        Align::Right => slack,
                        Align::Center => slack / 2.0,
                        Align::Left | Align::Decimal => 0.0,
                    };
                (line, x)
            })
            .collect())
    }
}

/// Each row's height: its tallest cell that spans no other row, then the rows of a cell spanning
/// several grown at their last row for what the cell lacks (cells ending higher first).
fn row_heights(count: usize, cells: &[SetCell]) -> Vec<f32> {
    let least = CELL_LINE + 2.0 * PAD_Y;
    let mut heights = vec![least; count];
    let mut ending: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, c) in cells.iter().enumerate() {
        let last = (c.row + c.cell.rowspan.max(1) - 1).min(count.saturating_sub(1));
        if last == c.row {
            heights[c.row] = heights[c.row].max(c.needed_height());
        } else {
            ending[last].push(i);
        }
    }
    for last in 0..count {
        for &i in &ending[last] {
            let c = &cells[i];
            let have: f32 = heights[c.row..=last].iter().sum();
            let need = c.needed_height();
            if need > have {
                heights[last] += need - have;
            }
        }
    }
    heights
}

/// A line of a cell placed in a part: its top below the part's first row, its left, its element.
struct Placed<'l> {
    depth: f32,
    x: f32,
    line: &'l SetLine,
    element: usize,
}

impl Part<'_> {
    /// Rows `from..to` as one frame.
    fn frame(&self, from: usize, to: usize) -> Frame {
        let lines = self.placed(from, to, true);
        let height: f32 = self.heights[from..to].iter().sum();
        let mut frame = frame_of(&lines, 0.0, height);
        if self.header {
            self.spanner_rules(from, to, &mut frame);
        }
        frame
    }

    /// Under each cell of rows `from..to` that spans columns with rows of the part below it, a
    /// short light rule across its columns (the 三线表's auxiliary rule under a grouping header).
    fn spanner_rules(&self, from: usize, to: usize, frame: &mut Frame) {
        for c in &self.cells[self.starts[from]..self.starts[to]] {
            let end = c.row + c.cell.rowspan.max(1);
            if c.cell.colspan < 2 || end >= to {
                continue;
            }
            let bottom: f32 = self.heights[from..end].iter().sum();
            let (x0, x1) = (c.left + PAD_X, c.left + c.width - PAD_X);
            frame.add_rule(x0, x1, SPANNER / 2.0 - bottom, SPANNER);
        }
    }

    /// The lines of the cells starting in rows `from..to`, each at its depth below row `from`'s top;
    /// centred vertically in their cell, or from its top (`centred` false, for cutting).
    fn placed(&self, from: usize, to: usize, centred: bool) -> Vec<Placed<'_>> {
        let mut tops = vec![0.0f32; to - from + 1];
        for r in from..to {
            tops[r - from + 1] = tops[r - from] + self.heights[r];
        }
        let mut out = Vec::new();
        for c in &self.cells[self.starts[from]..self.starts[to]] {
            let last = (c.row + c.cell.rowspan.max(1)).min(to);
            let height = tops[last - from] - tops[c.row - from];
            let room = height - c.content_height();
            let start = tops[c.row - from] + if centred { room / 2.0 } else { PAD_Y };
            for (k, (line, x)) in c.lines.iter().enumerate() {
                out.push(Placed {
                    depth: start + k as f32 * CELL_LINE,
                    x: c.left + x,
                    line,
                    element: c.element,
                });
            }
        }
        out
    }

    /// The groups of rows that stay together: a row and the rows its cells span (and theirs).
    fn groups(&self) -> Vec<(usize, usize)> {
        let count = self.heights.len();
        let mut groups = Vec::new();
        let mut from = 0;
        let mut reach = 0;
        for r in 0..count {
            for c in &self.cells[self.starts[r]..self.starts[r + 1]] {
                reach = reach.max(r + c.cell.rowspan.max(1) - 1);
            }
            if reach <= r {
                groups.push((from, r + 1));
                from = r + 1;
            }
        }
        if from < count {
            groups.push((from, count));
        }
        groups
    }

    /// Rows `from..to` as one frame; when taller than `limit` (a page's room) cut between their
    /// lines into bands, a frame each, so that pagination breaks them where a page ends, never
    /// through a line.
    fn pieces(&self, from: usize, to: usize, limit: f32) -> Vec<Frame> {
        let height: f32 = self.heights[from..to].iter().sum();
        if height <= limit {
            return vec![self.frame(from, to)];
        }
        let mut lines = self.placed(from, to, false);
        lines.sort_by(|a, b| a.depth.total_cmp(&b.depth));
        let mut pieces = Vec::new();
        let (mut start, mut reach, mut first) = (0.0, 0.0f32, 0);
        for (i, l) in lines.iter().enumerate() {
            // A line that starts below every line before it begins a band; so does one that would
            // make the band taller than a page (lines of cells that never leave a gap between
            // them), the lines above keeping their place.
            let clear = l.depth >= reach - 0.01;
            if i > first && (clear || l.depth + CELL_LINE - start > limit) {
                pieces.push(frame_of(&lines[first..i], start, l.depth - start));
                (start, first) = (l.depth, i);
            }
            reach = reach.max(l.depth + CELL_LINE);
        }
        pieces.push(frame_of(&lines[first..], start, height - start));
        pieces
    }
}

/// A frame of placed lines whose top is `start` below the part's top.
fn frame_of(lines: &[Placed], start: f32, height: f32) -> Frame {
    let mut frame = Frame {
        height,
        ..Frame::default()
    };
    for l in lines {
        frame.add_line(
            l.line,
            l.x,
            start - l.depth,
            CELL_LINE,
            CELL_SIZE,
            l.element,
        );
    }
    frame
}
