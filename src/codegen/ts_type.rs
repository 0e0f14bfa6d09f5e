//! The `typeScriptType` grammar of BAREKEY.md §1: the server's text is parsed into a small
//! syntax tree and printed back canonically, so nothing but the grammar reaches the output.
//!
//! ```text
//! type    = ["|"] member { "|" member }
//! member  = "string" | "number" | "boolean" | "bigint" | "null" | "unknown" | "never"
//!         | "BarekeyTemporalInstant"
//!         | "true" | "false" | string-literal | number-literal | bigint-literal
//!         | "Array" "<" type ">" | "Record" "<" "string" "," type ">"
//!         | "{" { key ":" type (";" | ",") } [ key ":" type ] "}"
//! key     = identifier | string-literal
//! ```
//!
//! String literals are JSON strings; bigint literals are JSON integers followed by `n`.
//! Number literals are what the service stores for a float (BAREKEY.md §2: the text JavaScript's
//! `Number` accepts, so `.5`, `5.`, `0x1F` and `+1e3` too); the spellings TypeScript rejects in a
//! type (`+1e3`, `01`) lose their `+` and leading zeros.
//!
//! Two printers: [`TsType::print`], canonical, for the standalone module, and
//! [`TsType::print_as_service`], which gives back the service's own text for every type it
//! writes (its string literals are `JSON.stringify`'s, its object keys quoted where it quoted
//! them), but for the direction controls and other invisible code points that `JSON.stringify`
//! leaves raw in a literal: both printers write those as escapes.

use std::collections::BTreeSet;

use crate::naming::{quote_js, quote_json, typescript_key};

/// How deep types may nest; deeper text is refused rather than risking the stack.
const MAX_DEPTH: usize = 32;

/// A type of the grammar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TsType {
    /// `string`, `number`, `boolean`, `bigint`, `null`, `unknown` or `never`.
    Keyword(&'static str),
    /// A string literal type, decoded.
    String(String),
    /// A number literal type, as JSON number text.
    Number(String),
    /// A bigint literal type, as JSON integer text without the `n`.
    BigInt(String),
    /// `true` or `false`.
    Boolean(bool),
    /// `Array<T>`.
    Array(Box<TsType>),
    /// `Record<string, T>`.
    Record(Box<TsType>),
    /// An object type; keys distinct, in source order.
    Object(Vec<Field>),
    /// Two or more members, none itself a union.
    Union(Vec<TsType>),
}

/// One key of an object type and its type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The key, decoded.
    pub(crate) key: String,
    /// Whether the source wrote the key as a string literal.
    pub(crate) quoted: bool,
    /// The key's type.
    pub(crate) ty: TsType,
}

/// The SDK's date type, which only the SDK file can name (it imports it).
pub(crate) const TEMPORAL_INSTANT: &str = "BarekeyTemporalInstant";

const KEYWORDS: [&str; 8] = [
    "string",
    "number",
    "boolean",
    "bigint",
    "null",
    "unknown",
    "never",
    TEMPORAL_INSTANT,
];

/// Which printer: the standalone module's canonical text, or the service's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Canonical,
    Service,
}

impl TsType {
    /// Parses `text`; `None` when it is not entirely in the grammar.
    pub(crate) fn parse(text: &str) -> Option<TsType> {
        let mut parser = Parser {
            tokens: tokenize(text)?,
            at: 0,
        };
        let ty = parser.union(0)?;
        (parser.at == parser.tokens.len()).then_some(ty)
    }

    /// The members of a union, or the type itself.
    pub(crate) fn members(&self) -> &[TsType] {
        match self {
            TsType::Union(members) => members,
            other => std::slice::from_ref(other),
        }
    }

    /// A JSON value of this type, if it has one (`never` and bigints have none).
    pub(crate) fn example(&self) -> Option<serde_json::Value> {
        use serde_json::Value;
        Some(match self {
            TsType::Keyword("string") => Value::from(""),
            TsType::Keyword("number") => Value::from(0),
            TsType::Keyword("boolean") => Value::from(false),
            TsType::Keyword("null" | "unknown") => Value::Null,
            TsType::Keyword(_) | TsType::BigInt(_) => return None,
            TsType::String(text) => Value::from(text.as_str()),
            TsType::Number(text) => serde_json::from_str(text).ok()?,
            TsType::Boolean(value) => Value::from(*value),
            TsType::Array(_) => Value::Array(Vec::new()),
            TsType::Record(_) => Value::Object(serde_json::Map::new()),
            TsType::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|field| Some((field.key.clone(), field.ty.example()?)))
                    .collect::<Option<_>>()?,
            ),
            TsType::Union(members) => members.iter().find_map(TsType::example)?,
        })
    }

    /// The canonical TypeScript text: single spaces, JSON-quoted keys only where needed.
    pub(crate) fn print(&self) -> String {
        self.printed(Style::Canonical)
    }

    /// The text the service writes for this type: single spaces, `; ` after every field,
    /// string literals as `JSON.stringify` writes them (with [`quote_json`]: every
    /// [`is_hidden`](barekey_typegen_shared::text::is_hidden) code point escaped too), keys
    /// quoted where the source quoted them. It is always valid TypeScript; it equals the source
    /// text whenever the source is the service's own and holds no such code point raw.
    #[cfg_attr(
        not(feature = "sdk"),
        allow(dead_code, reason = "the SDK file is the only user")
    )]
    pub(crate) fn print_as_service(&self) -> String {
        self.printed(Style::Service)
    }

    fn printed(&self, style: Style) -> String {
        match self {
            TsType::Keyword(keyword) => (*keyword).to_owned(),
            TsType::String(text) if style == Style::Service => quote_json(text),
            TsType::String(text) => quote_js(text),
            TsType::Number(text) => text.clone(),
            TsType::BigInt(text) => format!("{text}n"),
            TsType::Boolean(value) => value.to_string(),
            TsType::Array(element) => format!("Array<{}>", element.printed(style)),
            TsType::Record(value) => format!("Record<string, {}>", value.printed(style)),
            TsType::Object(fields) if fields.is_empty() => "{}".to_owned(),
            TsType::Object(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|field| {
                        let key = match style {
                            Style::Service if field.quoted => quote_json(&field.key),
                            Style::Service => field.key.clone(),
                            Style::Canonical => typescript_key(&field.key),
                        };
                        format!("{key}: {};", field.ty.printed(style))
                    })
                    .collect();
                format!("{{ {} }}", fields.join(" "))
            }
            TsType::Union(members) => {
                let members: Vec<String> = members.iter().map(|ty| ty.printed(style)).collect();
                members.join(" | ")
            }
        }
    }

    /// Whether the type names the SDK's `BarekeyTemporalInstant` anywhere.
    pub(crate) fn names_temporal_instant(&self) -> bool {
        match self {
            TsType::Keyword(keyword) => *keyword == TEMPORAL_INSTANT,
            TsType::Array(inner) | TsType::Record(inner) => inner.names_temporal_instant(),
            TsType::Object(fields) => fields.iter().any(|field| field.ty.names_temporal_instant()),
            TsType::Union(members) => members.iter().any(TsType::names_temporal_instant),
            _ => false,
        }
    }

    /// An arrow function checking its argument with [`Self::json_check`]; without a
    /// parameter when the check is a constant (an unused one fails `noUnusedParameters`).
    fn json_predicate(&self, depth: usize) -> String {
        let element = format!("v{depth}");
        match self.json_check(&element, depth) {
            check if check == "true" || check == "false" => format!("() => {check}"),
            check => format!("({element}: unknown) => {check}"),
        }
    }

    /// The runtime helpers [`Self::json_check`]'s expression calls, by runtime section name.
    pub(crate) fn json_helpers(&self, used: &mut BTreeSet<&'static str>) {
        match self {
            TsType::Array(inner) => {
                used.insert("array");
                inner.json_helpers(used);
            }
            TsType::Record(inner) => {
                used.insert("record");
                inner.json_helpers(used);
            }
            TsType::Object(fields) => {
                used.insert("object");
                fields.iter().for_each(|field| field.ty.json_helpers(used));
            }
            TsType::Union(members) => members.iter().for_each(|ty| ty.json_helpers(used)),
            _ => {}
        }
    }

    /// A JavaScript expression that is true exactly when `value` (an expression of type
    /// `unknown` holding a parsed JSON value) has this type. `depth` names the parameters of
    /// nested checks apart.
    pub(crate) fn json_check(&self, value: &str, depth: usize) -> String {
        match self {
            TsType::Keyword("unknown") => "true".to_owned(),
            // JSON has no bigint and no value of type `never`.
            TsType::Keyword("never" | "bigint") | TsType::BigInt(_) => "false".to_owned(),
            TsType::Keyword("null") => format!("{value} === null"),
            TsType::Keyword(keyword) => format!("typeof {value} === \"{keyword}\""),
            TsType::String(_) | TsType::Number(_) | TsType::Boolean(_) => {
                format!("{value} === {}", self.print())
            }
            TsType::Array(inner) => {
                format!("isArrayOf({value}, {})", inner.json_predicate(depth + 1))
            }
            TsType::Record(inner) => {
                format!("isRecordOf({value}, {})", inner.json_predicate(depth + 1))
            }
            TsType::Object(fields) => {
                let checks: Vec<String> = fields
                    .iter()
                    .map(|field| {
                        format!(
                            "[{}, {}]",
                            quote_js(&field.key),
                            field.ty.json_predicate(depth + 1)
                        )
                    })
                    .collect();
                format!("hasFields({value}, [{}])", checks.join(", "))
            }
            TsType::Union(members) => {
                let checks: Vec<String> = members
                    .iter()
                    .map(|member| format!("({})", member.json_check(value, depth)))
                    .collect();
                checks.join(" || ")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    String(String),
    Number(String),
    BigInt(String),
    Punct(char),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_whitespace() {
            rest = &rest[1..];
        } else if "<>{};:|,".contains(c) {
            tokens.push(Token::Punct(c));
            rest = &rest[1..];
        } else if c == '"' {
            let end = string_end(rest)?;
            tokens.push(Token::String(serde_json::from_str(&rest[..end]).ok()?));
            rest = &rest[end..];
        } else if c == '-' || c == '+' || c == '.' || c.is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
                .unwrap_or(rest.len());
            tokens.push(number(&rest[..end])?);
            rest = &rest[end..];
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(rest.len());
            tokens.push(Token::Word(rest[..end].to_owned()));
            rest = &rest[end..];
        } else {
            return None;
        }
    }
    Some(tokens)
}

/// The byte length of the JSON string literal at the start of `text`, quotes included.
fn string_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Some(index + 1),
            _ => {}
        }
    }
    None
}

/// A JSON integer followed by `n`, or a number as the service stores a float: the text of a
/// finite JavaScript `Number(text)` (BAREKEY.md §2), kept as written when TypeScript accepts it
/// in a type.
fn number(text: &str) -> Option<Token> {
    if let Some(digits) = text.strip_suffix('n') {
        let unsigned = digits.strip_prefix('-').unwrap_or(digits);
        let valid = unsigned == "0"
            || (unsigned.starts_with(|c: char| ('1'..='9').contains(&c))
                && unsigned.bytes().all(|b| b.is_ascii_digit()));
        return valid.then(|| Token::BigInt(digits.to_owned()));
    }
    if radix_integer(text)? {
        return Some(Token::Number(text.to_owned()));
    }
    let (sign, unsigned) = match text.as_bytes().first() {
        Some(b'-') => ("-", &text[1..]),
        Some(b'+') => ("", &text[1..]),
        _ => ("", text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|exponent| {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        !exponent.is_empty() && digits(exponent)
    });
    let valid = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    if !(valid && exponent_ok) {
        return None;
    }
    let value: f64 = unsigned.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    // TypeScript refuses a `+` sign and a leading zero (`01`, `00.5`) in a literal type: drop
    // them, which keeps the value.
    let significant = match whole.trim_start_matches('0') {
        "" if !whole.is_empty() => "0",
        significant => significant,
    };
    let rest = &unsigned[whole.len()..];
    Some(Token::Number(format!("{sign}{significant}{rest}")))
}

/// `Some(true)` for a finite `0x`, `0o` or `0b` integer (either case), `None` for one that is
/// malformed or too large to be finite, `Some(false)` for any other text.
fn radix_integer(text: &str) -> Option<bool> {
    let radix = match text.get(..2).map(str::to_ascii_lowercase).as_deref() {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => return Some(false),
    };
    let digits = &text[2..];
    let mut value = 0f64;
    for c in digits.chars() {
        value = value * f64::from(radix) + f64::from(c.to_digit(radix)?);
    }
    (!digits.is_empty() && value.is_finite()).then_some(true)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn peek_is(&self, c: char) -> bool {
        self.tokens.get(self.at) == Some(&Token::Punct(c))
    }

    fn expect(&mut self, c: char) -> Option<()> {
        (self.next()? == Token::Punct(c)).then_some(())
    }

    fn union(&mut self, depth: usize) -> Option<TsType> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.peek_is('|') {
            self.at += 1;
        }
        let mut members = Vec::new();
        loop {
            match self.member(depth)? {
                TsType::Union(inner) => members.extend(inner),
                member => members.push(member),
            }
            if !self.peek_is('|') {
                break;
            }
            self.at += 1;
        }
        Some(if members.len() == 1 {
            members.remove(0)
        } else {
            TsType::Union(members)
        })
    }

    fn member(&mut self, depth: usize) -> Option<TsType> {
        match self.next()? {
            Token::String(text) => Some(TsType::String(text)),
            Token::Number(text) => Some(TsType::Number(text)),
            Token::BigInt(text) => Some(TsType::BigInt(text)),
            Token::Punct('{') => self.object(depth),
            Token::Word(word) => match word.as_str() {
                "true" => Some(TsType::Boolean(true)),
                "false" => Some(TsType::Boolean(false)),
                "Array" => {
                    self.expect('<')?;
                    let element = self.union(depth + 1)?;
                    self.expect('>')?;
                    Some(TsType::Array(Box::new(element)))
                }
                "Record" => {
                    self.expect('<')?;
                    (self.next()? == Token::Word("string".to_owned())).then_some(())?;
                    self.expect(',')?;
                    let value = self.union(depth + 1)?;
                    self.expect('>')?;
                    Some(TsType::Record(Box::new(value)))
                }
                word => KEYWORDS
                    .iter()
                    .find(|keyword| **keyword == word)
                    .map(|keyword| TsType::Keyword(keyword)),
            },
            Token::Punct(_) => None,
        }
    }

    /// The rest of an object type, after its `{`.
    fn object(&mut self, depth: usize) -> Option<TsType> {
        let mut fields = Vec::new();
        let mut seen = BTreeSet::new();
        loop {
            let (key, quoted) = match self.next()? {
                Token::Punct('}') => break,
                Token::Word(word) => (word, false),
                Token::String(text) => (text, true),
                _ => return None,
            };
            // A repeated key does not compile; refuse it here.
            if !seen.insert(key.clone()) {
                return None;
            }
            self.expect(':')?;
            let ty = self.union(depth + 1)?;
            fields.push(Field { key, quoted, ty });
            match self.next()? {
                Token::Punct(';' | ',') => {}
                Token::Punct('}') => break,
                _ => return None,
            }
        }
        Some(TsType::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> Option<String> {
        TsType::parse(text).map(|ty| ty.print())
    }

    #[test]
    fn the_servers_types_round_trip() {
        for text in [
            "string",
            "bigint",
            "null",
            "unknown",
            "Array<never>",
            "Record<string, never>",
            "\"control\" | \"treatment\"",
            "1n | 42n",
            "false | true",
            "0.5 | 1.5",
            "-1 | 2e3",
            "{ darkMode: boolean; tiers: Array<string>; }",
            "{ \"bad-key\": string; }",
            "Array<{ a: Array<Array<number>>; }>",
        ] {
            assert_eq!(canonical(text).as_deref(), Some(text), "{text}");
        }
    }

    #[test]
    fn spacing_and_quoting_become_canonical() {
        assert_eq!(
            canonical("{a:string,\"b\":number}").as_deref(),
            Some("{ a: string; b: number; }")
        );
        assert_eq!(canonical("| \"a\"|\"b\"").as_deref(), Some("\"a\" | \"b\""));
        assert_eq!(canonical("{ }").as_deref(), Some("{}"));
        assert_eq!(
            canonical("\"\\u003c/script>\"").as_deref(),
            Some("\"\\u003c\\u002fscript\\u003e\"")
        );
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "string; } export const x = 1; {",
            "Date",
            "string[]",
            "Array<string",
            "Record<number, string>",
            "{ a: string; a: number; }",
            "{ a: string; \"a\": number; }",
            "{ a?: string }",
            "() => void",
            "typeof x",
            "-0x10",
            "+0x10",
            "0x",
            "0b102",
            "0x1p3",
            "1e",
            ".",
            "+.",
            "1.2.3",
            "--1",
            "1_000",
            "01n",
            "Infinity",
            "1e999",
            "'single'",
            "\"unterminated",
            "string /* */",
            "a | ",
            "string\u{2028}",
        ] {
            assert_eq!(canonical(text), None, "{text:?}");
        }
        let deep = format!("{}string{}", "Array<".repeat(40), ">".repeat(40));
        assert_eq!(canonical(&deep), None);
    }

    #[test]
    fn the_services_text_prints_back_exactly() {
        let as_service = |text: &str| TsType::parse(text).map(|ty| ty.print_as_service());
        for text in [
            "BarekeyTemporalInstant",
            "Record<string, never>",
            "{ darkMode: boolean; \"bad-key\": string; \"a\": null; }",
            "\"https://api.example.com/v1\" | \"*/\" | \"</script>\" | \"\\n\\t\\b\\f\\u0001\"",
            ".5 | 5.",
            "-.5 | 0x1F | 0X1f | 0b101 | 0O17 | 1E+3 | -1.5e-3 | 0. | -0",
            "1n | -42n | 0n",
            "Array<{ a: Array<string | null>; }>",
        ] {
            assert_eq!(as_service(text).as_deref(), Some(text), "{text}");
        }
        // Spellings TypeScript refuses in a type become their value's; other spellings the
        // service's.
        for (text, printed) in [
            ("+1e3", "1e3"),
            (
                "01 | -00.5 | +.5 | 000 | -0012e1",
                "1 | -0.5 | .5 | 0 | -12e1",
            ),
            (
                "{a:string,\"b-c\":number}",
                "{ a: string; \"b-c\": number; }",
            ),
            ("\"\\u0041\\/\"", "\"A/\""),
            ("| \"a\"", "\"a\""),
            // Escaping wins over the service's text: what `JSON.stringify` leaves raw and a
            // reader would not see.
            (
                "\"\u{2028}\u{7f}é😀\" | { \"k\u{202e}\": null; }",
                "\"\\u2028\\u007fé😀\" | { \"k\\u202e\": null; }",
            ),
            ("\"\u{e0001}\"", "\"\\udb40\\udc01\""),
        ] {
            assert_eq!(as_service(text).as_deref(), Some(printed), "{text}");
        }
    }

    #[test]
    fn json_checks_follow_the_type() {
        let check = |text: &str| TsType::parse(text).unwrap().json_check("v", 0);
        assert_eq!(check("unknown"), "true");
        assert_eq!(check("null"), "v === null");
        assert_eq!(check("\"a\" | 1"), "(v === \"a\") || (v === 1)");
        assert_eq!(
            check("Array<string>"),
            "isArrayOf(v, (v1: unknown) => typeof v1 === \"string\")"
        );
        assert_eq!(
            check("{ \"x-y\": boolean; }"),
            "hasFields(v, [[\"x-y\", (v1: unknown) => typeof v1 === \"boolean\"]])"
        );
        assert_eq!(
            check("{ a: { b: unknown; }; }"),
            "hasFields(v, [[\"a\", (v1: unknown) => hasFields(v1, [[\"b\", () => true]])]])"
        );
        assert_eq!(check("{}"), "hasFields(v, [])");
    }
}
