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

/// A part compressed: raw deflate data, CRC-32 and size of the original.
struct Compressed {
    data: Vec<u8>,
    crc: u32,
    size: u64,
}

fn compress(bytes: &[u8]) -> Result<Compressed, String> {
    Ok(Compressed {
        data: crate::compress::raw(bytes)?,
        crc: libdeflater::crc32(bytes),
        size: bytes.len() as u64,
    })
}

/// Packs `(name, bytes)` parts in the order given.
pub fn pack(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let compressed: Vec<Result<Compressed, String>> =
        parts.par_iter().map(|(_, bytes)| compress(bytes)).collect();
    let mut out = Vec::with_capacity(parts.iter().map(|(_, b)| b.len() / 2).sum());
    let mut zip = ZipArchiveWriter::new(&mut out);
    for ((name, _), part) in parts.iter().zip(compressed) {
        let part = part.map_err(|e| format!("{name}: {e}"))?;
        let (mut entry, _) = zip
            .new_file(name.as_str())
            .compression_method(CompressionMethod::DEFLATE)
            .last_modified(UtcDateTime::from_unix(ZIP_EPOCH))
            .unix_permissions(0o644)
            .start()
            .map_err(|e| format!("{name}: {e}"))?;
        entry
            .write_all(&part.data)
            .map_err(|e| format!("{name}: {e}"))?;
        entry
            .finish(DataDescriptorOutput::new(part.crc, part.size))
            .map_err(|e| format!("{name}: {e}"))?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(out)
}
