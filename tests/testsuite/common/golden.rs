//! Golden files and the demo values: what every package's tests share (the runtime's tests
//! include this file, and `server.rs`, by path; they use nothing of the generator).
#![allow(dead_code, reason = "each test binary uses a different part")]

use std::path::Path;

/// The environment variable that rewrites golden files instead of comparing them.
pub(crate) const BLESS: &str = "BAREKEY_BLESS";

/// The workspace's root folder, also for the tests of its other packages (`runtime/tests`).
pub(crate) fn root() -> &'static Path {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package
        .ancestors()
        .find(|folder| folder.join("tests/golden").is_dir())
        .unwrap_or(package)
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
    ("SEARCH_BACKEND_ROLLOUT", "elasticsearch"),
    ("SENTRY_DSN", "https://key@sentry.example/1"),
    ("STRIPE_SECRET_KEY", "sk_live_hunter2"),
    ("THEME_CONFIG", r#"{"darkMode": true, "tiers": ["gold"]}"#),
];

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
