//! A minimal XML tree over docx-rs output, for the passes that rewrite it ([`super::order`],
//! [`super::fill`]): elements with their start tags kept as written, text kept as written, and raw
//! XML written by hand inserted between them.
//!
//! The input is docx-rs output: elements, attributes, escaped text and an XML declaration; no
//! comments, CDATA or DOCTYPE. Anything else is refused ([`parse`] gives `None`).

/// A parsed node.
pub enum Node<'a> {
    Element {
        name: &'a str,
        /// The start tag as written, without its closing `>` or `/>`.
        open: &'a str,
        children: Vec<Node<'a>>,
    },
    /// Text as written (escaped).
    Text(&'a str),
    /// Markup written by hand, inserted as it is.
    Raw(String),
}

impl<'a> Node<'a> {
    /// The element's name (`None` for text and raw markup).
    pub fn name(&self) -> Option<&'a str> {
        match self {
            Node::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn is(&self, element: &str) -> bool {
        self.name() == Some(element)
    }

    /// The value of attribute `attr` as written in the start tag (still escaped).
    pub fn attribute(&self, attr: &str) -> Option<&'a str> {
        let Node::Element { open, .. } = self else {
            return None;
        };
        let at = open.find(&format!(" {attr}=\""))? + attr.len() + 3;
        let len = open[at..].find('"')?;
        Some(&open[at..at + len])
    }

    /// The element's children (empty for text and raw markup).
    pub fn children_mut(&mut self) -> Option<&mut Vec<Node<'a>>> {
        match self {
            Node::Element { children, .. } => Some(children),
            _ => None,
        }
    }

    pub fn children(&self) -> &[Node<'a>] {
        match self {
            Node::Element { children, .. } => children,
            _ => &[],
        }
    }

    /// The first child element named `element`.
    pub fn child(&self, element: &str) -> Option<&Node<'a>> {
        self.children().iter().find(|c| c.is(element))
    }
}

/// A document: the XML declaration (or nothing) and the nodes after it.
pub struct Document<'a> {
    pub prolog: &'a str,
    pub nodes: Vec<Node<'a>>,
}

/// Parses a part; `None` if it is not docx-rs-shaped XML.
pub fn parse(xml: &str) -> Option<Document<'_>> {
    let (prolog, body) = match xml.strip_prefix("<?xml") {
        Some(_) => xml.split_at(xml.find("?>")? + 2),
        None => ("", xml),
    };
    let mut at = 0;
    let nodes = parse_nodes(body, &mut at, 0)?;
    (at == body.len()).then_some(Document { prolog, nodes })
}

/// The end of a tag starting at `at` (the index of its `>`), skipping quoted attribute values.
fn tag_end(s: &str, at: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s[at..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(at + i),
            _ => {}
        }
    }
    None
}

/// Parses the nodes from `*at` up to the end tag of the enclosing element (or the end of input).
fn parse_nodes<'a>(s: &'a str, at: &mut usize, depth: usize) -> Option<Vec<Node<'a>>> {
    let mut nodes = Vec::new();
    // docx-rs nests a few dozen levels at most; refuse pathological depth rather than overflow.
    if depth > 200 {
        return None;
    }
    while *at < s.len() {
        let rest = &s[*at..];
        if rest.starts_with("</") {
            return Some(nodes);
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            return None;
        }
        if rest.starts_with('<') {
            nodes.push(parse_element(s, at, depth)?);
        } else {
            let end = rest.find('<').map_or(s.len(), |i| *at + i);
            nodes.push(Node::Text(&s[*at..end]));
            *at = end;
        }
    }
    Some(nodes)
}

/// Parses the element whose start tag is at `*at`.
fn parse_element<'a>(s: &'a str, at: &mut usize, depth: usize) -> Option<Node<'a>> {
    let end = tag_end(s, *at)?;
    let tag = &s[*at..end];
    let self_closing = tag.ends_with('/');
    let open = tag.strip_suffix('/').unwrap_or(tag);
    let name = open[1..]
        .split(|c: char| c.is_whitespace())
        .next()
        .filter(|n| !n.is_empty())?;
    *at = end + 1;
    let children = if self_closing {
        Vec::new()
    } else {
        let children = parse_nodes(s, at, depth + 1)?;
        let close = format!("</{name}>");
        if !s[*at..].starts_with(&close) {
            return None;
        }
        *at += close.len();
        children
    };
    Some(Node::Element {
        name,
        open,
        children,
    })
}

fn write_nodes(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Raw(r) => out.push_str(r),
            Node::Element {
                name,
                open,
                children,
            } => {
                out.push_str(open);
                if children.is_empty() {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    write_nodes(children, out);
                    out.push_str(&format!("</{name}>"));
                }
            }
        }
    }
}

impl Document<'_> {
    pub fn write(&self, capacity: usize) -> String {
        let mut out = String::with_capacity(capacity);
        out.push_str(self.prolog);
        write_nodes(&self.nodes, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_written_back_as_it_was() {
        let xml = r#"<?xml version="1.0"?><w:p a="x>y"><w:r><w:t xml:space="preserve">x &amp; y</w:t></w:r><w:b/></w:p>"#;
        let doc = parse(xml).expect("parses");
        assert_eq!(doc.write(0), xml);
        assert_eq!(doc.nodes[0].attribute("a"), Some("x>y"));
    }

    #[test]
    fn what_is_not_docx_rs_output_is_refused() {
        for xml in ["<a><b></a>", "<a", "<!-- c --><a/>", "<a></a>trailing</b>"] {
            assert!(parse(xml).is_none(), "{xml}");
        }
    }
}
