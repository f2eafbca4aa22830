//! Inlines: comrak's inline nodes into the model's, with pandoc's citations (`[@a; @b]`) found in the
//! text, footnote references replaced by their notes, and line breaks inside a paragraph joined as a
//! Chinese reader expects (nothing between CJK characters, a space elsewhere).

use comrak::nodes::{AstNode, NodeValue, Sourcepos};

use super::{Reader, first_char};
use crate::model::{Inline, Link};

/// Consecutive text being gathered into one `Inline::Text`, with where each piece starts.
#[derive(Default)]
struct Gathered {
    text: String,
    /// (byte offset in `text`, escaped, where the piece was written)
    pieces: Vec<(usize, bool, Sourcepos)>,
    /// A line break seen after the text so far, joined once the next character is known.
    pending_break: bool,
}

impl<'a> Reader<'a> {
    /// The inline children of `node` as inlines at `path` (`blocks[3].paragraph`).
    pub(super) fn inlines(&mut self, node: &'a AstNode<'a>, path: &str) -> Vec<Inline> {
        self.inline_nodes(node.children().collect(), path)
    }

    /// Inline nodes as inlines at `path`, each placed where it was written.
    pub(super) fn inline_nodes(&mut self, nodes: Vec<&'a AstNode<'a>>, path: &str) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut gathered = Gathered::default();
        for node in nodes {
            let value = node.data().value.clone();
            match value {
                NodeValue::Text(t) => gathered.push(&t, false, node.data().sourcepos),
                NodeValue::Escaped => {
                    let text: String = node
                        .children()
                        .filter_map(|c| match &c.data().value {
                            NodeValue::Text(t) => Some(t.to_string()),
                            _ => None,
                        })
                        .collect();
                    gathered.push(&text, true, node.data().sourcepos);
                }
                NodeValue::SoftBreak => gathered.pending_break = !gathered.text.is_empty(),
                _ => {
                    gathered.join_break(first_char(node));
                    self.flush(&mut gathered, &mut out, path);
                    let at = format!("{path}[{}]", out.len());
                    if let Some(inline) = self.inline(node, &at) {
                        self.mark(&at, node);
                        out.push(inline);
                    }
                }
            }
        }
        self.flush(&mut gathered, &mut out, path);
        out
    }

    /// One inline node that is not text.
    fn inline(&mut self, node: &'a AstNode<'a>, at: &str) -> Option<Inline> {
        let value = node.data().value.clone();
        Some(match value {
            NodeValue::Strong => Inline::Strong(self.inlines(node, &format!("{at}.strong"))),
            NodeValue::Emph => Inline::Emph(self.inlines(node, &format!("{at}.emph"))),
            NodeValue::Superscript => Inline::Sup(self.inlines(node, &format!("{at}.sup"))),
            NodeValue::Subscript => Inline::Sub(self.inlines(node, &format!("{at}.sub"))),
            NodeValue::Link(link) => return self.link(node, &link.url, &link.title, at),
            NodeValue::FootnoteReference(r) => return self.note(node, &r.name, at),
            other => {
                let message = refused_inline(&other);
                self.error(node, at, message);
                return None;
            }
        })
    }

    fn link(&mut self, node: &'a AstNode<'a>, url: &str, title: &str, at: &str) -> Option<Inline> {
        if !title.is_empty() || node.data().attrs.is_some() {
            self.error(
                node,
                at,
                "a link with a title or attributes cannot be set, expected [text](address) alone",
            );
            return None;
        }
        let url_at = format!("{at}.link.url");
        self.mark(&url_at, node);
        let content = self.inlines(node, &format!("{at}.link.content"));
        Some(Inline::Link(Link {
            url: url.to_string(),
            content,
        }))
    }

    /// A footnote reference: the note it names, read from its definition (one paragraph).
    fn note(&mut self, node: &'a AstNode<'a>, name: &str, at: &str) -> Option<Inline> {
        let Some((definition, used)) = self.notes.get(name).copied() else {
            self.error(
                node,
                at,
                format!("footnote [^{name}] has no definition, expected a line `[^{name}]: text`"),
            );
            return None;
        };
        if used {
            self.error(
                node,
                at,
                format!("footnote [^{name}] is cited a second time, expected each note cited once (write a second note)"),
            );
            return None;
        }
        self.notes.insert(name.to_string(), (definition, true));
        let children: Vec<_> = definition.children().collect();
        match children.as_slice() {
            [p] if matches!(p.data().value, NodeValue::Paragraph) => {
                Some(Inline::Note(self.inlines(p, &format!("{at}.note"))))
            }
            _ => {
                self.error(
                    definition,
                    at,
                    format!("footnote [^{name}] holds more than one paragraph, expected a note of one paragraph"),
                );
                None
            }
        }
    }

    /// Ends a stretch of text: the text and the citations in it become inlines.
    fn flush(&mut self, gathered: &mut Gathered, out: &mut Vec<Inline>, path: &str) {
        let g = std::mem::take(gathered);
        if g.text.is_empty() {
            return;
        }
        let mut rest = 0;
        for (open, close) in g.brackets() {
            if is_citation(&g.text[open + 1..close]) {
                // The citation's index: after the text before it, when there is any.
                let text_before = usize::from(open > rest);
                let at = format!("{path}[{}]", out.len() + text_before);
                let Some(ids) = self.citation(&g, open, close, &at) else {
                    continue;
                };
                self.text_inline(&g, rest..open, out, path);
                let index = out.len();
                self.places
                    .insert(format!("{path}[{index}]"), g.place(open, &self.file));
                for (j, _) in ids.iter().enumerate() {
                    let key_at = g.text[open..].find('@').map_or(open, |i| open + i);
                    self.places.insert(
                        format!("{path}[{index}].cite[{j}]"),
                        g.place(key_at, &self.file),
                    );
                }
                self.cited.extend(ids.iter().cloned());
                out.push(Inline::Cite(ids));
                rest = close + 1;
            } else if g.text[open + 1..].starts_with('^') {
                let name = &g.text[open + 2..close];
                let pos = g.sourcepos(open);
                self.error_at(
                    pos,
                    path,
                    format!(
                        "footnote [^{name}] has no definition, expected a line `[^{name}]: text`"
                    ),
                );
            }
        }
        self.text_inline(&g, rest..g.text.len(), out, path);
    }

    fn text_inline(
        &mut self,
        g: &Gathered,
        range: std::ops::Range<usize>,
        out: &mut Vec<Inline>,
        path: &str,
    ) {
        if range.is_empty() {
            return;
        }
        self.places.insert(
            format!("{path}[{}]", out.len()),
            g.place(range.start, &self.file),
        );
        out.push(Inline::Text(g.text[range].to_string()));
    }

    /// The keys of `[@a; @b]` (or `@{key}`), or an error for a citation the model cannot hold.
    fn citation(
        &mut self,
        g: &Gathered,
        open: usize,
        close: usize,
        at: &str,
    ) -> Option<Vec<String>> {
        let inner = &g.text[open + 1..close];
        let mut ids = Vec::new();
        for part in inner.split(';') {
            let part = part.trim();
            let key = part
                .strip_prefix("@{")
                .and_then(|k| k.strip_suffix('}'))
                .or_else(|| part.strip_prefix('@').filter(|k| is_plain_key(k)));
            match key {
                Some(k) if !k.is_empty() => ids.push(k.to_string()),
                _ => {
                    self.error_at(
                        g.sourcepos(open),
                        at,
                        format!(
                            "citation [{inner}] cannot be set: a prefix, locator or suppressed author has no place in a handout, expected [@key] or [@a; @b] with the words outside the brackets"
                        ),
                    );
                    return None;
                }
            }
        }
        Some(ids)
    }
}

/// Whether bracketed text is a citation as pandoc reads one: an `@` that starts a word.
fn is_citation(inner: &str) -> bool {
    let mut before = ' ';
    for c in inner.chars() {
        if c == '@' && (before.is_whitespace() || before == ';' || before == ' ') {
            return true;
        }
        before = c;
    }
    false
}

/// A citation key as pandoc reads it without braces.
fn is_plain_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c))
}

impl Gathered {
    fn push(&mut self, text: &str, escaped: bool, pos: Sourcepos) {
        self.join_break(text.chars().next());
        self.pieces.push((self.text.len(), escaped, pos));
        self.text.push_str(text);
    }

    /// A line break inside a paragraph: nothing between two CJK characters (a Chinese line is not
    /// split by a space), a space elsewhere.
    fn join_break(&mut self, next: Option<char>) {
        if !std::mem::take(&mut self.pending_break) {
            return;
        }
        let before = self.text.chars().next_back();
        let cjk = |c: Option<char>| c.is_some_and(crate::text::is_cjk);
        if !(cjk(before) || cjk(next)) {
            self.text.push(' ');
        }
    }

    /// Bracket pairs `[…]` written as markup (not escaped), innermost text between them.
    fn brackets(&self) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        let mut open = None;
        for (i, c) in self.text.char_indices() {
            match c {
                '[' if !self.escaped(i) => open = Some(i),
                ']' if !self.escaped(i) => {
                    if let Some(o) = open.take() {
                        pairs.push((o, i));
                    }
                }
                _ => {}
            }
        }
        pairs
    }

    fn escaped(&self, offset: usize) -> bool {
        self.piece(offset).is_some_and(|(_, escaped, _)| escaped)
    }

    fn piece(&self, offset: usize) -> Option<(usize, bool, Sourcepos)> {
        let i = self
            .pieces
            .partition_point(|(start, _, _)| *start <= offset);
        i.checked_sub(1).map(|i| self.pieces[i])
    }

    /// Where the character at `offset` was written (its piece's line, the column counted on).
    fn sourcepos(&self, offset: usize) -> Sourcepos {
        let Some((start, _, mut pos)) = self.piece(offset) else {
            return Sourcepos::from((1, 1, 1, 1));
        };
        pos.start.column += self.text[start..offset].chars().count();
        pos
    }

    fn place(
        &self,
        offset: usize,
        file: &std::sync::Arc<std::path::Path>,
    ) -> crate::source::places::Place {
        let pos = self.sourcepos(offset);
        crate::source::places::Place::new(file, pos.start.line, pos.start.column.max(1))
    }
}

/// What to write instead of an inline the model has no place for.
fn refused_inline(value: &NodeValue) -> String {
    match value {
        NodeValue::Code(_) => "inline code cannot be set in a handout, expected plain text (remove the backticks)".into(),
        NodeValue::HtmlInline(_) => "raw HTML cannot be set in a handout, expected Markdown (**strong**, *emphasis*, ~sub~, ^sup^)".into(),
        NodeValue::LineBreak => "a hard line break cannot be set in a handout, expected a new paragraph (a blank line) or the text on one line".into(),
        NodeValue::Image(_) => "an image inside text cannot be set, expected it alone in its paragraph (a figure)".into(),
        NodeValue::EscapedTag(_) | NodeValue::Strikethrough => "strikethrough (`~~…~~`) cannot be set in a handout, expected plain text (`~…~` is a subscript)".into(),
        other => format!("{} cannot be set in a handout, expected plain text, **strong**, *emphasis*, links, citations or notes", node_name(other)),
    }
}

/// The name of a node kind in messages.
pub(super) fn node_name(value: &NodeValue) -> String {
    let name = format!("{value:?}");
    let name = name.split(['(', ' ', '{']).next().unwrap_or("this");
    format!("`{name}`")
}
