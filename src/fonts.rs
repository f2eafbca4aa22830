//! The fonts: where they are found, which characters they cover. Shared by every writer that embeds
//! fonts (PDF, DOCX) and by `handout check`.

use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use memmap2::Mmap;

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

    pub fn file_name(self) -> &'static str {
        match self {
            Face::SerifRegular => "NotoSerifSC-Regular.ttf",
            Face::SerifBold => "NotoSerifSC-Bold.ttf",
            Face::SansRegular => "NotoSansSC-Regular.ttf",
            Face::SansBold => "NotoSansSC-Bold.ttf",
            Face::SerifItalic => "NotoSerif-Italic.ttf",
        }
    }

    /// The family name writers refer to it by.
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
}

#[derive(Debug, Clone)]
pub enum FontError {
    /// No folder in the lookup order holds the four faces.
    NotFound {
        tried: Vec<PathBuf>,
    },
    Unreadable {
        file: PathBuf,
        reason: String,
    },
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            FontError::NotFound { tried } => {
                let names: Vec<&str> = Face::ALL.iter().map(|f| f.file_name()).collect();
                write!(
                    f,
                    "fonts not found: expected {} in one of: ",
                    names.join(", ")
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

/// The faces, memory-mapped: reading a 15 MB face costs nothing until its tables are used.
pub struct Fonts {
    pub dir: PathBuf,
    data: Vec<Mmap>,
    /// What is derived from each face once and then shared by every document and thread.
    derived: [OnceLock<Box<dyn Any + Send + Sync>>; Face::COUNT],
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Fonts {
    /// Finds and maps the faces (see [`search_path`]).
    pub fn locate(explicit: Option<&Path>) -> Result<Fonts, FontError> {
        let tried = search_path(explicit);
        let dir = tried
            .iter()
            .find(|d| Face::ALL.iter().all(|f| d.join(f.file_name()).is_file()));
        let Some(dir) = dir else {
            return Err(FontError::NotFound { tried });
        };
        Fonts::open(dir)
    }

    pub fn open(dir: &Path) -> Result<Fonts, FontError> {
        let mut data = Vec::new();
        for face in Face::ALL {
            let file = dir.join(face.file_name());
            let unreadable = |reason: String| FontError::Unreadable {
                file: file.clone(),
                reason,
            };
            let handle = std::fs::File::open(&file).map_err(|e| unreadable(e.to_string()))?;
            // SAFETY: the font files are only read; a file changed under a running process is not a
            // case this tool defends against (as with every program that maps fonts).
            let map = unsafe { Mmap::map(&handle) }.map_err(|e| unreadable(e.to_string()))?;
            check_face(&map).map_err(unreadable)?;
            data.push(map);
        }
        Ok(Fonts {
            dir: dir.to_path_buf(),
            data,
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
        &self.data[face as usize]
    }

    /// A parsed face (parsing reads only the table directory).
    pub fn face(&self, face: Face) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(self.bytes(face), 0).expect("checked when the fonts were opened")
    }

    /// A coverage checker over the four CJK faces.
    pub fn coverage(&self) -> Coverage<'_> {
        Coverage {
            faces: Face::CJK.map(|f| (f, self.face(f))),
        }
    }
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
pub fn uncovered(article: &crate::model::Article, fonts: &Fonts) -> Vec<Uncovered> {
    use std::collections::{BTreeMap, HashSet};
    // Each distinct character is looked up once (an article has about a thousand, in some twenty
    // thousand places); the texts are walked again only to place the ones missing.
    let mut distinct = HashSet::new();
    article.walk(&mut |_, item| {
        if let crate::model::Item::Text(t) = item {
            distinct.extend(t.chars());
        }
    });
    let coverage = fonts.coverage();
    let mut missing: Vec<(char, Vec<Face>)> = distinct
        .into_iter()
        .map(|c| (c, coverage.missing(c)))
        .filter(|(_, faces)| !faces.is_empty())
        .collect();
    if missing.is_empty() {
        return Vec::new();
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
    out
}
