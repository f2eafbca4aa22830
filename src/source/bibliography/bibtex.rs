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
const TYPES: &str = "article, newspaper, book, mvbook, manual, incollection, inbook, inreference, \
                     inproceedings, conference, proceedings, mvproceedings, collection, \
                     mvcollection, phdthesis, mastersthesis, thesis, techreport, report, standard, \
                     patent, archive, dataset, software, online, www, electronic, or misc with a url";

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
        let accessed = self.date("urldate", "accessed", "the date it was read (urldate)");
        match (kind, title) {
            (Some(kind), Some(title)) if self.errors.is_empty() => {
                let mut reference = Reference {
                    issued,
                    accessed,
                    ..self.fields(kind, title)
                };
                self.numbering(&mut reference);
                Ok((reference, self.places))
            }
            _ => Err(self.errors),
        }
    }

    /// The CSL type of the entry's type.
    fn kind(&mut self) -> Option<ReferenceType> {
        let written = self.written.kind.to_ascii_lowercase();
        let Some(kind) = csl_type(&written, self.entry) else {
            let without = match written.as_str() {
                "misc" => " without a url",
                _ => "",
            };
            let message =
                format!("the entry type \"{written}\"{without}, expected one of: {TYPES}");
            self.fail(self.written.kind_at, "", message);
            return None;
        };
        self.places.insert("type", self.place(self.written.kind_at));
        Some(kind)
    }

    /// Whether the entry is a whole proceedings (`@proceedings`), which the model holds as a
    /// paper-conference without a container.
    fn is_proceedings(&self) -> bool {
        let written = self.written.kind.to_ascii_lowercase();
        matches!(written.as_str(), "proceedings" | "mvproceedings")
    }

    /// The fields of an entry of `kind`, under their CSL names (the date of issue and the numbers
    /// left for the caller).
    fn fields(&mut self, kind: ReferenceType, title: String) -> Reference {
        let container: &[&str] = match self.is_proceedings() {
            true => &[],
            false => container_fields(kind),
        };
        let (author, et_al) = self.authors();
        Reference {
            id: self.written.key.clone(),
            kind,
            author,
            editor: self.names("editor", "editor").0,
            container_author: self.container_author(kind),
            translator: self.names("translator", "translator").0,
            et_al,
            title,
            container_title: self.text(container, "container-title"),
            container_title_short: self.text(&["shortjournal"], "container-title-short"),
            issued: None,
            accessed: None,
            edition: self.text(&["edition"], "edition").map(|e| edition(&e)),
            volume: self.text(&["volume"], "volume"),
            issue: None,
            page: None,
            number: None,
            doi: self.text(&["doi"], "DOI").map(|doi| bare_doi(&doi)),
            pmid: self.pmid(),
            pmcid: self.text(&["pmcid"], "PMCID"),
            url: self.text(&["url"], "URL"),
            publisher: self.text(publisher_fields(kind), "publisher"),
            publisher_place: self.text(&["location", "address"], "publisher-place"),
            language: self
                .text(&["langid", "language"], "language")
                .map(|l| language(&l)),
        }
    }

    /// The issue, the pages and the number, which BibTeX's `number` fills by type: a journal's issue,
    /// a newspaper's page (its 版次), a report's, standard's or patent's own number; another type's
    /// `number` (a series number) is not shown in a reference list and is left out.
    fn numbering(&mut self, r: &mut Reference) {
        use ReferenceType::*;
        let (issue, page, number): (&[&str], &[&str], &[&str]) = match r.kind {
            ArticleJournal => (&["number", "issue"], &["pages"], &[]),
            ArticleNewspaper => (&["issue"], &["pages", "number"], &[]),
            Report | Standard | Patent => (&["issue"], &["pages"], &["number"]),
            _ => (&["issue"], &["pages"], &[]),
        };
        r.issue = self.text(issue, "issue");
        // The crate turns BibTeX's `--` into an en dash; GB/T 7714 writes page ranges with "-".
        r.page = self.text(page, "page").map(|p| p.replace(['–', '—'], "-"));
        r.number = self.text(number, "number");
    }

    /// The authors of the book a part of it is in (BibLaTeX's `bookauthor`), for a chapter or a
    /// conference paper.
    fn container_author(&mut self, kind: ReferenceType) -> Vec<Name> {
        use ReferenceType::*;
        match kind {
            Chapter | PaperConference if !self.is_proceedings() => {
                self.names("bookauthor", "container-author").0
            }
            _ => Vec::new(),
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
        if self.field("date").is_some() {
            return self.date("date", "issued", "the date");
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

    /// The date in field `name`, written as BibLaTeX writes dates (2020-07-28, 2020-07, 2020, a
    /// range), its place recorded under `path`; none when the field is missing, and an error named
    /// `what` when it is no such date.
    fn date(&mut self, name: &str, path: &str, what: &str) -> Option<Date> {
        let (date, at) = self.field(name)?;
        self.places.insert(path, self.place(at));
        let parts = date_parts(&date);
        if parts.is_none() {
            let message =
                format!("\"{date}\" as {what}, expected a date like 2020-07-28, 2020-07 or 2020");
            self.fail(at, name, message);
        }
        parts.map(|date_parts| Date { date_parts })
    }

    /// The authors, and whether `and others` closes the list (CSL-JSON's `x-et-al`).
    fn authors(&mut self) -> (Vec<Name>, bool) {
        let (names, others) = self.names("author", "author");
        if let Some(at) = &others {
            self.places.insert("x-et-al", at.clone());
        }
        (names, others.is_some())
    }

    /// The names of field `field` (author, editor…), each with its place under `path` ("editor[1]"),
    /// and where `and others` closes the list, if it does (only the authors' list records that).
    fn names(&mut self, field: &str, path: &str) -> (Vec<Name>, Option<Place>) {
        let Some(chunks) = self.entry.get(field) else {
            return (Vec::new(), None);
        };
        let field_at = self.value_at(field, chunks);
        self.places.insert(path, self.place(field_at));
        let each = chunks.parse::<Vec<Chunks>>().unwrap_or_default();
        let mut starts = self.name_starts(field);
        if starts.len() != each.len() {
            // Split otherwise than the crate did: the field's place stands for every name.
            starts.clear();
        }
        let mut names = Vec::new();
        let mut others = None;
        for (i, one) in each.iter().enumerate() {
            let at = self.place(starts.get(i).copied().unwrap_or(field_at));
            match one.format_verbatim().trim() {
                "" => {}
                "others" => others = Some(at),
                _ => {
                    self.places.insert(format!("{path}[{}]", names.len()), at);
                    names.push(name(one));
                }
            }
        }
        (names, others)
    }

    /// Where each name of a name field starts as written: first, and after each "and" between
    /// spaces outside braces, as the crate splits them. The crate's own spans for the names drift
    /// (0.12 does not count the "and" it removes), so they are found here, for places only.
    fn name_starts(&self, field: &str) -> Vec<usize> {
        let Some(range) = self.written.fields.get(field) else {
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

/// The CSL type of an entry of type `written` (in lowercase); none for a type not read. A whole
/// proceedings is a conference paper without a container (GB/T 7714 sets both as [C]); BibLaTeX's
/// newspaper article is an `@article` with `entrysubtype = {newspaper}`.
fn csl_type(written: &str, entry: &Entry) -> Option<ReferenceType> {
    use ReferenceType::*;
    let kind = match written {
        "article" if is_newspaper(entry) => ArticleNewspaper,
        "article" => ArticleJournal,
        "newspaper" => ArticleNewspaper,
        "book" | "mvbook" | "manual" => Book,
        "incollection" | "inbook" | "inreference" => Chapter,
        "inproceedings" | "conference" | "proceedings" | "mvproceedings" => PaperConference,
        "collection" | "mvcollection" => Collection,
        "phdthesis" | "mastersthesis" | "thesis" => Thesis,
        "techreport" | "report" => Report,
        "standard" => Standard,
        "patent" => Patent,
        "archive" => Manuscript,
        "dataset" => Dataset,
        "software" => Software,
        "online" | "www" | "electronic" => Webpage,
        "misc" if entry.get("url").is_some() => Webpage,
        _ => return None,
    };
    Some(kind)
}

/// Whether the entry's `entrysubtype` is newspaper.
fn is_newspaper(entry: &Entry) -> bool {
    entry.get("entrysubtype").is_some_and(|chunks| {
        let subtype = chunks.format_verbatim();
        subtype.trim().eq_ignore_ascii_case("newspaper")
    })
}

/// The fields that hold the container's title of an entry of `kind`, first found first.
fn container_fields(kind: ReferenceType) -> &'static [&'static str] {
    use ReferenceType::*;
    match kind {
        ArticleJournal | ArticleNewspaper => &["journaltitle", "journal"],
        Chapter | PaperConference => &["booktitle"],
        _ => &[],
    }
}

/// The fields that name the publisher of an entry of `kind`: a thesis is published by the
/// university that awards it, a report by its institution, a manual (a book) by its organization.
fn publisher_fields(kind: ReferenceType) -> &'static [&'static str] {
    use ReferenceType::*;
    match kind {
        Thesis => &["school", "institution", "publisher"],
        Report => &["institution", "school", "publisher"],
        Book => &["publisher", "organization"],
        _ => &["publisher"],
    }
}

/// An edition as the model holds it: a number as its digits, however BibTeX styles have it written
/// ("4", "4th", "Fourth", "4th ed.", "4th edition", "第4版" give "4"); any other text as written
/// ("Revised", "修订版").
fn edition(written: &str) -> String {
    const ORDINALS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    let lower = written.trim().to_lowercase();
    let core = ["edition", "ed.", "ed", "版"]
        .iter()
        .find_map(|end| lower.strip_suffix(end))
        .unwrap_or(&lower)
        .trim();
    let core = core.strip_prefix('第').unwrap_or(core);
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|end| core.strip_suffix(end))
        .unwrap_or(core);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_string();
    }
    match ORDINALS.iter().position(|o| *o == core) {
        Some(i) => (i + 1).to_string(),
        None => written.to_string(),
    }
}

/// A BibTeX name as a CSL name. A name braced whole (`{World Health Organization}`) is a literal.
/// A Chinese name is family name first: "乔, 利军" and "乔 利军" give family 乔 and given 利军, while
/// "乔利军" written as one token stays whole as the family name (where a family name ends cannot be
/// told from the characters: 欧阳 is one too); the reference list shows both forms alike. Other names
/// follow BibTeX's rules ("Last, First", "First von Last", "Last, Jr, First"), the particle joined to
/// the family name ("van Gogh"), a suffix ("Jr") kept apart.
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
            suffix: None,
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
            suffix: None,
        };
    }
    let person = Person::parse(chunks);
    Name {
        family: some(&format!("{} {}", person.prefix, person.name)),
        given: some(&person.given_name),
        literal: None,
        suffix: some(&person.suffix),
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
