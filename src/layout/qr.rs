//! QR codes drawn as vector paths: each row's runs of dark modules are filled rectangles in the
//! page's content stream (no image), so the code is sharp at any resolution and costs a few hundred
//! bytes. The crate `qrcode` gives the module matrix.

use qrcode::{Color, EcLevel, QrCode};

use super::frame::Frame;
use super::{LinkRect, Rect, Target};

/// Side of the symbol, its quiet zone aside: 12.7 mm, which a phone reads from a page at arm's length
/// or closer.
pub const SYMBOL: f32 = 36.0;
/// The blank border a reader needs around the symbol, in modules (ISO/IEC 18004 asks for 4).
const QUIET: usize = 4;

/// A code laid out as a frame whose top left is the top left of its quiet zone.
pub struct Code {
    pub frame: Frame,
    /// Side of the whole code, quiet zone included.
    pub side: f32,
    /// Width of the quiet zone.
    pub quiet: f32,
}

/// The code of `url` (medium error correction, which survives a smudge), or none when the address is
/// too long for any QR version.
pub fn code(url: &str) -> Option<Code> {
    let qr = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = qr.width();
    let colors = qr.to_colors();
    let module = SYMBOL / width as f32;
    let quiet = QUIET as f32 * module;
    let side = SYMBOL + 2.0 * quiet;
    let mut frame = Frame {
        height: side,
        ..Frame::default()
    };
    for (y, row) in colors.chunks(width).enumerate() {
        let top = -(quiet + y as f32 * module);
        for (start, end) in dark_runs(row) {
            frame.rects.push(Rect {
                x: quiet + start as f32 * module,
                y: top - module,
                width: (end - start) as f32 * module,
                height: module,
                fill: Some([0.0, 0.0, 0.0]),
                stroke: None,
            });
        }
    }
    // The code is also a link, for the reader of the screen.
    frame.links.push(LinkRect {
        x0: quiet,
        y0: -(quiet + SYMBOL),
        x1: quiet + SYMBOL,
        y1: -quiet,
        target: Target::Url(url.to_string()),
    });
    Some(Code { frame, side, quiet })
}

/// The runs of dark modules in a row: one rectangle each instead of one per module.
fn dark_runs(row: &[Color]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (x, &c) in row.iter().chain([Color::Light].iter()).enumerate() {
        match (c, start) {
            (Color::Dark, None) => start = Some(x),
            (Color::Light, Some(s)) => {
                runs.push((s, x));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

impl Code {
    /// The frame moved by (`dx`, `dy`).
    pub fn moved(self, dx: f32, dy: f32) -> Frame {
        let mut frame = self.frame;
        for r in &mut frame.rects {
            r.x += dx;
            r.y += dy;
        }
        for l in &mut frame.links {
            l.x0 += dx;
            l.x1 += dx;
            l.y0 += dy;
            l.y1 += dy;
        }
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_dark_modules() {
        use Color::{Dark as D, Light as L};
        assert_eq!(
            dark_runs(&[D, D, L, D, L, L, D]),
            vec![(0, 2), (3, 4), (6, 7)]
        );
    }

    #[test]
    fn a_code_keeps_its_quiet_zone() {
        let Some(c) = code("https://doi.org/10.1000/182") else {
            panic!("no code");
        };
        assert!(c.side > SYMBOL);
        for r in &c.frame.rects {
            assert!(r.x >= c.quiet - 0.001 && r.x + r.width <= c.side - c.quiet + 0.001);
            assert!(r.y >= -(c.side - c.quiet) - 0.001 && r.y + r.height <= -c.quiet + 0.001);
        }
    }
}
