//! `env check`: the current process environment against the manifest, as the application
//! would read it; exit 1 listing every missing and invalid variable. For container
//! entrypoints and deploy steps.

use std::path::PathBuf;

use barekey_typegen::codegen::Selection;
use barekey_typegen::environment;
use barekey_typegen::manifest::Manifest;
use barekey_typegen::source::{self, layout};
use barekey_typegen::{Front, settings};

use super::manifests::snapshot_paths;
use super::output::Output;
use super::{Failure, Outcome, Usage, current_dir};

pub(crate) struct Args {
    pub(crate) manifest: Vec<PathBuf>,
    pub(crate) stage: Option<String>,
    pub(crate) selection: Selection,
}

pub(crate) fn run(args: &Args, out: &mut Output) -> Result<Outcome, Failure> {
    let start = current_dir()?;
    let (paths, _) = snapshot_paths("env check", &args.manifest, &start)?;
    // A process runs in one stage: with several stages' snapshots, the one it is checked
    // against is named (`--stage`, else `BAREKEY_STAGE` or barekey.json's stage, as for a live
    // fetch). Merged, a variable only some stages have would pass unset.
    let stage = match &args.stage {
        Some(stage) => Some(stage.clone()),
        None if paths.len() > 1 => {
            let overrides = settings::Overrides::default();
            let resolved = settings::resolve_stage_trusted(
                &overrides,
                &barekey_typegen::env::var_os,
                &start,
                Front::Cli,
            )?;
            match resolved {
                Some(setting) => Some(setting.value),
                None => return Err(no_stage(&paths)?),
            }
        }
        None => None,
    };
    let (manifest, origin) = match &stage {
        Some(stage) => stage_manifest(&paths, stage, out)?,
        None => {
            let loaded = source::read_stages(&paths)?;
            out.warnings(&loaded.warnings);
            let origin: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            (loaded.manifest, origin.join(", "))
        }
    };
    let selected = args.selection.apply(&manifest, &origin)?;
    let checked = scope(&selected);
    match environment::check(&selected, &barekey_typegen::env::var_os) {
        Ok(count) => {
            out.info(&format!(
                "the environment satisfies {checked}: {count} variable{} checked",
                if count == 1 { "" } else { "s" }
            ));
            Ok(Outcome::Success)
        }
        Err(error) => {
            out.drift(&format!(
                "{error}\n(checked against {checked}, from {origin})"
            ));
            Ok(Outcome::Drift)
        }
    }
}

/// The usage error of several stages' snapshots with no stage named: it lists them.
fn no_stage(paths: &[PathBuf]) -> Result<Failure, Failure> {
    let mut stages = Vec::with_capacity(paths.len());
    for path in paths {
        let loaded = source::read_manifest(path)?;
        stages.push(layout::stage_label(path, &loaded.manifest));
    }
    Ok(Usage::new(
        "env check",
        format!(
            "the snapshots are of several stages ({}), and a process runs in one: name the \
             stage its environment is for with --stage, BAREKEY_STAGE or barekey.json's \
             \"stage\"",
            stages.join(", ")
        ),
    )
    .into())
}

/// The snapshot of `stage` among `paths` (each one's stage by the layout's rule), or a usage
/// error naming the stages there are.
fn stage_manifest(
    paths: &[PathBuf],
    stage: &str,
    out: &mut Output,
) -> Result<(Manifest, String), Failure> {
    let mut stages = Vec::with_capacity(paths.len());
    for path in paths {
        let loaded = source::read_manifest(path)?;
        let label = layout::stage_label(path, &loaded.manifest);
        if label == stage {
            out.warnings(&loaded.warnings);
            return Ok((loaded.manifest, path.display().to_string()));
        }
        stages.push(format!("{label} ({})", path.display()));
    }
    Err(Usage::new(
        "env check",
        format!(
            "--stage {stage}: no snapshot is of that stage; {} {}; run `barekey-typegen pull \
             --stage {stage}` for its snapshot, or give its file with --manifest",
            if stages.len() == 1 {
                "the snapshot is of"
            } else {
                "the snapshots are of"
            },
            stages.join(", "),
        ),
    )
    .into())
}

/// `project/stage`, or every stage of a merged manifest.
fn scope(manifest: &Manifest) -> String {
    let project = manifest.project_slug.as_deref().unwrap_or("(unknown)");
    if manifest.stages.is_empty() {
        let stage = manifest.stage_slug.as_deref().unwrap_or("(unknown)");
        return format!("{project}/{stage}");
    }
    let stages: Vec<&str> = manifest.stages.iter().map(|s| s.slug.as_str()).collect();
    format!("{project}/{{{}}}", stages.join(", "))
}
