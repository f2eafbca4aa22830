//! The named styles and list numbering definitions. Every paragraph and run of the body names one of
//! these styles (or those of [`super::element_styles`]); the body's direct formatting is what a
//! style cannot say: a list's numbering reference, bold where a bold style would toggle bold off,
//! the italic face of Latin emphasis, raised and lowered text, and a table's column alignments and
//! header rule.
//!
//! docx-rs writes the styles; [`finish_styles`] adds what it cannot write (the language, the
//! first-line indent in characters, the XML declaration) and drops the bare Normal it always emits.

use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, Docx, IndentLevel, Level, LevelJc,
    LevelSuffixType, LevelText, LineSpacing, LineSpacingType, NumberFormat, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, RunFonts, SpecialIndentType, Start, Style,
    StyleType,
};

use crate::fonts::Face;
use crate::model::ListStyle;

/// The families the styles are written with: the default faces' (the body's and the headings'). A
/// document set in other faces has them renamed to its own by [`name_families`].
pub const SERIF: &str = "Noto Serif SC";
pub const SANS: &str = "Noto Sans SC";

/// One body character of the built-in style (五号, 10.5 pt) in twips: indents are set in it.
pub const CHAR: i32 = 210;

/// Font sizes in half-points, Word's unit. The built-in style's (body 五号, 10.5 pt; title 18 pt;
/// headings 14, 12 and 10.5 pt: a little smaller than the PDF's, as Word documents are read on
/// screen first), each in proportion to the house style's size of the same thing.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub body: usize,
    /// The abstract and keywords.
    pub meta: usize,
    /// References, notices, header and footer.
    pub small: usize,
    pub title: usize,
    pub subtitle: usize,
    pub headings: [usize; 3],
}

impl Sizes {
    pub fn of(style: &crate::style::Style) -> Sizes {
        let d = crate::style::Style::default();
        let scaled = |half_points: f32, size: f32, default: f32| {
            (half_points * size / default).round().max(2.0) as usize
        };
        let body = |half_points| scaled(half_points, style.body_size, d.body_size);
        let heading =
            |i: usize, half_points| scaled(half_points, style.heading_sizes[i], d.heading_sizes[i]);
        Sizes {
            body: body(21.0),
            meta: body(19.0),
            small: body(18.0),
            title: scaled(36.0, style.title_size, d.title_size),
            subtitle: scaled(28.0, style.subtitle_size, d.subtitle_size),
            headings: [heading(0, 28.0), heading(1, 24.0), heading(2, 21.0)],
        }
    }
}

/// The paragraph styles the body uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Para {
    Title,
    Subtitle,
    Byline,
    Meta,
    Heading(u8),
    Normal,
    ListBullet,
    ListNumber,
    Bibliography,
    Disclaimer,
    Copyright,
    Header,
    Footer,
    // The styles of the rich elements ([`super::element_styles`]), written only when used.
    TableText,
    Figure,
    Caption,
    Quote,
    QuoteSource,
    Aside,
    AsideLabel,
    AsideListBullet,
    AsideListNumber,
    FootnoteText,
}

impl Para {
    pub fn id(self) -> &'static str {
        match self {
            Para::Title => "Title",
            Para::Subtitle => "Subtitle",
            Para::Byline => "Byline",
            Para::Meta => "Abstract",
            Para::Heading(1) => "Heading1",
            Para::Heading(2) => "Heading2",
            Para::Heading(_) => "Heading3",
            Para::Normal => "Normal",
            Para::ListBullet => "ListBullet",
            Para::ListNumber => "ListNumber",
            Para::Bibliography => "Bibliography",
            Para::Disclaimer => "Disclaimer",
            Para::Copyright => "Copyright",
            Para::Header => "Header",
            Para::Footer => "Footer",
            Para::TableText => "TableText",
            Para::Figure => "Figure",
            Para::Caption => "Caption",
            Para::Quote => "Quote",
            Para::QuoteSource => "QuoteSource",
            Para::Aside => "Aside",
            Para::AsideLabel => "AsideLabel",
            Para::AsideListBullet => "AsideListBullet",
            Para::AsideListNumber => "AsideListNumber",
            Para::FootnoteText => "FootnoteText",
        }
    }

    /// The face plain text of this style is set in (for font subsetting).
    pub fn face(self) -> Face {
        match self {
            Para::Title | Para::Heading(_) | Para::AsideLabel => Face::SansBold,
            Para::Subtitle | Para::Header | Para::Footer | Para::Caption => Face::SansRegular,
            _ => Face::SerifRegular,
        }
    }
}

/// Character styles: the term of a labelled paragraph, strong, emphasis, links and citations.
pub const TERM: &str = "Term";
pub const STRONG: &str = "Strong";
pub const LINK: &str = "Hyperlink";
pub const CITATION: &str = "Citation";
/// Emphasis dots under Han characters, alone, in a term, in a link (written by hand:
/// [`super::element_styles::hand_written`]). Latin emphasis is set in the italic face instead.
pub const EMPHASIS: &str = "Emphasis";
pub const TERM_EMPHASIS: &str = "TermEmphasis";
pub const LINK_EMPHASIS: &str = "HyperlinkEmphasis";
/// A footnote's number, in the text and before the note.
pub const FOOTNOTE_REFERENCE: &str = "FootnoteReference";

/// Names the document's own families in its styles: the body's where the styles name the default
/// body family ([`SERIF`], the document defaults and the serif styles), the headings' where they name
/// [`SANS`] (the sans styles and the term). The families are those the faces are embedded under
/// ([`crate::fonts::Fonts::word_family`]); with the default faces nothing changes.
pub fn name_families(mut docx: Docx, subsets: &crate::fonts::subset::Subsets) -> Docx {
    let body = subsets.word_family(Face::SerifRegular);
    let headings = subsets.word_family(Face::SansBold);
    if body == SERIF && headings == SANS {
        return docx;
    }
    let (serif, sans) = (Some(fonts(SERIF)), Some(fonts(SANS)));
    for style in &mut docx.styles.styles {
        let named = &mut style.run_property.fonts;
        if *named == serif {
            *named = Some(fonts(body));
        } else if *named == sans {
            *named = Some(fonts(headings));
        }
    }
    docx.default_fonts(fonts(body))
}

pub fn fonts(family: &str) -> RunFonts {
    RunFonts::new()
        .ascii(family)
        .hi_ansi(family)
        .east_asia(family)
        .cs(family)
        .hint("eastAsia")
}

/// Paragraph spacing in twips; `line` in 240ths of the font's own line height (lineRule auto, which
/// LibreOffice does not assume when the rule is left out).
pub fn spacing(before: u32, after: u32, line: i32) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(line)
        .line_rule(LineSpacingType::Auto)
}

pub fn paragraph(para: Para, name: &str) -> Style {
    let face = para.face();
    let s = Style::new(para.id(), StyleType::Paragraph)
        .name(name)
        .fonts(fonts(face.family()))
        .q_format(true);
    if face.is_bold() { s.bold() } else { s }
}

/// A body-text style not based on Normal, so that it does not inherit Normal's first-line indent.
pub fn body(para: Para, name: &str, size: usize) -> Style {
    paragraph(para, name)
        .next("Normal")
        .size(size)
        .align(AlignmentType::Both)
        .line_spacing(spacing(0, 60, 264))
}

/// A heading stays on the page of the paragraph after it.
pub fn keep_with_next(mut s: Style) -> Style {
    s.paragraph_property = s.paragraph_property.keep_next(true);
    s
}

/// A thin rule above the style's paragraphs, setting the notices apart as the text handout's dashes do
/// (adjacent paragraphs with the same borders share one rule).
fn rule_above(mut s: Style) -> Style {
    let top = ParagraphBorder::new(ParagraphBorderPosition::Top)
        .val(BorderType::Single)
        .size(4)
        .space(6)
        .color("808080");
    s.paragraph_property = s
        .paragraph_property
        .set_borders(ParagraphBorders::with_empty().set(top));
    s
}

pub fn character(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Character).name(name)
}

/// Word's colour of links, unless the house style gives one.
pub const LINK_COLOUR: &str = "1F4E79";

/// A colour as Word writes it: RRGGBB.
pub fn hex(rgb: crate::style::Rgb) -> String {
    let byte = |c: f32| (c.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!(
        "{:02X}{:02X}{:02X}",
        byte(rgb[0]),
        byte(rgb[1]),
        byte(rgb[2])
    )
}

/// Adds the styles to the document; `link_colour` (RRGGBB) colours the hyperlinks.
pub fn add_styles(docx: Docx, sizes: Sizes, link_colour: &str) -> Docx {
    let body = |para: Para, name: &str| body(para, name, sizes.body);
    let heading = |level: u8, name: &str, size: usize, before: u32| {
        // Not based on Normal: it would bring its first-line indent in characters.
        keep_with_next(paragraph(Para::Heading(level), name))
            .next("Normal")
            .size(size)
            .align(AlignmentType::Left)
            .line_spacing(spacing(before, 120, 240))
            .outline_lvl(usize::from(level - 1))
    };
    let list = |para: Para, name: &str| {
        body(para, name).indent(
            Some(2 * CHAR),
            Some(SpecialIndentType::Hanging(2 * CHAR)),
            None,
            None,
        )
    };
    let styles = [
        // Normal: the body text; first-line indent of two characters (firstLineChars is added by
        // finish_styles, docx-rs drops it; the twips value stays for readers that ignore it).
        paragraph(Para::Normal, "Normal")
            .size(sizes.body)
            .align(AlignmentType::Both)
            .indent(
                None,
                Some(SpecialIndentType::FirstLine(2 * CHAR)),
                None,
                None,
            )
            .line_spacing(spacing(0, 60, 264)),
        paragraph(Para::Title, "Title")
            .next("Subtitle")
            .size(sizes.title)
            .align(AlignmentType::Center)
            .line_spacing(spacing(240, 120, 240)),
        paragraph(Para::Subtitle, "Subtitle")
            .next("Byline")
            .size(sizes.subtitle)
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 120, 240)),
        body(Para::Byline, "Byline")
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 120, 240)),
        body(Para::Meta, "Abstract").size(sizes.meta),
        heading(1, "heading 1", sizes.headings[0], 360),
        heading(2, "heading 2", sizes.headings[1], 240),
        heading(3, "heading 3", sizes.headings[2], 180),
        list(Para::ListBullet, "List Bullet"),
        list(Para::ListNumber, "List Number"),
        body(Para::Bibliography, "Bibliography")
            .size(sizes.small)
            .align(AlignmentType::Left)
            .indent(
                Some(3 * CHAR),
                Some(SpecialIndentType::Hanging(3 * CHAR)),
                None,
                None,
            ),
        rule_above(body(Para::Disclaimer, "Disclaimer"))
            .size(sizes.small)
            .line_spacing(spacing(240, 60, 240)),
        body(Para::Copyright, "Copyright")
            .size(sizes.small)
            .line_spacing(spacing(120, 0, 240)),
        paragraph(Para::Header, "header")
            .size(sizes.small)
            .align(AlignmentType::Center),
        paragraph(Para::Footer, "footer")
            .size(sizes.small)
            .align(AlignmentType::Center),
        character(TERM, "Term").fonts(fonts(SANS)).bold(),
        character(STRONG, "Strong").bold(),
        character(LINK, "Hyperlink")
            .color(link_colour)
            .underline("single"),
        character(CITATION, "Citation").color("1F4E79"),
    ];
    let defaults = docx.default_fonts(fonts(SERIF)).default_size(sizes.body);
    styles.into_iter().fold(defaults, |d, s| d.add_style(s))
}

/// Abstract numbering ids: docx-rs always writes a default abstractNum 1 and num 1, so ours start at 2;
/// the boxed ones (lists in an aside) follow.
fn abstract_id(style: ListStyle, boxed: bool) -> usize {
    let id = match style {
        ListStyle::Bullet => 2,
        ListStyle::Decimal => 3,
        ListStyle::Chinese => 4,
    };
    if boxed { id + 3 } else { id }
}

/// The first `w:num` id free for list instances.
pub const FIRST_NUM_ID: usize = 2;

/// Adds one abstract numbering per list style, nine levels each.
pub fn add_numbering_definitions(docx: Docx) -> Docx {
    add_definitions(docx, false)
}

/// The numbering of lists in an aside. Word and LibreOffice join the borders of adjacent paragraphs
/// into one box only when the paragraphs have the same indents; so an aside's list items have the
/// indents of its paragraphs (one character inside the box each side), and each level sets its
/// marker two characters further in with a first-line indent, the lines after it returning to the
/// box's edge, as Chinese documents often set numbered items; a space follows the marker.
pub fn add_boxed_numbering_definitions(docx: Docx) -> Docx {
    add_definitions(docx, true)
}

fn add_definitions(mut docx: Docx, boxed: bool) -> Docx {
    for style in [ListStyle::Bullet, ListStyle::Decimal, ListStyle::Chinese] {
        let mut a = AbstractNumbering::new(abstract_id(style, boxed));
        for level in 0..9usize {
            let n = level + 1;
            let (format, text, suffix, hang) = match style {
                ListStyle::Bullet => ("bullet", "•".to_string(), LevelSuffixType::Tab, 2 * CHAR),
                ListStyle::Decimal => ("decimal", format!("%{n}."), LevelSuffixType::Tab, 2 * CHAR),
                // "一、" carries its own full-width space: no tab after it.
                ListStyle::Chinese => (
                    "chineseCounting",
                    format!("%{n}、"),
                    LevelSuffixType::Nothing,
                    2 * CHAR,
                ),
            };
            let left = 2 * CHAR * n as i32;
            // In the box, a space after the marker: a tab would run to the next default stop.
            let (left, first, right, suffix) = match (boxed, suffix) {
                (true, LevelSuffixType::Tab) => (
                    CHAR,
                    SpecialIndentType::FirstLine(left),
                    Some(CHAR),
                    LevelSuffixType::Space,
                ),
                (true, suffix) => (CHAR, SpecialIndentType::FirstLine(left), Some(CHAR), suffix),
                (false, suffix) => (left, SpecialIndentType::Hanging(hang), None, suffix),
            };
            a = a.add_level(
                Level::new(
                    level,
                    Start::new(1),
                    NumberFormat::new(format),
                    LevelText::new(text),
                    LevelJc::new("left"),
                )
                .indent(Some(left), Some(first), right, None)
                .suffix(suffix),
            );
        }
        docx = docx.add_abstract_numbering(a);
    }
    docx
}

/// A list instance: its own `w:num`, restarting at the list's start number at its level.
pub fn add_list_instance(
    docx: Docx,
    num_id: usize,
    (style, boxed): (ListStyle, bool),
    level: usize,
    start: u32,
) -> Docx {
    docx.add_numbering(
        docx_rs::Numbering::new(num_id, abstract_id(style, boxed))
            .add_override(docx_rs::LevelOverride::new(level).start(start as usize)),
    )
}

pub fn level(depth: usize) -> IndentLevel {
    IndentLevel::new(depth.min(8))
}

/// The bare Normal style docx-rs writes before ours: `add_style("Normal")` adds a second Normal rather
/// than replacing docx-rs's own, so the bare one is taken out.
const BARE_NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;

/// The Latin and East Asian languages of the text, escaped: a Chinese (or Japanese, Korean) article
/// is East Asian text with English for its Latin words, as Word writes it; any other article keeps its
/// own language for Latin text and Simplified Chinese for the Han characters it quotes.
pub fn languages(lang: &str) -> (String, String) {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let escaped = crate::xml::escape(lang);
    if matches!(primary.as_str(), "zh" | "ja" | "ko") {
        ("en-US".into(), escaped)
    } else {
        (escaped, "zh-CN".into())
    }
}

/// Rewrites docx-rs's styles.xml: one Normal, `w:lang` in the defaults, Normal's indent in characters.
pub fn finish_styles(xml: &[u8], lang: &str) -> String {
    let mut s = String::from_utf8_lossy(xml).replacen(BARE_NORMAL, "", 1);
    let (latin, east_asian) = languages(lang);
    let lang_el = format!(r#"<w:lang w:val="{latin}" w:eastAsia="{east_asian}" w:bidi="ar-SA" />"#);
    if let Some(at) = s.find("<w:rPrDefault><w:rPr>") {
        let at = at + "<w:rPrDefault><w:rPr>".len();
        s.insert_str(at, &lang_el);
    } else {
        s = s.replacen(
            "<w:rPrDefault><w:rPr />",
            &format!("<w:rPrDefault><w:rPr>{lang_el}</w:rPr>"),
            1,
        );
    }
    // Normal's first line: two characters, whatever the font size.
    let normal = r#"w:styleId="Normal">"#;
    if let Some(start) = s.find(normal) {
        let end = s[start..].find("</w:style>").map_or(s.len(), |e| start + e);
        let body = s[start..end].replacen(
            &format!(r#"w:firstLine="{}""#, 2 * CHAR),
            &format!(r#"w:firstLineChars="200" w:firstLine="{}""#, 2 * CHAR),
            1,
        );
        s.replace_range(start..end, &body);
    }
    // Normal is the default paragraph style (docx-rs cannot mark a style as the default).
    s = s.replacen(
        r#"<w:style w:type="paragraph" w:styleId="Normal">"#,
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
        1,
    );
    if !s.starts_with("<?xml") {
        s.insert_str(0, crate::xml::DECLARATION);
    }
    s
}
