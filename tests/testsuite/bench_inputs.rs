//! The benchmarks' inputs are what they claim to be: the synthetic manifest (which
//! `benches/runtime-bench`'s build script turns into the module it loads, and the pipeline bench
//! emits at every size) loads and generates without a warning, in Rust and TypeScript alike.

use barekey_typegen::{codegen, manifest};

use crate::synth;

#[test]
fn the_synthetic_manifest_generates_without_warnings() {
    let text = serde_json::to_string(&synth::manifest(1_000)).unwrap();
    let loaded = manifest::parse(&text, "synthetic").unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let generated =
        codegen::generate_rust(&loaded.manifest, &Default::default(), "synthetic").unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    // Every synthetic typeScriptType is one the TypeScript emitter accepts, so the benchmark
    // measures the real emission path, not the fallback.
    let typescript = codegen::generate_typescript(
        &loaded.manifest,
        &codegen::Options::default().with_ts_mode(codegen::TsMode::Standalone),
        "synthetic",
    )
    .unwrap();
    assert!(typescript.warnings.is_empty(), "{:?}", typescript.warnings);
}
