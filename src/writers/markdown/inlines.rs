//! One line of inline Markdown under construction: the model's inlines as tokens (each text character
//! with how it is written, delimiters, fixed markup), the shape comrak must read back from them, and
//! the notes met on the way.
//!
//! Text is escaped so that no character of it can be read as markup:
//! - always with a backslash: `` \ * _ [ ] < > ` ~ ^ | ! # { } @ `` (emphasis, links, citations,
//!   notes, autolinks and HTML, code, sub- and superscript, table cells, images, headings' closing
//!   `#`, link attributes and the caption's braces, pandoc's in-text citations);
//! - `&` with a backslash when a letter, digit or `#` follows it (only then can it begin an entity);
//! - `(` and `:` with a backslash right after a citation or a note (`[@a](x)` would be a link,
//!   `[@a]: x` at the start of a line a link definition);
//! - control characters (a newline…) as numeric entities (`&#10;`);
//! - white space at either end of a paragraph, item, cell, caption, term or note as an entity
//!   (`&#32;`, `&#9;`): Markdown strips it there.
//!
//! At the start of a line the first characters are made inert too (`*`, `#`, `>`, `|`, `<`, `~`, `` ` ``
//! always have a backslash): a `-` or `+` before white space or the end of the line (a list item),
//! `--` and `==` (a rule, a setext underline), a leading `:` (a `:::` fence, pandoc's `: caption`),
//! the `.` or `)` of leading digits before white space or the end of the line (`1\. `), and the colon
//! of a leading `Table:`, and the first mark of a line of dashes (`---`, `:-:`, which as a row of cells
//! would end a table's header).

use super::Unwritable;
use super::check::{Container, Shape};
use crate::model::Inline;

/// How a text character is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum How {
    Plain,
    Backslash,
    /// `&#N;` (ASCII) or `&#xH;`.
    Entity,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Char(char, How),
    /// The opening delimiter of a span (an index into [`Line::spans`]).
    Open(usize),
    Close(usize),
    /// Markup written as is: `[`, `](url)`, `[@a; @b]`, `[^1]`, `：` after a term.
    Raw(String),
}

/// A delimited inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Strong,
    Emph,
    Sup,
    Sub,
}

impl Kind {
    /// How many delimiter characters open (and close) it.
    pub(super) fn width(self) -> usize {
        if self == Kind::Strong { 2 } else { 1 }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Span {
    pub kind: Kind,
    /// `*` or `_` (chosen when the line is written, unless forced), `^`, `~`.
    pub byte: u8,
    pub forced: bool,
    pub parent: Option<usize>,
}

/// What the shape gathered in a frame becomes when the frame closes.
enum Frame {
    Root,
    Span(Kind),
    Link(String),
    Image(String, String),
}

/// A note met in a line: its label, where it is, what it says.
pub(super) struct Note<'a> {
    pub number: u32,
    pub path: String,
    pub content: &'a [Inline],
}

pub(super) struct Line<'a> {
    pub toks: Vec<Tok>,
    pub spans: Vec<Span>,
    pub notes: Vec<Note<'a>>,
    pub container: Container,
    /// The label the next note gets.
    pub next_note: u32,
    /// The JSON path of the block the line writes, for errors about the line as a whole.
    pub block: String,
    /// The JSON path of what is being added, for errors.
    pub path: String,
    open: Vec<usize>,
    frames: Vec<(Frame, Vec<Shape>)>,
    /// Inside a link's text or an image's description, where comrak reads `^` as text.
    in_brackets: bool,
    in_link: bool,
}

impl<'a> Line<'a> {
    pub(super) fn new(container: Container, path: &str, next_note: u32) -> Line<'a> {
        Line {
            toks: Vec::new(),
            spans: Vec::new(),
            notes: Vec::new(),
            container,
            next_note,
            block: path.to_string(),
            path: path.to_string(),
            open: Vec::new(),
            frames: vec![(Frame::Root, Vec::new())],
            in_brackets: false,
            in_link: false,
        }
    }

    /// The shape the line must read back as.
    pub(super) fn expected(&self) -> Vec<Shape> {
        self.frames.first().map(|f| f.1.clone()).unwrap_or_default()
    }

    fn error(&self, message: impl Into<String>) -> Unwritable {
        Unwritable {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    /// Text, escaped.
    pub(super) fn text(&mut self, s: &str) {
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let after_bracket = matches!(self.toks.last(), Some(Tok::Raw(r)) if r.ends_with(']'));
            let how = how(c, chars.peek().copied(), after_bracket);
            self.toks.push(Tok::Char(c, how));
        }
        self.shape(Shape::Text(s.to_string()));
    }

    /// Markup, which comrak reads as the text `reads_as` (empty: as nothing of its own).
    pub(super) fn raw(&mut self, markup: impl Into<String>, reads_as: &str) {
        self.toks.push(Tok::Raw(markup.into()));
        self.shape(Shape::Text(reads_as.to_string()));
    }

    fn shape(&mut self, shape: Shape) {
        if let Some((_, shapes)) = self.frames.last_mut() {
            shapes.push(shape);
        }
    }

    /// Opens a span; `forced` fixes its delimiter (`**` for a term, `__` for bold before a colon).
    pub(super) fn open(&mut self, kind: Kind, forced: Option<u8>) {
        let byte = match kind {
            Kind::Sup => b'^',
            Kind::Sub => b'~',
            _ => forced.unwrap_or(b'*'),
        };
        let id = self.spans.len();
        self.spans.push(Span {
            kind,
            byte,
            forced: forced.is_some(),
            parent: self.open.last().copied(),
        });
        self.toks.push(Tok::Open(id));
        self.open.push(id);
        self.frames.push((Frame::Span(kind), Vec::new()));
    }

    pub(super) fn close(&mut self) {
        if let Some(id) = self.open.pop() {
            self.toks.push(Tok::Close(id));
        }
        self.end_frame();
    }

    fn end_frame(&mut self) {
        let Some((frame, c)) = self.frames.pop() else {
            return;
        };
        let shape = match frame {
            Frame::Span(Kind::Strong) => Shape::Strong(c),
            Frame::Span(Kind::Emph) => Shape::Emph(c),
            Frame::Span(Kind::Sup) => Shape::Sup(c),
            Frame::Span(Kind::Sub) => Shape::Sub(c),
            Frame::Link(url) => Shape::Link(url, c),
            Frame::Image(url, title) => Shape::Image(url, title, c),
            Frame::Root => return self.frames.push((Frame::Root, c)),
        };
        self.shape(shape);
    }

    /// An image: `![` caption `](src "title")`.
    pub(super) fn image(
        &mut self,
        src: &str,
        title: &str,
        caption: &'a [Inline],
    ) -> Result<(), Unwritable> {
        self.toks.push(Tok::Raw("![".into()));
        self.frames
            .push((Frame::Image(src.into(), title.into()), Vec::new()));
        self.in_brackets = true;
        self.run(caption, false)?;
        self.in_brackets = false;
        self.toks.push(Tok::Raw(format!(
            "]({} {})",
            destination(src),
            title_text(title)
        )));
        self.end_frame();
        Ok(())
    }

    /// Inlines that make a paragraph, item, cell, caption, term or note of their own: white space
    /// at their ends becomes an entity and, at the start of a line, their first characters are
    /// made inert.
    pub(super) fn run(
        &mut self,
        inlines: &'a [Inline],
        line_start: bool,
    ) -> Result<(), Unwritable> {
        let start = self.toks.len();
        self.inlines(inlines)?;
        for i in [Some(start), self.toks.len().checked_sub(1)]
            .into_iter()
            .flatten()
        {
            if let Some(Tok::Char(c, how)) = self.toks.get_mut(i)
                && i >= start
                && c.is_whitespace()
            {
                *how = How::Entity;
            }
        }
        if line_start {
            self.line_start(start);
            self.bold_before_colon(start);
        }
        Ok(())
    }

    /// A leading list marker (`-`, `+`, `1.`, `1)` before white space or the end of the line), rule
    /// or underline (`--`, `==`), `:` (a `:::` fence, pandoc's `: caption`) or `Table:` made inert.
    fn line_start(&mut self, start: usize) {
        let chars: Vec<char> = self.toks[start..]
            .iter()
            .map_while(|t| match t {
                Tok::Char(c, How::Plain | How::Backslash) => Some(*c),
                _ => None,
            })
            .collect();
        // Literal white space or the end of the line after `i`: what makes a list marker.
        let ends = |i: usize| match self.toks.get(start + i + 1) {
            None => true,
            Some(Tok::Char(c, How::Plain)) => c.is_whitespace(),
            Some(_) => false,
        };
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        let text: String = chars.iter().take(6).collect();
        let at = match (chars.first(), chars.get(1)) {
            (Some(':'), _) | (Some('-'), Some('-')) | (Some('='), Some('=')) => Some(0),
            (Some('-' | '+' | '='), _) if ends(0) => Some(0),
            _ if digits > 0 && matches!(chars.get(digits), Some('.' | ')')) && ends(digits) => {
                Some(digits)
            }
            _ if text == "Table:" || text == "table:" => Some(5),
            _ => None,
        };
        if let Some(Tok::Char(_, how @ How::Plain)) = at.and_then(|i| self.toks.get_mut(start + i))
        {
            *how = How::Backslash;
        }
        self.not_dashes(start);
    }

    /// A line of dashes (`---`, ` :-: `) escaped at its first mark: in a table, a row of such cells
    /// ends the header.
    fn not_dashes(&mut self, start: usize) {
        let chars: Vec<char> = self.toks[start..]
            .iter()
            .map_while(|t| match t {
                Tok::Char(c, _) => Some(*c),
                _ => None,
            })
            .collect();
        let text: String = chars.iter().collect();
        let inner = text.trim();
        let inner = inner.strip_prefix(':').unwrap_or(inner);
        let inner = inner.strip_suffix(':').unwrap_or(inner);
        let dashes = !inner.is_empty() && inner.chars().all(|c| c == '-');
        if !dashes || start + chars.len() != self.toks.len() {
            return;
        }
        let first = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
        if let Some(Tok::Char(_, how @ How::Plain)) = self.toks.get_mut(start + first) {
            *how = How::Backslash;
        }
    }

    /// Bold that opens a paragraph or item and is followed by a colon is written `__…__`: the reader
    /// takes only `**term**：` for a labelled paragraph.
    fn bold_before_colon(&mut self, start: usize) {
        let Some(Tok::Open(id)) = self.toks.get(start) else {
            return;
        };
        let id = *id;
        let close = self.toks.iter().position(|t| *t == Tok::Close(id));
        let colon = close.and_then(|p| self.toks.get(p + 1));
        if self.spans[id].kind == Kind::Strong && matches!(colon, Some(Tok::Char('：' | ':', _))) {
            self.spans[id].byte = b'_';
            self.spans[id].forced = true;
        }
    }

    /// A quote's last paragraph that starts with `——` but is not the source: the first dash as
    /// an entity (the reader takes a last paragraph starting with `——` for the source).
    pub(super) fn not_a_source(&mut self, start: usize) {
        let dashes = self.toks[start..]
            .iter()
            .take(2)
            .all(|t| matches!(t, Tok::Char('—', How::Plain)));
        if dashes && let Some(Tok::Char(_, how)) = self.toks.get_mut(start) {
            *how = How::Entity;
        }
    }

    /// Refuses a character written at token `i` that the reader trims there (a space after a term's
    /// colon or a source's dashes, white space at the ends of a table's caption): an entity does not
    /// keep it, comrak joins the decoded character to the text around it.
    pub(super) fn refuse_trimmed(
        &self,
        i: usize,
        trimmed: fn(char) -> bool,
        where_: &str,
    ) -> Result<(), Unwritable> {
        match self.toks.get(i) {
            Some(Tok::Char(c, _)) if trimmed(*c) => Err(self.error(format!(
                "white space {where_}, which the Markdown reader drops, expected the text without it"
            ))),
            _ => Ok(()),
        }
    }

    /// A term: `**term**：`.
    pub(super) fn term(&mut self, term: &'a [Inline]) -> Result<(), Unwritable> {
        if term.is_empty() {
            return Err(self.error("an empty term, expected its text (`****：` is not bold)"));
        }
        self.open(Kind::Strong, Some(b'*'));
        self.inlines(term)?;
        self.close();
        self.raw("：", "：");
        Ok(())
    }

    /// Inlines under the current path, each at `[i]` below it.
    pub(super) fn inlines(&mut self, inlines: &'a [Inline]) -> Result<(), Unwritable> {
        for (i, inline) in inlines.iter().enumerate() {
            let len = self.path.len();
            self.path.push_str(&format!("[{i}]"));
            self.inline(inline)?;
            self.path.truncate(len);
        }
        Ok(())
    }

    fn inline(&mut self, inline: &'a Inline) -> Result<(), Unwritable> {
        let (kind, key, content) = match inline {
            Inline::Text(t) => {
                self.text(t);
                return Ok(());
            }
            Inline::Cite(ids) => {
                self.path.push_str(".cite");
                let markup = citation(ids).map_err(|m| self.error(m))?;
                self.raw(markup.clone(), &markup);
                return Ok(());
            }
            Inline::Link(l) => return self.link(&l.url, &l.content),
            Inline::Note(c) => return self.note(c),
            Inline::Strong(c) => (Kind::Strong, "strong", c),
            Inline::Emph(c) => (Kind::Emph, "emph", c),
            Inline::Sup(c) => (Kind::Sup, "sup", c),
            Inline::Sub(c) => (Kind::Sub, "sub", c),
        };
        self.path.push_str(&format!(".{key}"));
        if content.is_empty() {
            return Err(self.error(format!(
                "an empty {key}, expected its text (Markdown has no empty {key})"
            )));
        }
        if kind == Kind::Sup && self.in_brackets {
            return Err(self.error(
                "a superscript in a link's text or a figure's caption: Markdown reads `^` there as text",
            ));
        }
        self.open(kind, None);
        self.inlines(content)?;
        self.close();
        Ok(())
    }

    fn link(&mut self, url: &str, content: &'a [Inline]) -> Result<(), Unwritable> {
        self.path.push_str(".link.content");
        if self.in_link {
            return Err(self.error("a link inside a link: Markdown cannot nest them"));
        }
        self.toks.push(Tok::Raw("[".into()));
        self.frames.push((Frame::Link(url.into()), Vec::new()));
        let was = (self.in_brackets, self.in_link);
        (self.in_brackets, self.in_link) = (true, true);
        self.inlines(content)?;
        (self.in_brackets, self.in_link) = was;
        self.toks.push(Tok::Raw(format!("]({})", destination(url))));
        self.end_frame();
        Ok(())
    }

    fn note(&mut self, content: &'a [Inline]) -> Result<(), Unwritable> {
        self.path.push_str(".note");
        if content.is_empty() {
            return Err(self.error("an empty note, expected its text"));
        }
        let number = self.next_note;
        self.next_note += 1;
        self.toks.push(Tok::Raw(format!("[^{number}]")));
        self.shape(Shape::Note(number.to_string()));
        self.notes.push(Note {
            number,
            path: self.path.clone(),
            content,
        });
        Ok(())
    }
}

/// How a text character is written, given the character after it and whether it follows `]`.
fn how(c: char, next: Option<char>, after_bracket: bool) -> How {
    match c {
        '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '~' | '^' | '|' | '!' | '#' | '{'
        | '}' | '@' => How::Backslash,
        '&' if next.is_none_or(|n| n.is_ascii_alphanumeric() || n == '#') => How::Backslash,
        '(' | ':' if after_bracket => How::Backslash,
        '\t' => How::Plain,
        c if c.is_control() => How::Entity,
        _ => How::Plain,
    }
}

/// A character as a numeric entity: decimal for ASCII (`&#10;`), hexadecimal beyond (`&#x2014;`).
pub(super) fn entity(c: char) -> String {
    if c.is_ascii() {
        format!("&#{};", c as u32)
    } else {
        format!("&#x{:X};", c as u32)
    }
}

/// A link or image destination: `<…>` around one with spaces or parentheses. comrak decodes entities,
/// then backslash escapes, and trims white space: so `&` is `&amp;`; `\`, `<`, `>` and `|` (a table
/// would split its cell there) get a backslash; control characters and white space at the ends are
/// entities.
pub(super) fn destination(url: &str) -> String {
    let angle = url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "()<>".contains(c));
    let last = url.chars().count().saturating_sub(1);
    let mut out = String::new();
    for (i, c) in url.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '\\' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || (c.is_whitespace() && (i == 0 || i == last)) => {
                out.push_str(&entity(c))
            }
            c => out.push(c),
        }
    }
    if angle { format!("<{out}>") } else { out }
}

/// A link title in double quotes, decoded as a destination is: `&` as `&amp;`, `"` and `\` escaped.
pub(super) fn title_text(title: &str) -> String {
    let mut out = String::from("\"");
    for c in title.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&entity(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `[@a; @b]`: each key bare as pandoc reads it (a letter, digit or `_` first; letters, digits, `_`
/// and the punctuation `:.#$%&+?/-` inside, each mark followed by a letter, digit or `_`), else in
/// braces `@{key}`; a key braces cannot hold is refused.
fn citation(ids: &[String]) -> Result<String, String> {
    if ids.is_empty() {
        return Err("an empty citation, expected one or more reference ids".into());
    }
    let keys: Result<Vec<String>, String> = ids.iter().map(|id| key(id)).collect();
    Ok(format!("[{}]", keys?.join("; ")))
}

fn key(id: &str) -> Result<String, String> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = id.chars().collect();
    let bare = chars.first().is_some_and(|c| word(*c))
        && chars.iter().enumerate().all(|(i, c)| {
            word(*c) || (":.#$%&+?/-".contains(*c) && chars.get(i + 1).is_some_and(|n| word(*n)))
        });
    if bare {
        return Ok(format!("@{id}"));
    }
    let held = !id.is_empty()
        && !id.starts_with(char::is_whitespace)
        && !id.ends_with(char::is_whitespace)
        && !id.chars().any(|c| "{}[];|".contains(c) || c.is_control());
    if held {
        Ok(format!("@{{{id}}}"))
    } else {
        Err(format!(
            "the citation key \"{id}\" cannot be written: `@{{…}}` holds no braces, brackets, `;`, `|`, \
             control characters or white space at its ends"
        ))
    }
}
