//! The build helper and `barekey_env!` with several stages, end to end: a scratch crate under
//! `target/` whose folder holds `barekey.json` and the two stage fixtures
//! (`barekey.manifest.<stage>.json`, as `pull --stage production --stage staging` writes
//! them), built with Cargo as a user builds it, with tokens planted in the build environment.
//!
//! What it checks: the module is generated from both stages and the macro is handed both
//! snapshots (the crate prints `env!("BAREKEY_TYPEGEN_BUILD_MANIFEST")`); a new stage's
//! snapshot in that folder reruns the build script; a name one stage lacks fails the build
//! at the macro call, naming the stages; a type conflict fails the build script with the
//! merge's message.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::hygiene::assert_clean_files;
use common::{root, scratch_build, scratch_target};

const MAIN: &str = r#"mod barekey {
    include!(concat!(env!("OUT_DIR"), "/barekey_env.rs"));
}

use barekey_typegen_runtime::barekey_env;

fn main() {
    println!("{}", env!("BAREKEY_TYPEGEN_BUILD_MANIFEST"));
    println!("{}", barekey::MANIFEST_VERSION);
    match barekey_env!("PORT": int64) {
        Ok(port) => println!("port {port}"),
        Err(error) => println!("{error}"),
    }
    // A variable only staging has is optional in the generated module.
    let debug_sql: fn(&barekey::BarekeyEnv) -> Option<bool> = |env| env.debug_sql;
    let _ = debug_sql;
    println!("stages {}", barekey::MANIFEST_VERSIONS.len());
}
"#;

/// The scratch crate, its dependencies pointing back at this checkout.
fn scratch_crate() -> PathBuf {
    let dir = root().join("target/build-e2e/stages-demo");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let path = |relative: &str| format!("{:?}", root().join(relative).display().to_string());
    let manifest = format!(
        "[package]\nname = \"stages-demo\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nbarekey-typegen-runtime = {{ path = {}, features = \
         [\"macros\"] }}\n\n[build-dependencies]\nbarekey-typegen = {{ path = {}, \
         default-features = false }}\n\n[workspace]\n",
        path("runtime"),
        path("")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("barekey.json"),
        r#"{"organization": "acme-42", "project": "web-1234"}"#,
    )
    .unwrap();
    for stage in ["production", "staging"] {
        let file = format!("barekey.manifest.{stage}.json");
        std::fs::copy(root().join("fixtures/stages").join(&file), dir.join(&file)).unwrap();
    }
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    barekey_typegen::build::Builder::new().generate().unwrap();\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
    dir
}

fn build(dir: &Path) -> Result<String, String> {
    scratch_build::build(dir, "stages-demo")
}

fn ran_build_script(stderr: &str) -> bool {
    scratch_build::ran_build_script(stderr, "stages-demo")
}

/// The binary's output: the snapshots the macro was handed, the manifest version, the port.
fn run() -> (Vec<PathBuf>, Vec<String>) {
    let output = Command::new(scratch_target().join("debug/stages-demo"))
        .env_clear()
        .env("PORT", "8080")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut lines = stdout.lines();
    let handed = std::env::split_paths(lines.next().unwrap()).collect();
    (handed, lines.map(str::to_owned).collect())
}

#[test]
fn a_crate_is_built_against_every_stage_beside_its_barekey_json() {
    let dir = scratch_crate();
    let production = dir.join("barekey.manifest.production.json");
    let staging = dir.join("barekey.manifest.staging.json");

    let first = build(&dir).unwrap_or_else(|stderr| panic!("{stderr}"));
    assert!(ran_build_script(&first), "{first}");
    let (handed, rest) = run();
    assert_eq!(handed, [production.clone(), staging.clone()]);
    assert_eq!(
        rest,
        [
            "production=t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC_mFJYt97S7o, \
             staging=Qm4v8N0pZr2KxTj7LwYc5HsD1gFbUe9AoI3yXaRtB6k",
            "port 8080",
            "stages 2"
        ]
    );

    // Nothing changed: nothing reruns (the target directory is outside the watched folder).
    let noop = build(&dir).unwrap();
    assert!(!ran_build_script(&noop), "{noop}");
    assert!(noop.contains("Fresh stages-demo"), "{noop}");

    // A file unrelated to snapshots appears beside them: nothing reruns (Cargo is told about
    // the files read, never their folder).
    std::fs::write(dir.join("NOTES.md"), "notes\n").unwrap();
    let notes = build(&dir).unwrap();
    assert!(!ran_build_script(&notes), "{notes}");

    // A third stage's snapshot added by hand beside the others is picked up the next time the
    // script runs (here after `touch build.rs`), and the macro is handed all three.
    let qa = dir.join("barekey.manifest.qa.json");
    let staging_text = std::fs::read_to_string(&staging).unwrap();
    let qa_text = staging_text
        .replace("\"stageSlug\": \"staging\"", "\"stageSlug\": \"qa\"")
        .replace(
            "Qm4v8N0pZr2KxTj7LwYc5HsD1gFbUe9AoI3yXaRtB6k",
            "qa-version-1",
        );
    assert_ne!(qa_text, staging_text);
    std::fs::write(&qa, &qa_text).unwrap();
    let unnoticed = build(&dir).unwrap();
    assert!(!ran_build_script(&unnoticed), "{unnoticed}");
    touch(&dir.join("build.rs"));
    let added = build(&dir).unwrap_or_else(|stderr| panic!("{stderr}"));
    assert!(ran_build_script(&added), "{added}");
    let (handed, rest) = run();
    assert_eq!(handed, [production.clone(), qa.clone(), staging.clone()]);
    assert!(rest[0].contains("qa=qa-version-1"), "{rest:?}");
    assert_eq!(rest[2], "stages 3");

    // A name production lacks: the build fails at the macro call, naming every stage.
    let main = dir.join("src/main.rs");
    let with_debug = MAIN.replace(
        "    match barekey_env!(\"PORT\": int64) {",
        "    let _debug = barekey_env!(\"DEBUG_SQL\": boolean);\n    \
         match barekey_env!(\"PORT\": int64) {",
    );
    assert_ne!(with_debug, MAIN);
    std::fs::write(&main, &with_debug).unwrap();
    let missing = build(&dir).unwrap_err();
    let expected = format!(
        "`DEBUG_SQL` is not in every stage this build is checked against: qa ({}), staging ({}) \
         have it, production ({}) does not; add it to production in Barekey",
        qa.display(),
        staging.display(),
        production.display()
    );
    assert!(missing.contains(&expected), "{expected}\nnot in\n{missing}");
    assert!(missing.contains("src/main.rs:10:"), "{missing}");
    std::fs::write(&main, MAIN).unwrap();

    // A stage that declares PORT differently: the build script fails with the merge's message.
    let retyped = qa_text.replacen(
        "\"declaredType\": \"int64\",\n      \"kind\": \"secret\",\n      \"name\": \"PORT\"",
        "\"declaredType\": \"string\",\n      \"kind\": \"secret\",\n      \"name\": \"PORT\"",
        1,
    );
    assert_ne!(retyped, qa_text, "the fixture declares PORT as int64");
    std::fs::write(&qa, retyped).unwrap();
    let conflict = build(&dir).unwrap_err();
    assert!(
        conflict.contains("the stages disagree on the declared type of one variable")
            && conflict.contains(&format!("string in qa ({})", qa.display())),
        "{conflict}"
    );
    std::fs::remove_file(&qa).unwrap();
    build(&dir).unwrap_or_else(|stderr| panic!("{stderr}"));
    assert_eq!(run().0, [production, staging]);

    // The tokens were in every build's environment; Cargo must have recorded them nowhere.
    assert_clean_files(&[&scratch_target(), &dir]);
}

/// Sets a file's modification time to now, as `touch` does, so Cargo sees it changed.
fn touch(path: &Path) {
    let file = std::fs::File::options().append(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
}
