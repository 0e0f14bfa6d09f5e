//! The service's `typeScriptType` grammar: the server's text is parsed into a small
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
//! Number literals are what the service stores for a float (the service's parsing rules: the text JavaScript's
//! `Number` accepts, so `.5`, `5.`, `0x1F` and `+1e3` too); the spellings TypeScript rejects in a
//! type (`+1e3`, `01`) lose their `+` and leading zeros.
//!
//! Two printers: [`TsType::print`], canonical, for the standalone module, and
//! [`TsType::print_as_service`], which gives back the service's own text for every type it
//! writes (its string literals are `JSON.stringify`'s, its object keys quoted where it quoted
//! them), but for the direction controls and other invisible code points that `JSON.stringify`
//! leaves raw in a literal: both printers write those as escapes.
//!
//! A quoted key may hold any escape the service writes, a lone surrogate (`"\ud800"`)
//! included, which a JavaScript string holds and a Rust `String` cannot: such a key is kept as
//! UTF-16 ([`Key::Units`]) and printed back as the same escape; a string literal type holding
//! one is outside the grammar. Types nest at most [`MAX_DEPTH`] levels.

use std::collections::BTreeSet;

use barekey_typegen_shared::js;

use crate::naming::{quote_js, quote_json, typescript_key};

/// How deep types may nest (`Array<`, `Record<string, ` and `{ key:` each open a level, so
/// `Array<string>` is one level deep); deeper text is outside the grammar.
///
/// Measured against the pinned `tsc --strict` (5.9.3 on Node 20), whose recursive parser,
/// checker and emitter run out of stack on deep types. The standalone module (type and check)
/// type-checks nested objects to 369 levels and `Array`s to 295, the SDK file to 384 and 540;
/// the worst shape found, an `Array` of a union at every level (`Array<... | null>`), to 200
/// and 281. The cap is half the worst, which also keeps generated Rust inside rustc's recursion
/// limit (128 levels of structs or `Vec`s do not compile).
///
/// Every recursion over a type is bounded by it, and stays far inside a 2 MiB thread stack; the
/// parser stops at the first level past it, so text nested to any depth is refused without
/// deep recursion.
pub const MAX_DEPTH: usize = 100;

// Types the service writes for values 100 levels deep must be read (issue 28).
const _: () = assert!(MAX_DEPTH >= 100);

/// A type of the grammar.
#[derive(Debug, Clone, PartialEq)]
pub enum TsType {
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
pub struct Field {
    /// The key, decoded.
    pub key: Key,
    /// Whether the source wrote the key as a string literal.
    pub quoted: bool,
    /// The key's type.
    pub ty: TsType,
}

/// An object key, decoded. The service's keys are JavaScript strings, which may hold a lone
/// surrogate (written `"\ud800"`); no Rust `String` can.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A key that is valid Unicode.
    Text(String),
    /// A key holding a lone surrogate: its UTF-16 code units.
    Units(Vec<u16>),
}

impl Key {
    fn from_units(units: Vec<u16>) -> Key {
        match String::from_utf16(&units) {
            Ok(text) => Key::Text(text),
            Err(_) => Key::Units(units),
        }
    }

    /// The key as Rust text; `None` when it holds a lone surrogate.
    pub fn text(&self) -> Option<&str> {
        match self {
            Key::Text(text) => Some(text),
            Key::Units(_) => None,
        }
    }

    /// The key as a string literal quoted by `quote` ([`quote_js`] or [`quote_json`]), a lone
    /// surrogate written as `JSON.stringify` writes it (`\ud800`).
    pub fn quoted(&self, quote: fn(&str) -> String) -> String {
        let units = match self {
            Key::Text(text) => return quote(text),
            Key::Units(units) => units,
        };
        let mut out = String::from("\"");
        for decoded in char::decode_utf16(units.iter().copied()) {
            match decoded {
                // Both quoting functions escape one character at a time, so a character's
                // literal is its part of the whole literal.
                Ok(c) => {
                    let literal = quote(c.encode_utf8(&mut [0; 4]));
                    out.push_str(&literal[1..literal.len() - 1]);
                }
                Err(lone) => out.push_str(&format!("\\u{:04x}", lone.unpaired_surrogate())),
            }
        }
        out.push('"');
        out
    }
}

/// The SDK's date type, which only the SDK file can name (it imports it).
pub const TEMPORAL_INSTANT: &str = "BarekeyTemporalInstant";

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
    pub fn parse(text: &str) -> Option<TsType> {
        let mut parser = Parser {
            tokens: tokenize(text)?,
            at: 0,
        };
        let ty = parser.union(0)?;
        (parser.at == parser.tokens.len()).then_some(ty)
    }

    /// The members of a union, or the type itself.
    pub fn members(&self) -> &[TsType] {
        match self {
            TsType::Union(members) => members,
            other => std::slice::from_ref(other),
        }
    }

    /// A JSON value of this type, if it has one (`never` and bigints have none).
    pub fn example(&self) -> Option<serde_json::Value> {
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
                    .map(|field| Some((field.key.text()?.to_owned(), field.ty.example()?)))
                    .collect::<Option<_>>()?,
            ),
            TsType::Union(members) => members.iter().find_map(TsType::example)?,
        })
    }

    /// The canonical TypeScript text: single spaces, JSON-quoted keys only where needed.
    pub fn print(&self) -> String {
        self.printed(Style::Canonical)
    }

    /// The text the service writes for this type: single spaces, `; ` after every field,
    /// string literals as `JSON.stringify` writes them (with [`quote_json`]: every
    /// [`is_hidden`](barekey_typegen_shared::text::is_hidden) code point escaped too), keys
    /// quoted where the source quoted them. It is always valid TypeScript; it equals the source
    /// text whenever the source is the service's own and holds no such code point raw.
    pub fn print_as_service(&self) -> String {
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
                        let key = match (style, &field.key) {
                            (Style::Service, key) if field.quoted => key.quoted(quote_json),
                            (Style::Service, Key::Text(text)) => text.clone(),
                            (Style::Canonical, Key::Text(text)) => typescript_key(text),
                            // Never bare: an identifier key is valid Unicode.
                            (_, key) => key.quoted(quote_js),
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

    /// How many levels the type nests: 0 for a keyword or literal, 1 for `Array<string>`.
    pub fn depth(&self) -> usize {
        match self {
            TsType::Array(inner) | TsType::Record(inner) => 1 + inner.depth(),
            TsType::Object(fields) => 1 + fields.iter().map(|f| f.ty.depth()).max().unwrap_or(0),
            TsType::Union(members) => members.iter().map(TsType::depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// Whether the type names the SDK's `BarekeyTemporalInstant` anywhere.
    pub fn names_temporal_instant(&self) -> bool {
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
    pub fn json_helpers(&self, used: &mut BTreeSet<&'static str>) {
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
    pub fn json_check(&self, value: &str, depth: usize) -> String {
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
                            field.key.quoted(quote_js),
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
    /// A string literal's UTF-16 code units, decoded.
    String(Vec<u16>),
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
            tokens.push(Token::String(json_string_units(&rest[1..end - 1])?));
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

/// The UTF-16 code units of the inside of a JSON string literal (between its quotes), its
/// escapes decoded; `None` where JSON refuses it (a raw control character, an unknown escape).
///
/// Why not serde_json: it refuses a lone surrogate escape, which `JSON.stringify` writes for a
/// key holding one and `JSON.parse` reads.
fn json_string_units(inside: &str) -> Option<Vec<u16>> {
    let mut units = Vec::with_capacity(inside.len());
    let mut chars = inside.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c < ' ' {
                return None;
            }
            units.extend_from_slice(c.encode_utf16(&mut [0; 2]));
            continue;
        }
        let unit = match chars.next()? {
            '"' => u16::from(b'"'),
            '\\' => u16::from(b'\\'),
            '/' => u16::from(b'/'),
            'b' => 0x08,
            'f' => 0x0c,
            'n' => u16::from(b'\n'),
            'r' => u16::from(b'\r'),
            't' => u16::from(b'\t'),
            'u' => {
                let digits: String = chars.by_ref().take(4).collect();
                if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u16::from_str_radix(&digits, 16).ok()?
            }
            _ => return None,
        };
        units.push(unit);
    }
    Some(units)
}

/// A JSON integer followed by `n`, or a number as the service stores a float: the text of a
/// finite JavaScript `Number(text)` (the service's parsing rules, which follow JavaScript), kept as written when TypeScript accepts it
/// in a type.
fn number(text: &str) -> Option<Token> {
    if let Some(digits) = text.strip_suffix('n') {
        let unsigned = digits.strip_prefix('-').unwrap_or(digits);
        let valid = unsigned == "0"
            || (unsigned.starts_with(|c: char| ('1'..='9').contains(&c))
                && unsigned.bytes().all(|b| b.is_ascii_digit()));
        return valid.then(|| Token::BigInt(digits.to_owned()));
    }
    // The tokenizer splits at whitespace, so `Number` reads this text as it stands.
    if !js::number(text).is_finite() {
        return None;
    }
    if matches!(
        text.as_bytes(),
        [b'0', b'x' | b'X' | b'o' | b'O' | b'b' | b'B', ..]
    ) {
        return Some(Token::Number(text.to_owned()));
    }
    let (sign, unsigned) = match text.as_bytes().first() {
        Some(b'-') => ("-", &text[1..]),
        Some(b'+') => ("", &text[1..]),
        _ => ("", text),
    };
    let whole = &unsigned[..unsigned
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(unsigned.len())];
    // TypeScript refuses a `+` sign and a leading zero (`01`, `00.5`) in a literal type: drop
    // them, which keeps the value.
    let significant = match whole.trim_start_matches('0') {
        "" if !whole.is_empty() => "0",
        significant => significant,
    };
    let rest = &unsigned[whole.len()..];
    Some(Token::Number(format!("{sign}{significant}{rest}")))
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
            // A literal type of a lone surrogate has no Rust value: outside the grammar.
            Token::String(units) => String::from_utf16(&units).ok().map(TsType::String),
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
                Token::Word(word) => (Key::Text(word), false),
                Token::String(units) => (Key::from_units(units), true),
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
    }

    /// `levels` levels of `shape` (`Array<{}>`, `{ a: {} }`, ...) around `number`.
    fn nested(shape: &str, levels: usize) -> String {
        let (open, close) = shape.split_once("{}").unwrap();
        format!("{}number{}", open.repeat(levels), close.repeat(levels))
    }

    const SHAPES: [&str; 5] = [
        "Array<{}>",
        "{ a: {}; }",
        "Record<string, {}>",
        "Array<{} | null>",
        "{ \"k-1\": {} | string; b: boolean; }",
    ];

    #[test]
    fn types_nest_to_the_cap_and_no_further() {
        for shape in SHAPES {
            for levels in [1, 40, 100, MAX_DEPTH] {
                let text = nested(shape, levels);
                let ty = TsType::parse(&text).unwrap_or_else(|| panic!("{shape} x {levels}"));
                assert_eq!(ty.depth(), levels, "{shape}");
                assert_eq!(ty.print_as_service(), text, "{shape} x {levels}");
            }
            assert_eq!(canonical(&nested(shape, MAX_DEPTH + 1)), None, "{shape}");
        }
        // Levels are counted along the deepest path, whatever it alternates through.
        let mixed = nested("Array<{ a: {}; }>", MAX_DEPTH / 2);
        assert_eq!(TsType::parse(&mixed).map(|ty| ty.depth()), Some(MAX_DEPTH));
        let beside = format!("{{ a: {}; b: string; }}", nested("Array<{}>", MAX_DEPTH));
        assert_eq!(canonical(&beside), None);
    }

    /// Every walk over a type at the cap, and the parser on text nested to any depth, on the
    /// 2 MiB stack a thread gets by default.
    #[test]
    fn no_depth_exhausts_a_two_mib_stack() {
        let work = || {
            for shape in SHAPES {
                let ty = TsType::parse(&nested(shape, MAX_DEPTH)).unwrap();
                let copy = ty.clone();
                assert_eq!(copy, ty);
                assert!(ty.print().len() > MAX_DEPTH);
                assert!(!ty.json_check("v", 0).is_empty());
                let mut helpers = BTreeSet::new();
                ty.json_helpers(&mut helpers);
                assert!(!ty.names_temporal_instant());
                let _ = ty.example();
                for levels in [MAX_DEPTH + 1, 100_000] {
                    assert_eq!(TsType::parse(&nested(shape, levels)), None, "{shape}");
                }
            }
            let deepest = "Array<".repeat(100_000);
            assert_eq!(TsType::parse(&deepest), None);
        };
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(work)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn quoted_keys_read_every_escape_the_service_writes() {
        let as_service = |text: &str| TsType::parse(text).map(|ty| ty.print_as_service());
        // `JSON.stringify`'s escapes, a lone surrogate of either half included: printed back
        // exactly, by both printers.
        for text in [
            "{ \"\\ud800\": number; }",
            "{ \"\\udfff\": number; \"\\ud800\": string; }",
            "{ \"a\\ud83dz\": { \"\\udc00\\n\": null; }; }",
            "{ \"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\": boolean; }",
            "Array<{ \"\\ud800\": Array<{ \"\\ud800\": number; }>; }>",
        ] {
            assert_eq!(as_service(text).as_deref(), Some(text), "{text}");
        }
        assert_eq!(
            canonical("{ \"\\ud800\": number; b: string; }").as_deref(),
            Some("{ \"\\ud800\": number; b: string; }")
        );
        // A pair is one character; other spellings become `JSON.stringify`'s.
        assert_eq!(
            as_service("{ \"\\ud83d\\ude80\\uD800\\u0041\": null; }").as_deref(),
            Some("{ \"🚀\\ud800A\": null; }")
        );
        let ty = TsType::parse("{ \"\\ud800\": number; }").unwrap();
        assert_eq!(
            ty.json_check("v", 0),
            "hasFields(v, [[\"\\ud800\", (v1: unknown) => typeof v1 === \"number\"]])"
        );
        // No Rust value holds the key.
        assert_eq!(ty.example(), None);
        // Keys differ by their code units; a repeated one is refused as any other.
        assert_eq!(canonical("{ \"\\ud800\": null; \"\\uD800\": null; }"), None);
        // A string literal type of a lone surrogate has no Rust value, so it is outside the
        // grammar, as are escapes JSON refuses and raw control characters.
        for text in [
            "\"\\ud800\"",
            "\"a\" | \"\\udc00\"",
            "{ \"\\ud80\": null; }",
            "{ \"\\x41\": null; }",
            "{ \"\t\": null; }",
        ] {
            assert_eq!(canonical(text), None, "{text}");
        }
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
