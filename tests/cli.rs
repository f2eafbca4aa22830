//! The command line: defaults, outputs, exit codes, and located errors for bad input.

mod common;

use std::path::{Path, PathBuf};

use common::bad_sources;
use common::*;

fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), text).expect("write source");
    dir
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

/// `all` with no argument builds every article in source/, the second one and its figures included,
/// takes the JSON Schemas beside them for no article, and writes an article given both as JSON and
/// as Markdown (the same model) once.
#[test]
fn all_defaults_to_every_article_in_the_source_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("source");
    std::fs::create_dir_all(source.join("figures")).expect("mkdir");
    for name in [
        "article.json",
        "article.md",
        "alzheimer-blood-test.json",
        "alzheimer-blood-test.md",
        "alzheimer-blood-test.bib",
        "schema.json",
        "front-matter.schema.json",
    ] {
        std::fs::copy(root().join("source").join(name), source.join(name)).expect("copy");
    }
    for name in ["accuracy-chart.png", "blood-tubes.jpg"] {
        let figure = format!("source/figures/{name}");
        std::fs::copy(root().join(&figure), dir.path().join(&figure)).expect("copy");
    }
    let o = handout(dir.path(), &["all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["article", "alzheimer-blood-test"] {
        for format in handout::Format::ALL {
            let file = format!("output/{stem}.{}", format.extension());
            assert!(dir.path().join(&file).is_file(), "{file} missing");
        }
    }
    let written: Vec<String> = std::fs::read_dir(dir.path().join("output"))
        .expect("output/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 6, "{written:?}");
    assert!(
        stderr(&o).contains("2 source(s), 6 file(s)"),
        "{}",
        stderr(&o)
    );
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
}

/// /dev/full takes no byte (ENOSPC): each command that writes a file exits 1 and names it, whether
/// /dev/full is the target itself or what a link in the output folder points to.
#[test]
fn a_full_device_is_a_failed_write_in_every_command() {
    assert!(Path::new("/dev/full").exists(), "this test needs /dev/full");
    let dir = dir_with("good.json", GOOD);
    for format in ["txt", "pdf", "docx"] {
        let o = handout(dir.path(), &[format, "good.json", "-o", "/dev/full"]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("/dev/full: cannot write"),
            "{format}: {}",
            stderr(&o)
        );
    }
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    std::os::unix::fs::symlink("/dev/full", dir.path().join("out/good.pdf")).expect("symlink");
    let o = handout(dir.path(), &["all", "good.json", "--out-dir", "out"]);
    assert_eq!(o.status.code(), Some(1), "all: {}", stderr(&o));
    assert!(
        stderr(&o).contains("out/good.pdf: cannot write"),
        "all: {}",
        stderr(&o)
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
    let said = String::from_utf8_lossy(&o.stdout);
    for article in [
        "source/article.json",
        "source/article.md",
        "source/alzheimer-blood-test.json",
        "source/alzheimer-blood-test.md",
    ] {
        assert!(said.contains(&format!("{article}: ok")), "{said}");
    }
    assert!(!said.contains("schema.json"), "{said}");

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
fn a_batch_writes_what_one_source_at_a_time_writes() {
    // A batch of three sources, and `all` over each alone: the same bytes (one source's formats share
    // their font subsets either way).
    let dir = dir_with("a.json", GOOD);
    for (name, title) in [("b.json", "第二篇"), ("c.json", "第三篇")] {
        std::fs::write(dir.path().join(name), GOOD.replace("测试文章", title)).expect("write");
    }
    let o = handout(
        dir.path(),
        &[
            "all",
            "a.json",
            "b.json",
            "c.json",
            "--out-dir",
            "batch",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["a", "b", "c"] {
        let alone = format!("alone-{stem}");
        let o = handout(
            dir.path(),
            &["all", &format!("{stem}.json"), "--out-dir", &alone, "-q"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        for format in handout::Format::ALL {
            let file = format!("{stem}.{}", format.extension());
            let batch = std::fs::read(dir.path().join("batch").join(&file)).expect("batch output");
            let one = std::fs::read(dir.path().join(&alone).join(&file)).expect("output");
            assert!(batch == one, "{file} differs");
        }
    }
    // A format written alone subsets the fonts for itself only; the plain text has no font at all, so
    // it is the same bytes whichever command writes it.
    let o = handout(dir.path(), &["txt", "a.json", "-o", "single.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("single.txt")).expect("single"),
        std::fs::read(dir.path().join("batch/a.txt")).expect("batch")
    );
}

// ---- Writes that fail, runs that are killed ----------------------------------------------------

/// The names of the files in `dir` (not recursive).
fn names_in(dir: &Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("list the folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Runs `handout args` in `dir` with the file size limit (RLIMIT_FSIZE) at a few kilobytes and SIGXFSZ
/// ignored, so that writing a file past the limit fails in the write itself, with EFBIG.
fn handout_with_a_small_file_size_limit(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8 || exit 99; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_handout"))
        .args(args)
        .current_dir(dir)
        .env_remove("HANDOUT_FONTS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("sh runs")
}

/// The write itself fails (the file size limit stops it part-way through the bytes): exit 1, the
/// reason given, the previous file byte for byte, and nothing else left in the folder.
#[test]
fn a_failed_write_keeps_the_previous_file_and_leaves_no_temporary() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("small.json"), GOOD).expect("write");
    // The seed's handouts (16 KB of text, 240 KB of PDF and DOCX) are all past the limit.
    std::fs::copy(seed_source(), dir.path().join("big.json")).expect("copy");
    let runs: [(&[&str], &str); 4] = [
        (&["txt", "big.json", "-o", "out/kept.txt"], "out/kept.txt"),
        (&["pdf", "big.json", "-o", "out/kept.pdf"], "out/kept.pdf"),
        (
            &["docx", "big.json", "-o", "out/kept.docx"],
            "out/kept.docx",
        ),
        (&["all", "big.json", "--out-dir", "out"], "out/big.pdf"),
    ];
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    for (args, target) in runs {
        // The previous file: the small article's handout, written without a limit.
        let ext = target.rsplit('.').next().expect("an extension");
        let o = handout(dir.path(), &[ext, "small.json", "-o", target]);
        assert!(o.status.success(), "{}", stderr(&o));
        let before = std::fs::read(dir.path().join(target)).expect("the previous file");
        let files_before = names_in(&dir.path().join("out"));

        let o = handout_with_a_small_file_size_limit(dir.path(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{target}: cannot write"))
                && stderr(&o).contains("File too large"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(
            std::fs::read(dir.path().join(target)).expect("the file is still there") == before,
            "{args:?}: {target} is not the previous file"
        );
        assert_eq!(
            names_in(&dir.path().join("out")),
            files_before,
            "{args:?} left a file behind"
        );
    }
}

/// Whether an output is complete, judged without the binary that wrote it: a PDF lopdf reads whole
/// (it ends with %%EOF), a DOCX whose every part unzips with its CRC, a plain text that is the
/// library's own rendering of `source`.
fn is_whole(name: &str, bytes: &[u8], source: &Path) -> bool {
    if name.ends_with(".pdf") {
        bytes.trim_ascii_end().ends_with(b"%%EOF") && lopdf::Document::load_mem(bytes).is_ok()
    } else if name.ends_with(".docx") {
        std::panic::catch_unwind(|| zip_parts(bytes))
            .is_ok_and(|p| p.contains_key("word/document.xml"))
    } else {
        let article = handout::load(source).expect("the source loads").article;
        let text = handout::render(&article, handout::Format::Txt, &handout::Options::default())
            .expect("rendered");
        bytes == text
    }
}

/// Whether a file was replaced since `before` (a rename gives it a new inode).
fn inodes(dir: &Path, names: &[String]) -> Vec<u64> {
    use std::os::unix::fs::MetadataExt;
    names
        .iter()
        .map(|n| std::fs::metadata(dir.join(n)).map_or(0, |m| m.ino()))
        .collect()
}

/// SIGKILL, no handler runs: each kill lands while the batch is replacing its outputs (after its first
/// rename, with the process provably still running), and every output is then the old file or the new
/// one, byte for byte; nothing else is left but, at most, the named temporary of a rename under way,
/// which the next run removes.
#[test]
fn a_run_killed_mid_write_leaves_the_old_file_and_no_temporary() {
    use std::os::unix::process::ExitStatusExt;
    use std::time::{Duration, Instant};

    const SOURCES: usize = 16;
    let dir = tempfile::tempdir().expect("temp dir");
    let reference = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read_to_string(seed_source()).expect("the seed");
    let old_seed = seed.replacen("干细胞治疗渐冻症", "旧版本", 1);
    assert_ne!(old_seed, seed);
    let mut names = Vec::new();
    for i in 0..SOURCES {
        std::fs::write(dir.path().join(format!("a{i:02}.json")), &old_seed).expect("write");
        std::fs::write(reference.path().join(format!("a{i:02}.json")), &seed).expect("write");
        for format in handout::Format::ALL {
            names.push(format!("a{i:02}.{}", format.extension()));
        }
    }
    for d in [dir.path(), reference.path()] {
        let o = handout(d, &["all", ".", "--out-dir", "out", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let read = |d: &Path| -> Vec<Vec<u8>> {
        names
            .iter()
            .map(|n| std::fs::read(d.join("out").join(n)).expect("an output"))
            .collect()
    };
    let old = read(dir.path());
    let new = read(reference.path());
    for (i, name) in names.iter().enumerate() {
        assert!(
            old[i] != new[i],
            "{name}: the old and new outputs must differ"
        );
        // Complete by a judge other than the binary, so that "old or new" below means whole files.
        let source = format!("{}.json", &name[..3]);
        assert!(
            is_whole(name, &old[i], &dir.path().join(&source)),
            "{name}: the old output is not whole"
        );
        assert!(
            is_whole(name, &new[i], &reference.path().join(&source)),
            "{name}: the new output is not whole"
        );
    }
    // The sources change; the outputs in `out` are still the old ones.
    for i in 0..SOURCES {
        std::fs::write(dir.path().join(format!("a{i:02}.json")), &seed).expect("write");
    }
    let out = dir.path().join("out");

    let mut mixed = 0;
    // How long after the batch's first rename the kill comes: later and later into the writes.
    for after_first_write_ms in [0u64, 0, 10, 40, 120, 300] {
        for (name, bytes) in names.iter().zip(&old) {
            std::fs::write(out.join(name), bytes).expect("restore the old output");
        }
        let before = inodes(&out, &names);
        let mut child = handout_command(dir.path())
            .args(["all", ".", "--out-dir", "out", "--quiet"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let started = Instant::now();
        while inodes(&out, &names) == before {
            assert!(
                child.try_wait().expect("try_wait").is_none(),
                "the batch ended without replacing any output"
            );
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no output replaced in 60 s"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(after_first_write_ms));
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the batch ended before the kill {after_first_write_ms} ms after its first write: \
             use more sources"
        );
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        assert_eq!(
            status.signal(),
            Some(9),
            "the run was not ended by the kill: {status:?}"
        );

        let now = read(dir.path());
        let mut changed = 0;
        for (i, name) in names.iter().enumerate() {
            assert!(
                now[i] == old[i] || now[i] == new[i],
                "killed {after_first_write_ms} ms after the first write: {name} is neither the \
                 old file nor the new one ({} bytes)",
                now[i].len()
            );
            changed += usize::from(now[i] == new[i]);
        }
        assert!(
            changed >= 1,
            "the kill came after a rename: some output is new"
        );
        mixed += usize::from(changed < names.len());
        let temporary = format!(".handout-{}-", child.id());
        let strays: Vec<String> = names_in(&out)
            .into_iter()
            .filter(|n| !names.contains(n))
            .filter(|n| !(n.starts_with(&temporary) && n.ends_with(".tmp")))
            .collect();
        assert!(
            strays.is_empty(),
            "killed {after_first_write_ms} ms after the first write: {strays:?} left behind"
        );
    }
    assert!(
        mixed >= 1,
        "no kill landed between two writes (every kill left every output new)"
    );
    // The next run completes the outputs and removes whatever a kill left.
    let o = handout(dir.path(), &["all", ".", "--out-dir", "out", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        read(dir.path()) == new,
        "the next run writes the new outputs"
    );
    let expected: std::collections::BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(names_in(&out), expected, "only the outputs remain");
}

// ---- Standard output, the schema, the width, the punctuation flag --------------------------------

/// `-o -`: each command writes to standard output the very bytes it writes to a file, and no file.
#[test]
fn dash_o_dash_writes_to_standard_output() {
    let dir = dir_with("good.json", GOOD);
    let starts: [(&str, &[u8]); 3] = [
        ("txt", "=".as_bytes()),
        ("pdf", b"%PDF-"),
        ("docx", b"PK\x03\x04"),
    ];
    for (format, start) in starts {
        let o = handout(dir.path(), &[format, "good.json", "-o", "-"]);
        assert!(o.status.success(), "{format}: {}", stderr(&o));
        assert_eq!(
            outputs(dir.path(), &["good.json"]),
            Vec::<String>::new(),
            "{format} -o - wrote a file"
        );
        assert!(o.stdout.starts_with(start), "{format}: not a {format} file");
        let file = format!("file.{format}");
        let f = handout(dir.path(), &[format, "good.json", "-o", &file]);
        assert!(f.status.success(), "{format}: {}", stderr(&f));
        let written = std::fs::read(dir.path().join(&file)).expect("the file");
        assert!(
            o.stdout == written,
            "{format}: standard output differs from the file"
        );
        std::fs::remove_file(dir.path().join(&file)).expect("remove");
    }
    let committed = std::fs::read(root().join("source/schema.json")).expect("source/schema.json");
    let o = handout(dir.path(), &["schema", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout == committed, "schema -o - is not the schema");
}

/// `--width` and `--crlf` reach the handout written to standard output.
#[test]
fn the_width_and_line_endings_apply_to_standard_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(seed_source(), dir.path().join("a.json")).expect("copy");
    for width in ["20", "40", "1000"] {
        let o = handout(
            dir.path(),
            &["txt", "a.json", "-o", "-", "--width", width, "--crlf"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let text = String::from_utf8(o.stdout).expect("UTF-8");
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'));
        let width: usize = width.parse().expect("a number");
        let widest = text.lines().map(oracle_columns).max().unwrap_or(0);
        assert!(widest <= width, "width {width}: a line of {widest} columns");
        // The rules under the title are as wide as the width: the width was applied, not the default.
        assert!(
            text.starts_with(&format!("{}\r\n", "=".repeat(width))),
            "width {width}"
        );
        if width == 1000 {
            assert!(widest > 72, "at 1000 columns a paragraph is one long line");
        }
    }
}

#[test]
fn the_width_is_20_to_1000_columns() {
    let dir = dir_with("good.json", GOOD);
    for width in ["19", "0", "1001", "-5", "abc"] {
        let flag = format!("--width={width}");
        let o = handout(dir.path(), &["txt", "good.json", "-o", "-", &flag]);
        assert_eq!(o.status.code(), Some(2), "--width {width}");
        assert!(stderr(&o).contains("--width"), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
    for width in ["20", "1000"] {
        let o = handout(
            dir.path(),
            &["txt", "good.json", "-o", "-", "--width", width],
        );
        assert!(o.status.success(), "--width {width}: {}", stderr(&o));
    }
}

#[test]
fn the_schema_command_prints_the_json_schema_of_a_source() {
    let dir = tempfile::tempdir().expect("temp dir");
    let committed = std::fs::read(root().join("source/schema.json")).expect("source/schema.json");
    let o = handout(dir.path(), &["schema"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        o.stdout == committed,
        "handout schema is not source/schema.json"
    );
    let o = handout(dir.path(), &["schema", "-o", "schema.json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(dir.path().join("schema.json")).expect("written") == committed);

    let schema: serde_json::Value = serde_json::from_slice(&committed).expect("JSON");
    assert!(
        schema["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("json-schema.org")),
        "{}",
        schema["$schema"]
    );
    let properties = schema["properties"].as_object().expect("properties");
    let seed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seed_source()).expect("seed")).expect("JSON");
    for key in seed.as_object().expect("an object").keys() {
        assert!(properties.contains_key(key), "the schema lacks {key}");
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    // The disclaimer may come from the house style (handout.toml) instead of the source.
    assert_eq!(required, ["meta", "blocks"]);
}

/// `--keep-punctuation` keeps the author's ASCII marks in Chinese text in every format; without it they
/// are set full-width; the source is never changed.
#[test]
fn keep_punctuation_keeps_the_author_s_marks_in_every_format() {
    let source = GOOD.replace("正文,见", "正文,问题(一):是否?是!见");
    let dir = dir_with("good.json", &source);
    let kept = canonical_keep("正文,问题(一):是否?是!见");
    let set = "正文，问题（一）：是否？是！见";
    for format in ["txt", "pdf", "docx"] {
        for keep in [true, false] {
            let mut args = vec![format, "good.json", "-o", "-"];
            if keep {
                args.push("--keep-punctuation");
            }
            let o = handout(dir.path(), &args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            let text = match format {
                "txt" => String::from_utf8(o.stdout).expect("UTF-8"),
                "pdf" => pdf_text(&o.stdout, "测试文章"),
                _ => docx_text(&o.stdout),
            };
            let text = canonical_keep(&text);
            let (want, not) = if keep {
                (kept.clone(), canonical_keep(set))
            } else {
                (canonical_keep(set), kept.clone())
            };
            assert!(text.contains(&want), "{args:?}: no {want:?} in {text:?}");
            assert!(!text.contains(&not), "{args:?}: {not:?} in {text:?}");
        }
    }
    let o = handout(
        dir.path(),
        &["all", "good.json", "--out-dir", "out", "--keep-punctuation"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let txt = std::fs::read_to_string(dir.path().join("out/good.txt")).expect("good.txt");
    assert!(canonical_keep(&txt).contains(&kept), "{txt}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("good.json")).expect("source"),
        source,
        "the source changed"
    );
}

/// Text without white space, punctuation left as it is (ASCII and full-width kept apart).
fn canonical_keep(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---- Dates ---------------------------------------------------------------------------------------

/// The date of a PDF: its Info /CreationDate and /ModDate, and the XMP xmp:CreateDate.
fn pdf_dates(pdf: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    let info = pdf_info(&doc);
    let date = |key: &[u8]| {
        info.get(key)
            .and_then(|d| d.as_str())
            .ok()
            .map(|d| String::from_utf8_lossy(d).into_owned())
    };
    let text = String::from_utf8_lossy(pdf);
    let xmp = text
        .split("<xmp:CreateDate>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .map(str::to_string);
    (date(b"CreationDate"), date(b"ModDate"), xmp)
}

/// The date of a DOCX: its dcterms:created and dcterms:modified.
fn docx_dates(docx: &[u8]) -> (Option<String>, Option<String>) {
    let parts = zip_parts(docx);
    let core = std::str::from_utf8(&parts["docProps/core.xml"]).expect("UTF-8");
    (
        core_property(core, "created"),
        core_property(core, "modified"),
    )
}

/// SOURCE_DATE_EPOCH when it is set, else the article's `meta.date`, else no date: in the PDF (Info and
/// XMP) and the DOCX (core properties) alike; the same epoch gives the same bytes.
#[test]
fn dates_come_from_source_date_epoch_or_the_article_never_the_clock() {
    let dated = GOOD.replace(
        "\"author\": \"作者\"",
        "\"author\": \"作者\", \"date\": \"2025-03-07\"",
    );
    let dir = dir_with("undated.json", GOOD);
    std::fs::write(dir.path().join("dated.json"), dated).expect("write");
    let run = |format: &str, source: &str, epoch: Option<&str>| -> Vec<u8> {
        let mut cmd = handout_command(dir.path());
        cmd.args([format, source, "-o", "-"]);
        if let Some(e) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", e);
        }
        let o = cmd.output().expect("runs");
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let cases = [
        ("undated.json", None, None),
        ("undated.json", Some("1700000000"), Some((2023, 11, 14))),
        ("dated.json", None, Some((2025, 3, 7))),
        ("dated.json", Some("1700000000"), Some((2023, 11, 14))),
        ("dated.json", Some("0"), Some((1970, 1, 1))),
    ];
    for (source, epoch, day) in cases {
        let what = format!("{source} with SOURCE_DATE_EPOCH={epoch:?}");
        let pdf = run("pdf", source, epoch);
        let (created, modified, xmp) = pdf_dates(&pdf);
        let want = day.map(|(y, m, d)| format!("D:{y:04}{m:02}{d:02}000000Z"));
        assert_eq!(created, want, "PDF /CreationDate, {what}");
        assert_eq!(modified, want, "PDF /ModDate, {what}");
        let want = day.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
        assert_eq!(xmp, want, "PDF XMP, {what}");
        let docx = run("docx", source, epoch);
        let want = day.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}T00:00:00Z"));
        assert_eq!(docx_dates(&docx), (want.clone(), want), "DOCX, {what}");
        assert!(pdf == run("pdf", source, epoch), "{what}: PDF bytes differ");
        assert!(
            docx == run("docx", source, epoch),
            "{what}: DOCX bytes differ"
        );
    }
}

// ---- Folders, fonts ------------------------------------------------------------------------------

#[test]
fn a_folder_with_no_source_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    std::fs::create_dir(dir.path().join("schemas")).expect("mkdir");
    std::fs::write(dir.path().join("schemas/schema.json"), "{}").expect("write");
    std::fs::write(dir.path().join("schemas/notes.txt"), GOOD).expect("write");
    for folder in ["empty", "schemas"] {
        let o = handout(dir.path(), &["all", folder, "--out-dir", "out"]);
        assert_eq!(o.status.code(), Some(2), "{folder}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("no *.json or *.md source in {folder}")),
            "{folder}: {}",
            stderr(&o)
        );
        assert!(
            !dir.path().join("out").exists() || names_in(&dir.path().join("out")).is_empty(),
            "{folder}: something was written"
        );
    }
}

/// The PostScript names of the faces a PDF embeds (without their subset tags).
fn embedded_faces(pdf: &[u8]) -> std::collections::BTreeSet<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"CIDFontType2"))
        .filter_map(|d| d.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|n| {
            let n = String::from_utf8_lossy(n);
            n.split_once('+')
                .map_or(n.to_string(), |(_, name)| name.to_string())
        })
        .collect()
}

/// The fonts are looked up in the README's order: `--fonts DIR`, HANDOUT_FONTS, ./fonts, the source
/// tree's fonts/. A folder whose serif face is really the sans face shows, in the PDF, which folder
/// was used.
#[test]
fn fonts_are_looked_up_in_the_documented_order() {
    let real = root().join("fonts");
    let work = tempfile::tempdir().expect("temp dir");
    let swapped = work.path().join("swapped");
    std::fs::create_dir(&swapped).expect("mkdir");
    for face in [
        "NotoSerifSC-Bold.ttf",
        "NotoSansSC-Regular.ttf",
        "NotoSansSC-Bold.ttf",
        "NotoSerif-Italic.ttf",
    ] {
        std::os::unix::fs::symlink(real.join(face), swapped.join(face)).expect("symlink");
    }
    std::os::unix::fs::symlink(
        real.join("NotoSansSC-Regular.ttf"),
        swapped.join("NotoSerifSC-Regular.ttf"),
    )
    .expect("symlink");
    let plain = tempfile::tempdir().expect("temp dir");
    std::fs::write(plain.path().join("good.json"), GOOD).expect("write");
    let with_fonts = tempfile::tempdir().expect("temp dir");
    std::fs::write(with_fonts.path().join("good.json"), GOOD).expect("write");
    std::os::unix::fs::symlink(&swapped, with_fonts.path().join("fonts")).expect("symlink");

    let uses_real_serif = |cwd: &Path, env: Option<&Path>, flag: Option<&Path>| -> bool {
        let mut cmd = handout_command(cwd);
        cmd.args(["pdf", "good.json", "-o", "-"]);
        if let Some(f) = flag {
            cmd.arg("--fonts").arg(f);
        }
        if let Some(e) = env {
            cmd.env("HANDOUT_FONTS", e);
        }
        let o = cmd.output().expect("runs");
        assert!(o.status.success(), "{}", stderr(&o));
        let faces = embedded_faces(&o.stdout);
        assert!(faces.contains("NotoSansSC-Bold"), "{faces:?}");
        faces.contains("NotoSerifSC-Regular")
    };
    assert!(
        uses_real_serif(plain.path(), None, None),
        "no ./fonts, no HANDOUT_FONTS: the source tree's fonts"
    );
    assert!(
        !uses_real_serif(with_fonts.path(), None, None),
        "./fonts before the source tree's"
    );
    assert!(
        uses_real_serif(with_fonts.path(), Some(&real), None),
        "HANDOUT_FONTS before ./fonts"
    );
    assert!(
        !uses_real_serif(plain.path(), Some(&swapped), None),
        "HANDOUT_FONTS before the source tree's"
    );
    assert!(
        !uses_real_serif(plain.path(), Some(&real), Some(&swapped)),
        "--fonts before HANDOUT_FONTS"
    );
    // A HANDOUT_FONTS that holds no fonts is an error naming it, not a silent fallback.
    let o = handout_command(with_fonts.path())
        .args(["pdf", "good.json", "-o", "-"])
        .env("HANDOUT_FONTS", "/nonexistent-fonts")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("/nonexistent-fonts"), "{}", stderr(&o));
}

// ---- On a terminal -------------------------------------------------------------------------------

/// Runs `handout args` in `dir` in a pseudo-terminal (util-linux `script`): standard error is a
/// terminal. Returns all the terminal received, and the exit code.
fn on_a_terminal(dir: &Path, args: &[&str]) -> (String, Option<i32>) {
    require("script", "util-linux (bsdutils)");
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut command = quote(env!("CARGO_BIN_EXE_handout"));
    for a in args {
        command.push(' ');
        command.push_str(&quote(a));
    }
    let o = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("HANDOUT_FONTS")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        o.status.code(),
    )
}

fn three_sources() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["a", "b", "c"] {
        std::fs::copy(seed_source(), dir.path().join(format!("{name}.json"))).expect("copy");
    }
    dir
}

/// On a terminal `handout all` draws a progress bar (the bar, then n/3 as sources finish) and clears
/// it before the summary; `--quiet` shows nothing; off a terminal there is no bar.
#[test]
fn a_progress_bar_shows_on_a_terminal() {
    let dir = three_sources();
    let (shown, code) = on_a_terminal(dir.path(), &["all", ".", "--out-dir", "out"]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains('█'), "no bar: {shown:?}");
    for n in 1..=3 {
        assert!(shown.contains(&format!(" {n}/3")), "no {n}/3: {shown:?}");
    }
    assert!(
        shown.contains("\u{1b}[2K"),
        "the bar is never cleared: {shown:?}"
    );
    assert!(
        shown.contains("handout: 3 source(s), 9 file(s) written to out, 0 failed"),
        "{shown:?}"
    );
    let (shown, code) = on_a_terminal(dir.path(), &["all", ".", "--out-dir", "out", "--quiet"]);
    assert_eq!(code, Some(0));
    assert_eq!(shown, "", "--quiet on a terminal");
    let o = handout(dir.path(), &["all", ".", "--out-dir", "out"]);
    assert!(o.status.success());
    assert!(
        !stderr(&o).contains('█') && !stderr(&o).contains("/3"),
        "a bar off a terminal: {}",
        stderr(&o)
    );
}

/// On a terminal `--verbose` names every file written, each once, beside the bar.
#[test]
fn verbose_names_every_file_on_a_terminal() {
    let dir = three_sources();
    let (shown, code) = on_a_terminal(dir.path(), &["all", ".", "--out-dir", "out", "--verbose"]);
    assert_eq!(code, Some(0), "{shown}");
    for name in ["a", "b", "c"] {
        for format in handout::Format::ALL {
            let line = format!("handout: wrote out/{name}.{}", format.extension());
            assert_eq!(shown.matches(&line).count(), 1, "{line:?} in {shown:?}");
        }
    }
    assert_eq!(shown.matches("handout: wrote ").count(), 9, "{shown:?}");
}

/// The handout binary and a fonts folder that user nobody can run and read: the build's own when
/// nobody reaches them, else copies in `dir`.
fn runnable_by_nobody(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_handout"));
    let fonts = root().join("fonts");
    let reaches = std::process::Command::new(&binary)
        .arg("--version")
        .uid(65534)
        .gid(65534)
        .output()
        .is_ok_and(|o| o.status.success())
        && std::process::Command::new("test")
            .arg("-r")
            .arg(fonts.join("NotoSerifSC-Regular.ttf"))
            .uid(65534)
            .gid(65534)
            .status()
            .is_ok_and(|s| s.success());
    if reaches {
        return (binary, fonts);
    }
    let copied_binary = dir.join("handout");
    std::fs::copy(&binary, &copied_binary).expect("copy the binary");
    let copied_fonts = dir.join("fonts");
    std::fs::create_dir(&copied_fonts).expect("fonts folder");
    for entry in std::fs::read_dir(&fonts).expect("fonts/") {
        let entry = entry.expect("font entry");
        std::fs::copy(entry.path(), copied_fonts.join(entry.file_name())).expect("copy a font");
    }
    for (path, mode) in [(&copied_binary, 0o755), (&copied_fonts, 0o755)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    (copied_binary, copied_fonts)
}

/// Every bad table, figure and note, through every command: exit 2, the error with its file, line,
/// column, JSON path and what is expected, and no file written. An unreadable image is read as an
/// ordinary user (nobody) when the tests run as the superuser, who may read any file.
#[test]
fn bad_tables_figures_and_notes_exit_2_located_and_write_nothing() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let root_user = running_as_root();
    for case in bad_sources::cases() {
        let dir = tempfile::tempdir().expect("temp dir");
        let made = case.make(dir.path());
        let folder = made.source.parent().expect("the case's folder");
        let as_nobody = root_user && case.needs_an_ordinary_user();
        if as_nobody {
            for d in [dir.path(), folder] {
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).expect("chmod");
            }
        }
        let (line, column) = made.at;
        let place = format!("case.json:{line}:{column}: {}: ", case.path);
        // The ordinary user must reach the binary and the fonts: a clone in a private folder (such as
        // /root) gets copies in the case's folder.
        let copies = as_nobody.then(|| runnable_by_nobody(dir.path()));
        for command in ["txt", "pdf", "docx", "all", "check"] {
            let mut cmd = handout_command(folder);
            cmd.args([command, "case.json"]);
            if let Some((binary, fonts)) = &copies {
                cmd = std::process::Command::new(binary);
                cmd.current_dir(folder)
                    .env("HANDOUT_FONTS", fonts)
                    .env_remove("SOURCE_DATE_EPOCH")
                    .args([command, "case.json"])
                    .uid(65534)
                    .gid(65534);
            }
            let o = output_within(&mut cmd, 60);
            let err = stderr(&o);
            let what = format!("{} ({command})", case.what);
            assert_eq!(o.status.code(), Some(2), "{what}: {err}");
            assert!(err.contains(&place), "{what}: expected {place:?} in: {err}");
            assert!(
                err.contains(case.message),
                "{what}: expected {:?} in: {err}",
                case.message
            );
            assert!(!err.contains("panicked"), "{what}: {err}");
            let written: Vec<String> = outputs(folder, &[])
                .into_iter()
                .filter(|f| f.starts_with("output"))
                .collect();
            assert!(written.is_empty(), "{what} wrote {written:?}");
        }
    }
}
