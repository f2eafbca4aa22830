//! How a span's style is set, before shaping: emphasis as dots under Han characters and the italic
//! over Latin text (never a slanted upright), superscript and subscript as the face's own forms when
//! it has them for every glyph, otherwise as smaller glyphs raised or lowered. None of it changes the
//! height of a line: the dots sit inside its descent, the raised and lowered glyphs inside its
//! leading.

use crate::Error;
use crate::fonts::Face;
use crate::runs::Script;
use crate::text::emphasis::{self, Mark};

use super::Target;
use super::line::Span;
use super::shaper::{Forms, Shaper};

/// Size of scaled superscript and subscript glyphs, as a fraction of the text's.
pub const SCRIPT_SCALE: f32 = 0.65;
/// How far scaled superscripts are raised, in ems of the text.
pub const SUPER_RISE: f32 = 0.35;
/// How far scaled subscripts are lowered, in ems of the text.
pub const SUB_DROP: f32 = 0.15;
/// Centre of an emphasis dot below the baseline, in ems: under the ideographic em box (which ends
/// 0.12 em below the baseline) and above the line's bottom.
pub const DOT_DROP: f32 = 0.27;
/// Radius of an emphasis dot, in ems.
pub const DOT_RADIUS: f32 = 0.075;

/// A stretch of a span's text ready for shaping: one face, size, baseline shift and set of forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece<'s> {
    pub text: &'s str,
    pub face: Face,
    pub size: f32,
    pub rise: f32,
    pub link: Option<&'s Target>,
    pub forms: Option<Forms>,
    /// Emphasis dots under its Han characters.
    pub dots: bool,
    /// Held to the text before it (a link's 链N marker).
    pub glued: bool,
}

impl Piece<'_> {
    /// Whether the piece is a marker held to the text before it: a note's, or a link's 链N.
    pub fn is_note_marker(&self) -> bool {
        self.glued || matches!(self.link, Some(Target::Note(_)))
    }
}

/// The italic a face's Latin emphasis is set in: only the serif text face has one.
fn italic_of(face: Face) -> Option<Face> {
    (face == Face::SerifRegular).then_some(Face::SerifItalic)
}

/// The pieces of some spans, in order; a span without emphasis or script is one piece as it is.
pub fn pieces<'s>(shaper: &mut Shaper, spans: &'s [Span]) -> Result<Vec<Piece<'s>>, Error> {
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        let whole = Piece {
            text: &span.text,
            face: span.face,
            size: span.size,
            rise: span.rise,
            link: span.link.as_ref(),
            forms: None,
            dots: false,
            glued: span.glued,
        };
        let emphasised = match italic_of(span.face).filter(|_| span.emph) {
            Some(italic) => {
                let marks = emphasis::pieces(&span.text, |c| match emphasis::mark(c) {
                    Some(Mark::Italic) if !shaper.covers(italic, c) => Some(Mark::Upright),
                    m => m,
                });
                marks
                    .into_iter()
                    .map(|(range, mark)| Piece {
                        text: &span.text[range],
                        face: if mark == Mark::Italic {
                            italic
                        } else {
                            span.face
                        },
                        dots: mark == Mark::Dot,
                        ..whole.clone()
                    })
                    .collect()
            }
            // A bold or sans face has no italic: its emphasis is dots alone.
            None => vec![Piece {
                dots: span.emph,
                ..whole
            }],
        };
        for piece in emphasised {
            out.push(scripted(shaper, piece, span.script)?);
        }
    }
    Ok(out)
}

/// A piece set as superscript or subscript: with the face's own forms when every glyph has one,
/// otherwise smaller and raised or lowered.
fn scripted<'s>(shaper: &mut Shaper, piece: Piece<'s>, script: Script) -> Result<Piece<'s>, Error> {
    let (forms, shift) = match script {
        Script::Normal => return Ok(piece),
        Script::Super => (Forms::Superior, SUPER_RISE),
        Script::Sub => (Forms::Inferior, -SUB_DROP),
    };
    let plain = shaper.shape(piece.face, piece.text)?;
    let formed = shaper.shape_forms(piece.face, piece.text, Some(forms))?;
    let every_glyph_changes =
        plain.len() == formed.len() && plain.iter().zip(&formed).all(|(a, b)| a.id != b.id);
    Ok(if every_glyph_changes && !plain.is_empty() {
        Piece {
            forms: Some(forms),
            ..piece
        }
    } else {
        Piece {
            size: piece.size * SCRIPT_SCALE,
            rise: piece.rise + shift * piece.size,
            ..piece
        }
    })
}
