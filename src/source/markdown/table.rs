//! GFM tables into the model's: `<` and `^` cells as column and row spans, a row of dashes ending a
//! header of several rows, the caption from the paragraph `Table: …` after the table, and column
//! alignments and widths from the delimiter row and the caption's braces (docs/markdown.md).

use comrak::nodes::{AstNode, NodeValue, TableAlignment};

use super::Reader;
use crate::model::{Align, Block, Cell, Column, Table};

type Node<'a> = &'a AstNode<'a>;

/// What a cell holds as written: text, or a marker joining it to a neighbour.
#[derive(Clone, Copy, PartialEq)]
enum Written {
    Text,
    /// `<`: part of the cell to the left.
    Left,
    /// `^`: part of the cell above.
    Up,
    /// Only dashes (`---`, `:-:`): a row of them ends the header.
    Dashes,
    Empty,
}

impl<'a> Reader<'a> {
    /// Whether `node` is a table's caption paragraph (`Table: …`).
    pub(super) fn is_caption(&self, node: Node<'a>) -> bool {
        matches!(node.data().value, NodeValue::Paragraph)
            && self.written_at(node.data().sourcepos).starts_with("Table:")
    }

    pub(super) fn table(
        &mut self,
        node: Node<'a>,
        caption: Option<Node<'a>>,
        at: &str,
    ) -> Option<Block> {
        let NodeValue::Table(t) = node.data().value.clone() else {
            return None;
        };
        let rows: Vec<Vec<Node<'a>>> = node.children().map(|r| r.children().collect()).collect();
        let written: Vec<Vec<Written>> = rows
            .iter()
            .map(|r| r.iter().map(|c| written(c)).collect())
            .collect();
        let dashes = (1..rows.len()).find(|&i| written[i].iter().all(|w| *w == Written::Dashes));
        let head_end = dashes.unwrap_or(1);
        let first_empty = written[0].iter().all(|w| *w == Written::Empty);
        let head_start = usize::from(first_empty);
        let body_start = dashes.map_or(1, |d| d + 1);
        let t_at = format!("{at}.table");
        let head = self.part(
            &rows[head_start..head_end],
            &written[head_start..head_end],
            &format!("{t_at}.head"),
        );
        let body = self.part(
            &rows[body_start..],
            &written[body_start..],
            &format!("{t_at}.body"),
        );
        let (caption_inlines, braces) = match caption {
            Some(c) => self.caption(c, &format!("{t_at}.caption")),
            None => (Vec::new(), None),
        };
        let columns = self.columns(&t.alignments, braces, caption, &format!("{t_at}.columns"));
        Some(Block::Table(Table {
            caption: caption_inlines,
            columns,
            head,
            body,
        }))
    }

    /// Rows of the header or the body, their span markers folded into the cells they extend.
    fn part(
        &mut self,
        rows: &[Vec<Node<'a>>],
        written: &[Vec<Written>],
        at: &str,
    ) -> Vec<Vec<Cell>> {
        let mut out: Vec<Vec<Cell>> = Vec::new();
        // For each row, the cell covering each column: (row, index of the cell in its row).
        let mut grid: Vec<Vec<Option<(usize, usize)>>> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            out.push(Vec::new());
            grid.push(vec![None; row.len()]);
            for (c, cell) in row.iter().enumerate() {
                let cell_at = format!("{at}[{r}][{}]", out[r].len());
                let anchor = match written[r][c] {
                    Written::Left => self.extend_left(&grid, &mut out, r, c, cell, &cell_at),
                    Written::Up => self.extend_up(&grid, &mut out, r, c, cell, &cell_at),
                    _ => {
                        self.mark(&cell_at, cell);
                        let content = self.inlines(cell, &cell_at);
                        out[r].push(Cell::new(content));
                        Some((r, out[r].len() - 1))
                    }
                };
                grid[r][c] = anchor;
            }
        }
        out
    }

    /// A `<` cell: the cell to its left, in the same row, covers one more column.
    fn extend_left(
        &mut self,
        grid: &[Vec<Option<(usize, usize)>>],
        out: &mut [Vec<Cell>],
        r: usize,
        c: usize,
        node: Node<'a>,
        at: &str,
    ) -> Option<(usize, usize)> {
        match c.checked_sub(1).and_then(|left| grid[r][left]) {
            Some((row, i)) if row == r => {
                out[row][i].colspan += 1;
                Some((row, i))
            }
            _ => {
                self.error(node, at, "a `<` cell with no cell of its row to its left, expected `<` right of the cell it extends (write `\\<` for the text \"<\")");
                None
            }
        }
    }

    /// A `^` cell: the cell above covers this row too (once for all the columns it spans).
    fn extend_up(
        &mut self,
        grid: &[Vec<Option<(usize, usize)>>],
        out: &mut [Vec<Cell>],
        r: usize,
        c: usize,
        node: Node<'a>,
        at: &str,
    ) -> Option<(usize, usize)> {
        let above = r
            .checked_sub(1)
            .and_then(|up| grid[up].get(c).copied().flatten());
        let Some((row, i)) = above else {
            self.error(node, at, "a `^` cell with no cell above it in its part of the table, expected `^` below the cell it extends (write `\\^` for the text \"^\")");
            return None;
        };
        let cell = &mut out[row][i];
        let last_row = row + cell.rowspan as usize - 1;
        if last_row + 1 == r {
            cell.rowspan += 1;
        }
        Some((row, i))
    }

    /// The caption paragraph: its inlines after `Table:`, and its braces `{align="…" widths="…"}`.
    fn caption(&mut self, node: Node<'a>, at: &str) -> (Vec<crate::model::Inline>, Option<String>) {
        let mut nodes: Vec<Node<'a>> = match node.first_child() {
            Some(first) => self
                .after_mark(first, &["Table:"])
                .unwrap_or_else(|| node.children().collect()),
            None => Vec::new(),
        };
        let mut braces = None;
        if let Some(last) = nodes.last().copied()
            && let Some(text) = text_of(last)
            && text.trim_end().ends_with('}')
            && let Some(open) = text.rfind('{')
        {
            braces = Some(text[open + 1..text.trim_end().len() - 1].to_string());
            let before = text[..open].trim_end().to_string();
            if before.is_empty() {
                nodes.pop();
            } else {
                last.data_mut().value = NodeValue::Text(before.into());
            }
        }
        self.mark(at, node);
        (self.inline_nodes(nodes, at), braces)
    }

    /// Column descriptions: from the delimiter row, overridden by `align="…"` and `widths="…"`; none
    /// when the row says nothing and there are no braces.
    fn columns(
        &mut self,
        alignments: &[TableAlignment],
        braces: Option<String>,
        caption: Option<Node<'a>>,
        at: &str,
    ) -> Vec<Column> {
        let said = alignments.iter().any(|a| *a != TableAlignment::None);
        if !said && braces.is_none() {
            return Vec::new();
        }
        let mut columns: Vec<Column> = alignments
            .iter()
            .map(|a| Column {
                align: align_of(*a),
                width: None,
            })
            .collect();
        let Some(braces) = braces else { return columns };
        let Some(node) = caption else { return columns };
        if let Err(message) = apply_braces(&braces, &mut columns) {
            self.error(node, at, message);
        }
        columns
    }
}

/// Applies `align="left decimal"` and `widths="3 -"` to the columns.
fn apply_braces(braces: &str, columns: &mut [Column]) -> Result<(), String> {
    let expected =
        "expected {align=\"left center right decimal…\" widths=\"3 2 -…\"}, one word per column";
    for (key, value) in
        attributes(braces).ok_or(format!("the caption's braces cannot be read, {expected}"))?
    {
        let words: Vec<&str> = value.split_whitespace().collect();
        if words.len() != columns.len() {
            return Err(format!(
                "{key}=\"{value}\" names {} columns, the table has {}; {expected}",
                words.len(),
                columns.len()
            ));
        }
        for (column, word) in columns.iter_mut().zip(words) {
            match (key.as_str(), word) {
                ("align", w) => {
                    column.align = align_named(w).ok_or(format!("alignment \"{w}\", {expected}"))?
                }
                ("widths", "-") => column.width = None,
                ("widths", w) => {
                    column.width = Some(
                        w.parse()
                            .map_err(|_| format!("width \"{w}\", {expected}"))?,
                    )
                }
                (other, _) => {
                    return Err(format!("\"{other}\" in the caption's braces, {expected}"));
                }
            }
        }
    }
    Ok(())
}

/// `key="value" key="value"` pairs, or None when the text is not of that form.
fn attributes(text: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (key, after) = rest.split_once('=')?;
        let after = after.strip_prefix('"')?;
        let (value, after) = after.split_once('"')?;
        out.push((key.trim().to_string(), value.to_string()));
        rest = after.trim_start();
    }
    Some(out)
}

fn align_named(word: &str) -> Option<Align> {
    Some(match word {
        "left" => Align::Left,
        "center" => Align::Center,
        "right" => Align::Right,
        "decimal" => Align::Decimal,
        _ => return None,
    })
}

fn align_of(a: TableAlignment) -> Align {
    match a {
        TableAlignment::Center => Align::Center,
        TableAlignment::Right => Align::Right,
        TableAlignment::None | TableAlignment::Left => Align::Left,
    }
}

/// The text of a text node (not an escaped character).
fn text_of<'a>(node: Node<'a>) -> Option<String> {
    match &node.data().value {
        NodeValue::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

/// What a cell holds as written: a lone unescaped `<` or `^` is a span marker, dashes a header end.
fn written<'a>(cell: Node<'a>) -> Written {
    let mut children = cell.children();
    let Some(only) = children.next() else {
        return Written::Empty;
    };
    if children.next().is_some() {
        return Written::Text;
    }
    match text_of(only).as_deref().map(str::trim) {
        Some("<") => Written::Left,
        Some("^") => Written::Up,
        Some(t) if is_dashes(t) => Written::Dashes,
        _ => Written::Text,
    }
}

fn is_dashes(t: &str) -> bool {
    let inner = t.strip_prefix(':').unwrap_or(t);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    !inner.is_empty() && inner.chars().all(|c| c == '-')
}
