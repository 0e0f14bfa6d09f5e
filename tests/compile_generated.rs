//! The golden Rust files, compiled as users compile them: `include!`d into a private module of
//! a binary that reads only some fields, and as public modules of a library, under
//! `#![deny(warnings)]`, `clippy -D warnings` and `rustdoc -D warnings`.
//!
//! The scratch crate lives under `target/` and reuses this workspace's `Cargo.lock`, so it
//! builds the same dependency versions and, after the first run, only recompiles itself.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use barekey_typegen::manifest::{self, DeclaredType};
use barekey_typegen::naming;
use common::{DEMO_VALUES, root, scratch_target, valid_fixtures};

#[path = "../benches/support/synth.rs"]
#[allow(dead_code, reason = "the benches use the rest")]
mod synth;

/// The scratch binary's `main`: reads the demo module through the generated code, typed, and
/// prints what the test checks. Only `m_demo` is used; every other module must not warn.
const MAIN: &str = r##"
use std::collections::HashMap;

fn main() {
    reach_every_field();
    let valid: HashMap<&str, &str> = HashMap::from(DEMO_VALUES);
    let env = m_demo::BarekeyEnv::from_lookup(|name| valid.get(name).map(|v| v.to_string()));
    let env = env.unwrap_or_else(|error| panic!("{error}"));
    let typed: (bool, i64, i64, f64, i64, bool) = (
        env.feature_signups,
        env.port,
        env.max_upload_mb,
        env.request_timeout_secs,
        env.launch_at.unix_millis(),
        env.new_dashboard,
    );
    println!("typed {typed:?}");
    println!("date {}", env.launch_at);
    println!("json {}", env.theme_config["tiers"][0]);
    println!("debug {env:?}");

    let broken: HashMap<&str, &str> =
        HashMap::from([("PORT", "80a"), ("NEW_DASHBOARD", "hunter2-maybe"), ("LOG_LEVEL", "")]);
    match m_demo::BarekeyEnv::from_lookup(|name| broken.get(name).map(|v| v.to_string())) {
        Ok(_) => println!("error none"),
        Err(error) => println!("error {error}"),
    }
}
"##;

fn module_name(stem: &str) -> String {
    format!("m_{}", stem.replace('-', "_"))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Rewrite only on change, so Cargo's fingerprints stay valid between runs.
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}

/// The folder `target/<folder>/crate` with a `Cargo.toml` for package `name`, which depends on
/// the runtime (all generated code names), and this workspace's `Cargo.lock`.
fn scratch_package(folder: &str, name: &str) -> PathBuf {
    let dir = root().join(format!("target/{folder}/crate"));
    let manifest = format!(
        "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nbarekey-typegen-runtime = {{ path = {:?} }}\n\n[workspace]\n",
        root().join("runtime").display().to_string()
    );
    write(&dir.join("Cargo.toml"), &manifest);
    write(
        &dir.join("Cargo.lock"),
        &std::fs::read_to_string(root().join("Cargo.lock")).unwrap(),
    );
    dir
}

fn scratch_crate() -> PathBuf {
    let dir = scratch_package("golden-compile", "golden-compile");
    let golden = root().join("tests/golden/rust");

    let fixtures = valid_fixtures();
    let mut library =
        String::from("//! Every golden module, public.\n#![deny(warnings, missing_docs)]\n");
    let mut binary = String::from("#![deny(warnings, unreachable_pub)]\n");
    for (stem, _) in &fixtures {
        let file = golden.join(format!("{stem}.rs"));
        let include = format!("include!({:?});", file.display().to_string());
        let module = module_name(stem);
        library.push_str(&format!(
            "/// Generated from `{stem}`.\npub mod {module} {{ {include} }}\n"
        ));
        binary.push_str(&format!("mod {module} {{ {include} }}\n"));
    }
    // Absolute paths only: the module must not depend on the prelude or the user's names.
    let demo = golden.join("demo.rs").display().to_string();
    binary.push_str(&format!(
        "#[no_implicit_prelude]\nmod no_prelude {{ include!({demo:?}); }}\n\
         mod shadowed {{\n\
             #![allow(dead_code, non_camel_case_types)]\n\
             struct String; struct Option; struct Result; struct Fn; struct Debug; struct Clone;\n\
             include!({demo:?});\n\
         }}\n"
    ));
    binary.push_str(&reach_every_field(&fixtures));
    binary.push_str(&format!(
        "const DEMO_VALUES: [(&str, &str); {}] = {DEMO_VALUES:?};\n",
        DEMO_VALUES.len()
    ));
    binary.push_str(MAIN);
    write(&dir.join("src/lib.rs"), &library);
    write(&dir.join("src/main.rs"), &binary);
    dir
}

fn cargo(dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_target())
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {} failed in {}:\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A valid text for every declared type.
fn valid_text(declared: DeclaredType) -> &'static str {
    match declared {
        DeclaredType::String => "x",
        DeclaredType::Boolean => "true",
        DeclaredType::Int64 => "1",
        DeclaredType::Float => "1.5",
        DeclaredType::Date => "1970-01-01T00:00:00Z",
        DeclaredType::Json => "null",
    }
}

/// `fn reach_every_field()`: for every fixture module, loads it through `from_lookup` with a
/// valid text under each variable's exact name, then reads every field by the name the
/// generator gave it; prints `reachable <module> <fields read>`.
fn reach_every_field(fixtures: &[(String, PathBuf)]) -> String {
    let mut code = String::from("fn reach_every_field() {\n");
    for (stem, path) in fixtures {
        let text = std::fs::read_to_string(path).unwrap();
        let manifest = manifest::parse(&text, stem).unwrap().manifest;
        let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
        let (fields, _) = naming::rust_fields(&names);
        let values: Vec<String> = manifest
            .variables
            .iter()
            .map(|v| format!("({:?}, {:?})", v.name, valid_text(v.declared_type)))
            .collect();
        let reads: Vec<String> = fields.iter().map(|field| format!("&env.{field}")).collect();
        let module = module_name(stem);
        code.push_str(&format!(
            "    {{\n\
             let values: &[(&str, &str)] = &[{}];\n\
             let lookup = |name: &str| values.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned());\n\
             let env = {module}::BarekeyEnv::from_lookup(lookup).unwrap_or_else(|error| panic!(\"{{error}}\"));\n\
             let fields: &[&dyn std::fmt::Debug] = &[{}];\n\
             println!(\"reachable {module} {{}}\", fields.len());\n\
             std::hint::black_box(&env);\n\
             }}\n",
            values.join(", "),
            reads.join(", "),
        ));
    }
    code.push_str("}\n");
    code
}

#[test]
fn golden_rust_compiles_without_warnings_under_rustc_clippy_and_rustdoc() {
    let dir = scratch_crate();
    cargo(&dir, &["build", "--quiet", "--all-targets"]);
    cargo(
        &dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    cargo(&dir, &["doc", "--quiet", "--no-deps", "--lib"]);
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--bin", "golden-compile"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", scratch_target())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = |prefix: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} line in {stdout}"))
            .to_owned()
    };
    // Parsed by declared type, as the service parses: trimmed booleans, `-0`, `1e1`, offsets.
    assert_eq!(
        line("typed "),
        "(true, 8080, 0, 10.0, 1772353800250, false)"
    );
    assert_eq!(line("date "), "2026-03-01T08:30:00.250Z");
    // Every variable of every fixture loads under its exact name and is read as its field.
    for (stem, path) in valid_fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let count = manifest::parse(&text, &stem)
            .unwrap()
            .manifest
            .variables
            .len();
        assert_eq!(
            line(&format!("reachable {} ", module_name(&stem))),
            count.to_string()
        );
    }
    assert_eq!(line("json "), "\"gold\"");

    let debug = line("debug ");
    assert!(
        debug.contains("port: 8080") && debug.contains("log_level: \"info\""),
        "{debug}"
    );
    assert!(debug.contains("database_url: <redacted>"), "{debug}");
    assert!(
        !debug.contains("hunter2"),
        "a private value leaked into Debug: {debug}"
    );

    let error = stdout
        .split_once("error ")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    assert!(error.contains("PORT (int64, public): \"80a\""), "{error}");
    assert!(
        error.contains("NEW_DASHBOARD (boolean, private)"),
        "{error}"
    );
    assert!(
        error.contains("DATABASE_URL (string, private): not set"),
        "{error}"
    );
    assert!(
        !error.contains("LOG_LEVEL"),
        "an empty string is a valid string: {error}"
    );
    assert!(
        !error.contains("hunter2"),
        "a private value leaked into an error: {error}"
    );
}

/// Generated code compiles at any size: a derive or method chain over every field nests as deep
/// as the manifest is long and overflows rustc's stack (`derive(PartialEq)` did near 5,500).
#[test]
fn a_module_of_20000_variables_compiles() {
    let text = serde_json::to_string(&synth::manifest(20_000)).unwrap();
    let loaded = manifest::parse(&text, "synthetic").unwrap();
    let generated =
        barekey_typegen::codegen::generate_rust(&loaded.manifest, &Default::default(), "synthetic")
            .unwrap();
    let dir = scratch_package("large-compile", "large-compile");
    write(&dir.join("src/env.rs"), &generated.text);
    // Uses `PartialEq`, `Clone` and `Debug`, so each is type-checked, not only declared.
    write(
        &dir.join("src/lib.rs"),
        "//! 20,000 variables.\n#![deny(warnings)]\n\
         #[allow(missing_docs)]\npub mod env;\n\
         /// Whether a copy equals its original; shows it.\n\
         pub fn same(env: &env::BarekeyEnv) -> (bool, String) {\n\
             (env.clone() == *env, format!(\"{env:?}\"))\n\
         }\n",
    );
    cargo(&dir, &["check", "--quiet", "--lib"]);
}

/// Generated Rust compiles for any name, slug and version: 40 manifests with text drawn from all
/// of Unicode, direction controls (which rustc denies raw in literals and comments) weighted
/// up, as modules of one scratch crate under `#![deny(warnings)]`, checked in one `cargo check`.
#[test]
fn rust_generated_from_any_unicode_text_compiles() {
    let manifests = common::unicode::manifests(40, 12);
    common::unicode::assert_direction_controls_drawn(&manifests);
    let dir = scratch_package("unicode-compile", "unicode-compile");
    let mut library =
        String::from("//! Modules generated from any Unicode text.\n#![deny(warnings)]\n");
    for (index, manifest) in manifests.iter().enumerate() {
        let generated =
            barekey_typegen::codegen::generate_rust(manifest, &Default::default(), "unicode")
                .unwrap();
        common::unicode::assert_no_hidden_code_point(&format!("m_{index}.rs"), &generated.text);
        write(&dir.join(format!("src/m_{index}.rs")), &generated.text);
        library.push_str(&format!("/// Case {index}.\npub mod m_{index};\n"));
    }
    write(&dir.join("src/lib.rs"), &library);
    cargo(&dir, &["check", "--quiet", "--lib"]);
}
