//! Blocks: headings, paragraphs (and labelled ones), lists, figures, quotes, `:::` asides and notices.
//! Tables are in `table.rs`.

use comrak::nodes::{AstNode, ListDelimType, ListType, NodeValue};

use super::Reader;
use super::inlines::node_name;
use crate::model::{
    Aside, Block, Figure, Heading, Labelled, List, ListItem, ListStyle, Notice, Quote,
};

type Node<'a> = &'a AstNode<'a>;

impl<'a> Reader<'a> {
    /// The body: the top-level blocks (the notices, written as `:::` blocks, are kept apart).
    pub(super) fn document(&mut self, root: Node<'a>) -> Vec<Block> {
        self.blocks(root, "blocks", true)
    }

    /// The blocks under `parent`, at `path` (`blocks`, `blocks[4].aside.blocks`).
    fn blocks(&mut self, parent: Node<'a>, path: &str, top: bool) -> Vec<Block> {
        let mut out = Vec::new();
        let mut children = parent.children().peekable();
        while let Some(node) = children.next() {
            let at = format!("{path}[{}]", out.len());
            let value = node.data().value.clone();
            let block = match value {
                NodeValue::FootnoteDefinition(_) => continue,
                NodeValue::Table(_) => {
                    let caption = children.next_if(|n| self.is_caption(n));
                    self.table(node, caption, &at)
                }
                NodeValue::BlockDirective(_) if !self.closed(node) => {
                    self.error(
                        node,
                        &at,
                        "a `:::` block that is not closed, expected a line `:::` after its content",
                    );
                    continue;
                }
                NodeValue::BlockDirective(d) if top && self.notice(node, &d.info) => continue,
                _ => self.block(node, &at),
            };
            if let Some(block) = block {
                self.mark(&at, node);
                out.push(block);
            }
        }
        out
    }

    fn block(&mut self, node: Node<'a>, at: &str) -> Option<Block> {
        let value = node.data().value.clone();
        match value {
            NodeValue::Heading(h) => self.heading(node, h.level, at),
            NodeValue::Paragraph => self.paragraph(node, at),
            NodeValue::List(_) => Some(Block::List(self.list(node, &format!("{at}.list")))),
            NodeValue::BlockQuote => self.quote(node, at),
            NodeValue::BlockDirective(d) => self.aside(node, &d.info, at),
            other => {
                let message = refused_block(&other);
                self.error(node, at, message);
                None
            }
        }
    }

    fn heading(&mut self, node: Node<'a>, level: u8, at: &str) -> Option<Block> {
        if level > 3 {
            self.error(
                node,
                at,
                format!("a heading of level {level} cannot be set, expected #, ## or ### (a handout has three levels)"),
            );
            return None;
        }
        let content = self.inlines(node, &format!("{at}.heading.content"));
        Some(Block::Heading(Heading { level, content }))
    }

    /// A paragraph; a figure when it holds an image alone; labelled when it starts with `**term**：`.
    fn paragraph(&mut self, node: Node<'a>, at: &str) -> Option<Block> {
        if let Some(image) = lone_image(node) {
            return self
                .figure(image, &format!("{at}.figure"))
                .map(Block::Figure);
        }
        Some(match self.term(node) {
            Some((term, rest)) => {
                let term = self.inlines(term, &format!("{at}.labelled.term"));
                let content = self.inline_nodes(rest, &format!("{at}.labelled.content"));
                Block::Labelled(Labelled { term, content })
            }
            None => Block::Paragraph(self.inlines(node, &format!("{at}.paragraph"))),
        })
    }

    /// `**term**：rest` at the start of a paragraph: the strong node and the nodes after the colon.
    /// Only asterisks make a term (`__bold__：` is bold text followed by a colon).
    fn term(&mut self, paragraph: Node<'a>) -> Option<(Node<'a>, Vec<Node<'a>>)> {
        let strong = paragraph.first_child()?;
        if !matches!(strong.data().value, NodeValue::Strong) {
            return None;
        }
        if !self.written_at(strong.data().sourcepos).starts_with("**") {
            return None;
        }
        // The colon is the writers' to set, and so are the spaces typed after it.
        let rest = self.after_mark(strong.next_sibling()?, &["：", ":"])?;
        Some((strong, rest))
    }

    fn figure(&mut self, image: Node<'a>, at: &str) -> Option<Figure> {
        let NodeValue::Image(link) = image.data().value.clone() else {
            return None;
        };
        let width = self.figure_width(image, at)?;
        self.mark(&format!("{at}.image"), image);
        self.mark(&format!("{at}.alt"), image);
        let caption = self.inlines(image, &format!("{at}.caption"));
        Some(Figure {
            image: link.url.clone(),
            alt: link.title.clone(),
            caption,
            width,
        })
    }

    /// `{width=0.8}` or `{width=80%}` after the image; nothing else.
    fn figure_width(&mut self, image: Node<'a>, at: &str) -> Option<Option<f32>> {
        let attrs = image.data().attrs.clone();
        let Some(attrs) = attrs else {
            return Some(None);
        };
        let mut width = None;
        let mut bad = attrs.id.is_some() || !attrs.classes.is_empty();
        for (key, value) in &attrs.pairs {
            let parsed = match value.strip_suffix('%') {
                Some(p) => p.trim().parse::<f32>().ok().map(|p| p / 100.0),
                None => value.trim().parse::<f32>().ok(),
            };
            match (key.as_str(), parsed) {
                ("width", Some(w)) => width = Some(w),
                _ => bad = true,
            }
        }
        if bad {
            self.error(
                image,
                &format!("{at}.width"),
                "a figure's braces hold only its width, expected {width=0.8} or {width=80%} (a fraction of the text width)",
            );
            return None;
        }
        Some(width)
    }

    fn list(&mut self, node: Node<'a>, at: &str) -> List {
        let l = match node.data().value.clone() {
            NodeValue::List(l) => l,
            _ => comrak::nodes::NodeList::default(),
        };
        let style = match (l.list_type, l.delimiter) {
            (ListType::Bullet, _) => ListStyle::Bullet,
            (ListType::Ordered, ListDelimType::Period) => ListStyle::Decimal,
            (ListType::Ordered, ListDelimType::Paren) => ListStyle::Chinese,
        };
        let start = if l.list_type == ListType::Ordered {
            l.start as u32
        } else {
            1
        };
        let mut items = Vec::new();
        for item in node.children() {
            let item_at = format!("{at}.items[{}]", items.len());
            self.mark(&item_at, item);
            items.push(self.item(item, &item_at));
        }
        List {
            style,
            start,
            items,
        }
    }

    fn item(&mut self, node: Node<'a>, at: &str) -> ListItem {
        let mut item = ListItem {
            term: Vec::new(),
            content: Vec::new(),
            children: Vec::new(),
        };
        let mut paragraphs = 0;
        for child in node.children() {
            let value = child.data().value.clone();
            match value {
                NodeValue::Paragraph if paragraphs == 0 && item.children.is_empty() => {
                    paragraphs += 1;
                    match self.term(child) {
                        Some((term, rest)) => {
                            item.term = self.inlines(term, &format!("{at}.term"));
                            item.content = self.inline_nodes(rest, &format!("{at}.content"));
                        }
                        None => item.content = self.inlines(child, &format!("{at}.content")),
                    }
                }
                NodeValue::List(_) => {
                    let child_at = format!("{at}.children[{}]", item.children.len());
                    self.mark(&child_at, child);
                    item.children.push(self.list(child, &child_at));
                }
                _ => self.error(
                    child,
                    at,
                    "a list item holds one paragraph and nested lists, expected the item's text on its first lines (a second paragraph or other block cannot be set in a list)",
                ),
            }
        }
        item
    }

    /// `> passage`, with a last paragraph `——source` as its source line.
    fn quote(&mut self, node: Node<'a>, at: &str) -> Option<Block> {
        let children: Vec<Node<'a>> = node.children().collect();
        let mut quote = Quote {
            paragraphs: Vec::new(),
            source: Vec::new(),
        };
        for (i, child) in children.iter().enumerate() {
            if !matches!(child.data().value, NodeValue::Paragraph) {
                self.error(child, at, "a quote holds only paragraphs, expected the quoted passage (and a last line `——source`)");
                continue;
            }
            let last = i + 1 == children.len() && i > 0;
            if last && let Some(rest) = self.source_line(child) {
                quote.source = self.inline_nodes(rest, &format!("{at}.quote.source"));
                continue;
            }
            let p_at = format!("{at}.quote.paragraphs[{}]", quote.paragraphs.len());
            self.mark(&p_at, child);
            quote.paragraphs.push(self.inlines(child, &p_at));
        }
        Some(Block::Quote(quote))
    }

    /// A paragraph written as `——source`: the nodes after the dashes.
    fn source_line(&mut self, paragraph: Node<'a>) -> Option<Vec<Node<'a>>> {
        self.after_mark(paragraph.first_child()?, &["——"])
    }

    /// `::: aside 温馨提示`: a box with its label, holding paragraphs and lists.
    fn aside(&mut self, node: Node<'a>, info: &str, at: &str) -> Option<Block> {
        let (kind, label) = split_info(info);
        if kind != "aside" {
            let message = format!(
                "`::: {kind}` is not a block a handout has, expected `::: aside label`, `::: disclaimer label` or `::: copyright label` (the notices only at the top level)"
            );
            self.error(node, at, message);
            return None;
        }
        if label.is_empty() {
            self.error(node, at, "an aside without a label, expected `::: aside 温馨提示` (the label in its top line)");
            return None;
        }
        self.mark(&format!("{at}.aside.label"), node);
        let blocks = self.blocks(node, &format!("{at}.aside.blocks"), false);
        Some(Block::Aside(Aside {
            label: label.to_string(),
            blocks,
        }))
    }

    /// `::: disclaimer 免责说明` or `::: copyright 版权说明` at the top level: kept for the end of the
    /// article. Whether the block was one of them.
    fn notice(&mut self, node: Node<'a>, info: &str) -> bool {
        let (kind, label) = split_info(info);
        let (key, default) = match kind {
            "disclaimer" => ("disclaimer", "免责说明"),
            "copyright" => ("copyright", "版权说明"),
            _ => return false,
        };
        let label = if label.is_empty() { default } else { label };
        self.mark(key, node);
        self.mark(&format!("{key}.label"), node);
        let mut paragraphs = Vec::new();
        for child in node.children() {
            if !matches!(child.data().value, NodeValue::Paragraph) {
                self.error(
                    child,
                    key,
                    format!("the {key} holds only paragraphs, expected its text"),
                );
                continue;
            }
            let p_at = format!("{key}.paragraphs[{}]", paragraphs.len());
            self.mark(&p_at, child);
            paragraphs.push(self.inlines(child, &p_at));
        }
        let notice = Notice {
            label: label.to_string(),
            paragraphs,
        };
        let slot = if key == "disclaimer" {
            &mut self.disclaimer
        } else {
            &mut self.copyright
        };
        if slot.replace(notice).is_some() {
            self.error(
                node,
                key,
                format!("a second `::: {key}` block, expected one"),
            );
        }
        true
    }
}

impl<'a> Reader<'a> {
    /// Whether a `:::` block ends with its own closing line: comrak runs an unclosed one to the end of
    /// the document, where a nested block's closing line may stand.
    fn closed(&self, node: Node<'a>) -> bool {
        let end = node.data().sourcepos.end.line;
        let fence = self.lines.get(end.wrapping_sub(1)).is_some_and(|l| {
            let l = l.trim();
            l.len() >= 3 && l.chars().all(|c| c == ':')
        });
        let inside = node
            .last_child()
            .is_none_or(|c| c.data().sourcepos.end.line < end);
        fence && inside
    }
}

/// `aside 温馨提示` -> ("aside", "温馨提示").
fn split_info(info: &str) -> (&str, &str) {
    let info = info.trim();
    match info.split_once(char::is_whitespace) {
        Some((kind, label)) => (kind, label.trim()),
        None => (info, ""),
    }
}

/// The image of a paragraph that holds an image and nothing else.
fn lone_image<'a>(paragraph: Node<'a>) -> Option<Node<'a>> {
    let mut children = paragraph.children();
    let first = children.next()?;
    let alone =
        children.all(|c| matches!(&c.data().value, NodeValue::Text(t) if t.trim().is_empty()));
    (alone && matches!(first.data().value, NodeValue::Image(_))).then_some(first)
}

/// What to write instead of a block the model has no place for.
fn refused_block(value: &NodeValue) -> String {
    match value {
        NodeValue::CodeBlock(_) => "a code block cannot be set in a handout, expected paragraphs (a handout has no code)".into(),
        NodeValue::HtmlBlock(_) => "raw HTML cannot be set in a handout, expected Markdown (a paragraph, a list, a table, a `:::` block)".into(),
        NodeValue::ThematicBreak => "a thematic break (---) cannot be set in a handout, expected headings to divide the article (the rule before the notices is set by itself)".into(),
        NodeValue::Table(_) => "a table here cannot be set, expected tables in the body (not in an aside or a list)".into(),
        other => format!("{} cannot be set in a handout, expected headings, paragraphs, lists, tables, figures, quotes or `:::` asides", node_name(other)),
    }
}
