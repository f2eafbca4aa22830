//! Footnotes: each note a paragraph in the footnote text style, made with the body's run code, and
//! `word/footnotes.xml` around them, written by hand. docx-rs 0.4.22 numbers footnotes from a
//! process-wide counter, writes no separator footnotes (Word expects the separator and the
//! continuation separator, ids -1 and 0, named in settings.xml) and has no `w:footnoteRef` (the
//! note's own number before its text); its footnotes part is not shipped.
//!
//! Footnote ids are the walk's note numbers (1, 2, …): the `w:footnoteReference` in the text
//! ([`super::inline`]) and the `w:footnote` here carry the same number.

use docx_rs::{BuildXML, Paragraph};

use super::body::Builder;
use super::styles::{FOOTNOTE_REFERENCE, Para};
use super::tree::{self, Node};
use crate::walk;
use crate::xml::DECLARATION;

/// The ids of the separator footnotes (settings.xml names them in `w:footnotePr`).
pub const SEPARATOR_IDS: [i32; 2] = [-1, 0];

impl Builder<'_> {
    /// Sets each note's paragraph for the footnotes part.
    pub(super) fn add_notes(&mut self, notes: &[walk::Note]) {
        for note in notes {
            // The note's number ([`footnote_ref`]) and the space after it.
            let face = Para::FootnoteText.face();
            self.inline.used.add(face, &format!("{} ", note.number));
            let p = self.new_paragraph(Para::FootnoteText);
            let p = self.inline.add_runs(p, Para::FootnoteText, &note.runs);
            self.notes.push((note.number, p));
        }
    }
}

/// The number before a note's text (Word fills it in from the footnote's place), and a space.
fn footnote_ref() -> String {
    format!(
        r#"<w:r><w:rPr><w:rStyle w:val="{FOOTNOTE_REFERENCE}"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>"#
    )
}

/// word/footnotes.xml: the two separators, then each note with its number.
pub fn part(notes: &[(usize, Paragraph)]) -> Result<String, String> {
    let mut s = format!(
        r#"{DECLARATION}<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14">"#
    );
    for (id, (kind, mark)) in SEPARATOR_IDS.iter().zip([
        ("separator", "separator"),
        ("continuationSeparator", "continuationSeparator"),
    ]) {
        s.push_str(&format!(
            r#"<w:footnote w:type="{kind}" w:id="{id}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:{mark}/></w:r></w:p></w:footnote>"#
        ));
    }
    for (id, paragraph) in notes {
        s.push_str(&format!(r#"<w:footnote w:id="{id}">"#));
        s.push_str(&numbered(paragraph)?);
        s.push_str("</w:footnote>");
    }
    s.push_str("</w:footnotes>");
    Ok(s)
}

/// The paragraph as docx-rs writes it, its number run first after its properties.
fn numbered(paragraph: &Paragraph) -> Result<String, String> {
    let xml = String::from_utf8(paragraph.build())
        .map_err(|e| format!("docx-rs wrote a footnote that is not UTF-8: {e}"))?;
    let unreadable = || "docx-rs wrote a footnote paragraph that cannot be read back".to_string();
    let mut doc = tree::parse(&xml).ok_or_else(unreadable)?;
    let p = doc
        .nodes
        .iter_mut()
        .find(|n| n.is("w:p"))
        .and_then(Node::children_mut)
        .ok_or_else(unreadable)?;
    let at = p.iter().position(|n| n.is("w:pPr")).map_or(0, |i| i + 1);
    p.insert(at, Node::Raw(footnote_ref()));
    Ok(doc.write(xml.len() + 128))
}
