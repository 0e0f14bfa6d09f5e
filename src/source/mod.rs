//! Where a manifest comes from: a snapshot file found by the documented lookup.

mod cache;
mod lookup;

pub use cache::{ManifestCache, Stages};
pub use lookup::{
    Searched, check_found, find_snapshot, find_snapshot_in, find_snapshots, find_snapshots_in,
    parse_manifest_bytes, project_root, read_manifest, read_stages, stage_of_snapshot_file,
};
