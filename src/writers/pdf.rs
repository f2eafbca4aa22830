//! The PDF handout (issue: PDF handout). Not built yet: `handout pdf` says so and exits 2.

use crate::model::Article;
use crate::{Error, Format, Options};

/// Whether this writer is built (the CLI refuses formats that are not).
pub const BUILT: bool = false;

pub fn render(_article: &Article, _options: &Options) -> Result<Vec<u8>, Error> {
    Err(Error::NotBuilt(Format::Pdf))
}
