//! The Word document: named styles (Title, Heading 1-3, Normal with a two-character indent, lists,
//! references, notices, captions, quotes, asides, footnotes), list numbering (一、 and 1.), three-line
//! tables, figures, footnotes, a running header and a "第 N 页 / 共 M 页" footer, citations linked to
//! their reference entries, DOI/PMID/PMCID links, document properties, and the Noto faces embedded as
//! subsets so that the document looks the same on a machine without Chinese fonts.
//!
//! docx-rs writes the body, styles, numbering, header and footer ([`body`], [`styles`],
//! [`element_styles`], [`table`]); what it lacks is written by hand: package parts ([`parts`]),
//! footnotes ([`notes`]), drawings ([`figure`]), put into its output by [`fill`]; [`order`] puts its
//! property elements in schema order. The document's font subsets (shared with the PDF,
//! [`crate::fonts::subset`]) are obfuscated in [`embed`]; [`package`] packs the zip reproducibly.

mod body;
mod element_styles;
mod embed;
mod figure;
mod fill;
mod furniture;
mod inline;
mod notes;
mod order;
mod package;
mod parts;
mod styles;
mod table;
mod title;
mod tree;

use crate::fonts::subset::{self, Needs, Subsets};
use crate::image::ImageFormat;
use crate::model::Article;
use crate::{Error, Options};

pub use body::{Body, HandWritten};

pub fn render(article: &Article, options: &Options) -> Result<Vec<u8>, Error> {
    let body = prepare(article, options);
    let subsets = subset::subset(options.fonts()?, &needs(&body))?;
    finish(article, body, options, &subsets)
}

/// The body, styles, numbering, header and footer, as docx-rs builds them.
pub fn prepare(article: &Article, options: &Options) -> Body {
    // The fonts are read here when they can be (the italic's coverage); a document without them
    // fails when its font subsets are made.
    let walk_options = crate::walk::WalkOptions {
        keep_punctuation: options.keep_punctuation,
        notes: crate::walk::NotePlacement::Foot,
        // Word keeps every hyperlink live; the URLs are printed only when asked for as a list.
        links: match options.links {
            crate::walk::LinkPlacement::End => crate::walk::LinkPlacement::End,
            _ => crate::walk::LinkPlacement::Off,
        },
        names: options.ref_names,
    };
    body::build(article, walk_options, options.fonts().ok(), &options.style)
}

/// The characters the document sets in each face: the reader lays them out with the embedded fonts.
pub fn needs(body: &Body) -> Needs {
    Needs {
        chars: body.hand.used.chars.clone(),
        ..Needs::default()
    }
}

/// The Word document, embedding the document's font subsets.
pub fn finish(
    article: &Article,
    body: Body,
    options: &Options,
    subsets: &Subsets,
) -> Result<Vec<u8>, Error> {
    let hand = &body.hand;
    let embedded = embed::embed(subsets, &hand.used.chars);
    let faces: Vec<parts::EmbeddedFace> = embedded.iter().map(|e| e.face.clone()).collect();
    let xml = styles::name_families(body.docx, subsets).build();
    let mut files: Vec<(String, package::Part)> = xml_parts(article, options, hand, &faces, &xml)?
        .into_iter()
        .map(|(name, text)| (name, package::Part::Plain(text.into_bytes())))
        .collect();
    for e in embedded {
        files.push((format!("word/{}", e.face.part), e.data));
    }
    if let Some(logo) = &options.style.header.logo {
        files.push((
            format!("word/{}", furniture::logo_part(logo)),
            package::Part::Stored(logo.bytes.clone()),
        ));
    }
    for (i, image) in hand.media.images.iter().enumerate() {
        // Already compressed: stored as they are.
        files.push((
            format!("word/{}", figure::media_part(i, image)),
            package::Part::Stored(image.bytes.clone()),
        ));
    }
    package::pack(files).map_err(render_error)
}

/// The XML parts, by name, in a fixed order: the same parts always pack to the same bytes.
fn xml_parts(
    article: &Article,
    options: &Options,
    hand: &HandWritten,
    faces: &[parts::EmbeddedFace],
    xml: &docx_rs::XMLDocx,
) -> Result<Vec<(String, String)>, Error> {
    // The parts docx-rs writes, with their children put in schema order.
    let ordered = |bytes: &[u8]| order::schema_order(&String::from_utf8_lossy(bytes));
    let nth = |parts: &[Vec<u8>], n: usize, name: &str| {
        parts
            .get(n)
            .map(|p| ordered(p))
            .ok_or_else(|| render_error(format!("docx-rs wrote no word/{name}")))
    };
    let first = |parts: &[Vec<u8>], name: &str| nth(parts, 0, name);
    let contents = contents(hand, options.style.header.logo.as_deref());
    let lang = &article.meta.lang;
    let mut files: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), parts::content_types(contents)),
        ("_rels/.rels".into(), parts::root_rels()),
        (
            "docProps/core.xml".into(),
            parts::core(article, options.document_date(&article.meta)),
        ),
        ("docProps/app.xml".into(), parts::app()),
        ("word/document.xml".into(), document(&xml.document, hand)?),
        (
            "word/_rels/document.xml.rels".into(),
            parts::document_rels(&hand.links, &images(hand), contents.footnotes),
        ),
        ("word/styles.xml".into(), styles(&xml.styles, lang, hand)),
        ("word/numbering.xml".into(), ordered(&xml.numberings)),
        (
            "word/settings.xml".into(),
            parts::settings(lang, contents.footnotes),
        ),
        ("word/fontTable.xml".into(), parts::font_table(faces)),
        (
            "word/_rels/fontTable.xml.rels".into(),
            parts::font_table_rels(faces),
        ),
    ];
    // The running header, the first page's empty one, and the footer of both.
    let header = match &options.style.header.logo {
        Some(logo) => furniture::with_logo(&first(&xml.headers, "header1.xml")?, logo),
        None => first(&xml.headers, "header1.xml")?,
    };
    files.push(("word/header1.xml".into(), header));
    files.push((
        "word/header2.xml".into(),
        nth(&xml.headers, 1, "header2.xml")?,
    ));
    files.push((
        "word/footer1.xml".into(),
        first(&xml.footers, "footer1.xml")?,
    ));
    files.push((
        "word/footer2.xml".into(),
        nth(&xml.footers, 1, "footer2.xml")?,
    ));
    if let Some(logo) = &options.style.header.logo {
        files.push((
            "word/_rels/header1.xml.rels".into(),
            parts::header_rels(furniture::LOGO_RID, &furniture::logo_part(logo)),
        ));
    }
    if contents.footnotes {
        let footnotes = notes::part(&hand.notes).map_err(render_error)?;
        files.push(("word/footnotes.xml".into(), order::schema_order(&footnotes)));
        if !hand.links.is_empty() {
            files.push((
                "word/_rels/footnotes.xml.rels".into(),
                parts::footnotes_rels(&hand.links),
            ));
        }
    }
    Ok(files)
}

/// What the document holds beyond the parts every document has.
fn contents(hand: &HandWritten, logo: Option<&crate::image::Image>) -> parts::Contents {
    let has = |format| {
        hand.media.images.iter().any(|i| i.format == format)
            || logo.is_some_and(|l| l.format == format)
    };
    parts::Contents {
        png: has(ImageFormat::Png),
        jpeg: has(ImageFormat::Jpeg),
        footnotes: !hand.notes.is_empty(),
    }
}

/// The relationship id and part name (under word/) of each image.
fn images(hand: &HandWritten) -> Vec<(String, String)> {
    hand.media
        .images
        .iter()
        .enumerate()
        .map(|(i, image)| (figure::media_rid(i), figure::media_part(i, image)))
        .collect()
}

/// styles.xml: docx-rs's, finished, with the styles written by hand, in schema order.
fn styles(xml: &[u8], lang: &str, hand: &HandWritten) -> String {
    let mut styles = styles::finish_styles(xml, lang);
    if let Some(end) = styles.rfind("</w:styles>") {
        styles.insert_str(end, &element_styles::hand_written(&hand.styles));
    }
    order::schema_order(&styles)
}

/// document.xml: docx-rs's, its properties in schema order, the tables' header rows marked and the
/// figures' drawings in place.
fn document(xml: &[u8], hand: &HandWritten) -> Result<String, Error> {
    let additions = fill::Additions {
        header_rows: &hand.header_rows,
        drawings: &hand.drawings,
    };
    let text = String::from_utf8_lossy(xml);
    let mut doc = tree::parse(&text).ok_or_else(|| {
        render_error("docx-rs wrote a document.xml that cannot be read back".into())
    })?;
    order::normalize(&mut doc.nodes);
    fill::fill(&mut doc.nodes, &additions).map_err(render_error)?;
    Ok(doc.write(text.len() + additions.drawings.iter().map(String::len).sum::<usize>()))
}

/// The error of a Word document that could not be made, by its cause.
fn render_error(cause: String) -> Error {
    Error::Render {
        format: crate::Format::Docx,
        cause,
    }
}
