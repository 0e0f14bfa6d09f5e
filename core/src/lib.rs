//! Internal to [barekey-typegen](https://crates.io/crates/barekey-typegen), with **no stable
//! API**: what the `barekey_env!` proc macro runs, which the generator builds on too (the split
//! of sqlx-macros-core). The generator (`barekey-typegen`) re-exports every module here that
//! its documented API names, and pins this crate's exact version, as the macro crate does.
//!
//! It exists so that the proc macro compiles only what it runs: the generator's features
//! (`fetch`, with its HTTP stack) and its code generation (syn's `full`, prettyplease) never
//! reach it, not even where Cargo's resolver 1 unifies a build-dependency's features with a
//! proc macro's. So it has no features, and depends on no HTTP crate.
//!
//! - the manifest: its model, parser and the merge of several stages ([`manifest`]);
//! - where snapshots are and which stage each holds ([`source`], [`source::layout`]);
//! - the errors and warnings of every phase ([`Error`], [`Warning`], [`Front`]);
//! - the TypeScript type grammar of `typeScriptType` ([`ts_type`]) and a switch's arms
//!   ([`arms`]), names and quoting ([`naming`]);
//! - the macro's expansion ([`macro_core`]);
//! - the one reader of the process environment ([`mod@env`]), who may decide what is read
//!   ([`trust`]), paths ([`paths`]), settings ([`settings`]) and the read cap ([`limit`]).

#[doc(hidden)]
pub mod arms;
#[doc(hidden)]
pub mod doc;
pub mod env;
mod error;
pub mod limit;
pub mod macro_core;
pub mod manifest;
pub mod naming;
pub mod paths;
pub mod settings;
pub mod source;
pub mod suggest;
#[doc(hidden)]
pub mod tokens;
pub mod trust;
#[doc(hidden)]
pub mod ts_type;

pub use error::{ApiError, AttributeProblem, Error, Front, Result, SelectionProblem, Warning};
