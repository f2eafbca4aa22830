//! Where the parts of a model were written, for sources whose text is not the model's own JSON: a
//! Markdown article, its front matter, its bibliography file. Validation finds problems by the model's
//! JSON path (`blocks[3].paragraph[1].cite[0]`); these places turn such a path back into a file, line
//! and column.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A place in a file: 1-based line and column (in characters, as editors count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: Arc<Path>,
    pub line: usize,
    pub column: usize,
}

impl Place {
    pub fn new(file: &Arc<Path>, line: usize, column: usize) -> Place {
        Place {
            file: file.clone(),
            line,
            column,
        }
    }
}

/// The places of a model's parts, by the JSON path of the model (`meta.title`, `blocks[3]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places(HashMap<String, Place>);

impl Places {
    /// Records where the part at `path` was written (the first record of a path stays).
    pub fn insert(&mut self, path: impl Into<String>, place: Place) {
        self.0.entry(path.into()).or_insert(place);
    }

    /// The place of `path`, or of the nearest part that holds it and has a place.
    pub fn find(&self, path: &str) -> Option<&Place> {
        let mut path = path;
        loop {
            if let Some(place) = self.0.get(path) {
                return Some(place);
            }
            path = parent(path)?;
        }
    }

    /// Adds the places of `other`, whose paths are relative to `prefix` (`references[2]` and `title`
    /// give `references[2].title`; `[0]` gives `references[2][0]`; the empty path gives the prefix).
    pub fn extend_under(&mut self, prefix: &str, other: Places) {
        for (path, place) in other.0 {
            self.insert(join(prefix, &path), place);
        }
    }

    /// The places of `from` and its parts, with `from` replaced by `to` in their paths (the front
    /// matter's `keywords[1]` is the model's `meta.keywords[1]`).
    pub fn moved(&self, from: &str, to: &str) -> Places {
        let mut out = Places::default();
        for (path, place) in &self.0 {
            let Some(rest) = path.strip_prefix(from) else {
                continue;
            };
            if rest.is_empty() || rest.starts_with(['.', '[']) {
                out.insert(format!("{to}{rest}"), place.clone());
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `prefix` followed by a relative path (`title`, `[3]`, `a.b`).
pub fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// The path of the part that holds `path`: `a.b[2]` -> `a.b` -> `a`; none for a top-level key.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(line: usize) -> Place {
        Place::new(&Arc::from(Path::new("a.md")), line, 1)
    }

    #[test]
    fn a_path_without_a_place_takes_the_nearest_holder() {
        let mut places = Places::default();
        places.insert("blocks[3]", place(7));
        places.insert("blocks[3].paragraph[1]", place(8));
        assert_eq!(
            places.find("blocks[3].paragraph[1].cite[0]"),
            Some(&place(8))
        );
        assert_eq!(places.find("blocks[3].paragraph[2]"), Some(&place(7)));
        assert_eq!(places.find("blocks[4]"), None);
        assert_eq!(places.find("meta.title"), None);
    }

    #[test]
    fn places_join_under_a_prefix() {
        let mut inner = Places::default();
        inner.insert("title", place(2));
        inner.insert("author[0]", place(3));
        inner.insert("", place(1));
        let mut places = Places::default();
        places.extend_under("references[4]", inner);
        assert_eq!(places.find("references[4].title"), Some(&place(2)));
        assert_eq!(
            places.find("references[4].author[0].family"),
            Some(&place(3))
        );
        assert_eq!(places.find("references[4].issued"), Some(&place(1)));
        assert_eq!(join("a", "[1]"), "a[1]");
        let moved = places.moved("references[4]", "refs");
        assert_eq!(moved.find("refs.title"), Some(&place(2)));
        assert_eq!(moved.find("refs"), Some(&place(1)));
        assert!(places.moved("references[4].tit", "x").is_empty());
        assert_eq!(join("", "b"), "b");
    }
}
