//! One walk over the document for every writer.
//!
//! The driver ([`drive`]) decides, once, the order of a handout (title block, blocks, references, a
//! rule, the notices) and what each element says: punctuation applied (or kept), citations numbered,
//! terms marked, list markers and reference entries made. Each writer is a [`Sink`] with one method per
//! element and decides only how the element looks. A new kind of block is the model, the validator, a
//! method here, and one method per writer, which the compiler asks for.

use crate::model::{Article, Block, Inline, List, ListStyle, Notice};
use crate::references::{self, Numbering};
use crate::runs::{self, Run, RunOptions, Target};

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
}

/// Walks the article in a handout's order, feeding every element to `sink`.
pub fn drive<S: Sink>(
    article: &Article,
    keep_punctuation: bool,
    sink: &mut S,
) -> Result<(), S::Error> {
    let numbering = Numbering::new(article);
    let walk = Walk {
        options: RunOptions {
            numbering: &numbering,
            keep_punctuation,
        },
    };
    sink.title_block(&walk.title_block(article))?;
    for block in &article.blocks {
        match block {
            Block::Heading(h) => sink.heading(h.level, &walk.runs(None, &h.content))?,
            Block::Paragraph(p) => sink.paragraph(&walk.runs(None, p))?,
            Block::Labelled(l) => sink.paragraph(&walk.runs(Some(&l.term), &l.content))?,
            Block::List(l) => walk.list(l, 0, sink)?,
        }
    }
    if !article.references.is_empty() {
        let title = walk.plain(&article.references_title);
        sink.references(&title, &entries(article, &numbering))?;
    }
    sink.rule()?;
    sink.notice(NoticeKind::Disclaimer, &walk.notice(&article.disclaimer))?;
    if let Some(c) = &article.copyright {
        sink.notice(NoticeKind::Copyright, &walk.notice(c))?;
    }
    Ok(())
}

/// The reference list: entries in the order of first citation.
fn entries(article: &Article, numbering: &Numbering) -> Vec<Entry> {
    numbering
        .order
        .iter()
        .filter_map(|&i| article.references.get(i))
        .enumerate()
        .map(|(n, reference)| Entry {
            number: n + 1,
            label: format!("[{}]", n + 1),
            runs: references::format(reference)
                .into_iter()
                .map(|piece| Run {
                    link: piece.link.map(Target::Url),
                    ..Run::plain(piece.text)
                })
                .collect(),
        })
        .collect()
}

struct Walk<'a> {
    options: RunOptions<'a>,
}

impl Walk<'_> {
    fn runs(&self, term: Option<&[Inline]>, content: &[Inline]) -> Vec<Run> {
        runs::runs(term, content, self.options)
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
            return vec![self.runs(Some(&label), &[])];
        }
        notice
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| self.runs((i == 0).then_some(&label[..]), p))
            .collect()
    }
}
