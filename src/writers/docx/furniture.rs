//! The running header and the footer. The header is on every page but the first (`w:titlePg`, the
//! first page's header left empty), as in the PDF: the article's short title, centred; or, when the
//! house style names the team, its logo and name at the left and the title at a right tab. The
//! footer is the house's pattern, its page numbers Word's PAGE and NUMPAGES fields, on every page.

use std::sync::Arc;

use docx_rs::{
    AlignmentType, Footer, Header, NumPages, PageNum, Paragraph, Run as DocxRun, Tab, TabValueType,
};

use super::body::Builder;
use super::figure::InlinePicture;
use super::styles::Para;
use crate::image::Image;
use crate::layout;
use crate::style::FooterPart;
use crate::xml::clean;

/// The logo's relationship id in the header's relationships, and its height in points.
pub const LOGO_RID: &str = "rIdLogo";
const LOGO_HEIGHT: f32 = 14.0;
const EMU_PER_POINT: f32 = 12_700.0;

impl Builder<'_> {
    pub(super) fn header_footer(&mut self, title: &str) {
        let header = self.header_paragraph(title);
        let footer = self.footer_paragraph();
        let first_header = self.new_paragraph(Para::Header);
        self.docx = std::mem::take(&mut self.docx)
            .header(Header::new().add_paragraph(header))
            .first_header(Header::new().add_paragraph(first_header))
            .footer(Footer::new().add_paragraph(footer.clone()))
            .first_footer(Footer::new().add_paragraph(footer))
            .title_pg();
    }

    fn header_paragraph(&mut self, title: &str) -> Paragraph {
        let face = Para::Header.face();
        self.inline.used.add(face, title);
        let house = &self.style.header;
        let p = self.new_paragraph(Para::Header);
        if house.text.is_none() && house.logo.is_none() {
            return p.add_run(DocxRun::new().add_text(clean(title)));
        }
        // The logo's drawing goes in before the first run once docx-rs has written the header.
        let width = self.style.word_text_twips().0;
        let tab = Tab::new().val(TabValueType::Right).pos(width as usize);
        let mut p = p.align(AlignmentType::Left).add_tab(tab);
        if let Some(text) = &house.text {
            let text = text.clone();
            self.inline.used.add(face, &text);
            let lead = if house.logo.is_some() { " " } else { "" };
            p = p.add_run(DocxRun::new().add_text(format!("{lead}{}", clean(&text))));
        }
        // Cut as the PDF cuts it, to what Word's line leaves beside the house's part; without the
        // fonts there is no measure, and Word wraps it.
        let title = self
            .fonts
            .and_then(|fonts| {
                let line = self.style.word_text_width();
                layout::header_title(fonts, &self.style.header, title, line).ok()
            })
            .unwrap_or_else(|| title.to_string());
        self.inline.used.add(face, &title);
        p.add_run(DocxRun::new().add_tab())
            .add_run(DocxRun::new().add_text(clean(&title)))
    }

    fn footer_paragraph(&mut self) -> Paragraph {
        let face = Para::Footer.face();
        self.inline.used.add(face, "0123456789");
        let mut p = self.new_paragraph(Para::Footer);
        for part in &self.style.footer.0 {
            p = match part {
                FooterPart::Text(text) => {
                    self.inline.used.add(face, text);
                    p.add_run(DocxRun::new().add_text(clean(text)))
                }
                FooterPart::Page => p.add_page_num(PageNum::new()),
                FooterPart::Pages => p.add_num_pages(NumPages::new()),
            };
        }
        p
    }
}

/// The logo's part name under word/.
pub fn logo_part(image: &Image) -> String {
    format!("media/logo.{}", image.format.extension())
}

/// header1.xml with the logo's drawing before the first run of its paragraph.
pub fn with_logo(header: &str, logo: &Arc<Image>) -> String {
    let (w, h) = logo.natural_size();
    let scale = LOGO_HEIGHT / h.max(1e-3);
    let emu = |points: f32| (points * EMU_PER_POINT).round().max(1.0) as u64;
    // Word wants every drawing's id unique in the document, headers included: the figures are
    // numbered from 1, the logo takes an id no article reaches.
    let picture = InlinePicture {
        id: 1_000_000,
        name: "logo",
        alt: "logo",
        rid: LOGO_RID,
    };
    let drawing = picture.run(emu(w * scale), emu(LOGO_HEIGHT));
    match header.find("</w:pPr>") {
        Some(i) => {
            let at = i + "</w:pPr>".len();
            format!("{}{drawing}{}", &header[..at], &header[at..])
        }
        None => header.to_string(),
    }
}
