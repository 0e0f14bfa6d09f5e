//! Typed Rust and TypeScript accessors for [Barekey](https://barekey.dev) variables, checked at build time.
//!
//! This crate is the generator: a build-dependency and a developer tool, never linked into an
//! application. What an application links is `barekey-typegen-runtime`, whichever front-end
//! it uses (the split of prost / prost-build):
//!
//! ```toml
//! [dependencies]
//! barekey-typegen-runtime = { version = "0.1", features = ["macros"] }
//! barekey-typegen-client = "0.1"   # only to read the values from the API at run time
//! [build-dependencies]
//! barekey-typegen = { version = "0.1", default-features = false }
//! ```
//!
//! Barekey describes every variable of a stage (its kind and declared type, never its value)
//! in a manifest. This crate keeps that manifest as a committed snapshot,
//! `barekey.manifest.json`, and turns it into a Rust module whose `BarekeyEnv` struct has one
//! typed field per variable, so a renamed, removed or retyped variable breaks the build instead
//! of production. It serves three front-ends, one example each below.
//!
//! # The build script
//!
//! [`build::Builder`] generates the module into `OUT_DIR` and tells Cargo when to run again
//! (the snapshot, `barekey.json` or a non-secret `BAREKEY_*` setting changed):
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     if let Err(error) = barekey_typegen::build::Builder::new().generate() {
//!         eprintln!("{error:?}"); // the message and its causes, with no panic around them
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! ```text
//! // src/main.rs
//! mod barekey { include!(concat!(env!("OUT_DIR"), "/barekey_env.rs")); }
//!
//! let env = barekey::BarekeyEnv::from_env()?; // every missing or invalid variable at once
//! let port: i64 = env.port;
//! ```
//!
//! # The CLI
//!
//! The binary (feature `cli`, `cargo install barekey-typegen`) writes the same module into the
//! source tree, where it is committed and checked in CI, and the TypeScript module:
//!
//! ```text
//! barekey-typegen pull                                 # the live manifest into the snapshot
//! barekey-typegen generate --rust src/barekey_env.rs   # writes only when the content changed
//! barekey-typegen check --rust src/barekey_env.rs      # in CI: exit 1 when stale or missing
//! barekey-typegen generate --ts src/barekey-env.ts     # a self-contained TypeScript module
//! ```
//!
//! # The library
//!
//! The pipeline both run, one call per phase: find and read the snapshot ([`source`], whose
//! [`source::layout`] says which file holds which stage), validate it with every problem
//! reported at once ([`manifest`]), name the fields ([`naming`]), emit the module
//! ([`codegen`]), and write or check the outputs ([`pipeline`]):
//!
//! ```
//! use barekey_typegen::{codegen, manifest};
//!
//! let text = r#"{
//!     "projectSlug": "web-1234", "stageSlug": "production", "manifestVersion": "v1",
//!     "variables": [
//!         {"name": "PORT", "kind": "secret", "declaredType": "int64", "visibility": "public"},
//!         {"name": "type", "kind": "secret", "declaredType": "string"}
//!     ]
//! }"#;
//! let loaded = manifest::parse(text, "barekey.manifest.json")?;
//! let module = codegen::generate_rust(&loaded.manifest, &codegen::Options::default(), "barekey.manifest.json")?;
//! assert!(module.text.contains("pub port: i64,"));
//! assert!(module.text.contains("pub r#type: ::std::string::String,"));
//! # Ok::<(), barekey_typegen::Error>(())
//! ```
//!
//! The module names the runtime as `::barekey_typegen_runtime`; a renamed dependency is
//! [`codegen::Options::runtime_crate`] ([`build::Builder::runtime_crate`],
//! `--runtime-crate`). A build script depends on this crate with `default-features = false`:
//! no argument parser, no HTTP client, and no ICU collation (the feature `sdk`, which `cli`
//! turns on, for `codegen::TsMode::Sdk`).
//!
//! # Elsewhere
//!
//! - `barekey_env!("PORT")`, the third front-end, is the runtime's (feature `macros`): one
//!   variable checked against the snapshot at compile time. Its proc macro builds on the
//!   internal `barekey-typegen-core`, as this crate does, and never compiles this crate.
//! - `barekey-typegen-client` reads the values from the Barekey API at run time (async): a
//!   whole `BarekeyEnv`, and A/B switches decided per request, typed by the generated module.
//!
//! # Stability
//!
//! What these docs show is the API, under semver: the three front-ends' surface ([`build`],
//! [`codegen`], [`pipeline`], [`manifest`], [`source`], [`settings`], [`environment`]) and
//! the errors. The modules hidden from them (`fetch`, `remote`, `stop`, `watch`, `write`, `env`,
//! `limit`, `trust`, `macro_core`) are public only so that the `barekey-typegen` binary and the
//! `barekey_env!` macro can use them: they are exempt from semver and may change in any
//! release.

// docs.rs (`--cfg docsrs`, nightly) labels each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The front page's example is a whole `build.rs`: its `fn main` is what the user writes.
#![allow(clippy::needless_doctest_main)]

pub mod build;
pub mod codegen;
pub mod environment;
#[cfg(feature = "fetch")]
#[doc(hidden)]
pub mod fetch;
pub mod pipeline;
#[cfg(feature = "fetch")]
#[doc(hidden)]
pub mod remote;
#[cfg(feature = "fetch")]
#[doc(hidden)]
pub mod stop;
#[cfg(feature = "fetch")]
#[doc(hidden)]
pub mod watch;
#[doc(hidden)]
pub mod write;

// The model, the snapshot layout and the errors live in the internal crate the proc macro
// depends on alone (`barekey-typegen-core`): re-exported at the paths they always had.
#[doc(hidden)]
pub use barekey_typegen_core::macro_core;
use barekey_typegen_core::suggest;
pub use barekey_typegen_core::{
    ApiError, Error, Front, Result, Warning, manifest, naming, settings, source,
};
#[doc(hidden)]
pub use barekey_typegen_core::{env, limit, trust};
