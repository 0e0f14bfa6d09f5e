//! What generated code calls at run time: parsing by declared type, [`LoadError`] and
//! [`Timestamp`]; [`read_env`], the one-variable read `barekey_env!` expands to; and the
//! service's A/B and rollout decisions ([`bucket`], [`ab_roll_arm`], [`rollout_arm`]). With the
//! `client` feature, `Client` reads the same values from the Barekey API instead (async), and
//! its failures are the same [`Error`], with the service's [`ErrorCode`].
//!
//! A generated `BarekeyEnv::from_env` builds a [`Loader`], reads each field with
//! [`Loader::read`] and ends with [`Loader::finish`], which reports every missing or invalid
//! variable at once. Values are parsed exactly as the Barekey service parses them (see
//! [`DeclaredValue`]), and no message or `Debug` output ever shows a private value.
//!
//! ```
//! use std::collections::HashMap;
//! use barekey_typegen::runtime::{Loader, Visibility};
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

#[cfg(feature = "client")]
mod client;
mod decision;
mod error;
mod load;
mod parse;
mod read;
mod timestamp;

pub use serde_json::Value as JsonValue;

pub use crate::manifest::model::{DeclaredType, Kind, Milestone, RolloutFunction, Visibility};
#[cfg(feature = "client")]
pub use client::{Batch, Client, ClientBuilder, Decision, Evaluate, Evaluated, Pulled};
pub use decision::{
    Arm, DecisionKind, ab_roll_arm, arm_for_bucket, bucket, rollout_arm, rollout_percentage,
};
pub use error::{Error, ErrorCode, ErrorKind};
pub use load::{LoadError, Loader, Problem, ProblemKind, Redacted};
pub use parse::{DeclaredValue, ParseError};
pub use read::{read_env, read_lookup};
pub use timestamp::{Timestamp, TimestampOutOfRange};
