//! Shared by the integration tests: fixtures and golden files.
#![allow(dead_code, reason = "each test binary uses a different part")]

pub(crate) mod hygiene;
pub(crate) mod invariants;

use std::path::{Path, PathBuf};

pub(crate) mod server;
pub(crate) mod unicode;

/// The environment variable that rewrites golden files instead of comparing them.
pub(crate) const BLESS: &str = "BAREKEY_BLESS";

pub(crate) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A valid text for every variable of `fixtures/demo.manifest.json`, by name.
pub(crate) const DEMO_VALUES: [(&str, &str); 14] = [
    ("CHECKOUT_FLOW", "treatment"),
    ("DATABASE_URL", "postgres://app:hunter2-db@db/app"),
    ("FEATURE_SIGNUPS", " YES "),
    ("LAUNCH_AT", "2026-03-01T09:30:00.250+01:00"),
    ("LOG_LEVEL", "info"),
    ("MAX_UPLOAD_MB", "-0"),
    ("NEW_DASHBOARD", "false"),
    ("PORT", "8080"),
    ("PRICING_EXPERIMENT", "42"),
    ("REQUEST_TIMEOUT_SECS", "1e1"),
    ("SEARCH_BACKEND_ROLLOUT", "elastic"),
    ("SENTRY_DSN", "https://key@sentry.example/1"),
    ("STRIPE_SECRET_KEY", "sk_live_hunter2"),
    ("THEME_CONFIG", r#"{"darkMode": true, "tiers": ["gold"]}"#),
];

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
/// `[workspace]`): shared, so the dependencies compile once for all of them.
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

/// Whether this run rewrites golden files (`BAREKEY_BLESS=1`) instead of comparing them.
pub(crate) fn blessing() -> bool {
    #[allow(
        clippy::disallowed_methods,
        reason = "the test harness's own switch, not a product input"
    )]
    let bless = std::env::var_os(BLESS);
    bless.is_some_and(|value| value == "1")
}

/// Compares `actual` with the golden file `tests/golden/<name>`, or rewrites it when
/// `BAREKEY_BLESS=1`. Returns a description of the mismatch instead of panicking, so a test
/// can report every stale golden file at once.
pub(crate) fn check_golden(name: &str, actual: &str) -> Result<(), String> {
    let path = root().join("tests/golden").join(name);
    if blessing() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "{}: {error} (run with {BLESS}=1 to create it)",
            path.display()
        )
    })?;
    if expected == actual {
        return Ok(());
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()))
        + 1;
    Err(format!(
        "{} differs at line {line}:\n  golden: {:?}\n  actual: {:?}\n(review, then rerun with {BLESS}=1 to accept)",
        path.display(),
        expected.lines().nth(line - 1).unwrap_or("<end of file>"),
        actual.lines().nth(line - 1).unwrap_or("<end of file>"),
    ))
}

/// Panics with every failure at once.
pub(crate) fn assert_all(failures: Vec<String>) {
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
