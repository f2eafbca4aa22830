//! A house style's own faces (issue 13, `[fonts]` of handout.toml): the seed article set in LXGW
//! WenKai (霞鹜文楷, SIL OFL 1.1) for the body and the headings, as PDF and as Word document, with the
//! configured faces embedded (as subsets) and named by the family their files give; and a configured
//! face that lacks a character of the article refused where the character stands, naming its file.
//!
//! The LXGW tests need the faces in target/test-fonts/ (`scripts/fetch-test-fonts`, which .ci/run
//! calls) and poppler-utils and LibreOffice; they fail, saying how to get them, when they are missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

mod common;

use common::{require, root, seed_source, zip_parts};
use handout::fonts::Face;
use handout::style::{FaceFiles, Style};
use handout::{Error, Format, Options};

/// A face of LXGW WenKai in target/test-fonts/, or a loud failure saying how to get it.
fn lxgw(weight: &str) -> PathBuf {
    let file = root().join(format!("target/test-fonts/LXGWWenKai-{weight}.ttf"));
    assert!(
        file.is_file(),
        "{} is missing: run scripts/fetch-test-fonts (it puts LXGW WenKai 1.250, SIL OFL, from \
         Debian's fonts-lxgw-wenkai into target/test-fonts/)",
        file.display()
    );
    file
}

/// Options whose style sets the faces given and leaves the others to the fonts folder.
fn options_with(faces: &[(Face, PathBuf)]) -> Options {
    let mut files = FaceFiles::default();
    for (face, file) in faces {
        files.0[*face as usize] = Some(file.clone());
    }
    Options {
        style: Arc::new(Style {
            faces: files,
            ..Style::default()
        }),
        ..Options::default()
    }
}

/// The body (regular and bold) and the headings (regular and bold) in LXGW WenKai; the Latin italic
/// stays Noto Serif.
fn wenkai() -> Options {
    let (regular, bold) = (lxgw("Regular"), lxgw("Bold"));
    options_with(&[
        (Face::SerifRegular, regular.clone()),
        (Face::SerifBold, bold.clone()),
        (Face::SansRegular, regular),
        (Face::SansBold, bold),
    ])
}

/// The seed article in `format`, as the library renders it for `options` (fonts checked first).
fn render(format: Format, options: &Options) -> Vec<u8> {
    let source = handout::load(&seed_source()).expect("the seed article loads");
    handout::render_source(&source, format, options)
        .unwrap_or_else(|e| panic!("the {} renders: {e}", format.name()))
}

/// The family of the body face as the library reads it from the file's `name` table.
fn family(options: &Options, face: Face) -> String {
    options
        .fonts()
        .expect("the fonts open")
        .family(face)
        .to_string()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the program runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pdffonts's rows: (name, embedded, subset).
fn pdffonts(pdf: &Path) -> Vec<(String, bool, bool)> {
    require("pdffonts", "poppler-utils");
    let listing = run(Command::new("pdffonts").arg(pdf));
    listing
        .lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // Columns: name, type (one or two words), encoding, emb, sub, uni, object, ID.
            let at = cols.len().checked_sub(5)?;
            Some((
                cols[0].to_string(),
                cols[at] == "yes",
                cols[at + 1] == "yes",
            ))
        })
        .collect()
}

/// The PostScript-style name a family's face is embedded under: the family without spaces, then
/// the style.
fn compact(family: &str) -> String {
    family.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts)"]
fn the_pdf_embeds_subsets_of_the_configured_faces() {
    let options = wenkai();
    let family = family(&options, Face::SerifRegular);
    assert_eq!(family, "LXGW WenKai", "the English name of the family");
    assert_eq!(
        options.fonts().expect("fonts").family(Face::SansBold),
        family
    );
    let dir = tempfile::tempdir().expect("a temp dir");
    let pdf = dir.path().join("article.pdf");
    std::fs::write(&pdf, render(Format::Pdf, &options)).expect("written");
    let fonts = pdffonts(&pdf);
    let listing = format!("{fonts:#?}");
    for style in ["Regular", "Bold"] {
        let name = format!("{}-{style}", compact(&family));
        let row = fonts
            .iter()
            .find(|(n, ..)| n.split_once('+').map(|(_, base)| base) == Some(name.as_str()))
            .unwrap_or_else(|| panic!("no subset of {name} in the PDF:\n{listing}"));
        assert!(
            row.1 && row.2,
            "{name} is not embedded as a subset: {row:?}"
        );
        let tag = row.0.split_once('+').expect("a subset tag").0;
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{row:?}"
        );
    }
    for (name, embedded, subset) in &fonts {
        assert!(*embedded && *subset, "{name} is not an embedded subset");
        assert!(
            !name.contains("NotoSerifSC") && !name.contains("NotoSansSC"),
            "a default CJK face is still set: {name}"
        );
    }
    // The text is still the article's.
    require("pdftotext", "poppler-utils");
    let text = run(Command::new("pdftotext").arg(&pdf).arg("-"));
    assert!(text.contains("神经"), "{text}");
}

/// The embedded faces of a Word document, de-obfuscated: (family, element) -> font.
fn embedded_faces(
    parts: &std::collections::HashMap<String, Vec<u8>>,
) -> BTreeMap<(String, String), Vec<u8>> {
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let text = |name: &str| String::from_utf8(parts[name].clone()).expect("UTF-8");
    let table = text("word/fontTable.xml");
    let rels = text("word/_rels/fontTable.xml.rels");
    let table = roxmltree::Document::parse(&table).expect("fontTable.xml");
    let rels = roxmltree::Document::parse(&rels).expect("fontTable.xml.rels");
    let w = |n: roxmltree::Node, a: &str| {
        n.attributes()
            .find(|x| x.name() == a)
            .map(|x| x.value().to_string())
    };
    let mut out = BTreeMap::new();
    for font in table
        .descendants()
        .filter(|n| n.tag_name().name() == "font")
    {
        let family = w(font, "name").expect("w:name");
        for embed in font
            .children()
            .filter(|n| n.tag_name().name().starts_with("embed"))
        {
            let rid = embed.attribute((R, "id")).expect("r:id");
            let key = w(embed, "fontKey").expect("w:fontKey");
            let target = rels
                .descendants()
                .find(|n| n.attribute("Id") == Some(rid))
                .and_then(|n| n.attribute("Target"))
                .expect("a relationship");
            let mut data = parts[&format!("word/{target}")].clone();
            let hex: String = key.chars().filter(|c| c.is_ascii_hexdigit()).collect();
            let g: Vec<u8> = (0..16)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
                .collect();
            for (i, byte) in data.iter_mut().take(32).enumerate() {
                *byte ^= g[15 - i % 16];
            }
            out.insert((family.clone(), embed.tag_name().name().to_string()), data);
        }
    }
    out
}

#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts)"]
fn the_word_document_embeds_the_configured_faces_under_their_family() {
    let options = wenkai();
    let family = family(&options, Face::SerifRegular);
    let parts = zip_parts(&render(Format::Docx, &options));
    let odttf: Vec<&String> = parts
        .keys()
        .filter(|n| n.starts_with("word/fonts/") && n.ends_with(".odttf"))
        .collect();
    let table = String::from_utf8(parts["word/fontTable.xml"].clone()).expect("UTF-8");
    assert!(
        table.contains(&format!(r#"<w:font w:name="{family}">"#)),
        "fontTable.xml does not name {family}:\n{table}"
    );
    assert!(
        !table.contains("Noto Serif SC") && !table.contains("Noto Sans SC"),
        "fontTable.xml still names a default CJK family:\n{table}"
    );
    let faces = embedded_faces(&parts);
    // The body's and the headings' faces are one family's two files: embedded once each, as the
    // family's regular and bold.
    let regular = &faces[&(family.clone(), "embedRegular".to_string())];
    let bold = &faces[&(family.clone(), "embedBold".to_string())];
    let cjk = faces.keys().filter(|(f, _)| *f == family).count();
    assert_eq!(cjk, 2, "{:?}", faces.keys().collect::<Vec<_>>());
    assert_eq!(odttf.len(), faces.len(), "{odttf:?}");
    for (data, style) in [(regular, "Regular"), (bold, "Bold")] {
        let face = ttf_parser::Face::parse(data, 0).expect("an embedded font");
        let name = |id: u16| {
            face.names()
                .into_iter()
                .filter(|n| n.name_id == id && n.language_id == 0x0409)
                .find_map(|n| n.to_string())
        };
        assert_eq!(name(1).as_deref(), Some(family.as_str()), "{style}");
        assert_eq!(name(2).as_deref(), Some(style));
        assert_eq!(face.is_bold(), style == "Bold");
        assert!(
            data.len() < 3_000_000,
            "{style} is not subset: {} bytes",
            data.len()
        );
        assert!(face.glyph_index('神').is_some(), "{style} lacks 神");
    }
    // The styles name the family Word finds the embedded faces under.
    let styles = String::from_utf8(parts["word/styles.xml"].clone()).expect("UTF-8");
    assert!(
        styles.contains(&format!(r#"w:eastAsia="{family}""#)),
        "{styles}"
    );
    assert!(
        !styles.contains("Noto Serif SC") && !styles.contains("Noto Sans SC"),
        "styles.xml still names a default CJK family"
    );
}

/// The system's fontconfig setup minus every font that covers Simplified Chinese and LXGW WenKai.
const NO_CJK_FONTCONFIG: &str = r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="lang"><string>zh-cn</string></patelt></pattern>
    <pattern><patelt name="family"><string>LXGW WenKai</string></patelt></pattern>
    <pattern><patelt name="family"><string>Noto Serif SC</string></patelt></pattern>
    <pattern><patelt name="family"><string>Noto Sans SC</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"#;

/// The seed article's Word document for `options`, converted to PDF by LibreOffice with every
/// Chinese system font hidden: the fonts of that PDF, as pdffonts lists them.
fn libreoffice_fonts(options: &Options) -> Vec<(String, bool, bool)> {
    require("soffice", "libreoffice-writer-nogui");
    let dir = tempfile::tempdir().expect("a temp dir");
    let docx = dir.path().join("article.docx");
    std::fs::write(&docx, render(Format::Docx, options)).expect("written");
    let fontconfig = dir.path().join("fonts.conf");
    std::fs::write(&fontconfig, NO_CJK_FONTCONFIG).expect("written");
    run(Command::new("soffice")
        .env("FONTCONFIG_FILE", &fontconfig)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx));
    let pdf = docx.with_extension("pdf");
    assert!(pdf.is_file(), "LibreOffice wrote no PDF");
    pdffonts(&pdf)
}

/// Asserts that LibreOffice set the document in the embedded faces `names` (PostScript names),
/// and in nothing else (a character missing from a subset would be set in some other font).
fn assert_set_in(fonts: &[(String, bool, bool)], names: &[String]) {
    let listing = format!("{fonts:#?}");
    for name in names {
        assert!(
            fonts.iter().any(|(n, ..)| n.ends_with(&format!("+{name}"))),
            "LibreOffice did not set the document in the embedded {name}:\n{listing}"
        );
    }
    for (font, embedded, _) in fonts {
        assert!(*embedded, "not embedded: {font}");
        assert!(
            names.iter().any(|name| font.ends_with(&format!("+{name}"))),
            "a face other than the embedded ones: {font}\n{listing}"
        );
    }
}

#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts), LibreOffice and poppler-utils"]
fn libreoffice_sets_the_word_document_in_the_embedded_configured_faces() {
    let options = wenkai();
    let family = compact(&family(&options, Face::SerifRegular));
    let fonts = libreoffice_fonts(&options);
    let mut names = vec![format!("{family}-Regular"), format!("{family}-Bold")];
    if fonts.iter().any(|(n, ..)| n.contains("+NotoSerif-Italic")) {
        names.push("NotoSerif-Italic".into());
    }
    assert_set_in(&fonts, &names);
}

/// A team that sets only its headings in LXGW WenKai Regular: the headings' family is LXGW WenKai,
/// whose bold (the headings) is the Regular file and whose regular (the running header and footer,
/// captions) is the default Noto Sans SC. Both are embedded named as the family's bold and regular,
/// so that LibreOffice finds them there rather than a bold made up from the regular, or another font.
#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts), LibreOffice and poppler-utils"]
fn libreoffice_finds_a_heading_face_of_another_weight_and_family_under_the_headings_family() {
    let options = options_with(&[(Face::SansBold, lxgw("Regular"))]);
    let fonts_of = options.fonts().expect("the fonts open");
    assert_eq!(fonts_of.word_family(Face::SansBold), "LXGW WenKai");
    assert_eq!(fonts_of.word_family(Face::SansRegular), "LXGW WenKai");
    assert_eq!(fonts_of.word_family(Face::SerifRegular), "Noto Serif SC");
    let parts = zip_parts(&render(Format::Docx, &options));
    let faces = embedded_faces(&parts);
    let bold = ttf_parser::Face::parse(&faces[&("LXGW WenKai".into(), "embedBold".into())], 0)
        .expect("the headings' face");
    assert!(
        bold.is_bold(),
        "the Regular file is embedded as the family's bold"
    );
    let fonts = libreoffice_fonts(&options);
    let mut names = vec![
        "LXGWWenKai-Bold".to_string(),
        "NotoSerifSC-Regular".to_string(),
    ];
    for optional in ["LXGWWenKai-Regular", "NotoSerifSC-Bold", "NotoSerif-Italic"] {
        if fonts
            .iter()
            .any(|(n, ..)| n.ends_with(&format!("+{optional}")))
        {
            names.push(optional.into());
        }
    }
    assert_set_in(&fonts, &names);
}

/// A Han character Noto Serif SC has and `face` lacks.
fn lacking_in(face: &Path) -> char {
    let data = std::fs::read(face).expect("the face reads");
    let face = ttf_parser::Face::parse(&data, 0).expect("a font");
    let noto = std::fs::read(root().join("fonts/NotoSerifSC-Regular.ttf")).expect("Noto reads");
    let noto = ttf_parser::Face::parse(&noto, 0).expect("a font");
    // The common block, then Extension A, the compatibility ideographs and the supplementary ones.
    let han = ('\u{4E00}'..='\u{9FFF}')
        .chain('\u{3400}'..='\u{4DBF}')
        .chain('\u{F900}'..='\u{FAFF}')
        .chain('\u{20000}'..='\u{2FFFF}');
    han.into_iter()
        .find(|&c| face.glyph_index(c).is_none() && noto.glyph_index(c).is_some())
        .expect("a Han character the face lacks")
}

/// A source whose one paragraph holds `c`, and the line and column of `c` in it.
fn source_with(dir: &Path, c: char) -> (PathBuf, usize, usize) {
    let text = format!(
        "{{\n  \"meta\": {{\"title\": \"字体测试\", \"author\": \"测试\"}},\n  \"blocks\": [\n    \
         {{\"paragraph\": [\"这里有{c}字\"]}}\n  ],\n  \"disclaimer\": {{\"label\": \"免责说明\", \
         \"paragraphs\": [[\"仅供参考。\"]]}}\n}}\n"
    );
    let file = dir.join("t.json");
    std::fs::write(&file, &text).expect("written");
    let line = text.lines().position(|l| l.contains(c)).expect("on a line") + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .expect("the line")
        .chars()
        .position(|x| x == c)
        .expect("in the line")
        + 1;
    (file, line, column)
}

/// Renders `source` in both formats that embed fonts; each must fail with one located error that
/// names `file` (first) as a face lacking `c`. The message.
fn assert_refused(
    source: &Path,
    options: &Options,
    c: char,
    file: &Path,
    line: usize,
    column: usize,
) -> String {
    let source = handout::load(source).expect("the source loads");
    let mut last = String::new();
    for format in [Format::Pdf, Format::Docx] {
        let e = handout::render_source(&source, format, options).expect_err("a face lacks it");
        let Error::Source(errors) = &e else {
            panic!("not a located error: {e}");
        };
        let message = e.to_string();
        assert!(!errors.0.is_empty(), "{message}");
        let expected = format!(
            "t.json:{line}:{column}: blocks[0].paragraph[0]: character '{c}' (U+{:04X}) is not in {}",
            c as u32,
            file.display()
        );
        assert!(
            message.contains(&expected),
            "expected {expected:?} in:\n{message}"
        );
        last = message;
    }
    last
}

/// Runs without the test fonts: the Noto italic (Latin only), set as the body face, lacks the
/// article's Han characters.
#[test]
fn a_configured_face_that_lacks_a_character_is_named_where_the_character_stands() {
    let italic = root().join("fonts/NotoSerif-Italic.ttf");
    let options = options_with(&[(Face::SerifRegular, italic.clone())]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let (source, line, column) = source_with(dir.path(), '神');
    let message = assert_refused(&source, &options, '神', &italic, line, column);
    // Only the configured face lacks it.
    assert!(!message.contains("NotoSerifSC"), "{message}");
}

#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts)"]
fn a_han_character_lxgw_wenkai_lacks_is_named_with_its_file() {
    let options = wenkai();
    let regular = lxgw("Regular");
    let c = lacking_in(&regular);
    let dir = tempfile::tempdir().expect("a temp dir");
    let (source, line, column) = source_with(dir.path(), c);
    // The regular file is named first (the body's face), once although the headings' regular is
    // the same file.
    let message = assert_refused(&source, &options, c, &regular, line, column);
    assert_eq!(
        message.lines().count(),
        1,
        "one character, one error: {message}"
    );
    assert_eq!(
        message.matches(&regular.display().to_string()).count(),
        1,
        "{message}"
    );
}

/// A TrueType collection (.ttc) is read at its first face: WenQuanYi Micro Hei (the collection's
/// second face is its monospaced twin) for every CJK face; in the Word document one family, whose
/// regular and bold are the same face.
#[test]
#[ignore = "needs target/test-fonts (scripts/fetch-test-fonts)"]
fn a_font_collection_is_set_in_its_first_face() {
    let file = root().join("target/test-fonts/wqy-microhei.ttc");
    assert!(
        file.is_file(),
        "{} is missing: run scripts/fetch-test-fonts",
        file.display()
    );
    let options = options_with(&Face::CJK.map(|face| (face, file.clone())));
    let family = family(&options, Face::SerifRegular);
    assert_eq!(family, "WenQuanYi Micro Hei");
    let dir = tempfile::tempdir().expect("a temp dir");
    let pdf = dir.path().join("article.pdf");
    std::fs::write(&pdf, render(Format::Pdf, &options)).expect("written");
    let fonts = pdffonts(&pdf);
    let ours: Vec<_> = fonts
        .iter()
        .filter(|(n, ..)| n.ends_with(&format!("+{}", compact(&family))))
        .collect();
    // Every CJK face is the collection's first face (its regular serves as the bold too); only the
    // Latin italic may be another.
    let italic = fonts
        .iter()
        .filter(|(n, ..)| n.contains("+NotoSerif-Italic"))
        .count();
    assert_eq!(ours.len() + italic, fonts.len(), "{fonts:#?}");
    assert!(
        ours.iter()
            .all(|(_, embedded, subset)| *embedded && *subset)
    );
    let parts = zip_parts(&render(Format::Docx, &options));
    let faces = embedded_faces(&parts);
    for element in ["embedRegular", "embedBold"] {
        let key = (family.clone(), element.to_string());
        let data = faces
            .get(&key)
            .unwrap_or_else(|| panic!("no {key:?} in {:?}", faces.keys().collect::<Vec<_>>()));
        let face = ttf_parser::Face::parse(data, 0).expect("a single font, not a collection");
        assert!(face.glyph_index('神').is_some());
    }
}
