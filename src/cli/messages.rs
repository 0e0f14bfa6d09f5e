//! `--message-format json`: the objects printed on stdout, one per line, after cargo's
//! convention. Every object has `reason` (what it reports) and `version` (of this shape,
//! [`VERSION`]); `message` is the line a person reads. The shape is documented in
//! `docs/message-format.md` and pinned by `tests/testsuite/cli.rs`; a change to an existing field
//! is a new version, a new field or reason is not.
//!
//! Text from the manifest or the service (names, arms, types) is passed as it is: JSON
//! escapes whatever a string holds, and a consumer never reads it from a terminal. A private
//! switch's arms are never in any object.

use std::path::Path;

use barekey_typegen::manifest::Diff;
use barekey_typegen::pipeline::{Drift, DriftKind, Outcome};
use barekey_typegen::write::Written;
use serde_json::{Value, json};

/// The version of the objects' shape.
pub(crate) const VERSION: u32 = 1;

/// `{"reason": reason, "version": VERSION, ...fields}`.
fn object(reason: &str, fields: Value) -> Value {
    let mut object = json!({"reason": reason, "version": VERSION});
    if let (Some(object), Value::Object(fields)) = (object.as_object_mut(), fields) {
        object.extend(fields);
    }
    object
}

fn path(path: &Path) -> String {
    path.display().to_string()
}

/// `file-written`: a file created, updated, or left alone because its content was the same.
pub(crate) fn file_written(outcome: &Outcome) -> Value {
    let status = match outcome.written {
        Written::Created => "created",
        Written::Updated => "updated",
        _ => "unchanged",
    };
    object(
        "file-written",
        json!({"path": path(&outcome.path), "status": status, "message": outcome.to_string()}),
    )
}

/// `file-fresh`: `check` found a file holding exactly its fresh generation.
pub(crate) fn file_fresh(file: &Path) -> Value {
    object(
        "file-fresh",
        json!({"path": path(file), "message": format!("{} is up to date", file.display())}),
    )
}

/// `drift-found`: `check` found a file missing or stale, with the first differing line (when
/// there is one) and the command that regenerates it.
pub(crate) fn drift_found(drift: &Drift) -> Value {
    let (kind, line) = match drift.kind {
        DriftKind::Missing => ("missing", None),
        DriftKind::LineEndings => ("line-endings", None),
        DriftKind::AtLine(line) => ("stale", Some(line)),
        DriftKind::OtherTsMode { .. } => ("other-ts-mode", None),
        _ => ("stale", None),
    };
    object(
        "drift-found",
        json!({
            "path": path(&drift.path), "kind": kind, "line": line, "fix": drift.fix,
            "message": drift.to_string(),
        }),
    )
}

/// Where a manifest diff was found: the snapshot (`pull`, `check --remote`) or the live
/// manifest a watch follows, and the stage (`project/stage`).
pub(crate) struct Scope<'a> {
    pub(crate) snapshot: Option<&'a Path>,
    pub(crate) stage: &'a str,
}

impl Scope<'_> {
    fn fields(&self) -> serde_json::Map<String, Value> {
        let mut fields = serde_json::Map::new();
        fields.insert(
            "snapshot".to_owned(),
            self.snapshot.map(path).map_or(Value::Null, Value::String),
        );
        fields.insert("stage".to_owned(), Value::String(self.stage.to_owned()));
        fields
    }
}

/// `snapshot-checked`: `check --remote` compared a snapshot with its stage's live manifest;
/// `fix` is the command that updates it when it differs.
pub(crate) fn snapshot_checked(scope: &Scope<'_>, diff: Option<&Diff>, fix: Option<&str>) -> Value {
    let mut fields = scope.fields();
    let snapshot = scope.snapshot.map(path).unwrap_or_default();
    let (status, message) = match diff {
        None => (
            "fresh",
            format!("{snapshot} matches the live manifest of {}", scope.stage),
        ),
        Some(_) => (
            "drift",
            format!(
                "{snapshot} differs from the live manifest of {}",
                scope.stage
            ),
        ),
    };
    fields.insert("status".to_owned(), json!(status));
    fields.insert("fix".to_owned(), json!(fix));
    fields.insert("message".to_owned(), json!(message));
    object("snapshot-checked", Value::Object(fields))
}

/// One object per change of `diff`, old (the snapshot, or the manifest before) to new (the
/// live manifest, or after): `variable-added` and `variable-removed` with the kind and declared
/// type, `variable-changed` with `what` (`declared-type`, `kind`, `arms`, `json-type`,
/// `visibility`, `stages`), `old` and `new`; and `manifest-details-changed` when no variable
/// changed.
pub(crate) fn variable_changes(scope: &Scope<'_>, diff: &Diff) -> Vec<Value> {
    let mut objects = Vec::new();
    let lines = diff.lines();
    let mut lines = lines.iter();
    let mut next_line = || lines.next().cloned().unwrap_or_default();
    let with = |extra: Value, message: String| {
        let mut fields = scope.fields();
        if let Value::Object(extra) = extra {
            fields.extend(extra);
        }
        fields.insert("message".to_owned(), Value::String(message));
        Value::Object(fields)
    };
    for (name, kind, ty) in &diff.added {
        let fields = json!({"name": name, "kind": kind.as_str(), "declared_type": ty.as_str()});
        objects.push(object("variable-added", with(fields, next_line())));
    }
    for (name, kind, ty) in &diff.removed {
        let fields = json!({"name": name, "kind": kind.as_str(), "declared_type": ty.as_str()});
        objects.push(object("variable-removed", with(fields, next_line())));
    }
    let mut changed = |what: &str, name: &str, old: Value, new: Value, extra: Value| {
        let mut fields = json!({"name": name, "what": what, "old": old, "new": new});
        if let (Some(fields), Value::Object(extra)) = (fields.as_object_mut(), extra) {
            fields.extend(extra);
        }
        objects.push(object("variable-changed", with(fields, next_line())));
    };
    for change in &diff.retyped {
        let (old, new) = (json!(change.old.as_str()), json!(change.new.as_str()));
        changed("declared-type", &change.name, old, new, json!({}));
    }
    for change in &diff.kind_changed {
        let (old, new) = (json!(change.old.as_str()), json!(change.new.as_str()));
        changed("kind", &change.name, old, new, json!({}));
    }
    for change in &diff.arms_changed {
        // A private switch's arms are values of a private variable: which arm, never what.
        let arms = |arms: &barekey_typegen::manifest::Arms| match arms.private {
            true => Value::Null,
            false => json!({"a": arms.a, "b": arms.b}),
        };
        let extra =
            json!({"arms": change.which(), "private": change.old.private || change.new.private});
        changed(
            "arms",
            &change.name,
            arms(&change.old),
            arms(&change.new),
            extra,
        );
    }
    for change in &diff.json_type_changed {
        changed(
            "json-type",
            &change.name,
            json!(change.old.0),
            json!(change.new.0),
            json!({}),
        );
    }
    for change in &diff.visibility_changed {
        let (old, new) = (json!(change.old.as_str()), json!(change.new.as_str()));
        changed("visibility", &change.name, old, new, json!({}));
    }
    for change in &diff.stages_changed {
        let stages = |stages: &barekey_typegen::manifest::Stages| json!(stages.0);
        changed(
            "stages",
            &change.name,
            stages(&change.old),
            stages(&change.new),
            json!({}),
        );
    }
    if !diff.names_a_variable() {
        let fields = json!({"details": diff.other});
        objects.push(object(
            "manifest-details-changed",
            with(fields, next_line()),
        ));
    }
    objects
}

/// `warning`: a warning, as the line stderr shows.
pub(crate) fn warning(text: &str) -> Value {
    object("warning", json!({"message": text}))
}

/// `error`: the failure that ends the command (exit status 1), with its causes.
pub(crate) fn error(text: &str) -> Value {
    object("error", json!({"message": text}))
}

/// `watch-outage` / `watch-recovered`: a watch lost the live manifest (and goes on), or has it
/// again.
pub(crate) fn watch_status(reason: &str, text: &str) -> Value {
    object(reason, json!({"message": text}))
}

/// `finished`: the last object of a run, with its exit status.
pub(crate) fn finished(code: u8) -> Value {
    object("finished", json!({"success": code == 0, "exit_code": code}))
}
