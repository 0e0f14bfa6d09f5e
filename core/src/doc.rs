//! Text from the manifest placed in comments, docs and Rust string literals, made inert and
//! visible: every code point that could end a line, reorder the text around it on a reader's
//! display ("Trojan Source") or that rustc denies (direction controls) is written as an escape.
//! TypeScript literals follow the same rule ([`crate::naming::quote_js`]); both ask
//! [`is_hidden`] which code points those are.

pub use barekey_typegen_shared::text::is_hidden;

/// A Markdown code span holding `text` literally: a backtick fence longer than any run of
/// backticks inside, so rustdoc never reads a name as a link, an HTML tag or emphasis.
pub fn code_span(text: &str) -> String {
    let escaped = one_line(text);
    let longest_run = escaped.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A span that starts or ends with a backtick needs a space to keep the fence apart.
    let pad = if escaped.starts_with('`') || escaped.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{escaped}{pad}{fence}")
}

/// The text on one line: control characters (newlines included) and every other [`is_hidden`]
/// code point shown as Rust escapes (`\n`, `\u{202e}`), so nothing from the manifest can end a
/// comment line and start code, or reorder what a reader sees.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A Rust string literal holding exactly `text`, with every [`is_hidden`] code point escaped as
/// well as what `escape_debug` escapes: a reader sees every character, and rustc's
/// `text_direction_codepoint_in_literal` has nothing to deny.
pub fn rust_string(text: &str) -> proc_macro2::Literal {
    let mut source = String::with_capacity(text.len() + 2);
    source.push('"');
    for c in text.chars() {
        match c {
            // `escape_debug` writes `\'`, which a string literal does not need.
            '\'' => source.push(c),
            // `\n`, `\r` and `\t` stay short; every other hidden one becomes `\u{..}`.
            c if is_hidden(c) && !c.is_ascii_control() => source.extend(c.escape_unicode()),
            c => source.extend(c.escape_debug()),
        }
    }
    source.push('"');
    // The text above is always a valid literal; the fallback only keeps this total.
    source
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_newlines() {
        assert_eq!(code_span("PORT"), "`PORT`");
        assert_eq!(code_span("tick`tock"), "``tick`tock``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("a\nb"), "`a\\nb`");
        assert_eq!(code_span("[link]"), "`[link]`");
    }

    #[test]
    fn direction_controls_and_invisible_characters_are_escaped() {
        assert_eq!(one_line("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
        assert_eq!(
            one_line("\u{200e}\u{61c}\u{3164}"),
            "\\u{200e}\\u{61c}\\u{3164}"
        );
        assert_eq!(
            rust_string("a\u{202e}'\"\\\u{3164}é").to_string(),
            r#""a\u{202e}'\"\\\u{3164}é""#
        );
    }
}
