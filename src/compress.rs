//! Deflate, shared by the PDF streams and the DOCX package: libdeflate, one compressor per thread.
//!
//! Most of a handout's bytes are its embedded font subsets, and compressing them was most of the time
//! a handout took. Measured on the seed article (PDF / DOCX bytes, 200-article batch on 2 cores):
//! level 6 gives 233 / 228 KB in 2.52 s, level 4 237 / 231 KB in 2.31 s, level 1 242 / 237 KB in
//! 1.96 s. Level 1 is chosen: 4 % more bytes for 29 % more handouts a second.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};

const LEVEL: i32 = 1;

thread_local! {
    // A compressor holds about a megabyte of tables: one per thread, not one per stream.
    static COMPRESSOR: RefCell<Compressor> = RefCell::new(Compressor::new(
        CompressionLvl::new(LEVEL).unwrap_or_default(),
    ));
}

/// A zlib stream (PDF's FlateDecode).
pub fn zlib(bytes: &[u8]) -> Result<Vec<u8>, String> {
    with_compressor(
        bytes,
        Compressor::zlib_compress_bound,
        Compressor::zlib_compress,
    )
}

/// Raw deflate data (a zip entry's).
pub fn raw(bytes: &[u8]) -> Result<Vec<u8>, String> {
    with_compressor(
        bytes,
        Compressor::deflate_compress_bound,
        Compressor::deflate_compress,
    )
}

/// One of libdeflate's compression functions: input, output buffer, bytes written.
type Compress<E> = fn(&mut Compressor, &[u8], &mut [u8]) -> Result<usize, E>;

/// Compresses into a buffer of libdeflate's bound for the input, with this thread's compressor.
fn with_compressor<E: std::fmt::Debug>(
    bytes: &[u8],
    bound: fn(&mut Compressor, usize) -> usize,
    compress: Compress<E>,
) -> Result<Vec<u8>, String> {
    COMPRESSOR.with_borrow_mut(|c| {
        let mut out = vec![0; bound(c, bytes.len())];
        let n = compress(c, bytes, &mut out).map_err(|e| format!("cannot compress: {e:?}"))?;
        out.truncate(n);
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_containers_inflate_back() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut d = libdeflater::Decompressor::new();
        let mut back = vec![0; data.len()];
        let n = d
            .zlib_decompress(&super::zlib(&data).expect("zlib"), &mut back)
            .expect("inflates");
        assert_eq!(&back[..n], &data[..]);
        let n = d
            .deflate_decompress(&super::raw(&data).expect("raw"), &mut back)
            .expect("inflates");
        assert_eq!(&back[..n], &data[..]);
        assert!(super::zlib(&[]).is_ok());
    }
}
