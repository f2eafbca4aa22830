//! Structured data (YAML, TOML, JSON) read into one form, a `serde_json::Value` with the place of every
//! value, so that front matter and bibliographies are deserialized into the model by the model's own
//! rules and every error points at the line and column of the value it is about.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::SourceError;
use super::places::{Place, Places, join};

/// A value and the place of each of its parts, by path relative to the value (`title`, `author[0]`;
/// the empty path is the whole value).
#[derive(Debug, Clone)]
pub struct Tree {
    pub value: Value,
    pub places: Places,
}

impl Tree {
    /// Parses YAML whose first line is line `first_line` of `file` (front matter starts below `---`).
    pub fn yaml(file: &Arc<Path>, text: &str, first_line: usize) -> Result<Tree, SourceError> {
        use saphyr::{LoadableYamlNode, MarkedYaml};
        let docs = MarkedYaml::load_from_str(text).map_err(|e| {
            let m = e.marker();
            error(
                file,
                Some((m.line() + first_line - 1, m.col() + 1)),
                "",
                e.info(),
            )
        })?;
        let mut tree = Tree {
            value: Value::Null,
            places: Places::default(),
        };
        match docs.len() {
            0 => {}
            1 => tree.value = tree.yaml_node(file, &docs[0], "", first_line)?,
            _ => {
                let at = docs[1].span.start;
                return Err(error(
                    file,
                    Some((at.line() + first_line - 1, at.col() + 1)),
                    "",
                    "a second YAML document, expected one",
                ));
            }
        }
        Ok(tree)
    }

    fn yaml_node(
        &mut self,
        file: &Arc<Path>,
        node: &saphyr::MarkedYaml,
        path: &str,
        first_line: usize,
    ) -> Result<Value, SourceError> {
        use saphyr::{Scalar, YamlData};
        let start = node.span.start;
        let place = (start.line() + first_line - 1, start.col() + 1);
        self.places.insert(path, Place::new(file, place.0, place.1));
        Ok(match &node.data {
            YamlData::Value(scalar) => match scalar {
                Scalar::Null => Value::Null,
                Scalar::Boolean(b) => Value::Bool(*b),
                Scalar::Integer(i) => Value::from(*i),
                Scalar::FloatingPoint(f) => Value::from(f.into_inner()),
                Scalar::String(s) => Value::String(s.to_string()),
            },
            YamlData::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.yaml_node(
                        file,
                        item,
                        &join(path, &format!("[{i}]")),
                        first_line,
                    )?);
                }
                Value::Array(out)
            }
            YamlData::Mapping(entries) => {
                let mut out = Map::new();
                for (key, value) in entries {
                    let YamlData::Value(Scalar::String(k)) = &key.data else {
                        let at = key.span.start;
                        return Err(error(
                            file,
                            Some((at.line() + first_line - 1, at.col() + 1)),
                            path,
                            "a key that is not text, expected a field name",
                        ));
                    };
                    let v = self.yaml_node(file, value, &join(path, k), first_line)?;
                    out.insert(k.to_string(), v);
                }
                Value::Object(out)
            }
            YamlData::Tagged(_, inner) => self.yaml_node(file, inner, path, first_line)?,
            YamlData::Alias(_) | YamlData::BadValue | YamlData::Representation(..) => {
                return Err(error(
                    file,
                    Some(place),
                    path,
                    "a YAML alias or a value that cannot be read, expected plain values",
                ));
            }
        })
    }

    /// Parses TOML whose first line is line `first_line` of `file` (front matter starts below `+++`).
    pub fn toml(file: &Arc<Path>, text: &str, first_line: usize) -> Result<Tree, SourceError> {
        let locate = |offset: usize| {
            let (line, column) = super::line_column(text, offset);
            (line + first_line - 1, column)
        };
        let table = toml::de::DeTable::parse(text).map_err(|e| {
            let at = e.span().map(|s| locate(s.start));
            error(file, at, "", e.message())
        })?;
        let mut tree = Tree {
            value: Value::Null,
            places: Places::default(),
        };
        let root = toml::de::DeValue::Table(table.get_ref().clone());
        tree.value = tree.toml_value(file, &root, table.span().start, "", &locate)?;
        Ok(tree)
    }

    fn toml_value(
        &mut self,
        file: &Arc<Path>,
        value: &toml::de::DeValue,
        offset: usize,
        path: &str,
        locate: &dyn Fn(usize) -> (usize, usize),
    ) -> Result<Value, SourceError> {
        use toml::de::DeValue;
        let (line, column) = locate(offset);
        self.places.insert(path, Place::new(file, line, column));
        Ok(match value {
            DeValue::String(s) => Value::String(s.to_string()),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                match i64::from_str_radix(&digits, i.radix()) {
                    Ok(n) => Value::from(n),
                    Err(_) => {
                        return Err(error(
                            file,
                            Some((line, column)),
                            path,
                            "an integer out of range",
                        ));
                    }
                }
            }
            DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
                Ok(x) if x.is_finite() => Value::from(x),
                _ => {
                    return Err(error(
                        file,
                        Some((line, column)),
                        path,
                        "a number that is not finite",
                    ));
                }
            },
            DeValue::Boolean(b) => Value::Bool(*b),
            // A TOML date (`date = 2025-06-20`) is read as the text it is written as.
            DeValue::Datetime(d) => Value::String(d.to_string()),
            DeValue::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let p = join(path, &format!("[{i}]"));
                    out.push(self.toml_value(
                        file,
                        item.get_ref(),
                        item.span().start,
                        &p,
                        locate,
                    )?);
                }
                Value::Array(out)
            }
            DeValue::Table(entries) => {
                let mut out = Map::new();
                for (key, item) in entries {
                    let p = join(path, key.get_ref());
                    let v = self.toml_value(file, item.get_ref(), item.span().start, &p, locate)?;
                    out.insert(key.get_ref().to_string(), v);
                }
                Value::Object(out)
            }
        })
    }

    /// Parses JSON (a CSL-JSON bibliography).
    pub fn json(file: &Arc<Path>, text: &str) -> Result<Tree, SourceError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string();
            error(file, Some((e.line(), e.column())), "", &message)
        })?;
        let mut tree = Tree {
            value,
            places: Places::default(),
        };
        let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default());
        if let Ok(Some(root)) = parsed.map(|r| r.value) {
            tree.json_places(file, text, &root, "");
        }
        Ok(tree)
    }

    fn json_places(
        &mut self,
        file: &Arc<Path>,
        text: &str,
        node: &jsonc_parser::ast::Value,
        path: &str,
    ) {
        use jsonc_parser::ast::Value as Node;
        use jsonc_parser::common::Ranged;
        let (line, column) = super::line_column(text, node.start());
        self.places.insert(path, Place::new(file, line, column));
        match node {
            Node::Object(o) => {
                for p in &o.properties {
                    self.json_places(file, text, &p.value, &join(path, p.name.as_str()));
                }
            }
            Node::Array(a) => {
                for (i, e) in a.elements.iter().enumerate() {
                    self.json_places(file, text, e, &join(path, &format!("[{i}]")));
                }
            }
            _ => {}
        }
    }

    /// Deserializes the part at `path` (empty: the whole value) into `T`; an error is placed at the
    /// value it is about, named by its path under `shown` (`meta`, `references[2]`).
    pub fn deserialize<T: DeserializeOwned>(
        &self,
        file: &Arc<Path>,
        path: &str,
        shown: &str,
    ) -> Result<T, SourceError> {
        let value = pointer(&self.value, path).unwrap_or(&Value::Null);
        serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = e.path().to_string();
            let inner = if inner == "." { String::new() } else { inner };
            let inner = inner
                .trim_end_matches(".?")
                .trim_end_matches('?')
                .to_string();
            let at = self
                .places
                .find(&join(path, &inner))
                .map(|p| (p.line, p.column));
            let message = super::quote_names(&e.into_inner().to_string());
            error(file, at, &join(shown, &inner), &message)
        })
    }
}

/// The value at a rendered path (`references[2]`, `meta`); the whole value for the empty path.
pub(crate) fn pointer<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut node = value;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.get(key)?;
        }
        while let Some(end) = rest.find(']') {
            node = node.get(rest[1..end].parse::<usize>().ok()?)?;
            rest = &rest[end + 1..];
        }
    }
    Some(node)
}

fn error(file: &Arc<Path>, at: Option<(usize, usize)>, path: &str, message: &str) -> SourceError {
    SourceError {
        file: file.to_path_buf(),
        position: at,
        path: path.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Reference;

    fn file() -> Arc<Path> {
        Arc::from(Path::new("refs.yaml"))
    }

    #[test]
    fn yaml_values_keep_their_places() {
        let text = "title: 标题\nkeywords:\n  - 甲\n  - 乙\n";
        let tree = Tree::yaml(&file(), text, 2).unwrap();
        assert_eq!(tree.value["keywords"][1], "乙");
        let p = tree.places.find("keywords[1]").unwrap();
        assert_eq!((p.line, p.column), (5, 5));
        let p = tree.places.find("title").unwrap();
        assert_eq!((p.line, p.column), (2, 8));
    }

    #[test]
    fn a_bad_field_is_placed_where_it_is_written() {
        let text = "- id: a\n  type: book\n  title: T\n  issued: {date-parts: [[x]]}\n";
        let tree = Tree::yaml(&file(), text, 1).unwrap();
        let e = tree
            .deserialize::<Reference>(&file(), "[0]", "references[0]")
            .unwrap_err();
        assert_eq!(e.path, "references[0].issued.date-parts[0][0]", "{e}");
        assert_eq!(e.position, Some((4, 26)), "{e}");
        assert!(e.message.contains("expected i32"), "{e}");
    }

    #[test]
    fn toml_and_json_keep_their_places() {
        let tree = Tree::toml(&file(), "title = \"标题\"\ndate = 2025-06-20\n", 2).unwrap();
        assert_eq!(tree.value["date"], "2025-06-20");
        let p = tree.places.find("date").unwrap();
        assert_eq!((p.line, p.column), (3, 8));
        let tree = Tree::json(&file(), "[\n {\"id\": \"a\",\n  \"title\": 5}]").unwrap();
        let p = tree.places.find("[0].title").unwrap();
        assert_eq!((p.line, p.column), (3, 12));
    }

    #[test]
    fn syntax_errors_are_located() {
        let e = Tree::yaml(&file(), "title: [a\n", 2).unwrap_err();
        assert!(e.position.is_some(), "{e}");
        let e = Tree::toml(&file(), "title = \n", 2).unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2), "{e}");
    }
}
