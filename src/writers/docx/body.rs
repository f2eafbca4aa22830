//! The document body as docx-rs paragraphs: title block, blocks, lists, references, notices, header,
//! footer and page setup. The runs inside them are made by [`super::inline`].
//!
//! docx-rs numbers paragraphs from a per-thread counter; every paragraph id here comes from this
//! builder's own counter instead, so that two renders give the same bytes.

use docx_rs::{
    Docx, Footer, Header, NumPages, NumberingId, PageMargin, PageNum, Paragraph, Run as DocxRun,
};

use std::convert::Infallible;

use super::inline::{Inlines, Used, bookmark};
use super::styles::{self, Para};
use crate::fonts::Face;
use crate::model::{Article, ListStyle};
use crate::runs::{self, Run};
use crate::walk::{self, Entry, ListStart, NoticeKind, Sink, TitleBlock};

/// The body, ready for docx-rs to write.
pub struct Body {
    pub docx: Docx,
    pub used: Used,
    /// Outside addresses, in relationship order: the n-th is `rIdLink{n+1}`.
    pub links: Vec<String>,
}

struct Builder {
    docx: Docx,
    inline: Inlines,
    next_num: usize,
    next_para: u32,
    /// Open lists, innermost last: numbering instance, paragraph style, markers.
    lists: Vec<(usize, Para, Vec<String>)>,
}

pub fn build(article: &Article, keep_punctuation: bool) -> Body {
    let docx = styles::add_numbering_definitions(styles::add_styles(Docx::new()));
    let mut b = Builder {
        docx,
        inline: Inlines::default(),
        next_num: styles::FIRST_NUM_ID,
        next_para: 1,
        lists: Vec::new(),
    };
    let Ok(()) = walk::drive(article, keep_punctuation, walk::NotePlacement::Foot, &mut b);
    b.header_footer(&runs::plain(article.meta.running_title(), keep_punctuation));
    let docx = b
        .docx
        // A4, with Chinese publishing's usual margins (2.54 cm top and bottom, 2.8 cm sides).
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1440)
                .bottom(1440)
                .left(1588)
                .right(1588)
                .header(851)
                .footer(992),
        );
    Body {
        docx,
        used: b.inline.used,
        links: b.inline.links,
    }
}

impl Sink for Builder {
    type Error = Infallible;

    // Placeholder until this writer sets the element (issue 10 work in progress).
    fn table(&mut self, _: &walk::Table) -> Result<(), Infallible> {
        Ok(())
    }
    fn figure(&mut self, _: &walk::Figure) -> Result<(), Infallible> {
        Ok(())
    }
    fn quote(&mut self, _: &[Vec<Run>], _: Option<&[Run]>) -> Result<(), Infallible> {
        Ok(())
    }
    fn aside_start(&mut self, _: &str) -> Result<(), Infallible> {
        Ok(())
    }
    fn aside_end(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
    fn footnotes(&mut self, _: &[walk::Note]) -> Result<(), Infallible> {
        Ok(())
    }
    fn endnotes(&mut self, _: &str, _: &[walk::Note]) -> Result<(), Infallible> {
        Ok(())
    }

    fn title_block(&mut self, block: &TitleBlock) -> Result<(), Infallible> {
        self.plain(Para::Title, &block.title);
        if let Some(sub) = &block.subtitle {
            self.plain(Para::Subtitle, sub);
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
        self.paragraph(Para::Normal, runs, None);
        Ok(())
    }

    fn list_start(&mut self, list: &ListStart) -> Result<(), Infallible> {
        let num = self.next_num;
        self.next_num += 1;
        self.docx = styles::add_list_instance(
            std::mem::take(&mut self.docx),
            num,
            list.style,
            list.depth.min(8),
            list.start,
        );
        let para = match list.style {
            ListStyle::Bullet => Para::ListBullet,
            ListStyle::Decimal | ListStyle::Chinese => Para::ListNumber,
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
}

impl Builder {
    fn new_paragraph(&mut self, para: Para) -> Paragraph {
        let mut p = Paragraph::new().style(para.id());
        p.id = format!("{:08X}", self.next_para);
        self.next_para += 1;
        p
    }

    fn plain(&mut self, para: Para, text: &str) {
        self.paragraph(para, &[Run::plain(text)], None);
    }

    /// One paragraph of runs. `numbered` is (num id, depth).
    fn paragraph(&mut self, para: Para, runs: &[Run], numbered: Option<(usize, usize)>) {
        let mut p = self.new_paragraph(para);
        if let Some((num, depth)) = numbered {
            p = p.numbering(NumberingId::new(num), styles::level(depth));
        }
        p = self.inline.add_runs(p, para, runs);
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    /// The running header (the short title) and the footer "第 PAGE 页 / 共 NUMPAGES 页".
    fn header_footer(&mut self, title: &str) {
        self.inline.used.add(Para::Header.face(), title);
        let header = self
            .new_paragraph(Para::Header)
            .add_run(DocxRun::new().add_text(crate::xml::clean(title)));
        let footer_face = Para::Footer.face();
        self.inline.used.add(footer_face, "第页共/ 0123456789");
        let footer = self
            .new_paragraph(Para::Footer)
            .add_run(DocxRun::new().add_text("第 "))
            .add_page_num(PageNum::new())
            .add_run(DocxRun::new().add_text(" 页 / 共 "))
            .add_num_pages(NumPages::new())
            .add_run(DocxRun::new().add_text(" 页"));
        self.docx = std::mem::take(&mut self.docx)
            .header(Header::new().add_paragraph(header))
            .footer(Footer::new().add_paragraph(footer));
    }
}
