//! Text from outside (a manifest, the service's replies) made safe to show: in generated code,
//! where rustc and a reader's display must see what the text holds, and on a terminal.

use std::borrow::Cow;

/// Code points that change how the text around them is shown, or show nothing themselves,
/// as inclusive ranges in order: every control (Cc), every format character (Cf: the
/// direction embeddings, overrides, isolates and marks of "Trojan Source", zero-width
/// characters, the byte order mark, tags), the line and paragraph separators, and the rest of
/// Unicode's Default_Ignorable_Code_Point (variation selectors, Hangul fillers).
const HIDDEN: [(char, char); 28] = [
    ('\u{0}', '\u{1f}'),
    ('\u{7f}', '\u{9f}'),
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{600}', '\u{605}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{6dd}', '\u{6dd}'),
    ('\u{70f}', '\u{70f}'),
    ('\u{890}', '\u{891}'),
    ('\u{8e2}', '\u{8e2}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{2028}', '\u{202e}'),
    ('\u{2060}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fffb}'),
    ('\u{fffe}', '\u{ffff}'),
    ('\u{110bd}', '\u{110bd}'),
    ('\u{110cd}', '\u{110cd}'),
    ('\u{13430}', '\u{1343f}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// Whether `c` must be written as an escape wherever outside text is shown: a control, a
/// format character (the direction controls U+202A-U+202E and U+2066-U+2069 that rustc denies
/// in literals and comments, U+200E, U+200F, U+061C, zero-width characters), a line or
/// paragraph separator, another default-ignorable code point, or the noncharacters U+FFFE and
/// U+FFFF.
pub fn is_hidden(c: char) -> bool {
    HIDDEN
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
}

/// The most characters of one outside text that a message shows; the rest is left out with a
/// marker saying how much.
pub const MAX_SHOWN_CHARS: usize = 500;

/// `text` fit for a terminal: each [`is_hidden`] character as a Rust escape (`\n`, `\u{1b}`,
/// `\u{202e}`), and no more than [`MAX_SHOWN_CHARS`] characters of it, then
/// `… (N more characters)`.
///
/// ```
/// use barekey_typegen_shared::text::for_terminal;
///
/// assert_eq!(for_terminal("plain"), "plain");
/// assert_eq!(for_terminal("\u{1b}[2Jred\r\n"), "\\u{1b}[2Jred\\r\\n");
/// assert!(for_terminal(&"x".repeat(600)).ends_with("x… (100 more characters)"));
/// ```
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let long = text.chars().nth(MAX_SHOWN_CHARS).is_some();
    if !long && !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    if let Some(rest) = push_shown(&mut out, text, MAX_SHOWN_CHARS) {
        out.push_str(&more(rest));
    }
    Cow::Owned(out)
}

/// `text` in double quotes, as messages quote a name or a value from outside: as `{:?}` quotes
/// it (`"` and `\` escaped, so the quotes end where the text does; combining marks and other
/// characters Rust does not print escaped, so look-alike names are told apart), with every
/// [`is_hidden`] character escaped too, and cut like [`for_terminal`].
///
/// ```
/// use barekey_typegen_shared::text::quoted;
///
/// assert_eq!(quoted("PORT"), r#""PORT""#);
/// assert_eq!(quoted("a\"b\\\u{1b}"), r#""a\"b\\\u{1b}""#);
/// assert!(quoted(&"x".repeat(600)).ends_with("x\"… (100 more characters)"));
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SHOWN_CHARS) + 2);
    out.push('"');
    let mut chars = text.chars();
    for c in chars.by_ref().take(MAX_SHOWN_CHARS) {
        let debug = c.escape_debug();
        if c == '\'' {
            // `{:?}` of a string leaves single quotes alone.
            out.push(c);
        } else if debug.len() > 1 {
            out.extend(debug);
        } else if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    let rest = chars.count();
    let cut = (rest > 0).then_some(rest);
    out.push('"');
    if let Some(rest) = cut {
        out.push_str(&more(rest));
    }
    out
}

/// The most characters of one line that [`message_for_terminal`] shows: far beyond any line
/// this tool writes itself (each outside text in it already cut to [`MAX_SHOWN_CHARS`]), so
/// only text that escaped [`for_terminal`] is cut.
pub const MAX_LINE_CHARS: usize = 8 * MAX_SHOWN_CHARS;

/// A whole message fit for a terminal, as a front-end writes it: line by line, each
/// [`is_hidden`] character but the line break escaped as [`for_terminal`] does, and each line cut
/// after [`MAX_LINE_CHARS`] characters with `… (N more characters)`. The last guard: outside
/// text in a message goes through [`for_terminal`] or [`quoted`] first, which also escape its
/// line breaks.
///
/// ```
/// use barekey_typegen_shared::text::message_for_terminal;
///
/// assert_eq!(message_for_terminal("error: x\n  caused by: y"), "error: x\n  caused by: y");
/// assert_eq!(message_for_terminal("a\u{1b}]0;t\u{7}\rb\n"), "a\\u{1b}]0;t\\u{7}\\rb\n");
/// ```
pub fn message_for_terminal(message: &str) -> Cow<'_, str> {
    let fits =
        |line: &str| line.chars().nth(MAX_LINE_CHARS).is_none() && !line.chars().any(is_hidden);
    if message.split('\n').all(fits) {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len());
    for (index, line) in message.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if let Some(rest) = push_shown(&mut out, line, MAX_LINE_CHARS) {
            out.push_str(&more(rest));
        }
    }
    Cow::Owned(out)
}

/// Pushes at most `max` characters of `text` onto `out`, each [`is_hidden`] one as an escape;
/// returns how many characters were left out, if any, for the caller's marker ([`more`]).
fn push_shown(out: &mut String, text: &str, max: usize) -> Option<usize> {
    let mut chars = text.chars();
    for c in chars.by_ref().take(max) {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    let rest = chars.count();
    (rest > 0).then_some(rest)
}

/// `… (N more characters)`.
fn more(rest: usize) -> String {
    format!("… ({rest} more characters)")
}

/// Writes `error`, then each of its causes on a line of its own (`caused by: ...`, unless the
/// message already ends with it): the `Debug`
/// of both crates' error types, so `fn main() -> Result<(), Error>` and `.unwrap()` print a
/// readable message instead of a struct dump.
///
/// # Errors
///
/// Only what the formatter returns.
pub fn write_with_causes(
    f: &mut std::fmt::Formatter<'_>,
    error: &dyn std::error::Error,
) -> std::fmt::Result {
    let message = error.to_string();
    f.write_str(&message)?;
    let mut cause = error.source();
    while let Some(inner) = cause {
        // A message that already ends with its cause's text (a runtime error quotes the parse
        // error it keeps as its source) does not repeat it.
        let text = inner.to_string();
        if !message.ends_with(&text) {
            write!(f, "\ncaused by: {text}")?;
        }
        cause = inner.source();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_covers_the_trojan_source_characters() {
        let mut sorted = HIDDEN.to_vec();
        sorted.sort();
        assert_eq!(sorted, HIDDEN);
        assert!(HIDDEN.windows(2).all(|pair| pair[0].1 < pair[1].0));
        assert!(HIDDEN.iter().all(|(first, last)| first <= last));
        let trojan = ('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{200e}', '\u{200f}', '\u{61c}', '\u{feff}', '\u{200b}']);
        for c in trojan {
            assert!(is_hidden(c), "{c:?}");
        }
        for c in ['a', 'é', '東', '😀', ' ', '\u{a0}'] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }

    #[test]
    fn every_control_is_escaped_and_long_text_is_cut_with_a_marker() {
        assert_eq!(
            for_terminal("a\u{7}b\u{85}\u{202e}c\td"),
            "a\\u{7}b\\u{85}\\u{202e}c\\td"
        );
        let long = "é".repeat(MAX_SHOWN_CHARS + 7);
        let shown = for_terminal(&long);
        assert_eq!(shown.chars().filter(|&c| c == 'é').count(), MAX_SHOWN_CHARS);
        assert!(shown.ends_with("… (7 more characters)"), "{shown}");
        assert_eq!(
            for_terminal(&"é".repeat(MAX_SHOWN_CHARS)).chars().count(),
            MAX_SHOWN_CHARS
        );
    }

    #[test]
    fn a_message_keeps_its_lines_and_loses_every_other_control_and_its_run_on_lines() {
        let message = format!(
            "error: a\u{1b}[2J\r\u{2028}\n  caused by: {}\n{}",
            "y".repeat(MAX_LINE_CHARS + 3),
            "z".repeat(MAX_LINE_CHARS)
        );
        let shown = message_for_terminal(&message);
        let lines: Vec<&str> = shown.split('\n').collect();
        assert_eq!(lines.len(), 3, "{shown}");
        assert_eq!(lines[0], "error: a\\u{1b}[2J\\r\\u{2028}");
        assert!(
            lines[1].ends_with("y… (16 more characters)"),
            "{}",
            lines[1]
        );
        assert_eq!(lines[2].len(), MAX_LINE_CHARS);
        assert!(!shown.chars().any(|c| c != '\n' && is_hidden(c)));
        assert!(matches!(
            message_for_terminal("plain\ntext"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn quoted_text_ends_where_its_quotes_do() {
        assert_eq!(quoted("a\"b\\c\nd'"), r#""a\"b\\c\nd'""#);
        for text in ["e\u{301}", "\u{0}\u{7f}\u{200b}", "é東😀 "] {
            assert_eq!(quoted(text), format!("{text:?}"), "as Debug quotes it");
        }
        // What `{:?}` leaves alone but a terminal must not get (a Hangul filler).
        assert_eq!(quoted("a\u{3164}"), r#""a\u{3164}""#);
        let long = quoted(&"q".repeat(MAX_SHOWN_CHARS + 1));
        assert!(long.ends_with("q\"… (1 more characters)"), "{long}");
    }
}
