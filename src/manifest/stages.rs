//! Several stages, one build: the snapshots of several stages of one project merged into one
//! manifest that generated code is checked against (DESIGN.md, "Several stages, one build").
//!
//! A variable every stage has keeps its declared type; one that some stages lack is not
//! required ([`Variable::required`] `false`, [`Variable::only_in`] naming the stages that have
//! it), so generated code reads it as optional; a declared type that differs between stages is
//! an error ([`Error::StageTypeConflict`]); anything else that differs (A/B arms, kind, a json
//! variable's `typeScriptType`, visibility) falls back to what every stage can satisfy, with a
//! [`Warning::StagesDiffer`].

use std::collections::BTreeMap;
use std::path::Path;

use super::model::{DeclaredType, Kind, Manifest, Stage, Variable, Visibility};
use super::parse::Loaded;
use crate::{Error, Result, Warning};

/// The file a stage's snapshot is kept in when a project keeps several: `barekey.manifest.<stage>.json`
/// (`barekey.manifest.production.json`), beside `barekey.json` like the one-stage
/// `barekey.manifest.json`. `pull --stage a --stage b` writes these, and the lookup reads them.
///
/// # Errors
///
/// [`Error::InvalidStageSlug`] when `stage` could not be a file name on every system: empty,
/// starting with a dot, or holding anything but ASCII letters, digits, `-`, `_` and `.`.
pub fn stage_snapshot_file(stage: &str) -> Result<String> {
    let usable = !stage.is_empty()
        && !stage.starts_with('.')
        && stage
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'));
    if usable {
        Ok(format!("barekey.manifest.{stage}.json"))
    } else {
        Err(Error::InvalidStageSlug {
            stage: stage.to_owned(),
        })
    }
}

/// The stage a file named `barekey.manifest.<stage>.json` is the snapshot of, if it is named so.
pub fn stage_of_file_name(path: &Path) -> Option<&str> {
    let name = path.file_name()?.to_str()?;
    let stage = name
        .strip_prefix("barekey.manifest.")?
        .strip_suffix(".json")?;
    stage_snapshot_file(stage).ok().map(|_| stage)
}

/// Refuses a snapshot whose file is named for one stage (`barekey.manifest.qa.json`) but whose
/// `stageSlug` says another: the code would be checked against a stage the file name hides.
fn check_file_stage(origin: &str, manifest: &Manifest) -> Result<()> {
    let named = stage_of_file_name(Path::new(origin));
    match (named, &manifest.stage_slug) {
        (Some(named), Some(inside)) if named != inside => Err(Error::StageFileMismatch {
            path: origin.to_owned(),
            named: named.to_owned(),
            inside: inside.clone(),
        }),
        _ => Ok(()),
    }
}

/// The stage a snapshot belongs to: its `stageSlug`, or else its file's name.
fn stage_label(origin: &str, manifest: &Manifest) -> String {
    match &manifest.stage_slug {
        Some(slug) => slug.clone(),
        None => Path::new(origin).file_name().map_or_else(
            || origin.to_owned(),
            |name| name.to_string_lossy().into_owned(),
        ),
    }
}

/// Merges the snapshots of several stages of one project, each given with its origin (the
/// path it was read from, for messages), into the one manifest generated code is checked
/// against. One snapshot is returned as it is.
///
/// The merged manifest lists every variable of any stage, in byte order of names:
/// - present in every stage: its declared type, [`Variable::required`] if every stage requires it;
/// - present in some stages only: `required: false`, [`Variable::only_in`] the stages that have
///   it, in byte order;
/// - private if any stage has it private;
/// - A/B arms, kinds, or a json `typeScriptType` that differ between stages are dropped: the
///   variable is typed by its declared type alone (a plain secret when kinds differ), with a
///   [`Warning::StagesDiffer`] saying what differed and where.
///
/// Stages are taken in byte order of their slugs, whatever order they are given in, so the same
/// stages always give the same bytes. [`Manifest::stages`] lists each stage's slug and
/// `manifestVersion`; `manifest_version` is `stage=version` for each stage, joined by `, `;
/// `stage_slug` is `None`.
///
/// # Errors
///
/// - [`Error::StageTypeConflict`], listing every variable whose declared type differs between
///   stages with each stage's type and snapshot;
/// - [`Error::DuplicateStage`] when two snapshots are of the same stage;
/// - [`Error::StagesOfDifferentProjects`] when the snapshots name different organisations or
///   projects.
pub fn merge_stages(snapshots: &[(&str, &Manifest)]) -> Result<Loaded> {
    for (origin, manifest) in snapshots {
        check_file_stage(origin, manifest)?;
    }
    if let [(_, manifest)] = snapshots {
        return Ok(Loaded {
            manifest: (*manifest).clone(),
            warnings: Vec::new(),
        });
    }
    // In byte order of stage slugs: the same stages give the same bytes whatever order the
    // flags, the build helper or BAREKEY_MANIFEST list them in.
    let mut snapshots: Vec<(String, &str, &Manifest)> = snapshots
        .iter()
        .map(|(origin, manifest)| (stage_label(origin, manifest), *origin, *manifest))
        .collect();
    snapshots.sort_by(|a, b| a.0.cmp(&b.0));
    let labels: Vec<String> = snapshots.iter().map(|(label, ..)| label.clone()).collect();
    let snapshots: Vec<(&str, &Manifest)> = snapshots
        .iter()
        .map(|(_, origin, manifest)| (*origin, *manifest))
        .collect();
    let snapshots = snapshots.as_slice();
    for (later, label) in labels.iter().enumerate() {
        if let Some(first) = labels[..later].iter().position(|earlier| earlier == label) {
            return Err(Error::DuplicateStage {
                stage: label.clone(),
                first: snapshots[first].0.to_owned(),
                second: snapshots[later].0.to_owned(),
            });
        }
    }
    check_one_project(snapshots)?;

    let mut by_name: BTreeMap<&str, Vec<(usize, &Variable)>> = BTreeMap::new();
    for (index, (_, manifest)) in snapshots.iter().enumerate() {
        for variable in &manifest.variables {
            by_name
                .entry(variable.name.as_str())
                .or_default()
                .push((index, variable));
        }
    }

    let mut conflicts = Vec::new();
    let mut warnings = Vec::new();
    let mut variables = Vec::with_capacity(by_name.len());
    for (name, present) in by_name {
        let per_stage = |value: &dyn Fn(&Variable) -> String| -> Vec<(String, String)> {
            present
                .iter()
                .map(|(index, variable)| (labels[*index].clone(), value(variable)))
                .collect()
        };
        let first = present[0].1;
        if present
            .iter()
            .any(|(_, variable)| variable.declared_type != first.declared_type)
        {
            conflicts.push(TypeConflict {
                name: name.to_owned(),
                stages: present
                    .iter()
                    .map(|(index, variable)| {
                        (
                            labels[*index].clone(),
                            snapshots[*index].0.to_owned(),
                            variable.declared_type,
                        )
                    })
                    .collect(),
            });
            continue;
        }
        let differs = |value: &dyn Fn(&Variable) -> String| {
            present
                .iter()
                .any(|(_, variable)| value(variable) != value(first))
        };
        let mut merged = first.clone();
        merged.required = present.len() == snapshots.len()
            && present.iter().all(|(_, variable)| variable.required);
        merged.only_in = if present.len() == snapshots.len() {
            Vec::new()
        } else {
            present
                .iter()
                .map(|(index, _)| labels[*index].clone())
                .collect()
        };
        merged.updated_at_ms = present
            .iter()
            .filter_map(|(_, variable)| variable.updated_at_ms)
            .max();

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
        if differs(&kind) {
            warnings.push(Warning::StagesDiffer {
                variable: name.to_owned(),
                what: "kind",
                per_stage: per_stage(&kind),
                outcome: format!(
                    "it is typed as a plain secret of its declared type `{}`",
                    first.declared_type
                ),
            });
            plain_secret(&mut merged);
        } else if first.kind != Kind::Secret
            && first.declared_type != DeclaredType::Json
            && (differs(&arms) || differs(&type_script_type))
        {
            warnings.push(Warning::StagesDiffer {
                variable: name.to_owned(),
                what: "A/B arms",
                per_stage: per_stage(&arms),
                outcome: format!(
                    "it keeps its declared type `{}` instead of an enum or a union of arms",
                    first.declared_type
                ),
            });
            merged.type_script_type = None;
            merged.value_a_type_script_type = None;
            merged.value_b_type_script_type = None;
        } else if first.declared_type == DeclaredType::Json && differs(&type_script_type) {
            warnings.push(Warning::StagesDiffer {
                variable: name.to_owned(),
                what: "typeScriptType",
                per_stage: per_stage(&type_script_type),
                outcome: "it is typed as any JSON (`JsonValue` in Rust, `unknown` in TypeScript)"
                    .to_owned(),
            });
            merged.type_script_type = None;
            merged.value_a_type_script_type = None;
            merged.value_b_type_script_type = None;
        } else if differs(&type_script_type) {
            // A secret's inferred type is not used for any declared type but json.
            merged.type_script_type = None;
        }
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
        variables.push(merged);
    }
    if !conflicts.is_empty() {
        return Err(Error::StageTypeConflict { conflicts });
    }

    let stages: Vec<Stage> = snapshots
        .iter()
        .zip(&labels)
        .map(|((origin, manifest), label)| Stage {
            slug: label.clone(),
            manifest_version: manifest.manifest_version.clone(),
            origin: (*origin).to_owned(),
        })
        .collect();
    let version: Vec<String> = stages
        .iter()
        .map(|stage| match &stage.manifest_version {
            Some(version) => format!("{}={version}", stage.slug),
            None => stage.slug.clone(),
        })
        .collect();
    let pick = |field: &dyn Fn(&Manifest) -> Option<String>| {
        snapshots.iter().find_map(|(_, manifest)| field(manifest))
    };
    Ok(Loaded {
        manifest: Manifest {
            org_id: pick(&|manifest| manifest.org_id.clone()),
            org_slug: pick(&|manifest| manifest.org_slug.clone()),
            project_slug: pick(&|manifest| manifest.project_slug.clone()),
            stage_slug: None,
            manifest_version: Some(version.join(", ")),
            manifest_version_is_number: false,
            variables,
            stages,
        },
        warnings,
    })
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
fn check_one_project(snapshots: &[(&str, &Manifest)]) -> Result<()> {
    let project = |manifest: &Manifest| {
        (
            manifest
                .org_slug
                .clone()
                .or_else(|| manifest.org_id.clone()),
            manifest.project_slug.clone(),
        )
    };
    let (first_origin, first) = snapshots[0];
    let (org, slug) = project(first);
    for (origin, manifest) in &snapshots[1..] {
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
                second: ((*origin).to_owned(), name(&other_org, &other_slug)),
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

    fn merge(stages: &[(&str, &Manifest)]) -> Result<Loaded> {
        merge_stages(stages)
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

    #[test]
    fn a_file_named_for_another_stage_is_refused() {
        let production = manifest("production", "");
        let error = merge(&[("dir/barekey.manifest.qa.json", &production)]).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("dir/barekey.manifest.qa.json")
                && message.contains("\"qa\"")
                && message.contains("\"production\""),
            "{message}"
        );
        let staging = manifest("staging", "");
        assert!(
            merge(&[
                ("barekey.manifest.production.json", &production),
                ("barekey.manifest.staging.json", &staging)
            ])
            .is_ok()
        );
    }

    #[test]
    fn stage_files_are_plain_names() {
        assert_eq!(
            stage_snapshot_file("production").unwrap(),
            "barekey.manifest.production.json"
        );
        for bad in ["", ".hidden", "a/b", "..", "a b", "é"] {
            assert!(stage_snapshot_file(bad).is_err(), "{bad:?}");
        }
    }
}
