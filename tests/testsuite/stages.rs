//! Several stages, one build: the merge of several stages' manifests, checked as properties
//! over generated stages (a fixed seed, a bounded case count) against a model written
//! independently of `merge_stages`, plus the shipped fixtures as regression cases.
//!
//! Model: a variable is in the merged manifest iff some stage has it; it is required iff every
//! stage has it (and requires it); `only_in` lists the stages that have it, in the order given,
//! when some lack it; private iff private anywhere; a declared type that differs between the
//! stages that have it makes the merge fail, naming exactly those variables; a kind that
//! differs makes it a plain secret; arms that differ are dropped. The merged manifest's output
//! passes the same invariants as any manifest's (`common::invariants`).

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use barekey_typegen::Error;
use barekey_typegen::manifest::{self, DeclaredType, Kind, Manifest, Visibility};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

/// Cases per run.
const CASES: u32 = 64;

/// The fixed seed (32 bytes for ChaCha).
const SEED: &[u8; 32] = b"barekey-typegen stages seed 2026";

/// Given in this order; merged in byte order of the slugs (see `sorted_position`).
const STAGES: [&str; 4] = ["production", "staging", "preview", "dev"];

/// Where the stage given at `index` lands once sorted by slug, among the first `count` stages.
fn sorted_position(index: usize, count: usize) -> usize {
    STAGES[..count]
        .iter()
        .filter(|other| **other < STAGES[index])
        .count()
}

/// A few names, so that stages share most of them; non-ASCII and a keyword among them.
const NAMES: [&str; 10] = [
    "PORT",
    "DATABASE_URL",
    "FLOW",
    "type",
    "ÜBER_FLAG",
    "RATE",
    "THEME",
    "api-key",
    "LAUNCH_AT",
    "X",
];

fn runner() -> proptest::test_runner::TestRunner {
    common::seeded_runner(CASES, SEED)
}

/// One stage's view of a variable: kind, declared type, visibility, arm B's literal.
#[derive(Debug, Clone)]
struct Seen {
    kind: Kind,
    declared: DeclaredType,
    visibility: Visibility,
    arm_b: u8,
}

fn seen() -> impl Strategy<Value = Seen> {
    (
        // Mostly secrets, so kinds agree more often than not.
        select(vec![
            Kind::Secret,
            Kind::Secret,
            Kind::AbRoll,
            Kind::Rollout,
        ]),
        // Mostly string, so declared types agree more often than not.
        select(vec![
            DeclaredType::String,
            DeclaredType::String,
            DeclaredType::String,
            DeclaredType::Int64,
            DeclaredType::Json,
        ]),
        select(vec![Visibility::Public, Visibility::Private]),
        0u8..2,
    )
        .prop_map(|(kind, declared, visibility, arm_b)| Seen {
            kind,
            declared,
            visibility,
            arm_b,
        })
}

/// 2 to 4 stages, each a map from some of `NAMES` to how it sees that variable.
fn stages() -> impl Strategy<Value = Vec<BTreeMap<&'static str, Seen>>> {
    vec(
        btree_map(select(NAMES.to_vec()), seen(), 0..=NAMES.len()),
        2..=4,
    )
}

fn variable_json(name: &str, seen: &Seen) -> Value {
    let (a, b, union) = match seen.declared {
        DeclaredType::Int64 => (
            "1n".to_owned(),
            format!("{}n", 2 + seen.arm_b),
            format!("1n | {}n", 2 + seen.arm_b),
        ),
        DeclaredType::Json => (
            "{ a: string; }".to_owned(),
            "{ a: string; }".to_owned(),
            if seen.arm_b == 0 {
                "{ a: string; }".to_owned()
            } else {
                "{ b: number; }".to_owned()
            },
        ),
        _ => (
            "\"on\"".to_owned(),
            format!("\"off{}\"", seen.arm_b),
            format!("\"on\" | \"off{}\"", seen.arm_b),
        ),
    };
    let switch = seen.kind != Kind::Secret;
    json!({
        "name": name,
        "kind": seen.kind.as_str(),
        "declaredType": seen.declared.as_str(),
        "visibility": seen.visibility.as_str(),
        "required": true,
        "typeScriptType": if switch || seen.declared == DeclaredType::Json { json!(union) } else { Value::Null },
        "valueATypeScriptType": if switch { json!(a) } else { Value::Null },
        "valueBTypeScriptType": if switch { json!(b) } else { Value::Null },
    })
}

fn manifest_of(stage: &str, variables: &BTreeMap<&str, Seen>) -> Manifest {
    let variables: Vec<Value> = variables
        .iter()
        .map(|(name, seen)| variable_json(name, seen))
        .collect();
    let document = json!({
        "orgSlug": "acme", "projectSlug": "web", "stageSlug": stage,
        "manifestVersion": format!("v-{stage}"), "variables": variables,
    });
    manifest::parse(&document.to_string(), stage)
        .unwrap_or_else(|error| panic!("{error}"))
        .manifest
}

#[test]
fn merging_any_stages_follows_the_model() {
    let outcomes = std::cell::RefCell::new((0usize, 0usize, 0usize));
    runner()
        .run(&stages(), |stages| {
            let manifests: Vec<Manifest> = stages
                .iter()
                .zip(STAGES)
                .map(|(variables, stage)| manifest_of(stage, variables))
                .collect();
            let origins: Vec<String> = STAGES
                .iter()
                .map(|stage| format!("barekey.manifest.{stage}.json"))
                .collect();
            let input: Vec<(&str, &Manifest)> =
                origins.iter().map(String::as_str).zip(&manifests).collect();

            // The model.
            let mut by_name: BTreeMap<&str, Vec<(usize, &Seen)>> = BTreeMap::new();
            for (index, variables) in stages.iter().enumerate() {
                for (name, seen) in variables {
                    by_name.entry(name).or_default().push((index, seen));
                }
            }
            let conflicting: BTreeSet<&str> = by_name
                .iter()
                .filter(|(_, present)| {
                    present
                        .iter()
                        .any(|(_, s)| s.declared != present[0].1.declared)
                })
                .map(|(name, _)| *name)
                .collect();

            match common::merge(&input) {
                Err(Error::StageTypeConflict { conflicts }) => {
                    outcomes.borrow_mut().0 += 1;
                    let named: BTreeSet<&str> = conflicts.iter().map(|c| c.name.as_str()).collect();
                    prop_assert_eq!(&named, &conflicting);
                    for conflict in &conflicts {
                        let present = &by_name[conflict.name.as_str()];
                        let mut expected: Vec<(String, String, DeclaredType)> = present
                            .iter()
                            .map(|(index, s)| {
                                (
                                    STAGES[*index].to_owned(),
                                    origins[*index].clone(),
                                    s.declared,
                                )
                            })
                            .collect();
                        // Stages are merged in byte order of their slugs.
                        expected.sort();
                        prop_assert_eq!(&conflict.stages, &expected);
                    }
                }
                Err(other) => prop_assert!(false, "unexpected error: {other}"),
                Ok(merged) => {
                    prop_assert!(conflicting.is_empty(), "{conflicting:?} merged");
                    outcomes.borrow_mut().1 += 1;
                    let merged_manifest = &merged.manifest;
                    let names: Vec<&str> = merged_manifest
                        .variables
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect();
                    let expected_names: Vec<&str> = by_name.keys().copied().collect();
                    prop_assert_eq!(&names, &expected_names);
                    for variable in &merged_manifest.variables {
                        let present = &by_name[variable.name.as_str()];
                        let everywhere = present.len() == stages.len();
                        prop_assert_eq!(variable.required, everywhere);
                        let only_in: Vec<String> = if everywhere {
                            Vec::new()
                        } else {
                            outcomes.borrow_mut().2 += 1;
                            let mut only_in: Vec<(usize, String)> = present
                                .iter()
                                .map(|(i, _)| {
                                    (sorted_position(*i, stages.len()), STAGES[*i].to_owned())
                                })
                                .collect();
                            only_in.sort();
                            only_in.into_iter().map(|(_, stage)| stage).collect()
                        };
                        prop_assert_eq!(&variable.only_in, &only_in);
                        let private = present
                            .iter()
                            .any(|(_, s)| s.visibility == Visibility::Private);
                        prop_assert_eq!(variable.visibility == Visibility::Private, private);
                        prop_assert_eq!(variable.declared_type, present[0].1.declared);
                        let kinds: BTreeSet<Kind> = present.iter().map(|(_, s)| s.kind).collect();
                        if kinds.len() > 1 {
                            prop_assert_eq!(variable.kind, Kind::Secret);
                            prop_assert_eq!(&variable.value_a_type_script_type, &None);
                        } else {
                            prop_assert_eq!(variable.kind, present[0].1.kind);
                        }
                        let arms: BTreeSet<u8> = present.iter().map(|(_, s)| s.arm_b).collect();
                        let typed = variable.kind != Kind::Secret
                            || variable.declared_type == DeclaredType::Json;
                        if typed && arms.len() > 1 {
                            prop_assert_eq!(&variable.type_script_type, &None);
                            prop_assert!(
                                merged.warnings.iter().any(|w| w
                                    .to_string()
                                    .contains(&format!("{:?}", variable.name))),
                                "no warning for {}",
                                variable.name
                            );
                        }
                    }
                    let slugs: Vec<&str> = merged_manifest
                        .stages
                        .iter()
                        .map(|stage| stage.slug.as_str())
                        .collect();
                    let mut expected_slugs = STAGES[..stages.len()].to_vec();
                    expected_slugs.sort_unstable();
                    prop_assert_eq!(slugs, expected_slugs);
                    // Whatever was merged generates output that passes every invariant.
                    common::invariants::check_manifest(merged_manifest);
                }
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    // Both outcomes, and stage-only variables, really happened.
    let (conflicts, merges, stage_only) = outcomes.into_inner();
    assert!(
        conflicts > 5 && merges > 5 && stage_only > 5,
        "{conflicts} {merges} {stage_only}"
    );
}

#[test]
fn the_order_stages_are_given_in_does_not_change_a_byte() {
    let folder = common::root().join("fixtures/stages");
    let production = folder.join("barekey.manifest.production.json");
    let staging = folder.join("barekey.manifest.staging.json");
    let forward =
        barekey_typegen::source::read_stages(&[production.clone(), staging.clone()]).unwrap();
    let backward = barekey_typegen::source::read_stages(&[staging, production]).unwrap();
    let options = barekey_typegen::codegen::Options::default();
    let rust = |manifest: &Manifest| {
        barekey_typegen::codegen::generate_rust(manifest, &options, "m")
            .unwrap()
            .text
    };
    assert_eq!(rust(&forward.manifest), rust(&backward.manifest));
    assert_eq!(
        forward
            .manifest
            .manifest_version
            .as_deref()
            .map(|v| v.starts_with("production=")),
        Some(true)
    );
}

#[test]
fn one_stage_is_returned_as_it_is() {
    let text = std::fs::read_to_string(common::root().join("fixtures/demo.manifest.json")).unwrap();
    let demo = manifest::parse(&text, "demo").unwrap().manifest;
    let merged = common::merge(&[("demo", &demo)]).unwrap();
    assert_eq!(merged.manifest, demo);
    assert!(merged.warnings.is_empty());
}

#[test]
fn the_stage_fixtures_merge_as_documented() {
    let folder = common::root().join("fixtures/stages");
    let paths = [
        folder.join("barekey.manifest.production.json"),
        folder.join("barekey.manifest.staging.json"),
    ];
    let merged = barekey_typegen::source::read_stages(&paths).unwrap();
    let optional: Vec<(&str, &[String])> = merged
        .manifest
        .variables
        .iter()
        .filter(|v| !v.required)
        .map(|v| (v.name.as_str(), v.only_in.as_slice()))
        .collect();
    let production = ["production".to_owned()];
    let staging = ["staging".to_owned()];
    assert_eq!(
        optional,
        [
            ("BETA_LIMITS", &staging[..]),
            ("CDN_URL", &production[..]),
            ("DEBUG_SQL", &staging[..]),
            ("NEW_SEARCH_UI", &staging[..]),
            ("SENTRY_DSN", &production[..]),
        ]
    );
    let warnings: Vec<String> = merged.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("PRICING_EXPERIMENT") && warnings[0].contains("1n | 7n"),
        "{warnings:?}"
    );
    let log_level = merged
        .manifest
        .variables
        .iter()
        .find(|v| v.name == "LOG_LEVEL")
        .unwrap();
    assert_eq!(log_level.visibility, Visibility::Private);

    let folder = common::root().join("fixtures/stages-conflict");
    let paths = [
        folder.join("barekey.manifest.production.json"),
        folder.join("barekey.manifest.staging.json"),
    ];
    let message = barekey_typegen::source::read_stages(&paths)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("\"PORT\": int64 in production"),
        "{message}"
    );
    assert!(message.contains("string in staging"), "{message}");
    assert!(
        message.contains("\"TIMEOUT\": float in production"),
        "{message}"
    );
    assert!(!message.contains("RETRIES"), "{message}");
}
