//! `check`: each output against a fresh rendering, and with --remote each snapshot against the
//! live manifest of its stage; exit 1 on any drift.

use std::path::{Path, PathBuf};

use barekey_typegen::codegen::markdown;
use barekey_typegen::pipeline::{self, Checked, Target};
use barekey_typegen::remote::{self, Compared};
use barekey_typegen::source::layout::{self, shell_word};

use super::args::{
    AttributeArgs, Connection, Input, RustOptions, SelectionArgs, TsModeArg, TsModeName,
};
use super::manifests::{Manifests, fetch_with, snapshot_paths};
use super::messages;
use super::output::{Output, write_stdout};
use super::{Failure, Outcome, Usage, current_dir, stage};

pub(crate) struct Args {
    pub(crate) input: Input,
    pub(crate) remote: bool,
    /// `--format markdown`: the drift as a Markdown summary on stdout.
    pub(crate) markdown_summary: bool,
    /// `--message-format json`, which also prints on stdout.
    pub(crate) json: bool,
    pub(crate) rust: Option<PathBuf>,
    pub(crate) ts: Option<PathBuf>,
    pub(crate) env_example: Option<PathBuf>,
    pub(crate) markdown: Option<PathBuf>,
    pub(crate) rust_options: RustOptions,
    pub(crate) ts_mode: TsModeArg,
    pub(crate) selection: SelectionArgs,
    pub(crate) attributes: AttributeArgs,
    pub(crate) connection: Connection,
}

pub(crate) fn run(args: &Args, out: &mut Output) -> Result<Outcome, Failure> {
    args.selection.refuse_sdk_file("check", &args.ts_mode)?;
    if args.markdown_summary && args.json {
        return Err(Usage::new(
            "check",
            "--format markdown and --message-format json both print on standard output; give \
             one of them",
        )
        .into());
    }
    if args.remote {
        args.connection.refuse_several_stages(
            "check",
            "check --remote compares each snapshot with the live manifest of its own stage \
             (its stageSlug); give --stage at most once",
        )?;
    }
    let start = current_dir()?;
    let (paths, explicit) = snapshot_paths("check", &args.input.manifest, &start)?;
    let mut fresh = true;
    // Each snapshot against its own stage before any merge: a type conflict between the
    // stages (which only the generated outputs care about) stops no comparison.
    if args.remote {
        fresh &= matches_live(&paths, explicit, args, &start, out)?;
    }
    let targets = super::generate::targets(
        args.rust.as_ref(),
        args.ts.as_ref(),
        args.env_example.as_ref(),
        args.markdown.as_ref(),
    );
    if targets.is_empty() {
        return Ok(outcome(fresh));
    }
    let manifests = Manifests::read(paths, explicit, &args.selection.selection(), out)?;
    // The command that regenerates one file: its flags, and the selection's.
    let fix = |target: &Target| {
        let flags = match target {
            Target::Rust(path) => format!(
                "--rust {}{}{}",
                shell_word(path),
                args.rust_options.flag(),
                args.attributes.flags()
            ),
            Target::TypeScript(path) if args.ts_mode.mode == TsModeName::Sdk => {
                format!("--ts {} --ts-mode sdk", shell_word(path))
            }
            other => format!("{} {}", other.flag(), shell_word(other.path())),
        };
        manifests.fix_command(&format!("{flags}{}", args.selection.flags()))
    };
    let options = args
        .rust_options
        .options(&args.ts_mode)
        .with_selection(args.selection.selection())
        .with_attributes(args.attributes.attributes());
    let rendering = pipeline::render(
        &manifests.loaded.manifest,
        &manifests.origin,
        &targets,
        &options,
    )?;
    for file in &rendering.files {
        out.warnings(&file.warnings);
        for checked in pipeline::check(std::slice::from_ref(file), &fix)? {
            match checked {
                Checked::Fresh(path) => {
                    out.emit(&messages::file_fresh(&path));
                    out.info(&format!("{} is up to date", path.display()));
                }
                Checked::Drift(drift) => {
                    out.emit(&messages::drift_found(&drift));
                    out.drift(&drift.to_string());
                    fresh = false;
                }
                _ => {}
            }
        }
    }
    Ok(outcome(fresh))
}

fn outcome(fresh: bool) -> Outcome {
    if fresh {
        Outcome::Success
    } else {
        Outcome::Drift
    }
}

/// Whether each snapshot holds exactly the live manifest of its stage; lists the differences
/// and the `pull` that updates them if not. Every stage is fetched before any is reported.
fn matches_live(
    paths: &[PathBuf],
    explicit: bool,
    args: &Args,
    start: &Path,
    out: &mut Output,
) -> Result<bool, Failure> {
    let connection = &args.connection;
    let several = paths.len() > 1;
    if several && !connection.stage.is_empty() {
        return Err(Usage::new(
            "check",
            "with several snapshots, --remote compares each with the live manifest of its own \
             stage (its stageSlug), so --stage has no say; drop --stage, or give one snapshot \
             with --manifest",
        )
        .into());
    }
    let parts = connection.parts(start.to_owned());
    let live = parts.live();
    let stages = remote::stages_of(paths)?;
    let plain = !several && stages[0].is_none();
    let fetched = live.fetch_stages(&stages, "no stage was checked", &mut |s, o| {
        fetch_with(s, o, out)
    })?;
    let compared = remote::compare(paths, fetched)?;
    let drifted: Vec<(&str, &Path)> = compared
        .iter()
        .filter(|compared| compared.diff.is_some())
        .map(|compared| {
            (
                compared.settings.stage.value.as_str(),
                compared.path.as_path(),
            )
        })
        .collect();
    // The one snapshot under a plain name follows the configured stage: refreshed by a plain
    // `pull` (to the file --manifest named).
    let fix = match (drifted.is_empty(), plain, explicit) {
        (true, ..) => None,
        (false, true, true) => Some(format!(
            "barekey-typegen pull --out {}",
            shell_word(&paths[0])
        )),
        (false, true, false) => Some("barekey-typegen pull".to_owned()),
        (false, false, _) => Some(layout::pull_command(&drifted, start)),
    };
    report_live(&compared, fix.as_deref(), out);
    if args.markdown_summary {
        write_stdout(markdown_summary(&compared, fix.as_deref(), start).as_bytes())?;
    }
    Ok(fix.is_none())
}

/// The drift as a Markdown summary, snapshots (in the table and the fix) named relative to
/// `start` where they are inside it: a CI runner's checkout folder means nothing in a
/// pull-request comment.
fn markdown_summary(compared: &[Compared], fix: Option<&str>, start: &Path) -> String {
    let named: Vec<(String, String)> = compared
        .iter()
        .map(|compared| {
            let path = compared.path.strip_prefix(start).unwrap_or(&compared.path);
            (path.display().to_string(), stage(&compared.settings))
        })
        .collect();
    let rows: Vec<markdown::Compared<'_>> = compared
        .iter()
        .zip(&named)
        .map(|(compared, (path, stage))| {
            markdown::Compared::new(path, stage, compared.diff.as_ref())
        })
        .collect();
    // The command is run from the same folder: its paths need not name the checkout either.
    let mut inside = start.as_os_str().to_owned();
    inside.push(std::path::MAIN_SEPARATOR_STR);
    let fix = fix.map(|fix| fix.replace(&*inside.to_string_lossy(), ""));
    markdown::drift_summary(&rows, fix.as_deref())
}

/// Says how each snapshot compares with its live manifest: a line (or a report of every
/// change) on stderr for each, and the `fix` that updates those that differ after the last;
/// with `--message-format json` a `snapshot-checked` object and one per change.
fn report_live(compared: &[Compared], fix: Option<&str>, out: &mut Output) {
    let mut reports = Vec::new();
    for compared in compared {
        let path = compared.path.display();
        let stage = stage(&compared.settings);
        let scope = messages::Scope {
            snapshot: Some(&compared.path),
            stage: &stage,
        };
        let diff = compared.diff.as_ref();
        out.emit(&messages::snapshot_checked(&scope, diff, diff.and(fix)));
        let Some(diff) = diff else {
            out.info(&format!("{path} matches the live manifest of {stage}"));
            continue;
        };
        for message in messages::variable_changes(&scope, diff) {
            out.emit(&message);
        }
        let mut report = format!("{path} differs from the live manifest of {stage}:");
        for line in diff.lines() {
            report.push_str(&format!("\n  - {line}"));
        }
        reports.push(report);
    }
    let (Some(last), Some(fix)) = (reports.pop(), fix) else {
        return;
    };
    for report in reports {
        out.drift(&report);
    }
    let them = if reports_len(compared) == 1 {
        "it"
    } else {
        "them"
    };
    out.drift(&format!("{last}\nrun `{fix}` to update {them}"));
}

/// How many snapshots differ.
fn reports_len(compared: &[Compared]) -> usize {
    compared
        .iter()
        .filter(|compared| compared.diff.is_some())
        .count()
}
