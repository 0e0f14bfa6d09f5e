//! The runtime of [barekey-typegen](https://crates.io/crates/barekey-typegen): the one crate
//! an application links, whichever front-end it uses. Generated code (the build helper or the
//! CLI) and `barekey_env!` call it; the generator itself is a build-dependency and a developer
//! tool, never linked (the split of prost / prost-build and cxx / cxx-build).
//!
//! ```toml
//! [dependencies]
//! barekey-typegen-runtime = { version = "0.1", features = ["macros"] }
//! barekey-typegen-client = "0.1"   # only to read the values from the API at run time
//! [build-dependencies]
//! barekey-typegen = { version = "0.1", default-features = false }
//! ```
//!
//! With default features: parsing by declared type, [`LoadError`], [`Timestamp`],
//! [`JsonValue`], [`Arm`], [`Var`] (the generated `BarekeyEnv::CHECKOUT_FLOW` constants, which
//! `barekey-typegen-client` decides per request) and [`GeneratedEnv`], and [`read_env`], the one-variable read `barekey_env!` expands to; it
//! links `serde_json` and nothing else of note, so a crate full of `barekey_env!` calls rebuilds
//! about as fast as one written with `std::env::var`. Features:
//!
//! - `macros`: re-exports the `barekey_env!` macro (`use barekey_typegen_runtime::barekey_env;`);
//! - `decisions`: the service's A/B and rollout decisions computed locally (`bucket`,
//!   `ab_roll_arm`, `rollout_arm`, `rollout_percentage`; adds sha2);
//! - `serde`: serde's `Serialize` and `Deserialize` for [`Timestamp`] (its RFC 3339 text), so
//!   that a generated module given `#[derive(serde::Serialize)]` (`--type-attribute`) compiles
//!   with `date` fields.
//!
//! No feature brings HTTP code: the async HTTP source of the same values is its own crate,
//! `barekey-typegen-client`, whose `Client` reports failures as this crate's [`Error`]. So
//! Cargo's feature unification (a workspace, or resolver 1 across build- and normal
//! dependencies) can never compile reqwest into a crate that only reads its environment.
//!
//! A generated `BarekeyEnv::from_env` builds a [`Loader`], reads each field with
//! [`Loader::read`] (an A/B enum with [`Loader::read_switch`] through [`AbSwitch`], a JSON
//! struct with [`Loader::read_json`] through [`JsonShape`]; a variable only some stages have,
//! an `Option`, with [`Loader::read_optional`], [`Loader::read_optional_switch`] or
//! [`Loader::read_optional_json`]) and ends with [`Loader::finish`], which reports every
//! missing or invalid variable at once. Values are parsed exactly as the Barekey service parses them (see
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

// docs.rs (`--cfg docsrs`, nightly) labels each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod arm;
#[cfg(feature = "decisions")]
mod decision;
mod error;
mod json_shape;
mod load;
#[cfg(feature = "macros")]
mod macros;
mod parse;
mod read;
mod var;

pub use serde_json::Value as JsonValue;

pub use arm::Arm;
pub use barekey_typegen_shared::text;
pub use barekey_typegen_shared::{
    ApiError, DeclaredType, ErrorCode, Kind, Milestone, ParseError, Redacted, RolloutFunction,
    Timestamp, TimestampOutOfRange, Visibility,
};
#[cfg(feature = "decisions")]
pub use decision::{
    DecisionKind, ScheduleError, ab_roll_arm, arm_for_bucket, bucket, rollout_arm,
    rollout_percentage,
};
pub use error::{Error, ErrorKind};
pub use json_shape::{JsonObject, JsonPath, JsonShape, ShapeError, json_field, json_object};
pub use load::{AbSwitch, Found, LoadError, Loader, Problem, ProblemKind};
#[cfg(feature = "macros")]
#[doc(hidden)]
pub use macros::__barekey_env;
pub use parse::DeclaredValue;
pub use read::{
    read_env, read_env_optional, read_env_optional_switch, read_env_switch, read_lookup,
    read_lookup_optional, read_lookup_optional_switch, read_lookup_switch,
};
pub use var::{GeneratedEnv, Var, VarInfo};
