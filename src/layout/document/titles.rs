//! The title block (title, subtitle, byline, keywords, summary) and the headings.

use crate::Error;
use crate::fonts::Face;
use crate::layout::line::Span;
use crate::layout::{BODY_SIZE, Role};
use crate::runs::Run;
use crate::walk::TitleBlock;

use super::{Builder, Style, spans_of};

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
        let span = Span::plain;
        self.open(Role::Title);
        let title = span(&block.title, Face::SansBold, 20.0);
        self.paragraph(&[title], centered(20.0, 1.4, 0.0))?;
        if let Some(sub) = &block.subtitle {
            self.open(Role::Paragraph);
            let sub = span(sub, Face::SansRegular, 14.0);
            self.paragraph(&[sub], centered(14.0, 1.5, 2.0))?;
        }
        self.open(Role::Paragraph);
        let byline = span(&block.byline, Face::SerifRegular, BODY_SIZE);
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
