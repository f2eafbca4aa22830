//! The images of figures: read once when the source is loaded, checked (PNG or JPEG, whole, at most
//! [`MAX_SIDE`] pixels a side, inside the source's folder), and kept as the file's own bytes so that
//! every writer embeds them without re-encoding.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The largest image side accepted, in pixels.
pub const MAX_SIDE: u32 = 10_000;
/// The largest image file read.
pub const MAX_BYTES: u64 = 32 << 20;
/// Pixels per inch of an image that does not say (the web's and Word's default).
pub const DEFAULT_DPI: f32 = 96.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

impl ImageFormat {
    /// The file extension and the last part of its MIME type.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpeg",
        }
    }
}

/// What a PNG holds, from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngInfo {
    pub color_type: png::ColorType,
    pub bit_depth: u8,
    pub interlaced: bool,
    /// The palette (RGB triples) of an indexed image.
    pub palette: Option<Vec<u8>>,
    /// A tRNS chunk: transparency without an alpha channel.
    pub transparency: bool,
}

/// A checked image file.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The file as found (for messages).
    pub path: PathBuf,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// Pixels per inch, horizontally and vertically ([`DEFAULT_DPI`] when the file does not say).
    pub dpi: (f32, f32),
    /// Colour components of a JPEG (1 grey, 3 RGB/YCbCr, 4 CMYK).
    pub components: u8,
    pub png: Option<PngInfo>,
    /// The file's bytes, as they are.
    pub bytes: Arc<[u8]>,
}

impl Image {
    /// Natural size in points (72 per inch).
    pub fn natural_size(&self) -> (f32, f32) {
        (
            self.width as f32 * 72.0 / self.dpi.0,
            self.height as f32 * 72.0 / self.dpi.1,
        )
    }
}

/// The images of an article, by the name its figures give them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Images(pub BTreeMap<String, Arc<Image>>);

impl Images {
    pub fn get(&self, name: &str) -> Option<&Arc<Image>> {
        self.0.get(name)
    }
}

/// Reads and checks the image `name` (as a figure gives it) relative to `folder`; the error says what
/// is wrong and what is expected.
pub fn load(folder: &Path, name: &str) -> Result<Image, String> {
    let expected = "expected a PNG or JPEG file";
    let (path, real) = inside(folder, name, "image", expected)?;
    let bytes = read(&real, name)?;
    let mut image = check(&bytes).map_err(|why| format!("image \"{name}\" {why}"))?;
    image.path = path;
    Ok(image)
}

/// A file that a source names (an image, a bibliography) relative to its folder: the path as named
/// and where it really is, or why it is refused. Never an address (nothing is fetched), an absolute
/// path, `..`, or a link that leads out of the folder. `what` names the file in messages ("image");
/// `expected` says what is expected ("expected a PNG or JPEG file").
pub fn inside(
    folder: &Path,
    name: &str,
    what: &str,
    expected: &str,
) -> Result<(PathBuf, PathBuf), String> {
    let relative = relative_path(name, what, expected)?;
    let path = folder.join(relative);
    // A link inside the folder may still lead out of it: compare where both really are.
    let real_folder = folder
        .canonicalize()
        .map_err(|e| format!("cannot read the source's folder: {e}"))?;
    let real = path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "{what} \"{name}\" not found (looked for {}), {expected} beside the source",
            path.display()
        ),
        _ => format!("cannot read {what} \"{name}\": {}", reason(&e)),
    })?;
    if !real.starts_with(&real_folder) {
        return Err(format!(
            "{what} \"{name}\" leads out of the source's folder (to {}), expected a file inside it",
            real.display()
        ));
    }
    Ok((path, real))
}

/// The name as a relative path inside the folder, or why it is not one.
fn relative_path<'n>(name: &'n str, what: &str, expected: &str) -> Result<&'n Path, String> {
    let expected = format!("{expected} named relative to the source's folder");
    if name.trim().is_empty() {
        return Err(format!("empty {what} name, {expected}"));
    }
    if name.contains("://") || name.starts_with("data:") || name.starts_with("//") {
        return Err(format!(
            "{what} \"{name}\" is an address; {what}s are never fetched, {expected}"
        ));
    }
    let path = Path::new(name);
    for component in path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => {
                return Err(format!(
                    "{what} \"{name}\" leaves the source's folder (\"..\"), {expected}"
                ));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("{what} \"{name}\" is an absolute path, {expected}"));
            }
        }
    }
    Ok(path)
}

fn read(path: &Path, name: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let unread = |e: std::io::Error| format!("cannot read image \"{name}\": {}", reason(&e));
    // Asked before opening: opening a FIFO or a device for reading would wait for a writer.
    if !std::fs::metadata(path).map_err(unread)?.is_file() {
        return Err(format!(
            "image \"{name}\" is not a file, expected a PNG or JPEG file"
        ));
    }
    let file = std::fs::File::open(path).map_err(unread)?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unread)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "image \"{name}\" is larger than {} MiB, expected a smaller file",
            MAX_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// Why a file could not be read, in the words the source's own errors use.
fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied, expected a file the user running handout may read".into()
        }
        _ => e.to_string(),
    }
}

/// A decoder's complaint on one line: its own line breaks and runs of spaces folded.
fn one_line(why: &str) -> String {
    why.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks an image's bytes; the error completes "image \"name\" …".
pub fn check(bytes: &[u8]) -> Result<Image, String> {
    let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        check_png(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        check_jpeg(bytes)?
    } else {
        return Err("is neither PNG nor JPEG, expected a PNG or JPEG file".into());
    };
    if image.width == 0 || image.height == 0 {
        return Err("has no pixels, expected an image at least 1 pixel a side".into());
    }
    if image.width > MAX_SIDE || image.height > MAX_SIDE {
        return Err(format!(
            "is {} × {} pixels, expected at most {MAX_SIDE} pixels a side",
            image.width, image.height
        ));
    }
    Ok(image)
}

fn check_png(bytes: &[u8]) -> Result<Image, String> {
    let corrupt = |e: png::DecodingError| {
        format!(
            "is a damaged PNG ({}), expected a whole PNG file",
            one_line(&e.to_string())
        )
    };
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // Refuse huge images before their pixels are allocated.
    decoder.set_limits(png::Limits { bytes: 512 << 20 });
    let header = decoder.read_header_info().map_err(corrupt)?;
    if header.width > MAX_SIDE || header.height > MAX_SIDE {
        return Err(format!(
            "is {} × {} pixels, expected at most {MAX_SIDE} pixels a side",
            header.width, header.height
        ));
    }
    let mut reader = decoder.read_info().map_err(corrupt)?;
    // Decoding every row is what proves the compressed data whole (a PNG is small next to a photo).
    let mut pixels = vec![0; reader.output_buffer_size().unwrap_or(0)];
    reader.next_frame(&mut pixels).map_err(corrupt)?;
    let info = reader.info();
    let dpi = match info.pixel_dims {
        Some(png::PixelDimensions {
            xppu,
            yppu,
            unit: png::Unit::Meter,
        }) if xppu > 0 && yppu > 0 => (xppu as f32 * 0.0254, yppu as f32 * 0.0254),
        _ => (DEFAULT_DPI, DEFAULT_DPI),
    };
    Ok(Image {
        path: PathBuf::new(),
        format: ImageFormat::Png,
        width: info.width,
        height: info.height,
        dpi,
        components: info.color_type.samples() as u8,
        png: Some(PngInfo {
            color_type: info.color_type,
            bit_depth: info.bit_depth as u8,
            interlaced: info.interlaced,
            palette: info.palette.as_ref().map(|p| p.to_vec()),
            transparency: info.trns.is_some(),
        }),
        bytes: Arc::from(bytes),
    })
}

fn check_jpeg(bytes: &[u8]) -> Result<Image, String> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    let mut decoder = zune_jpeg::JpegDecoder::new(ZCursor::new(bytes));
    decoder.decode_headers().map_err(|e| {
        format!(
            "is a damaged JPEG ({}), expected a whole JPEG file",
            one_line(&e.to_string())
        )
    })?;
    let info = decoder
        .info()
        .ok_or("is a damaged JPEG (no frame header), expected a whole JPEG file")?;
    // The headers are whole; a file cut short loses its end-of-image marker.
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Err(
            "is a JPEG cut short (no end-of-image marker), expected a whole JPEG file".into(),
        );
    }
    if !matches!(info.components, 1 | 3 | 4) {
        return Err(format!(
            "is a JPEG with {} colour components, expected grey, RGB or CMYK",
            info.components
        ));
    }
    // JFIF density: unit 1 is per inch, 2 per centimetre.
    let dpi = match (info.pixel_density, info.x_density, info.y_density) {
        (1, x, y) if x > 1 && y > 1 => (f32::from(x), f32::from(y)),
        (2, x, y) if x > 1 && y > 1 => (f32::from(x) * 2.54, f32::from(y) * 2.54),
        _ => (DEFAULT_DPI, DEFAULT_DPI),
    };
    Ok(Image {
        path: PathBuf::new(),
        format: ImageFormat::Jpeg,
        width: u32::from(info.width),
        height: u32::from(info.height),
        dpi,
        components: info.components,
        png: None,
        bytes: Arc::from(bytes),
    })
}

/// A PNG's concatenated IDAT data (the zlib stream of its filtered rows), for a reader that takes
/// them as they are (a PDF with the PNG predictor).
pub fn png_idat(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len =
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let kind = &bytes[at + 4..at + 8];
        let start = at + 8;
        let Some(end) = start.checked_add(len).filter(|&e| e <= bytes.len()) else {
            break;
        };
        if kind == b"IDAT" {
            out.extend_from_slice(&bytes[start..end]);
        }
        at = end + 4;
    }
    out
}

/// A PNG's pixels, 8 bits a sample, as RGB or grey with the alpha (if any) apart: for a reader that
/// cannot take the PNG's rows as they are (alpha, interlacing, 16 bits).
pub struct Pixels {
    /// 1 (grey) or 3 (RGB) samples a pixel.
    pub colors: u8,
    pub color: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

pub fn png_pixels(bytes: &[u8]) -> Result<Pixels, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let out = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(out.buffer_size());
    let (colors, has_alpha) = match out.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return Err("an indexed PNG was not expanded".into()),
    };
    if !has_alpha {
        return Ok(Pixels {
            colors,
            color: buf,
            alpha: None,
        });
    }
    let stride = usize::from(colors) + 1;
    let mut color = Vec::with_capacity(buf.len() / stride * usize::from(colors));
    let mut alpha = Vec::with_capacity(buf.len() / stride);
    for px in buf.chunks_exact(stride) {
        color.extend_from_slice(&px[..stride - 1]);
        alpha.push(px[stride - 1]);
    }
    Ok(Pixels {
        colors,
        color,
        alpha: Some(alpha),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for name in [
            "../x.png",
            "/etc/x.png",
            "https://a.b/x.png",
            "a/../../x.png",
            "",
        ] {
            assert!(relative_path(name, "image", "expected").is_err(), "{name}");
        }
        assert!(relative_path("images/x.png", "image", "expected").is_ok());
    }

    #[test]
    fn other_formats_are_refused() {
        let err = check(b"GIF89a....").unwrap_err();
        assert!(err.contains("neither PNG nor JPEG"), "{err}");
        let err = check(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
        assert!(err.contains("damaged PNG"), "{err}");
    }
}
