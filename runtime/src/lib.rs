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
//! With default features: parsing by declared type ([`DeclaredValue`]), [`LoadError`] and its
//! [`Problem`]s, [`Timestamp`], [`JsonValue`], [`Arm`], [`Var`] (the generated
//! `BarekeyEnv::CHECKOUT_FLOW` constants, which `barekey-typegen-client` decides per request)
//! and [`GeneratedEnv`]; it links `serde_json` and nothing else of note, so a crate full of
//! `barekey_env!` calls rebuilds about as fast as one written with `std::env::var`. Features:
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
//! What an application writes: the generated module's `BarekeyEnv::from_env()` (or
//! `from_lookup`), whose error lists every missing and invalid variable at once and never a
//! private value, and `barekey_env!("PORT")` for one variable:
//!
//! ```text
//! // The build helper's module, written into OUT_DIR by build.rs:
//! mod barekey { include!(concat!(env!("OUT_DIR"), "/barekey_env.rs")); }
//! // or the CLI's, committed (`barekey-typegen generate --rust src/barekey.rs`):
//! mod barekey;
//!
//! let env = barekey::BarekeyEnv::from_env()?;       // Result<BarekeyEnv, LoadError>
//! let port: i64 = barekey_typegen_runtime::barekey_env!("PORT")?;
//! ```
//!
//! Values are parsed exactly as the Barekey service parses them, which follows JavaScript:
//!
//! ```
//! use barekey_typegen_runtime::{DeclaredValue, Timestamp};
//!
//! assert_eq!(i64::parse_text(" 8080 "), Ok(8080));
//! assert_eq!(bool::parse_text("Yes"), Ok(true));
//! assert_eq!(f64::parse_text("0x1F"), Ok(31.0));
//! let launch = Timestamp::parse_text("2024-02-29T12:00:00+02:00").unwrap();
//! assert_eq!(launch.to_string(), "2024-02-29T10:00:00.000Z");
//! assert!(i64::parse_text("08080").is_err());
//! ```
//!
//! What generated code and the macro's expansions call (the loader, the way each field's type
//! is read, the constructor of the `Var` constants, the JSON-shape and A/B traits, the
//! one-variable reads, the stand-in a private value's `Debug` prints) lives in one module, `__private`: public so that they can reach it,
//! hidden from these docs, not part of the API an application writes against, and exempt from
//! semver beyond what the generator of the same version emits.

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
mod single;
mod var;

pub use serde_json::Value as JsonValue;

pub use arm::Arm;
pub use barekey_typegen_shared::{
    ApiError, DeclaredType, ErrorCode, Kind, Milestone, ParseError, RolloutFunction, Timestamp,
    TimestampOutOfRange, Visibility,
};
#[cfg(feature = "decisions")]
pub use decision::{
    DecisionKind, ScheduleError, ab_roll_arm, arm_for_bucket, bucket, rollout_arm,
    rollout_percentage,
};
pub use error::{Error, ErrorKind};
pub use load::{Found, LoadError, Problem, ProblemKind};
pub use parse::DeclaredValue;
pub use var::{GeneratedEnv, Var, VarInfo};

#[doc(hidden)]
pub mod __private {
    //! What generated modules and `barekey_env!` expansions call, and no application names by
    //! hand (prost's `encoding`, cxx's `private`): public so that generated code can reach it,
    //! hidden from the docs, and exempt from semver beyond what the generator of the same
    //! version emits.
    //!
    //! A generated field is read with one call whatever its type, `loader.read("NAME",
    //! Visibility)`: the field's type says how ([`Read`]). The runtime covers every
    //! [`DeclaredValue`](crate::DeclaredValue), `Vec`s of JSON structs and `Option`s; a
    //! generated module adds one line for each of its A/B enums ([`Switch`]) and for each JSON
    //! struct that is a field's type ([`Json`]). Its constants are built the same way, one call
    //! whatever their type, `var("NAME", Kind, Visibility, module_stages, stages)`: the
    //! constant's declared `Var<T>` says how.

    pub use crate::json_shape::{
        JsonObject, JsonPath, JsonShape, ShapeError, json_field, json_object,
    };
    pub use crate::load::Loader;
    pub use crate::read::{AbSwitch, Json, Optional, Plain, Read, ReadAs, Switch};
    pub use crate::single::{read_env, read_env_switch, read_lookup, read_lookup_switch};
    pub use crate::var::var;
    #[cfg(feature = "macros")]
    pub use barekey_typegen_macros::barekey_env;
    pub use barekey_typegen_shared::Redacted;
}
