//! JavaScript's `JSON.parse`, as the service runs it on a `json` value, into a serde_json
//! `Value` (the runtime's `JsonValue`).
//!
//! The service accepts whatever `JSON.parse` accepts and stores it re-serialised with
//! `JSON.stringify`. serde_json's parser refuses some of that (more than 127 levels of nesting,
//! a lone surrogate escape, `1e400`) and keeps integers past 2^53 exactly, where the service
//! keeps doubles. So this parser follows ECMA-404, as `JSON.parse` does, and gives the value
//! the service stores:
//!
//! - any nesting depth: the parser keeps its own stack on the heap, so it never overflows the
//!   thread's stack;
//! - numbers are doubles, correctly rounded: `9007199254740993` is `9007199254740992`. `-0` is
//!   `0` and a number too large for a double (`1e400`) is `null`, as `JSON.stringify` stores
//!   them. A whole number below 2^63 in magnitude is held as a serde_json integer (the same
//!   double), so `as_i64` works on it;
//! - a lone surrogate escape (`"\ud800"`) reads as U+FFFD: JavaScript strings may hold one, a
//!   Rust `String` cannot. Two keys that differ only there become one key, the later value;
//! - a repeated key keeps its last value, as in JavaScript;
//! - a `__proto__` key is dropped, at any depth (`{"__proto__": 1}` is `{}`): the service
//!   rebuilds every object key by key, where assigning `__proto__` sets the new object's
//!   prototype instead of a key, so no value it stores holds one.

use serde_json::{Map, Number, Value as JsonValue};

use crate::ParseError;

/// The key the service's rebuild of an object drops (see the module documentation).
const PROTO_KEY: &str = "__proto__";

/// Parses `text` as `JSON.parse` does, then drops `__proto__` keys as the service does; see the
/// module documentation.
pub fn parse(text: &str) -> Result<JsonValue, ParseError> {
    let mut parser = Parser { text, at: 0 };
    let mut stack = Vec::new();
    let outcome = parser.value(&mut stack);
    if outcome.is_err() {
        // Why by hand: what was read so far may nest deeper than a recursive drop can go.
        let values = stack.into_iter().flat_map(Frame::into_values);
        drop_iteratively(values.collect());
    }
    outcome
}

/// A container being read: its items so far, and for an object the key of the next value.
enum Frame {
    Array(Vec<JsonValue>),
    Object(Map<String, JsonValue>, String),
}

impl Frame {
    fn into_values(self) -> Vec<JsonValue> {
        match self {
            Frame::Array(items) => items,
            Frame::Object(map, _) => map.into_iter().map(|(_, value)| value).collect(),
        }
    }
}

/// Drops `values` and everything in them without recursion, however deep they nest.
///
/// serde_json's own `Drop` recurses once per level, which overflows a thread's stack at some
/// tens of thousands of levels; applications that keep such a value drop it themselves.
pub fn drop_iteratively(mut values: Vec<JsonValue>) {
    while let Some(value) = values.pop() {
        match value {
            JsonValue::Array(items) => values.extend(items),
            JsonValue::Object(map) => values.extend(map.into_iter().map(|(_, value)| value)),
            _ => {}
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    /// The byte offset of the next character to read; always on a character boundary.
    at: usize,
}

impl Parser<'_> {
    /// The whole text as one value; `stack` holds the containers open at any moment.
    fn value(&mut self, stack: &mut Vec<Frame>) -> Result<JsonValue, ParseError> {
        'value: loop {
            self.skip_space();
            let mut value = match self.peek() {
                Some(b'[') => {
                    self.at += 1;
                    self.skip_space();
                    if !self.eat(b']') {
                        stack.push(Frame::Array(Vec::new()));
                        continue 'value;
                    }
                    JsonValue::Array(Vec::new())
                }
                Some(b'{') => {
                    self.at += 1;
                    self.skip_space();
                    if !self.eat(b'}') {
                        let key = self.key()?;
                        stack.push(Frame::Object(Map::new(), key));
                        continue 'value;
                    }
                    JsonValue::Object(Map::new())
                }
                Some(b'"') => JsonValue::String(self.string()?),
                Some(b't') => self.literal("true", JsonValue::Bool(true))?,
                Some(b'f') => self.literal("false", JsonValue::Bool(false))?,
                Some(b'n') => self.literal("null", JsonValue::Null)?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return Err(self.error("expected a value")),
                None => return Err(self.error("EOF while parsing a value")),
            };
            // Close every container the value completes, then read the next value or stop.
            loop {
                self.skip_space();
                match stack.last_mut() {
                    None if self.at == self.text.len() => return Ok(value),
                    None => {
                        drop_iteratively(vec![value]);
                        return Err(self.error("trailing characters"));
                    }
                    Some(Frame::Array(items)) => {
                        items.push(value);
                        match self.next() {
                            Some(b',') => {
                                self.skip_space();
                                if self.peek() == Some(b']') {
                                    return Err(self.error("trailing comma"));
                                }
                                continue 'value;
                            }
                            Some(b']') => {}
                            Some(_) => return Err(self.error_before("expected `,` or `]`")),
                            None => return Err(self.error("EOF while parsing a list")),
                        }
                    }
                    Some(Frame::Object(map, key)) => {
                        if key == PROTO_KEY {
                            drop_iteratively(vec![value]);
                        } else {
                            map.insert(std::mem::take(key), value);
                        }
                        match self.next() {
                            Some(b',') => {
                                self.skip_space();
                                *key = self.key()?;
                                continue 'value;
                            }
                            Some(b'}') => {}
                            Some(_) => return Err(self.error_before("expected `,` or `}`")),
                            None => return Err(self.error("EOF while parsing an object")),
                        }
                    }
                }
                value = match stack.pop() {
                    Some(Frame::Array(items)) => JsonValue::Array(items),
                    Some(Frame::Object(map, _)) => JsonValue::Object(map),
                    None => unreachable!("a container was just closed"),
                };
            }
        }
    }

    /// An object key and the `:` after it.
    fn key(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Some(b'"') => {}
            Some(b'}') => return Err(self.error("trailing comma")),
            Some(_) => return Err(self.error("key must be a string")),
            None => return Err(self.error("EOF while parsing an object")),
        }
        let key = self.string()?;
        self.skip_space();
        match self.next() {
            Some(b':') => Ok(key),
            Some(_) => Err(self.error_before("expected `:`")),
            None => Err(self.error("EOF while parsing an object")),
        }
    }

    /// A string from its opening quote, escapes decoded.
    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text.as_bytes()[self.at..];
            let plain = rest
                .iter()
                .take_while(|&&byte| byte != b'"' && byte != b'\\' && byte >= 0x20)
                .count();
            // Stops only at ASCII bytes, so both ends are character boundaries.
            out.push_str(&self.text[self.at..self.at + plain]);
            self.at += plain;
            match self.next() {
                Some(b'"') => return Ok(out),
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(self.error_before(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
    }

    /// The escape after a backslash, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let decoded = match self.next() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => self.unicode_escape()?,
            Some(_) => return Err(self.error_before("invalid escape")),
            None => return Err(self.error("EOF while parsing a string")),
        };
        out.push(decoded);
        Ok(())
    }

    /// The character of `\uXXXX` (after the `u`), joining a surrogate pair written as two
    /// escapes; a lone surrogate is U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        let rest = &self.text.as_bytes()[self.at..];
        let low = match rest {
            [b'\\', b'u', digits @ ..] => digits.get(..4).and_then(hex_value),
            _ => None,
        };
        match low {
            Some(low @ 0xDC00..0xE000) => {
                self.at += 6;
                let pair = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
                Ok(char::from_u32(pair).unwrap_or(char::REPLACEMENT_CHARACTER))
            }
            // Not followed by a low surrogate: the next escape is read on its own.
            _ => Ok(char::REPLACEMENT_CHARACTER),
        }
    }

    /// Four hex digits, any case.
    fn hex4(&mut self) -> Result<u32, ParseError> {
        let rest = &self.text.as_bytes()[self.at..];
        match rest.get(..4).and_then(hex_value) {
            Some(value) => {
                self.at += 4;
                Ok(value)
            }
            None if rest.len() < 4 => {
                self.at = self.text.len();
                Err(self.error("EOF while parsing a string"))
            }
            None => Err(self.error("invalid escape")),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` as the nearest double.
    fn number(&mut self) -> Result<JsonValue, ParseError> {
        let start = self.at;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.eat(b'.') {
            self.required_digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            self.required_digits()?;
        }
        // The grammar matched, which std's parser accepts too, rounding correctly.
        let value: f64 = self.text[start..self.at].parse().unwrap_or(f64::NAN);
        Ok(stored_number(value))
    }

    fn required_digits(&mut self) -> Result<(), ParseError> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(self.error("invalid number")),
        }
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, ParseError> {
        for expected in word.bytes() {
            match self.next() {
                Some(byte) if byte == expected => {}
                Some(_) => return Err(self.error_before("expected ident")),
                None => return Err(self.error("EOF while parsing a value")),
            }
        }
        Ok(value)
    }

    /// JSON's whitespace: space, tab, LF and CR only.
    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The next byte, consumed. Only called where an ASCII byte is expected, and `at` moves
    /// back (see [`Self::error_before`]) before any other byte is reported.
    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    /// An error at the byte just consumed by [`Self::next`].
    fn error_before(&mut self, message: &'static str) -> ParseError {
        self.at -= 1;
        self.error(message)
    }

    /// An error at the next character: its line and column from 1, or column 0 at the end of
    /// an empty line.
    fn error(&self, message: &'static str) -> ParseError {
        let before = self.text.get(..self.at).unwrap_or(self.text);
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        let column = before[line_start..].chars().count();
        let at_end = self.at >= self.text.len();
        ParseError::NotJson {
            line: before.matches('\n').count() + 1,
            column: if at_end { column } else { column + 1 },
            message,
        }
    }
}

/// The value of four ASCII hex digits, any case.
fn hex_value(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |value, &byte| {
        char::from(byte)
            .to_digit(16)
            .map(|digit| value << 4 | digit)
    })
}

/// A double as the service stores it: `null` when not finite (`JSON.stringify` writes it so),
/// `-0` as `0`, and a whole number below 2^63 in magnitude as an integer.
fn stored_number(value: f64) -> JsonValue {
    if !value.is_finite() {
        return JsonValue::Null;
    }
    // 2^63: every whole double below it in magnitude converts to `i64` exactly.
    if value.fract() == 0.0 && value.abs() < 9_223_372_036_854_775_808.0 {
        return JsonValue::from(value as i64);
    }
    Number::from_f64(value).map_or(JsonValue::Null, JsonValue::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> JsonValue {
        parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"))
    }

    #[test]
    fn values_of_every_kind() {
        assert_eq!(
            read(" {\"a\": [1, -2.5, true, false, null, \"x\"], \"b\": {}} \r\n\t"),
            json!({"a": [1, -2.5, true, false, null, "x"], "b": {}})
        );
        assert_eq!(read("[[],[[]],{\"\":[]}]"), json!([[], [[]], {"": []}]));
    }

    #[test]
    fn any_depth_reads_and_drops_without_recursion() {
        let depth = 1_000_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let mut value = read(&text);
        let mut levels = 1;
        while let JsonValue::Array(items) = value {
            match <[JsonValue; 1]>::try_from(items) {
                Ok([inner]) => {
                    value = inner;
                    levels += 1;
                }
                Err(items) => {
                    assert!(items.is_empty());
                    break;
                }
            }
        }
        assert_eq!(levels, depth);
        // Deep objects too, and failures deep inside (the partial value is dropped).
        let objects = format!("{}1{}", "{\"k\":".repeat(depth), "}".repeat(depth));
        drop_iteratively(vec![read(&objects)]);
        assert!(parse(&"[".repeat(depth)).is_err());
        assert!(parse(&format!("{text} x")).is_err());
    }

    #[test]
    fn lone_surrogates_read_as_the_replacement_character() {
        assert_eq!(read(r#""\ud800""#), json!("\u{FFFD}"));
        assert_eq!(read(r#""\udc00x""#), json!("\u{FFFD}x"));
        assert_eq!(read(r#""\ud800\ud800\udc00""#), json!("\u{FFFD}\u{10000}"));
        assert_eq!(read(r#""\uD83D\uDE80""#), json!("\u{1F680}"));
        assert_eq!(read(r#""\ud83d\n""#), json!("\u{FFFD}\n"));
        assert_eq!(
            read(r#"{"\ud800": 1, "\udfff": 2}"#),
            json!({"\u{FFFD}": 2})
        );
    }

    #[test]
    fn numbers_are_the_doubles_the_service_stores() {
        assert_eq!(read("9007199254740993"), json!(9_007_199_254_740_992_i64));
        assert_eq!(read("1e400"), JsonValue::Null);
        assert_eq!(read("[-1e400]"), json!([null]));
        assert_eq!(read("-0").as_i64(), Some(0));
        assert_eq!(read("1e3").as_i64(), Some(1000));
        assert_eq!(read("1e-400").as_i64(), Some(0));
        assert_eq!(read("0.1").as_f64(), Some(0.1));
        assert_eq!(read("1e19").as_f64(), Some(1e19));
        assert_eq!(
            read("-9223372036854775808").as_f64(),
            Some(-(2f64.powi(63)))
        );
    }

    #[test]
    fn the_last_of_repeated_keys_wins() {
        assert_eq!(read(r#"{"a":1,"b":2,"a":3}"#), json!({"a": 3, "b": 2}));
    }

    #[test]
    fn proto_keys_are_dropped_at_any_depth() {
        assert_eq!(read(r#"{"__proto__":1}"#), json!({}));
        assert_eq!(
            read(r#"{"a":[false],"__proto__":{},"é":1}"#),
            json!({"a": [false], "é": 1})
        );
        assert_eq!(
            read(r#"[{"x":{"__proto__":{"y":1},"z":null}},{"__proto__":null}]"#),
            json!([{"x": {"z": null}}, {}])
        );
        // Beside repeated keys, spelled with escapes, and nested deep inside one.
        assert_eq!(
            read(r#"{"__proto__":1,"a":1,"__proto__":2,"a":3}"#),
            json!({"a": 3})
        );
        assert_eq!(
            read(r#"{"\u005f_proto__":1,"__proto_":2}"#),
            json!({"__proto_": 2})
        );
        let deep = format!(
            "{}1{}",
            r#"{"__proto__":"#.repeat(100_000),
            "}".repeat(100_000)
        );
        assert_eq!(read(&deep), json!({}));
        // Only the exact key: a value `"__proto__"` or a key that differs stays.
        assert_eq!(
            read(r#"{"__PROTO__":"__proto__","__proto__ ":0}"#),
            json!({"__PROTO__": "__proto__", "__proto__ ": 0})
        );
    }

    #[test]
    fn what_json_parse_refuses() {
        for text in [
            "",
            " ",
            "\u{FEFF}1",
            "\u{A0}1",
            "1 2",
            "[1,]",
            "{\"a\":1,}",
            "{,}",
            "[,1]",
            "01",
            "1.",
            ".5",
            "+1",
            "-",
            "1e",
            "1e+",
            "0x10",
            "NaN",
            "Infinity",
            "undefined",
            "'a'",
            "{a:1}",
            "\"\t\"",
            "\"\\x41\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"abc",
            "[",
            "{",
            "{\"a\"",
            "{\"a\":",
            "tru",
            "nul",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "\"\\\"",
        ] {
            assert!(parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn errors_name_line_and_column() {
        let error = |text: &str| parse(text).err().map(|error| error.to_string());
        assert_eq!(
            error("{\n  \"a\": tru\n}"),
            Some("expected JSON: expected ident at line 2, column 11".to_owned())
        );
        assert_eq!(
            error("[\"é\", x]"),
            Some("expected JSON: expected a value at line 1, column 7".to_owned())
        );
    }
}
