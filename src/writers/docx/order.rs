//! Puts the children of WordprocessingML property elements in the order the schema requires.
//!
//! docx-rs 0.4 writes some children out of schema order: `w:rPr` first in `w:pPr`, `w:numId`
//! before `w:ilvl`, `w:top` after `w:left` in `w:pBdr`, `w:suff` after `w:lvlText`,
//! `w:headerReference` after `w:pgSz`, `w:rPr` before `w:pPr` in a style, `w:tblStyle` after
//! `w:tblW` in `w:tblPr`, `w:tcBorders` before `w:gridSpan` in `w:tcPr` (and, harmless in the
//! transitional schema where `w:rPr` children are a choice, `w:rStyle` after `w:b`). LibreOffice and
//! pandoc do not mind; Word validates these sequences. This pass re-orders the children of the
//! elements below (a stable sort, so that elements outside the tables keep their place at the end)
//! and drops empty `<w:rPr />` elements, which the schema does not allow inside the `w:pPr` of a
//! style or numbering level.
//!
//! The input is docx-rs output, read by [`super::tree`]; anything it cannot read is returned
//! unchanged.

use super::tree::{self, Node};

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
        "w:tblPr" => TBL_PR_CHILDREN,
        "w:tcPr" => TC_PR_CHILDREN,
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

const TBL_PR_CHILDREN: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
];

const TC_PR_CHILDREN: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
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

fn is_empty_rpr(node: &Node) -> bool {
    node.is("w:rPr") && node.children().is_empty()
}

/// Puts the children of every element handled in schema order, through the whole tree.
pub fn normalize(nodes: &mut [Node]) {
    for node in nodes.iter_mut() {
        let name = node.name();
        let Some(children) = node.children_mut() else {
            continue;
        };
        normalize(children);
        if let Some(table) = name.and_then(order) {
            children.retain(|c| !is_empty_rpr(c));
            let rank = |n: &Node| {
                n.name()
                    .and_then(|name| table.iter().position(|t| *t == name))
                    .unwrap_or(table.len())
            };
            children.sort_by_key(rank);
        }
    }
}

/// The part with its property elements in schema order; unchanged if it cannot be read.
pub fn schema_order(xml: &str) -> String {
    let Some(mut doc) = tree::parse(xml) else {
        return xml.to_string();
    };
    normalize(&mut doc.nodes);
    doc.write(xml.len())
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
