//! The snapshot format: the same content always gives the same bytes.

use serde_json::Value;

/// The reply fields that change on every request and so never belong in a snapshot.
const VOLATILE: [&str; 2] = ["requestId", "generatedAtMs"];

/// Turns a manifest reply into snapshot bytes: `requestId` and `generatedAtMs` dropped,
/// variables sorted by name in byte order, object keys sorted, two-space indentation and a
/// trailing newline. Unknown fields are kept, so the snapshot is the reply as the API sent it.
pub fn snapshot_bytes(reply: &Value) -> Vec<u8> {
    let mut document = reply.clone();
    if let Value::Object(top) = &mut document {
        for key in VOLATILE {
            top.remove(key);
        }
        if let Some(Value::Array(variables)) = top.get_mut("variables") {
            // The service sorts with a locale-aware compare; byte order is stable everywhere.
            variables.sort_by(|a, b| name_of(a).cmp(name_of(b)));
        }
    }
    sort_keys(&mut document);
    // Serializing a `Value` to a Vec cannot fail: every key is a string.
    let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn name_of(variable: &Value) -> &str {
    variable
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Sorts keys at every level, whether or not serde_json's `preserve_order` feature is on
/// somewhere in the dependency graph.
fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_same_bytes() {
        let a: Value = serde_json::from_str(
            r#"{"variables":[{"name":"b","kind":"secret"},{"kind":"secret","name":"B"},{"name":"a"}],
                "requestId":"r1","generatedAtMs":1,"manifestVersion":"v","zeta":{"y":1,"x":2}}"#,
        )
        .unwrap();
        let b: Value = serde_json::from_str(
            r#"{"zeta":{"x":2,"y":1},"manifestVersion":"v","requestId":"r2","generatedAtMs":2,
                "variables":[{"name":"a"},{"name":"B","kind":"secret"},{"name":"b","kind":"secret"}]}"#,
        )
        .unwrap();
        let bytes = snapshot_bytes(&a);
        assert_eq!(bytes, snapshot_bytes(&b));
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("requestId") && !text.contains("generatedAtMs"));
        assert!(text.ends_with("}\n"));
        let order: Vec<usize> = ["\"B\"", "\"a\"", "\"b\""]
            .iter()
            .map(|name| text.find(name).unwrap())
            .collect();
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
        assert!(text.find("\"x\"").unwrap() < text.find("\"y\"").unwrap());
        assert!(
            text.contains("\n  \"manifestVersion\""),
            "two-space indent: {text}"
        );
    }
}
