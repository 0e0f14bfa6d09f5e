//! Every manifest shape the service has sent loads, and snapshots are byte-stable.

use crate::common;

use barekey_typegen::manifest::{self, DeclaredType, Kind, RolloutFunction, Visibility};
use barekey_typegen::source::read_manifest;
use barekey_typegen::{Error, Warning};
use barekey_typegen_runtime::Timestamp;
use common::root;
use serde_json::Value;

fn fixture(name: &str) -> manifest::Loaded {
    read_manifest(&root().join("fixtures").join(name)).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn the_current_shape_loads_every_field() {
    let loaded = fixture("demo.manifest.json");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let manifest = loaded.manifest;
    assert_eq!(manifest.org_slug.as_deref(), Some("acme-42"));
    assert_eq!(manifest.project_slug.as_deref(), Some("web-1234"));
    assert_eq!(manifest.stage_slug.as_deref(), Some("production"));
    assert_eq!(manifest.manifest_version.as_deref().map(str::len), Some(43));
    let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "variables come out in byte order");

    let dashboard = manifest
        .variables
        .iter()
        .find(|v| v.name == "NEW_DASHBOARD")
        .unwrap();
    assert_eq!(dashboard.kind, Kind::Rollout);
    assert_eq!(dashboard.declared_type, DeclaredType::Boolean);
    assert_eq!(dashboard.visibility, Visibility::Private);
    assert_eq!(dashboard.rollout_function, Some(RolloutFunction::Linear));
    assert_eq!(dashboard.type_script_type.as_deref(), Some("false | true"));
    let milestones = dashboard.rollout_milestones.as_ref().unwrap();
    assert_eq!(milestones.len(), 2);
    assert_eq!(
        milestones[0].at,
        "2026-03-01T00:00:00.000Z".parse::<Timestamp>().unwrap()
    );
    assert_eq!(milestones[1].percentage, 100.0);
    let port = manifest
        .variables
        .iter()
        .find(|v| v.name == "PORT")
        .unwrap();
    assert_eq!(
        (port.kind, port.declared_type, port.visibility),
        (Kind::Secret, DeclaredType::Int64, Visibility::Public)
    );
}

#[test]
fn the_legacy_shape_loads_with_defaults() {
    let loaded = fixture("legacy.manifest.json");
    let manifest = &loaded.manifest;
    assert_eq!(
        manifest.manifest_version.as_deref(),
        Some("3"),
        "a numeric version keeps its spelling"
    );
    assert_eq!(manifest.variables.len(), 5);
    for variable in &manifest.variables {
        assert_eq!(
            variable.visibility,
            Visibility::Private,
            "{}",
            variable.name
        );
        assert!(variable.required);
        assert_eq!(variable.type_script_type, None);
        assert_eq!(variable.rollout_milestones, None);
    }
    let token = manifest
        .variables
        .iter()
        .find(|v| v.name == "LEGACY_TOKEN")
        .unwrap();
    assert_eq!(token.declared_type, DeclaredType::String);
    assert!(matches!(
        &loaded.warnings[..],
        [Warning::MissingDeclaredType { variable, .. }] if variable == "LEGACY_TOKEN"
    ));
}

#[test]
fn the_documented_shape_loads_with_chance_and_ignores_unknown_fields() {
    let loaded = fixture("docs-variant.manifest.json");
    assert_eq!(loaded.manifest.manifest_version.as_deref(), Some("1"));
    let flow = loaded
        .manifest
        .variables
        .iter()
        .find(|v| v.name == "CHECKOUT_FLOW")
        .unwrap();
    assert_eq!(flow.kind, Kind::AbRoll);
    assert_eq!(flow.chance, Some(0.2));
}

#[test]
fn unknown_kinds_and_types_fall_back_with_a_warning_naming_the_variable() {
    let loaded = fixture("unknown-types.manifest.json");
    let find = |name: &str| {
        loaded
            .manifest
            .variables
            .iter()
            .find(|v| v.name == name)
            .unwrap()
    };
    assert_eq!(find("REQUEST_ID").declared_type, DeclaredType::String);
    assert_eq!(find("beta_banner").kind, Kind::Secret);
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("\"REQUEST_ID\"") && warnings[0].contains("\"uuid\""));
    assert!(warnings[1].contains("\"beta_banner\"") && warnings[1].contains("\"feature_flag\""));
}

/// The fixtures written in snapshot form are exactly what the snapshot writer produces.
#[test]
fn snapshots_are_byte_stable() {
    for name in [
        "demo",
        "empty",
        "collisions",
        "hostile-names",
        "injection",
        "deep-types",
    ] {
        let path = root().join(format!("fixtures/{name}.manifest.json"));
        let bytes = std::fs::read(&path).unwrap();
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            String::from_utf8(manifest::snapshot_bytes(&value)).unwrap(),
            String::from_utf8(bytes).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_snapshot_drops_volatile_fields_keeps_unknown_ones_and_loads_the_same() {
    let path = root().join("fixtures/unknown-types.manifest.json");
    let reply: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(reply.get("requestId").is_some() && reply.get("generatedAtMs").is_some());
    let snapshot = String::from_utf8(manifest::snapshot_bytes(&reply)).unwrap();
    assert!(!snapshot.contains("requestId") && !snapshot.contains("generatedAtMs"));
    assert!(
        snapshot.contains("\"owner\": \"team-a\""),
        "unknown fields survive: {snapshot}"
    );
    let from_reply = manifest::parse_value(&reply, "reply").unwrap();
    let from_snapshot = manifest::parse(&snapshot, "snapshot").unwrap();
    assert_eq!(from_reply.manifest, from_snapshot.manifest);
}

#[test]
fn problems_are_reported_together_with_their_locations() {
    let error =
        read_manifest(&root().join("fixtures/invalid/many-problems.manifest.json")).unwrap_err();
    let Error::InvalidManifest { origin, problems } = &error else {
        panic!("{error}")
    };
    assert!(origin.ends_with("many-problems.manifest.json"));
    assert_eq!(problems.len(), 5, "{error}");
    assert!(problems.iter().any(|p| p.location() == "variables[1]"));
    assert!(problems.iter().any(|p| p.location() == "variable \"PORT\""));
}

#[test]
fn error_debug_reads_like_display_with_causes() {
    let missing = root().join("fixtures/no-such.manifest.json");
    let error = read_manifest(&missing).unwrap_err();
    let debug = format!("{error:?}");
    assert!(debug.starts_with(&error.to_string()), "{debug}");
    assert!(debug.contains("\ncaused by: "), "{debug}");
    assert!(!debug.contains("Read {"), "not a struct dump: {debug}");
}

#[test]
fn a_manifest_that_is_not_utf8_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barekey.manifest.json");
    std::fs::write(&path, b"{\"variables\": [\xff]}").unwrap();
    let message = read_manifest(&path).unwrap_err().to_string();
    assert!(
        message.contains("not UTF-8") && message.contains("offset 15"),
        "{message}"
    );
}
