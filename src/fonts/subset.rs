//! One subset of each face per document, shared by every format that embeds fonts.
//!
//! A handout's bytes are mostly its font subsets, and cutting and deflating them was most of the work:
//! done once per document here rather than once per format. Each face is cut to the glyphs the formats
//! set (the PDF's shaped glyphs, and the glyphs the `cmap` gives the characters the Word document
//! sets), given a `cmap` for those characters and the original `OS/2` ([`super::sfnt`]), and deflated
//! once. The deflated data starts with the font's first 32 bytes as a stored block, so that the DOCX,
//! which must obfuscate exactly those bytes (ECMA-376 Part 1, 17.8.1), swaps that block and reuses the
//! rest: the PDF and the DOCX share one compression.

use std::collections::BTreeSet;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::{Face, FontError, Fonts, sfnt};

/// How many leading bytes of a font the DOCX obfuscates, and so the stored block holds.
pub const HEAD: usize = 32;

/// What the formats of a document set in each face: glyph ids (as shaped) and characters (to map in
/// the subset's `cmap`).
#[derive(Debug, Clone, Default)]
pub struct Needs {
    pub glyphs: [BTreeSet<u16>; Face::COUNT],
    pub chars: [BTreeSet<char>; Face::COUNT],
}

impl Needs {
    pub fn merge(&mut self, other: &Needs) {
        for face in Face::ALL {
            let i = face as usize;
            self.glyphs[i].extend(&other.glyphs[i]);
            self.chars[i].extend(&other.chars[i]);
        }
    }

    fn is_empty(&self, face: Face) -> bool {
        self.glyphs[face as usize].is_empty() && self.chars[face as usize].is_empty()
    }
}

/// A face cut down to what a document sets.
pub struct FontSubset {
    pub face: Face,
    /// The glyph ids of the original face, in the order of the new ids (new id = index).
    old_ids: Vec<u16>,
    /// The subset font file, uncompressed.
    pub font: Vec<u8>,
    /// SHA-256 of `font`: names the subset in the PDF and keys its obfuscation in the DOCX.
    pub digest: [u8; 32],
    /// Raw deflate data of `font[HEAD..]`, to follow a stored block of the first bytes.
    deflated_tail: Vec<u8>,
}

impl FontSubset {
    /// The new id of a glyph of the original face.
    pub fn new_id(&self, old: u16) -> Option<u16> {
        // old_ids[0] is .notdef; the rest are sorted.
        if old == 0 {
            return Some(0);
        }
        self.old_ids[1..]
            .binary_search(&old)
            .ok()
            .map(|i| (i + 1) as u16)
    }

    /// How many glyphs the subset holds (the glyphs asked for, and the components they are built of).
    pub fn glyph_count(&self) -> u16 {
        ttf_parser::Face::parse(&self.font, 0)
            .map_or(self.old_ids.len() as u16, |f| f.number_of_glyphs())
    }

    /// The font as a zlib stream (PDF's FlateDecode).
    pub fn zlib(&self) -> Vec<u8> {
        let head = &self.font[..HEAD.min(self.font.len())];
        let mut out = Vec::with_capacity(self.deflated_tail.len() + HEAD + 11);
        out.extend_from_slice(&[0x78, 0x01]);
        stored_block(&mut out, head);
        out.extend_from_slice(&self.deflated_tail);
        out.extend_from_slice(&libdeflater::adler32(&self.font).to_be_bytes());
        out
    }

    /// Raw deflate data of the font with its first bytes replaced by `head` (as long as they are), and
    /// the CRC-32 of what it inflates to (a zip entry's).
    pub fn deflated_with_head(&self, head: &[u8]) -> (Vec<u8>, u32) {
        let mut out = Vec::with_capacity(self.deflated_tail.len() + HEAD + 5);
        stored_block(&mut out, head);
        out.extend_from_slice(&self.deflated_tail);
        let mut crc = libdeflater::Crc::new();
        crc.update(head);
        crc.update(&self.font[head.len()..]);
        (out, crc.sum())
    }
}

/// A non-final stored deflate block holding `bytes` (at most 65,535): byte-aligned, so that any deflate
/// data can follow it.
fn stored_block(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = bytes.len() as u16;
    out.push(0); // BFINAL 0, BTYPE 00 (stored), then padding to the byte
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The subsets of a document, by face (none for a face nothing is set in).
pub struct Subsets([Option<FontSubset>; Face::COUNT]);

impl Subsets {
    /// No subset (a document that embeds no font).
    pub fn none() -> Subsets {
        Subsets(Default::default())
    }

    pub fn get(&self, face: Face) -> Option<&FontSubset> {
        self.0[face as usize].as_ref()
    }

    /// The subsets present, in face order.
    pub fn iter(&self) -> impl Iterator<Item = &FontSubset> {
        self.0.iter().flatten()
    }
}

/// Cuts every face a document needs (side by side) and deflates each once.
pub fn subset(fonts: &Fonts, needs: &Needs) -> Result<Subsets, FontError> {
    let cut: Vec<Result<Option<FontSubset>, FontError>> = Face::ALL
        .par_iter()
        .map(|&face| {
            if needs.is_empty(face) {
                return Ok(None);
            }
            cut(fonts, face, needs).map(Some)
        })
        .collect();
    let mut out: [Option<FontSubset>; Face::COUNT] = Default::default();
    for (slot, subset) in out.iter_mut().zip(cut) {
        *slot = subset?;
    }
    Ok(Subsets(out))
}

/// One face cut to what the document sets in it, with a `cmap` and the original `OS/2`, deflated.
fn cut(fonts: &Fonts, face: Face, needs: &Needs) -> Result<FontSubset, FontError> {
    let unusable = |reason: String| FontError::Unreadable {
        file: fonts.dir.join(face.file_name()),
        reason,
    };
    let parsed = fonts.face(face);
    let chars = &needs.chars[face as usize];
    let mapped: Vec<(u32, u16)> = chars
        .iter()
        .filter_map(|&c| Some((c as u32, parsed.glyph_index(c)?.0)))
        .collect();
    let mut glyphs = needs.glyphs[face as usize].clone();
    glyphs.extend(mapped.iter().map(|&(_, g)| g));
    glyphs.remove(&0);
    let mut old_ids = vec![0u16];
    old_ids.extend(&glyphs);
    let mut remapper = GlyphRemapper::new();
    for &g in &old_ids {
        remapper.remap(g);
    }
    let cut = subsetter::subset(fonts.bytes(face), 0, &remapper)
        .map_err(|e| unusable(format!("cannot subset: {e:?}")))?;
    let mut tables =
        sfnt::read_tables(&cut).ok_or_else(|| unusable("the subset font is malformed".into()))?;
    tables.retain(|(tag, _)| tag != b"cmap" && tag != b"OS/2");
    let cmap: Vec<(u32, u16)> = mapped
        .iter()
        .filter_map(|&(c, g)| Some((c, remapper.get(g)?)))
        .collect();
    tables.push((*b"cmap", sfnt::cmap(&cmap)));
    if let Some(os2) = parsed
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"OS/2"))
    {
        tables.push((*b"OS/2", os2.to_vec()));
    }
    let font = sfnt::write_font(tables);
    let deflated_tail = crate::compress::raw(&font[HEAD.min(font.len())..]).map_err(unusable)?;
    Ok(FontSubset {
        face,
        old_ids,
        digest: Sha256::digest(&font).into(),
        font,
        deflated_tail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_deflate_data_inflates_to_the_font_in_both_containers() {
        let fonts = Fonts::locate(None).expect("the repository's fonts");
        let mut needs = Needs::default();
        needs.chars[Face::SerifRegular as usize].extend("干细胞治疗，Treg 1.5%".chars());
        needs.glyphs[Face::SerifRegular as usize].extend([3, 17, 400]);
        let subsets = subset(&fonts, &needs).expect("subsets");
        let s = subsets.get(Face::SerifRegular).expect("the face used");
        assert!(subsets.get(Face::SansBold).is_none());
        let mut d = libdeflater::Decompressor::new();
        let mut back = vec![0; s.font.len()];
        let n = d
            .zlib_decompress(&s.zlib(), &mut back)
            .expect("zlib inflates");
        assert_eq!(&back[..n], &s.font[..]);
        let head: Vec<u8> = s.font[..HEAD].iter().map(|b| b ^ 0x5A).collect();
        let (raw, crc) = s.deflated_with_head(&head);
        let n = d.deflate_decompress(&raw, &mut back).expect("raw inflates");
        assert_eq!(&back[..HEAD], &head[..]);
        assert_eq!(&back[HEAD..n], &s.font[HEAD..]);
        assert_eq!(crc, libdeflater::crc32(&back[..n]));
    }

    #[test]
    fn glyphs_keep_their_order_and_characters_their_glyphs() {
        let fonts = Fonts::locate(None).expect("the repository's fonts");
        let face = Face::SansBold;
        let parsed = fonts.face(face);
        let mut needs = Needs::default();
        needs.glyphs[face as usize].extend([900, 5]);
        needs.chars[face as usize].insert('中');
        let zhong = parsed.glyph_index('中').expect("中").0;
        let subsets = subset(&fonts, &needs).expect("subsets");
        let s = subsets.get(face).expect("used");
        let mut old = [0, 5, 900, zhong];
        old.sort_unstable();
        for (new, &o) in old.iter().enumerate() {
            assert_eq!(s.new_id(o), Some(new as u16), "glyph {o}");
        }
        assert_eq!(s.new_id(901), None);
        let cut = ttf_parser::Face::parse(&s.font, 0).expect("the subset parses");
        assert_eq!(
            cut.glyph_index('中').map(|g| g.0),
            s.new_id(zhong),
            "the cmap maps 中 to its new glyph"
        );
    }
}
