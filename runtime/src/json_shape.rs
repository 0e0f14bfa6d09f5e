//! Reading a JSON value into a generated struct: the runtime side of json variables whose
//! `typeScriptType` is an object type (or an `Array` of one).
//!
//! Generated structs implement [`JsonShape`] with [`json_object`] and [`json_field`]; the
//! loader's [`Json`](crate::__private::Json) way parses the text as JSON first and then asks
//! the struct to take the value apart. Keys the value has beyond the type are
//! ignored; a missing key or a value of the wrong type is a [`ShapeError`] at a path in the
//! JSON's own keys (`THEME_CONFIG.tiers[2]`).

use serde_json::Map;

use crate::JsonValue;
use barekey_typegen_shared::json::drop_iteratively;
pub use barekey_typegen_shared::shape::{JsonPath, ShapeError};

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
        None => Err(ShapeError::missing(&at, T::EXPECTED)),
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
                let (path, _, found) = error.into_parts();
                assert_eq!(path, ".name");
                let shown = found.unwrap();
                assert!(shown.starts_with("[[[[") && shown.contains('…'), "{shown}");
                assert!(shown.len() < 200, "{shown}");
                let error = Vec::<Named>::from_json(parse(&wrong_in_list), &JsonPath::root());
                assert_eq!(error.err().unwrap().into_parts().0, "[1]");
            })
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn vectors_report_the_failing_index() {
        let value = serde_json::json!(["a", "b", 7]);
        let error = Vec::<String>::from_json(value, &JsonPath::root()).unwrap_err();
        let (path, expected, found) = error.into_parts();
        assert_eq!(path, "[2]");
        assert_eq!(expected, "a string");
        assert_eq!(found.as_deref(), Some("7"));
    }
}
