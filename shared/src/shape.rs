//! Where a value is inside a json variable's JSON ([`JsonPath`]) and why it does not have its
//! type's shape ([`ShapeError`]): the runtime's generated structs and
//! `barekey-typegen env check` report a wrong shape alike.

use std::fmt;

use serde_json::Value as JsonValue;

use crate::json::drop_iteratively;

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
    path: String,
    /// What was expected there (`a string`).
    expected: &'static str,
    /// What was there instead, as the start of its JSON text; `None` when the key is missing.
    found: Option<String>,
}

impl ShapeError {
    /// The key at `at` is missing; `expected` says what the type wants there.
    pub fn missing(at: &JsonPath<'_>, expected: &'static str) -> Self {
        ShapeError {
            path: at.to_string(),
            expected,
            found: None,
        }
    }

    /// Where (after the variable's name), what was expected, and what was found (`None`: the
    /// key is missing).
    pub fn into_parts(self) -> (String, &'static str, Option<String>) {
        (self.path, self.expected, self.found)
    }

    /// `found` is at `at` where `expected` should be. It is written out only as far as a
    /// message shows it, and freed without recursion: it may nest to any depth.
    pub fn wrong(at: &JsonPath<'_>, expected: &'static str, found: JsonValue) -> Self {
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
