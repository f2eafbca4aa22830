//! What the layout adds for a reader of paper: the list of the links' URLs (链接), a QR code at the
//! right of a reference entry (`--qr`), and the article's own address as a code after the notices.

use crate::Error;
use crate::layout::Role;
use crate::layout::frame::Frame;
use crate::layout::line::SetLine;
use crate::layout::qr::{self, Code};
use crate::runs::Run;
use crate::walk;

use super::lists::ListEntry;
use super::{Builder, Row, Style, spans_of};

/// What the code of the article's own address says.
pub const READ_ONLINE: &str = "扫码阅读原文";

impl Builder<'_, '_> {
    /// The URLs of the text's links under their heading, set like the endnotes.
    pub(super) fn set_links(&mut self, title: &str, links: &[walk::Note]) -> Result<(), Error> {
        self.set_heading(1, &[Run::plain(title)])?;
        let size = 9.5;
        let items: Vec<ListEntry> = links
            .iter()
            .map(|n| ListEntry {
                label: format!("{}.", n.number),
                spans: spans_of(&n.runs, size),
                // The markers open the addresses themselves: nothing links here.
                anchor: None,
                code: None,
            })
            .collect();
        let widest = format!("{}.", links.len());
        self.numbered_list(&items, &widest, size)
    }

    /// Hangs `code` at the right of the entry whose rows start at `first`, its symbol's top at the
    /// entry's top and its right edge at the text's (the quiet zone in the margin). The entry and the
    /// code stay on one page; a row after the entry holds the code and keeps the room it needs below.
    pub(super) fn hang_code(&mut self, first: usize, code: Code) {
        let rows = &mut self.rows[first..];
        let mut height = 0.0;
        for (i, row) in rows.iter_mut().enumerate() {
            if i > 0 {
                height += row.space_before;
            }
            height += row.height;
            row.keep_with_next = true;
        }
        let below = (code.side - code.quiet - height).max(0.0);
        let x = self.geometry.width - self.inset.1 - code.side + code.quiet;
        let dy = height + code.quiet;
        self.push_frame(code.moved(x, dy), below);
    }

    /// After the notices, the article's own address as a code under "扫码阅读原文".
    pub(super) fn set_read_online(&mut self, url: &str) -> Result<(), Error> {
        let Some(code) = qr::code(url) else {
            return Ok(());
        };
        self.owed = 8.0;
        self.open(Role::Paragraph);
        let size = 9.0;
        let style = Style {
            size,
            leading: 1.6,
            x: 0.0,
            first_indent: 0.0,
            space_before: 0.0,
            justify: false,
            center: false,
        };
        let first = self.paragraph(&spans_of(&[Run::plain(READ_ONLINE)], size), style)?;
        for row in &mut self.rows[first..] {
            row.keep_with_next = true;
        }
        // The symbol's left edge at the text's, its quiet zone in the margin.
        let height = code.side - code.quiet;
        let dx = -code.quiet;
        self.push_frame(code.moved(dx, 0.0), height);
        Ok(())
    }

    /// A row `height` tall holding `frame` (drawn from the row's top, maybe above it).
    fn push_frame(&mut self, frame: Frame, height: f32) {
        self.rows.push(Row {
            height,
            frame: Some(frame),
            ..Row::of_line(SetLine::empty(0.0), self.current, self.panel)
        });
        self.owed = 0.0;
    }
}
