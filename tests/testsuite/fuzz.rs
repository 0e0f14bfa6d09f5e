//! The fuzz harness for the whole pipeline: bytes in, as the CLI reads a snapshot; parse,
//! validate, then generate Rust and both TypeScript modes, checking every output invariant
//! (`common::invariants`). It must never panic; an invalid input must give one
//! `InvalidManifest` error naming the input.
//!
//! The inputs are a mix of raw bytes, fixtures (valid and invalid) mutated byte-wise with a
//! JSON-aware dictionary, and structured JSON built from the manifest's own vocabulary, so most
//! cases get past the JSON parser into validation and generation.
//!
//! The test command runs a short smoke run with a fixed seed. A long run, with another seed:
//!
//! ```sh
//! BAREKEY_FUZZ_CASES=200000 BAREKEY_FUZZ_SEED=7 cargo test --release --test testsuite fuzz::
//! ```
//!
//! A failure writes the shrunk input under `target/fuzz-artifacts/`; copy it into
//! `fuzz/regressions/`, where every file is replayed by `regressions_stay_fixed`.

use crate::common;

use std::path::PathBuf;

use barekey_typegen::manifest::snapshot_bytes;
use barekey_typegen::{Error, source};
use common::invariants::check_manifest;
use common::{relative, root};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::ValueTree as _;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use serde_json::Value;

/// Cases of the smoke run in the test command.
const SMOKE_CASES: u32 = 2000;

/// Raises the case count for a long run.
const CASES_VARIABLE: &str = "BAREKEY_FUZZ_CASES";

/// Picks another fixed seed (a number) for a long run.
const SEED_VARIABLE: &str = "BAREKEY_FUZZ_SEED";

/// The origin every message must name.
const ORIGIN: &str = "fuzz input";

/// One fuzz case: never panics, whatever the bytes.
fn fuzz_one(bytes: &[u8]) {
    let loaded = match source::parse_manifest_bytes(bytes, ORIGIN) {
        Ok(loaded) => loaded,
        Err(Error::InvalidManifest { origin, problems }) => {
            assert_eq!(origin, ORIGIN);
            assert!(
                !problems.is_empty(),
                "an invalid manifest names its problems"
            );
            return;
        }
        Err(other) => panic!("unexpected error for manifest bytes: {other}"),
    };
    for warning in &loaded.warnings {
        assert!(!warning.to_string().is_empty());
    }
    check_manifest(&loaded.manifest);
    // The snapshot of a valid manifest is valid, means the same, and is a fixed point.
    let text = std::str::from_utf8(bytes).unwrap();
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    let snapshot = snapshot_bytes(&value);
    let reread = source::parse_manifest_bytes(&snapshot, ORIGIN)
        .unwrap_or_else(|error| panic!("the snapshot of a valid manifest is invalid: {error}"));
    assert_eq!(
        reread.manifest, loaded.manifest,
        "the snapshot changed the manifest"
    );
    let again: Value = serde_json::from_slice(&snapshot).unwrap();
    let twice = snapshot_bytes(&again);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    assert_eq!(
        text(&twice),
        text(&snapshot),
        "the snapshot is not a fixed point"
    );
}

/// Every fixture manifest, valid and invalid: the seeds the mutations start from.
fn seeds() -> Vec<Vec<u8>> {
    let fixtures = common::valid_fixtures()
        .into_iter()
        .chain(common::invalid_fixtures());
    fixtures
        .map(|(_, path)| std::fs::read(path).unwrap())
        .collect()
}

/// Fragments that move JSON and the manifest grammar in interesting directions.
const DICTIONARY: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "-0",
    "1e999",
    "9223372036854775808",
    "0.1",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\\",
    "\"name\"",
    "\"kind\"",
    "\"rollout\"",
    "\"ab_roll\"",
    "\"declaredType\"",
    "\"json\"",
    "\"date\"",
    "\"typeScriptType\"",
    "\"rolloutMilestones\"",
    "\"percentage\"",
    "\"at\"",
    "\"2026-02-30T00:00:00Z\"",
    "\"variables\"",
    "\"manifestVersion\"",
    "\u{feff}",
    "\u{2028}",
    "*/",
    "</script>",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "Array<Array<Array<Array<Array<Array<Array<Array<Array<Array<Array<",
];

/// One byte-level edit of a seed.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Overwrite(Index, u8),
    Duplicate(Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let fragment = prop_oneof![
        3 => select(DICTIONARY).prop_map(|text| text.as_bytes().to_vec()),
        1 => vec(any::<u8>(), 1..8),
    ];
    prop_oneof![
        (any::<Index>(), fragment).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<Index>(), 1..16usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Overwrite(at, byte)),
        (any::<Index>(), 1..64usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: Vec<Mutation>) -> Vec<u8> {
    for mutation in mutations {
        let at = |index: &Index| index.index(bytes.len() + 1);
        match mutation {
            Mutation::Insert(index, fragment) => {
                let at = at(&index);
                bytes.splice(at..at, fragment);
            }
            Mutation::Delete(index, len) => {
                let at = at(&index);
                bytes.drain(at..(at + len).min(bytes.len()));
            }
            Mutation::Overwrite(index, byte) if !bytes.is_empty() => {
                let at = index.index(bytes.len());
                bytes[at] = byte;
            }
            Mutation::Overwrite(..) => {}
            Mutation::Duplicate(index, len) => {
                let at = at(&index);
                let copy = bytes[at..(at + len).min(bytes.len())].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    bytes
}

/// Words of the manifest grammar, for keys and string values.
const VOCABULARY: &[&str] = &[
    "name",
    "kind",
    "declaredType",
    "visibility",
    "required",
    "updatedAtMs",
    "typeScriptType",
    "valueATypeScriptType",
    "valueBTypeScriptType",
    "rolloutFunction",
    "rolloutMilestones",
    "at",
    "percentage",
    "chance",
    "secret",
    "ab_roll",
    "rollout",
    "string",
    "boolean",
    "int64",
    "float",
    "date",
    "json",
    "private",
    "public",
    "linear",
    "step",
    "ease_in_out",
    "2026-03-01T00:00:00.000Z",
    "\"a\" | \"b\"",
    "1n | 2n",
    "PORT",
    "type",
    "__proto__",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(VOCABULARY).prop_map(str::to_owned),
        1 => ".{0,12}",
    ]
}

/// JSON built from the vocabulary, often shaped like a manifest.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e3..1e3f64).prop_map(Value::from),
        word().prop_map(Value::from),
    ];
    let json = leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..8).prop_map(Value::Array),
            btree_map(word(), inner, 0..8).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    });
    // Variables with a name, kind and type, then a few fields that may override them.
    let name = prop_oneof![1 => word(), 3 => "[A-Za-z0-9_ -]{1,16}"];
    let variable = (name, word(), word(), btree_map(word(), json.clone(), 0..3)).prop_map(
        |(name, kind, declared, extra)| {
            let mut variable = serde_json::json!({
                "name": name, "kind": kind, "declaredType": declared,
            });
            variable.as_object_mut().unwrap().extend(extra);
            variable
        },
    );
    prop_oneof![
        1 => json,
        3 => (vec(variable, 0..12), word()).prop_map(|(variables, version)| {
            serde_json::json!({ "manifestVersion": version, "variables": variables })
        }),
    ]
    .prop_map(|value| value.to_string().into_bytes())
}

fn inputs() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => vec(any::<u8>(), 0..256),
        4 => (select(seeds()), vec(mutation(), 1..4)).prop_map(|(seed, edits)| mutate(seed, edits)),
        3 => structured(),
    ]
}

/// A harness setting, for long runs.
fn setting(name: &str) -> Option<u64> {
    #[allow(
        clippy::disallowed_methods,
        reason = "the fuzz harness's own settings, not a product input"
    )]
    let value = std::env::var(name).ok()?;
    let number = value.parse();
    Some(number.unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")))
}

fn runner() -> TestRunner {
    let cases = setting(CASES_VARIABLE).map_or(SMOKE_CASES, |cases| cases as u32);
    let seed = setting(SEED_VARIABLE).unwrap_or(0);
    let mut bytes = [0; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..].copy_from_slice(&b"barekey-typegen fuzz seed"[..24]);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Where a failing input is written, to be copied into `fuzz/regressions/`.
fn save_failure(bytes: &[u8]) -> PathBuf {
    let folder = root().join("target/fuzz-artifacts");
    std::fs::create_dir_all(&folder).unwrap();
    // FNV-1a: a stable name for the same input.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let path = folder.join(format!("crash-{hash:016x}.json"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn fuzz_smoke_run() {
    let result = runner().run(&inputs(), |bytes| {
        fuzz_one(&bytes);
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, bytes)) => panic!(
            "{reason}\ninput ({} bytes, saved to {}): {:?}\ncopy it into fuzz/regressions/",
            bytes.len(),
            save_failure(&bytes).display(),
            String::from_utf8_lossy(&bytes)
        ),
        Err(error) => panic!("{error}"),
    }
}

/// Every input that ever failed, and every fixture, still passes.
#[test]
fn regressions_stay_fixed() {
    let folder = root().join("fuzz/regressions");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    inputs.sort();
    let fixtures = common::valid_fixtures()
        .into_iter()
        .chain(common::invalid_fixtures());
    inputs.extend(fixtures.map(|(_, path)| path));
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| fuzz_one(&bytes));
        assert!(outcome.is_ok(), "{} fails again", relative(&path).display());
    }
}

/// The mutations are not vacuous: they do change seeds, sometimes into valid manifests.
#[test]
fn the_inputs_reach_generation() {
    let mut runner = runner();
    let strategy = inputs();
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..200 {
        let bytes = strategy.new_tree(&mut runner).unwrap().current();
        match source::parse_manifest_bytes(&bytes, ORIGIN) {
            Ok(loaded) if !loaded.manifest.variables.is_empty() => valid += 1,
            Ok(_) => {}
            Err(_) => invalid += 1,
        }
    }
    assert!(
        valid >= 20 && invalid >= 20,
        "valid {valid}, invalid {invalid}"
    );
}
