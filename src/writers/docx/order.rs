//! Puts the children of WordprocessingML property elements in the order the schema requires.
//!
//! docx-rs 0.4 writes some children out of schema order: `w:rPr` first in `w:pPr`, `w:numId`
//! before `w:ilvl`, `w:top` after `w:left` in `w:pBdr`, `w:suff` after `w:lvlText`, `w:headerReference` after `w:pgSz`, `w:rPr` before
//! `w:pPr` in a style (and, harmless in the transitional schema where `w:rPr` children are a choice,
//! `w:rStyle` after `w:b`). LibreOffice and pandoc do not mind; Word validates these sequences. This pass re-orders the children of the elements below (a stable sort, so that
//! elements outside the tables keep their place at the end) and drops empty `<w:rPr />` elements,
//! which the schema does not allow inside the `w:pPr` of a style or numbering level.
//!
//! The input is docx-rs output: elements, attributes, escaped text and an XML declaration; no
//! comments, CDATA or DOCTYPE. Anything it cannot read is returned unchanged.

/// Schema order of the children of each element handled (ECMA-376 Part 1, transitional).
fn order(element: &str) -> Option<&'static [&'static str]> {
    Some(match element {
        "w:pPr" => P_PR_CHILDREN,
        "w:rPr" => R_PR_CHILDREN,
        "w:pBdr" => P_BDR_CHILDREN,
        "w:numPr" => NUM_PR_CHILDREN,
        "w:style" => STYLE_CHILDREN,
        "w:lvl" => LVL_CHILDREN,
        "w:sectPr" => SECT_PR_CHILDREN,
        _ => return None,
    })
}

const P_PR_CHILDREN: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

const R_PR_CHILDREN: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

const P_BDR_CHILDREN: &[&str] = &[
    "w:top",
    "w:left",
    "w:bottom",
    "w:right",
    "w:between",
    "w:bar",
];

const NUM_PR_CHILDREN: &[&str] = &["w:ilvl", "w:numId", "w:numberingChange", "w:ins"];

const STYLE_CHILDREN: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

const LVL_CHILDREN: &[&str] = &[
    "w:start",
    "w:numFmt",
    "w:lvlRestart",
    "w:pStyle",
    "w:isLgl",
    "w:suff",
    "w:lvlText",
    "w:lvlPicBulletId",
    "w:legacy",
    "w:lvlJc",
    "w:pPr",
    "w:rPr",
];

const SECT_PR_CHILDREN: &[&str] = &[
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

/// A parsed node: an element with its raw start tag, or raw text.
enum Node<'a> {
    Element {
        name: &'a str,
        /// The start tag as written, without its closing `>` or `/>`.
        open: &'a str,
        children: Vec<Node<'a>>,
    },
    Text(&'a str),
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
fn parse<'a>(s: &'a str, at: &mut usize, depth: usize) -> Option<Vec<Node<'a>>> {
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
                let children = parse(s, at, depth + 1)?;
                let close = format!("</{name}>");
                if !s[*at..].starts_with(&close) {
                    return None;
                }
                *at += close.len();
                children
            };
            nodes.push(Node::Element {
                name,
                open,
                children,
            });
        } else {
            let end = rest.find('<').map_or(s.len(), |i| *at + i);
            nodes.push(Node::Text(&s[*at..end]));
            *at = end;
        }
    }
    Some(nodes)
}

fn is_empty_rpr(node: &Node) -> bool {
    matches!(node, Node::Element { name: "w:rPr", children, .. } if children.is_empty())
}

fn normalize(nodes: &mut Vec<Node>) {
    for node in nodes.iter_mut() {
        if let Node::Element { name, children, .. } = node {
            normalize(children);
            if let Some(table) = order(name) {
                children.retain(|c| !is_empty_rpr(c));
                let rank = |n: &Node| match n {
                    Node::Element { name, .. } => {
                        table.iter().position(|t| t == name).unwrap_or(table.len())
                    }
                    Node::Text(_) => table.len(),
                };
                children.sort_by_key(rank);
            }
        }
    }
}

fn write(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
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
                    write(children, out);
                    out.push_str(&format!("</{name}>"));
                }
            }
        }
    }
}

/// The part with its property elements in schema order; unchanged if it cannot be read.
pub fn schema_order(xml: &str) -> String {
    let (prolog, body) = match xml.strip_prefix("<?xml") {
        Some(_) => match xml.find("?>") {
            Some(end) => xml.split_at(end + 2),
            None => return xml.to_string(),
        },
        None => ("", xml),
    };
    let mut at = 0;
    let Some(mut nodes) = parse(body, &mut at, 0) else {
        return xml.to_string();
    };
    if at != body.len() {
        return xml.to_string();
    }
    normalize(&mut nodes);
    let mut out = String::with_capacity(xml.len());
    out.push_str(prolog);
    write(&nodes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_take_schema_order() {
        let xml = r#"<?xml version="1.0"?><w:p><w:pPr><w:rPr /><w:pStyle w:val="a>b" /></w:pPr><w:r><w:rPr><w:b /><w:rStyle w:val="S" /></w:rPr><w:t xml:space="preserve">x &amp; y</w:t></w:r></w:p>"#;
        assert_eq!(
            schema_order(xml),
            r#"<?xml version="1.0"?><w:p><w:pPr><w:pStyle w:val="a>b" /></w:pPr><w:r><w:rPr><w:rStyle w:val="S" /><w:b /></w:rPr><w:t xml:space="preserve">x &amp; y</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn unreadable_input_is_returned_unchanged() {
        for xml in ["<a><b></a>", "<a", "<!-- c --><a/>", "<a></a>trailing</b>"] {
            assert_eq!(schema_order(xml), xml);
        }
    }
}
