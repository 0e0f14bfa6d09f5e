//! Snapshots against the live manifest (feature `fetch`): fetching several stages before
//! anything is done with them, and the comparison `check --remote` reports, each snapshot with
//! the live manifest of its own stage ([`layout::live_stage`]).

use std::path::{Path, PathBuf};

use crate::fetch::{FetchOptions, Fetched};
use crate::manifest::{self, Loaded};
use crate::settings::{EnvLookup, Overrides, Settings, Source, resolve_trusted};
use crate::source::{self, layout};
use crate::{Error, Result, limit};

/// Where a live fetch's settings come from: the overrides (flags or builder calls), the
/// environment and the start folder ([`resolve_trusted`]), and how to fetch.
#[derive(Clone, Copy)]
pub struct Live<'a> {
    /// Explicit organisation, project, stage and API URL.
    pub overrides: &'a Overrides,
    /// The environment.
    pub env: EnvLookup<'a>,
    /// Where `barekey.json` is looked for.
    pub start: &'a Path,
    /// Timeouts and the like.
    pub options: &'a FetchOptions,
}

impl std::fmt::Debug for Live<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("overrides", self.overrides)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

impl Live<'_> {
    /// The settings, with `stage` (and where it came from), when given, in place of the
    /// overrides' stage.
    ///
    /// # Errors
    ///
    /// [`resolve_trusted`]'s.
    pub fn settings(&self, stage: Option<&(String, Source)>) -> Result<Settings> {
        let mut overrides = self.overrides.clone();
        if let Some((slug, _)) = stage {
            overrides.stage = Some(slug.clone());
        }
        let mut settings = resolve_trusted(&overrides, self.env, self.start, self.options.front)?;
        if let Some((_, source)) = stage {
            settings.stage.source = source.clone();
        }
        Ok(settings)
    }

    /// Fetches the live manifest of each stage in turn (`None`: the settings' own), all before
    /// anything is done with them; `fetch` is the one fetch (a spinner around
    /// [`crate::fetch::fetch_manifest`], say). A failure names its stage and says `outcome` (`no snapshot
    /// was written`, ...).
    ///
    /// # Errors
    ///
    /// [`Error::StageFetch`] wrapping the first failure.
    pub fn fetch_stages(
        &self,
        stages: &[Option<(String, Source)>],
        outcome: &'static str,
        fetch: &mut dyn FnMut(&Settings, &FetchOptions) -> Result<Fetched>,
    ) -> Result<Vec<(Settings, Fetched)>> {
        let mut fetched = Vec::with_capacity(stages.len());
        for stage in stages {
            let settings = self.settings(stage.as_ref())?;
            let manifest = fetch(&settings, self.options).map_err(|source| Error::StageFetch {
                stage: settings.stage.value.clone(),
                outcome,
                source: Box::new(source),
            })?;
            fetched.push((settings, manifest));
        }
        Ok(fetched)
    }
}

/// The live manifests of several stages merged, as `generate --live --stage a --stage b`
/// generates from: with the URLs they came from, joined, as the origin.
///
/// # Errors
///
/// The merge's ([`manifest::merge_stages`]), a type conflict included.
pub fn merge_live(fetched: &[(Settings, Fetched)]) -> Result<(Loaded, String)> {
    let stages: Vec<manifest::StageManifest<'_>> = fetched
        .iter()
        .map(|(settings, fetched)| manifest::StageManifest {
            stage: fetched
                .loaded
                .manifest
                .stage_slug
                .as_deref()
                .unwrap_or(&settings.stage.value),
            origin: &fetched.url,
            manifest: &fetched.loaded.manifest,
        })
        .collect();
    let loaded = manifest::merge_stages(&stages)?.into_loaded()?;
    let urls: Vec<&str> = fetched
        .iter()
        .map(|(_, fetched)| fetched.url.as_str())
        .collect();
    Ok((loaded, urls.join(", ")))
}

/// One snapshot compared with the live manifest of its stage.
#[derive(Debug)]
#[non_exhaustive]
pub struct Compared {
    /// The snapshot.
    pub path: PathBuf,
    /// The settings of the stage it was compared with.
    pub settings: Settings,
    /// `None` when it holds exactly the live manifest; else what differs, from the snapshot
    /// (before) to the live manifest (after) ([`manifest::drift`]).
    pub diff: Option<manifest::Diff>,
}

/// The stages whose live manifests the snapshots at `paths` are compared with, in order: each
/// one's [`layout::live_stage`] (with where it was read), `None` for the configured stage.
///
/// # Errors
///
/// Reading or validating a snapshot.
pub fn stages_of(paths: &[PathBuf]) -> Result<Vec<Option<(String, Source)>>> {
    let several = paths.len() > 1;
    paths
        .iter()
        .map(|path| {
            let loaded = source::parse_manifest_bytes(&read(path)?, &path.display().to_string())?;
            Ok(
                layout::live_stage(path, Some(&loaded.manifest), several).map(|(stage, from)| {
                    let source = Source::File {
                        path: path.clone(),
                        key: from.describe(),
                    };
                    (stage, source)
                }),
            )
        })
        .collect()
}

/// Compares each snapshot at `paths` with the live manifest fetched for it (`fetched`, in the
/// same order, from [`Live::fetch_stages`] over [`stages_of`]).
///
/// # Errors
///
/// [`Error::DuplicateStage`] when two snapshots fall back to the same stage; reading or
/// validating a snapshot.
pub fn compare(paths: &[PathBuf], fetched: Vec<(Settings, Fetched)>) -> Result<Vec<Compared>> {
    for (later, (settings, _)) in fetched.iter().enumerate() {
        let stage = &settings.stage.value;
        if let Some(first) = fetched[..later]
            .iter()
            .position(|(earlier, _)| earlier.stage.value == *stage)
        {
            return Err(Error::DuplicateStage {
                stage: stage.clone(),
                first: paths[first].display().to_string(),
                second: paths[later].display().to_string(),
            });
        }
    }
    paths
        .iter()
        .zip(fetched)
        .map(|(path, (settings, fetched))| {
            let bytes = read(path)?;
            let committed =
                source::parse_manifest_bytes(&bytes, &path.display().to_string())?.manifest;
            let live = &fetched.loaded.manifest;
            Ok(Compared {
                path: path.clone(),
                settings,
                diff: manifest::drift(&bytes, &committed, &fetched.snapshot, live),
            })
        })
        .collect()
}

/// A snapshot's bytes.
fn read(path: &Path) -> Result<Vec<u8>> {
    limit::read_file(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}
