//! Synthetic manifests for the benchmarks: every kind, declared type and visibility, and names
//! that exercise the naming rules, deterministic for a given size.
//!
//! Shared by the criterion benches, the build script of `benches/runtime-bench` (which generates
//! the module its bench loads from it), the `synth_manifest` example (which the benchmark script
//! uses to write manifest files) and the test of the benches' inputs.

use serde_json::{Value, json};

/// The declared types, in the order variables cycle through them.
pub(crate) const TYPES: [&str; 6] = ["string", "boolean", "int64", "float", "date", "json"];

/// A manifest of `count` variables, as the service returns it (unsorted, with `requestId`).
pub(crate) fn manifest(count: usize) -> Value {
    let variables: Vec<Value> = (0..count).rev().map(variable).collect();
    json!({
        "orgId": "org_bench",
        "orgSlug": "bench-org",
        "projectSlug": "bench",
        "stageSlug": "load",
        "generatedAtMs": 1773400000000_u64,
        "manifestVersion": format!("bench-{count}"),
        "requestId": "req_bench",
        "variables": variables,
    })
}

/// The name of variable `index`: mostly SCREAMING_SNAKE, with kebab-case, leading digits and
/// keywords mixed in.
pub(crate) fn name(index: usize) -> String {
    match index % 20 {
        7 => format!("feature-{index}-enabled"),
        13 => format!("{index}D_MODE"),
        17 => format!("type_{index}"),
        _ => format!("SERVICE_{index:06}_SETTING"),
    }
}

/// The declared type of variable `index`.
pub(crate) fn declared_type(index: usize) -> &'static str {
    TYPES[index % TYPES.len()]
}

/// A valid value of variable `index`, as text (what the environment holds).
pub(crate) fn value(index: usize) -> String {
    match declared_type(index) {
        "boolean" => if index % 4 == 1 { " true" } else { "false" }.to_owned(),
        "int64" if index % 10 == 3 || index % 10 == 8 => "42".to_owned(),
        "int64" => format!("-{index}"),
        "float" if index % 10 == 3 || index % 10 == 8 => "1.5".to_owned(),
        "float" => format!("{index}.25e-1"),
        "date" => format!("2026-03-{:02}T09:30:00.250+01:00", 1 + index % 28),
        "json" => format!(r#"{{"tier": "gold", "limits": [{index}, 2, 3], "on": true}}"#),
        _ if index % 10 == 3 || index % 10 == 8 => "treatment".to_owned(),
        _ => format!("postgres://app@db-{index}.internal:5432/app"),
    }
}

fn variable(index: usize) -> Value {
    let declared_type = declared_type(index);
    // A/B switches and rollouts hold literal arms; the service has no literal dates or JSON.
    let kind = match (index % 10, declared_type) {
        (_, "date" | "json") => "secret",
        (3, _) => "ab_roll",
        (8, _) => "rollout",
        _ => "secret",
    };
    let (type_script, arm_a, arm_b) = match (kind, declared_type) {
        ("secret", "json") => (
            "{ tier: string; limits: Array<number>; on: boolean; }",
            None,
            None,
        ),
        ("secret", "date") => ("BarekeyTemporalInstant", None, None),
        ("secret", "int64") => ("bigint", None, None),
        ("secret", "float") => ("number", None, None),
        ("secret", other) => (other, None, None),
        (_, "boolean") => ("false | true", Some("false"), Some("true")),
        (_, "int64") => ("1n | 42n", Some("1n"), Some("42n")),
        (_, "float") => ("0.5 | 1.5", Some("0.5"), Some("1.5")),
        (_, _) => (
            "\"control\" | \"treatment\"",
            Some("\"control\""),
            Some("\"treatment\""),
        ),
    };
    let rollout = kind == "rollout";
    json!({
        "name": name(index),
        "visibility": if index % 3 == 0 { "private" } else { "public" },
        "kind": kind,
        "declaredType": declared_type,
        "required": true,
        "updatedAtMs": 1773300000000_u64 + index as u64,
        "typeScriptType": type_script,
        "valueATypeScriptType": arm_a,
        "valueBTypeScriptType": arm_b,
        "rolloutFunction": if rollout { json!("linear") } else { Value::Null },
        "rolloutMilestones": if rollout {
            json!([{"at": "2026-03-01T00:00:00.000Z", "percentage": 0},
                   {"at": "2026-04-01T00:00:00.000Z", "percentage": 100}])
        } else {
            Value::Null
        },
    })
}
