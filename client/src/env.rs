//! The one place the client reads the process environment (`Client::from_env`); generated
//! code and `barekey_env!` read variables through the runtime.
#![allow(
    clippy::disallowed_methods,
    reason = "this module is the environment chokepoint"
)]

use std::ffi::OsString;

/// The raw value of an environment variable, `None` when unset.
pub(crate) fn var_os(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}
