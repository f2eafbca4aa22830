//! Small PDF values every part of the file needs: text strings, literals, rounded reals and streams
//! deflated by the project's own compressor (lopdf's is zlib's slow level 9), and the error of a PDF
//! that could not be made.

use lopdf::{Dictionary, Object, Stream, StringFormat};

use crate::Error;

/// A PDF text string: UTF-16BE with its byte order mark.
pub(super) fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A literal string of the given bytes, for ASCII values (names of registries, dates, URIs).
pub(super) fn literal(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// A number rounded to 1/100 pt, which no reader can tell from the exact value.
pub(super) fn real(v: f32) -> Object {
    Object::Real((v * 100.0).round() / 100.0)
}

/// The error of a PDF that could not be made, by its cause.
pub(super) fn render_error(cause: String) -> Error {
    Error::Render {
        format: crate::Format::Pdf,
        cause,
    }
}

/// A stream whose content is already deflated.
pub(super) fn deflated_stream(mut dict: Dictionary, bytes: &[u8]) -> Result<Stream, Error> {
    dict.set("Filter", "FlateDecode");
    let deflated = crate::compress::zlib(bytes).map_err(render_error)?;
    Ok(Stream::new(dict, deflated))
}
