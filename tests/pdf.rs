//! The PDF handout, end to end: reproducible bytes, and (with poppler-utils and qpdf installed) a file
//! that qpdf accepts, with every font embedded and subset with a /ToUnicode map, and every paragraph's
//! text given back by pdftotext.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{assert_every_text_in, canonical};
use handout::model::{Article, Block, Inline};
use handout::runs;
use handout::{Format, Options};

fn seed() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    handout::source::load(&path).expect("the seed article loads")
}

fn render(article: &Article) -> Vec<u8> {
    handout::render(article, Format::Pdf, &Options::default()).expect("the PDF renders")
}

/// The seed rendered into a temporary folder.
fn rendered() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("article.pdf");
    std::fs::write(&file, render(&seed())).expect("the PDF is written");
    (dir, file)
}

/// Runs a tool, failing loudly when it is not installed.
fn run(tool: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} cannot run ({e}): install poppler-utils and qpdf (apt-get install -y poppler-utils qpdf)")
    });
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn two_renders_give_identical_bytes() {
    let article = seed();
    let one = render(&article);
    let two = render(&article);
    assert!(one.starts_with(b"%PDF-"));
    assert!(one == two, "two renders of one article differ");
}

#[test]
fn a_character_no_font_has_is_refused() {
    let mut article = seed();
    article
        .blocks
        .push(Block::Paragraph(vec![Inline::Text("𓀀".into())]));
    let err = handout::render(&article, Format::Pdf, &Options::default())
        .expect_err("a missing glyph is an error");
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("U+13000"), "{err}");
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn qpdf_finds_no_error() {
    let (_dir, file) = rendered();
    let (ok, out) = run("qpdf", &["--check", &file.to_string_lossy()]);
    assert!(ok, "qpdf --check failed:\n{out}");
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn every_font_is_embedded_subset_and_mapped_to_unicode() {
    let (_dir, file) = rendered();
    let (ok, out) = run("pdffonts", &[&file.to_string_lossy()]);
    assert!(ok, "pdffonts failed:\n{out}");
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (two words), encoding, emb, sub, uni, object, generation
        let n = cols.len();
        assert!(n >= 8, "{row}");
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
        assert!(
            cols[0].chars().nth(6) == Some('+'),
            "not a subset name: {row}"
        );
    }
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn pdftotext_gives_back_every_paragraph() {
    let (_dir, file) = rendered();
    let (ok, out) = run(
        "pdftotext",
        &["-enc", "UTF-8", &file.to_string_lossy(), "-"],
    );
    assert!(ok, "pdftotext failed:\n{out}");
    let article = seed();
    // Page furniture (header, footer) can fall inside a paragraph that crosses a page: drop it.
    let running = canonical(&runs::plain(article.meta.running_title(), false));
    let lines: Vec<String> = out
        .lines()
        .map(canonical)
        .filter(|l| *l != running && !(l.starts_with('第') && l.contains("页/共")))
        .collect();
    let text = lines.concat();

    assert_every_text_in(&article, &text, "pdftotext");
}

#[test]
#[ignore = "needs poppler-utils"]
fn extracted_lines_keep_the_line_breaking_rules() {
    use handout::text::breaking::{no_line_end, no_line_start};
    let (_dir, pdf) = rendered();
    let (ok, text) = run("pdftotext", &[pdf.to_str().expect("UTF-8 path"), "-"]);
    assert!(ok, "pdftotext failed: {text}");
    let mut lines = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        assert!(
            !line.starts_with(no_line_start),
            "a line starts with a closing mark: {line:?}"
        );
        assert!(
            !line.ends_with(no_line_end),
            "a line ends with an opening mark: {line:?}"
        );
    }
    assert!(lines > 150, "only {lines} lines extracted");
}

#[test]
#[ignore = "needs poppler-utils"]
fn no_line_runs_past_the_right_edge() {
    let (_dir, pdf) = rendered();
    let (ok, html) = run(
        "pdftotext",
        &["-bbox", pdf.to_str().expect("UTF-8 path"), "-"],
    );
    assert!(ok, "pdftotext failed: {html}");
    // A full-width closing mark may hang by half its em (10.5 pt body: 5.25 pt) past the edge.
    let limit = handout::layout::TEXT_RIGHT + 5.25 + 0.01;
    let mut words = 0;
    for part in html.split("<word ").skip(1) {
        let x_max: f32 = part
            .split("xMax=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("xMax of a word");
        let word = part
            .split('>')
            .nth(1)
            .unwrap_or("")
            .trim_end_matches("</word");
        assert!(
            x_max <= limit,
            "{word:?} ends at {x_max} pt, past the text block ({limit} pt)"
        );
        assert!(
            x_max > handout::layout::TEXT_LEFT,
            "{word:?} outside the text block"
        );
        words += 1;
    }
    assert!(words > 150, "only {words} words extracted");
}

#[test]
#[ignore = "needs mupdf-tools and poppler-utils"]
fn mutool_draws_every_page_without_a_warning() {
    let (dir, pdf) = rendered();
    let pattern = dir.path().join("page-%d.png");
    let (ok, out) = run(
        "mutool",
        &[
            "draw",
            "-q",
            "-r",
            "36",
            "-o",
            pattern.to_str().expect("UTF-8 path"),
            pdf.to_str().expect("UTF-8 path"),
        ],
    );
    assert!(ok, "mutool draw failed: {out}");
    // Debian's mutool is built without colour management and says so for every file it draws.
    let complaints: Vec<&str> = out
        .lines()
        .filter(|l| !l.trim().is_empty() && *l != "warning: ICC support is not available")
        .collect();
    assert!(complaints.is_empty(), "mutool draw: {complaints:?}");
    let pages = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .count();
    assert_eq!(pages, 6, "pages drawn");
}
