//! The manifest: its model, lenient parsing with validation, the byte-stable snapshot, and
//! keeping that snapshot in step with the live manifest (`pull`, `check --remote`).
//!
//! A manifest is read in one pass that collects every problem before failing, so a broken
//! file is fixed in one round trip rather than one error at a time.

mod diff;
pub mod model;
mod parse;
mod snapshot;
mod stages;
mod update;

pub use diff::{Arms, Change, Diff, JsonType, Stages, diff};
pub use model::{
    DeclaredType, Kind, Manifest, Milestone, RolloutFunction, Stage, Variable, Visibility,
};
pub use parse::{Loaded, Problem, parse, parse_value};
pub use snapshot::snapshot_bytes;
pub use stages::{Merged, StageManifest, TypeConflict, merge_stages};
pub use update::{SnapshotChange, drift, snapshot_change};
