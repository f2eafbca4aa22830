//! The PDF handout: the pages of `layout` written with lopdf directly. printpdf 0.12 (as built here,
//! without its layout features) embeds whole 15 MB fonts, keeps bookmarks flat, writes no /Lang and
//! numbers objects from a process-wide counter (see the field notes): none of which a handout wants.
//!
//! Each face used is subset to its glyphs (the `subsetter` crate renumbers them) and embedded as a
//! CIDFontType2 with Identity-H and a /ToUnicode map from each glyph to the text of its cluster, so
//! that copying and pdftotext give the text back. Citations link to their reference entries, DOI, PMID
//! and PMCID link out (borders invisible); headings become nested bookmarks. The output is
//! reproducible: no clock, objects numbered in a fixed order, /ID a SHA-256 of the content.

use std::collections::BTreeMap;

use rayon::prelude::*;

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};

use crate::fonts::{Face, FontError, Fonts};
use crate::layout::{
    self, Bookmark, Document, Element, Glyph, LayoutOptions, PAGE_HEIGHT, PAGE_WIDTH, Role, Target,
};
use crate::date::Date;
use crate::fonts::subset::{self, FontSubset, Needs, Subsets};
use crate::model::Article;
use crate::{Error, Options};

pub fn render(article: &Article, options: &Options) -> Result<Vec<u8>, Error> {
    let doc = lay_out(article, options)?;
    let subsets = subset::subset_all(options.fonts()?, &needs(&doc))?;
    finish(article, &doc, options, &subsets)
}

/// The pages of positioned glyphs.
pub fn lay_out(article: &Article, options: &Options) -> Result<Document, Error> {
    let layout_options = LayoutOptions {
        keep_punctuation: options.text.keep_punctuation,
    };
    layout::layout(article, options.fonts()?, layout_options)
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
        options.text.keep_punctuation,
        date,
    )
}

fn font_error(fonts: &Fonts, face: Face, reason: String) -> Error {
    Error::Fonts(FontError::Unreadable {
        file: fonts.dir.join(face.file_name()),
        reason,
    })
}

/// A PDF text string: UTF-16BE with its byte order mark.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn literal(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
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

fn real(v: f32) -> Object {
    Object::Real((v * 100.0).round() / 100.0)
}

/// A face as embedded: its glyphs renumbered by the subset.
struct Embedded {
    face: Face,
    /// Resource name, /F0 …
    name: String,
    /// Old glyph id -> new glyph id.
    remap: BTreeMap<u16, u16>,
    /// Width of each old glyph in 1/1000 em, as written in /W.
    widths: BTreeMap<u16, i64>,
    object: ObjectId,
}

/// Every glyph used in a face, with the text of its cluster (the first text met wins).
fn glyphs_used(doc: &Document) -> BTreeMap<Face, BTreeMap<u16, String>> {
    let mut used: BTreeMap<Face, BTreeMap<u16, String>> = BTreeMap::new();
    for page in &doc.pages {
        for g in page.glyphs.iter().chain(&page.furniture) {
            let texts = used.entry(g.face).or_default();
            let entry = texts.entry(g.id).or_default();
            if entry.is_empty() {
                entry.push_str(&g.text);
            }
        }
    }
    used
}

/// Six capital letters naming the subset, from a hash of its bytes (fixed, so that two renders agree).
fn subset_tag(subset: &FontSubset) -> String {
    subset
        .digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

fn postscript_name(font: &ttf_parser::Face, face: Face) -> String {
    let named = font
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string());
    named.unwrap_or_else(|| {
        let weight = if face.is_bold() { "Bold" } else { "Regular" };
        format!("{}-{weight}", face.family().replace(' ', ""))
    })
}

/// The /ToUnicode CMap: each new glyph id to the UTF-16BE of its text.
fn to_unicode(entries: &[(u16, &str)]) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (id, text) in chunk {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            s.push_str(&format!("<{id:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    crate::compress::zlib(bytes).map_err(|reason| Error::Write {
        path: "article.pdf".into(),
        reason,
    })
}

/// A stream whose content is already deflated (lopdf's own compression is zlib's slow level 9).
fn deflated_stream(mut dict: Dictionary, bytes: &[u8]) -> Result<Stream, Error> {
    dict.set("Filter", "FlateDecode");
    Ok(Stream::new(dict, deflate(bytes)?))
}

/// What the pages need to know of a face before it is embedded: its resource name, the new glyph
/// ids and widths, and the object number its font dictionary will have.
fn plan(
    pdf: &mut Pdf,
    fonts: &Fonts,
    subset: &FontSubset,
    index: usize,
    glyphs: &BTreeMap<u16, String>,
) -> Embedded {
    let face = subset.face;
    let font = fonts.face(face);
    let upem = f32::from(font.units_per_em().max(1));
    let widths = glyphs
        .keys()
        .map(|&id| {
            let advance = font.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0);
            (id, (f32::from(advance) * 1000.0 / upem).round() as i64)
        })
        .collect();
    Embedded {
        face,
        name: format!("F{index}"),
        remap: glyphs
            .keys()
            .map(|&old| (old, subset.new_id(old).unwrap_or(0)))
            .collect(),
        widths,
        object: pdf.new_object_id(),
    }
}

/// Embeds one subset face under the object number its plan gave it.
fn embed(
    pdf: &mut Pdf,
    fonts: &Fonts,
    plan: &Embedded,
    glyphs: &BTreeMap<u16, String>,
    subset: &FontSubset,
) -> Result<(), Error> {
    let face = plan.face;
    let font = fonts.face(face);
    let upem = f32::from(font.units_per_em().max(1));
    let remap = &plan.remap;
    let units = |v: f32| (v * 1000.0 / upem).round() as i64;
    let base = format!("{}+{}", subset_tag(subset), postscript_name(&font, face));

    // /W: the width of each glyph the pages set, by new id.
    let mut by_new: Vec<(u16, i64)> = plan
        .widths
        .iter()
        .map(|(old, w)| (remap[old], *w))
        .collect();
    by_new.sort_unstable();
    let mut w = Vec::new();
    for (new, width) in &by_new {
        w.push(Object::Integer(i64::from(*new)));
        w.push(Object::Array(vec![Object::Integer(*width)]));
    }

    let file_dict = dictionary! { "Length1" => subset.font.len() as i64, "Filter" => "FlateDecode" };
    let file = pdf.add_object(Stream::new(file_dict, subset.zlib()));
    let bbox = font.global_bounding_box();
    let descriptor = pdf.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(base.clone().into_bytes()),
        "Flags" => if face.family().contains("Serif") { 6 } else { 4 },
        "FontBBox" => vec![
            units(f32::from(bbox.x_min)).into(),
            units(f32::from(bbox.y_min)).into(),
            units(f32::from(bbox.x_max)).into(),
            units(f32::from(bbox.y_max)).into(),
        ],
        "ItalicAngle" => 0,
        "Ascent" => units(f32::from(font.ascender())),
        "Descent" => units(f32::from(font.descender())),
        "CapHeight" => units(f32::from(font.capital_height().unwrap_or(font.ascender()))),
        "StemV" => if face.is_bold() { 140 } else { 80 },
        "FontFile2" => file,
    });
    let cid_font = pdf.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => Object::Name(base.clone().into_bytes()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => literal("Adobe"),
            "Ordering" => literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "DW" => 1000,
        "W" => w,
        "CIDToGIDMap" => "Identity",
    });
    let mut entries: Vec<(u16, &str)> = glyphs
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(old, t)| (remap[old], t.as_str()))
        .collect();
    entries.sort_unstable();
    let cmap = pdf.add_object(deflated_stream(Dictionary::new(), &to_unicode(&entries))?);
    pdf.objects.insert(
        plan.object,
        Object::Dictionary(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => Object::Name(base.into_bytes()),
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid_font.into()],
            "ToUnicode" => cmap,
        }),
    );
    Ok(())
}

fn fmt(v: f32) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// The structure type of an element: the title is the top heading, article headings follow it.
fn tag(role: Role) -> String {
    match role {
        Role::Title => "H1".into(),
        Role::Heading(level) => format!("H{}", (level.saturating_add(1)).clamp(2, 6)),
        Role::Paragraph => "P".into(),
        Role::List => "L".into(),
        Role::ListItem => "LI".into(),
    }
}

/// Shows glyphs in runs of one face, size and baseline, each glyph placed by a TJ adjustment from
/// where the previous one left the pen.
fn show(out: &mut String, glyphs: &[Glyph], fonts: &[Embedded]) {
    let mut i = 0;
    while i < glyphs.len() {
        let first = &glyphs[i];
        let Some(font) = fonts.iter().find(|f| f.face == first.face) else {
            i += 1;
            continue;
        };
        out.push_str(&format!(
            "/{} {} Tf 1 0 0 1 {} {} Tm [",
            font.name,
            fmt(first.size),
            fmt(first.x),
            fmt(first.y)
        ));
        let mut pen = first.x;
        let mut j = i;
        while j < glyphs.len() {
            let g = &glyphs[j];
            if j > i && (g.face != first.face || g.size != first.size || g.y != first.y) {
                break;
            }
            let shift = (g.x - pen) * 1000.0 / g.size;
            if shift.abs() >= 0.05 {
                out.push_str(&format!("{} ", fmt(-shift)));
            }
            let new = font.remap.get(&g.id).copied().unwrap_or(0);
            out.push_str(&format!("<{new:04X}>"));
            let width = font.widths.get(&g.id).copied().unwrap_or(0) as f32;
            pen = g.x + width * g.size / 1000.0;
            j += 1;
        }
        out.push_str("] TJ\n");
        i = j;
    }
}

/// The content stream of a page and the element of each of its marked-content ids: the text of each
/// element marked for the structure tree; rules, running header and footer marked as artifacts.
fn content(page: &layout::Page, elements: &[Element], fonts: &[Embedded]) -> (Vec<u8>, Vec<usize>) {
    let mut out = String::new();
    for r in &page.rules {
        out.push_str(&format!(
            "/Artifact BMC q {} w 0.45 G {} {} m {} {} l S Q EMC\n",
            fmt(r.width),
            fmt(r.x0),
            fmt(r.y),
            fmt(r.x1),
            fmt(r.y)
        ));
    }
    out.push_str("BT\n");
    let mut marks = Vec::new();
    for group in page.glyphs.chunk_by(|a, b| a.element == b.element) {
        let element = group[0].element;
        let role = elements.get(element).map_or(Role::Paragraph, |e| e.role);
        out.push_str(&format!("/{} <</MCID {}>> BDC\n", tag(role), marks.len()));
        marks.push(element);
        show(&mut out, group, fonts);
        out.push_str("EMC\n");
    }
    if !page.furniture.is_empty() {
        out.push_str("/Artifact BMC\n");
        show(&mut out, &page.furniture, fonts);
        out.push_str("EMC\n");
    }
    out.push_str("ET\n");
    (out.into_bytes(), marks)
}

/// The structure tree: a Document element holding the elements in reading order, each holding its
/// marked content; the parent tree maps each page's marked-content ids back to their elements.
fn structure(
    pdf: &mut Pdf,
    elements: &[Element],
    pages: &[ObjectId],
    marks: &[Vec<usize>],
) -> ObjectId {
    let root = pdf.new_object_id();
    let document = pdf.new_object_id();
    let ids: Vec<ObjectId> = elements.iter().map(|_| pdf.new_object_id()).collect();
    let mut kids: Vec<Vec<Object>> = vec![Vec::new(); elements.len()];
    let mut top: Vec<Object> = Vec::new();
    let mut placed = vec![false; elements.len()];
    let mut nums = Vec::new();
    for (p, page_marks) in marks.iter().enumerate() {
        for (mcid, &e) in page_marks.iter().enumerate() {
            // Place the element and its unplaced ancestors, outermost first, in reading order.
            let mut chain = Vec::new();
            let mut at = Some(e);
            while let Some(x) = at.filter(|&x| x < elements.len() && !placed[x]) {
                chain.push(x);
                at = elements[x].parent;
            }
            for &x in chain.iter().rev() {
                placed[x] = true;
                match elements[x].parent.filter(|&q| q < elements.len()) {
                    Some(q) => kids[q].push(ids[x].into()),
                    None => top.push(ids[x].into()),
                }
            }
            if let (Some(&page), Some(k)) = (pages.get(p), kids.get_mut(e)) {
                k.push(Object::Dictionary(dictionary! {
                    "Type" => "MCR",
                    "Pg" => page,
                    "MCID" => mcid as i64,
                }));
            }
        }
        nums.push(Object::Integer(p as i64));
        let owners: Vec<Object> = page_marks
            .iter()
            .filter_map(|&e| ids.get(e).map(|&id| id.into()))
            .collect();
        nums.push(Object::Array(owners));
    }
    for (x, element) in elements.iter().enumerate() {
        if !placed[x] {
            continue;
        }
        let parent = element
            .parent
            .and_then(|q| ids.get(q).copied())
            .unwrap_or(document);
        let d = dictionary! {
            "Type" => "StructElem",
            "S" => Object::Name(tag(element.role).into_bytes()),
            "P" => parent,
            "K" => std::mem::take(&mut kids[x]),
        };
        pdf.objects.insert(ids[x], Object::Dictionary(d));
    }
    pdf.objects.insert(
        document,
        Object::Dictionary(dictionary! {
            "Type" => "StructElem",
            "S" => "Document",
            "P" => root,
            "K" => top,
        }),
    );
    pdf.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "StructTreeRoot",
            "K" => document,
            "ParentTree" => dictionary! { "Nums" => nums },
            "ParentTreeNextKey" => marks.len() as i64,
        }),
    );
    root
}

/// A destination: the page, left edge, the given height.
fn destination(page: ObjectId, x: f32, y: f32) -> Object {
    Object::Array(vec![
        page.into(),
        "XYZ".into(),
        real(x),
        real(y),
        Object::Null,
    ])
}

/// The outline: bookmarks nested by level, every entry open.
fn outline(pdf: &mut Pdf, bookmarks: &[Bookmark], pages: &[ObjectId], root: ObjectId) {
    // Parent of each bookmark: the nearest earlier one of a lower level.
    let ids: Vec<ObjectId> = bookmarks.iter().map(|_| pdf.new_object_id()).collect();
    let mut parent: Vec<Option<usize>> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, b) in bookmarks.iter().enumerate() {
        while stack.last().is_some_and(|&s| bookmarks[s].level >= b.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    // Children of each bookmark, and the top level, in order: built once (a scan per bookmark would
    // make the outline quadratic in the number of headings).
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); bookmarks.len()];
    let mut top: Vec<usize> = Vec::new();
    let mut at: Vec<usize> = Vec::with_capacity(bookmarks.len());
    for (i, p) in parent.iter().enumerate() {
        let siblings = match p {
            Some(p) => &mut kids[*p],
            None => &mut top,
        };
        at.push(siblings.len());
        siblings.push(i);
    }
    let descendants = |i: usize| -> i64 {
        let mut n = 0;
        let mut j = i + 1;
        while j < bookmarks.len() && bookmarks[j].level > bookmarks[i].level {
            n += 1;
            j += 1;
        }
        n
    };
    for (i, b) in bookmarks.iter().enumerate() {
        let siblings = parent[i].map_or(&top, |p| &kids[p]);
        let at = at[i];
        let mut d = dictionary! {
            "Title" => text_string(&b.title),
            "Parent" => parent[i].map_or(root, |p| ids[p]),
        };
        if let Some(&page) = pages.get(b.page) {
            d.set("Dest", destination(page, 0.0, b.y + 4.0));
        }
        if at > 0 {
            d.set("Prev", ids[siblings[at - 1]]);
        }
        if let Some(&next) = siblings.get(at + 1) {
            d.set("Next", ids[next]);
        }
        if let (Some(&f), Some(&l)) = (kids[i].first(), kids[i].last()) {
            d.set("First", ids[f]);
            d.set("Last", ids[l]);
            d.set("Count", descendants(i));
        }
        pdf.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut d = dictionary! { "Type" => "Outlines", "Count" => bookmarks.len() as i64 };
    if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
        d.set("First", ids[f]);
        d.set("Last", ids[l]);
    }
    pdf.objects.insert(root, Object::Dictionary(d));
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The XMP metadata packet: title, author, language, keywords (what PDF/UA readers look for), dated
/// like the Info dictionary, never by the clock.
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
        xml_escape(title)
    ));
    x.push_str(&format!(
        "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
        xml_escape(&m.author)
    ));
    x.push_str(&format!(
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
        xml_escape(&m.lang)
    ));
    if !m.keywords.is_empty() {
        x.push_str(&format!(
            "<pdf:Keywords>{}</pdf:Keywords>\n",
            xml_escape(&m.keywords.join(", "))
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

fn pdf_date(d: Date) -> Object {
    literal(&format!(
        "D:{:04}{:02}{:02}000000Z",
        d.year, d.month, d.day
    ))
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
    let catalog = pdf.new_object_id();
    let pages_id = pdf.new_object_id();
    let outlines = pdf.new_object_id();
    let page_ids: Vec<ObjectId> = doc.pages.iter().map(|_| pdf.new_object_id()).collect();

    // The pages need each face's plan (new glyph ids, widths, object number); the objects are then
    // added in a fixed order.
    let used: Vec<(&FontSubset, BTreeMap<u16, String>)> = glyphs_used(doc)
        .into_iter()
        .map(|(face, glyphs)| {
            let subset = subsets.get(face).ok_or_else(|| {
                font_error(fonts, face, "no subset was made of this face".into())
            })?;
            Ok((subset, glyphs))
        })
        .collect::<Result<_, Error>>()?;
    let embedded: Vec<Embedded> = used
        .iter()
        .enumerate()
        .map(|(index, (subset, glyphs))| plan(&mut pdf, fonts, subset, index, glyphs))
        .collect();
    let contents: Vec<Result<(Stream, Vec<usize>), Error>> = doc
        .pages
        .par_iter()
        .map(|page| {
            let (bytes, page_marks) = content(page, &doc.elements, &embedded);
            Ok((deflated_stream(Dictionary::new(), &bytes)?, page_marks))
        })
        .collect();
    for (plan, (subset, glyphs)) in embedded.iter().zip(&used) {
        embed(&mut pdf, fonts, plan, glyphs, subset)?;
    }
    let mut font_resources = Dictionary::new();
    for e in &embedded {
        font_resources.set(e.name.as_bytes(), e.object);
    }

    // Where each reference entry starts, for the citation links.
    let mut anchors = BTreeMap::new();
    for (p, page) in doc.pages.iter().enumerate() {
        for a in &page.anchors {
            anchors.entry(a.reference).or_insert((p, a.x, a.y));
        }
    }

    let mut marks = Vec::new();
    for ((p, page), content) in doc.pages.iter().enumerate().zip(contents) {
        let (stream, page_marks) = content?;
        marks.push(page_marks);
        let stream = pdf.add_object(stream);
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
                Target::Reference(n) => match anchors.get(n) {
                    Some(&(page, x, y)) => a.set("Dest", destination(page_ids[page], x, y)),
                    None => continue,
                },
            }
            annots.push(Object::Reference(pdf.add_object(a)));
        }
        let mut d = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), real(PAGE_WIDTH), real(PAGE_HEIGHT)],
            "Resources" => dictionary! { "Font" => font_resources.clone() },
            "Contents" => stream,
            "StructParents" => p as i64,
        };
        if !annots.is_empty() {
            d.set("Annots", annots);
        }
        pdf.objects.insert(page_ids[p], Object::Dictionary(d));
    }
    pdf.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => page_ids.iter().map(|&id| Object::Reference(id)).collect::<Vec<_>>(),
            "Count" => page_ids.len() as i64,
        }),
    );
    outline(&mut pdf, &doc.bookmarks, &page_ids, outlines);
    let tree = structure(&mut pdf, &doc.elements, &page_ids, &marks);
    let title = crate::runs::plain(&article.meta.title, keep);
    // Left uncompressed, as XMP packets are meant to be found by a byte scan.
    let metadata = pdf.add_object(
        Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp(article, &title, date),
        )
        .with_compression(false),
    );
    pdf.objects.insert(
        catalog,
        Object::Dictionary(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
            "Outlines" => outlines,
            "PageMode" => "UseOutlines",
            "Lang" => literal(&article.meta.lang),
            "ViewerPreferences" => dictionary! { "DisplayDocTitle" => true },
            "MarkInfo" => dictionary! { "Marked" => true },
            "StructTreeRoot" => tree,
            "Metadata" => metadata,
        }),
    );

    let m = &article.meta;
    let mut info = dictionary! {
        "Title" => text_string(&title),
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
    let info = pdf.add_object(info);
    pdf.trailer.set("Root", catalog);
    pdf.trailer.set("Info", info);
    pdf.compress();

    // The file identifier is a hash of the content, so that the same input gives the same bytes. The
    // file is written once with a placeholder identifier, which the hash then replaces in place (both
    // are 16 bytes, so no offset moves).
    let placeholder = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    pdf.trailer
        .set("ID", vec![placeholder.clone(), placeholder]);
    let mut out = Vec::new();
    pdf.save_modern(&mut out).map_err(|e| Error::Write {
        path: "article.pdf".into(),
        reason: e.to_string(),
    })?;
    let digest = Sha256::digest(&out);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
    let zeros = format!("<{}>", "0".repeat(32));
    // The placeholder stands in the trailer, the dictionary of the cross-reference stream, which is
    // the object `startxref` points to.
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
    let found: Vec<usize> = (xref..end.saturating_sub(zeros.len()))
        .filter(|&i| out[i] == b'<' && out[i..i + zeros.len()] == *zeros.as_bytes())
        .collect();
    if found.len() != 2 {
        return Err(Error::Write {
            path: "article.pdf".into(),
            reason: format!(
                "the file identifier was written {} times, expected 2",
                found.len()
            ),
        });
    }
    for at in found {
        out[at + 1..at + 33].copy_from_slice(hex.as_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_seed_article_renders_to_the_same_bytes_twice() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let article = crate::source::load(&root.join("source/article.json")).expect("seed loads");
        let options = Options::default();
        let one = render(&article, &options).expect("rendered");
        let two = render(&article, &options).expect("rendered");
        assert!(one.starts_with(b"%PDF-1.7"));
        assert!(one == two, "two renders differ");
        // Kept for the poppler checks and for looking at.
        let _ = std::fs::write(root.join("target/handout-seed.pdf"), &one);
    }

    #[test]
    fn the_catalog_carries_language_outline_structure_and_links() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let article = crate::source::load(&root.join("source/article.json")).expect("seed loads");
        let bytes = render(&article, &Options::default()).expect("rendered");
        let pdf = Pdf::load_mem(&bytes).expect("lopdf reads it back");
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
