//! Property tests over generated manifests: up to 200 variables with any Unicode names of 1 to
//! 160 characters (plus names built to collide, keywords and generated items' names), any
//! kinds, declared types, visibilities and `typeScriptType`s, a quarter not required (as in a
//! manifest merged from several stages), hostile slugs.
//!
//! For each, generation does not panic, and `common::invariants` parses the output back: the
//! Rust module parses with syn and holds exactly the generated items, its fields are distinct
//! and each is read under its variable's exact name and documented with it; the TypeScript
//! keys (standalone and SDK) are exactly the names, so distinct; nothing else is exported. The
//! same variables in another order give the same bytes.
//!
//! The seed is fixed and the case count bounded, so every run checks the same cases; a failure
//! prints the shrunk manifest to turn into a fixture.

use crate::common;

use std::collections::BTreeSet;

use barekey_typegen::codegen::rust::generate_rust_on;
use barekey_typegen::manifest::{self, Manifest};
use common::invariants::{check_manifest, check_rust, check_sdk, check_standalone, generate_all};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

/// Cases per run: enough to cover every kind, type and naming path, few enough for seconds.
const CASES: u32 = 48;

/// The fixed seed (32 bytes for ChaCha): the same cases on every machine and every run.
const SEED: &[u8; 32] = b"barekey-typegen properties seed!";

/// Names that exercise the naming rules: keywords of both languages, generated items' names,
/// prototype keys, comment and string breakers.
const SPECIAL_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "_",
    "r#raw",
    "fn",
    "gen",
    "async",
    "from_env",
    "from_lookup",
    "load",
    "BarekeyEnv",
    "MANIFEST_VERSION",
    "parseBarekeyEnv",
    "parseBarekeyValue",
    "barekeyValueReaders",
    "BarekeyEnvError",
    "barekeyManifestVersion",
    "__proto__",
    "constructor",
    "delete",
    "class",
    "export",
    "*/",
    "/*",
    "</script>",
    "\"",
    "\\",
    "\n",
    "`",
    "API_KEY",
    "api_key",
    "Api-Key",
    "apiKey",
    "API_KEY_2",
    "var",
    "var_2",
    "🚀",
    "ünï",
];

const TS_TYPES: &[&str] = &[
    "string",
    "bigint",
    "number",
    "boolean",
    "BarekeyTemporalInstant",
    "null",
    "unknown",
    "Array<never>",
    "Record<string, never>",
    "{ darkMode: boolean; tiers: Array<string>; }",
    "{ \"bad-key\": string; }",
    "\"control\" | \"treatment\"",
    "\"</script>\" | \"*/ evil\"",
    "1n | 42n",
    "false | true",
    "0.5 | 1.5",
    "string; } export const x = 1; {",
    "*/ alert(1) /*",
    "string\nexport const y = 2;",
    "Array<Array<Array<Array<Array<Array<Array<Array<Array<Array<string>>>>>>>>>>",
];

fn runner() -> proptest::test_runner::TestRunner {
    common::seeded_runner(CASES, SEED)
}

/// Any text of `min..=max` characters, control characters and all.
fn any_text(min: usize, max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), min..=max).prop_map(String::from_iter)
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any_text(1, 160),
        // A small alphabet, so distinct names often become the same identifier.
        4 => "[A-Za-z0-9_ .-]{1,10}",
        2 => select(SPECIAL_NAMES).prop_map(str::to_owned),
        1 => "[a-zA-Z]{160}",
    ]
}

fn type_script_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        3 => select(TS_TYPES).prop_map(|ty| Some(ty.to_owned())),
        1 => any_text(0, 40).prop_map(Some),
    ]
}

/// A variable's name and its JSON, kinds and types unknown to this tool included.
fn variable() -> impl Strategy<Value = (String, Value)> {
    (
        name(),
        select(&["secret", "ab_roll", "rollout", "feature_flag"][..]),
        select(
            &[
                "string", "boolean", "int64", "float", "date", "json", "uuid",
            ][..],
        ),
        select(&["private", "public"][..]),
        type_script_type(),
        // Not required, as in a manifest merged from several stages: an `Option`, an optional
        // property.
        proptest::bool::weighted(0.75),
    )
        .prop_map(|(name, kind, declared, visibility, ts, required)| {
            let json = json!({
                "name": name, "kind": kind, "declaredType": declared,
                "visibility": visibility, "required": required, "typeScriptType": ts,
            });
            (name, json)
        })
}

/// 0 to 200 variables with distinct, non-blank names (what the manifest validation accepts).
fn variables() -> impl Strategy<Value = Vec<Value>> {
    vec(variable(), 0..=200).prop_map(|variables| {
        let mut seen = BTreeSet::new();
        variables
            .into_iter()
            .filter(|(name, _)| !name.trim().is_empty() && seen.insert(name.clone()))
            .map(|(_, json)| json)
            .collect()
    })
}

/// The variables, the same in another order, and the slugs and version.
fn manifests() -> impl Strategy<Value = (Vec<Value>, Vec<Value>, [String; 3])> {
    let slugs = [any_text(0, 30), any_text(0, 30), any_text(0, 50)];
    (variables(), slugs).prop_flat_map(|(variables, slugs)| {
        let shuffled = Just(variables.clone()).prop_shuffle();
        (Just(variables), shuffled, Just(slugs))
    })
}

fn parse(variables: &[Value], [project, stage, version]: &[String; 3]) -> Manifest {
    let document = json!({
        "projectSlug": project, "stageSlug": stage, "manifestVersion": version,
        "variables": variables,
    });
    manifest::parse(&document.to_string(), "generated")
        .unwrap_or_else(|error| panic!("{error}"))
        .manifest
}

#[test]
fn any_manifest_generates_sound_deterministic_output() {
    let sizes = std::cell::RefCell::new(Vec::new());
    let optional = std::cell::Cell::new(0);
    runner()
        .run(&manifests(), |(variables, shuffled, slugs)| {
            let manifest = parse(&variables, &slugs);
            sizes.borrow_mut().push(manifest.variables.len());
            let not_required = manifest.variables.iter().filter(|v| !v.required).count();
            optional.set(optional.get() + not_required);
            let outputs = check_manifest(&manifest);
            let reordered = generate_all(&parse(&shuffled, &slugs));
            prop_assert_eq!(outputs, reordered, "the input order changed the output");
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    // The generator really produced small and large manifests.
    let sizes = sizes.into_inner();
    assert!(
        sizes.contains(&0) || sizes.iter().any(|&n| n < 10),
        "{sizes:?}"
    );
    assert!(sizes.iter().any(|&n| n > 150), "{sizes:?}");
    // And variables that are not required, in a share near the quarter drawn.
    let total: usize = sizes.iter().sum();
    assert!(
        (total / 8..total / 2).contains(&optional.get()),
        "{} of {total} not required",
        optional.get()
    );
}

/// The module formatted on one thread is the module formatted on several (`generate_rust`
/// uses two from 1,000 variables on; these manifests are smaller, so both paths are asked for).
#[test]
fn any_manifest_formats_the_same_on_any_number_of_threads() {
    let options = barekey_typegen::codegen::Options::default();
    runner()
        .run(&manifests(), |(variables, _, slugs)| {
            let manifest = parse(&variables, &slugs);
            let on = |threads| {
                generate_rust_on(&manifest, &options, "generated", threads)
                    .map(|generated| generated.text)
                    .map_err(|error| error.to_string())
            };
            prop_assert_eq!(on(1), on(2), "two threads wrote another module");
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
}

/// The checks above are not vacuous: each catches the damage it looks for.
#[test]
fn the_invariant_checks_catch_injected_code_and_lost_names() {
    let text = std::fs::read_to_string(common::root().join("fixtures/demo.manifest.json")).unwrap();
    let manifest = manifest::parse(&text, "demo").unwrap().manifest;
    let outputs = check_manifest(&manifest);
    let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
    let fails = |check: fn(&str, &[&str]), text: String| {
        std::panic::catch_unwind(|| check(&text, &names)).is_err()
    };
    assert!(fails(
        check_rust,
        format!("{}\nfn evil() {{}}\n", outputs.rust)
    ));
    assert!(fails(
        check_rust,
        outputs.rust.replacen("read(\"PORT\"", "read(\"port\"", 1)
    ));
    assert!(fails(
        check_standalone,
        outputs
            .standalone
            .replacen("  readonly PORT", "  readonly PORT2", 1)
    ));
    assert!(fails(
        check_standalone,
        format!("{}export const x = 1;\n", outputs.standalone)
    ));
    assert!(fails(
        check_sdk,
        outputs.sdk.replacen(
            "\"PORT\": bigint;",
            "\"PORT\": bigint; }\nconst x = 1; {",
            1
        )
    ));
}
