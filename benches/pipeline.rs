//! The generation pipeline, phase by phase, on synthetic manifests of 1k, 10k and 100k
//! variables: parse + validation, naming, Rust emission (with prettyplease), TypeScript
//! emission (the standalone module and the SDK file).
//!
//! `cargo bench --bench pipeline`; `scripts/bench.sh` prints the end-to-end figures.
#![allow(
    missing_docs,
    reason = "criterion_group! defines an undocumented `pub fn`"
)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use barekey_typegen::{codegen, manifest, naming};

#[path = "support/synth.rs"]
#[allow(dead_code, reason = "the runtime bench uses the rest")]
mod synth;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for count in SIZES {
        let text = serde_json::to_string_pretty(&synth::manifest(count)).unwrap();
        let loaded = manifest::parse(&text, "bench").unwrap();
        let names: Vec<&str> = loaded
            .manifest
            .variables
            .iter()
            .map(|variable| variable.name.as_str())
            .collect();
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(BenchmarkId::new("parse", count), &text, |b, text| {
            b.iter(|| manifest::parse(text, "bench").unwrap())
        });
        group.bench_with_input(BenchmarkId::new("naming", count), &names, |b, names| {
            b.iter(|| naming::rust_fields(names))
        });
        let options = codegen::Options::default();
        group.bench_with_input(
            BenchmarkId::new("rust", count),
            &loaded.manifest,
            |b, manifest| b.iter(|| codegen::generate_rust(manifest, &options, "bench").unwrap()),
        );
        group.bench_with_input(
            BenchmarkId::new("typescript", count),
            &loaded.manifest,
            |b, manifest| {
                b.iter(|| {
                    let mode = codegen::TsMode::Standalone;
                    codegen::generate_typescript(
                        manifest,
                        &options.clone().with_ts_mode(mode),
                        "bench",
                    )
                    .unwrap()
                })
            },
        );
        // The official CLI's file: mostly the ICU collation sort of the names.
        group.bench_with_input(
            BenchmarkId::new("typescript-sdk", count),
            &loaded.manifest,
            |b, manifest| {
                b.iter(|| {
                    let mode = codegen::TsMode::Sdk;
                    codegen::generate_typescript(
                        manifest,
                        &options.clone().with_ts_mode(mode),
                        "bench",
                    )
                    .unwrap()
                })
            },
        );
    }
    group.finish();
}

/// One `barekey_env!` call's snapshot lookup, as a compiler process makes it for the 2nd to the
/// 400th call: the cached answer revalidated by `stat` ([`ManifestCache::find_snapshots`])
/// against the lookup run afresh, for a package two folders below its workspace root, whose
/// snapshot sits at the root (the nearer places searched on the way).
fn macro_lookup(c: &mut Criterion) {
    use barekey_typegen::Front;
    use barekey_typegen::macro_core::ManifestCache;
    use barekey_typegen::source::{layout::Start, lookup};
    use std::ffi::OsString;

    let root = tempfile::tempdir().unwrap();
    let package = root.path().join("crates/app");
    std::fs::create_dir_all(package.join("src")).unwrap();
    std::fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"crates/*\"]\n",
    )
    .unwrap();
    std::fs::write(package.join("Cargo.toml"), "[package]\nname = \"app\"\n").unwrap();
    std::fs::write(root.path().join("barekey.json"), "{}").unwrap();
    let text = serde_json::to_string_pretty(&synth::manifest(600)).unwrap();
    std::fs::write(root.path().join("barekey.manifest.json"), text).unwrap();
    let dir = package.as_os_str().to_owned();
    let env = move |name: &str| -> Option<OsString> {
        (name == "CARGO_MANIFEST_DIR").then(|| dir.clone())
    };
    let cache = ManifestCache::new();
    let mut group = c.benchmark_group("macro_lookup");
    group.bench_function("cached", |b| b.iter(|| cache.find_snapshots(&env).unwrap()));
    group.bench_function("afresh", |b| {
        b.iter(|| lookup(Start::Package(&package), &env, Front::Macro).unwrap())
    });
    group.finish();
}

criterion_group!(benches, pipeline, macro_lookup);
criterion_main!(benches);
