//! `pull`: the live manifest into the snapshot (one stage), or into each stage's
//! `barekey.manifest.<stage>.json` (several); with --watch, again whenever it changes.

use std::path::{Path, PathBuf};

use barekey_typegen::fetch::Fetched;
use barekey_typegen::manifest::SnapshotChange;
use barekey_typegen::settings::Settings;
use barekey_typegen::source::layout::{self, shell_word};
use barekey_typegen::write::Written;
use barekey_typegen::{Front, pipeline};

use super::args::{Connection, WatchArgs};
use super::manifests::fetch_with;
use super::messages;
use super::output::{Output, write_stdout};
use super::{Failure, Outcome, Usage, current_dir, stage, watching};

pub(crate) fn run(
    path: Option<PathBuf>,
    watch: &WatchArgs,
    connection: &Connection,
    out: &mut Output,
) -> Result<Outcome, Failure> {
    if watch.watch {
        connection.refuse_several_stages(
            "pull",
            "--watch follows one stage; give --stage once with --watch (or run one watch per \
             stage)",
        )?;
    }
    let start = current_dir()?;
    let parts = connection.parts(start.clone());
    let live = parts.live();
    let stages = connection.several_stages("pull")?;
    if !stages.is_empty() {
        return pull_stages(path.as_deref(), stages, connection, &start, out);
    }
    let path = match path {
        Some(path) => path,
        None => layout::one_stage_pull_path(&start, &|| Ok(live.settings(None)?.stage.value))?,
    };
    if let Some(mut plan) = watch.plan("pull", &[&path])? {
        plan.snapshot = Some(path);
        return watching::watch_live(&live, &plan, out);
    }
    let settings = live.settings(None)?;
    let fetched = fetch_with(&settings, live.options, out)?;
    if path == Path::new("-") {
        write_stdout(&fetched.snapshot)?;
        return Ok(Outcome::Success);
    }
    write_pulled(&path, &settings, &fetched, out)?;
    warn_of_stage_snapshots_beside(&path, out);
    Ok(Outcome::Success)
}

/// After a one-stage `pull` into `barekey.manifest.json`: warns when stage snapshots
/// (`barekey.manifest.<stage>.json`) are beside it, since the lookup refuses that folder.
fn warn_of_stage_snapshots_beside(path: &Path, out: &mut Output) {
    if path.file_name() != Some(layout::SNAPSHOT_FILE.as_ref()) {
        return;
    }
    let stages = layout::stages_in(&barekey_typegen::write::folder_of(path));
    if stages.is_empty() {
        return;
    }
    let pull_them: String = stages
        .iter()
        .map(|stage| format!(" --stage {}", shell_word(Path::new(stage))))
        .collect();
    out.warning(&format!(
        "the stage snapshots of {} are in the same folder; the snapshot lookup refuses \
         a folder holding both them and {}: remove it (`rm {}`) and run `barekey-typegen \
         pull{pull_them}` to keep checking every stage, or remove them to check one",
        stages.join(", "),
        path.display(),
        shell_word(path),
    ));
}

/// `pull --stage a --stage b`: fetches every stage first, then writes each one's
/// `barekey.manifest.<stage>.json` into `folder` (by default beside the nearest barekey.json)
/// as one set, so a failed fetch or write leaves every snapshot as it was.
fn pull_stages(
    folder: Option<&Path>,
    stages: &[String],
    connection: &Connection,
    start: &Path,
    out: &mut Output,
) -> Result<Outcome, Failure> {
    let folder = match folder {
        Some(folder) if folder == Path::new("-") => {
            return Err(Usage::new(
                "pull",
                "with several --stage, --out names the folder for their snapshots; `-` \
                 (standard output) cannot hold several files",
            )
            .into());
        }
        Some(folder) if folder.exists() && !folder.is_dir() => {
            return Err(Usage::new(
                "pull",
                format!(
                    "with several --stage, --out names the folder for their snapshots, and {} \
                     is a file",
                    folder.display()
                ),
            )
            .into());
        }
        Some(folder) => folder.to_owned(),
        None => layout::default_snapshot_folder(start),
    };
    let mut paths = Vec::with_capacity(stages.len());
    for stage in stages {
        paths.push(folder.join(layout::stage_snapshot_file(stage, Front::Cli)?));
    }
    let parts = connection.parts(start.to_owned());
    let fetched = parts.live().fetch_stages(
        &Connection::chosen(stages),
        "no snapshot was written",
        &mut |settings, options| fetch_with(settings, options, out),
    )?;
    // All or none: a set of stage snapshots mixed from two pulls would pass the lookup.
    let snapshots: Vec<_> = fetched
        .iter()
        .zip(&paths)
        .map(|((_, fetched), path)| {
            let bytes: &[u8] = &fetched.snapshot;
            (path.as_path(), bytes, &fetched.loaded.manifest)
        })
        .collect();
    let changes = pipeline::write_snapshots(&snapshots)?;
    for (((settings, fetched), path), changes) in fetched.iter().zip(&paths).zip(changes) {
        say_pulled(path, settings, fetched, &changes, out);
    }
    let single = folder.join(layout::SNAPSHOT_FILE);
    if single.is_file() {
        out.warning(&format!(
            "{single} is in the same folder; the snapshot lookup refuses a folder \
             holding both it and barekey.manifest.<stage>.json files, so remove it: `rm {word}`",
            single = single.display(),
            word = shell_word(&single),
        ));
    }
    Ok(Outcome::Success)
}

/// Writes one fetched snapshot to `path` and says so ([`say_pulled`]).
fn write_pulled(
    path: &Path,
    settings: &Settings,
    fetched: &Fetched,
    out: &mut Output,
) -> Result<(), Failure> {
    let changes = pipeline::write_snapshot(path, &fetched.snapshot, &fetched.loaded.manifest)?;
    say_pulled(path, settings, fetched, &changes, out);
    Ok(())
}

/// Prints `pulled N variables of project/stage into PATH (what changed)`, then each change on
/// a line of its own (and the `file-written` and variable objects of `--message-format json`).
fn say_pulled(
    path: &Path,
    settings: &Settings,
    fetched: &Fetched,
    changes: &SnapshotChange,
    out: &mut Output,
) {
    let written = match changes {
        SnapshotChange::Unchanged => Written::Unchanged,
        SnapshotChange::New => Written::Created,
        _ => Written::Updated,
    };
    out.emit(&messages::file_written(&pipeline::Outcome::new(
        path.to_owned(),
        written,
    )));
    if let SnapshotChange::Changed(diff) = changes {
        let stage = stage(settings);
        let scope = messages::Scope {
            snapshot: Some(path),
            stage: &stage,
        };
        for message in messages::variable_changes(&scope, diff) {
            out.emit(&message);
        }
    }
    let count = fetched.loaded.manifest.variables.len();
    let mut line = format!(
        "pulled {count} variable{} of {} into {} ({changes})",
        if count == 1 { "" } else { "s" },
        stage(settings),
        path.display()
    );
    let lines = changes.lines();
    if !lines.is_empty() {
        line.push(':');
    }
    for change in lines {
        line.push_str(&format!("\n  - {change}"));
    }
    out.info(&line);
}
