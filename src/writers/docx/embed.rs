//! Embedded fonts (ECMA-376 Part 1, 17.8.1 and 17.8.3.3): each face the document sets characters in,
//! as the document's shared subset (with a `cmap`), obfuscated with a key derived from its own bytes.

use std::collections::BTreeSet;

use super::package::Part;
use super::parts::EmbeddedFace;
use crate::fonts::Face;
use crate::fonts::subset::{FontSubset, HEAD, Subsets};

/// One embedded face: its fontTable entry and its part, deflated.
pub struct Embedded {
    pub face: EmbeddedFace,
    pub data: Part,
}

/// Obfuscates each face that sets at least one character of the document, under the family the
/// document sets it under; faces embedded as one (one file set as the body's and the headings' face,
/// cut once: [`crate::fonts::subset`]) are embedded once.
pub fn embed(subsets: &Subsets, used: &[BTreeSet<char>; Face::COUNT]) -> Vec<Embedded> {
    let mut out: Vec<Embedded> = Vec::new();
    for face in Face::ALL {
        let Some(subset) = subsets
            .get(face)
            .filter(|_| !used[face as usize].is_empty())
        else {
            continue;
        };
        let family = subsets.word_family(face);
        let already = out.iter().any(|e| {
            e.face.family == family
                && e.face.bold == face.is_bold()
                && e.face.italic == face.is_italic()
        });
        if already {
            continue;
        }
        let n = out.len() + 1;
        let (key, data) = obfuscate(subset);
        out.push(Embedded {
            face: EmbeddedFace {
                face,
                family: family.to_string(),
                bold: face.is_bold(),
                italic: face.is_italic(),
                part: format!("fonts/font{n}.odttf"),
                rid: format!("rIdFont{n}"),
                key,
            },
            data,
        });
    }
    out
}

/// The font key as Word writes it, `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, taken from a hash of the
/// font (reproducible, and distinct per font), and the font obfuscated with it: the first 32 bytes
/// XORed with the key's 16 bytes in reverse order. Only those bytes change, so the subset's shared
/// deflate data is reused behind them.
pub fn obfuscate(subset: &FontSubset) -> (String, Part) {
    let g = &subset.digest[..16];
    let key = key_text(g);
    let head: Vec<u8> = subset.font[..HEAD.min(subset.font.len())]
        .iter()
        .enumerate()
        .map(|(i, byte)| byte ^ g[15 - i % 16])
        .collect();
    let (data, crc) = subset.deflated_with_head(&head);
    let part = Part::Deflated {
        data,
        crc,
        size: subset.font.len() as u64,
    };
    (key, part)
}

fn key_text(g: &[u8]) -> String {
    let hex =
        |r: std::ops::Range<usize>| g[r].iter().map(|b| format!("{b:02X}")).collect::<String>();
    format!(
        "{{{}-{}-{}-{}-{}}}",
        hex(0..4),
        hex(4..6),
        hex(6..8),
        hex(8..10),
        hex(10..16)
    )
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
        let fonts = crate::fonts::Fonts::locate(None).expect("the repository's fonts");
        let mut needs = crate::fonts::subset::Needs::default();
        needs.chars[Face::SerifRegular as usize].extend("干细胞".chars());
        let subsets = crate::fonts::subset::subset(&fonts, &needs).expect("subsets");
        let subset = subsets.get(Face::SerifRegular).expect("used");
        let (key, part) = obfuscate(subset);
        let Part::Deflated { data, crc, size } = part else {
            panic!("the font part is deflated");
        };
        let mut back = vec![0; size as usize];
        let n = libdeflater::Decompressor::new()
            .deflate_decompress(&data, &mut back)
            .expect("inflates");
        assert_eq!(n, subset.font.len());
        assert_eq!(crc, libdeflater::crc32(&back));
        let k = key_bytes(&key).expect("a key");
        for i in 0..n {
            let expect = if i < 32 {
                subset.font[i] ^ k[i % 16]
            } else {
                subset.font[i]
            };
            assert_eq!(back[i], expect, "byte {i}");
        }
    }
}
