//! Hostile paths, names, signals and sources: no run may lose a source, leave a temporary, report a
//! failure as success, or accept what the schema does not describe.

use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{GOOD, handout, handout_command, stderr};

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, text).expect("write source");
    }
    dir
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

fn assert_exit(o: &Output, code: i32) {
    assert_eq!(o.status.code(), Some(code), "stderr: {}", stderr(o));
}

// 1. Batch outputs that would collide.

#[test]
fn sources_whose_outputs_collide_are_refused_before_anything_is_written() {
    let other = GOOD.replace("测试文章", "另一篇");
    let dir = dir_with(&[("d1/art.json", GOOD), ("d2/art.json", &other)]);
    let o = handout(dir.path(), &["all", "d1", "d2", "--out-dir", "out"]);
    assert_exit(&o, 2);
    let e = stderr(&o);
    assert!(
        e.contains("d1/art.json") && e.contains("d2/art.json") && e.contains("--out-dir"),
        "{e}"
    );
    assert!(
        names(&dir.path().join("out")).is_empty(),
        "something was written"
    );
}

#[test]
fn the_same_source_named_twice_is_produced_once() {
    let dir = dir_with(&[("d1/art.json", GOOD)]);
    let o = handout(
        dir.path(),
        &["all", "d1", "d1/art.json", "--out-dir", "out"],
    );
    assert_exit(&o, 0);
    assert_eq!(
        names(&dir.path().join("out")),
        ["art.docx", "art.pdf", "art.txt"]
    );
}

// 2. An output may not replace a source.

#[test]
fn an_output_never_replaces_its_source() {
    let dir = dir_with(&[("s.json", GOOD), ("notes.txt", GOOD)]);
    std::fs::hard_link(dir.path().join("s.json"), dir.path().join("hard.txt")).expect("link");
    for args in [
        &["txt", "s.json", "-o", "s.json"][..],
        &["txt", "s.json", "-o", "./s.json"],
        &["txt", "s.json", "-o", "hard.txt"],
        &["all", "notes.txt", "--out-dir", "."],
        &["all", "s.json", "notes.txt", "--out-dir", "."],
    ] {
        let o = handout(dir.path(), args);
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains("would replace the source"),
            "{args:?}: {}",
            stderr(&o)
        );
        for source in ["s.json", "notes.txt", "hard.txt"] {
            let now = std::fs::read_to_string(dir.path().join(source)).expect("source kept");
            assert_eq!(now, GOOD, "{args:?} changed {source}");
        }
    }
    assert_eq!(names(dir.path()), ["hard.txt", "notes.txt", "s.json"]);
}

// 3. Targets that are not regular files.

#[test]
fn dev_stdout_redirected_to_a_file_is_written_through_not_replaced() {
    let before = std::fs::symlink_metadata("/dev/stdout").expect("stat");
    assert!(
        before.file_type().is_symlink(),
        "this machine's /dev/stdout is not a link before the test (a program replaced it); \
         restore it with: ln -sf /proc/self/fd/1 /dev/stdout"
    );
    let dir = dir_with(&[("s.json", GOOD)]);
    let captured = dir.path().join("captured.txt");
    let file = std::fs::File::create(&captured).expect("create");
    let o = handout_command(dir.path())
        .args(["txt", "s.json", "-o", "/dev/stdout"])
        .stdout(file)
        .output()
        .expect("runs");
    assert_exit(&o, 0);
    let text = std::fs::read_to_string(&captured).expect("read");
    assert!(text.contains("测试文章"), "nothing arrived: {text:?}");
    let link = std::fs::symlink_metadata("/dev/stdout").expect("stat");
    assert!(link.file_type().is_symlink(), "/dev/stdout was replaced");
}

#[test]
fn a_fifo_target_is_written_in_place() {
    let dir = dir_with(&[("s.json", GOOD)]);
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .expect("open fifo")
                .read_to_string(&mut text)
                .expect("read fifo");
            text
        })
    };
    let o = handout(dir.path(), &["txt", "s.json", "-o", "pipe.txt"]);
    assert_exit(&o, 0);
    assert!(reader.join().expect("reader").contains("测试文章"));
    let meta = std::fs::symlink_metadata(&fifo).expect("stat");
    assert!(
        meta.file_type().is_fifo(),
        "the FIFO was replaced by a file"
    );
}

#[test]
fn dev_null_stays_a_device() {
    let dir = dir_with(&[("s.json", GOOD)]);
    let o = handout(dir.path(), &["pdf", "s.json", "-o", "/dev/null"]);
    assert_exit(&o, 0);
    let meta = std::fs::symlink_metadata("/dev/null").expect("stat");
    assert!(meta.file_type().is_char_device());
}

// 4. Signals and kills.

/// A folder of `n` small sources and the outputs of a first run (so that later runs replace files).
fn batch_folder(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("src")).expect("folder");
    for i in 0..n {
        let text = GOOD.replace("测试文章", &format!("测试文章{i}"));
        std::fs::write(dir.path().join(format!("src/a{i:04}.json")), text).expect("write");
    }
    let o = handout(dir.path(), &["all", "src", "--out-dir", "out", "--quiet"]);
    assert_exit(&o, 0);
    dir
}

fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names(&dir.join("out"))
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join("out").join(&n)).unwrap_or_default();
            (n, bytes)
        })
        .collect()
}

/// Every output is whole: the text starts and ends as a handout does, the PDF has its trailer, the
/// DOCX its zip end record. (A temporary a SIGKILL left is no output; the tests count those apart.)
fn assert_whole(dir: &Path) {
    for (name, bytes) in outputs(dir) {
        let whole = if name.starts_with(".handout-") && name.ends_with(".tmp") {
            continue;
        } else if name.ends_with(".pdf") {
            bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF")
        } else if name.ends_with(".docx") {
            bytes.len() > 22 && bytes[bytes.len() - 22..].starts_with(b"PK\x05\x06")
        } else if name.ends_with(".txt") {
            String::from_utf8_lossy(&bytes).contains("仅供参考")
        } else {
            panic!("unexpected file {name}");
        };
        assert!(whole, "{name} is not whole ({} bytes)", bytes.len());
    }
}

/// Starts a batch over the folder, with SOURCE_DATE_EPOCH set so that every file it writes differs
/// from the first run's.
fn start_batch(dir: &Path, epoch: u64) -> std::process::Child {
    handout_command(dir)
        .args(["all", "src", "--out-dir", "out", "--quiet"])
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Waits until the running batch has replaced at least one output, so that a signal sent then lands
/// while it writes.
fn wait_for_a_write(dir: &Path, before: &[(String, Vec<u8>)], child: &mut std::process::Child) {
    let started = Instant::now();
    while outputs(dir) == before {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the batch ended before writing"
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no write in 30 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn signal(child: &std::process::Child, name: &str) {
    // The shell's own kill: no package needed beyond the shell.
    let sent = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{name} {}", child.id()))
        .status()
        .expect("sh runs");
    assert!(sent.success());
}

#[test]
fn sigint_and_sigterm_during_writes_leave_no_temporary() {
    let dir = batch_folder(300);
    for (i, (name, code)) in [("INT", 130), ("TERM", 143), ("TERM", 143), ("INT", 130)]
        .into_iter()
        .enumerate()
    {
        let before = outputs(dir.path());
        let mut child = start_batch(dir.path(), 1_000_000_000 + i as u64);
        wait_for_a_write(dir.path(), &before, &mut child);
        assert!(
            child.try_wait().expect("wait").is_none(),
            "ended before the signal"
        );
        signal(&child, name);
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(code), "SIG{name}");
        assert_eq!(
            temporaries(&dir.path().join("out")),
            Vec::<String>::new(),
            "SIG{name}"
        );
        assert_whole(dir.path());
    }
}

#[test]
fn after_sigkill_during_writes_the_next_run_removes_what_was_left() {
    let dir = batch_folder(300);
    for i in 0..6u64 {
        let before = outputs(dir.path());
        let mut child = start_batch(dir.path(), 1_100_000_000 + i);
        wait_for_a_write(dir.path(), &before, &mut child);
        // Later and later into the writes: the run's first writes, then further on.
        std::thread::sleep(Duration::from_millis(i * 15));
        assert!(
            child.try_wait().expect("wait").is_none(),
            "ended before the kill"
        );
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        assert_whole(dir.path());
    }
    // Whatever the kills left (a named temporary, at most one per kill), the next run removes.
    std::fs::write(
        dir.path().join("out/.handout-4194999-7.tmp"),
        b"left by a kill",
    )
    .expect("write");
    let o = handout(dir.path(), &["all", "src", "--out-dir", "out", "--quiet"]);
    assert_exit(&o, 0);
    assert_eq!(temporaries(&dir.path().join("out")), Vec::<String>::new());
    assert_whole(dir.path());
}

// 6. Bounded input, standard input.

#[test]
fn an_endless_source_is_refused_at_the_limit() {
    let dir = dir_with(&[]);
    let o = handout(
        dir.path(),
        &["txt", "/dev/zero", "-o", "-", "--max-input", "1MiB"],
    );
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("larger than the limit of 1 MiB"),
        "{}",
        stderr(&o)
    );
    let o = handout(dir.path(), &["txt", "/dev/zero", "-o", "-"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("64 MiB"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_file_over_the_limit_is_refused_with_its_size() {
    let dir = dir_with(&[("s.json", GOOD)]);
    let o = handout(dir.path(), &["pdf", "s.json", "--max-input", "100"]);
    assert_exit(&o, 2);
    let size = GOOD.len();
    assert!(
        stderr(&o).contains(&format!(
            "{size} bytes is larger than the limit of 100 bytes"
        )),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("output").exists() || names(&dir.path().join("output")).is_empty());
    let o = handout(dir.path(), &["pdf", "s.json", "--max-input", "lots"]);
    assert_exit(&o, 2);
}

#[test]
fn dash_reads_the_source_from_standard_input() {
    let dir = dir_with(&[]);
    let mut child = handout_command(dir.path())
        .args(["txt", "-", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(GOOD.as_bytes())
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_exit(&o, 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("测试文章"));
    // A bad source on standard input is named as such.
    let mut child = handout_command(dir.path())
        .args(["txt", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"{\"meta\": 1}")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_exit(&o, 2);
    assert!(
        stderr(&o).starts_with("handout: <stdin>:1:10: meta:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn standard_input_is_written_as_stdin_by_default() {
    let dir = dir_with(&[]);
    let mut child = handout_command(dir.path())
        .args(["txt", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(GOOD.as_bytes())
        .expect("write");
    assert!(child.wait().expect("wait").success());
    let text =
        std::fs::read_to_string(dir.path().join("output/stdin.txt")).expect("output/stdin.txt");
    assert!(text.contains("测试文章"));
}

#[test]
fn standard_input_is_held_to_the_same_limit() {
    let dir = dir_with(&[]);
    let mut child = handout_command(dir.path())
        .args(["txt", "-", "-o", "-", "--max-input", "100"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    // The reader may stop before all is written: a broken pipe here is the point.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(GOOD.as_bytes());
    let o = child.wait_with_output().expect("wait");
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("<stdin>: the input is larger than the limit of 100 bytes"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

// 7. A standard output that cannot be written.

/// Runs `handout ARGS REDIRECTIONS` through the shell, which can close or redirect standard output.
fn in_shell(dir: &Path, args_and_redirections: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" {args_and_redirections}"))
        .arg(env!("CARGO_BIN_EXE_handout"))
        .current_dir(dir)
        .env_remove("HANDOUT_FONTS")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("sh runs")
}

#[test]
fn a_closed_or_full_standard_output_is_a_failed_write() {
    let dir = dir_with(&[("s.json", GOOD)]);
    for command in [
        "pdf s.json -o -",
        "txt s.json -o -",
        "schema",
        "check s.json",
    ] {
        let o = in_shell(dir.path(), &format!("{command} >&-"));
        assert_exit(&o, 1);
        assert!(
            stderr(&o).contains("standard output is closed"),
            "{command}: {}",
            stderr(&o)
        );
        let o = in_shell(dir.path(), &format!("{command} >/dev/full"));
        assert_exit(&o, 1);
        assert!(
            stderr(&o).contains("No space left"),
            "{command}: {}",
            stderr(&o)
        );
    }
}

// 8. Long names.

#[test]
fn the_longest_name_the_file_system_takes_works() {
    let stem = "长".repeat(82); // 246 bytes of UTF-8
    let source = format!("{stem}.json");
    let dir = dir_with(&[(&source, GOOD)]);
    let o = handout(dir.path(), &["all", &source, "--out-dir", "."]);
    assert_exit(&o, 0);
    for ext in ["pdf", "docx", "txt"] {
        assert!(dir.path().join(format!("{stem}.{ext}")).is_file(), "{ext}");
    }
    assert!(temporaries(dir.path()).is_empty());
}

// 9. Only the object form.

#[test]
fn an_array_is_not_an_article_nor_any_part_of_one() {
    let dir = dir_with(&[
        (
            "array.json",
            r#"[null,{"title":"t","author":"a"},[],"R",[],{"label":"l","paragraphs":[["p"]]}]"#,
        ),
        (
            "meta.json",
            &GOOD.replace(
                r#"{"title": "测试文章", "author": "作者"}"#,
                r#"["测试文章", null, null, "作者"]"#,
            ),
        ),
        (
            "notice.json",
            &GOOD.replace(
                r#"{"label": "免责说明", "paragraphs": [["仅供参考。"]]}"#,
                r#"["免责说明", [["仅供参考。"]]]"#,
            ),
        ),
    ]);
    for (name, place) in [
        (
            "array.json",
            "array.json:1:1: invalid type: sequence, expected an object",
        ),
        (
            "meta.json",
            "meta.json:2:11: meta: invalid type: sequence, expected an object",
        ),
        (
            "notice.json",
            "notice.json:7:17: disclaimer: invalid type: sequence, expected an object",
        ),
    ] {
        let o = handout(dir.path(), &["txt", name, "-o", "out.txt"]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains(place), "{name}: {}", stderr(&o));
    }
    assert!(!dir.path().join("out.txt").exists());
}

// 10. Broken entries in a source folder.

#[test]
fn dangling_and_looping_links_in_a_folder_are_failed_sources() {
    let dir = dir_with(&[("src/good.json", GOOD)]);
    let src = dir.path().join("src");
    std::os::unix::fs::symlink(src.join("gone.json"), src.join("dangling.json")).expect("link");
    std::os::unix::fs::symlink(src.join("loop.json"), src.join("loop.json")).expect("link");
    let o = handout(dir.path(), &["all", "src", "--out-dir", "out"]);
    assert_exit(&o, 1);
    let e = stderr(&o);
    assert!(e.contains("dangling.json: cannot read"), "{e}");
    assert!(e.contains("loop.json: cannot read"), "{e}");
    assert!(e.contains("2 failed"), "{e}");
    assert_eq!(
        names(&dir.path().join("out")),
        ["good.docx", "good.pdf", "good.txt"]
    );
}

// 11. --verbose whatever standard error is.

#[test]
fn verbose_names_every_file_when_standard_error_is_a_file() {
    let dir = dir_with(&[("s.json", GOOD)]);
    let log = std::fs::File::create(dir.path().join("log")).expect("create");
    let status = handout_command(dir.path())
        .args(["all", "s.json", "--out-dir", "out", "-v"])
        .stderr(log)
        .status()
        .expect("runs");
    assert!(status.success());
    let log = std::fs::read_to_string(dir.path().join("log")).expect("read");
    for ext in ["pdf", "docx", "txt"] {
        assert!(
            log.contains(&format!("handout: wrote out/s.{ext}")),
            "{log}"
        );
    }
}

// Messages that said the wrong thing.

#[test]
fn an_object_with_two_kinds_says_so() {
    let inline = GOOD.replace(
        r#"{"cite": ["a"]}"#,
        r#"{"strong": ["粗"], "emph": ["斜"]}, {"cite": ["a"]}"#,
    );
    let block = GOOD.replace(
        r#"{"paragraph": ["正文,见", {"cite": ["a"]}]}"#,
        r#"{"paragraph": ["正文,见", {"cite": ["a"]}], "heading": {"level": 1, "content": ["题"]}}"#,
    );
    let dir = dir_with(&[("inline.json", &inline), ("block.json", &block)]);
    for (name, expected) in [
        (
            "inline.json",
            "inline.json:4:28: blocks[0].paragraph[1]: exactly one key expected, found \"strong\" and \"emph\"",
        ),
        (
            "block.json",
            "block.json:4:5: blocks[0]: exactly one key expected, found \"paragraph\" and \"heading\"",
        ),
    ] {
        let o = handout(dir.path(), &["txt", name, "-o", "-"]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    }
}

#[test]
fn a_truncated_font_is_one_message_naming_the_file() {
    let dir = dir_with(&[("s.json", GOOD)]);
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).expect("folder");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    for entry in std::fs::read_dir(&shipped).expect("fonts").flatten() {
        std::fs::copy(entry.path(), fonts.join(entry.file_name())).expect("copy");
    }
    let damaged = fonts.join("NotoSerifSC-Regular.ttf");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&damaged)
        .expect("open");
    file.set_len(1_000_000).expect("truncate");
    for command in ["pdf", "check"] {
        let o = handout(dir.path(), &[command, "s.json", "--fonts", "fonts"]);
        assert_exit(&o, 2);
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.contains("NotoSerifSC-Regular.ttf") && e.contains("truncated"),
            "{e}"
        );
    }
}

#[test]
fn a_malformed_source_date_epoch_is_an_error_and_an_empty_one_is_unset() {
    let dir = dir_with(&[("s.json", GOOD)]);
    for bad in ["abc", "1e9", "253402300800", "-5"] {
        let o = handout_command(dir.path())
            .args(["pdf", "s.json", "-o", "out.pdf"])
            .env("SOURCE_DATE_EPOCH", bad)
            .output()
            .expect("runs");
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("SOURCE_DATE_EPOCH") && stderr(&o).contains("253402300799"));
        assert!(!dir.path().join("out.pdf").exists());
    }
    let o = handout_command(dir.path())
        .args(["pdf", "s.json", "-o", "out.pdf"])
        .env("SOURCE_DATE_EPOCH", "")
        .output()
        .expect("runs");
    assert_exit(&o, 0);
    let pdf = std::fs::read(dir.path().join("out.pdf")).expect("read");
    assert!(
        !pdf.windows(13).any(|w| w == b"/CreationDate"),
        "a date from nowhere"
    );
}

#[test]
fn an_empty_paragraph_is_refused_with_its_place() {
    let text = GOOD.replace(
        r#"{"paragraph": ["#,
        r#"{"paragraph": ["  　"]}, {"paragraph": ["#,
    );
    let dir = dir_with(&[("s.json", &text)]);
    let o = handout(dir.path(), &["txt", "s.json", "-o", "out.txt"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("s.json:4:19: blocks[0].paragraph: empty paragraph"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("out.txt").exists());
}
