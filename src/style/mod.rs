//! The house style: paper, margins, sizes, faces, running header, footer, link colour and default
//! notices. One value serves every writer; it is built from the defaults, then a team's
//! `handout.toml` ([`config`]), then the command line, each winning over the one before.

pub mod config;
mod paper;

use std::path::PathBuf;
use std::sync::Arc;

use crate::fonts::Face;
use crate::image::Image;
use crate::model::Notice;

pub use paper::{Paper, word_margins_of};

/// Points per inch, and twips (Word's unit) per point.
pub const TWIPS_PER_PT: f32 = 20.0;

/// The page margins in points. The text block sits between them, narrowed to a whole number of
/// body ems (so that a line of Han needs no stretching) and centred in what they leave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

/// The faces set in the PDF and embedded in the Word document: a file for each, or the Noto face of
/// the fonts folder when none is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaceFiles(pub [Option<PathBuf>; Face::COUNT]);

impl FaceFiles {
    pub fn get(&self, face: Face) -> Option<&PathBuf> {
        self.0[face as usize].as_ref()
    }
}

/// The running header from page 2: the team's text and logo (if any) at the left, the article's
/// short title at the right; with neither, the short title alone, centred.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunningHeader {
    pub text: Option<String>,
    pub logo: Option<Arc<Image>>,
}

/// The footer of every page: literal text around `{page}` (this page's number) and `{pages}` (the
/// number of pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footer(pub Vec<FooterPart>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FooterPart {
    Text(String),
    Page,
    Pages,
}

impl Footer {
    pub const DEFAULT: &'static str = "第 {page} 页 / 共 {pages} 页";

    /// Reads a pattern; the error says what is wrong and what is expected.
    pub fn parse(pattern: &str) -> Result<Footer, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(FooterPart::Text(rest[..open].to_string()));
            }
            let after = &rest[open..];
            let (part, len) = if after.starts_with("{pages}") {
                (FooterPart::Pages, "{pages}".len())
            } else if after.starts_with("{page}") {
                (FooterPart::Page, "{page}".len())
            } else {
                let shown: String = after.chars().take(12).collect();
                return Err(format!(
                    "unknown placeholder at \"{shown}\": expected {{page}} or {{pages}}"
                ));
            };
            parts.push(part);
            rest = &after[len..];
        }
        if rest.contains('}') {
            return Err("a \"}\" without its \"{\": expected {page} or {pages}".to_string());
        }
        if !rest.is_empty() {
            parts.push(FooterPart::Text(rest.to_string()));
        }
        Ok(Footer(parts))
    }

    /// The footer of page `page` (from 1) of `pages`.
    pub fn text(&self, page: usize, pages: usize) -> String {
        self.0
            .iter()
            .map(|p| match p {
                FooterPart::Text(t) => t.clone(),
                FooterPart::Page => page.to_string(),
                FooterPart::Pages => pages.to_string(),
            })
            .collect()
    }
}

impl Default for Footer {
    /// [`Footer::DEFAULT`], read (a test checks that the two agree).
    fn default() -> Footer {
        let text = |t: &str| FooterPart::Text(t.to_string());
        Footer(vec![
            text("第 "),
            FooterPart::Page,
            text(" 页 / 共 "),
            FooterPart::Pages,
            text(" 页"),
        ])
    }
}

/// An RGB colour, each component from 0 to 1.
pub type Rgb = [f32; 3];

/// The house style.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub paper: Paper,
    pub margins: Margins,
    /// Word's margins in twips (its text block is narrower than the PDF's on A4 by tradition; see
    /// [`Paper::word_margins`]).
    pub word_margins: WordMargins,
    /// Body text size in points.
    pub body_size: f32,
    /// Body line height as a multiple of the body size.
    pub line_height: f32,
    /// Title, subtitle, and heading levels 1 to 3, in points.
    pub title_size: f32,
    pub subtitle_size: f32,
    pub heading_sizes: [f32; 3],
    pub faces: FaceFiles,
    pub header: RunningHeader,
    pub footer: Footer,
    /// The colour of link text: `None` keeps each format's own (black on paper, Word's blue).
    pub link_colour: Option<Rgb>,
    /// The notices an article without its own gets.
    pub disclaimer: Option<Notice>,
    pub copyright: Option<Notice>,
}

/// Word's page margins in twips: top and bottom, left and right, and the header's distance from the
/// edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordMargins {
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
    pub header: i32,
    pub footer: i32,
}

impl Default for Style {
    fn default() -> Style {
        Style::for_paper(Paper::A4)
    }
}

impl Style {
    /// The defaults for a paper size: margins, sizes and line height chosen for it.
    pub fn for_paper(paper: Paper) -> Style {
        let preset = paper.preset();
        Style {
            paper,
            margins: preset.margins,
            word_margins: preset.word_margins,
            body_size: preset.body_size,
            line_height: preset.line_height,
            title_size: preset.title_size,
            subtitle_size: preset.subtitle_size,
            heading_sizes: preset.heading_sizes,
            faces: FaceFiles::default(),
            header: RunningHeader::default(),
            footer: Footer::default(),
            link_colour: None,
            disclaimer: None,
            copyright: None,
        }
    }

    pub fn page_width(&self) -> f32 {
        self.paper.size().0
    }

    pub fn page_height(&self) -> f32 {
        self.paper.size().1
    }

    /// The text block's width: what the margins leave, cut to a whole number of body ems.
    pub fn text_width(&self) -> f32 {
        let room = self.page_width() - self.margins.left - self.margins.right;
        (room / self.body_size + 1e-3).floor().max(1.0) * self.body_size
    }

    /// The text block's left edge: centred in what the margins leave.
    pub fn text_left(&self) -> f32 {
        (self.page_width() + self.margins.left - self.margins.right - self.text_width()) / 2.0
    }

    pub fn text_right(&self) -> f32 {
        self.text_left() + self.text_width()
    }

    pub fn text_top(&self) -> f32 {
        self.page_height() - self.margins.top
    }

    pub fn text_bottom(&self) -> f32 {
        self.margins.bottom
    }

    /// The text block's height.
    pub fn block_height(&self) -> f32 {
        self.text_top() - self.text_bottom()
    }

    /// The measure of the title and subtitle: 3 body ems less than the text block, so that a centred
    /// title does not run to both margins (and Word's narrower block still holds its lines).
    pub fn title_width(&self) -> f32 {
        self.text_width() - 3.0 * self.body_size
    }

    /// The Word document's text block in twips: the paper less the margins (at least 1).
    pub fn word_text_twips(&self) -> (i32, i32) {
        let (m, (width, height)) = (self.word_margins, self.paper.twips());
        (
            (width - m.left - m.right).max(1),
            (height - m.top - m.bottom).max(1),
        )
    }

    /// The text width of the Word document in points.
    pub fn word_text_width(&self) -> f32 {
        self.word_text_twips().0 as f32 / TWIPS_PER_PT
    }

    /// The text height of the Word document in points.
    pub fn word_text_height(&self) -> f32 {
        self.word_text_twips().1 as f32 / TWIPS_PER_PT
    }

    /// Whether this is the built-in style (A4, the Noto faces, no header text or logo, the default
    /// footer and notices): what a run without a configuration uses.
    pub fn is_default(&self) -> bool {
        *self == Style::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_a4_text_block_is_the_one_handouts_always_had() {
        let s = Style::default();
        assert_eq!(s.text_width(), 44.0 * 10.5);
        assert_eq!(s.text_left(), (595.28 - 462.0) / 2.0);
        assert_eq!(s.text_top(), 841.89 - 72.0);
        assert_eq!(s.text_bottom(), 72.0);
        assert_eq!(s.title_width(), 41.0 * 10.5);
    }

    #[test]
    fn every_paper_has_a_whole_number_of_ems_and_word_holds_the_title() {
        for paper in Paper::ALL {
            let s = Style::for_paper(paper);
            let ems = s.text_width() / s.body_size;
            assert!((ems - ems.round()).abs() < 1e-4, "{paper:?}: {ems}");
            assert!(s.text_left() >= s.margins.left - 0.01, "{paper:?}");
            assert!(s.text_right() <= s.page_width() - s.margins.right + 0.01);
            assert!(s.word_text_width() >= s.title_width(), "{paper:?}");
        }
    }

    #[test]
    fn footer_patterns() {
        assert_eq!(Footer::parse(Footer::DEFAULT), Ok(Footer::default()));
        let f = Footer::default();
        assert_eq!(f.text(2, 5), "第 2 页 / 共 5 页");
        assert_eq!(Footer::parse("{page}").unwrap().text(3, 9), "3");
        assert_eq!(
            Footer::parse("p. {page} of {pages}.").unwrap().text(1, 2),
            "p. 1 of 2."
        );
        assert!(
            Footer::parse("{pagina}")
                .unwrap_err()
                .contains("expected {page} or {pages}")
        );
        assert!(Footer::parse("page}").is_err());
    }
}
