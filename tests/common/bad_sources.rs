//! Bad tables, figures and notes, each a whole source with the files beside it, and what its error
//! must say: where (the place is marked « in the text, so the expected line and column are read off
//! the text, not asked of the code), the JSON path, and the words of the message.

use std::path::{Path, PathBuf};

/// Marks, in a case's blocks, the character the error must point at (removed from the source).
const MARK: char = '«';

/// A file the case puts beside its source.
pub enum Beside {
    File(&'static str, Vec<u8>),
    /// A file no one but its owner's superuser may read (mode 000).
    Unreadable(&'static str, Vec<u8>),
    /// A symbolic link to a PNG outside the source's folder.
    LinkOut(&'static str),
    Fifo(&'static str),
}

pub struct BadSource {
    /// What is wrong, for messages.
    pub what: &'static str,
    /// The blocks of the article, with « where the error points.
    pub blocks: String,
    pub beside: Vec<Beside>,
    pub path: &'static str,
    /// Words the message must hold.
    pub message: &'static str,
}

/// A case made on disk: the source file, and the line and column the error must name.
pub struct Made {
    pub source: PathBuf,
    pub at: (usize, usize),
}

impl BadSource {
    /// Writes the source as `case.json` into `dir` (inside a folder of its own, so that a link or
    /// a `..` can lead out of it), with its files.
    pub fn make(&self, dir: &Path) -> Made {
        let folder = dir.join("case");
        std::fs::create_dir_all(&folder).expect("the case's folder");
        let marked = format!(
            "{{\n  \"meta\": {{\"title\": \"坏的来源\", \"author\": \"作者\"}},\n  \"blocks\": [\n    {}\n  ],\n  \"disclaimer\": {{\"label\": \"免责说明\", \"paragraphs\": [[\"仅供参考。\"]]}}\n}}\n",
            self.blocks
        );
        let mark = marked
            .find(MARK)
            .unwrap_or_else(|| panic!("{}: no « in the case", self.what));
        let before = &marked[..mark];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        let source = folder.join("case.json");
        std::fs::write(&source, marked.replace(MARK, "")).expect("write the case");
        for file in &self.beside {
            file.make(&folder);
        }
        Made {
            source,
            at: (line, column),
        }
    }

    /// Whether the case needs a reader that is not the superuser (who reads any file).
    pub fn needs_an_ordinary_user(&self) -> bool {
        self.beside
            .iter()
            .any(|b| matches!(b, Beside::Unreadable(..)))
    }
}

impl Beside {
    fn make(&self, folder: &Path) {
        use std::os::unix::fs::PermissionsExt;
        match self {
            Beside::File(name, bytes) => std::fs::write(folder.join(name), bytes).expect("write"),
            Beside::Unreadable(name, bytes) => {
                let path = folder.join(name);
                std::fs::write(&path, bytes).expect("write");
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000))
                    .expect("chmod 000");
            }
            Beside::LinkOut(name) => {
                let outside = folder.parent().expect("a parent").join("outside.png");
                std::fs::write(&outside, png(4, 3)).expect("write");
                std::os::unix::fs::symlink("../outside.png", folder.join(name)).expect("symlink");
            }
            Beside::Fifo(name) => {
                let made = std::process::Command::new("mkfifo")
                    .arg(folder.join(name))
                    .status()
                    .expect("mkfifo runs");
                assert!(made.success(), "mkfifo failed");
            }
        }
    }
}

/// A whole PNG, `w` × `h` grey pixels, made with the png crate.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().expect("PNG header");
    writer
        .write_image_data(&vec![128; (w * h) as usize])
        .expect("PNG data");
    writer.finish().expect("PNG end");
    out
}

/// A PNG whose header claims `w` × `h` pixels, with a few bytes of data (never decoded that far).
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // IHDR's data starts after the signature (8), the chunk's length (4) and its type (4).
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// CRC-32 as PNG chunks use it (ISO 3309), bit by bit: small data, no table needed.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The article's JPEG photo, whole.
fn jpeg() -> Vec<u8> {
    std::fs::read(super::root().join("source/figures/blood-tubes.jpg")).expect("the JPEG")
}

fn figure(image: &str) -> String {
    format!("{{\"figure\": {{\"image\": «\"{image}\", \"alt\": \"图\"}}}}")
}

fn table(body: &str) -> String {
    format!("{{\"table\": {{\"caption\": [\"表\"], {body}}}}}")
}

/// Every case.
pub fn cases() -> Vec<BadSource> {
    let mut cases = table_cases();
    cases.extend(image_cases());
    cases.extend(figure_and_note_cases());
    cases
}

fn table_cases() -> Vec<BadSource> {
    let case = |what, body: &str, path, message| BadSource {
        what,
        blocks: table(body),
        beside: Vec::new(),
        path,
        message,
    };
    vec![
        case(
            "a row covering too many columns",
            r#""body": [["a", "b"], «["a", "b", "c"]]"#,
            "blocks[0].table.body[1]",
            "the row covers 3 columns, expected 2 columns (as many as the first row)",
        ),
        case(
            "a row covering too few columns, a row span counted",
            r#""head": [[{"content": ["a"], "rowspan": 2}, "b", "c"], «["d"]], "body": [["e", "f", "g"]]"#,
            "blocks[0].table.head[1]",
            "the row covers 2 columns, expected 3 columns",
        ),
        case(
            "a rowspan past the last row",
            r#""body": [[{"content": ["a"], "rowspan": «3}, "b"], ["c"]]"#,
            "blocks[0].table.body[0][0].rowspan",
            "rowspan 3 runs past the last row, expected at most 2",
        ),
        case(
            "a colspan of 0",
            r#""body": [[{"content": ["a"], "colspan": «0}, "b"]]"#,
            "blocks[0].table.body[0][0].colspan",
            "colspan 0, expected 1 or more",
        ),
        case(
            "a rowspan of 0",
            r#""body": [["a", {"content": ["b"], "rowspan": «0}]]"#,
            "blocks[0].table.body[0][1].rowspan",
            "rowspan 0, expected 1 or more",
        ),
        case(
            "fewer columns described than the table has",
            r#""columns": «[{"align": "left"}], "body": [["a", "b"]]"#,
            "blocks[0].table.columns",
            "1 column described, expected one for each of the table's 2 columns",
        ),
        case(
            "a column width of 0",
            r#""columns": [{"width": «0}, {"width": 1}], "body": [["a", "b"]]"#,
            "blocks[0].table.columns[0].width",
            "width 0, expected a positive number",
        ),
        case(
            "a negative column width",
            r#""columns": [{"width": 1}, {"width": «-2}], "body": [["a", "b"]]"#,
            "blocks[0].table.columns[1].width",
            "width -2, expected a positive number",
        ),
        case(
            "a column width that is not a number",
            r#""columns": [{"width": «"wide"}, {}], "body": [["a", "b"]]"#,
            "blocks[0].table.columns[0].width",
            "invalid type: string \"wide\", expected a number",
        ),
        case(
            "an unknown alignment",
            r#""columns": [{"align": «"middle"}, {}], "body": [["a", "b"]]"#,
            "blocks[0].table.columns[0].align",
            "unknown variant \"middle\", expected one of \"left\", \"center\", \"right\", \"decimal\"",
        ),
        case(
            "a row with no cell",
            r#""body": [«[]]"#,
            "blocks[0].table.body[0]",
            "a row with no cell, expected at least one",
        ),
        case(
            "more columns than any page holds",
            r#""body": [«[{"content": ["a"], "colspan": 4294967295}]]"#,
            "blocks[0].table.body[0]",
            "the table has 4294967295 columns, expected at most 64",
        ),
        case(
            "no body row",
            r#""head": [["a"]], "body": «[]"#,
            "blocks[0].table.body",
            "no body row, expected at least one",
        ),
    ]
}

fn image_cases() -> Vec<BadSource> {
    let case = |what, image: &str, beside: Vec<Beside>, message| BadSource {
        what,
        blocks: figure(image),
        beside,
        path: "blocks[0].figure.image",
        message,
    };
    let jpeg = jpeg();
    vec![
        case(
            "a missing image",
            "missing.png",
            vec![],
            "image \"missing.png\" not found",
        ),
        case(
            "an image the user may not read",
            "secret.png",
            vec![Beside::Unreadable("secret.png", png(4, 3))],
            "cannot read image \"secret.png\": permission denied",
        ),
        case(
            "a GIF",
            "chart.gif",
            vec![Beside::File(
                "chart.gif",
                b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            )],
            "image \"chart.gif\" is neither PNG nor JPEG, expected a PNG or JPEG file",
        ),
        case(
            "text named .png",
            "notes.png",
            vec![Beside::File("notes.png", b"not an image\n".to_vec())],
            "is neither PNG nor JPEG",
        ),
        case(
            "a truncated PNG",
            "cut.png",
            vec![Beside::File("cut.png", png(40, 30)[..60].to_vec())],
            "image \"cut.png\" is a damaged PNG (",
        ),
        case(
            "a JPEG cut in its image data",
            "cut.jpg",
            vec![Beside::File("cut.jpg", jpeg[..jpeg.len() / 2].to_vec())],
            "image \"cut.jpg\" is a JPEG cut short (no end-of-image marker), expected a whole JPEG file",
        ),
        case(
            "a JPEG cut in its headers",
            "stub.jpg",
            vec![Beside::File("stub.jpg", jpeg[..120].to_vec())],
            "image \"stub.jpg\" is a damaged JPEG (",
        ),
        case(
            "a PNG of 10,001 pixels a side",
            "huge.png",
            vec![Beside::File("huge.png", png_claiming(10_001, 10))],
            "image \"huge.png\" is 10001 × 10 pixels, expected at most 10000 pixels a side",
        ),
        case(
            "a path up out of the folder",
            "../outside.png",
            vec![],
            "image \"../outside.png\" leaves the source's folder",
        ),
        case(
            "a link leading out of the folder",
            "link.png",
            vec![Beside::LinkOut("link.png")],
            "image \"link.png\" leads out of the source's folder",
        ),
        case(
            "an absolute path",
            "/etc/hostname.png",
            vec![],
            "image \"/etc/hostname.png\" is an absolute path",
        ),
        case(
            "an address",
            "https://example.org/chart.png",
            vec![],
            "is an address; images are never fetched",
        ),
        case(
            "a FIFO (reading it would wait for a writer)",
            "pipe.png",
            vec![Beside::Fifo("pipe.png")],
            "image \"pipe.png\" is not a file",
        ),
    ]
}

fn figure_and_note_cases() -> Vec<BadSource> {
    let png = png(4, 3);
    let case = |what, blocks: &str, path, message| BadSource {
        what,
        blocks: blocks.to_string(),
        beside: vec![Beside::File("chart.png", png.clone())],
        path,
        message,
    };
    vec![
        case(
            "empty alt text",
            r#"{"figure": {"image": "chart.png", "alt": «" "}}"#,
            "blocks[0].figure.alt",
            "empty alt text, expected what the image shows",
        ),
        case(
            "a width of 0",
            r#"{"figure": {"image": "chart.png", "alt": "图", "width": «0}}"#,
            "blocks[0].figure.width",
            "width 0, expected a fraction of the text width above 0 and at most 1",
        ),
        case(
            "a width of 1.5",
            r#"{"figure": {"image": "chart.png", "alt": "图", "width": «1.5}}"#,
            "blocks[0].figure.width",
            "width 1.5, expected a fraction of the text width above 0 and at most 1",
        ),
        case(
            "a note inside a note",
            r#"{"paragraph": ["正文", {"note": ["注释", {"note": «["套注"]}]}]}"#,
            "blocks[0].paragraph[1].note[1].note",
            "a note inside a note, expected it in the text",
        ),
        case(
            "a note in a heading",
            r#"{"heading": {"level": 1, "content": ["标题", {"note": «["注释"]}]}}"#,
            "blocks[0].heading.content[1].note",
            "a note here cannot be set, expected it in a paragraph, list item, table, caption or quote",
        ),
        case(
            "an empty note",
            r#"{"paragraph": ["正文", {"note": «[" "]}]}"#,
            "blocks[0].paragraph[1].note",
            "empty note, expected its text",
        ),
        case(
            "an aside holding a table",
            r#"{"aside": {"label": "温馨提示", "blocks": [«{"table": {"caption": ["表"], "body": [["a"]]}}]}}"#,
            "blocks[0].aside.blocks[0]",
            "a table in an aside, expected a paragraph, a labelled paragraph or a list",
        ),
    ]
}
