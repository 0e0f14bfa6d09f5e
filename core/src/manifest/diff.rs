//! What changed between two manifests, variable by variable: for `pull`'s summary,
//! `check --remote`'s report and a watch's line. Every report names each changed variable and
//! what changed in it, before and after: declared type, kind, A/B arms, JSON type, visibility,
//! stages. The arms of a private switch are values of a private variable: a change to them is
//! named (which arm), never shown.

use std::collections::BTreeMap;
use std::fmt;

use barekey_typegen_shared::text::for_terminal;

use super::model::{DeclaredType, Kind, Manifest, Variable, Visibility};

/// The variables added, removed or changed from one manifest to another, each list in name
/// order, and what else differs when no variable did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diff {
    /// Variables only in the new manifest, with their kind and declared type.
    pub added: Vec<(String, Kind, DeclaredType)>,
    /// Variables only in the old manifest, with their kind and declared type there.
    pub removed: Vec<(String, Kind, DeclaredType)>,
    /// Variables whose declared type changed.
    pub retyped: Vec<Change<DeclaredType>>,
    /// Variables whose kind changed.
    pub kind_changed: Vec<Change<Kind>>,
    /// A/B switches and rollouts (before and after) whose arms changed.
    pub arms_changed: Vec<Change<Arms>>,
    /// json variables whose `typeScriptType` (the shape generated code reads) changed;
    /// `None` for none.
    pub json_type_changed: Vec<Change<JsonType>>,
    /// Variables whose visibility changed.
    pub visibility_changed: Vec<Change<Visibility>>,
    /// In manifests merged from several stages: variables whose stages changed.
    pub stages_changed: Vec<Change<Stages>>,
    /// What else differs, for a reader, when nothing above does: `the manifestVersion`,
    /// `the update time of 2 variables`, `the rollout schedule of NAME`, ...
    pub other: Vec<String>,
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

/// The two arms of an A/B switch or a rollout, as their TypeScript literal types
/// (`"control"`, `42n`, `true`). Its `Display` never shows a private switch's arms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Arms {
    /// Arm A's literal type (`valueATypeScriptType`), if the manifest has it.
    pub a: Option<String>,
    /// Arm B's literal type (`valueBTypeScriptType`), if the manifest has it.
    pub b: Option<String>,
    /// Whether the switch is private (before or after the change): its arms are values of a
    /// private variable, never shown.
    pub private: bool,
}

/// A json variable's `typeScriptType`, `None` when the manifest has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonType(pub Option<String>);

/// The stages that have a variable, in a manifest merged from several; empty for every stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stages(pub Vec<String>);

/// Compares two manifests by variable name.
pub fn diff(old: &Manifest, new: &Manifest) -> Diff {
    let by_name = |manifest: &'_ Manifest| -> BTreeMap<String, Variable> {
        manifest
            .variables
            .iter()
            .map(|variable| (variable.name.clone(), variable.clone()))
            .collect()
    };
    let (old_by_name, new_by_name) = (by_name(old), by_name(new));
    let mut diff = Diff::default();
    let mut other = Other::default();
    for (name, variable) in &new_by_name {
        let Some(before) = old_by_name.get(name) else {
            diff.added
                .push((name.clone(), variable.kind, variable.declared_type));
            continue;
        };
        diff.compare(name, before, variable);
        other.compare(name, before, variable);
    }
    diff.removed = old_by_name
        .iter()
        .filter(|(name, _)| !new_by_name.contains_key(*name))
        .map(|(name, variable)| (name.clone(), variable.kind, variable.declared_type))
        .collect();
    if !diff.names_a_variable() {
        diff.other = other.described(old, new);
    }
    diff
}

impl Diff {
    /// Records what changed in the variable `name`, `before` and `after`.
    fn compare(&mut self, name: &str, before: &Variable, after: &Variable) {
        if before.declared_type != after.declared_type {
            self.retyped
                .push(change(name, before.declared_type, after.declared_type));
        }
        if before.kind != after.kind {
            self.kind_changed
                .push(change(name, before.kind, after.kind));
        }
        let switch = |variable: &Variable| variable.kind != Kind::Secret;
        let private =
            before.visibility == Visibility::Private || after.visibility == Visibility::Private;
        let arms = |variable: &Variable| Arms {
            a: variable.value_a_type_script_type.clone(),
            b: variable.value_b_type_script_type.clone(),
            private,
        };
        if switch(before) && switch(after) && arms(before) != arms(after) {
            self.arms_changed
                .push(change(name, arms(before), arms(after)));
        }
        let json = |variable: &Variable| variable.declared_type == DeclaredType::Json;
        if json(before) && json(after) && before.type_script_type != after.type_script_type {
            self.json_type_changed.push(change(
                name,
                JsonType(before.type_script_type.clone()),
                JsonType(after.type_script_type.clone()),
            ));
        }
        if before.visibility != after.visibility {
            self.visibility_changed
                .push(change(name, before.visibility, after.visibility));
        }
        if before.only_in != after.only_in {
            self.stages_changed.push(change(
                name,
                Stages(before.only_in.clone()),
                Stages(after.only_in.clone()),
            ));
        }
    }

    /// Whether any variable was added, removed or changed in a way generated code sees.
    pub fn names_a_variable(&self) -> bool {
        !(self.added.is_empty()
            && self.removed.is_empty()
            && self.retyped.is_empty()
            && self.kind_changed.is_empty()
            && self.arms_changed.is_empty()
            && self.json_type_changed.is_empty()
            && self.visibility_changed.is_empty()
            && self.stages_changed.is_empty())
    }

    /// Whether nothing differs at all.
    pub fn is_empty(&self) -> bool {
        !self.names_a_variable() && self.other.is_empty()
    }

    /// How many changes of a variable are not an addition, a removal, a new declared type or
    /// a new kind (arms, JSON type, visibility, stages).
    pub fn other_changes(&self) -> usize {
        self.arms_changed.len()
            + self.json_type_changed.len()
            + self.visibility_changed.len()
            + self.stages_changed.len()
    }

    /// One line per change, in this order, each list by name: `added: NAME (kind, type)`,
    /// `removed: NAME (kind, type)`, `retyped: NAME (old -> new)`, `kind changed: NAME (old ->
    /// new)`, `arms changed: NAME ("a" | "b" -> "a" | "c")` (for a private switch, which arm
    /// changed, not its value), `JSON type changed: NAME (old -> new)`, `visibility changed:
    /// NAME (old -> new)`, `stages changed: NAME (old -> new)`; when no variable changed, one
    /// line saying what else differs. Names and manifest text are shown through
    /// [`for_terminal`]: controls escaped, long text cut short.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, kind, ty) in &self.added {
            lines.push(format!("added: {} ({kind}, {ty})", for_terminal(name)));
        }
        for (name, kind, ty) in &self.removed {
            lines.push(format!("removed: {} ({kind}, {ty})", for_terminal(name)));
        }
        let mut push = |what: &str, changes: Vec<String>| {
            lines.extend(
                changes
                    .into_iter()
                    .map(|change| format!("{what}: {change}")),
            );
        };
        push("retyped", shown(&self.retyped));
        push("kind changed", shown(&self.kind_changed));
        push("arms changed", shown(&self.arms_changed));
        push("JSON type changed", shown(&self.json_type_changed));
        push("visibility changed", shown(&self.visibility_changed));
        push("stages changed", shown(&self.stages_changed));
        if !self.names_a_variable() {
            lines.push(self.other_line());
        }
        lines
    }

    /// The line for a diff that names no variable.
    fn other_line(&self) -> String {
        let what = match self.other.as_slice() {
            [] => "only fields this tool does not read, or their order, differ".to_owned(),
            [one] => format!("only {one} differs"),
            [several @ .., last] => format!("only {} and {last} differ", several.join(", ")),
        };
        format!(
            "no variable was added, removed or changed in type, kind, arms, visibility or \
             stages; {what}"
        )
    }
}

fn shown<T>(changes: &[Change<T>]) -> Vec<String>
where
    Change<T>: fmt::Display,
{
    changes.iter().map(ToString::to_string).collect()
}

fn change<T>(name: &str, old: T, new: T) -> Change<T> {
    Change {
        name: name.to_owned(),
        old,
        new,
    }
}

impl<T: fmt::Display> fmt::Display for Change<T> {
    /// `NAME (old -> new)`.
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

impl fmt::Display for Change<Arms> {
    /// `NAME ("a" | "b" -> "a" | "c")`, or for a private switch `NAME (arm B; the arms of a
    /// private switch are not shown)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = for_terminal(&self.name);
        if self.old.private || self.new.private {
            return write!(
                f,
                "{name} ({}; the arms of a private switch are not shown)",
                self.which()
            );
        }
        let shown = |arms: &Arms| arms.shown().unwrap_or_default();
        write!(f, "{name} ({} -> {})", shown(&self.old), shown(&self.new))
    }
}

impl Change<Arms> {
    /// Which arms changed: `arm A`, `arm B` or `arms A and B`.
    pub fn which(&self) -> &'static str {
        match (self.old.a != self.new.a, self.old.b != self.new.b) {
            (true, false) => "arm A",
            (false, true) => "arm B",
            _ => "arms A and B",
        }
    }
}

impl Arms {
    /// `"control" | "treatment"` (`?` for an arm the manifest lacks); `None` for a private
    /// switch, whose arms are never shown.
    pub fn shown(&self) -> Option<String> {
        if self.private {
            return None;
        }
        let arm = |arm: &Option<String>| match arm {
            Some(text) => for_terminal(text).into_owned(),
            None => "?".to_owned(),
        };
        Some(format!("{} | {}", arm(&self.a), arm(&self.b)))
    }
}

impl fmt::Display for JsonType {
    /// The type, or `(none)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(ty) => f.write_str(&for_terminal(ty)),
            None => f.write_str("(none)"),
        }
    }
}

impl fmt::Display for Stages {
    /// `production, staging`, or `every stage`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("every stage");
        }
        let shown: Vec<_> = self.0.iter().map(|stage| for_terminal(stage)).collect();
        f.write_str(&shown.join(", "))
    }
}

/// The details of variables that generated code does not use, counted while diffing.
#[derive(Default)]
struct Other {
    updated: usize,
    schedules: Vec<String>,
    other: usize,
}

impl Other {
    fn compare(&mut self, name: &str, before: &Variable, after: &Variable) {
        if before.updated_at_ms != after.updated_at_ms {
            self.updated += 1;
        }
        if before.rollout_function != after.rollout_function
            || before.rollout_milestones != after.rollout_milestones
            || before.chance != after.chance
        {
            self.schedules.push(for_terminal(name).into_owned());
        }
        if before.required != after.required || before.type_script_type != after.type_script_type {
            self.other += 1;
        }
    }

    /// What differs, for a reader.
    fn described(self, old: &Manifest, new: &Manifest) -> Vec<String> {
        let mut described = Vec::new();
        if old.manifest_version != new.manifest_version {
            described.push("the manifestVersion".to_owned());
        }
        let header = |m: &Manifest| {
            (
                m.org_id.clone(),
                m.org_slug.clone(),
                m.project_slug.clone(),
                m.stage_slug.clone(),
            )
        };
        if header(old) != header(new) {
            described.push("the organisation, project or stage fields".to_owned());
        }
        let plural = |count: usize| if count == 1 { "" } else { "s" };
        if self.updated > 0 {
            described.push(format!(
                "the update time of {} variable{}",
                self.updated,
                plural(self.updated)
            ));
        }
        if !self.schedules.is_empty() {
            described.push(format!(
                "the rollout schedule or chance of {}",
                self.schedules.join(", ")
            ));
        }
        if self.other > 0 {
            described.push(format!(
                "the inferred TypeScript type or `required` of {} variable{}",
                self.other,
                plural(self.other)
            ));
        }
        described
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
                "removed: GONE (secret, string)",
                "retyped: PORT (string -> int64)",
                "kind changed: FLOW (secret -> ab_roll)",
            ]
        );
        assert!(!diff.is_empty());
        assert!(super::diff(&new, &new).is_empty());
    }

    fn switch(visibility: &str, b: &str) -> String {
        format!(
            r#"{{"name": "CHECKOUT_FLOW", "kind": "ab_roll", "declaredType": "string",
                "visibility": "{visibility}", "typeScriptType": "\"control\" | \"{b}\"",
                "valueATypeScriptType": "\"control\"", "valueBTypeScriptType": "\"{b}\""}}"#
        )
    }

    #[test]
    fn a_renamed_arm_names_the_switch_and_shows_public_arms_only() {
        let old = manifest(&switch("public", "one_page"));
        let new = manifest(&switch("public", "express"));
        assert_eq!(
            diff(&old, &new).lines(),
            [r#"arms changed: CHECKOUT_FLOW ("control" | "one_page" -> "control" | "express")"#]
        );
        let old = manifest(&switch("private", "one_page"));
        let new = manifest(&switch("private", "express"));
        let lines = diff(&old, &new).lines();
        assert_eq!(
            lines,
            ["arms changed: CHECKOUT_FLOW (arm B; the arms of a private switch are not shown)"]
        );
        assert!(!lines[0].contains("express") && !lines[0].contains("one_page"));
    }

    #[test]
    fn visibility_json_type_and_stages_are_named_with_before_and_after() {
        let old = manifest(
            r#"{"name": "THEME", "declaredType": "json", "typeScriptType": "{ a: string; }"},
               {"name": "URL", "visibility": "private"}"#,
        );
        let new = manifest(
            r#"{"name": "THEME", "declaredType": "json", "typeScriptType": "{ a: number; }"},
               {"name": "URL", "visibility": "public"}"#,
        );
        assert_eq!(
            diff(&old, &new).lines(),
            [
                "JSON type changed: THEME ({ a: string; } -> { a: number; })",
                "visibility changed: URL (private -> public)",
            ]
        );
        let mut staged = new.clone();
        staged.variables[1].only_in = vec!["staging".to_owned()];
        assert_eq!(
            diff(&new, &staged).lines(),
            ["stages changed: URL (every stage -> staging)"]
        );
    }

    #[test]
    fn a_diff_naming_no_variable_says_what_else_differs() {
        let old = manifest(r#"{"name": "A", "updatedAtMs": 1}"#);
        let mut new = manifest(r#"{"name": "A", "updatedAtMs": 2}"#);
        new.manifest_version = Some("v2".to_owned());
        assert_eq!(
            diff(&old, &new).lines(),
            [
                "no variable was added, removed or changed in type, kind, arms, visibility or \
                 stages; only the manifestVersion and the update time of 1 variable differ"
            ]
        );
    }
}
