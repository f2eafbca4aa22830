//! The zip container, packed so that the same parts always give the same bytes: fixed entry order,
//! deflated, timestamps at the zip epoch (1980-01-01), mode 0644, no directory entries.
//!
//! The parts are deflated side by side by the shared compressor ([`crate::compress`], as the PDF's
//! streams are) and written with rawzip, which takes already-compressed data.

use std::io::Write;

use rawzip::time::UtcDateTime;
use rawzip::{CompressionMethod, DataDescriptorOutput, ZipArchiveWriter};
use rayon::prelude::*;

/// 1980-01-01 00:00:00 UTC, the earliest time a zip entry can carry.
const ZIP_EPOCH: i64 = 315_532_800;

/// A part of the package.
pub enum Part {
    /// To be deflated here.
    Plain(Vec<u8>),
    /// Already deflated (the fonts, whose deflate data is shared with the PDF): raw deflate data, the
    /// CRC-32 and size of what it inflates to.
    Deflated { data: Vec<u8>, crc: u32, size: u64 },
}

/// Raw deflate data, and the CRC-32 and size of what it inflates to.
type Deflated = (Vec<u8>, u32, u64);

impl Part {
    fn deflated(self) -> Result<Deflated, String> {
        match self {
            Part::Plain(bytes) => Ok((
                crate::compress::raw(&bytes)?,
                libdeflater::crc32(&bytes),
                bytes.len() as u64,
            )),
            Part::Deflated { data, crc, size } => Ok((data, crc, size)),
        }
    }
}

/// Packs `(name, part)` in the order given.
pub fn pack(parts: Vec<(String, Part)>) -> Result<Vec<u8>, String> {
    let (names, parts): (Vec<String>, Vec<Part>) = parts.into_iter().unzip();
    let compressed: Vec<Result<Deflated, String>> =
        parts.into_par_iter().map(Part::deflated).collect();
    let mut out = Vec::new();
    let mut zip = ZipArchiveWriter::new(&mut out);
    for (name, part) in names.iter().zip(compressed) {
        let (data, crc, size) = part.map_err(|e| format!("{name}: {e}"))?;
        let (mut entry, _) = zip
            .new_file(name.as_str())
            .compression_method(CompressionMethod::DEFLATE)
            .last_modified(UtcDateTime::from_unix(ZIP_EPOCH))
            .unix_permissions(0o644)
            .start()
            .map_err(|e| format!("{name}: {e}"))?;
        entry.write_all(&data).map_err(|e| format!("{name}: {e}"))?;
        entry
            .finish(DataDescriptorOutput::new(crc, size))
            .map_err(|e| format!("{name}: {e}"))?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
