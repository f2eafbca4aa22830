//! The front matter of a Markdown article: YAML between `---` lines or TOML between `+++` lines, read
//! into the article's metadata, its notices and its references (inline CSL items or a bibliography
//! file), every error placed at the value it is about.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::model::{Article, Block, Inline, Meta, Notice, Reference};
use crate::source::SourceErrors;
use crate::source::places::Places;
use crate::source::tree::Tree;
use crate::source::{SourceError, bibliography};

/// The front matter as written: its language, its text and the line its text starts on.
pub struct Front {
    toml: bool,
    text: String,
    first_line: usize,
}

/// Splits the front matter from the body. The body keeps the front matter's lines as blank lines, so
/// that comrak's line numbers are the file's.
pub fn split(file: &Arc<Path>, text: &str) -> Result<(Front, String), SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim_end();
    let (toml, fence) = match first {
        "---" => (false, ["---", "..."]),
        "+++" => (true, ["+++", "+++"]),
        _ => {
            return Err(located(
                file,
                (1, 1),
                "",
                "no front matter, expected the article's title and author between `---` lines \
                 (YAML) or `+++` lines (TOML) at the top of the file",
            ));
        }
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(end) = (1..lines.len()).find(|&i| fence.contains(&lines[i].trim_end())) else {
        return Err(located(
            file,
            (1, 1),
            "",
            &format!(
                "the front matter is not closed, expected a line `{}` after it",
                fence[0]
            ),
        ));
    };
    let front = lines[1..end].concat();
    let mut body = "\n".repeat(end + 1);
    body.extend(lines[end + 1..].iter().copied());
    Ok((
        Front {
            toml,
            text: front,
            first_line: 2,
        },
        body,
    ))
}

/// The front matter of a Markdown article (YAML between `---` lines or TOML between `+++` lines).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Front matter of a handout article in Markdown")]
pub struct FrontMatter {
    /// The article's title.
    title: String,
    /// Shorter title for running headers; the title is used when absent.
    #[serde(default)]
    short_title: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    /// Author or organisation.
    author: String,
    /// Publication date, YYYY-MM-DD.
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    /// The article online, an http(s) address (printed in the PDF as a QR code).
    #[serde(default)]
    url: Option<String>,
    /// BCP 47 language tag (default zh-CN).
    #[serde(default)]
    lang: Option<String>,
    /// Heading of the reference list (default 参考文献).
    #[serde(default)]
    references_title: Option<String>,
    /// The disclaimer (or a `::: disclaimer 免责说明` block in the text).
    #[serde(default)]
    disclaimer: Option<NoticeText>,
    /// The copyright notice (or a `::: copyright 版权说明` block in the text).
    #[serde(default)]
    copyright: Option<NoticeText>,
    /// The references as CSL items (not with `bibliography`).
    #[serde(default)]
    #[schemars(with = "Option<Vec<Reference>>")]
    references: Option<serde_json::Value>,
    /// A bibliography file beside the article: .bib (BibTeX/BibLaTeX), .json (CSL-JSON) or
    /// .yaml/.yml (CSL-YAML); the entries cited are taken (not with `references`).
    #[serde(default)]
    bibliography: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    tree: Option<Tree>,
}

/// Reads the front matter into its keys; the place of every value joins `places` under its model path.
pub fn read(
    file: &Arc<Path>,
    front: &Front,
    places: &mut Places,
) -> Result<FrontMatter, SourceErrors> {
    let tree = if front.toml {
        Tree::toml(file, &front.text, front.first_line)
    } else {
        Tree::yaml(file, &front.text, front.first_line)
    }
    .map_err(|e| SourceErrors(vec![e]))?;
    if !tree.value.is_object() {
        let e = located(
            file,
            (front.first_line, 1),
            "",
            "the front matter is not a mapping of keys, expected `title: …`, `author: …` and the other keys",
        );
        return Err(SourceErrors(vec![e]));
    }
    let mut matter: FrontMatter = tree.deserialize(file, "", "").map_err(|mut e| {
        e.path = e.path.trim_start_matches('.').to_string();
        if e.position.is_none() {
            e.position = Some((front.first_line, 1));
        }
        SourceErrors(vec![e])
    })?;
    for key in [
        "title",
        "short_title",
        "subtitle",
        "author",
        "date",
        "keywords",
        "summary",
        "lang",
        "url",
    ] {
        places.extend_under("", tree.places.moved(key, &format!("meta.{key}")));
    }
    for key in ["references_title", "disclaimer", "copyright"] {
        places.extend_under("", tree.places.moved(key, key));
    }
    matter.tree = Some(tree);
    Ok(matter)
}

impl FrontMatter {
    /// The references: inline CSL items, or the entries of the bibliography file that the text cites
    /// (in the file's order). Not both.
    pub fn references(
        &self,
        file: &Arc<Path>,
        folder: &Path,
        limit: u64,
        cited: &[String],
        places: &mut Places,
    ) -> Result<Vec<Reference>, SourceErrors> {
        let tree = self.tree.as_ref();
        let place = |key: &str| {
            tree.and_then(|t| t.places.find(key))
                .map_or((1, 1), |p| (p.line, p.column))
        };
        match (&self.references, &self.bibliography) {
            (Some(_), Some(_)) => Err(SourceErrors(vec![located(
                file,
                place("bibliography"),
                "bibliography",
                "both `references` and `bibliography`, expected one of them",
            )])),
            (Some(_), None) => self.inline_references(file, places),
            (None, Some(name)) => {
                let at = place("bibliography");
                let (path, real) = bibliography_path(file, folder, name, at)?;
                let shown: Arc<Path> = Arc::from(path.as_path());
                let wanted: HashSet<&str> = cited.iter().map(String::as_str).collect();
                let bib = bibliography::read(&real, &shown, &|k| wanted.contains(k), limit)?;
                let mut refs = Vec::with_capacity(bib.entries.len());
                for (i, (reference, entry_places)) in bib.entries.into_iter().enumerate() {
                    places.extend_under(&format!("references[{i}]"), entry_places);
                    refs.push(reference);
                }
                Ok(refs)
            }
            (None, None) => Ok(Vec::new()),
        }
    }

    fn inline_references(
        &self,
        file: &Arc<Path>,
        places: &mut Places,
    ) -> Result<Vec<Reference>, SourceErrors> {
        let Some(tree) = &self.tree else {
            return Ok(Vec::new());
        };
        let refs: Vec<Reference> = tree
            .deserialize(file, "references", "references")
            .map_err(|e| SourceErrors(vec![e]))?;
        places.extend_under("", tree.places.moved("references", "references"));
        Ok(refs)
    }

    /// The article: these keys and the body read from the Markdown. Notices written as `:::` blocks
    /// and in the front matter at once are an error.
    pub fn article(
        self,
        file: &Arc<Path>,
        blocks: Vec<Block>,
        references: Vec<Reference>,
        notices: (Option<Notice>, Option<Notice>),
        places: &mut Places,
    ) -> Result<Article, SourceError> {
        let disclaimer = pick_notice(
            file,
            self.disclaimer,
            notices.0,
            "disclaimer",
            "免责说明",
            places,
        )?;
        let copyright = pick_notice(
            file,
            self.copyright,
            notices.1,
            "copyright",
            "版权说明",
            places,
        )?;
        Ok(Article {
            schema: None,
            meta: Meta {
                title: self.title,
                subtitle: self.subtitle,
                short_title: self.short_title,
                author: self.author,
                date: self.date,
                lang: self.lang.unwrap_or_else(|| "zh-CN".to_string()),
                keywords: self.keywords,
                summary: self.summary,
                url: self.url,
            },
            blocks,
            references_title: self
                .references_title
                .unwrap_or_else(|| "参考文献".to_string()),
            references,
            disclaimer,
            copyright,
            images: Default::default(),
        })
    }
}

/// A notice from the front matter or from a `:::` block; both at once is an error.
fn pick_notice(
    file: &Arc<Path>,
    front: Option<NoticeText>,
    block: Option<Notice>,
    key: &str,
    label: &str,
    places: &Places,
) -> Result<Option<Notice>, SourceError> {
    match (front, block) {
        (Some(_), Some(_)) => {
            let at = places.find(key).map_or((1, 1), |p| (p.line, p.column));
            Err(located(
                file,
                at,
                key,
                &format!(
                    "the {key} is given twice, in the front matter and as a `::: {key}` block; expected one"
                ),
            ))
        }
        (Some(text), None) => Ok(Some(text.notice(label))),
        (None, block) => Ok(block),
    }
}

/// A bibliography named in the front matter: a file beside the article, never outside its folder,
/// never fetched (the rules of images). The path as named (for messages) and where it really is.
fn bibliography_path(
    file: &Arc<Path>,
    folder: &Path,
    name: &str,
    at: (usize, usize),
) -> Result<(std::path::PathBuf, std::path::PathBuf), SourceErrors> {
    let expected = "expected a .bib, .json or .yaml file";
    crate::image::inside(folder, name, "bibliography", expected)
        .map(|(path, real)| {
            (
                path.strip_prefix(".")
                    .map_or(path.clone(), Path::to_path_buf),
                real,
            )
        })
        .map_err(|why| SourceErrors(vec![located(file, at, "bibliography", &why)]))
}

/// A notice in the front matter: its text, its paragraphs, or its label and text.
pub enum NoticeText {
    Paragraphs(Vec<String>),
    Labelled(String, Vec<String>),
}

impl NoticeText {
    fn notice(self, default_label: &str) -> Notice {
        let (label, paragraphs) = match self {
            NoticeText::Paragraphs(p) => (default_label.to_string(), p),
            NoticeText::Labelled(l, p) => (l, p),
        };
        Notice {
            label,
            paragraphs: paragraphs
                .into_iter()
                .map(|p| vec![Inline::Text(p)])
                .collect(),
        }
    }
}

impl schemars::JsonSchema for NoticeText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NoticeText".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A notice: its text, a list of its paragraphs, or its label and text.",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } },
                { "type": "object", "additionalProperties": false, "required": ["label", "text"],
                  "properties": { "label": { "type": "string" },
                                  "text": { "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }] } } }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for NoticeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Labelled {
            label: String,
            text: OneOrMany,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        struct NoticeVisitor;
        impl<'de> serde::de::Visitor<'de> for NoticeVisitor {
            type Value = NoticeText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the notice's text, a list of its paragraphs, or `label` and `text`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<NoticeText, E> {
                Ok(NoticeText::Paragraphs(vec![s.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<NoticeText, A::Error> {
                let p =
                    Vec::<String>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(NoticeText::Paragraphs(p))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<NoticeText, A::Error> {
                let l = Labelled::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let text = match l.text {
                    OneOrMany::One(t) => vec![t],
                    OneOrMany::Many(t) => t,
                };
                Ok(NoticeText::Labelled(l.label, text))
            }
        }
        d.deserialize_any(NoticeVisitor)
    }
}

fn located(file: &Arc<Path>, at: (usize, usize), path: &str, message: &str) -> SourceError {
    SourceError {
        file: file.to_path_buf(),
        position: Some(at),
        path: path.to_string(),
        message: message.to_string(),
    }
}
