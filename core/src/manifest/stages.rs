//! Several stages, one build: the manifests of several stages of one project merged into one
//! manifest that generated code is checked against (DESIGN.md, "Several stages, one build").
//!
//! A variable every stage has keeps its declared type; one that some stages lack is not
//! required ([`Variable::required`] `false`, [`Variable::only_in`] naming the stages that have
//! it), so generated code reads it as optional; a declared type that differs between stages is
//! a [`TypeConflict`]; anything else that differs (A/B arms, kind, a json variable's
//! `typeScriptType`, visibility) falls back to what every stage can satisfy, with a
//! [`Warning::StagesDiffer`].
//!
//! Which stage a snapshot file is of is the snapshot layout's rule
//! ([`crate::source::layout::snapshot_stage`]); the merge takes each stage's name as given.

use std::collections::BTreeMap;

use super::model::{DeclaredType, Kind, Manifest, Stage, Variable, Visibility};
use super::parse::Loaded;
use crate::{Error, Result, Warning};

/// One stage's manifest, as [`merge_stages`] takes it.
#[derive(Debug, Clone, Copy)]
pub struct StageManifest<'a> {
    /// The stage's name (its slug), as messages and generated code name it.
    pub stage: &'a str,
    /// Where the manifest was read from (a path or a URL), for messages.
    pub origin: &'a str,
    /// The manifest.
    pub manifest: &'a Manifest,
}

/// Several stages merged: the manifest, and the variables left out of it because their
/// declared type differs between stages.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Merged {
    /// Every variable of any stage but those in `conflicts`, in byte order of names.
    pub manifest: Manifest,
    /// The variables whose declared type differs between stages, in byte order of names.
    pub conflicts: Vec<TypeConflict>,
    /// What else differed between stages, and what the merge did about it.
    pub warnings: Vec<Warning>,
}

impl Merged {
    /// The merged manifest and its warnings, when no declared type differs between stages:
    /// what generated code is checked against.
    ///
    /// # Errors
    ///
    /// [`Error::StageTypeConflict`], listing every conflict with each stage's type and origin.
    pub fn into_loaded(self) -> Result<Loaded> {
        if !self.conflicts.is_empty() {
            return Err(Error::StageTypeConflict {
                conflicts: self.conflicts,
            });
        }
        Ok(Loaded {
            manifest: self.manifest,
            warnings: self.warnings,
        })
    }
}

/// Merges the manifests of several stages of one project into the one manifest generated code
/// is checked against. One manifest is returned as it is.
///
/// The merged manifest lists every variable of any stage, in byte order of names:
/// - present in every stage: its declared type, [`Variable::required`] if every stage requires it;
/// - present in some stages only: `required: false`, [`Variable::only_in`] the stages that have
///   it, in byte order;
/// - private if any stage has it private;
/// - A/B arms, kinds, or a json `typeScriptType` that differ between stages are dropped: the
///   variable is typed by its declared type alone (a plain secret when kinds differ), with a
///   [`Warning::StagesDiffer`] saying what differed and where;
/// - a declared type that differs between stages leaves the variable out, as a
///   [`TypeConflict`] of [`Merged::conflicts`] ([`Merged::into_loaded`] refuses it).
///
/// Stages are taken in byte order of their names, whatever order they are given in, so the
/// same stages always give the same bytes. [`Manifest::stages`] lists each stage's name and
/// `manifestVersion`; `manifest_version` is `stage=version` for each stage, joined by `, `;
/// `stage_slug` is `None`.
///
/// # Errors
///
/// - [`Error::DuplicateStage`] when two manifests are of the same stage;
/// - [`Error::StagesOfDifferentProjects`] when they name different organisations or projects.
pub fn merge_stages(stages: &[StageManifest<'_>]) -> Result<Merged> {
    if let [only] = stages {
        return Ok(Merged {
            manifest: only.manifest.clone(),
            conflicts: Vec::new(),
            warnings: Vec::new(),
        });
    }
    let stages = in_stage_order(stages)?;
    check_one_project(&stages)?;
    let mut merged = Merged {
        manifest: merged_header(&stages),
        conflicts: Vec::new(),
        warnings: Vec::new(),
    };
    for (name, present) in by_name(&stages) {
        match merge_variable(name, &present, &stages, &mut merged.warnings) {
            Ok(variable) => merged.manifest.variables.push(variable),
            Err(conflict) => merged.conflicts.push(conflict),
        }
    }
    Ok(merged)
}

/// The stages in byte order of their names: the same stages give the same bytes whatever order
/// the flags, the build helper or `BAREKEY_MANIFEST` list them in.
fn in_stage_order<'a>(stages: &[StageManifest<'a>]) -> Result<Vec<StageManifest<'a>>> {
    let mut sorted = stages.to_vec();
    sorted.sort_by(|a, b| a.stage.cmp(b.stage));
    for pair in sorted.windows(2) {
        // The sort is stable: of two equal names, the first is the one given first.
        if let [first, second] = pair {
            if first.stage != second.stage {
                continue;
            }
            return Err(Error::DuplicateStage {
                stage: first.stage.to_owned(),
                first: first.origin.to_owned(),
                second: second.origin.to_owned(),
            });
        }
    }
    Ok(sorted)
}

/// Each variable name of any stage, in byte order, with the stages (by index) that have it.
fn by_name<'a>(stages: &[StageManifest<'a>]) -> BTreeMap<&'a str, Vec<(usize, &'a Variable)>> {
    let mut by_name: BTreeMap<&str, Vec<(usize, &Variable)>> = BTreeMap::new();
    for (index, stage) in stages.iter().enumerate() {
        for variable in &stage.manifest.variables {
            by_name
                .entry(variable.name.as_str())
                .or_default()
                .push((index, variable));
        }
    }
    by_name
}

/// One variable across the stages `present` (indexes into `stages`) that have it, or its
/// conflict when its declared type differs between them.
fn merge_variable(
    name: &str,
    present: &[(usize, &Variable)],
    stages: &[StageManifest<'_>],
    warnings: &mut Vec<Warning>,
) -> std::result::Result<Variable, TypeConflict> {
    let first = present[0].1;
    if present
        .iter()
        .any(|(_, variable)| variable.declared_type != first.declared_type)
    {
        return Err(TypeConflict {
            name: name.to_owned(),
            stages: present
                .iter()
                .map(|(index, variable)| {
                    let stage = &stages[*index];
                    (
                        stage.stage.to_owned(),
                        stage.origin.to_owned(),
                        variable.declared_type,
                    )
                })
                .collect(),
        });
    }
    let in_every_stage = present.len() == stages.len();
    let mut merged = first.clone();
    merged.required = in_every_stage && present.iter().all(|(_, variable)| variable.required);
    merged.only_in = if in_every_stage {
        Vec::new()
    } else {
        present
            .iter()
            .map(|(index, _)| stages[*index].stage.to_owned())
            .collect()
    };
    merged.updated_at_ms = present
        .iter()
        .filter_map(|(_, variable)| variable.updated_at_ms)
        .max();
    if let Some(warning) = reconcile_types(&mut merged, present, stages) {
        warnings.push(warning);
    }
    reconcile_details(&mut merged, present);
    Ok(merged)
}

/// Falls back to what every stage can satisfy when the kind, the A/B arms or a json
/// `typeScriptType` differ between the stages `present`; the warning says what differed.
fn reconcile_types(
    merged: &mut Variable,
    present: &[(usize, &Variable)],
    stages: &[StageManifest<'_>],
) -> Option<Warning> {
    let first = present[0].1;
    let differs = |value: &dyn Fn(&Variable) -> String| {
        present
            .iter()
            .any(|(_, variable)| value(variable) != value(first))
    };
    let warning = |what: &'static str, value: &dyn Fn(&Variable) -> String, outcome: String| {
        Warning::StagesDiffer {
            variable: first.name.clone(),
            what,
            per_stage: present
                .iter()
                .map(|(index, variable)| (stages[*index].stage.to_owned(), value(variable)))
                .collect(),
            outcome,
        }
    };
    let kind = |variable: &Variable| variable.kind.as_str().to_owned();
    let arms = |variable: &Variable| {
        format!(
            "{} | {}",
            variable.value_a_type_script_type.as_deref().unwrap_or("?"),
            variable.value_b_type_script_type.as_deref().unwrap_or("?")
        )
    };
    let type_script_type =
        |variable: &Variable| variable.type_script_type.clone().unwrap_or_default();
    let drop_types = |merged: &mut Variable| {
        merged.type_script_type = None;
        merged.value_a_type_script_type = None;
        merged.value_b_type_script_type = None;
    };
    if differs(&kind) {
        plain_secret(merged);
        return Some(warning(
            "kind",
            &kind,
            format!(
                "it is typed as a plain secret of its declared type `{}`",
                first.declared_type
            ),
        ));
    }
    let is_json = first.declared_type == DeclaredType::Json;
    if first.kind != Kind::Secret && !is_json && (differs(&arms) || differs(&type_script_type)) {
        drop_types(merged);
        return Some(warning(
            "A/B arms",
            &arms,
            format!(
                "it keeps its declared type `{}` instead of an enum or a union of arms",
                first.declared_type
            ),
        ));
    }
    if is_json && differs(&type_script_type) {
        drop_types(merged);
        return Some(warning(
            "typeScriptType",
            &type_script_type,
            "it is typed as any JSON (`JsonValue` in Rust, `unknown` in TypeScript)".to_owned(),
        ));
    }
    if differs(&type_script_type) {
        // A secret's inferred type is not used for any declared type but json.
        merged.type_script_type = None;
    }
    None
}

/// Visibility (private anywhere is private), and the rollout schedule and chance, kept only
/// when every stage agrees.
fn reconcile_details(merged: &mut Variable, present: &[(usize, &Variable)]) {
    let first = present[0].1;
    let differs = |value: &dyn Fn(&Variable) -> String| {
        present
            .iter()
            .any(|(_, variable)| value(variable) != value(first))
    };
    if present
        .iter()
        .any(|(_, variable)| variable.visibility == Visibility::Private)
    {
        merged.visibility = Visibility::Private;
    }
    if differs(&|variable: &Variable| format!("{:?}", variable.rollout_milestones))
        || differs(&|variable: &Variable| format!("{:?}", variable.rollout_function))
    {
        merged.rollout_function = None;
        merged.rollout_milestones = None;
    }
    if differs(&|variable: &Variable| format!("{:?}", variable.chance)) {
        merged.chance = None;
    }
}

/// The merged manifest's header, without variables: the stages (in order) with their
/// versions, and the first organisation and project any stage names.
fn merged_header(stages: &[StageManifest<'_>]) -> Manifest {
    let listed: Vec<Stage> = stages
        .iter()
        .map(|stage| Stage {
            slug: stage.stage.to_owned(),
            manifest_version: stage.manifest.manifest_version.clone(),
            origin: stage.origin.to_owned(),
            variables: stage.manifest.variables.clone(),
        })
        .collect();
    let version: Vec<String> = listed
        .iter()
        .map(|stage| match &stage.manifest_version {
            Some(version) => format!("{}={version}", stage.slug),
            None => stage.slug.clone(),
        })
        .collect();
    let pick = |field: &dyn Fn(&Manifest) -> Option<String>| {
        stages.iter().find_map(|stage| field(stage.manifest))
    };
    Manifest {
        org_id: pick(&|manifest| manifest.org_id.clone()),
        org_slug: pick(&|manifest| manifest.org_slug.clone()),
        project_slug: pick(&|manifest| manifest.project_slug.clone()),
        stage_slug: None,
        manifest_version: Some(version.join(", ")),
        manifest_version_is_number: false,
        variables: Vec::new(),
        stages: listed,
    }
}

/// A variable declared with different types in different stages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TypeConflict {
    /// The variable's name.
    pub name: String,
    /// Each stage that has it: the stage, its snapshot's path, and the declared type there.
    pub stages: Vec<(String, String, DeclaredType)>,
}

/// Drops what makes `variable` an A/B switch: it is read as one value of its declared type.
fn plain_secret(variable: &mut Variable) {
    variable.kind = Kind::Secret;
    variable.value_a_type_script_type = None;
    variable.value_b_type_script_type = None;
    variable.rollout_function = None;
    variable.rollout_milestones = None;
    variable.chance = None;
    if variable.declared_type != DeclaredType::Json {
        variable.type_script_type = None;
    }
}

/// Refuses snapshots of different organisations or projects: the same variable name there
/// means different things.
fn check_one_project(stages: &[StageManifest<'_>]) -> Result<()> {
    let project = |manifest: &Manifest| {
        (
            manifest
                .org_slug
                .clone()
                .or_else(|| manifest.org_id.clone()),
            manifest.project_slug.clone(),
        )
    };
    let (first_origin, first) = (stages[0].origin, stages[0].manifest);
    let (org, slug) = project(first);
    for stage in &stages[1..] {
        let (origin, manifest) = (stage.origin, stage.manifest);
        let (other_org, other_slug) = project(manifest);
        let org_differs = matches!((&org, &other_org), (Some(a), Some(b)) if a != b);
        let project_differs = matches!((&slug, &other_slug), (Some(a), Some(b)) if a != b);
        if org_differs || project_differs {
            let name = |org: &Option<String>, slug: &Option<String>| {
                format!(
                    "{}/{}",
                    org.as_deref().unwrap_or("(unknown)"),
                    slug.as_deref().unwrap_or("(unknown)")
                )
            };
            return Err(Error::StagesOfDifferentProjects {
                first: (first_origin.to_owned(), name(&org, &slug)),
                second: (origin.to_owned(), name(&other_org, &other_slug)),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::parse;

    fn manifest(stage: &str, variables: &str) -> Manifest {
        let text = format!(
            r#"{{"orgSlug": "acme", "projectSlug": "web", "stageSlug": "{stage}",
                "manifestVersion": "v-{stage}", "variables": [{variables}]}}"#
        );
        parse(&text, stage).unwrap().manifest
    }

    /// Merges as the snapshot lookup does: each stage named by its `stageSlug`, else its file.
    fn merge(stages: &[(&str, &Manifest)]) -> Result<Loaded> {
        let named: Vec<StageManifest<'_>> = stages
            .iter()
            .map(|(origin, manifest)| StageManifest {
                stage: manifest.stage_slug.as_deref().unwrap_or(origin),
                origin,
                manifest,
            })
            .collect();
        merge_stages(&named)?.into_loaded()
    }

    #[test]
    fn shared_variables_stay_required_and_stage_only_ones_are_not() {
        let production = manifest(
            "production",
            r#"{"name": "PORT", "kind": "secret", "declaredType": "int64"}"#,
        );
        let staging = manifest(
            "staging",
            r#"{"name": "PORT", "kind": "secret", "declaredType": "int64"},
               {"name": "DEBUG_TOKEN", "kind": "secret", "declaredType": "string"}"#,
        );
        let merged = merge(&[("p.json", &production), ("s.json", &staging)]).unwrap();
        let names: Vec<_> = merged
            .manifest
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.required, v.only_in.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("DEBUG_TOKEN", false, vec!["staging".to_owned()]),
                ("PORT", true, vec![]),
            ]
        );
        assert_eq!(
            merged.manifest.manifest_version.as_deref(),
            Some("production=v-production, staging=v-staging")
        );
        assert_eq!(merged.manifest.stages.len(), 2);
        assert!(merged.warnings.is_empty());
    }

    #[test]
    fn a_type_conflict_names_every_stage_and_type() {
        let production = manifest(
            "production",
            r#"{"name": "PORT", "kind": "secret", "declaredType": "int64"},
               {"name": "RATE", "kind": "secret", "declaredType": "float"}"#,
        );
        let staging = manifest(
            "staging",
            r#"{"name": "PORT", "kind": "secret", "declaredType": "string"},
               {"name": "RATE", "kind": "secret", "declaredType": "int64"}"#,
        );
        let error = merge(&[("p.json", &production), ("s.json", &staging)]).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("\"PORT\""), "{message}");
        assert!(
            message.contains("int64 in production (p.json)"),
            "{message}"
        );
        assert!(message.contains("string in staging (s.json)"), "{message}");
        assert!(message.contains("\"RATE\""), "{message}");
    }

    #[test]
    fn differing_arms_keep_the_declared_type_with_a_warning() {
        let switch = |a: &str| {
            format!(
                r#"{{"name": "FLOW", "kind": "ab_roll", "declaredType": "string", "visibility": "public",
                    "typeScriptType": "\"{a}\" | \"b\"",
                    "valueATypeScriptType": "\"{a}\"", "valueBTypeScriptType": "\"b\""}}"#
            )
        };
        let production = manifest("production", &switch("a"));
        let staging = manifest("staging", &switch("c"));
        let merged = merge(&[("p.json", &production), ("s.json", &staging)]).unwrap();
        let flow = &merged.manifest.variables[0];
        assert_eq!(flow.kind, Kind::AbRoll);
        assert_eq!(flow.value_a_type_script_type, None);
        assert_eq!(flow.type_script_type, None);
        assert!(flow.required);
        let warning = merged.warnings[0].to_string();
        assert!(warning.contains("A/B arms"), "{warning}");
        assert!(warning.contains("production: \"a\" | \"b\""), "{warning}");
    }

    #[test]
    fn private_anywhere_is_private() {
        let production = manifest(
            "production",
            r#"{"name": "A", "kind": "secret", "declaredType": "string", "visibility": "private"}"#,
        );
        let staging = manifest(
            "staging",
            r#"{"name": "A", "kind": "secret", "declaredType": "string", "visibility": "public"}"#,
        );
        let merged = merge(&[("p.json", &production), ("s.json", &staging)]).unwrap();
        assert_eq!(merged.manifest.variables[0].visibility, Visibility::Private);
    }

    #[test]
    fn the_same_stage_twice_or_two_projects_are_refused() {
        let production = manifest("production", "");
        let error = merge(&[("a.json", &production), ("b.json", &production)]).unwrap_err();
        assert!(matches!(error, Error::DuplicateStage { .. }), "{error}");
        let other = parse(
            r#"{"projectSlug": "api", "stageSlug": "staging", "variables": []}"#,
            "o.json",
        )
        .unwrap()
        .manifest;
        let error = merge(&[("a.json", &production), ("o.json", &other)]).unwrap_err();
        assert!(
            matches!(error, Error::StagesOfDifferentProjects { .. }),
            "{error}"
        );
    }
}
