//! `BarekeyEnv::from_lookup` over 1,000 variables of every declared type, against a
//! hand-written loop that does what an application without this crate does: look each name up
//! and parse it with the standard library (and `serde_json`; dates use this crate's
//! `Timestamp`, as the standard library has no date parser, so both sides pay the same there).
//!
//! The generated module is this package's build script's: the build helper's output for the
//! synthetic 1,000-variable manifest (`../support/synth.rs`), made when the bench builds.
#![allow(
    missing_docs,
    reason = "criterion_group! defines an undocumented `pub fn`"
)]

use std::collections::HashMap;
use std::hint::black_box;

use barekey_typegen_runtime::{JsonValue, Timestamp};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../support/synth.rs"]
#[allow(dead_code, reason = "the pipeline bench uses the rest")]
mod synth;

#[allow(
    unreachable_pub,
    reason = "the module is generated for `pub` use; this bench is a binary"
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/env_1000.rs"));
}

const COUNT: usize = 1_000;

/// What a hand-written loader stores: one typed value per variable.
#[allow(dead_code, reason = "held only to be black-boxed")]
enum Value {
    Text(String),
    Flag(bool),
    Integer(i64),
    Float(f64),
    Date(Timestamp),
    Json(JsonValue),
}

/// Looks up and parses every variable the way hand-written code does; `None` on any failure.
fn hand_written(
    lookup: &impl Fn(&str) -> Option<String>,
    names: &[(String, &str)],
) -> Option<Vec<Value>> {
    let mut values = Vec::with_capacity(names.len());
    for (name, declared_type) in names {
        let text = lookup(name)?;
        let value = match *declared_type {
            "boolean" => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Value::Flag(true),
                "false" | "0" | "no" => Value::Flag(false),
                _ => return None,
            },
            "int64" => Value::Integer(text.trim().parse().ok()?),
            "float" => Value::Float(
                text.trim()
                    .parse()
                    .ok()
                    .filter(|value: &f64| value.is_finite())?,
            ),
            "date" => Value::Date(text.parse().ok()?),
            "json" => Value::Json(serde_json::from_str(&text).ok()?),
            _ => Value::Text(text),
        };
        values.push(value);
    }
    Some(values)
}

fn runtime(c: &mut Criterion) {
    let values: HashMap<String, String> = (0..COUNT)
        .map(|index| (synth::name(index), synth::value(index)))
        .collect();
    let names: Vec<(String, &str)> = (0..COUNT)
        .map(|index| (synth::name(index), synth::declared_type(index)))
        .collect();
    let lookup = |name: &str| values.get(name).cloned();
    assert!(generated::BarekeyEnv::from_lookup(lookup).is_ok());
    assert!(hand_written(&lookup, &names).is_some());

    let mut group = c.benchmark_group("runtime_1000_variables");
    group.bench_function("generated_from_lookup", |b| {
        b.iter(|| black_box(generated::BarekeyEnv::from_lookup(lookup)))
    });
    group.bench_function("hand_written_lookup_and_parse", |b| {
        b.iter(|| black_box(hand_written(&lookup, black_box(&names))))
    });
    group.finish();
}

criterion_group!(benches, runtime);
criterion_main!(benches);
