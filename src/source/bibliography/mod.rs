//! Bibliography files that a Markdown article's front matter names (`bibliography: refs.bib`):
//! BibTeX and BibLaTeX read with the `biblatex` crate, CSL-JSON and CSL-YAML read through [`Tree`]
//! and the model's own deserializer. Each wanted entry becomes a model [`Reference`] with the place of
//! each of its fields, so that a later finding about `references[2].title` points into the file.
//!
//! [`Tree`]: super::tree::Tree

mod bibtex;
mod csl;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use super::places::Places;
use super::{SourceError, SourceErrors};
use crate::model::Reference;

/// A bibliography file's entries: every key in the file, and the entries wanted, converted.
#[derive(Debug, Clone, Default)]
pub struct Bibliography {
    /// Every entry key in the file, in the file's order (to name them when a citation is unknown).
    pub keys: Vec<String>,
    /// The wanted entries, in the file's order, each with the places of its fields (paths relative
    /// to the entry: "title", "author[0]", "issued", ""; see places.rs).
    pub entries: Vec<(Reference, Places)>,
}

/// The format of a bibliography file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// BibTeX or BibLaTeX (`.bib`).
    Bibtex,
    /// An array of CSL items in JSON (`.json`), as Zotero exports it.
    CslJson,
    /// CSL items in YAML (`.yaml`, `.yml`): an array, or a mapping with `references` as pandoc writes.
    CslYaml,
}

/// The accepted extensions, for messages.
const ACCEPTED: &str = ".bib (BibTeX or BibLaTeX), .json (CSL-JSON), .yaml or .yml (CSL-YAML)";

impl Kind {
    /// The format a file's extension names (in any letter case); none for another extension.
    pub fn of(path: &Path) -> Option<Kind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "bib" => Some(Kind::Bibtex),
            "json" => Some(Kind::CslJson),
            "yaml" | "yml" => Some(Kind::CslYaml),
            _ => None,
        }
    }
}

/// Reads `file` (named `shown` in messages; a BibTeX/BibLaTeX `.bib`, CSL-JSON `.json`, CSL-YAML
/// `.yaml`/`.yml`, chosen by extension) holding at most `limit` bytes, and converts the entries whose
/// keys `wanted` returns true for.
pub fn read(
    file: &Path,
    shown: &Arc<Path>,
    wanted: &dyn Fn(&str) -> bool,
    limit: u64,
) -> Result<Bibliography, SourceErrors> {
    // The extension is checked first: it also keeps "-" (standard input to the bounded reader) out.
    let Some(kind) = Kind::of(file) else {
        let written = file.extension().map_or_else(
            || "no extension".to_string(),
            |e| format!("the extension \".{}\"", e.to_string_lossy()),
        );
        let message = format!("a bibliography with {written}, expected {ACCEPTED}");
        return Err(SourceErrors(vec![error(shown, None, "", message)]));
    };
    let text = read_text(file, shown, limit)?;
    parse(shown, &text, kind, wanted)
}

/// Converts the text of a bibliography of `kind` (named `shown` in messages): the entries whose keys
/// `wanted` returns true for, with every key listed.
pub fn parse(
    shown: &Arc<Path>,
    text: &str,
    kind: Kind,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Bibliography, SourceErrors> {
    // A byte-order mark is invisible in editors, so columns are counted without it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match kind {
        Kind::Bibtex => bibtex::parse(shown, text, wanted),
        Kind::CslJson => csl::parse(shown, text, false, wanted),
        Kind::CslYaml => csl::parse(shown, text, true, wanted),
    }
}

/// The text of `file`, refusing more than `limit` bytes; a missing or unreadable file is an error
/// naming it, invalid UTF-8 an error at the first bad byte.
fn read_text(file: &Path, shown: &Arc<Path>, limit: u64) -> Result<String, SourceErrors> {
    use super::Unread;
    let whole = |message: String| SourceErrors(vec![error(shown, None, "", message)]);
    let bytes = super::read_bounded(file, limit).map_err(|e| match e {
        Unread::TooLarge(size) => whole(format!(
            "{} is larger than the limit of {}, expected a smaller bibliography (raise it with \
             --max-input)",
            size.map_or_else(|| "the file".to_string(), |n| format!("{n} bytes")),
            super::human_size(limit)
        )),
        Unread::Directory => whole("is a directory, expected a bibliography file".into()),
        Unread::Io(e) => whole(format!(
            "cannot read the bibliography: {}",
            super::io_reason(&e)
        )),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let at = super::line_column(&before, valid);
        let message = "invalid UTF-8, expected a bibliography saved as UTF-8";
        SourceErrors(vec![error(shown, Some(at), "", message)])
    })
}

fn error(
    shown: &Arc<Path>,
    at: Option<(usize, usize)>,
    path: &str,
    message: impl Into<String>,
) -> SourceError {
    SourceError {
        file: shown.to_path_buf(),
        position: at,
        path: path.to_string(),
        message: message.into(),
    }
}

/// CSL date-parts of a date as CSL's EDTF strings and BibLaTeX's `date` field write it: "2016",
/// "2016-05", "2016-05-20", or a range "2016-05/2016-07" (an open end is left out). A time after the
/// day and an uncertainty mark (`?`, `~`, `%`) are ignored: a reference list shows no more.
fn date_parts(text: &str) -> Option<Vec<Vec<i32>>> {
    let mut sides = text.trim().split('/');
    let mut parts = vec![one_date(sides.next()?)?];
    match sides.next().map(str::trim) {
        None | Some("") | Some("..") => {}
        Some(end) => parts.push(one_date(end)?),
    }
    sides.next().is_none().then_some(parts)
}

/// "2016", "2016-05" or "2016-05-20" as [2016], [2016, 5] or [2016, 5, 20].
fn one_date(text: &str) -> Option<Vec<i32>> {
    let text = text.trim().trim_end_matches(['?', '~', '%']);
    let day = text.split_once('T').map_or(text, |(day, _)| day);
    let mut fields = day.split('-');
    let mut out = vec![year(fields.next()?)?];
    for field in fields {
        // The month, then the day.
        let most = [12, 31].get(out.len() - 1)?;
        let n = digits(field, 2)?;
        if !(1..=*most).contains(&n) {
            return None;
        }
        out.push(n);
    }
    Some(out)
}

/// A year of four digits.
fn year(text: &str) -> Option<i32> {
    let text = text.trim();
    (text.len() == 4).then(|| digits(text, 4)).flatten()
}

/// A number of one to `most` ASCII digits.
fn digits(text: &str, most: usize) -> Option<i32> {
    let ok = (1..=most).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}
