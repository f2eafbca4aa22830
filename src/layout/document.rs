//! The article as a column of rows (set lines with the space above them), in reading order: title
//! block, body, endnotes, references, then the disclaimer after a rule and the copyright; and the
//! footnotes, set apart, for the foot of the pages that cite them. Tables and figures are rows set as
//! one piece (`table`, `figure`); quotes and asides are rows set narrower inside a box (`boxes`).
//! Pagination is `page`'s job.

use std::sync::Arc;

use crate::Error;
use crate::fonts::Face;
use crate::model::{Article, ListStyle};
use crate::runs::{Run, Script};
use crate::walk::{self, Entry, ListStart, NoticeKind, Sink, TitleBlock};

use super::boxes::{self, Panel, PanelKind};
use super::frame::{Continued, Frame, Laid};
use super::line::{self, SetLine, Span};
use super::notes::{NOTE_LEADING, NOTE_SIZE, SetNote};
use super::shaper::Shaper;
use super::{BODY_SIZE, Element, LayoutOptions, Role, TEXT_WIDTH, Target, figure, table};

/// One line of the column.
#[derive(Debug, Clone)]
pub struct Row {
    pub space_before: f32,
    pub height: f32,
    /// Baseline below the row's top.
    pub baseline: f32,
    /// Left of the line from the text block's left.
    pub x: f32,
    pub line: SetLine,
    /// Never the last row of a page: headings, and a paragraph's first and next-to-last lines (no
    /// single line of a paragraph alone at the foot or the head of a page).
    pub keep_with_next: bool,
    pub bookmark: Option<(u8, String)>,
    /// The reference entry or note that starts on this row, for the links to it.
    pub anchor: Option<Target>,
    /// A horizontal rule across the row instead of text.
    pub rule: bool,
    /// The structure element the row's text belongs to.
    pub element: usize,
    /// A piece set whole instead of a line (a table's rows, a figure), its glyphs naming their own
    /// elements.
    pub frame: Option<Frame>,
    /// The quote or aside box the row is drawn in.
    pub panel: Option<Panel>,
    /// The table the row belongs to, for the pages it runs onto.
    pub continued: Option<Arc<Continued>>,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    /// Line height as a multiple of the size.
    leading: f32,
    /// Left of every line from the text block's left.
    x: f32,
    first_indent: f32,
    space_before: f32,
    justify: bool,
    center: bool,
}

impl Style {
    /// Body text without the first line's indent.
    fn flush() -> Style {
        Style {
            first_indent: 0.0,
            ..Style::body()
        }
    }

    fn body() -> Style {
        Style {
            size: BODY_SIZE,
            leading: 1.7,
            x: 0.0,
            first_indent: 2.0 * BODY_SIZE,
            space_before: 0.0,
            justify: true,
            center: false,
        }
    }
}

/// An open list: its structure element, where its items start, its markers.
struct OpenList {
    /// The parent of the list element, restored when the list ends.
    outer: Option<usize>,
    element: usize,
    /// Left of the items' text from the text block's left.
    x: f32,
    indent: f32,
    markers: Vec<String>,
    marker_face: Face,
}

struct Builder<'s, 'f> {
    shaper: &'s mut Shaper<'f>,
    rows: Vec<Row>,
    /// Space owed to the next row (a heading's space after).
    owed: f32,
    elements: Vec<Element>,
    /// The element rows are set in now, and the parent of the next one opened.
    current: usize,
    parent: Option<usize>,
    lists: Vec<OpenList>,
    /// The footnotes set so far, in number order.
    notes: Vec<SetNote>,
    /// The rows set before the last footnotes: the markers of the next ones are after them.
    flushed: usize,
    /// Room kept free left and right of the text (inside a quote or an aside).
    inset: (f32, f32),
    /// The box rows are set in now.
    panel: Option<Panel>,
    /// The JSON path of each table, in the walk's order (for errors).
    table_paths: Vec<String>,
    /// Each open aside: what to restore at its end (parent, box, inset), and its first row.
    asides: Vec<OpenAside>,
}

struct OpenAside {
    parent: Option<usize>,
    panel: Option<Panel>,
    inset: (f32, f32),
    first_row: usize,
}

/// The article laid out as one column, its structure elements, and its footnotes.
pub struct Column {
    pub rows: Vec<Row>,
    pub elements: Vec<Element>,
    pub notes: Vec<SetNote>,
}

/// The article as one column.
pub fn column(
    article: &Article,
    shaper: &mut Shaper,
    options: LayoutOptions,
) -> Result<Column, Error> {
    let mut b = Builder {
        shaper,
        rows: Vec::new(),
        owed: 0.0,
        elements: Vec::new(),
        current: 0,
        parent: None,
        lists: Vec::new(),
        notes: Vec::new(),
        flushed: 0,
        inset: (0.0, 0.0),
        panel: None,
        table_paths: table_paths(&article.blocks, "blocks"),
        asides: Vec::new(),
    };
    walk::drive(article, options.keep_punctuation, options.notes, &mut b)?;
    Ok(Column {
        rows: b.rows,
        elements: b.elements,
        notes: b.notes,
    })
}

/// The JSON path of every table in `blocks` (at `path`) and in the blocks they hold, in the walk's
/// order.
fn table_paths(blocks: &[crate::model::Block], path: &str) -> Vec<String> {
    use crate::model::Block;
    let mut paths = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Table(_) => paths.push(format!("{path}[{i}].table")),
            Block::Aside(a) => {
                paths.extend(table_paths(&a.blocks, &format!("{path}[{i}].aside.blocks")))
            }
            _ => {}
        }
    }
    paths
}

/// The rows of the article (its footnotes aside).
#[cfg(test)]
pub fn rows(
    article: &Article,
    shaper: &mut Shaper,
    options: LayoutOptions,
) -> Result<(Vec<Row>, Vec<Element>), Error> {
    let column = column(article, shaper, options)?;
    Ok((column.rows, column.elements))
}

/// Spans of runs: terms in the sans bold, strong in the serif bold (a real bold face, never a faked
/// one), emphasis marked (`inline` sets it: dots under Han, the italic over Latin where the face has
/// one, so strong emphasis is bold with dots), citation labels raised and smaller, superscript and
/// subscript marked, a note's marker a raised number in the text face linked to its note.
pub(super) fn spans_of(runs: &[Run], size: f32) -> Vec<Span> {
    runs.iter()
        .map(|r| {
            if let Some(n) = r.note {
                return Span {
                    link: Some(Target::Note(n)),
                    script: Script::Super,
                    ..Span::plain(r.text.as_str(), Face::SerifRegular, size)
                };
            }
            let face = if r.term {
                Face::SansBold
            } else if r.strong {
                Face::SerifBold
            } else {
                Face::SerifRegular
            };
            let (size, rise) = if r.citation {
                (size * 0.7, size * 0.38)
            } else {
                (size, 0.0)
            };
            Span {
                text: r.text.clone(),
                face,
                size,
                rise,
                link: r.link.clone().map(Target::from),
                script: r.script,
                emph: r.emph && !r.citation,
            }
        })
        .collect()
}

impl Sink for Builder<'_, '_> {
    type Error = Error;

    fn table(&mut self, t: &walk::Table) -> Result<(), Error> {
        let path = self
            .table_paths
            .get(t.number - 1)
            .cloned()
            .unwrap_or_default();
        let laid = table::set(self.shaper, t, &path)?;
        self.adopt(laid);
        self.owed = table::SPACE_AROUND;
        Ok(())
    }

    fn figure(&mut self, f: &walk::Figure) -> Result<(), Error> {
        let laid = figure::set(self.shaper, f)?;
        self.adopt(laid);
        self.owed = figure::SPACE_AROUND;
        Ok(())
    }

    fn quote(&mut self, paragraphs: &[Vec<Run>], source: Option<&[Run]>) -> Result<(), Error> {
        let (outer, outer_inset, outer_panel) = (self.parent, self.inset, self.panel);
        let element = self.open(Role::BlockQuote);
        self.parent = Some(element);
        self.owed = self.owed.max(boxes::SPACE_AROUND);
        self.inset = boxes::QUOTE_INSET;
        self.panel = Some(Panel {
            element,
            kind: PanelKind::Quote,
        });
        for runs in paragraphs {
            self.open(Role::Paragraph);
            self.paragraph(&spans_of(runs, BODY_SIZE), Style::body())?;
        }
        if let Some(source) = source {
            self.open(Role::Paragraph);
            let first = self.paragraph(&spans_of(source, BODY_SIZE), Style::flush())?;
            // The source line is set flush right.
            for row in &mut self.rows[first..] {
                row.x += (row.line.available - row.line.width).max(0.0);
            }
        }
        self.inset = outer_inset;
        self.panel = outer_panel;
        self.parent = outer;
        self.owed = boxes::SPACE_AROUND;
        Ok(())
    }

    fn aside_start(&mut self, label: &str) -> Result<(), Error> {
        self.asides.push(OpenAside {
            parent: self.parent,
            panel: self.panel,
            inset: self.inset,
            first_row: self.rows.len(),
        });
        let element = self.open(Role::Aside);
        self.parent = Some(element);
        self.panel = Some(Panel {
            element,
            kind: PanelKind::Aside,
        });
        self.spacer(boxes::SPACE_AROUND.max(self.owed), boxes::ASIDE_PAD);
        self.inset = boxes::ASIDE_INSET;
        // The label is set like a heading inside the box.
        self.open(Role::Paragraph);
        let label = Span::plain(label, Face::SansBold, BODY_SIZE);
        let first = self.paragraph(&[label], Style::flush())?;
        self.owed = 2.0;
        for row in &mut self.rows[first..] {
            row.keep_with_next = true;
        }
        Ok(())
    }

    fn aside_end(&mut self) -> Result<(), Error> {
        let Some(open) = self.asides.pop() else {
            return Ok(());
        };
        self.spacer(0.0, boxes::ASIDE_PAD);
        // Kept on one page when it fits: every row holds on to the next, the last to nothing.
        let last = self.rows.len() - 1;
        for row in &mut self.rows[open.first_row..last] {
            row.keep_with_next = true;
        }
        self.rows[last].keep_with_next = false;
        self.inset = open.inset;
        self.panel = open.panel;
        self.parent = open.parent;
        self.owed = boxes::SPACE_AROUND;
        Ok(())
    }

    fn footnotes(&mut self, notes: &[walk::Note]) -> Result<(), Error> {
        for note in notes {
            self.footnote(note)?;
        }
        self.flushed = self.rows.len();
        Ok(())
    }

    fn endnotes(&mut self, title: &str, notes: &[walk::Note]) -> Result<(), Error> {
        Sink::heading(self, 1, &[Run::plain(title)])?;
        let size = 9.5;
        let items: Vec<ListEntry> = notes
            .iter()
            .map(|n| ListEntry {
                label: note_label(n.number),
                spans: spans_of(&n.runs, size),
                anchor: Target::Note(n.number),
            })
            .collect();
        let widest = notes.last().map_or(String::new(), |n| note_label(n.number));
        self.numbered_list(&items, &widest, size)
    }

    fn title_block(&mut self, block: &TitleBlock) -> Result<(), Error> {
        let centered = |size: f32, leading: f32, space_before: f32| Style {
            size,
            leading,
            x: 0.0,
            first_indent: 0.0,
            space_before,
            justify: false,
            center: true,
        };
        let span = Span::plain;
        self.open(Role::Title);
        let title = span(&block.title, Face::SansBold, 20.0);
        self.paragraph(&[title], centered(20.0, 1.4, 0.0))?;
        if let Some(sub) = &block.subtitle {
            self.open(Role::Paragraph);
            let sub = span(sub, Face::SansRegular, 14.0);
            self.paragraph(&[sub], centered(14.0, 1.5, 2.0))?;
        }
        self.open(Role::Paragraph);
        let byline = span(&block.byline, Face::SerifRegular, BODY_SIZE);
        self.paragraph(&[byline], centered(BODY_SIZE, 1.7, 6.0))?;
        let small = Style {
            size: 9.5,
            leading: 1.6,
            first_indent: 0.0,
            space_before: 0.0,
            ..Style::body()
        };
        if let Some(keywords) = &block.keywords {
            self.open(Role::Paragraph);
            let style = Style {
                space_before: 8.0,
                ..small
            };
            self.paragraph(&spans_of(keywords, 9.5), style)?;
        }
        if let Some(summary) = &block.summary {
            self.open(Role::Paragraph);
            self.paragraph(&spans_of(summary, 9.5), small)?;
        }
        self.owed = 14.0;
        Ok(())
    }

    fn heading(&mut self, level: u8, runs: &[Run]) -> Result<(), Error> {
        let (size, before, after) = match level {
            1 => (16.0, 18.0, 6.0),
            2 => (13.0, 12.0, 3.0),
            _ => (11.0, 8.0, 1.0),
        };
        // A heading is set in the sans bold throughout.
        let spans: Vec<Span> = spans_of(runs, size)
            .into_iter()
            .map(|s| Span {
                face: Face::SansBold,
                ..s
            })
            .collect();
        let title: String = runs.iter().map(|r| r.text.as_str()).collect();
        let style = Style {
            size,
            leading: 1.5,
            x: 0.0,
            first_indent: 0.0,
            space_before: before,
            justify: false,
            center: false,
        };
        self.open(Role::Heading(level));
        let first = self.paragraph(&spans, style)?;
        for row in &mut self.rows[first..] {
            row.keep_with_next = true;
        }
        self.rows[first].bookmark = Some((level, title));
        self.owed = after;
        Ok(())
    }

    fn paragraph(&mut self, runs: &[Run]) -> Result<(), Error> {
        self.open(Role::Paragraph);
        self.paragraph(&spans_of(runs, BODY_SIZE), Style::body())?;
        Ok(())
    }

    fn list_start(&mut self, list: &ListStart) -> Result<(), Error> {
        let x = self.lists.last().map_or(0.0, |l| l.x + l.indent);
        // However deep the nesting, a line keeps room for ten characters.
        let x = x.min(TEXT_WIDTH - 12.0 * BODY_SIZE);
        // The serif bullet is a faint dot next to the bold sans terms: set it in the sans bold.
        let marker_face = if list.style == ListStyle::Bullet {
            Face::SansBold
        } else {
            Face::SerifRegular
        };
        let mut widest: f32 = 0.0;
        for m in &list.markers {
            widest = widest.max(self.measure(m, marker_face, BODY_SIZE)?);
        }
        // Half an em after the marker; for 一、 that is the blank half of 、 that setting trims at the
        // end of a line.
        let indent = widest + BODY_SIZE / 2.0;
        let outer = self.parent;
        let element = self.open(Role::List);
        self.lists.push(OpenList {
            outer,
            element,
            x,
            indent,
            markers: list.markers.clone(),
            marker_face,
        });
        Ok(())
    }

    fn list_item(&mut self, index: usize, runs: &[Run]) -> Result<(), Error> {
        let Some(list) = self.lists.last() else {
            return Ok(());
        };
        let (x, indent, face) = (list.x, list.indent, list.marker_face);
        let marker = list.markers.get(index).cloned().unwrap_or_default();
        self.parent = Some(list.element);
        let item = self.open(Role::ListItem);
        let style = Style {
            x: x + indent,
            first_indent: 0.0,
            ..Style::body()
        };
        let first = self.paragraph(&spans_of(runs, BODY_SIZE), style)?;
        self.hang_label(first, &marker, face, indent, BODY_SIZE)?;
        // Lists nested in the item are its children.
        self.parent = Some(item);
        Ok(())
    }

    fn list_end(&mut self) -> Result<(), Error> {
        if let Some(list) = self.lists.pop() {
            self.parent = list.outer;
        }
        Ok(())
    }

    fn references(&mut self, title: &str, entries: &[Entry]) -> Result<(), Error> {
        Sink::heading(self, 1, &[Run::plain(title)])?;
        let size = 9.5;
        let items: Vec<ListEntry> = entries
            .iter()
            .map(|entry| ListEntry {
                label: entry.label.clone(),
                spans: entry
                    .runs
                    .iter()
                    .map(|r| Span {
                        link: r.link.clone().map(Target::from),
                        ..Span::plain(r.text.as_str(), Face::SerifRegular, size)
                    })
                    .collect(),
                anchor: Target::Reference(entry.number),
            })
            .collect();
        self.numbered_list(&items, &format!("[{}]", entries.len()), size)
    }

    fn rule(&mut self) -> Result<(), Error> {
        self.rows.push(Row {
            space_before: 18.0,
            height: 10.0,
            baseline: 5.0,
            x: 0.0,
            line: SetLine {
                width: TEXT_WIDTH,
                ..SetLine::empty(TEXT_WIDTH)
            },
            keep_with_next: true,
            bookmark: None,
            anchor: None,
            rule: true,
            element: self.current,
            frame: None,
            panel: None,
            continued: None,
        });
        Ok(())
    }

    fn notice(&mut self, kind: NoticeKind, paragraphs: &[Vec<Run>]) -> Result<(), Error> {
        if kind == NoticeKind::Copyright {
            self.owed = 8.0;
        }
        let size = 9.0;
        for (i, runs) in paragraphs.iter().enumerate() {
            let style = Style {
                size,
                leading: 1.6,
                x: 0.0,
                first_indent: if i == 0 { 0.0 } else { 2.0 * size },
                space_before: 0.0,
                justify: true,
                center: false,
            };
            self.open(Role::Paragraph);
            self.paragraph(&spans_of(runs, size), style)?;
        }
        Ok(())
    }
}

/// An entry of a numbered list set like the references: its label hanging, its text, the anchor of
/// its first line.
struct ListEntry {
    label: String,
    spans: Vec<Span>,
    anchor: Target,
}

/// The label of a note: "1.".
fn note_label(number: usize) -> String {
    format!("{number}.")
}

impl Builder<'_, '_> {
    /// A list set like the references: small text, each label hanging in a column as wide as
    /// `widest`.
    fn numbered_list(&mut self, items: &[ListEntry], widest: &str, size: f32) -> Result<(), Error> {
        let indent = self.measure(widest, Face::SerifRegular, size)? + size / 2.0;
        let list_element = self.open(Role::List);
        for (n, item) in items.iter().enumerate() {
            let style = Style {
                size,
                leading: 1.6,
                x: indent,
                first_indent: 0.0,
                space_before: if n == 0 { 0.0 } else { 2.0 },
                justify: true,
                center: false,
            };
            self.parent = Some(list_element);
            self.open(Role::ListItem);
            let first = self.paragraph(&item.spans, style)?;
            self.hang_label(first, &item.label, Face::SerifRegular, indent, size)?;
            self.rows[first].anchor = Some(item.anchor.clone());
        }
        self.parent = None;
        Ok(())
    }

    /// Sets one footnote apart from the column, in a /Note element under the element whose row
    /// holds its marker.
    fn footnote(&mut self, note: &walk::Note) -> Result<(), Error> {
        let n = note.number;
        let marked = self.rows[self.flushed..]
            .iter()
            .rposition(|r| r.line.notes.contains(&n))
            .map(|at| self.flushed + at);
        // A block that did not hand the marker's row its note (none should) cites it on its last row.
        let marked = marked.or_else(|| {
            let last = self.rows.len().checked_sub(1)?;
            self.rows[last].line.notes.push(n);
            Some(last)
        });
        let (current, owed) = (self.current, std::mem::take(&mut self.owed));
        self.elements.push(Element {
            role: Role::Note,
            parent: marked.map(|at| self.rows[at].element),
            alt: None,
        });
        self.current = self.elements.len() - 1;
        // Room for two digits at least, so that notes 1 to 99 line up.
        let widest = note_label(n.max(10));
        let indent = self.measure(&widest, Face::SerifRegular, NOTE_SIZE)? + NOTE_SIZE / 2.0;
        let style = Style {
            size: NOTE_SIZE,
            leading: NOTE_LEADING,
            x: indent,
            first_indent: 0.0,
            space_before: 0.0,
            justify: true,
            center: false,
        };
        let first = self.paragraph(&spans_of(&note.runs, NOTE_SIZE), style)?;
        self.hang_label(first, &note_label(n), Face::SerifRegular, indent, NOTE_SIZE)?;
        let mut rows = self.rows.split_off(first);
        rows[0].anchor = Some(Target::Note(n));
        self.notes.push(SetNote { number: n, rows });
        (self.current, self.owed) = (current, owed);
        Ok(())
    }

    /// Opens a structure element under the current parent; the rows set next belong to it.
    fn open(&mut self, role: Role) -> usize {
        self.elements.push(Element {
            role,
            parent: self.parent,
            alt: None,
        });
        self.current = self.elements.len() - 1;
        self.current
    }

    /// Sets spans as one paragraph; returns the index of its first row.
    fn paragraph(&mut self, spans: &[Span], style: Style) -> Result<usize, Error> {
        let (left, right) = self.inset;
        let style = Style {
            x: style.x + left,
            ..style
        };
        let width = TEXT_WIDTH - style.x - right;
        let mut lines = line::set(
            self.shaper,
            spans,
            width - style.first_indent,
            width,
            style.justify,
        )?;
        if lines.is_empty() {
            lines.push(SetLine::empty(width));
        }
        let first = self.rows.len();
        let n = lines.len();
        let height = style.leading * style.size;
        for (i, line) in lines.into_iter().enumerate() {
            let mut x = style.x + if i == 0 { style.first_indent } else { 0.0 };
            if style.center {
                x += (line.available - line.width).max(0.0) / 2.0;
            }
            let space_before = if i == 0 {
                style.space_before.max(self.owed)
            } else {
                0.0
            };
            self.rows.push(Row {
                space_before,
                height,
                // The ideographic em box centred in the line: its top is 0.88 em above the baseline.
                baseline: (height - style.size) / 2.0 + 0.88 * style.size,
                x,
                line,
                // No single line of a paragraph alone at the foot or the head of a page.
                keep_with_next: n >= 2 && (i == 0 || i + 2 == n),
                bookmark: None,
                anchor: None,
                rule: false,
                element: self.current,
                frame: None,
                panel: self.panel,
                continued: None,
            });
        }
        self.owed = 0.0;
        Ok(first)
    }

    /// An empty row in the current box (the room above and below an aside's text).
    fn spacer(&mut self, space_before: f32, height: f32) {
        self.rows.push(Row {
            space_before,
            height,
            baseline: 0.0,
            x: 0.0,
            line: SetLine::empty(0.0),
            keep_with_next: true,
            bookmark: None,
            anchor: None,
            rule: false,
            element: self.current,
            frame: None,
            panel: self.panel,
            continued: None,
        });
        self.owed = 0.0;
    }

    /// Takes in a block laid out apart (a table, a figure): its elements under the current parent,
    /// its rows after the others, the space owed before its first row.
    fn adopt(&mut self, laid: Laid) {
        let offset = self.elements.len();
        for e in laid.elements {
            self.elements.push(Element {
                parent: e.parent.map(|p| p + offset).or(self.parent),
                ..e
            });
        }
        self.current = self.elements.len() - 1;
        for (i, mut row) in laid.rows.into_iter().enumerate() {
            row.element += offset;
            if let Some(frame) = &mut row.frame {
                frame.shift_elements(offset);
            }
            if i == 0 {
                row.space_before = row.space_before.max(self.owed);
            }
            self.rows.push(row);
        }
        self.owed = 0.0;
    }

    /// Width of a text in a face.
    fn measure(&mut self, text: &str, face: Face, size: f32) -> Result<f32, Error> {
        let span = Span::plain(text, face, size);
        let lines = line::set(self.shaper, &[span], f32::MAX, f32::MAX, false)?;
        Ok(lines.iter().map(|l| l.width).fold(0.0, f32::max))
    }

    /// Puts a label (list marker, reference number) in the margin left of a row.
    fn hang_label(
        &mut self,
        row: usize,
        label: &str,
        face: Face,
        width: f32,
        size: f32,
    ) -> Result<(), Error> {
        let span = Span::plain(label, face, size);
        let lines = line::set(self.shaper, &[span], f32::MAX, f32::MAX, false)?;
        if let Some(r) = self.rows.get_mut(row) {
            for l in lines {
                // Before the line's glyphs: the label is read first.
                let label = l.glyphs.into_iter().map(|mut g| {
                    g.x -= width;
                    g
                });
                r.line.glyphs.splice(0..0, label);
            }
        }
        Ok(())
    }
}
