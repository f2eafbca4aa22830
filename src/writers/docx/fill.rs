//! What docx-rs cannot write, put into document.xml after it has written it: `w:tblHeader` on the
//! header rows of each table ([`super::table`]) and the drawing of each figure, into the figure's
//! empty paragraph ([`super::figure`]); and what it writes wrong: a `w:type` on `w:gridCol`, which
//! has only a width (CT_TblGridCol). Tables and figures are children of `w:body` (nothing in a
//! handout nests them), met in the order the body set them.

use super::styles::Para;
use super::tree::Node;

/// What goes in, in document order.
pub struct Additions<'a> {
    /// The number of header rows of each table.
    pub header_rows: &'a [usize],
    /// The drawing run of each figure.
    pub drawings: &'a [String],
}

/// Puts the additions in place; an error if the document does not hold exactly the tables and
/// figure paragraphs the body set (nothing is left out silently).
pub fn fill(nodes: &mut [Node], additions: &Additions) -> Result<(), String> {
    let body = nodes
        .iter_mut()
        .find(|n| n.is("w:document"))
        .and_then(Node::children_mut)
        .and_then(|children| children.iter_mut().find(|n| n.is("w:body")))
        .and_then(Node::children_mut)
        .ok_or("docx-rs wrote a document without a body")?;
    let mut header_rows = additions.header_rows.iter();
    let mut drawings = additions.drawings.iter();
    for node in body.iter_mut() {
        if node.is("w:tbl") {
            let n = *header_rows.next().ok_or("a table more than the body set")?;
            mark_header_rows(node, n);
            plain_grid(node);
        } else if node.is("w:p") && style(node) == Some(Para::Figure.id()) {
            let drawing = drawings.next().ok_or("a figure more than the body set")?;
            if let Some(children) = node.children_mut() {
                children.push(Node::Raw(drawing.clone()));
            }
        }
    }
    if header_rows.next().is_some() || drawings.next().is_some() {
        return Err("docx-rs left out a table or a figure".into());
    }
    Ok(())
}

/// The paragraph's style id.
fn style<'a>(p: &Node<'a>) -> Option<&'a str> {
    p.child("w:pPr")?.child("w:pStyle")?.attribute("w:val")
}

/// `w:tblHeader` in the row properties of the first `n` rows (a choice group: any order will do).
fn mark_header_rows(table: &mut Node, n: usize) {
    let Some(children) = table.children_mut() else {
        return;
    };
    for row in children.iter_mut().filter(|c| c.is("w:tr")).take(n) {
        let Some(cells) = row.children_mut() else {
            continue;
        };
        match cells.iter_mut().find(|c| c.is("w:trPr")) {
            Some(props) => {
                if let Some(p) = props.children_mut() {
                    p.push(Node::Raw("<w:tblHeader/>".into()));
                }
            }
            None => cells.insert(0, Node::Raw("<w:trPr><w:tblHeader/></w:trPr>".into())),
        }
    }
}

/// Each grid column with its width alone.
fn plain_grid(table: &mut Node) {
    let grid = table
        .children_mut()
        .and_then(|c| c.iter_mut().find(|n| n.is("w:tblGrid")))
        .and_then(Node::children_mut);
    for col in grid.into_iter().flatten() {
        if let Some(width) = col.attribute("w:w").filter(|_| col.is("w:gridCol")) {
            *col = Node::Raw(format!(r#"<w:gridCol w:w="{width}"/>"#));
        }
    }
}
