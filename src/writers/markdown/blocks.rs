//! The blocks: headings, paragraphs, labelled paragraphs, lists, figures, quotes, asides, notices.

use super::check::{self, Container};
use super::inlines::entity;
use super::{Unwritable, Writer, bullet_after};
use crate::model::{
    Aside, Block, Figure, Heading, Inline, Labelled, List, ListItem, ListStyle, Notice, Quote,
};

impl<'a> Writer<'a> {
    /// Any block but a list that follows another (see [`Writer::blocks`]), as lines.
    pub(super) fn block(
        &mut self,
        block: &'a Block,
        path: &str,
    ) -> Result<Vec<String>, Unwritable> {
        Ok(match block {
            Block::Heading(h) => vec![self.heading(h, &format!("{path}.heading"))?],
            Block::Paragraph(p) => vec![self.paragraph(p, &format!("{path}.paragraph"))?],
            Block::Labelled(l) => vec![self.labelled(l, &format!("{path}.labelled"))?],
            Block::List(l) => self.list(l, &format!("{path}.list"), '-')?,
            Block::Table(t) => self.table(t, &format!("{path}.table"))?,
            Block::Figure(f) => vec![self.figure(f, &format!("{path}.figure"))?],
            Block::Quote(q) => self.quote(q, &format!("{path}.quote"))?,
            Block::Aside(a) => self.aside(a, &format!("{path}.aside"))?,
        })
    }

    fn heading(&mut self, h: &'a Heading, path: &str) -> Result<String, Unwritable> {
        if !(1..=3).contains(&h.level) {
            return Err(Unwritable::at(
                format!("{path}.level"),
                format!("heading level {}, expected 1 to 3", h.level),
            ));
        }
        let mut line = self.line(Container::Heading(h.level), &format!("{path}.content"));
        line.run(&h.content, false)?;
        let text = self.finish(line)?;
        let marks = "#".repeat(h.level as usize);
        Ok(if text.is_empty() {
            marks
        } else {
            format!("{marks} {text}")
        })
    }

    pub(super) fn paragraph(&mut self, p: &'a [Inline], path: &str) -> Result<String, Unwritable> {
        if p.is_empty() {
            return Err(Unwritable::at(
                path,
                "an empty paragraph, expected its text",
            ));
        }
        let mut line = self.line(Container::Paragraph, path);
        line.run(p, true)?;
        self.finish(line)
    }

    fn labelled(&mut self, l: &'a Labelled, path: &str) -> Result<String, Unwritable> {
        let mut line = self.line(Container::Paragraph, path);
        line.path = format!("{path}.term");
        line.term(&l.term)?;
        line.path = format!("{path}.content");
        // White space at either end is written as entities, which the reader keeps.
        line.run(&l.content, false)?;
        self.finish(line)
    }

    /// A list with `bullet` for its bullets; each item's marker, then its lines indented under it.
    pub(super) fn list(
        &mut self,
        list: &'a List,
        path: &str,
        bullet: char,
    ) -> Result<Vec<String>, Unwritable> {
        if list.items.is_empty() {
            return Err(Unwritable::at(
                format!("{path}.items"),
                "an empty list, expected at least one item",
            ));
        }
        let last = u64::from(list.start) + list.items.len() as u64 - 1;
        if list.style != ListStyle::Bullet && last > 999_999_999 {
            return Err(Unwritable::at(
                format!("{path}.start"),
                "list numbers beyond 999999999, which Markdown does not read as list markers",
            ));
        }
        let mut lines = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            let number = u64::from(list.start) + i as u64;
            let marker = match list.style {
                ListStyle::Bullet => bullet.to_string(),
                ListStyle::Decimal => format!("{number}."),
                ListStyle::Chinese => format!("{number})"),
            };
            let indent = " ".repeat(marker.len() + 1);
            for (j, l) in self
                .item(item, &format!("{path}.items[{i}]"))?
                .into_iter()
                .enumerate()
            {
                lines.push(match j {
                    0 => format!("{marker} {l}"),
                    _ if l.is_empty() => l,
                    _ => format!("{indent}{l}"),
                });
            }
        }
        Ok(lines)
    }

    /// An item's lines, unindented: its term and content, then its lists.
    fn item(&mut self, item: &'a ListItem, path: &str) -> Result<Vec<String>, Unwritable> {
        let mut lines = Vec::new();
        if !item.term.is_empty() || !item.content.is_empty() {
            let mut line = self.line(Container::Item, path);
            let content = format!("{path}.content");
            if item.term.is_empty() {
                line.path = content;
                // The item's text starts a paragraph inside the item: a block marker or bold
                // before a colon there means what it means at the start of any paragraph.
                line.run(&item.content, true)?;
            } else {
                line.path = format!("{path}.term");
                line.term(&item.term)?;
                line.path = content;
                line.run(&item.content, false)?;
            }
            lines.push(self.finish(line)?);
        } else if item.children.is_empty() {
            return Err(Unwritable::at(
                path,
                "an empty item, expected a term, content or children",
            ));
        }
        let mut previous = None;
        for (j, child) in item.children.iter().enumerate() {
            let path = format!("{path}.children[{j}]");
            let bullet = bullet_after(child, previous, &path)?;
            // A list numbered from other than 1 cannot interrupt the item's text.
            let interrupts = child.style != ListStyle::Bullet && child.start != 1;
            if !lines.is_empty() && (j > 0 || interrupts) {
                lines.push(String::new());
            }
            lines.extend(self.list(child, &path, bullet)?);
            previous = Some((child.style, bullet));
        }
        Ok(lines)
    }

    fn figure(&mut self, f: &'a Figure, path: &str) -> Result<String, Unwritable> {
        let mut line = self.line(Container::Paragraph, path);
        line.path = format!("{path}.caption");
        line.image(&f.image, &f.alt, &f.caption)?;
        if let Some(w) = f.width {
            if !w.is_finite() {
                return Err(Unwritable::at(
                    format!("{path}.width"),
                    format!("width {w}, expected a number"),
                ));
            }
            // f32's Display is the shortest text that reads back as the same f32.
            line.raw(format!("{{width={w}}}"), "");
        }
        self.finish(line)
    }

    /// `> ` paragraphs with `>` between, then `> ——source`.
    fn quote(&mut self, q: &'a Quote, path: &str) -> Result<Vec<String>, Unwritable> {
        if q.paragraphs.is_empty() {
            // A lone `> ——source` reads as a paragraph: the reader takes a source only after one.
            return Err(Unwritable::at(
                format!("{path}.paragraphs"),
                "a quote without paragraphs, expected the quoted passage",
            ));
        }
        let mut lines = Vec::new();
        for (i, p) in q.paragraphs.iter().enumerate() {
            let path = format!("{path}.paragraphs[{i}]");
            if p.is_empty() {
                return Err(Unwritable::at(
                    path,
                    "an empty paragraph, expected its text",
                ));
            }
            if i > 0 {
                lines.push(">".to_string());
            }
            let mut line = self.line(Container::Quote, &path);
            line.run(p, true)?;
            if i + 1 == q.paragraphs.len() && q.source.is_empty() {
                line.not_a_source(0);
            }
            lines.push(format!("> {}", self.finish(line)?));
        }
        if !q.source.is_empty() {
            if !lines.is_empty() {
                lines.push(">".to_string());
            }
            let mut line = self.line(Container::Quote, &format!("{path}.source"));
            line.raw("——", "——");
            line.run(&q.source, false)?;
            lines.push(format!("> {}", self.finish(line)?));
        }
        Ok(lines)
    }

    fn aside(&mut self, a: &'a Aside, path: &str) -> Result<Vec<String>, Unwritable> {
        let label = directive_label("aside", &a.label, &format!("{path}.label"))?;
        let mut lines = vec![format!("::: aside {label}")];
        lines.extend(self.blocks(&a.blocks, &format!("{path}.blocks"), false)?);
        lines.push(":::".into());
        Ok(lines)
    }

    /// `::: disclaimer label` (or `copyright`), its paragraphs, `:::`, and the definitions of any notes.
    pub(super) fn notice(&mut self, kind: &str, n: &'a Notice) -> Result<Vec<String>, Unwritable> {
        let label = directive_label(kind, &n.label, &format!("{kind}.label"))?;
        let mut lines = vec![format!("::: {kind} {label}")];
        for (i, p) in n.paragraphs.iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            lines.push(self.paragraph(p, &format!("{kind}.paragraphs[{i}]"))?);
        }
        lines.push(":::".into());
        let definitions = self.definitions()?;
        if !definitions.is_empty() {
            lines.push(String::new());
            lines.extend(definitions);
        }
        Ok(lines)
    }
}

/// A label as the info string of a `:::` line: comrak decodes entities, then backslash escapes, and
/// trims it; a fence line holds no `:` (so `&#58;`), `&` is `&amp;`, `\` is `\\`.
fn directive_label(kind: &str, label: &str, path: &str) -> Result<String, Unwritable> {
    if label.is_empty() {
        return Err(Unwritable::at(
            path,
            format!("an empty label, expected one (`::: {kind} label`)"),
        ));
    }
    if label.starts_with(char::is_whitespace) || label.ends_with(char::is_whitespace) {
        return Err(Unwritable::at(
            path,
            "white space at the ends of the label, which Markdown drops",
        ));
    }
    let mut out = String::new();
    for c in label.chars() {
        match c {
            ':' => out.push_str("&#58;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&entity(c)),
            c => out.push(c),
        }
    }
    match check::directive_info(&format!("::: {kind} {out}")) {
        Some(info) if info == format!("{kind} {label}") => Ok(out),
        _ => Err(Unwritable::at(
            path,
            "the label cannot be written on a `:::` line",
        )),
    }
}
