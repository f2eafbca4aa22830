//! The plain-text handout: UTF-8, wrapped at a width in display columns by the shared clreq rules,
//! paragraphs indented with two ideographic spaces, headings set off, lists with hanging indents,
//! tables aligned by display width, figures as their caption and description, quotes behind a bar,
//! asides framed, the notes as endnotes, the GB/T 7714 reference list, then the disclaimer and the
//! copyright notice.

mod fill;
mod frame;
mod inline;
mod notes;
mod scripts;
mod table;

use std::convert::Infallible;

use crate::Options;
use crate::model::Article;
use crate::runs::Run;
use crate::text::width::columns;
use crate::walk::{self, Entry, ListStart, NoticeKind, Sink, TitleBlock};

use fill::fill;
use inline::flatten;

/// The narrowest width accepted: a list nested a few deep must still have room for text.
pub const MIN_WIDTH: usize = 20;

const INDENT: &str = "\u{3000}\u{3000}";

/// The columns an item of a list keeps for its text, however deep the list is nested: eight Chinese
/// characters, room enough for a run of marks that may not be split ("；————").
const TEXT_ROOM: usize = 16;

/// An open list: where its lines start and how wide its markers are.
struct OpenList {
    indent: usize,
    markers: Vec<String>,
    marker_width: usize,
}

/// An open aside: where its lines start, its label, and the width outside its frame.
struct OpenAside {
    start: usize,
    label: String,
    outer_width: usize,
}

struct Writer {
    out: Vec<String>,
    /// The width lines are filled to: the handout's, or the inside of an aside's frame.
    width: usize,
    lists: Vec<OpenList>,
    asides: Vec<OpenAside>,
}

/// Renders the article as a plain-text handout.
pub fn render(article: &Article, options: &Options) -> String {
    let mut w = Writer {
        out: Vec::new(),
        width: options.width.max(MIN_WIDTH),
        lists: Vec::new(),
        asides: Vec::new(),
    };
    let walk_options = walk::WalkOptions {
        keep_punctuation: options.keep_punctuation,
        notes: walk::NotePlacement::End,
        // The text prints every link's URL after its text itself.
        links: walk::LinkPlacement::Off,
        names: options.ref_names,
    };
    let Ok(()) = walk::drive(article, walk_options, &mut w);
    let newline = if options.crlf { "\r\n" } else { "\n" };
    let mut text = w.out.join(newline);
    text.push_str(newline);
    text
}

impl Sink for Writer {
    type Error = Infallible;

    fn table(&mut self, table: &walk::Table) -> Result<(), Infallible> {
        self.blank();
        self.out.extend(table::lines(table, self.width));
        Ok(())
    }

    /// "[图1：caption]", then what the image shows, in brackets: the reader of plain text sees no
    /// image, so its description stands in for it.
    fn figure(&mut self, figure: &walk::Figure) -> Result<(), Infallible> {
        self.blank();
        let caption = flatten(&figure.caption);
        let label = if caption.is_empty() {
            format!("[{}]", figure.label)
        } else {
            format!("[{}：{caption}]", figure.label)
        };
        self.wrapped(&label, "", "");
        self.wrapped(&format!("（图片说明：{}）", figure.alt.trim()), "", "");
        Ok(())
    }

    fn quote(&mut self, paragraphs: &[Vec<Run>], source: Option<&[Run]>) -> Result<(), Infallible> {
        self.blank();
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| flatten(p)).collect();
        let source = source.map(flatten);
        self.out
            .extend(frame::quote(&paragraphs, source.as_deref(), self.width));
        Ok(())
    }

    fn aside_start(&mut self, label: &str) -> Result<(), Infallible> {
        self.blank();
        self.asides.push(OpenAside {
            start: self.out.len(),
            label: label.to_string(),
            outer_width: self.width,
        });
        // The content is filled to fit inside the frame.
        self.width = frame::inner_width(self.width);
        Ok(())
    }

    fn aside_end(&mut self) -> Result<(), Infallible> {
        let Some(aside) = self.asides.pop() else {
            return Ok(());
        };
        let content = self.out.split_off(aside.start.min(self.out.len()));
        let framed = frame::frame(&aside.label, &content, self.width);
        self.out.extend(framed);
        self.width = aside.outer_width;
        Ok(())
    }

    /// Notes at the foot of a block (the text handout asks for endnotes, but a sink takes either):
    /// set off by a short rule after the block.
    fn footnotes(&mut self, notes: &[walk::Note]) -> Result<(), Infallible> {
        self.blank();
        self.out.push(fill::rule(self.width / 3));
        self.out.extend(notes::entries(notes, self.width));
        Ok(())
    }

    fn endnotes(&mut self, title: &str, notes: &[walk::Note]) -> Result<(), Infallible> {
        self.blank();
        self.heading_text(1, title);
        self.blank();
        self.out.extend(notes::entries(notes, self.width));
        Ok(())
    }

    fn title_block(&mut self, block: &TitleBlock) -> Result<(), Infallible> {
        self.out.push("=".repeat(self.width));
        self.wrapped(&block.title, "", "");
        if let Some(sub) = &block.subtitle {
            self.wrapped(sub, "", "");
        }
        self.out.push("=".repeat(self.width));
        self.wrapped(&block.byline, "", "");
        if let Some(keywords) = &block.keywords {
            // The keywords hang under the first one, after "关键词：".
            let text = flatten(keywords);
            let term: String = keywords
                .iter()
                .filter(|r| r.term)
                .map(|r| r.text.as_str())
                .collect();
            self.wrapped(&text, "", &" ".repeat(columns(&term)));
        }
        if let Some(summary) = &block.summary {
            self.blank();
            self.wrapped(&flatten(summary), "", "");
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, runs: &[Run]) -> Result<(), Infallible> {
        self.blank();
        self.heading_text(level, &flatten(runs));
        Ok(())
    }

    fn paragraph(&mut self, runs: &[Run]) -> Result<(), Infallible> {
        self.blank();
        let text = flatten(runs);
        self.wrapped(text.trim_start(), INDENT, "");
        Ok(())
    }

    fn list_start(&mut self, list: &ListStart) -> Result<(), Infallible> {
        if list.depth == 0 {
            self.blank();
        }
        // A full-width marker (一、) carries its own space; others are followed by one.
        let gap = usize::from(list.style != crate::model::ListStyle::Chinese);
        let marker_width = list.markers.iter().map(|m| columns(m)).max().unwrap_or(0) + gap;
        // However deep the nesting, an item keeps room for its text.
        let indent = self
            .lists
            .last()
            .map_or(0, |l| l.indent + l.marker_width)
            .min(self.width.saturating_sub(marker_width + TEXT_ROOM));
        self.lists.push(OpenList {
            indent,
            markers: list.markers.clone(),
            marker_width,
        });
        Ok(())
    }

    fn list_item(&mut self, index: usize, runs: &[Run]) -> Result<(), Infallible> {
        let Some(list) = self.lists.last() else {
            return Ok(());
        };
        let marker = list.markers.get(index).map_or("", String::as_str);
        let first = format!(
            "{}{marker}{}",
            " ".repeat(list.indent),
            " ".repeat(list.marker_width.saturating_sub(columns(marker)))
        );
        let hang = " ".repeat(list.indent + list.marker_width);
        self.wrapped(&flatten(runs), &first, &hang);
        Ok(())
    }

    fn list_end(&mut self) -> Result<(), Infallible> {
        self.lists.pop();
        Ok(())
    }

    fn references(&mut self, title: &str, entries: &[Entry]) -> Result<(), Infallible> {
        self.blank();
        self.heading_text(1, title);
        self.blank();
        let label_width = columns(&format!("[{}] ", entries.len()));
        for entry in entries {
            let first = format!(
                "{}{}",
                entry.label,
                " ".repeat(label_width.saturating_sub(columns(&entry.label)))
            );
            let text: String = entry.runs.iter().map(|r| r.text.as_str()).collect();
            self.wrapped(&text, &first, &" ".repeat(label_width));
        }
        Ok(())
    }

    fn rule(&mut self) -> Result<(), Infallible> {
        self.blank();
        self.out.push("-".repeat(self.width));
        Ok(())
    }

    fn read_online(&mut self, url: &str) -> Result<(), Infallible> {
        self.blank();
        self.wrapped(&format!("{}<{url}>", walk::READ_ONLINE_TITLE), "", "");
        Ok(())
    }

    fn notice(&mut self, kind: NoticeKind, paragraphs: &[Vec<Run>]) -> Result<(), Infallible> {
        if kind == NoticeKind::Copyright {
            self.blank();
        }
        for (i, p) in paragraphs.iter().enumerate() {
            let first = if i == 0 { "" } else { INDENT };
            self.wrapped(&flatten(p), first, "");
        }
        Ok(())
    }
}

impl Writer {
    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
    }

    /// Fills `text` with `first` before the first line and `hang` before the others.
    fn wrapped(&mut self, text: &str, first: &str, hang: &str) {
        self.out.extend(fill(text, first, hang, self.width));
    }

    fn heading_text(&mut self, level: u8, text: &str) {
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
}
