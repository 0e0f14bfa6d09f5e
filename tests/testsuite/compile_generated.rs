//! The golden Rust files, compiled as users compile them: `include!`d into a private module of
//! a binary that reads only some fields, and as public modules of a library, under
//! `#![deny(warnings)]`, `clippy -D warnings -D clippy::pedantic` and `rustdoc -D warnings`.
//!
//! The scratch crate lives under `target/` and reuses this workspace's `Cargo.lock`, so it
//! builds the same dependency versions and, after the first run, only recompiles itself.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use barekey_typegen::codegen::{self, Options};
use barekey_typegen::manifest::{self, DeclaredType};
use barekey_typegen::naming;
use common::{DEMO_VALUES, root, scratch_target, valid_fixtures};

use crate::synth;

/// The scratch binary's `main`: reads the demo module through the generated code, typed, and
/// prints what the test checks. Only `m_demo` is used; every other module must not warn.
const MAIN: &str = r##"
use std::collections::HashMap;

fn main() {
    reach_every_field();
    // Before every line holding "error ": the test reads all that follows the first one.
    serialized();
    stages();
    optional();
    let valid: HashMap<&str, &str> = HashMap::from(DEMO_VALUES);
    let env = m_demo::BarekeyEnv::from_lookup(|name| valid.get(name).map(|v| (*v).to_owned()));
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
    // JSON of a known shape is a struct: typed fields, no indexing by string.
    let dark: bool = env.theme_config.dark_mode;
    let tiers: &[String] = &env.theme_config.tiers;
    println!("json {dark} {tiers:?}");
    // A/B switches are enums: matched exhaustively, with the arm's value and letter.
    let flow = match env.checkout_flow {
        m_demo::CheckoutFlow::Control => "control arm",
        m_demo::CheckoutFlow::Treatment => "treatment arm",
    };
    let pricing: i64 = env.pricing_experiment.value();
    let search: &'static str = env.search_backend_rollout.value();
    println!(
        "switches {flow} {pricing} {:?} {search} {}",
        env.pricing_experiment.arm(),
        env.checkout_flow
    );
    println!("debug {env:?}");

    let broken: HashMap<&str, &str> =
        HashMap::from([
            ("PORT", "80a"),
            ("NEW_DASHBOARD", "hunter2-maybe"),
            ("LOG_LEVEL", ""),
            ("SEARCH_BACKEND_ROLLOUT", "elastic"),
            ("PRICING_EXPERIMENT", " 42 "),
            ("CHECKOUT_FLOW", "hunter2-arm"),
            ("THEME_CONFIG", r#"{"darkMode": true, "tiers": ["gold", 7], "extra": 1}"#),
        ]);
    match m_demo::BarekeyEnv::from_lookup(|name| broken.get(name).map(|v| (*v).to_owned())) {
        Ok(_) => println!("error none"),
        Err(error) => println!("error {error}"),
    }
}
"##;

/// The scratch binary's `stages()`: loads the merged stages module (`tests/golden/rust/stages.rs`)
/// with the stage-only variables unset, set and invalid, and prints what the test checks.
const STAGES: &str = r##"
fn stages() {
    const SHARED: [(&str, &str); 13] = [
        ("CHECKOUT_FLOW", "control"),
        ("DATABASE_URL", "postgres://db"),
        ("FEATURE_SIGNUPS", "true"),
        ("LAUNCH_AT", "2026-03-01T00:00:00Z"),
        ("LOG_LEVEL", "info"),
        ("MAX_UPLOAD_MB", "25"),
        ("NEW_DASHBOARD", "true"),
        ("PORT", "8080"),
        ("PRICING_EXPERIMENT", "7"),
        ("REQUEST_TIMEOUT_SECS", "2.5"),
        ("SEARCH_BACKEND_ROLLOUT", "typesense"),
        ("STRIPE_SECRET_KEY", "sk_live_hunter2"),
        ("THEME_CONFIG", r#"{"darkMode": false, "tiers": []}"#),
    ];
    let load = |extra: &[(&'static str, &'static str)]| {
        let values: Vec<(&str, &str)> = SHARED.iter().chain(extra).copied().collect();
        m_stages::BarekeyEnv::from_lookup(move |name| {
            values.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
        })
    };
    println!("stages versions {:?}", m_stages::MANIFEST_VERSIONS);
    let unset = load(&[]).unwrap_or_else(|error| panic!("{error}"));
    let seats: Option<f64> = unset.beta_limits.as_ref().map(|limits| limits.max_seats);
    let ui: Option<m_stages::NewSearchUi> = unset.new_search_ui;
    let debug_sql: Option<bool> = unset.debug_sql;
    let none = (seats, unset.cdn_url.as_deref(), debug_sql, ui, unset.sentry_dsn.as_deref());
    println!("stages unset {none:?} {}", unset.port);
    let set = load(&[
        ("BETA_LIMITS", r#"{"maxSeats": 5, "regions": ["eu"], "extra": true}"#),
        ("CDN_URL", ""),
        ("DEBUG_SQL", " yes "),
        ("NEW_SEARCH_UI", "instant"),
    ])
    .unwrap_or_else(|error| panic!("{error}"));
    let limits: Option<(f64, &[String])> = set
        .beta_limits
        .as_ref()
        .map(|limits| (limits.max_seats, limits.regions.as_slice()));
    let ui = match set.new_search_ui {
        Some(m_stages::NewSearchUi::Classic) => "classic",
        Some(m_stages::NewSearchUi::Instant) => "instant",
        None => "unset",
    };
    println!("stages set {limits:?} {:?} {:?} {ui} {:?}", set.cdn_url, set.debug_sql, set.sentry_dsn);
    let invalid = load(&[
        ("BETA_LIMITS", r#"{"maxSeats": "five", "regions": []}"#),
        ("DEBUG_SQL", "maybe"),
        ("NEW_SEARCH_UI", "other"),
        ("SENTRY_DSN", "https://key@sentry.example/1"),
    ]);
    match invalid {
        Ok(_) => println!("stages error none"),
        Err(error) => println!("stages error {}", error.to_string().replace("\n  ", " | ")),
    }
}
"##;

/// A one-stage manifest whose private rollout and private json array of objects are not
/// required, beside a required variable: `optional()` in the scratch binary loads its module.
const OPTIONAL_MANIFEST: &str = r#"{"projectSlug": "web", "stageSlug": "staging",
    "manifestVersion": "v1", "variables": [
      {"name": "PORT", "kind": "secret", "declaredType": "int64", "visibility": "public"},
      {"name": "SEARCH_ROLLOUT", "kind": "rollout", "declaredType": "string",
       "visibility": "private", "required": false, "typeScriptType": "\"old\" | \"new\"",
       "valueATypeScriptType": "\"old\"", "valueBTypeScriptType": "\"new\""},
      {"name": "TIERS", "kind": "secret", "declaredType": "json", "visibility": "private",
       "required": false, "typeScriptType": "Array<{ name: string; seats: number; }>"}
    ]}"#;

/// The scratch binary's `optional()`: `Debug` of private optional fields, set and unset.
const OPTIONAL: &str = r##"
fn optional() {
    let set = m_optional::BarekeyEnv::from_lookup(|name| match name {
        "PORT" => Some("1".to_owned()),
        "SEARCH_ROLLOUT" => Some("new".to_owned()),
        "TIERS" => Some(r#"[{"name": "hunter2-tier", "seats": 3}]"#.to_owned()),
        _ => None,
    })
    .unwrap_or_else(|error| panic!("{error}"));
    let rollout: Option<m_optional::SearchRollout> = set.search_rollout;
    let seats: Vec<f64> = set.tiers.iter().flatten().map(|tier| tier.seats).collect();
    println!("optional set {rollout:?} {seats:?} {set:?}");
    let unset = m_optional::BarekeyEnv::from_lookup(|name| (name == "PORT").then(|| "1".to_owned()));
    println!("optional unset {:?}", unset.unwrap_or_else(|error| panic!("{error}")));
}
"##;

/// The scratch binary's `serialized()`: the public module given serde derives, as JSON.
const SERIALIZED: &str = r##"
fn serialized() {
    let values: std::collections::HashMap<&str, &str> = std::collections::HashMap::from(DEMO_VALUES);
    let env = m_demo_public_serde::BarekeyEnv::from_lookup(|name| values.get(name).map(|v| (*v).to_owned()))
        .unwrap_or_else(|error| panic!("{error}"));
    println!("serialized {}", serde_json::to_string(&env).unwrap());
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
    scratch_package_with(folder, name, "")
}

/// [`scratch_package`] with `dependencies` added, the runtime's included: a runtime line there
/// replaces the plain one (to choose its features).
fn scratch_package_with(folder: &str, name: &str, dependencies: &str) -> PathBuf {
    let dir = root().join(format!("target/{folder}/crate"));
    let runtime = root().join("runtime").display().to_string();
    let dependencies = match dependencies.contains("barekey-typegen-runtime") {
        true => dependencies.replace("RUNTIME", &format!("{runtime:?}")),
        false => format!("barekey-typegen-runtime = {{ path = {runtime:?} }}\n{dependencies}"),
    };
    let manifest = format!(
        "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{dependencies}\n[workspace]\n"
    );
    write(&dir.join("Cargo.toml"), &manifest);
    write(
        &dir.join("Cargo.lock"),
        &std::fs::read_to_string(root().join("Cargo.lock")).unwrap(),
    );
    dir
}

/// What the golden crate adds to the runtime: serde, for the module given serde derives
/// (`demo-public-serde`), and the runtime's `serde` feature for its date.
const SERDE: &str = "barekey-typegen-runtime = { path = RUNTIME, features = [\"serde\"] }\n\
                     serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n";

fn scratch_crate() -> PathBuf {
    let dir = scratch_package_with("golden-compile", "golden-compile", SERDE);
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
    // The merged stages module, and a one-stage module with private optional variables.
    let stages = golden.join("stages.rs").display().to_string();
    library.push_str(&format!(
        "/// Generated from `fixtures/stages`, merged.\npub mod m_stages {{ include!({stages:?}); }}\n"
    ));
    binary.push_str(&format!("mod m_stages {{ include!({stages:?}); }}\n"));
    // The subsets (`--only`, `--public-only`, attributes), each as a library module.
    for subset in common::subsets() {
        let file = golden.join(format!("{}.rs", subset.stem));
        let include = format!("include!({:?});", file.display().to_string());
        let module = module_name(subset.stem);
        library.push_str(&format!(
            "/// The subset `{}`.\npub mod {module} {{ {include} }}\n",
            subset.stem
        ));
        binary.push_str(&format!("mod {module} {{ {include} }}\n"));
    }
    let optional = manifest::parse(OPTIONAL_MANIFEST, "optional")
        .unwrap()
        .manifest;
    let optional = codegen::generate_rust(&optional, &Options::default(), "optional").unwrap();
    write(&dir.join("src/optional.rs"), &optional.text);
    library.push_str(
        "/// Private optional variables.\npub mod m_optional { include!(\"optional.rs\"); }\n",
    );
    binary.push_str("mod m_optional { include!(\"optional.rs\"); }\n");
    binary.push_str(STAGES);
    binary.push_str(OPTIONAL);
    binary.push_str(SERIALIZED);
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

/// A valid text for `variable`: arm A's value for an A/B switch or rollout whose arm types
/// are literals (its field may be an enum of the arms), a value of its `typeScriptType` for
/// json (its field may be a struct), else one for its declared type.
fn valid_text(variable: &manifest::Variable) -> String {
    let arm = variable
        .value_a_type_script_type
        .as_deref()
        .and_then(|arm| {
            let arm = arm.strip_suffix('n').unwrap_or(arm);
            match serde_json::from_str(arm) {
                Ok(serde_json::Value::String(text)) => Some(text),
                Ok(serde_json::Value::Number(number)) => Some(number.to_string()),
                // A number literal JSON does not take (`.5`, `+1e3`, `0x1F`): the runtime
                // reads a float's text as JavaScript's `Number`, so the literal is its text.
                Err(_) if arm.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) => {
                    Some(arm.to_owned())
                }
                _ => None,
            }
        });
    let json = variable
        .type_script_type
        .as_deref()
        .filter(|_| variable.declared_type == DeclaredType::Json)
        .and_then(codegen::example_json);
    match (arm, json) {
        (Some(arm), _) if variable.kind != manifest::Kind::Secret => arm,
        // A json variable of a known shape must have it.
        (_, Some(json)) => json.to_string(),
        _ => valid_declared_text(variable.declared_type).to_owned(),
    }
}

/// A valid text for every declared type.
fn valid_declared_text(declared: DeclaredType) -> &'static str {
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
    let mut code = String::from(
        "#[allow(clippy::too_many_lines, reason = \"one block per fixture\")]\n\
         fn reach_every_field() {\n",
    );
    for (stem, path) in fixtures {
        let text = std::fs::read_to_string(path).unwrap();
        let manifest = manifest::parse(&text, stem).unwrap().manifest;
        let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
        let (fields, _) = naming::rust_fields(&names);
        let values: Vec<String> = manifest
            .variables
            .iter()
            .map(|v| format!("({:?}, {:?})", v.name, valid_text(v)))
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
    // Pedantic too: users who deny it cannot edit a generated file. The binary holds the
    // modules privately, where clippy lints what it spares a library's public API.
    cargo(
        &dir,
        &[
            "clippy",
            "--quiet",
            "--all-targets",
            "--",
            "-D",
            "warnings",
            "-D",
            "clippy::pedantic",
        ],
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
    assert_eq!(line("json "), "true [\"gold\"]");
    assert_eq!(
        line("switches "),
        "treatment arm 42 B elasticsearch treatment"
    );

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
    // JSON of the wrong shape: the path in the JSON's own keys; extra keys are ignored.
    assert!(
        error
            .contains("THEME_CONFIG (json, public): THEME_CONFIG.tiers[1] is 7, expected a string"),
        "{error}"
    );
    // Text that parses but is neither arm: the arms are named unless the variable is private.
    assert!(
        error.contains(
            "SEARCH_BACKEND_ROLLOUT (string, public): \"elastic\" is neither arm: expected \
             \"elasticsearch\" (arm A) or \"typesense\" (arm B)"
        ),
        "{error}"
    );
    assert!(
        error.contains("CHECKOUT_FLOW (string, private): the value is neither arm"),
        "{error}"
    );
    assert!(
        !error.contains("PRICING_EXPERIMENT") && !error.contains("\"control\""),
        "an int64 arm is parsed before it is compared; private arms stay hidden: {error}"
    );
    assert!(
        !error.contains("LOG_LEVEL"),
        "an empty string is a valid string: {error}"
    );
    assert!(
        !error.contains("hunter2"),
        "a private value leaked into an error: {error}"
    );

    // Several stages: a variable only some stages have is `None` unset, its value set, and a
    // listed problem when invalid.
    assert_eq!(
        line("stages versions "),
        "[(\"production\", \"t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC_mFJYt97S7o\"), \
         (\"staging\", \"Qm4v8N0pZr2KxTj7LwYc5HsD1gFbUe9AoI3yXaRtB6k\")]"
    );
    assert_eq!(line("stages unset "), "(None, None, None, None, None) 8080");
    assert_eq!(
        line("stages set "),
        "Some((5.0, [\"eu\"])) Some(\"\") Some(true) instant None"
    );
    assert_eq!(
        line("stages error "),
        "3 Barekey variables could not be loaded: | \
         - BETA_LIMITS (json, public): BETA_LIMITS.maxSeats is \"five\", expected a number | \
         - DEBUG_SQL (boolean, public): \"maybe\" is invalid: expected true, false, 1, 0, yes or no (any case) | \
         - NEW_SEARCH_UI (string, public): \"other\" is neither arm: expected \"classic\" (arm A) or \"instant\" (arm B)"
    );
    // The public module with serde derives: Barekey names as keys (`rename_all`), the date as
    // RFC 3339 text, the JSON struct's own keys, a skipped field; no private value.
    assert_eq!(
        line("serialized "),
        r#"{"FEATURE_SIGNUPS":true,"LAUNCH_AT":"2026-03-01T08:30:00.250Z","LOG_LEVEL":"info","MAX_UPLOAD_MB":0,"PORT":8080,"PRICING_EXPERIMENT":"B","REQUEST_TIMEOUT_SECS":10.0,"SEARCH_BACKEND_ROLLOUT":"Elasticsearch","THEME_CONFIG":{"darkMode":true,"tiers":["gold"]}}"#
    );
    // Private optional fields: whether they are set shows, their values never do.
    assert_eq!(
        line("optional set "),
        "Some(New) [3.0] BarekeyEnv { port: 1, search_rollout: Some(<redacted>), tiers: Some(<redacted>) }"
    );
    assert_eq!(
        line("optional unset "),
        "BarekeyEnv { port: 1, search_rollout: None, tiers: None }"
    );
}

/// Code that matches exhaustively on the demo's `CheckoutFlow` and reads its value.
const MATCH_ARMS: &str = r#"
fn describe(flow: barekey::CheckoutFlow) -> &'static str {
    match flow {
        barekey::CheckoutFlow::Control => "control",
        barekey::CheckoutFlow::Treatment => "treatment",
    }
}

fn main() {
    let flow = barekey::CheckoutFlow::Control;
    println!("{} {}", describe(flow), flow.value());
}
"#;

/// A crate under `target/golden-compile/<name>` with one binary per `(name, module, code)`,
/// each `include!`ing its module into `mod barekey`.
fn bins_crate(name: &str, bins: &[(&str, &str, &str)]) -> PathBuf {
    let dir = root().join("target/golden-compile").join(name);
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
    for (bin, module, code) in bins {
        write(&dir.join(format!("src/bin/{bin}/barekey.rs")), module);
        write(
            &dir.join(format!("src/bin/{bin}/main.rs")),
            &format!(
                "#![deny(warnings)]\n#[allow(dead_code)]\nmod barekey {{ include!(\"barekey.rs\"); }}\n{code}"
            ),
        );
    }
    dir
}

/// The demo's Rust module with `CHECKOUT_FLOW`'s arm B changed from `treatment` to `arm_b`.
fn demo_with_arm_b(arm_b: &str) -> String {
    let path = root().join("fixtures/demo.manifest.json");
    let text = std::fs::read_to_string(path).unwrap().replacen(
        r#""valueBTypeScriptType": "\"treatment\"""#,
        &format!(r#""valueBTypeScriptType": "\"{arm_b}\"""#),
        1,
    );
    assert!(
        text.contains(arm_b),
        "the demo's CHECKOUT_FLOW arm B was not found"
    );
    let manifest = manifest::parse(&text, "demo").unwrap().manifest;
    codegen::generate_rust(&manifest, &Options::default(), "demo")
        .unwrap()
        .text
}

/// The point of A/B enums: a match that misses an arm, or names an arm the snapshot no longer
/// has, does not build; the same match against the snapshot it was written for does.
#[test]
fn a_match_missing_an_arm_or_naming_a_renamed_arm_fails_to_build() {
    let current = demo_with_arm_b("treatment");
    let renamed = demo_with_arm_b("redesign");
    let missing_arm = MATCH_ARMS.replace(
        "        barekey::CheckoutFlow::Treatment => \"treatment\",\n",
        "",
    );
    assert_ne!(missing_arm, MATCH_ARMS);
    let dir = bins_crate(
        "arms-compile-fail",
        &[
            ("builds", &current, MATCH_ARMS),
            ("renamed_arm", &renamed, MATCH_ARMS),
            ("missing_arm", &current, &missing_arm),
        ],
    );
    let check = |bin: &str| {
        Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--bin", bin])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", scratch_target())
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap()
    };
    let builds = check("builds");
    assert!(
        builds.status.success(),
        "{}",
        String::from_utf8_lossy(&builds.stderr)
    );

    let renamed = check("renamed_arm");
    let stderr = String::from_utf8_lossy(&renamed.stderr);
    assert!(!renamed.status.success(), "a renamed arm built:\n{stderr}");
    assert!(
        stderr.contains("error[E0599]: no variant or associated item named `Treatment` found for enum `CheckoutFlow`"),
        "{stderr}"
    );

    let missing = check("missing_arm");
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        !missing.status.success(),
        "a match missing an arm built:\n{stderr}"
    );
    assert!(
        stderr.contains(
            "error[E0004]: non-exhaustive patterns: `CheckoutFlow::Treatment` not covered"
        ),
        "{stderr}"
    );
}

/// `client/examples/checkout.rs`, the service that decides `CHECKOUT_FLOW` per request with
/// `client.get(barekey::BarekeyEnv::CHECKOUT_FLOW, ..)`: it builds against the demo's module, and
/// once the switch is renamed in the snapshot and the module regenerated, it does not: the typed
/// per-request call breaks at compile time, not in production.
#[test]
fn renaming_the_switch_and_regenerating_breaks_the_per_request_service() {
    let example = std::fs::read_to_string(root().join("client/examples/checkout.rs")).unwrap();
    let included = "include!(\"../../tests/golden/rust/demo.rs\");";
    assert!(
        example.contains(included),
        "the example includes the demo's module"
    );
    let source = example.replace(included, "include!(\"barekey.rs\");");
    let demo = std::fs::read_to_string(root().join("fixtures/demo.manifest.json")).unwrap();
    let renamed = demo.replacen(
        r#""name": "CHECKOUT_FLOW""#,
        r#""name": "CHECKOUT_FLOW_V2""#,
        1,
    );
    assert_ne!(renamed, demo, "the demo's CHECKOUT_FLOW was not found");
    let module = |text: &str| {
        let manifest = manifest::parse(text, "demo").unwrap().manifest;
        codegen::generate_rust(&manifest, &Options::default(), "demo")
            .unwrap()
            .text
    };
    let runtime = root().join("runtime").display().to_string();
    let client = root().join("client").display().to_string();
    let dependencies = format!(
        "barekey-typegen-runtime = {{ path = {runtime:?} }}
         barekey-typegen-client = {{ path = {client:?} }}
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\"] }}
"
    );
    let dir = scratch_package_with("checkout-compile", "checkout-compile", &dependencies);
    for (bin, text) in [("builds", &demo), ("renamed_switch", &renamed)] {
        write(
            &dir.join(format!("src/bin/{bin}/barekey.rs")),
            &module(text),
        );
        write(&dir.join(format!("src/bin/{bin}/main.rs")), &source);
    }
    let check = |bin: &str| {
        Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--bin", bin])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", scratch_target())
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap()
    };
    let builds = check("builds");
    assert!(
        builds.status.success(),
        "{}",
        String::from_utf8_lossy(&builds.stderr)
    );
    let renamed = check("renamed_switch");
    let stderr = String::from_utf8_lossy(&renamed.stderr);
    assert!(
        !renamed.status.success(),
        "a renamed switch built:\n{stderr}"
    );
    for error in [
        "error[E0599]: no associated item named `CHECKOUT_FLOW` found for struct `BarekeyEnv`",
        "could not find `CheckoutFlow` in `barekey`",
    ] {
        assert!(stderr.contains(error), "{error} is not in:\n{stderr}");
    }
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
/// up, and pairs of them merged as two stages, as modules of one scratch crate under
/// `#![deny(warnings)]`, checked in one `cargo check`.
#[test]
fn rust_generated_from_any_unicode_text_compiles() {
    let mut manifests = common::unicode::manifests(40, 12);
    common::unicode::assert_direction_controls_drawn(&manifests);
    manifests.extend(common::unicode::merged_pairs(&manifests, 10));
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

/// Every kind of path `--runtime-crate` accepts names the runtime in a module that compiles
/// under `#![deny(warnings)]`: a renamed crate (`::bkrt`, and `bkrt` through the extern
/// prelude), a re-export under `crate::`, a module named by a keyword of edition 2024 (`gen`,
/// written `r#gen`) or a raw identifier, and paths relative to the module (`self::`, `super::`,
/// `self::super::`, `super::super::`). Each module comes from the binary, as users make it.
#[test]
fn every_accepted_runtime_crate_path_compiles() {
    // (the path, the module around the `include!` that gives the path something to name)
    let accepted = [
        ("::barekey_typegen_runtime", "{}"),
        ("barekey_typegen_runtime", "{}"),
        ("::bkrt", "{}"),
        ("bkrt", "{}"),
        ("crate::deps::rt", "{}"),
        ("crate::gen::rt", "{}"),
        ("crate::r#fn::rt", "{}"),
        ("self::rt", "use ::barekey_typegen_runtime as rt; {}"),
        (
            "super::rt",
            "use ::barekey_typegen_runtime as rt; pub mod inner { {} }",
        ),
        (
            "self::super::rt",
            "use ::barekey_typegen_runtime as rt; pub mod inner { {} }",
        ),
        (
            "super::super::rt",
            "use ::barekey_typegen_runtime as rt; pub mod a { pub mod b { {} } }",
        ),
    ];
    let dir = scratch_package("runtime-crate-compile", "runtime-crate-compile");
    let mut library = String::from(
        "//! A module per accepted `--runtime-crate` path.\n\
         #![deny(warnings)]\n#![allow(missing_docs)]\n\
         extern crate barekey_typegen_runtime as bkrt;\n\
         pub mod deps { pub use ::barekey_typegen_runtime as rt; }\n\
         pub mod r#gen { pub use ::barekey_typegen_runtime as rt; }\n\
         pub mod r#fn { pub use ::barekey_typegen_runtime as rt; }\n",
    );
    for (index, (path, around)) in accepted.iter().enumerate() {
        let output = Command::new(env!("CARGO_BIN_EXE_barekey-typegen"))
            .args(["generate", "--manifest", "fixtures/demo.manifest.json"])
            .args(["--rust", "-", "--runtime-crate", path])
            .current_dir(root())
            .env_remove("BAREKEY_MANIFEST")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "--runtime-crate {path}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            !text.contains("barekey_typegen_runtime::") || path.contains("barekey_typegen_runtime"),
            "--runtime-crate {path} left the default path in the module"
        );
        write(&dir.join(format!("src/m_{index}.rs")), &text);
        let include = format!("include!(\"m_{index}.rs\");");
        library.push_str(&format!(
            "/// `--runtime-crate {path}`.\npub mod m_{index} {{ {} }}\n",
            around.replace("{}", &include)
        ));
    }
    write(&dir.join("src/lib.rs"), &library);
    cargo(&dir, &["check", "--quiet", "--lib"]);
}

/// A json variable's object type of `keys` keys: `string`, `number`, `boolean`, `Array<string>`
/// and a nested object in turn, and the JSON of a value of it (`skip` leaves one key out).
fn wide_shape(keys: usize, skip: Option<usize>) -> (String, serde_json::Value) {
    let types = [
        "string",
        "number",
        "boolean",
        "Array<string>",
        "{ n: number; }",
    ];
    let values = [
        serde_json::json!("s"),
        serde_json::json!(1.5),
        serde_json::json!(true),
        serde_json::json!(["a"]),
        serde_json::json!({"n": 2}),
    ];
    let mut members = String::from("{ ");
    let mut value = serde_json::Map::new();
    for key in 0..keys {
        members.push_str(&format!("k{key}: {}; ", types[key % types.len()]));
        if Some(key) != skip {
            value.insert(format!("k{key}"), values[key % values.len()].clone());
        }
    }
    members.push('}');
    (members, serde_json::Value::Object(value))
}

/// A json object type of any width compiles in time and memory that grow with its width: the
/// code reading and comparing a struct is split into functions of at most 128 fields (a struct
/// literal of `?`s and a derived `PartialEq` made 1,000 keys take 7 s and 1.4 GB to check, and
/// crashed rustc at 10,000), and an object type wider than `MAX_STRUCT_FIELDS` is read as
/// `JsonValue`, with a warning, at the top or nested. A struct of three functions' width loads,
/// compares and refuses values as one of one function's does.
#[test]
fn json_shapes_of_any_width_compile_and_read_field_by_field() {
    let max = codegen::MAX_STRUCT_FIELDS;
    let (at_max, _) = wide_shape(max, None);
    let (too_wide, _) = wide_shape(max + 1, None);
    let manifest = serde_json::json!({"projectSlug": "web", "stageSlug": "dev", "variables": [
        {"name": "AT_MAX", "declaredType": "json", "typeScriptType": at_max},
        {"name": "TOO_WIDE", "declaredType": "json", "typeScriptType": too_wide},
        {"name": "NESTED", "declaredType": "json",
         "typeScriptType": format!("{{ ok: string; inner: Array<{too_wide}>; }}")},
    ]});
    let loaded = manifest::parse(&manifest.to_string(), "wide").unwrap();
    let generated = codegen::generate_rust(&loaded.manifest, &Options::default(), "wide").unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    let wide = |path: &str| {
        format!(
            "variable \"{}\": the object type at `{path}` lists {} keys, more than the {max} a \
             generated Rust struct takes (rustc's time to check a struct grows faster than its \
             width); the Rust module reads it as `JsonValue`",
            path.split(['.', '[']).next().unwrap(),
            max + 1
        )
    };
    assert_eq!(warnings, [wide("NESTED.inner[]"), wide("TOO_WIDE")]);
    for field in [
        "pub at_max: AtMax,",
        "pub too_wide: ::barekey_typegen_runtime::JsonValue,",
        "pub nested: Nested,",
        "pub inner: ::std::vec::Vec<::barekey_typegen_runtime::JsonValue>,",
    ] {
        assert!(generated.text.contains(field), "{field}");
    }
    let dir = scratch_package("wide-compile", "wide-compile");
    write(&dir.join("src/env.rs"), &generated.text);
    write(
        &dir.join("src/lib.rs"),
        "//! Object types of any width.\n#![deny(warnings)]\n#[allow(missing_docs)]\npub mod env;\n",
    );
    cargo(&dir, &["check", "--quiet", "--lib"]);

    // Three functions' worth of fields, run: every key read, the first missing one named, and
    // a difference in the last function's fields seen by `==`.
    let keys = 300;
    let (shape, full) = wide_shape(keys, None);
    let (_, missing) = wide_shape(keys, Some(keys - 2));
    let manifest = serde_json::json!({"variables": [
        {"name": "WIDE", "declaredType": "json", "visibility": "public", "typeScriptType": shape},
    ]});
    let loaded = manifest::parse(&manifest.to_string(), "wide").unwrap();
    let module = codegen::generate_rust(&loaded.manifest, &Options::default(), "wide").unwrap();
    assert!(
        module.text.contains("fn fields_2("),
        "three functions of fields"
    );
    let main = format!(
        "#![deny(warnings)]\nmod env {{ include!(\"barekey.rs\"); }}\n\
         fn load(text: &str) -> Result<env::BarekeyEnv, String> {{\n\
             env::BarekeyEnv::from_lookup(|_| Some(text.to_owned())).map_err(|error| error.to_string())\n\
         }}\n\
         fn main() {{\n\
             let full = load({full:?}).unwrap();\n\
             let mut other = full.clone();\n\
             assert!(other == full);\n\
             other.wide.k{last} = ::std::vec![];\n\
             assert!(other != full);\n\
             println!(\"read {{}} {{:?}} {{}}\", full.wide.k0, full.wide.k{last}, full.wide.k{nested}.n);\n\
             println!(\"missing {{}}\", load({missing:?}).unwrap_err());\n\
         }}\n",
        full = full.to_string(),
        missing = missing.to_string(),
        last = keys - 2,
        nested = keys - 1,
    );
    let run = bins_crate("wide-run", &[("wide", &module.text, "")]);
    write(&run.join("src/bin/wide/main.rs"), &main);
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--bin", "wide"])
        .current_dir(&run)
        .env("CARGO_TARGET_DIR", scratch_target())
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("read s [\"a\"] 2"), "{stdout}");
    assert!(
        stdout.contains(&format!("missing 1 Barekey variable could not be loaded:\n  - WIDE (json, public): WIDE.k{} is missing", keys - 2)),
        "{stdout}"
    );
}
