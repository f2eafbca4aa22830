//! The zip container, packed so that the same parts always give the same bytes: fixed entry order,
//! deflated (images stored: compressed already), timestamps at the zip epoch (1980-01-01), mode 0644, no directory entries.
//!
//! The parts are deflated side by side by the shared compressor ([`crate::compress`], as the PDF's
//! streams are) and written with rawzip, which takes already-compressed data.

use std::io::Write;
use std::sync::Arc;

use rawzip::time::UtcDateTime;
use rawzip::{CompressionMethod, DataDescriptorOutput, ZipArchiveWriter};
use rayon::prelude::*;

/// 1980-01-01 00:00:00 UTC, the earliest time a zip entry can carry.
const ZIP_EPOCH: i64 = 315_532_800;

/// A part of the package.
pub enum Part {
    /// To be deflated here.
    Plain(Vec<u8>),
    /// Stored without compression (images, compressed already).
    Stored(Arc<[u8]>),
    /// Already deflated (the fonts, whose deflate data is shared with the PDF): raw deflate data, the
    /// CRC-32 and size of what it inflates to.
    Deflated { data: Vec<u8>, crc: u32, size: u64 },
}

/// An entry's data as written: deflated here or before, or a stored part's own bytes.
enum Data {
    Deflated(Vec<u8>),
    Stored(Arc<[u8]>),
}

impl Data {
    fn bytes(&self) -> &[u8] {
        match self {
            Data::Deflated(d) => d,
            Data::Stored(s) => s,
        }
    }

    fn method(&self) -> CompressionMethod {
        match self {
            Data::Deflated(_) => CompressionMethod::DEFLATE,
            Data::Stored(_) => CompressionMethod::STORE,
        }
    }
}

/// An entry's data, and the CRC-32 and size of the part.
type Entry = (Data, u32, u64);

impl Part {
    fn entry(self) -> Result<Entry, String> {
        match self {
            Part::Plain(bytes) => Ok((
                Data::Deflated(crate::compress::raw(&bytes)?),
                libdeflater::crc32(&bytes),
                bytes.len() as u64,
            )),
            Part::Stored(bytes) => {
                let (crc, size) = (libdeflater::crc32(&bytes), bytes.len() as u64);
                Ok((Data::Stored(bytes), crc, size))
            }
            Part::Deflated { data, crc, size } => Ok((Data::Deflated(data), crc, size)),
        }
    }
}

/// Packs `(name, part)` in the order given.
pub fn pack(parts: Vec<(String, Part)>) -> Result<Vec<u8>, String> {
    let (names, parts): (Vec<String>, Vec<Part>) = parts.into_iter().unzip();
    let compressed: Vec<Result<Entry, String>> = parts.into_par_iter().map(Part::entry).collect();
    let mut out = Vec::new();
    let mut zip = ZipArchiveWriter::new(&mut out);
    for (name, part) in names.iter().zip(compressed) {
        let (data, crc, size) = part.map_err(|e| format!("{name}: {e}"))?;
        let (mut entry, _) = zip
            .new_file(name.as_str())
            .compression_method(data.method())
            .last_modified(UtcDateTime::from_unix(ZIP_EPOCH))
            .unix_permissions(0o644)
            .start()
            .map_err(|e| format!("{name}: {e}"))?;
        entry
            .write_all(data.bytes())
            .map_err(|e| format!("{name}: {e}"))?;
        entry
            .finish(DataDescriptorOutput::new(crc, size))
            .map_err(|e| format!("{name}: {e}"))?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
