//! The title block (title, subtitle, byline, keywords, summary) and the headings.

use std::ops::Range;

use crate::Error;
use crate::fonts::{Face, Fonts};
use crate::layout::line::{self, Span};
use crate::layout::{BODY_SIZE, Role, Shaper};
use crate::runs::Run;
use crate::walk::TitleBlock;

use super::{Builder, Style, spans_of};

/// The measure of the title and the subtitle: 41 body ems, 1.5 em in from each side of the text
/// block. A centred title that runs to both margins looks crowded; and Word's text block (436.5 pt
/// between its 2.8 cm margins) then holds every line the PDF sets, so that the Word document breaks
/// where the PDF does and nowhere else.
pub const TITLE_WIDTH: f32 = 41.0 * BODY_SIZE;

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

    pub fn size(self) -> f32 {
        match self {
            TitlePart::Title => 20.0,
            TitlePart::Subtitle => 14.0,
        }
    }

    fn span(self, text: &str) -> Span {
        Span::plain(text, self.face(), self.size())
    }
}

/// Where the PDF breaks a title or subtitle: the byte range of each line of `text`. The Word document
/// asks this too and breaks at the same places (one decision, measured by the PDF's glyph advances).
pub fn title_lines(fonts: &Fonts, text: &str, part: TitlePart) -> Result<Vec<Range<usize>>, Error> {
    let mut shaper = Shaper::new(fonts)?;
    line::balanced_ranges(&mut shaper, &[part.span(text)], TITLE_WIDTH)
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
        let style = centered(title.size(), 1.4, 0.0);
        self.balanced_paragraph(&[title.span(&block.title)], style, TITLE_WIDTH)?;
        if let Some(text) = &block.subtitle {
            self.open(Role::Paragraph);
            let style = centered(sub.size(), 1.5, 2.0);
            self.balanced_paragraph(&[sub.span(text)], style, TITLE_WIDTH)?;
        }
        self.open(Role::Paragraph);
        let byline = Span::plain(&block.byline, Face::SerifRegular, BODY_SIZE);
        self.paragraph(&[byline], centered(BODY_SIZE, 1.7, 6.0))?;
        let small = Style {
            size: 9.5,
            leading: 1.6,
            first_indent: 0.0,
            space_before: 0.0,
            ..Style::body()
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
        let (size, before, after) = match level {
            1 => (16.0, 18.0, 6.0),
            2 => (13.0, 12.0, 3.0),
            _ => (11.0, 8.0, 1.0),
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
