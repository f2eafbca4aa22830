//! The title and subtitle paragraphs, broken where the PDF breaks them ([`layout::title_lines`]):
//! each line after the first follows a `w:br`, so that Word and LibreOffice show the PDF's lines. The
//! title's measure in the PDF is narrower than Word's text block, so Word breaks them nowhere else.

use docx_rs::{BreakType, Run as DocxRun};

use super::body::Builder;
use super::styles::Para;
use crate::layout::{self, TitlePart};
use crate::runs::Run;

impl Builder<'_> {
    /// `text` as a paragraph in `para`, broken as the PDF breaks `part`. Without the fonts there is
    /// no measure: the paragraph is one piece and Word breaks it.
    pub(super) fn title_paragraph(&mut self, para: Para, text: &str, part: TitlePart) {
        let lines = self
            .fonts
            .and_then(|fonts| {
                let geometry = layout::Geometry::of(self.style);
                layout::title_lines(fonts, &geometry, text, part).ok()
            })
            .filter(|lines| !lines.is_empty())
            .unwrap_or_else(|| std::iter::once(0..text.len()).collect());
        let mut p = self.new_paragraph(para);
        for (i, line) in lines.iter().enumerate() {
            // The white space at a break ends the line before it, so that the text reads whole.
            let from = if i == 0 { 0 } else { line.start };
            let to = lines.get(i + 1).map_or(text.len(), |next| next.start);
            if i > 0 {
                p = p.add_run(DocxRun::new().add_break(BreakType::TextWrapping));
            }
            p = self
                .inline
                .add_runs(p, para, &[Run::plain(&text[from..to])]);
        }
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
    }
}
