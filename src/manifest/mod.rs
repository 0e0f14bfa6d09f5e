//! The manifest: its model, lenient parsing with validation, and the byte-stable snapshot.
//!
//! A manifest is read in one pass that collects every problem before failing, so a broken
//! file is fixed in one round trip rather than one error at a time.

mod diff;
pub mod model;
mod parse;
mod snapshot;

pub use diff::{Change, Diff, diff};
pub use model::{DeclaredType, Kind, Manifest, Milestone, RolloutFunction, Variable, Visibility};
pub use parse::{Loaded, Problem, parse, parse_value};
pub use snapshot::snapshot_bytes;

/// The file name of a manifest snapshot.
pub const SNAPSHOT_FILE: &str = "barekey.manifest.json";
