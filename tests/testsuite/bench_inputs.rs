//! The benchmarks' committed inputs stay in step with the generator: the runtime bench
//! includes `benches/generated/env_1000.rs`, which must be what `generate_rust` emits today
//! for the synthetic 1,000-variable manifest.

use crate::common;

use barekey_typegen::{codegen, manifest};

use crate::synth;

#[test]
fn runtime_bench_module_is_fresh() {
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
    let path = common::root().join("benches/generated/env_1000.rs");
    if common::blessing() {
        std::fs::write(&path, &generated.text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == generated.text,
        "{} is stale: rerun with {}=1 to regenerate it",
        path.display(),
        common::BLESS
    );
}
