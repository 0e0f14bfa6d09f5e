//! What `barekey_env!` keeps for the life of a process, so a compiler expanding it a thousand
//! times looks the snapshots up once, reads and parses each once, and merges several stages'
//! once; each revalidated by a `stat` of what it depends on, so a long-lived rust-analyzer still
//! sees a new or changed snapshot.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use crate::manifest::{Manifest, Merged, TypeConflict};
use crate::source::layout::Start;
use crate::source::{FoundBy, Lookup, lookup, merge_snapshots, read_manifest};
use crate::{Front, Result};

/// Validated manifests by path, each reused while the file keeps its modification time and
/// length.
///
/// Why the file's stamp and not just its path: rust-analyzer keeps a proc macro loaded for
/// hours, and must see an edited snapshot. A file whose stamp cannot be read is parsed on
/// every call. Failures are not kept, so a fixed file is picked up at once.
#[derive(Debug, Default)]
pub struct ManifestCache {
    entries: Mutex<HashMap<PathBuf, (Stamp, Arc<Manifest>)>>,
    /// Merged stages by their snapshots' paths, each reused while every file keeps its stamp.
    merged: Mutex<HashMap<Vec<PathBuf>, MergedEntry>>,
    /// How many times a file was read and parsed; what the cache exists to keep low.
    parses: AtomicUsize,
    /// How many times a set of snapshots was merged; likewise.
    merges: AtomicUsize,
    /// The paths [`first_mention`](ManifestCache::first_mention) was asked about.
    mentioned: Mutex<HashSet<PathBuf>>,
    /// Lookups by where they started and the variables that steer them.
    lookups: Mutex<HashMap<LookupKey, LookupEntry>>,
    /// How many times the lookup itself ran; what the cache exists to keep low.
    lookups_run: AtomicUsize,
}

/// A lookup's start folder, whether it is a package root, and the values of
/// `BAREKEY_TYPEGEN_BUILD_MANIFEST` and `BAREKEY_MANIFEST`.
type LookupKey = (PathBuf, bool, Option<OsString>, Option<OsString>);

/// A path and its stamp (`None`: not there) when it was looked at.
type Probe = (PathBuf, Option<Stamp>);

/// A lookup's snapshots, and the stamp (or absence) of everything its answer depends on, taken
/// before it ran.
#[derive(Debug)]
struct LookupEntry {
    probes: Vec<Probe>,
    paths: Vec<PathBuf>,
}

/// Several stages' snapshots, merged ([`merge_snapshots`]) for checking a name against all of
/// them at once.
///
/// Unlike the build helper, which refuses any type conflict, the macro keeps the merge without
/// the variables whose declared type differs between stages ([`Merged::conflicts`]), so that
/// only the `barekey_env!` calls naming one of those fail, each with its own conflict.
#[derive(Debug)]
#[non_exhaustive]
pub struct Stages {
    /// Each stage's slug (or its file's name) and its snapshot's path, in byte order of slugs.
    pub stages: Vec<(String, PathBuf)>,
    /// The merged manifest, without the variables in `conflicts`.
    pub merged: Manifest,
    /// The variables whose declared type differs between stages, in name order.
    pub conflicts: Vec<TypeConflict>,
}

impl Stages {
    /// Merges the snapshots read from `paths` (in the same order as `manifests`).
    ///
    /// # Errors
    ///
    /// The merge's, but for type conflicts ([`merge_snapshots`]).
    fn merge(paths: &[PathBuf], manifests: &[Arc<Manifest>]) -> Result<Stages> {
        let manifests: Vec<Manifest> = manifests.iter().map(|m| Manifest::clone(m)).collect();
        let Merged {
            manifest: merged,
            conflicts,
            ..
        } = merge_snapshots(paths, &manifests)?;
        let stages = merged
            .stages
            .iter()
            .map(|stage| (stage.slug.clone(), PathBuf::from(&stage.origin)))
            .collect();
        Ok(Stages {
            stages,
            merged,
            conflicts,
        })
    }
}

/// A merge of several snapshots, and the stamps of their files when it was made.
type MergedEntry = (Vec<Stamp>, Arc<Stages>);

/// What tells one version of a file (or folder) from the next without reading it: its
/// modification time and length, and on Unix also its inode, owner, mode and status-change
/// time (so a file replaced, or given to another user, is noticed and its owner checked again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: SystemTime,
    len: u64,
    #[cfg(unix)]
    unix: (u64, u32, u32, i64, i64),
}

impl ManifestCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The cache shared by everything in this process (one compiler run, for the macro).
    pub fn shared() -> &'static ManifestCache {
        static SHARED: OnceLock<ManifestCache> = OnceLock::new();
        SHARED.get_or_init(ManifestCache::new)
    }

    /// The validated manifest at `path`, parsed only if the file changed since the last call.
    ///
    /// Errors are [`read_manifest`]'s, naming the file.
    pub fn load(&self, path: &Path) -> Result<Arc<Manifest>> {
        let stamp = stamp(path);
        // Held while parsing, so threads expanding at once parse the file once between them.
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((cached, manifest)) = entries.get(path) {
            if Some(*cached) == stamp {
                return Ok(Arc::clone(manifest));
            }
        }
        self.parses.fetch_add(1, Ordering::Relaxed);
        let manifest = Arc::new(read_manifest(path)?.manifest);
        if let Some(stamp) = stamp {
            entries.insert(path.to_owned(), (stamp, Arc::clone(&manifest)));
        }
        Ok(manifest)
    }

    /// The snapshots at `paths` (several stages of one project) merged, merged again only if
    /// one of the files changed since the last call; each file is loaded as by
    /// [`load`](ManifestCache::load).
    ///
    /// # Errors
    ///
    /// [`load`](ManifestCache::load)'s, naming the file, and the merge's ([`Stages`]).
    pub fn load_stages(&self, paths: &[PathBuf]) -> Result<Arc<Stages>> {
        let stamps: Option<Vec<Stamp>> = paths.iter().map(|path| stamp(path)).collect();
        // Held while merging, as `entries` is while parsing; always taken before `entries`.
        let mut merged = self.merged.lock().unwrap_or_else(PoisonError::into_inner);
        if let (Some((cached, stages)), Some(stamps)) = (merged.get(paths), &stamps) {
            if cached == stamps {
                return Ok(Arc::clone(stages));
            }
        }
        let manifests = paths
            .iter()
            .map(|path| self.load(path))
            .collect::<Result<Vec<_>>>()?;
        self.merges.fetch_add(1, Ordering::Relaxed);
        let stages = Arc::new(Stages::merge(paths, &manifests)?);
        if let Some(stamps) = stamps {
            merged.insert(paths.to_vec(), (stamps, Arc::clone(&stages)));
        }
        Ok(stages)
    }

    /// How many times a set of snapshots was merged ([`load_stages`](ManifestCache::load_stages))
    /// in this cache's life: what it exists to keep low.
    pub fn merges(&self) -> usize {
        self.merges.load(Ordering::Relaxed)
    }

    /// The snapshots of the crate being compiled, as [`lookup`] finds them from
    /// `CARGO_MANIFEST_DIR` (within its package's reach; from the current folder without it),
    /// reusing the last answer for the same start and variables while nothing it depends on
    /// changed: each folder from the start up to the one the snapshots were found in (the
    /// nearer places searched) and the markers in them (`barekey.json`, `Cargo.toml`; a
    /// packaged crate's changes its folder), the workspace root's `Cargo.toml`, the files
    /// `BAREKEY_MANIFEST` or the build helper named, and each snapshot found (itself and any
    /// link to it), by a stamp. A file created nearer, an edited `Cargo.toml`, a snapshot
    /// replaced or given to another user: each changes a stamp, and the lookup (with its owner
    /// checks) runs again. Failures are not kept.
    ///
    /// # Errors
    ///
    /// [`lookup`]'s, and a miss as [`Lookup::into_paths`](crate::source::Lookup::into_paths)
    /// reports it.
    pub fn find_snapshots(&self, env: &dyn Fn(&str) -> Option<OsString>) -> Result<Vec<PathBuf>> {
        let set = |name: &str| env(name).filter(|value| !value.is_empty());
        let (start, package) = match set("CARGO_MANIFEST_DIR") {
            Some(dir) => (PathBuf::from(dir), true),
            None => (
                std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
                false,
            ),
        };
        let key = (
            start,
            package,
            set(crate::env::BUILD_MANIFEST),
            set(crate::env::MANIFEST),
        );
        let mut lookups = self.lookups.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = lookups.get(&key) {
            if entry.probes.iter().all(|(path, seen)| stamp(path) == *seen) {
                return Ok(entry.paths.clone());
            }
        }
        // Stamped before the lookup runs, so a change while it runs is seen next time.
        let folders = folder_probes(&key.0);
        let env_paths: Vec<PathBuf> = [&key.2, &key.3]
            .into_iter()
            .flatten()
            .flat_map(std::env::split_paths)
            .collect();
        let mut probes: Vec<Probe> = env_paths
            .iter()
            .map(|path| (path.clone(), stamp(path)))
            .collect();
        self.lookups_run.fetch_add(1, Ordering::Relaxed);
        let start = if package {
            Start::Package(&key.0)
        } else {
            Start::Folder(&key.0)
        };
        let reach = crate::source::layout::reach(start);
        let found = lookup(start, env, Front::Macro)?;
        let walked_to = match &found {
            Lookup::Found {
                paths,
                by: FoundBy::Walk,
            } => paths[0].parent().map(Path::to_owned),
            _ => None,
        };
        let paths = found.into_paths()?;
        let relative = env_paths.iter().any(|path| path.is_relative());
        for (folder, stamps) in folders {
            // The nearer places searched, and the folder it was found in; every folder when
            // a relative BAREKEY_MANIFEST was resolved against the nearest barekey.json; the
            // workspace root's Cargo.toml, which decides the reach and what is trusted.
            let nearer = walked_to
                .as_deref()
                .is_some_and(|found| folder.starts_with(found));
            if nearer || relative {
                probes.extend(stamps);
            } else if reach.last.as_deref() == Some(folder.as_path()) {
                probes.extend(
                    stamps
                        .into_iter()
                        .filter(|(path, _)| path.ends_with("Cargo.toml")),
                );
            }
        }
        for path in &paths {
            probes.push((path.clone(), stamp(path)));
            probes.push((path.clone(), link_stamp(path)));
        }
        lookups.insert(
            key,
            LookupEntry {
                probes,
                paths: paths.clone(),
            },
        );
        Ok(paths)
    }

    /// How many times [`find_snapshots`](ManifestCache::find_snapshots) ran the lookup itself.
    pub fn lookups(&self) -> usize {
        self.lookups_run.load(Ordering::Relaxed)
    }

    /// `true` the first time it is asked about `path`, `false` ever after.
    ///
    /// Why: `barekey_env!` tells rustc about the manifest (for Cargo's rebuilds) in its first
    /// expansion only. A compiler process builds one crate, so once is enough, and repeating
    /// it in each of hundreds of calls measurably slows the build.
    pub fn first_mention(&self, path: &Path) -> bool {
        let mut mentioned = self
            .mentioned
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        mentioned.insert(path.to_owned())
    }
}

/// The stamps a lookup from `start` may depend on, taken before it runs, folder by folder from
/// `start` to the root: the folder (its entries' names: a snapshot or marker created or removed
/// there) and each marker file in it (a `Cargo.toml` edited in place changes what the workspace
/// holds). [`ManifestCache::find_snapshots`] keeps those the answer depends on.
fn folder_probes(start: &Path) -> Vec<(PathBuf, Vec<Probe>)> {
    start
        .ancestors()
        .map(|folder| {
            let mut stamps = vec![(folder.to_owned(), stamp(folder))];
            for marker in crate::source::layout::MARKERS {
                let path = folder.join(marker);
                let stamped = stamp(&path);
                stamps.push((path, stamped));
            }
            (folder.to_owned(), stamps)
        })
        .collect()
}

/// [`stamp`] of a link itself rather than the file it ends at.
fn link_stamp(path: &Path) -> Option<Stamp> {
    stamp_of(&std::fs::symlink_metadata(path).ok()?)
}

/// When `path` was last changed, and its length; `None` if it cannot be read.
fn stamp(path: &Path) -> Option<Stamp> {
    stamp_of(&std::fs::metadata(path).ok()?)
}

fn stamp_of(metadata: &std::fs::Metadata) -> Option<Stamp> {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt as _;
    Some(Stamp {
        modified: metadata.modified().ok()?,
        len: metadata.len(),
        #[cfg(unix)]
        unix: (
            metadata.ino(),
            metadata.uid(),
            metadata.mode(),
            metadata.ctime(),
            metadata.ctime_nsec(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    const ONE: &str = r#"{"variables": [{"name": "PORT", "declaredType": "int64"}]}"#;
    const TWO: &str =
        r#"{"variables": [{"name": "PORT", "declaredType": "string"}, {"name": "HOST"}]}"#;

    fn parses(cache: &ManifestCache) -> usize {
        cache.parses.load(Ordering::Relaxed)
    }

    /// A temporary folder and the path of a snapshot in it, written with `text` if given.
    fn snapshot(text: Option<&str>) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("barekey.manifest.json");
        if let Some(text) = text {
            std::fs::write(&path, text).unwrap();
        }
        (dir, path)
    }

    #[test]
    fn a_thousand_loads_parse_once() {
        let (_dir, path) = snapshot(Some(ONE));
        let cache = ManifestCache::new();
        for _ in 0..1_000 {
            let manifest = cache.load(&path).unwrap();
            assert_eq!(manifest.variables[0].name, "PORT");
        }
        assert_eq!(parses(&cache), 1);
    }

    #[test]
    fn an_edited_file_is_parsed_again() {
        let (_dir, path) = snapshot(Some(ONE));
        let cache = ManifestCache::new();
        assert_eq!(cache.load(&path).unwrap().variables.len(), 1);
        // A different length changes the stamp even where the clock is too coarse to.
        std::fs::write(&path, TWO).unwrap();
        assert_eq!(cache.load(&path).unwrap().variables.len(), 2);
        assert_eq!(cache.load(&path).unwrap().variables.len(), 2);
        assert_eq!(parses(&cache), 2);
    }

    #[test]
    fn failures_are_not_kept() {
        let (_dir, path) = snapshot(None);
        let cache = ManifestCache::new();
        assert!(matches!(cache.load(&path), Err(Error::Read { .. })));
        std::fs::write(&path, "{").unwrap();
        assert!(matches!(
            cache.load(&path),
            Err(Error::InvalidManifest { .. })
        ));
        std::fs::write(&path, ONE).unwrap();
        assert!(cache.load(&path).is_ok());
    }

    #[test]
    fn only_the_first_mention_of_a_path_is_first() {
        let cache = ManifestCache::new();
        assert!(cache.first_mention(Path::new("a.json")));
        assert!(!cache.first_mention(Path::new("a.json")));
        assert!(cache.first_mention(Path::new("b.json")));
        assert!(!cache.first_mention(Path::new("a.json")));
    }

    /// Two stages' snapshots in a temporary folder: production has PORT (int64) and RATE,
    /// staging has PORT as `staging_port` and DEBUG.
    fn two_stages(staging_port: &str) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let write = |stage: &str, variables: &str| {
            let path = dir.path().join(format!("barekey.manifest.{stage}.json"));
            let text = format!(r#"{{"stageSlug": "{stage}", "variables": [{variables}]}}"#);
            std::fs::write(&path, text).unwrap();
            path
        };
        let paths = vec![
            write(
                "production",
                r#"{"name": "PORT", "declaredType": "int64"}, {"name": "RATE", "declaredType": "float"}"#,
            ),
            write(
                "staging",
                &format!(
                    r#"{{"name": "DEBUG", "declaredType": "boolean"}}, {{"name": "PORT", "declaredType": "{staging_port}"}}, {{"name": "RATE", "declaredType": "float"}}"#
                ),
            ),
        ];
        (dir, paths)
    }

    #[test]
    fn a_thousand_loads_of_several_stages_merge_once_and_an_edit_merges_again() {
        let (_dir, paths) = two_stages("int64");
        let cache = ManifestCache::new();
        for _ in 0..1_000 {
            let stages = cache.load_stages(&paths).unwrap();
            assert_eq!(stages.merged.variables.len(), 3);
        }
        assert_eq!(cache.merges.load(Ordering::Relaxed), 1);
        assert_eq!(parses(&cache), 2);
        let stages = cache.load_stages(&paths).unwrap();
        assert_eq!(
            stages.stages,
            [
                ("production".to_owned(), paths[0].clone()),
                ("staging".to_owned(), paths[1].clone())
            ]
        );
        let debug = &stages.merged.variables[0];
        assert_eq!(
            (debug.name.as_str(), &debug.only_in[..]),
            ("DEBUG", &["staging".to_owned()][..])
        );

        // Another order is another set, merged again, to the same stages in byte order.
        let reversed: Vec<PathBuf> = paths.iter().rev().cloned().collect();
        assert_eq!(
            cache.load_stages(&reversed).unwrap().stages[0].0,
            "production"
        );
        assert_eq!(cache.merges.load(Ordering::Relaxed), 2);

        std::fs::write(
            &paths[0],
            r#"{"stageSlug": "production", "variables": [{"name": "PORT", "declaredType": "int64"}]}"#,
        )
        .unwrap();
        let stages = cache.load_stages(&paths).unwrap();
        let rate = stages
            .merged
            .variables
            .iter()
            .find(|v| v.name == "RATE")
            .unwrap();
        assert_eq!(rate.only_in, ["staging"]);
        assert_eq!(cache.merges.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn a_type_conflict_leaves_the_other_variables_merged() {
        let (_dir, paths) = two_stages("string");
        let stages = ManifestCache::new().load_stages(&paths).unwrap();
        let names: Vec<&str> = stages
            .merged
            .variables
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, ["DEBUG", "RATE"]);
        assert_eq!(stages.conflicts.len(), 1);
        assert_eq!(stages.conflicts[0].name, "PORT");
    }

    #[test]
    fn failures_of_several_stages_are_not_kept() {
        let (_dir, paths) = two_stages("int64");
        let cache = ManifestCache::new();
        std::fs::write(&paths[1], "{").unwrap();
        let error = cache.load_stages(&paths).unwrap_err();
        assert!(
            error.to_string().contains("barekey.manifest.staging.json"),
            "{error}"
        );
        // The same stage twice: the merge's error.
        let twice = [paths[0].clone(), paths[0].clone()];
        assert!(matches!(
            cache.load_stages(&twice),
            Err(Error::DuplicateStage { .. })
        ));
        std::fs::write(&paths[1], r#"{"stageSlug": "staging", "variables": []}"#).unwrap();
        assert!(cache.load_stages(&paths).is_ok());
    }

    #[test]
    fn the_shared_cache_keeps_what_one_call_found_for_the_next() {
        // Every `barekey_env!` call of one compiler run goes through `shared()`: the second
        // call must find the first one's lookup, not walk the folders again. (No other test
        // uses the shared cache, so its counter is this test's alone.)
        let package = tempfile::tempdir().unwrap();
        std::fs::write(
            package.path().join("Cargo.toml"),
            "[package]\nname = \"app\"\n",
        )
        .unwrap();
        let snapshot = package.path().join("barekey.manifest.json");
        std::fs::write(&snapshot, ONE).unwrap();
        let env = package_env(package.path());
        let found = ManifestCache::shared().find_snapshots(&env).unwrap();
        assert_eq!(found, std::slice::from_ref(&snapshot));
        let walked = ManifestCache::shared().lookups();
        assert_eq!(walked, 1, "the shared cache forgot the first call's lookup");
        let again = ManifestCache::shared().find_snapshots(&env).unwrap();
        assert_eq!(again, found);
        assert_eq!(
            ManifestCache::shared().lookups(),
            walked,
            "the second call walked again"
        );
    }

    /// The environment of a compiler building the package at `dir`.
    fn package_env(dir: &Path) -> impl Fn(&str) -> Option<OsString> + use<> {
        let dir = dir.as_os_str().to_owned();
        move |name: &str| (name == "CARGO_MANIFEST_DIR").then(|| dir.clone())
    }

    #[test]
    fn a_lookup_runs_once_until_something_it_depends_on_changes() {
        let root = tempfile::tempdir().unwrap();
        let workspace = root.path().join("ws");
        let package = workspace.join("app");
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(
            workspace.join("Cargo.toml"),
            "[workspace]\nmembers = [\"app\"]\n",
        )
        .unwrap();
        std::fs::write(package.join("Cargo.toml"), "[package]\nname = \"app\"\n").unwrap();
        let outer = workspace.join("barekey.manifest.json");
        std::fs::write(&outer, ONE).unwrap();
        let env = package_env(&package);
        let cache = ManifestCache::new();
        for _ in 0..100 {
            assert_eq!(
                cache.find_snapshots(&env).unwrap(),
                std::slice::from_ref(&outer)
            );
        }
        assert_eq!(cache.lookups(), 1);

        // A snapshot nearer the package: its folder's entries changed.
        let nearer = package.join("barekey.manifest.json");
        std::fs::write(&nearer, ONE).unwrap();
        assert_eq!(
            cache.find_snapshots(&env).unwrap(),
            std::slice::from_ref(&nearer)
        );
        assert_eq!(cache.lookups(), 2);

        // Gone again: the workspace's snapshot once more, then nothing changes.
        std::fs::remove_file(&nearer).unwrap();
        assert_eq!(
            cache.find_snapshots(&env).unwrap(),
            std::slice::from_ref(&outer)
        );
        assert_eq!(cache.lookups(), 3);
        assert_eq!(cache.find_snapshots(&env).unwrap(), [outer]);
        assert_eq!(cache.lookups(), 3);
    }

    #[test]
    fn a_failed_lookup_is_not_kept() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join("Cargo.toml"),
            "[package]\nname = \"app\"\n",
        )
        .unwrap();
        let env = package_env(root.path());
        let cache = ManifestCache::new();
        assert!(matches!(
            cache.find_snapshots(&env),
            Err(Error::ManifestNotFound { .. })
        ));
        let path = root.path().join("barekey.manifest.json");
        std::fs::write(&path, ONE).unwrap();
        assert_eq!(cache.find_snapshots(&env).unwrap(), [path]);
    }

    #[test]
    fn an_ambiguous_folder_is_named_away_in_terms_the_macro_has() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join("Cargo.toml"),
            "[package]\nname = \"app\"\n",
        )
        .unwrap();
        for file in ["barekey.manifest.json", "barekey.manifest.production.json"] {
            std::fs::write(root.path().join(file), ONE).unwrap();
        }
        let message = ManifestCache::new()
            .find_snapshots(&package_env(root.path()))
            .unwrap_err()
            .to_string();
        assert!(
            message.ends_with("or name the snapshots with BAREKEY_MANIFEST"),
            "{message}"
        );
    }
}
