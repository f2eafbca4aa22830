//! Embedded fonts (ECMA-376 Part 1, 17.8.1 and 17.8.3.3): each face the document uses, subset to
//! the characters set in it, with a `cmap`, obfuscated with a key derived from its own bytes.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::parts::EmbeddedFace;
use super::sfnt;
use crate::fonts::{Face, FontError, Fonts};

/// One embedded face: its fontTable entry and the obfuscated bytes.
pub struct Embedded {
    pub face: EmbeddedFace,
    pub data: Vec<u8>,
}

/// Subsets, completes and obfuscates each face that sets at least one character.
pub fn embed(fonts: &Fonts, used: &[BTreeSet<char>; 4]) -> Result<Vec<Embedded>, FontError> {
    let mut out = Vec::new();
    for face in Face::ALL {
        let chars = &used[face as usize];
        if chars.is_empty() {
            continue;
        }
        let subset = subset(fonts, face, chars)?;
        let n = out.len() + 1;
        let (key, data) = obfuscate(subset);
        out.push(Embedded {
            face: EmbeddedFace {
                family: face.family(),
                bold: face.is_bold(),
                part: format!("fonts/font{n}.odttf"),
                rid: format!("rIdFont{n}"),
                key,
            },
            data,
        });
    }
    Ok(out)
}

/// The face cut down to `chars`, with a cmap for them and the original OS/2 (embedding rights).
pub fn subset(fonts: &Fonts, face: Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, FontError> {
    let unusable = |reason: String| FontError::Unreadable {
        file: fonts.dir.join(face.file_name()),
        reason,
    };
    let bytes = fonts.bytes(face);
    let parsed = ttf_parser::Face::parse(bytes, 0)
        .map_err(|e| unusable(format!("not a usable TrueType font ({e})")))?;
    let mut remapper = GlyphRemapper::new();
    remapper.remap(0);
    let map: Vec<(u32, u16)> = chars
        .iter()
        .filter_map(|&c| Some((c as u32, remapper.remap(parsed.glyph_index(c)?.0))))
        .collect();
    let cut = subsetter::subset(bytes, 0, &remapper)
        .map_err(|e| unusable(format!("cannot subset: {e:?}")))?;
    let mut tables =
        sfnt::read_tables(&cut).ok_or_else(|| unusable("the subset font is malformed".into()))?;
    tables.retain(|(tag, _)| tag != b"cmap" && tag != b"OS/2");
    tables.push((*b"cmap", sfnt::cmap(&map)));
    if let Some(os2) = parsed
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"OS/2"))
    {
        tables.push((*b"OS/2", os2.to_vec()));
    }
    Ok(sfnt::write_font(tables))
}

/// The font key as Word writes it, `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, taken from a hash of the
/// font (reproducible, and distinct per font), and the font obfuscated with it: the first 32 bytes
/// XORed with the key's 16 bytes in reverse order.
pub fn obfuscate(mut font: Vec<u8>) -> (String, Vec<u8>) {
    let hash = Sha256::digest(&font);
    let g: Vec<u8> = hash.iter().take(16).copied().collect();
    let hex =
        |r: std::ops::Range<usize>| g[r].iter().map(|b| format!("{b:02X}")).collect::<String>();
    let key = format!(
        "{{{}-{}-{}-{}-{}}}",
        hex(0..4),
        hex(4..6),
        hex(6..8),
        hex(8..10),
        hex(10..16)
    );
    for (i, byte) in font.iter_mut().take(32).enumerate() {
        *byte ^= g[15 - i % 16];
    }
    (key, font)
}

#[cfg(test)]
/// The 16 key bytes of a written font key, in the order they are XORed (ECMA-376 17.8.1).
pub fn key_bytes(key: &str) -> Option<[u8; 16]> {
    let digits: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    if digits.len() != 32 {
        return None;
    }
    let mut g = [0u8; 16];
    for (i, b) in g.iter_mut().enumerate() {
        *b = u8::from_str_radix(digits.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    g.reverse();
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_s_example_key() {
        let key = key_bytes("{001B70DC-AA60-4AD5-90EC-18A0948E1EAE}").expect("a key");
        assert_eq!(
            key,
            [
                0xAE, 0x1E, 0x8E, 0x94, 0xA0, 0x18, 0xEC, 0x90, 0xD5, 0x4A, 0x60, 0xAA, 0xDC, 0x70,
                0x1B, 0x00
            ]
        );
    }

    #[test]
    fn obfuscation_uses_the_written_key() {
        let font: Vec<u8> = (0..64).collect();
        let (key, data) = obfuscate(font.clone());
        let k = key_bytes(&key).expect("a key");
        for i in 0..64 {
            let expect = if i < 32 { font[i] ^ k[i % 16] } else { font[i] };
            assert_eq!(data[i], expect);
        }
    }
}
