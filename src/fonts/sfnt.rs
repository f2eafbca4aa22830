//! Just enough of the OpenType container to put back what `subsetter` 0.2.6 leaves out of a subset.
//!
//! subsetter is written for PDF CID fonts: it drops `cmap` (a PDF carries its own) and `OS/2`. A font
//! embedded in a Word document is installed as a real font by the reader, which maps characters
//! through `cmap` and reads the embedding rights from `OS/2`. So the subset is re-assembled here with
//! a new `cmap` (the characters used, mapped to their new glyph ids) and the original `OS/2`; the PDF
//! embeds the same subset, where both tables are harmless and the `cmap` helps tools that extract it.

/// The tables of a font: (tag, data), any order.
pub type Tables = Vec<([u8; 4], Vec<u8>)>;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Reads the table directory of a single font (not a collection).
pub fn read_tables(font: &[u8]) -> Option<Tables> {
    let count = usize::from(u16_at(font, 4)?);
    let mut tables = Vec::with_capacity(count);
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let offset = u32_at(font, rec + 8)? as usize;
        let length = u32_at(font, rec + 12)? as usize;
        tables.push((tag, font.get(offset..offset.checked_add(length)?)?.to_vec()));
    }
    Some(tables)
}

fn checksum(data: &[u8]) -> u32 {
    // Whole words read directly (a copy per word into a buffer showed in profiles); the tail, if any,
    // padded with zeros as the format says.
    let words = data.chunks_exact(4);
    let tail = words.remainder();
    let sum = words.fold(0u32, |sum, w| {
        sum.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    let mut last = [0u8; 4];
    last[..tail.len()].copy_from_slice(tail);
    sum.wrapping_add(u32::from_be_bytes(last))
}

/// Writes a TrueType font from its tables: sorted directory, 4-byte aligned tables, checksums and the
/// `head` checksum adjustment.
pub fn write_font(mut tables: Tables) -> Vec<u8> {
    tables.sort_by_key(|t| t.0);
    let count = tables.len() as u16;
    let selector = if count == 0 {
        0
    } else {
        15 - count.leading_zeros() as u16
    };
    let range = (1u16 << selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [count, range, selector, count * 16 - range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &mut tables {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset + 8);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// Runs of consecutive characters mapped to consecutive glyphs: (first char, last char, first glyph).
fn ranges(map: &[(u32, u16)]) -> Vec<(u32, u32, u16)> {
    let mut out: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in map {
        match out.last_mut() {
            Some((first, last, g0))
                if c == *last + 1 && u32::from(*g0) + (c - *first) == u32::from(g) =>
            {
                *last = c
            }
            _ => out.push((c, c, g)),
        }
    }
    out
}

/// A `cmap` table for `map` (code point, glyph id), sorted by code point: format 4 for the Basic
/// Multilingual Plane (what every reader knows) and format 12 for all of it.
pub fn cmap(map: &[(u32, u16)]) -> Vec<u8> {
    let bmp: Vec<(u32, u16)> = map.iter().copied().filter(|&(c, _)| c < 0xFFFF).collect();
    let mut subtables: Vec<(u16, Vec<u8>)> = Vec::new();
    let mut segments = ranges(&bmp);
    segments.push((0xFFFF, 0xFFFF, 0));
    let seg_count = segments.len();
    let len4 = 16 + 8 * seg_count;
    if len4 <= usize::from(u16::MAX) {
        let mut t = Vec::with_capacity(len4);
        let selector = 15 - (seg_count as u16).leading_zeros() as u16;
        let range = (1u16 << selector) * 2;
        for v in [
            4,
            len4 as u16,
            0,
            2 * seg_count as u16,
            range,
            selector,
            2 * seg_count as u16 - range,
        ] {
            t.extend_from_slice(&v.to_be_bytes());
        }
        segments
            .iter()
            .for_each(|s| t.extend_from_slice(&(s.1 as u16).to_be_bytes()));
        t.extend_from_slice(&0u16.to_be_bytes());
        segments
            .iter()
            .for_each(|s| t.extend_from_slice(&(s.0 as u16).to_be_bytes()));
        for s in &segments {
            // The last segment maps 0xFFFF to glyph 0: delta 1.
            let delta = if s.0 == 0xFFFF {
                1
            } else {
                s.2.wrapping_sub(s.0 as u16)
            };
            t.extend_from_slice(&delta.to_be_bytes());
        }
        segments
            .iter()
            .for_each(|_| t.extend_from_slice(&0u16.to_be_bytes()));
        subtables.push((1, t));
    }
    let groups = ranges(map);
    let mut t = Vec::new();
    t.extend_from_slice(&12u16.to_be_bytes());
    t.extend_from_slice(&0u16.to_be_bytes());
    t.extend_from_slice(&((16 + 12 * groups.len()) as u32).to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(&(groups.len() as u32).to_be_bytes());
    for (first, last, glyph) in groups {
        for v in [first, last, u32::from(glyph)] {
            t.extend_from_slice(&v.to_be_bytes());
        }
    }
    subtables.push((10, t));
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len();
    for (encoding, data) in &subtables {
        out.extend_from_slice(&3u16.to_be_bytes());
        out.extend_from_slice(&encoding.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        offset += data.len();
    }
    for (_, data) in subtables {
        out.extend_from_slice(&data);
    }
    out
}

/// One record of a `name` table: platform, encoding, language, name id, and the string as stored
/// (UTF-16BE for the Unicode and Windows platforms).
pub type NameRecord = (u16, u16, u16, u16, Vec<u8>);

/// The records of a `name` table (format 0 or 1; format 1's language tags are not kept).
pub fn read_names(table: &[u8]) -> Option<Vec<NameRecord>> {
    let count = usize::from(u16_at(table, 2)?);
    let storage = usize::from(u16_at(table, 4)?);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let rec = 6 + 12 * i;
        let field = |k: usize| u16_at(table, rec + 2 * k);
        let (length, offset) = (usize::from(field(4)?), usize::from(field(5)?));
        let start = storage.checked_add(offset)?;
        let text = table.get(start..start.checked_add(length)?)?.to_vec();
        out.push((field(0)?, field(1)?, field(2)?, field(3)?, text));
    }
    Some(out)
}

/// A format 0 `name` table of `records`, sorted as the format requires (platform, encoding,
/// language, name id); equal strings are stored once.
pub fn write_names(mut records: Vec<NameRecord>) -> Vec<u8> {
    records.sort_by_key(|r| (r.0, r.1, r.2, r.3));
    let mut storage: Vec<u8> = Vec::new();
    let mut offsets = Vec::with_capacity(records.len());
    for (.., text) in &records {
        let at = storage
            .windows(text.len().max(1))
            .position(|w| w == text.as_slice())
            .filter(|_| !text.is_empty())
            .unwrap_or_else(|| {
                storage.extend_from_slice(text);
                storage.len() - text.len()
            });
        offsets.push(at);
    }
    let mut out = Vec::new();
    let count = records.len() as u16;
    for v in [0, count, 6 + 12 * count] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for ((platform, encoding, language, id, text), at) in records.iter().zip(offsets) {
        for v in [
            *platform,
            *encoding,
            *language,
            *id,
            text.len() as u16,
            at as u16,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
    out.extend_from_slice(&storage);
    out
}

/// UTF-16BE, as the Windows platform stores names.
pub fn utf16be(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// A font's weight and style bits as Word reads them to tell a family's regular, bold and italic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StyleBits {
    pub bold: bool,
    pub italic: bool,
}

/// Whether an `OS/2` table says what `want` says: a weight of 600 or more and the bold bit of
/// fsSelection for a bold, neither for the others, and the italic bit for an italic only.
pub fn os2_says(os2: &[u8], want: StyleBits) -> bool {
    let (Some(weight), Some(selection)) = (u16_at(os2, 4), u16_at(os2, 62)) else {
        return false;
    };
    let bold = selection & (1 << 5) != 0;
    let italic = selection & 1 != 0;
    bold == want.bold && (weight >= 600) == want.bold && italic == want.italic
}

/// Sets the weight class and the style bits of an `OS/2` table (fsSelection) and of a `head` table
/// (macStyle) to `want`.
pub fn set_style(os2: Option<&mut Vec<u8>>, head: Option<&mut Vec<u8>>, want: StyleBits) {
    if let Some(os2) = os2.filter(|t| t.len() >= 64) {
        let weight: u16 = if want.bold { 700 } else { 400 };
        os2[4..6].copy_from_slice(&weight.to_be_bytes());
        let mut selection = u16::from_be_bytes([os2[62], os2[63]]);
        // Italic, bold, regular and oblique cleared; then the one that holds set.
        selection &= !(1 | 1 << 5 | 1 << 6 | 1 << 9);
        if want.italic {
            selection |= 1;
        }
        if want.bold {
            selection |= 1 << 5;
        }
        if !want.bold && !want.italic {
            selection |= 1 << 6;
        }
        os2[62..64].copy_from_slice(&selection.to_be_bytes());
    }
    if let Some(head) = head.filter(|t| t.len() >= 46) {
        let mut mac = u16::from_be_bytes([head[44], head[45]]) & !0b11;
        if want.bold {
            mac |= 1;
        }
        if want.italic {
            mac |= 2;
        }
        head[44..46].copy_from_slice(&mac.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_font_reads_back() {
        let tables = vec![
            (*b"zzzz", vec![1, 2, 3]),
            (*b"head", vec![0; 54]),
            (
                *b"cmap",
                cmap(&[(0x41, 1), (0x42, 2), (0x4E2D, 7), (0x1F600, 9)]),
            ),
        ];
        let font = write_font(tables);
        let back = read_tables(&font).expect("directory");
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].0, *b"cmap");
        assert_eq!(back[2].1, vec![1, 2, 3]);
        let sub = ttf_parser::cmap::Table::parse(&back[0].1).expect("cmap");
        let lookup = |c: u32| {
            sub.subtables
                .into_iter()
                .find_map(|s| s.glyph_index(c))
                .map(|g| g.0)
        };
        assert_eq!(lookup(0x41), Some(1));
        assert_eq!(lookup(0x42), Some(2));
        assert_eq!(lookup(0x4E2D), Some(7));
        assert_eq!(lookup(0x1F600), Some(9));
        assert_eq!(lookup(0x43), None);
        assert_eq!(checksum(&font), 0xB1B0_AFBA);
    }
}
