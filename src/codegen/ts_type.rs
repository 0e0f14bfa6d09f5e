//! The `typeScriptType` grammar of BAREKEY.md §1: the server's text is parsed into a small
//! syntax tree and printed back canonically, so nothing but the grammar reaches the output.
//!
//! ```text
//! type    = ["|"] member { "|" member }
//! member  = "string" | "number" | "boolean" | "bigint" | "null" | "unknown" | "never"
//!         | "true" | "false" | string-literal | number-literal | bigint-literal
//!         | "Array" "<" type ">" | "Record" "<" "string" "," type ">"
//!         | "{" { key ":" type (";" | ",") } [ key ":" type ] "}"
//! key     = identifier | string-literal
//! ```
//!
//! String literals are JSON strings; number literals are JSON numbers, bigint literals are
//! JSON integers followed by `n`.

use std::collections::BTreeSet;

use crate::naming::{quote_js, typescript_key};

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
    /// An object type; keys decoded and distinct, in source order.
    Object(Vec<(String, TsType)>),
    /// Two or more members, none itself a union.
    Union(Vec<TsType>),
}

const KEYWORDS: [&str; 7] = [
    "string", "number", "boolean", "bigint", "null", "unknown", "never",
];

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
                    .map(|(key, ty)| Some((key.clone(), ty.example()?)))
                    .collect::<Option<_>>()?,
            ),
            TsType::Union(members) => members.iter().find_map(TsType::example)?,
        })
    }

    /// The canonical TypeScript text: single spaces, JSON-quoted keys only where needed.
    pub(crate) fn print(&self) -> String {
        match self {
            TsType::Keyword(keyword) => (*keyword).to_owned(),
            TsType::String(text) => quote_js(text),
            TsType::Number(text) => text.clone(),
            TsType::BigInt(text) => format!("{text}n"),
            TsType::Boolean(value) => value.to_string(),
            TsType::Array(element) => format!("Array<{}>", element.print()),
            TsType::Record(value) => format!("Record<string, {}>", value.print()),
            TsType::Object(fields) if fields.is_empty() => "{}".to_owned(),
            TsType::Object(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(key, ty)| format!("{}: {};", typescript_key(key), ty.print()))
                    .collect();
                format!("{{ {} }}", fields.join(" "))
            }
            TsType::Union(members) => {
                let members: Vec<String> = members.iter().map(TsType::print).collect();
                members.join(" | ")
            }
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
                fields.iter().for_each(|(_, ty)| ty.json_helpers(used));
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
                let mut checks = vec![format!("isJsonObject({value})")];
                for (key, ty) in fields {
                    let field = format!("ownField({value}, {})", quote_js(key));
                    checks.push(format!("({})", ty.json_check(&field, depth)));
                }
                checks.join(" && ")
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
        } else if c == '-' || c.is_ascii_digit() {
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

/// A JSON number, or a JSON integer followed by `n`.
fn number(text: &str) -> Option<Token> {
    if let Some(digits) = text.strip_suffix('n') {
        let unsigned = digits.strip_prefix('-').unwrap_or(digits);
        let valid = unsigned == "0"
            || (unsigned.starts_with(|c: char| ('1'..='9').contains(&c))
                && unsigned.bytes().all(|b| b.is_ascii_digit()));
        return valid.then(|| Token::BigInt(digits.to_owned()));
    }
    // JSON's number grammar is exactly what a TypeScript number literal type may hold, minus
    // the forms (hex, `_` separators, `.5`) that we have no need to accept.
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let finite = value.as_f64().is_some_and(f64::is_finite);
    (value.is_number() && finite).then(|| Token::Number(text.to_owned()))
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
            let key = match self.next()? {
                Token::Punct('}') => break,
                Token::Word(word) => word,
                Token::String(text) => text,
                _ => return None,
            };
            // A repeated key does not compile; refuse it here.
            if !seen.insert(key.clone()) {
                return None;
            }
            self.expect(':')?;
            fields.push((key, self.union(depth + 1)?));
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
            "BarekeyTemporalInstant",
            "string[]",
            "Array<string",
            "Record<number, string>",
            "{ a: string; a: number; }",
            "{ a: string; \"a\": number; }",
            "{ a?: string }",
            "() => void",
            "typeof x",
            "0x10",
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
            "isJsonObject(v) && (typeof ownField(v, \"x-y\") === \"boolean\")"
        );
    }
}
