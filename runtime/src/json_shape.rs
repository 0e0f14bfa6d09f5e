//! Reading a JSON value into a generated struct: the runtime side of json variables whose
//! `typeScriptType` is an object type (or an `Array` of one).
//!
//! Generated structs implement [`JsonShape`] with [`json_object`] and [`json_field`]; the
//! loader ([`Loader::read_json`](crate::Loader::read_json)) parses the text as JSON first and
//! then asks the struct to take the value apart. Keys the value has beyond the type are
//! ignored; a missing key or a value of the wrong type is a [`ShapeError`] at a path in the
//! JSON's own keys (`THEME_CONFIG.tiers[2]`).

use std::fmt;

use serde_json::Map;

use crate::JsonValue;
use barekey_typegen_shared::json::drop_iteratively;

/// A Rust type a JSON value can be taken apart into: `String` (a JSON string), `f64` (a
/// number), `bool`, [`JsonValue`] (anything), `Vec<T>` (an array of `T`), and the structs
/// generated for object types.
///
/// `Default` gives the stand-in the loader uses while it keeps reading after a problem.
pub trait JsonShape: Sized + Default {
    /// What a value of this shape is, for messages: `a string`, `an object`.
    const EXPECTED: &'static str;

    /// Takes `value`, found at `at`, apart into `Self`.
    ///
    /// # Errors
    ///
    /// The first missing key or value of the wrong type, with its path.
    fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError>;
}

impl JsonShape for String {
    const EXPECTED: &'static str = "a string";

    fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
        match value {
            JsonValue::String(text) => Ok(text),
            other => Err(ShapeError::wrong(at, Self::EXPECTED, other)),
        }
    }
}

impl JsonShape for f64 {
    const EXPECTED: &'static str = "a number";

    fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
        match value.as_f64() {
            Some(number) => Ok(number),
            None => Err(ShapeError::wrong(at, Self::EXPECTED, value)),
        }
    }
}

impl JsonShape for bool {
    const EXPECTED: &'static str = "a boolean";

    fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
        match value {
            JsonValue::Bool(flag) => Ok(flag),
            other => Err(ShapeError::wrong(at, Self::EXPECTED, other)),
        }
    }
}

impl JsonShape for JsonValue {
    const EXPECTED: &'static str = "a JSON value";

    /// Any value, as is.
    fn from_json(value: JsonValue, _: &JsonPath<'_>) -> Result<Self, ShapeError> {
        Ok(value)
    }
}

impl<T: JsonShape> JsonShape for Vec<T> {
    const EXPECTED: &'static str = "an array";

    fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
        let JsonValue::Array(items) = value else {
            return Err(ShapeError::wrong(at, Self::EXPECTED, value));
        };
        let mut read = Vec::with_capacity(items.len());
        let mut items = items.into_iter();
        for (index, item) in items.by_ref().enumerate() {
            match T::from_json(item, &at.index(index)) {
                Ok(item) => read.push(item),
                Err(error) => {
                    // The items not read may nest deeper than a recursive drop can go.
                    drop_iteratively(items.collect());
                    return Err(error);
                }
            }
        }
        Ok(read)
    }
}

/// The object `value`, found at `at`, whose keys a generated struct then takes with
/// [`json_field`].
///
/// # Errors
///
/// When `value` is not an object.
pub fn json_object(value: JsonValue, at: &JsonPath<'_>) -> Result<JsonObject, ShapeError> {
    match value {
        JsonValue::Object(object) => Ok(JsonObject(object)),
        other => Err(ShapeError::wrong(at, "an object", other)),
    }
}

/// An object being taken apart by a generated struct ([`json_object`], [`json_field`]). The
/// keys no field took are freed without recursion when it goes: the service stores JSON of any
/// depth, and an ignored key may nest deeper than a recursive drop can go.
#[derive(Debug)]
pub struct JsonObject(Map<String, JsonValue>);

impl Drop for JsonObject {
    fn drop(&mut self) {
        let rest = std::mem::take(&mut self.0);
        drop_iteratively(rest.into_iter().map(|(_, value)| value).collect());
    }
}

/// The value of `key` in `object` (found at `at`) as a `T`, taken out of the object.
///
/// # Errors
///
/// When the key is missing or its value is not a `T`.
pub fn json_field<T: JsonShape>(
    object: &mut JsonObject,
    key: &str,
    at: &JsonPath<'_>,
) -> Result<T, ShapeError> {
    let at = at.key(key);
    match object.0.remove(key) {
        Some(value) => T::from_json(value, &at),
        None => Err(ShapeError {
            path: at.to_string(),
            expected: T::EXPECTED,
            found: None,
        }),
    }
}

/// Where a value is inside a variable's JSON: the root, then keys and array indexes.
///
/// Built on the stack as the value is taken apart, and written out only for an error.
#[derive(Debug, Clone, Copy)]
pub struct JsonPath<'a> {
    parent: Option<&'a JsonPath<'a>>,
    step: Step<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl JsonPath<'static> {
    /// The value itself.
    pub const fn root() -> Self {
        JsonPath {
            parent: None,
            step: Step::Root,
        }
    }
}

impl<'a> JsonPath<'a> {
    /// The value of `key` in the object here.
    pub fn key(&'a self, key: &'a str) -> JsonPath<'a> {
        JsonPath {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// Item `index` (from 0) of the array here.
    pub fn index(&'a self, index: usize) -> JsonPath<'a> {
        JsonPath {
            parent: Some(self),
            step: Step::Index(index),
        }
    }
}

impl fmt::Display for JsonPath<'_> {
    /// The steps after the variable's name: `.darkMode`, `.tiers[2]`, `["bad-key"]`; empty at
    /// the root.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Root => Ok(()),
            Step::Key(key) if is_identifier(key) => write!(f, ".{key}"),
            Step::Key(key) => write!(f, "[{}]", JsonValue::from(key)),
            Step::Index(index) => write!(f, "[{index}]"),
        }
    }
}

/// Whether `key` reads as a JavaScript identifier (ASCII only), so `.key` is unambiguous.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A JSON value that does not have the shape its type describes.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeError {
    /// Where, after the variable's name (`.tiers[2]`).
    pub(crate) path: String,
    /// What was expected there (`a string`).
    pub(crate) expected: &'static str,
    /// What was there instead, as the start of its JSON text; `None` when the key is missing.
    pub(crate) found: Option<String>,
}

impl ShapeError {
    /// `found` is written out only as far as a message shows it, and freed without recursion:
    /// it may nest to any depth.
    fn wrong(at: &JsonPath<'_>, expected: &'static str, found: JsonValue) -> Self {
        let mut shown = String::new();
        preview(&found, 0, &mut shown);
        drop_iteratively(vec![found]);
        ShapeError {
            path: at.to_string(),
            expected,
            found: Some(shown),
        }
    }
}

/// How much of a wrong value's JSON text a message needs (it shows 80 characters).
const PREVIEW_CHARS: usize = 100;

/// How deep [`preview`] goes: bounded, so a value of any depth cannot exhaust the stack.
const PREVIEW_DEPTH: usize = 8;

/// Appends the start of `value`'s JSON text to `out`: at most about [`PREVIEW_CHARS`]
/// characters and [`PREVIEW_DEPTH`] levels, `…` for the rest.
fn preview(value: &JsonValue, depth: usize, out: &mut String) {
    if out.len() > PREVIEW_CHARS {
        return;
    }
    let (open, close, items): (char, char, Vec<(Option<&String>, &JsonValue)>) = match value {
        JsonValue::Array(items) => ('[', ']', items.iter().map(|item| (None, item)).collect()),
        JsonValue::Object(map) => ('{', '}', map.iter().map(|(k, v)| (Some(k), v)).collect()),
        scalar => {
            out.push_str(&scalar.to_string());
            return;
        }
    };
    out.push(open);
    if depth >= PREVIEW_DEPTH && !items.is_empty() {
        out.push('…');
    } else {
        for (index, (key, item)) in items.into_iter().enumerate() {
            if out.len() > PREVIEW_CHARS {
                out.push('…');
                break;
            }
            if index > 0 {
                out.push(',');
            }
            if let Some(key) = key {
                out.push_str(&JsonValue::String(key.clone()).to_string());
                out.push(':');
            }
            preview(item, depth + 1, out);
        }
    }
    out.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_use_the_json_keys() {
        let root = JsonPath::root();
        let tiers = root.key("tiers");
        let item = tiers.index(2);
        let odd = item.key("bad-key");
        assert_eq!(root.to_string(), "");
        assert_eq!(item.to_string(), ".tiers[2]");
        assert_eq!(odd.to_string(), ".tiers[2][\"bad-key\"]");
    }

    /// A struct of one string field, as generated code takes it apart.
    #[derive(Default)]
    struct Named {
        name: String,
    }

    impl JsonShape for Named {
        const EXPECTED: &'static str = "an object";

        fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
            let mut object = json_object(value, at)?;
            Ok(Named {
                name: json_field(&mut object, "name", at)?,
            })
        }
    }

    #[test]
    fn values_of_any_depth_are_ignored_or_refused_without_exhausting_the_stack() {
        let deep = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        let ignored = format!(r#"{{"name": "x", "extra": {}}}"#, deep(200_000));
        let wrong = format!(r#"{{"name": {}}}"#, deep(200_000));
        let wrong_in_list = format!(r#"[{{"name": "x"}}, 7, {}]"#, deep(200_000));
        // A small stack: a recursive drop or serialisation of 200,000 levels would overflow it.
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let parse = |text: &str| barekey_typegen_shared::json::parse(text).unwrap();
                let named = Named::from_json(parse(&ignored), &JsonPath::root()).unwrap();
                assert_eq!(named.name, "x");
                let error = Named::from_json(parse(&wrong), &JsonPath::root())
                    .err()
                    .unwrap();
                assert_eq!(error.path, ".name");
                let shown = error.found.unwrap();
                assert!(shown.starts_with("[[[[") && shown.contains('…'), "{shown}");
                assert!(shown.len() < 200, "{shown}");
                let error = Vec::<Named>::from_json(parse(&wrong_in_list), &JsonPath::root());
                assert_eq!(error.err().unwrap().path, "[1]");
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn vectors_report_the_failing_index() {
        let value = serde_json::json!(["a", "b", 7]);
        let error = Vec::<String>::from_json(value, &JsonPath::root()).unwrap_err();
        assert_eq!(error.path, "[2]");
        assert_eq!(error.expected, "a string");
        assert_eq!(error.found.as_deref(), Some("7"));
    }
}
