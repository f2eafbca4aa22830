//! Batch production: every format for every source, spread over the cores. One bad source never stops
//! the others; results come back in the order of the sources, whatever the thread count.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
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

/// Expands the arguments of `handout all`: files as given, folders as every `*.json` and `*.md` in them
/// (sorted, not recursive), leaving out JSON Schemas (`schema.json`, `*.schema.json`), which live beside
/// sources.
/// An entry that cannot be read as a file (a dangling or looping link) is kept, so that it fails as a
/// source with its reason rather than vanish.
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
            .filter(|p| {
                !p.is_dir()
                    && (p.extension().is_some_and(|x| x == "json") || crate::source::is_markdown(p))
            })
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

/// Folds an article given in both forms, `x.json` and `x.md` side by side, into its JSON source when
/// both load to the same model: they would write the same bytes to the same outputs. Twins that differ
/// (or do not load) stay, and [`plan`] refuses them as outputs that collide.
pub fn fold_twins(sources: Vec<PathBuf>, limit: u64) -> Vec<PathBuf> {
    let jsons: std::collections::HashSet<&Path> = sources
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(PathBuf::as_path)
        .collect();
    let twin_of = |md: &Path| {
        let json = md.with_extension("json");
        jsons.contains(json.as_path()).then_some(json)
    };
    let same = |md: &Path, json: &Path| {
        let load = |p: &Path| {
            crate::source::Source::read(p, limit)
                .ok()
                .map(|s| s.article)
        };
        match (load(md), load(json)) {
            (Some(a), Some(mut b)) => {
                b.schema = None;
                a == b
            }
            _ => false,
        }
    };
    let drop: Vec<bool> = sources
        .iter()
        .map(|p| crate::source::is_markdown(p) && twin_of(p).is_some_and(|json| same(p, &json)))
        .collect();
    sources
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(p, _)| p.clone())
        .collect()
}

/// `DIR/<stem>.<ext>`; standard input (`-`) is `DIR/stdin.<ext>`.
pub fn output_path(source: &Path, dir: &Path, format: Format) -> PathBuf {
    let stem = if source.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "article".into())
    };
    dir.join(format!("{stem}.{}", format.extension()))
}

/// A file's identity, whatever path names it (links followed): device and inode.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Refuses, before anything is written, an output that would replace one of the run's sources (the
/// same file by device and inode, however it is spelled).
pub fn refuse_replacing_sources(sources: &[PathBuf], outputs: &[PathBuf]) -> Result<(), Error> {
    let mut by_identity = HashMap::new();
    for s in sources {
        if let Some(id) = identity(s) {
            by_identity.entry(id).or_insert(s);
        }
    }
    refuse_replacing(&by_identity, outputs)
}

/// The check of [`refuse_replacing_sources`], on sources already known by identity.
fn refuse_replacing(
    by_identity: &HashMap<(u64, u64), &PathBuf>,
    outputs: &[PathBuf],
) -> Result<(), Error> {
    for output in outputs {
        if let Some(source) = identity(output).and_then(|id| by_identity.get(&id)) {
            return Err(Error::Usage(format!(
                "{}: the output would replace the source {}; nothing was written \
                 (choose another output name or folder)",
                output.display(),
                source.display()
            )));
        }
    }
    Ok(())
}

/// The sources of a batch, each once (the same file named twice is produced once), after checking
/// that no two write the same output and that no output replaces a source: both are usage errors found
/// before anything is written.
pub fn plan(
    sources: &[PathBuf],
    out_dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, Error> {
    // Each source is looked up once: its identity both folds repeats and guards it against outputs.
    let mut by_identity = HashMap::new();
    let unique: Vec<&PathBuf> = sources
        .iter()
        .filter(|&s| match identity(s) {
            Some(id) => match by_identity.entry(id) {
                Entry::Vacant(first) => {
                    first.insert(s);
                    true
                }
                Entry::Occupied(_) => false,
            },
            None => true,
        })
        .collect();
    let mut owner: HashMap<PathBuf, &PathBuf> = HashMap::new();
    let mut outputs = Vec::new();
    for &source in &unique {
        for &format in formats {
            let output = output_path(source, out_dir, format);
            if let Some(first) = owner.insert(output.clone(), source) {
                return Err(Error::Usage(format!(
                    "{} and {} would both be written to {} (and the other formats beside it); \
                     nothing was written: produce them with separate --out-dir folders, or rename one",
                    first.display(),
                    source.display(),
                    output.display()
                )));
            }
            outputs.push(output);
        }
    }
    refuse_replacing(&by_identity, &outputs)?;
    Ok(unique.into_iter().cloned().collect())
}

/// Loads one source and writes each of `formats` into `out_dir`.
pub fn produce(source: &Path, out_dir: &Path, formats: &[Format], options: &Options) -> Outcome {
    let mut outcome = Outcome {
        source: source.to_path_buf(),
        written: Vec::new(),
        error: None,
    };
    let result = crate::load_with(source, options).and_then(|loaded| {
        if formats.iter().any(|f| f.embeds_fonts()) {
            crate::check_fonts(&loaded, options.fonts()?)?;
        }
        // The formats of one source are rendered together (side by side, sharing the font subsets);
        // they are written in format order, and the first failure (in that order) is the one reported.
        let rendered = crate::render_formats(&loaded.article, formats, options);
        for (&format, bytes) in formats.iter().zip(rendered) {
            let path = output_path(source, out_dir, format);
            let bytes = bytes.map_err(|e| crate::located(&loaded, e))?;
            crate::output::write(&path, &bytes)?;
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
