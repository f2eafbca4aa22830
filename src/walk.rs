//! One walk over the document for every writer.
//!
//! The driver ([`drive`]) decides, once, the order of a handout (title block, blocks, references, a
//! rule, the notices) and what each element says: punctuation applied (or kept), citations numbered,
//! terms marked, list markers and reference entries made. Each writer is a [`Sink`] with one method per
//! element and decides only how the element looks. A new kind of block is the model, the validator, a
//! method here, and one method per writer, which the compiler asks for.

mod links;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

pub use links::{LINKS_TITLE, printed as printed_url};
use links::{Links, Mark};

use crate::image::Image;
use crate::model::{self, Align, Article, Block, Inline, List, ListStyle, Notice};
use crate::references::{self, Numbering};
use crate::runs::{self, Notes, Run, RunOptions, Target};

/// The title block: title, subtitle, byline, keywords and summary.
#[derive(Debug, Clone)]
pub struct TitleBlock {
    pub title: String,
    pub subtitle: Option<String>,
    /// The author, and the date in Chinese when the article has one.
    pub byline: String,
    /// "关键词：…": the term, then the keywords joined by "；".
    pub keywords: Option<Vec<Run>>,
    /// "摘要：…": the term, then the summary.
    pub summary: Option<Vec<Run>>,
}

/// A list about to be set: its style, markers and depth (0 for a list in the body).
#[derive(Debug, Clone)]
pub struct ListStart {
    pub style: ListStyle,
    pub start: u32,
    /// The marker of each item: "一、", "1.", "•".
    pub markers: Vec<String>,
    pub depth: usize,
}

/// One entry of the reference list, in citation order.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based, as cited.
    pub number: usize,
    /// "[1]".
    pub label: String,
    /// The GB/T 7714 entry, DOI, PMID and PMCID as links.
    pub runs: Vec<Run>,
    /// The address a QR code beside the entry opens: the DOI's, else PubMed's, else PMC's.
    pub code: Option<String>,
}

/// A footnote: its number (per document, in reading order) and its text.
#[derive(Debug, Clone)]
pub struct Note {
    pub number: usize,
    pub runs: Vec<Run>,
}

/// Where the notes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NotePlacement {
    /// At the foot of the page (or wherever the format's footnotes go): [`Sink::footnotes`] after
    /// each block that cites notes.
    #[default]
    Foot,
    /// Collected before the references under "注释": one [`Sink::endnotes`].
    End,
}

/// Where the URLs of the text's links are printed, for a reader of paper (see `walk/links.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkPlacement {
    /// Nowhere: a link is its text (the text handout prints `<url>` itself; the Word document keeps
    /// its hyperlinks live).
    #[default]
    Off,
    /// Each URL a footnote of its own, marked and numbered with the notes, handed over with them in
    /// [`Sink::footnotes`] (whatever the notes' own placement).
    Foot,
    /// A marker "链N" after the link text; the URLs in one [`Sink::links`] before the references.
    End,
}

/// A table made ready: numbered, every cell placed on the grid.
#[derive(Debug, Clone)]
pub struct Table {
    pub number: usize,
    /// "表1".
    pub label: String,
    pub caption: Vec<Run>,
    /// Number of grid columns.
    pub width: usize,
    /// One per grid column: alignment and relative width (from the content when `None`).
    pub columns: Vec<(Align, Option<f32>)>,
    pub head: Vec<Vec<Cell>>,
    pub body: Vec<Vec<Cell>>,
}

/// A cell on the table's grid.
#[derive(Debug, Clone)]
pub struct Cell {
    pub runs: Vec<Run>,
    /// First grid column the cell covers.
    pub column: usize,
    pub colspan: usize,
    pub rowspan: usize,
    /// The column's alignment (of its first column).
    pub align: Align,
}

/// A figure made ready: numbered, its image read.
#[derive(Debug, Clone)]
pub struct Figure {
    pub number: usize,
    /// "图1".
    pub label: String,
    pub caption: Vec<Run>,
    /// What the image shows, its punctuation set as the text's is.
    pub alt: String,
    pub image: Arc<Image>,
    /// Fraction of the text width; natural size when `None`.
    pub width: Option<f32>,
}

/// Which notice closes the handout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Disclaimer,
    Copyright,
}

/// A writer, fed the elements of a handout in order.
pub trait Sink {
    /// What can stop the writer (`std::convert::Infallible` for one that cannot fail).
    type Error;

    fn title_block(&mut self, block: &TitleBlock) -> Result<(), Self::Error>;
    fn heading(&mut self, level: u8, runs: &[Run]) -> Result<(), Self::Error>;
    /// A paragraph of the body; a labelled paragraph's term runs are marked.
    fn paragraph(&mut self, runs: &[Run]) -> Result<(), Self::Error>;
    /// Starts a list; its items follow, each followed by its nested lists, then [`Sink::list_end`].
    fn list_start(&mut self, list: &ListStart) -> Result<(), Self::Error>;
    /// Item `index` of the innermost open list.
    fn list_item(&mut self, index: usize, runs: &[Run]) -> Result<(), Self::Error>;
    fn list_end(&mut self) -> Result<(), Self::Error>;
    /// The reference list under its heading (only when the article has references).
    fn references(&mut self, title: &str, entries: &[Entry]) -> Result<(), Self::Error>;
    /// The rule that sets the notices apart.
    fn rule(&mut self) -> Result<(), Self::Error>;
    /// A notice's paragraphs; the first leads with the notice's label as a term.
    fn notice(&mut self, kind: NoticeKind, paragraphs: &[Vec<Run>]) -> Result<(), Self::Error>;
    /// A table, its caption above.
    fn table(&mut self, table: &Table) -> Result<(), Self::Error>;
    /// A figure, its caption below.
    fn figure(&mut self, figure: &Figure) -> Result<(), Self::Error>;
    /// A quoted passage; the source line ("——…") after it when there is one.
    fn quote(&mut self, paragraphs: &[Vec<Run>], source: Option<&[Run]>)
    -> Result<(), Self::Error>;
    /// Starts an aside with its label; its paragraphs and lists follow, then [`Sink::aside_end`].
    fn aside_start(&mut self, label: &str) -> Result<(), Self::Error>;
    fn aside_end(&mut self) -> Result<(), Self::Error>;
    /// The notes cited by the block just set ([`NotePlacement::Foot`]), in order.
    fn footnotes(&mut self, notes: &[Note]) -> Result<(), Self::Error>;
    /// Every note under its heading, before the references ([`NotePlacement::End`]).
    fn endnotes(&mut self, title: &str, notes: &[Note]) -> Result<(), Self::Error>;
    /// The URLs of the text's links under their heading, numbered as their markers, before the
    /// references ([`LinkPlacement::End`]). A sink never walked with it may leave it out.
    fn links(&mut self, title: &str, links: &[Note]) -> Result<(), Self::Error> {
        let _ = (title, links);
        Ok(())
    }
    /// The article's own address (`meta.url`), last of all: where a reader of paper finds it.
    fn read_online(&mut self, url: &str) -> Result<(), Self::Error>;
}

/// What leads the article's own address in the text handout and the Word document; the PDF says
/// "扫码阅读原文" over its QR code.
pub const READ_ONLINE_TITLE: &str = "阅读原文：";

/// The heading of the endnotes.
pub const ENDNOTES_TITLE: &str = "注释";

/// What a walk says that the command line chooses.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Keep the author's ASCII punctuation in Chinese text (`--keep-punctuation`).
    pub keep_punctuation: bool,
    /// Notes at the foot of their page or collected at the end.
    pub notes: NotePlacement,
    /// Where the URLs of links are printed.
    pub links: LinkPlacement,
    /// How the reference list sets personal names (`--ref-names`).
    pub names: references::NameCase,
}

/// Walks the article in a handout's order, feeding every element to `sink`.
pub fn drive<S: Sink>(
    article: &Article,
    options: WalkOptions,
    sink: &mut S,
) -> Result<(), S::Error> {
    let WalkOptions {
        keep_punctuation,
        notes,
        links,
        names,
    } = options;
    let numbering = Numbering::new(article);
    let walk = Walk {
        options: RunOptions {
            numbering: &numbering,
            keep_punctuation,
        },
        notes: RefCell::new(Notes::default()),
        placement: notes,
        endnotes: RefCell::new(Vec::new()),
        links: RefCell::new(Links::new(links)),
        renumbered: RefCell::new(HashMap::new()),
        tables: std::cell::Cell::new(0),
        figures: std::cell::Cell::new(0),
    };
    sink.title_block(&walk.title_block(article))?;
    walk.blocks(&article.blocks, article, sink)?;
    let endnotes = walk.endnotes.take();
    if !endnotes.is_empty() {
        sink.endnotes(&walk.plain(ENDNOTES_TITLE), &endnotes)?;
    }
    let list = std::mem::take(&mut walk.links.borrow_mut().list);
    if !list.is_empty() {
        sink.links(&walk.plain(LINKS_TITLE), &list)?;
    }
    if !article.references.is_empty() {
        let title = walk.plain(&article.references_title);
        sink.references(&title, &entries(article, &numbering, names))?;
    }
    if article.disclaimer.is_some() || article.copyright.is_some() {
        sink.rule()?;
    }
    if let Some(d) = &article.disclaimer {
        sink.notice(NoticeKind::Disclaimer, &walk.notice(d))?;
    }
    if let Some(c) = &article.copyright {
        sink.notice(NoticeKind::Copyright, &walk.notice(c))?;
    }
    if let Some(url) = &article.meta.url {
        sink.read_online(url)?;
    }
    Ok(())
}

/// The reference list: entries in the order of first citation.
fn entries(article: &Article, numbering: &Numbering, names: references::NameCase) -> Vec<Entry> {
    numbering
        .order
        .iter()
        .filter_map(|&i| article.references.get(i))
        .enumerate()
        .map(|(n, reference)| Entry {
            number: n + 1,
            label: format!("[{}]", n + 1),
            runs: references::format(reference, names)
                .into_iter()
                .map(|piece| Run {
                    link: piece.link.map(Target::Url),
                    ..Run::plain(piece.text)
                })
                .collect(),
            code: reference
                .doi
                .as_deref()
                .map(references::doi_url)
                .or_else(|| reference.pmid.as_deref().map(references::pmid_url))
                .or_else(|| reference.pmcid.as_deref().map(references::pmcid_url)),
        })
        .collect()
}

struct Walk<'a> {
    options: RunOptions<'a>,
    notes: RefCell<Notes>,
    placement: NotePlacement,
    /// Notes kept for the end ([`NotePlacement::End`]).
    endnotes: RefCell<Vec<Note>>,
    links: RefCell<Links>,
    /// How the notes of the runs made since the last flush were renumbered among the URL notes.
    renumbered: RefCell<HashMap<usize, usize>>,
    tables: std::cell::Cell<usize>,
    figures: std::cell::Cell<usize>,
}

impl Walk<'_> {
    fn runs(&self, term: Option<&[Inline]>, content: &[Inline]) -> Vec<Run> {
        self.runs_marked(term, content, Mark::Placed)
    }

    /// Runs whose links are marked as `mark` says.
    fn runs_marked(&self, term: Option<&[Inline]>, content: &[Inline], mark: Mark) -> Vec<Run> {
        let mut notes = self.notes.borrow_mut();
        let base = notes.count;
        let runs = runs::runs(term, content, self.options, &mut notes);
        let numbering = links::Numbering {
            base,
            count: &mut notes.count,
            renumbered: &mut self.renumbered.borrow_mut(),
        };
        self.links.borrow_mut().mark(runs, mark, numbering)
    }

    /// How links are marked where a note cannot go: with the list's markers, else in brackets.
    fn unplaced(&self) -> Mark {
        if self.links.borrow().placement == LinkPlacement::End {
            Mark::Placed
        } else {
            Mark::Inline
        }
    }

    fn blocks<S: Sink>(
        &self,
        blocks: &[Block],
        article: &Article,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        for block in blocks {
            match block {
                Block::Heading(h) => {
                    let runs = self.runs_marked(None, &h.content, self.unplaced());
                    sink.heading(h.level, &runs)?
                }
                Block::Paragraph(p) => sink.paragraph(&self.runs(None, p))?,
                Block::Labelled(l) => sink.paragraph(&self.runs(Some(&l.term), &l.content))?,
                Block::List(l) => self.list(l, 0, sink)?,
                Block::Table(t) => sink.table(&self.table(t))?,
                Block::Figure(f) => {
                    // Loading checked every figure's image; a model built by hand may lack one.
                    if let Some(figure) = self.figure(f, article) {
                        sink.figure(&figure)?;
                    }
                }
                Block::Quote(q) => {
                    let paragraphs: Vec<Vec<Run>> =
                        q.paragraphs.iter().map(|p| self.runs(None, p)).collect();
                    let source = (!q.source.is_empty()).then(|| {
                        let mut line = vec![Inline::Text("——".into())];
                        line.extend(q.source.iter().cloned());
                        self.runs(None, &line)
                    });
                    sink.quote(&paragraphs, source.as_deref())?;
                }
                Block::Aside(a) => {
                    sink.aside_start(&self.plain(&a.label))?;
                    self.blocks(&a.blocks, article, sink)?;
                    sink.aside_end()?;
                }
            }
            self.flush_notes(sink)?;
        }
        Ok(())
    }

    /// Hands the notes cited by the block just set to the sink (or keeps them for the end).
    fn flush_notes<S: Sink>(&self, sink: &mut S) -> Result<(), S::Error> {
        let pending = self.notes.borrow_mut().take();
        let renumbered = self.renumbered.take();
        let notes = self.notes_of(&pending, &renumbered);
        // URL notes are footnotes whatever the notes' placement: they share the notes' numbers.
        let mut foot = self.links.borrow_mut().take_notes();
        match self.placement {
            NotePlacement::Foot => foot.extend(notes),
            NotePlacement::End => self.endnotes.borrow_mut().extend(notes),
        }
        if foot.is_empty() {
            return Ok(());
        }
        // The layout finds notes by number: hand them over in order.
        foot.sort_by_key(|n| n.number);
        sink.footnotes(&foot)
    }

    /// The notes met, under their numbers among the URL notes; a link in a note's text is marked
    /// where a note cannot go.
    fn notes_of(
        &self,
        pending: &[(usize, Vec<Inline>)],
        renumbered: &HashMap<usize, usize>,
    ) -> Vec<Note> {
        pending
            .iter()
            .map(|(number, content)| Note {
                number: renumbered.get(number).copied().unwrap_or(*number),
                runs: self.runs_marked(None, content, self.unplaced()),
            })
            .collect()
    }

    fn table(&self, t: &model::Table) -> Table {
        let number = self.tables.get() + 1;
        self.tables.set(number);
        let width = t
            .head
            .first()
            .or(t.body.first())
            .map_or(0, |row| row.iter().map(|c| c.colspan as usize).sum());
        let columns: Vec<(Align, Option<f32>)> = if t.columns.len() == width {
            t.columns.iter().map(|c| (c.align, c.width)).collect()
        } else {
            vec![(Align::Left, None); width]
        };
        let caption = self.runs(None, &t.caption);
        let head = self.grid(&t.head, &columns);
        let body = self.grid(&t.body, &columns);
        Table {
            number,
            label: format!("表{number}"),
            caption,
            width,
            columns,
            head,
            body,
        }
    }

    /// Places the cells of some rows on the grid: a cell starts at the first column that no cell from
    /// a row above still covers.
    fn grid(&self, rows: &[Vec<model::Cell>], columns: &[(Align, Option<f32>)]) -> Vec<Vec<Cell>> {
        let width = columns.len();
        let mut covered = vec![0usize; width];
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut column = 0;
            let mut cells = Vec::with_capacity(row.len());
            for cell in row {
                while column < width && covered[column] > 0 {
                    column += 1;
                }
                let colspan =
                    (cell.colspan.max(1) as usize).min(width.saturating_sub(column).max(1));
                let rowspan = cell.rowspan.max(1) as usize;
                for c in covered.iter_mut().skip(column).take(colspan) {
                    *c = rowspan;
                }
                cells.push(Cell {
                    runs: self.runs(None, &cell.content),
                    column,
                    colspan,
                    rowspan,
                    align: columns.get(column).map_or(Align::Left, |c| c.0),
                });
                column += colspan;
            }
            for c in &mut covered {
                *c = c.saturating_sub(1);
            }
            out.push(cells);
        }
        out
    }

    fn figure(&self, f: &model::Figure, article: &Article) -> Option<Figure> {
        let image = article.images.get(&f.image)?.clone();
        let number = self.figures.get() + 1;
        self.figures.set(number);
        Some(Figure {
            number,
            label: format!("图{number}"),
            caption: self.runs(None, &f.caption),
            alt: self.plain(&f.alt),
            image,
            width: f.width,
        })
    }

    fn plain(&self, text: &str) -> String {
        runs::plain(text, self.options.keep_punctuation)
    }

    fn title_block(&self, article: &Article) -> TitleBlock {
        let m = &article.meta;
        let mut byline = m.author.clone();
        if let Some(date) = m.date.as_deref().and_then(crate::date::parse_iso_date) {
            byline.push_str(&format!("\u{3000}{}", date.chinese()));
        }
        let labelled = |label: &str, text: String| {
            self.runs(Some(&[Inline::Text(label.into())]), &[Inline::Text(text)])
        };
        TitleBlock {
            title: self.plain(&m.title),
            subtitle: m.subtitle.as_deref().map(|s| self.plain(s)),
            byline,
            keywords: (!m.keywords.is_empty()).then(|| labelled("关键词", m.keywords.join("；"))),
            summary: m.summary.as_ref().map(|s| labelled("摘要", s.clone())),
        }
    }

    fn list<S: Sink>(&self, list: &List, depth: usize, sink: &mut S) -> Result<(), S::Error> {
        let markers = (0..list.items.len())
            .map(|i| runs::list_marker(list.style, list.start.saturating_add(i as u32)))
            .collect();
        sink.list_start(&ListStart {
            style: list.style,
            start: list.start,
            markers,
            depth,
        })?;
        for (i, item) in list.items.iter().enumerate() {
            sink.list_item(i, &self.runs(Some(&item.term), &item.content))?;
            for child in &item.children {
                self.list(child, depth + 1, sink)?;
            }
        }
        sink.list_end()
    }

    fn notice(&self, notice: &Notice) -> Vec<Vec<Run>> {
        let label = [Inline::Text(notice.label.clone())];
        if notice.paragraphs.is_empty() {
            return vec![self.runs_marked(Some(&label), &[], Mark::Inline)];
        }
        notice
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| self.runs_marked((i == 0).then_some(&label[..]), p, Mark::Inline))
            .collect()
    }
}
