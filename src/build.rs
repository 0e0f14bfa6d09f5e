//! The `build.rs` helper: generates the Rust module into `OUT_DIR` at build time.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     if let Err(error) = barekey_typegen::build::Builder::new().generate() {
//!         // `{:?}` is the message and its causes; `.unwrap()` would wrap it in a panic
//!         // ("called `Result::unwrap()` on an `Err` value", and a backtrace).
//!         eprintln!("{error:?}");
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! ```text
//! // src/main.rs
//! mod barekey { include!(concat!(env!("OUT_DIR"), "/barekey_env.rs")); }
//! ```
//!
//! [`Builder::generate`] finds the snapshot with the usual lookup (from `CARGO_MANIFEST_DIR`),
//! writes `$OUT_DIR/barekey_env.rs`, tells the crate's `barekey_env!` calls which manifest it
//! used (`cargo:rustc-env=BAREKEY_TYPEGEN_BUILD_MANIFEST=<path>`, the lookup's first step), and
//! tells Cargo when to run it again: when the snapshot or `barekey.json` changes, or one of the
//! non-secret `BAREKEY_*` settings does. It never tells Cargo about `BAREKEY_ACCESS_TOKEN`:
//! Cargo records the values of the variables it watches under `target/`.
//!
//! # Several stages, one build
//!
//! A crate deployed to several stages is checked against every one of them: give each stage's
//! snapshot ([`Builder::stage`] or [`Builder::manifest`], once per stage), or let the lookup
//! find the `barekey.manifest.<stage>.json` files that `barekey-typegen pull --stage a --stage
//! b` writes beside `barekey.json`. The module is generated from their merge
//! ([`crate::manifest::merge_stages`]): a variable some stages lack is an `Option`, and a
//! declared type that differs between stages fails the build with the merge's message. The
//! crate's `barekey_env!` calls are handed every snapshot (joined like `PATH`), and accept a
//! name only if every stage has it.
//!
//! Cargo is told about each snapshot read and about `barekey.json`, never about a folder: Cargo
//! watches a folder by everything in it, so any file created there (notes, an editor's swap
//! file, a target directory) would rerun the script and recompile the crate. A stage's snapshot
//! added by hand beside the others, or a snapshot added nearer the package than the one in use,
//! is therefore picked up the next time the script runs for another reason (an edited snapshot
//! or `barekey.json`, or `touch build.rs`); `barekey-typegen pull` rewrites files Cargo
//! watches.
//!
//! Files are written only when their content changed, so an unchanged manifest recompiles
//! nothing. Warnings (name collisions, unknown types) become `cargo:warning=` lines.
#![allow(
    clippy::needless_doctest_main,
    reason = "the example is a whole build.rs, `fn main` included"
)]

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codegen;
use crate::manifest::Loaded;
use crate::pipeline::{self, Target};
use crate::settings::{Source, find_barekey_json};
use crate::source::layout::{self, Start};
use crate::source::{self, Lookup, Searched};
use crate::{Error, Front, Result, Warning, env};

/// The environment as the builder reads it (the process's, or a test's).
type Env = Arc<dyn Fn(&str) -> Option<OsString> + Send + Sync>;

/// The module file written into the output folder unless [`Builder::rust_file`] says otherwise.
pub const DEFAULT_RUST_FILE: &str = "barekey_env.rs";

/// Settings that change what the build script produces, reported with
/// `cargo:rerun-if-env-changed`. `BAREKEY_ACCESS_TOKEN` is deliberately absent: Cargo stores
/// the values of watched variables in its fingerprints under `target/`.
pub const WATCHED_ENV: [&str; 6] = [
    env::MANIFEST,
    "BAREKEY_OFFLINE",
    "BAREKEY_ORG",
    "BAREKEY_PROJECT",
    "BAREKEY_STAGE",
    "BAREKEY_API_URL",
];

/// When the build script asks the Barekey API for the manifest.
///
/// Anything but [`Fetch::Never`] needs the `fetch` feature, and is skipped (with a
/// `cargo:warning`) when `BAREKEY_OFFLINE=1`, `CARGO_NET_OFFLINE=true` or `DOCS_RS` is set; the
/// snapshot must exist then. A fetched manifest is written to the snapshot (beside the nearest
/// `barekey.json`, unless [`Builder::manifest`] or `BAREKEY_MANIFEST` names it), like
/// `barekey-typegen pull`, so commit it. With several stages, each stage is fetched into its
/// own snapshot, `barekey.manifest.<stage>.json` ([`Builder::stage`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fetch {
    /// Use the snapshot only; a missing snapshot is an error. Builds are hermetic.
    #[default]
    Never,
    /// Pull the manifest into the snapshot when there is no snapshot yet.
    IfMissing,
    /// Pull the manifest into the snapshot each time the build script runs. The script still
    /// reruns only on Cargo's usual triggers (the snapshot, `barekey.json`, the settings).
    Always,
}

/// Generates the Rust module (and, optionally, the TypeScript module, a `.env.example` and a
/// Markdown reference) from a build script.
#[derive(Debug, Clone)]
#[must_use = "a Builder does nothing until `.generate()` runs it"]
pub struct Builder {
    snapshots: Vec<Snapshot>,
    rust_file: PathBuf,
    typescript: Option<PathBuf>,
    env_example: Option<PathBuf>,
    markdown: Option<PathBuf>,
    fetch: Fetch,
    runtime_crate: Option<String>,
    selection: codegen::Selection,
    type_attributes: Vec<(String, String)>,
    field_attributes: Vec<(String, String)>,
    out_dir: Option<PathBuf>,
    manifest_dir: Option<PathBuf>,
}

/// One stage's snapshot, as the build script names it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Snapshot {
    /// [`Builder::manifest`]: a file, relative to the package root.
    Path(PathBuf),
    /// [`Builder::stage`]: `barekey.manifest.<stage>.json`, found like the lookup.
    Stage(String),
}

/// A snapshot the build reads: its path, and the stage to fetch into it when that is known.
#[derive(Debug)]
struct Found {
    path: PathBuf,
    stage: Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// The defaults: snapshot lookup from `CARGO_MANIFEST_DIR`, output
    /// `$OUT_DIR/barekey_env.rs`.
    pub fn new() -> Self {
        Builder {
            snapshots: Vec::new(),
            rust_file: PathBuf::from(DEFAULT_RUST_FILE),
            typescript: None,
            env_example: None,
            markdown: None,
            fetch: Fetch::Never,
            runtime_crate: None,
            selection: codegen::Selection::default(),
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            out_dir: None,
            manifest_dir: None,
        }
    }

    /// Reads the manifest from this path (relative to the package root) instead of the lookup.
    ///
    /// Each call adds one stage's snapshot: call it once per stage the crate is deployed to,
    /// and the module is checked against all of them (see the [module](self) docs). One call
    /// is one stage, as before.
    pub fn manifest(mut self, path: impl Into<PathBuf>) -> Self {
        self.snapshots.push(Snapshot::Path(path.into()));
        self
    }

    /// Adds the stage `slug` (`production`, `staging`, ...): its snapshot is
    /// `barekey.manifest.<slug>.json` beside the nearest `barekey.json` or `Cargo.toml` that has
    /// one, walking up from the package like the lookup, and with [`Fetch::IfMissing`] or
    /// [`Fetch::Always`] the stage is fetched into it (beside `barekey.json` when there is none
    /// yet). Call it once per stage; it may be mixed with [`Builder::manifest`].
    ///
    /// [`generate`](Builder::generate) fails with [`Error::InvalidStageSlug`] when `slug` cannot
    /// name a file, and with [`Error::StageSnapshotNotFound`] when a stage has no snapshot
    /// (naming every place looked at, and `barekey-typegen pull --stage <slug>`).
    pub fn stage(mut self, slug: impl Into<String>) -> Self {
        self.snapshots.push(Snapshot::Stage(slug.into()));
        self
    }

    /// Names the generated Rust file inside the output folder (default `barekey_env.rs`).
    pub fn rust_file(mut self, name: impl Into<PathBuf>) -> Self {
        self.rust_file = name.into();
        self
    }

    /// Also writes the standalone TypeScript module to this path (relative to the package
    /// root), for a front-end built from the same repository. Written only when it changed.
    pub fn typescript(mut self, path: impl Into<PathBuf>) -> Self {
        self.typescript = Some(path.into());
        self
    }

    /// Also writes a `.env.example` to this path (relative to the package root): one `NAME=`
    /// line per variable with a comment of its kind, type, visibility and stages, never a
    /// value or a private switch's arms. Written only when it changed; commit it, and
    /// `barekey-typegen check --env-example PATH` keeps it honest.
    pub fn env_example(mut self, path: impl Into<PathBuf>) -> Self {
        self.env_example = Some(path.into());
        self
    }

    /// Also writes a Markdown reference of the variables to this path (relative to the
    /// package root), for a README or a wiki; with several stages it has a variable x stage
    /// matrix. Written only when it changed; `barekey-typegen check --markdown PATH` keeps it
    /// honest.
    pub fn markdown(mut self, path: impl Into<PathBuf>) -> Self {
        self.markdown = Some(path.into());
        self
    }

    /// Whether to ask the Barekey API for the manifest (default [`Fetch::Never`]).
    pub fn fetch(mut self, fetch: Fetch) -> Self {
        self.fetch = fetch;
        self
    }

    /// The path generated Rust names the runtime by, when the application renamed
    /// `barekey-typegen-runtime` in its Cargo.toml (`bkrt = { package =
    /// "barekey-typegen-runtime", .. }` -> `"::bkrt"`); default `::barekey_typegen_runtime`.
    /// [`generate`](Builder::generate) fails with [`Error::InvalidRuntimeCrate`] when it is not
    /// a Rust path.
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = Some(path.into());
        self
    }

    /// Generates only the variables `pattern` selects, for a crate that reads some of the
    /// project's variables: a Barekey name, in which `*` matches any run of characters (`\*`
    /// is a `*` of the name, `\\` a backslash). Call it once per name or pattern; the module
    /// (and the TypeScript one) holds every variable one of them selects, so `from_env` needs
    /// no other.
    ///
    /// [`generate`](Builder::generate) fails with [`Error::UnfitSelection`] when a name is not
    /// declared (naming the closest declared names) or a pattern matches no variable.
    ///
    /// ```no_run
    /// barekey_typegen::build::Builder::new()
    ///     .only("DATABASE_URL")
    ///     .only("HTTP_*")
    ///     .generate()
    ///     .unwrap();
    /// ```
    pub fn only(mut self, pattern: impl AsRef<str>) -> Self {
        self.selection
            .only
            .push(codegen::Pattern::new(pattern.as_ref()));
        self
    }

    /// Generates only the public variables: no private variable's name, type or arm appears
    /// in the module (or the TypeScript one, a browser's), and loading it needs no private
    /// value. With [`Builder::only`], the public variables its patterns select; a private name
    /// there is an error. In several stages' merge, a variable private in any stage is private.
    pub fn public_only(mut self) -> Self {
        self.selection.public_only = true;
        self
    }

    /// Adds `attribute` (`#[derive(serde::Serialize)]`, or `derive(serde::Serialize)`) to each
    /// generated type whose name matches `pattern`: `BarekeyEnv`, an A/B enum (`CheckoutFlow`),
    /// a JSON struct (`ThemeConfig`), or `*` for every one (prost-build's `type_attribute`).
    /// Call it once per attribute; they are added in order.
    ///
    /// [`generate`](Builder::generate) fails with [`Error::InvalidAttribute`] when `attribute`
    /// does not parse, and with [`Error::UnfitAttributes`] when a pattern without `*` names no
    /// generated type or the attribute derives a trait the type implements itself (the
    /// `Debug` of `BarekeyEnv`, which hides private values, stays).
    ///
    /// Deriving `serde::Serialize` on `BarekeyEnv` serialises private values in clear: derive
    /// it on a [`public_only`](Builder::public_only) module, or skip private fields with
    /// [`field_attribute`](Builder::field_attribute). A `date` field needs the runtime's
    /// feature `serde`.
    ///
    /// ```no_run
    /// barekey_typegen::build::Builder::new()
    ///     .public_only()
    ///     .type_attribute("*", "#[derive(serde::Serialize)]")
    ///     .generate()
    ///     .unwrap();
    /// ```
    pub fn type_attribute(mut self, pattern: impl AsRef<str>, attribute: impl AsRef<str>) -> Self {
        let pair = (pattern.as_ref().to_owned(), attribute.as_ref().to_owned());
        self.type_attributes.push(pair);
        self
    }

    /// Adds `attribute` to each field of `BarekeyEnv` whose variable's Barekey name matches
    /// `pattern` (`DATABASE_URL`, `*_URL`, `*`), as prost-build's `field_attribute`; errors as
    /// [`type_attribute`](Builder::type_attribute)'s.
    pub fn field_attribute(mut self, pattern: impl AsRef<str>, attribute: impl AsRef<str>) -> Self {
        let pair = (pattern.as_ref().to_owned(), attribute.as_ref().to_owned());
        self.field_attributes.push(pair);
        self
    }

    /// The attributes given, parsed.
    fn attributes(&self) -> Result<codegen::Attributes> {
        let parse = |pairs: &[(String, String)]| -> Result<Vec<_>> {
            pairs
                .iter()
                .map(|(pattern, attribute)| {
                    Ok((
                        codegen::Pattern::new(pattern),
                        codegen::Attribute::new(attribute)?,
                    ))
                })
                .collect()
        };
        Ok(codegen::Attributes {
            types: parse(&self.type_attributes)?,
            fields: parse(&self.field_attributes)?,
        })
    }

    /// Writes into this folder instead of `$OUT_DIR`: for running outside a build script.
    pub fn out_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(path.into());
        self
    }

    /// Starts the lookup (and resolves relative paths) here instead of `$CARGO_MANIFEST_DIR`.
    pub fn manifest_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.manifest_dir = Some(path.into());
        self
    }

    /// Generates, printing Cargo's `cargo:` instructions on stdout.
    ///
    /// The error's `Debug` is its message and causes, so `.unwrap()` reads well in Cargo's
    /// output.
    pub fn generate(&self) -> Result<()> {
        let stdout = io::stdout();
        self.run(&(Arc::new(env::var_os) as Env), &mut stdout.lock())
    }

    /// [`Builder::generate`] with the environment and Cargo's channel passed in.
    fn run(&self, env: &Env, cargo: &mut dyn Write) -> Result<()> {
        let mut cargo = Cargo(cargo);
        for name in WATCHED_ENV {
            cargo.line("rerun-if-env-changed", name)?;
        }
        let out_dir = self.folder(&self.out_dir, "OUT_DIR", env)?;
        let package = self.folder(&self.manifest_dir, "CARGO_MANIFEST_DIR", env)?;
        if let Some(settings) = find_barekey_json(&package) {
            cargo.path("rerun-if-changed", &settings)?;
        }
        let offline = offline_reason(env.as_ref());
        let found = self.find_snapshots(&package, offline, env)?;
        let several = found.len() > 1;
        // Cargo is told about the files read, never their folder: Cargo watches a folder by
        // everything in it, so any new file there (notes, an editor's swap file, the target
        // directory) would rerun the script.
        for snapshot in &found {
            self.refresh_snapshot(snapshot, several, &package, offline, env, &mut cargo)?;
            cargo.path("rerun-if-changed", &snapshot.path)?;
        }
        let paths: Vec<PathBuf> = found.into_iter().map(|snapshot| snapshot.path).collect();
        // The crate's `barekey_env!` calls read the manifests this module was generated from.
        let used = format!("{}={}", env::BUILD_MANIFEST, joined(&paths)?);
        cargo.line("rustc-env", &used)?;
        let Loaded {
            manifest, warnings, ..
        } = source::read_stages(&paths)?;
        cargo.warnings(&self.selection.relevant(&warnings, &manifest))?;
        let origins: Vec<String> = paths
            .iter()
            .map(|path| path.display().to_string())
            .collect();

        let mut options = codegen::Options::default()
            .with_selection(self.selection.clone())
            .with_attributes(self.attributes()?);
        if let Some(path) = &self.runtime_crate {
            options.runtime_crate = codegen::RuntimeCrate::new(path)?;
        }
        let mut targets = vec![Target::Rust(out_dir.join(&self.rust_file))];
        if let Some(typescript) = &self.typescript {
            targets.push(Target::TypeScript(package.join(typescript)));
        }
        if let Some(path) = &self.env_example {
            targets.push(Target::EnvExample(package.join(path)));
        }
        if let Some(path) = &self.markdown {
            targets.push(Target::Markdown(package.join(path)));
        }
        let rendering = pipeline::render(&manifest, &origins.join(", "), &targets, &options)?;
        for warning in rendering.warnings() {
            cargo.warning(&warning.to_string())?;
        }
        pipeline::write(&rendering.files)?;
        Ok(())
    }

    /// The snapshots to read, in order, each with the stage to fetch into it when the build
    /// script names one.
    fn find_snapshots(
        &self,
        package: &Path,
        offline: Option<&'static str>,
        env: &Env,
    ) -> Result<Vec<Found>> {
        if !self.snapshots.is_empty() {
            return self
                .snapshots
                .iter()
                .map(|snapshot| match snapshot {
                    Snapshot::Path(path) => Ok(Found {
                        path: package.join(path),
                        stage: None,
                    }),
                    Snapshot::Stage(stage) => Ok(Found {
                        path: self.stage_snapshot(package, stage, offline)?,
                        stage: Some(stage.clone()),
                    }),
                })
                .collect();
        }
        let may_pull = self.fetch != Fetch::Never;
        let paths = match source::lookup(Start::Package(package), env.as_ref(), Front::BuildScript)?
        {
            Lookup::Found { paths, .. } => paths,
            Lookup::EnvNamesMissing { path } if may_pull => vec![path],
            Lookup::NotFound { .. } if may_pull && offline.is_none() => {
                vec![layout::default_snapshot_path(package)]
            }
            missed => return Err(self.offline_error(offline, missed.into_paths().unwrap_err())),
        };
        Ok(paths
            .into_iter()
            .map(|path| Found { path, stage: None })
            .collect())
    }

    /// Where stage `stage`'s snapshot is: `barekey.manifest.<stage>.json` in the nearest folder
    /// on the lookup's walk ([`layout::walk`]) that holds the file; when none does and the
    /// stage may be fetched, beside `barekey.json`.
    fn stage_snapshot(
        &self,
        package: &Path,
        stage: &str,
        offline: Option<&'static str>,
    ) -> Result<PathBuf> {
        let file = layout::stage_snapshot_file(stage, Front::BuildScript)?;
        let mut searched = Vec::new();
        for place in layout::walk(Start::Package(package)) {
            let path = place.folder.join(&file);
            if path.is_file() {
                if !place.trusted {
                    crate::trust::check_found(&path, "snapshot")?;
                }
                return Ok(path);
            }
            searched.push(Searched::File {
                path,
                beside: Some(place.marker),
            });
        }
        if self.fetch != Fetch::Never && offline.is_none() {
            return Ok(layout::default_snapshot_path(package).with_file_name(file));
        }
        if searched.is_empty() {
            searched.push(Searched::File {
                path: package.join(&file),
                beside: None,
            });
        }
        Err(self.offline_error(
            offline,
            Error::StageSnapshotNotFound {
                stage: stage.to_owned(),
                searched,
            },
        ))
    }

    /// Pulls the live manifest into `snapshot` when [`Builder::fetch`] asks for it: the stage
    /// named by [`Builder::stage`] or by the file's name, else (for the build's only snapshot)
    /// the configured stage.
    fn refresh_snapshot(
        &self,
        snapshot: &Found,
        several: bool,
        package: &Path,
        offline: Option<&'static str>,
        env: &Env,
        cargo: &mut Cargo<'_>,
    ) -> Result<()> {
        let Found {
            path: snapshot,
            stage,
        } = snapshot;
        let wanted = match self.fetch {
            Fetch::Never => false,
            Fetch::IfMissing => !snapshot.is_file(),
            Fetch::Always => true,
        };
        if !wanted {
            return Ok(());
        }
        if let Some(reason) = offline {
            if !snapshot.is_file() {
                let missing = Error::Read {
                    path: snapshot.to_owned(),
                    source: io::ErrorKind::NotFound.into(),
                };
                return Err(self.offline_error(offline, missing));
            }
            return cargo.warning(&format!(
                "barekey-typegen: not fetching the manifest ({reason}); using {}",
                snapshot.display()
            ));
        }
        // The stage the build script named, else the layout's rule, else (the only snapshot,
        // named plainly) the configured stage; with where each came from, for messages.
        let existing = source::read_manifest(snapshot).ok();
        let stage = match stage {
            Some(stage) => Some((stage.clone(), Source::Flag("Builder::stage"))),
            None => {
                let manifest = existing.as_ref().map(|loaded| &loaded.manifest);
                layout::live_stage(snapshot, manifest, several).map(|(stage, from)| {
                    let key = from.describe();
                    let source = Source::File {
                        path: snapshot.clone(),
                        key,
                    };
                    (stage, source)
                })
            }
        };
        if stage.is_none() && several {
            return Err(Error::UnknownSnapshotStage {
                path: snapshot.clone(),
            });
        }
        self.pull(snapshot, stage.as_ref(), package, env)
    }

    /// The error for a snapshot that is missing while the network may not be used.
    fn offline_error(&self, offline: Option<&'static str>, missing: Error) -> Error {
        match offline {
            Some(reason) if self.fetch != Fetch::Never => Error::OfflineWithoutSnapshot {
                reason,
                source: Box::new(missing),
            },
            _ => missing,
        }
    }

    /// Fetches the live manifest for the settings resolved from `package` (of `stage`, when
    /// given, with where it came from) and writes it to `snapshot` (only if it changed).
    #[cfg(feature = "fetch")]
    fn pull(
        &self,
        snapshot: &Path,
        stage: Option<&(String, Source)>,
        package: &Path,
        env: &Env,
    ) -> Result<()> {
        use crate::fetch::{FetchOptions, fetch_manifest};
        use crate::remote::Live;
        use crate::settings::Overrides;

        let options = FetchOptions {
            env: Arc::clone(env),
            front: Front::BuildScript,
            ..FetchOptions::default()
        };
        let live = Live {
            overrides: &Overrides::default(),
            env: env.as_ref(),
            start: package,
            options: &options,
        };
        let settings = live.settings(stage)?;
        let fetched = fetch_manifest(&settings, &options)?;
        crate::write::write_if_changed(snapshot, &fetched.snapshot)?;
        Ok(())
    }

    #[cfg(not(feature = "fetch"))]
    fn pull(
        &self,
        _snapshot: &Path,
        _stage: Option<&(String, Source)>,
        _package: &Path,
        _env: &Env,
    ) -> Result<()> {
        Err(Error::FetchDisabled)
    }

    /// An explicit folder, else the one Cargo passes to build scripts in `variable`.
    fn folder(
        &self,
        explicit: &Option<PathBuf>,
        variable: &'static str,
        env: &Env,
    ) -> Result<PathBuf> {
        explicit
            .clone()
            .or_else(|| {
                env(variable)
                    .filter(|value| !value.is_empty())
                    .map(PathBuf::from)
            })
            .ok_or(Error::NotInBuildScript { variable })
    }
}

/// The snapshots' paths as one value of `BAREKEY_TYPEGEN_BUILD_MANIFEST`, joined like `PATH`
/// ([`std::env::join_paths`]), which the lookup splits again.
fn joined(paths: &[PathBuf]) -> Result<String> {
    // A line break would end Cargo's instruction early: refused like the separator.
    let unlistable = paths.iter().find(|path| {
        std::env::join_paths([path]).is_err() || path.to_string_lossy().contains(['\n', '\r'])
    });
    if let Some(path) = unlistable {
        return Err(Error::UnlistableSnapshotPath { path: path.clone() });
    }
    let joined = std::env::join_paths(paths).map_err(|_| Error::UnlistableSnapshotPath {
        path: paths[0].clone(),
    })?;
    Ok(joined.to_string_lossy().into_owned())
}

/// Why the network must not be used, when it must not.
fn offline_reason(env: &dyn Fn(&str) -> Option<OsString>) -> Option<&'static str> {
    let set_to = |name: &str, values: &[&str]| {
        env(name).is_some_and(|value| {
            values
                .iter()
                .any(|wanted| value.eq_ignore_ascii_case(wanted))
        })
    };
    if set_to("BAREKEY_OFFLINE", &["1", "true"]) {
        Some("BAREKEY_OFFLINE is set")
    } else if set_to("CARGO_NET_OFFLINE", &["1", "true"]) {
        Some("CARGO_NET_OFFLINE is set")
    } else if env("DOCS_RS").is_some() {
        Some("building on docs.rs")
    } else {
        None
    }
}

/// Cargo's build-script channel: one instruction per line.
struct Cargo<'a>(&'a mut dyn Write);

impl Cargo<'_> {
    /// `cargo:KEY=VALUE`; a value holding a line break is refused, since what follows it
    /// would reach Cargo as an instruction of its own.
    fn line(&mut self, key: &'static str, value: &str) -> Result<()> {
        if value.contains('\n') {
            return Err(Error::CargoCannotExpress {
                key,
                value: value.into(),
                why: "it holds a line break",
            });
        }
        writeln!(self.0, "cargo:{key}={value}").map_err(|source| Error::Write {
            path: PathBuf::from("<stdout>"),
            what: "printing Cargo instructions",
            source,
        })
    }

    /// `cargo:KEY=PATH`, for a path Cargo reads back exactly: Cargo splits its input at line
    /// breaks, skips a line that is not UTF-8 and trims white space off a line's end.
    fn path(&mut self, key: &'static str, path: &Path) -> Result<()> {
        let refuse = |why| Error::CargoCannotExpress {
            key,
            value: path.into(),
            why,
        };
        let Some(text) = path.to_str() else {
            return Err(refuse("it is not UTF-8, and Cargo skips such a line"));
        };
        if text.contains(['\n', '\r']) {
            return Err(refuse("it holds a line break"));
        }
        if text.ends_with(char::is_whitespace) {
            return Err(refuse("it ends in white space, which Cargo trims off"));
        }
        self.line(key, text)
    }

    /// A warning, one `cargo:warning=` per line (Cargo reads instructions line by line).
    fn warning(&mut self, text: &str) -> Result<()> {
        text.lines().try_for_each(|line| self.line("warning", line))
    }

    fn warnings(&mut self, warnings: &[Warning]) -> Result<()> {
        warnings
            .iter()
            .try_for_each(|warning| self.warning(&warning.to_string()))
    }
}

#[cfg(test)]
mod tests;
