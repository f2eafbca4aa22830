//! The PDF handout: the pages of `layout` written with lopdf directly. printpdf, the obvious
//! choice, would embed whole 15 MB faces unless its HTML layout engine is built in, keeps bookmarks
//! flat, writes no /Lang and numbers objects from a process-wide counter, so that two documents built
//! side by side differ (docs/design.md, "Why lopdf writes the PDF, not printpdf").
//!
//! This module holds the entry points and assembles the file: it numbers the catalog, page tree and
//! pages first, then lets each part add its objects in a fixed order (fonts, pages with their
//! content and links, outline, structure tree, metadata), so that the same input gives the same
//! bytes. The parts: `fonts` embeds the subset faces, `content` writes the page content streams,
//! `links` the link annotations, `outline` the bookmarks, `structure` the tagged structure tree,
//! `metadata` the Info dictionary, XMP and the file identifier, `images` the figures' images;
//! `objects` holds the small values they share.

mod content;
mod fonts;
mod images;
mod links;
mod metadata;
mod objects;
mod outline;
mod structure;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, dictionary};

use crate::date::Date;
use crate::fonts::Fonts;
use crate::fonts::subset::{self, Needs, Subsets};
use crate::layout::{self, Document, LayoutOptions};
use crate::model::Article;
use crate::{Error, Options};
use content::Content;
use objects::{literal, real};

/// The PDF handout of an article: laid out, its fonts subset, written.
pub fn render(article: &Article, options: &Options) -> Result<Vec<u8>, Error> {
    let doc = lay_out(article, options)?;
    let subsets = subset::subset(options.fonts()?, &needs(&doc))?;
    finish(article, &doc, options, &subsets)
}

/// The pages of positioned glyphs.
pub fn lay_out(article: &Article, options: &Options) -> Result<Document, Error> {
    let layout_options = LayoutOptions {
        keep_punctuation: options.keep_punctuation,
        notes: options.notes,
        links: options.links,
        qr: options.qr,
        names: options.ref_names,
    };
    layout::layout(article, options.fonts()?, layout_options, &options.style)
}

/// The glyphs the pages set in each face (a PDF maps them to text itself, through /ToUnicode, so it
/// needs no characters in the subset's `cmap`).
pub fn needs(doc: &Document) -> Needs {
    let mut needs = Needs::default();
    for page in &doc.pages {
        for g in page.glyphs.iter().chain(&page.furniture) {
            needs.glyphs[g.face as usize].insert(g.id);
        }
    }
    needs
}

/// The PDF file of laid-out pages, embedding the document's font subsets.
pub fn finish(
    article: &Article,
    doc: &Document,
    options: &Options,
    subsets: &Subsets,
) -> Result<Vec<u8>, Error> {
    let date = options.document_date(&article.meta);
    write(
        article,
        doc,
        options.fonts()?,
        subsets,
        options.keep_punctuation,
        date,
    )
}

/// Writes the laid-out document.
fn write(
    article: &Article,
    doc: &Document,
    fonts: &Fonts,
    subsets: &Subsets,
    keep: bool,
    date: Option<Date>,
) -> Result<Vec<u8>, Error> {
    let mut pdf = Pdf::with_version("1.7");
    let ids = Ids::new(&mut pdf, doc);

    // The pages need each face's plan (new glyph ids, widths, object number); the objects are then
    // added in a fixed order.
    let used = fonts::used(doc, fonts, subsets)?;
    let embedded: Vec<fonts::Embedded> = used
        .iter()
        .enumerate()
        .map(|(index, (subset, glyphs))| fonts::plan(&mut pdf, fonts, subset, index, glyphs))
        .collect::<Result<_, _>>()?;
    let images = images::embed(&mut pdf, doc)?;
    let contents = content::streams(doc, &embedded, &images);
    for (plan, (subset, glyphs)) in embedded.iter().zip(&used) {
        fonts::embed(&mut pdf, fonts, plan, glyphs, subset)?;
    }

    let resources = (fonts::resources(&embedded), &images);
    let marks = pages(&mut pdf, doc, &ids, contents, resources)?;
    outline::write(&mut pdf, &doc.bookmarks, &ids.pages, ids.outlines);
    let tree = structure::write(&mut pdf, &doc.elements, &ids.pages, &marks);
    let title = crate::runs::plain(&article.meta.title, keep);
    let xmp = metadata::add_xmp(&mut pdf, article, &title, date);
    pdf.objects.insert(
        ids.catalog,
        Object::Dictionary(dictionary! {
            "Type" => "Catalog",
            "Pages" => ids.page_tree,
            "Outlines" => ids.outlines,
            "PageMode" => "UseOutlines",
            "Lang" => literal(&article.meta.lang),
            "ViewerPreferences" => dictionary! { "DisplayDocTitle" => true },
            "MarkInfo" => dictionary! { "Marked" => true },
            "StructTreeRoot" => tree,
            "Metadata" => xmp,
        }),
    );
    let info = pdf.add_object(metadata::info(article, &title, date));
    pdf.trailer.set("Root", ids.catalog);
    pdf.trailer.set("Info", info);
    pdf.compress();
    metadata::save_with_id(&mut pdf)
}

/// The objects numbered before any other, since the rest of the file points to them.
struct Ids {
    catalog: ObjectId,
    page_tree: ObjectId,
    outlines: ObjectId,
    pages: Vec<ObjectId>,
}

impl Ids {
    fn new(pdf: &mut Pdf, doc: &Document) -> Ids {
        Ids {
            catalog: pdf.new_object_id(),
            page_tree: pdf.new_object_id(),
            outlines: pdf.new_object_id(),
            pages: doc.pages.iter().map(|_| pdf.new_object_id()).collect(),
        }
    }
}

/// Adds each page with its content stream and links, then the page tree; returns the element of
/// each marked-content id of each page, for the structure tree.
fn pages(
    pdf: &mut Pdf,
    doc: &Document,
    ids: &Ids,
    contents: Vec<Result<Content, Error>>,
    (font_resources, images): (Dictionary, &images::Images),
) -> Result<Vec<Vec<usize>>, Error> {
    let anchors = links::anchors(doc);
    let mut marks = Vec::new();
    for ((p, page), content) in doc.pages.iter().enumerate().zip(contents) {
        let (stream, page_marks) = content?;
        marks.push(page_marks);
        let stream = pdf.add_object(stream);
        let annots = links::annotations(pdf, page, &anchors, &ids.pages);
        let mut resources = dictionary! { "Font" => font_resources.clone() };
        if let Some(xobjects) = images.resources(page) {
            resources.set("XObject", xobjects);
        }
        let mut d = dictionary! {
            "Type" => "Page",
            "Parent" => ids.page_tree,
            "MediaBox" => vec![0.into(), 0.into(), real(doc.page_size.0), real(doc.page_size.1)],
            "Resources" => resources,
            "Contents" => stream,
            "StructParents" => p as i64,
        };
        if !annots.is_empty() {
            d.set("Annots", annots);
        }
        pdf.objects.insert(ids.pages[p], Object::Dictionary(d));
    }
    pdf.objects.insert(
        ids.page_tree,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => ids.pages.iter().map(|&id| Object::Reference(id)).collect::<Vec<_>>(),
            "Count" => ids.pages.len() as i64,
        }),
    );
    Ok(marks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::OnceLock;

    /// The seed article rendered once for the tests of every part.
    pub(super) fn seed_pdf() -> &'static [u8] {
        static PDF: OnceLock<Vec<u8>> = OnceLock::new();
        PDF.get_or_init(|| render(&seed(), &Options::default()).expect("rendered"))
    }

    fn seed() -> Article {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::source::load(&root.join("source/article.json")).expect("seed loads")
    }

    #[test]
    fn the_seed_article_renders_to_the_same_bytes_twice() {
        let one = seed_pdf();
        let two = render(&seed(), &Options::default()).expect("rendered");
        assert!(one.starts_with(b"%PDF-1.7"));
        assert!(one == two, "two renders differ");
    }

    #[test]
    fn the_catalog_carries_language_outline_structure_and_id() {
        let pdf = Pdf::load_mem(seed_pdf()).expect("lopdf reads it back");
        let catalog = pdf.catalog().expect("a catalog");
        let lang = catalog
            .get(b"Lang")
            .and_then(Object::as_str)
            .expect("/Lang");
        assert_eq!(lang, b"zh-CN");
        for key in [&b"Outlines"[..], b"StructTreeRoot", b"MarkInfo"] {
            assert!(catalog.has(key), "no /{}", String::from_utf8_lossy(key));
        }
        assert!(pdf.trailer.has(b"ID"));
    }
}
