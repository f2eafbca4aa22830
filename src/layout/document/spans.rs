//! Runs turned into the spans `line` sets: the faces, sizes and marks of the text.

use crate::fonts::Face;
use crate::layout::Target;
use crate::layout::line::Span;
use crate::runs::{Run, Script};

/// Spans of runs: terms in the sans bold, strong in the serif bold (a real bold face, never a faked
/// one), emphasis marked (`inline` sets it: dots under Han, the italic over Latin where the face has
/// one, so strong emphasis is bold with dots), citation labels raised and smaller, superscript and
/// subscript marked, a note's marker a raised number in the text face linked to its note.
pub(in crate::layout) fn spans_of(runs: &[Run], size: f32) -> Vec<Span> {
    runs.iter()
        .map(|r| {
            if let Some(n) = r.note {
                return Span {
                    link: Some(Target::Note(n)),
                    script: Script::Super,
                    ..Span::plain(r.text.as_str(), Face::SerifRegular, size)
                };
            }
            let face = if r.term {
                Face::SansBold
            } else if r.strong {
                Face::SerifBold
            } else {
                Face::SerifRegular
            };
            let (size, rise) = if r.citation {
                (size * 0.7, size * 0.38)
            } else {
                (size, 0.0)
            };
            Span {
                text: r.text.clone(),
                face,
                size,
                rise,
                link: r.link.clone().map(Target::from),
                script: r.script,
                emph: r.emph && !r.citation,
                glued: r.marker,
            }
        })
        .collect()
}
