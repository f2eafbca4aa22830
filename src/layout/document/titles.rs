//! The title block (title, subtitle, byline, keywords, summary) and the headings.

use std::ops::Range;

use crate::Error;
use crate::fonts::{Face, Fonts};
use crate::layout::line::{self, Span};
use crate::layout::{Geometry, Role, Shaper};
use crate::runs::Run;
use crate::walk::TitleBlock;

use super::{Builder, Style, spans_of};

/// The lines of the title block that are broken balanced, each with its face and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitlePart {
    Title,
    Subtitle,
}

impl TitlePart {
    pub fn face(self) -> Face {
        match self {
            TitlePart::Title => Face::SansBold,
            TitlePart::Subtitle => Face::SansRegular,
        }
    }

    pub fn size(self, g: &Geometry) -> f32 {
        match self {
            TitlePart::Title => g.title,
            TitlePart::Subtitle => g.subtitle,
        }
    }

    fn span(self, text: &str, g: &Geometry) -> Span {
        Span::plain(text, self.face(), self.size(g))
    }
}

/// Where the PDF breaks a title or subtitle: the byte range of each line of `text`. The Word document
/// asks this too and breaks at the same places (one decision, measured by the PDF's glyph advances).
/// The measure is [`Geometry::title_width`], 3 body ems narrower than the text block: a centred title
/// that runs to both margins looks crowded, and Word's narrower text block then holds every line the
/// PDF sets, so that the Word document breaks where the PDF does and nowhere else.
pub fn title_lines(
    fonts: &Fonts,
    g: &Geometry,
    text: &str,
    part: TitlePart,
) -> Result<Vec<Range<usize>>, Error> {
    let mut shaper = Shaper::new(fonts)?;
    line::balanced_ranges(&mut shaper, &[part.span(text, g)], g.title_width)
}

impl Builder<'_, '_> {
    /// The title, subtitle and byline centred, then the keywords and the summary in small text.
    pub(super) fn set_title_block(&mut self, block: &TitleBlock) -> Result<(), Error> {
        let centered = |size: f32, leading: f32, space_before: f32| Style {
            size,
            leading,
            x: 0.0,
            first_indent: 0.0,
            space_before,
            justify: false,
            center: true,
        };
        self.open(Role::Title);
        let (title, sub) = (TitlePart::Title, TitlePart::Subtitle);
        let g = self.geometry;
        let style = centered(title.size(&g), 1.4, 0.0);
        self.balanced_paragraph(&[title.span(&block.title, &g)], style, g.title_width)?;
        if let Some(text) = &block.subtitle {
            self.open(Role::Paragraph);
            let style = centered(sub.size(&g), 1.5, 2.0);
            self.balanced_paragraph(&[sub.span(text, &g)], style, g.title_width)?;
        }
        self.open(Role::Paragraph);
        let byline = Span::plain(&block.byline, Face::SerifRegular, g.body);
        self.paragraph(&[byline], centered(g.body, g.leading, 6.0))?;
        let small = Style {
            size: 9.5,
            leading: 1.6,
            first_indent: 0.0,
            space_before: 0.0,
            ..Style::body(&self.geometry)
        };
        if let Some(keywords) = &block.keywords {
            self.open(Role::Paragraph);
            let style = Style {
                space_before: 8.0,
                ..small
            };
            self.paragraph(&spans_of(keywords, 9.5), style)?;
        }
        if let Some(summary) = &block.summary {
            self.open(Role::Paragraph);
            self.paragraph(&spans_of(summary, 9.5), small)?;
        }
        self.owed = 14.0;
        Ok(())
    }

    /// A heading in the sans bold, bookmarked, held to the text after it.
    pub(super) fn set_heading(&mut self, level: u8, runs: &[Run]) -> Result<(), Error> {
        let sizes = self.geometry.headings;
        let (size, before, after) = match level {
            1 => (sizes[0], 18.0, 6.0),
            2 => (sizes[1], 12.0, 3.0),
            _ => (sizes[2], 8.0, 1.0),
        };
        // A heading is set in the sans bold throughout.
        let spans: Vec<Span> = spans_of(runs, size)
            .into_iter()
            .map(|s| Span {
                face: Face::SansBold,
                ..s
            })
            .collect();
        let title: String = runs.iter().map(|r| r.text.as_str()).collect();
        let style = Style {
            size,
            leading: 1.5,
            x: 0.0,
            first_indent: 0.0,
            space_before: before,
            justify: false,
            center: false,
        };
        self.open(Role::Heading(level));
        let first = self.paragraph(&spans, style)?;
        for row in &mut self.rows[first..] {
            row.keep_with_next = true;
        }
        self.rows[first].bookmark = Some((level, title));
        self.owed = after;
        Ok(())
    }
}
