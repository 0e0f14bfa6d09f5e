//! How a variable's text becomes a value of its declared type (the service's parsing rules, which follow JavaScript).
//!
//! The service is written in TypeScript and checks every value with JavaScript built-ins
//! (`String.prototype.trim`, `Number`, `new Date`, `JSON.parse`). A reader must accept exactly
//! what they accept, with the same value, so each grammar here is JavaScript's, checked by hand
//! before any std parser runs: std's parsers and `str::trim` differ (`inf`, `NaN`, U+0085).
//! The rules themselves are the shared crate's (`barekey_typegen_shared::value`), which
//! `barekey-typegen env check` applies too: one set of rules, one set of messages.

use barekey_typegen_shared::value;
use barekey_typegen_shared::{DeclaredType, ParseError, Timestamp};

use super::JsonValue;

/// A Rust type that holds values of one Barekey declared type.
///
/// Generated code reads each field with the field's type, which picks the parser through this
/// trait; [`DeclaredValue::parse_text`] is the same parser for one text.
pub trait DeclaredValue: Sized {
    /// The declared type whose values this type holds.
    const DECLARED_TYPE: DeclaredType;

    /// Parses `text` with the rules of [`Self::DECLARED_TYPE`] (the service's parsing rules, which follow JavaScript).
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

    /// Trimmed as JavaScript trims, any ASCII case: `true`, `1`, `yes` or `false`, `0`, `no`.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        value::boolean(text)
    }

    fn placeholder() -> Self {
        false
    }
}

impl DeclaredValue for i64 {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Int64;

    /// Trimmed as JavaScript trims, `^-?(0|[1-9][0-9]*)$`, within `i64`; `-0` is 0.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        value::int64(text)
    }

    fn placeholder() -> Self {
        0
    }
}

impl DeclaredValue for f64 {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Float;

    /// Trimmed as JavaScript trims, not empty, then JavaScript's `Number(text)`, which must be
    /// finite: a decimal number such as `3.14`, `-.5`, `5.` or `+1e3`, or an unsigned integer
    /// in hex, octal or binary (`0x1F`, `0o17`, `0b101`, either case), correctly rounded.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        value::float(text)
    }

    fn placeholder() -> Self {
        0.0
    }
}

impl DeclaredValue for Timestamp {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Date;

    /// Trimmed as JavaScript trims, then the service's date grammar; see [`Timestamp`].
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        value::date(text)
    }

    fn placeholder() -> Self {
        Timestamp::from_unix_millis(0)
    }
}

impl DeclaredValue for JsonValue {
    const DECLARED_TYPE: DeclaredType = DeclaredType::Json;

    /// What JavaScript's `JSON.parse` accepts, at any depth, as the service stores it: numbers
    /// are doubles (`-0` is 0, `1e400` is `null`; a whole one below 2^63 is held as an
    /// integer), a repeated key keeps its last value, a `__proto__` key is dropped at any
    /// depth (the service's rebuild of every object drops it), and a lone surrogate escape such
    /// as `"\ud800"`, which a Rust `String` cannot hold, reads as U+FFFD.
    fn parse_text(text: &str) -> Result<Self, ParseError> {
        value::json(text)
    }

    fn placeholder() -> Self {
        JsonValue::Null
    }
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
        for text in ["Infinity", "-Infinity", "+Infinity"] {
            assert_eq!(
                f64::parse_text(text),
                Err(ParseError::NotFinite),
                "{text:?}"
            );
        }
        for text in ["inf", "INF", "NaN", "nan", "infinity"] {
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
    fn dates_are_trimmed_as_javascript_trims() {
        let at = Ok(1_709_208_000_000);
        let parse = |text: &str| Timestamp::parse_text(text).map(Timestamp::unix_millis);
        assert_eq!(parse("2024-02-29T12:00:00Z"), at);
        assert_eq!(parse(" 2024-02-29T12:00:00Z\u{FEFF}\n"), at);
        assert_eq!(
            parse("\u{85}2024-02-29T12:00:00Z"),
            Err(ParseError::NotDate)
        );
        assert_eq!(parse(""), Err(ParseError::NotDate));
    }

    #[test]
    fn javascript_trim() {
        assert_eq!(bool::parse_text("\u{FEFF}1"), Ok(true));
        assert_eq!(bool::parse_text("\u{85}1"), Err(ParseError::NotBoolean));
    }

    #[test]
    fn floats_in_other_bases() {
        assert_eq!(f64::parse_text("0x1F"), Ok(31.0));
        assert_eq!(f64::parse_text("0XfF"), Ok(255.0));
        assert_eq!(f64::parse_text("0o17"), Ok(15.0));
        assert_eq!(f64::parse_text("0O7"), Ok(7.0));
        assert_eq!(f64::parse_text("0b101"), Ok(5.0));
        assert_eq!(f64::parse_text(" 0B1 "), Ok(1.0));
        // Past 53 bits, rounded to nearest, ties to even, as `Number` rounds.
        assert_eq!(
            f64::parse_text("0x20000000000001"),
            Ok(9_007_199_254_740_992.0)
        );
        assert_eq!(
            f64::parse_text("0x20000000000003"),
            Ok(9_007_199_254_740_996.0)
        );
        assert_eq!(
            f64::parse_text("0x200000000000011"),
            Ok(144_115_188_075_855_890.0)
        );
        // 2^1020 - 1 rounds up to 2^1020; 2^1024 - 1 rounds up to 2^1024, which is infinite.
        assert_eq!(
            f64::parse_text(&format!("0x{}", "f".repeat(255))),
            Ok(2f64.powi(1020))
        );
        assert_eq!(
            f64::parse_text(&format!("0x{}", "f".repeat(256))),
            Err(ParseError::NotFinite)
        );
        for text in [
            "-0x10", "+0x10", "0x", "0b2", "0o8", "0x1g", "00x1", "0x1.5", "0b1e3",
        ] {
            assert_eq!(f64::parse_text(text), Err(ParseError::NotFloat), "{text:?}");
        }
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

    /// Each Rust type's declared type is the one whose text it parses: the service's spelling
    /// of a value of that type parses as it, and the text of another type does not (a swapped
    /// `DECLARED_TYPE` would send the wrong `declaredType` to the API and read the wrong rule).
    #[test]
    fn every_declared_type_reads_its_own_text() {
        fn reads<T: DeclaredValue>(declared: DeclaredType, own: &str, other: &str) {
            assert_eq!(T::DECLARED_TYPE, declared);
            assert!(T::parse_text(own).is_ok(), "{declared}: {own:?}");
            assert!(T::parse_text(other).is_err(), "{declared}: {other:?}");
        }
        reads::<bool>(DeclaredType::Boolean, "true", "1.5");
        reads::<i64>(DeclaredType::Int64, "8080", "8080.5");
        reads::<f64>(DeclaredType::Float, "0.25", "true");
        reads::<Timestamp>(
            DeclaredType::Date,
            "2024-02-29T12:00:00Z",
            "2023-02-29T12:00:00Z",
        );
        reads::<JsonValue>(DeclaredType::Json, "{\"a\": [1]}", "{a: 1}");
        // Any text is a string: only the declared type tells it apart.
        assert_eq!(String::DECLARED_TYPE, DeclaredType::String);
        assert_eq!(String::parse_text(" x "), Ok(" x ".to_owned()));
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
