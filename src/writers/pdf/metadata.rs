//! What the PDF says about itself: the Info dictionary and the XMP packet (title, author, keywords,
//! summary, language, dates), and the file identifier. Nothing here reads the clock, so the same
//! input gives the same bytes: dates are the document date the options chose (SOURCE_DATE_EPOCH or
//! the article's own) or none, and /ID is a hash of the file's content, patched in after saving.

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};

use super::objects::{literal, render_error, text_string};
use crate::Error;
use crate::date::Date;
use crate::model::Article;

/// The Info dictionary.
pub(super) fn info(article: &Article, title: &str, date: Option<Date>) -> Dictionary {
    let m = &article.meta;
    let mut info = dictionary! {
        "Title" => text_string(title),
        "Author" => text_string(&m.author),
        "Creator" => literal("handout"),
        "Producer" => literal(concat!("handout ", env!("CARGO_PKG_VERSION"))),
    };
    if !m.keywords.is_empty() {
        info.set("Keywords", text_string(&m.keywords.join(", ")));
    }
    if let Some(summary) = &m.summary {
        info.set("Subject", text_string(summary));
    }
    if let Some(date) = date.map(pdf_date) {
        info.set("CreationDate", date.clone());
        info.set("ModDate", date);
    }
    info
}

fn pdf_date(d: Date) -> Object {
    literal(&format!("D:{:04}{:02}{:02}000000Z", d.year, d.month, d.day))
}

/// Adds the XMP metadata stream, left uncompressed, as XMP packets are meant to be found by a byte
/// scan.
pub(super) fn add_xmp(
    pdf: &mut Pdf,
    article: &Article,
    title: &str,
    date: Option<Date>,
) -> ObjectId {
    pdf.add_object(
        Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp(article, title, date),
        )
        .with_compression(false),
    )
}

/// The XMP metadata packet: title, author, language, keywords (what PDF/UA readers look for), dated
/// like the Info dictionary.
fn xmp(article: &Article, title: &str, date: Option<Date>) -> Vec<u8> {
    let m = &article.meta;
    let mut x = String::from(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n",
    );
    x.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        crate::xml::escape(title)
    ));
    x.push_str(&format!(
        "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
        crate::xml::escape(&m.author)
    ));
    x.push_str(&format!(
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
        crate::xml::escape(&m.lang)
    ));
    if !m.keywords.is_empty() {
        x.push_str(&format!(
            "<pdf:Keywords>{}</pdf:Keywords>\n",
            crate::xml::escape(&m.keywords.join(", "))
        ));
    }
    x.push_str(&format!(
        "<pdf:Producer>handout {}</pdf:Producer>\n<xmp:CreatorTool>handout</xmp:CreatorTool>\n",
        env!("CARGO_PKG_VERSION")
    ));
    if let Some(d) = date {
        x.push_str(&format!(
            "<xmp:CreateDate>{0}</xmp:CreateDate>\n<xmp:ModifyDate>{0}</xmp:ModifyDate>\n",
            d.iso()
        ));
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x.into_bytes()
}

/// The bytes of the file, with /ID the first 16 bytes of a SHA-256 of its content. The file is
/// written once with a placeholder identifier, which the hash then replaces in place (both are 16
/// bytes, so no offset moves).
pub(super) fn save_with_id(pdf: &mut Pdf) -> Result<Vec<u8>, Error> {
    let placeholder = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    pdf.trailer
        .set("ID", vec![placeholder.clone(), placeholder]);
    let mut out = Vec::new();
    pdf.save_modern(&mut out)
        .map_err(|e| render_error(e.to_string()))?;
    let digest = Sha256::digest(&out);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
    let found = placeholders(&out);
    if found.len() != 2 {
        return Err(render_error(format!(
            "the file identifier was written {} times, expected 2",
            found.len()
        )));
    }
    for at in found {
        out[at + 1..at + 33].copy_from_slice(hex.as_bytes());
    }
    Ok(out)
}

/// Where the placeholder identifier stands: in the trailer, which is the dictionary of the
/// cross-reference stream, the object `startxref` points to.
fn placeholders(out: &[u8]) -> Vec<usize> {
    let zeros = format!("<{}>", "0".repeat(32));
    let tail = String::from_utf8_lossy(&out[out.len().saturating_sub(64)..]).into_owned();
    let xref = tail
        .rsplit("startxref")
        .next()
        .and_then(|n| {
            n.trim()
                .trim_end_matches("%%EOF")
                .trim()
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(0)
        .min(out.len());
    let end = (xref + 4096).min(out.len());
    (xref..end.saturating_sub(zeros.len()))
        .filter(|&i| out[i] == b'<' && out[i..i + zeros.len()] == *zeros.as_bytes())
        .collect()
}
