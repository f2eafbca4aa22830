//! PDF layout: the model turned into pages of positioned glyphs. Pure: no PDF in here, so it can be
//! tested on its own; `writers::pdf` exports the pages.
//!
//! Coordinates are PDF points with the origin at the bottom left of the page, y upwards, so that the
//! writer copies them as they are.

#[cfg(test)]
mod a4;
#[cfg(test)]
mod block_tests;
mod boxes;
mod caption;
mod columns;
mod document;
mod figure;
mod frame;
mod furniture;
mod inline;
mod line;
mod notes;
mod page;
mod qr;
mod shaper;
mod table;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::Error;
use crate::fonts::{Face, Fonts};
use crate::image::Image;
use crate::model::Article;

pub use document::{TitlePart, title_lines};
pub use furniture::header_title;
pub use shaper::Shaper;

/// The page and its text block, and the sizes the article is set in: what the house style
/// ([`crate::style::Style`]) gives the layout, in PDF points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub page_width: f32,
    pub page_height: f32,
    /// The text block: its left edge and width (a whole number of body ems, so that a line of Han
    /// needs no stretching), its top and bottom.
    pub left: f32,
    pub width: f32,
    pub top: f32,
    pub bottom: f32,
    /// Body text size, and its line height as a multiple of it.
    pub body: f32,
    pub leading: f32,
    pub title: f32,
    pub subtitle: f32,
    /// Heading levels 1, 2 and 3 (and deeper).
    pub headings: [f32; 3],
    /// The measure of the title and subtitle.
    pub title_width: f32,
}

impl Geometry {
    pub fn of(style: &crate::style::Style) -> Geometry {
        Geometry {
            page_width: style.page_width(),
            page_height: style.page_height(),
            left: style.text_left(),
            width: style.text_width(),
            top: style.text_top(),
            bottom: style.text_bottom(),
            body: style.body_size,
            leading: style.line_height,
            title: style.title_size,
            subtitle: style.subtitle_size,
            headings: style.heading_sizes,
            title_width: style.title_width(),
        }
    }

    /// The text block's right edge.
    pub fn right(&self) -> f32 {
        self.left + self.width
    }

    /// The text block's height.
    pub fn block_height(&self) -> f32 {
        self.top - self.bottom
    }
}

impl Default for Geometry {
    /// The built-in style's: A4.
    fn default() -> Geometry {
        Geometry::of(&crate::style::Style::default())
    }
}

/// How the article is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayoutOptions {
    /// Keep the author's ASCII punctuation in Chinese text.
    pub keep_punctuation: bool,
    /// Footnotes at the foot of their page, or endnotes before the references (`--notes end`).
    pub notes: crate::walk::NotePlacement,
    /// The URLs of links as footnotes or in a list 链接 (`--links`).
    pub links: crate::walk::LinkPlacement,
    /// A QR code beside each reference entry with a DOI, PMID or PMCID (`--qr`).
    pub qr: bool,
    /// How the reference list sets personal names (`--ref-names`).
    pub names: crate::references::NameCase,
}

/// One glyph, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the (unsubset) face.
    pub id: u16,
    /// Pen position of the glyph origin (its offset included).
    pub x: f32,
    /// Baseline (its offset included).
    pub y: f32,
    pub face: Face,
    pub size: f32,
    /// Advance width in pt as shaped (squeeze included).
    pub advance: f32,
    /// The source text of the glyph's cluster (on its first glyph; empty on the others): /ToUnicode.
    pub text: String,
    /// The structure element the glyph belongs to (index into `Document::elements`; unused for the
    /// page furniture).
    pub element: usize,
    /// Part of the text of a link to an outside address (drawn in the house's link colour, if any).
    pub link: bool,
}

/// What a piece of the article is, for the structure tree of a tagged PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Title,
    Heading(u8),
    Paragraph,
    List,
    ListItem,
    /// A footnote's text.
    Note,
    Table,
    TableRow,
    /// A table cell: a header cell (TH) or a data cell (TD), with the rows and columns it spans.
    TableCell {
        header: bool,
        rowspan: u32,
        colspan: u32,
    },
    /// A table's or a figure's caption.
    Caption,
    Figure,
    BlockQuote,
    /// A boxed aside (温馨提示, 要点).
    Aside,
}

/// A structure element: a title, heading, paragraph, list or list item, table part, figure, quote or
/// aside, within its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub role: Role,
    pub parent: Option<usize>,
    /// What a figure shows, for readers who cannot see it (/Alt).
    pub alt: Option<String>,
}

/// Where a link goes: the runs' own targets, and the notes their markers point to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// An outside address.
    Url(String),
    /// The reference list entry with this number.
    Reference(usize),
    /// The note with this number (at the foot of a page, or among the endnotes).
    Note(usize),
}

impl From<crate::runs::Target> for Target {
    fn from(t: crate::runs::Target) -> Target {
        match t {
            crate::runs::Target::Url(url) => Target::Url(url),
            crate::runs::Target::Reference(n) => Target::Reference(n),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkRect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub target: Target,
}

/// Where an internal link lands (a reference entry, a note): the top left of its first line.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    /// What lands here: a `Target::Reference` or a `Target::Note`.
    pub target: Target,
    pub x: f32,
    pub y: f32,
}

/// A heading, for the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    pub level: u8,
    pub title: String,
    /// Page index, from 0.
    pub page: usize,
    /// Top of the heading's first line.
    pub y: f32,
}

/// A horizontal rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub width: f32,
}

/// An emphasis dot (着重号): a filled circle, drawn as a path, not as text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    /// Centre.
    pub x: f32,
    pub y: f32,
    pub radius: f32,
}

/// An RGB colour, each component from 0 to 1.
pub type Rgb = [f32; 3];

/// A rectangle: a table's rule, a quote's bar, an aside's box. Drawn under the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    /// Bottom left corner.
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub fill: Option<Rgb>,
    /// Colour and line width of the outline.
    pub stroke: Option<(Rgb, f32)>,
}

/// A figure's image, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub image: Arc<Image>,
    /// Bottom left corner, and the size drawn.
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// The Figure structure element.
    pub element: usize,
    /// Where it is read: before the page's glyph of this index.
    pub before_glyph: usize,
}

/// One page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The text block.
    pub glyphs: Vec<Glyph>,
    /// What is not the article's content (artifacts): the running header and footer outside the text
    /// block, and inside it what pagination repeats (a continued table's caption and header rows).
    pub furniture: Vec<Glyph>,
    pub links: Vec<LinkRect>,
    pub anchors: Vec<Anchor>,
    pub rules: Vec<Rule>,
    /// Emphasis dots under Han text.
    pub dots: Vec<Dot>,
    pub rects: Vec<Rect>,
    pub pictures: Vec<Picture>,
    /// Images of the page furniture (the running header's logo), drawn as artifacts.
    pub furniture_images: Vec<Picture>,
}

/// The laid-out article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub pages: Vec<Page>,
    pub bookmarks: Vec<Bookmark>,
    /// The structure elements, parents before their children.
    pub elements: Vec<Element>,
    /// The paper: width and height in points.
    pub page_size: (f32, f32),
    /// The colour of the text of links to outside addresses (`None`: black, like the rest).
    pub link_colour: Option<Rgb>,
}

/// Lays the article out on the pages of the house style.
pub fn layout(
    article: &Article,
    fonts: &Fonts,
    options: LayoutOptions,
    style: &crate::style::Style,
) -> Result<Document, Error> {
    let geometry = Geometry::of(style);
    let mut shaper = Shaper::new(fonts)?;
    let column = document::column(article, &mut shaper, options, geometry)?;
    let running_title = crate::runs::plain(article.meta.running_title(), options.keep_punctuation);
    let furniture = page::Furniture {
        running_title: &running_title,
        style,
    };
    let mut doc = page::paginate(column.rows, &column.notes, furniture, geometry, &mut shaper)?;
    doc.elements = column.elements;
    doc.page_size = (geometry.page_width, geometry.page_height);
    doc.link_colour = style.link_colour;
    Ok(doc)
}
