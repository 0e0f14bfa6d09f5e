//! Generates `$OUT_DIR/env_1000.rs`, the module the bench loads, with the build helper from the
//! synthetic manifest of 1,000 variables, written to `$OUT_DIR` first.

use std::path::PathBuf;

#[path = "../support/synth.rs"]
#[allow(dead_code, reason = "the benches use the rest")]
mod synth;

fn main() {
    #[allow(
        clippy::disallowed_methods,
        reason = "a build script's folder, from Cargo; not a Barekey setting"
    )]
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("Cargo sets OUT_DIR"));
    let manifest = out_dir.join("bench.manifest.json");
    let text = serde_json::to_string_pretty(&synth::manifest(1_000)).expect("JSON values print");
    // Why only when it changed: the helper tells Cargo to rerun this script when the manifest
    // changes, and a file rewritten on every run would look changed to the next build.
    if std::fs::read_to_string(&manifest).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&manifest, text).expect("writing the synthetic manifest into OUT_DIR");
    }
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../support/synth.rs");
    barekey_typegen::build::Builder::new()
        .manifest(manifest)
        .rust_file("env_1000.rs")
        .generate()
        .unwrap();
}
