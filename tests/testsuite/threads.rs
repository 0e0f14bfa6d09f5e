//! The Rust module is formatted in parts on up to two threads (`generate_rust` does so from
//! 1,000 variables on): whatever the number of threads, the text is the one a single thread
//! writes, for every fixture, the merged stages and a synthetic manifest large enough for
//! `generate_rust` to use its threads. The property manifests get the same check in
//! `tests/testsuite/properties.rs`.

use crate::common;

use barekey_typegen::codegen::{self, rust::generate_rust_on};
use barekey_typegen::manifest::{self, Manifest};

use crate::synth;

/// Asserts that one, two and three threads give `generate_rust`'s text for `manifest`.
fn assert_same_on_any_threads(manifest: &Manifest, what: &str) {
    let options = codegen::Options::default();
    let expected = codegen::generate_rust(manifest, &options, what).unwrap();
    for threads in [1, 2, 3] {
        let text = generate_rust_on(manifest, &options, what, threads).unwrap();
        assert!(
            text == expected,
            "{what}: {threads} thread(s) wrote another module ({} bytes, expected {})",
            text.text.len(),
            expected.text.len()
        );
    }
}

#[test]
fn every_fixture_formats_the_same_on_any_number_of_threads() {
    for (stem, path) in common::valid_fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = manifest::parse(&text, &stem).unwrap_or_else(|error| panic!("{error}"));
        assert_same_on_any_threads(&loaded.manifest, &stem);
    }
    assert_same_on_any_threads(&common::merged_stages().0, "merged stages");
}

#[test]
fn a_large_manifest_formats_the_same_on_any_number_of_threads() {
    // Above the size from which `generate_rust` itself formats on two threads, with several
    // parts of own types (A/B enums and JSON structs) to hand out.
    let manifest = synth::manifest(2_500);
    let text = serde_json::to_string(&manifest).unwrap();
    let loaded = manifest::parse(&text, "synthetic").unwrap();
    let rust = codegen::generate_rust(&loaded.manifest, &Default::default(), "synthetic").unwrap();
    assert!(rust.text.contains("pub enum") && rust.text.contains("JsonShape for"));
    assert_same_on_any_threads(&loaded.manifest, "synthetic 2,500");
}
