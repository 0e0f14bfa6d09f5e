//! The one error type of the core. Front-ends render it their own way.

use std::fmt;
use std::path::PathBuf;

pub use barekey_typegen_shared::ApiError;

use crate::manifest::{DeclaredType, Problem};
use crate::source::Searched;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
///
/// Messages are lowercase, name the file or variable involved, and say what to do. `Debug`
/// prints the same text as `Display` (with its causes), so `.unwrap()` in a build script shows
/// a readable failure rather than a struct dump.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No snapshot was found by the lookup.
    #[error(
        "no Barekey manifest snapshot found; looked for:\n{}\n\
         run `barekey-typegen pull` beside your barekey.json to create it \
         (`pull --stage A --stage B` for several stages: barekey.manifest.<stage>.json each), \
         or set BAREKEY_MANIFEST to its path (the CLI also takes --manifest)",
        list_searched(searched)
    )]
    ManifestNotFound {
        /// Every place that was looked at, in order.
        searched: Vec<Searched>,
    },

    /// A variable's declared type differs between the stages whose snapshots were merged
    /// ([`crate::manifest::merge_stages`]); nothing is generated.
    #[error(
        "the stages disagree on the declared type of {}:\n{}\n\
         give each variable one declared type in every stage in Barekey (or rename it where \
         it means something else), then run `{}` to refresh the snapshots",
        if conflicts.len() == 1 { "one variable" } else { "some variables" },
        list_conflicts(conflicts),
        pull_conflicting_stages(conflicts)
    )]
    StageTypeConflict {
        /// Every conflicting variable, in name order.
        conflicts: Vec<crate::manifest::TypeConflict>,
    },

    /// `--ts-mode sdk` was asked for a manifest merged from several stages: the official SDK
    /// file types one stage.
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

    /// Two of the snapshots to merge are of the same stage.
    #[error(
        "{first} and {second} are both snapshots of stage {stage:?}; give each stage's \
         snapshot once (`barekey-typegen pull --stage {stage}` writes barekey.manifest.{stage}.json)"
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
        first.0, first.1, second.0, second.1
    )]
    StagesOfDifferentProjects {
        /// The first snapshot's path and `org/project`.
        first: (String, String),
        /// The first snapshot of another project: its path and `org/project`.
        second: (String, String),
    },

    /// One stage's live manifest could not be fetched where several stages were asked for
    /// (`pull --stage a --stage b`, `generate --live`, `check --remote`): every stage is
    /// fetched before anything is written, so nothing was.
    #[error("cannot fetch the live manifest of stage {stage:?}, so {outcome}")]
    StageFetch {
        /// The stage whose fetch failed.
        stage: String,
        /// What therefore happened to every stage (`no snapshot was written`, ...).
        outcome: &'static str,
        /// Why the fetch failed.
        #[source]
        source: Box<Error>,
    },

    /// A stage slug that cannot name a snapshot file ([`crate::source::layout::stage_snapshot_file`]).
    #[error(
        "stage {stage:?} cannot name a snapshot file (barekey.manifest.<stage>.json): a stage \
         slug is ASCII letters, digits, `-`, `_` and `.`, not starting with a dot; check --stage, \
         BAREKEY_STAGE or barekey.json"
    )]
    InvalidStageSlug {
        /// The stage as given.
        stage: String,
    },

    /// The lookup found several stages' snapshots where one was wanted.
    #[error(
        "found the snapshots of several stages:\n{}\n\
         this takes one: name it with --manifest or BAREKEY_MANIFEST",
        list_paths(found)
    )]
    SeveralSnapshots {
        /// The snapshots found.
        found: Vec<PathBuf>,
    },

    /// A folder holds both `barekey.manifest.json` and `barekey.manifest.<stage>.json` files,
    /// so the lookup cannot tell whether one stage or several are meant.
    #[error(
        "{} and the stage snapshots\n{}\nare in one folder, so it is unclear whether the code \
         is checked against one stage or several; remove {} to check every stage listed \
         (or remove those to check one), or name the snapshots with --manifest or BAREKEY_MANIFEST",
        single.display(),
        list_paths(stages),
        single.display()
    )]
    AmbiguousSnapshots {
        /// `barekey.manifest.json`.
        single: PathBuf,
        /// The `barekey.manifest.<stage>.json` files beside it.
        stages: Vec<PathBuf>,
    },

    /// The build helper cannot hand a snapshot's path to `barekey_env!`: the paths travel in
    /// one variable (`BAREKEY_TYPEGEN_BUILD_MANIFEST`), joined like `PATH`.
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

    /// The build helper was asked to fetch several snapshots, one of which names no stage.
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

    /// `barekey_env!` names a variable that some of the stages the build is checked against
    /// lack: it could not be read there.
    #[error(
        "`{name}` is not in every stage this build is checked against: {} {} it, {} {} not; \
         add it to {} in Barekey, then run `{}`, \
         or read it through the generated module (the build helper's, or `generate --rust`), \
         where it is an `Option`",
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

    /// The build helper was given a stage (`Builder::stage`) whose snapshot is nowhere.
    #[error(
        "no snapshot of stage {stage:?} found; looked for:\n{}\n\
         run `barekey-typegen pull --stage {stage}` beside your barekey.json to create it \
         (it writes barekey.manifest.{stage}.json), or let the build fetch it with \
         `.fetch(Fetch::IfMissing)`",
        list_searched(searched)
    )]
    StageSnapshotNotFound {
        /// The stage.
        stage: String,
        /// Every place that was looked at, in order.
        searched: Vec<Searched>,
    },

    /// A snapshot named for one stage holds another stage's manifest.
    #[error(
        "{path} is named for stage {named:?} but holds the snapshot of stage {inside:?}; \
         rename it to barekey.manifest.{inside}.json, or replace it with stage {named}'s \
         snapshot: `barekey-typegen pull --stage {named} --out {path}`"
    )]
    StageFileMismatch {
        /// The snapshot's path.
        path: String,
        /// The stage its file name says.
        named: String,
        /// The stage its `stageSlug` says.
        inside: String,
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
    #[error(
        "{origin} is not a valid Barekey manifest:\n{}",
        list_problems(problems)
    )]
    InvalidManifest {
        /// Where the manifest came from (a path, or a URL later).
        origin: String,
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },

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

    /// An output path names the manifest being read, or another output of the same run.
    #[error("{} is {other}; give each output its own file", path.display())]
    OutputClash {
        /// The output path, as given.
        path: PathBuf,
        /// What else it is (`the manifest being read`, `also the --ts output`).
        other: String,
    },

    /// The build helper ran outside a build script and was not told where to work.
    #[error(
        "${variable} is not set: `barekey_typegen::build::Builder::generate` runs from a \
         build script (build.rs), where Cargo sets it; elsewhere, pass the folder with \
         `.out_dir(...)` and `.manifest_dir(...)`"
    )]
    NotInBuildScript {
        /// The variable Cargo sets for build scripts (`OUT_DIR` or `CARGO_MANIFEST_DIR`).
        variable: &'static str,
    },

    /// The build helper was asked to fetch the manifest, but may not use the network, and
    /// there is no snapshot to fall back on.
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
    #[error(
        "`Builder::fetch` needs barekey-typegen's `fetch` feature: add `features = [\"fetch\"]` \
         to its entry in [build-dependencies], or use `Fetch::Never` with a committed snapshot"
    )]
    FetchDisabled,

    /// `barekey_env!` names a variable the manifest does not declare.
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

    /// `barekey_env!("NAME": type)` asserts a type the manifest does not declare for `NAME`.
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

    /// A type word that is not a Barekey declared type.
    #[error(
        "unknown type `{word}`; expected one of {}",
        DeclaredType::ALL.map(|ty| format!("`{ty}`")).join(", ")
    )]
    UnknownTypeWord {
        /// What was written.
        word: String,
    },

    /// The path given for the runtime crate (`--runtime-crate`, `Builder::runtime_crate`) is
    /// not a Rust path.
    #[error(
        "{path:?} is not a Rust path for the runtime crate; give a path such as \
         `::barekey_typegen_runtime`, or `::bkrt` when Cargo.toml renames the dependency to bkrt"
    )]
    InvalidRuntimeCrate {
        /// What was given.
        path: String,
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

    /// A live fetch has no project or stage to ask for.
    #[error(
        "no Barekey {what} set for the live manifest; looked at:\n{}\n{} {} so that it reads, \
         for example:\n  {{\"organization\": \"<org>\", \"project\": \"<project>\", \
         \"environment\": \"<stage>\"}}\nor pass --project and --stage \
         (or set BAREKEY_PROJECT and BAREKEY_STAGE)",
        list_lines(looked),
        if *exists { "edit" } else { "create" },
        barekey_json.display()
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
    },

    /// A settings file (`barekey.json`, or the Barekey CLI's config or credentials) is unusable.
    #[error("{} cannot be used: {message}; fix or remove it", path.display())]
    InvalidSettingsFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it (never a secret it holds).
        message: String,
    },

    /// The API URL is not one a request can go to.
    #[error(
        "{url:?} is not a usable Barekey API URL ({reason}); \
         fix --api-url, BAREKEY_API_URL or the Barekey CLI's baseUrl"
    )]
    InvalidApiUrl {
        /// The URL as configured.
        url: String,
        /// Why it cannot be used.
        reason: String,
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
        list_lines(looked)
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

    /// The API answered with an error body `{"error":{code,message,requestId}}`.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The API answered with something that is not the JSON it documents.
    #[error(
        "{url} answered HTTP {status} with {what}; check that --api-url, BAREKEY_API_URL or \
         the Barekey CLI's baseUrl points at the Barekey API"
    )]
    BadReply {
        /// The URL asked.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What came back instead (`an HTML page`, ...).
        what: String,
    },

    /// A stop was requested ([`crate::stop::Stop`]) while a request was in flight; it was
    /// abandoned, and nothing was written.
    #[error("stopped before {url} answered")]
    Stopped {
        /// The URL asked.
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
}

fn list_lines(lines: &[String]) -> String {
    let lines: Vec<String> = lines.iter().map(|line| format!("  - {line}")).collect();
    lines.join("\n")
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

fn list_searched(searched: &[Searched]) -> String {
    let lines: Vec<String> = searched
        .iter()
        .map(|place| format!("  - {place}"))
        .collect();
    lines.join("\n")
}

fn did_you_mean(suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|name| format!("`{name}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean {one}?)"),
        [init @ .., last] => format!(" (did you mean {} or {last}?)", init.join(", ")),
    }
}

fn list_problems(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|problem| format!("  - {problem}"))
        .collect();
    lines.join("\n")
}

impl From<crate::settings::SettingsError> for Error {
    /// The shared settings' error, in the CLI's words (its flags, then the variables).
    fn from(error: crate::settings::SettingsError) -> Self {
        use crate::settings::SettingsError;
        match error {
            SettingsError::Read { path, source } => Error::Read { path, source },
            SettingsError::InvalidFile { path, message } => {
                Error::InvalidSettingsFile { path, message }
            }
            SettingsError::Missing {
                what,
                flags,
                looked,
                barekey_json,
                exists,
            } => Error::MissingSettings {
                what,
                looked: std::iter::once(format!("{flags} (not given)"))
                    .chain(looked)
                    .collect(),
                barekey_json,
                exists,
            },
            other => Error::InvalidSettingsFile {
                path: PathBuf::new(),
                message: other.to_string(),
            },
        }
    }
}

#[cfg(feature = "fetch")]
impl From<barekey_typegen_http::HttpError> for Error {
    /// The shared HTTP code's error, in the CLI's words.
    fn from(error: barekey_typegen_http::HttpError) -> Self {
        use barekey_typegen_http::HttpError;
        match error {
            HttpError::InvalidApiUrl { url, reason } => Error::InvalidApiUrl { url, reason },
            HttpError::InsecureApiUrl { url } => Error::InsecureApiUrl { url },
            HttpError::Network { url, what, source } => Error::Network {
                url,
                what,
                source: Box::new(source),
            },
            HttpError::BadReply { url, status, what } => Error::BadReply { url, status, what },
            other => Error::Network {
                url: String::new(),
                what: other.to_string(),
                source: Box::new(other),
            },
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
    /// `--ts-mode sdk` met names that JavaScript's `localeCompare` calls equal: the official
    /// CLI lists them in the service's order, which a manifest does not keep; they are listed in
    /// byte order, so the official file may order them otherwise.
    SdkOrderTie {
        /// Where the manifest came from.
        origin: String,
        /// The names, in the order written.
        variables: Vec<String>,
    },
    /// `--ts-mode sdk` wrote a variable's type other than the official CLI would (which copies
    /// `typeScriptType` verbatim): the text is not the service's own, so it is re-printed
    /// (`in_grammar`) or replaced by the declared type's.
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
    EscapedInSdkFile {
        /// Where the manifest came from.
        origin: String,
        /// The variable's name; `None` for the `manifestVersion`.
        variable: Option<String>,
    },
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
    /// The Barekey CLI's credentials file can be read by other users (as ssh warns about a
    /// private key); it is used anyway.
    ExposedCredentials {
        /// The credentials file.
        path: PathBuf,
        /// Its permission bits (`0o644`, ...).
        mode: u32,
    },
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
                "{origin}: variable {variable:?} has declaredType {found:?}, which barekey-typegen \
                 does not know; treating it as `string`, as the service does"
            ),
            Warning::MissingDeclaredType { origin, variable } => write!(
                f,
                "{origin}: variable {variable:?} has no declaredType; treating it as `string`, \
                 as the service does"
            ),
            Warning::UnknownKind {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable:?} has kind {found:?}, which barekey-typegen does \
                 not know; treating it as `secret`"
            ),
            Warning::UnknownVisibility {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable:?} has visibility {found:?}, which barekey-typegen \
                 does not know; treating it as `private`"
            ),
            Warning::UnknownRolloutFunction {
                origin,
                variable,
                found,
            } => write!(
                f,
                "{origin}: variable {variable:?} has rolloutFunction {found:?}, which \
                 barekey-typegen does not know; ignoring it"
            ),
            Warning::UnsupportedTypeScriptType {
                origin,
                variable,
                found,
                used,
            } => write!(
                f,
                "{origin}: variable {variable:?} has typeScriptType {found:?}, which is not a \
                 type barekey-typegen can emit for it; its TypeScript type is `{used}` instead"
            ),
            Warning::JsonKeyNotUnicode {
                origin,
                variable,
                key,
            } => write!(
                f,
                "{origin}: variable {variable:?} has an object key {key} in its typeScriptType, \
                 which holds a lone surrogate no Rust string can hold; its Rust field is \
                 `JsonValue` instead of a struct"
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
            Warning::ExposedCredentials { path, mode } => write!(
                f,
                "{} holds your Barekey tokens and other users can read it (mode {mode:o}); \
                 restrict it with `chmod 600 {}`",
                path.display(),
                path.display()
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
                    "{origin}: variable {variable:?} has typeScriptType {found:?}, which {why}; \
                     --ts-mode sdk writes `{written}` where the official barekey typegen would \
                     copy it, so this line differs from the official file"
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
            Warning::NameCollision {
                identifier,
                assigned,
            } => {
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
        }
    }
}

/// `"NAME" -> `ident`` for each name and the identifier it was given, comma separated.
fn assigned_identifiers(assigned: &[(String, String)]) -> String {
    let names: Vec<String> = assigned
        .iter()
        .map(|(name, ident)| format!("{name:?} -> `{ident}`"))
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
        .filter(|stage| crate::source::layout::stage_snapshot_file(stage).is_ok())
        .collect();
    let mut command = "barekey-typegen pull".to_owned();
    for stage in stages {
        command.push_str(" --stage ");
        command.push_str(stage);
    }
    command
}

/// One indented line per path.
fn list_paths(paths: &[PathBuf]) -> String {
    let lines: Vec<String> = paths
        .iter()
        .map(|path| format!("  - {}", path.display()))
        .collect();
    lines.join("\n")
}

/// One line per conflicting variable: `  - "PORT": int64 in production (path), string in ...`.
fn list_conflicts(conflicts: &[crate::manifest::TypeConflict]) -> String {
    let lines: Vec<String> = conflicts
        .iter()
        .map(|conflict| {
            let stages: Vec<String> = conflict
                .stages
                .iter()
                .map(|(stage, origin, declared)| format!("{declared} in {stage} ({origin})"))
                .collect();
            format!(
                "  - \"{}\": {}",
                barekey_typegen_shared::text::for_terminal(&conflict.name),
                stages.join(", ")
            )
        })
        .collect();
    lines.join("\n")
}

fn quoted_list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<String> = names.map(|name| format!("{name:?}")).collect();
    names.join(", ")
}
