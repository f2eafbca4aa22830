//! The fonts: where they are found, which characters they cover, what they are called. Shared by every
//! writer that embeds fonts (PDF, DOCX) and by `handout check`.
//!
//! Each face is the file the house style names for it ([`crate::style::FaceFiles`]), or the Noto face
//! of the fonts folder ([`search_path`]); the folder is looked for only when some face is not named.
//! A face is a TrueType-outline font (.ttf, or an .otf with `glyf` outlines); of a collection (.ttc)
//! the first face is used. Each is known by the family its own `name` table gives ([`family_name`]).

use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use memmap2::Mmap;

use crate::style::FaceFiles;

pub mod sfnt;
pub mod subset;

/// The faces a handout is set in: four CJK faces, and a Latin italic for emphasis over Latin text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    SerifRegular,
    SerifBold,
    SansRegular,
    SansBold,
    /// Latin only: emphasis over Latin text (Han emphasis gets dots instead).
    SerifItalic,
}

impl Face {
    /// How many faces there are.
    pub const COUNT: usize = 5;
    pub const ALL: [Face; Face::COUNT] = [
        Face::SerifRegular,
        Face::SerifBold,
        Face::SansRegular,
        Face::SansBold,
        Face::SerifItalic,
    ];
    /// The faces every character of an article must be in (the italic serves Latin only).
    pub const CJK: [Face; 4] = [
        Face::SerifRegular,
        Face::SerifBold,
        Face::SansRegular,
        Face::SansBold,
    ];

    /// The file of the default (Noto) face in the fonts folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Face::SerifRegular => "NotoSerifSC-Regular.ttf",
            Face::SerifBold => "NotoSerifSC-Bold.ttf",
            Face::SansRegular => "NotoSansSC-Regular.ttf",
            Face::SansBold => "NotoSansSC-Bold.ttf",
            Face::SerifItalic => "NotoSerif-Italic.ttf",
        }
    }

    /// The family name of the default (Noto) face. The faces actually used are named by
    /// [`Fonts::family`], read from their files.
    pub fn family(self) -> &'static str {
        match self {
            Face::SerifRegular | Face::SerifBold => "Noto Serif SC",
            Face::SansRegular | Face::SansBold => "Noto Sans SC",
            Face::SerifItalic => "Noto Serif",
        }
    }

    pub fn is_bold(self) -> bool {
        matches!(self, Face::SerifBold | Face::SansBold)
    }

    pub fn is_italic(self) -> bool {
        self == Face::SerifItalic
    }

    /// The style the face is within its family where a document names families and styles (Word's
    /// regular, bold and italic).
    pub fn style_name(self) -> &'static str {
        if self.is_italic() {
            "Italic"
        } else if self.is_bold() {
            "Bold"
        } else {
            "Regular"
        }
    }

    /// The family the face belongs to in a Word document.
    fn group(self) -> Group {
        match self {
            Face::SerifRegular | Face::SerifBold => Group::Body,
            Face::SansRegular | Face::SansBold => Group::Headings,
            Face::SerifItalic => Group::Italic,
        }
    }
}

/// The families a Word document names: the body's (regular and bold), the headings' (regular and
/// bold), and the Latin italic's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Body,
    Headings,
    Italic,
}

#[derive(Debug, Clone)]
pub enum FontError {
    /// No folder in the lookup order holds the default faces that the style does not name.
    NotFound {
        tried: Vec<PathBuf>,
        /// The files looked for (the faces the style names a file for are not looked for).
        needed: Vec<&'static str>,
    },
    Unreadable {
        file: PathBuf,
        reason: String,
    },
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            FontError::NotFound { tried, needed } => {
                write!(
                    f,
                    "fonts not found: expected {} in one of: ",
                    needed.join(", ")
                )?;
                let tried: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
                write!(f, "{} (set --fonts DIR or HANDOUT_FONTS)", tried.join(", "))
            }
            FontError::Unreadable { file, reason } => {
                write!(f, "{}: cannot use font: {reason}", file.display())
            }
        }
    }
}

impl std::error::Error for FontError {}

/// The folders searched, in order: `--fonts DIR`, HANDOUT_FONTS, ./fonts, then the fonts/ of the source
/// tree the binary was built from.
pub fn search_path(explicit: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = explicit {
        // An explicit folder is the only one tried: a wrong --fonts must not silently fall back.
        dirs.push(d.to_path_buf());
        return dirs;
    }
    if let Some(d) = std::env::var_os("HANDOUT_FONTS") {
        dirs.push(PathBuf::from(d));
        return dirs;
    }
    dirs.push(PathBuf::from("fonts"));
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
    dirs
}

/// One face as opened: its file, its family, and which of the mapped files holds it.
#[derive(Debug)]
struct Opened {
    path: PathBuf,
    /// Whether the style names the file (else it is the default face of the fonts folder).
    named: bool,
    family: String,
    /// Index into [`Fonts::maps`]: faces set from the same file share one map.
    map: usize,
}

/// The faces, memory-mapped: reading a 15 MB face costs nothing until its tables are used.
pub struct Fonts {
    /// The fonts folder the default faces were taken from; `None` when the style names a file for
    /// every face.
    pub dir: Option<PathBuf>,
    faces: [Opened; Face::COUNT],
    maps: Vec<Mmap>,
    /// The family each face is set under in a Word document ([`Fonts::word_family`]).
    word_families: [String; Face::COUNT],
    /// What is derived from each face once and then shared by every document and thread.
    derived: [OnceLock<Box<dyn Any + Send + Sync>>; Face::COUNT],
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("dir", &self.dir)
            .field("faces", &self.faces)
            .finish_non_exhaustive()
    }
}

impl Fonts {
    /// Finds and maps the default faces (see [`search_path`]).
    pub fn locate(explicit: Option<&Path>) -> Result<Fonts, FontError> {
        Fonts::open_with(&FaceFiles::default(), explicit)
    }

    /// Maps each face from the file `files` names for it, or else from the fonts folder (see
    /// [`search_path`]), which is looked for only when some face has no file of its own.
    pub fn open_with(files: &FaceFiles, explicit: Option<&Path>) -> Result<Fonts, FontError> {
        let needed: Vec<&'static str> = Face::ALL
            .iter()
            .filter(|&&f| files.get(f).is_none())
            .map(|f| f.file_name())
            .collect();
        let dir = if needed.is_empty() {
            None
        } else {
            let tried = search_path(explicit);
            let found = tried
                .iter()
                .find(|d| needed.iter().all(|name| d.join(name).is_file()));
            match found {
                Some(d) => Some(d.clone()),
                None => return Err(FontError::NotFound { tried, needed }),
            }
        };
        let path = |face: Face| match (files.get(face), &dir) {
            (Some(file), _) => file.clone(),
            (None, Some(d)) => d.join(face.file_name()),
            (None, None) => unreachable!("the folder is looked for when a face has no file"),
        };
        Fonts::map(Face::ALL.map(path), dir.clone(), files)
    }

    /// Maps the default faces of a fonts folder.
    pub fn open(dir: &Path) -> Result<Fonts, FontError> {
        Fonts::map(
            Face::ALL.map(|f| dir.join(f.file_name())),
            Some(dir.to_path_buf()),
            &FaceFiles::default(),
        )
    }

    fn map(
        paths: [PathBuf; Face::COUNT],
        dir: Option<PathBuf>,
        files: &FaceFiles,
    ) -> Result<Fonts, FontError> {
        let mut maps: Vec<Mmap> = Vec::new();
        // The real file of each map, to map a file named for two faces once.
        let mut real: Vec<PathBuf> = Vec::new();
        let mut opened = Vec::with_capacity(Face::COUNT);
        for (face, file) in Face::ALL.into_iter().zip(paths) {
            let unreadable = |reason: String| FontError::Unreadable {
                file: file.clone(),
                reason,
            };
            let canonical = std::fs::canonicalize(&file).map_err(|e| unreadable(e.to_string()))?;
            let map = match real.iter().position(|r| *r == canonical) {
                Some(at) => at,
                None => {
                    let handle =
                        std::fs::File::open(&file).map_err(|e| unreadable(e.to_string()))?;
                    // SAFETY: the font files are only read; a file changed under a running process
                    // is not a case this tool defends against (as with every program that maps
                    // fonts).
                    let data =
                        unsafe { Mmap::map(&handle) }.map_err(|e| unreadable(e.to_string()))?;
                    check_face(&data).map_err(unreadable)?;
                    maps.push(data);
                    real.push(canonical);
                    maps.len() - 1
                }
            };
            let parsed = ttf_parser::Face::parse(&maps[map], 0)
                .map_err(|e| unreadable(format!("not a usable TrueType font ({e})")))?;
            let family = family_name(&parsed).unwrap_or_else(|| {
                if files.get(face).is_none() {
                    face.family().to_string()
                } else {
                    // A face without a readable name is called after its file.
                    file.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| face.family().to_string())
                }
            });
            opened.push(Opened {
                path: file,
                named: files.get(face).is_some(),
                family,
                map,
            });
        }
        let faces: [Opened; Face::COUNT] = opened
            .try_into()
            .unwrap_or_else(|_| unreachable!("one per face"));
        let word_families = word_families(&faces);
        Ok(Fonts {
            dir,
            faces,
            maps,
            word_families,
            derived: Default::default(),
        })
    }

    /// A value derived from a face (the shaper's tables and plans), built on first use and shared
    /// from then on; one type per face. `None` if the face already holds a value of another type.
    pub fn derived<T: Any + Send + Sync>(
        &self,
        face: Face,
        build: impl FnOnce(&[u8]) -> T,
    ) -> Option<&T> {
        self.derived[face as usize]
            .get_or_init(|| Box::new(build(self.bytes(face))))
            .downcast_ref()
    }

    /// The bytes of a face.
    pub fn bytes(&self, face: Face) -> &[u8] {
        &self.maps[self.faces[face as usize].map]
    }

    /// The file a face is read from (for messages).
    pub fn path(&self, face: Face) -> &Path {
        &self.faces[face as usize].path
    }

    /// The face's file as messages name it: the file name of a default face (in the fonts folder
    /// given or found), the whole path of a file the style names.
    pub fn file_shown(&self, face: Face) -> String {
        let opened = &self.faces[face as usize];
        if opened.named {
            opened.path.display().to_string()
        } else {
            face.file_name().to_string()
        }
    }

    /// The face's family name, as its file names it (see [`family_name`]).
    pub fn family(&self, face: Face) -> &str {
        &self.faces[face as usize].family
    }

    /// The family a Word document sets the face under. Word names a family and asks for its regular,
    /// bold or italic, so the body's two faces share the body face's family name, the headings' two
    /// share the heading face's, and the italic keeps its own. Should the headings' family name be
    /// the body's while their faces are other files, the headings' is set apart as "… Heading"
    /// (two faces cannot both be a family's regular). An embedded face whose own names differ is
    /// renamed in its subset ([`subset`]).
    pub fn word_family(&self, face: Face) -> &str {
        &self.word_families[face as usize]
    }

    /// Whether two faces are read from the same file.
    pub fn same_file(&self, a: Face, b: Face) -> bool {
        self.faces[a as usize].map == self.faces[b as usize].map
    }

    /// A parsed face (parsing reads only the table directory). It was checked when the fonts were
    /// opened, so this fails only for a file changed under the running process.
    pub fn face(&self, face: Face) -> Result<ttf_parser::Face<'_>, FontError> {
        ttf_parser::Face::parse(self.bytes(face), 0).map_err(|e| FontError::Unreadable {
            file: self.path(face).to_path_buf(),
            reason: format!("not a usable TrueType font ({e})"),
        })
    }

    /// A coverage checker over the four CJK faces.
    pub fn coverage(&self) -> Result<Coverage<'_>, FontError> {
        let [a, b, c, d] = Face::CJK;
        Ok(Coverage {
            faces: [
                (a, self.face(a)?),
                (b, self.face(b)?),
                (c, self.face(c)?),
                (d, self.face(d)?),
            ],
        })
    }
}

/// The Word family of each face (see [`Fonts::word_family`]).
fn word_families(faces: &[Opened; Face::COUNT]) -> [String; Face::COUNT] {
    let family = |f: Face| faces[f as usize].family.clone();
    let same = |a: Face, b: Face| faces[a as usize].map == faces[b as usize].map;
    let body = family(Face::SerifRegular);
    let mut headings = family(Face::SansBold);
    let shareable =
        same(Face::SerifRegular, Face::SansRegular) && same(Face::SerifBold, Face::SansBold);
    if headings == body && !shareable {
        headings = format!("{headings} Heading");
    }
    let italic = family(Face::SerifItalic);
    Face::ALL.map(|f| match f.group() {
        Group::Body => body.clone(),
        Group::Headings => headings.clone(),
        Group::Italic => italic.clone(),
    })
}

/// The family name a font gives itself: its typographic family (name ID 16) if it has one, else its
/// family (ID 1); of each, the Windows English (US) record first (the name Word matches), then any
/// other English record, then any record that reads as text.
pub fn family_name(face: &ttf_parser::Face) -> Option<String> {
    use ttf_parser::PlatformId;
    let names: Vec<ttf_parser::name::Name> = face.names().into_iter().collect();
    let english = |n: &ttf_parser::name::Name| match n.platform_id {
        PlatformId::Windows => n.language_id & 0x3FF == 0x09,
        PlatformId::Macintosh => n.language_id == 0,
        _ => false,
    };
    let ranks: [&dyn Fn(&ttf_parser::name::Name) -> bool; 3] = [
        &|n| n.platform_id == PlatformId::Windows && n.language_id == 0x0409,
        &english,
        &|_| true,
    ];
    for id in [
        ttf_parser::name_id::TYPOGRAPHIC_FAMILY,
        ttf_parser::name_id::FAMILY,
    ] {
        for rank in ranks {
            let found = names
                .iter()
                .filter(|n| n.name_id == id && rank(n))
                .filter_map(|n| n.to_string())
                .map(|s| s.trim().to_string())
                .find(|s| !s.is_empty());
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

pub struct Coverage<'a> {
    faces: [(Face, ttf_parser::Face<'a>); 4],
}

impl Coverage<'_> {
    /// The faces that lack `c` (white space and control characters are never drawn, so never lacking).
    pub fn missing(&self, c: char) -> Vec<Face> {
        if c.is_control() || c == ' ' {
            return Vec::new();
        }
        self.faces
            .iter()
            .filter(|(_, f)| f.glyph_index(c).is_none())
            .map(|(face, _)| *face)
            .collect()
    }
}

/// Checks that a font file is whole and usable before any character is looked up in it: a truncated or
/// damaged face would otherwise look like a face that lacks every character of the article.
pub(crate) fn check_face(data: &[u8]) -> Result<(), String> {
    let raw = ttf_parser::RawFace::parse(data, 0)
        .map_err(|e| format!("not a usable TrueType font ({e})"))?;
    for record in raw.table_records {
        let end = u64::from(record.offset) + u64::from(record.length);
        if end > data.len() as u64 {
            return Err(format!(
                "the file is damaged or truncated: its table '{}' ends at byte {end}, past the end of \
                 the file ({} bytes)",
                record.tag,
                data.len()
            ));
        }
    }
    let face = ttf_parser::Face::parse(data, 0)
        .map_err(|e| format!("not a usable TrueType font ({e})"))?;
    let maps_unicode = face
        .tables()
        .cmap
        .is_some_and(|cmap| cmap.subtables.into_iter().any(|t| t.is_unicode()));
    if !maps_unicode {
        return Err("it has no Unicode character map: no character could be set in it".into());
    }
    if face.tables().glyf.is_none() {
        // The PDF embeds faces as TrueType (FontFile2) and Word's embedding is TrueType too.
        return Err(if face.tables().cff.is_some() || face.tables().cff2.is_some() {
            "its glyphs are PostScript (CFF) outlines, which cannot be embedded as TrueType: use \
             the face's TrueType (.ttf) version"
        } else {
            "it has no TrueType outlines (no glyf table)"
        }
        .into());
    }
    if let Some(os2) = face.tables().os2 {
        // OS/2 fsType: the maker's terms for embedding the face in documents, which always carry a
        // subset of it.
        if os2.permissions() == Some(ttf_parser::Permissions::Restricted) {
            return Err(
                "its licence forbids embedding it in documents (OS/2 fsType: restricted)".into(),
            );
        }
        if !os2.is_subsetting_allowed() {
            return Err(
                "its licence forbids embedding a subset of it (OS/2 fsType: no subsetting)".into(),
            );
        }
    }
    Ok(())
}

/// A character that some face lacks, with the JSON path of the text it stands in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncovered {
    pub path: String,
    pub character: char,
    pub faces: Vec<Face>,
}

/// Every character of the article that a face lacks, once per text it stands in.
pub fn uncovered(
    article: &crate::model::Article,
    fonts: &Fonts,
) -> Result<Vec<Uncovered>, FontError> {
    use std::collections::{BTreeMap, HashSet};
    // Each distinct character is looked up once (an article has about a thousand, in some twenty
    // thousand places); the texts are walked again only to place the ones missing.
    let mut distinct = HashSet::new();
    article.walk(&mut |_, item| {
        if let crate::model::Item::Text(t) = item {
            distinct.extend(t.chars());
        }
    });
    let coverage = fonts.coverage()?;
    let mut missing: Vec<(char, Vec<Face>)> = distinct
        .into_iter()
        .map(|c| (c, coverage.missing(c)))
        .filter(|(_, faces)| !faces.is_empty())
        .collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    missing.sort_unstable();
    let missing: BTreeMap<char, Vec<Face>> = missing.into_iter().collect();
    let mut out = Vec::new();
    article.walk(&mut |path, item| {
        if let crate::model::Item::Text(t) = item {
            let mut seen = Vec::new();
            for c in t.chars() {
                if let Some(faces) = missing.get(&c)
                    && !seen.contains(&c)
                {
                    seen.push(c);
                    out.push(Uncovered {
                        path: path.to_string(),
                        character: c,
                        faces: faces.clone(),
                    });
                }
            }
        }
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noto(face: Face) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts")
            .join(face.file_name())
    }

    #[test]
    fn the_default_faces_are_named_as_they_always_were() {
        let fonts = Fonts::locate(None).expect("the repository's fonts");
        for face in Face::ALL {
            assert_eq!(fonts.family(face), face.family(), "{face:?}");
            assert_eq!(fonts.word_family(face), face.family(), "{face:?}");
            assert_eq!(fonts.file_shown(face), face.file_name());
            assert!(fonts.path(face).ends_with(face.file_name()));
        }
        assert!(fonts.dir.is_some());
    }

    #[test]
    fn faces_named_by_the_style_need_no_folder_and_share_a_file() {
        let mut files = FaceFiles::default();
        for face in Face::ALL {
            // The body's face for the headings too, and the default italic.
            let file = match face {
                Face::SansRegular => noto(Face::SerifRegular),
                Face::SansBold => noto(Face::SerifBold),
                f => noto(f),
            };
            files.0[face as usize] = Some(file);
        }
        let missing = Path::new("/nonexistent-fonts-folder");
        let fonts = Fonts::open_with(&files, Some(missing)).expect("no folder is needed");
        assert_eq!(fonts.dir, None);
        assert!(fonts.same_file(Face::SerifRegular, Face::SansRegular));
        assert!(!fonts.same_file(Face::SerifRegular, Face::SerifBold));
        assert_eq!(
            fonts.bytes(Face::SansBold).as_ptr(),
            fonts.bytes(Face::SerifBold).as_ptr(),
            "one map per file"
        );
        // One family for the body and the headings: the same files are one family's faces.
        assert_eq!(fonts.word_family(Face::SansBold), "Noto Serif SC");
        assert_eq!(fonts.family(Face::SansBold), "Noto Serif SC");
        assert_eq!(
            fonts.file_shown(Face::SansBold),
            noto(Face::SerifBold).display().to_string()
        );

        // A face left to the folder: the folder is looked for, and named when it is not there.
        files.0[Face::SerifItalic as usize] = None;
        let e = Fonts::open_with(&files, Some(missing)).expect_err("the italic is not found");
        let message = e.to_string();
        assert!(
            message.starts_with("fonts not found: expected NotoSerif-Italic.ttf in one of: "),
            "{message}"
        );
    }

    #[test]
    fn a_family_that_is_two_files_sets_the_headings_apart_in_word() {
        let mut files = FaceFiles::default();
        // The headings' bold is the body's bold file, their regular the default sans: one family
        // name, not one family.
        files.0[Face::SansBold as usize] = Some(noto(Face::SerifBold));
        let fonts = Fonts::open_with(&files, None).expect("fonts");
        assert_eq!(fonts.family(Face::SansBold), "Noto Serif SC");
        assert_eq!(fonts.word_family(Face::SerifRegular), "Noto Serif SC");
        assert_eq!(fonts.word_family(Face::SansBold), "Noto Serif SC Heading");
        assert_eq!(
            fonts.word_family(Face::SansRegular),
            "Noto Serif SC Heading"
        );
        assert_eq!(fonts.word_family(Face::SerifItalic), "Noto Serif");
    }

    #[test]
    fn a_file_that_is_not_a_usable_face_is_named() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let bad = dir.path().join("bad.ttf");
        std::fs::write(&bad, b"not a font").expect("written");
        let mut files = FaceFiles::default();
        files.0[Face::SansBold as usize] = Some(bad.clone());
        let e = Fonts::open_with(&files, None).expect_err("refused");
        match e {
            FontError::Unreadable { file, .. } => assert_eq!(file, bad),
            other => panic!("{other}"),
        }
    }

    /// The offset of a table's directory record in a single font.
    fn record(font: &[u8], tag: &[u8; 4]) -> usize {
        let count = usize::from(u16::from_be_bytes([font[4], font[5]]));
        (0..count)
            .map(|i| 12 + 16 * i)
            .find(|&at| &font[at..at + 4] == tag)
            .expect("the table")
    }

    #[test]
    fn faces_that_cannot_be_embedded_are_refused_saying_why() {
        let font = std::fs::read(noto(Face::SerifItalic)).expect("the italic");
        assert_eq!(check_face(&font), Ok(()));
        let mut no_outlines = font.clone();
        let at = record(&no_outlines, b"glyf");
        no_outlines[at..at + 4].copy_from_slice(b"glyx");
        let why = check_face(&no_outlines).expect_err("refused");
        assert!(why.contains("no TrueType outlines"), "{why}");
        let mut restricted = font.clone();
        let at = record(&restricted, b"OS/2");
        let os2 =
            u32::from_be_bytes(restricted[at + 8..at + 12].try_into().expect("4 bytes")) as usize;
        // fsType, at byte 8 of OS/2: restricted licence embedding.
        restricted[os2 + 8..os2 + 10].copy_from_slice(&2u16.to_be_bytes());
        let why = check_face(&restricted).expect_err("refused");
        assert!(why.contains("forbids embedding"), "{why}");
    }
}
