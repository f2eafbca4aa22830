//! The Word document: named styles (Title, Heading 1-3, Normal with a two-character indent, lists,
//! references, notices), list numbering (一、 and 1.), a running header and a "第 N 页 / 共 M 页"
//! footer, citations linked to their reference entries, DOI/PMID/PMCID links, document properties, and
//! the four Noto faces embedded as subsets so that the document looks the same on a machine without
//! Chinese fonts.
//!
//! docx-rs writes the body, styles, numbering, header and footer ([`body`], [`styles`]); the package
//! parts it gets wrong or lacks are written by hand ([`parts`]); the fonts are subset and obfuscated
//! in [`embed`]; [`package`] packs the zip reproducibly.

mod body;
mod embed;
mod inline;
mod order;
mod package;
mod parts;
mod sfnt;
mod styles;
mod xml;

use crate::model::Article;
use crate::{Error, Options};

pub fn render(article: &Article, options: &Options) -> Result<Vec<u8>, Error> {
    let fonts = options.fonts()?;
    let body = body::build(article, options.text.keep_punctuation);
    let embedded = embed::embed(fonts, &body.used.chars)?;
    let faces: Vec<parts::EmbeddedFace> = embedded.iter().map(|e| e.face.clone()).collect();
    let xml = body.docx.build();
    // The parts docx-rs writes, with their children put in schema order.
    let ordered = |bytes: &[u8]| order::schema_order(&String::from_utf8_lossy(bytes));
    let first = |parts: &[Vec<u8>], name: &str| {
        parts
            .first()
            .map(|p| ordered(p))
            .ok_or_else(|| Error::Write {
                path: name.into(),
                reason: "docx-rs wrote no such part".into(),
            })
    };
    let styles = styles::finish_styles(&xml.styles, &article.meta.lang);
    // Fixed order: the same parts always pack to the same bytes.
    let files: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), parts::content_types()),
        ("_rels/.rels".into(), parts::root_rels()),
        ("docProps/core.xml".into(), parts::core(article, options.document_date(&article.meta))),
        ("docProps/app.xml".into(), parts::app()),
        ("word/document.xml".into(), ordered(&xml.document)),
        (
            "word/_rels/document.xml.rels".into(),
            parts::document_rels(&body.links),
        ),
        ("word/styles.xml".into(), order::schema_order(&styles)),
        ("word/numbering.xml".into(), ordered(&xml.numberings)),
        (
            "word/settings.xml".into(),
            parts::settings(&article.meta.lang),
        ),
        ("word/fontTable.xml".into(), parts::font_table(&faces)),
        (
            "word/_rels/fontTable.xml.rels".into(),
            parts::font_table_rels(&faces),
        ),
        (
            "word/header1.xml".into(),
            first(&xml.headers, "word/header1.xml")?,
        ),
        (
            "word/footer1.xml".into(),
            first(&xml.footers, "word/footer1.xml")?,
        ),
    ];
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    for e in embedded {
        files.push((format!("word/{}", e.face.part), e.data));
    }
    package::pack(&files).map_err(|reason| Error::Write {
        path: "word document".into(),
        reason,
    })
}
