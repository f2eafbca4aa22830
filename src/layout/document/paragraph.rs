//! Spans set as rows: a paragraph's lines in a style, a label hung in the margin left of a row, an
//! empty row, the width of a text.

use crate::Error;
use crate::fonts::Face;
use crate::layout::line::{self, SetLine, Span};

use super::{Builder, Row, Style};

impl Builder<'_, '_> {
    /// Sets spans as one paragraph; returns the index of its first row.
    pub(super) fn paragraph(&mut self, spans: &[Span], style: Style) -> Result<usize, Error> {
        let (style, width) = self.inset_style(style);
        let first = width - style.first_indent;
        let lines = line::set(self.shaper, spans, first, width, style.justify)?;
        Ok(self.push_lines(lines, style, width))
    }

    /// Sets spans as a title: lines balanced at phrase boundaries, at most `measure` wide, centred
    /// in the text block; returns the index of its first row.
    pub(super) fn balanced_paragraph(
        &mut self,
        spans: &[Span],
        style: Style,
        measure: f32,
    ) -> Result<usize, Error> {
        let (style, width) = self.inset_style(style);
        let lines = line::set_balanced(self.shaper, spans, measure.min(width))?;
        Ok(self.push_lines(lines, style, width))
    }

    /// The style moved right by the box's inset, and the width left for its lines.
    fn inset_style(&self, style: Style) -> (Style, f32) {
        let (left, right) = self.inset;
        let style = Style {
            x: style.x + left,
            ..style
        };
        let width = self.geometry.width - style.x - right;
        (style, width)
    }

    /// Puts a paragraph's lines in rows, `width` being the width left for them; returns the index
    /// of its first row.
    fn push_lines(&mut self, mut lines: Vec<SetLine>, style: Style, width: f32) -> usize {
        if lines.is_empty() {
            lines.push(SetLine::empty(width));
        }
        let first = self.rows.len();
        let n = lines.len();
        let height = style.leading * style.size;
        for (i, line) in lines.into_iter().enumerate() {
            let indent = if i == 0 { style.first_indent } else { 0.0 };
            let mut x = style.x + indent;
            if style.center {
                // Centred in the room the line has, whatever measure it was broken to.
                x += (width - indent - line.width).max(0.0) / 2.0;
            }
            let space_before = if i == 0 {
                style.space_before.max(self.owed)
            } else {
                0.0
            };
            self.rows.push(Row {
                space_before,
                height,
                // The ideographic em box centred in the line: its top is 0.88 em above the baseline.
                baseline: (height - style.size) / 2.0 + 0.88 * style.size,
                x,
                // No single line of a paragraph alone at the foot or the head of a page.
                keep_with_next: n >= 2 && (i == 0 || i + 2 == n),
                ..Row::of_line(line, self.current, self.panel)
            });
        }
        self.owed = 0.0;
        first
    }

    /// An empty row in the current box (the room above and below an aside's text).
    pub(super) fn spacer(&mut self, space_before: f32, height: f32) {
        self.rows.push(Row {
            space_before,
            height,
            keep_with_next: true,
            ..Row::of_line(SetLine::empty(0.0), self.current, self.panel)
        });
        self.owed = 0.0;
    }

    /// Width of a text in a face.
    pub(super) fn measure(&mut self, text: &str, face: Face, size: f32) -> Result<f32, Error> {
        let span = Span::plain(text, face, size);
        let lines = line::set(self.shaper, &[span], f32::MAX, f32::MAX, false)?;
        Ok(lines.iter().map(|l| l.width).fold(0.0, f32::max))
    }

    /// Puts a label (list marker, reference or note number) in the margin left of a row.
    pub(super) fn hang_label(
        &mut self,
        row: usize,
        label: &str,
        face: Face,
        width: f32,
        size: f32,
    ) -> Result<(), Error> {
        let span = Span::plain(label, face, size);
        let lines = line::set(self.shaper, &[span], f32::MAX, f32::MAX, false)?;
        if let Some(r) = self.rows.get_mut(row) {
            for l in lines {
                // Before the line's glyphs: the label is read first.
                let label = l.glyphs.into_iter().map(|mut g| {
                    g.x -= width;
                    g
                });
                r.line.glyphs.splice(0..0, label);
            }
        }
        Ok(())
    }
}
