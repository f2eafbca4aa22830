//! Putting outputs in place: written to a temporary file beside the target and renamed over it, so that
//! a failed or interrupted run never leaves a partial file and the previous good file stays until its
//! replacement is complete.

use std::io::Write;
use std::path::Path;

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
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(format!("cannot create a file in {}: {e}", dir.display())))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.flush())
        .map_err(|e| fail(e.to_string()))?;
    // Outputs are documents to share: readable by all, as a plain file creation would leave them.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| fail(e.error.to_string()))?;
    Ok(())
}
