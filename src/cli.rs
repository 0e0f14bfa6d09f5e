//! Command-line front-end. It decides where options come from, where output goes and how
//! errors look; everything else is a library call.

use std::io::{self, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use barekey_typegen::codegen::{self, Generated};
use barekey_typegen::fetch::{FetchOptions, Fetched, fetch_manifest};
use barekey_typegen::manifest::{self, Loaded};
use barekey_typegen::settings::{self, Overrides, Settings, Source};
use barekey_typegen::watch::{self, Stop};
use barekey_typegen::write::{self, Written, write_if_changed};
use barekey_typegen::{Error, Warning, limit, source};
use clap::{ArgAction, ArgGroup, CommandFactory as _, Parser, Subcommand};
use indicatif::ProgressBar;

/// Typed Rust and TypeScript accessors for Barekey variables, generated from a manifest snapshot.
///
/// A renamed, removed or retyped variable breaks the build, not production. The manifest
/// snapshot (`barekey.manifest.json`) is found, without --manifest, through $BAREKEY_MANIFEST,
/// then beside the nearest barekey.json or Cargo.toml above the current folder. The live
/// manifest (pull, --live, --remote) is fetched with $BAREKEY_ACCESS_TOKEN, else the Barekey
/// CLI's session.
///
/// Several stages, one build: `pull --stage production --stage staging` writes
/// barekey.manifest.<stage>.json for each, which the lookup then finds together (or give
/// --manifest once per stage). The code is generated and checked against every stage: a
/// variable some stages lack is optional (`Option<T>` in Rust, `NAME?:` in TypeScript), and a
/// declared type that differs between stages is an error. check --remote compares each
/// stage's snapshot with that stage's live manifest.
#[derive(Debug, Parser)]
#[command(name = "barekey-typegen", version, max_term_width = 100, after_help = EXAMPLES)]
struct Cli {
    /// Print nothing but warnings and errors (and, with --watch, what changed).
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  barekey-typegen pull
  barekey-typegen generate --rust src/barekey_env.rs
  barekey-typegen generate --ts src/barekey-env.ts
  barekey-typegen check --rust src/barekey_env.rs --ts src/barekey-env.ts
  barekey-typegen generate --manifest fixtures/demo.manifest.json --rust -
  barekey-typegen check --remote --rust src/barekey_env.rs
  barekey-typegen generate --live --watch --rust src/barekey_env.rs
  barekey-typegen pull --stage production --stage staging
  barekey-typegen generate --manifest prod.json --manifest staging.json --rust -

Exit status: 0 success, 1 failure or stale output, 2 usage error.";

#[derive(Debug, Subcommand)]
enum Command {
    /// Fetch the live manifest and write it as the snapshot; with several --stage, one
    /// barekey.manifest.<stage>.json per stage.
    Pull {
        /// Where to write the snapshot (`-` for standard output); with several --stage, the
        /// folder for their barekey.manifest.<stage>.json files [default:
        /// barekey.manifest.json, or those files, beside the nearest barekey.json, else in the
        /// current folder]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        watch: WatchArgs,
        #[command(flatten)]
        connection: Connection,
    },
    /// Generate typed accessors from the manifest snapshot, or the live one with --live.
    #[command(group(ArgGroup::new("outputs").required(true).multiple(true).args(["rust", "ts"])))]
    #[command(mut_arg("watch", |arg| arg.requires("live")))]
    Generate {
        #[command(flatten)]
        input: Input,
        /// Generate from the live manifest instead of the snapshot.
        #[arg(long, conflicts_with = "manifest")]
        live: bool,
        /// Write the Rust module to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH")]
        rust: Option<PathBuf>,
        /// Write the TypeScript module to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH")]
        ts: Option<PathBuf>,
        #[command(flatten)]
        rust_options: RustOptions,
        #[command(flatten)]
        ts_mode: TsModeArg,
        #[command(flatten)]
        watch: WatchArgs,
        #[command(flatten)]
        connection: Connection,
    },
    /// Exit 1 when a generated file is stale or missing, or the snapshot is behind the live
    /// manifest (--remote); for CI.
    #[command(group(ArgGroup::new("outputs").required(true).multiple(true).args(["rust", "ts", "remote"])))]
    Check {
        #[command(flatten)]
        input: Input,
        /// Also exit 1 when the snapshot differs from the live manifest, listing the variables
        /// added, removed, retyped or changed in kind; several stages' snapshots are each
        /// compared with their own stage's (the snapshot's stageSlug).
        #[arg(long)]
        remote: bool,
        /// The Rust module to compare with a fresh generation.
        #[arg(long, value_name = "PATH", value_parser = not_stdout)]
        rust: Option<PathBuf>,
        /// The TypeScript module to compare with a fresh generation.
        #[arg(long, value_name = "PATH", value_parser = not_stdout)]
        ts: Option<PathBuf>,
        #[command(flatten)]
        rust_options: RustOptions,
        #[command(flatten)]
        ts_mode: TsModeArg,
        #[command(flatten)]
        connection: Connection,
    },
    /// Print a completion script for SHELL to standard output.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
struct Input {
    /// The manifest snapshot to read; once per stage for several stages of one project, whose
    /// variables are merged (one some stages lack is optional) [default: $BAREKEY_MANIFEST,
    /// else barekey.manifest.json, or every barekey.manifest.<stage>.json, beside the nearest
    /// barekey.json or Cargo.toml, walking up]
    #[arg(long, value_name = "PATH", action = ArgAction::Append)]
    manifest: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct RustOptions {
    /// The path the Rust module names barekey-typegen-runtime by, when Cargo.toml renames it
    /// (`::bkrt`) [default: ::barekey_typegen_runtime]
    #[arg(long, value_name = "PATH", value_parser = runtime_crate)]
    runtime_crate: Option<codegen::RuntimeCrate>,
}

impl RustOptions {
    fn options(&self) -> codegen::Options {
        let mut options = codegen::Options::default();
        if let Some(path) = &self.runtime_crate {
            options.runtime_crate = path.clone();
        }
        options
    }

    /// The flag that gives the same option again, for a command to copy (empty by default).
    fn flag(&self) -> String {
        match &self.runtime_crate {
            Some(path) => format!(" --runtime-crate {path}"),
            None => String::new(),
        }
    }
}

fn runtime_crate(value: &str) -> Result<codegen::RuntimeCrate, String> {
    codegen::RuntimeCrate::new(value).map_err(|error| error.to_string())
}

#[derive(Debug, clap::Args)]
struct TsModeArg {
    /// What --ts writes: a self-contained module with runtime parsing (standalone), or the
    /// official Barekey CLI's `declare module "@barekey/sdk"` file (sdk).
    #[arg(
        long = "ts-mode",
        value_name = "MODE",
        default_value = "standalone",
        requires = "ts"
    )]
    mode: TsModeName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TsModeName {
    Standalone,
    Sdk,
}

impl TsModeName {
    fn mode(self) -> codegen::TsMode {
        match self {
            TsModeName::Standalone => codegen::TsMode::Standalone,
            TsModeName::Sdk => codegen::TsMode::Sdk,
        }
    }
}

/// `--watch` and its interval (`pull`, `generate --live`).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Watch")]
struct WatchArgs {
    /// Keep running: fetch the live manifest every --interval and write the output again
    /// whenever it changed, until interrupted (Ctrl-C or SIGTERM, exit status 0)
    #[arg(long)]
    watch: bool,
    /// With --watch, wait SECONDS between two fetches (longer, doubling up to 60 s, while
    /// the service cannot be reached)
    #[arg(long, value_name = "SECONDS", default_value_t = 5, requires = "watch",
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    interval: u64,
}

impl WatchArgs {
    /// The watch's plan for `targets`, when --watch was given; `-` (standard output) is a
    /// usage error there, since a watch rewrites files.
    fn plan(&self, command: &str, targets: Vec<watch::Target>) -> Option<watch::Plan> {
        if !self.watch {
            return None;
        }
        if targets.iter().any(|target| target.path() == Path::new("-")) {
            usage_error(
                command,
                "--watch writes files again and again; give a file path instead of `-` \
                 (standard output)",
            );
        }
        let mut plan = watch::Plan::default();
        plan.interval = Duration::from_secs(self.interval);
        plan.targets = targets;
        Some(plan)
    }
}

/// Ends the process with a usage error of `command` (exit status 2), as clap reports its own.
fn usage_error(command: &str, message: &str) -> ! {
    let mut cli = Cli::command();
    cli.build();
    cli.find_subcommand_mut(command)
        .unwrap_or(&mut Cli::command())
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

/// Where the live manifest comes from (`pull`, `generate --live`, `check --remote`).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Live manifest")]
struct Connection {
    /// The organization slug [default: $BAREKEY_ORG, else barekey.json, else the token's]
    #[arg(long, value_name = "SLUG")]
    org: Option<String>,
    /// The project slug [default: $BAREKEY_PROJECT, else barekey.json]
    #[arg(long, value_name = "SLUG")]
    project: Option<String>,
    /// The stage slug; pull and generate --live take it once per stage for several stages
    /// (only from flags) [default: $BAREKEY_STAGE, else barekey.json]
    #[arg(long, value_name = "SLUG", action = ArgAction::Append)]
    stage: Vec<String>,
    /// The API's base URL [default: $BAREKEY_API_URL, else the Barekey CLI's baseUrl, else
    /// https://api.barekey.dev]
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// Give up on a request after SECONDS
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
}

impl Connection {
    /// The stages given with --stage, at least two: empty for one stage (or none), which
    /// [`Connection::settings`] resolves. Two equal ones are a usage error of `command`.
    fn several_stages(&self, command: &str) -> &[String] {
        if self.stage.len() < 2 {
            return &[];
        }
        for (index, stage) in self.stage.iter().enumerate() {
            if self.stage[..index].contains(stage) {
                usage_error(command, &format!("--stage {stage} is given twice"));
            }
        }
        &self.stage
    }

    /// A usage error of `command`, saying `why`, when several --stage were given.
    fn refuse_several_stages(&self, command: &str, why: &str) {
        if !self.several_stages(command).is_empty() {
            usage_error(command, why);
        }
    }

    /// The project, stage, API and token places from flags, environment and files (one
    /// stage: the only --stage, if given).
    fn settings(&self) -> Result<Settings, Error> {
        self.settings_for(self.stage.first().map(String::as_str))
    }

    /// [`Connection::settings`] with `stage`, when given, in place of --stage.
    fn settings_for(&self, stage: Option<&str>) -> Result<Settings, Error> {
        let mut overrides = Overrides::default();
        overrides.org.clone_from(&self.org);
        overrides.project.clone_from(&self.project);
        overrides.stage = stage.map(str::to_owned);
        overrides.api_url.clone_from(&self.api_url);
        settings::resolve_trusted(&overrides, &barekey_typegen::env::var_os, &current_dir()?)
    }

    fn options(&self) -> FetchOptions {
        let mut options = FetchOptions::default();
        options.timeout = Duration::from_secs(self.timeout);
        options
    }

    /// Resolves the settings and fetches the live manifest, with a spinner on a terminal.
    fn fetch(&self, out: &mut Output) -> Result<(Settings, Fetched), Error> {
        let settings = self.settings()?;
        let fetched = self.fetch_with(&settings, out)?;
        Ok((settings, fetched))
    }

    /// Fetches the live manifest of each stage in turn (`None`: the settings' own; else the
    /// stage and where it was found, for messages), all before anything is done with them: a
    /// failure names its stage and says `outcome` (`no snapshot was written`, ...).
    fn fetch_stages(
        &self,
        stages: &[Option<(String, Source)>],
        outcome: &'static str,
        out: &mut Output,
    ) -> Result<Vec<(Settings, Fetched)>, Error> {
        let mut fetched = Vec::with_capacity(stages.len());
        for stage in stages {
            let mut settings = self.settings_for(stage.as_ref().map(|(slug, _)| slug.as_str()))?;
            if let Some((_, source)) = stage {
                settings.stage.source = source.clone();
            }
            let manifest = self
                .fetch_with(&settings, out)
                .map_err(|source| Error::StageFetch {
                    stage: settings.stage.value.clone(),
                    outcome,
                    source: Box::new(source),
                })?;
            fetched.push((settings, manifest));
        }
        Ok(fetched)
    }

    fn fetch_with(&self, settings: &Settings, out: &mut Output) -> Result<Fetched, Error> {
        let spinner = out.spinner(format!("fetching the manifest of {}", stage(settings)));
        let fetched = fetch_manifest(settings, &self.options());
        spinner.finish_and_clear();
        let fetched = fetched?;
        out.warnings(&fetched.loaded.warnings);
        Ok(fetched)
    }
}

fn not_stdout(value: &str) -> Result<PathBuf, String> {
    if value == "-" {
        Err("check compares files; `-` (standard output) has nothing to compare".to_owned())
    } else {
        Ok(PathBuf::from(value))
    }
}

/// Parses arguments, runs the command and turns the outcome into an exit code:
/// 0 success, 1 failure or drift, 2 usage error (clap's own).
pub(crate) fn run() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output {
        quiet: cli.quiet,
        spinner: None,
    };
    if let Err(error) = barekey_typegen::write::clean_up_on_signals() {
        out.line(&format!(
            "warning: cannot watch for SIGINT and SIGTERM ({error}); an interrupted write may \
             leave a .barekey-typegen-*.tmp file, which the next run removes"
        ));
    }
    match execute(cli.command, &mut out) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Drift) => ExitCode::from(1),
        Err(error) => {
            out.error(&error);
            ExitCode::from(match error {
                Error::OutputClash { .. } => 2,
                _ => 1,
            })
        }
    }
}

enum Outcome {
    Success,
    Drift,
}

fn execute(command: Command, out: &mut Output) -> Result<Outcome, Error> {
    match command {
        Command::Pull {
            out: path,
            watch: watching,
            connection,
        } => {
            if watching.watch {
                connection.refuse_several_stages(
                    "pull",
                    "--watch follows one stage; give --stage once with --watch (or run one \
                     watch per stage)",
                );
            }
            let stages = connection.several_stages("pull");
            if !stages.is_empty() {
                return pull_stages(path.as_deref(), stages, &connection, out);
            }
            let path = match path {
                Some(path) => path,
                None => one_stage_snapshot_path(&connection)?,
            };
            match watching.plan("pull", vec![watch::Target::Snapshot(path.clone())]) {
                Some(plan) => watch_live(&connection, &plan, out),
                None => pull(&path, &connection, out),
            }
        }
        Command::Generate {
            input,
            live,
            connection,
            rust,
            rust_options,
            ts,
            ts_mode,
            watch: watching,
        } => {
            let mut targets = Vec::new();
            if let Some(path) = &rust {
                targets.push(watch::Target::Rust {
                    path: path.clone(),
                    options: rust_options.options(),
                });
            }
            if let Some(path) = &ts {
                targets.push(watch::Target::TypeScript {
                    path: path.clone(),
                    mode: ts_mode.mode.mode(),
                });
            }
            if watching.watch {
                connection.refuse_several_stages(
                    "generate",
                    "--watch follows one stage's live manifest; give --stage once with --watch",
                );
            }
            if let Some(plan) = watching.plan("generate", targets) {
                // --watch needs --live: there is no manifest file to clash with.
                refuse_output_clash(rust.as_deref(), ts.as_deref())?;
                return watch_live(&connection, &plan, out);
            }
            let job = if live {
                Job::live(&connection, out)?
            } else {
                Job::load("generate", &input, out)?
            };
            job.refuse_clashes(rust.as_deref(), ts.as_deref())?;
            if let Some(rust) = rust {
                let generated = job.rust(&rust_options.options(), out)?;
                emit(&rust, &generated.text, out)?;
            }
            if let Some(ts) = ts {
                let generated = job.typescript(ts_mode.mode, out)?;
                emit(&ts, &generated.text, out)?;
            }
            Ok(Outcome::Success)
        }
        Command::Check {
            input,
            remote,
            connection,
            rust,
            rust_options,
            ts,
            ts_mode,
        } => {
            if remote {
                connection.refuse_several_stages(
                    "check",
                    "check --remote compares each snapshot with the live manifest of its own \
                     stage (its stageSlug); give --stage at most once",
                );
            }
            let job = Job::load("check", &input, out)?;
            let mut fresh = true;
            if remote {
                fresh &= job.matches_live(&connection, out)?;
            }
            if let Some(rust) = rust {
                let generated = job.rust(&rust_options.options(), out)?;
                let flags = format!("--rust {}{}", shell_word(&rust), rust_options.flag());
                let fix = job.fix_command(&flags);
                fresh &= compare(&rust, &generated.text, &fix, out)?;
            }
            if let Some(ts) = ts {
                let generated = job.typescript(ts_mode.mode, out)?;
                let mut flags = format!("--ts {}", shell_word(&ts));
                if ts_mode.mode == TsModeName::Sdk {
                    flags.push_str(" --ts-mode sdk");
                }
                fresh &= compare(&ts, &generated.text, &job.fix_command(&flags), out)?;
            }
            Ok(if fresh {
                Outcome::Success
            } else {
                Outcome::Drift
            })
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "barekey-typegen", &mut script);
            write_stdout(&script)?;
            Ok(Outcome::Success)
        }
    }
}

/// `pull`: fetch, write the snapshot atomically, say what changed.
fn pull(path: &Path, connection: &Connection, out: &mut Output) -> Result<Outcome, Error> {
    let (settings, fetched) = connection.fetch(out)?;
    if path == Path::new("-") {
        write_stdout(&fetched.snapshot)?;
        return Ok(Outcome::Success);
    }
    write_pulled(path, &settings, &fetched, out)?;
    warn_of_stage_snapshots_beside(path, out);
    Ok(Outcome::Success)
}

/// Where a one-stage `pull` without `--out` writes: `barekey.manifest.json` beside the nearest
/// `barekey.json`, unless that folder keeps several stages' snapshots
/// (`barekey.manifest.<stage>.json`) and no `barekey.manifest.json`: then the stage's own file,
/// so refreshing one stage keeps the folder's layout (a `barekey.manifest.json` beside stage
/// snapshots would make the lookup refuse the folder).
fn one_stage_snapshot_path(connection: &Connection) -> Result<PathBuf, Error> {
    let single = settings::default_snapshot_path(&current_dir()?);
    let folder = write::folder_of(&single);
    if single.exists() || stage_snapshots_in(&folder).is_empty() {
        return Ok(single);
    }
    let settings = connection.settings()?;
    let file = manifest::stage_snapshot_file(&settings.stage.value)?;
    Ok(folder.join(file))
}

/// The stages whose snapshots (`barekey.manifest.<stage>.json`) are in `folder`, in byte order.
fn stage_snapshots_in(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut stages: Vec<String> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stage = source::stage_of_snapshot_file(&path)?;
            path.is_file().then(|| stage.to_owned())
        })
        .collect();
    stages.sort();
    stages
}

/// After a one-stage `pull` into `barekey.manifest.json`: warns when stage snapshots
/// (`barekey.manifest.<stage>.json`) are beside it, since the lookup refuses that folder.
fn warn_of_stage_snapshots_beside(path: &Path, out: &mut Output) {
    if path.file_name() != Some(manifest::SNAPSHOT_FILE.as_ref()) {
        return;
    }
    let stages = stage_snapshots_in(&write::folder_of(path));
    if stages.is_empty() {
        return;
    }
    let pull_them: String = stages
        .iter()
        .map(|stage| format!(" --stage {}", shell_word(Path::new(stage))))
        .collect();
    out.line(&format!(
        "warning: the stage snapshots of {} are in the same folder; the snapshot lookup refuses \
         a folder holding both them and {}: remove it (`rm {}`) and run `barekey-typegen \
         pull{pull_them}` to keep checking every stage, or remove them to check one",
        stages.join(", "),
        path.display(),
        shell_word(path),
    ));
}

/// `pull --stage a --stage b`: fetches every stage first, then writes each one's
/// `barekey.manifest.<stage>.json` into `folder` (by default beside the nearest barekey.json),
/// so a failed fetch leaves every snapshot as it was.
fn pull_stages(
    folder: Option<&Path>,
    stages: &[String],
    connection: &Connection,
    out: &mut Output,
) -> Result<Outcome, Error> {
    let folder = match folder {
        Some(folder) if folder == Path::new("-") => usage_error(
            "pull",
            "with several --stage, --out names the folder for their snapshots; `-` (standard \
             output) cannot hold several files",
        ),
        Some(folder) if folder.exists() && !folder.is_dir() => usage_error(
            "pull",
            &format!(
                "with several --stage, --out names the folder for their snapshots, and {} is \
                 a file",
                folder.display()
            ),
        ),
        Some(folder) => folder.to_owned(),
        None => default_snapshot_folder()?,
    };
    let mut paths = Vec::with_capacity(stages.len());
    for stage in stages {
        paths.push(folder.join(manifest::stage_snapshot_file(stage)?));
    }
    let chosen: Vec<_> = stages
        .iter()
        .map(|stage| Some((stage.clone(), Source::Flag("--stage"))))
        .collect();
    let fetched = connection.fetch_stages(&chosen, "no snapshot was written", out)?;
    for ((settings, fetched), path) in fetched.iter().zip(&paths) {
        write_pulled(path, settings, fetched, out)?;
    }
    let single = folder.join(manifest::SNAPSHOT_FILE);
    if single.is_file() {
        out.line(&format!(
            "warning: {single} is in the same folder; the snapshot lookup refuses a folder \
             holding both it and barekey.manifest.<stage>.json files, so remove it: `rm {word}`",
            single = single.display(),
            word = shell_word(&single),
        ));
    }
    Ok(Outcome::Success)
}

/// Writes one fetched snapshot to `path` and prints `pulled N variables of project/stage into
/// PATH (what changed)`.
fn write_pulled(
    path: &Path,
    settings: &Settings,
    fetched: &Fetched,
    out: &mut Output,
) -> Result<(), Error> {
    let new = &fetched.loaded.manifest;
    let changes = manifest::write_snapshot(path, &fetched.snapshot, new)?;
    let count = new.variables.len();
    out.info(&format!(
        "pulled {count} variable{} of {} into {} ({changes})",
        if count == 1 { "" } else { "s" },
        stage(settings),
        path.display()
    ));
    Ok(())
}

/// The folder `pull` writes into by default: that of the nearest barekey.json, else the
/// current one.
fn default_snapshot_folder() -> Result<PathBuf, Error> {
    let path = settings::default_snapshot_path(&current_dir()?);
    Ok(path.parent().map(Path::to_owned).unwrap_or_default())
}

/// `--watch`: writes the plan's targets from the live manifest whenever it changes, until
/// SIGINT or SIGTERM (then exit 0), saying what changed.
fn watch_live(
    connection: &Connection,
    plan: &watch::Plan,
    out: &mut Output,
) -> Result<Outcome, Error> {
    let settings = connection.settings()?;
    let stage = stage(&settings);
    let stop = Stop::on_signals().unwrap_or_else(|error| {
        out.line(&format!(
            "warning: cannot watch for SIGINT and SIGTERM ({error}); they end the watch at \
             once instead of between two writes"
        ));
        Stop::new()
    });
    out.info(&format!(
        "watching the live manifest of {stage} every {} s; Ctrl-C stops",
        plan.interval.as_secs()
    ));
    out.start_spinner(format!("watching {stage}"));
    let result = watch::watch(
        &settings,
        &connection.options(),
        plan,
        &stop,
        &mut |event| {
            out.watch_event(&event, &stage);
        },
    );
    out.stop_spinner();
    result?;
    out.info("stopped watching");
    Ok(Outcome::Success)
}

/// `project/stage`, as messages name a stage.
fn stage(settings: &Settings) -> String {
    format!("{}/{}", settings.project.value, settings.stage.value)
}

/// The manifest a command works from, and how the user pointed at it.
struct Job {
    /// The snapshots read, in the order given or found (several stages' are merged); none for
    /// the live manifest.
    paths: Vec<PathBuf>,
    /// Whether the snapshots were named with --manifest (else found by the lookup).
    explicit: bool,
    loaded: Loaded,
    /// What generated code names as its source: the snapshots' paths or the live URLs.
    origin: String,
}

impl Job {
    /// The snapshots named with --manifest, else those the lookup finds: one stage's, or
    /// several stages' merged.
    fn load(command: &str, input: &Input, out: &mut Output) -> Result<Job, Error> {
        let (paths, explicit) = if input.manifest.is_empty() {
            (source::find_snapshots(&current_dir()?)?, false)
        } else {
            (input.manifest.clone(), true)
        };
        for (later, path) in paths.iter().enumerate() {
            if let Some(first) = paths[..later]
                .iter()
                .find(|earlier| write::same_file(earlier, path))
            {
                usage_error(
                    command,
                    &format!(
                        "--manifest {} and --manifest {} name one file; give each stage's \
                         snapshot once",
                        first.display(),
                        path.display()
                    ),
                );
            }
        }
        let loaded = source::read_stages(&paths)?;
        out.warnings(&loaded.warnings);
        Ok(Job {
            origin: join_displayed(paths.iter().map(|path| path.display())),
            paths,
            explicit,
            loaded,
        })
    }

    /// The live manifest, for `generate --live`: with several --stage, each stage's, merged.
    fn live(connection: &Connection, out: &mut Output) -> Result<Job, Error> {
        let stages = connection.several_stages("generate");
        if stages.is_empty() {
            let (_, fetched) = connection.fetch(out)?;
            return Ok(Job {
                paths: Vec::new(),
                explicit: false,
                loaded: fetched.loaded,
                origin: fetched.url,
            });
        }
        let chosen: Vec<_> = stages
            .iter()
            .map(|stage| Some((stage.clone(), Source::Flag("--stage"))))
            .collect();
        let fetched = connection.fetch_stages(&chosen, "nothing was generated", out)?;
        let manifests: Vec<(&str, &manifest::Manifest)> = fetched
            .iter()
            .map(|(_, fetched)| (fetched.url.as_str(), &fetched.loaded.manifest))
            .collect();
        let merged = manifest::merge_stages(&manifests)?;
        out.warnings(&merged.warnings);
        Ok(Job {
            paths: Vec::new(),
            explicit: false,
            loaded: merged,
            origin: join_displayed(fetched.iter().map(|(_, fetched)| &fetched.url)),
        })
    }

    /// Whether each snapshot holds exactly the live manifest of its stage; lists the
    /// differences and the `pull` that updates them if not.
    fn matches_live(&self, connection: &Connection, out: &mut Output) -> Result<bool, Error> {
        match self.paths.as_slice() {
            [path] if source::stage_of_snapshot_file(path).is_none() => {
                self.matches_live_stage(path, connection, out)
            }
            _ => self.stages_match_live(connection, out),
        }
    }

    /// One snapshot, `barekey.manifest.json` or another file named with --manifest: compared
    /// with the live manifest of the settings' stage (--stage, $BAREKEY_STAGE, barekey.json).
    fn matches_live_stage(
        &self,
        path: &Path,
        connection: &Connection,
        out: &mut Output,
    ) -> Result<bool, Error> {
        let (settings, fetched) = connection.fetch(out)?;
        let current = read_snapshot_bytes(path)?;
        let Some(lines) = manifest::drift(
            &current,
            &self.loaded.manifest,
            &fetched.snapshot,
            &fetched.loaded.manifest,
        ) else {
            out.info(&matches_line(path, &settings));
            return Ok(true);
        };
        let fix = if self.explicit {
            format!("barekey-typegen pull --out {}", shell_word(path))
        } else {
            "barekey-typegen pull".to_owned()
        };
        out.drift(&format!(
            "{}\nrun `{fix}` to update it",
            drift_report(path, &settings, &lines)
        ));
        Ok(false)
    }

    /// Several stages' snapshots (or one `barekey.manifest.<stage>.json`): each compared with
    /// the live manifest of its own stage, which is its `stageSlug`, else the `<stage>` of its
    /// file's name, else the settings' stage. Every stage is fetched before any is reported.
    fn stages_match_live(&self, connection: &Connection, out: &mut Output) -> Result<bool, Error> {
        if self.paths.len() > 1 && !connection.stage.is_empty() {
            usage_error(
                "check",
                "with several snapshots, --remote compares each with the live manifest of its own \
                 stage (its stageSlug), so --stage has no say; drop --stage, or give one \
                 snapshot with --manifest",
            );
        }
        let mut snapshots = Vec::with_capacity(self.paths.len());
        let mut chosen = Vec::with_capacity(self.paths.len());
        for path in &self.paths {
            let bytes = read_snapshot_bytes(path)?;
            let loaded = source::parse_manifest_bytes(&bytes, &path.display().to_string())?;
            let stage = match (
                &loaded.manifest.stage_slug,
                source::stage_of_snapshot_file(path),
            ) {
                (Some(slug), _) => Some((slug.clone(), "stageSlug")),
                (None, Some(stage)) => Some((stage.to_owned(), "its file name")),
                (None, None) => None,
            };
            chosen.push(stage.map(|(stage, key)| {
                let source = Source::File {
                    path: path.clone(),
                    key,
                };
                (stage, source)
            }));
            snapshots.push((path, bytes, loaded.manifest));
        }
        let fetched = connection.fetch_stages(&chosen, "no stage was checked", out)?;
        // Two snapshots without a stage of their own both fall back to the settings' stage.
        for (later, (settings, _)) in fetched.iter().enumerate() {
            let stage = &settings.stage.value;
            if let Some(first) = fetched[..later]
                .iter()
                .position(|(earlier, _)| earlier.stage.value == *stage)
            {
                return Err(Error::DuplicateStage {
                    stage: stage.clone(),
                    first: snapshots[first].0.display().to_string(),
                    second: snapshots[later].0.display().to_string(),
                });
            }
        }
        let mut reports = Vec::new();
        let mut drifted = Vec::new();
        for ((path, bytes, committed), (settings, fetched)) in snapshots.iter().zip(&fetched) {
            let live = &fetched.loaded.manifest;
            match manifest::drift(bytes, committed, &fetched.snapshot, live) {
                None => out.info(&matches_line(path, settings)),
                Some(lines) => {
                    reports.push(drift_report(path, settings, &lines));
                    drifted.push((settings.stage.value.as_str(), path.as_path()));
                }
            }
        }
        let Some(last) = reports.pop() else {
            return Ok(true);
        };
        for report in reports {
            out.drift(&report);
        }
        out.drift(&format!(
            "{last}\nrun `{}` to update {}",
            pull_stages_command(&drifted)?,
            if drifted.len() == 1 { "it" } else { "them" }
        ));
        Ok(false)
    }

    fn rust(&self, options: &codegen::Options, out: &mut Output) -> Result<Generated, Error> {
        let generated = codegen::generate_rust(&self.loaded.manifest, options, &self.origin)?;
        out.warnings(&generated.warnings);
        Ok(generated)
    }

    fn typescript(&self, mode: TsModeName, out: &mut Output) -> Result<Generated, Error> {
        let options = codegen::Options::default();
        let generated = codegen::generate_typescript(
            &self.loaded.manifest,
            mode.mode(),
            &options,
            &self.origin,
        )?;
        out.warnings(&generated.warnings);
        Ok(generated)
    }

    /// A usage error when an output would overwrite a manifest being read, or both outputs
    /// are one file, also through links: exit 2, before anything is written.
    fn refuse_clashes(&self, rust: Option<&Path>, ts: Option<&Path>) -> Result<(), Error> {
        for (flag, output) in [("--rust", rust), ("--ts", ts)] {
            let Some(output) = output else { continue };
            if self.paths.iter().any(|path| write::same_file(output, path)) {
                return Err(Error::OutputClash {
                    path: output.to_owned(),
                    other: format!("the manifest being read ({flag} names it)"),
                });
            }
        }
        refuse_output_clash(rust, ts)
    }

    /// The command that regenerates an output, given its flags (`--rust PATH`), from the same
    /// manifests (every --manifest again).
    fn fix_command(&self, output_flags: &str) -> String {
        let mut command = String::from("barekey-typegen generate");
        if self.explicit {
            for path in &self.paths {
                command.push_str(&format!(" --manifest {}", shell_word(path)));
            }
        }
        command.push_str(&format!(" {output_flags}"));
        command
    }
}

/// `PATH matches the live manifest of project/stage`.
fn matches_line(path: &Path, settings: &Settings) -> String {
    format!(
        "{} matches the live manifest of {}",
        path.display(),
        stage(settings)
    )
}

/// `PATH differs from the live manifest of project/stage:` and one `  - change` line each.
fn drift_report(path: &Path, settings: &Settings, lines: &[String]) -> String {
    let mut report = format!(
        "{} differs from the live manifest of {}:",
        path.display(),
        stage(settings)
    );
    for line in lines {
        report.push_str(&format!("\n  - {line}"));
    }
    report
}

/// A snapshot's bytes, for `check --remote` to compare.
fn read_snapshot_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    limit::read_file(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// The `pull` that brings the snapshots `drifted` (each with its stage) up to date: one
/// `pull --stage a --stage b` when they are the `barekey.manifest.<stage>.json` files of one
/// folder (with `--out` unless it is where `pull` writes by default), else one
/// `pull --stage a --out PATH` per snapshot. (A single `--stage` writes the file --out names.)
fn pull_stages_command(drifted: &[(&str, &Path)]) -> Result<String, Error> {
    let folder_of = write::folder_of;
    let folder = folder_of(drifted[0].1);
    let together = drifted.len() > 1
        && drifted.iter().all(|(stage, path)| {
            folder_of(path) == folder
                && manifest::stage_snapshot_file(stage)
                    .is_ok_and(|file| path.file_name().is_some_and(|name| name == file.as_str()))
        });
    let stage_word = |stage: &str| shell_word(Path::new(stage));
    if !together {
        let commands: Vec<String> = drifted
            .iter()
            .map(|(stage, path)| {
                format!(
                    "barekey-typegen pull --stage {} --out {}",
                    stage_word(stage),
                    shell_word(path)
                )
            })
            .collect();
        return Ok(commands.join(" && "));
    }
    let mut command = String::from("barekey-typegen pull");
    for (stage, _) in drifted {
        command.push_str(&format!(" --stage {}", stage_word(stage)));
    }
    if !write::same_file(&folder, &default_snapshot_folder()?) {
        command.push_str(&format!(" --out {}", shell_word(&folder)));
    }
    Ok(command)
}

/// Items as a message lists them: `a, b`.
fn join_displayed<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses --rust and --ts naming the same file (exit status 2): one would overwrite the
/// other.
fn refuse_output_clash(rust: Option<&Path>, ts: Option<&Path>) -> Result<(), Error> {
    if let (Some(rust), Some(ts)) = (rust, ts) {
        if write::same_file(rust, ts) {
            return Err(Error::OutputClash {
                path: ts.to_owned(),
                other: "given to both --rust and --ts".to_owned(),
            });
        }
    }
    Ok(())
}

fn current_dir() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })
}

fn emit(path: &Path, text: &str, out: &mut Output) -> Result<(), Error> {
    if path == Path::new("-") {
        return write_stdout(text.as_bytes());
    }
    let message = match write_if_changed(path, text.as_bytes())? {
        Written::Created => "created",
        Written::Updated => "updated",
        Written::Unchanged => "unchanged",
    };
    out.info(&format!("{message} {}", path.display()));
    Ok(())
}

/// Whether `path` holds exactly `expected`; says what differs and how to fix it otherwise.
/// What only the `--ts-mode sdk` file holds.
const SDK_MARKER: &str = "declare module \"@barekey/sdk\"";

fn compare(path: &Path, expected: &str, fix: &str, out: &mut Output) -> Result<bool, Error> {
    let current = match limit::read_file(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            out.drift(&format!(
                "{} does not exist; run `{fix}` to create it",
                path.display()
            ));
            return Ok(false);
        }
        Err(source) => {
            return Err(Error::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    if current == expected.as_bytes() {
        out.info(&format!("{} is up to date", path.display()));
        return Ok(true);
    }
    let current = String::from_utf8_lossy(&current);
    // The sdk file and the standalone module differ from the first line: say which was meant,
    // rather than suggest a command that would replace one mode's file with the other's.
    let is_sdk = |text: &str| text.contains(SDK_MARKER);
    if path.extension().is_some_and(|ext| ext == "ts") && is_sdk(&current) != is_sdk(expected) {
        let (found, other) = if is_sdk(&current) {
            ("--ts-mode sdk", "standalone")
        } else {
            ("--ts-mode standalone", "sdk")
        };
        out.drift(&format!(
            "{} holds the file {found} writes, not the {other} one this check generated; check it \
             with the --ts-mode it was written with, or run `{fix}` to replace it",
            path.display()
        ));
        return Ok(false);
    }
    let message = match first_difference(&current, expected) {
        Difference::LineEndings => format!(
            "{path} differs from a fresh generation only in line endings (CRLF, a lone carriage \
             return or a missing final newline) and is compared byte for byte; add \
             `{name} text eol=lf` to .gitattributes, or run `{fix}` to regenerate it",
            path = path.display(),
            name = gitattributes_pattern(path),
        ),
        Difference::AtLine(line) => format!(
            "{} is stale (it first differs from a fresh generation at line {line}); run `{fix}` \
             to update it",
            path.display()
        ),
    };
    out.drift(&message);
    Ok(false)
}

/// A manifest's version as messages show it.
fn version(manifest: &barekey_typegen::manifest::Manifest) -> &str {
    manifest
        .manifest_version
        .as_deref()
        .unwrap_or("(no version)")
}

/// `updated src/env.rs, unchanged src/env.ts`.
fn list_outcomes(outcomes: &[watch::Outcome]) -> String {
    let listed: Vec<String> = outcomes
        .iter()
        .map(|outcome| {
            let verb = match outcome.written {
                Written::Created => "created",
                Written::Updated => "updated",
                Written::Unchanged => "unchanged",
            };
            format!("{verb} {}", outcome.path.display())
        })
        .collect();
    listed.join(", ")
}

/// How a file differs from a fresh generation that it does not match byte for byte.
#[derive(Debug, PartialEq)]
enum Difference {
    /// Only CRLF or lone CR line ends, or the final newline: what a Windows checkout changes.
    LineEndings,
    /// The first line (1-based, counting any line end as one) whose text differs.
    AtLine(usize),
}

/// Compares line by line in one bounded pass, with `\r\n` and a lone `\r` read as line ends.
fn first_difference(current: &str, expected: &str) -> Difference {
    let normalise = |text: &str| text.replace("\r\n", "\n").replace('\r', "\n");
    let (current, expected) = (normalise(current), normalise(expected));
    let body = |text: &str| text.strip_suffix('\n').unwrap_or(text).to_owned();
    if body(&current) == body(&expected) {
        return Difference::LineEndings;
    }
    let mut current_lines = current.lines();
    let mut expected_lines = expected.lines();
    let mut line = 1;
    // Ends: the texts differ, so one of the two runs out or a pair differs.
    loop {
        match (current_lines.next(), expected_lines.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            _ => return Difference::AtLine(line),
        }
    }
}

/// The file's name as a `.gitattributes` pattern.
fn gitattributes_pattern(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// A path as one shell word, quoted only when it needs to be.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+=:@".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        // The reader went away (`| head`): nothing is lost, and there is no one to tell.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(|source| Error::Write {
            path: PathBuf::from("<standard output>"),
            what: "writing",
            source,
        }),
    }
}

/// Where messages go: stderr, so stdout carries only generated output.
struct Output {
    quiet: bool,
    /// The watch's spinner, which lines are printed around.
    spinner: Option<ProgressBar>,
}

impl Output {
    fn info(&mut self, message: &str) {
        if !self.quiet {
            self.line(message);
        }
    }

    fn warnings(&mut self, warnings: &[Warning]) {
        for warning in warnings {
            self.line(&format!("warning: {warning}"));
        }
    }

    /// A spinner on stderr while network work runs: only on a terminal, never with --quiet.
    fn spinner(&mut self, message: String) -> ProgressBar {
        if self.quiet || !io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let spinner = ProgressBar::new_spinner();
        spinner.set_message(message);
        spinner.enable_steady_tick(Duration::from_millis(100));
        spinner
    }

    /// The watch's spinner, shown until [`Output::stop_spinner`] (on a terminal, without
    /// --quiet).
    fn start_spinner(&mut self, message: String) {
        let spinner = self.spinner(message);
        if !spinner.is_hidden() {
            self.spinner = Some(spinner);
        }
    }

    fn stop_spinner(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }

    /// One watch event, as one line: with --quiet only changes and faults.
    fn watch_event(&mut self, event: &watch::Event<'_>, stage: &str) {
        match event {
            watch::Event::Started { manifest, outcomes } => {
                let wrote = outcomes
                    .iter()
                    .any(|outcome| outcome.written != Written::Unchanged);
                let count = manifest.variables.len();
                let line = format!(
                    "manifest {} of {stage}, {count} variable{}: {}",
                    version(manifest),
                    if count == 1 { "" } else { "s" },
                    list_outcomes(outcomes)
                );
                if wrote || !self.quiet {
                    self.line(&line);
                }
            }
            watch::Event::Changed {
                old,
                new,
                changes,
                outcomes,
            } => self.line(&format!(
                "manifest {} -> {}: {}; {}",
                version(old),
                version(new),
                changes.join("; "),
                list_outcomes(outcomes)
            )),
            watch::Event::Warnings(warnings) => self.warnings(warnings),
            watch::Event::Outage(error) => {
                let text = error.to_string();
                let text: Vec<&str> = text.lines().collect();
                self.line(&format!(
                    "error: {}; the watch goes on, retrying less often; the output is left as it is",
                    text.join("; ")
                ));
            }
            watch::Event::Recovered { failures } => self.line(&format!(
                "the live manifest of {stage} answers again, after {failures} failed fetch{}",
                if *failures == 1 { "" } else { "es" }
            )),
            _ => {}
        }
    }

    fn drift(&mut self, message: &str) {
        self.line(&format!("error: {message}"));
    }

    fn error(&mut self, error: &Error) {
        let mut text = format!("error: {error}");
        let mut cause = std::error::Error::source(error);
        while let Some(inner) = cause {
            text.push_str(&format!("\n  caused by: {inner}"));
            cause = inner.source();
        }
        self.line(&text);
    }

    fn line(&mut self, text: &str) {
        // Nothing useful can be done when stderr itself is gone.
        let write = || {
            let _ = writeln!(io::stderr().lock(), "{text}");
        };
        match &self.spinner {
            Some(spinner) => spinner.suspend(write),
            None => write(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Difference, first_difference};

    #[test]
    fn line_ending_differences_are_named_as_such() {
        let expected = "one\ntwo\n";
        for current in ["one\r\ntwo\r\n", "one\rtwo\r", "one\ntwo", "one\r\ntwo"] {
            assert_eq!(
                first_difference(current, expected),
                Difference::LineEndings,
                "{current:?}"
            );
        }
    }

    #[test]
    fn other_differences_name_the_first_differing_line() {
        let expected = "one\ntwo\nthree\n";
        for (current, line) in [
            ("one\r\nTWO\r\nthree\r\n", 2),
            ("one\ntwo\n", 3),
            ("one\ntwo\nthree\nfour\n", 4),
            ("", 1),
            ("one\ntwo\nthree\n\n", 4),
        ] {
            assert_eq!(
                first_difference(current, expected),
                Difference::AtLine(line),
                "{current:?}"
            );
        }
    }
}
