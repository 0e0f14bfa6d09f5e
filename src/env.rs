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
