//! Text from the manifest placed in comments and docs, made inert.

/// A Markdown code span holding `text` literally: a backtick fence longer than any run of
/// backticks inside, so rustdoc never reads a name as a link, an HTML tag or emphasis.
pub(crate) fn code_span(text: &str) -> String {
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

/// The text on one line: control characters (newlines included) shown as Rust escapes, so
/// nothing from the manifest can end a comment line and start code.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
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
}
