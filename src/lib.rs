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
//! of production.
//!
//! # The CLI
//!
//! ```text
//! barekey-typegen generate --rust src/barekey_env.rs   # writes only when the content changed
//! barekey-typegen check --rust src/barekey_env.rs      # in CI: exit 1 when stale or missing
//! barekey-typegen generate --ts src/barekey-env.ts     # a self-contained TypeScript module
//! ```
//!
//! # The generated module
//!
//! Include it, then load every variable at once; the error lists every missing and invalid
//! variable, and never shows a private value:
//!
//! ```text
//! mod barekey { include!("barekey_env.rs"); }
//!
//! let env = barekey::BarekeyEnv::from_env()?;
//! let port: i64 = env.port;
//! ```
//!
//! The module names the runtime as `::barekey_typegen_runtime`; a renamed dependency is
//! `codegen::Options::runtime_crate` (`Builder::runtime_crate`, `--runtime-crate`). A build
//! script depends on this crate with `default-features = false`: no argument parser, no HTTP
//! client, and no ICU collation (the feature `sdk`, which `cli` turns on, for
//! `codegen::TsMode::Sdk`).
//!
//! # The library
//!
//! The same pipeline the CLI runs, one call per phase: find and read the snapshot
//! ([`source`], whose [`source::layout`] says which file holds which stage), validate it with
//! every problem reported at once ([`manifest`]), name the fields ([`naming`]), emit the
//! module ([`codegen`]: [`codegen::generate_rust`], and [`codegen::generate_typescript`] for
//! TypeScript), and write or check the outputs ([`pipeline`], which the CLI, the build helper
//! and `--watch` all call).
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
//! The live manifest is fetched by `fetch::fetch_manifest` (feature `fetch`, on by default)
//! for the project and stage that [`settings`] resolves; `watch::watch` fetches it every few
//! seconds and writes the outputs again whenever it changes (`--watch`).
//!
//! # The build script
//!
//! [`build::Builder`] runs the same pipeline from `build.rs`, into `OUT_DIR`, and tells Cargo
//! when to run it again. The `barekey_env!` macro below is a third front-end over
//! the same core.
//!
//! # The `barekey_env!` macro
//!
//! `barekey_typegen_runtime::barekey_env!("PORT")` (feature `macros` of the runtime) checks one
//! variable's name (and, with `"PORT": int64`, its type) against the manifest at compile time
//! and expands to a typed read of the environment variable at run time. Its crate,
//! `barekey-typegen-macros`, is a thin front-end over the internal `barekey-typegen-core`, which
//! this crate builds on too: the macro never compiles this crate, its features or the network.
//!
//! # At run time, from the API
//!
//! The crate `barekey-typegen-client` reads the values from the Barekey API instead (async): a
//! whole `BarekeyEnv` in one request, `BarekeyEnv::from_lookup(client.pull().await?.lookup())?`,
//! and A/B switches with their decision. It makes its requests with the same code as `fetch`
//! here (the internal crate `barekey-typegen-http`), so both retry and report failures alike.
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
