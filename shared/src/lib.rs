//! Internal to [barekey-typegen](https://crates.io/crates/barekey-typegen): what its generator
//! (`barekey-typegen`), its runtime (`barekey-typegen-runtime`) and its client
//! (`barekey-typegen-client`) share. Each pins this crate's exact version, and it has **no
//! stable API**: depend on `barekey-typegen-runtime`, which re-exports every item here that an
//! application names.
//!
//! It exists so that neither side depends on the other: the runtime re-exports the
//! `barekey_env!` macro, whose crate depends on the internal `barekey-typegen-core` (as the
//! generator does), so neither may depend on the runtime (serde / serde_derive and sqlx /
//! sqlx-macros-core split the same way).
//!
//! - the words of the manifest: [`Kind`], [`DeclaredType`], [`Visibility`],
//!   [`RolloutFunction`], [`Milestone`];
//! - [`Timestamp`] and [`ParseError`], which the manifest parser needs for rollout milestones;
//! - the API's refusals, [`ApiError`] and [`ErrorCode`], and [`Redacted`];
//! - [`js`]: the JavaScript built-ins the service reads text with, `String.prototype.trim`
//!   and `Number`, for the runtime and the generator to read it alike;
//! - [`value`] and [`json`]: how a variable's text becomes a value of its declared type, and
//!   [`problem`]: the messages of a variable that is missing or invalid; the runtime reads
//!   with them and `barekey-typegen env check` checks an environment with them;
//! - [`text`]: text from outside made safe to show in generated code and on a terminal;
//! - the one cap on what is read from a file or an HTTP reply ([`limit`]);
//! - where a live call's organisation, project, stage and API URL come from ([`settings`]).
//!
//! It has no features and never any HTTP code: the runtime links it, and a feature here would
//! reach every application through Cargo's feature unification (resolver 1, or a workspace).
//! The HTTP implementation is the internal crate `barekey-typegen-http`, which only the client
//! and the generator's `fetch` depend on.

mod api_error;
pub mod js;
pub mod json;
pub mod limit;
mod model;
mod parse_error;
pub mod problem;
pub mod settings;
pub mod shape;
pub mod text;
mod timestamp;
pub mod value;

pub use api_error::{ApiError, ErrorCode, Redacted};
pub use limit::{MAX_READ_BYTES, MAX_READ_SHOWN};
pub use model::{DeclaredType, Kind, Milestone, RolloutFunction, Visibility};
pub use parse_error::ParseError;
pub use timestamp::{Timestamp, TimestampOutOfRange};
