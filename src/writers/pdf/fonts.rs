//! The fonts of the PDF: each face the pages use, already subset to its glyphs (the `subsetter` crate
//! renumbers them), embedded as a CIDFontType2 under a Type0 font with Identity-H encoding. Its /W
//! array gives the width of every glyph set, and its /ToUnicode map gives back the text of each
//! glyph's cluster, so that copying and pdftotext return the source words.
//!
//! Embedding happens in two steps: `plan` gives the pages what they need (resource name, new glyph
//! ids, widths, object number) before the content streams are written, `embed` adds the objects
//! afterwards, always in the same order.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, dictionary};

use super::objects::{deflated_stream, literal};
use crate::Error;
use crate::fonts::subset::{FontSubset, Subsets};
use crate::fonts::{Face, FontError, Fonts};
use crate::layout::Document;

/// A face as embedded: its glyphs renumbered by the subset.
pub(super) struct Embedded {
    pub(super) face: Face,
    /// Resource name, /F0 …
    pub(super) name: String,
    /// Old glyph id -> new glyph id.
    pub(super) remap: BTreeMap<u16, u16>,
    /// Width of each old glyph in 1/1000 em, as written in /W.
    pub(super) widths: BTreeMap<u16, i64>,
    /// Codes of their own for a glyph drawn for more than one text (Noto Sans SC draws · and • with
    /// one glyph): /ToUnicode has one entry per code, so each further text gets a code past the
    /// subset's glyphs, which /CIDToGIDMap sends to the same glyph. (Old glyph id, text) -> code.
    pub(super) aliases: BTreeMap<(u16, String), u16>,
    object: ObjectId,
}

impl Embedded {
    /// The code a glyph is shown with: its new id, or its alias for a further text.
    /// Called for every glyph of every page: the aliases of `id` are found by range, without
    /// building a key (almost no face has any).
    pub(super) fn code(&self, id: u16, text: &str) -> u16 {
        let alias = self
            .aliases
            .range((id, String::new())..)
            .take_while(|((of, _), _)| *of == id)
            .find(|((_, t), _)| t == text);
        match alias {
            Some((_, &code)) if !text.is_empty() => code,
            _ => self.remap.get(&id).copied().unwrap_or(0),
        }
    }
}

/// Each glyph a face sets with the text it stands for: the first text met, and any other text the
/// same glyph is drawn for.
#[derive(Debug, Default)]
pub(super) struct Glyphs {
    pub(super) first: BTreeMap<u16, String>,
    pub(super) others: BTreeSet<(u16, String)>,
}

/// A face the pages use: its subset, and each glyph set in it with the text of its cluster.
pub(super) type Used<'a> = (&'a FontSubset, Glyphs);

/// The faces the pages use, in face order, each with the subset made of it.
pub(super) fn used<'a>(
    doc: &Document,
    fonts: &Fonts,
    subsets: &'a Subsets,
) -> Result<Vec<Used<'a>>, Error> {
    glyphs_used(doc)
        .into_iter()
        .map(|(face, glyphs)| {
            let subset = subsets
                .get(face)
                .ok_or_else(|| font_error(fonts, face, "no subset was made of this face".into()))?;
            Ok((subset, glyphs))
        })
        .collect()
}

fn font_error(fonts: &Fonts, face: Face, reason: String) -> Error {
    Error::Fonts(FontError::Unreadable {
        file: fonts.path(face).to_path_buf(),
        reason,
    })
}

/// Every glyph used in a face, with the texts of its clusters.
fn glyphs_used(doc: &Document) -> BTreeMap<Face, Glyphs> {
    let mut used: BTreeMap<Face, Glyphs> = BTreeMap::new();
    for page in &doc.pages {
        for g in page.glyphs.iter().chain(&page.furniture) {
            let glyphs = used.entry(g.face).or_default();
            let first = glyphs.first.entry(g.id).or_default();
            if first.is_empty() {
                first.push_str(&g.text);
            } else if !g.text.is_empty() && *first != g.text {
                glyphs.others.insert((g.id, g.text.clone()));
            }
        }
    }
    used
}

/// What the pages need to know of a face before it is embedded: its resource name, the new glyph
/// ids and widths, and the object number its font dictionary will have.
pub(super) fn plan(
    pdf: &mut Pdf,
    fonts: &Fonts,
    subset: &FontSubset,
    index: usize,
    glyphs: &Glyphs,
) -> Result<Embedded, Error> {
    let face = subset.face;
    let font = fonts.face(face)?;
    let upem = f32::from(font.units_per_em().max(1));
    let widths = glyphs
        .first
        .keys()
        .map(|&id| {
            let advance = font.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0);
            (id, (f32::from(advance) * 1000.0 / upem).round() as i64)
        })
        .collect();
    let aliases = glyphs
        .others
        .iter()
        .cloned()
        .zip(subset.glyph_count()..)
        .collect();
    Ok(Embedded {
        face,
        name: format!("F{index}"),
        remap: glyphs
            .first
            .keys()
            .map(|&old| (old, subset.new_id(old).unwrap_or(0)))
            .collect(),
        widths,
        aliases,
        object: pdf.new_object_id(),
    })
}

/// The /Font resources of every page: each embedded face under its name.
pub(super) fn resources(embedded: &[Embedded]) -> Dictionary {
    let mut resources = Dictionary::new();
    for e in embedded {
        resources.set(e.name.as_bytes(), e.object);
    }
    resources
}

/// Embeds one subset face under the object number its plan gave it: the font file, its descriptor,
/// the CID font, the /ToUnicode map and the Type0 font the pages name.
pub(super) fn embed(
    pdf: &mut Pdf,
    fonts: &Fonts,
    plan: &Embedded,
    glyphs: &Glyphs,
    subset: &FontSubset,
) -> Result<(), Error> {
    let font = fonts.face(plan.face)?;
    let family = fonts.family(plan.face);
    let base = format!(
        "{}+{}",
        name_tag(subset),
        postscript_name(&font, plan.face, family)
    );
    let file_dict =
        dictionary! { "Length1" => subset.font.len() as i64, "Filter" => "FlateDecode" };
    let file = pdf.add_object(Stream::new(file_dict, subset.zlib()));
    let descriptor = pdf.add_object(descriptor(&font, plan.face, family, &base, file));
    let cid_to_gid = cid_to_gid(pdf, plan)?;
    let cid_font = pdf.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => Object::Name(base.clone().into_bytes()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => literal("Adobe"),
            "Ordering" => literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "DW" => 1000,
        "W" => widths(plan),
        "CIDToGIDMap" => cid_to_gid,
    });
    let mut entries: Vec<(u16, &str)> = glyphs
        .first
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(old, t)| (plan.remap[old], t.as_str()))
        .chain(
            plan.aliases
                .iter()
                .map(|((_, t), &code)| (code, t.as_str())),
        )
        .collect();
    entries.sort_unstable();
    let cmap = pdf.add_object(deflated_stream(Dictionary::new(), &to_unicode(&entries))?);
    pdf.objects.insert(
        plan.object,
        Object::Dictionary(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => Object::Name(base.into_bytes()),
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid_font.into()],
            "ToUnicode" => cmap,
        }),
    );
    Ok(())
}

/// /CIDToGIDMap: the identity, unless some glyph has an alias; then a map of every code to its glyph.
fn cid_to_gid(pdf: &mut Pdf, plan: &Embedded) -> Result<Object, Error> {
    let Some(last) = plan.aliases.values().max() else {
        return Ok(Object::Name(b"Identity".to_vec()));
    };
    let mut gids: Vec<u16> = (0..=*last).collect();
    for ((old, _), &code) in &plan.aliases {
        gids[usize::from(code)] = plan.remap.get(old).copied().unwrap_or(0);
    }
    let bytes: Vec<u8> = gids.iter().flat_map(|g| g.to_be_bytes()).collect();
    Ok(Object::Reference(
        pdf.add_object(deflated_stream(Dictionary::new(), &bytes)?),
    ))
}

/// /W: the width of each code the pages show.
fn widths(plan: &Embedded) -> Vec<Object> {
    let mut by_new: Vec<(u16, i64)> = plan
        .widths
        .iter()
        .map(|(old, w)| (plan.remap[old], *w))
        .chain(
            plan.aliases
                .iter()
                .map(|((old, _), &code)| (code, plan.widths.get(old).copied().unwrap_or(0))),
        )
        .collect();
    by_new.sort_unstable();
    let mut w = Vec::new();
    for (new, width) in &by_new {
        w.push(Object::Integer(i64::from(*new)));
        w.push(Object::Array(vec![Object::Integer(*width)]));
    }
    w
}

/// The /Flags of a font descriptor (PDF 32000-1, 9.8.2): Serif (told by the family's name: Serif,
/// Song, Ming, Mincho), Symbolic (its glyphs go beyond the standard Latin set), Italic.
fn flags(face: Face, family: &str) -> i64 {
    const SERIF: i64 = 1 << 1;
    const SYMBOLIC: i64 = 1 << 2;
    const ITALIC: i64 = 1 << 6;
    let serif_word = |w: &str| {
        ["serif", "song", "sung", "ming", "mincho"]
            .iter()
            .any(|s| w.eq_ignore_ascii_case(s))
    };
    let is_serif = family
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| serif_word(w) || w.contains('宋') || w.contains('明'));
    let serif = if is_serif { SERIF } else { 0 };
    let italic = if face.is_italic() { ITALIC } else { 0 };
    serif | SYMBOLIC | italic
}

/// The font descriptor: the face's metrics in 1/1000 em, its slant and its embedded file.
fn descriptor(
    font: &ttf_parser::Face,
    face: Face,
    family: &str,
    base: &str,
    file: ObjectId,
) -> Dictionary {
    let upem = f32::from(font.units_per_em().max(1));
    let units = |v: i16| (f32::from(v) * 1000.0 / upem).round() as i64;
    let bbox = font.global_bounding_box();
    // The upright faces' angle is written as the integer it always was.
    let italic_angle = if face.is_italic() {
        Object::Real(font.italic_angle())
    } else {
        Object::Integer(0)
    };
    dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(base.as_bytes().to_vec()),
        "Flags" => flags(face, family),
        "FontBBox" => vec![
            units(bbox.x_min).into(),
            units(bbox.y_min).into(),
            units(bbox.x_max).into(),
            units(bbox.y_max).into(),
        ],
        "ItalicAngle" => italic_angle,
        "Ascent" => units(font.ascender()),
        "Descent" => units(font.descender()),
        "CapHeight" => units(font.capital_height().unwrap_or(font.ascender())),
        "StemV" => if face.is_bold() { 140 } else { 80 },
        "FontFile2" => file,
    }
}

/// Six capital letters naming the subset, from a hash of its bytes (fixed, so that two renders agree).
fn name_tag(subset: &FontSubset) -> String {
    subset
        .digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// The face's own PostScript name, or one made from its family and weight if it has none; kept to
/// the characters a PDF name and a PostScript name both take as they are (letters, digits, - _ .).
fn postscript_name(font: &ttf_parser::Face, face: Face, family: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .take(63)
            .collect()
    };
    let named = font
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .map(|n| clean(&n))
        .filter(|n| !n.is_empty());
    named.unwrap_or_else(|| {
        let weight = face.style_name();
        let family = clean(family);
        let family = if family.is_empty() { "Font" } else { &family };
        format!("{family}-{weight}")
    })
}

/// The /ToUnicode CMap: each new glyph id to the UTF-16BE of its text.
fn to_unicode(entries: &[(u16, &str)]) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (id, text) in chunk {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            s.push_str(&format!("<{id:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_unicode_maps_each_glyph_to_utf16_in_blocks_of_100() {
        let entries: Vec<(u16, &str)> = (0..101).map(|i| (i, "中")).collect();
        let cmap = String::from_utf8(to_unicode(&entries)).expect("ASCII");
        assert!(cmap.contains("100 beginbfchar\n<0000> <4E2D>\n"));
        assert!(cmap.contains("1 beginbfchar\n<0064> <4E2D>\nendbfchar\n"));
        let astral = String::from_utf8(to_unicode(&[(7, "𝑥")])).expect("ASCII");
        assert!(astral.contains("<0007> <D835DC65>\n"), "a surrogate pair");
    }
}
