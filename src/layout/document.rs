//! The article as a column of rows (set lines with the space above them), in reading order: title
//! block, body, references, then the disclaimer after a rule and the copyright. Pagination is
//! `page`'s job.

use crate::Error;
use crate::fonts::Face;
use crate::model::{Article, Block, Inline, List, ListStyle, Notice};
use crate::references::{self, Numbering};
use crate::runs::{self, Run, RunOptions};

use super::line::{self, SetLine, Span};
use super::shaper::Shaper;
use super::{BODY_SIZE, Element, LayoutOptions, Role, TEXT_WIDTH, Target};

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
    pub anchor: Option<usize>,
    /// A horizontal rule across the row instead of text.
    pub rule: bool,
    /// The structure element the row's text belongs to.
    pub element: usize,
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

struct Builder<'s, 'f, 'a> {
    shaper: &'s mut Shaper<'f>,
    rows: Vec<Row>,
    runs: RunOptions<'a>,
    /// Space owed to the next row (a heading's space after).
    owed: f32,
    elements: Vec<Element>,
    /// The element rows are set in now, and the parent of the next one opened.
    current: usize,
    parent: Option<usize>,
}

/// The rows of the article.
pub fn rows(
    article: &Article,
    shaper: &mut Shaper,
    options: LayoutOptions,
) -> Result<(Vec<Row>, Vec<Element>), Error> {
    let numbering = Numbering::new(article);
    let mut b = Builder {
        shaper,
        rows: Vec::new(),
        runs: RunOptions {
            numbering: &numbering,
            keep_punctuation: options.keep_punctuation,
        },
        owed: 0.0,
        elements: Vec::new(),
        current: 0,
        parent: None,
    };
    b.title_block(article)?;
    for block in &article.blocks {
        match block {
            Block::Heading(h) => {
                let runs = runs::runs(None, &h.content, b.runs);
                b.heading(h.level, &runs)?;
            }
            Block::Paragraph(p) => {
                let spans = b.spans(None, p, BODY_SIZE);
                b.open(Role::Paragraph);
                b.paragraph(&spans, Style::body())?;
            }
            Block::Labelled(l) => {
                let spans = b.spans(Some(&l.term), &l.content, BODY_SIZE);
                b.open(Role::Paragraph);
                b.paragraph(&spans, Style::body())?;
            }
            Block::List(l) => b.list(l, 0.0)?,
        }
    }
    if !article.references.is_empty() {
        let title = runs::plain(&article.references_title, options.keep_punctuation);
        b.heading(1, &[plain_run(title)])?;
        b.references(article, &numbering)?;
    }
    b.rule(18.0);
    b.notice(&article.disclaimer)?;
    if let Some(c) = &article.copyright {
        b.owed = 8.0;
        b.notice(c)?;
    }
    Ok((b.rows, b.elements))
}

fn plain_run(text: String) -> Run {
    Run {
        text,
        strong: false,
        emph: false,
        link: None,
        citation: false,
    }
}

fn target(t: &runs::Target) -> Target {
    match t {
        runs::Target::Url(u) => Target::Url(u.clone()),
        runs::Target::Reference(n) => Target::Reference(*n),
    }
}

/// Spans of runs: the first `term` runs in the sans bold, strong and emphasis in the serif bold (a
/// real bold face, never a faked one), citation labels raised and smaller.
fn spans_of(runs: &[Run], term: usize, size: f32) -> Vec<Span> {
    runs.iter()
        .enumerate()
        .map(|(i, r)| {
            let face = if i < term {
                Face::SansBold
            } else if r.strong || r.emph {
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
                link: r.link.as_ref().map(target),
            }
        })
        .collect()
}

impl Builder<'_, '_, '_> {
    /// Opens a structure element under the current parent; the rows set next belong to it.
    fn open(&mut self, role: Role) -> usize {
        self.elements.push(Element {
            role,
            parent: self.parent,
        });
        self.current = self.elements.len() - 1;
        self.current
    }

    /// The spans of a term (bold sans, joined by a colon) and its content.
    fn spans(&self, term: Option<&[Inline]>, content: &[Inline], size: f32) -> Vec<Span> {
        let runs = runs::runs(term, content, self.runs);
        let term_runs = match term {
            Some(t) if !t.is_empty() => {
                let n = runs::runs(None, t, self.runs).len() + usize::from(!content.is_empty());
                runs.iter().take(n).take_while(|r| r.strong).count()
            }
            _ => 0,
        };
        spans_of(&runs, term_runs, size)
    }

    /// Sets spans as one paragraph; returns the index of its first row.
    fn paragraph(&mut self, spans: &[Span], style: Style) -> Result<usize, Error> {
        let width = TEXT_WIDTH - style.x;
        let mut lines = line::set(
            self.shaper,
            spans,
            width - style.first_indent,
            width,
            style.justify,
        )?;
        if lines.is_empty() {
            lines.push(SetLine {
                glyphs: Vec::new(),
                links: Vec::new(),
                width: 0.0,
                available: width,
                justified: false,
                text: String::new(),
            });
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
            });
        }
        self.owed = 0.0;
        Ok(first)
    }

    fn title_block(&mut self, article: &Article) -> Result<(), Error> {
        let m = &article.meta;
        let keep = self.runs.keep_punctuation;
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
        let title = span(runs::plain(&m.title, keep), Face::SansBold, 20.0);
        self.open(Role::Title);
        self.paragraph(&[title], centered(20.0, 1.4, 0.0))?;
        if let Some(sub) = &m.subtitle {
            let sub = span(runs::plain(sub, keep), Face::SansRegular, 14.0);
            self.open(Role::Paragraph);
            self.paragraph(&[sub], centered(14.0, 1.5, 2.0))?;
        }
        let mut byline = m.author.clone();
        if let Some(date) = m.date.as_deref().and_then(crate::date::parse_iso_date) {
            byline.push_str(&format!("\u{3000}{}", date.chinese()));
        }
        let byline = span(byline, Face::SerifRegular, BODY_SIZE);
        self.open(Role::Paragraph);
        self.paragraph(&[byline], centered(BODY_SIZE, 1.7, 6.0))?;
        let small = Style {
            size: 9.5,
            leading: 1.6,
            first_indent: 0.0,
            space_before: 0.0,
            ..Style::body()
        };
        if !m.keywords.is_empty() {
            let term = [Inline::Text("关键词".into())];
            let content = [Inline::Text(m.keywords.join("；"))];
            let spans = self.spans(Some(&term), &content, 9.5);
            self.open(Role::Paragraph);
            self.paragraph(
                &spans,
                Style {
                    space_before: 8.0,
                    ..small
                },
            )?;
        }
        if let Some(summary) = &m.summary {
            let term = [Inline::Text("摘要".into())];
            let content = [Inline::Text(summary.clone())];
            let spans = self.spans(Some(&term), &content, 9.5);
            self.open(Role::Paragraph);
            self.paragraph(&spans, small)?;
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
        let spans: Vec<Span> = spans_of(runs, runs.len(), size);
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

    fn list(&mut self, list: &List, x: f32) -> Result<(), Error> {
        // However deep the nesting, a line keeps room for ten characters.
        let x = x.min(TEXT_WIDTH - 12.0 * BODY_SIZE);
        let markers: Vec<String> = (0..list.items.len())
            .map(|i| runs::list_marker(list.style, list.start.saturating_add(i as u32)))
            .collect();
        // The serif bullet is a faint dot next to the bold sans terms: set it in the sans bold.
        let marker_face = if list.style == ListStyle::Bullet {
            Face::SansBold
        } else {
            Face::SerifRegular
        };
        let mut widest: f32 = 0.0;
        for m in &markers {
            widest = widest.max(self.measure(m, marker_face, BODY_SIZE)?);
        }
        // Half an em after the marker; for 一、 that is the blank half of 、 that setting trims at the
        // end of a line.
        let gap = BODY_SIZE / 2.0;
        let indent = widest + gap;
        let outer = self.parent;
        let list_element = self.open(Role::List);
        for (item, marker) in list.items.iter().zip(&markers) {
            self.parent = Some(list_element);
            let item_element = self.open(Role::ListItem);
            let spans = self.spans(Some(&item.term), &item.content, BODY_SIZE);
            let style = Style {
                x: x + indent,
                first_indent: 0.0,
                ..Style::body()
            };
            let first = self.paragraph(&spans, style)?;
            self.hang_label(first, marker, marker_face, indent, BODY_SIZE)?;
            for child in &item.children {
                self.parent = Some(item_element);
                self.list(child, x + indent)?;
            }
        }
        self.parent = outer;
        Ok(())
    }

    fn references(&mut self, article: &Article, numbering: &Numbering) -> Result<(), Error> {
        let size = 9.5;
        let widest = format!("[{}]", numbering.order.len());
        let indent = self.measure(&widest, Face::SerifRegular, size)? + size / 2.0;
        let list_element = self.open(Role::List);
        for (n, &i) in numbering.order.iter().enumerate() {
            let Some(reference) = article.references.get(i) else {
                continue;
            };
            let spans: Vec<Span> = references::format(reference)
                .into_iter()
                .map(|p| Span {
                    text: p.text,
                    face: Face::SerifRegular,
                    size,
                    rise: 0.0,
                    link: p.link.map(Target::Url),
                })
                .collect();
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
            let first = self.paragraph(&spans, style)?;
            let label = format!("[{}]", n + 1);
            self.hang_label(first, &label, Face::SerifRegular, indent, size)?;
            self.rows[first].anchor = Some(n + 1);
        }
        self.parent = None;
        Ok(())
    }

    fn rule(&mut self, space_before: f32) {
        self.rows.push(Row {
            space_before,
            height: 10.0,
            baseline: 5.0,
            x: 0.0,
            line: SetLine {
                glyphs: Vec::new(),
                links: Vec::new(),
                width: TEXT_WIDTH,
                available: TEXT_WIDTH,
                justified: false,
                text: String::new(),
            },
            keep_with_next: true,
            bookmark: None,
            anchor: None,
            rule: true,
            element: self.current,
        });
    }

    fn notice(&mut self, notice: &Notice) -> Result<(), Error> {
        let size = 9.0;
        let label = [Inline::Text(notice.label.clone())];
        for (i, p) in notice.paragraphs.iter().enumerate() {
            let term = (i == 0).then_some(&label[..]);
            let spans = self.spans(term, p, size);
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
            self.paragraph(&spans, style)?;
        }
        Ok(())
    }
}
