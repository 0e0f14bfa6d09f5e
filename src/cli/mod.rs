//! Command-line front-end: one file per subcommand, each arguments in, one library call,
//! exit code out. It decides where options come from, where output goes and how errors look;
//! every rule lives in the library.

mod args;
mod check;
mod completions;
mod env;
mod generate;
mod manifests;
mod messages;
mod output;
mod pull;
mod watching;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use barekey_typegen::Error;
use barekey_typegen::settings::Settings;
use clap::{ArgGroup, CommandFactory as _, Parser, Subcommand};

use args::{
    AttributeArgs, CheckedDocOutputs, CheckedSelectionArgs, Connection, DocOutputs, Input,
    MessageFormatArg, RustOptions, SelectionArgs, TsModeArg, WatchArgs, not_stdout,
};
use output::Output;

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
    /// Print nothing but warnings and errors (and, where --watch runs, what changed).
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
  barekey-typegen generate --env-example .env.example --markdown VARIABLES.md
  barekey-typegen generate --manifest fixtures/demo.manifest.json --rust -
  barekey-typegen check --remote --rust src/barekey_env.rs
  barekey-typegen generate --live --watch --rust src/barekey_env.rs
  barekey-typegen pull --stage production --stage staging
  barekey-typegen generate --manifest prod.json --manifest staging.json --rust -
  barekey-typegen env check --stage production

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
        messages: MessageFormatArg,
        #[command(flatten)]
        connection: Connection,
    },
    /// Generate typed accessors from the manifest snapshot, or the live one with --live.
    #[command(group(ArgGroup::new("outputs").required(true).multiple(true).args(["rust", "ts", "env_example", "markdown"])))]
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
        docs: DocOutputs,
        #[command(flatten)]
        rust_options: RustOptions,
        #[command(flatten)]
        ts_mode: TsModeArg,
        #[command(flatten)]
        selection: SelectionArgs,
        #[command(flatten)]
        attributes: AttributeArgs,
        #[command(flatten)]
        watch: WatchArgs,
        #[command(flatten)]
        messages: MessageFormatArg,
        #[command(flatten)]
        connection: Connection,
    },
    /// Exit 1 when a generated file is stale or missing, or the snapshot is behind the live
    /// manifest (--remote); for CI.
    #[command(group(ArgGroup::new("outputs").required(true).multiple(true).args(["rust", "ts", "env_example", "markdown", "remote"])))]
    Check {
        #[command(flatten)]
        input: Input,
        /// Also exit 1 when the snapshot differs from the live manifest, naming each variable
        /// added, removed or changed and what changed; several stages' snapshots are each
        /// compared with their own stage's (the snapshot's stageSlug).
        #[arg(long)]
        remote: bool,
        /// With --remote, also print the drift on standard output as FORMAT: `markdown`, a
        /// summary for a pull-request comment or $GITHUB_STEP_SUMMARY (what changed per stage,
        /// the command that refreshes it)
        #[arg(long, value_name = "FORMAT", requires = "remote")]
        format: Option<ReportFormat>,
        /// The Rust module to compare with a fresh generation.
        #[arg(long, value_name = "PATH", value_parser = not_stdout)]
        rust: Option<PathBuf>,
        /// The TypeScript module to compare with a fresh generation.
        #[arg(long, value_name = "PATH", value_parser = not_stdout)]
        ts: Option<PathBuf>,
        #[command(flatten)]
        docs: CheckedDocOutputs,
        #[command(flatten)]
        rust_options: RustOptions,
        #[command(flatten)]
        ts_mode: TsModeArg,
        #[command(flatten)]
        selection: SelectionArgs,
        #[command(flatten)]
        attributes: AttributeArgs,
        #[command(flatten)]
        messages: MessageFormatArg,
        #[command(flatten)]
        connection: Connection,
    },
    /// The current environment against the manifest: exit 1 listing every missing or invalid
    /// variable, parsed as the application would; for container entrypoints and deploy steps.
    #[command(subcommand)]
    Env(EnvCommand),
    /// Print a completion script for SHELL to standard output.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
enum EnvCommand {
    /// Exit 1 when a variable the application reads is missing from the current environment
    /// or does not parse as its declared type (its A/B arms, its JSON shape), listing each;
    /// private values are never shown.
    Check {
        #[command(flatten)]
        input: Input,
        /// With several stages' snapshots, the stage the process runs in, whose snapshot alone
        /// it is checked against [default: $BAREKEY_STAGE, else barekey.json's "stage"; with
        /// neither, several snapshots are refused]
        #[arg(long, value_name = "SLUG", value_hint = clap::ValueHint::Other)]
        stage: Option<String>,
        #[command(flatten)]
        selection: CheckedSelectionArgs,
    },
}

/// How `check --remote --format` prints the drift on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    // A Markdown summary (no doc comment: clap would print a long help for one value).
    Markdown,
}

/// A usage error found after clap's own checks: reported as clap reports its own, exit 2.
#[derive(Debug)]
pub(crate) struct Usage {
    command: &'static str,
    message: String,
}

impl Usage {
    pub(crate) fn new(command: &'static str, message: impl Into<String>) -> Usage {
        Usage {
            command,
            message: message.into(),
        }
    }
}

/// Why a command did not succeed: a usage error (exit 2) or a failure (exit 1, or 2 for an
/// output that would overwrite an input or an API URL that cannot be one).
#[derive(Debug)]
pub(crate) enum Failure {
    Usage(Usage),
    Error(Error),
}

impl From<Usage> for Failure {
    fn from(usage: Usage) -> Failure {
        Failure::Usage(usage)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Error(error)
    }
}

/// How a command ended, when it ran to its end.
pub(crate) enum Outcome {
    Success,
    Drift,
}

/// Parses arguments, runs the command and turns the outcome into an exit code:
/// 0 success, 1 failure or drift, 2 usage error (clap's own, or [`Usage`]).
pub(crate) fn run(signals: io::Result<()>) -> ExitCode {
    let cli = Cli::parse();
    let json = match &cli.command {
        Command::Pull { messages, .. }
        | Command::Generate { messages, .. }
        | Command::Check { messages, .. } => messages.json(),
        Command::Env(_) | Command::Completions { .. } => false,
    };
    let mut out = Output {
        quiet: cli.quiet,
        spinner: None,
        json,
    };
    if let Err(error) = signals {
        out.warning(&format!(
            "cannot watch for SIGINT and SIGTERM ({error}); an interrupted write may leave a \
             .barekey-typegen-*.tmp file, which the next run removes"
        ));
    }
    let result = match cli.command {
        Command::Pull {
            out: path,
            watch,
            messages,
            connection,
        } => {
            let outputs: Vec<&Path> = path.as_deref().into_iter().collect();
            match messages.refuse_stdout("pull", &outputs) {
                Ok(()) => pull::run(path.clone(), &watch, &connection, &mut out),
                Err(usage) => Err(usage.into()),
            }
        }
        Command::Generate {
            input,
            live,
            rust,
            ts,
            docs,
            rust_options,
            ts_mode,
            selection,
            attributes,
            watch,
            messages,
            connection,
        } => selection
            .refuse_sdk_file("generate", &ts_mode)
            .and_then(|()| {
                let outputs = [&rust, &ts, &docs.env_example, &docs.markdown];
                let paths: Vec<&Path> = outputs.iter().filter_map(|p| p.as_deref()).collect();
                messages.refuse_stdout("generate", &paths)
            })
            .map_err(Failure::from)
            .and_then(|()| {
                generate::run(
                    &generate::Args {
                        input,
                        live,
                        rust,
                        ts,
                        env_example: docs.env_example,
                        markdown: docs.markdown,
                        options: rust_options
                            .options(&ts_mode)
                            .with_selection(selection.selection())
                            .with_attributes(attributes.attributes()),
                        watch,
                        connection,
                    },
                    &mut out,
                )
            }),
        Command::Check {
            input,
            remote,
            format,
            rust,
            ts,
            docs,
            rust_options,
            ts_mode,
            selection,
            attributes,
            messages,
            connection,
        } => check::run(
            &check::Args {
                input,
                remote,
                markdown_summary: format == Some(ReportFormat::Markdown),
                json: messages.json(),
                rust,
                ts,
                env_example: docs.env_example,
                markdown: docs.markdown,
                rust_options,
                ts_mode,
                selection,
                attributes,
                connection,
            },
            &mut out,
        ),
        Command::Env(EnvCommand::Check {
            input,
            stage,
            selection,
        }) => env::run(
            &env::Args {
                manifest: input.manifest,
                stage,
                selection: selection.selection(),
            },
            &mut out,
        ),
        Command::Completions { shell } => {
            let script = completions::script(shell, &mut Cli::command(), "barekey-typegen");
            output::write_stdout(&script)
                .map(|()| Outcome::Success)
                .map_err(Failure::from)
        }
    };
    let code = match result {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Drift) => 1,
        Err(Failure::Usage(usage)) => usage_error(&usage),
        Err(Failure::Error(error)) => {
            out.error(&error);
            failure_status(&error)
        }
    };
    out.emit(&messages::finished(code));
    ExitCode::from(code)
}

/// The exit status of a failure: 2 for an output that would overwrite an input, and for an API
/// URL that cannot be one (the user's to fix, wherever it was given: a flag,
/// `BAREKEY_API_URL`, the Barekey CLI's config), also when a stage's fetch reports it; else 1.
fn failure_status(error: &Error) -> u8 {
    match error {
        Error::OutputClash { .. } | Error::InvalidApiUrl { .. } => 2,
        Error::StageFetch { source, .. } => failure_status(source),
        _ => 1,
    }
}

/// Reports a usage error of its command as clap reports its own, and ends with exit status 2.
fn usage_error(usage: &Usage) -> ! {
    let mut cli = Cli::command();
    cli.build();
    // `env check`: the nested subcommand's usage.
    let mut command = &mut cli;
    for name in usage.command.split(' ') {
        if command.find_subcommand(name).is_none() {
            break;
        }
        command = command.find_subcommand_mut(name).expect("found just above");
    }
    command
        .error(clap::error::ErrorKind::ArgumentConflict, &usage.message)
        .exit()
}

/// `project/stage`, as messages name a stage.
fn stage(settings: &Settings) -> String {
    format!("{}/{}", settings.project.value, settings.stage.value)
}

fn current_dir() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })
}
