//! Figures: the image as an inline drawing on a line of its own, the caption below ("图" and a
//! `SEQ 图` field). docx-rs's `Pic::new` re-encodes images to PNG and numbers pictures from a
//! process-wide counter, and its drawing has no alt text; so the drawing is written here, put into
//! the figure's paragraph by [`super::fill`], and the file's own bytes are stored in word/media
//! (each distinct file once), with relationship ids of this document's own.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::body::Builder;
use super::styles::Para;
use crate::image::Image;
use crate::walk;
use crate::xml::escape;

/// Height kept free below a figure for its caption, so that both fit on a page.
const CAPTION_ROOM: f32 = 72.0;
const EMU_PER_POINT: f32 = 12_700.0;

/// The distinct image files of the document, in order of first use.
#[derive(Debug, Default)]
pub struct Media {
    pub images: Vec<Arc<Image>>,
    by_bytes: BTreeMap<Arc<[u8]>, usize>,
}

impl Media {
    /// The index of the image's part; the same bytes met again are the same part.
    fn add(&mut self, image: &Arc<Image>) -> usize {
        let next = self.images.len();
        let index = *self.by_bytes.entry(image.bytes.clone()).or_insert(next);
        if index == next {
            self.images.push(image.clone());
        }
        index
    }
}

/// The part name of image `index` under word/.
pub fn media_part(index: usize, image: &Image) -> String {
    format!("media/image{}.{}", index + 1, image.format.extension())
}

pub fn media_rid(index: usize) -> String {
    format!("rIdImage{}", index + 1)
}

impl Builder<'_> {
    pub(super) fn figure_block(&mut self, figure: &walk::Figure) {
        let index = self.media.add(&figure.image);
        let (cx, cy) = extent(figure, self.style);
        self.drawings.push(drawing(figure, index, cx, cy));
        // Empty: the drawing goes in after docx-rs has written it.
        let p = self.new_paragraph(Para::Figure);
        self.docx = std::mem::take(&mut self.docx).add_paragraph(p);
        self.caption("图", figure.number, &figure.caption, false);
    }
}

/// The size of the picture in EMU: the figure's fraction of the text width, or the image's natural
/// size no wider than the text block; then no taller than the page leaves with room for the caption.
pub fn extent(figure: &walk::Figure, style: &crate::style::Style) -> (u64, u64) {
    let (text_width, text_height) = (style.word_text_width(), style.word_text_height());
    let (natural_w, natural_h) = figure.image.natural_size();
    let aspect = natural_h / natural_w.max(f32::MIN_POSITIVE);
    let mut width = match figure.width {
        Some(fraction) => fraction.clamp(0.0, 1.0) * text_width,
        None => natural_w.min(text_width),
    };
    let max_height = text_height - CAPTION_ROOM;
    if width * aspect > max_height {
        width = max_height / aspect;
    }
    let emu = |points: f32| (points * EMU_PER_POINT).round().max(1.0) as u64;
    (emu(width), emu(width * aspect))
}

/// The drawing run: an inline picture of image part `index`, `descr` the alt text, `wp:docPr` ids
/// the figure numbers (unique in the document, as Word requires).
fn drawing(figure: &walk::Figure, index: usize, cx: u64, cy: u64) -> String {
    let picture = InlinePicture {
        id: figure.number as u64,
        name: &figure.label,
        alt: &figure.alt,
        rid: &media_rid(index),
    };
    picture.run(cx, cy)
}

/// An inline picture: its `wp:docPr` id (unique in its part), name, alt text and the relationship
/// of its image.
pub(super) struct InlinePicture<'a> {
    pub(super) id: u64,
    pub(super) name: &'a str,
    pub(super) alt: &'a str,
    pub(super) rid: &'a str,
}

impl InlinePicture<'_> {
    /// The drawing run, `cx` × `cy` EMU.
    pub(super) fn run(&self, cx: u64, cy: u64) -> String {
        let (id, rid) = (self.id, self.rid);
        let (name, alt) = (escape(self.name), escape(self.alt));
        const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
        const PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
        format!(
            concat!(
                r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
                r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>"#,
                r#"<wp:docPr id="{id}" name="{name}" descr="{alt}"/>"#,
                r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>"#,
                r#"<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">"#,
                r#"<pic:nvPicPr><pic:cNvPr id="{id}" name="{name}" descr="{alt}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>"#,
                r#"<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
                r#"<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>"#,
                r#"</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
            ),
            cx = cx,
            cy = cy,
            id = id,
            name = name,
            alt = alt,
            rid = rid,
            a = A,
            pic = PIC,
        )
    }
}
