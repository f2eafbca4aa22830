//! CSL-JSON and CSL-YAML bibliographies: arrays of CSL items, each deserialized into the model by the
//! model's own rules after the item is made to fit it. Real exports (Zotero, pandoc) carry CSL
//! variables the model does not hold, and write numbers and dates more loosely than the model reads
//! them; those are dropped or rewritten first, so that a pasted export loads, while a key that is
//! no CSL variable at all stays and is refused, at its place, as the model refuses it.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{Bibliography, date_parts, error};
use crate::model::Reference;
use crate::source::places::{Places, join};
use crate::source::tree::Tree;
use crate::source::{SourceError, SourceErrors};

/// The model's date fields.
const DATE_FIELDS: &[&str] = &["issued", "accessed"];

/// The model's name fields.
const NAME_FIELDS: &[&str] = &["author", "editor", "container-author", "translator"];

/// The model's text fields, which CSL also lets a number fill (`"volume": 56`, `"edition": 4`).
const TEXT_FIELDS: &[&str] = &[
    "id",
    "title",
    "container-title",
    "container-title-short",
    "edition",
    "volume",
    "issue",
    "page",
    "number",
    "DOI",
    "PMID",
    "PMCID",
    "URL",
    "publisher",
    "publisher-place",
    "language",
];

/// Whether `Reference` reads the key: its type and `x-et-al`, and its date, name and text fields.
fn is_model_field(key: &str) -> bool {
    ["type", "x-et-al"].contains(&key)
        || [DATE_FIELDS, NAME_FIELDS, TEXT_FIELDS]
            .iter()
            .any(|fields| fields.contains(&key))
}

/// CSL 1.0.2 standard variables (specification, appendix IV).
const STANDARD_VARIABLES: &[&str] = &[
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "citation-key",
    "citation-label",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "event",
    "event-title",
    "event-place",
    "genre",
    "ISBN",
    "ISSN",
    "jurisdiction",
    "keyword",
    "language",
    "license",
    "medium",
    "note",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "part-title",
    "PMCID",
    "PMID",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-genre",
    "reviewed-title",
    "scale",
    "source",
    "status",
    "title",
    "title-short",
    "URL",
    "volume-title",
    "volume-title-short",
    "year-suffix",
];

/// CSL 1.0.2 number variables.
const NUMBER_VARIABLES: &[&str] = &[
    "chapter-number",
    "citation-number",
    "collection-number",
    "edition",
    "first-reference-note-number",
    "issue",
    "locator",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "page",
    "page-first",
    "part-number",
    "printing-number",
    "section",
    "supplement-number",
    "version",
    "volume",
];

/// CSL 1.0.2 date variables.
const DATE_VARIABLES: &[&str] = &[
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
];

/// CSL 1.0.2 name variables.
const NAME_VARIABLES: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "editor-translator",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// Item keys the CSL-JSON schema (csl-data.json) allows besides the variables, as Zotero and
/// citeproc-js write them.
const ITEM_KEYS: &[&str] = &["categories", "custom", "journalAbbreviation", "shortTitle"];

/// Converts a CSL-JSON (`yaml` false) or CSL-YAML text.
pub(super) fn parse(
    shown: &Arc<Path>,
    text: &str,
    yaml: bool,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Bibliography, SourceErrors> {
    let tree = if yaml {
        Tree::yaml(shown, text, 1)
    } else {
        Tree::json(shown, text)
    };
    let mut tree = tree.map_err(|e| SourceErrors(vec![e]))?;
    let prefix = items_path(&tree, shown, yaml).map_err(|e| SourceErrors(vec![e]))?;
    let count = items(&tree.value, prefix).map_or(0, Vec::len);
    let mut out = Bibliography::default();
    let mut errors = Vec::new();
    let mut seen = HashMap::new();
    for i in 0..count {
        let path = join(prefix, &format!("[{i}]"));
        let id = match item_id(&tree, shown, &path, &mut seen) {
            Ok(id) => id,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        out.keys.push(id.clone());
        if wanted(&id) {
            match convert(&mut tree, shown, prefix, i) {
                Ok(entry) => out.entries.push(entry),
                Err(e) => errors.push(e),
            }
        }
    }
    match errors.is_empty() {
        true => Ok(out),
        false => Err(SourceErrors(errors)),
    }
}

/// Where the items are: the whole value (an array; nothing in an empty YAML file), or, in YAML, the
/// `references` of a mapping as pandoc writes it.
fn items_path(tree: &Tree, shown: &Arc<Path>, yaml: bool) -> Result<&'static str, SourceError> {
    let at = |path: &str| tree.places.find(path).map(|p| (p.line, p.column));
    let expected = match yaml {
        true => "expected an array of CSL items, or a mapping with \"references\" holding one",
        false => "expected an array of CSL items",
    };
    match &tree.value {
        Value::Array(_) => Ok(""),
        Value::Null if yaml => Ok(""),
        Value::Object(map) if yaml => {
            if let Some(key) = map.keys().find(|k| *k != "references") {
                let message = format!("the key \"{key}\", expected only \"references\"");
                return Err(error(shown, at(key), key, message));
            }
            match map.get("references") {
                Some(Value::Array(_)) => Ok("references"),
                Some(other) => {
                    let message = format!("{}, {expected}", describe(other));
                    Err(error(shown, at("references"), "references", message))
                }
                None => Err(error(
                    shown,
                    at(""),
                    "",
                    format!("an empty mapping, {expected}"),
                )),
            }
        }
        other => {
            let message = format!("{}, {expected}", describe(other));
            Err(error(shown, at(""), "", message))
        }
    }
}

/// The items under `prefix` ("" or "references").
fn items<'v>(value: &'v Value, prefix: &str) -> Option<&'v Vec<Value>> {
    match prefix {
        "" => value.as_array(),
        key => value.get(key)?.as_array(),
    }
}

fn item_mut<'v>(value: &'v mut Value, prefix: &str, i: usize) -> Option<&'v mut Value> {
    let items = match prefix {
        "" => value.as_array_mut()?,
        key => value.get_mut(key)?.as_array_mut()?,
    };
    items.get_mut(i)
}

/// The id of the item at `path` (text; a number is taken as its text), refused when missing or
/// already used (`seen` holds the ids met so far with their lines).
fn item_id(
    tree: &Tree,
    shown: &Arc<Path>,
    path: &str,
    seen: &mut HashMap<String, usize>,
) -> Result<String, SourceError> {
    let at = |path: &str| tree.places.find(path).map(|p| (p.line, p.column));
    let id_path = join(path, "id");
    let id = match tree.value.pointer(&pointer(path)) {
        Some(Value::Object(map)) => match map.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => {
                let message = format!("{}, expected the item's key as text", describe(other));
                return Err(error(shown, at(&id_path), &id_path, message));
            }
            None => {
                let message = "an item without \"id\", expected the key citations name it by";
                return Err(error(shown, at(path), path, message));
            }
        },
        other => {
            let found = other.map_or("nothing".to_string(), describe);
            let message = format!(
                "{found}, expected a CSL item (an object with \"id\", \"type\", \"title\"…)"
            );
            return Err(error(shown, at(path), path, message));
        }
    };
    let line = at(&id_path).map_or(0, |(line, _)| line);
    match seen.entry(id.clone()) {
        Entry::Occupied(first) => {
            let first = first.get();
            let message =
                format!("the id \"{id}\" again (first on line {first}), expected each id once");
            Err(error(shown, at(&id_path), &id_path, message))
        }
        Entry::Vacant(slot) => {
            slot.insert(line);
            Ok(id)
        }
    }
}

/// A rendered path of an item ("[3]", "references[3]") as a JSON pointer ("/3", "/references/3").
fn pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split(['[', ']']).filter(|p| !p.is_empty()) {
        out.push('/');
        out.push_str(part);
    }
    out
}

/// Item `i` under `prefix` as a model reference, with the places of its parts as written.
fn convert(
    tree: &mut Tree,
    shown: &Arc<Path>,
    prefix: &str,
    i: usize,
) -> Result<(Reference, Places), SourceError> {
    let path = join(prefix, &format!("[{i}]"));
    let mut places = Places::default();
    if let Some(item) = items(&tree.value, prefix).and_then(|items| items.get(i)) {
        walk(item, "", &mut |rel| {
            if let Some(place) = tree.places.find(&join(&path, rel)) {
                places.insert(rel, place.clone());
            }
        });
    }
    if let Some(Value::Object(item)) = item_mut(&mut tree.value, prefix, i) {
        normalize(item);
    }
    let reference = tree.deserialize::<Reference>(shown, &path, &path)?;
    Ok((reference, places))
}

/// Calls `f` with the path of `value` and of each of its parts, relative to `value`.
fn walk(value: &Value, path: &str, f: &mut dyn FnMut(&str)) {
    f(path);
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &join(path, &format!("[{i}]")), f);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                walk(item, &join(path, key), f);
            }
        }
        _ => {}
    }
}

/// Makes a CSL item fit the model: CSL variables the model lacks dropped, numbers in text fields
/// taken as text, dates and names rewritten to the model's forms.
fn normalize(item: &mut Map<String, Value>) {
    item.retain(|key, _| is_model_field(key) || !is_csl(key));
    for (key, value) in item.iter_mut() {
        match key.as_str() {
            key if DATE_FIELDS.contains(&key) => date(value),
            key if NAME_FIELDS.contains(&key) => {
                if let Value::Array(names) = value {
                    names.iter_mut().for_each(name);
                }
            }
            key if TEXT_FIELDS.contains(&key) => {
                if let Value::Number(n) = value {
                    *value = Value::String(n.to_string());
                }
            }
            _ => {}
        }
    }
}

/// Whether CSL defines `key` for an item.
fn is_csl(key: &str) -> bool {
    [
        STANDARD_VARIABLES,
        NUMBER_VARIABLES,
        DATE_VARIABLES,
        NAME_VARIABLES,
        ITEM_KEYS,
    ]
    .iter()
    .any(|list| list.contains(&key))
}

/// A CSL date in the model's form, `{"date-parts": [[2016, 5]]}`: an EDTF string ("2016-05") or a
/// bare year becomes date-parts, as does a `raw` or `edtf` field when date-parts are missing; date
/// parts written as strings of digits become numbers; `season` and `circa` are dropped (a reference
/// list shows neither). Anything else is left for the model to refuse, at its place.
fn date(value: &mut Value) {
    let written = match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(parts) = written.as_deref().and_then(date_parts) {
        *value = serde_json::json!({ "date-parts": parts });
        return;
    }
    let Value::Object(map) = value else { return };
    map.remove("season");
    map.remove("circa");
    if !map.contains_key("date-parts") {
        let parsed = ["raw", "edtf"]
            .iter()
            .find_map(|key| map.get(*key).and_then(Value::as_str).and_then(date_parts));
        if let Some(parts) = parsed {
            map.insert("date-parts".into(), serde_json::json!(parts));
        }
    }
    if let Some(Value::Array(parts)) = map.get_mut("date-parts") {
        // The other forms only repeat the date-parts.
        for part in parts.iter_mut().filter_map(Value::as_array_mut) {
            part.iter_mut().for_each(digits_as_number);
        }
        map.retain(|key, _| !matches!(key.as_str(), "raw" | "edtf" | "literal"));
    }
}

/// "2016" as 2016.
fn digits_as_number(value: &mut Value) {
    if let Value::String(s) = value
        && let Some(n) = super::digits(s.trim(), 9)
    {
        *value = Value::from(n);
    }
}

/// A CSL name in the model's form: particles joined to the family and given names ("van" + "Gogh"
/// gives "van Gogh"; the suffix, "Jr", stays apart), the flags that only steer CSL's sorting
/// dropped.
fn name(value: &mut Value) {
    let Value::Object(map) = value else { return };
    for flag in ["comma-suffix", "static-ordering", "parse-names"] {
        map.remove(flag);
    }
    if let Some(particle) = take_text(map, "non-dropping-particle") {
        join_name(map, "family", &particle, true);
    }
    if let Some(particle) = take_text(map, "dropping-particle") {
        join_name(map, "given", &particle, false);
    }
}

/// Removes and returns the text at `key`; a value that is not text stays, for the model to refuse.
fn take_text(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Value::String(_)) => map.remove(key).and_then(|v| v.as_str().map(str::to_string)),
        _ => None,
    }
}

/// Puts `part` before (`before`) or after the name at `key`, with a space.
fn join_name(map: &mut Map<String, Value>, key: &str, part: &str, before: bool) {
    let joined = match map.get(key).and_then(Value::as_str) {
        Some(name) if before => format!("{part} {name}"),
        Some(name) => format!("{name} {part}"),
        None => part.to_string(),
    };
    map.insert(key.into(), Value::String(joined));
}

/// What a value is, for messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "an empty value".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}
