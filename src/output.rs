//! Putting outputs in place so that nothing is ever half-written: the bytes go to a temporary file
//! beside the target, which is renamed over it once complete. A failed, interrupted or killed run
//! leaves the previous file as it was.
//!
//! On Linux the temporary file has no name while it is written (O_TMPFILE): if the process is killed,
//! even with SIGKILL, the kernel frees it and nothing is left behind. It gets a name only for the
//! instant between linking it and renaming it over the target. Where the file system has no O_TMPFILE,
//! a named temporary file is used (removed on every error, but left behind by SIGKILL).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// Writes `bytes` to `path` (`-` is standard output).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |reason: String| Error::Write {
        path: path.to_path_buf(),
        reason,
    };
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|_| out.flush())
            .map_err(|e| fail(e.to_string()));
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(fail("is a directory, expected a file name".into())),
        // A device or pipe (/dev/null, /dev/full, a FIFO) is written in place: it cannot be replaced.
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| fail(e.to_string()))?;
            return f
                .write_all(bytes)
                .and_then(|_| f.flush())
                .map_err(|e| fail(e.to_string()));
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    #[cfg(target_os = "linux")]
    match unnamed::write(dir, path, bytes) {
        Ok(true) => return Ok(()),
        Ok(false) => {} // no O_TMPFILE here: fall back to a named temporary file
        Err(e) => return Err(fail(e.to_string())),
    }
    write_named(dir, path, bytes).map_err(fail)
}

/// A name for a temporary file beside `path`, unique in this process and across processes.
fn temporary_name(dir: &Path, path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Outputs are documents to share: readable by all, as a plain file creation would leave them.
fn set_shared_permissions(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
    }
}

fn write_named(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(
            ".{}.",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.flush())
        .map_err(|e| e.to_string())?;
    set_shared_permissions(tmp.as_file());
    tmp.persist(path).map_err(|e| e.error.to_string())?;
    Ok(())
}

#[cfg(target_os = "linux")]
mod unnamed {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, linkat};

    /// Writes through an O_TMPFILE file; `Ok(false)` when the file system cannot give one.
    pub fn write(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
        let mut file = match tempfile::tempfile_in(dir) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!("no folder {}", dir.display()),
                ));
            }
            Err(e) => return Err(e),
        };
        file.write_all(bytes)?;
        file.flush()?;
        super::set_shared_permissions(&file);
        let name = super::temporary_name(dir, path);
        let fd = format!("/proc/self/fd/{}", file.as_raw_fd());
        // Only an O_TMPFILE file can be given a name again; tempfile's fallback (a named file it
        // unlinked) cannot, and that is how we learn there was no O_TMPFILE.
        if linkat(CWD, fd.as_str(), CWD, &name, AtFlags::SYMLINK_FOLLOW).is_err() {
            return Ok(false);
        }
        if let Err(e) = std::fs::rename(&name, path) {
            let _ = std::fs::remove_file(&name);
            return Err(e);
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.txt");
        write(&target, b"old").expect("first write");
        write(&target, b"new").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
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
}
