//! The `barekey-typegen` binary: help, exit codes, output files, drift checks.

use crate::common;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use common::{assert_all, check_golden, root};

const DEMO: &str = "fixtures/demo.manifest.json";

/// The binary with a clean, predictable environment, run from the package root.
fn bin() -> Command {
    let mut command = Command::cargo_bin("barekey-typegen").unwrap();
    command
        .current_dir(root())
        .env_remove("BAREKEY_MANIFEST")
        .env("NO_COLOR", "1");
    command
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn demo_rust() -> String {
    fs::read_to_string(root().join("tests/golden/rust/demo.rs")).unwrap()
}

#[test]
fn help_texts_match_golden_files() {
    let mut failures = Vec::new();
    for (args, golden) in [
        (&["--help"][..], "cli/help.txt"),
        (&["generate", "--help"], "cli/generate-help.txt"),
        (&["check", "--help"], "cli/check-help.txt"),
        (&["completions", "--help"], "cli/completions-help.txt"),
    ] {
        let output = bin().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        failures.extend(check_golden(golden, &text).err());
    }
    assert_all(failures);
}

#[test]
fn version_is_the_package_version() {
    let output = bin().arg("--version").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text,
        format!("barekey-typegen {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["generate"],
        &["generate", "--manifest", DEMO],
        &["check", "--rust", "-"],
        &["frobnicate"],
        // One stage's snapshot given twice.
        &[
            "generate",
            "--manifest",
            DEMO,
            "--manifest",
            DEMO,
            "--rust",
            "-",
        ],
        &[
            "check",
            "--manifest",
            DEMO,
            "--manifest",
            DEMO,
            "--rust",
            "x.rs",
        ],
    ] {
        let output = bin().args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr_of(&output)
        );
    }
}

#[test]
fn generate_to_stdout_prints_the_module() {
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--rust", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), demo_rust());
}

#[test]
fn runtime_crate_renames_every_path_into_the_runtime_and_must_be_a_path() {
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--rust", "-"])
        .args(["--runtime-crate", "::bkrt"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("barekey_typegen_runtime"), "{text}");
    assert_eq!(
        text.matches("::bkrt::").count(),
        demo_rust().matches("::barekey_typegen_runtime::").count()
    );
    check_golden("cli/generate-runtime-crate.rs", &text).unwrap();

    let output = bin()
        .args(["generate", "--manifest", DEMO, "--rust", "-"])
        .args(["--runtime-crate", "bkrt::<u8>"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains(
            "\"bkrt::<u8>\" cannot name the runtime crate: a crate's path has no generic \
             arguments; give a path such as `::barekey_typegen_runtime`, or `::bkrt` when \
             Cargo.toml renames the dependency to bkrt"
        ),
        "{}",
        stderr_of(&output)
    );
}

/// What cannot name a crate, each with the reason given: `--runtime-crate` exits 2 (the
/// generated module would not compile, or "did not parse ... this is a bug" for `Self`), and
/// the build helper's `runtime_crate` fails `generate` with the same error, before writing.
/// `tests/testsuite/compile_generated.rs` compiles a module for each kind of path accepted.
#[test]
fn runtime_crate_refuses_what_cannot_name_a_crate() {
    let refused = [
        (
            "::self",
            "a leading `::` is followed by a crate's name, and `self` is not one",
        ),
        (
            "::crate",
            "a leading `::` is followed by a crate's name, and `crate` is not one",
        ),
        (
            "::super::x",
            "a leading `::` is followed by a crate's name, and `super` is not one",
        ),
        ("::Self", "`Self` names a type"),
        ("Self", "`Self` names a type"),
        ("Self::rt", "`Self` names a type"),
        ("crate::Self", "`Self` names a type"),
        (
            "crate",
            "`crate` at its end names a module of the crate being built",
        ),
        (
            "self",
            "`self` at its end names a module of the crate being built",
        ),
        (
            "super",
            "`super` at its end names a module of the crate being built",
        ),
        (
            "super::super",
            "`super` at its end names a module of the crate being built",
        ),
        ("crate::deps::self", "`self` only starts a path"),
        ("a::crate::b", "`crate` only starts a path"),
        (
            "crate::super::rt",
            "`super` only follows the start of a path",
        ),
        ("rt::super", "`super` only follows the start of a path"),
        ("self::self::rt", "`self` only starts a path"),
        ("r#self", "it is not a Rust path"),
        ("::r#crate", "it is not a Rust path"),
        ("fn", "it is not a Rust path"),
        ("::fn::x", "it is not a Rust path"),
        ("_", "it is not a Rust path"),
        ("", "it is not a Rust path"),
        ("::", "it is not a Rust path"),
        ("bkrt::", "it is not a Rust path"),
        ("a b", "it is not a Rust path"),
        ("a-b", "it is not a Rust path"),
        ("1bkrt", "it is not a Rust path"),
        ("bkrt::<u8>", "a crate's path has no generic arguments"),
        ("bkrt::x()", "it is not a Rust path"),
    ];
    let out = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (path, why) in refused {
        let output = bin()
            .args(["generate", "--manifest", DEMO, "--rust", "-"])
            .args(["--runtime-crate", path])
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        let expected = format!("{path:?} cannot name the runtime crate: {why}");
        if output.status.code() != Some(2)
            || !stderr.contains(&expected)
            || !output.stdout.is_empty()
        {
            failures.push(format!(
                "--runtime-crate {path:?}: {:?}\n{stderr}",
                output.status
            ));
        }
        let built = barekey_typegen::build::Builder::new()
            .manifest(DEMO)
            .manifest_dir(root())
            .out_dir(out.path())
            .runtime_crate(path)
            .generate();
        match built {
            Err(error @ barekey_typegen::Error::InvalidRuntimeCrate { .. })
                if error.to_string().contains(&expected) => {}
            other => failures.push(format!("Builder::runtime_crate({path:?}): {other:?}")),
        }
    }
    assert!(
        fs::read_dir(out.path()).unwrap().next().is_none(),
        "the build helper wrote a module"
    );
    assert_all(failures);
}

/// An API URL whose query or fragment would swallow the route (`GET /?x=1/v1/typegen/manifest`,
/// or the token sent to `/`) is refused before any request, exit 2, from the flag or
/// `BAREKEY_API_URL`, in every command that fetches; the query is not shown (it may hold a
/// secret).
#[test]
fn an_api_url_with_a_query_or_fragment_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    // Not `--watch`: were the URL taken, it would retry until killed.
    let commands: [&[&str]; 3] = [
        &["pull", "--out", "-"],
        &["generate", "--live", "--rust", "-"],
        &["check", "--remote", "--manifest", DEMO],
    ];
    let mut failures = Vec::new();
    for url in [
        "http://127.0.0.1:9/?x=1",
        "http://127.0.0.1:9?secret=hunter2",
        "http://127.0.0.1:9/base#f",
        "http://127.0.0.1:9/#",
        "http://[::1]:9/?",
    ] {
        for command in commands {
            for from_env in [false, true] {
                let mut run = bin();
                run.args(command)
                    .args(["--project", "web", "--stage", "dev", "--timeout", "2"])
                    .current_dir(dir.path())
                    .env("BAREKEY_ACCESS_TOKEN", "bk_at_test")
                    .env("XDG_CONFIG_HOME", dir.path())
                    .env("HOME", dir.path());
                if command.contains(&"--manifest") {
                    run.current_dir(root());
                }
                if from_env {
                    run.env("BAREKEY_API_URL", url);
                } else {
                    run.args(["--api-url", url]).env_remove("BAREKEY_API_URL");
                }
                let output = run.output().unwrap();
                let stderr = stderr_of(&output);
                let ok = output.status.code() == Some(2)
                    && stderr.contains("is not a usable Barekey API URL (it must not hold a query")
                    && !stderr.contains("hunter2")
                    && !stderr.contains("v1/typegen");
                if !ok {
                    failures.push(format!(
                        "{command:?} with {url} (from the environment: {from_env}): {:?}\n{stderr}",
                        output.status
                    ));
                }
            }
        }
    }
    assert_all(failures);
}

#[test]
fn generate_writes_once_and_then_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("src/env.rs");
    let run = || {
        bin()
            .args(["generate", "--manifest", DEMO, "--rust"])
            .arg(&out)
            .output()
            .unwrap()
    };

    let first = run();
    assert!(first.status.success(), "{}", stderr_of(&first));
    assert!(
        stderr_of(&first).contains("created"),
        "{}",
        stderr_of(&first)
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), demo_rust());

    // An old modification time makes any rewrite visible, however coarse the clock.
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&out)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let second = run();
    assert!(second.status.success());
    assert!(
        stderr_of(&second).contains("unchanged"),
        "{}",
        stderr_of(&second)
    );
    assert_eq!(fs::metadata(&out).unwrap().modified().unwrap(), old);
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let output = bin()
        .args(["--quiet", "generate", "--manifest", DEMO, "--rust"])
        .arg(dir.path().join("env.rs"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stderr_of(&output), "");
}

#[test]
fn every_invalid_manifest_exits_1_and_leaves_outputs_alone() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("env.rs");
    let fresh = dir.path().join("new.rs");
    fs::write(&existing, "// hand-kept content\n").unwrap();
    let mut inputs: Vec<String> = common::invalid_fixtures()
        .iter()
        .map(|(_, path)| common::relative(path).display().to_string())
        .collect();
    inputs.push("fixtures/nope.manifest.json".to_owned());
    for input in &inputs {
        for out in [&existing, &fresh] {
            let output = bin()
                .args(["generate", "--manifest", input, "--rust"])
                .arg(out)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{input}");
            let stderr = stderr_of(&output);
            assert!(stderr.starts_with("error: "), "{stderr}");
            assert!(
                stderr.contains(input.as_str()),
                "the message names the file: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
        assert_eq!(
            fs::read_to_string(&existing).unwrap(),
            "// hand-kept content\n",
            "{input}"
        );
        assert!(!fresh.exists(), "{input} created an output file");
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no stray temporary file"
    );
}

#[test]
fn check_passes_on_fresh_and_fails_on_stale_or_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("env.rs");
    let check = || {
        bin()
            .args(["check", "--manifest", DEMO, "--rust"])
            .arg(&out)
            .output()
            .unwrap()
    };

    let missing = check();
    assert_eq!(missing.status.code(), Some(1));
    let stderr = stderr_of(&missing);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "barekey-typegen generate --manifest {DEMO} --rust"
        )),
        "{stderr}"
    );

    fs::write(&out, demo_rust()).unwrap();
    let fresh = check();
    assert!(fresh.status.success(), "{}", stderr_of(&fresh));
    assert!(stderr_of(&fresh).contains("up to date"));

    fs::write(
        &out,
        demo_rust().replacen("pub port: i64", "pub port: u16", 1),
    )
    .unwrap();
    let stale = check();
    assert_eq!(stale.status.code(), Some(1));
    let stderr = stderr_of(&stale);
    assert!(
        stderr.contains("is stale") && stderr.contains("at line"),
        "{stderr}"
    );
    assert!(
        fs::read_to_string(&out).unwrap().contains("pub port: u16"),
        "check never writes"
    );
}

/// A module generated from an older manifest differs first in its header, which only names
/// the manifest version: `check` points past it, at the first declaration that differs, and
/// at the header only when nothing else differs.
#[test]
fn check_points_at_the_first_differing_declaration_not_the_version_header() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("env.rs");
    let version = "t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC_mFJYt97S7o";
    let older = demo_rust().replace(version, "0ldV3rs10n_0f_th3_m4n1f3st_AAAAAAAAAAAAAAAA");
    let stale_line = |text: &str| {
        fs::write(&out, text).unwrap();
        let output = bin()
            .args(["check", "--manifest", DEMO, "--rust"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = stderr_of(&output);
        let at = stderr.split("at line ").nth(1).expect(&stderr);
        at[..at.find(')').unwrap()].parse::<usize>().unwrap()
    };
    let port = demo_rust()
        .lines()
        .position(|line| line.contains("pub port: i64"))
        .unwrap()
        + 1;
    assert_eq!(
        stale_line(&older.replacen("pub port: i64", "pub port: u16", 1)),
        port
    );
    assert_eq!(
        stale_line(&older),
        1,
        "only the version differs: the header"
    );
}

#[test]
fn the_snapshot_is_found_beside_the_nearest_cargo_toml() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Cargo.toml"), "[package]\n").unwrap();
    fs::copy(root().join(DEMO), dir.path().join("barekey.manifest.json")).unwrap();
    let nested = dir.path().join("src/deep");
    fs::create_dir_all(&nested).unwrap();
    let output = bin()
        .current_dir(&nested)
        .args(["generate", "--rust", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), demo_rust());

    let elsewhere = tempfile::tempdir().unwrap();
    let output = bin()
        .current_dir(elsewhere.path())
        .env("BAREKEY_MANIFEST", dir.path().join("barekey.manifest.json"))
        .args(["generate", "--rust", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
}

#[test]
fn a_missing_snapshot_lists_every_place_searched() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("barekey.json"), "{}").unwrap();
    let nested = dir.path().join("app");
    fs::create_dir_all(&nested).unwrap();
    fs::write(nested.join("Cargo.toml"), "[package]\n").unwrap();
    let output = bin()
        .current_dir(&nested)
        .args(["generate", "--rust", "-"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    let expect = |path: &Path, marker: &str| {
        format!(
            "{} (beside {marker})",
            path.join("barekey.manifest.json").display()
        )
    };
    assert!(stderr.contains("$BAREKEY_MANIFEST (not set)"), "{stderr}");
    assert!(stderr.contains(&expect(&nested, "Cargo.toml")), "{stderr}");
    assert!(
        stderr.contains(&expect(dir.path(), "barekey.json")),
        "{stderr}"
    );
    assert!(stderr.contains("barekey-typegen pull"), "{stderr}");
}

/// Issue 29, item 9: odd `BAREKEY_MANIFEST` values are named as what they are: one that names
/// no file (`:`, `::::`, empty) is not "not set", and a repeated entry is not a `--manifest`
/// flag the user never gave. (Unix, where `:` separates the entries.)
#[cfg(unix)]
#[test]
fn odd_barekey_manifest_values_are_named_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("barekey.json"), "{}").unwrap();
    fs::copy(root().join(DEMO), dir.path().join("demo.json")).unwrap();
    let generate = |value: &str| {
        let output = bin()
            .current_dir(dir.path())
            .env("BAREKEY_MANIFEST", value)
            .args(["generate", "--rust", "-"])
            .output()
            .unwrap();
        (output.status.code(), stderr_of(&output))
    };
    for (value, shown) in [
        (":", r#"$BAREKEY_MANIFEST (set to ":", which names no file"#),
        (
            "::::",
            r#"$BAREKEY_MANIFEST (set to "::::", which names no file"#,
        ),
        ("", "$BAREKEY_MANIFEST (set, but empty)"),
    ] {
        let (code, stderr) = generate(value);
        assert_eq!(code, Some(1), "{value:?}: {stderr}");
        assert!(stderr.contains(shown), "{value:?}: {stderr}");
        assert!(!stderr.contains("not set"), "{value:?}: {stderr}");
    }
    let absolute = dir.path().join("demo.json");
    let twice_over = format!("demo.json:{}", absolute.display());
    for value in ["demo.json:demo.json", twice_over.as_str()] {
        let (code, stderr) = generate(value);
        assert_eq!(code, Some(1), "{value:?}: {stderr}");
        let expected = format!(
            "BAREKEY_MANIFEST is set to {value:?}, which names {} more than once",
            absolute.display()
        );
        assert!(stderr.contains(&expected), "{value:?}: {stderr}");
        assert!(!stderr.contains("--manifest demo"), "{value:?}: {stderr}");
    }
    // Empty entries beside a real one are skipped, as in PATH joined from an empty variable.
    let (code, stderr) = generate("demo.json::");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn warnings_go_to_stderr_and_name_the_variables() {
    let output = bin()
        .args([
            "generate",
            "--manifest",
            "fixtures/collisions.manifest.json",
            "--rust",
            "-",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("warning: variables \"API_KEY\""),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains("warning"),
        "stdout carries only the module"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = bin().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("barekey-typegen"),
            "{shell}"
        );
    }
}

// TypeScript output (`--ts`, `--ts-mode`).

fn demo_ts(mode: &str) -> String {
    fs::read_to_string(root().join(format!("tests/golden/ts/{mode}/demo.ts"))).unwrap()
}

#[test]
fn generate_ts_to_stdout_in_both_modes() {
    for (args, mode) in [
        (&[][..], "standalone"),
        (&["--ts-mode", "standalone"], "standalone"),
        (&["--ts-mode", "sdk"], "sdk"),
    ] {
        let output = bin()
            .args(["generate", "--manifest", DEMO, "--ts", "-"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            demo_ts(mode),
            "{args:?}"
        );
    }
}

#[test]
fn generate_writes_rust_and_typescript_then_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let (rust, ts) = (dir.path().join("env.rs"), dir.path().join("env.ts"));
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--rust"])
        .arg(&rust)
        .arg("--ts")
        .arg(&ts)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(fs::read_to_string(&rust).unwrap(), demo_rust());
    assert_eq!(fs::read_to_string(&ts).unwrap(), demo_ts("standalone"));

    let check = bin()
        .args(["check", "--manifest", DEMO, "--rust"])
        .arg(&rust)
        .arg("--ts")
        .arg(&ts)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr_of(&check));
}

#[test]
fn check_ts_reports_a_stale_file_with_the_command_that_fixes_it() {
    let dir = tempfile::tempdir().unwrap();
    let ts = dir.path().join("env.ts");
    // The standalone module is stale when the check asks for the SDK file.
    fs::write(&ts, demo_ts("standalone")).unwrap();
    let output = bin()
        .args(["check", "--manifest", DEMO, "--ts-mode", "sdk", "--ts"])
        .arg(&ts)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("holds the file --ts-mode standalone writes, not the sdk one"),
        "the message says which mode the file is: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "barekey-typegen generate --manifest {DEMO} --ts {} --ts-mode sdk",
            ts.display()
        )),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&ts).unwrap(), demo_ts("standalone"));

    // The other way round: an SDK file checked without --ts-mode sdk is named as one, not
    // called stale with a command that would overwrite it with the standalone module.
    fs::write(&ts, demo_ts("sdk")).unwrap();
    let output = bin()
        .args(["check", "--manifest", DEMO, "--ts"])
        .arg(&ts)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("holds the file --ts-mode sdk writes, not the standalone one")
            && stderr.contains("check it with the --ts-mode it was written with"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&ts).unwrap(), demo_ts("sdk"));
}

#[test]
fn ts_mode_without_ts_is_a_usage_error() {
    let output = bin()
        .args([
            "generate",
            "--manifest",
            DEMO,
            "--rust",
            "-",
            "--ts-mode",
            "sdk",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("--ts <PATH>"));
}

#[test]
fn ts_usage_errors_exit_2() {
    for args in [
        &["generate", "--manifest", DEMO, "--ts-mode", "sdk"][..],
        &[
            "generate",
            "--manifest",
            DEMO,
            "--ts",
            "-",
            "--ts-mode",
            "deno",
        ],
        &["check", "--manifest", DEMO, "--ts", "-"],
    ] {
        let output = bin().args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr_of(&output)
        );
    }
}

/// A file that differs from a fresh generation only in its line endings is stale (generated
/// files are compared byte for byte), and `check` says so at once, with both fixes. Each run has
/// a timeout, so a comparison that never ends fails the test instead of hanging it.
#[test]
fn check_names_line_ending_differences_and_always_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = String::new();
    let outputs: [(&[&str], &str, String); 4] = [
        (&["--rust"], "env.rs", demo_rust()),
        (&["--ts"], "env.ts", demo_ts("standalone")),
        (&["--ts-mode", "sdk", "--ts"], "env.ts", demo_ts("sdk")),
        (&["-q", "--rust"], "env.rs", demo_rust()),
    ];
    type Change = fn(&str) -> String;
    let variants: [(&str, Change); 4] = [
        ("crlf", |text| text.replace('\n', "\r\n")),
        ("lone-cr", |text| text.replace('\n', "\r")),
        ("no-final-newline", |text| text.trim_end().to_owned()),
        ("crlf-and-an-edit", |text| {
            text.replacen("Barekey", "Barekay", 1).replace('\n', "\r\n")
        }),
    ];
    for (flags, file, fresh) in &outputs {
        for (variant, change) in &variants {
            let path = dir.path().join(file);
            fs::write(&path, change(fresh)).unwrap();
            let output = bin()
                .args(["check", "--manifest", DEMO])
                .args(*flags)
                .arg(&path)
                .timeout(Duration::from_secs(60))
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{flags:?} {variant}");
            let stderr = stderr_of(&output).replace(&dir.path().display().to_string(), "<tmp>");
            report.push_str(&format!(
                "$ check {} ({variant})\n{stderr}\n",
                flags.join(" ")
            ));
        }
    }
    assert_all(
        check_golden("cli/check-line-endings.txt", &report)
            .err()
            .into_iter()
            .collect(),
    );
}

/// Every file read stops at the 64 MiB cap with an error naming the file and the cap: an
/// endless device as the manifest or as the file `check` compares, and a file just past it.
#[test]
fn a_file_past_the_read_cap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let large = dir.path().join("large.manifest.json");
    fs::write(
        &large,
        vec![b' '; barekey_typegen::limit::MAX_READ_BYTES + 1],
    )
    .unwrap();
    let cases: [(&str, Vec<&std::ffi::OsStr>); 3] = [
        (
            "manifest-dev-zero",
            vec![
                "generate".as_ref(),
                "--manifest".as_ref(),
                "/dev/zero".as_ref(),
                "--rust".as_ref(),
                "-".as_ref(),
            ],
        ),
        (
            "check-dev-zero",
            vec![
                "check".as_ref(),
                "--manifest".as_ref(),
                DEMO.as_ref(),
                "--rust".as_ref(),
                "/dev/zero".as_ref(),
            ],
        ),
        (
            "manifest-past-the-cap",
            vec![
                "generate".as_ref(),
                "--manifest".as_ref(),
                large.as_os_str(),
                "--rust".as_ref(),
                "-".as_ref(),
            ],
        ),
    ];
    let mut report = String::new();
    for (name, args) in cases {
        let output = bin()
            .args(args)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{name}: {}",
            stderr_of(&output)
        );
        assert!(output.stdout.is_empty(), "{name}");
        let stderr = stderr_of(&output).replace(&dir.path().display().to_string(), "<tmp>");
        report.push_str(&format!("$ {name}\n{stderr}\n"));
    }
    assert_all(
        check_golden("cli/read-cap.txt", &report)
            .err()
            .into_iter()
            .collect(),
    );
}

// Several stages, one build: several --manifest, the lookup of barekey.manifest.<stage>.json.

const PRODUCTION: &str = "fixtures/stages/barekey.manifest.production.json";
const STAGING: &str = "fixtures/stages/barekey.manifest.staging.json";
const CONFLICT_PRODUCTION: &str = "fixtures/stages-conflict/barekey.manifest.production.json";
const CONFLICT_STAGING: &str = "fixtures/stages-conflict/barekey.manifest.staging.json";

/// What the library generates from the stages at `paths`, merged: the CLI must write exactly
/// this (whatever the generators make of a merged manifest).
fn merged_outputs(paths: &[&str]) -> (String, String) {
    use barekey_typegen::codegen;
    let paths: Vec<_> = paths.iter().map(|path| root().join(path)).collect();
    let merged = barekey_typegen::source::read_stages(&paths)
        .unwrap()
        .manifest;
    let options = codegen::Options::default();
    let rust = codegen::generate_rust(&merged, &options, "test").unwrap();
    let ts = codegen::generate_typescript(
        &merged,
        &options.clone().with_ts_mode(codegen::TsMode::Standalone),
        "test",
    )
    .unwrap();
    (rust.text, ts.text)
}

/// A project folder (a barekey.json) holding a copy of each of `fixtures`, under its name.
fn project_with(fixtures: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("barekey.json"), "{}").unwrap();
    for fixture in fixtures {
        let name = Path::new(fixture).file_name().unwrap();
        fs::copy(root().join(fixture), dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn generate_with_a_manifest_per_stage_writes_the_merged_module() {
    let dir = tempfile::tempdir().unwrap();
    let (rust, ts) = (dir.path().join("env.rs"), dir.path().join("env.ts"));
    let output = bin()
        .args(["generate", "--manifest", PRODUCTION, "--manifest", STAGING])
        .arg("--rust")
        .arg(&rust)
        .arg("--ts")
        .arg(&ts)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let (expected_rust, expected_ts) = merged_outputs(&[PRODUCTION, STAGING]);
    assert_eq!(fs::read_to_string(&rust).unwrap(), expected_rust);
    assert_eq!(fs::read_to_string(&ts).unwrap(), expected_ts);
    // Variables of one stage only are in the module, and both stages' versions are named.
    for field in [
        "pub cdn_url:",
        "pub debug_sql:",
        "pub sentry_dsn:",
        "pub port:",
    ] {
        assert!(expected_rust.contains(field), "{field}");
    }
    assert!(
        expected_rust.contains(
            "production=t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC_mFJYt97S7o, \
             staging=Qm4v8N0pZr2KxTj7LwYc5HsD1gFbUe9AoI3yXaRtB6k"
        ),
        "MANIFEST_VERSION names both stages"
    );
    let stderr = stderr_of(&output).replace(&dir.path().display().to_string(), "<dir>");
    assert_all(
        check_golden("cli/stages-generate.txt", &stderr)
            .err()
            .into_iter()
            .collect(),
    );

    let check = bin()
        .args([
            "check",
            "--manifest",
            PRODUCTION,
            "--manifest",
            STAGING,
            "--rust",
        ])
        .arg(&rust)
        .arg("--ts")
        .arg(&ts)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr_of(&check));
}

/// A variable some stages lack is optional in both languages: `Option<T>` in Rust, an
/// optional property in TypeScript; a variable every stage has is not.
#[test]
fn stage_only_variables_are_optional_in_both_languages() {
    let (rust, ts) = merged_outputs(&[PRODUCTION, STAGING]);
    let line_of = |text: &str, needle: &str| -> String {
        text.lines()
            .find(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("no line holds {needle}"))
            .to_owned()
    };
    // CDN_URL is production's only, DEBUG_SQL staging's; PORT is in both.
    for field in ["pub cdn_url:", "pub debug_sql:", "pub sentry_dsn:"] {
        assert!(line_of(&rust, field).contains("Option<"), "{field}");
    }
    assert!(!line_of(&rust, "pub port:").contains("Option<"));
    for key in [
        "readonly CDN_URL",
        "readonly DEBUG_SQL",
        "readonly SENTRY_DSN",
    ] {
        assert!(line_of(&ts, key).contains("?:"), "{key}");
    }
    assert!(!line_of(&ts, "readonly PORT").contains("?:"));
}

#[test]
fn stage_snapshots_beside_barekey_json_are_found_and_checked_together() {
    let dir = project_with(&[PRODUCTION, STAGING]);
    let nested = dir.path().join("src");
    fs::create_dir_all(&nested).unwrap();
    let output = bin()
        .current_dir(&nested)
        .args(["generate", "--rust", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let (expected_rust, _) = merged_outputs(&[PRODUCTION, STAGING]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected_rust);

    let module = dir.path().join("src/env.rs");
    fs::write(&module, &expected_rust).unwrap();
    let check = || {
        bin()
            .current_dir(&nested)
            .args(["check", "--rust", "env.rs"])
            .output()
            .unwrap()
    };
    let fresh = check();
    assert!(fresh.status.success(), "{}", stderr_of(&fresh));

    // Staging gains a variable: the module, generated before, is stale against that stage.
    let staging = dir.path().join("barekey.manifest.staging.json");
    let text = fs::read_to_string(&staging).unwrap().replacen(
        "\"name\": \"BETA_LIMITS\"",
        "\"name\": \"ANOTHER_ONE\"",
        1,
    );
    fs::write(&staging, text).unwrap();
    let stale = check();
    assert_eq!(stale.status.code(), Some(1), "{}", stderr_of(&stale));
    let stderr = stderr_of(&stale);
    assert!(
        stderr.contains("env.rs is stale")
            && stderr.contains("run `barekey-typegen generate --rust env.rs`"),
        "the lookup finds them again, so the fix needs no --manifest: {stderr}"
    );
}

#[test]
fn a_type_conflict_between_stages_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (rust, ts, fresh) = (
        dir.path().join("env.rs"),
        dir.path().join("env.ts"),
        dir.path().join("new.rs"),
    );
    fs::write(&rust, "// hand-kept Rust\n").unwrap();
    fs::write(&ts, "// hand-kept TypeScript\n").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    for path in [&rust, &ts] {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let lookup = project_with(&[CONFLICT_PRODUCTION, CONFLICT_STAGING]);
    let mut failures = Vec::new();
    for (args, dir_of_run) in [
        (
            vec![
                "--manifest",
                CONFLICT_PRODUCTION,
                "--manifest",
                CONFLICT_STAGING,
            ],
            root(),
        ),
        (vec![], lookup.path()),
    ] {
        for outputs in [[&rust, &ts], [&fresh, &ts]] {
            let output = bin()
                .current_dir(dir_of_run)
                .arg("generate")
                .args(&args)
                .arg("--rust")
                .arg(outputs[0])
                .arg("--ts")
                .arg(outputs[1])
                .output()
                .unwrap();
            assert_eq!(
                output.status.code(),
                Some(1),
                "{args:?}: {}",
                stderr_of(&output)
            );
            let stderr =
                stderr_of(&output).replace(&lookup.path().display().to_string(), "<project>");
            let golden = if args.is_empty() {
                "cli/stages-conflict-lookup.txt"
            } else {
                "cli/stages-conflict.txt"
            };
            failures.extend(check_golden(golden, &stderr).err());
        }
    }
    assert_all(failures);
    assert_eq!(fs::read_to_string(&rust).unwrap(), "// hand-kept Rust\n");
    assert_eq!(
        fs::read_to_string(&ts).unwrap(),
        "// hand-kept TypeScript\n"
    );
    for path in [&rust, &ts] {
        assert_eq!(fs::metadata(path).unwrap().modified().unwrap(), old);
    }
    assert!(!fresh.exists(), "no output is created");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no stray temporary file"
    );
}

#[test]
fn a_folder_with_both_kinds_of_snapshot_is_refused_naming_each() {
    let dir = project_with(&[PRODUCTION, STAGING]);
    fs::copy(root().join(DEMO), dir.path().join("barekey.manifest.json")).unwrap();
    let output = bin()
        .current_dir(dir.path())
        .args(["check", "--rust", "env.rs"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    let stderr = stderr_of(&output).replace(&dir.path().display().to_string(), "<project>");
    assert_all(
        check_golden("cli/stages-ambiguous.txt", &stderr)
            .err()
            .into_iter()
            .collect(),
    );
}

#[test]
fn check_with_several_manifests_names_every_one_in_its_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("env.rs");
    fs::write(&out, demo_rust()).unwrap();
    let output = bin()
        .args([
            "check",
            "--manifest",
            PRODUCTION,
            "--manifest",
            STAGING,
            "--rust",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!(
            "run `barekey-typegen generate --manifest {PRODUCTION} --manifest {STAGING} --rust {}`",
            out.display()
        )),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        demo_rust(),
        "check never writes"
    );
}

#[test]
fn several_stage_usage_errors_exit_2_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let staging_copy = dir.path().join("staging.json");
    fs::copy(root().join(STAGING), &staging_copy).unwrap();
    let staging = staging_copy.to_str().unwrap();
    // None of these reach the network: the API URL leads nowhere.
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "generate",
                "--manifest",
                PRODUCTION,
                "--manifest",
                staging,
                "--rust",
                staging,
            ],
            "is the manifest being read (--rust names it)",
        ),
        (
            &["check", "--remote", "--stage", "a", "--stage", "b"],
            "give --stage at most once",
        ),
        (
            &["pull", "--stage", "a", "--stage", "b", "--watch"],
            "--watch follows one stage",
        ),
        (
            &[
                "generate", "--live", "--watch", "--stage", "a", "--stage", "b", "--rust", staging,
            ],
            "--watch follows one stage",
        ),
        (
            &["pull", "--stage", "a", "--stage", "a"],
            "--stage a is given twice",
        ),
        (
            &["pull", "--stage", "a", "--stage", "b", "--out", "-"],
            "cannot hold several files",
        ),
    ];
    for (args, message) in cases {
        let output = bin()
            .env("BAREKEY_API_URL", "http://127.0.0.1:9")
            .args(args)
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(
        fs::read(&staging_copy).unwrap(),
        fs::read(root().join(STAGING)).unwrap()
    );

    // A stage that cannot name a file: refused before any request (exit 1, a bad setting).
    let output = bin()
        .env("BAREKEY_API_URL", "http://127.0.0.1:9")
        .args(["pull", "--stage", "production", "--stage", "../evil"])
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stage \"../evil\" cannot name a snapshot file"),
        "{stderr}"
    );
}

/// The selection of the subset `demo-only` (see `common::subsets`), as flags.
const DEMO_ONLY: [&str; 6] = [
    "--only",
    "DATABASE_URL",
    "--only",
    "PORT",
    "--only",
    "SEARCH_*",
];

fn golden_text(name: &str) -> String {
    fs::read_to_string(root().join("tests/golden").join(name)).unwrap()
}

#[test]
fn only_generates_the_selected_variables_and_check_covers_the_subset() {
    let dir = tempfile::tempdir().unwrap();
    let rust = dir.path().join("env.rs");
    let ts = dir.path().join("env.ts");
    let run = |command: &str, only: &[&str]| {
        bin()
            .args([command, "--manifest", DEMO, "--rust"])
            .arg(&rust)
            .arg("--ts")
            .arg(&ts)
            .args(only)
            .output()
            .unwrap()
    };
    let generated = run("generate", &DEMO_ONLY);
    assert!(generated.status.success(), "{}", stderr_of(&generated));
    assert_eq!(
        fs::read_to_string(&rust).unwrap(),
        golden_text("rust/demo-only.rs")
    );
    assert_eq!(
        fs::read_to_string(&ts).unwrap(),
        golden_text("ts/standalone/demo-only.ts")
    );

    let fresh = run("check", &DEMO_ONLY);
    assert!(fresh.status.success(), "{}", stderr_of(&fresh));
    // The whole module is another file.
    let whole = run("check", &[]);
    assert_eq!(whole.status.code(), Some(1), "{}", stderr_of(&whole));
    // The fix repeats the selection, quoted for the shell.
    fs::remove_file(&ts).unwrap();
    let missing = run("check", &DEMO_ONLY);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = stderr_of(&missing);
    let fix = format!(
        "run `barekey-typegen generate --manifest {DEMO} --ts {} --only DATABASE_URL --only \
         PORT --only 'SEARCH_*'` to create it",
        ts.display()
    );
    assert!(stderr.contains(&fix), "{stderr}");
}

#[test]
fn only_naming_what_the_manifest_lacks_fails_naming_each_with_suggestions() {
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--rust", "-"])
        .args(["--only", "PROT", "--only", "PORT", "--only", "WORKER_*"])
        .args(["--only", "DATABASE_URI"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert!(output.stdout.is_empty());
    check_golden("cli/only-unknown.txt", &stderr_of(&output)).unwrap();
}

/// A consumer is told about what it reads only: the stages' difference in a variable the
/// selection leaves out is no warning of its (a worker's module is not about the web's switch).
#[test]
fn only_keeps_the_warnings_about_the_selected_variables() {
    let warnings = |only: &str| {
        let output = bin()
            .args(["generate", "--rust", "-", "--only", only])
            .args([
                "--manifest",
                "fixtures/stages/barekey.manifest.production.json",
                "--manifest",
                "fixtures/stages/barekey.manifest.staging.json",
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        stderr_of(&output)
    };
    let about = "variable \"PRICING_EXPERIMENT\" has different A/B arms";
    assert!(!warnings("PORT").contains(about), "{}", warnings("PORT"));
    assert!(
        warnings("PRICING_*").contains(about),
        "{}",
        warnings("PRICING_*")
    );
}

/// `--public-only` with a private name: the fix is the caller's choice of selection, not a
/// variable to declare in Barekey.
#[test]
fn only_naming_a_private_variable_under_public_only_says_what_to_change() {
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--ts", "-", "--public-only"])
        .args(["--only", "DATABASE_URL", "--only", "PORT"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert!(output.stdout.is_empty());
    check_golden("cli/only-private.txt", &stderr_of(&output)).unwrap();
}

#[test]
fn a_selection_for_the_sdk_file_is_a_usage_error() {
    let mut failures = Vec::new();
    for (command, golden) in [
        ("generate", "cli/only-sdk-generate.txt"),
        ("check", "cli/only-sdk-check.txt"),
    ] {
        let output = bin()
            .args([
                command,
                "--manifest",
                DEMO,
                "--ts",
                "x.ts",
                "--ts-mode",
                "sdk",
            ])
            .args(["--only", "PORT"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
        failures.extend(check_golden(golden, &stderr_of(&output)).err());
    }
    assert!(!root().join("x.ts").exists());
    assert_all(failures);
}

#[test]
fn public_only_writes_the_browser_module_and_the_sdk_file_refuses_it() {
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--public-only", "--ts", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        golden_text("ts/standalone/demo-public.ts")
    );
    let sdk = bin()
        .args(["generate", "--manifest", DEMO, "--public-only", "--ts", "-"])
        .args(["--ts-mode", "sdk"])
        .output()
        .unwrap();
    assert_eq!(sdk.status.code(), Some(2), "{}", stderr_of(&sdk));
    assert!(sdk.stdout.is_empty());
}

/// The attributes of the subset `demo-public-serde` (see `common::subsets`), as flags.
const SERDE_FLAGS: [&str; 9] = [
    "--public-only",
    "--type-attribute",
    "*=#[derive(::serde::Serialize)]",
    "--type-attribute",
    "BarekeyEnv=serde(rename_all = \"SCREAMING_SNAKE_CASE\")",
    "--type-attribute",
    "ThemeConfig=#[serde(rename_all = \"camelCase\")]",
    "--field-attribute",
    "SENTRY_DSN=#[serde(skip)]",
];

#[test]
fn attributes_are_added_to_rust_types_and_fields_and_check_repeats_them() {
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--rust", "-"])
        .args(SERDE_FLAGS)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        golden_text("rust/demo-public-serde.rs")
    );

    let dir = tempfile::tempdir().unwrap();
    let rust = dir.path().join("env.rs");
    let check = bin()
        .args(["check", "--manifest", DEMO, "--rust"])
        .arg(&rust)
        .args(SERDE_FLAGS)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let fix = format!(
        "`barekey-typegen generate --manifest {DEMO} --rust {} --type-attribute \
         '*=#[derive(::serde::Serialize)]' --type-attribute 'BarekeyEnv=serde(rename_all = \
         \"SCREAMING_SNAKE_CASE\")' --type-attribute 'ThemeConfig=#[serde(rename_all = \
         \"camelCase\")]' --field-attribute 'SENTRY_DSN=#[serde(skip)]' --public-only`",
        rust.display()
    );
    assert!(stderr_of(&check).contains(&fix), "{}", stderr_of(&check));
}

#[test]
fn attributes_that_do_not_parse_or_fit_are_refused() {
    let run = |flags: &[&str]| {
        bin()
            .args(["generate", "--manifest", DEMO, "--rust", "-"])
            .args(flags)
            .output()
            .unwrap()
    };
    let mut failures = Vec::new();
    // Usage errors: no pattern, an attribute that does not parse, no Rust output.
    for (flags, golden) in [
        (
            &["--type-attribute", "#[derive(Hash)]"][..],
            "cli/attribute-no-pattern.txt",
        ),
        (
            &["--field-attribute", "PORT=#[serde(rename = ]"],
            "cli/attribute-invalid.txt",
        ),
    ] {
        let output = run(flags);
        assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
        failures.extend(check_golden(golden, &stderr_of(&output)).err());
    }
    let ts_only = bin()
        .args(["generate", "--manifest", DEMO, "--ts", "-"])
        .args(["--type-attribute", "*=derive(Hash)"])
        .output()
        .unwrap();
    assert_eq!(ts_only.status.code(), Some(2), "{}", stderr_of(&ts_only));
    // Failures: a name that is no type or variable, a derive of the redacting `Debug`.
    let output = run(&[
        "--type-attribute",
        "BarekeyEvn=#[derive(Hash)]",
        "--type-attribute",
        "*=#[derive(Debug, serde::Serialize)]",
        "--field-attribute",
        "DATABASE_UR=#[serde(skip)]",
        // Patterns with `*` must match something, as `--only`'s do.
        "--type-attribute",
        "Nothing*=#[derive(Hash)]",
        "--field-attribute",
        "WORKER_*=#[serde(skip)]",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert!(output.stdout.is_empty());
    failures.extend(check_golden("cli/attribute-unfit.txt", &stderr_of(&output)).err());
    assert_all(failures);
}

/// A Rust module committed in `src/` (`mod barekey_env;`, the README's CLI example) is left
/// alone by `cargo fmt`, whatever the crate's rustfmt.toml (stable rustfmt; options it does not
/// have are ignored with a warning): `cargo fmt --check` passes on freshly generated files, and
/// after `cargo fmt` `check` still calls each one fresh. Every item carries
/// `#[cfg_attr(rustfmt, rustfmt::skip)]`: rustfmt formats files marked `@generated` as well.
/// Every fixture's module and a merged one (`tests/testsuite/compile_generated.rs` compiles them,
/// `include!`d, also under `#[no_implicit_prelude]`).
/// Not covered, and said in the README: `newline_style = "Windows"`, which rewrites every line
/// ending of every file.
#[test]
fn a_committed_module_passes_cargo_fmt_check_and_check_whatever_the_rustfmt_toml() {
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path();
    fs::create_dir_all(crate_dir.join("src")).unwrap();
    fs::write(
        crate_dir.join("Cargo.toml"),
        "[package]\nname = \"committed\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    let mut modules: Vec<(String, Vec<String>)> = common::valid_fixtures()
        .into_iter()
        .map(|(stem, path)| {
            let module = format!("m_{}", stem.replace('-', "_"));
            (module, vec![path.display().to_string()])
        })
        .collect();
    modules.push((
        "m_stages".to_owned(),
        ["production", "staging"]
            .map(|stage| {
                root()
                    .join(format!("fixtures/stages/barekey.manifest.{stage}.json"))
                    .display()
                    .to_string()
            })
            .to_vec(),
    ));
    // In rustfmt's order: main.rs is the user's, and must pass too.
    modules.sort();
    let main: String = modules
        .iter()
        .map(|(module, _)| format!("mod {module};\n"))
        .chain(["\nfn main() {}\n".to_owned()])
        .collect();
    fs::write(crate_dir.join("src/main.rs"), main).unwrap();
    let typegen = |command: &str, module: &str, manifests: &[String]| {
        let mut run = bin();
        run.args([command, "--quiet"]);
        for manifest in manifests {
            run.args(["--manifest", manifest]);
        }
        run.arg("--rust")
            .arg(crate_dir.join(format!("src/{module}.rs")))
            .output()
            .unwrap()
    };
    let cargo_fmt = |check: bool| {
        let mut command = std::process::Command::new(env!("CARGO"));
        command.arg("fmt").current_dir(crate_dir);
        if check {
            command.arg("--check");
        }
        command.output().unwrap()
    };
    let configs = [
        "",
        "max_width = 40",
        "hard_tabs = true\ntab_spaces = 2",
        "use_small_heuristics = \"Max\"\nfn_params_layout = \"Vertical\"",
        "edition = \"2015\"\nmerge_derives = false\nreorder_modules = false",
        "use_field_init_shorthand = true\nuse_try_shorthand = true\nforce_explicit_abi = false",
        // Nightly's: a stable rustfmt says it ignores them.
        "format_generated_files = true\nreorder_impl_items = true\nnormalize_doc_attributes = true",
    ];
    let mut failures = Vec::new();
    for config in configs {
        fs::write(crate_dir.join("rustfmt.toml"), config).unwrap();
        for (module, manifests) in &modules {
            let output = typegen("generate", module, manifests);
            assert!(output.status.success(), "{}", stderr_of(&output));
        }
        let checked = cargo_fmt(true);
        if !checked.status.success() {
            failures.push(format!(
                "cargo fmt --check with rustfmt.toml {config:?}:\n{}",
                String::from_utf8_lossy(&checked.stdout)
                    .chars()
                    .take(3000)
                    .collect::<String>()
            ));
        }
        let formatted = cargo_fmt(false);
        assert!(formatted.status.success(), "{}", stderr_of(&formatted));
        for (module, manifests) in &modules {
            let output = typegen("check", module, manifests);
            if !output.status.success() {
                failures.push(format!(
                    "check after cargo fmt with rustfmt.toml {config:?}: {}",
                    stderr_of(&output)
                ));
            }
        }
    }
    assert_all(failures);
}

/// `--env-example` and `--markdown`: written by generate (to a file or stdout), kept honest by
/// check, with the command that regenerates each; two outputs naming one file are refused.
#[test]
fn env_example_and_markdown_are_generated_and_checked_like_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env.example");
    let markdown = dir.path().join("VARIABLES.md");
    let golden = |name: &str| fs::read_to_string(root().join("tests/golden").join(name)).unwrap();
    let output = bin()
        .args(["generate", "--manifest", DEMO, "--env-example"])
        .arg(&env)
        .arg("--markdown")
        .arg(&markdown)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(fs::read_to_string(&env).unwrap(), golden("env/demo.env"));
    assert_eq!(
        fs::read_to_string(&markdown).unwrap(),
        golden("markdown/demo.md")
    );
    let stdout = bin()
        .args(["generate", "--manifest", DEMO, "--markdown", "-"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(stdout.stdout).unwrap(),
        golden("markdown/demo.md")
    );

    let check = || {
        bin()
            .args(["check", "--manifest", DEMO, "--env-example"])
            .arg(&env)
            .arg("--markdown")
            .arg(&markdown)
            .output()
            .unwrap()
    };
    let fresh = check();
    assert!(fresh.status.success(), "{}", stderr_of(&fresh));
    fs::write(&env, golden("env/demo.env").replace("PORT=", "PORT=8080")).unwrap();
    let stale = check();
    assert_eq!(stale.status.code(), Some(1));
    let stderr = stderr_of(&stale).replace(&dir.path().display().to_string(), "<dir>");
    let port_line = golden("env/demo.env")
        .lines()
        .position(|line| line == "PORT=")
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!(
            "<dir>/.env.example is stale (it first differs from a fresh generation at line \
             {port_line}); run `barekey-typegen generate --manifest {DEMO} --env-example \
             <dir>/.env.example` to update it"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("VARIABLES.md is up to date"), "{stderr}");

    let clash = bin()
        .args(["generate", "--manifest", DEMO, "--env-example"])
        .arg(&env)
        .arg("--markdown")
        .arg(&env)
        .output()
        .unwrap();
    assert_eq!(clash.status.code(), Some(2));
    assert!(
        stderr_of(&clash).contains("given to both --env-example and --markdown"),
        "{}",
        stderr_of(&clash)
    );
    let to_stdout = bin()
        .args(["check", "--manifest", DEMO, "--markdown", "-"])
        .output()
        .unwrap();
    assert_eq!(to_stdout.status.code(), Some(2));
}

/// The reasons `docs/message-format.md` documents, from its table.
fn documented_reasons() -> Vec<String> {
    let doc = fs::read_to_string(root().join("docs/message-format.md")).unwrap();
    doc.lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .flat_map(|line| {
            let cell = line.split(" |").next().unwrap_or_default();
            cell.split(", ")
                .map(|reason| reason.trim_matches('`').to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Pins `--message-format json`: each stdout line one object with a documented `reason` and
/// `version` 1, the objects of a generate and a check as golden files, and stdout outputs
/// refused alongside.
fn assert_message_lines(stdout: &str) {
    let reasons = documented_reasons();
    assert!(reasons.contains(&"drift-found".to_owned()), "{reasons:?}");
    assert!(stdout.ends_with('\n'), "{stdout}");
    for line in stdout.lines() {
        let object: serde_json::Value = serde_json::from_str(line).expect(line);
        assert_eq!(object["version"], 1, "{line}");
        let reason = object["reason"].as_str().expect(line);
        assert!(
            reasons.iter().any(|known| known == reason),
            "{reason} is not documented"
        );
        assert!(
            reason == "finished" || object["message"].is_string(),
            "{line}"
        );
    }
}

#[test]
fn message_format_json_prints_one_documented_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = bin().args(args).current_dir(dir.path()).output().unwrap();
        let stderr = stderr_of(&output);
        let stdout = String::from_utf8(output.stdout).unwrap();
        (output.status.code(), stdout, stderr)
    };
    let demo = root().join(DEMO).display().to_string();
    let generate = [
        "generate",
        "--manifest",
        &demo,
        "--rust",
        "env.rs",
        "--env-example",
        ".env.example",
        "--message-format",
        "json",
    ];
    let (code, first, stderr) = run(&generate);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("created env.rs"),
        "human text stays on stderr: {stderr}"
    );
    let (_, again, _) = run(&generate);
    fs::write(
        dir.path().join("env.rs"),
        demo_rust().replace("pub port: i64", "pub port: u8"),
    )
    .unwrap();
    fs::remove_file(dir.path().join(".env.example")).unwrap();
    let (code, check, _) = run(&[
        "check",
        "--manifest",
        &demo,
        "--rust",
        "env.rs",
        "--env-example",
        ".env.example",
        "--message-format",
        "json",
    ]);
    assert_eq!(code, Some(1));
    let mut failures = Vec::new();
    for (golden, stdout) in [
        ("generate", &first),
        ("generate-again", &again),
        ("check", &check),
    ] {
        assert_message_lines(stdout);
        let stdout = stdout.replace(&demo, "<demo>");
        failures.extend(check_golden(&format!("cli/message-format-{golden}.jsonl"), &stdout).err());
    }
    assert_all(failures);

    for args in [
        &[
            "generate",
            "--manifest",
            &demo,
            "--rust",
            "-",
            "--message-format",
            "json",
        ][..],
        &["pull", "--out", "-", "--message-format", "json"],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("--message-format json prints"), "{stderr}");
    }
}

/// `env check`: the environment as the application would read it, every problem listed with
/// the runtime's messages, a private value never shown; 0 when every variable is set and valid.
#[test]
fn env_check_lists_every_missing_and_invalid_variable_without_private_values() {
    let secret = "hunter2-Zq9-SECRET";
    let env_check = |vars: &[(&str, &str)], extra: &[&str]| {
        let output = bin()
            .env_clear()
            .envs(vars.iter().copied())
            .args(["env", "check", "--manifest", DEMO])
            .args(extra)
            .output()
            .unwrap();
        (output.status.code(), stderr_of(&output))
    };
    let mut valid: Vec<(&str, &str)> = common::DEMO_VALUES.to_vec();
    let (code, stderr) = env_check(&valid, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("the environment satisfies web-1234/production: 14 variables checked"),
        "{stderr}"
    );
    for (name, value) in valid.iter_mut() {
        *value = match *name {
            "PORT" => "80a",
            "CHECKOUT_FLOW" | "STRIPE_SECRET_KEY" | "NEW_DASHBOARD" => secret,
            "PRICING_EXPERIMENT" => "7",
            "THEME_CONFIG" => r#"{"darkMode": "yes", "tiers": []}"#,
            _ => value,
        };
    }
    valid.retain(|(name, _)| *name != "DATABASE_URL");
    let (code, stderr) = env_check(&valid, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        !stderr.contains(secret),
        "a private value is shown: {stderr}"
    );
    let mut failures = Vec::new();
    failures.extend(check_golden("cli/env-check-problems.txt", &stderr).err());
    // Only what a browser's module reads: the private problems are not its own.
    let (code, stderr) = env_check(&valid, &["--public-only"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        !stderr.contains("DATABASE_URL") && stderr.contains("PORT"),
        "{stderr}"
    );

    let stages_in = |stage_env: Option<&str>, extra: &[&str]| {
        let mut command = bin();
        command.env_clear();
        if let Some(stage) = stage_env {
            command.env("BAREKEY_STAGE", stage);
        }
        let output = command
            .args(["env", "check"])
            .args([
                "--manifest",
                "fixtures/stages/barekey.manifest.production.json",
            ])
            .args([
                "--manifest",
                "fixtures/stages/barekey.manifest.staging.json",
            ])
            .args(extra)
            .output()
            .unwrap();
        (output.status.code(), stderr_of(&output))
    };
    let stages = |extra: &[&str]| stages_in(None, extra);
    let (code, stderr) = stages(&["--stage", "staging", "--only", "DEBUG_SQL"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("DEBUG_SQL (boolean, public): not set"),
        "{stderr}"
    );
    // A process runs in one stage: with no stage named, several snapshots are a usage error
    // (merged, a variable only one stage has would pass unset)...
    let (code, stderr) = stages(&["--only", "DEBUG_SQL"]);
    assert_eq!(code, Some(2), "{stderr}");
    failures.extend(check_golden("cli/env-check-no-stage.txt", &stderr).err());
    // ...and BAREKEY_STAGE names it as for a live fetch; `--stage` wins over it.
    let (code, stderr) = stages_in(Some("staging"), &["--only", "DEBUG_SQL"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("DEBUG_SQL (boolean, public): not set"),
        "{stderr}"
    );
    let (code, stderr) = stages_in(Some("staging"), &["--stage", "production"]);
    assert!(!stderr.contains("DEBUG_SQL"), "{stderr}");
    assert_eq!(code, Some(1), "{stderr}");
    let (code, stderr) = stages(&["--stage", "qa"]);
    assert_eq!(code, Some(2), "{stderr}");
    failures.extend(check_golden("cli/env-check-unknown-stage.txt", &stderr).err());
    let help = bin().args(["env", "check", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    failures.extend(check_golden("cli/env-check-help.txt", &help).err());
    assert_all(failures);
}
