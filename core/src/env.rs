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

/// `BAREKEY_TYPEGEN_BUILD_MANIFEST`: the manifest the build helper used, which it sets for the
/// crate it builds (`cargo:rustc-env`) so that `barekey_env!` reads the same one. Set by the
/// helper, not by users.
pub const BUILD_MANIFEST: &str = "BAREKEY_TYPEGEN_BUILD_MANIFEST";

/// The raw value of an environment variable, `None` when unset.
pub fn var_os(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

// The settings' variables (`BAREKEY_ORG`, `BAREKEY_PROJECT`, `BAREKEY_STAGE`,
// `BAREKEY_API_URL`, `BAREKEY_ACCESS_TOKEN`, `XDG_CONFIG_HOME`, `HOME`), named where the
// settings are resolved.
pub use barekey_typegen_shared::settings::vars::{
    ACCESS_TOKEN, API_URL, HOME, ORG, PROJECT, STAGE, XDG_CONFIG_HOME,
};

/// `BAREKEY_SAFE_DIRECTORIES`: folders (separated like `PATH`) whose files are trusted even
/// when another user owns them, as git's `safe.directory`; `*` trusts every folder.
pub const SAFE_DIRECTORIES: &str = "BAREKEY_SAFE_DIRECTORIES";

/// `__BAREKEY_TYPEGEN_TEST_SLOW_WRITE`: milliseconds to wait between writing a temporary file
/// and renaming it, so the tests can interrupt a write. Not for users.
#[doc(hidden)]
pub const TEST_SLOW_WRITE: &str = "__BAREKEY_TYPEGEN_TEST_SLOW_WRITE";
