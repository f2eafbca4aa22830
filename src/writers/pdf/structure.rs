//! The tagged structure tree, so that screen readers and text extraction follow the article rather
//! than the page: a Document element holds the layout's elements (title, headings, paragraphs, lists,
//! notes under the element that cites them), tables, figures, quotes, asides) in reading order, each
//! holding the marked content that shows its text or image, and the parent tree maps each page's
//! marked-content ids back to their elements. A figure carries its alt text, a table cell its spans
//! and a header cell its scope.

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, dictionary};

use super::objects::text_string;

use crate::layout::{Element, Role};

/// The structure type of an element: the title is the top heading, article headings follow it.
pub(super) fn tag(role: Role) -> String {
    match role {
        Role::Title => "H1".into(),
        Role::Heading(level) => format!("H{}", (level.saturating_add(1)).clamp(2, 6)),
        Role::Paragraph => "P".into(),
        Role::List => "L".into(),
        Role::ListItem => "LI".into(),
        Role::Note => "Note".into(),
        Role::Table => "Table".into(),
        Role::TableRow => "TR".into(),
        Role::TableCell { header: true, .. } => "TH".into(),
        Role::TableCell { header: false, .. } => "TD".into(),
        Role::Caption => "Caption".into(),
        Role::Figure => "Figure".into(),
        Role::BlockQuote => "BlockQuote".into(),
        // PDF 1.7 has no aside: a boxed division.
        Role::Aside => "Div".into(),
    }
}

/// The table attributes of a cell: its spans (when more than one) and, for a header cell, its scope.
fn attributes(role: Role) -> Option<Dictionary> {
    let Role::TableCell {
        header,
        rowspan,
        colspan,
    } = role
    else {
        return None;
    };
    if !header && rowspan <= 1 && colspan <= 1 {
        return None;
    }
    let mut a = dictionary! { "O" => "Table" };
    if header {
        a.set("Scope", "Column");
    }
    if rowspan > 1 {
        a.set("RowSpan", rowspan as i64);
    }
    if colspan > 1 {
        a.set("ColSpan", colspan as i64);
    }
    Some(a)
}

/// Writes the structure tree of the pages, whose marked-content ids name the elements in `marks`;
/// returns the object number of its root, which the catalog names.
pub(super) fn write(
    pdf: &mut Pdf,
    elements: &[Element],
    pages: &[ObjectId],
    marks: &[Vec<usize>],
) -> ObjectId {
    let root = pdf.new_object_id();
    let document = pdf.new_object_id();
    let ids: Vec<ObjectId> = elements.iter().map(|_| pdf.new_object_id()).collect();
    let mut placed = Placed::new(elements, &ids, pages, marks);
    for (x, element) in elements.iter().enumerate() {
        if !placed.placed[x] {
            continue;
        }
        let parent = element
            .parent
            .and_then(|q| ids.get(q).copied())
            .unwrap_or(document);
        let mut d = dictionary! {
            "Type" => "StructElem",
            "S" => Object::Name(tag(element.role).into_bytes()),
            "P" => parent,
            "K" => std::mem::take(&mut placed.kids[x]),
        };
        if let Some(alt) = &element.alt {
            d.set("Alt", text_string(alt));
        }
        if let Some(a) = attributes(element.role) {
            d.set("A", a);
        }
        pdf.objects.insert(ids[x], Object::Dictionary(d));
    }
    pdf.objects.insert(
        document,
        Object::Dictionary(dictionary! {
            "Type" => "StructElem",
            "S" => "Document",
            "P" => root,
            "K" => placed.top,
        }),
    );
    pdf.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "StructTreeRoot",
            "K" => document,
            "ParentTree" => dictionary! { "Nums" => placed.nums },
            "ParentTreeNextKey" => marks.len() as i64,
        }),
    );
    root
}

/// The elements that mark content, and their ancestors, placed in the tree in reading order.
struct Placed {
    /// The kids of each element: child elements and marked-content references, in order.
    kids: Vec<Vec<Object>>,
    /// The kids of the Document element.
    top: Vec<Object>,
    /// Whether each element is in the tree: one that neither marks content nor holds one that does
    /// is left out.
    placed: Vec<bool>,
    /// The parent tree: each page's index, then the element of each of its marked-content ids.
    nums: Vec<Object>,
}

impl Placed {
    fn new(
        elements: &[Element],
        ids: &[ObjectId],
        pages: &[ObjectId],
        marks: &[Vec<usize>],
    ) -> Self {
        let mut tree = Placed {
            kids: vec![Vec::new(); elements.len()],
            top: Vec::new(),
            placed: vec![false; elements.len()],
            nums: Vec::new(),
        };
        for (p, page_marks) in marks.iter().enumerate() {
            for (mcid, &e) in page_marks.iter().enumerate() {
                tree.place(elements, ids, e);
                if let (Some(&page), Some(k)) = (pages.get(p), tree.kids.get_mut(e)) {
                    k.push(Object::Dictionary(dictionary! {
                        "Type" => "MCR",
                        "Pg" => page,
                        "MCID" => mcid as i64,
                    }));
                }
            }
            tree.nums.push(Object::Integer(p as i64));
            let owners: Vec<Object> = page_marks
                .iter()
                .filter_map(|&e| ids.get(e).map(|&id| id.into()))
                .collect();
            tree.nums.push(Object::Array(owners));
        }
        tree
    }

    /// Places element `e` and its unplaced ancestors, outermost first, each after its placed
    /// siblings.
    fn place(&mut self, elements: &[Element], ids: &[ObjectId], e: usize) {
        let mut chain = Vec::new();
        let mut at = Some(e);
        while let Some(x) = at.filter(|&x| x < elements.len() && !self.placed[x]) {
            chain.push(x);
            at = elements[x].parent;
        }
        for &x in chain.iter().rev() {
            self.placed[x] = true;
            match elements[x].parent.filter(|&q| q < elements.len()) {
                Some(q) => self.kids[q].push(ids[x].into()),
                None => self.top.push(ids[x].into()),
            }
        }
    }
}
