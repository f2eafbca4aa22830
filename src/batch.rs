//! Batch production: every format for every source, spread over the cores. One bad source never stops
//! the others; results come back in the order of the sources, whatever the thread count.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use rayon::prelude::*;

use crate::style::config;
use crate::style::{FaceFiles, Paper};
use crate::{Error, FontCache, Format, Options, SourceErrors};

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
    run_each(sources, out_dir, formats, |_| options, done)
}

/// [`run`] with each source's own options (the style of the configuration found for it, see
/// [`configure`]): `options_of(i)` are the options of `sources[i]`.
pub fn run_each<'o>(
    sources: &[PathBuf],
    out_dir: &Path,
    formats: &[Format],
    options_of: impl Fn(usize) -> &'o Options + Sync,
    done: impl Fn(&Outcome) + Sync,
) -> Vec<Outcome> {
    sources
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let outcome = produce(s, out_dir, formats, options_of(i));
            done(&outcome);
            outcome
        })
        .collect()
}

/// The options of each source of a batch, with the house style of the configuration found for it
/// ([`config::find`]: `--config`, else `handout.toml` beside it, else in the current folder).
pub struct Configured {
    /// Each source's options, in the order of the sources; `None` when its configuration failed.
    pub options: Vec<Option<Options>>,
    /// Every configuration that failed, each once (however many sources it serves).
    pub errors: Vec<SourceErrors>,
}

/// Finds, loads and applies the configuration of every source. Each configuration is read once:
/// the sources that share it share one style (one `Arc`). The fonts are cached per set of faces:
/// sources whose styles name the same font files share one [`FontCache`] (so the faces are mapped
/// once), and a style with other faces never sees another's.
pub fn configure(
    sources: &[PathBuf],
    explicit: Option<&Path>,
    paper: Option<Paper>,
    base: &Options,
) -> Configured {
    // By configuration (its real path when it has one): the options it gives, none if it failed.
    let mut by_config: HashMap<Option<PathBuf>, Option<Options>> = HashMap::new();
    let mut caches: Vec<(FaceFiles, FontCache)> = Vec::new();
    let mut errors = Vec::new();
    let mut options = Vec::with_capacity(sources.len());
    for source in sources {
        let found = config::find(Some(source), explicit);
        let key = found
            .as_ref()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()));
        let entry = by_config.entry(key).or_insert_with(|| {
            let loaded = found.as_deref().map(config::load).transpose();
            match loaded.and_then(|c| config::style(c.as_ref(), paper)) {
                Ok(style) => {
                    let fonts = match caches.iter().find(|(faces, _)| *faces == style.faces) {
                        Some((_, cache)) => cache.clone(),
                        None => {
                            let cache = if style.faces == base.style.faces {
                                base.fonts.clone()
                            } else {
                                FontCache::default()
                            };
                            caches.push((style.faces.clone(), cache.clone()));
                            cache
                        }
                    };
                    Some(Options {
                        style: Arc::new(style),
                        fonts,
                        ..base.clone()
                    })
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        });
        options.push(entry.clone());
    }
    Configured { options, errors }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_cache(a: &Options, b: &Options) -> bool {
        Arc::ptr_eq(&a.fonts.0, &b.fonts.0)
    }

    #[test]
    fn sources_share_their_config_s_style_and_fonts_and_no_one_else_s() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let body = fonts.join("NotoSansSC-Regular.ttf");
        let folders = [
            ("a5", "paper = \"a5\"\n".to_string()),
            ("letter", "paper = \"letter\"\n".to_string()),
            ("sans", format!("[fonts]\nbody = \"{}\"\n", body.display())),
            ("none", String::new()),
        ];
        let mut sources = Vec::new();
        for (name, toml) in &folders {
            let sub = dir.path().join(name);
            std::fs::create_dir(&sub).expect("mkdir");
            if !toml.is_empty() {
                std::fs::write(sub.join(config::FILE_NAME), toml).expect("write");
            }
            sources.push(sub.join("1.json"));
            sources.push(sub.join("2.json"));
        }
        let base = Options::default();
        let c = configure(&sources, None, None, &base);
        assert!(c.errors.is_empty());
        let o: Vec<&Options> = c.options.iter().map(|o| o.as_ref().expect("set")).collect();
        // Sources beside one file share its style.
        for pair in o.chunks(2) {
            assert!(Arc::ptr_eq(&pair[0].style, &pair[1].style));
            assert!(same_cache(pair[0], pair[1]));
        }
        assert_eq!(o[0].style.paper, Paper::A5);
        assert_eq!(o[2].style.paper, Paper::Letter);
        assert!(o[6].style.is_default());
        // The same faces, the same fonts; other faces, a cache of their own.
        assert!(same_cache(o[0], o[2]) && same_cache(o[0], o[6]) && same_cache(o[6], &base));
        assert!(!same_cache(o[4], o[0]));
        assert!(o[4].style.faces.get(crate::fonts::Face::SerifRegular) == Some(&body));

        // --paper over every file; a broken file is reported once and fails only its sources.
        std::fs::write(
            dir.path().join("letter").join(config::FILE_NAME),
            "paper = 3\n",
        )
        .expect("write");
        let c = configure(&sources, None, Some(Paper::B5), &base);
        assert_eq!(c.errors.len(), 1);
        assert!(c.options[2].is_none() && c.options[3].is_none());
        assert_eq!(c.options[0].as_ref().expect("set").style.paper, Paper::B5);
    }
}
