//! Loading a source file into the model, and validating it, with every error located by file, line,
//! column and JSON path.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{Article, Aside, Block, Figure, Inline, List, Notice, Reference, Table};

pub mod bibliography;
pub mod markdown;
pub mod places;
pub mod tree;

use places::Places;

/// Deepest list nesting accepted; deeper sources are refused (no writer recurses without bound).
pub const MAX_LIST_DEPTH: usize = 8;
/// Most columns a table may have: far more than a page or a terminal can show, few enough that no
/// writer's work on the grid grows past the size of the article.
pub const MAX_TABLE_COLUMNS: usize = 64;
/// Deepest inline nesting (strong inside emph inside link…) accepted.
pub const MAX_INLINE_DEPTH: usize = 16;
/// The largest source read by default (`--max-input`): far above any article, far below what would
/// exhaust memory on an endless input such as /dev/zero.
pub const DEFAULT_MAX_INPUT: u64 = 64 << 20;
/// How standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// A problem in a source file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub file: PathBuf,
    /// 1-based line and column (in characters), when the problem has a place in the text.
    pub position: Option<(usize, usize)>,
    /// JSON path, e.g. `blocks[3].list.items[1]`; empty for the whole file.
    pub path: String,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one source (validation reports them all, not just the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceErrors(pub Vec<SourceError>);

impl fmt::Display for SourceErrors {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceErrors {}

/// A loaded source: the article and the text it came from (to locate later findings, such as a
/// character the fonts lack).
#[derive(Debug, Clone)]
pub struct Source {
    pub file: PathBuf,
    pub text: String,
    pub article: Article,
    /// Where each part of a Markdown source was written (its front matter and bibliography too);
    /// none for a JSON source, whose text is the model's own and is searched instead.
    pub places: Option<Places>,
}

impl Source {
    /// Reads, parses and validates one source file (`-` is standard input) of at most `limit` bytes:
    /// Markdown (`*.md`, `*.markdown`, or standard input that starts with front matter) or JSON.
    pub fn read(file: &Path, limit: u64) -> Result<Source, SourceErrors> {
        let stdin = file.as_os_str() == "-";
        let name = if stdin { Path::new(STDIN_NAME) } else { file };
        let text = read_text(file, name, limit)?;
        // Figures name their images relative to the source's folder (standard input: this folder).
        let folder = match file.parent() {
            Some(p) if !stdin && !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let markdown = if stdin {
            text.starts_with("---") || text.starts_with("+++")
        } else {
            is_markdown(file)
        };
        let (article, places) = if markdown {
            let (article, places) = parse_markdown(name, &text, folder, limit)?;
            (article, Some(places))
        } else {
            (parse(name, &text)?, None)
        };
        let mut source = Source {
            file: name.to_path_buf(),
            text,
            article,
            places,
        };
        source.article.images = load_images(&source, folder)?;
        Ok(source)
    }

    /// An error about the part of the article at a rendered JSON path (`blocks[3].paragraph[0]`),
    /// placed where that part was written, at `needle` inside it when given and found.
    pub fn error_at(&self, path: &str, needle: Option<char>, message: String) -> SourceError {
        let (file, position) = match &self.places {
            None => (self.file.clone(), self.json_position(path, needle)),
            Some(places) => match places.find(path) {
                Some(p) => {
                    let at = if *p.file == *self.file {
                        self.needle_on_line(p.line, p.column, needle)
                    } else {
                        p.column
                    };
                    (p.file.to_path_buf(), Some((p.line, at)))
                }
                None => (self.file.clone(), None),
            },
        };
        SourceError {
            file,
            position,
            path: path.to_string(),
            message,
        }
    }

    /// The column of `needle` on `line` from `column` on, or `column` when it is not there.
    fn needle_on_line(&self, line: usize, column: usize, needle: Option<char>) -> usize {
        let Some(c) = needle else { return column };
        let text = self.text.lines().nth(line - 1).unwrap_or("");
        let found = text.chars().skip(column - 1).position(|x| x == c);
        found.map_or(column, |i| column + i)
    }

    /// Line and column of the value at a rendered JSON path in a JSON source, and of `needle` inside
    /// it when given and found.
    fn json_position(&self, path: &str, needle: Option<char>) -> Option<(usize, usize)> {
        let offset = Locator::new(&self.text).find(&parse_path(path))?;
        let offset = needle
            .and_then(|c| {
                let value_end = self.text[offset..]
                    .find(['\n'])
                    .map_or(self.text.len(), |i| offset + i);
                self.text[offset..value_end].find(c).map(|i| offset + i)
            })
            .unwrap_or(offset);
        Some(line_column(&self.text, offset))
    }
}

/// Whether a file is a Markdown source, by its name.
pub fn is_markdown(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Parses and validates a Markdown source; `file` names it in errors, `folder` holds its bibliography.
pub fn parse_markdown(
    file: &Path,
    text: &str,
    folder: &Path,
    limit: u64,
) -> Result<(Article, Places), SourceErrors> {
    let shown: std::sync::Arc<Path> = std::sync::Arc::from(file);
    let (article, places) = markdown::parse(&shown, text, folder, limit)?;
    checked(article, |p| {
        let place = places.find(&render_path(p));
        let file = place.map_or_else(|| file.to_path_buf(), |p| p.file.to_path_buf());
        (file, place.map(|p| (p.line, p.column)))
    })
    .map(|article| (article, places))
}

/// The article when it keeps every rule serde cannot express ([`validate`]); else each problem,
/// placed by `place` (the file and line and column where the part at its path was written).
fn checked(
    article: Article,
    place: impl Fn(&[Seg]) -> (PathBuf, Option<(usize, usize)>),
) -> Result<Article, SourceErrors> {
    let problems = validate(&article);
    if problems.is_empty() {
        return Ok(article);
    }
    Err(SourceErrors(
        problems
            .into_iter()
            .map(|p| {
                let (file, position) = place(&p.path);
                SourceError {
                    file,
                    position,
                    path: render_path(&p.path),
                    message: p.message,
                }
            })
            .collect(),
    ))
}

/// Splits a rendered JSON path back into segments.
fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segs.push(Seg::Key(key.to_string()));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                segs.push(Seg::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    segs
}

/// Reads, parses and validates one source file, up to the default size limit.
pub fn load(file: &Path) -> Result<Article, SourceErrors> {
    Source::read(file, DEFAULT_MAX_INPUT).map(|s| s.article)
}

/// Reads `file` (named `name` in messages), refusing more than `limit` bytes.
fn read_text(file: &Path, name: &Path, limit: u64) -> Result<String, SourceErrors> {
    let whole = |message: String| {
        SourceErrors(vec![SourceError {
            file: name.to_path_buf(),
            position: None,
            path: String::new(),
            message,
        }])
    };
    let bytes = read_bounded(file, limit).map_err(|e| match e {
        Unread::TooLarge(size) => whole(format!(
            "{} is larger than the limit of {}, expected a smaller source (raise it with --max-input)",
            size.map_or_else(|| "the input".to_string(), |n| format!("{n} bytes")),
            human_size(limit)
        )),
        Unread::Directory => whole("is a directory, expected a JSON file (an article)".into()),
        Unread::Io(e) => whole(format!("cannot read: {}", io_reason(&e))),
    })?;
    let file = name;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) =
            line_column(&String::from_utf8_lossy(&e.into_bytes()[..offset]), offset);
        SourceErrors(vec![SourceError {
            file: file.to_path_buf(),
            position: Some((line, column)),
            path: String::new(),
            message: "invalid UTF-8, expected a UTF-8 encoded JSON file".into(),
        }])
    })?;
    Ok(text)
}

/// Reads and checks the image of every figure; every bad one is reported, at its `image` field.
fn load_images(source: &Source, folder: &Path) -> Result<crate::image::Images, SourceErrors> {
    let mut images = crate::image::Images::default();
    let mut errors = Vec::new();
    for (i, block) in source.article.blocks.iter().enumerate() {
        let Block::Figure(f) = block else { continue };
        if images.0.contains_key(&f.image) {
            continue;
        }
        match crate::image::load(folder, &f.image) {
            Ok(image) => {
                images.0.insert(f.image.clone(), std::sync::Arc::new(image));
            }
            Err(message) => {
                errors.push(source.error_at(&format!("blocks[{i}].figure.image"), None, message))
            }
        }
    }
    if errors.is_empty() {
        Ok(images)
    } else {
        Err(SourceErrors(errors))
    }
}

/// Parses and validates source text; `file` is only used to name it in errors.
pub fn parse(file: &Path, text: &str) -> Result<Article, SourceErrors> {
    let article = deserialize(file, text).map_err(|e| SourceErrors(vec![e]))?;
    // The syntax tree with positions is built only when there is a problem to place.
    let locator = std::cell::OnceCell::new();
    checked(article, |path| {
        let locator = locator.get_or_init(|| Locator::new(text));
        let position = locator.find(path).map(|offset| line_column(text, offset));
        (file.to_path_buf(), position)
    })
}

fn deserialize(file: &Path, text: &str) -> Result<Article, SourceError> {
    if text.trim().is_empty() {
        return Err(SourceError {
            file: file.to_path_buf(),
            position: Some((1, 1)),
            path: String::new(),
            message: "the file is empty, expected a JSON object (an article)".into(),
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let result: Result<Article, (String, serde_json::Error)> =
        match serde_path_to_error::deserialize(&mut de) {
            // Trailing characters after the article are an error too.
            Ok(article) => de.end().map(|_| article).map_err(|e| (String::new(), e)),
            Err(e) => Err((e.path().to_string(), e.into_inner())),
        };
    result.map_err(|(path, inner)| {
        // serde_path_to_error writes `?` for a key it could not read.
        let path = path
            .trim_end_matches(".?")
            .trim_end_matches('?')
            .to_string();
        // serde_json counts columns in bytes; editors count characters.
        // A wrong value is pointed at where it starts (serde_json points after it).
        let exact = (!path.is_empty() && path != ".")
            .then(|| Locator::new(text).find_exact(&parse_path(&path)))
            .flatten()
            .map(|offset| line_column(text, offset));
        let position = exact.or_else(|| {
            (inner.line() > 0).then(|| {
                let line_start = nth_line_start(text, inner.line());
                line_column(
                    text,
                    floor_char_boundary(text, line_start + inner.column().saturating_sub(1)),
                )
            })
        });
        let full = inner.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        SourceError {
            file: file.to_path_buf(),
            position,
            path: if path == "." { String::new() } else { path },
            message: quote_names(&message),
        }
    })
}

/// serde quotes names with backticks; error messages here use double quotes, and none around numbers.
pub(crate) fn quote_names(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 1 && part.parse::<f64>().is_err() {
            out.push('"');
            out.push_str(part);
            out.push('"');
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Why a source could not be read.
enum Unread {
    /// Larger than the limit; the size when known before reading.
    TooLarge(Option<u64>),
    Directory,
    Io(std::io::Error),
}

/// Reads at most `limit` bytes of `file` (`-`: standard input); more is [`Unread::TooLarge`], found
/// without reading past the limit, whatever the input (an endless one such as /dev/zero included).
fn read_bounded(file: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    use std::io::Read;
    let mut reader: Box<dyn Read> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(file).map_err(Unread::Io)?;
        let meta = f.metadata().map_err(Unread::Io)?;
        if meta.is_dir() {
            return Err(Unread::Directory);
        }
        if meta.is_file() && meta.len() > limit {
            return Err(Unread::TooLarge(Some(meta.len())));
        }
        Box::new(f)
    };
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Unread::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Unread::TooLarge(None));
    }
    Ok(bytes)
}

/// What a block is, for messages: "a table".
fn block_kind(block: &Block) -> &'static str {
    match block {
        Block::Heading(_) => "a heading",
        Block::Paragraph(_) => "a paragraph",
        Block::Labelled(_) => "a labelled paragraph",
        Block::List(_) => "a list",
        Block::Table(_) => "a table",
        Block::Figure(_) => "a figure",
        Block::Quote(_) => "a quote",
        Block::Aside(_) => "an aside",
    }
}

/// "1 column", "3 columns".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// "64 MiB", "1000 bytes".
pub fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// One segment of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

struct Problem {
    path: Vec<Seg>,
    message: String,
}

fn render_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Walks the model once, collecting every rule it breaks with the JSON path of the offending value.
struct Validator<'a> {
    ids: HashSet<&'a str>,
    path: Vec<Seg>,
    problems: Vec<Problem>,
    last_heading: u8,
    /// Whether the inlines checked now are inside a note (a note holds no note).
    in_note: bool,
    /// Whether the inlines checked now may hold a note (not in headings or notices).
    notes_allowed: bool,
}

/// The semantic rules that serde cannot express.
fn validate(article: &Article) -> Vec<Problem> {
    let mut v = Validator {
        ids: HashSet::new(),
        path: Vec::new(),
        problems: Vec::new(),
        last_heading: 0,
        in_note: false,
        notes_allowed: false,
    };
    v.references(&article.references);
    v.at(Seg::Key("meta".into()), |v| {
        v.at(Seg::Key("title".into()), |v| {
            if article.meta.title.trim().is_empty() {
                v.problem("the title is empty, expected the article's title".into());
            }
            v.text(&article.meta.title);
        });
        let m = &article.meta;
        for (key, value) in [
            ("subtitle", &m.subtitle),
            ("short_title", &m.short_title),
            ("summary", &m.summary),
        ] {
            if let Some(t) = value {
                v.at(Seg::Key(key.into()), |v| v.text(t));
            }
        }
        v.at(Seg::Key("author".into()), |v| v.text(&m.author));
        for (i, k) in m.keywords.iter().enumerate() {
            v.at(Seg::Key("keywords".into()), |v| {
                v.at(Seg::Index(i), |v| v.text(k))
            });
        }
        if let Some(url) = &m.url {
            v.at(Seg::Key("url".into()), |v| v.web_address(url));
        }
        if let Some(date) = &m.date {
            v.at(Seg::Key("date".into()), |v| {
                if crate::date::parse_iso_date(date).is_none() {
                    v.problem(format!("invalid date \"{date}\", expected YYYY-MM-DD"));
                }
            });
        }
    });
    v.at(Seg::Key("blocks".into()), |v| {
        for (i, block) in article.blocks.iter().enumerate() {
            v.notes_allowed = !matches!(block, Block::Heading(_));
            v.at(Seg::Index(i), |v| v.block(block));
        }
        v.notes_allowed = false;
    });
    v.at(Seg::Key("references_title".into()), |v| {
        v.text(&article.references_title)
    });
    if let Some(d) = &article.disclaimer {
        v.notice("disclaimer", d);
    }
    if let Some(c) = &article.copyright {
        v.notice("copyright", c);
    }
    v.problems
}

impl<'a> Validator<'a> {
    fn at(&mut self, seg: Seg, f: impl FnOnce(&mut Self)) {
        self.path.push(seg);
        f(self);
        self.path.pop();
    }

    fn problem(&mut self, message: String) {
        self.problems.push(Problem {
            path: self.path.clone(),
            message,
        });
    }

    fn text(&mut self, t: &str) {
        if let Some(c) = t
            .chars()
            .find(|c| c.is_control() && *c != '\t' && *c != '\n')
        {
            self.problem(format!("control character U+{:04X} in text, expected printable text (tab and newline allowed)", c as u32));
        }
    }

    fn references(&mut self, refs: &'a [Reference]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, r) in refs.iter().enumerate() {
            self.path = vec![Seg::Key("references".into()), Seg::Index(i)];
            if r.id.trim().is_empty() {
                self.at(Seg::Key("id".into()), |v| {
                    v.problem("empty reference id".into())
                });
            } else if let Some(first) = seen.insert(&r.id, i) {
                self.at(Seg::Key("id".into()), |v| {
                    v.problem(format!(
                        "duplicate reference id \"{}\", already used by references[{first}]",
                        r.id
                    ))
                });
            }
            self.ids.insert(&r.id);
            self.at(Seg::Key("title".into()), |v| {
                if r.title.trim().is_empty() {
                    v.problem("empty title, expected the work's title".into());
                }
                v.text(&r.title)
            });
            for (key, value) in [
                ("container-title", &r.container_title),
                ("publisher", &r.publisher),
                ("publisher-place", &r.publisher_place),
                ("page", &r.page),
                ("edition", &r.edition),
                ("number", &r.number),
            ] {
                if let Some(t) = value {
                    self.at(Seg::Key(key.into()), |v| v.text(t));
                }
            }
            for (key, date) in [("issued", &r.issued), ("accessed", &r.accessed)] {
                if let Some(d) = date {
                    self.at(Seg::Key(key.into()), |v| v.date(d));
                }
            }
            if let Some(url) = &r.url {
                self.at(Seg::Key("URL".into()), |v| v.link_target(url));
            }
            for (role, names) in r.people() {
                for (j, name) in names.iter().enumerate() {
                    self.at(Seg::Key(role.into()), |v| {
                        v.at(Seg::Index(j), |v| {
                            if name.literal.is_none() && name.family.is_none() {
                                v.problem(
                                    "a name needs \"family\" (and \"given\") or \"literal\"".into(),
                                );
                            }
                        })
                    });
                }
            }
        }
        self.path.clear();
    }

    /// A CSL date: one date of a year, a month (1-12) and a day that exists, as far as given.
    fn date(&mut self, d: &crate::model::Date) {
        let expected = "expected {\"date-parts\": [[year, month, day]]} (month and day optional)";
        let Some(parts) = d.date_parts.first().filter(|p| (1..=3).contains(&p.len())) else {
            self.problem(format!(
                "a date without one year, month and day, {expected}"
            ));
            return;
        };
        let text = match parts.as_slice() {
            [y] => format!("{y:04}-01-01"),
            [y, m] => format!("{y:04}-{m:02}-01"),
            [y, m, day] => format!("{y:04}-{m:02}-{day:02}"),
            _ => String::new(),
        };
        if crate::date::parse_iso_date(&text).is_none() {
            let shown: Vec<String> = parts.iter().map(i32::to_string).collect();
            self.problem(format!("[{}] is not a date, {expected}", shown.join(", ")));
        }
    }

    fn notice(&mut self, key: &str, n: &Notice) {
        self.at(Seg::Key(key.into()), |v| {
            v.at(Seg::Key("label".into()), |v| v.text(&n.label));
            if n.paragraphs.is_empty() {
                v.at(Seg::Key("paragraphs".into()), |v| {
                    v.problem("no paragraph, expected at least one".into())
                });
            }
            for (i, p) in n.paragraphs.iter().enumerate() {
                v.at(Seg::Key("paragraphs".into()), |v| {
                    v.at(Seg::Index(i), |v| v.paragraph(p))
                });
            }
        });
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(h) => self.at(Seg::Key("heading".into()), |v| {
                if !(1..=3).contains(&h.level) {
                    v.at(Seg::Key("level".into()), |v| {
                        v.problem(format!("heading level {}, expected 1, 2 or 3", h.level))
                    });
                } else if h.level > v.last_heading + 1 {
                    let expected = v.last_heading + 1;
                    v.at(Seg::Key("level".into()), |v| {
                        v.problem(format!(
                            "heading level {} skips a level, expected at most {expected}",
                            h.level
                        ))
                    });
                }
                v.last_heading = h.level;
                if Inline::plain(&h.content).trim().is_empty() {
                    v.at(Seg::Key("content".into()), |v| {
                        v.problem("empty heading, expected its text".into())
                    });
                }
                v.at(Seg::Key("content".into()), |v| v.inlines(&h.content, 0));
            }),
            Block::Paragraph(p) => self.at(Seg::Key("paragraph".into()), |v| v.paragraph(p)),
            Block::Labelled(l) => self.at(Seg::Key("labelled".into()), |v| {
                if Inline::plain(&l.term).trim().is_empty() {
                    v.at(Seg::Key("term".into()), |v| {
                        v.problem("empty term, expected the term set in bold".into())
                    });
                }
                v.at(Seg::Key("term".into()), |v| v.inlines(&l.term, 0));
                v.at(Seg::Key("content".into()), |v| v.inlines(&l.content, 0));
            }),
            Block::List(l) => self.at(Seg::Key("list".into()), |v| v.list(l, 1)),
            Block::Table(t) => self.at(Seg::Key("table".into()), |v| v.table(t)),
            Block::Figure(f) => self.at(Seg::Key("figure".into()), |v| v.figure(f)),
            Block::Quote(q) => self.at(Seg::Key("quote".into()), |v| {
                if q.paragraphs.is_empty() {
                    v.at(Seg::Key("paragraphs".into()), |v| {
                        v.problem("no paragraph, expected the quoted passage".into())
                    });
                }
                for (i, p) in q.paragraphs.iter().enumerate() {
                    v.at(Seg::Key("paragraphs".into()), |v| {
                        v.at(Seg::Index(i), |v| v.paragraph(p))
                    });
                }
                v.at(Seg::Key("source".into()), |v| v.inlines(&q.source, 0));
            }),
            Block::Aside(a) => self.at(Seg::Key("aside".into()), |v| v.aside(a)),
        }
    }

    fn table(&mut self, t: &Table) {
        self.at(Seg::Key("caption".into()), |v| v.inlines(&t.caption, 0));
        let width = t.head.first().or(t.body.first()).map_or(0, |row| {
            row.iter().map(|c| c.colspan as usize).sum::<usize>()
        });
        if t.body.is_empty() {
            self.at(Seg::Key("body".into()), |v| {
                v.problem("no body row, expected at least one".into())
            });
        }
        if width > MAX_TABLE_COLUMNS {
            let first = if t.head.is_empty() { "body" } else { "head" };
            self.at(Seg::Key(first.into()), |v| {
                v.at(Seg::Index(0), |v| {
                    v.problem(format!(
                        "the table has {width} columns, expected at most {MAX_TABLE_COLUMNS}"
                    ))
                })
            });
            return;
        }
        if !t.columns.is_empty() && t.columns.len() != width {
            self.at(Seg::Key("columns".into()), |v| {
                v.problem(format!(
                    "{} described, expected one for each of the table's {}",
                    count(t.columns.len(), "column"),
                    count(width, "column")
                ))
            });
        }
        for (i, c) in t.columns.iter().enumerate() {
            if let Some(w) = c.width
                && !(w.is_finite() && w > 0.0)
            {
                self.at(Seg::Key("columns".into()), |v| {
                    v.at(Seg::Index(i), |v| {
                        v.at(Seg::Key("width".into()), |v| {
                            v.problem(format!("width {w}, expected a positive number"))
                        })
                    })
                });
            }
        }
        for (key, rows) in [("head", &t.head), ("body", &t.body)] {
            self.at(Seg::Key(key.into()), |v| v.rows(rows, width));
        }
    }

    /// Rows of one part of a table: every row covers `width` columns, counting the cells that reach
    /// down into it from rows above; no span is 0 or runs past the part's last row.
    fn rows(&mut self, rows: &[Vec<crate::model::Cell>], width: usize) {
        // For each column, how many more rows a cell above still covers.
        let mut covered = vec![0u32; width];
        for (i, row) in rows.iter().enumerate() {
            self.at(Seg::Index(i), |v| {
                if row.is_empty() {
                    v.problem("a row with no cell, expected at least one".into());
                    return;
                }
                let mut column = 0;
                for (j, cell) in row.iter().enumerate() {
                    while column < width && covered[column] > 0 {
                        column += 1;
                    }
                    v.at(Seg::Index(j), |v| v.cell(cell, rows.len() - i));
                    let spanned = covered.iter_mut().skip(column).take(cell.colspan as usize);
                    spanned.for_each(|c| *c = cell.rowspan.max(1));
                    column += cell.colspan as usize;
                }
                while column < width && covered[column] > 0 {
                    column += 1;
                }
                if column != width {
                    v.problem(format!(
                        "the row covers {}, expected {} (as many as the first row)",
                        count(column, "column"),
                        count(width, "column")
                    ));
                }
            });
            for c in &mut covered {
                *c = c.saturating_sub(1);
            }
        }
    }

    /// A cell with `rows_left` rows in its part from its own on: its spans, its content.
    fn cell(&mut self, cell: &crate::model::Cell, rows_left: usize) {
        for (key, span, what) in [
            ("colspan", cell.colspan, "columns"),
            ("rowspan", cell.rowspan, "rows"),
        ] {
            if span == 0 {
                self.at(Seg::Key(key.into()), |v| {
                    v.problem(format!(
                        "{key} 0, expected 1 or more (the {what} the cell covers)"
                    ))
                });
            }
        }
        if cell.rowspan as usize > rows_left {
            self.at(Seg::Key("rowspan".into()), |v| {
                v.problem(format!(
                    "rowspan {} runs past the last row, expected at most {rows_left}",
                    cell.rowspan
                ))
            });
        }
        self.inlines(&cell.content, 0);
    }

    fn figure(&mut self, f: &Figure) {
        self.at(Seg::Key("alt".into()), |v| {
            if f.alt.trim().is_empty() {
                v.problem("empty alt text, expected what the image shows".into());
            }
            v.text(&f.alt);
        });
        if let Some(w) = f.width
            && !(w > 0.0 && w <= 1.0)
        {
            self.at(Seg::Key("width".into()), |v| {
                v.problem(format!(
                    "width {w}, expected a fraction of the text width above 0 and at most 1"
                ))
            });
        }
        self.at(Seg::Key("caption".into()), |v| v.inlines(&f.caption, 0));
    }

    fn aside(&mut self, a: &Aside) {
        self.at(Seg::Key("label".into()), |v| v.text(&a.label));
        if a.blocks.is_empty() {
            self.at(Seg::Key("blocks".into()), |v| {
                v.problem("no block, expected paragraphs or lists".into())
            });
        }
        for (i, block) in a.blocks.iter().enumerate() {
            self.at(Seg::Key("blocks".into()), |v| {
                v.at(Seg::Index(i), |v| match block {
                    Block::Paragraph(_) | Block::Labelled(_) | Block::List(_) => v.block(block),
                    _ => v.problem(format!(
                        "{} in an aside, expected a paragraph, a labelled paragraph or a list \
                         (an aside holds only those)",
                        block_kind(block)
                    )),
                })
            });
        }
    }

    /// A paragraph must hold something to read: white space alone would print a lone indent.
    fn paragraph(&mut self, p: &[Inline]) {
        if Inline::plain(p).trim().is_empty() && !p.iter().any(Inline::is_citation) {
            self.problem("empty paragraph, expected its text".into());
        }
        self.inlines(p, 0)
    }

    fn list(&mut self, list: &List, depth: usize) {
        if depth > MAX_LIST_DEPTH {
            self.problem(format!(
                "lists nested {depth} deep, expected at most {MAX_LIST_DEPTH}"
            ));
            return;
        }
        if list.items.is_empty() {
            self.at(Seg::Key("items".into()), |v| {
                v.problem("empty list, expected at least one item".into())
            });
        }
        for (i, item) in list.items.iter().enumerate() {
            self.at(Seg::Key("items".into()), |v| {
                v.at(Seg::Index(i), |v| {
                    if item.term.is_empty() && item.content.is_empty() && item.children.is_empty() {
                        v.problem("empty item, expected a term, content or children".into());
                    }
                    v.at(Seg::Key("term".into()), |v| v.inlines(&item.term, 0));
                    v.at(Seg::Key("content".into()), |v| v.inlines(&item.content, 0));
                    for (j, child) in item.children.iter().enumerate() {
                        v.at(Seg::Key("children".into()), |v| {
                            v.at(Seg::Index(j), |v| v.list(child, depth + 1))
                        });
                    }
                })
            });
        }
    }

    fn inlines(&mut self, inlines: &[Inline], depth: usize) {
        if depth > MAX_INLINE_DEPTH {
            self.problem(format!(
                "inlines nested {depth} deep, expected at most {MAX_INLINE_DEPTH}"
            ));
            return;
        }
        for (i, inline) in inlines.iter().enumerate() {
            self.at(Seg::Index(i), |v| match inline {
                Inline::Text(t) => v.text(t),
                Inline::Strong(c) => v.at(Seg::Key("strong".into()), |v| v.inlines(c, depth + 1)),
                Inline::Emph(c) => v.at(Seg::Key("emph".into()), |v| v.inlines(c, depth + 1)),
                Inline::Cite(ids) => v.at(Seg::Key("cite".into()), |v| {
                    if ids.is_empty() {
                        v.problem("empty citation, expected one or more reference ids".into());
                    }
                    for (j, id) in ids.iter().enumerate() {
                        if !v.ids.contains(id.as_str()) {
                            let known = if v.ids.is_empty() {
                                "the references list is empty".to_string()
                            } else {
                                let mut ids: Vec<_> = v.ids.iter().copied().collect();
                                ids.sort_unstable();
                                format!("expected one of {}", ids.join(", "))
                            };
                            v.at(Seg::Index(j), |v| {
                                v.problem(format!("unknown reference id \"{id}\", {known}"))
                            });
                        }
                    }
                }),
                Inline::Sup(c) => v.at(Seg::Key("sup".into()), |v| v.inlines(c, depth + 1)),
                Inline::Sub(c) => v.at(Seg::Key("sub".into()), |v| v.inlines(c, depth + 1)),
                Inline::Note(c) => v.at(Seg::Key("note".into()), |v| {
                    if v.in_note {
                        v.problem("a note inside a note, expected it in the text".into());
                    } else if !v.notes_allowed {
                        v.problem(
                            "a note here cannot be set, expected it in a paragraph, list item, \
                             table, caption or quote (not in a heading or notice)"
                                .into(),
                        );
                    }
                    if Inline::plain(c).trim().is_empty() {
                        v.problem("empty note, expected its text".into());
                    }
                    let was = std::mem::replace(&mut v.in_note, true);
                    v.inlines(c, depth + 1);
                    v.in_note = was;
                }),
                Inline::Link(l) => v.at(Seg::Key("link".into()), |v| {
                    v.at(Seg::Key("url".into()), |v| v.link_target(&l.url));
                    v.at(Seg::Key("content".into()), |v| {
                        v.inlines(&l.content, depth + 1)
                    });
                }),
            });
        }
    }

    fn link_target(&mut self, url: &str) {
        self.text(url);
        let lower = url.to_ascii_lowercase();
        let ok = ["http://", "https://", "mailto:", "doi:"]
            .iter()
            .any(|p| lower.starts_with(p) && lower.len() > p.len());
        if !ok {
            self.problem(format!(
                "link target \"{url}\" is not allowed, expected an http(s), mailto or doi address"
            ));
        }
    }
}

impl Validator<'_> {
    /// `meta.url`: the article online, which a reader opens from a QR code, so only http(s).
    fn web_address(&mut self, url: &str) {
        self.text(url);
        let lower = url.to_ascii_lowercase();
        let ok = ["http://", "https://"].iter().any(|p| {
            lower.starts_with(p) && lower.len() > p.len() && !url.contains(char::is_whitespace)
        });
        if !ok {
            self.problem(format!(
                "url \"{url}\" is not allowed, expected an http(s) address of the article online"
            ));
        }
    }
}

/// Finds the byte offset of the value at a JSON path, by walking a syntax tree with positions.
struct Locator<'a> {
    root: Option<jsonc_parser::ast::Value<'a>>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default());
        Locator {
            root: parsed.ok().and_then(|r| r.value),
        }
    }

    /// Offset of the node at `path`, if the whole path exists in the text.
    fn find_exact(&self, path: &[Seg]) -> Option<usize> {
        use jsonc_parser::ast::Value;
        use jsonc_parser::common::Ranged;
        let mut node = self.root.as_ref()?;
        for seg in path {
            node = match (seg, node) {
                (Seg::Key(k), Value::Object(o)) => o
                    .properties
                    .iter()
                    .find(|p| p.name.as_str() == k)
                    .map(|p| &p.value)?,
                (Seg::Index(i), Value::Array(a)) => a.elements.get(*i)?,
                _ => return None,
            };
        }
        Some(node.start())
    }

    /// Offset of the deepest node on `path` that exists in the text.
    fn find(&self, path: &[Seg]) -> Option<usize> {
        use jsonc_parser::ast::Value;
        use jsonc_parser::common::Ranged;
        let mut node = self.root.as_ref()?;
        for seg in path {
            let next = match (seg, node) {
                (Seg::Key(k), Value::Object(o)) => o
                    .properties
                    .iter()
                    .find(|p| p.name.as_str() == k)
                    .map(|p| &p.value),
                (Seg::Index(i), Value::Array(a)) => a.elements.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        Some(node.start())
    }
}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn nth_line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse(Path::new("a.json"), text) {
            Ok(_) => vec![],
            Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
        }
    }

    const MINIMAL: &str = r#"{"meta": {"title": "标题", "author": "作者"}, "blocks": [], "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}}"#;

    #[test]
    fn minimal_article_loads() {
        assert_eq!(errors(MINIMAL), Vec::<String>::new());
    }

    #[test]
    fn unknown_field_is_located_with_path() {
        let text = "{\"meta\": {\"title\": \"标题\", \"author\": \"作者\"},\n \"blocks\": [{\"heading\": {\"level\": 1, \"txt\": []}}],\n \"disclaimer\": {\"label\": \"x\", \"paragraphs\": []}}";
        let e = errors(text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("a.json:2:"), "{}", e[0]);
        assert!(
            e[0].contains(
                "blocks[0].heading.txt: unknown field \"txt\", expected \"level\" or \"content\""
            ),
            "{}",
            e[0]
        );
    }

    #[test]
    fn column_counts_characters_not_bytes() {
        let text = "{\"meta\": {\"title\": \"标题标题\", \"author\": 5}}";
        let e = errors(text);
        // `5` is character 38 of the line (the Chinese title counts 4 characters, not 12 bytes).
        assert!(
            e[0].starts_with(
                "a.json:1:38: meta.author: invalid type: integer 5, expected a string"
            ),
            "{}",
            e[0]
        );
    }

    #[test]
    fn unresolved_citation_names_the_known_ids() {
        let text = MINIMAL.replace(
            "\"blocks\": []",
            "\"blocks\": [{\"paragraph\": [\"见\", {\"cite\": [\"nope\"]}]}]",
        );
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("blocks[0].paragraph[1].cite[0]: unknown reference id \"nope\", the references list is empty"), "{}", e[0]);
        assert!(e[0].starts_with("a.json:1:"), "{}", e[0]);
    }

    #[test]
    fn semantic_rules_are_all_reported() {
        let text = MINIMAL
            .replace("\"标题\"", "\" \"")
            .replace(
                "\"blocks\": []",
                "\"blocks\": [{\"heading\": {\"level\": 2, \"content\": [\"a\\u0007\"]}}, {\"paragraph\": [{\"link\": {\"url\": \"javascript:alert(1)\", \"content\": [\"x\"]}}]}], \"references\": [{\"id\": \"a\", \"type\": \"book\", \"title\": \"T\"}, {\"id\": \"a\", \"type\": \"book\", \"title\": \"U\"}]",
            );
        let e = errors(&text).join("\n");
        assert!(e.contains("meta.title: the title is empty"), "{e}");
        assert!(
            e.contains(
                "blocks[0].heading.level: heading level 2 skips a level, expected at most 1"
            ),
            "{e}"
        );
        assert!(
            e.contains("blocks[0].heading.content[0]: control character U+0007"),
            "{e}"
        );
        assert!(e.contains("blocks[1].paragraph[0].link.url: link target \"javascript:alert(1)\" is not allowed"), "{e}");
        assert!(
            e.contains("references[1].id: duplicate reference id \"a\""),
            "{e}"
        );
    }

    #[test]
    fn deep_lists_are_refused() {
        let mut list = "{\"style\": \"bullet\", \"items\": [{\"content\": [\"x\"]}]}".to_string();
        for _ in 0..MAX_LIST_DEPTH {
            list = format!(
                "{{\"style\": \"bullet\", \"items\": [{{\"content\": [\"x\"], \"children\": [{list}]}}]}}"
            );
        }
        let text = MINIMAL.replace(
            "\"blocks\": []",
            &format!("\"blocks\": [{{\"list\": {list}}}]"),
        );
        let e = errors(&text).join("\n");
        assert!(e.contains("expected at most 8"), "{e}");
    }

    #[test]
    fn malformed_and_empty_inputs() {
        assert_eq!(
            errors("  \n"),
            vec!["a.json:1:1: the file is empty, expected a JSON object (an article)"]
        );
        let e = errors("{\"meta\": {\"title\": \"t\",}}");
        assert!(e[0].starts_with("a.json:1:"), "{}", e[0]);
        let e = errors(&format!("{MINIMAL} x"));
        assert!(e[0].contains("trailing characters"), "{}", e[0]);
    }
}
