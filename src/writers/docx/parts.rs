//! The package parts written by hand: docx-rs writes them with parts we do not ship (comments), with
//! placeholder metadata ("unknown", 1970), with hyperlink relationships in hash order, with image
//! relationships of its own numbering, or not at all (embedded fonts, footnote separators).

use crate::model::Article;
use crate::xml::{DECLARATION, escape};

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// An embedded face as fontTable.xml refers to it.
#[derive(Debug, Clone)]
pub struct EmbeddedFace {
    /// The face it is, and the family it is set under ([`crate::fonts::Fonts::word_family`]).
    pub face: crate::fonts::Face,
    pub family: String,
    pub bold: bool,
    pub italic: bool,
    /// Part name under word/, e.g. `fonts/font1.odttf`.
    pub part: String,
    pub rid: String,
    pub key: String,
}

/// What the document holds beyond the parts every document has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Contents {
    pub png: bool,
    pub jpeg: bool,
    pub footnotes: bool,
}

pub fn content_types(contents: Contents) -> String {
    let overrides = [
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        ),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml",
        ),
        (
            "/word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        (
            "/word/styles.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        ),
        (
            "/word/numbering.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        ),
        (
            "/word/settings.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        ),
        (
            "/word/fontTable.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        ),
        (
            "/word/header1.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
        ),
        (
            "/word/header2.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
        ),
        (
            "/word/footer1.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
        ),
        (
            "/word/footer2.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
        ),
    ];
    let mut s = format!(
        r#"{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>"#
    );
    for (used, extension) in [(contents.png, "png"), (contents.jpeg, "jpeg")] {
        if used {
            s.push_str(&format!(
                r#"<Default Extension="{extension}" ContentType="image/{extension}"/>"#
            ));
        }
    }
    let footnotes = (
        "/word/footnotes.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    );
    let overrides = overrides
        .iter()
        .chain(contents.footnotes.then_some(&footnotes));
    for (part, kind) in overrides {
        s.push_str(&format!(
            r#"<Override PartName="{part}" ContentType="{kind}"/>"#
        ));
    }
    s.push_str("</Types>");
    s
}

fn relationships(rels: &[(String, &str, String, bool)]) -> String {
    let mut s = format!(
        r#"{DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    );
    for (id, kind, target, external) in rels {
        let mode = if *external {
            r#" TargetMode="External""#
        } else {
            ""
        };
        s.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{kind}" Target="{}"{mode}/>"#,
            escape(target)
        ));
    }
    s.push_str("</Relationships>");
    s
}

pub fn root_rels() -> String {
    relationships(&[
        (
            "rId1".into(),
            &format!("{REL}/officeDocument"),
            "word/document.xml".into(),
            false,
        ),
        (
            "rId2".into(),
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml".into(),
            false,
        ),
        (
            "rId3".into(),
            &format!("{REL}/extended-properties"),
            "docProps/app.xml".into(),
            false,
        ),
    ])
}

/// The document's relationships; the ids match those docx-rs writes in document.xml, and those of
/// the figures' images (`(id, part under word/)`) and the footnotes part.
pub fn document_rels(links: &[String], images: &[(String, String)], footnotes: bool) -> String {
    let mut rels: Vec<(String, String, String, bool)> = [
        ("rId1", "styles", "styles.xml"),
        ("rId2", "fontTable", "fontTable.xml"),
        ("rId3", "settings", "settings.xml"),
        ("rId7", "numbering", "numbering.xml"),
        ("rIdHeader1", "header", "header1.xml"),
        ("rIdHeader2", "header", "header2.xml"),
        ("rIdFooter1", "footer", "footer1.xml"),
        ("rIdFooter2", "footer", "footer2.xml"),
    ]
    .into_iter()
    .map(|(id, kind, target)| {
        (
            id.to_string(),
            format!("{REL}/{kind}"),
            target.to_string(),
            false,
        )
    })
    .collect();
    if footnotes {
        rels.push((
            "rIdFootnotes".into(),
            format!("{REL}/footnotes"),
            "footnotes.xml".into(),
            false,
        ));
    }
    for (id, part) in images {
        rels.push((id.clone(), format!("{REL}/image"), part.clone(), false));
    }
    rels.extend(link_rels(links));
    let borrowed: Vec<(String, &str, String, bool)> = rels
        .iter()
        .map(|(a, b, c, d)| (a.clone(), b.as_str(), c.clone(), *d))
        .collect();
    relationships(&borrowed)
}

fn link_rels(links: &[String]) -> impl Iterator<Item = (String, String, String, bool)> + '_ {
    links.iter().enumerate().map(|(i, url)| {
        (
            super::inline::link_rid(i),
            format!("{REL}/hyperlink"),
            url.clone(),
            true,
        )
    })
}

/// The footnotes' relationships: the document's outside links, under the same ids (a note's link
/// refers to its part's relationships; links the notes do not use are harmless).
/// The running header's relationship to its logo (`part` under word/).
pub fn header_rels(rid: &str, part: &str) -> String {
    relationships(&[(
        rid.to_string(),
        &format!("{REL}/image"),
        part.to_string(),
        false,
    )])
}

pub fn footnotes_rels(links: &[String]) -> String {
    let rels: Vec<(String, String, String, bool)> = link_rels(links).collect();
    let borrowed: Vec<(String, &str, String, bool)> = rels
        .iter()
        .map(|(a, b, c, d)| (a.clone(), b.as_str(), c.clone(), *d))
        .collect();
    relationships(&borrowed)
}

pub fn font_table_rels(faces: &[EmbeddedFace]) -> String {
    let rels: Vec<(String, &str, String, bool)> = faces
        .iter()
        .map(|f| {
            (
                f.rid.clone(),
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font",
                f.part.clone(),
                false,
            )
        })
        .collect();
    relationships(&rels)
}

/// fontTable.xml: each family the embedded faces are set under (the body's, the headings', the Latin
/// italic's; one entry for a family that is two of them), with its embedded faces (ECMA-376
/// 17.8.3.3).
pub fn font_table(faces: &[EmbeddedFace]) -> String {
    use crate::fonts::Face;
    let mut s = format!(r#"{DECLARATION}<w:fonts xmlns:w="{W}" xmlns:r="{REL}">"#);
    let mut families: Vec<(&str, Face)> = Vec::new();
    for f in faces {
        if !families.iter().any(|(family, _)| *family == f.family) {
            families.push((&f.family, f.face));
        }
    }
    for (family, first) in families {
        let (charset, generic) = match first {
            Face::SerifRegular | Face::SerifBold => ("86", "roman"),
            Face::SansRegular | Face::SansBold => ("86", "swiss"),
            Face::SerifItalic => ("00", "roman"),
        };
        let family = escape(family);
        s.push_str(&format!(
            r#"<w:font w:name="{family}"><w:charset w:val="{charset}"/><w:family w:val="{generic}"/><w:pitch w:val="variable"/>"#
        ));
        // Schema order: embedRegular, embedBold, embedItalic, embedBoldItalic.
        for (el, bold, italic) in [
            ("embedRegular", false, false),
            ("embedBold", true, false),
            ("embedItalic", false, true),
        ] {
            let matching = |f: &&EmbeddedFace| {
                escape(&f.family) == family && f.bold == bold && f.italic == italic
            };
            for f in faces.iter().filter(matching) {
                s.push_str(&format!(
                    r#"<w:{el} r:id="{}" w:fontKey="{}" w:subsetted="1"/>"#,
                    f.rid, f.key
                ));
            }
        }
        s.push_str("</w:font>");
    }
    s.push_str("</w:fonts>");
    s
}

/// settings.xml, elements in CT_Settings order; with footnotes, the ids of their separators.
pub fn settings(lang: &str, footnotes: bool) -> String {
    let (latin, east_asian) = super::styles::languages(lang);
    let footnote_pr = if footnotes {
        let [separator, continuation] = super::notes::SEPARATOR_IDS;
        format!(
            r#"<w:footnotePr><w:footnote w:id="{separator}"/><w:footnote w:id="{continuation}"/></w:footnotePr>"#
        )
    } else {
        String::new()
    };
    format!(
        r#"{DECLARATION}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:embedTrueTypeFonts/><w:saveSubsetFonts/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>{footnote_pr}<w:compat><w:useFELayout/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="{latin}" w:eastAsia="{east_asian}"/></w:settings>"#
    )
}

/// docProps/core.xml: title, author, subject, keywords, language, and the document date (never the
/// clock: see [`crate::Options::document_date`]).
pub fn core(article: &Article, date: Option<crate::date::Date>) -> String {
    let m = &article.meta;
    let mut s = format!(
        r#"{DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    );
    s.push_str(&format!("<dc:title>{}</dc:title>", escape(&m.title)));
    if let Some(sub) = &m.subtitle {
        s.push_str(&format!("<dc:subject>{}</dc:subject>", escape(sub)));
    }
    s.push_str(&format!("<dc:creator>{}</dc:creator>", escape(&m.author)));
    if !m.keywords.is_empty() {
        s.push_str(&format!(
            "<cp:keywords>{}</cp:keywords>",
            escape(&m.keywords.join("; "))
        ));
    }
    if let Some(summary) = &m.summary {
        s.push_str(&format!(
            "<dc:description>{}</dc:description>",
            escape(summary)
        ));
    }
    s.push_str(&format!("<dc:language>{}</dc:language>", escape(&m.lang)));
    if let Some(date) = date {
        let stamp = format!("{}T00:00:00Z", date.iso());
        for el in ["created", "modified"] {
            s.push_str(&format!(
                r#"<dcterms:{el} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{el}>"#
            ));
        }
    }
    s.push_str("</cp:coreProperties>");
    s
}

pub fn app() -> String {
    format!(
        r#"{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>handout {}</Application></Properties>"#,
        env!("CARGO_PKG_VERSION")
    )
}
