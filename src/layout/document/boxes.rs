//! Quotes and asides: their rows set narrower, in the box `layout::boxes` draws around them.

use crate::Error;
use crate::fonts::Face;
use crate::layout::Role;
use crate::layout::boxes::{self, Panel, PanelKind};
use crate::layout::line::Span;
use crate::runs::Run;

use super::{Builder, Style, spans_of};

/// An open aside: what to restore at its end (parent, box, inset), and its first row.
pub(super) struct OpenAside {
    parent: Option<usize>,
    panel: Option<Panel>,
    inset: (f32, f32),
    first_row: usize,
}

impl Builder<'_, '_> {
    /// A quote's paragraphs, then its source flush right.
    pub(super) fn set_quote(
        &mut self,
        paragraphs: &[Vec<Run>],
        source: Option<&[Run]>,
    ) -> Result<(), Error> {
        let (outer, outer_inset, outer_panel) = (self.parent, self.inset, self.panel);
        let element = self.open(Role::BlockQuote);
        self.parent = Some(element);
        self.owed = self.owed.max(boxes::SPACE_AROUND);
        self.inset = boxes::quote_inset(self.geometry.body);
        self.panel = Some(Panel {
            element,
            kind: PanelKind::Quote,
        });
        for runs in paragraphs {
            self.open(Role::Paragraph);
            self.paragraph(
                &spans_of(runs, self.geometry.body),
                Style::body(&self.geometry),
            )?;
        }
        if let Some(source) = source {
            self.open(Role::Paragraph);
            let first = self.paragraph(
                &spans_of(source, self.geometry.body),
                Style::flush(&self.geometry),
            )?;
            // The source line is set flush right.
            for row in &mut self.rows[first..] {
                row.x += (row.line.available - row.line.width).max(0.0);
            }
        }
        self.inset = outer_inset;
        self.panel = outer_panel;
        self.parent = outer;
        self.owed = boxes::SPACE_AROUND;
        Ok(())
    }

    /// Opens an aside's box and sets its label; its paragraphs and lists follow.
    pub(super) fn start_aside(&mut self, label: &str) -> Result<(), Error> {
        self.asides.push(OpenAside {
            parent: self.parent,
            panel: self.panel,
            inset: self.inset,
            first_row: self.rows.len(),
        });
        let element = self.open(Role::Aside);
        self.parent = Some(element);
        self.panel = Some(Panel {
            element,
            kind: PanelKind::Aside,
        });
        self.spacer(boxes::SPACE_AROUND.max(self.owed), boxes::ASIDE_PAD);
        self.inset = boxes::aside_inset(self.geometry.body);
        // The label is set like a heading inside the box.
        self.open(Role::Paragraph);
        let label = Span::plain(label, Face::SansBold, self.geometry.body);
        let first = self.paragraph(&[label], Style::flush(&self.geometry))?;
        self.owed = 2.0;
        for row in &mut self.rows[first..] {
            row.keep_with_next = true;
        }
        Ok(())
    }

    /// Closes the innermost aside's box.
    pub(super) fn end_aside(&mut self) {
        let Some(open) = self.asides.pop() else {
            return;
        };
        self.spacer(0.0, boxes::ASIDE_PAD);
        // Kept on one page when it fits: every row holds on to the next, the last to nothing.
        let last = self.rows.len() - 1;
        for row in &mut self.rows[open.first_row..last] {
            row.keep_with_next = true;
        }
        self.rows[last].keep_with_next = false;
        self.inset = open.inset;
        self.panel = open.panel;
        self.parent = open.parent;
        self.owed = boxes::SPACE_AROUND;
    }
}
