//! Shared by the integration tests: fixtures and golden files.
#![allow(dead_code, reason = "each test binary uses a different part")]

mod golden;
pub(crate) mod hygiene;
pub(crate) mod invariants;
pub(crate) mod scratch_build;

use std::path::{Path, PathBuf};

pub(crate) mod server;
pub(crate) mod unicode;

#[allow(unused_imports, reason = "each test binary uses a different part")]
pub(crate) use golden::{BLESS, DEMO_VALUES, assert_all, blessing, check_golden, root};

/// Valid fixture manifests, by stem (`demo` for `fixtures/demo.manifest.json`), sorted.
pub(crate) fn valid_fixtures() -> Vec<(String, PathBuf)> {
    fixtures_in(&root().join("fixtures"))
}

/// Invalid fixture manifests, by stem, sorted.
pub(crate) fn invalid_fixtures() -> Vec<(String, PathBuf)> {
    fixtures_in(&root().join("fixtures/invalid"))
}

fn fixtures_in(folder: &Path) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?;
            let stem = name.strip_suffix(".manifest.json")?.to_owned();
            Some((stem, path))
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no fixtures in {}", folder.display());
    found
}

/// The target folder of the scratch crates the tests build (each under `target/`, with its own
/// `[workspace]`): shared, so the dependencies compile once for all of them, also with the
/// macro's scratch crates (`macros/tests/scratch.rs`). Only trybuild keeps its own
/// (`target/tests/trybuild`, fixed by trybuild, and built with its own `--cfg trybuild`).
pub(crate) fn scratch_target() -> PathBuf {
    root().join("target/scratch-target")
}

/// The empty folder `<path>` under the test's temporary target folder (`CARGO_TARGET_TMPDIR`),
/// emptied if a previous run left something there.
pub(crate) fn scratch(path: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(path);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// The path relative to the package root, as messages should show it in golden files.
pub(crate) fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_owned()
}

/// Runs `command_line` (a shell command) in a pseudo-terminal (util-linux `script`), in `dir`
/// with `envs` (a test's command's `get_envs()`), and returns what the terminal showed; for the
/// spinner tests, which need a terminal.
pub(crate) fn on_a_terminal(
    dir: &Path,
    envs: std::process::CommandEnvs<'_>,
    command_line: &str,
) -> String {
    let mut command = std::process::Command::new("script");
    command
        .args(["-qec", command_line, "/dev/null"])
        .current_dir(dir)
        .env("TERM", "xterm");
    for (name, value) in envs {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command
        .output()
        .expect("`script` (util-linux) runs the CLI on a pty");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The manifest `generate --manifest fixtures/stages/barekey.manifest.production.json
/// --manifest fixtures/stages/barekey.manifest.staging.json` generates from: the two stages'
/// snapshots merged, and the warnings of reading and merging them.
pub(crate) fn merged_stages() -> (barekey_typegen::manifest::Manifest, Vec<String>) {
    let paths = ["production", "staging"]
        .map(|stage| format!("fixtures/stages/barekey.manifest.{stage}.json"));
    let mut warnings = Vec::new();
    let loaded: Vec<barekey_typegen::manifest::Loaded> = paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(root().join(path)).unwrap();
            let loaded = barekey_typegen::manifest::parse(&text, path)
                .unwrap_or_else(|error| panic!("{error}"));
            warnings.extend(loaded.warnings.iter().map(ToString::to_string));
            loaded
        })
        .collect();
    let snapshots: Vec<(&str, &barekey_typegen::manifest::Manifest)> = paths
        .iter()
        .zip(&loaded)
        .map(|(path, loaded)| (path.as_str(), &loaded.manifest))
        .collect();
    let merged = merge(&snapshots).unwrap_or_else(|error| panic!("{error}"));
    warnings.extend(merged.warnings.iter().map(ToString::to_string));
    (merged.manifest, warnings)
}

/// Merges `(origin, manifest)` pairs as the snapshot lookup does, each stage named by its
/// `stageSlug`, else its origin; a type conflict is an error.
#[allow(dead_code, reason = "not every test binary merges stages")]
pub(crate) fn merge(
    snapshots: &[(&str, &barekey_typegen::manifest::Manifest)],
) -> barekey_typegen::Result<barekey_typegen::manifest::Loaded> {
    let stages: Vec<barekey_typegen::manifest::StageManifest<'_>> = snapshots
        .iter()
        .map(
            |(origin, manifest)| barekey_typegen::manifest::StageManifest {
                stage: manifest.stage_slug.as_deref().unwrap_or(origin),
                origin,
                manifest,
            },
        )
        .collect();
    barekey_typegen::manifest::merge_stages(&stages)?.into_loaded()
}

/// A proptest runner with a fixed seed (32 bytes for ChaCha) and `cases` cases, persisting no
/// failures: every run on every machine checks the same cases.
pub(crate) fn seeded_runner(cases: u32, seed: &[u8; 32]) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, seed))
}

/// A module generated from part of a manifest: its golden files' stem, and how it is made.
pub(crate) struct Subset {
    /// `rust/<stem>.rs` and, unless `rust_only`, `ts/standalone/<stem>.ts`.
    pub(crate) stem: &'static str,
    /// The manifest: a fixture's stem, or `stages` for the two stages merged.
    pub(crate) from: &'static str,
    /// The options: the selection, and any attributes.
    pub(crate) options: barekey_typegen::codegen::Options,
    /// Whether only the Rust module has a golden file (its options are about Rust alone).
    pub(crate) rust_only: bool,
}

impl Subset {
    /// The manifest it is generated from, and the origin its files name.
    pub(crate) fn manifest(&self) -> (barekey_typegen::manifest::Manifest, String) {
        if self.from == "stages" {
            return (merged_stages().0, "stages".to_owned());
        }
        let origin = format!("fixtures/{}.manifest.json", self.from);
        let text = std::fs::read_to_string(root().join(&origin)).unwrap();
        let loaded = barekey_typegen::manifest::parse(&text, &origin).unwrap();
        (loaded.manifest, origin)
    }
}

/// Every subset with golden files: what one consumer of a project reads.
pub(crate) fn subsets() -> Vec<Subset> {
    use barekey_typegen::codegen::{Options, Pattern, Selection};
    let only = |patterns: &[&str]| {
        let mut selection = Selection::default();
        selection.only = patterns.iter().map(|p| Pattern::new(p)).collect();
        Options::default().with_selection(selection)
    };
    vec![
        // A service that reads its database, its port and a rollout.
        Subset {
            stem: "demo-only",
            from: "demo",
            options: only(&["DATABASE_URL", "PORT", "SEARCH_*"]),
            rust_only: false,
        },
        // A browser's module: the public variables alone.
        Subset {
            stem: "demo-public",
            from: "demo",
            options: Options::default().with_selection({
                let mut selection = Selection::default();
                selection.public_only = true;
                selection
            }),
            rust_only: false,
        },
        // The browser's configuration as JSON from the server: serde derives on the public
        // module, a date among its fields (the runtime's feature `serde`).
        Subset {
            stem: "demo-public-serde",
            from: "demo",
            options: {
                use barekey_typegen::codegen::{Attribute, Attributes};
                let pair = |pattern: &str, attribute: &str| {
                    (Pattern::new(pattern), Attribute::new(attribute).unwrap())
                };
                let mut selection = Selection::default();
                selection.public_only = true;
                let mut attributes = Attributes::default();
                attributes.types = vec![
                    pair("*", "#[derive(::serde::Serialize)]"),
                    pair("BarekeyEnv", "serde(rename_all = \"SCREAMING_SNAKE_CASE\")"),
                    pair("ThemeConfig", "#[serde(rename_all = \"camelCase\")]"),
                ];
                attributes.fields = vec![pair("SENTRY_DSN", "#[serde(skip)]")];
                Options::default()
                    .with_selection(selection)
                    .with_attributes(attributes)
            },
            rust_only: true,
        },
        // Two stages: a stage-only variable stays optional in a subset.
        Subset {
            stem: "stages-only",
            from: "stages",
            options: only(&["PORT", "SENTRY_DSN", "*_SQL"]),
            rust_only: false,
        },
    ]
}
