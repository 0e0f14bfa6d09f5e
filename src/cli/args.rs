//! The argument groups several subcommands share, and what each turns into.

use std::path::{Path, PathBuf};
use std::time::Duration;

use barekey_typegen::codegen;
use barekey_typegen::fetch::FetchOptions;
use barekey_typegen::remote::Live;
use barekey_typegen::settings::{Overrides, Source};
use barekey_typegen::source::layout::shell_word;
use barekey_typegen::watch;
use clap::{ArgAction, ValueHint};

use super::Usage;

#[derive(Debug, clap::Args)]
pub(crate) struct Input {
    /// The manifest snapshot to read; once per stage for several stages of one project, whose
    /// variables are merged (one some stages lack is optional) [default: $BAREKEY_MANIFEST,
    /// else barekey.manifest.json, or every barekey.manifest.<stage>.json, beside the nearest
    /// barekey.json or Cargo.toml, walking up]
    #[arg(long, value_name = "PATH", action = ArgAction::Append)]
    pub(crate) manifest: Vec<PathBuf>,
}

/// `--message-format` (`pull`, `generate`, `check`): cargo's convention.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Messages")]
pub(crate) struct MessageFormatArg {
    /// human: messages on stderr only. json: also one JSON object per line on stdout for each
    /// file written or checked, drift found, variable changed and warning, each with a
    /// `reason` and the shape's `version` (docs/message-format.md)
    #[arg(long, value_name = "FMT", default_value = "human")]
    message_format: MessageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

impl MessageFormatArg {
    /// Whether JSON objects go to stdout.
    pub(crate) fn json(&self) -> bool {
        self.message_format == MessageFormat::Json
    }

    /// A usage error of `command` when JSON objects and an output (`paths`) would both go to
    /// stdout.
    pub(crate) fn refuse_stdout(
        &self,
        command: &'static str,
        paths: &[&Path],
    ) -> Result<(), Usage> {
        if self.json() && paths.iter().any(|path| *path == Path::new("-")) {
            return Err(Usage::new(
                command,
                "--message-format json prints its messages on standard output, so no output \
                 may go there too; give a file path instead of `-`",
            ));
        }
        Ok(())
    }
}

/// The outputs for people (`generate`): a `.env.example` and a Markdown reference.
#[derive(Debug, clap::Args)]
pub(crate) struct DocOutputs {
    /// Write a .env.example to PATH (`-` for standard output): one `NAME=` line per variable
    /// with a comment of its kind, type, visibility and stages; never a value or a private arm
    #[arg(long, value_name = "PATH")]
    pub(crate) env_example: Option<PathBuf>,
    /// Write a Markdown reference of the variables to PATH (`-` for standard output); with
    /// several stages, a variable x stage matrix
    #[arg(long, value_name = "PATH")]
    pub(crate) markdown: Option<PathBuf>,
}

/// The outputs for people (`check`), compared with a fresh generation.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckedDocOutputs {
    /// The .env.example to compare with a fresh generation
    #[arg(long, value_name = "PATH", value_parser = not_stdout)]
    pub(crate) env_example: Option<PathBuf>,
    /// The Markdown reference to compare with a fresh generation
    #[arg(long, value_name = "PATH", value_parser = not_stdout)]
    pub(crate) markdown: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct RustOptions {
    /// The path the Rust module names barekey-typegen-runtime by, when Cargo.toml renames it
    /// (`::bkrt`) [default: ::barekey_typegen_runtime]
    #[arg(long, value_name = "PATH", value_parser = runtime_crate, value_hint = ValueHint::Other)]
    runtime_crate: Option<codegen::RuntimeCrate>,
}

impl RustOptions {
    /// The generator's options with these and the TypeScript mode `ts`.
    pub(crate) fn options(&self, ts: &TsModeArg) -> codegen::Options {
        let mut options = codegen::Options::default().with_ts_mode(ts.mode.mode());
        if let Some(path) = &self.runtime_crate {
            options.runtime_crate = path.clone();
        }
        options
    }

    /// The flag that gives the same option again, for a command to copy (empty by default).
    pub(crate) fn flag(&self) -> String {
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
pub(crate) struct TsModeArg {
    /// What --ts writes: a self-contained module with runtime parsing (standalone), or the
    /// official Barekey CLI's `declare module "@barekey/sdk"` file (sdk).
    #[arg(
        long = "ts-mode",
        value_name = "MODE",
        default_value = "standalone",
        requires = "ts"
    )]
    pub(crate) mode: TsModeName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TsModeName {
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

/// Which variables the outputs hold (`generate`, `check`): what one consumer reads.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Selection")]
pub(crate) struct SelectionArgs {
    /// The outputs hold only the variables PATTERN selects: a Barekey name, in which `*`
    /// matches any run of characters (`\*` is a `*` of the name); repeat it for several. A name
    /// no variable has is an error naming the closest ones
    #[arg(long, value_name = "PATTERN", action = ArgAction::Append)]
    only: Vec<String>,
    /// The outputs hold only public variables: no private variable's name, type or arm
    /// appears in them, and their parser needs no private value (a browser's module)
    #[arg(long)]
    public_only: bool,
}

impl SelectionArgs {
    /// The selection these flags give.
    pub(crate) fn selection(&self) -> codegen::Selection {
        let mut selection = codegen::Selection::default();
        selection.only = self
            .only
            .iter()
            .map(|text| codegen::Pattern::new(text))
            .collect();
        selection.public_only = self.public_only;
        selection
    }

    /// The flags that give the same selection again, for a command to copy (empty for every
    /// variable).
    pub(crate) fn flags(&self) -> String {
        let mut flags = String::new();
        for pattern in &self.only {
            flags.push_str(&format!(" --only {}", shell_word(Path::new(pattern))));
        }
        if self.public_only {
            flags.push_str(" --public-only");
        }
        flags
    }

    /// A usage error of `command` when a selection is given for the `--ts-mode sdk` file, which
    /// is the official one byte for byte.
    pub(crate) fn refuse_sdk_file(
        &self,
        command: &'static str,
        ts: &TsModeArg,
    ) -> Result<(), Usage> {
        if ts.mode == TsModeName::Sdk && (!self.only.is_empty() || self.public_only) {
            return Err(Usage::new(
                command,
                "--ts-mode sdk writes the official SDK file byte for byte, so it takes no \
                 selection (--only, --public-only); drop --ts-mode sdk for a standalone module \
                 of the selected variables",
            ));
        }
        Ok(())
    }
}

/// Which variables `env check` checks: what one consumer reads.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Selection")]
pub(crate) struct CheckedSelectionArgs {
    /// Check only the variables PATTERN selects: a Barekey name, in which `*` matches any run
    /// of characters (`\*` is a `*` of the name); repeat it for several. A name no variable has
    /// is an error naming the closest ones
    #[arg(long, value_name = "PATTERN", action = ArgAction::Append)]
    only: Vec<String>,
    /// Check only public variables (what a browser's module reads)
    #[arg(long)]
    public_only: bool,
}

impl CheckedSelectionArgs {
    /// The selection these flags give.
    pub(crate) fn selection(&self) -> codegen::Selection {
        let mut selection = codegen::Selection::default();
        selection.only = self
            .only
            .iter()
            .map(|text| codegen::Pattern::new(text))
            .collect();
        selection.public_only = self.public_only;
        selection
    }
}

/// Attributes added to the Rust module's types and fields (`generate`, `check`).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Rust attributes")]
pub(crate) struct AttributeArgs {
    /// Add ATTR (`#[derive(serde::Serialize)]`) to each generated Rust type whose name matches
    /// PATTERN (`BarekeyEnv`, an A/B enum such as `CheckoutFlow`, a JSON struct, `*` for all);
    /// repeatable. The `Debug` that hides private values stays
    #[arg(long, value_name = "PATTERN=ATTR", value_parser = attribute_arg, action = ArgAction::Append, requires = "rust")]
    type_attribute: Vec<AttributeArg>,
    /// Add ATTR to each field of BarekeyEnv whose variable's Barekey name matches PATTERN
    /// (`DATABASE_URL`, `*_URL`, `*`); repeatable
    #[arg(long, value_name = "PATTERN=ATTR", value_parser = attribute_arg, action = ArgAction::Append, requires = "rust")]
    field_attribute: Vec<AttributeArg>,
}

/// One `PATTERN=ATTR`, split at the first `=` and its attribute parsed.
#[derive(Debug, Clone)]
pub(crate) struct AttributeArg {
    written: String,
    pattern: codegen::Pattern,
    attribute: codegen::Attribute,
}

fn attribute_arg(value: &str) -> Result<AttributeArg, String> {
    let split = value
        .split_once('=')
        .filter(|(pattern, _)| !pattern.trim_start().starts_with('#'));
    let Some((pattern, attribute)) = split else {
        return Err("expected PATTERN=ATTR, such as `*=#[derive(serde::Serialize)]`".to_owned());
    };
    Ok(AttributeArg {
        written: value.to_owned(),
        pattern: codegen::Pattern::new(pattern),
        attribute: codegen::Attribute::new(attribute).map_err(|error| error.to_string())?,
    })
}

impl AttributeArgs {
    /// The attributes these flags give.
    pub(crate) fn attributes(&self) -> codegen::Attributes {
        let pairs = |args: &[AttributeArg]| {
            args.iter()
                .map(|arg| (arg.pattern.clone(), arg.attribute.clone()))
                .collect()
        };
        let mut attributes = codegen::Attributes::default();
        attributes.types = pairs(&self.type_attribute);
        attributes.fields = pairs(&self.field_attribute);
        attributes
    }

    /// The flags that give the same attributes again, for a command to copy (empty for none).
    pub(crate) fn flags(&self) -> String {
        let mut flags = String::new();
        for (flag, args) in [
            ("--type-attribute", &self.type_attribute),
            ("--field-attribute", &self.field_attribute),
        ] {
            for arg in args {
                flags.push_str(&format!(" {flag} {}", shell_word(Path::new(&arg.written))));
            }
        }
        flags
    }
}

/// `--watch` and its interval (`pull`, `generate --live`).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Watch")]
pub(crate) struct WatchArgs {
    /// Keep running: fetch the live manifest every --interval and write the output again
    /// whenever it changed, until interrupted (Ctrl-C or SIGTERM, exit status 0)
    #[arg(long)]
    pub(crate) watch: bool,
    /// With --watch, wait SECONDS between two fetches (longer, doubling up to 60 s, while
    /// the service cannot be reached)
    #[arg(long, value_name = "SECONDS", default_value_t = 5, requires = "watch", value_hint = ValueHint::Other,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    interval: u64,
}

impl WatchArgs {
    /// The watch's plan, when --watch was given; `-` (standard output) among `paths` is a
    /// usage error there, since a watch rewrites files.
    pub(crate) fn plan(
        &self,
        command: &'static str,
        paths: &[&Path],
    ) -> Result<Option<watch::Plan>, Usage> {
        if !self.watch {
            return Ok(None);
        }
        if paths.iter().any(|path| *path == Path::new("-")) {
            return Err(Usage::new(
                command,
                "--watch writes files again and again; give a file path instead of `-` \
                 (standard output)",
            ));
        }
        let mut plan = watch::Plan::default();
        plan.interval = Duration::from_secs(self.interval);
        Ok(Some(plan))
    }
}

/// Where the live manifest comes from (`pull`, `generate --live`, `check --remote`).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Live manifest")]
pub(crate) struct Connection {
    /// The organization slug [default: $BAREKEY_ORG, else barekey.json, else the token's]
    #[arg(long, value_name = "SLUG", value_hint = ValueHint::Other)]
    org: Option<String>,
    /// The project slug [default: $BAREKEY_PROJECT, else barekey.json]
    #[arg(long, value_name = "SLUG", value_hint = ValueHint::Other)]
    project: Option<String>,
    /// The stage slug; pull and generate --live take it once per stage for several stages
    /// (only from flags) [default: $BAREKEY_STAGE, else barekey.json]
    #[arg(long, value_name = "SLUG", action = ArgAction::Append, value_hint = ValueHint::Other)]
    pub(crate) stage: Vec<String>,
    /// The API's base URL [default: $BAREKEY_API_URL, else the Barekey CLI's baseUrl, else
    /// https://api.barekey.dev]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    api_url: Option<String>,
    /// Give up on a request after SECONDS
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_hint = ValueHint::Other, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
}

/// What a [`Live`] borrows, owned: built from the flags once per command.
pub(crate) struct LiveParts {
    overrides: Overrides,
    options: FetchOptions,
    start: PathBuf,
}

impl LiveParts {
    /// The live source these parts describe, reading the process environment.
    pub(crate) fn live(&self) -> Live<'_> {
        Live {
            overrides: &self.overrides,
            env: &barekey_typegen::env::var_os,
            start: &self.start,
            options: &self.options,
        }
    }
}

impl Connection {
    /// The stages given with --stage, at least two: empty for one stage (or none), which the
    /// settings resolve. Two equal ones are a usage error of `command`.
    pub(crate) fn several_stages(&self, command: &'static str) -> Result<&[String], Usage> {
        if self.stage.len() < 2 {
            return Ok(&[]);
        }
        for (index, stage) in self.stage.iter().enumerate() {
            if self.stage[..index].contains(stage) {
                return Err(Usage::new(
                    command,
                    format!("--stage {stage} is given twice"),
                ));
            }
        }
        Ok(&self.stage)
    }

    /// A usage error of `command`, saying `why`, when several --stage were given.
    pub(crate) fn refuse_several_stages(
        &self,
        command: &'static str,
        why: &str,
    ) -> Result<(), Usage> {
        if self.several_stages(command)?.is_empty() {
            Ok(())
        } else {
            Err(Usage::new(command, why))
        }
    }

    /// The flags as a live source's parts (one stage: the only --stage, if given), started in
    /// `start`.
    pub(crate) fn parts(&self, start: PathBuf) -> LiveParts {
        let mut overrides = Overrides::default();
        overrides.org.clone_from(&self.org);
        overrides.project.clone_from(&self.project);
        overrides.stage = self.stage.first().cloned();
        overrides.api_url.clone_from(&self.api_url);
        let mut options = FetchOptions::default();
        options.timeout = Duration::from_secs(self.timeout);
        LiveParts {
            overrides,
            options,
            start,
        }
    }

    /// The --stage flags as the stages to fetch.
    pub(crate) fn chosen(stages: &[String]) -> Vec<Option<(String, Source)>> {
        stages
            .iter()
            .map(|stage| Some((stage.clone(), Source::Flag("--stage"))))
            .collect()
    }
}

pub(crate) fn not_stdout(value: &str) -> Result<PathBuf, String> {
    if value == "-" {
        Err("check compares files; `-` (standard output) has nothing to compare".to_owned())
    } else {
        Ok(PathBuf::from(value))
    }
}
