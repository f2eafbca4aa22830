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
#[derive(Clone)]
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

/// The subsets of a document, by face (none for a face nothing is set in), and the family each face
/// is set under in a Word document ([`Fonts::word_family`]).
pub struct Subsets {
    subsets: [Option<FontSubset>; Face::COUNT],
    word_families: [String; Face::COUNT],
}

impl Subsets {
    /// No subset (a document that embeds no font).
    pub fn none() -> Subsets {
        Subsets {
            subsets: Default::default(),
            word_families: Face::ALL.map(|f| f.family().to_string()),
        }
    }

    pub fn get(&self, face: Face) -> Option<&FontSubset> {
        self.subsets[face as usize].as_ref()
    }

    /// The subsets present, in face order.
    pub fn iter(&self) -> impl Iterator<Item = &FontSubset> {
        self.subsets.iter().flatten()
    }

    /// The family a Word document sets the face under ([`Fonts::word_family`]).
    pub fn word_family(&self, face: Face) -> &str {
        &self.word_families[face as usize]
    }
}

/// The faces embedded in a Word document as one: those read from the same file and set under the
/// same family and style (the body's and the headings' faces when both are one family's files).
/// Each is cut from what all of them set, so that the one embedded serves them all.
fn embedded_as_one(fonts: &Fonts, face: Face) -> impl Iterator<Item = Face> + '_ {
    Face::ALL.into_iter().filter(move |&other| {
        other.style_name() == face.style_name()
            && fonts.word_family(other) == fonts.word_family(face)
            && fonts.same_file(other, face)
    })
}

/// Cuts every face a document needs (side by side) and deflates each once.
pub fn subset(fonts: &Fonts, needs: &Needs) -> Result<Subsets, FontError> {
    let used: Vec<Face> = Face::ALL
        .into_iter()
        .filter(|&f| !needs.is_empty(f))
        .collect();
    // The first used face of each set embedded as one is cut; the others share its subset.
    let first = |face: Face| {
        embedded_as_one(fonts, face)
            .find(|f| used.contains(f))
            .unwrap_or(face)
    };
    let leads: Vec<Face> = used.iter().copied().filter(|&f| first(f) == f).collect();
    let cut: Vec<Result<FontSubset, FontError>> = leads
        .par_iter()
        .map(|&face| cut(fonts, face, needs))
        .collect();
    let mut subsets: [Option<FontSubset>; Face::COUNT] = Default::default();
    for (&lead, c) in leads.iter().zip(cut) {
        let c = c?;
        // The lead's cut serves every face embedded as one with it.
        for &face in used.iter().filter(|&&f| first(f) == lead) {
            subsets[face as usize] = Some(FontSubset { face, ..c.clone() });
        }
    }
    Ok(Subsets {
        subsets,
        word_families: Face::ALL.map(|f| fonts.word_family(f).to_string()),
    })
}

/// One face cut to what the document sets in it (and in the faces embedded as one with it), with a
/// `cmap` and the original `OS/2`, named as the Word document names it, deflated.
fn cut(fonts: &Fonts, face: Face, needs: &Needs) -> Result<FontSubset, FontError> {
    let unusable = |reason: String| FontError::Unreadable {
        file: fonts.path(face).to_path_buf(),
        reason,
    };
    let parsed = fonts.face(face)?;
    let mut chars: BTreeSet<char> = BTreeSet::new();
    let mut glyphs: BTreeSet<u16> = BTreeSet::new();
    for f in embedded_as_one(fonts, face) {
        chars.extend(&needs.chars[f as usize]);
        glyphs.extend(&needs.glyphs[f as usize]);
    }
    let mapped: Vec<(u32, u16)> = chars
        .iter()
        .filter_map(|&c| Some((c as u32, parsed.glyph_index(c)?.0)))
        .collect();
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
    claim(&mut tables, fonts.word_family(face), face);
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

/// Names a subset as the Word document sets it: Word (and LibreOffice) find an embedded face by
/// the family its own `name` table gives (ID 1, subsetter keeps no typographic family) and by its
/// weight and style bits, so a face set under another family than its own (a Light face as a
/// family's regular, another family's face as the headings' regular), or as a bold that is not one,
/// is given the family, style and bits it stands for. A face already named so is left as it is (the
/// default faces always are).
fn claim(tables: &mut sfnt::Tables, family: &str, face: Face) {
    let want = sfnt::StyleBits {
        bold: face.is_bold(),
        italic: face.is_italic(),
    };
    let style = face.style_name();
    let table = |tables: &sfnt::Tables, tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag);
    let names = table(tables, b"name").and_then(|at| sfnt::read_names(&tables[at].1));
    let english = |id: u16| {
        names
            .iter()
            .flatten()
            .find(|r| r.0 == 3 && r.1 == 1 && r.2 == 0x0409 && r.3 == id)
    };
    let is = |id: u16, text: &str| english(id).is_some_and(|r| r.4 == sfnt::utf16be(text));
    let os2_ok = table(tables, b"OS/2").is_none_or(|at| sfnt::os2_says(&tables[at].1, want));
    if is(1, family) && is(2, style) && os2_ok {
        return;
    }
    // Keep the copyright, licence and the like; replace every name of the family and the face.
    const NAMING: [u16; 9] = [1, 2, 3, 4, 6, 16, 17, 21, 22];
    let mut records: Vec<sfnt::NameRecord> = names
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !NAMING.contains(&r.3))
        .collect();
    let full = if style == "Regular" {
        family.to_string()
    } else {
        format!("{family} {style}")
    };
    let mut postscript: String = family
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(50)
        .collect();
    if postscript.is_empty() {
        postscript = "Handout".into();
    }
    let postscript = format!("{postscript}-{style}");
    for (id, text) in [
        (1, family),
        (2, style),
        (3, postscript.as_str()),
        (4, full.as_str()),
        (6, postscript.as_str()),
    ] {
        records.push((3, 1, 0x0409, id, sfnt::utf16be(text)));
    }
    let name = sfnt::write_names(records);
    match table(tables, b"name") {
        Some(at) => tables[at].1 = name,
        None => tables.push((*b"name", name)),
    }
    let (os2, head) = (table(tables, b"OS/2"), table(tables, b"head"));
    let mut os2_data = os2.map(|at| std::mem::take(&mut tables[at].1));
    let mut head_data = head.map(|at| std::mem::take(&mut tables[at].1));
    sfnt::set_style(os2_data.as_mut(), head_data.as_mut(), want);
    if let (Some(at), Some(data)) = (os2, os2_data) {
        tables[at].1 = data;
    }
    if let (Some(at), Some(data)) = (head, head_data) {
        tables[at].1 = data;
    }
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
        let parsed = fonts.face(face).expect("the face parses");
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

    /// The subsetter's tables of a face, cut to a few glyphs.
    fn cut_tables(fonts: &Fonts, face: Face) -> sfnt::Tables {
        let mut remapper = GlyphRemapper::new();
        for g in [0, 3, 17] {
            remapper.remap(g);
        }
        let cut = subsetter::subset(fonts.bytes(face), 0, &remapper).expect("subset");
        let mut tables = sfnt::read_tables(&cut).expect("tables");
        let os2 = fonts
            .face(face)
            .expect("the face parses")
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"OS/2"))
            .expect("OS/2")
            .to_vec();
        tables.push((*b"OS/2", os2));
        tables
    }

    #[test]
    fn the_default_faces_keep_their_own_names() {
        let fonts = Fonts::locate(None).expect("the repository's fonts");
        for face in Face::ALL {
            let tables = cut_tables(&fonts, face);
            let mut claimed = tables.clone();
            claim(&mut claimed, fonts.word_family(face), face);
            assert!(claimed == tables, "{face:?} was renamed");
        }
    }

    #[test]
    fn a_face_set_under_another_family_or_style_is_renamed_so() {
        let fonts = Fonts::locate(None).expect("the repository's fonts");
        // The sans regular, set as the bold of a family called "House Kai".
        let mut tables = cut_tables(&fonts, Face::SansRegular);
        claim(&mut tables, "House Kai", Face::SerifBold);
        let font = sfnt::write_font(tables);
        let face = ttf_parser::Face::parse(&font, 0).expect("parses");
        let name = |id: u16| {
            face.names()
                .into_iter()
                .filter(|n| n.name_id == id && n.language_id == 0x0409)
                .find_map(|n| n.to_string())
        };
        assert_eq!(name(1).as_deref(), Some("House Kai"));
        assert_eq!(name(2).as_deref(), Some("Bold"));
        assert_eq!(name(4).as_deref(), Some("House Kai Bold"));
        assert_eq!(name(6).as_deref(), Some("HouseKai-Bold"));
        assert!(name(0).is_some(), "the copyright is kept");
        assert_eq!(
            face.names().into_iter().filter(|n| n.name_id == 1).count(),
            1,
            "no other family name is left"
        );
        assert!(face.is_bold() && !face.is_italic());
        assert_eq!(face.weight(), ttf_parser::Weight::Bold);
        assert_eq!(
            crate::fonts::family_name(&face).as_deref(),
            Some("House Kai")
        );
    }
}
