//! The article as a column of rows (set lines with the space above them), in reading order: title
//! block, body, endnotes, references, then the disclaimer after a rule and the copyright; and the
//! footnotes, set apart, for the foot of the pages that cite them. Tables and figures are rows set as
//! one piece (`table`, `figure`); quotes and asides are rows set narrower inside a box (`boxes`).
//! Pagination is `page`'s job.
//!
//! Here: the rows, the builder and the walk's calls to it; each kind of block is set in its own file
//! (`titles`, `lists`, `notices`, `boxes`, `notes`), a paragraph's lines in `paragraph`.

mod boxes;
mod codes;
mod lists;
mod notes;
mod notices;
mod paragraph;
mod spans;
mod titles;

use std::sync::Arc;

use crate::Error;
use crate::model::Article;
use crate::runs::Run;
use crate::walk::{self, Entry, ListStart, NoticeKind, Sink, TitleBlock};

use super::boxes::Panel;
use super::frame::{Continued, Frame, Laid};
use super::line::SetLine;
use super::notes::SetNote;
use super::shaper::Shaper;
use super::{Element, Geometry, LayoutOptions, Role, Target, figure, table};

pub(super) use spans::spans_of;
pub use titles::{TitlePart, title_lines};

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

impl Row {
    /// A row holding `line`, in `element` and the box `panel`: at the text block's left, with no
    /// height nor space above it until its maker says otherwise.
    pub(super) fn of_line(line: SetLine, element: usize, panel: Option<Panel>) -> Row {
        Row {
            space_before: 0.0,
            height: 0.0,
            baseline: 0.0,
            x: 0.0,
            line,
            keep_with_next: false,
            bookmark: None,
            anchor: None,
            rule: false,
            element,
            frame: None,
            panel,
            continued: None,
        }
    }
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
    fn flush(g: &Geometry) -> Style {
        Style {
            first_indent: 0.0,
            ..Style::body(g)
        }
    }

    fn body(g: &Geometry) -> Style {
        Style {
            size: g.body,
            leading: g.leading,
            x: 0.0,
            first_indent: 2.0 * g.body,
            space_before: 0.0,
            justify: true,
            center: false,
        }
    }
}

/// Sets the blocks the walk hands it as rows, one after the other.
struct Builder<'s, 'f> {
    shaper: &'s mut Shaper<'f>,
    rows: Vec<Row>,
    /// Space owed to the next row (a heading's space after).
    owed: f32,
    elements: Vec<Element>,
    /// The element rows are set in now, and the parent of the next one opened.
    current: usize,
    parent: Option<usize>,
    lists: Vec<lists::OpenList>,
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
    asides: Vec<boxes::OpenAside>,
    /// A QR code beside each reference entry with a DOI, PMID or PMCID (`--qr`).
    qr: bool,
    /// The page's text block and the sizes the article is set in.
    geometry: Geometry,
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
    geometry: Geometry,
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
        qr: options.qr,
        geometry,
    };
    let walk_options = walk::WalkOptions {
        keep_punctuation: options.keep_punctuation,
        notes: options.notes,
        links: options.links,
        names: options.names,
    };
    walk::drive(article, walk_options, &mut b)?;
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
    let column = column(article, shaper, options, Geometry::default())?;
    Ok((column.rows, column.elements))
}

impl Sink for Builder<'_, '_> {
    type Error = Error;

    fn title_block(&mut self, block: &TitleBlock) -> Result<(), Error> {
        self.set_title_block(block)
    }

    fn heading(&mut self, level: u8, runs: &[Run]) -> Result<(), Error> {
        self.set_heading(level, runs)
    }

    fn paragraph(&mut self, runs: &[Run]) -> Result<(), Error> {
        self.open(Role::Paragraph);
        self.paragraph(
            &spans_of(runs, self.geometry.body),
            Style::body(&self.geometry),
        )?;
        Ok(())
    }

    fn list_start(&mut self, list: &ListStart) -> Result<(), Error> {
        self.start_list(list)
    }

    fn list_item(&mut self, index: usize, runs: &[Run]) -> Result<(), Error> {
        self.set_list_item(index, runs)
    }

    fn list_end(&mut self) -> Result<(), Error> {
        self.end_list();
        Ok(())
    }

    fn references(&mut self, title: &str, entries: &[Entry]) -> Result<(), Error> {
        self.set_references(title, entries)
    }

    fn rule(&mut self) -> Result<(), Error> {
        self.set_rule();
        Ok(())
    }

    fn notice(&mut self, kind: NoticeKind, paragraphs: &[Vec<Run>]) -> Result<(), Error> {
        self.set_notice(kind, paragraphs)
    }

    fn table(&mut self, t: &walk::Table) -> Result<(), Error> {
        let path = self
            .table_paths
            .get(t.number - 1)
            .cloned()
            .unwrap_or_default();
        let laid = table::set(self.shaper, t, &path, &self.geometry)?;
        self.adopt(laid);
        self.owed = table::SPACE_AROUND;
        Ok(())
    }

    fn figure(&mut self, f: &walk::Figure) -> Result<(), Error> {
        let laid = figure::set(self.shaper, f, &self.geometry)?;
        self.adopt(laid);
        self.owed = figure::SPACE_AROUND;
        Ok(())
    }

    fn quote(&mut self, paragraphs: &[Vec<Run>], source: Option<&[Run]>) -> Result<(), Error> {
        self.set_quote(paragraphs, source)
    }

    fn aside_start(&mut self, label: &str) -> Result<(), Error> {
        self.start_aside(label)
    }

    fn aside_end(&mut self) -> Result<(), Error> {
        self.end_aside();
        Ok(())
    }

    fn footnotes(&mut self, notes: &[walk::Note]) -> Result<(), Error> {
        self.set_footnotes(notes)
    }

    fn endnotes(&mut self, title: &str, notes: &[walk::Note]) -> Result<(), Error> {
        self.set_endnotes(title, notes)
    }

    /// Always when the article gives its address (it is the article's, not a reference's): a QR
    /// code under "扫码阅读原文".
    fn read_online(&mut self, url: &str) -> Result<(), Error> {
        self.set_read_online(url)
    }

    fn links(&mut self, title: &str, links: &[walk::Note]) -> Result<(), Error> {
        self.set_links(title, links)
    }
}

impl Builder<'_, '_> {
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
}
