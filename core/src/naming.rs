//! How a Barekey variable name becomes a Rust field and a TypeScript key.
//!
//! Barekey names are only trimmed and limited to 160 characters, so any text can arrive:
//! `my-var`, `3D_MODE`, `type`, `ünï`, `🚀`, spaces. The Rust side turns each into an ASCII
//! snake_case identifier (ASCII so that rustc's `uncommon_codepoints` and confusable-identifier
//! lints never fire in users' crates); the TypeScript side keeps the exact name as the key,
//! quoted when it is not an identifier, since that is the key of `process.env`.
//!
//! Distinct names can end up as one identifier (`API_KEY`, `api_key`, `Api-Key`). Those are
//! told apart deterministically: the variable whose name already *is* the identifier keeps it,
//! else one whose name is already snake_case, else the first in byte order; the others get
//! `_2`, `_3`, ... in byte order (skipping any identifier already taken). The result depends only on the set of names, never their order,
//! and every collision is reported as a [`Warning::NameCollision`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;

use crate::Warning;

/// Identifiers the generated `impl BarekeyEnv` defines; a field never takes one of them.
pub const RESERVED_RUST_NAMES: [&str; 3] = ["from_env", "from_lookup", "load"];

/// Rust keywords of every edition (strict and reserved), which need `r#` as identifiers.
const RUST_KEYWORDS: [&str; 51] = [
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while",
];

/// Keywords that cannot be raw identifiers (`r#self` is an error); these get a trailing `_`.
const NOT_RAW: [&str; 4] = ["self", "Self", "crate", "super"];

/// What a name becomes when nothing of it survives cleaning (`!!!`, `_`).
const EMPTY_FALLBACK: &str = "var";

/// A Rust field name: plain (`port`) or raw (`r#type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustField {
    name: String,
}

impl RustField {
    /// The identifier without `r#` (`type` for `r#type`).
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Whether it must be written `r#name`.
    pub fn is_raw(&self) -> bool {
        is_keyword(&self.name)
    }

    /// The identifier token, raw where it must be.
    pub fn to_ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        if self.is_raw() {
            proc_macro2::Ident::new_raw(&self.name, span)
        } else {
            proc_macro2::Ident::new(&self.name, span)
        }
    }
}

impl std::fmt::Display for RustField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_raw() {
            f.write_str("r#")?;
        }
        f.write_str(&self.name)
    }
}

/// The field each name gets, in the order of `names`, and a warning per collision.
///
/// `names` must be distinct (the manifest validation guarantees it).
pub fn rust_fields<S: AsRef<str>>(names: &[S]) -> (Vec<RustField>, Vec<Warning>) {
    let bases: Vec<String> = names.iter().map(|name| rust_base(name.as_ref())).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, base) in bases.iter().enumerate() {
        groups.entry(base).or_default().push(index);
    }
    let mut taken: BTreeSet<String> = bases.iter().cloned().collect();
    let mut assigned: Vec<String> = bases.clone();
    let mut warnings = Vec::new();
    for (base, mut members) in groups.into_iter().filter(|(_, members)| members.len() > 1) {
        // The owner keeps the bare identifier: the name that already is it, else one already in
        // snake_case (`self` over `Self`), else the first in byte order. Sorting by name makes
        // the outcome independent of input order.
        members.sort_by_key(|&i| {
            let name = names[i].as_ref();
            (name != base, name.to_snake_case() != name, name)
        });
        // `self_` is followed by `self_2`, not `self__2`.
        let stem = base.trim_end_matches('_');
        let mut suffix = 2;
        for &index in &members[1..] {
            while taken.contains(&format!("{stem}_{suffix}")) {
                suffix += 1;
            }
            assigned[index] = format!("{stem}_{suffix}");
            taken.insert(assigned[index].clone());
        }
        let mut report: Vec<(String, String)> = members
            .iter()
            .map(|&i| (names[i].as_ref().to_owned(), display_field(&assigned[i])))
            .collect();
        report.sort();
        warnings.push(Warning::NameCollision {
            identifier: display_field(base),
            assigned: report,
        });
    }
    let fields = assigned
        .into_iter()
        .map(|name| RustField { name })
        .collect();
    (fields, warnings)
}

/// Names the generated module itself defines in the type namespace or as constants; a
/// generated type never takes one of them (`Self` is a keyword that cannot be raw).
pub const RESERVED_RUST_TYPES: [&str; 3] = ["BarekeyEnv", "MANIFEST_VERSION", "Self"];

/// The UpperCamelCase type name a field's own type starts from (`checkout_flow` ->
/// `CheckoutFlow`), before collisions are resolved.
pub fn rust_type_base(field: &RustField) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(field.as_str())
}

/// The type name each wanted type gets, in the order of `wanted` (each the variable's name and
/// the base name from [`rust_type_base`]), and a warning per collision.
///
/// Names taken by the module ([`RESERVED_RUST_TYPES`]) and names wanted by several types are
/// told apart like fields: the first variable in byte order keeps a name unless it is
/// reserved; the others get `2`, `3`, ... (skipping any name already taken). Generated type
/// names are distinct from each other and from the reserved names, whatever the input.
pub fn rust_types(wanted: &[(&str, String)]) -> (Vec<String>, Vec<Warning>) {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, (_, base)) in wanted.iter().enumerate() {
        groups.entry(base).or_default().push(index);
    }
    let mut taken: BTreeSet<String> = wanted.iter().map(|(_, base)| base.clone()).collect();
    taken.extend(RESERVED_RUST_TYPES.map(str::to_owned));
    let mut assigned: Vec<String> = wanted.iter().map(|(_, base)| base.clone()).collect();
    let mut warnings = Vec::new();
    for (base, mut members) in groups {
        let reserved = RESERVED_RUST_TYPES.contains(&base);
        if members.len() < 2 && !reserved {
            continue;
        }
        members.sort_by_key(|&i| wanted[i].0);
        let renamed = if reserved {
            &members[..]
        } else {
            &members[1..]
        };
        let mut suffix = 2;
        for &index in renamed {
            while taken.contains(&format!("{base}{suffix}")) {
                suffix += 1;
            }
            assigned[index] = format!("{base}{suffix}");
            taken.insert(assigned[index].clone());
        }
        let mut report: Vec<(String, String)> = members
            .iter()
            .map(|&i| (wanted[i].0.to_owned(), assigned[i].clone()))
            .collect();
        report.sort();
        warnings.push(Warning::TypeNameCollision {
            identifier: base.to_owned(),
            reserved,
            assigned: report,
        });
    }
    (assigned, warnings)
}

fn display_field(name: &str) -> String {
    RustField {
        name: name.to_owned(),
    }
    .to_string()
}

/// A name's identifier before collisions are resolved: ASCII snake_case, never empty, never
/// starting with a digit, never a keyword that cannot be raw, never a generated method's name.
pub fn rust_base(name: &str) -> String {
    // Transliterate first (`ü` -> `u`, `日本` -> `ri ben`, `🚀` -> `rocket`), then let heck find
    // the words; it drops every character that is not alphanumeric.
    let ascii = deunicode::deunicode(name);
    let mut snake = ascii.to_snake_case();
    snake.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if snake.is_empty() {
        snake = EMPTY_FALLBACK.to_owned();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake = format!("{EMPTY_FALLBACK}_{snake}");
    }
    if NOT_RAW.contains(&snake.as_str()) || RESERVED_RUST_NAMES.contains(&snake.as_str()) {
        snake.push('_');
    }
    snake
}

fn is_keyword(name: &str) -> bool {
    RUST_KEYWORDS.contains(&name)
}

/// The TypeScript property key for a name: bare when it is an ASCII identifier, else a
/// JSON-quoted string literal (which is also a valid TypeScript string literal).
pub fn typescript_key(name: &str) -> String {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$');
    if starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        name.to_owned()
    } else {
        quote_js(name)
    }
}

/// A string literal as JavaScript's `JSON.stringify` writes it (`"`, `\\` and control
/// characters below U+0020 escaped: `\b`, `\t`, `\n`, `\f`, `\r`, else `\u00xx`), except that
/// every other [`is_hidden`](barekey_typegen_shared::text::is_hidden) code point (direction
/// controls, invisible and format characters, U+2028 and U+2029) is escaped as well, as
/// `\uxxxx` (two for one beyond the BMP), where `JSON.stringify` leaves it raw. The official
/// Barekey CLI's quoting, for `--ts-mode sdk`, which may differ from its file only there: a
/// reader sees every character. A Rust string holds no lone surrogate, the one other thing
/// `JSON.stringify` escapes.
///
/// ```
/// use barekey_typegen_core::naming::quote_json;
///
/// assert_eq!(quote_json("a/b\n\"c\""), r#""a/b\n\"c\"""#);
/// assert_eq!(quote_json("x\u{202e}y\u{2028}"), r#""x\u202ey\u2028""#);
/// ```
pub fn quote_json(text: &str) -> String {
    // serde_json escapes exactly `JSON.stringify`'s set, the same way (tests/testsuite/sdk_mode.rs
    // checks it against Node), and leaves the rest raw. Serializing a string cannot fail.
    let json = serde_json::to_string(text).unwrap_or_default();
    escape_hidden(&json).into_owned()
}

/// `text` with every [`is_hidden`](barekey_typegen_shared::text::is_hidden) code point written
/// as JavaScript `\uxxxx` escapes (UTF-16 units, lowercase, as `JSON.stringify` writes its
/// own); meant for the inside of string literals, where an escape means the character.
pub fn escape_hidden(text: &str) -> Cow<'_, str> {
    use barekey_typegen_shared::text::is_hidden;
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) {
            let mut units = [0; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A double-quoted JavaScript string literal that is safe anywhere in a source file.
pub fn quote_js(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // `<` and `/` so `</script>` and `*/` never appear literally; line and paragraph
            // separators and every control character so no line ends inside the literal.
            '<' | '>' | '/' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            // Controls, direction controls and other invisible code points, so the text reads
            // as it is (no "Trojan Source"); as UTF-16 escapes, which JSON reads too.
            c if barekey_typegen_shared::text::is_hidden(c) => {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[&str]) -> Vec<String> {
        rust_fields(names)
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn ordinary_names_become_snake_case() {
        assert_eq!(
            fields(&[
                "DATABASE_URL",
                "my-var",
                "with space",
                "dotted.name",
                "HTTPServer",
                "apiKey"
            ]),
            [
                "database_url",
                "my_var",
                "with_space",
                "dotted_name",
                "http_server",
                "api_key"
            ]
        );
    }

    #[test]
    fn keywords_are_raw_where_allowed_and_suffixed_where_not() {
        assert_eq!(fields(&["type"]), ["r#type"]);
        assert_eq!(fields(&["MATCH"]), ["r#match"]);
        assert_eq!(fields(&["async"]), ["r#async"]);
        assert_eq!(fields(&["gen"]), ["r#gen"]);
        assert_eq!(fields(&["self"]), ["self_"]);
        assert_eq!(fields(&["Self"]), ["self_"]);
        assert_eq!(fields(&["crate"]), ["crate_"]);
        assert_eq!(fields(&["super"]), ["super_"]);
        assert_eq!(fields(&["_"]), ["var"]);
        for field in rust_fields(&["type", "self", "gen", "loop"]).0 {
            let text = field.to_ident().to_string();
            syn::parse_str::<syn::Ident>(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }

    #[test]
    fn digits_unicode_and_empty_names() {
        assert_eq!(fields(&["3D_MODE"]), ["var_3d_mode"]);
        assert_eq!(fields(&["ünï"]), ["uni"]);
        assert_eq!(fields(&["日本語"]), ["ri_ben_yu"]);
        assert_eq!(fields(&["🚀"]), ["rocket"]);
        assert_eq!(fields(&["!!!"]), ["var"]);
        assert_eq!(fields(&["a*/b"]), ["a_b"]);
    }

    #[test]
    fn generated_api_names_are_never_fields() {
        assert_eq!(
            fields(&["from_env", "FROM_LOOKUP", "load"]),
            ["from_env_", "from_lookup_", "load_"]
        );
    }

    #[test]
    fn collisions_are_resolved_by_the_set_of_names_not_their_order() {
        let names = ["API_KEY", "api_key", "Api-Key", "API_KEY_2", "apiKey"];
        let (expected, warnings) = rust_fields(&names);
        let expected: Vec<(&str, String)> = names
            .iter()
            .copied()
            .zip(expected.iter().map(ToString::to_string))
            .collect();
        // `api_key` is already the identifier, so it keeps it; `API_KEY_2` owns `api_key_2`.
        let lookup = |name: &str| expected.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(lookup("api_key"), "api_key");
        assert_eq!(lookup("API_KEY_2"), "api_key_2");
        assert_eq!(lookup("API_KEY"), "api_key_3");
        assert_eq!(lookup("Api-Key"), "api_key_4");
        assert_eq!(lookup("apiKey"), "api_key_5");
        assert_eq!(warnings.len(), 1);
        let message = warnings[0].to_string();
        for name in ["\"API_KEY\"", "\"api_key\"", "\"Api-Key\"", "\"apiKey\""] {
            assert!(message.contains(name), "{message}");
        }

        let mut reversed = names;
        reversed.reverse();
        let (fields_reversed, warnings_reversed) = rust_fields(&reversed);
        for (name, field) in reversed.iter().zip(&fields_reversed) {
            assert_eq!(field.to_string(), lookup(name), "{name}");
        }
        assert_eq!(warnings, warnings_reversed);
    }

    #[test]
    fn raw_keyword_collisions_get_plain_suffixes() {
        assert_eq!(fields(&["TYPE", "type"]), ["type_2", "r#type"]);
        assert_eq!(fields(&["self", "Self"]), ["self_", "self_2"]);
    }

    #[test]
    fn type_names_never_collide_with_each_other_or_the_module() {
        let wanted = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            pairs.iter().map(|(n, b)| (*n, (*b).to_owned())).collect()
        };
        let (names, warnings) = rust_types(&wanted(&[
            ("V_1", "V1"),
            ("v1", "V1"),
            ("BAREKEY_ENV", "BarekeyEnv"),
            ("self", "Self"),
            ("V12", "V12"),
            ("OTHER", "Other"),
        ]));
        assert_eq!(
            names,
            ["V1", "V13", "BarekeyEnv2", "Self2", "V12", "Other"].map(str::to_owned)
        );
        assert_eq!(warnings.len(), 3);
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|w| w.contains("\"v1\" -> `V13`")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|w| w.contains("taken by the generated module")),
            "{text:?}"
        );
    }

    #[test]
    fn type_bases_are_upper_camel_case_of_the_field() {
        let (fields, _) = rust_fields(&["CHECKOUT_FLOW", "type", "3D_MODE"]);
        let bases: Vec<String> = fields.iter().map(rust_type_base).collect();
        assert_eq!(bases, ["CheckoutFlow", "Type", "Var3dMode"]);
    }

    #[test]
    fn typescript_keys_keep_the_name_and_quote_when_needed() {
        assert_eq!(typescript_key("DATABASE_URL"), "DATABASE_URL");
        assert_eq!(typescript_key("$x"), "$x");
        assert_eq!(typescript_key("my-var"), "\"my-var\"");
        assert_eq!(typescript_key("3D"), "\"3D\"");
        assert_eq!(typescript_key(""), "\"\"");
        assert_eq!(typescript_key("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(
            typescript_key("</script>"),
            "\"\\u003c\\u002fscript\\u003e\""
        );
        assert_eq!(typescript_key("x*/y"), "\"x*\\u002fy\"");
        assert_eq!(typescript_key("line\nbreak"), "\"line\\u000abreak\"");
        assert_eq!(typescript_key("a\u{202e}b"), "\"a\\u202eb\"");
        assert_eq!(quote_js("\u{e0001}"), "\"\\udb40\\udc01\"");
    }
}
