//! The outline (bookmarks): one entry per heading, nested by heading level, every entry open, each
//! pointing just above the first line of its heading. Readers open it beside the pages, as the
//! catalog asks (/PageMode /UseOutlines).

use lopdf::{Document as Pdf, Object, ObjectId, dictionary};

use super::links::destination;
use super::objects::text_string;
use crate::layout::Bookmark;

/// The nesting of the bookmarks, all lists indexed by bookmark.
struct Tree {
    /// The parent of each: the nearest earlier bookmark of a lower level.
    parent: Vec<Option<usize>>,
    /// The children of each, in order.
    kids: Vec<Vec<usize>>,
    /// The bookmarks without a parent, in order.
    top: Vec<usize>,
    /// The place of each among its siblings.
    at: Vec<usize>,
}

impl Tree {
    fn new(bookmarks: &[Bookmark]) -> Tree {
        let mut parent: Vec<Option<usize>> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for (i, b) in bookmarks.iter().enumerate() {
            while stack.last().is_some_and(|&s| bookmarks[s].level >= b.level) {
                stack.pop();
            }
            parent.push(stack.last().copied());
            stack.push(i);
        }
        // Children and places are built once: a scan of all bookmarks per bookmark would make the
        // outline quadratic in the number of headings.
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
        Tree {
            parent,
            kids,
            top,
            at,
        }
    }

    /// The siblings of bookmark `i`, itself included.
    fn siblings(&self, i: usize) -> &[usize] {
        self.parent[i].map_or(&self.top, |p| &self.kids[p])
    }
}

/// The number of bookmarks nested under bookmark `i`: those after it of a higher level, up to the
/// next one of its level or lower.
fn descendants(bookmarks: &[Bookmark], i: usize) -> i64 {
    let mut n = 0;
    let mut j = i + 1;
    while j < bookmarks.len() && bookmarks[j].level > bookmarks[i].level {
        n += 1;
        j += 1;
    }
    n
}

/// Writes the outline under the object number `root`, which the catalog names.
pub(super) fn write(pdf: &mut Pdf, bookmarks: &[Bookmark], pages: &[ObjectId], root: ObjectId) {
    let ids: Vec<ObjectId> = bookmarks.iter().map(|_| pdf.new_object_id()).collect();
    let tree = Tree::new(bookmarks);
    for (i, b) in bookmarks.iter().enumerate() {
        let siblings = tree.siblings(i);
        let at = tree.at[i];
        let mut d = dictionary! {
            "Title" => text_string(&b.title),
            "Parent" => tree.parent[i].map_or(root, |p| ids[p]),
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
        if let (Some(&f), Some(&l)) = (tree.kids[i].first(), tree.kids[i].last()) {
            d.set("First", ids[f]);
            d.set("Last", ids[l]);
            d.set("Count", descendants(bookmarks, i));
        }
        pdf.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut d = dictionary! { "Type" => "Outlines", "Count" => bookmarks.len() as i64 };
    if let (Some(&f), Some(&l)) = (tree.top.first(), tree.top.last()) {
        d.set("First", ids[f]);
        d.set("Last", ids[l]);
    }
    pdf.objects.insert(root, Object::Dictionary(d));
}
