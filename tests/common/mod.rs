//! Helpers shared by the integration tests, and the test-local oracles: what a reader expects, written
//! down here from the README, clreq, GB/T 7714 and Unicode, never asked of the code under test.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handout::model::{Article, Item, Reference, ReferenceType};

pub mod bad_sources;

/// A small valid article: a citation, a reference, the disclaimer, and an ASCII comma in Chinese.
pub const GOOD: &str = r#"{
  "meta": {"title": "测试文章", "author": "作者"},
  "blocks": [
    {"paragraph": ["正文,见", {"cite": ["a"]}]}
  ],
  "references": [{"id": "a", "type": "book", "title": "书名", "publisher": "出版社"}],
  "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
}
"#;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_source() -> PathBuf {
    root().join("source/article.json")
}

pub fn seed_article() -> Article {
    handout::load(&seed_source())
        .expect("the seed article loads")
        .article
}

/// The built `handout` binary, run in `dir` with neither HANDOUT_FONTS nor SOURCE_DATE_EPOCH.
pub fn handout_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handout"));
    cmd.current_dir(dir)
        .env_remove("HANDOUT_FONTS")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Runs the built `handout` binary in `dir`.
pub fn handout(dir: &Path, args: &[&str]) -> Output {
    handout_command(dir)
        .args(args)
        .output()
        .expect("the handout binary runs")
}

/// Runs `cmd` to its end, or kills it and fails after `seconds`: a test of input that once made the
/// program wait forever (a FIFO) fails instead of hanging the suite.
pub fn output_within(cmd: &mut Command, seconds: u64) -> Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let started = std::time::Instant::now();
    while child.try_wait().expect("the program's status").is_none() {
        if started.elapsed().as_secs() >= seconds {
            child.kill().ok();
            let o = child.wait_with_output().expect("its output");
            panic!("still running after {seconds} s: {}", stderr(&o));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.wait_with_output().expect("its output")
}

/// Whether the tests run as the superuser, who reads files whatever their mode: a file the tests
/// make is owned by whoever runs them.
pub fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().expect("a temporary file");
    probe.as_file().metadata().expect("its metadata").uid() == 0
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// ---- The clreq oracle ---------------------------------------------------------------------------

/// Marks that W3C clreq (3.1.7, basic level) keeps off the start of a line: pause and stop marks,
/// closing quotes and brackets, the connecting and separating marks, the halves of —— and ……, and
/// the ASCII marks an author types in Chinese text (`--keep-punctuation` keeps them).
pub const CLREQ_NO_LINE_START: &str = "、，。．：；！？」』”’）］｝〕〗〙】》〉—…·～／,.:;!?)]}";

/// Marks clreq keeps off the end of a line: opening quotes and brackets, full-width and ASCII.
pub const CLREQ_NO_LINE_END: &str = "「『“‘（［｛〔〖〘【《〈([{";

pub fn clreq_may_not_start(c: char) -> bool {
    CLREQ_NO_LINE_START.contains(c)
}

pub fn clreq_may_not_end(c: char) -> bool {
    CLREQ_NO_LINE_END.contains(c)
}

/// Closing marks whose ink sits in the left half of their em (Simplified Chinese forms): the only
/// glyphs that may hang past the right edge of a PDF line, by the blank half they trim.
pub const HANGING_CLOSING_MARKS: &str = "，。、；：）」』”’》】〕〗〉";

// ---- The width oracle ---------------------------------------------------------------------------

/// Display columns of one character in a Chinese terminal (East Asian Width, ambiguous taken as
/// wide), written out for every character the tests feed the writers. A character not listed fails
/// the test: the oracle must be extended, never guessed.
pub fn oracle_char_columns(c: char) -> usize {
    let code = c as u32;
    match code {
        0x20..=0x7E => 1,
        // Tab, newline: the writers never leave them in a line.
        0x09 | 0x0A | 0x0D => 0,
        // Han: unified ideographs, extension A, compatibility, extension B and beyond.
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD => 2,
        // CJK symbols and punctuation (、。〈〉《》「」『』【】〔〕〖〗〘〙 ideographic space), full-width forms.
        0x3000..=0x303E | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
        _ => match c {
            // East Asian Width "A" (ambiguous) marks and symbols: wide in a Chinese terminal.
            '“' | '”' | '‘' | '’' | '·' | '—' | '…' | '℃' | '•' | '■' | '‰' | '–' | '※' | '→'
            | '×' | '±' | '°' | '§' => 2,
            // Ambiguous letters (Latin with diacritics, Greek) are letters, not marks: the README counts
            // only Chinese characters and the ambiguous marks wide, as terminals set "TNF-α" narrow.
            'ń' | 'é' | 'ü' | 'ó' | 'α' | 'β' | 'γ' | 'μ' => 1,
            // East Asian Width "N": narrow.
            'ö' | 'ś' | 'ż' | '⸺' => 1,
            // Box-drawing characters (tables' rules, frames, the quote's bar): "A", wide.
            '─' | '│' | '┌' | '┐' | '└' | '┘' => 2,
            // Superscripts and subscripts: ¹²³ ⁴ ⁿ ₁₂₃₄ are "A" (wide), the others "N".
            '¹' | '²' | '³' | '⁴' | 'ⁿ' | '₁' | '₂' | '₃' | '₄' => 2,
            '⁰' | '⁵'..='⁹' | '⁺' | '⁻' | '⁼' | '⁽' | '⁾' | 'ⁱ' | '₀' | '₅'..='₎' | 'ₐ'..='ₜ' => {
                1
            }
            _ => panic!(
                "the width oracle does not know {c:?} (U+{code:04X}): add it from EastAsianWidth.txt"
            ),
        },
    }
}

pub fn oracle_columns(text: &str) -> usize {
    text.chars().map(oracle_char_columns).sum()
}

// ---- Texts in reading order ---------------------------------------------------------------------

/// Text reduced to what survives any writer: no white space, ASCII and full-width punctuation folded
/// together, raised and lowered characters as the plain ones (the plain text writes "Aβ₄₂" where the
/// PDF sets a smaller "42"), so that wrapping, the punctuation rules and scripts do not hide a missing
/// or changed word.
pub fn canonical(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(unscripted)
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '？' => '?',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// [`canonical`], the full stop folded too: the punctuation rules set a Chinese sentence's "." as "。"
/// (src/text/punctuation.rs), so a text of the model is found whichever of the two the writer set.
pub fn canonical_stops(text: &str) -> String {
    canonical(text).replace('。', ".")
}

/// The plain character of a Unicode superscript or subscript (digits, signs, the letters that exist).
pub fn unscripted(c: char) -> char {
    const RAISED: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ";
    const LOWERED: &str = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₔₕₖₗₘₙₚₛₜ";
    const RAISED_PLAIN: &str = "0123456789+-=()in";
    const LOWERED_PLAIN: &str = "0123456789+-=()aeoxəhklmnpst";
    for (scripted, plain) in [(RAISED, RAISED_PLAIN), (LOWERED, LOWERED_PLAIN)] {
        if let Some(i) = scripted.chars().position(|s| s == c) {
            return plain.chars().nth(i).unwrap_or(c);
        }
    }
    c
}

/// The fields of a reference in the order GB/T 7714-2015 sets them, straight from the model: the first
/// three authors (family then given), the title, then the container, place, publisher, year, volume,
/// issue and pages as the type orders them, then the URL, DOI, PMID and PMCID.
pub fn reference_fields(r: &Reference) -> Vec<String> {
    let mut out = Vec::new();
    for n in r.author.iter().take(3) {
        out.extend(n.literal.iter().cloned());
        out.extend(n.family.iter().cloned());
        out.extend(n.given.iter().cloned());
    }
    out.push(r.title.clone());
    let year = r
        .issued
        .as_ref()
        .and_then(|d| d.date_parts.first())
        .and_then(|p| p.first())
        .map(|y| y.to_string());
    let journal = matches!(r.kind, ReferenceType::ArticleJournal);
    if journal {
        out.extend(r.container_title.iter().cloned());
        out.extend(year);
        out.extend(r.volume.iter().cloned());
        out.extend(r.issue.iter().cloned());
    } else {
        if matches!(
            r.kind,
            ReferenceType::Chapter | ReferenceType::PaperConference
        ) {
            out.extend(r.container_title.iter().cloned());
        }
        out.extend(r.publisher_place.iter().cloned());
        out.extend(r.publisher.iter().cloned());
        out.extend(year);
    }
    out.extend(r.page.iter().cloned());
    for v in [&r.url, &r.doi, &r.pmid, &r.pmcid] {
        out.extend(v.iter().cloned());
    }
    out
}

/// What a reader must find in an output, in reading order.
#[derive(Debug, Clone)]
pub enum Expected {
    /// A text of the model, with its JSON path.
    Text(String, String),
    /// Reference entry `number` ("[number]" leads it), with the fields it must hold, in order.
    Entry {
        number: usize,
        path: String,
        fields: Vec<String>,
    },
}

/// Where a text of the model stands in an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In reading order with the body.
    Flow,
    /// A note's text: wherever the format puts notes (the page's foot, the end, footnotes.xml), in
    /// the order of the notes.
    Note,
    /// A figure's alt text: shown only by the plain text; the PDF's /Alt and the DOCX's descr hold it.
    Alt,
    /// A table cell: a wrapped cell's lines may come out interleaved with its neighbours' (pdftotext,
    /// a plain-text row of several lines), so a cell is looked for on its own.
    Cell,
}

/// Where the text at a JSON path of the model stands in an output.
pub fn place_of(path: &str) -> Place {
    if path.contains(".note[") {
        Place::Note
    } else if path.ends_with(".figure.alt") {
        Place::Alt
    } else if path.contains(".table.head[") || path.contains(".table.body[") {
        Place::Cell
    } else {
        Place::Flow
    }
}

/// The texts of the model at `place`, in reading order, with their JSON paths.
pub fn texts_at(article: &Article, place: Place) -> Vec<(String, String)> {
    let mut out = Vec::new();
    article.walk(&mut |path, item| {
        if let Item::Text(t) = item
            && place != Place::Flow
            && place_of(path) == place
            && !t.trim().is_empty()
        {
            out.push((path.to_string(), t.to_string()));
        }
    });
    out
}

/// Every text of the model a reader must find in an output, in reading order: the title block, the
/// body, the reference list (each entry as its raw fields), the notices. Notes, alt texts and table
/// cells are looked for apart ([`Place`]).
pub fn texts_to_find(article: &Article) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut notices = Vec::new();
    article.walk(&mut |path, item| {
        if let Item::Text(t) = item {
            let hidden = path.starts_with("references[")
                || (path == "references_title" && article.references.is_empty())
                || path == "meta.short_title"
                || path.ends_with(".link.url")
                || place_of(path) != Place::Flow;
            if hidden || t.trim().is_empty() {
                return;
            }
            let text = Expected::Text(path.to_string(), t.to_string());
            if path.starts_with("disclaimer") || path.starts_with("copyright") {
                notices.push(text);
            } else {
                out.push(text);
            }
        }
    });
    for (n, i) in citation_order(article).into_iter().enumerate() {
        out.push(Expected::Entry {
            number: n + 1,
            path: format!("references[{i}]"),
            fields: reference_fields(&article.references[i]),
        });
    }
    out.extend(notices);
    out
}

/// Asserts that every text of the model at `place` is in `output`, compared canonically: notes and
/// alt texts each after the one before, cells each on its own.
pub fn assert_every_text_at(article: &Article, place: Place, output: &str, what: &str) {
    let haystack = canonical_stops(output);
    let mut cursor = 0;
    for (path, text) in texts_at(article, place) {
        let needle = canonical_stops(&text);
        let from = if place == Place::Cell { 0 } else { cursor };
        match haystack[from..].find(&needle) {
            Some(i) => cursor = from + i + needle.len(),
            None => panic!("{what} lacks {path} ({place:?}): {text:?}"),
        }
    }
}

/// The text of an HTML page as a reader sees it: tags taken out (a table cell, a paragraph, a footnote
/// each end with a line break), the character references read.
pub fn html_text(html: &str) -> String {
    let body = html.find("<body").map_or(html, |i| &html[i..]);
    let mut out = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        if ["/p", "/td", "/th", "br", "/li", "/div", "/h"]
            .iter()
            .any(|t| tag.starts_with(t))
        {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let mut text = String::new();
    let mut rest = out.as_str();
    while let Some(amp) = rest.find('&') {
        text.push_str(&rest[..amp]);
        let entity = rest[amp..].find(';').map(|end| &rest[amp + 1..amp + end]);
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => e
                .strip_prefix("#x")
                .or_else(|| e.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                text.push(c);
                rest = &rest[amp + e.len() + 2..];
            }
            _ => {
                text.push('&');
                rest = &rest[amp + 1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// Every source in source/ (the JSON Schema beside them left out), loaded.
pub fn articles() -> Vec<(PathBuf, Article)> {
    let found = handout::batch::expand_sources(&[root().join("source")]).expect("source/ lists");
    assert!(found.len() >= 2, "source/ holds {found:?}");
    found
        .into_iter()
        .map(|path| {
            let article = handout::load(&path)
                .unwrap_or_else(|e| panic!("{} loads: {e}", path.display()))
                .article;
            (path, article)
        })
        .collect()
}

/// The references in list order, numbered by first citation (uncited ones after, in source order):
/// computed here from the model, not by the writers' numbering.
pub fn citation_order(article: &Article) -> Vec<usize> {
    let mut order = Vec::new();
    article.walk(&mut |_, item| {
        if let Item::Cite(ids) = item {
            for id in ids {
                let i = article.references.iter().position(|r| &r.id == id);
                if let Some(i) = i.filter(|i| !order.contains(i)) {
                    order.push(i);
                }
            }
        }
    });
    for i in 0..article.references.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// The label of a citation as GB/T 7714-2015 §10.1.3 writes it: its numbers sorted, separated by ","
/// with no space, consecutive numbers as a range: "[1]", "[1,3]", "[2-3]", "[2-4]".
pub fn citation_label(article: &Article, ids: &[String]) -> String {
    let order = citation_order(article);
    let mut numbers: Vec<usize> = ids
        .iter()
        .filter_map(|id| article.references.iter().position(|r| &r.id == id))
        .filter_map(|i| order.iter().position(|&o| o == i).map(|n| n + 1))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        if j > i {
            parts.push(format!("{}-{}", numbers[i], numbers[j]));
        } else {
            parts.push(numbers[i].to_string());
        }
        i = j + 1;
    }
    format!("[{}]", parts.join(","))
}

/// Asserts that every text of the article is in `output`, compared canonically, each after the one
/// before it: a text found only out of its place is missing from its place. A reference entry runs
/// from its label "[n]" to the next entry's label (or the notices), and its fields are looked for,
/// in order, there.
pub fn assert_every_text_in(article: &Article, output: &str, what: &str) {
    let haystack = canonical_stops(output);
    let expected = texts_to_find(article);
    let mut cursor = 0;
    let fail = |path: &str, text: &str, from: usize, to: usize| -> ! {
        let elsewhere = if haystack.contains(&canonical_stops(text)) {
            " (it is there, but out of its place)"
        } else {
            ""
        };
        let context: String = haystack[from..to].chars().take(120).collect();
        panic!("{what} lacks {path}: {text:?}{elsewhere}; where it belongs: {context:?}");
    };
    for (k, e) in expected.iter().enumerate() {
        match e {
            Expected::Text(path, text) => {
                let needle = canonical_stops(text);
                match haystack[cursor..].find(&needle) {
                    Some(i) => cursor += i + needle.len(),
                    None => fail(path, text, cursor, haystack.len()),
                }
            }
            Expected::Entry {
                number,
                path,
                fields,
            } => {
                let label = format!("[{number}]");
                let Some(i) = haystack[cursor..].find(&label) else {
                    fail(path, &label, cursor, haystack.len())
                };
                let start = cursor + i + label.len();
                // The entry ends where the next one starts, or where the text after the list does.
                let end = match expected.get(k + 1) {
                    Some(Expected::Entry { number, .. }) => {
                        haystack[start..].find(&format!("[{number}]"))
                    }
                    Some(Expected::Text(_, t)) => haystack[start..].find(&canonical_stops(t)),
                    None => None,
                }
                .map_or(haystack.len(), |j| start + j);
                let mut at = start;
                for field in fields {
                    let needle = canonical_stops(field);
                    match haystack[at..end].find(&needle) {
                        Some(j) => at += j + needle.len(),
                        None => fail(&format!("{path} (entry {label})"), field, start, end),
                    }
                }
                cursor = end;
            }
        }
    }
}

// ---- Reading outputs back -----------------------------------------------------------------------

/// The text of a PDF as lopdf extracts it through the /ToUnicode maps, page by page, without white
/// space, with each page's running header and footer (drawn last on the page) taken off its end. A
/// running title too long for one line is cut to its first line: the header is the longest start
/// of the title the page ends with.
pub fn pdf_text(pdf: &[u8], running_title: &str) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let total = pages.len();
    let title: Vec<char> = canonical(running_title).chars().collect();
    let mut out = String::new();
    for (i, &page) in pages.iter().enumerate() {
        let text = doc.extract_text(&[page]).expect("lopdf extracts the text");
        // A soft hyphen is the hyphen the layout adds where it breaks a word: its replacement text
        // in the PDF is empty (ActualText), which lopdf does not read, so it is dropped here.
        let mut text: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
            .collect();
        let ends_with = |text: &[char], end: &[char]| {
            text.len() >= end.len()
                && canonical(&text[text.len() - end.len()..].iter().collect::<String>())
                    .chars()
                    .eq(end.iter().copied())
        };
        let footer: Vec<char> = format!("第{}页/共{total}页", i + 1).chars().collect();
        assert!(
            ends_with(&text, &footer),
            "page {} does not end with its footer: {:?}",
            i + 1,
            text.iter().rev().take(40).collect::<String>()
        );
        text.truncate(text.len() - footer.len());
        if i > 0 {
            let header = (1..=title.len())
                .rev()
                .find(|&n| ends_with(&text, &title[..n]))
                .unwrap_or_else(|| panic!("page {} has no running header", i + 1));
            text.truncate(text.len() - header);
        }
        out.extend(text);
    }
    out
}

/// The parts of a zip package, by name.
pub fn zip_parts(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("an entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("readable");
            (f.name().expect("a name").to_string(), data)
        })
        .collect()
}

/// The paragraphs of a WordprocessingML part, each the text of its `w:t` elements in order, tabs as
/// tabs.
pub fn docx_paragraphs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .map(|p| {
            p.descendants()
                .filter_map(|n| match n.tag_name().name() {
                    "t" => n.text(),
                    "tab" => Some("\t"),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// The body text of a DOCX, paragraph by paragraph.
pub fn docx_text(docx: &[u8]) -> String {
    let parts = zip_parts(docx);
    let document = std::str::from_utf8(&parts["word/document.xml"]).expect("document.xml is UTF-8");
    docx_paragraphs(document).join("\n")
}

/// The path of a program, or a loud failure naming the package that brings it.
pub fn require(program: &str, package: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success());
    assert!(
        found.unwrap_or(false),
        "{program} is missing: install {package} (.ci/run does)"
    );
}

/// The Info dictionary of a PDF.
pub fn pdf_info(doc: &lopdf::Document) -> &lopdf::Dictionary {
    doc.trailer
        .get(b"Info")
        .and_then(|i| i.as_reference())
        .and_then(|r| doc.get_dictionary(r))
        .expect("an Info dictionary")
}

/// The text of an element of a DOCX's docProps/core.xml, by its local name ("title", "created").
pub fn core_property(core_xml: &str, name: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(core_xml).expect("core.xml");
    doc.descendants()
        .find(|n| n.tag_name().name() == name)
        .and_then(|n| n.text())
        .map(str::to_string)
}
