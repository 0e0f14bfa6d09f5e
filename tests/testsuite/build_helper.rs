//! The build helper end to end: `examples/build-demo`, copied to a scratch folder under
//! `target/` and built with Cargo as a user builds it (`default-features = false`, a one-line
//! build.rs, `include!`), with tokens planted in the build environment (`common::hygiene`).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::hygiene::assert_clean_files;
use common::{root, scratch_build, scratch_target};

/// The example, copied with its dependency pointing back at this checkout.
fn scratch_example() -> PathBuf {
    let example = root().join("examples/build-demo");
    let dir = root().join("target/build-e2e/build-demo");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for file in ["build.rs", "src/main.rs", "barekey.manifest.json"] {
        std::fs::copy(example.join(file), dir.join(file)).unwrap();
    }
    let manifest = std::fs::read_to_string(example.join("Cargo.toml"))
        .unwrap()
        .replace(
            "path = \"../../runtime\"",
            &format!("path = {:?}", root().join("runtime").display().to_string()),
        )
        .replace(
            "path = \"../..\"",
            &format!("path = {:?}", root().display().to_string()),
        );
    assert!(manifest.contains("default-features = false"));
    // Its own workspace: the scratch folder is inside this one.
    std::fs::write(dir.join("Cargo.toml"), manifest + "\n[workspace]\n").unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

fn build(dir: &Path) -> Result<String, String> {
    scratch_build::build(dir, "build-demo")
}

fn ran_build_script(stderr: &str) -> bool {
    scratch_build::ran_build_script(stderr, "build-demo")
}

#[test]
fn example_builds_reads_typed_values_and_rebuilds_only_when_the_snapshot_changes() {
    let dir = scratch_example();
    let snapshot = dir.join("barekey.manifest.json");
    let committed = std::fs::read_to_string(&snapshot).unwrap();

    // Without a snapshot the build fails with the lookup's message, not a struct dump.
    std::fs::remove_file(&snapshot).unwrap();
    let failure = build(&dir).unwrap_err();
    assert!(
        failure.contains("no Barekey manifest snapshot found")
            && failure.contains(&snapshot.display().to_string())
            && failure.contains("barekey-typegen pull"),
        "{failure}"
    );
    std::fs::write(&snapshot, &committed).unwrap();

    let first = build(&dir).unwrap_or_else(|stderr| panic!("{stderr}"));
    assert!(ran_build_script(&first), "{first}");

    let run = Command::new(scratch_target().join("debug/build-demo"))
        .env_clear()
        .envs([
            ("DATABASE_URL", "postgres://app:hunter2@db/app"),
            ("FEATURE_SIGNUPS", " Yes"),
            ("LAUNCH_AT", "2026-03-01T09:30:00+01:00"),
            ("PORT", "8080"),
            ("THEME_CONFIG", r#"{"darkMode": false}"#),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        stdout,
        "manifest demo-build-helper-1\nport 8080\nsignups true\n\
         launch 2026-03-01T08:30:00.000Z\ndatabase 29 bytes\n"
    );

    // Nothing changed: nothing reruns.
    let noop = build(&dir).unwrap();
    assert!(!ran_build_script(&noop), "{noop}");
    assert!(noop.contains("Fresh build-demo"), "{noop}");

    // An unrelated source edit recompiles the binary but does not rerun the build script.
    let main = dir.join("src/main.rs");
    let source = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{source}\n// an unrelated edit\n")).unwrap();
    let edited = build(&dir).unwrap();
    assert!(edited.contains("Compiling build-demo"), "{edited}");
    assert!(!ran_build_script(&edited), "{edited}");

    // Retyping a variable the binary reads breaks the next build, at the use.
    let retyped = committed.replacen("\"int64\"", "\"string\"", 1);
    assert_ne!(retyped, committed);
    std::fs::write(&snapshot, &retyped).unwrap();
    let broken = build(&dir).unwrap_err();
    assert!(ran_build_script(&broken), "{broken}");
    assert!(
        broken.contains("mismatched types") && broken.contains("env.port"),
        "{broken}"
    );

    std::fs::write(&snapshot, &committed).unwrap();
    build(&dir).unwrap_or_else(|stderr| panic!("{stderr}"));

    // The tokens were in every build's environment; Cargo must have recorded them nowhere.
    assert_clean_files(&[&scratch_target(), &dir]);
}
