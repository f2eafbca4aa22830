//! The plain-text handout: UTF-8, wrapped at a width in display columns by the shared clreq rules,
//! paragraphs indented with two ideographic spaces, headings set off, lists with hanging indents, the
//! GB/T 7714 reference list, then the disclaimer and the copyright notice.

use crate::model::{Article, Block, List, Notice};
use crate::references::{self, Numbering};
use crate::runs::{self, Run, RunOptions, Target};
use crate::text::width::columns;
use crate::text::wrap::wrap;

#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Line width in display columns (Chinese characters count two).
    pub width: usize,
    /// Windows line endings.
    pub crlf: bool,
    pub keep_punctuation: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 72,
            crlf: false,
            keep_punctuation: false,
        }
    }
}

/// The narrowest width accepted: a list nested a few deep must still have room for text.
pub const MIN_WIDTH: usize = 20;

const INDENT: &str = "\u{3000}\u{3000}";

struct Writer<'a> {
    out: Vec<String>,
    width: usize,
    options: RunOptions<'a>,
}

/// Renders the article as a plain-text handout.
pub fn render(article: &Article, options: &TextOptions) -> String {
    let numbering = Numbering::new(article);
    let mut w = Writer {
        out: Vec::new(),
        width: options.width.max(MIN_WIDTH),
        options: RunOptions {
            numbering: &numbering,
            keep_punctuation: options.keep_punctuation,
        },
    };
    w.title_block(article, options.keep_punctuation);
    for block in &article.blocks {
        w.blank();
        match block {
            Block::Heading(h) => {
                w.heading(h.level, &flatten(&runs::runs(None, &h.content, w.options)))
            }
            Block::Paragraph(p) => w.paragraph(&flatten(&runs::runs(None, p, w.options))),
            Block::Labelled(l) => {
                w.paragraph(&flatten(&runs::runs(Some(&l.term), &l.content, w.options)))
            }
            Block::List(l) => w.list(l, 0),
        }
    }
    if !article.references.is_empty() {
        w.blank();
        w.heading(
            1,
            &runs::plain(&article.references_title, options.keep_punctuation),
        );
        w.blank();
        w.references(article, &numbering);
    }
    w.blank();
    w.out.push("-".repeat(w.width));
    w.notice(&article.disclaimer);
    if let Some(c) = &article.copyright {
        w.blank();
        w.notice(c);
    }
    let newline = if options.crlf { "\r\n" } else { "\n" };
    let mut text = w.out.join(newline);
    text.push_str(newline);
    text
}

/// The text of runs as plain text: a link shows its address after its text.
fn flatten(runs: &[Run]) -> String {
    let mut out = String::new();
    for (i, run) in runs.iter().enumerate() {
        out.push_str(&run.text);
        if let Some(Target::Url(url)) = &run.link {
            let last_of_link = runs.get(i + 1).is_none_or(|next| next.link != run.link);
            let shown = url.strip_prefix("mailto:").unwrap_or(url);
            if last_of_link && !out.ends_with(shown) {
                out.push_str(&format!(" <{shown}>"));
            }
        }
    }
    out
}

impl Writer<'_> {
    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
    }

    /// Wraps `text` with `first` before the first line and `hang` before the others.
    fn wrapped(&mut self, text: &str, first: &str, hang: &str) {
        let (fw, hw) = (columns(first), columns(hang));
        let avail = |w: usize| (self.width.saturating_sub(w)).max(2) as f32;
        let lines = wrap(text, avail(fw), avail(hw), |s| columns(s) as f32);
        if lines.is_empty() {
            self.out.push(first.trim_end().to_string());
        }
        for (i, r) in lines.into_iter().enumerate() {
            let lead = if i == 0 { first } else { hang };
            self.out.push(format!("{lead}{}", &text[r]));
        }
    }

    fn title_block(&mut self, article: &Article, keep: bool) {
        let m = &article.meta;
        self.out.push("=".repeat(self.width));
        self.wrapped(&runs::plain(&m.title, keep), "", "");
        if let Some(sub) = &m.subtitle {
            self.wrapped(&runs::plain(sub, keep), "", "");
        }
        self.out.push("=".repeat(self.width));
        let mut byline = m.author.clone();
        if let Some(date) = m.date.as_deref().and_then(crate::date::parse_iso_date) {
            byline.push_str(&format!("\u{3000}{}", date.chinese()));
        }
        self.wrapped(&byline, "", "");
        if !m.keywords.is_empty() {
            self.wrapped(&m.keywords.join("；"), "关键词：", "        ");
        }
        if let Some(summary) = &m.summary {
            self.blank();
            self.wrapped(&runs::plain(summary, keep), "摘要：", "");
        }
    }

    fn heading(&mut self, level: u8, text: &str) {
        match level {
            1 | 2 => {
                let start = self.out.len();
                self.wrapped(text, "", "");
                let widest = self.out[start..]
                    .iter()
                    .map(|l| columns(l))
                    .max()
                    .unwrap_or(0);
                self.out
                    .push((if level == 1 { "=" } else { "-" }).repeat(widest));
            }
            _ => self.wrapped(text, "■ ", "  "),
        }
    }

    fn paragraph(&mut self, text: &str) {
        let text = text.trim_start();
        self.wrapped(text, INDENT, "");
    }

    fn list(&mut self, list: &List, indent: usize) {
        let markers: Vec<String> = (0..list.items.len())
            .map(|i| runs::list_marker(list.style, list.start + i as u32))
            .collect();
        // A full-width marker (一、) carries its own space; others are followed by one.
        let gap = usize::from(list.style != crate::model::ListStyle::Chinese);
        let marker_width = markers.iter().map(|m| columns(m)).max().unwrap_or(0) + gap;
        let pad = " ".repeat(indent);
        for (item, marker) in list.items.iter().zip(&markers) {
            let text = flatten(&runs::runs(Some(&item.term), &item.content, self.options));
            let first = format!(
                "{pad}{marker}{}",
                " ".repeat(marker_width - columns(marker))
            );
            let hang = " ".repeat(indent + marker_width);
            self.wrapped(&text, &first, &hang);
            for child in &item.children {
                self.list(child, indent + marker_width);
            }
        }
    }

    fn references(&mut self, article: &Article, numbering: &Numbering) {
        let label_width = columns(&format!("[{}] ", numbering.order.len()));
        for (n, &i) in numbering.order.iter().enumerate() {
            let label = format!("[{}]", n + 1);
            let first = format!("{label}{}", " ".repeat(label_width - columns(&label)));
            self.wrapped(
                &references::format_plain(&article.references[i]),
                &first,
                &" ".repeat(label_width),
            );
        }
    }

    fn notice(&mut self, notice: &Notice) {
        let label = [crate::model::Inline::Text(notice.label.clone())];
        for (i, p) in notice.paragraphs.iter().enumerate() {
            // The label leads the first paragraph, joined by a colon that follows the punctuation rules.
            let term = (i == 0).then_some(&label[..]);
            let text = flatten(&runs::runs(term, p, self.options));
            let first = if i == 0 { "" } else { INDENT };
            self.wrapped(&text, first, "");
        }
    }
}
