//! The notices after the references (the disclaimer, the copyright), set apart by a rule.

use crate::Error;
use crate::layout::Role;
use crate::layout::line::SetLine;
use crate::runs::Run;
use crate::walk::NoticeKind;

use super::{Builder, Row, Style, spans_of};

impl Builder<'_, '_> {
    /// A rule across the text block, held to the notice after it.
    pub(super) fn set_rule(&mut self) {
        self.rows.push(Row {
            space_before: 18.0,
            height: 10.0,
            baseline: 5.0,
            keep_with_next: true,
            rule: true,
            ..Row::of_line(
                SetLine {
                    width: self.geometry.width,
                    ..SetLine::empty(self.geometry.width)
                },
                self.current,
                None,
            )
        });
    }

    /// A notice's paragraphs in small text, the first without an indent.
    pub(super) fn set_notice(
        &mut self,
        kind: NoticeKind,
        paragraphs: &[Vec<Run>],
    ) -> Result<(), Error> {
        if kind == NoticeKind::Copyright {
            self.owed = 8.0;
        }
        let size = 9.0;
        for (i, runs) in paragraphs.iter().enumerate() {
            let style = Style {
                size,
                leading: 1.6,
                x: 0.0,
                first_indent: if i == 0 { 0.0 } else { 2.0 * size },
                space_before: 0.0,
                justify: true,
                center: false,
            };
            self.open(Role::Paragraph);
            self.paragraph(&spans_of(runs, size), style)?;
        }
        Ok(())
    }
}
