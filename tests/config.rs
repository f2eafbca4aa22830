//! `handout.toml` end to end, through the built binary: every problem in it is placed at its line and
//! column (read off the case's text, where « marks it), exits 2 and writes nothing; the options each
//! command shows; which file applies (`--config`, beside the source, the current folder) and what
//! wins (the command line over the file).

mod common;

use std::path::Path;

use common::*;

/// Marks, in a case's TOML, the character the error must point at (removed from the file).
const MARK: char = '«';

/// The TOML without its mark, and the 1-based line and column of the mark.
fn unmark(marked: &str) -> (String, (usize, usize)) {
    let at = marked
        .find(MARK)
        .unwrap_or_else(|| panic!("no « in {marked:?}"));
    let before = &marked[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (marked.replace(MARK, ""), (line, column))
}

/// A folder with the article as `a.json` and the given files beside it.
fn folder_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.json"), GOOD).expect("write the article");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    dir
}

/// Every file under `dir`, relative to it.
fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(
                path.strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string(),
            );
        }
    }
    out.sort();
    out
}

struct BadConfig {
    what: &'static str,
    /// The file, with « where the error must point.
    toml: &'static str,
    /// Files beside it.
    beside: &'static [(&'static str, &'static [u8])],
    /// Words the message must hold.
    message: &'static [&'static str],
}

const BAD_CONFIGS: &[BadConfig] = &[
    BadConfig {
        what: "an unknown key",
        toml: "paper = \"a4\"\ncolour = «\"#1F4E79\"\n",
        beside: &[],
        message: &[
            "colour: unknown field \"colour\"",
            "expected one of",
            "\"link_colour\"",
        ],
    },
    BadConfig {
        what: "an unknown key in a table",
        toml: "[margins]\ntop = \"2cm\"\ninner = «30\n",
        beside: &[],
        message: &["margins.inner: unknown field \"inner\"", "\"left\""],
    },
    BadConfig {
        what: "a value of the wrong type",
        toml: "# house style\nbody_size = «\"big\"\n",
        beside: &[],
        message: &["body_size: invalid type: string \"big\", expected a number"],
    },
    BadConfig {
        what: "a size out of range",
        toml: "line_height = «0.5\n",
        beside: &[],
        message: &["line_height", "expected 1 to 3"],
    },
    BadConfig {
        what: "a font file that does not exist",
        toml: "[fonts]\nbody = «\"fonts/missing.ttf\"\n",
        beside: &[],
        message: &["fonts.body: font file \"fonts/missing.ttf\" not found"],
    },
    BadConfig {
        what: "a font file that is not a font",
        toml: "[fonts]\nheading = «\"x.ttf\"\n",
        beside: &[("x.ttf", b"this is not a font\n")],
        message: &[
            "fonts.heading: font file \"x.ttf\"",
            "not a usable TrueType font",
        ],
    },
    BadConfig {
        what: "a logo that is not an image",
        toml: "[header]\ntext = \"某某科普小组\"\nlogo = «\"logo.png\"\n",
        beside: &[("logo.png", b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")],
        message: &["header.logo: logo \"logo.png\" is neither PNG nor JPEG"],
    },
    BadConfig {
        what: "a paper that does not exist",
        toml: "paper = «\"a3\"\n",
        beside: &[],
        message: &["paper: unknown paper \"a3\", expected one of a4, a5, b5, letter"],
    },
    BadConfig {
        what: "a footer placeholder that does not exist",
        toml: "paper = \"a5\"\nfooter = «\"第 {page} 页 / 共 {total} 页\"\n",
        beside: &[],
        message: &[
            "footer: unknown placeholder at \"{total} 页\"",
            "expected {page} or {pages}",
        ],
    },
    BadConfig {
        what: "a colour that is not #RRGGBB",
        toml: "link_colour = «\"blue\"\n",
        beside: &[],
        message: &["link_colour: \"blue\" is not a colour, expected \"#RRGGBB\""],
    },
    BadConfig {
        what: "margins that leave no text block",
        toml: "[margins]\nleft = «\"8cm\"\nright = \"8cm\"\n",
        beside: &[],
        message: &["margins.left", "expected at least 15 body ems"],
    },
    BadConfig {
        what: "a notice without its text",
        toml: "«[copyright]\nlabel = \"版权说明\"\n[disclaimer]\nlabel = \"免责说明\"\ntext = \"仅供参考。\"\n",
        beside: &[],
        message: &["missing field \"text\""],
    },
];

#[test]
fn every_problem_in_the_file_is_placed_exits_2_and_writes_nothing() {
    for case in BAD_CONFIGS {
        let (text, (line, column)) = unmark(case.toml);
        let mut files: Vec<(&str, &[u8])> = vec![("handout.toml", text.as_bytes())];
        files.extend(case.beside.iter().copied());
        let dir = folder_with(&files);
        let before = files_in(dir.path());
        let place = format!("handout.toml:{line}:{column}: ");
        for args in [
            &["pdf", "a.json"][..],
            &["txt", "a.json"],
            &["docx", "a.json", "-o", "a.docx"],
            &["all", "a.json", "--out-dir", "out"],
            &["check", "a.json"],
        ] {
            let o = handout(dir.path(), args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{}: {args:?}: {err}", case.what);
            let line = err
                .lines()
                .find(|l| l.contains("handout.toml"))
                .unwrap_or_else(|| panic!("{}: {args:?}: no handout.toml in {err}", case.what));
            assert!(
                line.starts_with(&format!("handout: {place}")),
                "{}: {args:?}: expected {place}: {err}",
                case.what
            );
            for words in case.message {
                assert!(
                    line.contains(words),
                    "{}: {args:?}: no {words:?} in {err}",
                    case.what
                );
            }
            assert_eq!(err.lines().count(), 1, "{}: {args:?}: {err}", case.what);
            assert!(o.stdout.is_empty() || args[0] == "check", "{}", case.what);
            assert_eq!(
                files_in(dir.path()),
                before,
                "{}: {args:?} wrote",
                case.what
            );
        }
    }
}

#[test]
fn a_toml_syntax_error_is_placed_too() {
    let dir = folder_with(&[("handout.toml", b"paper = \"a5\"\nbody_size = \n")]);
    let o = handout(dir.path(), &["txt", "a.json", "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("handout: handout.toml:2:"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn a_config_named_on_the_command_line_must_exist() {
    let dir = folder_with(&[]);
    let o = handout(dir.path(), &["txt", "a.json", "--config", "team.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("team.toml: cannot read the configuration"),
        "{err}"
    );
    assert_eq!(files_in(dir.path()), vec!["a.json"]);
}

/// The keys of `--help`: the options a command shows.
fn help(command: &str) -> String {
    let o = handout(&root(), &[command, "--help"]);
    assert!(o.status.success(), "{command} --help: {}", stderr(&o));
    String::from_utf8(o.stdout).expect("UTF-8")
}

#[test]
fn each_command_shows_only_its_own_options() {
    let txt = help("txt");
    let pdf = help("pdf");
    let docx = help("docx");
    let all = help("all");
    let check = help("check");
    for option in ["--width", "--crlf"] {
        assert!(txt.contains(option) && all.contains(option), "{option}");
        assert!(!pdf.contains(option), "pdf shows {option}: {pdf}");
        assert!(!docx.contains(option), "docx shows {option}");
        assert!(!check.contains(option), "check shows {option}");
    }
    for option in ["--paper", "--links"] {
        assert!(pdf.contains(option) && docx.contains(option) && all.contains(option));
        assert!(!txt.contains(option), "txt shows {option}: {txt}");
    }
    for option in ["--notes", "--qr"] {
        assert!(pdf.contains(option) && all.contains(option));
        assert!(!txt.contains(option) && !docx.contains(option), "{option}");
    }
    for option in ["--keep-punctuation", "--ref-names"] {
        assert!(txt.contains(option) && pdf.contains(option) && docx.contains(option));
        assert!(!check.contains(option), "check shows {option}");
    }
    for text in [&txt, &pdf, &docx, &all, &check] {
        for option in ["--config", "--fonts", "--max-input"] {
            assert!(text.contains(option), "{option}");
        }
    }
    for heading in ["Plain text:", "PDF:", "PDF and Word:", "Input:"] {
        assert!(all.contains(heading), "{heading}: {all}");
    }
    let o = handout(&root(), &["pdf", "--width", "80", "-o", "-"]);
    assert_eq!(o.status.code(), Some(2), "pdf takes no --width");
}

#[test]
fn the_committed_schema_is_the_program_s() {
    let o = handout(&root(), &["schema", "--config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let committed = std::fs::read(root().join("handout.schema.json")).expect("handout.schema.json");
    assert!(
        o.stdout == committed,
        "handout.schema.json is stale: run `handout schema --config -o handout.schema.json`"
    );
}

/// Width and height of the first page of a PDF, in points.
fn page_size(pdf: &[u8]) -> (f32, f32) {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF");
    let (_, &first) = doc.get_pages().iter().next().expect("a page");
    let page = doc.get_dictionary(first).expect("the page");
    let media = page
        .get(b"MediaBox")
        .and_then(lopdf::Object::as_array)
        .expect("a MediaBox");
    let n = |o: &lopdf::Object| o.as_float().or_else(|_| o.as_i64().map(|i| i as f32));
    (
        n(&media[2]).expect("a width"),
        n(&media[3]).expect("a height"),
    )
}

fn pdf_of(dir: &Path, args: &[&str]) -> (f32, f32) {
    let o = handout(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    page_size(&o.stdout)
}

const A5: (f32, f32) = (419.53, 595.28);
const LETTER: (f32, f32) = (612.0, 792.0);
const A4: (f32, f32) = (595.28, 841.89);

fn close(a: (f32, f32), b: (f32, f32)) -> bool {
    (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01
}

#[test]
fn the_command_line_paper_wins_over_the_file_s() {
    let dir = folder_with(&[("handout.toml", b"paper = \"a5\"\n")]);
    let from_file = pdf_of(dir.path(), &["pdf", "a.json", "-o", "-"]);
    assert!(close(from_file, A5), "{from_file:?}");
    let from_flag = pdf_of(
        dir.path(),
        &["pdf", "a.json", "-o", "-", "--paper", "letter"],
    );
    assert!(close(from_flag, LETTER), "{from_flag:?}");
    let o = handout(
        dir.path(),
        &["pdf", "a.json", "-o", "-", "--paper", "letter"],
    );
    let pdf = lopdf::Document::load_mem(&o.stdout).expect("a PDF");
    assert!(!pdf.get_pages().is_empty());
    // No file at all: A4.
    let plain = folder_with(&[]);
    assert!(close(
        pdf_of(plain.path(), &["pdf", "a.json", "-o", "-"]),
        A4
    ));
}

#[test]
fn the_config_beside_the_source_beats_the_one_in_the_current_folder() {
    let dir = folder_with(&[("handout.toml", b"paper = \"letter\"\n")]);
    let sub = dir.path().join("articles");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::write(sub.join("b.json"), GOOD).expect("write");
    // Beside the source: its own file.
    std::fs::write(sub.join("handout.toml"), "paper = \"a5\"\n").expect("write");
    let size = pdf_of(dir.path(), &["pdf", "articles/b.json", "-o", "-"]);
    assert!(close(size, A5), "{size:?}");
    // None beside it: the current folder's.
    std::fs::remove_file(sub.join("handout.toml")).expect("rm");
    let size = pdf_of(dir.path(), &["pdf", "articles/b.json", "-o", "-"]);
    assert!(close(size, LETTER), "{size:?}");
    // --config beats both.
    std::fs::write(sub.join("handout.toml"), "paper = \"a5\"\n").expect("write");
    std::fs::write(dir.path().join("b5.toml"), "paper = \"b5\"\n").expect("write");
    let size = pdf_of(
        dir.path(),
        &["pdf", "articles/b.json", "-o", "-", "--config", "b5.toml"],
    );
    assert!(close(size, (498.9, 708.66)), "{size:?}");
}

#[test]
fn a_broken_config_in_the_current_folder_is_not_read_when_one_is_beside_the_source() {
    let dir = folder_with(&[("handout.toml", b"paper = \"a3\"\n")]);
    let sub = dir.path().join("articles");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::write(sub.join("b.json"), GOOD).expect("write");
    std::fs::write(sub.join("handout.toml"), "footer = \"{page}\"\n").expect("write");
    let o = handout(dir.path(), &["txt", "articles/b.json", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The article in the current folder takes the current folder's, and fails on it.
    let o = handout(dir.path(), &["txt", "a.json", "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("handout.toml:1:9: paper"),
        "{}",
        stderr(&o)
    );
    // Standard input takes the current folder's.
    let o = handout_command(dir.path())
        .args(["txt", "-", "-o", "-"])
        .stdin(std::fs::File::open(dir.path().join("a.json")).expect("open"))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("handout.toml:1:9"), "{}", stderr(&o));
}

#[test]
fn a_batch_gives_each_source_its_own_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (folder, toml) in [("a5", Some("paper = \"a5\"\n")), ("plain", None)] {
        let sub = dir.path().join(folder);
        std::fs::create_dir(&sub).expect("mkdir");
        std::fs::write(sub.join(format!("{folder}-1.json")), GOOD).expect("write");
        std::fs::write(sub.join(format!("{folder}-2.json")), GOOD).expect("write");
        if let Some(t) = toml {
            std::fs::write(sub.join("handout.toml"), t).expect("write");
        }
    }
    let o = handout(
        dir.path(),
        &["all", "a5", "plain", "--out-dir", "out", "-q"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for (name, size) in [("a5-1", A5), ("a5-2", A5), ("plain-1", A4), ("plain-2", A4)] {
        let pdf = std::fs::read(dir.path().join(format!("out/{name}.pdf"))).expect("the PDF");
        assert!(
            close(page_size(&pdf), size),
            "{name}: {:?}",
            page_size(&pdf)
        );
    }
    // --paper wins over every file of the batch.
    let o = handout(
        dir.path(),
        &[
            "all",
            "a5",
            "plain",
            "--out-dir",
            "letter",
            "-q",
            "--paper",
            "letter",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["a5-1", "plain-2"] {
        let pdf = std::fs::read(dir.path().join(format!("letter/{name}.pdf"))).expect("the PDF");
        assert!(close(page_size(&pdf), LETTER), "{name}");
    }
    // One broken file stops the whole batch before anything is written, said once.
    std::fs::write(dir.path().join("plain/handout.toml"), "body_size = 40\n").expect("write");
    let o = handout(dir.path(), &["all", "a5", "plain", "--out-dir", "broken"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("plain/handout.toml:1:13: body_size"), "{err}");
    assert!(!dir.path().join("broken").exists());
    // `check` says so too, and still checks the sources whose file is sound.
    let o = handout(dir.path(), &["check", "a5", "plain"]);
    assert_eq!(o.status.code(), Some(2));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("a5/a5-1.json: ok") && said.contains("a5/a5-2.json: ok"),
        "{said}"
    );
    assert!(!said.contains("plain-1"), "{said}");
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
}

#[test]
fn a_config_that_fits_its_paper_may_not_fit_the_command_line_s() {
    let dir = folder_with(&[(
        "handout.toml",
        b"[margins]\nleft = \"5cm\"\nright = \"5cm\"\n",
    )]);
    let o = handout(dir.path(), &["pdf", "a.json", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = handout(dir.path(), &["pdf", "a.json", "-o", "-", "--paper", "a5"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("handout.toml:2:8: margins.left"), "{err}");
    assert!(err.contains("on a5 paper (--paper)"), "{err}");
    assert!(o.stdout.is_empty());
}
