//! The runtime stays small: an application that calls it (through `barekey_env!` or generated
//! code) links this crate's dependency graph on every rebuild, and the macro's rebuild target
//! (400 calls within 1.5x of `std::env::var`) holds only while that graph is `serde_json` and
//! `sha2`. A new dependency must be added to `ALLOWED` on purpose, with the benchmark rerun
//! (`bash scripts/bench.sh`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Every package the runtime may pull in, at any version (the lock file picks it).
const ALLOWED: &[&str] = &[
    "barekey-typegen-runtime",
    // serde_json, without the serde derive.
    "serde_json",
    "serde_core",
    "itoa",
    "memchr",
    "ryu",
    "zmij",
    // sha2, for the A/B bucket.
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

#[test]
fn the_runtime_depends_on_serde_json_and_sha2_only() {
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
        .args(["--edges", "normal", "--prefix", "none", "--color", "never"])
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
    assert!(
        packages.contains("serde_json") && packages.contains("sha2"),
        "{stdout}"
    );
    let unexpected: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| !ALLOWED.contains(package))
        .collect();
    assert!(
        unexpected.is_empty(),
        "barekey-typegen-runtime now pulls in {unexpected:?}; every crate in it is linked into \
         each application on every rebuild. Keep it out, or allow it here and rerun \
         scripts/bench.sh"
    );
}
