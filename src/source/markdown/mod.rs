//! The Markdown reader: a second way into the document model (docs/markdown.md is the mapping). comrak
//! parses CommonMark with GitHub's tables and footnotes and gives every node its place; this reader
//! turns the nodes into the model, records where each part was written (`Places`), and refuses what
//! the model cannot hold, at its place, saying what to write instead.

mod blocks;
mod front_matter;
mod inlines;
mod table;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::{Arena, Options};

use super::places::{Place, Places};
use super::{SourceError, SourceErrors};
use crate::model::{Article, Notice};

/// The JSON Schema of the front matter, for editors that check YAML against one.
pub fn front_matter_schema() -> schemars::Schema {
    schemars::schema_for!(front_matter::FrontMatter)
}

/// Parses a Markdown article: the model, and where each of its parts was written. `folder` is where
/// a bibliography named in the front matter is looked for; `limit` bounds the bibliography's size.
pub fn parse(
    file: &Arc<Path>,
    text: &str,
    folder: &Path,
    limit: u64,
) -> Result<(Article, Places), SourceErrors> {
    let (front, body) = front_matter::split(file, text).map_err(|e| SourceErrors(vec![e]))?;
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, &body, &options());
    let mut reader = Reader::new(file, text);
    reader.collect_notes(root);
    let blocks = reader.document(root);
    reader.unused_notes();
    let front = front_matter::read(file, &front, &mut reader.places);
    let mut errors = std::mem::take(&mut reader.errors);
    let front = match front {
        Ok(front) => Some(front),
        Err(e) => {
            errors.extend(e.0);
            None
        }
    };
    let Some(front) = front else {
        return Err(SourceErrors(errors));
    };
    let cited = reader.cited;
    let references = front.references(file, folder, limit, &cited, &mut reader.places);
    let references = match references {
        Ok(r) => r,
        Err(e) => {
            errors.extend(e.0);
            Vec::new()
        }
    };
    let notices = (reader.disclaimer.take(), reader.copyright.take());
    let article = front.article(file, blocks, references, notices, &mut reader.places);
    match article {
        Ok(article) if errors.is_empty() => Ok((article, reader.places)),
        Ok(_) => Err(SourceErrors(errors)),
        Err(e) => {
            errors.push(e);
            Err(SourceErrors(errors))
        }
    }
}

/// The dialect: CommonMark, GitHub tables and footnotes, `^sup^`, `~sub~`, `:::` blocks, attributes
/// after images, CJK-friendly emphasis; every node placed by line and character column.
pub(crate) fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.footnotes = true;
    o.extension.superscript = true;
    o.extension.subscript = true;
    o.extension.block_directive = true;
    o.extension.link_attributes = true;
    o.extension.cjk_friendly_emphasis = true;
    o.parse.sourcepos_chars = true;
    o.parse.escaped_char_spans = true;
    o.parse.leave_footnote_definitions = true;
    o.render.escaped_char_spans = true;
    o
}

/// The state of one reading: places and errors found so far, the notes' definitions, the notices.
struct Reader<'a> {
    file: Arc<Path>,
    /// The source's lines, to look at what was written where comrak's tree does not say (`**` or
    /// `__`, a literal `——`).
    lines: Vec<&'a str>,
    places: Places,
    errors: Vec<SourceError>,
    /// Footnote definitions by name, and whether each has been cited.
    notes: HashMap<String, (&'a AstNode<'a>, bool)>,
    /// The citation keys, in reading order, to choose a bibliography's entries.
    cited: Vec<String>,
    disclaimer: Option<Notice>,
    copyright: Option<Notice>,
}

impl<'a> Reader<'a> {
    fn new(file: &Arc<Path>, text: &'a str) -> Reader<'a> {
        Reader {
            file: file.clone(),
            lines: text.lines().collect(),
            places: Places::default(),
            errors: Vec::new(),
            notes: HashMap::new(),
            cited: Vec::new(),
            disclaimer: None,
            copyright: None,
        }
    }

    fn place(&self, pos: Sourcepos) -> Place {
        Place::new(&self.file, pos.start.line, pos.start.column.max(1))
    }

    /// Records where the part at `path` starts.
    fn mark(&mut self, path: &str, node: &'a AstNode<'a>) {
        let place = self.place(node.data().sourcepos);
        self.places.insert(path, place);
    }

    fn error(&mut self, node: &'a AstNode<'a>, path: &str, message: impl Into<String>) {
        self.error_at(node.data().sourcepos, path, message);
    }

    fn error_at(&mut self, pos: Sourcepos, path: &str, message: impl Into<String>) {
        self.errors.push(SourceError {
            file: self.file.to_path_buf(),
            position: Some((pos.start.line, pos.start.column.max(1))),
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// What was written from `pos` to the end of its line.
    fn written_at(&self, pos: Sourcepos) -> &'a str {
        let Some(line) = self.lines.get(pos.start.line.wrapping_sub(1)) else {
            return "";
        };
        let skip = pos.start.column.saturating_sub(1);
        match line.char_indices().nth(skip) {
            Some((at, _)) => &line[at..],
            None => "",
        }
    }

    /// The nodes after a mark written at the start of the text node `first` (a term's colon, a source's
    /// dashes, `Table:`), without the spaces typed after the mark: a space written as `&#32;` is
    /// content and stays. None when `first` does not start with one of `marks` as written.
    fn after_mark(&self, first: &'a AstNode<'a>, marks: &[&str]) -> Option<Vec<&'a AstNode<'a>>> {
        let NodeValue::Text(text) = first.data().value.clone() else {
            return None;
        };
        let written = self.written_at(first.data().sourcepos);
        let mark = marks
            .iter()
            .find(|m| written.starts_with(**m) && text.starts_with(**m))?;
        let typed = written[mark.len()..]
            .chars()
            .take_while(|c| *c == ' ')
            .count();
        let after = &text[mark.len()..];
        let spaces = after.chars().take(typed).take_while(|c| *c == ' ').count();
        let after = &after[spaces..];
        let mut rest = Vec::new();
        if !after.is_empty() {
            let mut data = first.data_mut();
            data.sourcepos.start.column += text.chars().count() - after.chars().count();
            data.value = NodeValue::Text(after.to_string().into());
            drop(data);
            rest.push(first);
        }
        rest.extend(first.following_siblings().skip(1));
        Some(rest)
    }

    /// Keeps every footnote definition, wherever it stands, for the references that cite it.
    fn collect_notes(&mut self, root: &'a AstNode<'a>) {
        for node in root.descendants() {
            if let NodeValue::FootnoteDefinition(d) = &node.data().value {
                let name = d.name.clone();
                if self.notes.insert(name.clone(), (node, false)).is_some() {
                    let path = format!("[^{name}]");
                    self.error(
                        node,
                        "",
                        format!("footnote {path} is defined twice, expected one definition"),
                    );
                }
            }
        }
    }

    /// A definition never cited is an error: its text would be lost.
    fn unused_notes(&mut self) {
        let mut unused: Vec<_> = self
            .notes
            .iter()
            .filter(|(_, (_, used))| !used)
            .map(|(name, (node, _))| (node.data().sourcepos, name.clone()))
            .collect();
        unused.sort_by_key(|(pos, _)| (pos.start.line, pos.start.column));
        for (pos, name) in unused {
            self.error_at(
                pos,
                "",
                format!("footnote [^{name}] is never cited, expected [^{name}] in the text where the note belongs (or remove the definition)"),
            );
        }
    }
}

/// The first character a node's text starts with, for the rule on line breaks between CJK text.
fn first_char<'a>(node: &'a AstNode<'a>) -> Option<char> {
    node.descendants().find_map(|n| match &n.data().value {
        NodeValue::Text(t) => t.chars().next(),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
