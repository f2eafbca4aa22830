//! Links: each citation is a link annotation to the place its reference entry starts, each note's
//! marker one to its note, each DOI, PMID, PMCID or link of the source one to its URI. None has a
//! visible border, so the page looks as laid out. The destinations are also what the bookmarks point
//! to.

use std::collections::BTreeMap;

use lopdf::{Document as Pdf, Object, ObjectId, dictionary};

use super::objects::{literal, real};
use crate::layout::{Document, Page, Target};

/// Where each reference entry and note starts: its page index and position.
pub(super) type Anchors = BTreeMap<Target, (usize, f32, f32)>;

/// Where each reference entry and note starts (its first anchor), for the links to them.
pub(super) fn anchors(doc: &Document) -> Anchors {
    let mut anchors = BTreeMap::new();
    for (p, page) in doc.pages.iter().enumerate() {
        for a in &page.anchors {
            anchors.entry(a.target.clone()).or_insert((p, a.x, a.y));
        }
    }
    anchors
}

/// The link annotations of a page, added to the file; a citation whose entry has no anchor gets none.
pub(super) fn annotations(
    pdf: &mut Pdf,
    page: &Page,
    anchors: &Anchors,
    pages: &[ObjectId],
) -> Vec<Object> {
    let mut annots = Vec::new();
    for link in &page.links {
        let mut a = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => vec![real(link.x0), real(link.y0), real(link.x1), real(link.y1)],
            "Border" => vec![0.into(), 0.into(), 0.into()],
        };
        match &link.target {
            Target::Url(url) => a.set(
                "A",
                dictionary! { "S" => "URI", "URI" => literal(&ascii_uri(url)) },
            ),
            Target::Reference(_) | Target::Note(_) => match anchors.get(&link.target) {
                Some(&(page, x, y)) => a.set("Dest", destination(pages[page], x, y)),
                None => continue,
            },
        }
        annots.push(Object::Reference(pdf.add_object(a)));
    }
    annots
}

/// A destination: the page, a left edge and a height.
pub(super) fn destination(page: ObjectId, x: f32, y: f32) -> Object {
    Object::Array(vec![
        page.into(),
        "XYZ".into(),
        real(x),
        real(y),
        Object::Null,
    ])
}

/// A URI as PDF wants it: 7-bit ASCII, anything else percent-encoded as UTF-8.
fn ascii_uri(url: &str) -> String {
    let mut out = String::new();
    for b in url.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_ascii() {
        assert_eq!(
            ascii_uri("https://example.org/a b/中"),
            "https://example.org/a%20b/%E4%B8%AD"
        );
    }

    #[test]
    fn the_seed_links_have_no_border() {
        let pdf = Pdf::load_mem(super::super::tests::seed_pdf()).expect("lopdf reads it back");
        let mut uris = 0;
        let mut internal = 0;
        for (_, page) in pdf.get_pages() {
            for annot in pdf.get_page_annotations(page).expect("annotations") {
                let border = annot
                    .get(b"Border")
                    .and_then(Object::as_array)
                    .expect("border");
                assert!(
                    border.iter().all(|w| w.as_float().ok() == Some(0.0)),
                    "visible border"
                );
                if annot.has(b"A") {
                    uris += 1;
                }
                if annot.has(b"Dest") {
                    internal += 1;
                }
            }
        }
        assert_eq!((uris, internal), (6, 4));
    }
}
