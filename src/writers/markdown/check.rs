//! Reading a written line back with comrak, as the Markdown reader does, to prove it says what the
//! model says.
//!
//! Whether `**` opens or closes depends on the characters around it (CommonMark's flanking rules, the
//! CJK-friendly amendment, the rule of three, the scope of brackets), and a superscript is plain text
//! inside a link: rules too many to mirror without error. Each line is therefore parsed again and its
//! inline tree compared with the one the model asks for; a line that does not read back is rewritten
//! more defensively or refused.

use std::fmt;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};

/// The comrak options of the Markdown dialect: the reader's own, so that the two cannot drift apart.
pub(super) fn options() -> Options<'static> {
    crate::source::markdown::options()
}

/// An inline as comrak reads it, reduced to what the model can hold.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape {
    Text(String),
    Strong(Vec<Shape>),
    Emph(Vec<Shape>),
    Sup(Vec<Shape>),
    Sub(Vec<Shape>),
    /// Destination, text.
    Link(String, Vec<Shape>),
    /// Source, title, description.
    Image(String, String, Vec<Shape>),
    /// A footnote reference, by label.
    Note(String),
    /// Anything the writer never means to produce (code, HTML, a line break…), by comrak's name.
    Other(String),
}

/// The block a line is the inline content of: how it is prefixed to be parsed, and where its inlines
/// are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    Paragraph,
    Heading(u8),
    /// The first paragraph of a list item.
    Item,
    /// A paragraph of a block quote.
    Quote,
}

/// Whether `line`, written as the content of `container`, reads back as `expected`; when it does not,
/// what it reads as. `notes` are the footnote labels the line cites (defined for the parse, since
/// comrak reads `[^1]` as a reference only when `[^1]:` exists).
pub(super) fn verify(
    line: &str,
    container: Container,
    notes: &[u32],
    expected: &[Shape],
) -> Result<(), String> {
    let prefix = match container {
        Container::Paragraph => String::new(),
        Container::Heading(level) => format!("{} ", "#".repeat(level as usize)),
        Container::Item => "- ".into(),
        Container::Quote => "> ".into(),
    };
    let mut doc = format!("{prefix}{line}\n");
    for n in notes {
        doc.push_str(&format!("\n[^{n}]: x\n"));
    }
    let arena = Arena::new();
    let root = parse_document(&arena, &doc, &options());
    let Some(block) = content_of(root, container) else {
        return Err("another block than the one written".into());
    };
    let got = normalize(block.children().map(shape).collect());
    let expected = normalize(expected.to_vec());
    if got == expected {
        Ok(())
    } else {
        Err(format!("{}", Shapes(&got)))
    }
}

/// The info string comrak reads from a `:::` fence line.
pub(super) fn directive_info(line: &str) -> Option<String> {
    let arena = Arena::new();
    let root = parse_document(&arena, &format!("{line}\n:::\n"), &options());
    let block = only_child(root)?;
    let data = block.data.borrow();
    match &data.value {
        NodeValue::BlockDirective(d) => Some(d.info.clone()),
        _ => None,
    }
}

/// The node holding the inlines of a line written in `container`, if the parse has that structure.
fn content_of<'a>(root: &'a AstNode<'a>, container: Container) -> Option<&'a AstNode<'a>> {
    let block = only_child(root)?;
    let inner = |node: &'a AstNode<'a>, want: fn(&NodeValue) -> bool| {
        want(&node.data.borrow().value).then_some(node)
    };
    match container {
        Container::Paragraph => inner(block, |v| matches!(v, NodeValue::Paragraph)),
        Container::Heading(level) => {
            let ok = matches!(&block.data.borrow().value, NodeValue::Heading(h) if h.level == level && !h.setext);
            ok.then_some(block)
        }
        Container::Item => {
            let list = inner(block, |v| matches!(v, NodeValue::List(_)))?;
            let item = inner(only_child(list)?, |v| matches!(v, NodeValue::Item(_)))?;
            inner(only_child(item)?, |v| matches!(v, NodeValue::Paragraph))
        }
        Container::Quote => {
            let quote = inner(block, |v| matches!(v, NodeValue::BlockQuote))?;
            inner(only_child(quote)?, |v| matches!(v, NodeValue::Paragraph))
        }
    }
}

/// The one child of `node` that is not a footnote definition.
fn only_child<'a>(node: &'a AstNode<'a>) -> Option<&'a AstNode<'a>> {
    let mut children = node
        .children()
        .filter(|c| !matches!(c.data.borrow().value, NodeValue::FootnoteDefinition(_)));
    let first = children.next()?;
    children.next().is_none().then_some(first)
}

fn shape<'a>(node: &'a AstNode<'a>) -> Shape {
    let children = || normalize(node.children().map(shape).collect());
    let value = &node.data.borrow().value;
    match value {
        NodeValue::Text(t) => Shape::Text(t.to_string()),
        // With escaped_char_spans a backslash escape is a node of its own; its text is the character.
        NodeValue::Escaped => Shape::Text(Shape::plain(&children())),
        NodeValue::Strong => Shape::Strong(children()),
        NodeValue::Emph => Shape::Emph(children()),
        NodeValue::Superscript => Shape::Sup(children()),
        NodeValue::Subscript => Shape::Sub(children()),
        NodeValue::Link(l) if l.title.is_empty() => Shape::Link(l.url.clone(), children()),
        NodeValue::Image(l) => Shape::Image(l.url.clone(), l.title.clone(), children()),
        NodeValue::FootnoteReference(f) => Shape::Note(f.name.clone()),
        other => Shape::Other(other.xml_node_name().to_string()),
    }
}

/// Adjacent texts joined and empty ones dropped, at every level: comrak and the model may split a
/// text differently.
pub(super) fn normalize(shapes: Vec<Shape>) -> Vec<Shape> {
    let mut out: Vec<Shape> = Vec::with_capacity(shapes.len());
    for s in shapes {
        let s = match s {
            Shape::Text(t) if t.is_empty() => continue,
            Shape::Text(t) => match out.last_mut() {
                Some(Shape::Text(prev)) => {
                    prev.push_str(&t);
                    continue;
                }
                _ => Shape::Text(t),
            },
            Shape::Strong(c) => Shape::Strong(normalize(c)),
            Shape::Emph(c) => Shape::Emph(normalize(c)),
            Shape::Sup(c) => Shape::Sup(normalize(c)),
            Shape::Sub(c) => Shape::Sub(normalize(c)),
            Shape::Link(u, c) => Shape::Link(u, normalize(c)),
            Shape::Image(u, t, c) => Shape::Image(u, t, normalize(c)),
            other => other,
        };
        out.push(s);
    }
    out
}

impl Shape {
    /// The text of shapes, markup dropped.
    fn plain(shapes: &[Shape]) -> String {
        let mut out = String::new();
        for s in shapes {
            match s {
                Shape::Text(t) => out.push_str(t),
                Shape::Strong(c) | Shape::Emph(c) | Shape::Sup(c) | Shape::Sub(c) => {
                    out.push_str(&Shape::plain(c))
                }
                Shape::Link(_, c) | Shape::Image(_, _, c) => out.push_str(&Shape::plain(c)),
                Shape::Note(_) | Shape::Other(_) => {}
            }
        }
        out
    }
}

/// Shapes in a compact form for messages: `"text" strong["bold"] note 1`.
pub(super) struct Shapes<'a>(pub &'a [Shape]);

impl fmt::Display for Shapes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            let (name, children) = match s {
                Shape::Text(t) => {
                    write!(f, "{t:?}")?;
                    continue;
                }
                Shape::Note(n) => {
                    write!(f, "note {n}")?;
                    continue;
                }
                Shape::Other(kind) => {
                    f.write_str(kind)?;
                    continue;
                }
                Shape::Strong(c) => ("strong".to_string(), c),
                Shape::Emph(c) => ("emph".to_string(), c),
                Shape::Sup(c) => ("sup".to_string(), c),
                Shape::Sub(c) => ("sub".to_string(), c),
                Shape::Link(u, c) => (format!("link {u:?}"), c),
                Shape::Image(u, t, c) => (format!("image {u:?} {t:?}"), c),
            };
            write!(f, "{name}[{}]", Shapes(children))?;
        }
        Ok(())
    }
}
