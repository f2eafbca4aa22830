//! The document model: the one contract between the source and every writer.
//!
//! Enums are externally tagged (`{"paragraph": [...]}`) rather than internally tagged: serde buffers
//! internally tagged enums, which would lose the exact line, column and JSON path of an error inside them.

mod objects;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One article: metadata, body blocks, references, the disclaimer and the copyright notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Article {
    /// The JSON Schema this file follows (lets editors complete and check fields).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub meta: Meta,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// Heading of the reference list, as the author wrote it (default 参考文献).
    #[serde(default = "default_references_title")]
    pub references_title: String,
    /// CSL-JSON items: a Zotero "Export → CSL JSON" array can be pasted here.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// The disclaimer, set apart at the end. Every handout carries one: an article without its own
    /// takes the house's (`[disclaimer]` in handout.toml) when it is loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<Notice>,
    /// The copyright notice, last of all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copyright: Option<Notice>,
    /// The images the figures name, read and checked when the source is loaded (not part of the JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub images: crate::image::Images,
}

fn default_references_title() -> String {
    "参考文献".to_string()
}

/// Article metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Meta {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Shorter title for running headers; the title is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<String>,
    /// Author or organisation.
    pub author: String,
    /// Publication date, ISO 8601 (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// BCP 47 language tag.
    #[serde(default = "default_lang")]
    pub lang: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The article online, an http(s) address: the PDF prints it after the notices as a QR code
    /// under "扫码阅读原文".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

fn default_lang() -> String {
    "zh-CN".to_string()
}

impl Meta {
    /// The title for running headers.
    pub fn running_title(&self) -> &str {
        self.short_title.as_deref().unwrap_or(&self.title)
    }
}

/// A body block.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// A heading, level 1 to 3.
    Heading(Heading),
    /// A paragraph of inlines.
    Paragraph(Vec<Inline>),
    /// A paragraph led by a term set in bold: "ALS功能评分量表(ALSFRS-R):言语、…".
    Labelled(Labelled),
    /// A bulleted, numbered or Chinese-numbered list.
    List(List),
    /// A table, numbered "表1", "表2"… with its caption above.
    Table(Table),
    /// An image, numbered "图1", "图2"… with its caption below.
    Figure(Figure),
    /// A quoted passage, with an optional source line.
    Quote(Quote),
    /// A boxed block with a label (温馨提示, 要点) holding paragraphs and lists.
    Aside(Aside),
}

/// A table: caption, header rows, body rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Table {
    /// Set after "表N".
    pub caption: Vec<Inline>,
    /// Per column (all or none): alignment and relative width.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// Header rows, repeated on every page the table runs onto.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<Vec<Cell>>,
    /// Body rows: each a list of cells, covering as many columns as the first row (counting the
    /// cells that reach down from rows above).
    pub body: Vec<Vec<Cell>>,
}

/// A column's alignment and relative width.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Column {
    /// How the column's cells are aligned (left when absent).
    #[serde(default)]
    pub align: Align,
    /// Relative width (any positive number; the widths of all columns are shared in proportion). From
    /// the content when absent.
    #[serde(
        default,
        deserialize_with = "objects::number",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<f32>,
}

/// A column's alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Numbers aligned on the decimal point.
    Decimal,
}

/// A table cell: a string, an array of inlines, or an object with `content` and spans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub content: Vec<Inline>,
    /// Columns the cell covers (1 when absent).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub colspan: u32,
    /// Rows the cell covers (1 when absent); the rows below leave its columns out.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub rowspan: u32,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl JsonSchema for Cell {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cell".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let inlines = generator.subschema_for::<Vec<Inline>>();
        let object = generator.subschema_for::<CellObject>();
        schemars::json_schema!({
            "description": "A table cell: a string, an array of inlines, or an object with \"content\" and its spans.",
            "anyOf": [{ "type": "string", "description": "A cell of plain text, one column and one row." }, inlines, object]
        })
    }
}

/// A figure: an image file, its alt text and its caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Figure {
    /// PNG or JPEG file, relative to the source's folder.
    pub image: String,
    /// What the image shows, for readers who cannot see it (required).
    pub alt: String,
    /// Set after "图N".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caption: Vec<Inline>,
    /// Width as a fraction of the text width (0 < width ≤ 1); natural size when absent.
    #[serde(
        default,
        deserialize_with = "objects::number",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<f32>,
}

/// A quoted passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Quote {
    /// The quoted passage, one or more paragraphs of inlines.
    pub paragraphs: Vec<Vec<Inline>>,
    /// Where the passage comes from, set on a line of its own after it ("——《…》").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<Inline>,
}

/// A boxed block with a label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Aside {
    /// e.g. 温馨提示, 要点
    pub label: String,
    /// Paragraphs, labelled paragraphs and lists (no headings, tables, figures, quotes or asides).
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Heading {
    /// 1, 2 or 3.
    pub level: u8,
    pub content: Vec<Inline>,
}

/// A term and its text; writers join them with a colon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Labelled {
    pub term: Vec<Inline>,
    #[serde(default)]
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct List {
    pub style: ListStyle,
    /// Number of the first item (numbered styles).
    #[serde(default = "one")]
    pub start: u32,
    pub items: Vec<ListItem>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListStyle {
    /// • item
    Bullet,
    /// 1. 2. 3.
    Decimal,
    /// 一、二、三、
    Chinese,
}

/// A list item: an optional bold term, its text, and nested lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ListItem {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub term: Vec<Inline>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<Inline>,
    /// Nested lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<List>,
}

/// Inline content. A bare JSON string is text; other kinds are objects naming their kind:
/// `{"strong": [...]}`, `{"emph": [...]}`, `{"cite": ["id"]}`, `{"link": {"url": ..., "content": [...]}}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    /// Citation of one or more references, by id.
    Cite(Vec<String>),
    Link(Link),
    /// A footnote, numbered per document.
    Note(Vec<Inline>),
    /// Superscript: "10⁶".
    Sup(Vec<Inline>),
    /// Subscript: "Aβ₄₂".
    Sub(Vec<Inline>),
}

/// An inline object: exactly one key, naming its kind.
// Describes the object form for the schema only; `Inline`'s deserializer reads it.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[schemars(rename = "InlineObject")]
enum TaggedInline {
    /// Text, as a bare string is.
    Text(String),
    /// Strong text, set in bold.
    Strong(Vec<Inline>),
    /// Emphasis: dots under Chinese characters, italic over Latin text.
    Emph(Vec<Inline>),
    /// A citation of one or more references, by id: "[1]", "[1,3]", "[2-4]" (GB/T 7714 §10.1.3).
    Cite(Vec<String>),
    /// A link to an http(s), mailto or doi address.
    Link(Link),
    /// A footnote, numbered per document: at the foot of the page (PDF by default, DOCX) or collected
    /// as endnotes under 注释 (plain text; PDF with --notes end). Not in headings or notices, not in
    /// another note.
    Note(Vec<Inline>),
    /// Superscript: "10⁶".
    Sup(Vec<Inline>),
    /// Subscript: "Aβ₄₂".
    Sub(Vec<Inline>),
}

impl<'de> Deserialize<'de> for Inline {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct InlineVisitor;
        impl<'de> serde::de::Visitor<'de> for InlineVisitor {
            type Value = Inline;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a string, or an object with one key: text, strong, emph, cite, link, note, sup or sub",
                )
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Inline, E> {
                Ok(Inline::Text(s.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Inline, E> {
                Ok(Inline::Text(s))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Inline, A::Error> {
                const KINDS: &[&str] = &[
                    "text", "strong", "emph", "cite", "link", "note", "sup", "sub",
                ];
                objects::one_key(map, KINDS, |kind, map| {
                    Ok(match kind {
                        "text" => Inline::Text(map.next_value()?),
                        "strong" => Inline::Strong(map.next_value()?),
                        "emph" => Inline::Emph(map.next_value()?),
                        "cite" => Inline::Cite(map.next_value()?),
                        "note" => Inline::Note(map.next_value()?),
                        "sup" => Inline::Sup(map.next_value()?),
                        "sub" => Inline::Sub(map.next_value()?),
                        _ => Inline::Link(map.next_value()?),
                    })
                })
            }
        }
        d.deserialize_any(InlineVisitor)
    }
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct BlockVisitor;
        impl<'de> serde::de::Visitor<'de> for BlockVisitor {
            type Value = Block;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "an object with one key: heading, paragraph, labelled, list, table, figure, quote \
                     or aside",
                )
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Block, A::Error> {
                const KINDS: &[&str] = &[
                    "heading",
                    "paragraph",
                    "labelled",
                    "list",
                    "table",
                    "figure",
                    "quote",
                    "aside",
                ];
                objects::one_key(map, KINDS, |kind, map| {
                    Ok(match kind {
                        "heading" => Block::Heading(map.next_value()?),
                        "paragraph" => Block::Paragraph(map.next_value()?),
                        "labelled" => Block::Labelled(map.next_value()?),
                        "table" => Block::Table(map.next_value()?),
                        "figure" => Block::Figure(map.next_value()?),
                        "quote" => Block::Quote(map.next_value()?),
                        "aside" => Block::Aside(map.next_value()?),
                        _ => Block::List(map.next_value()?),
                    })
                })
            }
        }
        d.deserialize_map(BlockVisitor)
    }
}

impl Serialize for Inline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Inline::Text(t) => s.serialize_str(t),
            Inline::Strong(c) => s.serialize_newtype_variant("Inline", 1, "strong", c),
            Inline::Emph(c) => s.serialize_newtype_variant("Inline", 2, "emph", c),
            Inline::Cite(c) => s.serialize_newtype_variant("Inline", 3, "cite", c),
            Inline::Link(l) => s.serialize_newtype_variant("Inline", 4, "link", l),
            Inline::Note(c) => s.serialize_newtype_variant("Inline", 5, "note", c),
            Inline::Sup(c) => s.serialize_newtype_variant("Inline", 6, "sup", c),
            Inline::Sub(c) => s.serialize_newtype_variant("Inline", 7, "sub", c),
        }
    }
}

impl JsonSchema for Inline {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Inline".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let object = generator.subschema_for::<TaggedInline>();
        schemars::json_schema!({
            "description": "Inline content: a string is text; an object names its kind.",
            "anyOf": [{ "type": "string" }, object]
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Link {
    /// http(s), mailto or doi.
    pub url: String,
    pub content: Vec<Inline>,
}

/// A notice at the end (disclaimer, copyright): a run-in label, then paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Notice {
    /// e.g. 免责说明
    pub label: String,
    pub paragraphs: Vec<Vec<Inline>>,
}

/// A reference, CSL-JSON compatible (field names as CSL writes them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ReferenceType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Name>,
    /// Editors: of a whole proceedings or collection (they lead the entry when it has no author), or
    /// of the book a chapter or conference paper is in ("//许厚泽, 赵其国. 长江流域…").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<Name>,
    /// The author of the book a chapter is in ("//王夫之. 船山全书").
    #[serde(
        rename = "container-author",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub container_author: Vec<Name>,
    /// Translators, set after the title ("胡泳, 范海燕, 译").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translator: Vec<Name>,
    /// Not CSL: the source lists only the first authors ("等", "et al."); more exist.
    #[serde(rename = "x-et-al", default, skip_serializing_if = "is_false")]
    pub et_al: bool,
    pub title: String,
    #[serde(
        rename = "container-title",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub container_title: Option<String>,
    #[serde(
        rename = "container-title-short",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub container_title_short: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    /// When an online item was read: the citation date ("[2013-03-26]").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<Date>,
    /// A number ("4": "4th ed.", "4版") or the edition as printed ("刻本", "修订版").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// A book's volume ("1": "第1卷"), or a journal's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// A report's, standard's or patent's number ("PB 91-194001", "GB/T 7714—2015", "01128777.2").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(rename = "PMID", default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    #[serde(rename = "PMCID", default, skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<String>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publisher, or the awarding university of a thesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(
        rename = "publisher-place",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub publisher_place: Option<String>,
    /// Language of the entry (zh-CN, en); guessed from the title when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ReferenceType {
    #[serde(rename = "article-journal")]
    ArticleJournal,
    #[serde(rename = "thesis")]
    Thesis,
    #[serde(rename = "book")]
    Book,
    #[serde(rename = "chapter")]
    Chapter,
    #[serde(rename = "paper-conference")]
    PaperConference,
    #[serde(rename = "report")]
    Report,
    #[serde(rename = "webpage")]
    Webpage,
    /// A newspaper article, [N].
    #[serde(rename = "article-newspaper")]
    ArticleNewspaper,
    /// A patent, [P].
    #[serde(rename = "patent")]
    Patent,
    /// A standard, [S].
    #[serde(rename = "standard")]
    Standard,
    /// A compilation (汇编), [G].
    #[serde(rename = "collection")]
    Collection,
    /// An archive document (档案), [A].
    #[serde(rename = "manuscript")]
    Manuscript,
    /// A dataset, [DS].
    #[serde(rename = "dataset")]
    Dataset,
    /// Software (计算机程序), [CP].
    #[serde(rename = "software")]
    Software,
}

/// A CSL name: family and given, or one literal (an organisation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    /// "Jr", set after the given name ("PEEBLES P Z, Jr").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// A CSL date: `{"date-parts": [[2020, 10]]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Date {
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i32>>,
}

impl Date {
    pub fn year(&self) -> Option<i32> {
        self.date_parts.first().and_then(|p| p.first()).copied()
    }
}

impl Reference {
    /// The people of an entry by their CSL role: authors, editors, the host's author, translators.
    pub fn people(&self) -> [(&'static str, &[Name]); 4] {
        [
            ("author", &self.author),
            ("editor", &self.editor),
            ("container-author", &self.container_author),
            ("translator", &self.translator),
        ]
    }
}

impl Inline {
    /// Plain text of a run of inlines (citations and notes excluded).
    pub fn plain(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for i in inlines {
            i.push_plain(&mut out);
        }
        out
    }

    /// Whether this is a citation (which a reader sees as "[1]" although it holds no text).
    pub fn is_citation(&self) -> bool {
        matches!(self, Inline::Cite(_))
    }

    fn push_plain(&self, out: &mut String) {
        match self {
            Inline::Text(t) => out.push_str(t),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Sup(c) | Inline::Sub(c) => {
                c.iter().for_each(|i| i.push_plain(out))
            }
            Inline::Link(l) => l.content.iter().for_each(|i| i.push_plain(out)),
            Inline::Cite(_) | Inline::Note(_) => {}
        }
    }
}

/// A piece of the article met by [`Article::walk`], with the JSON path where it stands.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A text the reader sees (metadata included).
    Text(&'a str),
    /// A citation's reference ids.
    Cite(&'a [String]),
}

impl Article {
    /// Visits every text and citation of the article in reading order (metadata first, references and
    /// notices last), with its JSON path, e.g. `blocks[3].list.items[1].content[0]`.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&str, Item<'a>)) {
        let mut w = Walker {
            path: String::new(),
            f,
        };
        let m = &self.meta;
        w.text("meta.title", &m.title);
        for (key, value) in [
            ("meta.subtitle", &m.subtitle),
            ("meta.short_title", &m.short_title),
        ] {
            if let Some(v) = value {
                w.text(key, v);
            }
        }
        w.text("meta.author", &m.author);
        for (i, k) in m.keywords.iter().enumerate() {
            w.text(&format!("meta.keywords[{i}]"), k);
        }
        if let Some(s) = &m.summary {
            w.text("meta.summary", s);
        }
        w.at("blocks", |w| w.blocks(&self.blocks));
        w.text("references_title", &self.references_title);
        for (i, r) in self.references.iter().enumerate() {
            w.at(&format!("references[{i}]"), |w| {
                for (role, names) in r.people() {
                    for (j, n) in names.iter().enumerate() {
                        for (key, v) in [
                            ("family", &n.family),
                            ("given", &n.given),
                            ("literal", &n.literal),
                            ("suffix", &n.suffix),
                        ] {
                            if let Some(v) = v {
                                w.text(&format!(".{role}[{j}].{key}"), v);
                            }
                        }
                    }
                }
                w.text(".title", &r.title);
                for (key, v) in [
                    (".container-title", &r.container_title),
                    (".volume", &r.volume),
                    (".issue", &r.issue),
                    (".page", &r.page),
                    (".edition", &r.edition),
                    (".number", &r.number),
                    (".DOI", &r.doi),
                    (".PMID", &r.pmid),
                    (".PMCID", &r.pmcid),
                    (".URL", &r.url),
                    (".publisher", &r.publisher),
                    (".publisher-place", &r.publisher_place),
                ] {
                    if let Some(v) = v {
                        w.text(key, v);
                    }
                }
            });
        }
        if let Some(d) = &self.disclaimer {
            w.notice("disclaimer", d);
        }
        if let Some(c) = &self.copyright {
            w.notice("copyright", c);
        }
    }

    /// Calls `f` with the ids of every citation, in reading order.
    pub fn for_each_citation(&self, mut f: impl FnMut(&[String])) {
        self.walk(&mut |_, item| {
            if let Item::Cite(ids) = item {
                f(ids)
            }
        });
    }
}

struct Walker<'f, 'a> {
    path: String,
    f: &'f mut dyn FnMut(&str, Item<'a>),
}

impl<'f, 'a> Walker<'f, 'a> {
    fn at(&mut self, seg: &str, g: impl FnOnce(&mut Self)) {
        let len = self.path.len();
        self.path.push_str(seg);
        g(self);
        self.path.truncate(len);
    }

    fn text(&mut self, seg: &str, t: &'a str) {
        self.at(seg, |w| (w.f)(&w.path, Item::Text(t)));
    }

    fn notice(&mut self, key: &str, n: &'a Notice) {
        self.at(key, |w| {
            w.text(".label", &n.label);
            w.paragraphs(&n.paragraphs);
        });
    }

    fn blocks(&mut self, blocks: &'a [Block]) {
        for (i, block) in blocks.iter().enumerate() {
            self.at(&format!("[{i}]"), |w| match block {
                Block::Heading(h) => w.at(".heading.content", |w| w.inlines(&h.content)),
                Block::Paragraph(p) => w.at(".paragraph", |w| w.inlines(p)),
                Block::Labelled(l) => {
                    w.at(".labelled.term", |w| w.inlines(&l.term));
                    w.at(".labelled.content", |w| w.inlines(&l.content));
                }
                Block::List(l) => w.at(".list", |w| w.list(l)),
                Block::Table(t) => w.at(".table", |w| w.table(t)),
                Block::Figure(f) => w.at(".figure", |w| {
                    w.text(".alt", &f.alt);
                    w.at(".caption", |w| w.inlines(&f.caption));
                }),
                Block::Quote(q) => w.at(".quote", |w| {
                    w.paragraphs(&q.paragraphs);
                    w.at(".source", |w| w.inlines(&q.source));
                }),
                Block::Aside(a) => w.at(".aside", |w| {
                    w.text(".label", &a.label);
                    w.at(".blocks", |w| w.blocks(&a.blocks));
                }),
            });
        }
    }

    fn table(&mut self, t: &'a Table) {
        self.at(".caption", |w| w.inlines(&t.caption));
        for (key, rows) in [(".head", &t.head), (".body", &t.body)] {
            for (i, row) in rows.iter().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    self.at(&format!("{key}[{i}][{j}]"), |w| w.inlines(&cell.content));
                }
            }
        }
    }

    fn paragraphs(&mut self, paragraphs: &'a [Vec<Inline>]) {
        for (i, p) in paragraphs.iter().enumerate() {
            self.at(&format!(".paragraphs[{i}]"), |w| w.inlines(p));
        }
    }

    fn list(&mut self, l: &'a List) {
        for (i, item) in l.items.iter().enumerate() {
            self.at(&format!(".items[{i}]"), |w| {
                w.at(".term", |w| w.inlines(&item.term));
                w.at(".content", |w| w.inlines(&item.content));
                for (j, child) in item.children.iter().enumerate() {
                    w.at(&format!(".children[{j}]"), |w| w.list(child));
                }
            });
        }
    }

    fn inlines(&mut self, inlines: &'a [Inline]) {
        for (i, inline) in inlines.iter().enumerate() {
            self.at(&format!("[{i}]"), |w| match inline {
                Inline::Text(t) => (w.f)(&w.path, Item::Text(t)),
                Inline::Strong(c) => w.at(".strong", |w| w.inlines(c)),
                Inline::Emph(c) => w.at(".emph", |w| w.inlines(c)),
                Inline::Sup(c) => w.at(".sup", |w| w.inlines(c)),
                Inline::Sub(c) => w.at(".sub", |w| w.inlines(c)),
                Inline::Note(c) => w.at(".note", |w| w.inlines(c)),
                Inline::Cite(ids) => (w.f)(&w.path, Item::Cite(ids)),
                Inline::Link(l) => {
                    w.text(".link.url", &l.url);
                    w.at(".link.content", |w| w.inlines(&l.content));
                }
            });
        }
    }
}

objects::only_objects!(
    Article: "an object, the article (with \"meta\", \"blocks\" and \"disclaimer\")",
    Meta: "an object with the article's metadata (\"title\", \"author\"…)",
    Heading: "an object with \"level\" and \"content\"",
    Labelled: "an object with \"term\" and \"content\"",
    List: "an object with \"style\" and \"items\"",
    ListItem: "an object with \"term\", \"content\" or \"children\"",
    Link: "an object with \"url\" and \"content\"",
    Table: "an object with \"caption\", \"head\" and \"body\"",
    Column: "an object with \"align\" and \"width\"",
    Figure: "an object with \"image\", \"alt\" and \"caption\"",
    Quote: "an object with \"paragraphs\" and \"source\"",
    Aside: "an object with \"label\" and \"blocks\"",
    Notice: "an object with \"label\" and \"paragraphs\"",
    Reference: "an object, a CSL-JSON item",
    Name: "an object with \"family\" and \"given\", or \"literal\"",
    Date: "an object with \"date-parts\"",
);

/// The object form of a cell.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CellObject")]
struct CellObject {
    /// The cell's inlines.
    content: Vec<Inline>,
    /// Columns the cell covers (1 when absent).
    #[serde(default = "one")]
    colspan: u32,
    /// Rows the cell covers (1 when absent); the rows below leave its columns out.
    #[serde(default = "one")]
    rowspan: u32,
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CellVisitor;
        impl<'de> serde::de::Visitor<'de> for CellVisitor {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a cell: a string, an array of inlines, or an object with \"content\" \
                     (and \"colspan\", \"rowspan\")",
                )
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Cell, E> {
                Ok(Cell::new(vec![Inline::Text(s.to_owned())]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Cell, A::Error> {
                let content =
                    Vec::<Inline>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Cell::new(content))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Cell, A::Error> {
                let o = CellObject::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Cell {
                    content: o.content,
                    colspan: o.colspan,
                    rowspan: o.rowspan,
                })
            }
        }
        d.deserialize_any(CellVisitor)
    }
}

impl Cell {
    /// A cell covering one row and one column.
    pub fn new(content: Vec<Inline>) -> Cell {
        Cell {
            content,
            colspan: 1,
            rowspan: 1,
        }
    }
}
