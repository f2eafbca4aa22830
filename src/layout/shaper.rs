//! Shaping with harfrust: one shaper per face, shaped strings cached per face, every character checked
//! against the face it is set in (a character the face lacks is an error, never glyph 0). A string
//! may be shaped with the face's superior or inferior forms (`sups`, `subs`).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use harfrust::font::{Blob, Font, TableFunction};
use harfrust::{Buffer, Direction, Language, Script, ShapeOptions, ShapePlan, ShaperFont, Tag};

use crate::Error;
use crate::fonts::{Face, Fonts};
use crate::text::is_cjk;

/// One glyph of a shaped string, in font units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    /// Byte offset of the glyph's cluster in the shaped string.
    pub cluster: usize,
    pub advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
}

/// An OpenType feature a string may be shaped with: the face's own superscript or subscript forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forms {
    /// `sups`.
    Superior,
    /// `subs`.
    Inferior,
}

impl Forms {
    fn tag(self) -> Tag {
        match self {
            Forms::Superior => Tag::new(b"sups"),
            Forms::Inferior => Tag::new(b"subs"),
        }
    }
}

/// A face ready for shaping. The outlines (glyf, loca) are never read by the shaper, so only the
/// other tables are copied out of the memory-mapped file: a few hundred KB instead of 15 MB. Built once
/// per face and shared by every document (see [`Fonts::derived`]).
struct ShapingFace {
    font: Font,
    upem: f32,
    /// Plans for Han and for everything else.
    plans: [ShapePlan; 2],
    /// The same with the superior, then the inferior forms: made when first asked for (few articles
    /// have any).
    forms: [[OnceLock<ShapePlan>; 2]; 2],
}

/// A face in use by one document: the shared tables and this document's shaped strings (plain, with
/// superior forms, with inferior forms).
struct FaceShaper<'f> {
    shared: &'f ShapingFace,
    cache: [HashMap<String, Vec<ShapedGlyph>>; 3],
}

/// Shapes text in the four faces.
pub struct Shaper<'f> {
    faces: Vec<(Face, FaceShaper<'f>)>,
    fonts: &'f Fonts,
    /// The faces asked whether they have a character, parsed once.
    parsed: Vec<(Face, ttf_parser::Face<'f>)>,
}

fn font_of(bytes: &[u8]) -> Option<Font> {
    let raw = ttf_parser::RawFace::parse(bytes, 0).ok()?;
    let mut tables: HashMap<[u8; 4], Blob> = HashMap::new();
    for record in raw.table_records {
        let tag = record.tag.to_bytes();
        if &tag == b"glyf" || &tag == b"loca" {
            continue;
        }
        let start = record.offset as usize;
        let end = start.checked_add(record.length as usize)?;
        tables.insert(tag, Blob::from(bytes.get(start..end)?.to_vec()));
    }
    let lookup = move |tag: Tag| tables.get(&tag.to_be_bytes()).cloned();
    Font::new(TableFunction::new(Arc::new(lookup)), 0)
}

impl ShapingFace {
    fn new(bytes: &[u8]) -> Option<ShapingFace> {
        let font = font_of(bytes)?;
        let upem = f32::from(font.units_per_em().max(1));
        let zh: Option<Language> = "zh-Hans".parse().ok();
        let plan = |script| {
            ShapePlan::new(
                &font,
                Direction::LeftToRight,
                Some(script),
                zh.as_ref(),
                &[],
            )
        };
        let plans = [plan(Script::HAN), plan(Script::LATIN)];
        Some(ShapingFace {
            font,
            upem,
            plans,
            forms: Default::default(),
        })
    }

    /// The plan for one script class (CJK or not), with the given forms.
    fn plan(&self, cjk: bool, forms: Option<Forms>) -> &ShapePlan {
        let script = usize::from(!cjk);
        let Some(forms) = forms else {
            return &self.plans[script];
        };
        self.forms[forms as usize][script].get_or_init(|| {
            let base = &self.plans[script];
            let feature = harfrust::Feature::new(forms.tag(), 1, ..);
            ShapePlan::new(
                &self.font,
                Direction::LeftToRight,
                base.script(),
                base.language(),
                &[feature],
            )
        })
    }
}

impl FaceShaper<'_> {
    /// Shapes one stretch of a single script class (CJK or not).
    fn shape_script_run(
        &self,
        text: &str,
        (cjk, forms): (bool, Option<Forms>),
        base: usize,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let plan = self.shared.plan(cjk, forms);
        let mut buffer = Buffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(plan.script());
        buffer.set_language(plan.language().cloned());
        let shaper = ShaperFont::new(&self.shared.font);
        if harfrust::shape(&shaper, &mut buffer, ShapeOptions::new().plan(Some(plan))).is_err() {
            return;
        }
        for (info, pos) in buffer.glyph_infos().iter().zip(buffer.glyph_positions()) {
            out.push(ShapedGlyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                cluster: base + info.cluster as usize,
                advance: pos.x_advance,
                x_offset: pos.x_offset,
                y_offset: pos.y_offset,
            });
        }
    }
}

impl<'f> Shaper<'f> {
    pub fn new(fonts: &'f Fonts) -> Result<Shaper<'f>, Error> {
        Ok(Shaper {
            faces: Vec::new(),
            fonts,
            parsed: Vec::new(),
        })
    }

    fn face(&mut self, face: Face) -> Result<&mut FaceShaper<'f>, Error> {
        let at = match self.faces.iter().position(|(f, _)| *f == face) {
            Some(at) => at,
            None => {
                let shared = self
                    .fonts
                    .derived(face, ShapingFace::new)
                    .and_then(Option::as_ref);
                let shared = shared.ok_or_else(|| {
                    Error::Fonts(crate::fonts::FontError::Unreadable {
                        file: face.file_name().into(),
                        reason: "the shaper cannot read it".into(),
                    })
                })?;
                self.faces.push((
                    face,
                    FaceShaper {
                        shared,
                        cache: Default::default(),
                    },
                ));
                self.faces.len() - 1
            }
        };
        Ok(&mut self.faces[at].1)
    }

    /// Units per em of a face.
    pub fn upem(&mut self, face: Face) -> Result<f32, Error> {
        Ok(self.face(face)?.shared.upem)
    }

    /// Whether a face has a glyph for a character.
    pub fn covers(&mut self, face: Face, c: char) -> bool {
        let at = match self.parsed.iter().position(|(f, _)| *f == face) {
            Some(at) => at,
            None => {
                // A face that no longer parses covers nothing: setting it then fails, named.
                let Ok(parsed) = self.fonts.face(face) else {
                    return false;
                };
                self.parsed.push((face, parsed));
                self.parsed.len() - 1
            }
        };
        self.parsed[at].1.glyph_index(c).is_some()
    }

    /// Shapes `text` in `face`. Every character must be in the face: one that is not is an error
    /// naming the character and the text around it.
    pub fn shape(&mut self, face: Face, text: &str) -> Result<Vec<ShapedGlyph>, Error> {
        self.shape_forms(face, text, None)
    }

    /// Shapes `text` in `face`, with the face's superior or inferior forms when asked (where the
    /// face has none, the glyphs are the plain ones).
    pub fn shape_forms(
        &mut self,
        face: Face,
        text: &str,
        forms: Option<Forms>,
    ) -> Result<Vec<ShapedGlyph>, Error> {
        // A character the face lacks comes out of shaping as glyph 0, which is refused below; a text
        // in the cache passed that check when it was first shaped.
        let cache = forms.map_or(0, |f| 1 + f as usize);
        let shaper = self.face(face)?;
        if let Some(done) = shaper.cache[cache].get(text) {
            return Ok(done.clone());
        }
        let mut glyphs = Vec::new();
        // Split into CJK and non-CJK stretches: each is shaped with its own script's features.
        let mut start = 0;
        let mut class = None;
        for (i, c) in text.char_indices() {
            let cjk = is_cjk(c) || (c.is_whitespace() && class == Some(true));
            if class.is_some_and(|k| k != cjk) {
                let how = (class == Some(true), forms);
                shaper.shape_script_run(&text[start..i], how, start, &mut glyphs);
                start = i;
            }
            class = Some(cjk);
        }
        if start < text.len() {
            let how = (class == Some(true), forms);
            shaper.shape_script_run(&text[start..], how, start, &mut glyphs);
        }
        if let Some(g) = glyphs.iter().find(|g| g.id == 0) {
            let c = text[g.cluster..].chars().next().unwrap_or('\u{FFFD}');
            if !c.is_whitespace() && !c.is_control() {
                return Err(Error::MissingGlyph {
                    character: c,
                    file: self.fonts.path(face).to_path_buf(),
                    context: text.to_string(),
                });
            }
        }
        shaper.cache[cache].insert(text.to_string(), glyphs.clone());
        Ok(glyphs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_is_one_em_and_clusters_point_into_the_text() {
        let fonts = Fonts::locate(None).expect("the fonts in fonts/ (they are in the repository)");
        let mut s = Shaper::new(&fonts).expect("shaper");
        let upem = s.upem(Face::SerifRegular).expect("upem");
        let g = s.shape(Face::SerifRegular, "干细胞ALS").expect("shaped");
        assert_eq!(g.len(), 6);
        assert_eq!(g[0].advance as f32, upem);
        assert_eq!(
            g.iter().map(|g| g.cluster).collect::<Vec<_>>(),
            vec![0, 3, 6, 9, 10, 11]
        );
        assert!(g.iter().all(|g| g.id != 0));
    }
}
