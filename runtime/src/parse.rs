//! How a variable's text becomes a value of its declared type (BAREKEY.md §2).
//!
//! A reader must accept exactly what the service accepts on write, so each grammar is checked
//! by hand before any std parser runs: std parsers are more lenient (`+1`, `inf`, `NaN`).

use barekey_typegen_shared::{DeclaredType, ParseError, Timestamp};

use super::JsonValue;

/// A Rust type that holds values of one Barekey declared type.
///
/// Generated code calls [`Loader::read`](super::Loader::read) with the field's type, which
/// picks the parser through this trait.
pub trait DeclaredValue: Sized {
    /// The declared type whose values this type holds.
    const DECLARED_TYPE: DeclaredType;

    /// Parses `text` with the rules of [`Self::DECLARED_TYPE`] (BAREKEY.md §2).
    fn parse_text(text: &str) -> Result<Self, ParseError>;

    /// A stand-in value that lets the loader keep reading after a problem so it can report
    /// every problem at once. It is never returned to users: a load that needed one fails.
    #[doc(hidden)]
    fn placeholder() -> Self;

    /// [`Self::parse_text`] on text the caller owns, giving the text back on failure.
    ///
    /// Why: it lets `String` take the text without copying it, which keeps the loader as
    /// cheap as a hand-written `std::env::var` loop.
    #[doc(hidden)]
    fn parse_owned(text: String) -> Result<Self, (ParseError, String)> {
        Self::parse_text(&text).map_err(|reason| (reason, text))
    }
}

impl DeclaredValue for String {
    const DECLARED_TYPE: DeclaredType = DeclaredType::String;

    /// The text as is, untrimmed; never fails.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        Ok(text.to_owned())
    }

    fn placeholder() -> Self {
        String::new()
    }

    fn parse_owned(text: String) -> Result<Self, (ParseError, String)> {
        Ok(text)
    }
}

impl DeclaredValue for bool {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Boolean;

    /// Trimmed, any ASCII case: `true`, `1`, `yes` or `false`, `0`, `no`.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        let word = text.trim();
        let is = |candidate: &str| word.eq_ignore_ascii_case(candidate);
        if is("true") || is("1") || is("yes") {
            Ok(true)
        } else if is("false") || is("0") || is("no") {
            Ok(false)
        } else {
            Err(ParseError::NotBoolean)
        }
    }

    fn placeholder() -> Self {
        false
    }
}

impl DeclaredValue for i64 {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Int64;

    /// Trimmed, `^-?(0|[1-9][0-9]*)$`, within `i64`; `-0` is 0.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        let number = text.trim();
        // Why check first: `i64::from_str` also takes `+1` and leading zeros.
        if !is_integer(number) {
            return Err(ParseError::NotInteger);
        }
        // The grammar matched, so the only way left to fail is overflow.
        number.parse().map_err(|_| ParseError::IntegerOutOfRange)
    }

    fn placeholder() -> Self {
        0
    }
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

impl DeclaredValue for f64 {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Float;

    /// Trimmed, a decimal number such as `3.14`, `-.5`, `5.` or `1e3`, and finite.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        let number = text.trim();
        // Why check first: `f64::from_str` also takes `inf`, `infinity` and `nan` in any case,
        // which the service rejects.
        if !is_decimal(number) {
            return Err(ParseError::NotFloat);
        }
        match number.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(value),
            Ok(_) => Err(ParseError::NotFinite),
            Err(_) => Err(ParseError::NotFloat),
        }
    }

    fn placeholder() -> Self {
        0.0
    }
}

/// Whether `text` matches `[+-]?(digits(.digits?)?|.digits)([eE][+-]?digits)?` with ASCII
/// digits.
fn is_decimal(text: &str) -> bool {
    let rest = skip_sign(text.as_bytes());
    let (whole_digits, rest) = split_digits(rest);
    let (fraction_digits, rest) = match rest {
        [b'.', fraction @ ..] => split_digits(fraction),
        _ => (0, rest),
    };
    if whole_digits == 0 && fraction_digits == 0 {
        return false;
    }
    match rest {
        [] => true,
        [b'e' | b'E', exponent @ ..] => {
            let (exponent_digits, rest) = split_digits(skip_sign(exponent));
            exponent_digits > 0 && rest.is_empty()
        }
        _ => false,
    }
}

fn skip_sign(bytes: &[u8]) -> &[u8] {
    match bytes {
        [b'+' | b'-', rest @ ..] => rest,
        _ => bytes,
    }
}

/// The number of leading ASCII digits, and what follows them.
fn split_digits(bytes: &[u8]) -> (usize, &[u8]) {
    let count = bytes
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .count();
    (count, &bytes[count..])
}

impl DeclaredValue for Timestamp {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Date;

    /// Untrimmed, `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)`; see [`Timestamp`].
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        text.parse()
    }

    fn placeholder() -> Self {
        Timestamp::from_unix_millis(0)
    }
}

impl DeclaredValue for JsonValue {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Json;

    /// Any JSON value; whitespace around it is allowed, as JSON allows.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        serde_json::from_str(text).map_err(|error| ParseError::NotJson {
            line: error.line(),
            column: error.column(),
            message: json_syntax_message(&error),
        })
    }

    fn placeholder() -> Self {
        JsonValue::Null
    }
}

/// serde_json's fixed syntax messages. Only these are passed on.
///
/// Why a list: serde_json can also carry free-form messages (`invalid type: string "..."`)
/// that quote the input. Parsing into a `Value` should never produce one, but matching known
/// phrases makes sure no part of a secret reaches an error, whatever serde_json does.
const JSON_SYNTAX_MESSAGES: &[&str] = &[
    "EOF while parsing a list",
    "EOF while parsing an object",
    "EOF while parsing a string",
    "EOF while parsing a value",
    "expected `:`",
    "expected `,` or `]`",
    "expected `,` or `}`",
    "expected ident",
    "expected value",
    "expected `\"`",
    "invalid escape",
    "invalid number",
    "number out of range",
    "invalid unicode code point",
    "control character (\\u0000-\\u001F) found while parsing a string",
    "key must be a string",
    "lone leading surrogate in hex escape",
    "trailing comma",
    "trailing characters",
    "unexpected end of hex escape",
    "recursion limit exceeded",
];

/// The phrase describing `error`, if it is one of serde_json's fixed ones, else a generic one.
fn json_syntax_message(error: &serde_json::Error) -> &'static str {
    let full = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let phrase = full.strip_suffix(&position).unwrap_or(&full);
    JSON_SYNTAX_MESSAGES
        .iter()
        .find(|known| **known == phrase)
        .copied()
        .unwrap_or("unexpected input")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_is_taken_as_is() {
        assert_eq!(String::parse_text(""), Ok(String::new()));
        assert_eq!(
            String::parse_text("  spaced \n"),
            Ok("  spaced \n".to_owned())
        );
        assert_eq!(String::parse_owned(" x ".to_owned()), Ok(" x ".to_owned()));
    }

    #[test]
    fn booleans() {
        for text in [
            "true",
            "TRUE",
            "True",
            "1",
            "yes",
            " YES ",
            "\tyEs\n",
            "\u{3000}1",
        ] {
            assert_eq!(bool::parse_text(text), Ok(true), "{text:?}");
        }
        for text in ["false", "FALSE", "0", "no", "No", " no "] {
            assert_eq!(bool::parse_text(text), Ok(false), "{text:?}");
        }
        for text in [
            "",
            " ",
            "y",
            "n",
            "on",
            "off",
            "2",
            "00",
            "t",
            "truee",
            "ye s",
            "ｙｅｓ",
        ] {
            assert_eq!(
                bool::parse_text(text),
                Err(ParseError::NotBoolean),
                "{text:?}"
            );
        }
    }

    #[test]
    fn integers() {
        assert_eq!(i64::parse_text("0"), Ok(0));
        assert_eq!(i64::parse_text("-0"), Ok(0));
        assert_eq!(i64::parse_text("8080"), Ok(8080));
        assert_eq!(i64::parse_text(" -1 "), Ok(-1));
        assert_eq!(i64::parse_text("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(i64::parse_text("-9223372036854775808"), Ok(i64::MIN));
    }

    #[test]
    fn integer_overflow() {
        for text in [
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999",
        ] {
            assert_eq!(
                i64::parse_text(text),
                Err(ParseError::IntegerOutOfRange),
                "{text:?}"
            );
        }
    }

    #[test]
    fn integer_grammar() {
        for text in [
            "", " ", "01", "-01", "00", "+1", "1_000", "1.0", "1e3", "0x10", "--1", "-", "1 2",
            "١", "１", "80a",
        ] {
            assert_eq!(
                i64::parse_text(text),
                Err(ParseError::NotInteger),
                "{text:?}"
            );
        }
    }

    #[test]
    fn floats() {
        assert_eq!(f64::parse_text("1e3"), Ok(1000.0));
        assert_eq!(f64::parse_text("2.75"), Ok(2.75));
        assert_eq!(f64::parse_text(".5"), Ok(0.5));
        assert_eq!(f64::parse_text("5."), Ok(5.0));
        assert_eq!(f64::parse_text(" 2.5 "), Ok(2.5));
        assert_eq!(f64::parse_text("-.5E-1"), Ok(-0.05));
        assert_eq!(f64::parse_text("+7"), Ok(7.0));
        assert_eq!(f64::parse_text("007"), Ok(7.0));
        assert_eq!(f64::parse_text("1e-400"), Ok(0.0));
        assert!(f64::parse_text("-0").is_ok_and(|zero| zero == 0.0 && zero.is_sign_negative()));
    }

    #[test]
    fn floats_must_be_finite() {
        assert_eq!(f64::parse_text("1e400"), Err(ParseError::NotFinite));
        assert_eq!(f64::parse_text("-1e400"), Err(ParseError::NotFinite));
        for text in [
            "Infinity",
            "-Infinity",
            "inf",
            "INF",
            "NaN",
            "nan",
            "infinity",
        ] {
            assert_eq!(f64::parse_text(text), Err(ParseError::NotFloat), "{text:?}");
        }
    }

    #[test]
    fn float_grammar() {
        for text in [
            "", " ", ".", "-", "+", "e3", ".e3", "1e", "1e+", "1.2.3", "0x1p3", "1_0", "1,5",
            "1 .5", "１", "1f", "--1",
        ] {
            assert_eq!(f64::parse_text(text), Err(ParseError::NotFloat), "{text:?}");
        }
    }

    #[test]
    fn dates_are_not_trimmed() {
        let text = "2024-02-29T12:00:00Z";
        assert_eq!(
            Timestamp::parse_text(text).map(Timestamp::unix_millis),
            Ok(1_709_208_000_000)
        );
        assert_eq!(
            Timestamp::parse_text(&format!(" {text}")),
            Err(ParseError::NotDate)
        );
        assert_eq!(Timestamp::parse_text(""), Err(ParseError::NotDate));
    }

    #[test]
    fn json() {
        assert_eq!(
            JsonValue::parse_text(" {\"a\": [1, true]} \n"),
            Ok(serde_json::json!({"a": [1, true]}))
        );
        assert_eq!(JsonValue::parse_text("null"), Ok(JsonValue::Null));
        assert_eq!(
            JsonValue::parse_text("\"text\""),
            Ok(JsonValue::from("text"))
        );
    }

    #[test]
    fn json_errors_name_the_syntax_problem() {
        let error = |text: &str| JsonValue::parse_text(text).err().map(|e| e.to_string());
        assert_eq!(
            error(""),
            Some("expected JSON: EOF while parsing a value at line 1, column 0".to_owned())
        );
        assert_eq!(
            error("{} x"),
            Some("expected JSON: trailing characters at line 1, column 4".to_owned())
        );
        assert_eq!(
            error("[1,]"),
            Some("expected JSON: trailing comma at line 1, column 4".to_owned())
        );
        assert_eq!(
            error("{\"a\" 1}"),
            Some("expected JSON: expected `:` at line 1, column 6".to_owned())
        );
        assert_eq!(
            error("nulx"),
            Some("expected JSON: expected ident at line 1, column 4".to_owned())
        );
        assert_eq!(error("[\"\t\"]"), Some("expected JSON: control character (\\u0000-\\u001F) found while parsing a string at line 1, column 3".to_owned()));
    }

    #[test]
    fn unknown_json_messages_are_dropped() {
        // A typed read makes serde_json quote the input; such a message must not pass.
        let quoting = serde_json::from_str::<u8>("\"hunter2\"").err();
        let message = quoting.as_ref().map(json_syntax_message);
        assert_eq!(message, Some("unexpected input"));
    }

    #[test]
    fn every_declared_type_has_its_rust_type() {
        assert_eq!(String::DECLARED_TYPE, DeclaredType::String);
        assert_eq!(bool::DECLARED_TYPE, DeclaredType::Boolean);
        assert_eq!(i64::DECLARED_TYPE, DeclaredType::Int64);
        assert_eq!(f64::DECLARED_TYPE, DeclaredType::Float);
        assert_eq!(Timestamp::DECLARED_TYPE, DeclaredType::Date);
        assert_eq!(JsonValue::DECLARED_TYPE, DeclaredType::Json);
    }

    #[test]
    fn empty_text_for_every_type() {
        assert_eq!(String::parse_text(""), Ok(String::new()));
        assert_eq!(bool::parse_text(""), Err(ParseError::NotBoolean));
        assert_eq!(i64::parse_text(""), Err(ParseError::NotInteger));
        assert_eq!(f64::parse_text(""), Err(ParseError::NotFloat));
        assert_eq!(Timestamp::parse_text(""), Err(ParseError::NotDate));
        assert!(matches!(
            JsonValue::parse_text(""),
            Err(ParseError::NotJson { .. })
        ));
    }

    #[test]
    fn messages_are_lowercase_without_a_period() {
        let all = [
            ParseError::NotBoolean,
            ParseError::NotInteger,
            ParseError::IntegerOutOfRange,
            ParseError::NotFloat,
            ParseError::NotFinite,
            ParseError::NotDate,
            ParseError::InvalidMonth,
            ParseError::InvalidCalendarDate,
            ParseError::InvalidTime,
            ParseError::InvalidOffset,
            ParseError::NotJson {
                line: 1,
                column: 1,
                message: "trailing comma",
            },
            ParseError::NotUnicode,
        ];
        for error in all {
            let text = error.to_string();
            assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
            assert!(!text.ends_with('.'), "{text}");
        }
    }
}
