//! The runtime of [barekey-typegen](https://crates.io/crates/barekey-typegen): what generated
//! code and `barekey_env!` call at run time. Parsing by declared type, [`LoadError`] and
//! [`Timestamp`]; [`read_env`], the one-variable read `barekey_env!` expands to; and the
//! service's A/B and rollout decisions ([`bucket`], [`ab_roll_arm`], [`rollout_arm`]).
//!
//! `barekey_typegen_runtime` re-exports all of it, so `barekey_typegen_runtime::Error` and
//! [`Error`] are one type. This crate exists on its own so that an application depends on
//! nothing heavier than `serde_json` and `sha2`: a crate using `barekey_env!` beside this one
//! rebuilds about as fast as one written with `std::env::var`, where the whole
//! `barekey-typegen` (code generator included) in its dependency graph would cost it about
//! half as much again on every link.
//!
//! A generated `BarekeyEnv::from_env` builds a [`Loader`], reads each field with
//! [`Loader::read`] and ends with [`Loader::finish`], which reports every missing or invalid
//! variable at once. Values are parsed exactly as the Barekey service parses them (see
//! [`DeclaredValue`]), and no message or `Debug` output ever shows a private value.
//!
//! ```
//! use std::collections::HashMap;
//! use barekey_typegen_runtime::{Loader, Visibility};
//!
//! let vars = HashMap::from([("PORT", "8080"), ("DEBUG", "maybe")]);
//! let lookup = |name: &str| vars.get(name).map(|value| value.to_string());
//! let mut loader = Loader::from_lookup(&lookup);
//! let port: i64 = loader.read("PORT", Visibility::Public);
//! let debug: bool = loader.read("DEBUG", Visibility::Private);
//! let error = loader.finish((port, debug)).unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     "1 Barekey variable could not be loaded:\n  - DEBUG (boolean, private): the value is \
//!      invalid (hidden, the variable is private): expected true, false, 1, 0, yes or no (any case)",
//! );
//! ```

mod decision;
mod error;
mod json;
mod load;
mod model;
mod parse;
mod read;
pub mod text;
mod timestamp;

pub use serde_json::Value as JsonValue;

pub use decision::{
    Arm, DecisionKind, ScheduleError, ab_roll_arm, arm_for_bucket, bucket, rollout_arm,
    rollout_percentage,
};
pub use error::{ApiError, Error, ErrorCode, ErrorKind};
pub use load::{LoadError, Loader, Problem, ProblemKind, Redacted};
pub use model::{DeclaredType, Kind, Milestone, RolloutFunction, Visibility};
pub use parse::{DeclaredValue, ParseError};
pub use read::{read_env, read_lookup};
pub use timestamp::{Timestamp, TimestampOutOfRange};
