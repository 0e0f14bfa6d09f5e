//! `barekey_env!` in real crates built by Cargo, in scratch folders so the repository stays
//! clean: the example `examples/macro-demo` (warning-free build, typed values at run time,
//! rebuilds when the manifest or `BAREKEY_MANIFEST` changes, nothing secret in its outputs),
//! a crate with no manifest at all and one with no runtime to call (their diagnostics against
//! `scratch/*.stderr`; rewrite them with `BAREKEY_BLESS=1`).
//!
//! The crates build in the workspace's one scratch target directory, `target/scratch-target`,
//! with the generator's scratch crates (`tests/testsuite/common`'s `scratch_target`), so each
//! dependency is compiled once for all of them; a copy of the workspace's Cargo.lock pins the
//! same versions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Never used by the macro; the tests check it ends up nowhere under the target directory.
const TOKEN: &str = "bk_at_SCRATCH_SENTINEL_3c9f7e";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("macros/ has a parent")
        .to_owned()
}

fn scratch() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("barekey-macro")
}

fn target_dir() -> PathBuf {
    workspace().join("target/scratch-target")
}

/// `cargo build` of the crate in `dir`, with the scratch target directory and without any
/// `BAREKEY_MANIFEST` the caller's environment may hold.
fn build(dir: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(dir)
        .args(["build", "--quiet", "--color", "never"])
        .args(extra)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("BAREKEY_ACCESS_TOKEN", TOKEN)
        .env_remove("BAREKEY_MANIFEST");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("running cargo")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh folder `dir` holding a crate: `files` plus a copy of the workspace's Cargo.lock.
fn write_crate(dir: &Path, files: &[(&str, String)]) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative)).unwrap()
}

/// A copy of examples/macro-demo in `dir`, its path dependencies made absolute.
fn copy_example(dir: &Path) {
    // Forward slashes, so the path needs no escaping in TOML on any platform.
    let root = workspace().display().to_string().replace('\\', "/");
    let manifest = read("examples/macro-demo/Cargo.toml")
        .replace("path = \"../..", &format!("path = \"{root}"));
    assert!(
        manifest.contains(&format!("path = \"{root}/runtime\"")),
        "{manifest}"
    );
    write_crate(
        dir,
        &[
            ("Cargo.toml", manifest),
            ("src/main.rs", read("examples/macro-demo/src/main.rs")),
            (
                "barekey.manifest.json",
                read("examples/macro-demo/barekey.manifest.json"),
            ),
        ],
    );
}

#[test]
fn macro_demo_builds_reads_typed_values_and_rebuilds_when_the_manifest_changes() {
    let dir = scratch().join("macro-demo");
    copy_example(&dir);

    let built = run(&mut build(&dir, &[]));
    assert!(built.status.success(), "{}", text(&built.stderr));
    assert_eq!(text(&built.stderr), "", "a clean build prints no warning");

    let binary = target_dir()
        .join("debug")
        .join(format!("macro-demo{}", std::env::consts::EXE_SUFFIX));
    let ran = run(Command::new(&binary)
        .env("PORT", " 8080 ")
        .env("DEBUG", "Yes")
        .env("SAMPLE_RATE", "0.25")
        .env("LAUNCH_AT", "2026-03-01T12:00:00+01:00")
        .env("THEME", r#"{"dark": true}"#)
        .env("DATABASE_URL", "postgres://db")
        .env("CHECKOUT_FLOW", "treatment"));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert_eq!(
        text(&ran.stdout),
        "listening on port 8080 (next: 8081)\n\
         debug: true, sample rate: 25\n\
         launch at: 2026-03-01T11:00:00.000Z (1772362800000 ms)\n\
         dark theme: true\n\
         database url: 13 characters\n\
         checkout flow: treatment\n"
    );
    // A switch returns its declared type but refuses text that is neither arm; private, so
    // neither the text nor the arms are shown.
    let not_an_arm = run(Command::new(&binary)
        .env("PORT", " 8080 ")
        .env("DEBUG", "Yes")
        .env("SAMPLE_RATE", "0.25")
        .env("LAUNCH_AT", "2026-03-01T12:00:00+01:00")
        .env("THEME", r#"{"dark": true}"#)
        .env("DATABASE_URL", "postgres://db")
        .env("CHECKOUT_FLOW", "hunter2-arm"));
    assert_eq!(
        text(&not_an_arm.stderr),
        "Barekey variable CHECKOUT_FLOW (string, private): the value is neither arm of the \
         switch (value and arms hidden, the variable is private); set it to arm A's or arm B's \
         value\n"
    );
    let failed = run(Command::new(&binary).env("PORT", "80a"));
    assert_eq!(
        text(&failed.stderr),
        "Barekey variable PORT (int64, public): \"80a\" is invalid: expected an integer with no \
         leading zeros, like 8080 or -1\n"
    );

    // Nothing of the manifest reaches the binary (`include_bytes!` feeds an unused constant),
    // and the token, set on every build, is recorded nowhere under the target directory.
    let manifest = std::fs::read_to_string(dir.join("barekey.manifest.json")).unwrap();
    let version = "Xq0mAcr0DeMo_7rWbN3v2KpLs9dFhJ4gT1yUiOzE5cQ";
    assert!(manifest.contains(version));
    assert!(!contains(
        &std::fs::read(&binary).unwrap(),
        version.as_bytes()
    ));
    assert_eq!(
        files_containing(&target_dir(), TOKEN.as_bytes()),
        Vec::<PathBuf>::new()
    );

    // Retyping a variable the program reads makes the next build fail, on the user's line.
    let manifest_path = dir.join("barekey.manifest.json");
    let retyped = manifest.replace(
        "\"declaredType\": \"int64\",\n      \"kind\": \"secret\",\n      \"name\": \"PORT\"",
        "\"declaredType\": \"string\",\n      \"kind\": \"secret\",\n      \"name\": \"PORT\"",
    );
    assert_ne!(retyped, manifest, "the example declares PORT as int64");
    std::fs::write(&manifest_path, &retyped).unwrap();
    let rebuilt = run(&mut build(&dir, &[]));
    let stderr = text(&rebuilt.stderr);
    assert!(!rebuilt.status.success(), "{stderr}");
    let expected = format!(
        "`PORT` is declared `string` in {}, not `int64`",
        manifest_path.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(stderr.contains("src/main.rs:21:"), "{stderr}");

    // Back to the original: builds again. Then BAREKEY_MANIFEST, a tracked setting, switches
    // to the retyped copy and the next build fails without any file of the crate changing.
    std::fs::write(&manifest_path, &manifest).unwrap();
    let restored = run(&mut build(&dir, &[]));
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    std::fs::write(dir.join("retyped.json"), &retyped).unwrap();
    // A relative BAREKEY_MANIFEST is relative to the barekey.json's folder, for rustc as for
    // the CLI.
    std::fs::write(dir.join("barekey.json"), "{}").unwrap();
    let switched = run(build(&dir, &[]).env("BAREKEY_MANIFEST", "retyped.json"));
    let stderr = text(&switched.stderr);
    assert!(!switched.status.success(), "{stderr}");
    assert!(
        stderr.contains("`PORT` is declared `string` in "),
        "{stderr}"
    );
}

#[test]
fn without_a_manifest_the_error_lists_every_place_searched() {
    // A temporary folder, not target/: the lookup walks up, and must find no Cargo.toml above.
    let dir = tempfile::tempdir().unwrap();
    let root = workspace().display().to_string().replace('\\', "/");
    let cargo_toml = format!(
        "[package]\nname = \"no-manifest\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [dependencies]\n\
         barekey-typegen-runtime = {{ path = \"{root}/runtime\", features = [\"macros\"] }}\n\n\
         [workspace]\n"
    );
    write_crate(
        dir.path(),
        &[
            ("Cargo.toml", cargo_toml),
            ("src/main.rs", read("macros/tests/scratch/not_found.rs")),
        ],
    );
    check_build_failure(dir.path(), "macros/tests/scratch/not_found.stderr");
}

#[test]
fn a_runtime_renamed_through_workspace_dependencies_works_with_every_front_end() {
    // The issue that removed the Cargo.toml reading: `bkrt` renamed at the workspace root,
    // inherited by the member. The runtime's `barekey_env!` hands the macro `$crate`; the build
    // helper is told the name (`runtime_crate`), and tells the macro where its manifest is: it
    // is in no place the lookup would walk to.
    let dir = scratch().join("renamed");
    let root = workspace().display().to_string().replace('\\', "/");
    write_crate(
        &dir,
        &[
            (
                "Cargo.toml",
                format!(
                    "[workspace]\nmembers = [\"app\"]\nresolver = \"3\"\n\n\
                     [workspace.dependencies]\nbkrt = {{ package = \"barekey-typegen-runtime\", \
                     path = \"{root}/runtime\", features = [\"macros\"] }}\n"
                ),
            ),
            (
                "app/Cargo.toml",
                format!(
                    "[package]\nname = \"renamed\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
                     [dependencies]\nbkrt = {{ workspace = true }}\n\n[build-dependencies]\n\
                     barekey-typegen = {{ path = \"{root}\", default-features = false }}\n"
                ),
            ),
            (
                // A variable no other manifest declares: only the helper's choice has it.
                "app/config/demo.manifest.json",
                read("fixtures/demo.manifest.json").replace("LOG_LEVEL", "ONLY_IN_CONFIG"),
            ),
            (
                "app/build.rs",
                "fn main() {\n    barekey_typegen::build::Builder::new()\n        \
                 .manifest(\"config/demo.manifest.json\")\n        .runtime_crate(\"::bkrt\")\n        \
                 .generate()\n        .unwrap();\n}\n"
                    .to_owned(),
            ),
            ("app/src/main.rs", read("macros/tests/scratch/renamed.rs")),
        ],
    );
    let built = run(&mut build(&dir, &[]));
    assert!(built.status.success(), "{}", text(&built.stderr));
    let binary = target_dir()
        .join("debug")
        .join(format!("renamed{}", std::env::consts::EXE_SUFFIX));
    let ran = run(Command::new(&binary)
        .env("PORT", "8080")
        .env("ONLY_IN_CONFIG", "debug"));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert_eq!(
        text(&ran.stdout),
        "port 8080, launch at: LAUNCH_AT is not set, level debug\nfrom_env: 12 Barekey variables could not be \
         loaded:\n"
    );
}

/// Builds the crate in `dir`, which must fail, and checks its diagnostics against the golden
/// file `golden`, with the crate's folder shown as `$SCRATCH`.
fn check_build_failure(dir: &Path, golden: &str) {
    let output = run(&mut build(dir, &["--message-format=json"]));
    assert!(!output.status.success());
    let rendered = diagnostics(&text(&output.stdout));
    let normalized = [dir.to_path_buf(), dir.canonicalize().unwrap()]
        .iter()
        .fold(rendered, |text, path| {
            text.replace(&path.display().to_string(), "$SCRATCH")
        });
    check_golden(golden, &normalized);
}

/// The rendered compiler diagnostics that point somewhere, from `--message-format=json`.
fn diagnostics(json_lines: &str) -> String {
    let mut rendered = String::new();
    for line in json_lines.lines() {
        let Ok(message) = line.parse::<barekey_typegen_runtime::JsonValue>() else {
            continue;
        };
        let diagnostic = &message["message"];
        if message["reason"] == "compiler-message"
            && diagnostic["spans"]
                .as_array()
                .is_some_and(|spans| !spans.is_empty())
        {
            rendered.push_str(diagnostic["rendered"].as_str().unwrap_or_default());
        }
    }
    rendered
}

fn check_golden(relative: &str, actual: &str) {
    let path = workspace().join(relative);
    #[allow(
        clippy::disallowed_methods,
        reason = "the test harness's own switch, not a product input"
    )]
    let bless = std::env::var_os("BAREKEY_BLESS").is_some_and(|value| value == "1");
    if bless {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs (review, then rerun with BAREKEY_BLESS=1):\n--- golden\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Every file under `dir` (below 4 MB: dep-info, fingerprints, logs) that contains `needle`.
///
/// The other tests build in the same target directory meanwhile, so a file or folder may
/// vanish while this walks: one that is gone holds nothing any more.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let gone = |error: &std::io::Error| error.kind() == std::io::ErrorKind::NotFound;
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if gone(&error) => return found,
        Err(error) => panic!("cannot list {}: {error}", dir.display()),
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = entry.path();
        let metadata = match entry.metadata() {
            Ok(metadata) => metadata,
            Err(error) if gone(&error) => continue,
            Err(error) => panic!("cannot stat {}: {error}", path.display()),
        };
        if metadata.is_dir() {
            found.extend(files_containing(&path, needle));
            continue;
        }
        if metadata.len() >= 4 << 20 {
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) if contains(&bytes, needle) => found.push(path),
            Ok(_) => {}
            Err(error) if gone(&error) => {}
            Err(error) => panic!("cannot read {}: {error}", path.display()),
        }
    }
    found
}
