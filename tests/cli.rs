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
        (&["docx", "big.json", "-o", "out/kept.docx"], "out/kept.docx"),
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
        assert!(old[i] != new[i], "{name}: the old and new outputs must differ");
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
        assert!(changed >= 1, "the kill came after a rename: some output is new");
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
    assert!(read(dir.path()) == new, "the next run writes the new outputs");
    let expected: std::collections::BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(names_in(&out), expected, "only the outputs remain");
}
