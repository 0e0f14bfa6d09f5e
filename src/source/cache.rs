//! Parsed manifests kept for the life of a process, so a compiler expanding `barekey_env!` a
//! thousand times reads and parses the snapshot once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use super::lookup::read_manifest;
use crate::Result;
use crate::manifest::Manifest;

/// Validated manifests by path, each reused while the file keeps its modification time and
/// length.
///
/// Why the file's stamp and not just its path: rust-analyzer keeps a proc macro loaded for
/// hours, and must see an edited snapshot. A file whose stamp cannot be read is parsed on
/// every call. Failures are not kept, so a fixed file is picked up at once.
#[derive(Debug, Default)]
pub struct ManifestCache {
    entries: Mutex<HashMap<PathBuf, (Stamp, Arc<Manifest>)>>,
    /// How many times a file was read and parsed; what the cache exists to keep low.
    parses: AtomicUsize,
    /// The paths [`first_mention`](ManifestCache::first_mention) was asked about.
    mentioned: Mutex<HashSet<PathBuf>>,
}

/// What tells one version of a file from the next without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: SystemTime,
    len: u64,
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

/// When `path` was last changed, and its length; `None` if it cannot be read.
fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: metadata.modified().ok()?,
        len: metadata.len(),
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

    #[test]
    fn the_shared_cache_is_one_instance() {
        assert!(std::ptr::eq(
            ManifestCache::shared(),
            ManifestCache::shared()
        ));
    }
}
