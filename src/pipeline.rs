//! The one render-and-write step every front-end runs: render a set of [`Target`]s from a
//! loaded manifest ([`render`]), then either write them ([`write()`]: atomic, only when changed)
//! or check them against the files on disk ([`check`]: what `barekey-typegen check` reports).
//! The CLI, the build helper and `--watch` all call it; none keeps its own loop.
//!
//! ```
//! use barekey_typegen::{codegen, manifest, pipeline};
//!
//! let text = r#"{"variables": [{"name": "PORT", "declaredType": "int64"}]}"#;
//! let loaded = manifest::parse(text, "barekey.manifest.json")?;
//! let folder = tempfile::tempdir()?;
//! let targets = [pipeline::Target::Rust(folder.path().join("barekey_env.rs"))];
//! let options = codegen::Options::default();
//! let rendering = pipeline::render(&loaded.manifest, "barekey.manifest.json", &targets, &options)?;
//! let fix = |_: &pipeline::Target| "barekey-typegen generate --rust barekey_env.rs".to_owned();
//! assert!(matches!(pipeline::check(&rendering.files, &fix)?[0], pipeline::Checked::Drift(_)));
//! pipeline::write(&rendering.files)?;
//! assert!(matches!(pipeline::check(&rendering.files, &fix)?[0], pipeline::Checked::Fresh(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::codegen::{self, Options};
use crate::manifest::{Manifest, SnapshotChange, snapshot_change};
use crate::write::{Written, write_all_or_none, write_if_changed};
use crate::{Error, Result, Warning};

/// One output file rendered from a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// The Rust module ([`codegen::generate_rust`]).
    Rust(PathBuf),
    /// The TypeScript module, in the mode [`Options::ts_mode`] says
    /// ([`codegen::generate_typescript`]).
    TypeScript(PathBuf),
    /// The `.env.example` ([`codegen::generate_env_example`]).
    EnvExample(PathBuf),
    /// The Markdown variable reference ([`codegen::generate_markdown`]).
    Markdown(PathBuf),
}

impl Target {
    /// The file it is written to.
    pub fn path(&self) -> &Path {
        match self {
            Target::Rust(path)
            | Target::TypeScript(path)
            | Target::EnvExample(path)
            | Target::Markdown(path) => path,
        }
    }

    /// The command-line flag that names this output: `--rust`, `--ts`, `--env-example` or
    /// `--markdown`.
    pub fn flag(&self) -> &'static str {
        match self {
            Target::Rust(_) => "--rust",
            Target::TypeScript(_) => "--ts",
            Target::EnvExample(_) => "--env-example",
            Target::Markdown(_) => "--markdown",
        }
    }
}

/// One target's text, ready to be written or checked.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Rendered {
    /// What was rendered, and where it goes.
    pub target: Target,
    /// The file's whole text.
    pub text: String,
    /// Its generator's warnings.
    pub warnings: Vec<Warning>,
    /// The `manifestVersion`s the manifest holds (each stage's, and the merged one), which
    /// [`check`] looks past to point at the first differing declaration rather than at a
    /// header line that only names the version.
    pub versions: Vec<String>,
}

/// Every target rendered from one manifest.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Rendering {
    /// One per target, in order.
    pub files: Vec<Rendered>,
}

impl Rendering {
    /// The warnings of every generator, in target order.
    pub fn warnings(&self) -> impl Iterator<Item = &Warning> {
        self.files.iter().flat_map(|file| &file.warnings)
    }
}

/// Renders every target from `manifest` with `options`; `origin` (the snapshots' paths or the
/// live URL) is what generated files name as their source. The variables `options.selection`
/// selects are picked once, for every target.
///
/// # Errors
///
/// The selection's ([`codegen::Selection::apply`]), or a generator's
/// ([`codegen::generate_rust`], [`codegen::generate_typescript`]); nothing is rendered then.
pub fn render(
    manifest: &Manifest,
    origin: &str,
    targets: &[Target],
    options: &Options,
) -> Result<Rendering> {
    let selected = options.selection.apply(manifest, origin)?;
    let mut rendering = Rendering {
        files: Vec::with_capacity(targets.len()),
    };
    for target in targets {
        let generated = match target {
            Target::Rust(_) => codegen::rust::generate_selected(&selected, options, origin)?,
            Target::TypeScript(_) => {
                codegen::typescript::generate_selected(&selected, options, origin)?
            }
            Target::EnvExample(_) => codegen::env_example::generate_selected(&selected),
            Target::Markdown(_) => codegen::markdown::generate_selected(&selected),
        };
        rendering.files.push(Rendered {
            target: target.clone(),
            text: generated.text,
            warnings: generated.warnings,
            versions: versions(manifest),
        });
    }
    Ok(rendering)
}

/// Every `manifestVersion` of `manifest` long enough not to be mistaken for other text (a
/// content hash is 43 characters; an old server's `1` is not looked past), longest first.
fn versions(manifest: &Manifest) -> Vec<String> {
    let mut versions: Vec<String> = manifest
        .manifest_version
        .iter()
        .chain(
            manifest
                .stages
                .iter()
                .filter_map(|stage| stage.manifest_version.as_ref()),
        )
        .filter(|version| version.len() >= MIN_VERSION_LEN)
        .cloned()
        .collect();
    versions.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    versions.dedup();
    versions
}

/// The shortest `manifestVersion` [`check`] looks past.
const MIN_VERSION_LEN: usize = 8;

/// What writing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The file.
    pub path: PathBuf,
    /// Created, updated, or left alone because its content was the same.
    pub written: Written,
}

impl Outcome {
    /// What writing `path` did.
    pub fn new(path: PathBuf, written: Written) -> Outcome {
        Outcome { path, written }
    }
}

impl fmt::Display for Outcome {
    /// `created PATH`, `updated PATH` or `unchanged PATH`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.written {
            Written::Created => "created",
            Written::Updated => "updated",
            Written::Unchanged => "unchanged",
        };
        write!(f, "{verb} {}", self.path.display())
    }
}

/// Writes every rendered file that changed ([`write_if_changed`]: atomic, so a failure leaves
/// each file as it was), in order.
///
/// # Errors
///
/// The first failed write's, naming its file; the files before it are written.
pub fn write(files: &[Rendered]) -> Result<Vec<Outcome>> {
    files
        .iter()
        .map(|file| {
            let path = file.target.path();
            Ok(Outcome {
                path: path.to_owned(),
                written: write_if_changed(path, file.text.as_bytes())?,
            })
        })
        .collect()
}

/// Writes `snapshot` (the bytes of the manifest `new`) to `path`, only if they differ from the
/// file's, and says what changed against the snapshot that was there.
///
/// # Errors
///
/// [`Error::Write`] naming `path`; the file is then as it was.
pub fn write_snapshot(path: &Path, snapshot: &[u8], new: &Manifest) -> Result<SnapshotChange> {
    let old = crate::limit::read_file_to_string(path).ok();
    Ok(match write_if_changed(path, snapshot)? {
        Written::Unchanged => SnapshotChange::Unchanged,
        _ => snapshot_change(old.as_deref(), &path.display().to_string(), new),
    })
}

/// Writes several stages' snapshots as one set, as `pull --stage a --stage b` does: each
/// `(path, bytes, manifest)` as [`write_snapshot`] does, but every file is written or none
/// ([`write_all_or_none`]). Says what changed in each, in order.
///
/// # Errors
///
/// [`Error::SetNotWritten`] naming the file that failed; every file is then as it was.
pub fn write_snapshots(snapshots: &[(&Path, &[u8], &Manifest)]) -> Result<Vec<SnapshotChange>> {
    let old: Vec<Option<String>> = snapshots
        .iter()
        .map(|(path, ..)| crate::limit::read_file_to_string(path).ok())
        .collect();
    let files: Vec<(&Path, &[u8])> = snapshots
        .iter()
        .map(|(path, bytes, _)| (*path, *bytes))
        .collect();
    let written = write_all_or_none(&files)?;
    Ok(snapshots
        .iter()
        .zip(old)
        .zip(written)
        .map(|(((path, _, new), old), written)| match written {
            Written::Unchanged => SnapshotChange::Unchanged,
            _ => snapshot_change(old.as_deref(), &path.display().to_string(), new),
        })
        .collect())
}

/// What [`check`] found for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Checked {
    /// The file holds exactly the fresh rendering.
    Fresh(PathBuf),
    /// It does not.
    Drift(Drift),
}

/// A file that does not hold its fresh rendering: how it differs, and the command that fixes
/// it. Its `Display` is the message `check` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Drift {
    /// The file.
    pub path: PathBuf,
    /// How it differs.
    pub kind: DriftKind,
    /// The command that regenerates it.
    pub fix: String,
}

/// How a file differs from its fresh rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriftKind {
    /// There is no such file.
    Missing,
    /// Only CRLF or lone CR line ends, or the final newline: what a Windows checkout changes.
    LineEndings,
    /// The first line (1-based, counting any line end as one) whose text differs.
    AtLine(usize),
    /// A TypeScript file written in the other mode (`--ts-mode sdk` and standalone differ from
    /// the first line): `found_sdk` says whether the file holds the SDK one.
    OtherTsMode {
        /// Whether the file holds the `--ts-mode sdk` file (else the standalone module).
        found_sdk: bool,
    },
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, fix) = (self.path.display(), &self.fix);
        match self.kind {
            DriftKind::Missing => write!(f, "{path} does not exist; run `{fix}` to create it"),
            DriftKind::LineEndings => write!(
                f,
                "{path} differs from a fresh generation only in line endings (CRLF, a lone \
                 carriage return or a missing final newline) and is compared byte for byte; \
                 add `{name} text eol=lf` to .gitattributes, or run `{fix}` to regenerate it",
                name = gitattributes_pattern(&self.path),
            ),
            DriftKind::AtLine(line) => write!(
                f,
                "{path} is stale (it first differs from a fresh generation at line {line}); \
                 run `{fix}` to update it"
            ),
            DriftKind::OtherTsMode { found_sdk } => {
                let (found, other) = if found_sdk {
                    ("--ts-mode sdk", "standalone")
                } else {
                    ("--ts-mode standalone", "sdk")
                };
                write!(
                    f,
                    "{path} holds the file {found} writes, not the {other} one this check \
                     generated; check it with the --ts-mode it was written with, or run `{fix}` \
                     to replace it"
                )
            }
        }
    }
}

/// What only the `--ts-mode sdk` file holds.
const SDK_MARKER: &str = "declare module \"@barekey/sdk\"";

/// Compares every rendered file with the file on disk, byte for byte, and says for each
/// whether it is fresh or how it drifted; `fix` gives the command that regenerates a target.
/// Always prompt, whatever the files hold (one bounded pass each).
///
/// # Errors
///
/// [`Error::Read`] for a file that exists but cannot be read.
pub fn check(files: &[Rendered], fix: &dyn Fn(&Target) -> String) -> Result<Vec<Checked>> {
    files
        .iter()
        .map(|file| {
            let path = file.target.path();
            let Some(kind) = compare(path, &file.text, &file.versions)? else {
                return Ok(Checked::Fresh(path.to_owned()));
            };
            Ok(Checked::Drift(Drift {
                path: path.to_owned(),
                kind,
                fix: fix(&file.target),
            }))
        })
        .collect()
}

/// How the file at `path` differs from `expected`; `None` when it holds exactly that.
fn compare(path: &Path, expected: &str, versions: &[String]) -> Result<Option<DriftKind>> {
    let current = match crate::limit::read_file(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(Some(DriftKind::Missing));
        }
        Err(source) => {
            return Err(Error::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    if current == expected.as_bytes() {
        return Ok(None);
    }
    let current = String::from_utf8_lossy(&current);
    // The sdk file and the standalone module differ from the first line: say which was meant,
    // rather than suggest a command that would replace one mode's file with the other's.
    let is_sdk = |text: &str| text.contains(SDK_MARKER);
    if path.extension().is_some_and(|ext| ext == "ts") && is_sdk(&current) != is_sdk(expected) {
        return Ok(Some(DriftKind::OtherTsMode {
            found_sdk: is_sdk(&current),
        }));
    }
    Ok(Some(first_difference(&current, expected, versions)))
}

/// Compares line by line in one bounded pass, with `\r\n` and a lone `\r` read as line ends.
/// A line that differs only where the fresh one holds one of `versions` (a header naming the
/// `manifestVersion`) is looked past, so the line named is the first differing declaration;
/// when only such lines differ, the first of them.
fn first_difference(current: &str, expected: &str, versions: &[String]) -> DriftKind {
    let normalise = |text: &str| text.replace("\r\n", "\n").replace('\r', "\n");
    let (current, expected) = (normalise(current), normalise(expected));
    let body = |text: &str| text.strip_suffix('\n').unwrap_or(text).to_owned();
    if body(&current) == body(&expected) {
        return DriftKind::LineEndings;
    }
    let mut current_lines = current.lines();
    let mut expected_lines = expected.lines();
    let mut line = 1;
    let mut version_line = None;
    // Ends: the texts differ, so one of the two runs out or a pair differs other than in a
    // version; when only versions differ, both run out together.
    loop {
        match (current_lines.next(), expected_lines.next()) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) if only_versions_differ(a, b, versions) => {
                version_line.get_or_insert(line);
            }
            (None, None) => return DriftKind::AtLine(version_line.unwrap_or(line)),
            _ => return DriftKind::AtLine(line),
        }
        line += 1;
    }
}

/// Whether the line `current` is the line `expected` with each of the `versions` it holds
/// (longest first) replaced by some other text.
fn only_versions_differ(current: &str, expected: &str, versions: &[String]) -> bool {
    let mut pattern = String::with_capacity(expected.len());
    let mut holds_version = false;
    let mut rest = expected;
    'text: while !rest.is_empty() {
        for version in versions {
            if let Some(after) = rest.strip_prefix(version.as_str()) {
                pattern.push('*');
                holds_version = true;
                rest = after;
                continue 'text;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        if matches!(c, '*' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
        rest = &rest[c.len_utf8()..];
    }
    holds_version && crate::codegen::Pattern::new(&pattern).matches(current)
}

/// The file's name as a `.gitattributes` pattern.
fn gitattributes_pattern(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{parse, snapshot_bytes};

    #[test]
    fn writing_a_snapshot_says_what_changed() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("barekey.manifest.json");
        let one = r#"{"variables": [{"name": "PORT", "declaredType": "int64"}]}"#;
        let two = r#"{"variables": [{"name": "PORT", "declaredType": "string"}]}"#;
        let write = |text: &str| {
            let bytes = snapshot_bytes(&serde_json::from_str(text).unwrap());
            write_snapshot(&path, &bytes, &parse(text, "test").unwrap().manifest).unwrap()
        };
        assert_eq!(write(one), SnapshotChange::New);
        assert_eq!(write(one), SnapshotChange::Unchanged);
        assert_eq!(write(two).to_string(), "0 added, 0 removed, 1 retyped");
    }

    #[test]
    fn line_ending_differences_are_named_as_such() {
        let expected = "one\ntwo\n";
        for current in ["one\r\ntwo\r\n", "one\rtwo\r", "one\ntwo", "one\r\ntwo"] {
            assert_eq!(
                first_difference(current, expected, &[]),
                DriftKind::LineEndings,
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
                first_difference(current, expected, &[]),
                DriftKind::AtLine(line),
                "{current:?}"
            );
        }
    }

    #[test]
    fn lines_that_only_name_the_manifest_version_are_looked_past() {
        let versions = ["new-version-hash".to_owned()];
        let expected =
            "// from web (manifest new-version-hash)\nconst V = \"new-version-hash\";\nport: i64\n";
        let current = "// from web (manifest old-version-hash)\nconst V = \"old-version-hash\";\nport: String\n";
        assert_eq!(
            first_difference(current, expected, &versions),
            DriftKind::AtLine(3)
        );
        // Only the version differs: the header is the line to look at.
        let current = current.replace("port: String", "port: i64");
        assert_eq!(
            first_difference(&current, expected, &versions),
            DriftKind::AtLine(1)
        );
        // A header that differs in more than the version is a difference of its own.
        let current = current.replace("from web", "from api");
        assert_eq!(
            first_difference(&current, expected, &versions),
            DriftKind::AtLine(1)
        );
        // A line that names nothing of the version is not looked past.
        assert!(!only_versions_differ("a*b", "a\\*b", &versions));
    }
}
