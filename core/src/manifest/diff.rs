//! What changed between two manifests, variable by variable: for `pull`'s summary and
//! `check --remote`'s report.

use std::collections::BTreeMap;
use std::fmt;

use barekey_typegen_shared::text::for_terminal;

use super::model::{DeclaredType, Kind, Manifest, Variable};

/// The variables added, removed, retyped or changed in kind from one manifest to another,
/// each list in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diff {
    /// Variables only in the new manifest, with their kind and declared type.
    pub added: Vec<(String, Kind, DeclaredType)>,
    /// Variables only in the old manifest.
    pub removed: Vec<String>,
    /// Variables whose declared type changed.
    pub retyped: Vec<Change<DeclaredType>>,
    /// Variables whose kind changed.
    pub kind_changed: Vec<Change<Kind>>,
}

/// One variable's old and new value of some property.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Change<T> {
    /// The variable's name.
    pub name: String,
    /// Before.
    pub old: T,
    /// After.
    pub new: T,
}

/// Compares two manifests by variable name.
pub fn diff(old: &Manifest, new: &Manifest) -> Diff {
    let by_name = |manifest: &'_ Manifest| -> BTreeMap<String, Variable> {
        manifest
            .variables
            .iter()
            .map(|variable| (variable.name.clone(), variable.clone()))
            .collect()
    };
    let (old, new) = (by_name(old), by_name(new));
    let mut diff = Diff::default();
    for (name, variable) in &new {
        let Some(before) = old.get(name) else {
            diff.added
                .push((name.clone(), variable.kind, variable.declared_type));
            continue;
        };
        if before.declared_type != variable.declared_type {
            diff.retyped
                .push(change(name, before.declared_type, variable.declared_type));
        }
        if before.kind != variable.kind {
            diff.kind_changed
                .push(change(name, before.kind, variable.kind));
        }
    }
    diff.removed = old
        .keys()
        .filter(|name| !new.contains_key(*name))
        .cloned()
        .collect();
    diff
}

fn change<T>(name: &str, old: T, new: T) -> Change<T> {
    Change {
        name: name.to_owned(),
        old,
        new,
    }
}

impl Diff {
    /// Whether no variable was added, removed, retyped or changed in kind.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.retyped.is_empty()
            && self.kind_changed.is_empty()
    }

    /// One line per change: `added: NAME (kind, type)`, `removed: NAME`,
    /// `retyped: NAME (old -> new)`, `kind changed: NAME (old -> new)`. Names are shown through
    /// [`for_terminal`]: controls escaped, long names cut short.
    pub fn lines(&self) -> Vec<String> {
        let added = self
            .added
            .iter()
            .map(|(name, kind, ty)| format!("added: {} ({kind}, {ty})", for_terminal(name)));
        let removed = self
            .removed
            .iter()
            .map(|name| format!("removed: {}", for_terminal(name)));
        let retyped = self
            .retyped
            .iter()
            .map(|change| format!("retyped: {change}"));
        let kinds = self
            .kind_changed
            .iter()
            .map(|change| format!("kind changed: {change}"));
        added.chain(removed).chain(retyped).chain(kinds).collect()
    }
}

impl<T: fmt::Display> fmt::Display for Change<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} -> {})",
            for_terminal(&self.name),
            self.old,
            self.new
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse;

    fn manifest(variables: &str) -> Manifest {
        parse(&format!(r#"{{"variables": [{variables}]}}"#), "test")
            .unwrap()
            .manifest
    }

    #[test]
    fn lists_added_removed_retyped_and_kind_changes_in_name_order() {
        let old = manifest(
            r#"{"name": "GONE"}, {"name": "PORT", "declaredType": "string"},
               {"name": "FLOW", "kind": "secret"}, {"name": "SAME"}"#,
        );
        let new = manifest(
            r#"{"name": "SAME"}, {"name": "PORT", "declaredType": "int64"},
               {"name": "FLOW", "kind": "ab_roll"}, {"name": "NEW", "declaredType": "date"}"#,
        );
        let diff = diff(&old, &new);
        assert_eq!(
            diff.lines(),
            [
                "added: NEW (secret, date)",
                "removed: GONE",
                "retyped: PORT (string -> int64)",
                "kind changed: FLOW (secret -> ab_roll)",
            ]
        );
        assert!(!diff.is_empty());
        assert!(super::diff(&new, &new).is_empty());
    }
}
