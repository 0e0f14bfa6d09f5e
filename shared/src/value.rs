//! How a variable's text becomes a value of its declared type (the service's parsing rules, which follow JavaScript): the rules the
//! runtime's `DeclaredValue` impls and `barekey-typegen env check` both apply.
//!
//! The service is written in TypeScript and checks every value with JavaScript built-ins
//! (`String.prototype.trim`, `Number`, `new Date`, `JSON.parse`). A reader must accept exactly
//! what they accept, with the same value, so each grammar here is JavaScript's, checked by hand
//! before any std parser runs: std's parsers and `str::trim` differ (`inf`, `NaN`, U+0085).

use serde_json::Value as JsonValue;

use crate::js::{self, trim as js_trim};
use crate::{DeclaredType, ParseError, Timestamp};

/// A `boolean`: trimmed as JavaScript trims, any ASCII case: `true`, `1`, `yes` or `false`,
/// `0`, `no`.
pub fn boolean(text: &str) -> Result<bool, ParseError> {
    let word = js_trim(text);
    let is = |candidate: &str| word.eq_ignore_ascii_case(candidate);
    if is("true") || is("1") || is("yes") {
        Ok(true)
    } else if is("false") || is("0") || is("no") {
        Ok(false)
    } else {
        Err(ParseError::NotBoolean)
    }
}

/// An `int64`: trimmed as JavaScript trims, `^-?(0|[1-9][0-9]*)$`, within `i64`; `-0` is 0.
pub fn int64(text: &str) -> Result<i64, ParseError> {
    let number = js_trim(text);
    // Why check first: `i64::from_str` also takes `+1` and leading zeros.
    if !is_integer(number) {
        return Err(ParseError::NotInteger);
    }
    // The grammar matched, so the only way left to fail is overflow.
    number.parse().map_err(|_| ParseError::IntegerOutOfRange)
}

/// Whether `text` matches `^-?(0|[1-9][0-9]*)$` with ASCII digits.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
    match digits {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// A `float`: trimmed as JavaScript trims, not empty, then JavaScript's `Number(text)`, which
/// must be finite: a decimal number such as `3.14`, `-.5`, `5.` or `+1e3`, or an unsigned
/// integer in hex, octal or binary (`0x1F`, `0o17`, `0b101`, either case), correctly rounded.
pub fn float(text: &str) -> Result<f64, ParseError> {
    // `Number` reads empty text as 0; the service refuses it first.
    if js_trim(text).is_empty() {
        return Err(ParseError::NotFloat);
    }
    match js::number(text) {
        value if value.is_finite() => Ok(value),
        value if value.is_nan() => Err(ParseError::NotFloat),
        _ => Err(ParseError::NotFinite),
    }
}

/// A `date`: trimmed as JavaScript trims, then the service's date grammar; see [`Timestamp`].
pub fn date(text: &str) -> Result<Timestamp, ParseError> {
    js_trim(text).parse()
}

/// A `json` value: what JavaScript's `JSON.parse` accepts, as the service stores it
/// ([`crate::json::parse`]).
pub fn json(text: &str) -> Result<JsonValue, ParseError> {
    crate::json::parse(text)
}

/// Whether `text` is a valid value of `declared_type` (a `string` always is); why not if not.
pub fn check(declared_type: DeclaredType, text: &str) -> Result<(), ParseError> {
    match declared_type {
        DeclaredType::String => Ok(()),
        DeclaredType::Boolean => boolean(text).map(drop),
        DeclaredType::Int64 => int64(text).map(drop),
        DeclaredType::Float => float(text).map(drop),
        DeclaredType::Date => date(text).map(drop),
        // Dropped without recursion: a hand-set value may nest deeper than a stack allows.
        DeclaredType::Json => json(text).map(|value| crate::json::drop_iteratively(vec![value])),
    }
}
