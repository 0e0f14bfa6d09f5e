//! Token hygiene: with an access token in `BAREKEY_ACCESS_TOKEN` and a logged-in Barekey CLI
//! session, no CLI output (help, results, warnings, errors) and no file the CLI writes holds
//! it; `Debug` and `Display` of every type that can hold a secret never show it. The build
//! helper's end-to-end test (`tests/testsuite/build_helper.rs`) plants the same tokens and scans
//! `target/`.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use barekey_typegen_runtime::__private::Loader;
use barekey_typegen_runtime::Visibility;
use common::hygiene::{
    PLANTED_TOKEN, assert_clean_files, assert_clean_output, planted_env, token_in,
};
use common::{root, scratch};

#[test]
fn no_cli_output_or_file_holds_the_token() {
    let work = scratch("hygiene/cli-work");
    let config_home = scratch("hygiene/cli-config-home");
    std::fs::create_dir_all(work.join("folder.rs")).unwrap();
    // Command lines, with fixtures and the token filled in, and their exit status.
    let runs = [
        ("--help", 0),
        ("generate --help", 0),
        ("check --help", 0),
        ("completions bash", 0),
        ("generate --manifest DEMO --rust env.rs --ts env.ts", 0),
        ("generate --manifest DEMO --ts - --ts-mode sdk", 0),
        ("check --manifest DEMO --rust env.rs --ts env.ts", 0),
        ("check --manifest DEMO --rust missing.rs", 1),
        ("generate --manifest HOSTILE --rust -", 0),
        ("generate --rust -", 1),
        ("generate --manifest INVALID --rust -", 1),
        ("generate --manifest DEMO --rust folder.rs", 1),
        ("generate --manifest DEMO", 2),
        ("generate --token TOKEN --rust -", 2),
        ("frobnicate", 2),
        // Live commands: the token is read, then the connection is refused (port 9, discard).
        (
            "pull --api-url http://127.0.0.1:9 --project web --stage dev --timeout 2",
            1,
        ),
        (
            "generate --live --api-url http://127.0.0.1:9 --project web --stage dev --rust -",
            1,
        ),
        // Refused before any connection: the token must not go to plain HTTP elsewhere.
        (
            "pull --api-url http://192.0.2.1 --project web --stage dev",
            1,
        ),
    ];
    let fill = |word: &str| match word {
        "DEMO" => root().join("fixtures/demo.manifest.json"),
        "HOSTILE" => root().join("fixtures/hostile-names.manifest.json"),
        "INVALID" => root().join("fixtures/invalid/wrong-types.manifest.json"),
        "TOKEN" => PathBuf::from(PLANTED_TOKEN),
        word => PathBuf::from(word),
    };
    for (line, code) in runs {
        let output = Command::new(env!("CARGO_BIN_EXE_barekey-typegen"))
            .args(line.split(' ').map(fill))
            .current_dir(&work)
            .env_remove("BAREKEY_MANIFEST")
            .envs(planted_env(&config_home))
            .output()
            .unwrap();
        let label = format!("barekey-typegen {line}");
        assert_eq!(output.status.code(), Some(code), "{label}: {output:?}");
        assert_clean_output(&label, &output);
    }
    assert!(work.join("env.rs").exists() && work.join("env.ts").exists());
    assert_clean_files(&[&work]);
}

/// A secret value that is the token (a realistic secret), read as every declared type.
fn lookup(_name: &str) -> Option<String> {
    Some(format!("{PLANTED_TOKEN} "))
}

/// Every value that can hold a token or a secret, holding the planted one, with how it prints.
/// Types that hold credentials (`pull`'s session, the build helper's fetch) join this table.
fn holders() -> Vec<(&'static str, String)> {
    let mut loader = Loader::from_lookup(&lookup);
    let _: String = loader.read("SECRET_STRING", Visibility::Private);
    let _: bool = loader.read("SECRET_BOOLEAN", Visibility::Private);
    let _: i64 = loader.read("SECRET_INT64", Visibility::Private);
    let _: f64 = loader.read("SECRET_FLOAT", Visibility::Private);
    let _: barekey_typegen_runtime::Timestamp = loader.read("SECRET_DATE", Visibility::Private);
    let _: barekey_typegen_runtime::JsonValue = loader.read("SECRET_JSON", Visibility::Private);
    let loader_debug = format!("{loader:?}");
    let error = loader.finish(()).unwrap_err();
    let mut holders = vec![
        ("runtime::Loader (Debug)", loader_debug),
        ("runtime::LoadError (Debug)", format!("{error:?}")),
        ("runtime::LoadError (Display)", error.to_string()),
    ];
    // What `barekey_env!` expands to, failing on the same secret.
    let read: Result<i64, _> = barekey_typegen_runtime::__private::read_lookup(
        &lookup,
        "SECRET_INT64",
        Visibility::Private,
    );
    let read = read.unwrap_err();
    holders.push(("runtime::Error (Debug)", format!("{read:?}")));
    holders.push(("runtime::Error (Display)", read.to_string()));
    let builder = barekey_typegen_client::Client::builder()
        .project("web")
        .stage("dev")
        .token(PLANTED_TOKEN);
    holders.push(("client::ClientBuilder (Debug)", format!("{builder:?}")));
    let client = builder.build().unwrap();
    holders.push(("client::Client (Debug)", format!("{client:?}")));
    for problem in error.problems() {
        holders.push(("runtime::Problem (Debug)", format!("{problem:?}")));
        holders.push(("runtime::Problem (Display)", problem.to_string()));
        holders.push((
            "runtime::ProblemKind (Debug)",
            format!("{:?}", problem.kind()),
        ));
    }
    holders
}

#[test]
fn no_debug_or_display_shows_a_secret() {
    let holders = holders();
    // Every private variable but the string one failed to parse, and says so by name.
    let (_, error) = holders
        .iter()
        .find(|(holder, _)| *holder == "runtime::LoadError (Display)")
        .expect("the LoadError's message is among the holders");
    for name in ["BOOLEAN", "INT64", "FLOAT", "DATE", "JSON"] {
        assert!(error.contains(&format!("SECRET_{name}")), "{error}");
    }
    for (holder, text) in holders {
        assert!(
            token_in(&text).is_none(),
            "{holder} shows the token: {text}"
        );
    }
}
