//! The one place that reads the process environment.
//!
//! Everything that decides what gets generated, or where a manifest is found, is read here, so
//! the set of inputs is easy to audit and to report to Cargo (`rerun-if-env-changed`).
#![allow(
    clippy::disallowed_methods,
    reason = "this module is the environment chokepoint"
)]

use std::ffi::OsString;

/// `BAREKEY_MANIFEST`: an explicit path to the manifest snapshot.
pub const MANIFEST: &str = "BAREKEY_MANIFEST";

/// The raw value of an environment variable, `None` when unset.
pub fn var_os(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// `BAREKEY_ORG`: the organisation slug, when no `--org` is given.
pub const ORG: &str = "BAREKEY_ORG";

/// `BAREKEY_PROJECT`: the project slug, when no `--project` is given.
pub const PROJECT: &str = "BAREKEY_PROJECT";

/// `BAREKEY_STAGE`: the stage slug, when no `--stage` is given.
pub const STAGE: &str = "BAREKEY_STAGE";

/// `BAREKEY_API_URL`: the API's base URL, when no `--api-url` is given.
pub const API_URL: &str = "BAREKEY_API_URL";

/// `BAREKEY_ACCESS_TOKEN`: a token that takes the place of the Barekey CLI's session (CI).
/// Secret: never reported to Cargo, never printed.
pub const ACCESS_TOKEN: &str = "BAREKEY_ACCESS_TOKEN";

/// `XDG_CONFIG_HOME`: where the Barekey CLI keeps its config, when set.
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";

/// `HOME`: the Barekey CLI's config is in `$HOME/.config/barekey` without `XDG_CONFIG_HOME`.
pub const HOME: &str = "HOME";

/// `BAREKEY_SAFE_DIRECTORIES`: folders (separated like `PATH`) whose files are trusted even
/// when another user owns them, as git's `safe.directory`; `*` trusts every folder.
pub const SAFE_DIRECTORIES: &str = "BAREKEY_SAFE_DIRECTORIES";

/// `__BAREKEY_TYPEGEN_TEST_SLOW_WRITE`: milliseconds to wait between writing a temporary file
/// and renaming it, so the tests can interrupt a write. Not for users.
#[doc(hidden)]
pub const TEST_SLOW_WRITE: &str = "__BAREKEY_TYPEGEN_TEST_SLOW_WRITE";
