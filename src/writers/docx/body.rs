//! The document body as docx-rs paragraphs: title block, blocks, lists, references, notices, header,
//! footer and page setup. The runs inside them are made by [`super::inline`].
//!
//! docx-rs numbers paragraphs from a per-thread counter; every paragraph id here comes from this
//! builder's own counter instead, so that two renders give the same bytes.

use docx_rs::{
    Docx, Footer, Header, NumPages, NumberingId, PageMargin, PageNum, Paragraph, Run as DocxRun,
};

use super::inline::{Inlines, Used, bookmark};
use super::styles::{self, Para};
use crate::fonts::Face;
use crate::model::{Article, Block, Inline, List, ListStyle, Notice};
use crate::references::{self, Numbering};
use crate::runs::{self, Run, RunOptions, Target};

/// The body, ready for docx-rs to write.
pub struct Body {
    pub docx: Docx,
    pub used: Used,
    /// Outside addresses, in relationship order: the n-th is `rIdLink{n+1}`.
    pub links: Vec<String>,
}

struct Builder<'a> {
    docx: Docx,
    inline: Inlines,
    options: RunOptions<'a>,
    keep: bool,
    next_num: usize,
    next_para: u32,
}

pub fn build(article: &Article, keep_punctuation: bool) -> Body {
    let numbering = Numbering::new(article);
    let docx = styles::add_numbering_definitions(styles::add_styles(Docx::new()));
    let mut b = Builder {
        docx,
        inline: Inlines::default(),
        options: RunOptions {
            numbering: &numbering,
            keep_punctuation,
        },
        keep: keep_punctuation,
        next_num: styles::FIRST_NUM_ID,
        next_para: 1,
    };
    b.title_block(article);
    for block in &article.blocks {
        match block {
            Block::Heading(h) => {
                let level = h.level.clamp(1, 3);
                let r = runs::runs(None, &h.content, b.options);
                b.paragraph(Para::Heading(level), &r, 0, None);
            }
            Block::Paragraph(p) => {
                let r = runs::runs(None, p, b.options);
                b.paragraph(Para::Normal, &r, 0, None);
            }
            Block::Labelled(l) => {
                let (r, terms) = b.with_term(&l.term, &l.content);
                b.paragraph(Para::Normal, &r, terms, None);
            }
            Block::List(l) => b.list(l, 0),
        }
    }
    if !article.references.is_empty() {
        let title = runs::plain(&article.references_title, b.keep);
        b.plain(Para::Heading(1), &title);
        b.references(article, &numbering);
    }
    b.notice(&article.disclaimer, Para::Disclaimer);
    if let Some(c) = &article.copyright {
        b.notice(c, Para::Copyright);
    }
    b.header_footer(article);
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

impl Builder<'_> {
    fn new_paragraph(&mut self, para: Para) -> Paragraph {
        let mut p = Paragraph::new().style(para.id());
        p.id = format!("{:08X}", self.next_para);
        self.next_para += 1;
        p
    }

    /// Runs of a term and its content, and how many of them belong to the term (its colon included).
    fn with_term(&self, term: &[Inline], content: &[Inline]) -> (Vec<Run>, usize) {
        let term_only = runs::runs(Some(term), &[], self.options).len();
        let colon = usize::from(!term.is_empty() && !content.is_empty());
        (
            runs::runs(Some(term), content, self.options),
            term_only + colon,
        )
    }

    fn plain(&mut self, para: Para, text: &str) {
        let run = Run {
            text: text.to_string(),
            strong: false,
            emph: false,
            link: None,
            citation: false,
        };
        self.paragraph(para, &[run], 0, None);
    }

    /// One paragraph of runs; the first `terms` runs are the term. `numbered` is (num id, depth).
    fn paragraph(
        &mut self,
        para: Para,
        runs: &[Run],
        terms: usize,
        numbered: Option<(usize, usize)>,
    ) {
        let mut p = self.new_paragraph(para);
        if let Some((num, depth)) = numbered {
            p = p.numbering(NumberingId::new(num), styles::level(depth));
        }
        p = self.inline.add_runs(p, para, runs, terms);
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }

    fn title_block(&mut self, article: &Article) {
        let m = &article.meta;
        self.plain(Para::Title, &runs::plain(&m.title, self.keep));
        if let Some(sub) = &m.subtitle {
            self.plain(Para::Subtitle, &runs::plain(sub, self.keep));
        }
        let mut byline = m.author.clone();
        if let Some(date) = m.date.as_deref().and_then(crate::date::parse_iso_date) {
            byline.push_str(&format!("\u{3000}{}", date.chinese()));
        }
        self.plain(Para::Byline, &byline);
        if !m.keywords.is_empty() {
            self.labelled_meta("关键词", &m.keywords.join("；"));
        }
        if let Some(summary) = &m.summary {
            self.labelled_meta("摘要", &runs::plain(summary, self.keep));
        }
    }

    /// "关键词：…" and "摘要：…": a term and text already normalised (or kept) by the caller.
    fn labelled_meta(&mut self, label: &str, text: &str) {
        let run = |text: String, strong: bool| Run {
            text,
            strong,
            emph: false,
            link: None,
            citation: false,
        };
        let runs = [
            run(format!("{label}："), true),
            run(text.to_string(), false),
        ];
        self.paragraph(Para::Meta, &runs, 1, None);
    }

    fn list(&mut self, list: &List, depth: usize) {
        let num = self.next_num;
        self.next_num += 1;
        self.docx = styles::add_list_instance(
            std::mem::take(&mut self.docx),
            num,
            list.style,
            depth.min(8),
            list.start,
        );
        let para = match list.style {
            ListStyle::Bullet => Para::ListBullet,
            ListStyle::Decimal | ListStyle::Chinese => Para::ListNumber,
        };
        for (i, item) in list.items.iter().enumerate() {
            // The marker is set in the paragraph's face.
            let marker = runs::list_marker(list.style, list.start.saturating_add(i as u32));
            self.inline.used.add(para.face(), &marker);
            let (r, terms) = self.with_term(&item.term, &item.content);
            self.paragraph(para, &r, terms, Some((num, depth)));
            for child in &item.children {
                self.list(child, depth + 1);
            }
        }
    }

    fn references(&mut self, article: &Article, numbering: &Numbering) {
        for (n, &i) in numbering.order.iter().enumerate() {
            let Some(reference) = article.references.get(i) else {
                continue;
            };
            let number = n + 1;
            let label = format!("[{number}]");
            self.inline.used.add(Face::SerifRegular, &label);
            let mut p = self
                .new_paragraph(Para::Bibliography)
                .add_bookmark_start(number, bookmark(number))
                .add_run(DocxRun::new().add_text(label).add_tab())
                .add_bookmark_end(number);
            let pieces: Vec<Run> = references::format(reference)
                .into_iter()
                .map(|piece| Run {
                    text: piece.text,
                    strong: false,
                    emph: false,
                    link: piece.link.map(Target::Url),
                    citation: false,
                })
                .collect();
            p = self.inline.add_runs(p, Para::Bibliography, &pieces, 0);
            self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
        }
    }

    fn notice(&mut self, notice: &Notice, para: Para) {
        let label = [Inline::Text(notice.label.clone())];
        if notice.paragraphs.is_empty() {
            let (r, terms) = self.with_term(&label, &[]);
            self.paragraph(para, &r, terms, None);
        }
        for (i, content) in notice.paragraphs.iter().enumerate() {
            // The label leads the first paragraph, joined by a colon that follows the punctuation rules.
            let (r, terms) = if i == 0 {
                self.with_term(&label, content)
            } else {
                (runs::runs(None, content, self.options), 0)
            };
            self.paragraph(para, &r, terms, None);
        }
    }

    fn header_footer(&mut self, article: &Article) {
        let title = runs::plain(article.meta.running_title(), self.keep);
        self.inline.used.add(Para::Header.face(), &title);
        let header = self
            .new_paragraph(Para::Header)
            .add_run(DocxRun::new().add_text(super::xml::clean(&title)));
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
