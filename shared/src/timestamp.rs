//! [`Timestamp`]: the value of a `date` variable, and the service's date grammar.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ParseError;

const MILLIS_PER_SECOND: i64 = 1_000;
const MILLIS_PER_MINUTE: i64 = 60 * MILLIS_PER_SECOND;
const MILLIS_PER_HOUR: i64 = 60 * MILLIS_PER_MINUTE;
const MILLIS_PER_DAY: i64 = 24 * MILLIS_PER_HOUR;

/// A UTC instant with millisecond precision: the value of a `date` variable.
///
/// Stored as milliseconds since the Unix epoch (`1970-01-01T00:00:00.000Z`), so every `i64`
/// is a valid `Timestamp` and conversions never lose data.
///
/// Parsing ([`FromStr`]) accepts exactly what the Barekey service accepts for a `date`, and
/// what it stores:
/// - `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)` on a real calendar day, read as V8's
///   `new Date` reads it: a fraction of up to nine digits is truncated to the millisecond, a
///   longer one keeps its first nine significant digits over 10^6 (`.0305099674` is 305 ms,
///   not 30), `24:00:00` is the next day's midnight, `:60` is refused;
/// - the text `Date.prototype.toISOString` writes for a year outside 0000 to 9999, such as
///   `+010000-01-01T00:30:00.000Z` or `-000001-12-31T23:00:00.000Z`, which is what the service
///   stores for `9999-12-31T23:30:00-01:00` or `0000-01-01T00:00:00+01:00`;
///
/// and only instants a JavaScript `Date` can hold (years -271821 to 275760).
/// [`Display`](fmt::Display) prints what `toISOString` prints.
///
/// ```
/// use barekey_typegen_shared::Timestamp;
///
/// let at: Timestamp = "2024-02-29T12:00:00+02:00".parse()?;
/// assert_eq!(at.unix_millis(), 1_709_200_800_000);
/// assert_eq!(at.to_string(), "2024-02-29T10:00:00.000Z");
/// # Ok::<(), barekey_typegen_shared::ParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix_millis: i64,
}

/// A [`SystemTime`] too far from 1970 to fit in a [`Timestamp`] (about ±292 million years).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampOutOfRange;

impl Timestamp {
    /// The instant `ms` milliseconds after the Unix epoch (before it when negative).
    pub const fn from_unix_millis(ms: i64) -> Self {
        Timestamp { unix_millis: ms }
    }

    /// Milliseconds since the Unix epoch, negative before it.
    pub const fn unix_millis(self) -> i64 {
        self.unix_millis
    }
}

impl From<Timestamp> for SystemTime {
    /// The same instant.
    ///
    /// Every `Timestamp` fits on Unix. Where the platform's `SystemTime` covers fewer years
    /// (Windows), an instant beyond its range becomes the nearest one it can hold.
    fn from(at: Timestamp) -> Self {
        let distance = at.unix_millis.unsigned_abs();
        if at.unix_millis >= 0 {
            saturating_offset(distance, |d| UNIX_EPOCH.checked_add(d))
        } else {
            saturating_offset(distance, |d| UNIX_EPOCH.checked_sub(d))
        }
    }
}

/// `UNIX_EPOCH` moved by `millis` through `offset`, or by as much as the platform allows.
///
/// Why a search: `SystemTime` exposes no stable `MAX`/`MIN`, and `+`/`-` panic on overflow.
/// Only instants outside the platform's range take the search (about 64 probes).
fn saturating_offset(millis: u64, offset: impl Fn(Duration) -> Option<SystemTime>) -> SystemTime {
    let at = |ms: u64| offset(Duration::from_millis(ms));
    if let Some(time) = at(millis) {
        return time;
    }
    // Invariant: `at(fits)` succeeds (0 always does), `at(too_far)` fails.
    let (mut fits, mut too_far) = (0, millis);
    while too_far - fits > 1 {
        let middle = fits + (too_far - fits) / 2;
        if at(middle).is_some() {
            fits = middle;
        } else {
            too_far = middle;
        }
    }
    at(fits).unwrap_or(UNIX_EPOCH)
}

impl TryFrom<SystemTime> for Timestamp {
    type Error = TimestampOutOfRange;

    /// The same instant, rounded down to the millisecond (towards the past, also before 1970).
    fn try_from(time: SystemTime) -> Result<Self, Self::Error> {
        let millis = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_millis()).map_err(|_| TimestampOutOfRange)?,
            Err(before) => {
                -i128::try_from(ceil_millis(before.duration())).map_err(|_| TimestampOutOfRange)?
            }
        };
        i64::try_from(millis)
            .map(Timestamp::from_unix_millis)
            .map_err(|_| TimestampOutOfRange)
    }
}

/// Whole milliseconds in `duration`, counting a partial one as whole.
///
/// Why: before the epoch, rounding the distance up is rounding the instant down, which keeps
/// `Timestamp` ordering consistent with `SystemTime` on both sides of 1970.
fn ceil_millis(duration: Duration) -> u128 {
    duration.as_nanos().div_ceil(1_000_000)
}

impl fmt::Display for TimestampOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the time is too far from 1970 to fit in a timestamp (about ±292 million years)",
        )
    }
}

impl std::error::Error for TimestampOutOfRange {}

/// With the feature `serde`: a timestamp serialises as its [`Display`](fmt::Display) text
/// (RFC 3339, `2024-02-29T10:00:00.000Z`), and deserialises from any text its
/// [`FromStr`] reads, so that a generated module can derive serde's traits.
#[cfg(feature = "serde")]
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with exactly three fraction digits: `2024-02-29T12:00:00.000Z`.
    ///
    /// Years 0 to 9999 have four digits. Other years use ECMAScript's extended form, a sign
    /// and at least six digits (`+012345-01-01T00:00:00.000Z`, `-000001-12-31T...`), which is
    /// parsed back for years a JavaScript `Date` holds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.unix_millis.div_euclid(MILLIS_PER_DAY);
        let of_day = self.unix_millis.rem_euclid(MILLIS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}")?;
        } else {
            write!(f, "{year:+07}")?;
        }
        write!(
            f,
            "-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            of_day / MILLIS_PER_HOUR,
            of_day % MILLIS_PER_HOUR / MILLIS_PER_MINUTE,
            of_day % MILLIS_PER_MINUTE / MILLIS_PER_SECOND,
            of_day % MILLIS_PER_SECOND,
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = ParseError;

    /// Parses the service's `date` grammar and the text it stores; see [`Timestamp`].
    /// Surrounding whitespace is an error here: declared-type parsing trims it first, as the
    /// service does.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fields = DateFields::scan(text).ok_or(ParseError::NotDate)?;
        fields.to_timestamp()
    }
}

/// The numbers of a date string that matched the grammar, not yet checked for range.
struct DateFields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
    /// Whether every fraction digit is 0 (or there are none): `24:00:00` needs it.
    fraction_is_zero: bool,
    /// Whether the year is `±YYYYYY`, the form `toISOString` writes outside 0000 to 9999, and
    /// the rest is as it writes it: three fraction digits and `Z`.
    expanded: Option<bool>,
    /// East of UTC is positive, in minutes.
    offset_sign: i64,
    offset_hour: i64,
    offset_minute: i64,
}

impl DateFields {
    /// Matches `YYYY-MM-DDTHH:MM:SS(.fraction)?(Z|±HH:MM)`, or the same with a year of a sign
    /// and six digits, and nothing else, or `None`.
    fn scan(text: &str) -> Option<Self> {
        let mut cursor = Cursor {
            rest: text.as_bytes(),
        };
        let year_sign = match cursor.rest.first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => 0,
        };
        let year = if year_sign == 0 {
            cursor.number(4)?
        } else {
            cursor.rest = &cursor.rest[1..];
            year_sign * cursor.number(6)?
        };
        cursor.expect(b'-')?;
        let month = cursor.number(2)?;
        cursor.expect(b'-')?;
        let day = cursor.number(2)?;
        cursor.expect(b'T')?;
        let hour = cursor.number(2)?;
        cursor.expect(b':')?;
        let minute = cursor.number(2)?;
        cursor.expect(b':')?;
        let second = cursor.number(2)?;
        let (millis, fraction_digits, fraction_is_zero) = cursor.fraction_millis()?;
        let zulu = cursor.rest.first() == Some(&b'Z');
        let (offset_sign, offset_hour, offset_minute) = cursor.offset()?;
        // `-000000` is not a year in ECMAScript's extended form.
        let minus_zero = year_sign == -1 && year == 0;
        cursor.rest.is_empty().then_some(DateFields {
            year,
            month,
            day,
            hour,
            minute,
            second,
            millis,
            fraction_is_zero,
            expanded: (year_sign != 0).then_some(fraction_digits == 3 && zulu && !minus_zero),
            offset_sign,
            offset_hour,
            offset_minute,
        })
    }

    /// Checks every field's range, then converts to the UTC instant.
    fn to_timestamp(&self) -> Result<Timestamp, ParseError> {
        match self.expanded {
            // Only what `toISOString` writes: other years have four digits, and the rest of
            // its text is fixed.
            Some(as_written) if !as_written || (0..=9999).contains(&self.year) => {
                return Err(ParseError::NotDate);
            }
            _ => {}
        }
        if !(1..=12).contains(&self.month) {
            return Err(ParseError::InvalidMonth);
        }
        if !(1..=days_in_month(self.year, self.month)).contains(&self.day) {
            return Err(ParseError::InvalidCalendarDate);
        }
        // `new Date` reads `24:00:00` (with a zero fraction) as the next day's midnight, but
        // `toISOString` never writes it.
        let midnight = self.hour == 24
            && self.minute == 0
            && self.second == 0
            && self.fraction_is_zero
            && self.expanded.is_none();
        if (self.hour > 23 && !midnight) || self.minute > 59 || self.second > 59 {
            return Err(ParseError::InvalidTime);
        }
        if self.offset_hour > 23 || self.offset_minute > 59 {
            return Err(ParseError::InvalidOffset);
        }
        // Six-digit years keep every term far inside i64, so plain arithmetic cannot overflow.
        let local = days_from_civil(self.year, self.month, self.day) * MILLIS_PER_DAY
            + self.hour * MILLIS_PER_HOUR
            + self.minute * MILLIS_PER_MINUTE
            + self.second * MILLIS_PER_SECOND
            + self.millis;
        let offset = self.offset_sign
            * (self.offset_hour * MILLIS_PER_HOUR + self.offset_minute * MILLIS_PER_MINUTE);
        let unix_millis = local - offset;
        // A JavaScript `Date` holds 100,000,000 days either side of 1970.
        if unix_millis.abs() > 100_000_000 * MILLIS_PER_DAY {
            return Err(ParseError::DateOutOfRange);
        }
        Ok(Timestamp::from_unix_millis(unix_millis))
    }
}

/// A byte-level reader for the date grammar; every method returns `None` on a mismatch.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl Cursor<'_> {
    fn expect(&mut self, byte: u8) -> Option<()> {
        let (&first, rest) = self.rest.split_first()?;
        (first == byte).then(|| self.rest = rest)
    }

    /// Exactly `width` ASCII digits as a number.
    fn number(&mut self, width: usize) -> Option<i64> {
        let (digits, rest) = self.rest.split_at_checked(width)?;
        self.rest = rest;
        digits.iter().try_fold(0, |value, &byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + i64::from(byte - b'0'))
        })
    }

    /// An optional `.` and one or more digits, as milliseconds read as V8 reads them (see
    /// [`v8_fraction_millis`]), with the number of digits and whether they are all 0.
    fn fraction_millis(&mut self) -> Option<(i64, usize, bool)> {
        if self.expect(b'.').is_none() {
            return Some((0, 0, true));
        }
        let count = self
            .rest
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if count == 0 {
            return None;
        }
        let (digits, rest) = self.rest.split_at(count);
        self.rest = rest;
        let all_zero = digits.iter().all(|&digit| digit == b'0');
        Some((v8_fraction_millis(digits), count, all_zero))
    }

    /// `Z` (as `(1, 0, 0)`) or `±HH:MM` as (sign, hours, minutes).
    fn offset(&mut self) -> Option<(i64, i64, i64)> {
        let (&first, rest) = self.rest.split_first()?;
        self.rest = rest;
        let sign = match first {
            b'Z' => return Some((1, 0, 0)),
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours = self.number(2)?;
        self.expect(b':')?;
        let minutes = self.number(2)?;
        Some((sign, hours, minutes))
    }
}

/// How many significant digits of a fraction V8 keeps (its `kMaxSignificantDigits`).
const V8_SIGNIFICANT_DIGITS: usize = 9;

/// The milliseconds of a date's fraction `digits` (one or more ASCII digits) as V8's `new Date`
/// reads them (its date parser's `ReadMilliseconds`), which Node runs and the service calls:
/// the first nine significant digits (leading zeros skipped) as an integer, times 100 for a
/// one-digit fraction, times 10 for two, divided by 10^(n - 3) from four on, where n is the
/// fraction's length capped at nine.
///
/// Up to nine digits this is the first three digits, truncated (`.1234` is 123 ms). From ten
/// on a fraction with leading zeros reads otherwise: `.0305099674` is 305 ms (the nine
/// significant digits `305099674` divided by 10^6), not 30. Checked against Node for every
/// length from 1 to 20 with every count of leading zeros (`tests/testsuite/differential.rs`).
fn v8_fraction_millis(digits: &[u8]) -> i64 {
    let significant = digits
        .iter()
        .skip_while(|&&digit| digit == b'0')
        .take(V8_SIGNIFICANT_DIGITS)
        .fold(0, |value, &digit| value * 10 + i64::from(digit - b'0'));
    match digits.len().min(V8_SIGNIFICANT_DIGITS) {
        1 => significant * 100,
        2 => significant * 10,
        // At most nine digits, so the power is at most 10^6.
        length => significant / 10_i64.pow(length as u32 - 3),
    }
}

// Why hand-written calendar math instead of a date crate: the accepted grammar is the
// service's, narrower than any library's RFC 3339 parser, so the parser above is ours anyway,
// and what remains is the two conversions below. They are Howard Hinnant's `days_from_civil`
// and `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html), which work on
// the proleptic Gregorian calendar in 400-year eras of 146,097 days, with years starting in
// March so that the leap day falls at the end of the year.

/// Whether `year` has a 29 February: divisible by 4, and not by 100 unless by 400.
fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1 to 12) of `year`.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid date (month 1 to 12, day within the month).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // [0, 399]
    let month_from_march = (month + 9) % 12; // March = 0, ..., February = 11
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1; // [0, 365]
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The (year, month, day) of a count of days since 1970-01-01; defined for every `i64` that is
/// a whole number of days in an `i64` of milliseconds (so no step can overflow).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468; // days since 0000-03-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097; // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // [0, 11]
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "serde")]
    #[test]
    fn serde_writes_and_reads_the_rfc_3339_text() {
        let at = Timestamp::from_unix_millis(1_709_200_800_250);
        let json = serde_json::to_string(&at).unwrap();
        assert_eq!(json, "\"2024-02-29T10:00:00.250Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), at);
        let offset: Timestamp = serde_json::from_str("\"2024-02-29T12:00:00.250+02:00\"").unwrap();
        assert_eq!(offset, at);
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
    }

    fn parse(text: &str) -> Result<i64, ParseError> {
        text.parse::<Timestamp>().map(Timestamp::unix_millis)
    }

    fn show(ms: i64) -> String {
        Timestamp::from_unix_millis(ms).to_string()
    }

    #[test]
    fn known_instants() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse("2024-02-29T12:00:00.000Z"), Ok(1_709_208_000_000));
        assert_eq!(parse("2024-02-29T12:00:00+02:00"), Ok(1_709_200_800_000));
        assert_eq!(parse("2000-01-01T00:00:00Z"), Ok(946_684_800_000));
        assert_eq!(parse("1969-12-31T23:59:59.999Z"), Ok(-1));
        assert_eq!(parse("0000-01-01T00:00:00Z"), Ok(-62_167_219_200_000));
        assert_eq!(parse("9999-12-31T23:59:59.999Z"), Ok(253_402_300_799_999));
    }

    #[test]
    fn offsets_are_subtracted() {
        // 2024-01-15T12:00:00Z is 1705320000000.
        assert_eq!(parse("2024-01-15T17:30:00+05:30"), Ok(1_705_320_000_000));
        assert_eq!(parse("2024-01-15T04:00:00-08:00"), Ok(1_705_320_000_000));
        assert_eq!(parse("2024-01-15T12:00:00-00:00"), Ok(1_705_320_000_000));
        assert_eq!(parse("2024-01-15T12:00:00+00:00"), Ok(1_705_320_000_000));
        assert_eq!(
            parse("1970-01-01T00:00:00+23:59"),
            Ok(-(23 * 60 + 59) * 60_000)
        );
        assert_eq!(
            parse("1970-01-01T00:00:00-23:59"),
            Ok((23 * 60 + 59) * 60_000)
        );
    }

    #[test]
    fn leap_days() {
        assert!(parse("2024-02-29T00:00:00Z").is_ok());
        assert!(parse("2000-02-29T00:00:00Z").is_ok());
        assert!(parse("0000-02-29T00:00:00Z").is_ok());
        assert_eq!(
            parse("2023-02-29T00:00:00Z"),
            Err(ParseError::InvalidCalendarDate)
        );
        assert_eq!(
            parse("1900-02-29T00:00:00Z"),
            Err(ParseError::InvalidCalendarDate)
        );
        assert_eq!(
            parse("2024-02-30T00:00:00Z"),
            Err(ParseError::InvalidCalendarDate)
        );
    }

    #[test]
    fn calendar_ranges() {
        assert_eq!(
            parse("2024-04-31T00:00:00Z"),
            Err(ParseError::InvalidCalendarDate)
        );
        assert_eq!(
            parse("2024-01-00T00:00:00Z"),
            Err(ParseError::InvalidCalendarDate)
        );
        assert_eq!(
            parse("2024-01-32T00:00:00Z"),
            Err(ParseError::InvalidCalendarDate)
        );
        assert!(parse("2024-12-31T00:00:00Z").is_ok());
        assert_eq!(parse("2024-00-01T00:00:00Z"), Err(ParseError::InvalidMonth));
        assert_eq!(parse("2024-13-01T00:00:00Z"), Err(ParseError::InvalidMonth));
    }

    #[test]
    fn time_ranges() {
        // `new Date` reads 24:00:00 as the next midnight, only with a zero fraction.
        assert_eq!(parse("2024-01-01T24:00:00Z"), parse("2024-01-02T00:00:00Z"));
        assert_eq!(
            parse("2024-01-01T24:00:00.000Z"),
            parse("2024-01-02T00:00:00Z")
        );
        assert_eq!(
            parse("2024-01-01T24:00:00.0001Z"),
            Err(ParseError::InvalidTime)
        );
        assert_eq!(parse("2024-01-01T24:01:00Z"), Err(ParseError::InvalidTime));
        assert_eq!(parse("2024-01-01T25:00:00Z"), Err(ParseError::InvalidTime));
        assert_eq!(parse("2024-01-01T23:60:00Z"), Err(ParseError::InvalidTime));
        assert_eq!(parse("2024-12-31T23:59:60Z"), Err(ParseError::InvalidTime));
        assert!(parse("2024-01-01T23:59:59Z").is_ok());
        assert_eq!(
            parse("2024-01-01T00:00:00+24:00"),
            Err(ParseError::InvalidOffset)
        );
        assert_eq!(
            parse("2024-01-01T00:00:00-00:60"),
            Err(ParseError::InvalidOffset)
        );
    }

    #[test]
    fn fractions_truncate_to_milliseconds() {
        assert_eq!(parse("1970-01-01T00:00:00.5Z"), Ok(500));
        assert_eq!(parse("1970-01-01T00:00:00.1234Z"), Ok(123));
        assert_eq!(parse("1970-01-01T00:00:00.12Z"), Ok(120));
        assert_eq!(parse("1970-01-01T00:00:00.9999999999Z"), Ok(999));
        assert_eq!(parse("1970-01-01T00:00:00.000+01:00"), Ok(-3_600_000));
    }

    #[test]
    fn long_fractions_with_leading_zeros_read_as_v8_reads_them() {
        // Node: `new Date(text).getTime()`.
        assert_eq!(
            parse("2000-12-02T15:45:23.0305099674-00:00"),
            Ok(975_771_923_305)
        );
        assert_eq!(
            parse("1900-06-03T03:18:40.02569979864Z"),
            Ok(-2_195_757_679_744)
        );
        let at = |fraction: &str| parse(&format!("1970-01-01T00:00:00.{fraction}Z"));
        // Up to nine digits: truncated to the millisecond.
        assert_eq!(at("0305"), Ok(30));
        assert_eq!(at("030509967"), Ok(30));
        assert_eq!(at("000000009"), Ok(0));
        // From ten on: nine significant digits over 10^6.
        assert_eq!(at("0305099674"), Ok(305));
        assert_eq!(at("0000000001"), Ok(0));
        assert_eq!(at("0000000000123456789"), Ok(123));
        assert_eq!(at("00000000001234"), Ok(0));
        assert_eq!(at("1234567891234"), Ok(123));
        assert_eq!(at(&"9".repeat(300)), Ok(999));
        assert_eq!(at(&format!("{}1", "0".repeat(300))), Ok(0));
        // A nonzero fraction still refuses `24:00:00`, however it reads.
        assert_eq!(
            parse("2024-01-01T24:00:00.0000000001Z"),
            Err(ParseError::InvalidTime)
        );
        // Expanded years are still read (three digits, as `toISOString` writes them).
        assert_eq!(
            parse("-000001-12-31T23:00:00.000Z"),
            Ok(-62_167_222_800_000)
        );
    }

    #[test]
    fn grammar_is_strict() {
        for text in [
            "",
            " 2024-02-29T12:00:00Z",
            "2024-02-29T12:00:00Z ",
            "2024-02-29T12:00:00Z\n",
            "2024-02-29t12:00:00Z",
            "2024-02-29T12:00:00z",
            "2024-02-29 12:00:00Z",
            "2024-02-29T12:00:00",
            "2024-02-29T12:00Z",
            "2024-02-29",
            "2024-02-29T12:00:00.Z",
            "2024-02-29T12:00:00+0200",
            "2024-02-29T12:00:00+02",
            "2024-02-29T12:00:00+2:00",
            "2024-2-29T12:00:00Z",
            "24-02-29T12:00:00Z",
            "12024-02-29T12:00:00Z",
            "+2024-02-29T12:00:00Z",
            "2024-02-29T12:00:00ZZ",
            "2024-02-29T12:00:00Z+01:00",
            "２０２４-02-29T12:00:00Z",
            "2024-02-29T1２:00:00Z",
            "2024-02-29T12:00:00,5Z",
        ] {
            assert_eq!(parse(text), Err(ParseError::NotDate), "{text:?}");
        }
    }

    #[test]
    fn expanded_years_as_to_iso_string_writes_them() {
        assert_eq!(
            parse("+010000-01-01T00:30:00.000Z"),
            parse("9999-12-31T23:30:00-01:00")
        );
        assert_eq!(
            parse("-000001-12-31T23:00:00.000Z"),
            parse("0000-01-01T00:00:00+01:00")
        );
        assert_eq!(
            parse("+275760-09-13T00:00:00.000Z"),
            Ok(8_640_000_000_000_000)
        );
        assert_eq!(
            parse("-271821-04-20T00:00:00.000Z"),
            Ok(-8_640_000_000_000_000)
        );
        for text in ["+275760-09-13T00:00:00.001Z", "-271821-04-19T23:59:59.999Z"] {
            assert_eq!(parse(text), Err(ParseError::DateOutOfRange), "{text}");
        }
        // Not what `toISOString` writes: another fraction, an offset, a four-digit year.
        for text in [
            "+010000-01-01T00:30:00Z",
            "+010000-01-01T00:30:00.0000Z",
            "+010000-01-01T00:30:00.000+00:00",
            "+002024-01-01T00:00:00.000Z",
            "-000000-01-01T00:00:00.000Z",
            "+010000-01-01T24:00:00.000Z",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn display_formats() {
        assert_eq!(show(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(show(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(show(1_709_208_000_000), "2024-02-29T12:00:00.000Z");
        assert_eq!(show(-62_167_219_200_000), "0000-01-01T00:00:00.000Z");
        assert_eq!(show(-62_167_219_200_001), "-000001-12-31T23:59:59.999Z");
        assert_eq!(show(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(show(253_402_300_800_000), "+010000-01-01T00:00:00.000Z");
        assert_eq!(show(i64::MAX), "+292278994-08-17T07:12:55.807Z");
        assert_eq!(show(i64::MIN), "-292275055-05-16T16:47:04.192Z");
        assert_eq!(
            format!("{:?}", Timestamp::from_unix_millis(0)),
            "Timestamp(1970-01-01T00:00:00.000Z)"
        );
    }

    #[test]
    fn display_round_trips() {
        let samples = [0, -1, 1, 999, -999, 1_709_208_000_123, -62_135_596_800_000];
        // Every instant a JavaScript `Date` holds, extended years included.
        let steps =
            (-8_640_000_000_000_000..=8_640_000_000_000_000_i64).step_by(77_777_777_777_777);
        for ms in samples.into_iter().chain(steps) {
            assert_eq!(parse(&show(ms)), Ok(ms), "{ms}");
        }
    }

    #[test]
    fn calendar_conversions_agree_day_by_day() {
        // Every day of years -1 to 2401 round-trips, covering all leap-year rules.
        let first = days_from_civil(-1, 1, 1);
        let last = days_from_civil(2401, 12, 31);
        for days in first..=last {
            let (year, month, day) = civil_from_days(days);
            assert!((1..=days_in_month(year, month)).contains(&day));
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }

    #[test]
    fn system_time_round_trips() {
        for ms in [0, 1, -1, 1_709_208_000_123, -62_167_219_200_000] {
            let at = Timestamp::from_unix_millis(ms);
            assert_eq!(Timestamp::try_from(SystemTime::from(at)), Ok(at));
        }
        let before = UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(SystemTime::from(Timestamp::from_unix_millis(-1)), before);
        assert_eq!(
            UNIX_EPOCH + Duration::from_millis(1_500),
            Timestamp::from_unix_millis(1_500).into()
        );
    }

    #[test]
    fn system_time_rounds_down() {
        let after = UNIX_EPOCH + Duration::from_micros(1_500);
        assert_eq!(
            Timestamp::try_from(after).map(Timestamp::unix_millis),
            Ok(1)
        );
        let before = UNIX_EPOCH - Duration::from_micros(1_500);
        assert_eq!(
            Timestamp::try_from(before).map(Timestamp::unix_millis),
            Ok(-2)
        );
    }

    #[test]
    fn system_time_extremes() {
        for ms in [i64::MAX, i64::MIN] {
            let at = Timestamp::from_unix_millis(ms);
            let time = SystemTime::from(at);
            if cfg!(unix) {
                assert_eq!(Timestamp::try_from(time), Ok(at));
            }
        }
        let far = UNIX_EPOCH.checked_add(Duration::from_secs(i64::MAX as u64 / 500));
        if let Some(far) = far {
            assert_eq!(Timestamp::try_from(far), Err(TimestampOutOfRange));
        }
    }

    #[test]
    fn ordering_follows_time() {
        let early = Timestamp::from_unix_millis(-5);
        let late = Timestamp::from_unix_millis(5);
        assert!(early < late);
    }
}
