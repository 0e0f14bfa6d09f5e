//! The JavaScript built-ins the service reads text with (the service's parsing rules, which follow JavaScript), for every reader of
//! this project to share: [`trim`] is `String.prototype.trim`, [`number`] is `Number(text)`.
//!
//! The service is written in TypeScript, so what it accepts and the value it gives are these
//! built-ins'. The runtime reads a float variable with [`number`], the generator reads the
//! number literals of a `typeScriptType` and the arms of a float switch with it: one
//! implementation, so a literal such as `0x` followed by 40 hex digits has one value
//! everywhere. Node is the reference: `tests/testsuite/differential.rs` compares [`number`] with
//! Node's `Number` on thousands of texts.

/// `text` without the characters JavaScript's `String.prototype.trim` removes at either end.
///
/// Those are ECMAScript's WhiteSpace and LineTerminator code points ([`is_space`]). Why not
/// `str::trim`: it also removes U+0085 (NEL) and keeps U+FEFF, so it accepts text the service
/// refuses and refuses text it accepts.
///
/// ```
/// use barekey_typegen_shared::js;
///
/// assert_eq!(js::trim("\u{FEFF} 1\u{3000}"), "1");
/// assert_eq!(js::trim("\u{85}1"), "\u{85}1");
/// ```
pub fn trim(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// Whether `c` is ECMAScript WhiteSpace or LineTerminator: TAB, VT, FF, SP, U+00A0, U+FEFF,
/// every `Zs` space (as of Unicode 15, as Node ships it: U+180E left `Zs` in Unicode 6.3), LF,
/// CR, U+2028 and U+2029.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{B}'
            | '\u{C}'
            | ' '
            | '\u{A0}'
            | '\u{FEFF}'
            | '\n'
            | '\r'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// JavaScript's `Number(text)`: ECMAScript's StringToNumber (ECMA-262, "StringToNumber" and
/// the StringNumericLiteral grammar), as a double; NaN wherever JavaScript gives NaN.
///
/// The text, once [`trim`]med, is one of:
/// - nothing: `+0` (so `Number("")` and `Number(" ")` are 0; a caller that refuses empty
///   text checks it itself);
/// - a decimal with optional sign, fraction and exponent (`3.14`, `-.5`, `5.`, `+1e3`,
///   `1E-3`), or `Infinity` with optional sign, in ASCII digits;
/// - an unsigned `0x` / `0o` / `0b` integer, either case, with at least one digit and any
///   number of them (`0x` followed by 300 digits is still a number: infinite).
///
/// Values are rounded to the nearest double, ties to even, as V8 rounds; too large is
/// infinite (`1e400`, `0x` followed by 256 `f`), too small is zero of the literal's sign.
/// NaN for anything else: `-0x10`, `1_000`, `0x1.8`, `inf`, `NaN` itself.
///
/// ```
/// use barekey_typegen_shared::js;
///
/// assert_eq!(js::number(" 0x1F\n"), 31.0);
/// assert_eq!(js::number("-.5e1"), -5.0);
/// assert_eq!(js::number(""), 0.0);
/// assert_eq!(js::number("-Infinity"), f64::NEG_INFINITY);
/// assert!(js::number("-0x10").is_nan());
/// assert_eq!(js::number(&format!("0x1{}", "0".repeat(39))), 2f64.powi(156));
/// ```
pub fn number(text: &str) -> f64 {
    let text = trim(text);
    let bytes = text.as_bytes();
    let bits = match bytes {
        [] => return 0.0,
        b"Infinity" | b"+Infinity" => return f64::INFINITY,
        b"-Infinity" => return f64::NEG_INFINITY,
        [b'0', b'x' | b'X', ..] => 4,
        [b'0', b'o' | b'O', ..] => 3,
        [b'0', b'b' | b'B', ..] => 1,
        // Why check first: `f64::from_str` also takes `inf`, `infinity` and `nan` in any case,
        // and is otherwise correctly rounded on the grammar below.
        _ if is_decimal(bytes) => return text.parse().unwrap_or(f64::NAN),
        _ => return f64::NAN,
    };
    radix_integer(&bytes[2..], bits).unwrap_or(f64::NAN)
}

/// The digits of an unsigned integer in base `2^bits`, rounded to the nearest `f64` (ties to
/// even), or `None` if there are none or one is not a digit.
///
/// Why by hand: std parses integers in these bases only up to `u128`, and accumulating in an
/// `f64` rounds at every step, not once.
fn radix_integer(digits: &[u8], bits: u32) -> Option<f64> {
    if digits.is_empty() {
        return None;
    }
    // The first 54 significant bits (53 kept, one to round on), and whether any later bit is 1.
    let (mut top, mut length, mut sticky) = (0_u64, 0_u32, false);
    for &byte in digits {
        let digit = char::from(byte).to_digit(1 << bits)?;
        for shift in (0..bits).rev() {
            let bit = u64::from(digit >> shift & 1);
            if length == 0 && bit == 0 {
                continue;
            }
            if length < 54 {
                top = top << 1 | bit;
            } else {
                sticky |= bit == 1;
            }
            length = length.saturating_add(1);
        }
    }
    if length <= 53 {
        // At most 53 bits: exact.
        return Some(top as f64);
    }
    let (round, mut mantissa) = (top & 1 == 1, top >> 1);
    if round && (sticky || mantissa & 1 == 1) {
        mantissa += 1;
    }
    // The value is mantissa * 2^(length - 53); 2^1024 and beyond are infinite.
    let scale = length - 53;
    let power = if scale <= 1023 {
        f64::from_bits(u64::from(scale + 1023) << 52)
    } else {
        f64::INFINITY
    };
    Some(mantissa as f64 * power)
}

/// Whether `text` matches `[+-]?(digits(.digits?)?|.digits)([eE][+-]?digits)?` with ASCII
/// digits: ECMAScript's StrDecimalLiteral without `Infinity`.
fn is_decimal(text: &[u8]) -> bool {
    let rest = skip_sign(text);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_trim() {
        let spaces = "\t\u{B}\u{C} \u{A0}\u{FEFF}\n\r\u{2028}\u{2029}\u{1680}\u{2000}\u{200A}\u{202F}\u{205F}\u{3000}";
        assert_eq!(trim(&format!("{spaces}x y{spaces}")), "x y");
        // NEL, MONGOLIAN VOWEL SEPARATOR and ZERO WIDTH SPACE are not JavaScript whitespace.
        for kept in ["\u{85}x", "\u{180E}x", "\u{200B}x", "\u{1C}x"] {
            assert_eq!(trim(kept), kept, "{kept:?}");
        }
    }

    #[test]
    fn decimals() {
        for (text, value) in [
            ("1e3", 1000.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("+7", 7.0),
            ("007", 7.0),
            ("-.5E-1", -0.05),
            ("1e-400", 0.0),
            (" \u{3000}2.5\u{FEFF}", 2.5),
            ("", 0.0),
            ("\n\t", 0.0),
        ] {
            assert_eq!(number(text).to_bits(), f64::to_bits(value), "{text:?}");
        }
        assert_eq!(number("-0").to_bits(), (-0.0_f64).to_bits());
        assert_eq!(number("-1e-400").to_bits(), (-0.0_f64).to_bits());
        assert_eq!(number("1e400"), f64::INFINITY);
        assert_eq!(number(" -Infinity "), f64::NEG_INFINITY);
        assert_eq!(number("+Infinity"), f64::INFINITY);
    }

    #[test]
    fn other_bases_round_once_to_nearest_even() {
        assert_eq!(number("0x1F"), 31.0);
        assert_eq!(number("0XfF"), 255.0);
        assert_eq!(number("0o17"), 15.0);
        assert_eq!(number("0b101"), 5.0);
        assert_eq!(number("0x20000000000001"), 9_007_199_254_740_992.0);
        assert_eq!(number("0x20000000000003"), 9_007_199_254_740_996.0);
        assert_eq!(number("0x200000000000011"), 144_115_188_075_855_890.0);
        // Past u128: 2^156 and 2^1020; 2^1024 - 1 rounds up to 2^1024, which is infinite.
        assert_eq!(number(&format!("0x1{}", "0".repeat(39))), 2f64.powi(156));
        assert_eq!(number(&format!("0x{}", "f".repeat(255))), 2f64.powi(1020));
        assert_eq!(number(&format!("0x{}", "f".repeat(256))), f64::INFINITY);
        assert_eq!(number(&format!("0b{}", "0".repeat(5000))), 0.0);
    }

    #[test]
    fn anything_else_is_nan() {
        for text in [
            ".",
            "-",
            "+",
            "e3",
            ".e3",
            "1e",
            "1e+",
            "1.2.3",
            "0x1p3",
            "1_0",
            "1,5",
            "1 .5",
            "１",
            "1f",
            "--1",
            "-0x10",
            "+0x10",
            "0x",
            "0b2",
            "0o8",
            "0x1g",
            "00x1",
            "0x1.5",
            "0b1e3",
            "inf",
            "INF",
            "NaN",
            "infinity",
            "-infinity",
            "\u{85}1",
            "Infinityx",
        ] {
            assert!(number(text).is_nan(), "{text:?}");
        }
    }
}
