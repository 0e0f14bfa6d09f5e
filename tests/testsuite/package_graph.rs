//! No HTTP crate reaches a crate that only reads its environment, whatever the resolver and the
//! workspace: the leaks that made the client its own crate (rust-lang/cargo#5730, and a
//! workspace's feature unification), replayed on scratch crates under `target/` with
//! `cargo tree --offline` (path dependencies on this checkout, its lock file; nothing compiles).

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{root, scratch};

/// Packages that are HTTP code: none may be in the graph of a crate without the client.
const HTTP: &[&str] = &[
    "barekey-typegen-http",
    "barekey-typegen-client",
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "h2",
    "http",
    "rustls",
    "ring",
    "webpki-roots",
];

/// `path = "..."` of the workspace's package in `folder` ("" for the root).
fn path_of(folder: &str) -> String {
    format!("{:?}", root().join(folder).display().to_string())
}

/// Writes `files` (path, text) under `dir`, with this workspace's lock file beside them, so
/// `cargo tree --offline` resolves the same versions without the network.
fn write_crate(dir: &Path, files: &[(&str, String)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// What `cargo tree ARGS` prints in `dir`, as each root's packages (`--workspace` prints one
/// tree per member).
fn trees(dir: &Path, args: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let output = Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(["tree", "--offline", "--no-dedupe", "--prefix", "depth"])
        .args(["--color", "never"])
        .args(args)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("running cargo tree");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut trees: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current = String::new();
    for line in stdout.lines() {
        let depth_end = line
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(line.len());
        let Some(package) = line[depth_end..].split_whitespace().next() else {
            continue;
        };
        if &line[..depth_end] == "0" {
            current = package.to_owned();
        }
        trees
            .entry(current.clone())
            .or_default()
            .insert(package.to_owned());
    }
    trees
}

/// The packages of the one tree `cargo tree ARGS` prints.
fn packages(dir: &Path, args: &[&str]) -> BTreeSet<String> {
    let trees = trees(dir, args);
    assert_eq!(trees.len(), 1, "one root expected: {trees:?}");
    trees.into_values().next().unwrap()
}

fn assert_no_http(packages: &BTreeSet<String>, what: &str) {
    let http: Vec<&str> = HTTP
        .iter()
        .copied()
        .filter(|name| packages.contains(*name))
        .collect();
    assert!(
        http.is_empty(),
        "{what} has HTTP crates in its graph: {http:?}\n{packages:?}"
    );
}

/// An application on Cargo's resolver 1 (edition 2018): the runtime as its normal dependency,
/// the generator with `fetch` as its build-dependency. Resolver 1 unifies the features of a
/// package used both ways (rust-lang/cargo#5730): the shared crate's old `http` feature
/// brought reqwest into the application this way.
fn resolver_1_application(runtime_features: &str) -> PathBuf {
    let dir = scratch("package-graph/resolver-1");
    let manifest = format!(
        r#"[package]
name = "app"
version = "0.0.0"
edition = "2018"

[dependencies]
barekey-typegen-runtime = {{ path = {runtime}, features = [{runtime_features}] }}

[build-dependencies]
barekey-typegen = {{ path = {generator}, default-features = false, features = ["fetch"] }}

[workspace]
"#,
        runtime = path_of("runtime"),
        generator = path_of(""),
    );
    write_crate(
        &dir,
        &[
            ("Cargo.toml", manifest),
            ("build.rs", "fn main() {}\n".to_owned()),
            ("src/main.rs", "fn main() {}\n".to_owned()),
        ],
    );
    dir
}

#[test]
fn on_resolver_1_the_build_dependencys_fetch_brings_no_http_crate_to_the_application() {
    let dir = resolver_1_application("");
    let normal = packages(&dir, &["--edges", "normal"]);
    assert!(normal.contains("barekey-typegen-runtime"), "{normal:?}");
    assert!(normal.contains("barekey-typegen-shared"), "{normal:?}");
    assert_no_http(&normal, "a resolver-1 application");
    // Not vacuous: the build script's graph has the HTTP stack.
    let build = packages(&dir, &["--edges", "normal,build"]);
    for http in ["barekey-typegen-http", "reqwest", "rustls"] {
        assert!(build.contains(http), "fetch is not on: {build:?}");
    }
}

#[test]
fn on_resolver_1_a_macro_user_builds_no_http_crate_not_even_in_its_proc_macro() {
    // The proc macro depends on the internal core crate alone, which has no features: the
    // build-dependency's `fetch` (a feature of the generator) cannot reach it, even where
    // resolver 1 unifies a build-dependency's features with a proc macro's. Before the core
    // crate, the macro depended on the generator and was compiled with reqwest.
    let dir = resolver_1_application(r#""macros""#);
    let normal = packages(&dir, &["--edges", "normal"]);
    for package in ["barekey-typegen-macros", "barekey-typegen-core"] {
        assert!(normal.contains(package), "{package}: {normal:?}");
    }
    assert!(
        !normal.contains("barekey-typegen"),
        "the proc macro builds the generator: {normal:?}"
    );
    assert_no_http(&normal, "a resolver-1 macro user, its proc macro included");
    let linked = packages(&dir, &["--edges", "normal,no-proc-macro"]);
    assert!(!linked.contains("barekey-typegen-macros"), "{linked:?}");
    assert_no_http(&linked, "a resolver-1 macro user's binary");
}

/// A workspace of a service (the client, the runtime, the build helper) and a worker (the
/// runtime with `macros` only), with `resolver`, or none (resolver 1 in a virtual workspace).
fn two_member_workspace(name: &str, resolver: Option<&str>) -> PathBuf {
    let dir = scratch(&format!("package-graph/{name}"));
    let resolver = resolver
        .map(|resolver| format!("resolver = \"{resolver}\"\n"))
        .unwrap_or_default();
    let service = format!(
        r#"[package]
name = "service"
version = "0.0.0"
edition = "2021"

[dependencies]
barekey-typegen-runtime = {{ path = {runtime} }}
barekey-typegen-client = {{ path = {client} }}

[build-dependencies]
barekey-typegen = {{ path = {generator}, default-features = false }}
"#,
        runtime = path_of("runtime"),
        client = path_of("client"),
        generator = path_of(""),
    );
    let worker = format!(
        r#"[package]
name = "worker"
version = "0.0.0"
edition = "2021"

[dependencies]
barekey-typegen-runtime = {{ path = {runtime}, features = ["macros"] }}
"#,
        runtime = path_of("runtime"),
    );
    write_crate(
        &dir,
        &[
            (
                "Cargo.toml",
                format!("[workspace]\nmembers = [\"service\", \"worker\"]\n{resolver}"),
            ),
            ("service/Cargo.toml", service),
            ("service/build.rs", "fn main() {}\n".to_owned()),
            ("service/src/main.rs", "fn main() {}\n".to_owned()),
            ("worker/Cargo.toml", worker),
            ("worker/src/main.rs", "fn main() {}\n".to_owned()),
        ],
    );
    dir
}

#[test]
fn in_a_workspace_with_a_client_user_the_macro_only_member_has_no_http_crate() {
    for (name, resolver) in [
        ("workspace-resolver-2", Some("2")),
        ("workspace-resolver-1", None),
    ] {
        let dir = two_member_workspace(name, resolver);
        let worker = packages(&dir, &["--edges", "normal", "-p", "worker"]);
        assert!(worker.contains("barekey-typegen-macros"), "{worker:?}");
        assert_no_http(&worker, &format!("the worker ({name}, -p worker)"));
        // Built with the whole workspace, features are unified across both members (what
        // `cargo build` at the root compiles): still none in the worker's tree, its proc macro
        // included.
        let all = trees(&dir, &["--edges", "normal", "--workspace"]);
        let worker = &all["worker"];
        assert!(worker.contains("barekey-typegen-macros"), "{worker:?}");
        assert_no_http(worker, &format!("the worker ({name}, --workspace)"));
        // Not vacuous: the service's tree has the client's HTTP stack.
        let service = &all["service"];
        for http in ["barekey-typegen-client", "barekey-typegen-http", "reqwest"] {
            assert!(service.contains(http), "{name}: {service:?}");
        }
    }
}
