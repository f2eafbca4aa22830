//! The command line: defaults, outputs, exit codes, and located errors for bad input.

mod common;

use std::path::Path;

use common::*;

const GOOD: &str = r#"{
  "meta": {"title": "测试文章", "author": "作者"},
  "blocks": [
    {"paragraph": ["正文,见", {"cite": ["a"]}]}
  ],
  "references": [{"id": "a", "type": "book", "title": "书名", "publisher": "出版社"}],
  "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
}
"#;

fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), text).expect("write source");
    dir
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Files under `dir`, recursively, other than the source files given.
fn outputs(dir: &Path, sources: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walk(dir) {
        let rel = entry
            .strip_prefix(dir)
            .unwrap_or(&entry)
            .to_string_lossy()
            .into_owned();
        if !sources.contains(&rel.as_str()) {
            found.push(rel);
        }
    }
    found
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p))
        } else {
            files.push(p)
        }
    }
    files
}

#[test]
fn txt_writes_output_stem_txt_by_default() {
    let dir = dir_with("good.json", GOOD);
    let o = handout(dir.path(), &["txt", "good.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text =
        std::fs::read_to_string(dir.path().join("output/good.txt")).expect("output/good.txt");
    assert!(text.contains("正文，见[1]"), "{text}");
}

#[test]
fn dash_o_dash_writes_to_standard_output() {
    let dir = dir_with("good.json", GOOD);
    let o = handout(
        dir.path(),
        &["txt", "good.json", "-o", "-", "--width", "40", "--crlf"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(text.contains("测试文章\r\n"));
    assert_eq!(outputs(dir.path(), &["good.json"]), Vec::<String>::new());
}

#[test]
fn all_writes_every_built_format_for_every_source() {
    let dir = dir_with("one.json", GOOD);
    std::fs::write(dir.path().join("two.json"), GOOD).expect("write");
    let o = handout(
        dir.path(),
        &["all", "one.json", "two.json", "--out-dir", "out"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["one", "two"] {
        for format in handout::Format::ALL {
            let file = dir
                .path()
                .join(format!("out/{stem}.{}", format.extension()));
            assert!(file.is_file(), "{} missing", file.display());
        }
    }
}

#[test]
fn all_defaults_to_the_seed_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("source")).expect("mkdir");
    std::fs::copy(seed_source(), dir.path().join("source/article.json")).expect("copy");
    let o = handout(dir.path(), &["all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("output/article.txt").is_file());
}

/// Each bad source: exit 2, an error naming the place, and no file written.
fn assert_refused(name: &str, text: Option<&str>, expected: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    if let Some(text) = text {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    for args in [vec!["txt", name], vec!["all", name], vec!["check", name]] {
        let o = handout(dir.path(), &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for e in expected {
            assert!(err.contains(e), "{args:?}: expected {e:?} in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        let written: Vec<String> = outputs(dir.path(), &[name])
            .into_iter()
            .filter(|f| !f.ends_with("/"))
            .collect();
        assert!(
            written.iter().all(|f| !f.starts_with("output/")),
            "{args:?} wrote {written:?}"
        );
    }
}

#[test]
fn malformed_json_is_located() {
    assert_refused(
        "bad.json",
        Some("{\n  \"meta\": {\"title\": \"标题\",,}\n}"),
        &["bad.json:2:26: meta: key must be a string"],
    );
}

#[test]
fn a_wrong_type_is_located_with_its_path() {
    let text = GOOD.replace("\"author\": \"作者\"", "\"author\": 42");
    assert_refused(
        "bad.json",
        Some(&text),
        &[
            "bad.json:2:",
            "meta.author: invalid type: integer 42, expected a string",
        ],
    );
}

#[test]
fn an_unknown_field_is_located_with_its_path() {
    let text = GOOD.replace(
        "{\"paragraph\": [\"正文,见\"",
        "{\"paragraf\": [\"正文,见\"",
    );
    assert_refused(
        "bad.json",
        Some(&text),
        &["bad.json:4:", "blocks[0]", "unknown variant \"paragraf\""],
    );
    let text = GOOD.replace("\"title\": \"书名\"", "\"titel\": \"书名\"");
    assert_refused(
        "bad.json",
        Some(&text),
        &[
            "bad.json:6:",
            "references[0].titel: unknown field \"titel\"",
        ],
    );
}

#[test]
fn an_unresolved_citation_is_located() {
    let text = GOOD.replace("{\"cite\": [\"a\"]}", "{\"cite\": [\"b\"]}");
    assert_refused(
        "bad.json",
        Some(&text),
        &[
            "bad.json:4:",
            "blocks[0].paragraph[1].cite[0]: unknown reference id \"b\", expected one of a",
        ],
    );
}

#[test]
fn a_control_character_is_located() {
    let text = GOOD.replace("正文,见", "正文\\u0001见");
    assert_refused(
        "bad.json",
        Some(&text),
        &[
            "bad.json:4:",
            "blocks[0].paragraph[0]: control character U+0001",
        ],
    );
}

#[test]
fn empty_missing_and_directory_sources_are_refused() {
    assert_refused(
        "empty.json",
        Some(""),
        &["empty.json:1:1: the file is empty"],
    );
    assert_refused(
        "missing.json",
        None,
        &["missing.json: cannot read: no such file"],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("folder.json")).expect("mkdir");
    let o = handout(dir.path(), &["txt", "folder.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("folder.json: is a directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn write_failures_exit_1_with_a_message() {
    let dir = dir_with("good.json", GOOD);
    std::fs::create_dir(dir.path().join("taken")).expect("mkdir");
    let o = handout(dir.path(), &["txt", "good.json", "-o", "taken"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("taken: cannot write: is a directory"),
        "{}",
        stderr(&o)
    );
    let o = handout(dir.path(), &["txt", "good.json", "-o", "no/such/dir/x.txt"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    if Path::new("/dev/full").exists() {
        let o = handout(dir.path(), &["txt", "good.json", "-o", "/dev/full"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("/dev/full: cannot write"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn a_failed_write_keeps_the_previous_file_and_leaves_no_temporary() {
    let dir = dir_with("good.json", GOOD);
    let o = handout(dir.path(), &["txt", "good.json", "-o", "out.txt"]);
    assert!(o.status.success());
    let before = std::fs::read(dir.path().join("out.txt")).expect("out.txt");
    std::fs::write(dir.path().join("good.json"), "{").expect("break the source");
    let o = handout(dir.path(), &["txt", "good.json", "-o", "out.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(dir.path().join("out.txt")).expect("out.txt"),
        before
    );
    assert_eq!(
        outputs(dir.path(), &["good.json", "out.txt"]),
        Vec::<String>::new()
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = dir_with("good.json", GOOD);
    for args in [
        vec!["txt", "good.json", "--width", "5"],
        vec!["frobnicate"],
        vec![],
    ] {
        let o = handout(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn check_passes_the_seed_and_names_characters_the_fonts_lack() {
    let o = handout(&root(), &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("source/article.json: ok"));

    let text = GOOD.replace("正文,见", "正文😀见");
    let dir = dir_with("emoji.json", &text);
    let fonts = root().join("fonts");
    let o = handout(
        dir.path(),
        &[
            "check",
            "emoji.json",
            "--fonts",
            fonts.to_str().expect("UTF-8 path"),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("emoji.json:4:23: blocks[0].paragraph[0]: character '😀' (U+1F600) is not in"),
        "{err}"
    );
}

#[test]
fn missing_fonts_are_a_clear_error() {
    let dir = dir_with("good.json", GOOD);
    let o = handout(dir.path(), &["check", "good.json", "--fonts", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("fonts not found: expected NotoSerifSC-Regular.ttf"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn all_takes_every_json_of_a_folder_but_schemas() {
    let dir = dir_with("a.json", GOOD);
    std::fs::write(dir.path().join("b.json"), GOOD).expect("write");
    std::fs::write(dir.path().join("schema.json"), "{}").expect("write");
    std::fs::write(dir.path().join("notes.txt"), "x").expect("write");
    let o = handout(dir.path(), &["all", ".", "--out-dir", "out", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).is_empty(),
        "--quiet says nothing: {}",
        stderr(&o)
    );
    assert!(dir.path().join("out/a.txt").is_file() && dir.path().join("out/b.txt").is_file());
    assert!(!dir.path().join("out/schema.txt").exists());
}

#[test]
fn one_bad_source_does_not_stop_the_others() {
    let dir = dir_with("a.json", GOOD);
    std::fs::write(
        dir.path().join("b.json"),
        GOOD.replace("\"author\": \"作者\"", "\"author\": 1"),
    )
    .expect("write");
    std::fs::write(dir.path().join("c.json"), GOOD).expect("write");
    let o = handout(
        dir.path(),
        &["all", "a.json", "b.json", "c.json", "--out-dir", "out"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "some written, one failed: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("b.json:2:"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 source(s)") && stderr(&o).contains("1 failed"),
        "{}",
        stderr(&o)
    );
    assert!(dir.path().join("out/a.txt").is_file() && dir.path().join("out/c.txt").is_file());
    assert!(!dir.path().join("out/b.txt").exists());
}

#[test]
fn a_batch_gives_the_same_bytes_on_one_thread_or_many() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..6 {
        std::fs::copy(seed_source(), dir.path().join(format!("a{i}.json"))).expect("copy");
    }
    let mut runs = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("out{threads}");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(["all", ".", "--out-dir", &out, "--quiet"])
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", stderr(&o));
        let mut files: Vec<(String, Vec<u8>)> = walk(&dir.path().join(&out))
            .into_iter()
            .map(|p| {
                (
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    std::fs::read(&p).expect("read"),
                )
            })
            .collect();
        files.sort();
        runs.push(files);
    }
    assert_eq!(runs[0].len(), 6 * handout::Format::ALL.len());
    assert!(runs[0] == runs[1], "1-thread and 2-thread batches differ");
}

#[test]
fn a_run_killed_mid_write_leaves_the_old_file_and_no_temporary() {
    let dir = dir_with("big.json", GOOD);
    let o = handout(
        dir.path(),
        &["all", "big.json", "--out-dir", "out", "--quiet"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let built = handout::Format::ALL;
    let read_all = || -> Vec<Vec<u8>> {
        built
            .iter()
            .map(|f| {
                std::fs::read(dir.path().join(format!("out/big.{}", f.extension()))).expect("read")
            })
            .collect()
    };
    let old = read_all();
    // A source large enough that writing it takes a while, then its complete outputs for reference.
    let paragraphs: Vec<String> = (0..20_000)
        .map(|i| format!("{{\"paragraph\": [\"第{i}段，干细胞治疗渐冻症的临床数据全解析。\"]}}"))
        .collect();
    let big = GOOD.replace(
        "{\"paragraph\": [\"正文,见\", {\"cite\": [\"a\"]}]}",
        &paragraphs.join(",\n"),
    );
    std::fs::write(dir.path().join("big.json"), &big).expect("write");
    let reference = tempfile::tempdir().expect("temp dir");
    std::fs::write(reference.path().join("big.json"), &big).expect("write");
    assert!(
        handout(
            reference.path(),
            &["all", "big.json", "--out-dir", "out", "--quiet"]
        )
        .status
        .success()
    );
    let new: Vec<Vec<u8>> = built
        .iter()
        .map(|f| {
            std::fs::read(reference.path().join(format!("out/big.{}", f.extension())))
                .expect("read")
        })
        .collect();

    for delay_ms in [5, 20, 60, 150] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(["all", "big.json", "--out-dir", "out", "--quiet"])
            .current_dir(dir.path())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no handler runs
        let _ = child.wait();
        for (i, now) in read_all().into_iter().enumerate() {
            assert!(
                now == old[i] || now == new[i],
                "after {delay_ms} ms: {:?} output is neither old nor new",
                built[i]
            );
        }
        let names: Vec<String> = walk(&dir.path().join("out"))
            .into_iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        assert!(
            names.iter().all(|n| !n.ends_with(".tmp")),
            "after {delay_ms} ms: temporary left: {names:?}"
        );
    }
}

#[test]
fn dates_come_from_source_date_epoch_or_the_article_never_the_clock() {
    let dir = dir_with("good.json", GOOD);
    let run_with = |epoch: Option<&str>, out: &str| -> Vec<u8> {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_handout"));
        cmd.args(["pdf", "good.json", "-o", out])
            .current_dir(dir.path())
            .env_remove("SOURCE_DATE_EPOCH");
        if let Some(e) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", e);
        }
        let o = cmd.output().expect("runs");
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read(dir.path().join(out)).expect("read")
    };
    let a = run_with(Some("1700000000"), "a.pdf");
    let b = run_with(Some("1700000000"), "b.pdf");
    assert_eq!(a, b, "same epoch, same bytes");
    let creation = |pdf: &[u8]| -> Option<String> {
        let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
        let info = doc.trailer.get(b"Info").ok()?.as_reference().ok()?;
        let date = doc
            .get_dictionary(info)
            .ok()?
            .get(b"CreationDate")
            .ok()?
            .as_str()
            .ok()?
            .to_vec();
        Some(String::from_utf8_lossy(&date).into_owned())
    };
    assert_eq!(
        creation(&a).as_deref(),
        Some("D:20231114000000Z"),
        "the epoch's day is the creation date"
    );
    let c = run_with(None, "c.pdf");
    assert_eq!(
        creation(&c),
        None,
        "no date in the article and no epoch: no date at all"
    );
}

#[test]
fn a_batch_writes_what_single_commands_write() {
    let dir = dir_with("good.json", GOOD);
    let o = handout(
        dir.path(),
        &["all", "good.json", "--out-dir", "batch", "--quiet"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for format in handout::Format::ALL {
        let single = format!("single.{}", format.extension());
        let o = handout(
            dir.path(),
            &[format.extension(), "good.json", "-o", &single],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let batch = std::fs::read(
            dir.path()
                .join(format!("batch/good.{}", format.extension())),
        )
        .expect("batch output");
        assert!(
            batch == std::fs::read(dir.path().join(&single)).expect("single output"),
            "{format:?} differs"
        );
    }
}
