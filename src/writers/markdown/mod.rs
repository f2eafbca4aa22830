//! Markdown: the article as a source in the dialect of `docs/markdown.md`, which the Markdown reader
//! turns back into the same model.
//!
//! The form written (decisions beyond the dialect's reference):
//! - YAML front matter: every text a double-quoted scalar (no YAML typing can change it), keys in the
//!   order title, short_title, subtitle, author, date, lang, keywords, summary, references_title (only
//!   when not 参考文献), references (one CSL item a line, as a flow mapping). `$schema` is not written:
//!   the front matter has no such key.
//! - One block after another, a blank line between; a paragraph, item, cell or caption on one line.
//! - Labelled paragraphs and terms as `**term**：content` (the full-width colon always); a paragraph or
//!   item that opens with bold followed by a colon writes that bold `__…__`.
//! - Lists: `-` bullets (`*` for a bullet list right after another, which would join it otherwise),
//!   `1.` decimal, `1)` Chinese, numbered from the list's start; nested lists indented by the width of
//!   their item's marker, after a blank line when they are numbered from other than 1 (such a list
//!   cannot interrupt the item's text); an item of children only starts with its first child's marker
//!   (`- - child`).
//! - Notes numbered `[^1]`, `[^2]`… in the order they appear; their definitions follow the top-level
//!   block that cites them (an aside, a table with its caption, a whole list), each after a blank line.
//! - Tables as `table.rs` says; figures `![caption](src "alt"){width=0.8}`; quotes with `> `, `>` lines
//!   between paragraphs and the source last as `> ——source`; asides and the notices (disclaimer,
//!   then copyright, at the end) as `::: kind label` … `:::`.
//! - Inline text escaped as `inlines.rs` says, bold and emphasis delimited as `delims.rs` says; every
//!   line is read back with comrak (`check.rs`) and refused when it does not read as the model.
//!
//! What the dialect cannot say is an [`Unwritable`] with the model's JSON path: empty bold, emphasis,
//! superscript, subscript, notes, terms, paragraphs, lists, items or labels; a superscript in a link or a
//! figure caption; a link in a link; two numbered lists of one style in a row; a quote with a source but
//! no paragraph; white space at the ends of a label, at the start of a term's text or a quote's source,
//! at the ends of a table's caption (the reader trims it there, entities included); a first header row
//! of empty cells; heading levels beyond 1–3; anything comrak reads back otherwise (adjacent
//! superscripts, bold in bold in bold…). Adjacent texts of the model come back joined, as one text.

mod blocks;
mod check;
mod delims;
mod front_matter;
mod inlines;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::model::{Article, Block, List, ListStyle};
use check::{Container, Shapes};
use inlines::{Line, Note};

/// Something the model holds that the Markdown dialect cannot say, with the model's JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritable {
    pub path: String,
    pub message: String,
}

impl Unwritable {
    fn at(path: impl Into<String>, message: impl Into<String>) -> Unwritable {
        Unwritable {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for Unwritable {}

/// The article as a Markdown source (the dialect of docs/markdown.md), which reads back to the same
/// model.
pub fn write(article: &Article) -> Result<String, Unwritable> {
    let mut w = Writer {
        next_note: 1,
        pending: Vec::new(),
    };
    let mut lines = w.blocks(&article.blocks, "blocks", true)?;
    let notices = [
        ("disclaimer", article.disclaimer.as_ref()),
        ("copyright", article.copyright.as_ref()),
    ];
    for (kind, notice) in notices {
        if let Some(n) = notice {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(w.notice(kind, n)?);
        }
    }
    let mut out = front_matter::write(article);
    out.push('\n');
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    reads_back(article, &out)?;
    Ok(out)
}

/// The whole text read by the Markdown reader itself must give the article again: the last word on
/// what the lines checked one by one add up to (notes, lists and tables span lines).
fn reads_back(article: &Article, md: &str) -> Result<(), Unwritable> {
    let file: std::sync::Arc<std::path::Path> = std::sync::Arc::from(std::path::Path::new("-"));
    let folder = std::path::Path::new(".");
    let read = crate::source::markdown::parse(&file, md, folder, u64::MAX).map(|(a, _)| a);
    let same = read.is_ok_and(|mut back| {
        back.schema = article.schema.clone();
        back.images = article.images.clone();
        back == *article
    });
    if same {
        Ok(())
    } else {
        Err(Unwritable::at(
            "",
            "the Markdown written would not read back as the same article (a case this writer does not know)",
        ))
    }
}

/// The state that runs across blocks: note labels and the definitions still to write.
struct Writer<'a> {
    next_note: u32,
    pending: Vec<Note<'a>>,
}

impl<'a> Writer<'a> {
    fn line(&self, container: Container, path: &str) -> Line<'a> {
        Line::new(container, path, self.next_note)
    }

    /// The line as Markdown, once comrak reads it back as the model says; written defensively
    /// (every letter next to a delimiter an entity) when the first form does not read back.
    fn finish(&mut self, line: Line<'a>) -> Result<String, Unwritable> {
        let expected = line.expected();
        let labels: Vec<u32> = line.notes.iter().map(|n| n.number).collect();
        let mut problem = String::new();
        if line.toks.is_empty() && check::normalize(expected.clone()).is_empty() {
            // An empty cell or heading: nothing to read back.
            return Ok(String::new());
        }
        for armor_all in [false, true] {
            let text = delims::render(&line, armor_all);
            match check::verify(&text, line.container, &labels, &expected) {
                Ok(()) => {
                    self.next_note = line.next_note;
                    self.pending.extend(line.notes);
                    return Ok(text);
                }
                Err(read) => {
                    problem = format!(
                        "`{}` reads back as {}, expected {}",
                        shorten(&text),
                        shorten(&read),
                        shorten(&Shapes(&check::normalize(expected.clone())).to_string())
                    )
                }
            }
        }
        Err(Unwritable::at(
            line.block,
            format!("cannot be written in Markdown so that it reads back the same: {problem}"),
        ))
    }

    /// Blocks one after another, a blank line between; at the top level, the definitions of the notes
    /// a block cites follow it.
    fn blocks(
        &mut self,
        blocks: &'a [Block],
        path: &str,
        top: bool,
    ) -> Result<Vec<String>, Unwritable> {
        let mut lines = Vec::new();
        let mut previous = None;
        for (i, block) in blocks.iter().enumerate() {
            let path = format!("{path}[{i}]");
            if !lines.is_empty() {
                lines.push(String::new());
            }
            previous = match block {
                Block::List(list) => {
                    let bullet = bullet_after(list, previous, &path)?;
                    lines.extend(self.list(list, &format!("{path}.list"), bullet)?);
                    Some((list.style, bullet))
                }
                other => {
                    lines.extend(self.block(other, &path)?);
                    None
                }
            };
            if top {
                let definitions = self.definitions()?;
                if !definitions.is_empty() {
                    lines.push(String::new());
                    lines.extend(definitions);
                    previous = None;
                }
            }
        }
        Ok(lines)
    }

    /// `[^n]: text` for every note met and not yet defined (and the notes those cite).
    fn definitions(&mut self) -> Result<Vec<String>, Unwritable> {
        let mut lines = Vec::new();
        while !self.pending.is_empty() {
            let note = self.pending.remove(0);
            let mut line = self.line(Container::Paragraph, &note.path);
            line.run(note.content, true)?;
            let text = self.finish(line)?;
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!("[^{}]: {text}", note.number));
        }
        Ok(lines)
    }
}

/// The bullet of a list written right after `previous` (style and bullet of the list just written,
/// if any): Markdown starts a new list at a change of bullet or numbering style, and joins two lists
/// of one numbering style into one.
fn bullet_after(
    list: &List,
    previous: Option<(ListStyle, char)>,
    path: &str,
) -> Result<char, Unwritable> {
    match previous {
        Some((style, _)) if style == list.style && style != ListStyle::Bullet => {
            Err(Unwritable::at(
                path,
                "a numbered list right after one of the same numbering: Markdown reads the two as one list",
            ))
        }
        Some((ListStyle::Bullet, '-')) => Ok('*'),
        _ => Ok('-'),
    }
}

/// A text cut to a length fit for a message.
fn shorten(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}
