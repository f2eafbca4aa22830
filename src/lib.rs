//! `handout`: one structured source of a Chinese popular-science or medical article, several writers
//! (plain text now; PDF and DOCX to come), every one over the same document model.
//!
//! Readers -> model -> writers: [`source`] loads and validates a JSON source into the [`model`];
//! [`runs`], [`text`] and [`references`] hold the typography every writer shares; [`writers`] turn the
//! model into bytes; [`output`] puts the bytes in place without ever leaving a partial file.

pub mod date;
pub mod fonts;
pub mod layout;
pub mod model;
pub mod output;
pub mod references;
pub mod runs;
pub mod schema;
pub mod source;
pub mod text;
pub mod writers;

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

    /// Whether a writer exists for the format yet.
    pub fn is_built(self) -> bool {
        match self {
            Format::Txt => true,
            Format::Pdf => writers::pdf::BUILT,
            Format::Docx => writers::docx::BUILT,
        }
    }
}

/// Everything that can go wrong, each mapped to an exit code by [`Error::exit_code`].
#[derive(Debug)]
pub enum Error {
    /// The source is unreadable or invalid (exit 2).
    Source(SourceErrors),
    /// The fonts cannot be found or read (exit 2).
    Fonts(fonts::FontError),
    /// The format has no writer yet (exit 2).
    NotBuilt(Format),
    /// Writing an output failed (exit 1).
    Write { path: PathBuf, reason: String },
    /// Errors already reported one by one (a batch, a check); carries the exit code.
    Reported(i32),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Write { .. } => 1,
            Error::Reported(code) => *code,
            Error::Source(_) | Error::Fonts(_) | Error::NotBuilt(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Error::Source(e) => write!(f, "{e}"),
            Error::Fonts(e) => write!(f, "{e}"),
            Error::NotBuilt(format) => {
                write!(f, "the {} writer is not built yet", format.extension())
            }
            Error::Write { path, reason } => {
                write!(f, "{}: cannot write: {reason}", path.display())
            }
            Error::Reported(code) => write!(f, "failed (exit code {code}), see the messages above"),
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

/// Options shared by every writer.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub text: writers::text::TextOptions,
    /// `--fonts DIR`.
    pub fonts_dir: Option<PathBuf>,
}

/// Loads and validates a source file.
pub fn load(file: &std::path::Path) -> Result<Source, Error> {
    Ok(Source::read(file)?)
}

/// Renders the article in one format.
pub fn render(
    article: &model::Article,
    format: Format,
    options: &Options,
) -> Result<Vec<u8>, Error> {
    match format {
        Format::Txt => Ok(writers::text::render(article, &options.text).into_bytes()),
        Format::Pdf => writers::pdf::render(article, options),
        Format::Docx => writers::docx::render(article, options),
    }
}
