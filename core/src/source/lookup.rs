//! The snapshot lookup, one function ([`lookup`]) that the CLI, the build helper and the macro
//! all call: the build helper's choice (when one ran for this build), then `BAREKEY_MANIFEST`,
//! then the walk of the snapshot layout ([`layout`]) up from a start folder.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use super::layout::{self, SNAPSHOT_FILE, Start};
use crate::manifest::{self, Loaded, Manifest, Merged, StageManifest};
use crate::{Error, Front, Result, env, trust};

/// One place the lookup looked at, for the "not found" message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Searched {
    /// `BAREKEY_MANIFEST` was not set.
    EnvUnset,
    /// `BAREKEY_MANIFEST` was set to a value that names no file: empty, or only path-list
    /// separators (`:`, `::::`).
    EnvNamesNothing {
        /// What it holds.
        value: String,
    },
    /// A candidate file that did not exist, and why that folder was a candidate.
    File {
        /// The candidate path.
        path: PathBuf,
        /// The marker file beside it (`barekey.json` or `Cargo.toml`), if any.
        beside: Option<&'static str>,
    },
    /// The manifest the build helper used for this build, which is no longer there.
    BuildHelper {
        /// The path the build helper named.
        path: PathBuf,
    },
    /// The walk stopped here, below the filesystem's root: the root of the package's
    /// workspace, or of a packaged or vendored crate ([`layout::Reach`]).
    ReachEnd {
        /// The last folder walked.
        folder: PathBuf,
    },
}

impl fmt::Display for Searched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Searched::EnvUnset => write!(f, "${} (not set)", env::MANIFEST),
            Searched::EnvNamesNothing { value } if value.is_empty() => {
                write!(f, "${} (set, but empty)", env::MANIFEST)
            }
            Searched::EnvNamesNothing { value } => write!(
                f,
                "${} (set to {value:?}, which names no file: it holds only the path-list \
                 separator `{}`)",
                env::MANIFEST,
                PATH_LIST_SEPARATOR
            ),
            Searched::File {
                path,
                beside: Some(marker),
            } => {
                write!(f, "{} (beside {marker})", path.display())
            }
            Searched::BuildHelper { path } => write!(
                f,
                "{} (the build helper's choice, no longer there)",
                path.display()
            ),
            Searched::ReachEnd { folder } => write!(
                f,
                "nothing above {}: the walk stops at the root of the package's workspace (or of \
                 a packaged crate); put the snapshot there or below, or name it with \
                 BAREKEY_MANIFEST",
                folder.display()
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

/// What the lookup found, or every place it looked at: data, so that each front-end decides
/// what a miss means (the build helper may pull into it, the CLI and the macro report it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lookup {
    /// One stage's snapshot, or several stages' (in byte order of file names).
    Found {
        /// The snapshots.
        paths: Vec<PathBuf>,
        /// Which step of the lookup found them.
        by: FoundBy,
    },
    /// `BAREKEY_MANIFEST` names a file that is not there.
    EnvNamesMissing {
        /// The file it names (made absolute).
        path: PathBuf,
    },
    /// No snapshot anywhere the lookup looked.
    NotFound {
        /// Every place looked at, in order.
        searched: Vec<Searched>,
    },
}

/// The step of the lookup that found the snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FoundBy {
    /// `BAREKEY_TYPEGEN_BUILD_MANIFEST`: the build helper's choice for this build.
    BuildHelper,
    /// `BAREKEY_MANIFEST`.
    Env,
    /// The walk up from the start folder.
    Walk,
}

impl Lookup {
    /// The snapshots found.
    ///
    /// # Errors
    ///
    /// [`Error::ManifestEnvMissing`] and [`Error::ManifestNotFound`] (naming every place
    /// looked at and the `pull` that fixes it) for the two misses.
    pub fn into_paths(self) -> Result<Vec<PathBuf>> {
        match self {
            Lookup::Found { paths, .. } => Ok(paths),
            Lookup::EnvNamesMissing { path } => Err(Error::ManifestEnvMissing { path }),
            Lookup::NotFound { searched } => Err(Error::ManifestNotFound { searched }),
        }
    }
}

/// Finds the snapshot (one stage) or snapshots (several stages) for a process started in
/// `start`, reading the process environment: the CLI's lookup ([`lookup`] as [`Front::Cli`]).
///
/// # Errors
///
/// [`lookup`]'s, and a miss as [`Lookup::into_paths`] reports it.
pub fn find_snapshots(start: &Path) -> Result<Vec<PathBuf>> {
    find_snapshots_in(start, &env::var_os)
}

/// [`lookup`] for the CLI ([`Front::Cli`]) with a miss as an error ([`Lookup::into_paths`]).
///
/// # Errors
///
/// [`lookup`]'s, and [`Error::ManifestEnvMissing`] or [`Error::ManifestNotFound`].
pub fn find_snapshots_in(
    start: &Path,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Vec<PathBuf>> {
    lookup(Start::Folder(start), env, Front::Cli)?.into_paths()
}

/// The snapshot lookup, in this order:
///
/// 1. `$BAREKEY_TYPEGEN_BUILD_MANIFEST` ([`env::BUILD_MANIFEST`]): the manifest(s) the build
///    helper used, which it hands to the crate it builds (`cargo:rustc-env`), so `barekey_env!`
///    and the generated module agree; skipped when one of those files is gone;
/// 2. `$BAREKEY_MANIFEST`: a path, or several joined as in `PATH` (`:` on Unix, `;` on
///    Windows), each relative to the folder of the nearest `barekey.json`
///    ([`project_root`]); a value that names no file (empty, or only separators) counts as
///    unset, and the "not found" list says what it held;
/// 3. the walk up from `start` ([`layout::walk`], within its [`layout::Reach`]): in the
///    nearest folder holding a marker (`barekey.json` or `Cargo.toml`) that holds snapshots,
///    `barekey.manifest.json` (one stage) or every `barekey.manifest.<stage>.json`
///    ([`layout::contents`]); in `start` itself when no folder holds a marker.
///
/// Several paths mean several stages of one project, merged by [`read_stages`].
///
/// `start` is the current folder for the CLI ([`Start::Folder`]) and `CARGO_MANIFEST_DIR` for
/// the build helper and the macro ([`Start::Package`]). `env` reads an environment variable (`None` when unset), so the order can be
/// tested without touching the process environment. `front` is who looks, for how an error
/// says to name the snapshots instead.
///
/// # Errors
///
/// [`Error::ManifestEnvRelative`] for a relative `BAREKEY_MANIFEST` without a `barekey.json`
/// to be relative to; [`Error::ManifestEnvRepeated`] for one that names a file twice; [`Error::AmbiguousSnapshots`] for a folder holding both layouts;
/// [`Error::Untrusted`] for a snapshot or `barekey.json` found on the walk, outside the part
/// of its reach that is trusted, that belongs to another user.
pub fn lookup(
    start: Start<'_>,
    env: &dyn Fn(&str) -> Option<OsString>,
    front: Front,
) -> Result<Lookup> {
    let folder = start.folder();
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    let mut searched = Vec::new();
    if let Some(chosen) = set(env::BUILD_MANIFEST) {
        let chosen: Vec<PathBuf> = std::env::split_paths(&chosen).collect();
        match chosen.iter().find(|path| !path.is_file()) {
            None if !chosen.is_empty() => {
                return Ok(Lookup::Found {
                    paths: chosen,
                    by: FoundBy::BuildHelper,
                });
            }
            None => {}
            Some(gone) => searched.push(Searched::BuildHelper { path: gone.clone() }),
        }
    }
    match env(env::MANIFEST) {
        Some(value) => match named_by_env(&value, folder)? {
            Some(named) => return Ok(named),
            None => searched.push(Searched::EnvNamesNothing {
                value: value.to_string_lossy().into_owned(),
            }),
        },
        None => searched.push(Searched::EnvUnset),
    }
    let mut walked = false;
    for place in layout::walk(start) {
        walked = true;
        let found = layout::contents(&place.folder, front)?.into_paths();
        if found.is_empty() {
            searched.push(Searched::File {
                path: place.folder.join(SNAPSHOT_FILE),
                beside: Some(place.marker),
            });
            continue;
        }
        if !place.trusted {
            if place.marker == layout::MARKERS[0] {
                trust::check_found(&place.folder.join(place.marker), "barekey.json")?;
            }
            for path in &found {
                trust::check_found(path, "snapshot")?;
            }
        }
        return Ok(Lookup::Found {
            paths: found,
            by: FoundBy::Walk,
        });
    }
    if let Some(last) = layout::reach(start)
        .last
        .filter(|last| last.parent().is_some())
    {
        searched.push(Searched::ReachEnd { folder: last });
    }
    if !walked {
        let found = layout::contents(folder, front)?.into_paths();
        if !found.is_empty() {
            return Ok(Lookup::Found {
                paths: found,
                by: FoundBy::Walk,
            });
        }
        searched.push(Searched::File {
            path: folder.join(SNAPSHOT_FILE),
            beside: None,
        });
    }
    Ok(Lookup::NotFound { searched })
}

/// The separator of a `PATH`-like list, which [`std::env::split_paths`] splits at.
const PATH_LIST_SEPARATOR: char = if cfg!(windows) { ';' } else { ':' };

/// What `BAREKEY_MANIFEST`, set to `value`, names: the snapshots (relative ones relative to the
/// project root above `folder`), or the first that is missing; `None` when it names no file
/// (empty, or only separators), which the lookup takes as unset. Empty entries are skipped
/// (`a.json:` from joining an empty variable).
///
/// # Errors
///
/// [`Error::ManifestEnvRelative`] for a relative entry without a project root;
/// [`Error::ManifestEnvRepeated`] for a file named twice.
fn named_by_env(value: &std::ffi::OsStr, folder: &Path) -> Result<Option<Lookup>> {
    let mut found: Vec<PathBuf> = Vec::new();
    for path in std::env::split_paths(value).filter(|path| !path.as_os_str().is_empty()) {
        let path = if path.is_absolute() {
            path
        } else {
            match project_root(folder) {
                Some(root) => root.join(path),
                None => {
                    return Err(Error::ManifestEnvRelative {
                        path,
                        start: folder.to_owned(),
                    });
                }
            }
        };
        if !path.is_file() {
            return Ok(Some(Lookup::EnvNamesMissing { path }));
        }
        if found
            .iter()
            .any(|earlier| crate::paths::same_file(earlier, &path))
        {
            return Err(Error::ManifestEnvRepeated {
                value: value.to_string_lossy().into_owned(),
                path,
            });
        }
        found.push(path);
    }
    Ok((!found.is_empty()).then_some(Lookup::Found {
        paths: found,
        by: FoundBy::Env,
    }))
}

/// Reads the snapshots at `paths` (several stages of one project, or one) and merges them
/// ([`merge_snapshots`]): the manifest generated code is checked against. The warnings are
/// each file's, then the merge's.
///
/// # Errors
///
/// Reading or validating any file ([`read_manifest`]); the merge's errors (a declared type that
/// differs between stages, one stage twice, two projects, a file named for another stage).
pub fn read_stages(paths: &[PathBuf]) -> Result<Loaded> {
    let mut warnings = Vec::new();
    let mut read = Vec::with_capacity(paths.len());
    for path in paths {
        let loaded = read_manifest(path)?;
        warnings.extend(loaded.warnings);
        read.push(loaded.manifest);
    }
    let mut loaded = merge_snapshots(paths, &read)?.into_loaded()?;
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    Ok(loaded)
}

/// Merges the snapshots read from `paths` (`manifests`, in the same order), each named by its
/// stage ([`layout::stage_label`]) after the file's name is checked against its `stageSlug`.
///
/// # Errors
///
/// [`Error::StageFileMismatch`]; the merge's ([`manifest::merge_stages`]).
pub fn merge_snapshots(paths: &[PathBuf], manifests: &[Manifest]) -> Result<Merged> {
    let mut labels = Vec::with_capacity(paths.len());
    for (path, manifest) in paths.iter().zip(manifests) {
        layout::check_file_stage(path, manifest)?;
        labels.push((
            layout::stage_label(path, manifest),
            path.display().to_string(),
        ));
    }
    let stages: Vec<StageManifest<'_>> = labels
        .iter()
        .zip(manifests)
        .map(|((stage, origin), manifest)| StageManifest {
            stage,
            origin,
            manifest,
        })
        .collect();
    manifest::merge_stages(&stages)
}

/// What a relative `BAREKEY_MANIFEST` is relative to: the folder of the nearest
/// `barekey.json` in `start` or above it, the project's root, which every front-end finds the
/// same way from its own start (the CLI's current folder, a crate's `CARGO_MANIFEST_DIR`).
/// `None` without one: then a relative path would name different files for different
/// front-ends, and is refused ([`Error::ManifestEnvRelative`]).
///
/// Why not the current folder: Cargo runs build scripts in the package's folder and rustc in
/// the workspace's, and tells neither the folder `cargo` was typed in.
pub fn project_root(start: &Path) -> Option<PathBuf> {
    let barekey_json = crate::settings::find_barekey_json(start)?;
    barekey_json.parent().map(Path::to_owned)
}

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

    /// The lookup from `start` with exactly the variables `vars` set.
    fn find(start: &Path, vars: &[(&str, &str)]) -> Result<PathBuf> {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
            .collect();
        let mut found = find_snapshots_in(start, &|name| {
            vars.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        })?;
        assert_eq!(found.len(), 1, "one snapshot: {found:?}");
        Ok(found.remove(0))
    }

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }

    /// The plural lookup from `start` with exactly the variables `vars` set.
    fn find_all(start: &Path, vars: &[(&str, &str)]) -> Result<Vec<PathBuf>> {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
            .collect();
        find_snapshots_in(start, &|name| {
            vars.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        })
    }

    #[test]
    fn stage_snapshots_beside_the_marker_are_found_in_byte_order() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path();
        touch(&project.join("barekey.json"));
        touch(&project.join("barekey.manifest.staging.json"));
        touch(&project.join("barekey.manifest.production.json"));
        // Not stage snapshots: a hidden stage, a folder, another suffix.
        touch(&project.join("barekey.manifest..env.json"));
        touch(&project.join("barekey.manifest.json.bak"));
        std::fs::create_dir_all(project.join("barekey.manifest.dir.json")).unwrap();
        let found = find_all(&project.join("src"), &[]).unwrap();
        assert_eq!(
            found,
            [
                project.join("barekey.manifest.production.json"),
                project.join("barekey.manifest.staging.json")
            ]
        );
        assert_eq!(layout::stage_of_file_name(&found[1]), Some("staging"));
        // Both kinds in one folder: refused, naming both.
        touch(&project.join(SNAPSHOT_FILE));
        let message = find_all(project, &[]).unwrap_err().to_string();
        assert!(
            message.contains(SNAPSHOT_FILE) && message.contains("barekey.manifest.production.json"),
            "{message}"
        );
    }

    #[test]
    fn the_env_path_and_the_build_helpers_choice_may_list_several() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path();
        touch(&project.join("barekey.json"));
        touch(&project.join("a.json"));
        touch(&project.join("b.json"));
        let joined = std::env::join_paths(["a.json", "b.json"]).unwrap();
        let found = find_all(project, &[(env::MANIFEST, joined.to_str().unwrap())]).unwrap();
        assert_eq!(found, [project.join("a.json"), project.join("b.json")]);
        let chosen =
            std::env::join_paths([project.join("b.json"), project.join("a.json")]).unwrap();
        let found = find_all(project, &[(env::BUILD_MANIFEST, chosen.to_str().unwrap())]).unwrap();
        assert_eq!(found, [project.join("b.json"), project.join("a.json")]);
        // One of the build helper's files gone: its choice is skipped as a whole.
        std::fs::remove_file(project.join("b.json")).unwrap();
        let error = find_all(project, &[(env::BUILD_MANIFEST, chosen.to_str().unwrap())]);
        assert!(
            matches!(error, Err(Error::ManifestNotFound { .. })),
            "{error:?}"
        );
    }

    /// Issue 29, item 9, for every front-end (the build helper and the macro call the lookup
    /// too): a value naming no file counts as unset and is listed as what it holds; a file
    /// named twice is refused, naming the value.
    #[cfg(unix)]
    #[test]
    fn odd_env_values_say_what_the_variable_holds() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path();
        touch(&project.join("barekey.json"));
        touch(&project.join("a.json"));
        for value in ["", ":", "::::"] {
            let error = find_all(project, &[(env::MANIFEST, value)]).unwrap_err();
            let Error::ManifestNotFound { searched } = &error else {
                panic!("{value:?}: {error}");
            };
            let named = Searched::EnvNamesNothing {
                value: value.to_owned(),
            };
            assert_eq!(searched[0], named, "{value:?}");
        }
        let error = find_all(project, &[(env::MANIFEST, "a.json:./a.json")]).unwrap_err();
        assert!(
            matches!(&error, Error::ManifestEnvRepeated { value, .. } if value == "a.json:./a.json"),
            "{error}"
        );
    }

    #[test]
    fn nearest_marker_folder_wins_and_lookup_walks_past_folders_without_a_snapshot() {
        let root = tempfile::tempdir().unwrap();
        let workspace = root.path();
        touch(&workspace.join("barekey.json"));
        touch(&workspace.join(SNAPSHOT_FILE));
        touch(&workspace.join("app/Cargo.toml"));
        let found = find(&workspace.join("app/src"), &[]).unwrap();
        assert_eq!(found, workspace.join(SNAPSHOT_FILE));

        touch(&workspace.join("app").join(SNAPSHOT_FILE));
        let found = find(&workspace.join("app/src"), &[]).unwrap();
        assert_eq!(found, workspace.join("app").join(SNAPSHOT_FILE));
    }

    #[test]
    fn a_relative_env_path_is_relative_to_the_barekey_json_folder_for_every_start() {
        let root = tempfile::tempdir().unwrap();
        let workspace = root.path().join("repo");
        touch(&workspace.join("barekey.json"));
        touch(&workspace.join("snapshots/prod.json"));
        touch(&workspace.join("crates/app/Cargo.toml"));
        touch(&workspace.join("crates/app/snapshots/prod.json"));
        // The CLI at the root, a build script or rustc in a member: one file.
        for start in [
            workspace.clone(),
            workspace.join("crates/app"),
            workspace.join("crates/app/src"),
        ] {
            let found = find(&start, &[(env::MANIFEST, "snapshots/prod.json")]).unwrap();
            assert_eq!(
                found,
                workspace.join("snapshots/prod.json"),
                "from {}",
                start.display()
            );
        }
        // An absolute path is taken as it is.
        let absolute = workspace.join("crates/app/snapshots/prod.json");
        let found = find(&workspace, &[(env::MANIFEST, absolute.to_str().unwrap())]).unwrap();
        assert_eq!(found, absolute);
        // Without a barekey.json, a relative path would mean a different file to each: refused.
        let lone = root.path().join("lone");
        touch(&lone.join("Cargo.toml"));
        touch(&lone.join("prod.json"));
        let message = find(&lone, &[(env::MANIFEST, "prod.json")])
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("absolute path") && message.contains("prod.json"),
            "{message}"
        );
    }

    #[test]
    fn env_path_wins_and_a_missing_one_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("barekey.json"));
        touch(&root.path().join(SNAPSHOT_FILE));
        touch(&root.path().join("other.json"));
        let found = find(root.path(), &[(env::MANIFEST, "other.json")]).unwrap();
        assert_eq!(found, root.path().join("other.json"));
        let error = find(root.path(), &[(env::MANIFEST, "gone.json")]).unwrap_err();
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
        let error = find(&root.path().join("crate"), &[]).unwrap_err();
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

    #[test]
    fn the_build_helpers_choice_comes_first_while_its_file_is_there() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("barekey.json"));
        touch(&root.path().join(SNAPSHOT_FILE));
        let chosen = root.path().join("out/used.json");
        touch(&chosen);
        touch(&root.path().join("other.json"));
        let chosen_text = chosen.to_str().unwrap();
        let both = [
            (env::BUILD_MANIFEST, chosen_text),
            (env::MANIFEST, "other.json"),
        ];
        assert_eq!(find(root.path(), &both).unwrap(), chosen);
        std::fs::remove_file(&chosen).unwrap();
        assert_eq!(
            find(root.path(), &both).unwrap(),
            root.path().join("other.json")
        );
        let only_helper = [(env::BUILD_MANIFEST, chosen_text)];
        assert_eq!(
            find(root.path(), &only_helper).unwrap(),
            root.path().join(SNAPSHOT_FILE)
        );
        std::fs::remove_file(root.path().join(SNAPSHOT_FILE)).unwrap();
        let message = find(root.path(), &only_helper).unwrap_err().to_string();
        assert!(
            message.contains(&format!(
                "{} (the build helper's choice, no longer there)",
                chosen.display()
            )),
            "{message}"
        );
    }
}
