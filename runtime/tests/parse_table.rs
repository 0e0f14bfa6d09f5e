//! The shared parse-case table (`fixtures/parse-cases.json`) against the Rust runtime. The
//! TypeScript tests (`tests/testsuite/typescript.rs`) run the same table against the generated
//! module, so both languages accept exactly the same text and give the same values.
//!
//! The table is the workspace's (`../fixtures`), not the package's: `cargo package` leaves it
//! out, and this test runs in the repository only.

use std::path::Path;

use barekey_typegen_runtime::{DeclaredValue, JsonValue, ParseError, Timestamp};
use serde_json::Value;

/// One case's outcome, in the table's terms: the value as the table writes it, or the message.
fn outcome(declared: &str, text: &str) -> Result<Value, String> {
    fn show<T>(parsed: Result<T, ParseError>, value: impl Fn(T) -> Value) -> Result<Value, String> {
        parsed.map(value).map_err(|error| error.to_string())
    }
    match declared {
        "string" => show(String::parse_text(text), Value::from),
        "boolean" => show(bool::parse_text(text), Value::from),
        // The table writes int64 values as strings: JSON numbers lose precision past 2^53.
        "int64" => show(i64::parse_text(text), |n| Value::from(n.to_string())),
        "float" => show(f64::parse_text(text), Value::from),
        "date" => show(Timestamp::parse_text(text), |t| {
            Value::from(t.unix_millis())
        }),
        "json" => show(JsonValue::parse_text(text), |value| value),
        other => panic!("unknown declared type {other:?} in the table"),
    }
}

#[test]
fn the_rust_runtime_follows_the_parse_case_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/parse-cases.json");
    let table = std::fs::read_to_string(path).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&table).unwrap();
    assert!(cases.len() > 150, "the table lost its cases");
    let mut failures = Vec::new();
    for case in &cases {
        let declared = case["type"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let actual = outcome(declared, text);
        let agrees = match (&actual, case.get("value"), case.get("error")) {
            (Ok(value), Some(expected), None) => numbers_equal(value, expected),
            // A value too deep to write in the table itself: only its acceptance is checked.
            (Ok(_), None, None) => case["valid"] == true,
            // The table holds the message, or for json its stable start (`expected JSON`).
            (Err(message), None, Some(Value::String(expected))) => message.starts_with(expected),
            _ => false,
        };
        if !agrees {
            failures.push(format!(
                "{declared} {text:?}: got {actual:?}, table says {case}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// JSON equality where `1000` and `1000.0` are the same number, as in JavaScript.
fn numbers_equal(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| numbers_equal(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| numbers_equal(a, b)))
        }
        _ => actual == expected,
    }
}
