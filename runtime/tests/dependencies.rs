//! The runtime stays small: an application that calls it (through `barekey_env!` or generated
//! code) links this crate's dependency graph on every rebuild, and the macro's rebuild target
//! (400 calls within 1.15x of `std::env::var`) holds only while that graph is `serde_json` (and
//! `sha2` with the feature `decisions`). A new dependency must be added here on purpose, with
//! the benchmark rerun (`bash scripts/bench.sh`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Every package the runtime may pull in with default features, at any version (the lock file
/// picks it).
const DEFAULT: &[&str] = &[
    "barekey-typegen-runtime",
    // Internal: the manifest's words, Timestamp and the API's error codes.
    "barekey-typegen-shared",
    // serde_json, without the serde derive.
    "serde_json",
    "serde_core",
    "itoa",
    "memchr",
    "ryu",
    "zmij",
];

/// What the feature `decisions` adds: sha2, for the A/B bucket.
const DECISIONS: &[&str] = &[
    "sha2",
    "digest",
    "block-buffer",
    "crypto-common",
    "hybrid-array",
    "typenum",
    "cpufeatures",
    "const-oid",
    "cfg-if",
    "libc",
];

/// The packages `cargo tree` lists for the runtime's normal dependencies with `features`.
fn packages(features: &[&str]) -> BTreeSet<String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .current_dir(&workspace)
        .args([
            "tree",
            "--locked",
            "--offline",
            "-p",
            "barekey-typegen-runtime",
        ])
        .args(["--no-default-features", "--features", &features.join(",")])
        .args(["--edges", "normal", "--prefix", "none", "--color", "never"])
        .output()
        .expect("running cargo tree");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn assert_only(packages: &BTreeSet<String>, allowed: &[&str], what: &str) {
    let unexpected: Vec<&str> = packages
        .iter()
        .map(String::as_str)
        .filter(|package| !allowed.contains(package))
        .collect();
    assert!(
        unexpected.is_empty(),
        "barekey-typegen-runtime {what} now pulls in {unexpected:?}; every crate in it is linked \
         into each application on every rebuild. Keep it out, or allow it here and rerun \
         scripts/bench.sh"
    );
}

#[test]
fn with_default_features_the_runtime_depends_on_serde_json_only() {
    let packages = packages(&[]);
    assert!(packages.contains("serde_json"), "{packages:?}");
    assert!(!packages.contains("sha2"), "{packages:?}");
    assert_only(&packages, DEFAULT, "with default features");
}

#[test]
fn decisions_add_sha2_only() {
    let packages = packages(&["decisions"]);
    assert!(packages.contains("sha2"), "{packages:?}");
    let allowed: Vec<&str> = DEFAULT.iter().chain(DECISIONS).copied().collect();
    assert_only(&packages, &allowed, "with the feature `decisions`");
}

#[test]
fn serde_adds_serde_only() {
    let packages = packages(&["serde"]);
    assert!(packages.contains("serde"), "{packages:?}");
    let allowed: Vec<&str> = DEFAULT.iter().chain(&["serde"]).copied().collect();
    assert_only(&packages, &allowed, "with the feature `serde`");
}

#[test]
fn the_build_demo_binary_links_the_runtime_and_nothing_of_the_generator() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/build-demo");
    let output = Command::new(env!("CARGO"))
        .current_dir(&demo)
        .args(["tree", "--locked", "--offline"])
        .args(["--edges", "normal,no-proc-macro", "--prefix", "none"])
        .args(["--color", "never"])
        .output()
        .expect("running cargo tree");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let packages: BTreeSet<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(packages.contains("barekey-typegen-runtime"), "{stdout}");
    for generator in [
        "barekey-typegen",
        "syn",
        "quote",
        "prettyplease",
        "toml",
        "tempfile",
        "heck",
        "clap",
    ] {
        assert!(
            !packages.contains(generator),
            "build-demo's binary links {generator}:\n{stdout}"
        );
    }
    assert!(
        packages.len() <= 12,
        "build-demo's binary links {} crates, more than 12: {packages:?}",
        packages.len()
    );
}
