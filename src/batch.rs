//! Batch production: every format for every source, spread over the cores. One bad source never stops
//! the others; results come back in the order of the sources, whatever the thread count.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::{Error, Format, Options};

/// What happened to one source.
#[derive(Debug)]
pub struct Outcome {
    pub source: PathBuf,
    /// The files written, in format order.
    pub written: Vec<PathBuf>,
    /// The first error met; the formats after it were not written.
    pub error: Option<Error>,
}

/// Expands the arguments of `handout all`: files as given, folders as every `*.json` in them (sorted,
/// not recursive), leaving out JSON Schemas (`schema.json`, `*.schema.json`), which live beside sources.
pub fn expand_sources(args: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for arg in args {
        if !arg.is_dir() {
            out.push(arg.clone());
            continue;
        }
        let entries = std::fs::read_dir(arg).map_err(|e| {
            Error::Source(crate::SourceErrors(vec![crate::source::SourceError {
                file: arg.clone(),
                position: None,
                path: String::new(),
                message: format!("cannot list the folder: {e}"),
            }]))
        })?;
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with("schema.json"))
            })
            .collect();
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// `DIR/<stem>.<ext>`.
pub fn output_path(source: &Path, dir: &Path, format: Format) -> PathBuf {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".into());
    dir.join(format!("{stem}.{}", format.extension()))
}

/// Loads one source and writes each of `formats` into `out_dir`.
pub fn produce(source: &Path, out_dir: &Path, formats: &[Format], options: &Options) -> Outcome {
    let mut outcome = Outcome {
        source: source.to_path_buf(),
        written: Vec::new(),
        error: None,
    };
    let result = crate::load(source).and_then(|loaded| {
        if formats.iter().any(|f| f.embeds_fonts()) {
            crate::check_fonts(&loaded, options.fonts()?)?;
        }
        // The formats of one source are rendered side by side; they are written in format order, and
        // the first failure (in that order) is the one reported.
        let rendered: Vec<Result<Vec<u8>, Error>> = formats
            .par_iter()
            .map(|&f| crate::render(&loaded.article, f, options))
            .collect();
        for (&format, bytes) in formats.iter().zip(rendered) {
            let path = output_path(source, out_dir, format);
            crate::output::write(&path, &bytes?)?;
            outcome.written.push(path);
        }
        Ok(())
    });
    outcome.error = result.err();
    outcome
}

/// Produces every source in parallel (on rayon's pool: all cores unless RAYON_NUM_THREADS says
/// otherwise); `done` is called as each source finishes (from any thread).
pub fn run(
    sources: &[PathBuf],
    out_dir: &Path,
    formats: &[Format],
    options: &Options,
    done: impl Fn(&Outcome) + Sync,
) -> Vec<Outcome> {
    sources
        .par_iter()
        .map(|s| {
            let outcome = produce(s, out_dir, formats, options);
            done(&outcome);
            outcome
        })
        .collect()
}
