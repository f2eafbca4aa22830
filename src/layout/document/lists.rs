//! Lists, their markers hanging left of the items' text, and the lists set like the references:
//! the reference list itself and the endnotes.

use crate::Error;
use crate::fonts::Face;
use crate::layout::line::Span;
use crate::layout::qr;
use crate::layout::{Role, Target};
use crate::model::ListStyle;
use crate::runs::Run;
use crate::walk::{Entry, ListStart};

use super::{Builder, Style, spans_of};

/// An open list: its structure element, where its items start, its markers.
pub(super) struct OpenList {
    /// The parent of the list element, restored when the list ends.
    outer: Option<usize>,
    element: usize,
    /// Left of the items' text from the text block's left.
    x: f32,
    indent: f32,
    markers: Vec<String>,
    marker_face: Face,
}

/// An entry of a numbered list set like the references: its label hanging, its text, the anchor of
/// its first line.
pub(super) struct ListEntry {
    pub(super) label: String,
    pub(super) spans: Vec<Span>,
    pub(super) anchor: Option<Target>,
    /// The address of a QR code set at the right of the entry (`--qr`).
    pub(super) code: Option<String>,
}

impl Builder<'_, '_> {
    /// Opens a list: its items' text starts past the widest marker, further in at each level of
    /// nesting.
    pub(super) fn start_list(&mut self, list: &ListStart) -> Result<(), Error> {
        let x = self.lists.last().map_or(0.0, |l| l.x + l.indent);
        // However deep the nesting, a line keeps room for ten characters.
        let x = x.min(self.geometry.width - 12.0 * self.geometry.body);
        // The serif bullet is a faint dot next to the bold sans terms: set it in the sans bold.
        let marker_face = if list.style == ListStyle::Bullet {
            Face::SansBold
        } else {
            Face::SerifRegular
        };
        let mut widest: f32 = 0.0;
        for m in &list.markers {
            widest = widest.max(self.measure(m, marker_face, self.geometry.body)?);
        }
        // Half an em after the marker; for 一、 that is the blank half of 、 that setting trims at the
        // end of a line.
        let indent = widest + self.geometry.body / 2.0;
        let outer = self.parent;
        let element = self.open(Role::List);
        self.lists.push(OpenList {
            outer,
            element,
            x,
            indent,
            markers: list.markers.clone(),
            marker_face,
        });
        Ok(())
    }

    /// Item `index` of the innermost list, its marker hanging left of its text.
    pub(super) fn set_list_item(&mut self, index: usize, runs: &[Run]) -> Result<(), Error> {
        let Some(list) = self.lists.last() else {
            return Ok(());
        };
        let (x, indent, face) = (list.x, list.indent, list.marker_face);
        let marker = list.markers.get(index).cloned().unwrap_or_default();
        self.parent = Some(list.element);
        let item = self.open(Role::ListItem);
        let style = Style {
            x: x + indent,
            first_indent: 0.0,
            ..Style::body(&self.geometry)
        };
        let first = self.paragraph(&spans_of(runs, self.geometry.body), style)?;
        self.hang_label(first, &marker, face, indent, self.geometry.body)?;
        // Lists nested in the item are its children.
        self.parent = Some(item);
        Ok(())
    }

    /// Closes the innermost list.
    pub(super) fn end_list(&mut self) {
        if let Some(list) = self.lists.pop() {
            self.parent = list.outer;
        }
    }

    /// The reference list under its heading, set like the endnotes.
    pub(super) fn set_references(&mut self, title: &str, entries: &[Entry]) -> Result<(), Error> {
        self.set_heading(1, &[Run::plain(title)])?;
        let size = 9.5;
        let items: Vec<ListEntry> = entries
            .iter()
            .map(|entry| ListEntry {
                label: entry.label.clone(),
                spans: entry
                    .runs
                    .iter()
                    .map(|r| Span {
                        link: r.link.clone().map(Target::from),
                        ..Span::plain(r.text.as_str(), Face::SerifRegular, size)
                    })
                    .collect(),
                anchor: Some(Target::Reference(entry.number)),
                code: entry.code.clone().filter(|_| self.qr),
            })
            .collect();
        self.numbered_list(&items, &format!("[{}]", entries.len()), size)
    }

    /// A list set like the references: small text, each label hanging in a column as wide as
    /// `widest`.
    pub(super) fn numbered_list(
        &mut self,
        items: &[ListEntry],
        widest: &str,
        size: f32,
    ) -> Result<(), Error> {
        let indent = self.measure(widest, Face::SerifRegular, size)? + size / 2.0;
        let list_element = self.open(Role::List);
        for (n, item) in items.iter().enumerate() {
            let style = Style {
                size,
                leading: 1.6,
                x: indent,
                first_indent: 0.0,
                space_before: if n == 0 { 0.0 } else { 2.0 },
                justify: true,
                center: false,
            };
            self.parent = Some(list_element);
            self.open(Role::ListItem);
            let code = item.code.as_deref().and_then(qr::code);
            // The code stands at the right of the entry: the text keeps clear of it.
            let room = code.as_ref().map_or(0.0, |c| c.side - c.quiet);
            self.inset.1 += room;
            let first = self.paragraph(&item.spans, style);
            self.inset.1 -= room;
            let first = first?;
            self.hang_label(first, &item.label, Face::SerifRegular, indent, size)?;
            self.rows[first].anchor = item.anchor.clone();
            if let Some(code) = code {
                self.hang_code(first, code);
            }
        }
        self.parent = None;
        Ok(())
    }
}
