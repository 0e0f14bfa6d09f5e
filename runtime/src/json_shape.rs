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
        match value {
            JsonValue::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| T::from_json(item, &at.index(index)))
                .collect(),
            other => Err(ShapeError::wrong(at, Self::EXPECTED, other)),
        }
    }
}

/// The object `value`, found at `at`, whose keys a generated struct then takes with
/// [`json_field`].
///
/// # Errors
///
/// When `value` is not an object.
pub fn json_object(
    value: JsonValue,
    at: &JsonPath<'_>,
) -> Result<Map<String, JsonValue>, ShapeError> {
    match value {
        JsonValue::Object(object) => Ok(object),
        other => Err(ShapeError::wrong(at, "an object", other)),
    }
}

/// The value of `key` in `object` (found at `at`) as a `T`, taken out of the object.
///
/// # Errors
///
/// When the key is missing or its value is not a `T`.
pub fn json_field<T: JsonShape>(
    object: &mut Map<String, JsonValue>,
    key: &str,
    at: &JsonPath<'_>,
) -> Result<T, ShapeError> {
    let at = at.key(key);
    match object.remove(key) {
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
    /// What was there instead; `None` when the key is missing.
    pub(crate) found: Option<JsonValue>,
}

impl ShapeError {
    fn wrong(at: &JsonPath<'_>, expected: &'static str, found: JsonValue) -> Self {
        ShapeError {
            path: at.to_string(),
            expected,
            found: Some(found),
        }
    }
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

    #[test]
    fn vectors_report_the_failing_index() {
        let value = serde_json::json!(["a", "b", 7]);
        let error = Vec::<String>::from_json(value, &JsonPath::root()).unwrap_err();
        assert_eq!(error.path, "[2]");
        assert_eq!(error.expected, "a string");
        assert_eq!(error.found, Some(serde_json::json!(7)));
    }
}
