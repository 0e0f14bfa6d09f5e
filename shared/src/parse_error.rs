//! [`ParseError`], why a variable's text is not a value of its declared type: shared by the
//! runtime's parsers and [`Timestamp`](crate::Timestamp)'s, which the manifest parser uses too.

use std::fmt;

/// Why a variable's text is not a valid value of its declared type.
///
/// The message says what was expected and never contains the text itself, which may be a
/// secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// A `boolean` that is not one of `true`, `false`, `1`, `0`, `yes`, `no` (any case).
    NotBoolean,
    /// An `int64` that is not an optional `-` and digits without a leading zero.
    NotInteger,
    /// An `int64` outside `i64::MIN..=i64::MAX`.
    IntegerOutOfRange,
    /// A `float` that JavaScript's `Number` does not read: not a decimal number nor an unsigned
    /// `0x`, `0o` or `0b` integer (`inf`, `NaN`, `1_000` and `-0x10` are not).
    NotFloat,
    /// A `float` too large for `f64`, such as `1e400` or `Infinity`.
    NotFinite,
    /// A `date` that does not match `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)`.
    NotDate,
    /// A `date` whose month is not 01 to 12.
    InvalidMonth,
    /// A `date` whose day does not exist in its month, such as 29 February 2023.
    InvalidCalendarDate,
    /// A `date` whose time of day is past 23:59:59 (there are no leap seconds), other than
    /// `24:00:00`, the next day's midnight.
    InvalidTime,
    /// A `date` whose offset hours are past 23 or minutes past 59.
    InvalidOffset,
    /// A `date` outside the range of a JavaScript `Date`: 100,000,000 days either side of
    /// 1970-01-01 (years -271821 to 275760).
    DateOutOfRange,
    /// A `json` value that is not valid JSON.
    NotJson {
        /// The line of the error, from 1.
        line: usize,
        /// The column of the error, from 1.
        column: usize,
        /// What is wrong with the syntax, such as `trailing characters`.
        ///
        /// A fixed phrase, never text taken from the value.
        message: &'static str,
    },
    /// A value that is not valid UTF-8 (only the process environment can hold one).
    NotUnicode,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ParseError::NotBoolean => "expected true, false, 1, 0, yes or no (any case)",
            ParseError::NotInteger => "expected an integer with no leading zeros, like 8080 or -1",
            ParseError::IntegerOutOfRange => "out of range for a 64-bit integer",
            ParseError::NotFloat => "expected a finite number, like 3.14, 1e3 or 0x1F",
            ParseError::NotFinite => {
                "out of range for a 64-bit float; expected a finite number, like 3.14, 1e3 or 0x1F"
            }
            ParseError::NotDate => {
                "expected a date like 2024-02-29T12:00:00Z or 2024-02-29T12:00:00.000+02:00"
            }
            ParseError::InvalidMonth => "the month must be 01 to 12",
            ParseError::InvalidCalendarDate => "the day does not exist in that month",
            ParseError::InvalidTime => "the time of day must be 00:00:00 to 23:59:59, or 24:00:00",
            ParseError::InvalidOffset => "the offset must be -23:59 to +23:59",
            ParseError::DateOutOfRange => {
                "out of range for a date; expected years -271821 to 275760"
            }
            ParseError::NotJson {
                line,
                column,
                message,
            } => {
                return write!(
                    f,
                    "expected JSON: {message} at line {line}, column {column}"
                );
            }
            ParseError::NotUnicode => "expected text in UTF-8",
        };
        f.write_str(text)
    }
}

impl std::error::Error for ParseError {}
