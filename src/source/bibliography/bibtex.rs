//! BibTeX and BibLaTeX bibliographies, parsed by the `biblatex` crate (braces, `@string`
//! abbreviations, LaTeX accents, cross-references) and mapped onto the CSL types and fields the
//! model holds, each field with the place where its value is written.

use std::collections::HashMap;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Arc;

use biblatex::{
    Chunk, Chunks, ChunksExt, Entry, ParseError, ParseErrorKind, Person, RawBibliography, RawEntry,
    Spanned, Token,
};

use super::{Bibliography, date_parts, error, year};
use crate::model::{Date, Name, Reference, ReferenceType};
use crate::source::places::{Place, Places};
use crate::source::{SourceError, SourceErrors, line_column};
use crate::text::is_han;

/// The entry types read, for messages.
const TYPES: &str = "article, book, mvbook, incollection, inbook, inreference, inproceedings, \
                     conference, phdthesis, mastersthesis, thesis, techreport, report, online, www, \
                     electronic, or misc with a url";

/// Converts a BibTeX or BibLaTeX text.
pub(super) fn parse(
    shown: &Arc<Path>,
    text: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Bibliography, SourceErrors> {
    let one = |e: SourceError| SourceErrors(vec![e]);
    let raw = RawBibliography::parse(text).map_err(|e| one(syntax(shown, text, &e)))?;
    let written: Vec<Written> = raw.entries.iter().map(Written::new).collect();
    let resolved = resolve(raw).map_err(|e| {
        one(match e {
            Some(e) => syntax(shown, text, &e),
            None => error(shown, None, "", CRASH),
        })
    })?;
    let mut out = Bibliography {
        keys: written.iter().map(|w| w.key.clone()).collect(),
        entries: Vec::new(),
    };
    let mut errors = Vec::new();
    for w in written.iter().filter(|w| wanted(&w.key)) {
        let Some(entry) = resolved.get(&w.key) else {
            continue;
        };
        match Converter::new(shown, text, w, entry).convert() {
            Ok(converted) => out.entries.push(converted),
            Err(mut e) => errors.append(&mut e),
        }
    }
    match errors.is_empty() {
        true => Ok(out),
        false => Err(SourceErrors(errors)),
    }
}

/// What is said when the crate panics (see [`resolve`]).
const CRASH: &str = "the BibTeX reader failed on a cross-referenced entry (crossref, xdata), expected \
                     the dates of the entries it names written plainly (year = {2016})";

/// Resolves abbreviations, LaTeX commands and cross-references. Resolving a cross-reference reads the
/// referenced entry's date, which the crate (0.12) unwraps and can panic on (`year = {- 1}`); that
/// panic is caught (`None`) and reported rather than ending the program.
fn resolve(raw: RawBibliography) -> Result<biblatex::Bibliography, Option<ParseError>> {
    let resolved =
        std::panic::catch_unwind(AssertUnwindSafe(|| biblatex::Bibliography::from_raw(raw)));
    match resolved {
        Ok(result) => result.map_err(Some),
        Err(_) => Err(None),
    }
}

/// A syntax error (or an unresolvable abbreviation, a duplicate key) at its place.
fn syntax(shown: &Arc<Path>, text: &str, e: &ParseError) -> SourceError {
    let found = match text.get(e.span.start..).and_then(|t| t.chars().next()) {
        Some(c) => format!("\"{c}\""),
        None => "the end of the file".to_string(),
    };
    let message = match &e.kind {
        ParseErrorKind::UnexpectedEof => {
            "the end of the file inside an entry or a value, expected its closing brace or quote"
                .into()
        }
        ParseErrorKind::Expected(token) => format!("{found}, expected {}", token_name(*token)),
        ParseErrorKind::Unexpected(Token::ClosingBrace) => {
            "a closing brace without its opening one, expected braces in pairs".into()
        }
        ParseErrorKind::Unexpected(token) => format!("an unexpected {}", token_name(*token)),
        ParseErrorKind::UnknownAbbreviation(name) => format!(
            "the undefined name \"{name}\", expected a value in braces or quotes, a number, or a \
             name defined by @string"
        ),
        ParseErrorKind::MalformedCommand => "a malformed LaTeX command".into(),
        ParseErrorKind::DuplicateKey(key) => {
            format!("the key \"{key}\" again, expected each entry key once")
        }
        ParseErrorKind::ResolutionError(kind) => {
            format!("a cross-reference that cannot be resolved: {kind}")
        }
        other => other.to_string(),
    };
    error(shown, Some(line_column(text, e.span.start)), "", message)
}

fn token_name(token: Token) -> &'static str {
    match token {
        Token::Identifier => "a name (an entry type, a field name or a @string name)",
        Token::OpeningBrace => "an opening brace \"{\"",
        Token::ClosingBrace => "a closing brace \"}\"",
        Token::Comma => "a comma between the fields",
        Token::QuotationMark => "a double quote",
        Token::Equals => "\"=\" after the field name",
        Token::DecimalPoint => "a decimal point",
    }
}

/// Where an entry's parts are written (byte offsets), from the raw parse: the resolved entry keeps no
/// place for itself, its type or a field as a whole.
struct Written {
    key: String,
    /// The entry type as written (`article`).
    kind: String,
    /// The `@` that opens the entry.
    at: usize,
    key_at: usize,
    kind_at: usize,
    /// Each field's value (inside its braces or quotes), by lowercase field name.
    fields: HashMap<String, Range<usize>>,
}

impl Written {
    fn new(entry: &Spanned<RawEntry>) -> Written {
        let fields = entry.v.fields.iter().map(|pair| {
            let value = &pair.value;
            let start = value.v.first().map_or(value.span.start, |c| c.span.start);
            let end = value.v.last().map_or(value.span.end, |c| c.span.end);
            (pair.key.v.to_ascii_lowercase(), start..end.max(start))
        });
        Written {
            key: entry.v.key.v.to_string(),
            kind: entry.v.kind.v.to_string(),
            at: entry.span.start,
            key_at: entry.v.key.span.start,
            kind_at: entry.v.kind.span.start,
            fields: fields.collect(),
        }
    }
}

/// One entry's conversion, gathering the places of the fields taken and every problem found.
struct Converter<'a> {
    shown: &'a Arc<Path>,
    text: &'a str,
    written: &'a Written,
    entry: &'a Entry,
    places: Places,
    errors: Vec<SourceError>,
}

impl<'a> Converter<'a> {
    fn new(shown: &'a Arc<Path>, text: &'a str, written: &'a Written, entry: &'a Entry) -> Self {
        Converter {
            shown,
            text,
            written,
            entry,
            places: Places::default(),
            errors: Vec::new(),
        }
    }

    fn convert(mut self) -> Result<(Reference, Places), Vec<SourceError>> {
        self.places.insert("", self.place(self.written.at));
        self.places.insert("id", self.place(self.written.key_at));
        let kind = self.kind();
        let title = self.text(&["title"], "title");
        if title.is_none() {
            let message = "an entry without a title, expected a title field (title = {…})";
            self.fail(self.written.at, "", message);
        }
        let issued = self.issued();
        let (author, et_al) = self.authors();
        match (kind, title) {
            (Some(kind), Some(title)) if self.errors.is_empty() => {
                let reference = Reference {
                    author,
                    et_al,
                    issued,
                    ..self.fields(kind, title)
                };
                Ok((reference, self.places))
            }
            _ => Err(self.errors),
        }
    }

    /// The CSL type of the entry's type.
    fn kind(&mut self) -> Option<ReferenceType> {
        use ReferenceType::*;
        let written = self.written.kind.to_ascii_lowercase();
        let kind = match written.as_str() {
            "article" => ArticleJournal,
            "book" | "mvbook" => Book,
            "incollection" | "inbook" | "inreference" => Chapter,
            "inproceedings" | "conference" => PaperConference,
            "phdthesis" | "mastersthesis" | "thesis" => Thesis,
            "techreport" | "report" => Report,
            "online" | "www" | "electronic" => Webpage,
            "misc" if self.entry.get("url").is_some() => Webpage,
            other => {
                let without = if other == "misc" {
                    " without a url"
                } else {
                    ""
                };
                let message =
                    format!("the entry type \"{other}\"{without}, expected one of: {TYPES}");
                self.fail(self.written.kind_at, "", message);
                return None;
            }
        };
        self.places.insert("type", self.place(self.written.kind_at));
        Some(kind)
    }

    /// The text fields of an entry of `kind`, under their CSL names.
    fn fields(&mut self, kind: ReferenceType, title: String) -> Reference {
        use ReferenceType::*;
        let container: &[&str] = match kind {
            ArticleJournal => &["journaltitle", "journal"],
            Chapter | PaperConference => &["booktitle"],
            _ => &[],
        };
        // A thesis is published by the university that awards it, a report by its institution.
        let publisher: &[&str] = match kind {
            Thesis => &["school", "institution", "publisher"],
            Report => &["institution", "school", "publisher"],
            _ => &["publisher"],
        };
        Reference {
            id: self.written.key.clone(),
            kind,
            author: Vec::new(),
            et_al: false,
            title,
            container_title: self.text(container, "container-title"),
            container_title_short: self.text(&["shortjournal"], "container-title-short"),
            issued: None,
            volume: self.text(&["volume"], "volume"),
            issue: self.text(&["number", "issue"], "issue"),
            // The crate turns BibTeX's `--` into an en dash; GB/T 7714 writes page ranges with "-".
            page: self
                .text(&["pages"], "page")
                .map(|p| p.replace(['–', '—'], "-")),
            doi: self.text(&["doi"], "DOI").map(|doi| bare_doi(&doi)),
            pmid: self.pmid(),
            pmcid: self.text(&["pmcid"], "PMCID"),
            url: self.text(&["url"], "URL"),
            publisher: self.text(publisher, "publisher"),
            publisher_place: self.text(&["location", "address"], "publisher-place"),
            language: self
                .text(&["langid", "language"], "language")
                .map(|l| language(&l)),
        }
    }

    /// `pmid`, or an `eprint` whose `eprinttype` is pubmed (BibLaTeX's way to give a PMID).
    fn pmid(&mut self) -> Option<String> {
        if let Some(pmid) = self.text(&["pmid"], "PMID") {
            return Some(pmid);
        }
        let (eprinttype, _) = self.field("eprinttype")?;
        match eprinttype.to_ascii_lowercase().as_str() {
            "pubmed" => self.text(&["eprint"], "PMID"),
            _ => None,
        }
    }

    /// The date of issue: BibLaTeX's `date`, or BibTeX's `year` with its `month`.
    fn issued(&mut self) -> Option<Date> {
        if let Some((date, at)) = self.field("date") {
            self.places.insert("issued", self.place(at));
            let parts = date_parts(&date);
            if parts.is_none() {
                let message = format!(
                    "\"{date}\" as the date, expected a date like 2020-07-28, 2020-07 or 2020"
                );
                self.fail(at, "date", message);
            }
            return parts.map(|date_parts| Date { date_parts });
        }
        let (written, at) = self.field("year")?;
        self.places.insert("issued", self.place(at));
        let Some(year) = year(&written) else {
            let message =
                format!("\"{written}\" as the year, expected four digits (year = {{2016}})");
            self.fail(at, "year", message);
            return None;
        };
        let mut part = vec![year];
        if let Some((written, at)) = self.field("month") {
            match month(&written) {
                Some(month) => part.push(month),
                None => {
                    let message = format!(
                        "\"{written}\" as the month, expected 1 to 12 or a month's English name \
                         (may, jun, June)"
                    );
                    self.fail(at, "month", message);
                }
            }
        }
        Some(Date {
            date_parts: vec![part],
        })
    }

    /// The authors, and whether `and others` closes the list (CSL-JSON's `x-et-al`).
    fn authors(&mut self) -> (Vec<Name>, bool) {
        let Some(chunks) = self.entry.get("author") else {
            return (Vec::new(), false);
        };
        let field_at = self.value_at("author", chunks);
        self.places.insert("author", self.place(field_at));
        let each = chunks.parse::<Vec<Chunks>>().unwrap_or_default();
        let mut starts = self.name_starts();
        if starts.len() != each.len() {
            // Split otherwise than the crate did: the field's place stands for every name.
            starts.clear();
        }
        let mut names = Vec::new();
        let mut et_al = false;
        for (i, one) in each.iter().enumerate() {
            let at = self.place(starts.get(i).copied().unwrap_or(field_at));
            match one.format_verbatim().trim() {
                "" => {}
                "others" => {
                    et_al = true;
                    self.places.insert("x-et-al", at);
                }
                _ => {
                    self.places.insert(format!("author[{}]", names.len()), at);
                    names.push(name(one));
                }
            }
        }
        (names, et_al)
    }

    /// Where each name of the author field starts as written: first, and after each "and" between
    /// spaces outside braces, as the crate splits them. The crate's own spans for the names drift
    /// (0.12 does not count the "and" it removes), so they are found here, for places only.
    fn name_starts(&self) -> Vec<usize> {
        let Some(range) = self.written.fields.get("author") else {
            return Vec::new();
        };
        let value = self.text.get(range.clone()).unwrap_or_default();
        let mut starts = Vec::new();
        let (mut depth, mut skip_to, mut expect) = (0usize, 0, true);
        for (i, c) in value.char_indices() {
            if i < skip_to {
                continue;
            }
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                c if c.is_whitespace() => {
                    let rest = value.get(i + c.len_utf8()..).unwrap_or_default();
                    let after = rest.get(3..).unwrap_or_default();
                    if depth == 0
                        && rest.starts_with("and")
                        && after.starts_with(char::is_whitespace)
                    {
                        (expect, skip_to) = (true, i + c.len_utf8() + 3);
                    }
                    continue;
                }
                _ => {}
            }
            if expect {
                starts.push(range.start + i);
                expect = false;
            }
        }
        starts
    }

    /// The text of the first of the fields `names` the entry has and not empty, its place recorded
    /// under the model path `path`.
    fn text(&mut self, names: &[&str], path: &str) -> Option<String> {
        let (text, at) = names.iter().find_map(|name| self.field(name))?;
        self.places.insert(path, self.place(at));
        Some(text)
    }

    /// The text of field `name` (braces gone, LaTeX accents resolved by the crate, a tie `~` as a
    /// space outside identifiers and addresses, space around trimmed) and where its value starts;
    /// none when the field is missing or empty.
    fn field(&self, name: &str) -> Option<(String, usize)> {
        let chunks = self.entry.get(name)?;
        let text = chunks.format_verbatim();
        let text = match name {
            "url" | "doi" | "eprint" | "pmid" | "pmcid" => text.trim().to_string(),
            _ => text.replace('~', " ").trim().to_string(),
        };
        (!text.is_empty()).then(|| (text, self.value_at(name, chunks)))
    }

    /// Where the value of field `name` starts: as written in the entry, or, for a field taken from a
    /// cross-referenced entry, where the crate found it; the entry's start when neither is known.
    fn value_at(&self, name: &str, chunks: &[Spanned<Chunk>]) -> usize {
        if let Some(range) = self.written.fields.get(name) {
            return range.start;
        }
        let start = chunks.span().start;
        match start <= self.text.len() {
            true => start,
            false => self.written.at,
        }
    }

    fn place(&self, offset: usize) -> Place {
        let (line, column) = line_column(self.text, offset);
        Place::new(self.shown, line, column)
    }

    /// Records a problem at `offset`, named by the entry's key and the BibTeX field (if any).
    fn fail(&mut self, offset: usize, field: &str, message: impl Into<String>) {
        let path = match field {
            "" => self.written.key.clone(),
            field => format!("{}.{field}", self.written.key),
        };
        let at = line_column(self.text, offset);
        self.errors
            .push(error(self.shown, Some(at), &path, message));
    }
}

/// A BibTeX name as a CSL name. A name braced whole (`{World Health Organization}`) is a literal.
/// A Chinese name is family name first: "乔, 利军" and "乔 利军" give family 乔 and given 利军, while
/// "乔利军" written as one token stays whole as the family name (where a family name ends cannot be
/// told from the characters: 欧阳 is one too); the reference list shows both forms alike. Other names
/// follow BibTeX's rules ("Last, First", "First von Last"), the particle joined to the family name
/// ("van Gogh") and a suffix ("Jr.") to the given name.
fn name(chunks: &[Spanned<Chunk>]) -> Name {
    let parts: Vec<&Chunk> = chunks
        .iter()
        .map(|c| &c.v)
        .filter(|c| !c.get().trim().is_empty())
        .collect();
    if let [Chunk::Verbatim(literal)] = parts.as_slice() {
        return Name {
            family: None,
            given: None,
            literal: Some(literal.trim().to_string()),
        };
    }
    let written = chunks.format_verbatim().replace('~', " ");
    let written = written.trim();
    if written.chars().any(is_han) && !written.contains([',', '=']) {
        let (family, given) = written
            .split_once(char::is_whitespace)
            .unwrap_or((written, ""));
        return Name {
            family: some(family),
            given: some(given),
            literal: None,
        };
    }
    let person = Person::parse(chunks);
    Name {
        family: some(&format!("{} {}", person.prefix, person.name)),
        given: some(&format!("{} {}", person.given_name, person.suffix)),
        literal: None,
    }
}

/// `text` trimmed (a tie `~` as a space), none when empty.
fn some(text: &str) -> Option<String> {
    let text = text.replace('~', " ");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// A month as 1 to 12: its number, or its English name or abbreviation ("may", "Sept.", "June").
fn month(written: &str) -> Option<i32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let written = written.trim().trim_end_matches('.').to_ascii_lowercase();
    if let Some(n) = super::digits(&written, 2) {
        return (1..=12).contains(&n).then_some(n);
    }
    let position = NAMES
        .iter()
        .position(|name| written.len() >= 3 && name.starts_with(&written))?;
    i32::try_from(position + 1).ok()
}

/// A DOI without the resolver or `doi:` before it, as the model holds it (the writers add the link).
fn bare_doi(written: &str) -> String {
    let lower = written.to_ascii_lowercase();
    for prefix in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ] {
        if lower.starts_with(prefix) {
            return written
                .get(prefix.len()..)
                .unwrap_or(written)
                .trim()
                .to_string();
        }
    }
    written.to_string()
}

/// A language as the model writes it: English and Chinese, by BibLaTeX's names or the usual tags,
/// become "en" and "zh-CN"; any other is kept as written.
fn language(written: &str) -> String {
    match written.to_ascii_lowercase().as_str() {
        "english" | "american" | "british" | "en" => "en".into(),
        "chinese" | "zh" | "zh-cn" => "zh-CN".into(),
        _ => written.to_string(),
    }
}
