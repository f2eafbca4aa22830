//! Paper sizes and what each is set with by default. An A5 leaflet is not an A4 page shrunk: its body
//! stays near 五号 (10 pt), on a measure of 32 characters, with narrower margins.

use super::{Margins, WordMargins};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    A4,
    A5,
    /// ISO B5 (176 × 250 mm), GB/T 148's B5.
    B5,
    /// US Letter (8.5 × 11 in).
    Letter,
}

/// What a paper size is set with unless the configuration says otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub margins: Margins,
    pub word_margins: WordMargins,
    pub body_size: f32,
    pub line_height: f32,
    pub title_size: f32,
    pub subtitle_size: f32,
    pub heading_sizes: [f32; 3],
}

impl Paper {
    pub const ALL: [Paper; 4] = [Paper::A4, Paper::A5, Paper::B5, Paper::Letter];

    /// The names `--paper` and the configuration take.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A5 => "a5",
            Paper::B5 => "b5",
            Paper::Letter => "letter",
        }
    }

    pub fn from_name(name: &str) -> Option<Paper> {
        Paper::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::A5 => (419.53, 595.28),
            Paper::B5 => (498.9, 708.66),
            Paper::Letter => (612.0, 792.0),
        }
    }

    /// Width and height in twips, as Word writes them.
    pub fn twips(self) -> (i32, i32) {
        match self {
            Paper::A4 => (11906, 16838),
            Paper::A5 => (8391, 11906),
            Paper::B5 => (9978, 14173),
            Paper::Letter => (12240, 15840),
        }
    }

    pub fn preset(self) -> Preset {
        let (width, _) = self.size();
        // The text block of each size, in body ems, and the margins above and below it.
        let (body_size, ems, top, bottom) = match self {
            Paper::A4 => (10.5, 44.0, 72.0, 72.0),
            Paper::A5 => (10.0, 32.0, 56.0, 56.0),
            Paper::B5 => (10.5, 38.0, 64.0, 64.0),
            Paper::Letter => (10.5, 44.0, 72.0, 72.0),
        };
        let side = (width - ems * body_size) / 2.0;
        let margins = Margins {
            top,
            bottom,
            left: side,
            right: side,
        };
        Preset {
            margins,
            word_margins: self.word_margins(margins),
            body_size,
            line_height: if self == Paper::A5 { 1.65 } else { 1.7 },
            title_size: match self {
                Paper::A5 => 16.0,
                Paper::B5 => 18.0,
                _ => 20.0,
            },
            subtitle_size: match self {
                Paper::A5 => 12.0,
                Paper::B5 => 13.0,
                _ => 14.0,
            },
            heading_sizes: match self {
                Paper::A5 => [13.0, 11.5, 10.5],
                Paper::B5 => [15.0, 12.5, 11.0],
                _ => [16.0, 13.0, 11.0],
            },
        }
    }

    /// Word's margins. On A4, Chinese publishing's usual 2.54 cm top and bottom and 2.8 cm sides (the
    /// Word documents handouts have always had); on the other sizes, the PDF's own margins.
    pub fn word_margins(self, pdf: Margins) -> WordMargins {
        if self == Paper::A4 {
            return WordMargins {
                top: 1440,
                bottom: 1440,
                left: 1588,
                right: 1588,
                header: 851,
                footer: 992,
            };
        }
        word_margins_of(pdf)
    }
}

/// Word margins equal to the PDF's, the header and footer half-way into the top and bottom margins.
pub fn word_margins_of(pdf: Margins) -> WordMargins {
    let twips = |pt: f32| (pt * super::TWIPS_PER_PT).round() as i32;
    WordMargins {
        top: twips(pdf.top),
        bottom: twips(pdf.bottom),
        left: twips(pdf.left),
        right: twips(pdf.right),
        header: twips(pdf.top / 2.0),
        footer: twips(pdf.bottom / 2.0),
    }
}
