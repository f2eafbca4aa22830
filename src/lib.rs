//! `handout`: one structured source of a Chinese popular-science or medical article, three writers
//! (plain text, PDF, DOCX), every one over the same document model.
//!
//! Readers -> model -> one walk -> writers: [`source`] loads and validates a JSON source into the
//! [`model`]; [`walk`] feeds every writer the same elements in the same order; [`runs`], [`text`] and
//! [`references`] hold the typography every writer shares; [`layout`] sets the PDF's pages; [`writers`]
//! turn the elements into bytes, embedding the font subsets [`fonts`] cuts once per document;
//! [`output`] puts the bytes in place without ever leaving a partial file or losing a source.
//! `docs/design.md` says why the pipeline is shaped so.

pub mod batch;
pub mod compress;
pub mod date;
pub mod fonts;
pub mod image;
pub mod layout;
pub mod model;
pub mod output;
pub mod references;
pub mod runs;
pub mod schema;
pub mod source;
pub mod style;
pub mod template;
pub mod text;
pub mod walk;
pub mod writers;
pub mod xml;

use std::fmt;
use std::path::PathBuf;

pub use source::{Source, SourceErrors};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Txt,
    Pdf,
    Docx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Docx, Format::Txt];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Txt => "plain-text handout",
            Format::Pdf => "PDF handout",
            Format::Docx => "Word document",
        }
    }

    /// Whether the format carries the fonts (and so needs every character covered).
    pub fn embeds_fonts(self) -> bool {
        self != Format::Txt
    }
}

/// Everything that can go wrong, each mapped to an exit code by [`Error::exit_code`].
#[derive(Debug)]
pub enum Error {
    /// The source is unreadable or invalid (exit 2).
    Source(SourceErrors),
    /// The fonts cannot be found or read (exit 2).
    Fonts(fonts::FontError),
    /// A character that the face it is set in lacks (exit 2): never drawn as glyph 0.
    MissingGlyph {
        character: char,
        /// The file of the face that lacks it.
        file: PathBuf,
        context: String,
    },
    /// The source is valid but its content cannot be set as it is (exit 2): a table too wide for
    /// the text block. `path` is the JSON path of the block, which a loaded source turns into a
    /// located error ([`render_source`]).
    Content { path: String, message: String },
    /// Writing an output failed (exit 1).
    Write { path: PathBuf, reason: String },
    /// A format could not be made from a valid source (exit 1): an internal failure, named by format
    /// and cause.
    Render { format: Format, cause: String },
    /// The command cannot be carried out as asked, found before anything is written (exit 2): outputs
    /// that would collide or replace a source, a malformed SOURCE_DATE_EPOCH.
    Usage(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Write { .. } | Error::Render { .. } => 1,
            Error::Source(_)
            | Error::Fonts(_)
            | Error::MissingGlyph { .. }
            | Error::Content { .. }
            | Error::Usage(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Source(e) => write!(f, "{e}"),
            Error::Fonts(e) => write!(f, "{e}"),
            Error::MissingGlyph {
                character,
                file,
                context,
            } => write!(
                f,
                "{} (U+{:04X}) is not in {}: cannot set \"{context}\"",
                character,
                *character as u32,
                file.display()
            ),
            Error::Content { path, message } => write!(f, "{path}: {message}"),
            Error::Render { format, cause } => {
                write!(f, "cannot make the {}: {cause}", format.name())
            }
            Error::Write { path, reason } => {
                write!(f, "{}: cannot write: {reason}", path.display())
            }
            Error::Usage(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<SourceErrors> for Error {
    fn from(e: SourceErrors) -> Self {
        Error::Source(e)
    }
}

impl From<fonts::FontError> for Error {
    fn from(e: fonts::FontError) -> Self {
        Error::Fonts(e)
    }
}

/// Everything that changes an output, for every writer (one struct: no writer borrows another's).
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep the author's ASCII punctuation in Chinese text instead of setting it full-width
    /// (`--keep-punctuation`).
    pub keep_punctuation: bool,
    /// Plain text: line width in display columns, a Chinese character counting two (`--width`).
    pub width: usize,
    /// Plain text: Windows (CRLF) line endings (`--crlf`).
    pub crlf: bool,
    /// PDF: footnotes at the foot of their page, or endnotes before the references (`--notes`).
    pub notes: walk::NotePlacement,
    /// PDF and DOCX: where the URLs of the text's links are printed for a reader of paper
    /// (`--links`): PDF footnotes (default) or a 链接 list before the references; the Word document
    /// shows them only for `End` (its links stay live either way).
    pub links: walk::LinkPlacement,
    /// PDF: a QR code beside each reference entry with a DOI, PMID or PMCID (`--qr`).
    pub qr: bool,
    /// The reference list's personal names: as written, or as GB/T 7714's examples print them
    /// (`--ref-names upper`).
    pub ref_names: references::NameCase,
    /// `--fonts DIR`.
    pub fonts_dir: Option<PathBuf>,
    /// The largest source read, in bytes (`--max-input`).
    pub max_input: u64,
    /// SOURCE_DATE_EPOCH, checked ([`date::source_date_epoch`]): the date outputs carry, before the
    /// article's own.
    pub source_date_epoch: Option<i64>,
    /// The house style: paper, sizes, faces, header, footer, default notices (`handout.toml`,
    /// `--paper`).
    pub style: std::sync::Arc<style::Style>,
    /// The fonts, found and mapped once on first use, then shared by every writer and every thread
    /// of a batch (clones of the options share them).
    pub fonts: FontCache,
}

/// The fonts of a run, located on first use and shared by clones.
#[derive(Debug, Clone, Default)]
pub struct FontCache(std::sync::Arc<std::sync::OnceLock<fonts::Fonts>>);

impl Default for Options {
    fn default() -> Options {
        Options {
            keep_punctuation: false,
            width: 72,
            crlf: false,
            notes: walk::NotePlacement::Foot,
            links: walk::LinkPlacement::Foot,
            qr: false,
            ref_names: references::NameCase::AsWritten,
            fonts_dir: None,
            max_input: source::DEFAULT_MAX_INPUT,
            source_date_epoch: None,
            style: Default::default(),
            fonts: FontCache::default(),
        }
    }
}

impl Options {
    /// The date outputs carry: SOURCE_DATE_EPOCH when set, else the article's date, never the clock.
    pub fn document_date(&self, meta: &model::Meta) -> Option<date::Date> {
        self.source_date_epoch
            .map(date::Date::from_unix)
            .or_else(|| meta.date.as_deref().and_then(date::parse_iso_date))
    }

    /// The fonts: the files the house style names, and the Noto faces of the fonts folder for the
    /// others (see [`fonts::search_path`]), opened on first use.
    pub fn fonts(&self) -> Result<&fonts::Fonts, fonts::FontError> {
        if let Some(f) = self.fonts.0.get() {
            return Ok(f);
        }
        let found = fonts::Fonts::open_with(&self.style.faces, self.fonts_dir.as_deref())?;
        // Another thread may have won the race; either set of maps is the same fonts.
        Ok(self.fonts.0.get_or_init(|| found))
    }
}

/// Loads and validates a source file (`-` is standard input), up to the default size limit.
pub fn load(file: &std::path::Path) -> Result<Source, Error> {
    load_with(file, &Options::default())
}

/// Loads and validates a source file (`-` is standard input) of at most `options.max_input` bytes;
/// an article without its own notices takes the house style's.
pub fn load_with(file: &std::path::Path, options: &Options) -> Result<Source, Error> {
    let mut source = Source::read(file, options.max_input)?;
    with_house_notices(&mut source, &options.style)?;
    Ok(source)
}

/// Gives the article the house's disclaimer and copyright notice where it has none of its own;
/// an article that still has no disclaimer is refused (every handout carries one).
pub fn with_house_notices(source: &mut Source, style: &style::Style) -> Result<(), SourceErrors> {
    let article = &mut source.article;
    if article.disclaimer.is_none() {
        article.disclaimer = style.disclaimer.clone();
    }
    if article.copyright.is_none() {
        article.copyright = style.copyright.clone();
    }
    if article.disclaimer.is_some() {
        return Ok(());
    }
    let expected = if source::is_markdown(&source.file) {
        "a `::: disclaimer 免责说明` block or `disclaimer:` in the front matter"
    } else {
        "\"disclaimer\": {\"label\": …, \"paragraphs\": […]} in the source"
    };
    let message = format!(
        "no disclaimer: expected {expected}, or a [disclaimer] with a label and text in handout.toml"
    );
    let mut error = source.error_at("disclaimer", None, message);
    // Nothing in the source to point at: the top of the file.
    error.position.get_or_insert((1, 1));
    Err(SourceErrors(vec![error]))
}

/// Every character of the source that a face lacks, as located errors (file, line, column, path).
pub fn check_fonts(source: &Source, fonts: &fonts::Fonts) -> Result<(), Error> {
    let errors: Vec<source::SourceError> = fonts::uncovered(&source.article, fonts)?
        .into_iter()
        .map(|u| {
            // Each file once: one file may be set as several faces.
            let mut faces: Vec<String> = Vec::new();
            for shown in u.faces.iter().map(|&f| fonts.file_shown(f)) {
                if !faces.contains(&shown) {
                    faces.push(shown);
                }
            }
            let message = format!(
                "character '{}' (U+{:04X}) is not in {}",
                u.character,
                u.character as u32,
                faces.join(", ")
            );
            source.error_at(&u.path, Some(u.character), message)
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Source(SourceErrors(errors)))
    }
}

/// Renders a loaded source in one format; for the formats that embed fonts, first checks that the
/// fonts cover every character, so that a gap is reported where it stands in the source.
pub fn render_source(source: &Source, format: Format, options: &Options) -> Result<Vec<u8>, Error> {
    if format.embeds_fonts() {
        check_fonts(source, options.fonts()?)?;
    }
    render(&source.article, format, options).map_err(|e| located(source, e))
}

/// A content error placed in the source it was found in (file, line, column), like the source's own
/// errors; any other error as it is.
pub fn located(source: &Source, e: Error) -> Error {
    match e {
        Error::Content { path, message } => {
            Error::Source(SourceErrors(vec![source.error_at(&path, None, message)]))
        }
        other => other,
    }
}

/// Renders the article in one format.
pub fn render(
    article: &model::Article,
    format: Format,
    options: &Options,
) -> Result<Vec<u8>, Error> {
    let mut rendered = render_formats(article, &[format], options);
    rendered.pop().unwrap_or_else(|| Ok(Vec::new()))
}

/// A format made ready to finish, once the document's font subsets are known.
enum Prepared {
    Txt(Vec<u8>),
    Pdf(layout::Document),
    Docx(Box<writers::docx::Body>),
}

/// Renders the article in several formats, in the order given. The formats are prepared side by side
/// (text written, pages laid out, Word body built); the faces they set are subset and deflated once
/// for all of them ([`fonts::subset`]); then each is finished.
pub fn render_formats(
    article: &model::Article,
    formats: &[Format],
    options: &Options,
) -> Vec<Result<Vec<u8>, Error>> {
    let prepared: Vec<Result<Prepared, Error>> =
        side_by_side(formats.to_vec(), |format| prepare(article, format, options));
    let mut needs = fonts::subset::Needs::default();
    for p in prepared.iter().flatten() {
        match p {
            Prepared::Txt(_) => {}
            Prepared::Pdf(doc) => needs.merge(&writers::pdf::needs(doc)),
            Prepared::Docx(body) => needs.merge(&writers::docx::needs(body)),
        }
    }
    // Only the formats that embed fonts are given the subsets (none are made for a text handout).
    let subsets = if prepared
        .iter()
        .flatten()
        .any(|p| !matches!(p, Prepared::Txt(_)))
    {
        options
            .fonts()
            .and_then(|f| fonts::subset::subset(f, &needs))
    } else {
        Ok(fonts::subset::Subsets::none())
    };
    let finish = |p: Result<Prepared, Error>| match p? {
        Prepared::Txt(bytes) => Ok(bytes),
        Prepared::Pdf(doc) => {
            writers::pdf::finish(article, &doc, options, shared_subsets(&subsets)?)
        }
        Prepared::Docx(body) => {
            writers::docx::finish(article, *body, options, shared_subsets(&subsets)?)
        }
    };
    side_by_side(prepared, finish)
}

/// `f` over `items`, in order: side by side on the thread pool, but one item on this thread (so that
/// a text handout alone never starts the pool).
fn side_by_side<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() == 1 {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}

fn prepare(article: &model::Article, format: Format, options: &Options) -> Result<Prepared, Error> {
    Ok(match format {
        Format::Txt => Prepared::Txt(writers::text::render(article, options).into_bytes()),
        Format::Pdf => Prepared::Pdf(writers::pdf::lay_out(article, options)?),
        Format::Docx => Prepared::Docx(Box::new(writers::docx::prepare(article, options))),
    })
}

/// The subsets, or (for each format that needed them) the error that stopped them.
fn shared_subsets(
    subsets: &Result<fonts::subset::Subsets, fonts::FontError>,
) -> Result<&fonts::subset::Subsets, Error> {
    subsets.as_ref().map_err(|e| Error::Fonts(e.clone()))
}
