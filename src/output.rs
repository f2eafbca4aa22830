//! Putting outputs in place so that nothing is ever half-written and no source is ever lost.
//!
//! A regular file is replaced atomically: the bytes go to a temporary file beside the target, which is
//! renamed over it once complete, so a failed, interrupted or killed run leaves the previous file as it
//! was. On Linux the temporary file has no name while it is written (O_TMPFILE); it is named
//! (`.handout-<pid>-<n>.tmp`, short, so that any target name the file system accepts still works) only
//! for the instant between linking it and renaming it over the target. Every temporary is held under an
//! exclusive `flock` while it exists: a temporary nobody holds was left by a killed run, and the next
//! run into that folder removes it ([`sweep`]). SIGINT and SIGTERM go through [`stop_writing`], which
//! waits for the rename under way and removes the named temporaries before the process exits.
//!
//! A target that is not a regular file (a device, a FIFO, a socket, `/dev/stdout`) cannot be replaced:
//! it is written in place, and a target that is the process's own standard output is written through it.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rustix::fs::{FlockOperation, flock};

use crate::Error;

/// The prefix and suffix of every temporary file name.
const TEMPORARY_PREFIX: &str = ".handout-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` (`-` is standard output).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |reason: String| Error::Write {
        path: if path.as_os_str() == "-" {
            PathBuf::from("<stdout>")
        } else {
            path.to_path_buf()
        },
        reason,
    };
    if path.as_os_str() == "-" {
        return write_stdout(bytes).map_err(|e| fail(describe(&e)));
    }
    match target(path).map_err(|e| fail(describe(&e)))? {
        Target::Stdout => write_stdout(bytes).map_err(|e| fail(describe(&e))),
        Target::InPlace { truncate } => write_in_place(path, bytes, truncate).map_err(fail),
        Target::Replace(file) => replace(&file, bytes).map_err(fail),
    }
}

/// Set when standard output was closed as the process started (see [`stdout_was_closed`]).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records that standard output was closed when the process started. The standard library opens
/// /dev/null in its place before `main` runs, so only code that runs earlier (an ELF constructor in the
/// binary) can tell, and writes must then fail rather than vanish.
pub fn stdout_was_closed() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

/// Writes `bytes` to standard output through its file descriptor, so that a closed or failing standard
/// output is an error (the standard library's handle quietly drops writes to a closed one).
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(rustix::io::Errno::BADF.into());
    }
    let mut out = std::io::stdout().lock();
    out.flush()?;
    let mut rest = bytes;
    while !rest.is_empty() {
        match rustix::io::write(out.as_fd(), rest) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// An I/O error as a reason, naming the causes users meet in their words.
fn describe(e: &std::io::Error) -> String {
    match e.raw_os_error().map(rustix::io::Errno::from_raw_os_error) {
        Some(rustix::io::Errno::BADF) => "standard output is closed".into(),
        Some(rustix::io::Errno::PIPE) => "the reader of standard output has gone".into(),
        _ => e.to_string(),
    }
}

/// How a target path is written.
enum Target {
    /// The file to replace atomically (the target itself, or the regular file a symbolic link names).
    Replace(PathBuf),
    /// Not a regular file: written in place.
    InPlace { truncate: bool },
    /// The process's own standard output (`/dev/stdout`, `/proc/self/fd/1`).
    Stdout,
}

fn target(path: &Path) -> std::io::Result<Target> {
    let link = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Replace(path.to_path_buf()));
        }
        other => other?,
    };
    if link.is_dir() {
        return Err(std::io::Error::other(
            "is a directory, expected a file name",
        ));
    }
    if link.is_file() {
        return Ok(Target::Replace(path.to_path_buf()));
    }
    let resolved = match std::fs::metadata(path) {
        Ok(m) => m,
        // A dangling symbolic link names no file anyone could lose: it is replaced by the output.
        Err(_) if link.is_symlink() => return Ok(Target::Replace(path.to_path_buf())),
        Err(e) => return Err(e),
    };
    if resolved.is_dir() {
        return Err(std::io::Error::other(
            "is a directory, expected a file name",
        ));
    }
    if is_stdout(&resolved) {
        return Ok(Target::Stdout);
    }
    if link.is_symlink() && resolved.is_file() && !passes_through_proc(path) {
        // A link to a document: the document is replaced, the link kept.
        return Ok(Target::Replace(std::fs::canonicalize(path)?));
    }
    Ok(Target::InPlace {
        truncate: resolved.is_file(),
    })
}

/// Whether a file is the one standard output is open on.
fn is_stdout(file: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    rustix::fs::fstat(std::io::stdout().as_fd())
        .is_ok_and(|s| s.st_dev == file.dev() && s.st_ino == file.ino())
}

/// Whether a chain of symbolic links goes through /proc (`/dev/stdout`, `/dev/fd/3`): such a link
/// names an open file of a process, which must be written through, never replaced.
fn passes_through_proc(path: &Path) -> bool {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let Ok(next) = std::fs::read_link(&current) else {
            return false;
        };
        let next = match current.parent() {
            Some(dir) if next.is_relative() => dir.join(next),
            _ => next,
        };
        if next.starts_with("/proc") || next.starts_with("/dev/fd") {
            return true;
        }
        current = next;
    }
    false
}

fn write_in_place(path: &Path, bytes: &[u8], truncate: bool) -> Result<(), String> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(truncate)
        .open(path)
        .map_err(|e| e.to_string())?;
    f.write_all(bytes)
        .and_then(|_| f.flush())
        .map_err(|e| e.to_string())
}

/// What every writing thread shares: the named temporaries of this process, the folders already swept,
/// and whether the process is stopping. Held while a temporary has a name.
struct Shared {
    named: BTreeSet<PathBuf>,
    swept: BTreeSet<PathBuf>,
    stopping: bool,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared {
    named: BTreeSet::new(),
    swept: BTreeSet::new(),
    stopping: false,
});

fn shared() -> MutexGuard<'static, Shared> {
    // A thread that panicked while holding the lock left the sets as they were: still usable.
    SHARED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Stops every further write from naming a temporary, waits for a rename under way, and removes the
/// named temporaries of this process. The lock stays held: call it only right before exiting.
pub fn stop_writing() {
    let mut guard = shared();
    guard.stopping = true;
    for name in std::mem::take(&mut guard.named) {
        let _ = std::fs::remove_file(name);
    }
    std::mem::forget(guard);
}

const STOPPING: &str = "interrupted";

/// Replaces `path` (a regular file or nothing) by a complete file holding `bytes`.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    sweep(dir);
    #[cfg(target_os = "linux")]
    if let Some(file) = unnamed::create(dir)? {
        hold(&file)?;
        fill(&file, bytes)?;
        if let Some(done) = unnamed::put_in_place(&file, dir, path) {
            return done;
        }
    }
    // No O_TMPFILE on this file system (or no /proc to name one by): a named temporary.
    named::put_in_place(dir, path, bytes, false)
}

/// Writes a new file at `path`, never replacing one: it appears complete or not at all, and a file
/// already there (made even a moment before) is an error.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    sweep(dir);
    named::put_in_place(dir, path, bytes, true).map_err(|reason| Error::Write {
        path: path.to_path_buf(),
        reason,
    })
}

/// Takes the exclusive lock that tells [`sweep`] a temporary is in use.
fn hold(file: &File) -> Result<(), String> {
    flock(file, FlockOperation::LockExclusive).map_err(|e| e.to_string())
}

fn fill(mut file: &File, bytes: &[u8]) -> Result<(), String> {
    file.write_all(bytes)
        .and_then(|_| file.flush())
        .map_err(|e| e.to_string())?;
    // Outputs are documents to share: readable by all, as a plain file creation would leave them.
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
        .map_err(|e| e.to_string())
}

/// A short name for a temporary file in `dir`, unique in this process and across processes.
fn temporary_name(dir: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        "{TEMPORARY_PREFIX}{}-{n}{TEMPORARY_SUFFIX}",
        std::process::id()
    ))
}

/// Removes, once per folder and process, the temporaries a killed run left in `dir`: those whose lock
/// nobody holds. A temporary of a live run (this one or another) is held, and is left alone.
fn sweep(dir: &Path) {
    let mut guard = shared();
    if !guard.swept.insert(dir.to_path_buf()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
    drop(guard);
}

#[cfg(target_os = "linux")]
mod unnamed {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags, linkat, openat};
    use rustix::io::Errno;

    /// An unnamed file in `dir` (O_TMPFILE); `None` when the file system cannot make one.
    pub fn create(dir: &Path) -> Result<Option<File>, String> {
        let flags = OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC;
        match openat(CWD, dir, flags, Mode::from_raw_mode(0o644)) {
            Ok(fd) => Ok(Some(File::from(fd))),
            Err(Errno::OPNOTSUPP | Errno::ISDIR | Errno::INVAL) => Ok(None),
            Err(Errno::NOENT) => Err(format!("no folder {}", dir.display())),
            Err(e) => Err(std::io::Error::from(e).to_string()),
        }
    }

    /// Names the O_TMPFILE `file` and renames it over `path`; `None` when it cannot be named (no
    /// /proc), so that the caller writes a named temporary instead.
    pub fn put_in_place(file: &File, dir: &Path, path: &Path) -> Option<Result<(), String>> {
        let fd = format!("/proc/self/fd/{}", file.as_raw_fd());
        let guard = super::shared();
        if guard.stopping {
            return Some(Err(super::STOPPING.into()));
        }
        let name = super::temporary_name(dir);
        if linkat(CWD, fd.as_str(), CWD, &name, AtFlags::SYMLINK_FOLLOW).is_err() {
            return None;
        }
        let renamed = std::fs::rename(&name, path);
        if renamed.is_err() {
            let _ = std::fs::remove_file(&name);
        }
        drop(guard);
        Some(renamed.map_err(|e| e.to_string()))
    }
}

/// Where there is no O_TMPFILE: a named temporary, known to [`super::stop_writing`] while it exists.
mod named {
    use std::path::Path;

    /// Writes a complete named temporary, then renames it over `path` or, with `link`, links it as
    /// `path` (which fails when `path` exists: a new file that never replaces one).
    pub fn put_in_place(dir: &Path, path: &Path, bytes: &[u8], link: bool) -> Result<(), String> {
        let name = {
            let mut guard = super::shared();
            if guard.stopping {
                return Err(super::STOPPING.into());
            }
            let name = super::temporary_name(dir);
            guard.named.insert(name.clone());
            name
        };
        let result = write_then_rename(&name, path, bytes, link);
        let mut guard = super::shared();
        if result.is_err() || link {
            let _ = std::fs::remove_file(&name);
        }
        guard.named.remove(&name);
        result
    }

    fn write_then_rename(name: &Path, path: &Path, bytes: &[u8], link: bool) -> Result<(), String> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(name)
            .map_err(|e| e.to_string())?;
        super::hold(&file)?;
        super::fill(&file, bytes)?;
        let guard = super::shared();
        if guard.stopping {
            return Err(super::STOPPING.into());
        }
        if link {
            return std::fs::hard_link(name, path).map_err(|e| super::describe(&e));
        }
        std::fs::rename(name, path).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_a_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.txt");
        write(&target, b"old").expect("first write");
        write(&target, b"new").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        assert_eq!(names(dir.path()), ["a.txt"]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let e = write(Path::new("/nonexistent-folder/a.txt"), b"x").expect_err("fails");
        assert!(
            e.to_string()
                .contains("/nonexistent-folder/a.txt: cannot write"),
            "{e}"
        );
    }

    #[test]
    fn temporaries_nobody_holds_are_swept_and_held_ones_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let left = dir.path().join(".handout-1-0.tmp");
        std::fs::write(&left, b"left by a killed run").expect("write");
        let held_name = dir.path().join(".handout-2-0.tmp");
        let held = File::create(&held_name).expect("create");
        hold(&held).expect("lock");
        std::fs::write(dir.path().join(".other.tmp"), b"not ours").expect("write");
        write(&dir.path().join("a.txt"), b"new").expect("write");
        assert_eq!(
            names(dir.path()),
            [".handout-2-0.tmp", ".other.tmp", "a.txt"]
        );
    }

    #[test]
    fn a_link_to_a_document_keeps_the_link_and_replaces_the_document() {
        let dir = tempfile::tempdir().expect("temp dir");
        let document = dir.path().join("document.txt");
        std::fs::write(&document, b"old").expect("write");
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&document, &link).expect("link");
        write(&link, b"new").expect("write");
        assert!(std::fs::symlink_metadata(&link).expect("stat").is_symlink());
        assert_eq!(std::fs::read(&document).expect("read"), b"new");
    }
}
