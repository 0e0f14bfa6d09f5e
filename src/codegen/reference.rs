//! What the outputs for people (`.env.example`, the Markdown reference) say about a variable:
//! its kind, its type as a reader sets it, the arms of a public switch and where a rollout's
//! schedule ends. Never a value: a switch's arms are values of the variable, so a private
//! switch's are never shown.

use super::doc::one_line;
use super::ts_type::TsType;
use crate::manifest::{Kind, Manifest, Variable, Visibility};

/// The kind as a reader knows it: `secret`, `A/B switch`, `rollout`.
pub(crate) fn kind(variable: &Variable) -> &'static str {
    match variable.kind {
        Kind::Secret => "secret",
        Kind::AbRoll => "A/B switch",
        Kind::Rollout => "rollout",
    }
}

/// The two arms of a public switch as the text a reader sets (`"control"` quoted, `42`,
/// `true`), on one line; `None` for a secret, a private switch, or arms the manifest lacks or
/// that are not literal types.
pub(crate) fn public_arms(variable: &Variable) -> Option<[String; 2]> {
    if variable.kind == Kind::Secret || variable.visibility == Visibility::Private {
        return None;
    }
    let arm = |text: &Option<String>| {
        let text = text.as_deref()?;
        Some(match TsType::parse(text) {
            Some(TsType::String(value)) => one_line(&serde_json::Value::from(value).to_string()),
            Some(TsType::BigInt(digits)) => digits,
            Some(TsType::Number(number)) => number,
            Some(TsType::Boolean(value)) => value.to_string(),
            // Not a literal: nothing a reader could set.
            _ => return None,
        })
    };
    Some([
        arm(&variable.value_a_type_script_type)?,
        arm(&variable.value_b_type_script_type)?,
    ])
}

/// Where a rollout's schedule ends: `100% arm B from 2026-04-01T00:00:00.000Z (linear)`;
/// `None` for anything but a rollout with milestones.
pub(crate) fn rollout_end(variable: &Variable) -> Option<String> {
    if variable.kind != Kind::Rollout {
        return None;
    }
    let last = variable.rollout_milestones.as_ref()?.last()?;
    let function = variable
        .rollout_function
        .map(|function| format!(" ({function})"))
        .unwrap_or_default();
    Some(format!(
        "{}% arm B from {}{function}",
        last.percentage, last.at
    ))
}

/// A json variable's `typeScriptType`, re-printed from its parse on one line; `None` when it
/// has none or it is not well-formed (a type, never a value: the service infers it).
pub(crate) fn json_type(variable: &Variable) -> Option<String> {
    if variable.declared_type != crate::manifest::DeclaredType::Json {
        return None;
    }
    let ty = TsType::parse(variable.type_script_type.as_deref()?)?;
    Some(one_line(&ty.print()))
}

/// The stages that have `variable` in a manifest merged from several (each by slug, in
/// byte order); empty for one stage's manifest.
pub(crate) fn stages_having<'m>(manifest: &'m Manifest, variable: &'m Variable) -> Vec<&'m str> {
    if variable.only_in.is_empty() {
        manifest
            .stages
            .iter()
            .map(|stage| stage.slug.as_str())
            .collect()
    } else {
        variable.only_in.iter().map(String::as_str).collect()
    }
}
