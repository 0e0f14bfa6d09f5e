//! Whether an environment satisfies a manifest (`barekey-typegen env check`): every variable
//! the generated code requires is set, and each one set parses as the runtime parses it, with
//! the runtime's own rules and messages (the shared crate's `value`, `shape` and `problem`):
//! the declared type, an A/B enum's two arms, a json struct's shape. A private variable's
//! value is dropped where its problem is made, so no message shows it.

use std::ffi::OsString;

use barekey_typegen_shared::json::drop_iteratively;
use barekey_typegen_shared::problem::{LoadError, Problem, ProblemKind};
use barekey_typegen_shared::shape::{JsonPath, ShapeError};
use barekey_typegen_shared::{ParseError, value};
use serde_json::Value as JsonValue;

use crate::codegen::arms::Arms;
use crate::codegen::shape::{Shape, Structs};
use crate::manifest::{DeclaredType, Manifest, Variable, Visibility};

/// Checks every variable of `manifest` against the environment `lookup` reads (the text of a
/// variable, `None` when unset), as the generated `BarekeyEnv::from_env` reads it: a variable
/// that is not required (only some stages have it) may be unset. Returns how many variables
/// were checked.
///
/// ```
/// use barekey_typegen::{environment, manifest};
///
/// let text = r#"{"variables": [{"name": "PORT", "declaredType": "int64", "visibility": "public"},
///                              {"name": "TOKEN", "declaredType": "string"}]}"#;
/// let manifest = manifest::parse(text, "m")?.manifest;
/// let error = environment::check(&manifest, &|name| (name == "PORT").then(|| "80a".into()))
///     .unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "2 Barekey variables could not be loaded:\n  \
///      - PORT (int64, public): \"80a\" is invalid: expected an integer with no leading zeros, \
///      like 8080 or -1\n  \
///      - TOKEN (string, private): not set; set the environment variable TOKEN"
/// );
/// # Ok::<(), barekey_typegen::Error>(())
/// ```
///
/// # Errors
///
/// A [`LoadError`] listing every missing and every invalid variable, in name order.
pub fn check(
    manifest: &Manifest,
    lookup: &dyn Fn(&str) -> Option<OsString>,
) -> Result<usize, LoadError> {
    let problems: Vec<Problem> = manifest
        .variables
        .iter()
        .filter_map(|variable| problem(variable, lookup))
        .collect();
    if problems.is_empty() {
        Ok(manifest.variables.len())
    } else {
        Err(LoadError::new(problems))
    }
}

/// What is wrong with `variable` in the environment, if anything.
fn problem(variable: &Variable, lookup: &dyn Fn(&str) -> Option<OsString>) -> Option<Problem> {
    let (name, visibility) = (variable.name.as_str(), variable.visibility);
    let kind = match lookup(name).map(OsString::into_string) {
        None if variable.required => ProblemKind::Missing,
        None => return None,
        // Not text to show, public or not.
        Some(Err(_)) => ProblemKind::Invalid {
            reason: ParseError::NotUnicode,
            value: None,
        },
        Some(Ok(text)) => kind(variable, text)?,
    };
    Some(Problem::new(name, variable.declared_type, visibility, kind))
}

/// What is wrong with `text` as the value of `variable`, if anything.
fn kind(variable: &Variable, text: String) -> Option<ProblemKind> {
    let visibility = variable.visibility;
    if let Some(arms) = Arms::of(variable) {
        return not_an_arm(&arms, text, visibility);
    }
    if variable.declared_type == DeclaredType::Json {
        // The structs' names do not matter here, only their shape.
        let structs = Structs::of(variable, "Shape", &mut Vec::new())
            .ok()
            .flatten();
        if let Some(structs) = structs {
            let json = match value::json(&text) {
                Ok(json) => json,
                Err(reason) => return Some(ProblemKind::invalid(reason, text, visibility)),
            };
            let error = take(json, &structs.top, &structs, &JsonPath::root()).err()?;
            return Some(ProblemKind::not_the_shape(
                &variable.name,
                error,
                visibility,
            ));
        }
    }
    match value::check(variable.declared_type, &text) {
        Ok(()) => None,
        Err(reason) => Some(ProblemKind::invalid(reason, text, visibility)),
    }
}

/// The problem of an A/B enum's text: not a value of its type, or neither arm (compared as
/// values, as the runtime compares them: ` 42 ` is the int64 arm `42`).
fn not_an_arm(arms: &Arms, text: String, visibility: Visibility) -> Option<ProblemKind> {
    fn which<T: PartialEq + std::fmt::Debug>(
        value: T,
        arms: &[T; 2],
        visibility: Visibility,
    ) -> Option<ProblemKind> {
        if arms.contains(&value) {
            return None;
        }
        let shown = arms.each_ref().map(|arm| format!("{arm:?}"));
        Some(ProblemKind::not_an_arm(
            format!("{value:?}"),
            shown,
            visibility,
        ))
    }
    let parsed = match arms {
        Arms::String(arms) => return which(text, arms, visibility),
        Arms::Int64(arms) => value::int64(&text).map(|value| which(value, arms, visibility)),
        Arms::Float(arms) => value::float(&text).map(|value| which(value, arms, visibility)),
    };
    parsed.unwrap_or_else(|reason| Some(ProblemKind::invalid(reason, text, visibility)))
}

/// What a value of `shape` is, as the runtime's `JsonShape::EXPECTED` says it.
fn expected(shape: &Shape) -> &'static str {
    match shape {
        Shape::String => "a string",
        Shape::Number => "a number",
        Shape::Boolean => "a boolean",
        Shape::Any => "a JSON value",
        Shape::Array(_) => "an array",
        Shape::Struct(_) => "an object",
    }
}

/// Takes `value` (at `at`) apart as `shape`, as a generated struct does: the first missing key
/// or value of the wrong type. What is not looked at is freed without recursion (a hand-set
/// value may nest deeper than a stack allows); the walk itself goes as deep as the type.
fn take(
    value: JsonValue,
    shape: &Shape,
    structs: &Structs,
    at: &JsonPath<'_>,
) -> Result<(), ShapeError> {
    let wrong = |value| Err(ShapeError::wrong(at, expected(shape), value));
    match (shape, value) {
        (Shape::Any, value) => {
            drop_iteratively(vec![value]);
            Ok(())
        }
        (Shape::String, JsonValue::String(_)) | (Shape::Boolean, JsonValue::Bool(_)) => Ok(()),
        (Shape::Number, value) if value.is_number() => Ok(()),
        (Shape::Array(item), JsonValue::Array(items)) => {
            let mut items = items.into_iter();
            for (index, value) in items.by_ref().enumerate() {
                if let Err(error) = take(value, item, structs, &at.index(index)) {
                    drop_iteratively(items.collect());
                    return Err(error);
                }
            }
            Ok(())
        }
        (Shape::Struct(index), JsonValue::Object(mut object)) => {
            let mut outcome = Ok(());
            for field in &structs.structs[*index].fields {
                let at = at.key(&field.key);
                outcome = match object.remove(&field.key) {
                    Some(value) => take(value, &field.shape, structs, &at),
                    None => Err(ShapeError::missing(&at, expected(&field.shape))),
                };
                if outcome.is_err() {
                    break;
                }
            }
            drop_iteratively(object.into_iter().map(|(_, value)| value).collect());
            outcome
        }
        (_, value) => wrong(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(variables: &str) -> Manifest {
        crate::manifest::parse(&format!(r#"{{"variables": [{variables}]}}"#), "m")
            .unwrap()
            .manifest
    }

    fn lines(manifest: &Manifest, vars: &[(&str, &str)]) -> Vec<String> {
        let lookup = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        };
        match check(manifest, &lookup) {
            Ok(_) => Vec::new(),
            Err(error) => error.problems().iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn switches_take_only_their_arms_and_private_ones_say_nothing_of_them() {
        let switch = |visibility: &str| {
            manifest(&format!(
                r#"{{"name": "FLOW", "kind": "ab_roll", "declaredType": "string",
                    "visibility": "{visibility}", "valueATypeScriptType": "\"control\"",
                    "valueBTypeScriptType": "\"treatment\""}},
                   {{"name": "RATIO", "kind": "ab_roll", "declaredType": "int64",
                    "visibility": "public", "valueATypeScriptType": "1n",
                    "valueBTypeScriptType": "42n"}}"#
            ))
        };
        assert!(lines(&switch("public"), &[("FLOW", "control"), ("RATIO", " 42 ")]).is_empty());
        assert_eq!(
            lines(&switch("public"), &[("FLOW", "express"), ("RATIO", "7")]),
            [
                "FLOW (string, public): \"express\" is neither arm: expected \"control\" (arm A) \
                 or \"treatment\" (arm B)",
                "RATIO (int64, public): 7 is neither arm: expected 1 (arm A) or 42 (arm B)",
            ]
        );
        let private = lines(&switch("private"), &[("FLOW", "express"), ("RATIO", "1")]);
        assert_eq!(private.len(), 1);
        assert!(
            !private[0].contains("express") && !private[0].contains("control"),
            "{private:?}"
        );
    }

    #[test]
    fn json_of_a_known_shape_is_checked_at_its_path() {
        let theme = |visibility: &str| {
            manifest(&format!(
                r#"{{"name": "THEME", "declaredType": "json", "visibility": "{visibility}",
                    "typeScriptType": "{{ darkMode: boolean; tiers: Array<string>; }}"}}"#
            ))
        };
        let ok = r#"{"darkMode": true, "tiers": ["gold"], "extra": [[[]]]}"#;
        assert!(lines(&theme("public"), &[("THEME", ok)]).is_empty());
        let wrong = r#"{"darkMode": true, "tiers": ["gold", 7]}"#;
        assert_eq!(
            lines(&theme("public"), &[("THEME", wrong)]),
            ["THEME (json, public): THEME.tiers[1] is 7, expected a string"]
        );
        assert_eq!(
            lines(&theme("private"), &[("THEME", r#"{"tiers": []}"#)]),
            ["THEME (json, private): THEME.darkMode is missing; expected a boolean"]
        );
        let hidden = lines(&theme("private"), &[("THEME", r#"{"darkMode": "sekrit"}"#)]);
        assert!(!hidden[0].contains("sekrit"), "{hidden:?}");
    }

    #[test]
    fn a_variable_only_some_stages_have_may_be_unset() {
        let mut optional = manifest(r#"{"name": "A", "declaredType": "int64"}"#);
        optional.variables[0].required = false;
        assert!(lines(&optional, &[]).is_empty());
        assert_eq!(
            lines(&optional, &[("A", "x")]),
            [
                "A (int64, private): the value is invalid (hidden, the variable is private): \
              expected an integer with no leading zeros, like 8080 or -1"
            ]
        );
    }
}
