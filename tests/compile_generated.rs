//! The golden Rust files, compiled as users compile them: `include!`d into a private module of
//! a binary that reads only some fields, and as public modules of a library, under
//! `#![deny(warnings)]`, `clippy -D warnings` and `rustdoc -D warnings`.
//!
//! The scratch crate lives under `target/` and reuses this workspace's `Cargo.lock`, so it
//! builds the same dependency versions and, after the first run, only recompiles itself.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{root, valid_fixtures};

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

fn scratch_crate() -> PathBuf {
    let dir = root().join("target/golden-compile/crate");
    let golden = root().join("tests/golden/rust");
    let manifest = format!(
        "[package]\nname = \"golden-compile\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nbarekey-typegen = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
        root().display().to_string()
    );
    write(&dir.join("Cargo.toml"), &manifest);
    write(
        &dir.join("Cargo.lock"),
        &std::fs::read_to_string(root().join("Cargo.lock")).unwrap(),
    );

    let fixtures = valid_fixtures();
    let mut library =
        String::from("//! Every golden module, public.\n#![deny(warnings, missing_docs)]\n");
    let mut binary = String::from("#![deny(warnings)]\n");
    for (stem, _) in &fixtures {
        let file = golden.join(format!("{stem}.rs"));
        let include = format!("include!({:?});", file.display().to_string());
        let module = module_name(stem);
        library.push_str(&format!(
            "/// Generated from `{stem}`.\npub mod {module} {{ {include} }}\n"
        ));
        binary.push_str(&format!("mod {module} {{ {include} }}\n"));
    }
    // Read one field of the demo module only: the rest must not warn as dead code.
    binary.push_str(
        "fn main() {\n\
         let lookup = |name: &str| (name == \"PORT\").then(|| String::from(\"8080\"));\n\
         match m_demo::BarekeyEnv::from_lookup(lookup) {\n\
             Ok(env) => println!(\"{}\", env.port),\n\
             Err(error) => println!(\"{error}\"),\n\
         }\n\
         }\n",
    );
    write(&dir.join("src/lib.rs"), &library);
    write(&dir.join("src/main.rs"), &binary);
    dir
}

fn cargo(dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/golden-compile/target"),
        )
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

#[test]
fn golden_rust_compiles_without_warnings_under_rustc_clippy_and_rustdoc() {
    let dir = scratch_crate();
    cargo(&dir, &["build", "--quiet", "--all-targets"]);
    cargo(
        &dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    );
    cargo(&dir, &["doc", "--quiet", "--no-deps", "--lib"]);
    // The binary reads PORT through the generated code and reports the other variables.
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--bin", "golden-compile"])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/golden-compile/target"),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("could not be loaded"), "{stdout}");
    assert!(stdout.contains("DATABASE_URL"), "{stdout}");
    assert!(!stdout.contains("PORT"), "PORT was set and valid: {stdout}");
}
