//! Where a manifest comes from: the snapshot layout ([`layout`]), the lookup that finds
//! snapshots in it, and reading them.

pub mod layout;
mod lookup;

pub use lookup::{
    FoundBy, Lookup, Searched, find_snapshots, find_snapshots_in, lookup, merge_snapshots,
    parse_manifest_bytes, project_root, read_manifest, read_stages,
};
