//! The document body as docx-rs paragraphs: title block, blocks, lists, quotes, asides, references,
//! notices, header, footer and page setup. The runs inside them are made by [`super::inline`];
//! tables, figures and footnotes by [`super::table`], [`super::figure`] and [`super::notes`].
//!
//! docx-rs numbers paragraphs from a per-thread counter; every paragraph id here comes from this
//! builder's own counter instead, so that two renders give the same bytes.

use docx_rs::{Docx, FieldCharType, InstrText, NumberingId, PageMargin, Paragraph, Run as DocxRun};

use std::convert::Infallible;

use super::element_styles::{self, UsedStyles};
use super::figure::Media;
use super::inline::{Inlines, Used, bookmark};
use super::styles::{self, Para};
use crate::fonts::{Face, Fonts};
use crate::layout::TitlePart;
use crate::model::{Article, ListStyle};
use crate::runs::{self, Run};
use crate::style::Style;
use crate::walk::{self, Entry, ListStart, NoticeKind, Sink, TitleBlock};

/// The body, ready for docx-rs to write, and what is written by hand around it.
pub struct Body {
    pub docx: Docx,
    pub hand: HandWritten,
}

/// What the body set that is written by hand around docx-rs's parts.
pub struct HandWritten {
    pub used: Used,
    /// Outside addresses, in relationship order: the n-th is `rIdLink{n+1}`.
    pub links: Vec<String>,
    pub styles: UsedStyles,
    /// The number of header rows of each table, in document order (for `w:tblHeader`).
    pub header_rows: Vec<usize>,
    /// The drawing run of each figure, in document order.
    pub drawings: Vec<String>,
    pub media: Media,
    /// Each footnote's number and paragraph, in order.
    pub notes: Vec<(usize, Paragraph)>,
}

pub(super) struct Builder<'f> {
    pub(super) docx: Docx,
    pub(super) inline: Inlines<'f>,
    /// The fonts, when they could be read: the title is broken by their glyph advances.
    pub(super) fonts: Option<&'f Fonts>,
    /// The house style: paper, margins, sizes, header and footer.
    pub(super) style: &'f Style,
    next_num: usize,
    next_para: u32,
    /// Open lists, innermost last: numbering instance, paragraph style, markers.
    lists: Vec<(usize, Para, Vec<String>)>,
    /// Inside an aside: its paragraphs and lists take the boxed styles.
    aside: bool,
    /// Whether the numbering of lists in asides has been added.
    boxed_numbering: bool,
    pub(super) header_rows: Vec<usize>,
    pub(super) drawings: Vec<String>,
    pub(super) media: Media,
    pub(super) notes: Vec<(usize, Paragraph)>,
}

/// The body of `article`; `fonts`, when they could be read, say which characters the italic has.
pub fn build<'f>(
    article: &Article,
    options: walk::WalkOptions,
    fonts: Option<&'f Fonts>,
    style: &'f Style,
) -> Body {
    let keep_punctuation = options.keep_punctuation;
    let sizes = styles::Sizes::of(style);
    let link_colour = style
        .link_colour
        .map_or(styles::LINK_COLOUR.to_string(), styles::hex);
    let docx = styles::add_styles(Docx::new(), sizes, &link_colour);
    let docx = styles::add_numbering_definitions(docx);
    let mut b = Builder {
        docx,
        inline: Inlines::new(fonts.and_then(|f| f.face(Face::SerifItalic).ok())),
        fonts,
        style,
        next_num: styles::FIRST_NUM_ID,
        next_para: 1,
        lists: Vec::new(),
        aside: false,
        boxed_numbering: false,
        header_rows: Vec::new(),
        drawings: Vec::new(),
        media: Media::default(),
        notes: Vec::new(),
    };
    let options = walk::WalkOptions {
        notes: walk::NotePlacement::Foot,
        ..options
    };
    let Ok(()) = walk::drive(article, options, &mut b);
    b.header_footer(&runs::plain(article.meta.running_title(), keep_punctuation));
    let (paper, margins) = (style.paper.twips(), style.word_margins);
    let docx = element_styles::add_used(b.docx, &b.inline.styles, sizes)
        .page_size(paper.0 as u32, paper.1 as u32)
        .page_margin(
            PageMargin::new()
                .top(margins.top)
                .bottom(margins.bottom)
                .left(margins.left)
                .right(margins.right)
                .header(margins.header)
                .footer(margins.footer),
        );
    Body {
        docx,
        hand: HandWritten {
            used: b.inline.used,
            links: b.inline.links,
            styles: b.inline.styles,
            header_rows: b.header_rows,
            drawings: b.drawings,
            media: b.media,
            notes: b.notes,
        },
    }
}

impl Sink for Builder<'_> {
    type Error = Infallible;

    fn table(&mut self, table: &walk::Table) -> Result<(), Infallible> {
        self.table_block(table);
        Ok(())
    }

    fn figure(&mut self, figure: &walk::Figure) -> Result<(), Infallible> {
        self.figure_block(figure);
        Ok(())
    }

    fn quote(&mut self, paragraphs: &[Vec<Run>], source: Option<&[Run]>) -> Result<(), Infallible> {
        for runs in paragraphs {
            self.paragraph(Para::Quote, runs, None);
        }
        if let Some(runs) = source {
            self.paragraph(Para::QuoteSource, runs, None);
        }
        Ok(())
    }

    /// The label leads the box; the paragraphs and lists until [`Sink::aside_end`] join it (Word and
    /// LibreOffice draw one box around adjacent paragraphs with the same borders and indents).
    fn aside_start(&mut self, label: &str) -> Result<(), Infallible> {
        self.plain(Para::AsideLabel, label);
        self.aside = true;
        Ok(())
    }

    fn aside_end(&mut self) -> Result<(), Infallible> {
        self.aside = false;
        Ok(())
    }

    fn footnotes(&mut self, notes: &[walk::Note]) -> Result<(), Infallible> {
        self.add_notes(notes);
        Ok(())
    }

    /// The Word document is walked with [`walk::NotePlacement::Foot`], so this is never called. Were
    /// it called, the notes would still be footnotes: every marker in the text is a
    /// `w:footnoteReference`, which must find its footnote.
    fn endnotes(&mut self, _title: &str, notes: &[walk::Note]) -> Result<(), Infallible> {
        self.add_notes(notes);
        Ok(())
    }

    fn title_block(&mut self, block: &TitleBlock) -> Result<(), Infallible> {
        self.title_paragraph(Para::Title, &block.title, TitlePart::Title);
        if let Some(sub) = &block.subtitle {
            self.title_paragraph(Para::Subtitle, sub, TitlePart::Subtitle);
        }
        self.plain(Para::Byline, &block.byline);
        for runs in block.keywords.iter().chain(&block.summary) {
            self.paragraph(Para::Meta, runs, None);
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, runs: &[Run]) -> Result<(), Infallible> {
        self.paragraph(Para::Heading(level.clamp(1, 3)), runs, None);
        Ok(())
    }

    fn paragraph(&mut self, runs: &[Run]) -> Result<(), Infallible> {
        let para = if self.aside {
            Para::Aside
        } else {
            Para::Normal
        };
        self.paragraph(para, runs, None);
        Ok(())
    }

    fn list_start(&mut self, list: &ListStart) -> Result<(), Infallible> {
        let num = self.next_num;
        self.next_num += 1;
        let mut docx = std::mem::take(&mut self.docx);
        if self.aside && !self.boxed_numbering {
            docx = styles::add_boxed_numbering_definitions(docx);
            self.boxed_numbering = true;
        }
        self.docx = styles::add_list_instance(
            docx,
            num,
            (list.style, self.aside),
            list.depth.min(8),
            list.start,
        );
        let para = match (list.style, self.aside) {
            (ListStyle::Bullet, false) => Para::ListBullet,
            (ListStyle::Decimal | ListStyle::Chinese, false) => Para::ListNumber,
            (ListStyle::Bullet, true) => Para::AsideListBullet,
            (ListStyle::Decimal | ListStyle::Chinese, true) => Para::AsideListNumber,
        };
        self.lists.push((num, para, list.markers.clone()));
        Ok(())
    }

    fn list_item(&mut self, index: usize, runs: &[Run]) -> Result<(), Infallible> {
        let depth = self.lists.len().saturating_sub(1);
        let Some((num, para, markers)) = self.lists.last() else {
            return Ok(());
        };
        let (num, para) = (*num, *para);
        // Word draws the marker from the numbering, in the paragraph's face.
        if let Some(marker) = markers.get(index) {
            self.inline.used.add(para.face(), marker);
        }
        self.paragraph(para, runs, Some((num, depth)));
        Ok(())
    }

    fn list_end(&mut self) -> Result<(), Infallible> {
        self.lists.pop();
        Ok(())
    }

    fn references(&mut self, title: &str, entries: &[Entry]) -> Result<(), Infallible> {
        self.plain(Para::Heading(1), title);
        for entry in entries {
            self.inline.used.add(Face::SerifRegular, &entry.label);
            let n = entry.number;
            let mut p = self
                .new_paragraph(Para::Bibliography)
                .add_bookmark_start(n, bookmark(n))
                .add_run(DocxRun::new().add_text(entry.label.clone()).add_tab())
                .add_bookmark_end(n);
            p = self.inline.add_runs(p, Para::Bibliography, &entry.runs);
            self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
        }
        Ok(())
    }

    /// The URLs of the text's links, for paper: a list in the Bibliography style, each entry's number
    /// as the marker "链N" after the link text says it, its URL still a live hyperlink.
    fn links(&mut self, title: &str, links: &[walk::Note]) -> Result<(), Infallible> {
        self.plain(Para::Heading(1), title);
        for link in links {
            let label = format!("{}.", link.number);
            self.inline.used.add(Face::SerifRegular, &label);
            let p = self
                .new_paragraph(Para::Bibliography)
                .add_run(DocxRun::new().add_text(label).add_tab());
            let p = self.inline.add_runs(p, Para::Bibliography, &link.runs);
            self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
        }
        Ok(())
    }

    /// The Disclaimer style's top border is the rule.
    fn rule(&mut self) -> Result<(), Infallible> {
        Ok(())
    }

    fn notice(&mut self, kind: NoticeKind, paragraphs: &[Vec<Run>]) -> Result<(), Infallible> {
        let para = match kind {
            NoticeKind::Disclaimer => Para::Disclaimer,
            NoticeKind::Copyright => Para::Copyright,
        };
        for runs in paragraphs {
            self.paragraph(para, runs, None);
        }
        Ok(())
    }

    /// The article's address, a live hyperlink showing the URL (to be read on paper too).
    fn read_online(&mut self, url: &str) -> Result<(), Infallible> {
        let runs = [
            Run::plain(walk::READ_ONLINE_TITLE),
            Run {
                link: Some(runs::Target::Url(url.to_string())),
                ..Run::plain(url)
            },
        ];
        self.paragraph(Para::Copyright, &runs, None);
        Ok(())
    }
}

impl Builder<'_> {
    pub(super) fn new_paragraph(&mut self, para: Para) -> Paragraph {
        self.inline.styles.add(para.id());
        let mut p = Paragraph::new().style(para.id());
        p.id = format!("{:08X}", self.next_para);
        self.next_para += 1;
        p
    }

    fn plain(&mut self, para: Para, text: &str) {
        self.paragraph(para, &[Run::plain(text)], None);
    }

    /// One paragraph of runs. `numbered` is (num id, depth).
    pub(super) fn paragraph(&mut self, para: Para, runs: &[Run], numbered: Option<(usize, usize)>) {
        let mut p = self.new_paragraph(para);
        if let Some((num, depth)) = numbered {
            p = p.numbering(NumberingId::new(num), styles::level(depth));
        }
        p = self.inline.add_runs(p, para, runs);
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    /// A caption: the label's word, a `SEQ` field numbering it (so that Word can renumber the tables or
    /// figures and list them; the walk's number is the field's result until then), an ideographic
    /// space, the caption's runs; in the Caption style, kept with the next paragraph when it stands
    /// above what it names (a table's).
    pub(super) fn caption(
        &mut self,
        word: &str,
        number: usize,
        runs: &[Run],
        keep_with_next: bool,
    ) {
        let para = Para::Caption;
        let n = number.to_string();
        self.inline
            .used
            .add(para.face(), &format!("{word}{n}\u{3000}"));
        let field = |kind| DocxRun::new().add_field_char(kind, false);
        let instruction = InstrText::Unsupported(format!(" SEQ {word} \\* ARABIC "));
        let mut p = self
            .new_paragraph(para)
            .add_run(DocxRun::new().add_text(word))
            .add_run(field(FieldCharType::Begin))
            .add_run(DocxRun::new().add_instr_text(instruction))
            .add_run(field(FieldCharType::Separate))
            .add_run(DocxRun::new().add_text(n))
            .add_run(field(FieldCharType::End))
            .keep_next(keep_with_next);
        if !runs.is_empty() {
            p = p.add_run(DocxRun::new().add_text("\u{3000}"));
            p = self.inline.add_runs(p, para, runs);
        }
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }
}
