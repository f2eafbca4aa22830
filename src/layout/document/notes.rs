//! The notes: footnotes set apart from the column, for the foot of the pages that cite them (placed
//! there by the layout's `notes`), or endnotes set in the column like the references.

use crate::Error;
use crate::fonts::Face;
use crate::layout::notes::{NOTE_LEADING, NOTE_SIZE, SetNote};
use crate::layout::{Element, Role, Target};
use crate::runs::Run;
use crate::walk;

use super::lists::ListEntry;
use super::{Builder, Style, spans_of};

/// The label of a note: "1.".
fn note_label(number: usize) -> String {
    format!("{number}.")
}

impl Builder<'_, '_> {
    /// Sets the notes cited by the block just set; the markers of the next ones are in the rows
    /// after it.
    pub(super) fn set_footnotes(&mut self, notes: &[walk::Note]) -> Result<(), Error> {
        for note in notes {
            self.footnote(note)?;
        }
        self.flushed = self.rows.len();
        Ok(())
    }

    /// Every note under its heading, set like the references.
    pub(super) fn set_endnotes(&mut self, title: &str, notes: &[walk::Note]) -> Result<(), Error> {
        self.set_heading(1, &[Run::plain(title)])?;
        let size = 9.5;
        let items: Vec<ListEntry> = notes
            .iter()
            .map(|n| ListEntry {
                label: note_label(n.number),
                spans: spans_of(&n.runs, size),
                anchor: Some(Target::Note(n.number)),
                code: None,
            })
            .collect();
        let widest = notes.last().map_or(String::new(), |n| note_label(n.number));
        self.numbered_list(&items, &widest, size)
    }

    /// Sets one footnote apart from the column, in a /Note element under the element whose row
    /// holds its marker.
    fn footnote(&mut self, note: &walk::Note) -> Result<(), Error> {
        let n = note.number;
        let marked = self.rows[self.flushed..]
            .iter()
            .rposition(|r| r.line.notes.contains(&n))
            .map(|at| self.flushed + at);
        // A block that did not hand the marker's row its note (none should) cites it on its last row.
        let marked = marked.or_else(|| {
            let last = self.rows.len().checked_sub(1)?;
            self.rows[last].line.notes.push(n);
            Some(last)
        });
        let (current, owed) = (self.current, std::mem::take(&mut self.owed));
        self.elements.push(Element {
            role: Role::Note,
            parent: marked.map(|at| self.rows[at].element),
            alt: None,
        });
        self.current = self.elements.len() - 1;
        // Room for two digits at least, so that notes 1 to 99 line up.
        let widest = note_label(n.max(10));
        let indent = self.measure(&widest, Face::SerifRegular, NOTE_SIZE)? + NOTE_SIZE / 2.0;
        let style = Style {
            size: NOTE_SIZE,
            leading: NOTE_LEADING,
            x: indent,
            first_indent: 0.0,
            space_before: 0.0,
            justify: true,
            center: false,
        };
        let first = self.paragraph(&spans_of(&note.runs, NOTE_SIZE), style)?;
        self.hang_label(first, &note_label(n), Face::SerifRegular, indent, NOTE_SIZE)?;
        let mut rows = self.rows.split_off(first);
        rows[0].anchor = Some(Target::Note(n));
        self.notes.push(SetNote { number: n, rows });
        (self.current, self.owed) = (current, owed);
        Ok(())
    }
}
