//! `handout.toml`: a team's house style, read with located errors.
//!
//! The file is TOML; every key is optional and falls back to the paper's preset ([`Paper::preset`]).
//! It is read into a tree that knows where every value was written ([`Tree::toml`]), deserialized by
//! serde (an unknown key or a value of the wrong type is placed at the value it is about), then each
//! value is checked (a size out of range, a font file that is not a font, a footer placeholder that
//! does not exist…), every problem reported with its file, line and column. `docs/configuration.md`
//! documents the keys; [`schema_json`] is the file's JSON Schema (`handout schema --config`, committed
//! as `handout.schema.json`).
//!
//! Which file applies ([`find`]): `--config FILE`, else `handout.toml` beside the source, else
//! `handout.toml` in the current folder. What wins ([`style`]): the command line (`--paper`) over the
//! file, the file over the paper's preset.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::{Footer, Margins, Paper, Rgb, Style};
use crate::fonts::Face;
use crate::image::Image;
use crate::model::{Inline, Notice};
use crate::source::places::Places;
use crate::source::tree::Tree;
use crate::source::{SourceError, SourceErrors};

/// The name a configuration file is looked for under.
pub const FILE_NAME: &str = "handout.toml";

/// The largest configuration file read (a house style is a few hundred bytes).
const MAX_BYTES: u64 = 1 << 20;

/// The body size accepted, in points.
pub const BODY_SIZE: (f32, f32) = (6.0, 24.0);
/// The line height accepted, as a multiple of the body size.
pub const LINE_HEIGHT: (f32, f32) = (1.0, 3.0);
/// The title, subtitle and heading sizes accepted, in points.
pub const DISPLAY_SIZE: (f32, f32) = (6.0, 72.0);
/// The fewest body ems the margins must leave across the text block.
pub const MIN_TEXT_EMS: f32 = 15.0;

/// A parsed and checked `handout.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as found (for messages).
    pub path: PathBuf,
    pub paper: Option<Paper>,
    pub body_size: Option<f32>,
    pub line_height: Option<f32>,
    pub title_size: Option<f32>,
    pub subtitle_size: Option<f32>,
    pub heading_sizes: Option<[f32; 3]>,
    /// The margins the file gives, in points; a side it leaves out keeps the paper's.
    pub margins: SideLengths,
    /// Font files by [`Face`], resolved against the file's folder.
    pub faces: [Option<PathBuf>; Face::COUNT],
    pub header_text: Option<String>,
    pub logo: Option<Arc<Image>>,
    pub footer: Option<Footer>,
    pub link_colour: Option<Rgb>,
    pub disclaimer: Option<Notice>,
    pub copyright: Option<Notice>,
    /// Where each value was written, to place a problem found once the paper is known.
    places: Places,
}

/// Margins given side by side, in points.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SideLengths {
    pub top: Option<f32>,
    pub bottom: Option<f32>,
    pub left: Option<f32>,
    pub right: Option<f32>,
}

impl SideLengths {
    fn is_empty(&self) -> bool {
        *self == SideLengths::default()
    }

    fn over(&self, base: Margins) -> Margins {
        Margins {
            top: self.top.unwrap_or(base.top),
            bottom: self.bottom.unwrap_or(base.bottom),
            left: self.left.unwrap_or(base.left),
            right: self.right.unwrap_or(base.right),
        }
    }
}

// ---- The file as written ------------------------------------------------------------------------

/// handout.toml: a team's house style for handouts (paper, margins, sizes, fonts, running header,
/// footer, link colour, default notices). Every key is optional: what is left out keeps the paper's
/// default. Command-line options (`--paper`) win over this file.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a TOML table of settings")]
#[schemars(title = "handout.toml")]
struct File {
    /// Paper size: a4 (default), a5, b5 (ISO B5, 176 × 250 mm) or letter. Each size has its own
    /// default margins and sizes; `--paper` on the command line wins over this key.
    #[schemars(with = "Option<PaperName>")]
    paper: Option<String>,
    /// Body text size in points, 6 to 24 (default 10.5; 10 on A5).
    #[schemars(range(min = 6, max = 24))]
    body_size: Option<Number>,
    /// Line height as a multiple of the body size, 1 to 3 (default 1.7; 1.65 on A5).
    #[schemars(range(min = 1, max = 3))]
    line_height: Option<Number>,
    /// Title size in points, 6 to 72 (default 20; 16 on A5, 18 on B5).
    #[schemars(range(min = 6, max = 72))]
    title_size: Option<Number>,
    /// Subtitle size in points, 6 to 72 (default 14; 12 on A5, 13 on B5).
    #[schemars(range(min = 6, max = 72))]
    subtitle_size: Option<Number>,
    /// Heading sizes of levels 1, 2 and 3 in points, each 6 to 72 (default [16, 13, 11]; [13, 11.5,
    /// 10.5] on A5, [15, 12.5, 11] on B5).
    #[schemars(inner(range(min = 6, max = 72)))]
    heading_sizes: Option<[Number; 3]>,
    /// Page margins: a number of points, or a text with a unit ("2cm", "20mm", "1in", "72pt"). A side
    /// left out keeps the paper's margin.
    margins: Option<MarginsFile>,
    /// Font files, relative to this file's folder (or absolute): TrueType or OpenType. A face left
    /// out is the Noto face of the fonts folder.
    fonts: Option<FontsFile>,
    /// The running header from page 2: the team's name and logo at the left, the article's short
    /// title at the right.
    header: Option<HeaderFile>,
    /// The footer of every page: text around {page} (the page's number) and {pages} (the number of
    /// pages); "" for none. Default "第 {page} 页 / 共 {pages} 页".
    footer: Option<String>,
    /// The colour of link text, "#RRGGBB" (default: black in the PDF, Word's own blue in the Word
    /// document).
    #[schemars(regex(pattern = r"^#[0-9A-Fa-f]{6}$"))]
    link_colour: Option<String>,
    /// The disclaimer an article without its own gets (default: none).
    disclaimer: Option<NoticeFile>,
    /// The copyright notice an article without its own gets (default: none).
    copyright: Option<NoticeFile>,
}

/// A paper size's name.
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum PaperName {
    A4,
    A5,
    B5,
    Letter,
}

/// Page margins; each a number of points or a text with a unit.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of margins: top, bottom, left, right"
)]
struct MarginsFile {
    /// Top margin (default 72 pt; 56 on A5, 64 on B5).
    top: Option<Length>,
    /// Bottom margin (default 72 pt; 56 on A5, 64 on B5).
    bottom: Option<Length>,
    /// Left margin (default: what centres a text block of 44 body ems, 66.64 pt on A4; 32 ems on A5,
    /// 38 on B5).
    left: Option<Length>,
    /// Right margin (default: as the left).
    right: Option<Length>,
}

/// Font files, each relative to this file's folder or absolute.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of font files: body, body_bold, heading, heading_regular, italic"
)]
struct FontsFile {
    /// Body text (default NotoSerifSC-Regular.ttf).
    body: Option<String>,
    /// Bold body text (default NotoSerifSC-Bold.ttf).
    body_bold: Option<String>,
    /// Title and headings (default NotoSansSC-Bold.ttf).
    heading: Option<String>,
    /// Sans-serif text that is not bold: subtitle, running header, footer, captions, table headers
    /// (default NotoSansSC-Regular.ttf).
    heading_regular: Option<String>,
    /// Latin emphasis (default NotoSerif-Italic.ttf).
    italic: Option<String>,
}

/// The running header.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a table with the header's text and logo"
)]
struct HeaderFile {
    /// The team's name (default: none, the short title alone, centred).
    text: Option<String>,
    /// A PNG or JPEG logo, relative to this file's folder (default: none).
    logo: Option<String>,
}

/// A notice: its label and its text (paragraphs separated by blank lines). Both are required.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a table with the notice's label and text"
)]
struct NoticeFile {
    /// The notice's label, e.g. 免责说明.
    label: String,
    /// The notice's text; a blank line starts a new paragraph.
    text: String,
}

/// A number (a size in points, a multiple of the body size).
#[derive(Clone, Copy)]
struct Number(f32);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v as f32))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f32))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f32))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl schemars::JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "number".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number" })
    }
}

/// A length: a number of points, or a text with a unit.
struct Length(f32);

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Length, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Length;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a length: a number of points or a text with a unit, such as \"2cm\", \"20mm\", \
                     \"1in\" or \"72pt\"",
                )
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Length, E> {
                Ok(Length(v as f32))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Length, E> {
                Ok(Length(v as f32))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Length, E> {
                Ok(Length(v as f32))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Length, E> {
                parse_length(v).map(Length).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl schemars::JsonSchema for Length {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Length".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A length: a number of points, or a text with a unit (pt, mm, cm, in), such as \"2cm\".",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": LENGTH_PATTERN }
            ]
        })
    }
}

/// What [`parse_length`] accepts, as a regular expression (for the schema).
const LENGTH_PATTERN: &str = r"^\s*[0-9]+(\.[0-9]*)?\s*([pP][tT]|[mM][mM]|[cC][mM]|[iI][nN])\s*$";

/// Points in a length written with a unit: "2cm", "20 mm", "1in", "72pt", "2.54cm".
pub fn parse_length(text: &str) -> Result<f32, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let expected = "expected a number and a unit (pt, mm, cm or in), such as \"2cm\"";
    let value: f32 = match number.parse() {
        Ok(v) if !number.starts_with('.') => v,
        _ => return Err(format!("\"{text}\" is not a length, {expected}")),
    };
    let per = match unit.to_ascii_lowercase().as_str() {
        "pt" => 1.0,
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        "in" => 72.0,
        "" => return Err(format!("\"{text}\" has no unit, {expected}")),
        other => {
            return Err(format!(
                "unknown unit \"{other}\" in \"{text}\", {expected}"
            ));
        }
    };
    Ok(value * per)
}

/// "#RRGGBB" as components from 0 to 1.
pub fn parse_colour(text: &str) -> Result<Rgb, String> {
    let wrong = || format!("\"{text}\" is not a colour, expected \"#RRGGBB\" such as \"#1F4E79\"");
    let hex = text.strip_prefix('#').ok_or_else(wrong)?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(wrong());
    }
    let part = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map(|v| f32::from(v) / 255.0);
    Ok([
        part(0).map_err(|_| wrong())?,
        part(2).map_err(|_| wrong())?,
        part(4).map_err(|_| wrong())?,
    ])
}

// ---- Reading ------------------------------------------------------------------------------------

/// Reads and checks a configuration file: every problem found, each placed at its value.
pub fn load(path: &Path) -> Result<Config, SourceErrors> {
    let file: Arc<Path> = Arc::from(path);
    let text = read_text(path).map_err(|why| one(&file, None, "", &why))?;
    let tree = Tree::toml(&file, &text, 1).map_err(|e| SourceErrors(vec![e]))?;
    let parsed: File = tree.deserialize(&file, "", "").map_err(|mut e| {
        e.path = e.path.trim_start_matches('.').to_string();
        if e.position.is_none() {
            e.position = Some((1, 1));
        }
        SourceErrors(vec![e])
    })?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut reading = Reading {
        file: &file,
        places: &tree.places,
        errors: Vec::new(),
    };
    let config = reading.config(parsed, folder);
    if !reading.errors.is_empty() {
        return Err(SourceErrors(reading.errors));
    }
    let mut config = config;
    config.places = tree.places;
    // The file's own paper (or A4) must hold its margins and sizes; a paper chosen on the command line
    // is checked again by [`style`].
    config.check_geometry(&config.chosen_paper(None), false)?;
    Ok(config)
}

/// The file's text: UTF-8, at most [`MAX_BYTES`].
fn read_text(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "cannot read the configuration: no such file, expected a handout.toml".to_string()
        }
        _ => format!("cannot read the configuration: {}", io_reason(&e)),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err("cannot read the configuration: it is a folder, expected a TOML file".into());
    }
    if meta.is_file() && meta.len() > MAX_BYTES {
        return Err(format!(
            "the configuration is {} bytes, expected at most {MAX_BYTES}",
            meta.len()
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "the configuration is larger than {MAX_BYTES} bytes, expected a small TOML file"
        ));
    }
    let mut text = String::from_utf8(bytes)
        .map_err(|_| "the configuration is not UTF-8 text, expected a TOML file".to_string())?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// An I/O error's reason without the "(os error N)" tail.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn one(file: &Arc<Path>, at: Option<(usize, usize)>, path: &str, message: &str) -> SourceErrors {
    SourceErrors(vec![SourceError {
        file: file.to_path_buf(),
        position: at,
        path: path.to_string(),
        message: message.to_string(),
    }])
}

/// The checks of one file's values, gathering every problem.
struct Reading<'a> {
    file: &'a Arc<Path>,
    places: &'a Places,
    errors: Vec<SourceError>,
}

impl Reading<'_> {
    fn fail(&mut self, key: &str, message: String) {
        let at = self.places.find(key).map(|p| (p.line, p.column));
        self.errors.push(SourceError {
            file: self.file.to_path_buf(),
            position: at.or(Some((1, 1))),
            path: key.to_string(),
            message,
        });
    }

    fn config(&mut self, f: File, folder: &Path) -> Config {
        let paper = f.paper.and_then(|name| {
            let found = Paper::from_name(&name);
            if found.is_none() {
                self.fail(
                    "paper",
                    format!("unknown paper \"{name}\", expected one of a4, a5, b5, letter"),
                );
            }
            found
        });
        let body_size = self.size("body_size", f.body_size, BODY_SIZE, " pt");
        let line_height = self.size(
            "line_height",
            f.line_height,
            LINE_HEIGHT,
            " times the body size",
        );
        let title_size = self.size("title_size", f.title_size, DISPLAY_SIZE, " pt");
        let subtitle_size = self.size("subtitle_size", f.subtitle_size, DISPLAY_SIZE, " pt");
        let heading_sizes = f.heading_sizes.and_then(|sizes| {
            let mut ok = true;
            for (i, s) in sizes.iter().enumerate() {
                ok &= self
                    .size(
                        &format!("heading_sizes[{i}]"),
                        Some(*s),
                        DISPLAY_SIZE,
                        " pt",
                    )
                    .is_some();
            }
            ok.then_some(sizes.map(|n| n.0))
        });
        let margins = match f.margins {
            None => SideLengths::default(),
            Some(m) => SideLengths {
                top: self.margin("margins.top", m.top),
                bottom: self.margin("margins.bottom", m.bottom),
                left: self.margin("margins.left", m.left),
                right: self.margin("margins.right", m.right),
            },
        };
        let mut faces: [Option<PathBuf>; Face::COUNT] = Default::default();
        if let Some(fonts) = f.fonts {
            for (key, name, face) in [
                ("body", fonts.body, Face::SerifRegular),
                ("body_bold", fonts.body_bold, Face::SerifBold),
                ("heading", fonts.heading, Face::SansBold),
                ("heading_regular", fonts.heading_regular, Face::SansRegular),
                ("italic", fonts.italic, Face::SerifItalic),
            ] {
                if let Some(name) = name {
                    let key = format!("fonts.{key}");
                    match font_file(folder, &name) {
                        Ok(path) => faces[face as usize] = Some(path),
                        Err(why) => self.fail(&key, why),
                    }
                }
            }
        }
        let (header_text, logo) = match f.header {
            None => (None, None),
            Some(h) => {
                let logo = h.logo.and_then(|name| match logo_file(folder, &name) {
                    Ok(image) => Some(Arc::new(image)),
                    Err(why) => {
                        self.fail("header.logo", why);
                        None
                    }
                });
                (h.text.filter(|t| !t.trim().is_empty()), logo)
            }
        };
        let footer = f.footer.and_then(|pattern| match Footer::parse(&pattern) {
            Ok(footer) => Some(footer),
            Err(why) => {
                self.fail("footer", why);
                None
            }
        });
        let link_colour = f.link_colour.and_then(|text| match parse_colour(&text) {
            Ok(c) => Some(c),
            Err(why) => {
                self.fail("link_colour", why);
                None
            }
        });
        let disclaimer = f.disclaimer.and_then(|n| self.notice("disclaimer", n));
        let copyright = f.copyright.and_then(|n| self.notice("copyright", n));
        Config {
            path: self.file.to_path_buf(),
            paper,
            body_size,
            line_height,
            title_size,
            subtitle_size,
            heading_sizes,
            margins,
            faces,
            header_text,
            logo,
            footer,
            link_colour,
            disclaimer,
            copyright,
            places: Places::default(),
        }
    }

    /// A size inside `range`, else a problem naming the range.
    fn size(
        &mut self,
        key: &str,
        value: Option<Number>,
        range: (f32, f32),
        unit: &str,
    ) -> Option<f32> {
        let v = value?.0;
        if v.is_finite() && v >= range.0 && v <= range.1 {
            return Some(v);
        }
        self.fail(
            key,
            format!(
                "{key} {v}{unit} is out of range, expected {} to {}{unit}",
                range.0, range.1
            ),
        );
        None
    }

    fn margin(&mut self, key: &str, value: Option<Length>) -> Option<f32> {
        let v = value?.0;
        if v.is_finite() && v >= 0.0 {
            return Some(v);
        }
        self.fail(key, format!("a margin of {v} pt, expected 0 or more"));
        None
    }

    fn notice(&mut self, key: &str, n: NoticeFile) -> Option<Notice> {
        let label = n.label.trim().to_string();
        if label.is_empty() {
            self.fail(
                &format!("{key}.label"),
                "an empty label, expected the notice's label such as 免责说明".into(),
            );
            return None;
        }
        let paragraphs = paragraphs(&n.text);
        if paragraphs.is_empty() {
            self.fail(
                &format!("{key}.text"),
                "an empty notice, expected its text".into(),
            );
            return None;
        }
        Some(Notice {
            label,
            paragraphs: paragraphs
                .into_iter()
                .map(|p| vec![Inline::Text(p)])
                .collect(),
        })
    }
}

/// A notice's paragraphs: separated by blank lines; the lines of one paragraph joined by nothing
/// between Chinese characters (a Chinese line is not split by a space), by a space elsewhere.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let cjk = |c: Option<char>| c.is_some_and(crate::text::is_cjk);
        if !current.is_empty() && !cjk(current.chars().next_back()) && !cjk(line.chars().next()) {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A file the configuration names, resolved against its folder, that must be a regular file.
fn named_file(folder: &Path, name: &str, what: &str) -> Result<PathBuf, String> {
    let path = folder.join(name);
    let meta = std::fs::metadata(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            format!(
                "{what} \"{name}\" not found (looked for {})",
                path.display()
            )
        }
        _ => format!("cannot read {what} \"{name}\": {}", io_reason(&e)),
    })?;
    if meta.is_dir() {
        return Err(format!("{what} \"{name}\" is a folder, expected a file"));
    }
    if !meta.is_file() {
        return Err(format!("{what} \"{name}\" is not a regular file"));
    }
    Ok(path)
}

/// A font file: present, and a TrueType or OpenType face whose tables are whole. It is mapped, not
/// read: only its table directory and character map are touched.
fn font_file(folder: &Path, name: &str) -> Result<PathBuf, String> {
    let path = named_file(folder, name, "font file")?;
    let cannot = |e: std::io::Error| format!("cannot read font file \"{name}\": {}", io_reason(&e));
    let handle = std::fs::File::open(&path).map_err(cannot)?;
    if handle.metadata().map_err(cannot)?.len() == 0 {
        return Err(format!(
            "font file \"{name}\" is empty, expected a TrueType font (.ttf)"
        ));
    }
    // SAFETY: the file is only read, and only for this check (as the fonts are, see crate::fonts).
    let map = unsafe { memmap2::Mmap::map(&handle) }.map_err(cannot)?;
    crate::fonts::check_face(&map).map_err(|why| {
        format!("font file \"{name}\": {why}; expected a TrueType font (.ttf) with glyf outlines")
    })?;
    Ok(path)
}

/// A logo: a whole PNG or JPEG file.
fn logo_file(folder: &Path, name: &str) -> Result<Image, String> {
    use std::io::Read;
    let path = named_file(folder, name, "logo")?;
    let cannot = |e: std::io::Error| format!("cannot read logo \"{name}\": {}", io_reason(&e));
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .map_err(cannot)?
        .take(crate::image::MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > crate::image::MAX_BYTES {
        return Err(format!(
            "logo \"{name}\" is larger than {} bytes, expected a small PNG or JPEG file",
            crate::image::MAX_BYTES
        ));
    }
    let mut image = crate::image::check(&bytes).map_err(|why| format!("logo \"{name}\" {why}"))?;
    image.path = path;
    Ok(image)
}

// ---- Applying -----------------------------------------------------------------------------------

impl Config {
    /// The paper the file asks for.
    pub fn paper(&self) -> Option<Paper> {
        self.paper
    }

    /// The paper used: the command line's, else the file's, else A4.
    fn chosen_paper(&self, command_line: Option<Paper>) -> Paper {
        command_line.or(self.paper).unwrap_or(Paper::A4)
    }

    /// Sets every key the file gives, except the paper (which [`style`] chooses first, since the
    /// defaults of the other keys depend on it).
    pub fn apply(&self, style: &mut Style) {
        let set = |target: &mut f32, value: Option<f32>| {
            if let Some(v) = value {
                *target = v;
            }
        };
        set(&mut style.body_size, self.body_size);
        set(&mut style.line_height, self.line_height);
        set(&mut style.title_size, self.title_size);
        set(&mut style.subtitle_size, self.subtitle_size);
        if let Some(h) = self.heading_sizes {
            style.heading_sizes = h;
        }
        if !self.margins.is_empty() {
            style.margins = self.margins.over(style.margins);
            style.word_margins = super::word_margins_of(style.margins);
        }
        for (slot, file) in style.faces.0.iter_mut().zip(&self.faces) {
            if file.is_some() {
                slot.clone_from(file);
            }
        }
        if self.header_text.is_some() {
            style.header.text.clone_from(&self.header_text);
        }
        if self.logo.is_some() {
            style.header.logo.clone_from(&self.logo);
        }
        if let Some(f) = &self.footer {
            style.footer = f.clone();
        }
        if self.link_colour.is_some() {
            style.link_colour = self.link_colour;
        }
        if self.disclaimer.is_some() {
            style.disclaimer.clone_from(&self.disclaimer);
        }
        if self.copyright.is_some() {
            style.copyright.clone_from(&self.copyright);
        }
    }

    /// Whether the margins and the body size leave a text block on `paper`: at least
    /// [`MIN_TEXT_EMS`] body ems across and a third of the page high. The problem is placed at the
    /// key that made it (a margin, else the body size). `command_line` says that the paper came from
    /// `--paper`, for the message.
    fn check_geometry(&self, paper: &Paper, command_line: bool) -> Result<(), SourceErrors> {
        if self.margins.is_empty() && self.body_size.is_none() {
            return Ok(());
        }
        let mut style = Style::for_paper(*paper);
        self.apply(&mut style);
        let (width, height) = paper.size();
        let m = style.margins;
        let on = if command_line {
            format!("on {} paper (--paper)", paper.name())
        } else {
            format!("on {} paper", paper.name())
        };
        let mut errors = Vec::new();
        let mut fail = |keys: &[&str], message: String| {
            let key = keys
                .iter()
                .find(|k| self.places.find(k).is_some_and(|_| self.given(k)))
                .copied()
                .unwrap_or("margins");
            let at = self.places.find(key).map(|p| (p.line, p.column));
            errors.push(SourceError {
                file: self.path.clone(),
                position: at.or(Some((1, 1))),
                path: key.to_string(),
                message,
            });
        };
        let room = width - m.left - m.right;
        let needed = MIN_TEXT_EMS * style.body_size;
        if room < needed - 1e-3 {
            fail(
                &["margins.left", "margins.right", "body_size"],
                format!(
                    "the left and right margins ({} and {} pt) leave {} pt of text width {on} \
                     ({} pt wide), expected at least {MIN_TEXT_EMS} body ems ({} pt at {} pt)",
                    round(m.left),
                    round(m.right),
                    round(room),
                    round(width),
                    round(needed),
                    style.body_size
                ),
            );
        }
        let block = height - m.top - m.bottom;
        if block < height / 3.0 - 1e-3 {
            fail(
                &["margins.top", "margins.bottom"],
                format!(
                    "the top and bottom margins ({} and {} pt) leave {} pt of text height {on} \
                     ({} pt high), expected at least a third of the page ({} pt)",
                    round(m.top),
                    round(m.bottom),
                    round(block),
                    round(height),
                    round(height / 3.0)
                ),
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(SourceErrors(errors))
        }
    }

    /// Whether the file gives the value at `key`.
    fn given(&self, key: &str) -> bool {
        match key {
            "margins.top" => self.margins.top.is_some(),
            "margins.bottom" => self.margins.bottom.is_some(),
            "margins.left" => self.margins.left.is_some(),
            "margins.right" => self.margins.right.is_some(),
            "body_size" => self.body_size.is_some(),
            _ => false,
        }
    }
}

/// A number of points for messages: at most two decimals, no trailing zeros.
fn round(v: f32) -> String {
    let s = format!("{:.2}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The house style of a run: the paper's preset (the command line's paper, else the file's, else A4),
/// then the file's other keys. A paper chosen on the command line must still hold the file's margins
/// and sizes (the file was checked against its own paper when loaded).
pub fn style(config: Option<&Config>, paper: Option<Paper>) -> Result<Style, SourceErrors> {
    let Some(config) = config else {
        return Ok(Style::for_paper(paper.unwrap_or(Paper::A4)));
    };
    let chosen = config.chosen_paper(paper);
    if chosen != config.chosen_paper(None) {
        config.check_geometry(&chosen, true)?;
    }
    let mut style = Style::for_paper(chosen);
    config.apply(&mut style);
    Ok(style)
}

/// The configuration for a source (`None`, or `-`: standard input): `--config FILE` when given
/// (returned even if it does not exist, so that [`load`] says so), else `handout.toml` beside the
/// source, else in the current folder.
pub fn find(source: Option<&Path>, explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(file) = explicit {
        return Some(file.to_path_buf());
    }
    let beside = source
        .filter(|s| s.as_os_str() != "-")
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.join(FILE_NAME));
    beside
        .into_iter()
        .chain([PathBuf::from(FILE_NAME)])
        .find(|p| present(p))
}

/// Whether a configuration is there: anything but a folder (an unreadable file or a dangling link is
/// found, and its loading then fails, rather than be silently passed over).
fn present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir())
        && !std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}

/// The JSON Schema of `handout.toml`, pretty-printed with a final newline (committed as
/// `handout.schema.json`; editors with a TOML language server use it through a first line
/// `#:schema ./handout.schema.json`).
pub fn schema_json() -> String {
    let mut value = schemars::schema_for!(File).to_value();
    without_null(&mut value);
    // Back to a schema, which prints its keywords in the usual order ($schema and title first).
    let schema = schemars::Schema::try_from(value).unwrap_or_default();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// A schema without the null that serde's `Option` allows: TOML has no null (a key is given or left
/// out), so an editor should not offer one.
fn without_null(schema: &mut serde_json::Value) {
    use serde_json::Value;
    match schema {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1
                    && let Some(Value::Object(only)) = any.pop()
                {
                    map.remove("anyOf");
                    map.extend(only);
                }
            }
            map.values_mut().for_each(without_null);
        }
        Value::Array(items) => items.iter_mut().for_each(without_null),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    fn errors(text: &str) -> Vec<SourceError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = write(dir.path(), FILE_NAME, text);
        load(&path).expect_err("refused").0
    }

    #[test]
    fn lengths_take_units() {
        let close = |a: f32, b: f32| (a - b).abs() < 1e-3;
        assert!(close(parse_length("72pt").unwrap(), 72.0));
        assert!(close(parse_length("1in").unwrap(), 72.0));
        assert!(close(parse_length("2.54cm").unwrap(), 72.0));
        assert!(close(parse_length(" 25.4 mm ").unwrap(), 72.0));
        assert!(close(parse_length("20MM").unwrap(), 56.692_91));
        assert!(
            parse_length("2px")
                .unwrap_err()
                .contains("unknown unit \"px\"")
        );
        assert!(parse_length("72").unwrap_err().contains("has no unit"));
        assert!(parse_length("cm").unwrap_err().contains("is not a length"));
        assert!(
            parse_length("-2cm")
                .unwrap_err()
                .contains("is not a length")
        );
        assert!(
            parse_length("1.2.3cm")
                .unwrap_err()
                .contains("is not a length")
        );
    }

    #[test]
    fn colours() {
        assert_eq!(parse_colour("#FF0000").unwrap(), [1.0, 0.0, 0.0]);
        assert_eq!(parse_colour("#00ff00").unwrap(), [0.0, 1.0, 0.0]);
        for bad in ["red", "#FFF", "FF0000", "#GG0000", "#FF00001"] {
            assert!(parse_colour(bad).unwrap_err().contains("#RRGGBB"), "{bad}");
        }
    }

    #[test]
    fn a_full_file_sets_the_style() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let logo = dir.path().join("logo.png");
        let png = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("source/figures/timeline.png"),
        );
        let has_png = png.is_ok();
        if let Ok(bytes) = png {
            std::fs::write(&logo, bytes).expect("write");
        }
        let text = format!(
            "paper = \"b5\"\nbody_size = 11\nline_height = 1.6\ntitle_size = 19\nsubtitle_size = 13.5\n\
             heading_sizes = [15, 12.5, 11]\nfooter = \"- {{page}} -\"\nlink_colour = \"#1F4E79\"\n\
             [margins]\ntop = \"2cm\"\nleft = 60\n\
             [fonts]\nbody = \"{}\"\n\
             [header]\ntext = \"某某科普小组\"\n{}\
             [disclaimer]\nlabel = \"免责说明\"\ntext = \"\"\"\n第一段\n接着。\n\nSecond\nparagraph.\n\"\"\"\n",
            fonts.join("NotoSerifSC-Regular.ttf").display(),
            if has_png { "logo = \"logo.png\"\n" } else { "" }
        );
        let path = write(dir.path(), FILE_NAME, &text);
        let config = load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.paper(), Some(Paper::B5));
        let s = style(Some(&config), None).expect("a style");
        assert_eq!(s.paper, Paper::B5);
        assert_eq!(s.body_size, 11.0);
        assert_eq!(s.line_height, 1.6);
        assert_eq!(s.heading_sizes, [15.0, 12.5, 11.0]);
        assert!((s.margins.top - 56.692_91).abs() < 1e-3);
        assert_eq!(s.margins.left, 60.0);
        assert_eq!(s.margins.bottom, 64.0, "B5's own");
        assert_eq!(s.word_margins, super::super::word_margins_of(s.margins));
        assert_eq!(s.footer.text(3, 9), "- 3 -");
        assert_eq!(
            s.link_colour,
            Some([
                0x1F as f32 / 255.0,
                0x4E as f32 / 255.0,
                0x79 as f32 / 255.0
            ])
        );
        assert_eq!(
            s.faces.get(Face::SerifRegular),
            Some(&fonts.join("NotoSerifSC-Regular.ttf"))
        );
        assert!(s.faces.get(Face::SansBold).is_none());
        assert_eq!(s.header.text.as_deref(), Some("某某科普小组"));
        assert_eq!(s.header.logo.is_some(), has_png);
        let d = s.disclaimer.expect("a disclaimer");
        assert_eq!(d.label, "免责说明");
        assert_eq!(
            d.paragraphs,
            vec![
                vec![Inline::Text("第一段接着。".into())],
                vec![Inline::Text("Second paragraph.".into())]
            ]
        );
        // The command line's paper wins; the file's other keys stay.
        let s = style(Some(&config), Some(Paper::Letter)).expect("a style");
        assert_eq!(s.paper, Paper::Letter);
        assert_eq!(s.page_width(), 612.0);
        assert_eq!(s.body_size, 11.0);
        assert_eq!(s.margins.bottom, 72.0, "Letter's own");
    }

    #[test]
    fn no_file_is_the_paper_s_preset() {
        assert!(style(None, None).unwrap().is_default());
        let s = style(None, Some(Paper::A5)).unwrap();
        assert_eq!(s.paper, Paper::A5);
        assert_eq!(s.body_size, 10.0);
    }

    #[test]
    fn problems_are_placed_and_all_reported() {
        let e = errors("paper = \"a3\"\nbody_size = 40\n\n[margins]\ntop = \"2px\"\n");
        assert_eq!(e.len(), 1, "serde stops at the first: {e:?}");
        assert_eq!(e[0].position, Some((5, 7)), "{}", e[0]);
        assert!(e[0].message.contains("unknown unit \"px\""), "{}", e[0]);

        let e =
            errors("paper = \"a3\"\nbody_size = 40\nfooter = \"{page\"\nlink_colour = \"blue\"\n");
        let shown: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(e.len(), 4, "{shown:?}");
        assert_eq!(e[0].position, Some((1, 9)));
        assert!(
            e[0].message.contains("expected one of a4, a5, b5, letter"),
            "{}",
            e[0]
        );
        assert_eq!(e[1].position, Some((2, 13)));
        assert!(e[1].message.contains("expected 6 to 24 pt"), "{}", e[1]);
        assert_eq!(e[2].position, Some((3, 10)));
        assert!(
            e[2].message.contains("expected {page} or {pages}"),
            "{}",
            e[2]
        );
        assert_eq!(e[3].position, Some((4, 15)));
        assert!(e[3].message.contains("#RRGGBB"), "{}", e[3]);
    }

    #[test]
    fn unknown_keys_are_named_with_what_is_expected() {
        let e = errors("paper = \"a4\"\ncolour = \"#000000\"\n");
        assert_eq!(e[0].position, Some((2, 10)), "{}", e[0]);
        assert!(
            e[0].message.contains("unknown field \"colour\""),
            "{}",
            e[0]
        );
        assert!(e[0].message.contains("\"link_colour\""), "{}", e[0]);
        let e = errors("[margins]\ninner = 3\n");
        assert_eq!(e[0].position, Some((2, 9)), "{}", e[0]);
        assert!(e[0].message.contains("\"inner\""), "{}", e[0]);
        assert!(e[0].message.contains("\"left\""), "{}", e[0]);
    }

    #[test]
    fn margins_must_leave_a_text_block() {
        let e = errors("[margins]\nleft = \"8cm\"\nright = \"8cm\"\n");
        assert_eq!(e[0].path, "margins.left", "{}", e[0]);
        assert_eq!(e[0].position, Some((2, 8)), "{}", e[0]);
        assert!(
            e[0].message.contains("expected at least 15 body ems"),
            "{}",
            e[0]
        );
        let e = errors("[margins]\ntop = \"10cm\"\nbottom = \"10cm\"\n");
        assert_eq!(e[0].path, "margins.top", "{}", e[0]);
        assert!(e[0].message.contains("a third of the page"), "{}", e[0]);
        let e = errors("paper = \"a5\"\nbody_size = 24\n");
        assert_eq!(e[0].path, "body_size", "{}", e[0]);
        // Fine on A4, too wide on A5 once --paper asks for it.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = write(
            dir.path(),
            FILE_NAME,
            "[margins]\nleft = \"5cm\"\nright = \"5cm\"\n",
        );
        let config = load(&path).expect("fine on A4");
        assert!(style(Some(&config), Some(Paper::A4)).is_ok());
        let e = style(Some(&config), Some(Paper::A5))
            .expect_err("too narrow on A5")
            .0;
        assert!(e[0].message.contains("on a5 paper (--paper)"), "{}", e[0]);
    }

    #[test]
    fn files_it_names_are_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "x.ttf", "not a font\n");
        write(dir.path(), "logo.png", "not an image\n");
        std::fs::create_dir(dir.path().join("folder.ttf")).expect("mkdir");
        let path = write(
            dir.path(),
            FILE_NAME,
            "[fonts]\nbody = \"missing.ttf\"\nheading = \"x.ttf\"\nitalic = \"folder.ttf\"\n\
             [header]\nlogo = \"logo.png\"\n",
        );
        let e = load(&path).expect_err("refused").0;
        let shown: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(e.len(), 4, "{shown:?}");
        assert_eq!(
            (e[0].path.as_str(), e[0].position),
            ("fonts.body", Some((2, 8)))
        );
        assert!(
            e[0].message.contains("\"missing.ttf\" not found"),
            "{}",
            e[0]
        );
        assert_eq!(e[1].position, Some((3, 11)));
        assert!(
            e[1].message
                .contains("\"x.ttf\": not a usable TrueType font"),
            "{}",
            e[1]
        );
        assert_eq!(e[2].position, Some((4, 10)));
        assert!(e[2].message.contains("is a folder"), "{}", e[2]);
        assert_eq!(e[3].position, Some((6, 8)));
        assert!(
            e[3].message
                .contains("logo \"logo.png\" is neither PNG nor JPEG"),
            "{}",
            e[3]
        );
    }

    #[test]
    fn notices_need_label_and_text() {
        let e = errors("[copyright]\nlabel = \"版权说明\"\n");
        assert!(e[0].message.contains("missing field \"text\""), "{}", e[0]);
        let e = errors("[copyright]\nlabel = \"版权说明\"\ntext = \"\\n\\n\"\n");
        assert_eq!(e[0].path, "copyright.text");
    }

    #[test]
    fn discovery_prefers_the_flag_then_the_source_s_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sub = dir.path().join("articles");
        std::fs::create_dir(&sub).expect("mkdir");
        let source = sub.join("a.md");
        assert_eq!(
            find(Some(&source), Some(Path::new("x.toml"))),
            Some(PathBuf::from("x.toml"))
        );
        write(&sub, FILE_NAME, "");
        assert_eq!(find(Some(&source), None), Some(sub.join(FILE_NAME)));
    }

    #[test]
    fn the_schema_knows_every_key() {
        let schema: serde_json::Value = serde_json::from_str(&schema_json()).expect("JSON");
        let keys = schema["properties"].as_object().expect("properties");
        for key in [
            "paper",
            "body_size",
            "line_height",
            "title_size",
            "subtitle_size",
            "heading_sizes",
            "margins",
            "fonts",
            "header",
            "footer",
            "link_colour",
            "disclaimer",
            "copyright",
        ] {
            assert!(keys.contains_key(key), "{key}");
        }
        assert_eq!(schema["additionalProperties"], false);
        let text = schema_json();
        assert!(text.contains("\"letter\""), "the paper names");
        assert!(text.contains("#RRGGBB") && text.contains("^#[0-9A-Fa-f]{6}$"));
    }

    #[test]
    fn the_committed_schema_is_current() {
        let committed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("handout.schema.json"),
        )
        .expect("handout.schema.json at the repository's root");
        assert!(
            committed == schema_json(),
            "handout.schema.json is stale: run `handout schema --config -o handout.schema.json`"
        );
    }

    #[test]
    fn loading_is_fast() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = write(
            dir.path(),
            FILE_NAME,
            "paper = \"a5\"\nbody_size = 10\nline_height = 1.6\nfooter = \"{page}\"\n\
             link_colour = \"#1F4E79\"\n[margins]\ntop = \"2cm\"\nbottom = \"2cm\"\n\
             [header]\ntext = \"某某小组\"\n[disclaimer]\nlabel = \"免责说明\"\ntext = \"仅供参考。\"\n",
        );
        load(&path).expect("loads");
        let runs = 200;
        let started = std::time::Instant::now();
        for _ in 0..runs {
            load(&path).expect("loads");
        }
        let each = started.elapsed() / runs;
        eprintln!("handout.toml loaded in {each:?}");
        // A debug build, on a busy machine: generous; the release build is several times faster.
        assert!(each < std::time::Duration::from_millis(5), "{each:?}");

        // The five faces named: each mapped and its table directory and character map checked, not
        // read whole (the Noto CJK faces are 10 MB and more each).
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let named: String = [
            ("body", Face::SerifRegular),
            ("body_bold", Face::SerifBold),
            ("heading", Face::SansBold),
            ("heading_regular", Face::SansRegular),
            ("italic", Face::SerifItalic),
        ]
        .iter()
        .map(|(key, face)| format!("{key} = \"{}\"\n", fonts.join(face.file_name()).display()))
        .collect();
        let path = write(dir.path(), FILE_NAME, &format!("[fonts]\n{named}"));
        load(&path).expect("loads");
        let started = std::time::Instant::now();
        for _ in 0..runs {
            load(&path).expect("loads");
        }
        let each = started.elapsed() / runs;
        eprintln!("handout.toml naming five fonts loaded in {each:?}");
        assert!(each < std::time::Duration::from_millis(20), "{each:?}");
    }
}
