//! Manifests whose names, slugs, versions and `typeScriptType` literals are drawn from all of
//! Unicode, direction controls and other invisible code points weighted up: shared by the
//! tests that compile the generated Rust (`compile_generated.rs`) and type-check the generated
//! TypeScript (`typescript.rs`). The seed is fixed, so every run builds the same manifests.

use std::collections::BTreeSet;

use barekey_typegen::manifest::{self, DeclaredType, Kind, Manifest};
use barekey_typegen_shared::text::is_hidden;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree as _;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

/// The fixed seed (32 bytes for ChaCha).
const SEED: &[u8; 32] = b"barekey-typegen unicode seed!!!!";

/// Characters that rustc, an editor or a terminal treats specially, and the characters that
/// end a string or a comment: each is drawn far more often than chance would.
const SPECIAL: &[char] = &[
    '\u{202a}',
    '\u{202b}',
    '\u{202c}',
    '\u{202d}',
    '\u{202e}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{200e}',
    '\u{200f}',
    '\u{61c}',
    '\u{200b}',
    '\u{200d}',
    '\u{2060}',
    '\u{feff}',
    '\u{ad}',
    '\u{3164}',
    '\u{115f}',
    '\u{fe0f}',
    '\u{e0001}',
    '\u{e007f}',
    '\u{180e}',
    '\u{2028}',
    '\u{2029}',
    '\u{85}',
    '\u{0}',
    '\u{1b}',
    '\u{7f}',
    '\n',
    '\r',
    '\t',
    '"',
    '\'',
    '\\',
    '`',
    '/',
    '*',
    '@',
    '<',
    '>',
    '$',
    '{',
    '}',
    '#',
    'é',
    '東',
    '😀',
    '\u{fffe}',
    '\u{ffff}',
    '\u{10ffff}',
    ' ',
];

/// Text of `min..=max` characters: any code point, or mostly [`SPECIAL`] ones.
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    let one = prop_oneof![
        1 => any::<char>(),
        1 => select(SPECIAL),
        1 => proptest::char::range('A', 'Z'),
    ];
    vec(one, min..=max).prop_map(String::from_iter)
}

/// A `typeScriptType` whose string literals and object key hold [`text`].
fn type_script_type() -> impl Strategy<Value = Option<String>> {
    let quoted = |text: String| serde_json::to_string(&text).unwrap();
    prop_oneof![
        1 => Just(None),
        1 => (text(0, 8), text(0, 8)).prop_map(move |(a, b)| {
            Some(format!("{} | {}", quoted(a), quoted(b)))
        }),
        1 => text(0, 8).prop_map(move |key| Some(format!("{{ {}: string; }}", quoted(key)))),
        1 => text(0, 20).prop_map(Some),
    ]
}

/// Arm A's and arm B's `valueATypeScriptType` / `valueBTypeScriptType`: string literals of
/// [`text`], which a string switch turns into an enum whose variants, docs and `value()`
/// literals hold them.
fn arm_types() -> impl Strategy<Value = (Option<String>, Option<String>)> {
    let quoted = |text: String| serde_json::to_string(&text).unwrap();
    prop_oneof![
        1 => Just((None, None)),
        2 => (text(0, 8), text(0, 8)).prop_map(move |(a, b)| (Some(quoted(a)), Some(quoted(b)))),
    ]
}

fn variable() -> impl Strategy<Value = (String, Value)> {
    (
        text(1, 24),
        select(&["secret", "ab_roll", "rollout"][..]),
        select(&["string", "boolean", "int64", "float", "date", "json"][..]),
        select(&["private", "public"][..]),
        type_script_type(),
        arm_types(),
    )
        .prop_map(|(name, kind, declared, visibility, ts, (arm_a, arm_b))| {
            let json = json!({
                "name": name, "kind": kind, "declaredType": declared,
                "visibility": visibility, "typeScriptType": ts,
                "valueATypeScriptType": arm_a, "valueBTypeScriptType": arm_b,
            });
            (name, json)
        })
}

/// One manifest: up to `max_variables` distinct non-blank names, and any org, project, stage
/// and version text.
fn manifest_strategy(max_variables: usize) -> impl Strategy<Value = Manifest> {
    let variables = vec(variable(), 0..=max_variables).prop_map(|variables| {
        let mut seen = BTreeSet::new();
        variables
            .into_iter()
            .filter(|(name, _)| !name.trim().is_empty() && seen.insert(name.clone()))
            .map(|(_, json)| json)
            .collect::<Vec<_>>()
    });
    let slugs = [text(0, 16), text(0, 16), text(0, 16), text(0, 24)];
    (variables, slugs).prop_map(|(variables, [org, project, stage, version])| {
        let document = json!({
            "orgSlug": org, "projectSlug": project, "stageSlug": stage,
            "manifestVersion": version, "variables": variables,
        });
        manifest::parse(&document.to_string(), "unicode")
            .unwrap_or_else(|error| panic!("{error}"))
            .manifest
    })
}

/// `count` manifests of up to `max_variables` variables each, the same on every run.
pub(crate) fn manifests(count: usize, max_variables: usize) -> Vec<Manifest> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, SEED),
    );
    let strategy = manifest_strategy(max_variables);
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// Manifests merged from two stages each, as `generate --manifest A --manifest B` merges them:
/// each pair of `manifests` (made one project) whose stages merge, so stage slugs drawn from
/// all of Unicode reach the header, the docs and the list of versions, and the variables only
/// one stage has are optional. Panics unless at least `min` merge.
pub(crate) fn merged_pairs(manifests: &[Manifest], min: usize) -> Vec<Manifest> {
    let merged: Vec<Manifest> = manifests
        .chunks_exact(2)
        .filter_map(|pair| {
            let mut second = pair[1].clone();
            second.org_slug.clone_from(&pair[0].org_slug);
            second.project_slug.clone_from(&pair[0].project_slug);
            // Share some variables, so the merged manifest has required and optional ones.
            second
                .variables
                .extend(pair[0].variables.iter().take(3).cloned());
            second.variables.sort_by(|a, b| a.name.cmp(&b.name));
            second.variables.dedup_by(|a, b| a.name == b.name);
            let snapshots = [("first.json", &pair[0]), ("second.json", &second)];
            super::merge(&snapshots).ok().map(|loaded| loaded.manifest)
        })
        .collect();
    let optional = merged
        .iter()
        .flat_map(|m| &m.variables)
        .filter(|v| !v.required)
        .count();
    assert!(
        merged.len() >= min && optional >= 10,
        "{} of {} pairs merged, {optional} optional variables",
        merged.len(),
        manifests.len() / 2
    );
    merged
}

/// Panics unless `text` (generated code) holds no [`is_hidden`] code point but newlines: every
/// one from the manifest is written as an escape.
pub(crate) fn assert_no_hidden_code_point(label: &str, text: &str) {
    // Split on `\n` alone: `lines()` would hide a raw `\r` before it.
    for (number, line) in text.split('\n').enumerate() {
        if let Some(c) = line.chars().find(|&c| is_hidden(c)) {
            panic!("{label}:{}: {c:?} is written raw: {line:?}", number + 1);
        }
    }
}

/// The manifests hold what they are meant to: direction controls in names and in slugs.
pub(crate) fn assert_direction_controls_drawn(manifests: &[Manifest]) {
    let bidi = |text: &str| {
        text.chars().any(|c| {
            ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
        })
    };
    let names = manifests
        .iter()
        .flat_map(|m| &m.variables)
        .filter(|v| bidi(&v.name))
        .count();
    let slugs = manifests
        .iter()
        .filter(|m| m.project_slug.as_deref().is_some_and(bidi))
        .count();
    // String switches whose arms become an enum's variants, docs and `value()` literals.
    let switch_arms = manifests
        .iter()
        .flat_map(|m| &m.variables)
        .filter(|v| v.kind != Kind::Secret && v.declared_type == DeclaredType::String)
        .filter(|v| v.value_a_type_script_type.as_deref().is_some_and(bidi))
        .count();
    assert!(
        names >= 10 && slugs >= 2 && switch_arms >= 2,
        "{names} names, {slugs} slugs, {switch_arms} switch arms with bidi"
    );
}
