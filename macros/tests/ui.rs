//! `barekey_env!` cases compiled by trybuild: pass cases, and compile-fail cases whose
//! diagnostics must match their `.stderr` golden files (rewrite them with `TRYBUILD=overwrite`).
//!
//! Why a child process: trybuild compiles the cases in a crate it generates under the target
//! directory, so the macro's own lookup (walking up from that crate's folder) would find
//! whatever happens to sit above it, which differs between a fresh clone and a custom
//! `CARGO_TARGET_DIR`. Each group of cases therefore runs with `BAREKEY_MANIFEST` naming a
//! fixture, or several (several stages, joined like `PATH`). Tests never change their own environment, so this binary (`harness = false`)
//! re-runs itself once per group with the variable set on the child, and the child runs
//! trybuild, whose cargo inherits it. trybuild shows the fixture's path as `$WORKSPACE/...`.
//! The case "no manifest at all" needs a folder with nothing above it: see `tests/scratch.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The argument that makes this binary run one group's cases instead of spawning children.
const GROUP_ARG: &str = "--barekey-ui-group";

/// A manifest (or several stages' snapshots), and the cases that are compiled with it.
struct Group {
    name: &'static str,
    manifests: &'static [&'static str],
    pass: &'static str,
    compile_fail: &'static str,
}

const GROUPS: [Group; 4] = [
    Group {
        name: "demo",
        manifests: &["fixtures/demo.manifest.json"],
        pass: "tests/ui/pass/*.rs",
        compile_fail: "tests/ui/fail/*.rs",
    },
    Group {
        name: "invalid",
        manifests: &["fixtures/invalid/many-problems.manifest.json"],
        pass: "",
        compile_fail: "tests/ui/invalid-manifest/*.rs",
    },
    Group {
        name: "stages",
        manifests: &[
            "fixtures/stages/barekey.manifest.production.json",
            "fixtures/stages/barekey.manifest.staging.json",
        ],
        pass: "tests/ui/stages/pass/*.rs",
        compile_fail: "tests/ui/stages/fail/*.rs",
    },
    Group {
        name: "stages-conflict",
        manifests: &[
            "fixtures/stages-conflict/barekey.manifest.production.json",
            "fixtures/stages-conflict/barekey.manifest.staging.json",
        ],
        pass: "",
        compile_fail: "tests/ui/stages-conflict/*.rs",
    },
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|arg| arg == GROUP_ARG) {
        Some(at) => run_group(args.get(at + 1).map(String::as_str).unwrap_or_default()),
        None => spawn_groups(),
    }
}

fn spawn_groups() {
    let this = std::env::current_exe().expect("the test binary's path");
    let mut failed = Vec::new();
    for group in &GROUPS {
        let manifests = group
            .manifests
            .iter()
            .map(|manifest| workspace().join(manifest).canonicalize().expect(manifest));
        let manifest = std::env::join_paths(manifests).expect("fixture paths without `:`");
        let status = Command::new(&this)
            .args([GROUP_ARG, group.name])
            .env("BAREKEY_MANIFEST", manifest)
            // Why: cargo's `rustc -` probe reads its standard input, and a stray one (a job
            // runner's pipe) makes every compile-fail case "pass" as trybuild sees it.
            .stdin(Stdio::null())
            .status()
            .expect("re-running the test binary");
        if !status.success() {
            failed.push(group.name);
        }
    }
    assert!(failed.is_empty(), "trybuild cases failed for: {failed:?}");
}

fn run_group(name: &str) {
    let group = GROUPS
        .iter()
        .find(|group| group.name == name)
        .unwrap_or_else(|| panic!("no group {name:?}"));
    let cases = trybuild::TestCases::new();
    if !group.pass.is_empty() {
        cases.pass(group.pass);
    }
    cases.compile_fail(group.compile_fail);
    // Dropping `cases` compiles and checks them, panicking (exit code 101) on a mismatch.
}
