//! Building a scratch crate under `target/` with Cargo, as a user builds it: its own target
//! folder, tokens planted in the environment (`hygiene::planted_env`), no `BAREKEY_MANIFEST` or
//! `RUSTFLAGS` of ours leaking in.

use std::path::Path;
use std::process::{Command, Output};

use super::hygiene::planted_env;
use super::{root, scratch_target};

/// Runs `cargo ARGS` in `dir`.
pub(crate) fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_target())
        .envs(planted_env(&root().join("target/build-e2e/config-home")))
        .env_remove("BAREKEY_MANIFEST")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

/// Builds the binary `bin` verbosely; returns stderr, where Cargo says which units it compiled
/// and ran (the error is stderr too).
pub(crate) fn build(dir: &Path, bin: &str) -> Result<String, String> {
    let output = cargo(dir, &["build", "-v", "--bin", bin]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        Ok(stderr)
    } else {
        Err(stderr)
    }
}

/// Whether this build ran the build script of `package` (Cargo -v prints the command it runs).
pub(crate) fn ran_build_script(stderr: &str, package: &str) -> bool {
    let unit = format!("{package}-");
    stderr.lines().any(|line| {
        line.contains("Running") && line.contains(&unit) && line.contains("build-script-build")
    })
}
