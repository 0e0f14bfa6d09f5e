//! Keeping the committed snapshot in step with the live manifest: what `pull` changed
//! ([`snapshot_change`]), how `check --remote` finds it differs ([`drift`]).

use std::fmt;

use super::diff::{Diff, diff};
use super::model::Manifest;
use super::parse::parse;
use super::snapshot::snapshot_bytes;

/// What writing a fresh snapshot changed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnapshotChange {
    /// The file already held exactly these bytes; it was not touched.
    Unchanged,
    /// There was no snapshot (or none that could be read) before.
    New,
    /// The old file was not a valid manifest.
    ReplacedInvalid,
    /// The old snapshot was valid: what changed, variable by variable ([`Diff::lines`] lists
    /// it).
    Changed(Box<Diff>),
}

impl fmt::Display for SnapshotChange {
    /// `unchanged`, `new snapshot`, `replaced a snapshot that was not valid`, or
    /// `1 added, 0 removed, 2 retyped` (then `, 1 changed kind` and `, 2 other changes` when
    /// there are any; `; no variable changed` when none did).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotChange::Unchanged => f.write_str("unchanged"),
            SnapshotChange::New => f.write_str("new snapshot"),
            SnapshotChange::ReplacedInvalid => {
                f.write_str("replaced a snapshot that was not valid")
            }
            SnapshotChange::Changed(diff) => {
                write!(
                    f,
                    "{} added, {} removed, {} retyped",
                    diff.added.len(),
                    diff.removed.len(),
                    diff.retyped.len()
                )?;
                if !diff.kind_changed.is_empty() {
                    write!(f, ", {} changed kind", diff.kind_changed.len())?;
                }
                match diff.other_changes() {
                    0 => {}
                    1 => f.write_str(", 1 other change")?,
                    other => write!(f, ", {other} other changes")?,
                }
                if !diff.names_a_variable() {
                    f.write_str("; no variable changed")?;
                }
                Ok(())
            }
        }
    }
}

impl SnapshotChange {
    /// What changed, one line per change ([`Diff::lines`]); none unless the old snapshot was
    /// valid and differs.
    pub fn lines(&self) -> Vec<String> {
        match self {
            SnapshotChange::Changed(diff) => diff.lines(),
            _ => Vec::new(),
        }
    }
}

/// What replacing the snapshot `old` (the file's text, `None` when there was none or it could
/// not be read; `origin` names it) with the manifest `new` changes. The caller has written
/// different bytes: [`SnapshotChange::Unchanged`] is its own to say.
pub fn snapshot_change(old: Option<&str>, origin: &str, new: &Manifest) -> SnapshotChange {
    match old.map(|text| parse(text, origin)) {
        None => SnapshotChange::New,
        Some(Err(_)) => SnapshotChange::ReplacedInvalid,
        Some(Ok(old)) => SnapshotChange::Changed(Box::new(diff(&old.manifest, new))),
    }
}

/// How the committed snapshot (`current`, its file's bytes, parsed as `committed`) differs from
/// the live manifest (`live_snapshot`, its snapshot bytes, parsed as `live`): `None` when they
/// are the same snapshot, else what changed ([`Diff::lines`] names each changed variable and
/// what changed in it, or says what else differs).
///
/// The file is compared after formatting it as a snapshot, so a hand-reformatted file with the
/// same content is not drift.
pub fn drift(
    current: &[u8],
    committed: &Manifest,
    live_snapshot: &[u8],
    live: &Manifest,
) -> Option<Diff> {
    let canonical = serde_json::from_slice(current)
        .map(|value| snapshot_bytes(&value))
        .unwrap_or_else(|_| current.to_vec());
    if canonical == live_snapshot {
        return None;
    }
    Some(diff(committed, live))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        parse(text, "test").unwrap().manifest
    }

    #[test]
    fn a_change_says_what_differs_from_the_old_snapshot() {
        let one = r#"{"variables": [{"name": "PORT", "declaredType": "int64"}]}"#;
        let two = r#"{"variables": [{"name": "PORT", "declaredType": "string"},
                                    {"name": "HOST", "kind": "ab_roll"}]}"#;
        let change = |old: Option<&str>| snapshot_change(old, "test", &manifest(two));
        assert_eq!(change(None), SnapshotChange::New);
        assert_eq!(
            change(Some(one)).to_string(),
            "1 added, 0 removed, 1 retyped"
        );
        assert_eq!(change(Some("[]")), SnapshotChange::ReplacedInvalid);
    }

    #[test]
    fn drift_is_none_for_the_same_snapshot_however_it_is_formatted() {
        let text = r#"{"variables": [{"name": "PORT", "declaredType": "int64"}]}"#;
        let live = snapshot_bytes(&serde_json::from_str(text).unwrap());
        let committed = manifest(text);
        assert_eq!(drift(text.as_bytes(), &committed, &live, &committed), None);
        let retyped = text.replace("int64", "string");
        let lines = drift(retyped.as_bytes(), &manifest(&retyped), &live, &committed)
            .unwrap()
            .lines();
        assert_eq!(lines, ["retyped: PORT (string -> int64)"]);
        let public = text.replace("}]", r#", "visibility": "public"}]"#);
        let lines = drift(public.as_bytes(), &manifest(&public), &live, &committed)
            .unwrap()
            .lines();
        assert_eq!(lines, ["visibility changed: PORT (public -> private)"]);
    }
}
