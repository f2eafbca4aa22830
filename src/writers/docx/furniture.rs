//! The running header and the footer. The header is on every page but the first (`w:titlePg`, the
//! first page's header left empty), as in the PDF: the article's short title, centred; or, when the
//! house style names the team, its logo and name at the left and the title at a right tab. The
//! footer is the house's pattern, its page numbers Word's PAGE and NUMPAGES fields, on every page.

use std::sync::Arc;

use docx_rs::{
    AlignmentType, Footer, Header, NumPages, PageNum, Paragraph, Run as DocxRun, Tab, TabValueType,
};

use super::body::Builder;
use super::styles::Para;
use crate::image::Image;
use crate::style::FooterPart;
use crate::xml::{clean, escape};

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
        let m = self.style.word_margins;
        let width = self.style.paper.twips().0 - m.left - m.right;
        let tab = Tab::new()
            .val(TabValueType::Right)
            .pos(width.max(0) as usize);
        let mut p = p.align(AlignmentType::Left).add_tab(tab);
        if let Some(text) = &house.text {
            let text = text.clone();
            self.inline.used.add(face, &text);
            let lead = if house.logo.is_some() { " " } else { "" };
            p = p.add_run(DocxRun::new().add_text(format!("{lead}{}", clean(&text))));
        }
        p.add_run(DocxRun::new().add_tab())
            .add_run(DocxRun::new().add_text(clean(title)))
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
    let drawing = drawing(emu(w * scale), emu(LOGO_HEIGHT));
    match header.find("</w:pPr>") {
        Some(i) => {
            let at = i + "</w:pPr>".len();
            format!("{}{drawing}{}", &header[..at], &header[at..])
        }
        None => header.to_string(),
    }
}

/// An inline picture of the logo (`wp:docPr` id 0x4C4F474F, far from the figures' numbers).
fn drawing(cx: u64, cy: u64) -> String {
    const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
    const PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
    let name = escape("logo");
    format!(
        concat!(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
            r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>"#,
            r#"<wp:docPr id="1280263759" name="{name}" descr="{name}"/>"#,
            r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>"#,
            r#"<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">"#,
            r#"<pic:nvPicPr><pic:cNvPr id="1280263759" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>"#,
            r#"<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
            r#"<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>"#,
            r#"</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        ),
        cx = cx,
        cy = cy,
        name = name,
        rid = LOGO_RID,
        a = A,
        pic = PIC,
    )
}
