//! The figures' images as image XObjects, each file embedded once however often it is drawn. A JPEG
//! is its own bytes (DCTDecode, never re-encoded). A PNG is its own compressed rows under the PNG
//! predictor when a PDF reader can take them so (no alpha channel, no transparency, not interlaced),
//! its palette as an /Indexed colour space; any other PNG is decoded and written anew, its alpha as
//! a soft mask.

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};

use super::objects::{deflated_stream, render_error};
use crate::Error;
use crate::image::{Image, ImageFormat, png_idat, png_pixels};
use crate::layout::{Document, Page};

/// The embedded images: each one's resource name and object, and which is drawn for each image of
/// the pages.
#[derive(Debug, Default)]
pub(super) struct Images {
    objects: Vec<(String, ObjectId)>,
    /// The image loaded in memory (its address: the pages share the article's) -> index in
    /// `objects`. Only looked up, never listed, so the addresses never reach the file.
    drawn: BTreeMap<usize, usize>,
}

fn address(image: &Arc<Image>) -> usize {
    Arc::as_ptr(image) as usize
}

impl Images {
    /// The resource name an image is drawn with.
    pub(super) fn name(&self, image: &Arc<Image>) -> Option<&str> {
        let i = self.drawn.get(&address(image))?;
        self.objects.get(*i).map(|(name, _)| name.as_str())
    }

    /// The page's /XObject resources: the images it draws, or `None` when it draws none.
    pub(super) fn resources(&self, page: &Page) -> Option<Dictionary> {
        let mut d = Dictionary::new();
        for p in page.pictures.iter().chain(&page.furniture_images) {
            if let Some(&i) = self.drawn.get(&address(&p.image)) {
                let (name, id) = &self.objects[i];
                d.set(name.as_bytes().to_vec(), *id);
            }
        }
        (!d.is_empty()).then_some(d)
    }
}

/// Adds an XObject for every image the pages draw, in the order they are first drawn; files with the
/// same bytes share one.
pub(super) fn embed(pdf: &mut Pdf, doc: &Document) -> Result<Images, Error> {
    let mut images = Images::default();
    let mut by_digest: BTreeMap<[u8; 32], usize> = BTreeMap::new();
    let drawn = doc
        .pages
        .iter()
        .flat_map(|p| p.pictures.iter().chain(&p.furniture_images));
    for picture in drawn {
        let key = address(&picture.image);
        if images.drawn.contains_key(&key) {
            continue;
        }
        let digest: [u8; 32] = Sha256::digest(&picture.image.bytes[..]).into();
        let index = match by_digest.get(&digest) {
            Some(&i) => i,
            None => {
                let id = add(pdf, &picture.image)?;
                images
                    .objects
                    .push((format!("Im{}", images.objects.len()), id));
                by_digest.insert(digest, images.objects.len() - 1);
                images.objects.len() - 1
            }
        };
        images.drawn.insert(key, index);
    }
    Ok(images)
}

/// Adds one image's XObject (and its soft mask, if any).
fn add(pdf: &mut Pdf, image: &Image) -> Result<ObjectId, Error> {
    let stream = match image.format {
        ImageFormat::Jpeg => jpeg(image),
        ImageFormat::Png => match passed_through(image) {
            Some(stream) => stream,
            None => decoded(pdf, image)?,
        },
    };
    Ok(pdf.add_object(stream))
}

fn image_dict(image: &Image, colour_space: Object, bits: u8) -> Dictionary {
    dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => image.width as i64,
        "Height" => image.height as i64,
        "ColorSpace" => colour_space,
        "BitsPerComponent" => bits as i64,
    }
}

fn device(colours: u8) -> Object {
    Object::Name(
        match colours {
            1 => "DeviceGray",
            4 => "DeviceCMYK",
            _ => "DeviceRGB",
        }
        .into(),
    )
}

/// A JPEG as it is.
fn jpeg(image: &Image) -> Stream {
    let mut d = image_dict(image, device(image.components), 8);
    d.set("Filter", "DCTDecode");
    // Adobe's CMYK JPEGs store their inks inverted (and say so with an APP14 marker).
    if image.components == 4 && has_adobe_marker(&image.bytes) {
        let decode: Vec<Object> = [1, 0, 1, 0, 1, 0, 1, 0].map(Object::Integer).into();
        d.set("Decode", decode);
    }
    Stream::new(d, image.bytes.to_vec()).with_compression(false)
}

/// Whether a JPEG's header has Adobe's APP14 segment.
pub(super) fn has_adobe_marker(bytes: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        match marker {
            // Fill bytes, and markers without a length.
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 => at += 2,
            // Start of scan: the header is over.
            0xDA | 0xD9 => return false,
            _ => {
                let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
                let data = bytes.get(at + 4..(at + 2 + len).min(bytes.len()));
                if marker == 0xEE && data.is_some_and(|d| d.starts_with(b"Adobe")) {
                    return true;
                }
                at += 2 + len;
            }
        }
    }
    false
}

/// A PNG's own rows under the PNG predictor, when a PDF reader can take them as they are.
fn passed_through(image: &Image) -> Option<Stream> {
    let info = image.png.as_ref()?;
    if info.interlaced || info.transparency {
        return None;
    }
    let (colours, space) = match info.color_type {
        png::ColorType::Grayscale => (1, device(1)),
        png::ColorType::Rgb => (3, device(3)),
        png::ColorType::Indexed => (1, indexed(info.palette.as_deref()?)?),
        png::ColorType::GrayscaleAlpha | png::ColorType::Rgba => return None,
    };
    let mut d = image_dict(image, space, info.bit_depth);
    d.set("Filter", "FlateDecode");
    d.set(
        "DecodeParms",
        dictionary! {
            "Predictor" => 15,
            "Colors" => colours,
            "BitsPerComponent" => info.bit_depth as i64,
            "Columns" => image.width as i64,
        },
    );
    Some(Stream::new(d, png_idat(&image.bytes)).with_compression(false))
}

/// The /Indexed colour space of a PNG palette (RGB triples).
fn indexed(palette: &[u8]) -> Option<Object> {
    let entries = palette.len() / 3;
    if entries == 0 || entries > 256 {
        return None;
    }
    Some(Object::Array(vec![
        Object::Name(b"Indexed".to_vec()),
        device(3),
        Object::Integer(entries as i64 - 1),
        Object::String(palette[..entries * 3].to_vec(), StringFormat::Hexadecimal),
    ]))
}

/// A PNG decoded to 8-bit samples and deflated anew, its alpha (when not all opaque) a soft mask.
fn decoded(pdf: &mut Pdf, image: &Image) -> Result<Stream, Error> {
    let pixels = png_pixels(&image.bytes)
        .map_err(|e| render_error(format!("image {}: {e}", image.path.display())))?;
    let mut d = image_dict(image, device(pixels.colors), 8);
    if let Some(alpha) = pixels.alpha.filter(|a| a.iter().any(|&v| v != 255)) {
        let mask = deflated_stream(image_dict(image, device(1), 8), &alpha)?;
        d.set("SMask", pdf.add_object(mask));
    }
    let stream = deflated_stream(d, &pixels.color)?;
    Ok(stream.with_compression(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 4 × 2 PNG of the given colour type (8 bits), with a palette and transparency if given.
    fn png_file(color: png::ColorType, palette: Option<&[u8]>, trns: Option<&[u8]>) -> Image {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 4, 2);
        encoder.set_color(color);
        encoder.set_depth(png::BitDepth::Eight);
        if let Some(p) = palette {
            encoder.set_palette(p.to_vec());
        }
        if let Some(t) = trns {
            encoder.set_trns(t.to_vec());
        }
        let samples = color.samples();
        let pixels: Vec<u8> = (0..8 * samples).map(|i| (i % 2) as u8).collect();
        let mut writer = encoder.write_header().expect("header");
        writer.write_image_data(&pixels).expect("rows");
        writer.finish().expect("a PNG");
        crate::image::check(&out).expect("a valid PNG")
    }

    #[test]
    fn a_grey_png_keeps_its_rows_under_the_png_predictor() {
        let image = png_file(png::ColorType::Grayscale, None, None);
        let stream = passed_through(&image).expect("passed through");
        assert_eq!(stream.content, png_idat(&image.bytes));
        assert_eq!(
            stream
                .dict
                .get(b"ColorSpace")
                .and_then(Object::as_name)
                .ok(),
            Some(&b"DeviceGray"[..])
        );
    }

    #[test]
    fn a_palette_png_with_transparency_is_decoded_with_a_soft_mask() {
        let palette = [255, 0, 0, 0, 0, 255];
        let image = png_file(png::ColorType::Indexed, Some(&palette), Some(&[0, 255]));
        assert!(passed_through(&image).is_none());
        let mut pdf = Pdf::with_version("1.7");
        let stream = decoded(&mut pdf, &image).expect("decoded");
        assert!(stream.dict.has(b"SMask"));
        let mut copy = stream.clone();
        copy.decompress().expect("deflated");
        assert_eq!(copy.content.len(), 4 * 2 * 3, "RGB samples");
    }

    #[test]
    fn the_adobe_marker_is_found_in_the_header_only() {
        let app14 = [
            0xFF, 0xEE, 0x00, 0x0E, b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, 2,
        ];
        let jfif = [0xFF, 0xE0, 0x00, 0x06, b'J', b'F', b'I', b'F'];
        let scan = [0xFF, 0xDA, 0x00, 0x02];
        let with = [&[0xFF, 0xD8][..], &jfif, &app14, &scan].concat();
        assert!(has_adobe_marker(&with));
        let without = [&[0xFF, 0xD8][..], &jfif, &scan, &app14].concat();
        assert!(!has_adobe_marker(&without));
    }
}
