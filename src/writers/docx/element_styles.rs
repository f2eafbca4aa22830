//! The styles of the rich elements: table captions and cells, figures and their captions, quotes,
//! asides, footnotes. Each is written only into a document that uses it (a document without tables
//! carries no table styles), in a fixed order. The styles docx-rs cannot write (emphasis dots,
//! `w:em`; the three-line table, a table style) are written by hand ([`hand_written`]).

use std::collections::BTreeSet;

use docx_rs::{
    AlignmentType, BorderType, Docx, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Shading, SpecialIndentType, Style, VertAlignType,
};

use super::styles::{
    self, CHAR, EMPHASIS, FOOTNOTE_REFERENCE, LINK, LINK_EMPHASIS, Para, Sizes, TERM, TERM_EMPHASIS,
};

/// The table style: heavy rules above and below the table, none between columns (三线表); the light
/// rule under the header rows is on the cells of the last header row ([`super::table`]).
pub const THREE_LINE_TABLE: &str = "ThreeLineTable";

/// The rule at the left of a quote, the box of an aside.
const QUOTE_RULE: &str = "A6A6A6";
const ASIDE_RULE: &str = "8EA9C8";
const ASIDE_TINT: &str = "EEF3F8";

/// The style ids used so far, to write only those.
#[derive(Debug, Default)]
pub struct UsedStyles(BTreeSet<&'static str>);

impl UsedStyles {
    pub fn add(&mut self, id: &'static str) {
        self.0.insert(id);
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }
}

/// Adds the element styles the document uses, in a fixed order.
pub fn add_used(docx: Docx, used: &UsedStyles, sizes: Sizes) -> Docx {
    element_styles(sizes)
        .into_iter()
        .filter(|s| used.contains(&s.style_id))
        .fold(docx, |d, s| d.add_style(s))
}

fn element_styles(sizes: Sizes) -> Vec<Style> {
    let caption = |para: Para, name: &str| {
        styles::paragraph(para, name)
            .size(sizes.small)
            .align(AlignmentType::Center)
            .line_spacing(styles::spacing(120, 120, 240))
    };
    vec![
        styles::body(Para::TableText, "Table Text", sizes.body)
            .size(sizes.small)
            .align(AlignmentType::Left)
            .line_spacing(styles::spacing(20, 20, 240)),
        // An inline picture on a line of its own, kept with its caption below; single spacing with the
        // auto rule, which grows the line to the picture's height.
        styles::keep_with_next(styles::body(Para::Figure, "Figure", sizes.body))
            .align(AlignmentType::Center)
            .line_spacing(styles::spacing(120, 0, 240)),
        caption(Para::Caption, "caption"),
        quote(Para::Quote, "Quote", sizes),
        quote(Para::QuoteSource, "Quote Source", sizes).align(AlignmentType::Right),
        boxed(Para::Aside, "Aside", sizes),
        boxed(Para::AsideLabel, "Aside Label", sizes).indent(Some(CHAR), None, Some(CHAR), None),
        // The boxed numbering gives each level its first-line indent.
        boxed(Para::AsideListBullet, "Aside List Bullet", sizes),
        boxed(Para::AsideListNumber, "Aside List Number", sizes),
        styles::body(Para::FootnoteText, "footnote text", sizes.body)
            .size(sizes.small)
            .line_spacing(styles::spacing(0, 0, 240)),
        superscript(styles::character(FOOTNOTE_REFERENCE, "footnote reference")),
    ]
}

fn superscript(mut s: Style) -> Style {
    s.run_property = s.run_property.vert_align(VertAlignType::SuperScript);
    s
}

fn border(position: ParagraphBorderPosition, size: usize, color: &str) -> ParagraphBorder {
    ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(size)
        .space(4)
        .color(color)
}

/// Indented two characters on both sides, a rule at the left.
fn quote(para: Para, name: &str, sizes: Sizes) -> Style {
    let mut s =
        styles::body(para, name, sizes.body).indent(Some(2 * CHAR), None, Some(2 * CHAR), None);
    s.paragraph_property =
        s.paragraph_property
            .set_borders(ParagraphBorders::with_empty().set(border(
                ParagraphBorderPosition::Left,
                18,
                QUOTE_RULE,
            )));
    s
}

/// In the aside's tinted box, one character inside it each side, the first line indented two:
/// adjacent paragraphs with the same borders and indents share one box. Each is kept with the next,
/// so that a box that fits on a page is not broken (its last paragraph stays with the one after the
/// box: a style cannot tell the last from the others).
fn boxed(para: Para, name: &str, sizes: Sizes) -> Style {
    let mut s = styles::keep_with_next(styles::body(para, name, sizes.body)).indent(
        Some(CHAR),
        Some(SpecialIndentType::FirstLine(2 * CHAR)),
        Some(CHAR),
        None,
    );
    let borders = [
        ParagraphBorderPosition::Top,
        ParagraphBorderPosition::Left,
        ParagraphBorderPosition::Bottom,
        ParagraphBorderPosition::Right,
    ]
    .into_iter()
    .fold(ParagraphBorders::with_empty(), |b, p| {
        b.set(border(p, 6, ASIDE_RULE))
    });
    s.paragraph_property = s
        .paragraph_property
        .set_borders(borders)
        .shading(Shading::new().fill(ASIDE_TINT));
    s
}

/// The character styles docx-rs cannot write (`w:em`) and the table style, as styles.xml entries:
/// Emphasis always (an editor may apply it), the others when used.
pub fn hand_written(used: &UsedStyles) -> String {
    let dots = r#"<w:em w:val="underDot"/>"#;
    let mut s = format!(
        r#"<w:style w:type="character" w:styleId="{EMPHASIS}"><w:name w:val="Emphasis"/><w:qFormat/><w:rPr>{dots}</w:rPr></w:style>"#
    );
    for (id, name, base) in [
        (TERM_EMPHASIS, "Term Emphasis", TERM),
        (LINK_EMPHASIS, "Hyperlink Emphasis", LINK),
    ] {
        if used.contains(id) {
            s.push_str(&format!(
                r#"<w:style w:type="character" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="{base}"/><w:rPr>{dots}</w:rPr></w:style>"#
            ));
        }
    }
    if used.contains(THREE_LINE_TABLE) {
        s.push_str(&three_line_table());
    }
    s
}

/// 三线表: 1.5 pt rules at the top and bottom of the table, nothing else; cell margins of half a
/// character.
fn three_line_table() -> String {
    let rule = |side: &str| {
        format!(r#"<w:{side} w:val="single" w:sz="12" w:space="0" w:color="000000"/>"#)
    };
    let none = |side: &str| format!(r#"<w:{side} w:val="nil"/>"#);
    format!(
        r#"<w:style w:type="table" w:styleId="{THREE_LINE_TABLE}"><w:name w:val="Three Line Table"/><w:uiPriority w:val="59"/><w:pPr><w:spacing w:before="0" w:after="0"/><w:ind w:firstLine="0"/></w:pPr><w:tblPr><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{half}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="{half}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        rule("top"),
        none("left"),
        rule("bottom"),
        none("right"),
        none("insideH"),
        none("insideV"),
        half = CHAR / 2,
    )
}
