//! The snapshot lookup order, shared by the CLI, the build helper and the macro:
//! `BAREKEY_MANIFEST`, then `barekey.manifest.json` beside the nearest `barekey.json` or
//! `Cargo.toml`, walking up from a start folder.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::manifest::{self, Loaded, SNAPSHOT_FILE};
use crate::{Error, Result, env};

/// Files whose folder is a place a snapshot lives.
const MARKERS: [&str; 2] = ["barekey.json", "Cargo.toml"];

/// One place the lookup looked at, for the "not found" message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Searched {
    /// `BAREKEY_MANIFEST` was not set.
    EnvUnset,
    /// A candidate file that did not exist, and why that folder was a candidate.
    File {
        /// The candidate path.
        path: PathBuf,
        /// The marker file beside it (`barekey.json` or `Cargo.toml`), if any.
        beside: Option<&'static str>,
    },
    /// The copy the build helper writes to `$OUT_DIR`; `None` when `OUT_DIR` was not set.
    OutDir {
        /// The candidate path.
        path: Option<PathBuf>,
    },
}

impl fmt::Display for Searched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Searched::EnvUnset => write!(f, "${} (not set)", env::MANIFEST),
            Searched::File {
                path,
                beside: Some(marker),
            } => {
                write!(f, "{} (beside {marker})", path.display())
            }
            Searched::OutDir { path: Some(path) } => {
                write!(f, "{} (written by the build helper)", path.display())
            }
            Searched::OutDir { path: None } => write!(
                f,
                "$OUT_DIR/{SNAPSHOT_FILE} (OUT_DIR not set: the crate has no build script)"
            ),
            Searched::File { path, beside: None } => {
                write!(
                    f,
                    "{} (no barekey.json or Cargo.toml above it)",
                    path.display()
                )
            }
        }
    }
}

/// Finds the snapshot for a process started in `start`, reading `BAREKEY_MANIFEST` from the
/// environment.
pub fn find_snapshot(start: &Path) -> Result<PathBuf> {
    find_snapshot_from(start, env::var_os(env::MANIFEST))
}

/// The lookup with `BAREKEY_MANIFEST`'s value passed in, so it can be tested without touching
/// the process environment. A relative `BAREKEY_MANIFEST` is relative to `start`.
pub fn find_snapshot_from(start: &Path, manifest_env: Option<OsString>) -> Result<PathBuf> {
    if let Some(path) = manifest_env.filter(|value| !value.is_empty()) {
        let path = start.join(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(Error::ManifestEnvMissing { path })
        };
    }
    let mut searched = vec![Searched::EnvUnset];
    for folder in start.ancestors() {
        let Some(marker) = MARKERS
            .into_iter()
            .find(|marker| folder.join(marker).is_file())
        else {
            continue;
        };
        let candidate = folder.join(SNAPSHOT_FILE);
        if candidate.is_file() {
            return Ok(candidate);
        }
        searched.push(Searched::File {
            path: candidate,
            beside: Some(marker),
        });
    }
    if searched.len() == 1 {
        let candidate = start.join(SNAPSHOT_FILE);
        if candidate.is_file() {
            return Ok(candidate);
        }
        searched.push(Searched::File {
            path: candidate,
            beside: None,
        });
    }
    Err(Error::ManifestNotFound { searched })
}

/// The lookup for a crate being compiled, as `barekey_env!` does it: `BAREKEY_MANIFEST`, then
/// `$OUT_DIR/barekey.manifest.json` (the copy the build helper writes), then the walk up from
/// `CARGO_MANIFEST_DIR` (the current folder when Cargo did not set it).
///
/// `env` reads an environment variable (`None` when unset), so the order can be tested
/// without touching the process environment; pass [`env::var_os`] for the real one. A
/// missing `OUT_DIR`, or one without the file, is not an error: rust-analyzer and crates
/// without a build script have neither.
pub fn find_snapshot_for_crate(env: &dyn Fn(&str) -> Option<OsString>) -> Result<PathBuf> {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    let start = match set(CARGO_MANIFEST_DIR) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let manifest_env = set(env::MANIFEST);
    if manifest_env.is_some() {
        return find_snapshot_from(&start, manifest_env);
    }
    let out_dir = set(OUT_DIR).map(|dir| PathBuf::from(dir).join(SNAPSHOT_FILE));
    if let Some(path) = out_dir.as_ref().filter(|path| path.is_file()) {
        return Ok(path.clone());
    }
    find_snapshot_from(&start, None).map_err(|error| match error {
        Error::ManifestNotFound { mut searched } => {
            // Listed in the order looked at: after `BAREKEY_MANIFEST`, before the walk.
            searched.insert(1, Searched::OutDir { path: out_dir });
            Error::ManifestNotFound { searched }
        }
        other => other,
    })
}

/// Set by Cargo for a build script and for the crate it builds; where the helper's copy is.
const OUT_DIR: &str = "OUT_DIR";
/// Set by Cargo (and rust-analyzer) for every crate it compiles: the package's folder.
const CARGO_MANIFEST_DIR: &str = "CARGO_MANIFEST_DIR";

/// Reads and validates the manifest at `path`; every message names the file.
pub fn read_manifest(path: &Path) -> Result<Loaded> {
    let bytes = crate::limit::read_file(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_manifest_bytes(&bytes, &path.display().to_string())
}

/// Validates manifest bytes already read from `origin` (a path, or a URL); every message names
/// it.
pub fn parse_manifest_bytes(bytes: &[u8], origin: &str) -> Result<Loaded> {
    // A snapshot is UTF-8 JSON; say so plainly instead of a JSON syntax error at byte 0.
    let text = std::str::from_utf8(bytes).map_err(|error| Error::InvalidManifest {
        origin: origin.to_owned(),
        problems: vec![manifest::Problem::not_utf8(error.valid_up_to())],
    })?;
    manifest::parse(text, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }

    #[test]
    fn nearest_marker_folder_wins_and_lookup_walks_past_folders_without_a_snapshot() {
        let root = tempfile::tempdir().unwrap();
        let workspace = root.path();
        touch(&workspace.join("barekey.json"));
        touch(&workspace.join(SNAPSHOT_FILE));
        touch(&workspace.join("app/Cargo.toml"));
        let found = find_snapshot_from(&workspace.join("app/src"), None).unwrap();
        assert_eq!(found, workspace.join(SNAPSHOT_FILE));

        touch(&workspace.join("app").join(SNAPSHOT_FILE));
        let found = find_snapshot_from(&workspace.join("app/src"), None).unwrap();
        assert_eq!(found, workspace.join("app").join(SNAPSHOT_FILE));
    }

    #[test]
    fn env_path_wins_and_a_missing_one_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("Cargo.toml"));
        touch(&root.path().join(SNAPSHOT_FILE));
        touch(&root.path().join("other.json"));
        let found = find_snapshot_from(root.path(), Some("other.json".into())).unwrap();
        assert_eq!(found, root.path().join("other.json"));
        let error = find_snapshot_from(root.path(), Some("gone.json".into())).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("BAREKEY_MANIFEST") && message.contains("gone.json"),
            "{message}"
        );
    }

    #[test]
    fn not_found_lists_every_place_searched_and_the_fix() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("barekey.json"));
        touch(&root.path().join("crate/Cargo.toml"));
        let error = find_snapshot_from(&root.path().join("crate"), None).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("$BAREKEY_MANIFEST (not set)"), "{message}");
        let inner = root.path().join("crate").join(SNAPSHOT_FILE);
        let outer = root.path().join(SNAPSHOT_FILE);
        assert!(
            message.contains(&format!("{} (beside Cargo.toml)", inner.display())),
            "{message}"
        );
        assert!(
            message.contains(&format!("{} (beside barekey.json)", outer.display())),
            "{message}"
        );
        assert!(message.contains("barekey-typegen pull"), "{message}");
    }
}
