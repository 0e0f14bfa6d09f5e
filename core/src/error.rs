//! The one error type of the core. Front-ends render it their own way; where what fixes an
//! error differs between them, the error carries the [`Front`] it is raised for.

use std::fmt;
use std::path::PathBuf;

pub use barekey_typegen_shared::ApiError;

use crate::manifest::{DeclaredType, Problem};
use crate::source::Searched;
use barekey_typegen_shared::text::{for_terminal, quoted};

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The front-end an error is raised for, where what fixes it differs between them: the CLI
/// has flags, a build script its `Builder` calls, and each of them,
/// `barekey_env!` included, the `BAREKEY_*` variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Front {
    /// The `barekey-typegen` command.
    Cli,
    /// The build helper, `Builder`, in a build script.
    BuildScript,
    /// The `barekey_env!` macro.
    Macro,
}

impl Front {
    /// What names the snapshots to read, instead of the lookup.
    fn manifest_settings(self) -> &'static str {
        match self {
            Front::Cli => "--manifest or BAREKEY_MANIFEST",
            Front::BuildScript => "`Builder::manifest` or BAREKEY_MANIFEST",
            Front::Macro => "BAREKEY_MANIFEST",
        }
    }

    /// Where a stage slug that names a snapshot file comes from.
    fn stage_settings(self) -> &'static str {
        match self {
            Front::Cli => "--stage, BAREKEY_STAGE or barekey.json",
            Front::BuildScript => "the slug given to `Builder::stage`",
            // The macro names no stage files; what a stage comes from otherwise.
            Front::Macro => "BAREKEY_STAGE or barekey.json",
        }
    }

    /// What sets the project and stage of a live fetch, besides `barekey.json`.
    fn project_and_stage_settings(self) -> &'static str {
        match self {
            Front::Cli => "pass --project and --stage (or set BAREKEY_PROJECT and BAREKEY_STAGE)",
            Front::BuildScript | Front::Macro => "set BAREKEY_PROJECT and BAREKEY_STAGE",
        }
    }

    /// What sets the API URL.
    fn api_url_settings(self) -> &'static str {
        match self {
            Front::Cli => "--api-url, BAREKEY_API_URL or the Barekey CLI's baseUrl",
            Front::BuildScript | Front::Macro => "BAREKEY_API_URL or the Barekey CLI's baseUrl",
        }
    }

    /// What sets the organisation of a live fetch, as `(no ...)` says none did.
    pub fn org_settings(self) -> &'static str {
        match self {
            Front::Cli => "no --org, BAREKEY_ORG or barekey.json \"organization\"",
            Front::BuildScript | Front::Macro => "no BAREKEY_ORG or barekey.json \"organization\"",
        }
    }

    /// How a request's timeout is raised, for the message of one that timed out.
    pub fn raise_timeout(self) -> &'static str {
        match self {
            Front::Cli => "raise it with --timeout",
            // The build helper has no timeout setting: the CLI's `pull` fetches the snapshot.
            Front::BuildScript | Front::Macro => {
                "a build script cannot raise it; `barekey-typegen pull --timeout <seconds>` \
                 fetches the snapshot with a longer one"
            }
        }
    }
}

/// Everything that can go wrong in the core.
///
/// Messages are lowercase, name the file or variable involved, and say what to do. `Debug`
/// prints the same text as `Display` (with its causes), so `.unwrap()` in a build script shows
/// a readable failure rather than a struct dump.
///
/// The variants are grouped by the phase that raises them, in the pipeline's order, then
/// those that only one front-end raises.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- Finding the snapshots: the lookup and the snapshot layout (`source`) ---
    /// No snapshot was found by the lookup.
    #[error(
        "no Barekey manifest snapshot found; looked for:\n{}\n\
         run `barekey-typegen pull` beside your barekey.json to create it \
         (`pull --stage A --stage B` for several stages: barekey.manifest.<stage>.json each), \
         or set BAREKEY_MANIFEST to its path (the CLI also takes --manifest)",
        bullets(searched)
    )]
    ManifestNotFound {
        /// Every place that was looked at, in order.
        searched: Vec<Searched>,
    },

    /// `BAREKEY_MANIFEST` names a file that does not exist.
    #[error(
        "BAREKEY_MANIFEST is set to {}, but there is no file there; \
         fix or unset BAREKEY_MANIFEST, or run `barekey-typegen pull --out {}`",
        path.display(),
        path.display()
    )]
    ManifestEnvMissing {
        /// The path `BAREKEY_MANIFEST` holds.
        path: PathBuf,
    },

    /// `BAREKEY_MANIFEST` names one file more than once.
    #[error(
        "BAREKEY_MANIFEST is set to {value:?}, which names {} more than once (its entries are \
         separated by `{}`, as in PATH); name each stage's snapshot once",
        path.display(),
        if cfg!(windows) { ';' } else { ':' }
    )]
    ManifestEnvRepeated {
        /// What `BAREKEY_MANIFEST` holds.
        value: String,
        /// The file it names twice (made absolute).
        path: PathBuf,
    },

    /// `BAREKEY_MANIFEST` is a relative path and no `barekey.json` says what it is relative
    /// to ([`crate::source::project_root`]).
    #[error(
        "BAREKEY_MANIFEST is set to the relative path {}, and no barekey.json in {} or a folder \
         above it says what it is relative to (the CLI, build scripts and rustc each run in a \
         different folder); set it to an absolute path, or put a barekey.json at your \
         project's root: a relative BAREKEY_MANIFEST is relative to that folder",
        path.display(),
        start.display()
    )]
    ManifestEnvRelative {
        /// The path `BAREKEY_MANIFEST` holds.
        path: PathBuf,
        /// Where the lookup started.
        start: PathBuf,
    },

    /// A folder holds both `barekey.manifest.json` and `barekey.manifest.<stage>.json` files,
    /// so the lookup cannot tell whether one stage or several are meant.
    #[error(
        "{} and the stage snapshots\n{}\nare in one folder, so it is unclear whether the code \
         is checked against one stage or several; remove {} to check every stage listed \
         (or remove those to check one), or name the snapshots with {}",
        single.display(),
        bullets(stages.iter().map(|path| path.display())),
        single.display(),
        front.manifest_settings()
    )]
    AmbiguousSnapshots {
        /// `barekey.manifest.json`.
        single: PathBuf,
        /// The `barekey.manifest.<stage>.json` files beside it.
        stages: Vec<PathBuf>,
        /// Whose lookup it was, for how it names snapshots.
        front: Front,
    },

    /// A stage slug that cannot name a snapshot file ([`crate::source::layout::stage_snapshot_file`]).
    #[error(
        "stage {stage:?} cannot name a snapshot file (barekey.manifest.<stage>.json): a stage \
         slug is ASCII letters, digits, `-`, `_` and `.`, not starting with a dot; check {}",
        front.stage_settings()
    )]
    InvalidStageSlug {
        /// The stage as given.
        stage: String,
        /// Who gave it, for where it came from.
        front: Front,
    },

    /// A file we were about to trust, or a symbolic link we were about to follow, belongs to
    /// another user (neither us nor root): see [`crate::trust`].
    #[error(
        "refusing to use {what} {}: it belongs to another user (uid {owner}), who could \
         redirect what barekey-typegen reads or writes; remove it, or trust its folder on \
         purpose with BAREKEY_SAFE_DIRECTORIES={}",
        path.display(),
        path.parent().map(|folder| folder.display().to_string()).unwrap_or_default()
    )]
    Untrusted {
        /// The file or link.
        path: PathBuf,
        /// Its owner's user id.
        owner: u32,
        /// What it is (`barekey.json`, `symbolic link`, ...).
        what: &'static str,
    },

    // --- Reading and validating a manifest ---
    /// A file could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },

    /// The manifest is not one this tool can use; every problem is listed.
    #[error("{origin} is not a valid Barekey manifest:\n{}", bullets(problems))]
    InvalidManifest {
        /// Where the manifest came from (a path, or a URL later).
        origin: String,
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },

    // --- Merging several stages' snapshots ---
    /// A snapshot named for one stage holds another stage's manifest.
    #[error(
        "{path} is named for stage {named:?} but holds the snapshot of stage {}; \
         rename it to barekey.manifest.{}.json, or replace it with stage {named}'s \
         snapshot: `barekey-typegen pull --stage {named} --out {path}`",
        quoted(inside),
        for_terminal(inside)
    )]
    StageFileMismatch {
        /// The snapshot's path.
        path: String,
        /// The stage its file name says.
        named: String,
        /// The stage its `stageSlug` says.
        inside: String,
    },

    /// Two of the snapshots to merge are of the same stage.
    #[error(
        "{first} and {second} are both snapshots of stage {}; give each stage's \
         snapshot once (`barekey-typegen pull --stage {shown}` writes barekey.manifest.{shown}.json)",
        quoted(stage),
        shown = for_terminal(stage)
    )]
    DuplicateStage {
        /// The stage.
        stage: String,
        /// The first snapshot's path.
        first: String,
        /// The second snapshot's path.
        second: String,
    },

    /// The snapshots to merge belong to different organisations or projects.
    #[error(
        "{} is a snapshot of {} but {} is one of {}: several stages must be of one project; \
         pull each stage of the same project (`barekey-typegen pull --stage ... --stage ...`)",
        first.0, for_terminal(&first.1), second.0, for_terminal(&second.1)
    )]
    StagesOfDifferentProjects {
        /// The first snapshot's path and `org/project`.
        first: (String, String),
        /// The first snapshot of another project: its path and `org/project`.
        second: (String, String),
    },

    /// A variable's declared type differs between the stages whose snapshots were merged
    /// ([`crate::manifest::merge_stages`]); nothing is generated.
    #[error(
        "the stages disagree on the declared type of {}:\n{}\n\
         give each variable one declared type in every stage in Barekey (or rename it where \
         it means something else), then run `{}` to refresh the snapshots",
        if conflicts.len() == 1 { "one variable" } else { "some variables" },
        bullets(conflicts.iter().map(conflict_line)),
        pull_conflicting_stages(conflicts)
    )]
    StageTypeConflict {
        /// Every conflicting variable, in name order.
        conflicts: Vec<crate::manifest::TypeConflict>,
    },

    // --- Settings and credentials, for a live fetch ---
    /// A live fetch has no project or stage to ask for
    /// ([`resolve_trusted`](crate::settings::resolve_trusted)).
    #[error(
        "no Barekey {what} set for the live manifest; looked at:\n{}\n{} {} so that it reads, \
         for example:\n  {{\"organization\": \"<org>\", \"project\": \"<project>\", \
         \"environment\": \"<stage>\"}}\nor {}",
        bullets(looked),
        if *exists { "edit" } else { "create" },
        barekey_json.display(),
        front.project_and_stage_settings()
    )]
    MissingSettings {
        /// `project`, `stage`, or `project and stage`.
        what: &'static str,
        /// Every place that was looked at, in order.
        looked: Vec<String>,
        /// The `barekey.json` to create or edit.
        barekey_json: PathBuf,
        /// Whether that file exists already.
        exists: bool,
        /// Whose fetch it was, for what else sets them.
        front: Front,
    },

    /// A settings file (`barekey.json`, or the Barekey CLI's config or credentials) is unusable.
    #[error("{} cannot be used: {message}; fix or remove it", path.display())]
    InvalidSettingsFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it (never a secret it holds).
        message: String,
    },

    /// The settings cannot be resolved, in the shared resolution's own words: a
    /// [`SettingsError`](crate::settings::SettingsError) converted without knowing its
    /// front-end (a missing project or stage given to `?` rather than to
    /// [`resolve_trusted`](crate::settings::resolve_trusted)), or of a kind added later.
    #[error(transparent)]
    Settings(crate::settings::SettingsError),

    /// `BAREKEY_ACCESS_TOKEN` is set to nothing.
    #[error(
        "BAREKEY_ACCESS_TOKEN is set but empty; set it to a Barekey access token, \
         or unset it to use the Barekey CLI's session"
    )]
    EmptyToken,

    /// Neither `BAREKEY_ACCESS_TOKEN` nor a Barekey CLI session is there.
    #[error(
        "no Barekey access token; looked at:\n{}\n\
         log in with the Barekey CLI, or set BAREKEY_ACCESS_TOKEN (in CI)",
        bullets(looked)
    )]
    NoToken {
        /// Every place that was looked at, in order.
        looked: Vec<String>,
    },

    /// The Barekey CLI session can no longer be refreshed.
    #[error(
        "the Barekey CLI session in {} has ended ({reason}); log in again with the Barekey CLI",
        path.display()
    )]
    SessionEnded {
        /// The credentials file.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// The Barekey CLI session's access token holds what no token holds, so it cannot be sent.
    #[error(
        "the Barekey CLI session in {} holds an access token that cannot be sent (it has a \
         control character such as NUL, a space or a non-ASCII character); log in again with \
         the Barekey CLI to replace it",
        path.display()
    )]
    InvalidSessionToken {
        /// The credentials file.
        path: PathBuf,
    },

    // --- The network and the Barekey API ---
    /// The API URL is not one a request can go to.
    #[error(
        "{url:?} is not a usable Barekey API URL ({reason}); fix {}",
        front.api_url_settings()
    )]
    InvalidApiUrl {
        /// The URL as configured.
        url: String,
        /// Why it cannot be used.
        reason: String,
        /// Whose fetch it was, for what sets the URL.
        front: Front,
    },

    /// The token would travel in clear text to a machine other than this one.
    #[error(
        "refusing to send the Barekey token to {url} over plain http: \
         use https, or plain http only to a loopback address (127.0.0.1, ::1, localhost)"
    )]
    InsecureApiUrl {
        /// The URL, without credentials.
        url: String,
    },

    /// The request did not complete: connection refused, timeout, cut-off reply.
    #[error("cannot get {url}: {what}")]
    Network {
        /// The URL asked.
        url: String,
        /// What went wrong, in a few words.
        what: String,
        /// The HTTP client's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// The API answered with something that is not the JSON it documents.
    #[error(
        "{url} answered HTTP {status} with {what}; check that {} points at the Barekey API",
        front.api_url_settings()
    )]
    BadReply {
        /// The URL asked.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What came back instead (`an HTML page`, ...).
        what: String,
        /// Whose fetch it was, for what sets the URL.
        front: Front,
    },

    /// The live manifest came back for another organisation (when one was asked for), project
    /// or stage than the one asked for; nothing was done with it.
    #[error(
        "{url} answered with the manifest of {}, but asked for {}; nothing was done with it: \
         check that the API URL (from {api_url_source}) points at the Barekey API, and that no \
         proxy in between answers for another project",
        answered.join(", "),
        asked.join(", ")
    )]
    ReplyForOther {
        /// The URL asked.
        url: String,
        /// Each slug asked for that the reply contradicts, with where it came from
        /// (`stage "alpha" (from --stage)`).
        asked: Vec<String>,
        /// What the reply says instead, in the same order (`stage "evil"`).
        answered: Vec<String>,
        /// Where the API URL came from.
        api_url_source: String,
    },

    /// The API answered with an error body `{"error":{code,message,requestId}}`.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A header value the caller gave cannot be sent (a request id or key, never a secret).
    #[error("{} cannot be sent as {name}: use printable ASCII only", quoted(value))]
    InvalidHeader {
        /// The header's name.
        name: &'static str,
        /// The value.
        value: String,
    },

    // --- Generating code ---
    /// The path given for the runtime crate (`--runtime-crate`, `Builder::runtime_crate`)
    /// cannot name a crate.
    #[error(
        "{path:?} cannot name the runtime crate: {why}; give a path such as \
         `::barekey_typegen_runtime`, or `::bkrt` when Cargo.toml renames the dependency to bkrt"
    )]
    InvalidRuntimeCrate {
        /// What was given.
        path: String,
        /// Why it cannot.
        why: String,
    },

    /// Generated Rust did not parse; this is a bug in barekey-typegen.
    #[error(
        "generated Rust for {origin} did not parse ({message}); this is a bug, please report it"
    )]
    GeneratedRust {
        /// The manifest it was generated from.
        origin: String,
        /// syn's complaint.
        message: String,
    },

    /// A selection (`--only`, `Builder::only`) names what the manifest does not have.
    #[error(
        "the selection does not fit {origin}:\n{}\n{}",
        bullets(problems),
        unfit_selection_fix(problems, stages)
    )]
    UnfitSelection {
        /// Where the manifest came from.
        origin: String,
        /// The stages whose snapshots were merged (none for one stage's snapshot).
        stages: Vec<String>,
        /// Every pattern that selects nothing, and why.
        problems: Vec<SelectionProblem>,
    },

    /// An attribute for generated Rust (`--type-attribute`, `Builder::type_attribute`, and
    /// the field forms) that does not parse as outer attributes.
    #[error(
        "{attribute:?} is not a Rust attribute ({reason}); give one such as \
         `#[derive(serde::Serialize)]`"
    )]
    InvalidAttribute {
        /// What was given.
        attribute: String,
        /// syn's complaint.
        reason: String,
    },

    /// Attributes for generated Rust name types or variables the module lacks, or derive a
    /// trait a generated type implements itself.
    #[error(
        "the attributes do not fit the Rust module of {origin}:\n{}\ntype patterns match \
         generated type names (`BarekeyEnv`, an A/B enum, a JSON struct), field patterns Barekey \
         names; `*` matches any run",
        bullets(problems)
    )]
    UnfitAttributes {
        /// Where the manifest came from.
        origin: String,
        /// Every problem.
        problems: Vec<AttributeProblem>,
    },

    // --- Writing files ---
    /// A file could not be written; any previous content is intact.
    #[error("cannot write {} ({what}); the existing file, if any, was left as it was", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The step that failed.
        what: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },

    /// A set of files written as one (`barekey_typegen::write::write_all_or_none`) failed at one of
    /// them, so none was written: those already renamed were put back.
    #[error("{}", describe_unwritten_set(path, set, unrestored))]
    SetNotWritten {
        /// The file that failed.
        path: PathBuf,
        /// Every file of the set, in order.
        set: Vec<PathBuf>,
        /// Files renamed before the failure that could not be put back, and why: each holds
        /// its new content.
        unrestored: Vec<(PathBuf, std::io::Error)>,
        /// The failure.
        #[source]
        source: Box<Error>,
    },

    // --- Raised by one front-end only: the CLI ---
    /// One stage's live manifest could not be fetched where several stages were asked for
    /// (`pull --stage a --stage b`, `generate --live`, `check --remote`): every stage is
    /// fetched before anything is written, so nothing was.
    ///
    /// Raised by the CLI only.
    #[error(
        "cannot fetch the live manifest of stage {}, so {outcome}",
        quoted(stage)
    )]
    StageFetch {
        /// The stage whose fetch failed.
        stage: String,
        /// What therefore happened to every stage (`no snapshot was written`, ...).
        outcome: &'static str,
        /// Why the fetch failed.
        #[source]
        source: Box<Error>,
    },

    /// A stop was requested (`barekey_typegen::stop::Stop`) while a request was in flight; it was
    /// abandoned, and nothing was written.
    ///
    /// Raised by the CLI only: its watch is what stops on a signal.
    #[error("stopped before {url} answered")]
    Stopped {
        /// The URL asked.
        url: String,
    },

    /// `--ts-mode sdk` was asked for a manifest merged from several stages: the official SDK
    /// file types one stage.
    ///
    /// Raised by the CLI only: no other front-end writes the SDK file.
    #[error(
        "--ts-mode sdk writes the official SDK file, which describes one stage, but the manifest \
         merges the stages {}; for several stages use the standalone TypeScript module \
         (--ts-mode standalone, the default), or give one stage's snapshot for the SDK file",
        stages.join(", ")
    )]
    SdkModeOneStage {
        /// The merged stages' slugs, in byte order.
        stages: Vec<String>,
    },

    /// `--ts-mode sdk` was asked for a selection of the variables (`--only`, `--public-only`):
    /// the official SDK file types every variable of its stage.
    #[error(
        "--ts-mode sdk writes the official SDK file byte for byte, which types every variable \
         of its stage, so it takes no selection (--only, --public-only); for a module of \
         selected variables use the standalone TypeScript module (--ts-mode standalone, the \
         default)"
    )]
    SdkModeSelection,

    /// An output path names the manifest being read, or another output of the same run.
    ///
    /// Raised by the CLI only.
    #[error("{} is {other}; give each output its own file", path.display())]
    OutputClash {
        /// The output path, as given.
        path: PathBuf,
        /// What else it is (`the manifest being read`, `also the --ts output`).
        other: String,
    },

    // --- Raised by one front-end only: the build helper ---
    /// The build helper ran outside a build script and was not told where to work.
    ///
    /// Raised by the build helper (`barekey_typegen::build::Builder`) only.
    #[error(
        "${variable} is not set: `barekey_typegen::build::Builder::generate` runs from a \
         build script (build.rs), where Cargo sets it; elsewhere, pass the folder with \
         `.out_dir(...)` and `.manifest_dir(...)`"
    )]
    NotInBuildScript {
        /// The variable Cargo sets for build scripts (`OUT_DIR` or `CARGO_MANIFEST_DIR`).
        variable: &'static str,
    },

    /// The build helper was given a stage (`Builder::stage`) whose snapshot is nowhere.
    ///
    /// Raised by the build helper (`barekey_typegen::build::Builder`) only.
    #[error(
        "no snapshot of stage {stage:?} found; looked for:\n{}\n\
         run `barekey-typegen pull --stage {stage}` beside your barekey.json to create it \
         (it writes barekey.manifest.{stage}.json), or let the build fetch it with \
         `.fetch(Fetch::IfMissing)`",
        bullets(searched)
    )]
    StageSnapshotNotFound {
        /// The stage.
        stage: String,
        /// Every place that was looked at, in order.
        searched: Vec<Searched>,
    },

    /// The build helper was asked to fetch several snapshots, one of which names no stage.
    ///
    /// Raised by the build helper (`barekey_typegen::build::Builder`) only.
    #[error(
        "the build script cannot tell which stage {} is the snapshot of, so it cannot fetch \
         it: with several snapshots, name each stage with `Builder::stage(\"<stage>\")` (its \
         snapshot is barekey.manifest.<stage>.json), or use `Fetch::Never`",
        path.display()
    )]
    UnknownSnapshotStage {
        /// The snapshot.
        path: PathBuf,
    },

    /// The build helper was asked to fetch the manifest, but may not use the network, and
    /// there is no snapshot to fall back on.
    ///
    /// Raised by the build helper (`barekey_typegen::build::Builder`) only.
    #[error(
        "the build script may not fetch the Barekey manifest ({reason}) and there is no \
         snapshot to use instead; run `barekey-typegen pull` and commit barekey.manifest.json"
    )]
    OfflineWithoutSnapshot {
        /// Which setting forbids the network.
        reason: &'static str,
        /// The missing snapshot.
        #[source]
        source: Box<Error>,
    },

    /// The build helper was asked to fetch, but this build has no HTTP client.
    ///
    /// Raised by the build helper (`barekey_typegen::build::Builder`) only.
    #[error(
        "`Builder::fetch` needs barekey-typegen's `fetch` feature: add `features = [\"fetch\"]` \
         to its entry in [build-dependencies], or use `Fetch::Never` with a committed snapshot"
    )]
    FetchDisabled,

    /// The build helper cannot hand a snapshot's path to `barekey_env!`: the paths travel in
    /// one variable (`BAREKEY_TYPEGEN_BUILD_MANIFEST`), joined like `PATH`.
    ///
    /// Raised by the build helper (`barekey_typegen::build::Builder`) only.
    #[error(
        "the snapshot path {} holds the path-list separator (`{}`) or a line break, so the \
         build script cannot hand it to barekey_env! (BAREKEY_TYPEGEN_BUILD_MANIFEST lists \
         the snapshots like PATH); move the snapshot, or rename the folder, to a path without one",
        path.display(),
        if cfg!(windows) { ';' } else { ':' }
    )]
    UnlistableSnapshotPath {
        /// The path.
        path: PathBuf,
    },

    /// The build helper cannot tell Cargo about a path (or value) on one `cargo:` line:
    /// Cargo reads its instructions line by line, so a line break would end it early and what
    /// follows would be read as an instruction of its own.
    ///
    /// Raised by the build helper only.
    #[error(
        "the build script cannot tell Cargo `cargo:{key}={value:?}` ({why}): Cargo reads its \
         instructions one line at a time; give the file a path without line breaks, trailing \
         white space or bytes that are not UTF-8 (move it, or rename the folder)"
    )]
    CargoCannotExpress {
        /// The instruction (`rerun-if-changed`).
        key: &'static str,
        /// Its value, a path.
        value: PathBuf,
        /// What Cargo cannot express.
        why: &'static str,
    },

    // --- Raised by one front-end only: `barekey_env!` ---
    /// A type word that is not a Barekey declared type.
    ///
    /// Raised by `barekey_env!` only.
    #[error(
        "unknown type `{word}`; expected one of {}",
        DeclaredType::ALL.map(|ty| format!("`{ty}`")).join(", ")
    )]
    UnknownTypeWord {
        /// What was written.
        word: String,
    },

    /// `barekey_env!` names a variable the manifest does not declare.
    ///
    /// Raised by `barekey_env!` only.
    #[error(
        "no variable `{name}` in {origin}{}; if it is new, declare it in Barekey, then run \
         `{}` to refresh the {}",
        did_you_mean(suggestions),
        pull_command(stages.iter().map(String::as_str)),
        if stages.is_empty() { "snapshot" } else { "snapshots" }
    )]
    UnknownVariable {
        /// The name asked for.
        name: String,
        /// Where the manifest came from.
        origin: String,
        /// The stages whose snapshots were merged (none for one stage's snapshot).
        stages: Vec<String>,
        /// Up to three declared names closest to `name`, closest first.
        suggestions: Vec<String>,
    },

    /// `barekey_env!` names a variable that some of the stages the build is checked against
    /// lack: it could not be read there.
    ///
    /// Raised by `barekey_env!` only.
    #[error(
        "`{name}` is not in every stage this build is checked against: {} {} it, {} {} not; \
         add it to {} in Barekey, then run `{}`, \
         or read it as an `Option` that is `None` where it is not set: \
         `barekey_env!(optional {name:?})`",
        list_stages(has),
        if has.len() == 1 { "has" } else { "have" },
        list_stages(lacks),
        if lacks.len() == 1 { "does" } else { "do" },
        names_of_stages(lacks),
        pull_command(has.iter().chain(lacks).map(|(stage, _)| stage.as_str()))
    )]
    VariableNotInEveryStage {
        /// The variable's name.
        name: String,
        /// The stages that have it: each stage and its snapshot's path.
        has: Vec<(String, String)>,
        /// The stages that lack it: each stage and its snapshot's path.
        lacks: Vec<(String, String)>,
    },

    /// `barekey_env!("NAME": type)` asserts a type the manifest does not declare for `NAME`.
    ///
    /// Raised by `barekey_env!` only.
    #[error("`{name}` is declared `{declared}` in {origin}, not `{asserted}`")]
    DeclaredTypeMismatch {
        /// The variable's name.
        name: String,
        /// Its type in the manifest.
        declared: DeclaredType,
        /// The type the caller wrote.
        asserted: DeclaredType,
        /// Where the manifest came from.
        origin: String,
    },
}

impl From<crate::settings::SettingsError> for Error {
    /// The shared settings' error: an unreadable or unusable file as [`Error::Read`] and
    /// [`Error::InvalidSettingsFile`], anything else in its own words ([`Error::Settings`]).
    /// A missing project or stage is worded for its front-end by
    /// [`resolve_trusted`](crate::settings::resolve_trusted).
    fn from(error: crate::settings::SettingsError) -> Self {
        use crate::settings::SettingsError;
        match error {
            SettingsError::Read { path, source } => Error::Read { path, source },
            SettingsError::InvalidFile { path, message } => {
                Error::InvalidSettingsFile { path, message }
            }
            // Not a file's fault, so not `InvalidSettingsFile` with a made-up path.
            other => Error::Settings(other),
        }
    }
}

impl Error {
    /// The shared settings' error, in the words of `front`: a missing project or stage lists
    /// the CLI's flags first for the CLI only.
    pub fn from_settings(error: crate::settings::SettingsError, front: Front) -> Error {
        use crate::settings::SettingsError;
        match error {
            SettingsError::Missing {
                what,
                flags,
                looked,
                barekey_json,
                exists,
            } => {
                let flags = (front == Front::Cli).then(|| format!("{flags} (not given)"));
                Error::MissingSettings {
                    what,
                    looked: flags.into_iter().chain(looked).collect(),
                    barekey_json,
                    exists,
                    front,
                }
            }
            other => Error::from(other),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        barekey_typegen_shared::text::write_with_causes(f, self)
    }
}

/// Something worth telling the user that does not stop generation.
///
/// The CLI prints these on stderr as `warning: ...`; the build helper as `cargo:warning=`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    // --- Reading and validating a manifest ---
    /// A `declaredType` this tool does not know; the variable is treated as `string`.
    UnknownDeclaredType {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// What the manifest said.
        found: String,
    },

    /// No `declaredType` at all; the variable is treated as `string`, as the service does.
    MissingDeclaredType {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
    },

    /// A `kind` this tool does not know; the variable is treated as a `secret`.
    UnknownKind {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// What the manifest said.
        found: String,
    },

    /// A `visibility` this tool does not know; the variable is treated as `private`.
    UnknownVisibility {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// What the manifest said.
        found: String,
    },

    /// A `rolloutFunction` this tool does not know; it is ignored.
    UnknownRolloutFunction {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// What the manifest said.
        found: String,
    },

    // --- Merging several stages' snapshots ---
    /// A variable's kind, A/B arms, json `typeScriptType` differ between the stages whose
    /// snapshots were merged; it is typed by what every stage can satisfy.
    StagesDiffer {
        /// The variable's name.
        variable: String,
        /// What differs: `kind`, `A/B arms` or `typeScriptType`.
        what: &'static str,
        /// Each stage that has the variable, and its value of `what` there.
        per_stage: Vec<(String, String)>,
        /// What the generated code does instead.
        outcome: String,
    },

    // --- Credentials, for a live fetch ---
    /// A json variable's `typeScriptType` has an object type wider than a generated Rust struct
    /// takes (`barekey_typegen::codegen::MAX_STRUCT_FIELDS`): the Rust module reads that object
    /// as `JsonValue`.
    WideJsonShape {
        /// The variable's name.
        variable: String,
        /// Where the object is in the variable's JSON (`THEME_CONFIG.colors`).
        path: String,
        /// How many keys its type lists.
        keys: usize,
        /// The most keys a generated struct takes.
        max: usize,
    },
    /// The Barekey CLI's credentials file can be read by other users (as ssh warns about a
    /// private key); it is used anyway.
    ExposedCredentials {
        /// The credentials file.
        path: PathBuf,
        /// Its permission bits (`0o644`, ...).
        mode: u32,
    },

    // --- Generating code ---
    /// Several variables became the same identifier; they were told apart with suffixes.
    NameCollision {
        /// The identifier they all became.
        identifier: String,
        /// Each variable's name and the identifier it was given, in name order.
        assigned: Vec<(String, String)>,
    },

    /// Several generated types (A/B enums, JSON structs) wanted the same name, or one wanted
    /// a name the module itself defines; they were told apart with suffixes.
    TypeNameCollision {
        /// The type name they wanted.
        identifier: String,
        /// Whether the generated module already defines that name (`BarekeyEnv`).
        reserved: bool,
        /// Each variable's name and the type name it was given, in name order.
        assigned: Vec<(String, String)>,
    },

    /// A `typeScriptType` outside the grammar barekey-typegen emits (or not fitting the
    /// variable's declared type); the TypeScript output uses `used` instead.
    UnsupportedTypeScriptType {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// What the manifest said.
        found: String,
        /// The TypeScript type used instead.
        used: String,
    },
    /// A json variable's object type has a key holding a lone surrogate (`"\ud800"`), which a
    /// Rust string cannot hold (the runtime reads it as U+FFFD), so no struct field reads it:
    /// the variable's Rust field stays `JsonValue`. TypeScript types it.
    JsonKeyNotUnicode {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// The key as a string literal, its lone surrogate escaped.
        key: String,
    },

    // --- Raised by one front-end only: the CLI (`--ts-mode sdk`) ---
    /// `--ts-mode sdk` met names that JavaScript's `localeCompare` calls equal: the official
    /// CLI lists them in the service's order, which a manifest does not keep; they are listed in
    /// byte order, so the official file may order them otherwise.
    ///
    /// Raised by the CLI only.
    SdkOrderTie {
        /// Where the manifest came from.
        origin: String,
        /// The names, in the order written.
        variables: Vec<String>,
    },

    /// `--ts-mode sdk` wrote a variable's type other than the official CLI would (which copies
    /// `typeScriptType` verbatim): the text is not the service's own, so it is re-printed
    /// (`in_grammar`) or replaced by the declared type's.
    ///
    /// Raised by the CLI only.
    SdkTypeDiffers {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name.
        variable: String,
        /// What the manifest said, which the official file would hold.
        found: String,
        /// The TypeScript type written instead.
        written: String,
        /// Whether `found` is in the service's type grammar, only spelled otherwise.
        in_grammar: bool,
    },

    /// In `--ts-mode sdk`, a variable's name or `typeScriptType` (or, with no variable, the
    /// `manifestVersion`) holds a direction control or another invisible code point, which
    /// the official Barekey CLI writes raw; the file escapes it instead, so it differs from the
    /// official one there.
    ///
    /// Raised by the CLI only.
    EscapedInSdkFile {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name; `None` for the `manifestVersion`.
        variable: Option<String>,
    },
}

impl Warning {
    /// The one variable the warning is about, when it is about one: what a selection
    /// (`--only`, `--public-only`) uses to keep a consumer's output to what it reads.
    pub fn variable(&self) -> Option<&str> {
        match self {
            Warning::UnknownDeclaredType { variable, .. }
            | Warning::MissingDeclaredType { variable, .. }
            | Warning::UnknownKind { variable, .. }
            | Warning::UnknownVisibility { variable, .. }
            | Warning::UnknownRolloutFunction { variable, .. }
            | Warning::StagesDiffer { variable, .. }
            | Warning::WideJsonShape { variable, .. }
            | Warning::UnsupportedTypeScriptType { variable, .. }
            | Warning::JsonKeyNotUnicode { variable, .. }
            | Warning::SdkTypeDiffers { variable, .. } => Some(variable),
            Warning::EscapedInSdkFile { variable, .. } => variable.as_deref(),
            Warning::ExposedCredentials { .. }
            | Warning::NameCollision { .. }
            | Warning::TypeNameCollision { .. }
            | Warning::SdkOrderTie { .. } => None,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnknownDeclaredType {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable} has declaredType {found}, which barekey-typegen \
                 does not know; treating it as `string`, as the service does",
                variable = quoted(variable),
                found = quoted(found)
            ),
            Warning::MissingDeclaredType { origin, variable } => write!(
                f,
                "{origin}: variable {variable} has no declaredType; treating it as `string`, \
                 as the service does",
                variable = quoted(variable)
            ),
            Warning::UnknownKind {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable} has kind {found}, which barekey-typegen does \
                 not know; treating it as `secret`",
                variable = quoted(variable),
                found = quoted(found)
            ),
            Warning::UnknownVisibility {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable} has visibility {found}, which barekey-typegen \
                 does not know; treating it as `private`",
                variable = quoted(variable),
                found = quoted(found)
            ),
            Warning::UnknownRolloutFunction {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable} has rolloutFunction {found}, which \
                 barekey-typegen does not know; ignoring it",
                variable = quoted(variable),
                found = quoted(found)
            ),
            Warning::StagesDiffer {
                variable,
                what,
                per_stage,
                outcome,
            } => {
                let stages: Vec<String> = per_stage
                    .iter()
                    .map(|(stage, value)| format!("{stage}: {value}"))
                    .collect();
                write!(
                    f,
                    "variable \"{}\" has different {what} in different stages ({}); {outcome}",
                    barekey_typegen_shared::text::for_terminal(variable),
                    barekey_typegen_shared::text::for_terminal(&stages.join("; "))
                )
            }
            Warning::WideJsonShape {
                variable,
                path,
                keys,
                max,
            } => write!(
                f,
                "variable {}: the object type at `{}` lists {keys} keys, more than the {max} \
                 a generated Rust struct takes (rustc's time to check a struct grows faster than \
                 its width); the Rust module reads it as `JsonValue`",
                quoted(variable),
                for_terminal(path)
            ),
            Warning::ExposedCredentials { path, mode } => write!(
                f,
                "{} holds your Barekey tokens and other users can read it (mode {mode:o}); \
                 restrict it with `chmod 600 {}`",
                path.display(),
                path.display()
            ),
            Warning::NameCollision {
                identifier,
                assigned,
            } => {
                let identifier = for_terminal(identifier);
                let names = assigned_identifiers(assigned);
                write!(
                    f,
                    "variables {} all become the identifier `{identifier}`; they are named {}. \
                     Rename one in Barekey to choose the names yourself",
                    quoted_list(assigned.iter().map(|(name, _)| name)),
                    names
                )
            }
            Warning::TypeNameCollision {
                identifier,
                reserved,
                assigned,
            } => {
                let identifier = for_terminal(identifier);
                let names = assigned_identifiers(assigned);
                let why = if *reserved {
                    "is taken by the generated module"
                } else {
                    "is wanted by several of them"
                };
                let (subject, verb) = if assigned.len() == 1 {
                    ("the type of variable", "it is")
                } else {
                    ("the types of variables", "they are")
                };
                write!(
                    f,
                    "{subject} {} would be named `{identifier}`, which {why}; {verb} named {}. \
                     Rename one in Barekey to choose the names yourself",
                    quoted_list(assigned.iter().map(|(name, _)| name)),
                    names
                )
            }
            Warning::UnsupportedTypeScriptType {
                origin,
                variable,
                found,
                used,
            } => write!(
                f,
                "{origin}: variable {variable} has typeScriptType {found}, which is not a \
                 type barekey-typegen can emit for it; its TypeScript type is `{used}` instead",
                variable = quoted(variable),
                found = quoted(found)
            ),
            Warning::JsonKeyNotUnicode {
                origin,
                variable,
                key,
            } => write!(
                f,
                "{origin}: variable {variable} has an object key {key} in its typeScriptType, \
                 which holds a lone surrogate no Rust string can hold; its Rust field is \
                 `JsonValue` instead of a struct",
                variable = quoted(variable)
            ),
            Warning::SdkOrderTie { origin, variables } => write!(
                f,
                "{origin}: variables {} are equal to JavaScript's localeCompare (they differ only \
                 by characters it ignores, or are canonically equivalent): the official barekey \
                 typegen lists them in the order the service sent them, which the manifest does \
                 not keep; --ts-mode sdk lists them in byte order",
                quoted_list(variables.iter())
            ),
            Warning::SdkTypeDiffers {
                origin,
                variable,
                found,
                written,
                in_grammar,
            } => {
                let why = if *in_grammar {
                    "TypeScript does not accept as written, or the service would spell otherwise"
                } else {
                    "is not a type the service writes (copied, it would put manifest text into \
                     code)"
                };
                write!(
                    f,
                    "{origin}: variable {variable} has typeScriptType {found}, which {why}; \
                     --ts-mode sdk writes `{written}` where the official barekey typegen would \
                     copy it, so this line differs from the official file",
                    variable = quoted(variable),
                    found = quoted(found),
                    written = for_terminal(written)
                )
            }
            Warning::EscapedInSdkFile { origin, variable } => {
                let what = match variable {
                    Some(name) => format!(
                        "variable \"{}\" has a name or typeScriptType that",
                        barekey_typegen_shared::text::for_terminal(name)
                    ),
                    None => "the manifestVersion".to_owned(),
                };
                write!(
                    f,
                    "{origin}: {what} holds a direction control, a line separator or another \
                     invisible character; \
                     the official Barekey CLI writes it raw, where a reader may see the line \
                     reordered, so barekey-typegen escapes it and this line differs from the \
                     official file"
                )
            }
        }
    }
}

/// One way a selection (the generator's `codegen::Selection`) does not fit a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectionProblem {
    /// A name (a pattern with no `*`) that no variable has.
    UnknownName {
        /// The name.
        name: String,
        /// Up to three declared names closest to it, closest first.
        suggestions: Vec<String>,
    },
    /// A pattern with `*` that matches no variable (no public one, with `public_only`).
    NoMatch {
        /// The pattern as written.
        pattern: String,
        /// Whether only public variables were selected.
        public_only: bool,
    },
    /// With `public_only`, the name of a private variable.
    Private {
        /// The name.
        name: String,
    },
}

impl fmt::Display for SelectionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionProblem::UnknownName { name, suggestions } => {
                write!(f, "no variable `{name}`{}", did_you_mean(suggestions))
            }
            SelectionProblem::NoMatch {
                pattern,
                public_only,
            } => {
                let public = if *public_only { " public" } else { "" };
                write!(f, "`{pattern}` matches no{public} variable")
            }
            SelectionProblem::Private { name } => write!(
                f,
                "`{name}` is private, and only public variables are selected"
            ),
        }
    }
}

/// One way the attributes (the generator's `codegen::Attributes`) do not fit a generated module.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeProblem {
    /// A type pattern without `*` that names no generated type.
    UnknownType {
        /// The name.
        name: String,
        /// The attribute it was given for.
        attribute: String,
        /// Up to three generated type names closest to it.
        suggestions: Vec<String>,
    },
    /// A field pattern without `*` that names no variable of the module.
    UnknownField {
        /// The name.
        name: String,
        /// The attribute it was given for.
        attribute: String,
        /// Up to three variable names closest to it.
        suggestions: Vec<String>,
    },
    /// A pattern with `*` that matches no generated type, or no variable of the module.
    NoMatch {
        /// The pattern as written.
        pattern: String,
        /// The attribute it was given for.
        attribute: String,
        /// `type` (`--type-attribute`) or `variable` (`--field-attribute`).
        of: &'static str,
    },
    /// A derive of a trait the generated type implements itself: `BarekeyEnv`'s `Debug`, which
    /// hides private values, cannot be replaced.
    Implemented {
        /// The generated type.
        type_name: String,
        /// The trait.
        trait_name: String,
        /// The attribute.
        attribute: String,
    },
}

impl fmt::Display for AttributeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeProblem::UnknownType {
                name,
                attribute,
                suggestions,
            } => write!(
                f,
                "no generated type `{name}` for `{attribute}`{}",
                did_you_mean(suggestions)
            ),
            AttributeProblem::UnknownField {
                name,
                attribute,
                suggestions,
            } => write!(
                f,
                "no variable `{name}` in the module for `{attribute}`{}",
                did_you_mean(suggestions)
            ),
            AttributeProblem::NoMatch {
                pattern,
                attribute,
                of,
            } => {
                let what = if *of == "type" {
                    "generated type"
                } else {
                    "variable of the module"
                };
                write!(f, "`{pattern}` matches no {what} for `{attribute}`")
            }
            AttributeProblem::Implemented {
                type_name,
                trait_name,
                attribute,
            } => {
                let why = match (type_name.as_str(), trait_name.as_str()) {
                    ("BarekeyEnv", "Debug") => ", and shows no private value",
                    _ => "",
                };
                write!(
                    f,
                    "`{type_name}` implements `{trait_name}` itself{why}: `{attribute}` cannot \
                     derive it"
                )
            }
        }
    }
}

/// `"NAME" -> `ident`` for each name and the identifier it was given, comma separated.
fn assigned_identifiers(assigned: &[(String, String)]) -> String {
    let names: Vec<String> = assigned
        .iter()
        .map(|(name, ident)| format!("{} -> `{}`", quoted(name), for_terminal(ident)))
        .collect();
    names.join(", ")
}

/// `barekey-typegen pull --stage A --stage B` for every stage named in `conflicts`.
fn pull_conflicting_stages(conflicts: &[crate::manifest::TypeConflict]) -> String {
    pull_command(
        conflicts
            .iter()
            .flat_map(|conflict| conflict.stages.iter().map(|(stage, ..)| stage.as_str())),
    )
}

/// `barekey-typegen pull --stage A --stage B` for `stages`, each once, in byte order;
/// `barekey-typegen pull` for none. A stage that is not a plain slug is left out rather than
/// printed into a command.
fn pull_command<'a>(stages: impl Iterator<Item = &'a str>) -> String {
    let stages: std::collections::BTreeSet<&str> = stages
        .filter(|stage| crate::source::layout::is_stage_slug(stage))
        .collect();
    let mut command = "barekey-typegen pull".to_owned();
    for stage in stages {
        command.push_str(" --stage ");
        command.push_str(stage);
    }
    command
}

fn quoted_list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<String> = names.map(|name| quoted(name)).collect();
    names.join(", ")
}

/// [`Error::SetNotWritten`]'s message: the file that failed, the set, and any file left with
/// its new content.
fn describe_unwritten_set(
    path: &std::path::Path,
    set: &[PathBuf],
    unrestored: &[(PathBuf, std::io::Error)],
) -> String {
    let path = path.display();
    if unrestored.is_empty() {
        return format!(
            "{path} could not be written, so no file of its set was (each is as it was):\n{}",
            bullets(set.iter().map(|path| path.display()))
        );
    }
    let lines: Vec<String> = unrestored
        .iter()
        .map(|(path, error)| format!("  - {}: {error}", path.display()))
        .collect();
    format!(
        "{path} could not be written, so no file of its set was to be:\n{}\nbut these could \
         not be put back, and hold their new content:\n{}\nrun the command again once it can \
         write {path}",
        bullets(set.iter().map(|path| path.display())),
        lines.join("\n")
    )
}

/// The lists in multi-line messages: one indented `  - item` line per item.
/// What fixes an unfit selection: a private name under `--public-only` is the caller's
/// choice to make, not a variable to declare; an unknown name or a pattern that matches nothing
/// is selected from a snapshot that may be behind.
fn unfit_selection_fix(problems: &[SelectionProblem], stages: &[String]) -> String {
    let private = problems
        .iter()
        .all(|problem| matches!(problem, SelectionProblem::Private { .. }));
    if private {
        return "leave private variables out of a public-only selection (a browser's module \
                reads public ones only), or drop --public-only (`Builder::public_only`) for a \
                module that stays on the server"
            .to_owned();
    }
    format!(
        "select declared variables only; a new one must first be declared in Barekey, then the \
         {} refreshed with `{}`",
        if stages.is_empty() {
            "snapshot"
        } else {
            "snapshots"
        },
        pull_command(stages.iter().map(String::as_str))
    )
}

fn bullets<T: fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let lines: Vec<String> = items
        .into_iter()
        .map(|item| format!("  - {item}"))
        .collect();
    lines.join("\n")
}

/// A conflicting variable as its list item: `"PORT": int64 in production (path), string in ...`.
fn conflict_line(conflict: &crate::manifest::TypeConflict) -> String {
    let stages: Vec<String> = conflict
        .stages
        .iter()
        .map(|(stage, origin, declared)| format!("{declared} in {stage} ({origin})"))
        .collect();
    format!(
        "\"{}\": {}",
        barekey_typegen_shared::text::for_terminal(&conflict.name),
        stages.join(", ")
    )
}

/// `production (path), staging (path)`.
fn list_stages(stages: &[(String, String)]) -> String {
    let listed: Vec<String> = stages
        .iter()
        .map(|(stage, path)| format!("{stage} ({path})"))
        .collect();
    listed.join(", ")
}

/// `production`, `production and staging`, `production, qa and staging`.
fn names_of_stages(stages: &[(String, String)]) -> String {
    let names: Vec<&str> = stages.iter().map(|(stage, _)| stage.as_str()).collect();
    match names.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.join(""),
    }
}

pub(crate) fn did_you_mean(suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|name| format!("`{name}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        [init @ .., last] => format!(" (did you mean {} or {last}?)", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing_stage() -> crate::settings::SettingsError {
        crate::settings::SettingsError::Missing {
            what: "stage",
            flags: "--stage",
            looked: vec!["$BAREKEY_STAGE (not set)".to_owned()],
            barekey_json: PathBuf::from("/p/barekey.json"),
            exists: true,
        }
    }

    #[test]
    fn a_missing_stage_names_the_flags_to_the_cli_only() {
        let cli = Error::from_settings(missing_stage(), Front::Cli).to_string();
        assert!(
            cli.contains("  - --stage (not given)\n  - $BAREKEY_STAGE (not set)\n")
                && cli.ends_with(
                    "or pass --project and --stage (or set BAREKEY_PROJECT and BAREKEY_STAGE)"
                ),
            "{cli}"
        );
        let build = Error::from_settings(missing_stage(), Front::BuildScript).to_string();
        assert!(
            build.contains("looked at:\n  - $BAREKEY_STAGE (not set)\nedit /p/barekey.json")
                && build.ends_with("or set BAREKEY_PROJECT and BAREKEY_STAGE"),
            "{build}"
        );
        assert!(!build.contains("--"), "{build}");
    }

    #[test]
    fn a_settings_error_without_its_front_keeps_its_own_words_and_no_made_up_path() {
        let expected = missing_stage().to_string();
        let error = Error::from(missing_stage());
        assert!(matches!(error, Error::Settings(_)), "{error:?}");
        assert_eq!(error.to_string(), expected);
    }
}
