//! The snapshot layout, in one place: which files hold snapshots and of which stage, which
//! folders the lookup walks through (and where the walk stops), what a folder holds, and where
//! `pull` writes. The CLI, the build helper and the macro all ask this module.
//!
//! - One stage: `barekey.manifest.json` ([`SNAPSHOT_FILE`]).
//! - Several stages of one project: `barekey.manifest.<stage>.json` ([`stage_snapshot_file`]),
//!   one per stage, side by side. A folder holding both forms is refused
//!   ([`Error::AmbiguousSnapshots`]): which stages a build is checked against must not depend
//!   on a leftover file.
//! - A snapshot lives beside a marker: the nearest `barekey.json` or `Cargo.toml` ([`MARKERS`])
//!   walking up ([`walk`]).
//! - A snapshot's stage is its `stageSlug`, else the `<stage>` of its file name
//!   ([`snapshot_stage`]); a file named for one stage that holds another is refused
//!   ([`check_file_stage`]).

use std::path::{Path, PathBuf};

use crate::manifest::Manifest;
use crate::paths::folder_of;
use crate::settings::{BAREKEY_JSON, find_barekey_json};
use crate::{Error, Front, Result};

/// The file name of a one-stage manifest snapshot.
pub const SNAPSHOT_FILE: &str = "barekey.manifest.json";

/// The files whose folder is a place a snapshot lives, in order of preference.
pub const MARKERS: [&str; 2] = [BAREKEY_JSON, "Cargo.toml"];

/// The file a stage's snapshot is kept in when a project keeps several:
/// `barekey.manifest.<stage>.json` (`barekey.manifest.production.json`), beside `barekey.json`
/// like the one-stage [`SNAPSHOT_FILE`]. `pull --stage a --stage b` writes these, and the
/// lookup reads them.
///
/// # Errors
///
/// [`Error::InvalidStageSlug`], worded for `front`, when `stage` is not [`is_stage_slug`].
pub fn stage_snapshot_file(stage: &str, front: Front) -> Result<String> {
    if is_stage_slug(stage) {
        Ok(format!("barekey.manifest.{stage}.json"))
    } else {
        Err(Error::InvalidStageSlug {
            stage: stage.to_owned(),
            front,
        })
    }
}

/// Whether `stage` can name a snapshot file on every system: not empty, not starting with a
/// dot, and only ASCII letters, digits, `-`, `_` and `.`.
pub fn is_stage_slug(stage: &str) -> bool {
    !stage.is_empty()
        && !stage.starts_with('.')
        && stage
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}

/// The stage a file named `barekey.manifest.<stage>.json` is the snapshot of, if it is named so.
pub fn stage_of_file_name(path: &Path) -> Option<&str> {
    let name = path.file_name()?.to_str()?;
    let stage = name
        .strip_prefix("barekey.manifest.")?
        .strip_suffix(".json")?;
    is_stage_slug(stage).then_some(stage)
}

/// Where a snapshot's stage was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageFrom {
    /// The snapshot's `stageSlug`.
    StageSlug,
    /// Its file's name, `barekey.manifest.<stage>.json`.
    FileName,
}

impl StageFrom {
    /// How messages name it: `stageSlug`, `its file name`.
    pub fn describe(self) -> &'static str {
        match self {
            StageFrom::StageSlug => "stageSlug",
            StageFrom::FileName => "its file name",
        }
    }
}

/// The one rule for the stage a snapshot belongs to: its `stageSlug` (when `manifest` is given
/// and has one), else the `<stage>` of a file named `barekey.manifest.<stage>.json`; `None`
/// when neither says (a one-stage `barekey.manifest.json` without `stageSlug`, or a file named
/// otherwise), and the caller falls back on the stage it was configured with.
pub fn snapshot_stage(path: &Path, manifest: Option<&Manifest>) -> Option<(String, StageFrom)> {
    if let Some(slug) = manifest.and_then(|manifest| manifest.stage_slug.as_ref()) {
        return Some((slug.clone(), StageFrom::StageSlug));
    }
    stage_of_file_name(path).map(|stage| (stage.to_owned(), StageFrom::FileName))
}

/// The stage whose live manifest a snapshot is compared with or refreshed from (`check
/// --remote`, `pull`, the build helper's fetch): [`snapshot_stage`] for one of `several`
/// snapshots or a file named for a stage; `None` for the only snapshot under a plain name,
/// which follows the configured stage (`--stage`, `BAREKEY_STAGE`, `barekey.json`).
pub fn live_stage(
    path: &Path,
    manifest: Option<&Manifest>,
    several: bool,
) -> Option<(String, StageFrom)> {
    if several || stage_of_file_name(path).is_some() {
        snapshot_stage(path, manifest)
    } else {
        None
    }
}

/// The stage label a snapshot has in a merge of several stages: [`snapshot_stage`], else the
/// file's name (so two such files are still told apart in messages).
pub fn stage_label(path: &Path, manifest: &Manifest) -> String {
    match snapshot_stage(path, Some(manifest)) {
        Some((stage, _)) => stage,
        None => path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        ),
    }
}

/// Refuses a snapshot whose file is named for one stage (`barekey.manifest.qa.json`) but whose
/// `stageSlug` says another: the code would be checked against a stage the file name hides.
///
/// # Errors
///
/// [`Error::StageFileMismatch`], naming the file and both stages.
pub fn check_file_stage(path: &Path, manifest: &Manifest) -> Result<()> {
    match (stage_of_file_name(path), &manifest.stage_slug) {
        (Some(named), Some(inside)) if named != inside => Err(Error::StageFileMismatch {
            path: path.display().to_string(),
            named: named.to_owned(),
            inside: inside.clone(),
        }),
        _ => Ok(()),
    }
}

/// What a folder holds in the way of snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Neither form.
    Nothing,
    /// `barekey.manifest.json`: one stage.
    Single(PathBuf),
    /// Every `barekey.manifest.<stage>.json`, in byte order of names: several stages.
    Stages(Vec<PathBuf>),
}

impl Contents {
    /// The snapshots' paths, in order; empty for [`Contents::Nothing`].
    pub fn into_paths(self) -> Vec<PathBuf> {
        match self {
            Contents::Nothing => Vec::new(),
            Contents::Single(path) => vec![path],
            Contents::Stages(paths) => paths,
        }
    }
}

/// The snapshots in `folder` (an unreadable folder holds none).
///
/// # Errors
///
/// [`Error::AmbiguousSnapshots`], worded for `front`, when it holds both forms.
pub fn contents(folder: &Path, front: Front) -> Result<Contents> {
    let single = folder.join(SNAPSHOT_FILE);
    let stages = stage_snapshot_paths(folder);
    match (single.is_file(), stages.is_empty()) {
        (true, true) => Ok(Contents::Single(single)),
        (true, false) => Err(Error::AmbiguousSnapshots {
            single,
            stages,
            front,
        }),
        (false, true) => Ok(Contents::Nothing),
        (false, false) => Ok(Contents::Stages(stages)),
    }
}

/// The stages whose snapshots (`barekey.manifest.<stage>.json`) are in `folder`, in byte order.
pub fn stages_in(folder: &Path) -> Vec<String> {
    stage_snapshot_paths(folder)
        .iter()
        .filter_map(|path| stage_of_file_name(path).map(str::to_owned))
        .collect()
}

/// Every `barekey.manifest.<stage>.json` file in `folder`, in byte order.
fn stage_snapshot_paths(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| stage_of_file_name(path).is_some() && path.is_file())
        .collect();
    paths.sort();
    paths
}

/// Where a walk starts, which decides how far up it goes and which files it trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start<'a> {
    /// A process's working folder (the CLI): inside a package, the walk goes no higher than
    /// the package's own walk would (so the CLI and the build agree on the snapshot), else up
    /// to the filesystem's root; every file it finds must belong to us or to root
    /// ([`crate::trust`]).
    Folder(&'a Path),
    /// The root of a package being built (`CARGO_MANIFEST_DIR`: the build helper, the macro):
    /// the walk stays within the package's [`Reach`].
    Package(&'a Path),
}

impl<'a> Start<'a> {
    /// The folder the walk starts in.
    pub fn folder(self) -> &'a Path {
        match self {
            Start::Folder(folder) | Start::Package(folder) => folder,
        }
    }
}

/// The files whose presence in a package's root says it was copied out of its repository: a
/// packaged crate (`cargo package` writes `.cargo_vcs_info.json`, verified under
/// `target/package/`), a vendored one (`cargo vendor`'s `.cargo-checksum.json`), or one
/// unpacked from a registry (`.cargo-ok`, docs.rs included).
pub const PACKAGED_MARKERS: [&str; 3] =
    [".cargo_vcs_info.json", ".cargo-checksum.json", ".cargo-ok"];

/// How far a walk from a package may go, and what it trusts.
///
/// A packaged or vendored crate ([`PACKAGED_MARKERS`]) never looks above its own root: a
/// snapshot there belongs to whichever project the copy landed in (the workspace that runs
/// `cargo package`, another application's `vendor/`). Any other package looks no higher than
/// the root of its workspace (the nearest `Cargo.toml` with a `[workspace]` that has it as a
/// member, or the one its `package.workspace` names); a package in no workspace looks up to
/// the filesystem's root, as the CLI does.
///
/// Files inside the package, or its workspace, are trusted as Cargo trusts them: whoever owns
/// them already owns the `build.rs` Cargo runs (a checkout another user owns, built as root in
/// a container). The owner check guards what lies above.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// The last folder the walk visits; `None` for the filesystem's root.
    pub last: Option<PathBuf>,
    /// The folder whose files (its own and its subfolders') need no owner check; `None` when
    /// every file is checked.
    pub trusted: Option<PathBuf>,
}

/// The reach of a walk from `start` ([`Reach`]). A [`Start::Folder`] inside a package (a
/// folder above it holds a `Cargo.toml`) reaches as far as that package's walk, and trusts
/// nothing it has not checked; outside any package it reaches everywhere.
pub fn reach(start: Start<'_>) -> Reach {
    match start {
        Start::Package(package) => package_reach(package),
        Start::Folder(folder) => Reach {
            last: folder
                .ancestors()
                .find(|folder| folder.join("Cargo.toml").is_file())
                .and_then(|package| package_reach(package).last),
            trusted: None,
        },
    }
}

/// [`reach`] from a package's root.
fn package_reach(package: &Path) -> Reach {
    let bounded_at = |root: PathBuf| Reach {
        last: Some(root.clone()),
        trusted: Some(root),
    };
    if PACKAGED_MARKERS
        .iter()
        .any(|marker| package.join(marker).is_file())
    {
        return bounded_at(package.to_owned());
    }
    match workspace_root(package) {
        Some(root) => bounded_at(root),
        None => Reach {
            last: None,
            trusted: Some(package.to_owned()),
        },
    }
}

/// The root of the workspace `package` is a member of, as Cargo finds it: the package itself
/// when its `Cargo.toml` has a `[workspace]`, the folder its `package.workspace` names, else
/// the nearest folder above whose `Cargo.toml` has a `[workspace]`, if that workspace has the
/// package as a member (`members` globs, minus `exclude`). `None` otherwise, or when a
/// `Cargo.toml` cannot be read as TOML (Cargo itself then fails with a clearer message).
fn workspace_root(package: &Path) -> Option<PathBuf> {
    let own = cargo_toml(package)?;
    if own.contains_key("workspace") {
        return Some(package.to_owned());
    }
    let named = own
        .get("package")
        .and_then(|table| table.get("workspace"))
        .and_then(toml::Value::as_str);
    if let Some(path) = named {
        return Some(normalise(&package.join(path)));
    }
    for folder in package.ancestors().skip(1) {
        let Some(workspace) = cargo_toml(folder).and_then(|mut table| table.remove("workspace"))
        else {
            continue;
        };
        return is_member(folder, &workspace, package).then(|| folder.to_owned());
    }
    None
}

/// The `Cargo.toml` in `folder`, parsed; `None` when there is none or it is not TOML.
fn cargo_toml(folder: &Path) -> Option<toml::Table> {
    let text = crate::limit::read_file_to_string(&folder.join("Cargo.toml")).ok()?;
    text.parse().ok()
}

/// Whether the workspace rooted at `root` (its `[workspace]` table) has `package` as a member:
/// its root package, or a path matching one of `members` (globs, `*` within one folder name)
/// and under none of `exclude`.
fn is_member(root: &Path, workspace: &toml::Value, package: &Path) -> bool {
    let Ok(relative) = package.strip_prefix(root) else {
        return false;
    };
    let listed = |key: &str| -> Vec<PathBuf> {
        workspace
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .map(|item| normalise(Path::new(item)))
                    .collect()
            })
            .unwrap_or_default()
    };
    if relative.as_os_str().is_empty() {
        return true;
    }
    if listed("exclude")
        .iter()
        .any(|excluded| relative.starts_with(excluded))
    {
        return false;
    }
    let options = glob::MatchOptions {
        require_literal_separator: true,
        ..glob::MatchOptions::new()
    };
    listed("members").iter().any(|member| {
        member == relative
            || glob::Pattern::new(&member.to_string_lossy())
                .is_ok_and(|pattern| pattern.matches_path_with(relative, options))
    })
}

/// `path` without `.` components, and with each `..` taking away the component before it.
fn normalise(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// A folder on the walk up that holds a marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The folder.
    pub folder: PathBuf,
    /// The marker in it (`barekey.json` when it has both).
    pub marker: &'static str,
    /// Whether its files are trusted without an owner check ([`Reach::trusted`]).
    pub trusted: bool,
}

/// The one ancestor walk: the start folder and each folder above it that holds a marker,
/// nearest first, within the start's [`Reach`]. The lookup and
/// `Builder::stage` both walk this.
pub fn walk(start: Start<'_>) -> impl Iterator<Item = Place> + '_ {
    let Reach { last, trusted } = reach(start);
    let mut passed_last = false;
    start
        .folder()
        .ancestors()
        .take_while(move |folder| {
            let within = !passed_last;
            passed_last |= last.as_deref() == Some(*folder);
            within
        })
        .filter_map(move |folder| {
            let trusted = trusted
                .as_deref()
                .is_some_and(|trusted| folder.starts_with(trusted));
            MARKERS
                .into_iter()
                .find(|marker| folder.join(marker).is_file())
                .map(|marker| Place {
                    folder: folder.to_owned(),
                    marker,
                    trusted,
                })
        })
}

/// Where `pull` writes the snapshot by default: beside the nearest `barekey.json`, else in
/// `start`.
pub fn default_snapshot_path(start: &Path) -> PathBuf {
    match find_barekey_json(start) {
        Some(path) => path.with_file_name(SNAPSHOT_FILE),
        None => start.join(SNAPSHOT_FILE),
    }
}

/// The folder `pull` writes into by default: that of the nearest `barekey.json`, else `start`.
pub fn default_snapshot_folder(start: &Path) -> PathBuf {
    folder_of(&default_snapshot_path(start))
}

/// Where a one-stage `pull` without `--out` writes, for a process started in `start`:
/// `barekey.manifest.json` beside the nearest `barekey.json`, unless that folder keeps several
/// stages' snapshots and no `barekey.manifest.json`; then the file of the stage `stage` gives,
/// so refreshing one stage keeps the folder's layout (a `barekey.manifest.json` beside stage
/// snapshots would make the lookup refuse the folder).
///
/// # Errors
///
/// `stage`'s, and [`Error::InvalidStageSlug`].
pub fn one_stage_pull_path(start: &Path, stage: &dyn Fn() -> Result<String>) -> Result<PathBuf> {
    let single = default_snapshot_path(start);
    let folder = folder_of(&single);
    if single.exists() || stages_in(&folder).is_empty() {
        return Ok(single);
    }
    // `pull` is the CLI's: the stage came from its flags or settings.
    Ok(folder.join(stage_snapshot_file(&stage()?, Front::Cli)?))
}

/// The `pull` that brings the snapshots `drifted` (each with its stage) up to date, for a
/// process started in `start`: one `pull --stage a --stage b` when they are the
/// `barekey.manifest.<stage>.json` files of one folder (with `--out` unless it is where `pull`
/// writes by default), else one `pull --stage a --out PATH` per snapshot.
pub fn pull_command(drifted: &[(&str, &Path)], start: &Path) -> String {
    let folder = folder_of(drifted[0].1);
    let together = drifted.len() > 1
        && drifted.iter().all(|(stage, path)| {
            folder_of(path) == folder && stage_of_file_name(path) == Some(*stage)
        });
    let stage_word = |stage: &str| shell_word(Path::new(stage));
    if !together {
        let commands: Vec<String> = drifted
            .iter()
            .map(|(stage, path)| {
                format!(
                    "barekey-typegen pull --stage {} --out {}",
                    stage_word(stage),
                    shell_word(path)
                )
            })
            .collect();
        return commands.join(" && ");
    }
    let mut command = String::from("barekey-typegen pull");
    for (stage, _) in drifted {
        command.push_str(&format!(" --stage {}", stage_word(stage)));
    }
    if !crate::paths::same_file(&folder, &default_snapshot_folder(start)) {
        command.push_str(&format!(" --out {}", shell_word(&folder)));
    }
    command
}

/// A path as one shell word, quoted only when it needs to be: for the commands that messages
/// tell the user to run.
pub fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+=:@".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
    }

    #[test]
    fn pull_writes_beside_the_nearest_barekey_json_else_here() {
        let root = tempfile::tempdir().unwrap();
        let start = root.path().join("app/src");
        std::fs::create_dir_all(&start).unwrap();
        assert_eq!(default_snapshot_path(&start), start.join(SNAPSHOT_FILE));
        std::fs::write(root.path().join("app").join(BAREKEY_JSON), "{}").unwrap();
        assert_eq!(
            default_snapshot_path(&start),
            root.path().join("app").join(SNAPSHOT_FILE)
        );
    }

    #[test]
    fn stage_files_are_named_for_usable_slugs_only() {
        assert_eq!(
            stage_snapshot_file("production", Front::Cli).unwrap(),
            "barekey.manifest.production.json"
        );
        for bad in ["", ".hidden", "a/b", "a b", "é"] {
            assert!(stage_snapshot_file(bad, Front::Cli).is_err(), "{bad:?}");
            let name = format!("barekey.manifest.{bad}.json");
            assert_eq!(stage_of_file_name(Path::new(&name)), None, "{bad:?}");
        }
        let path = Path::new("/x/barekey.manifest.qa-1.json");
        assert_eq!(stage_of_file_name(path), Some("qa-1"));
        assert_eq!(
            snapshot_stage(path, None),
            Some(("qa-1".to_owned(), StageFrom::FileName))
        );
        assert_eq!(snapshot_stage(Path::new("/x/prod.json"), None), None);
    }

    #[test]
    fn a_folder_holds_one_form_or_is_refused() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(
            contents(root.path(), Front::Cli).unwrap(),
            Contents::Nothing
        );
        touch(&root.path().join("barekey.manifest.staging.json"));
        touch(&root.path().join("barekey.manifest.production.json"));
        assert_eq!(stages_in(root.path()), ["production", "staging"]);
        touch(&root.path().join(SNAPSHOT_FILE));
        assert!(matches!(
            contents(root.path(), Front::Cli),
            Err(Error::AmbiguousSnapshots { .. })
        ));
    }

    #[test]
    fn a_one_stage_pull_keeps_a_folder_of_stage_snapshots() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join(BAREKEY_JSON));
        let stage = || Ok("qa".to_owned());
        assert_eq!(
            one_stage_pull_path(root.path(), &stage).unwrap(),
            root.path().join(SNAPSHOT_FILE)
        );
        touch(&root.path().join("barekey.manifest.production.json"));
        assert_eq!(
            one_stage_pull_path(root.path(), &stage).unwrap(),
            root.path().join("barekey.manifest.qa.json")
        );
    }

    #[test]
    fn the_walk_yields_marked_folders_nearest_first() {
        let root = tempfile::tempdir().unwrap();
        let package = root.path().join("ws/app");
        touch(&package.join("Cargo.toml"));
        touch(&root.path().join("ws").join(BAREKEY_JSON));
        touch(&root.path().join("ws/Cargo.toml"));
        let start = package.join("src");
        let places: Vec<Place> = walk(Start::Folder(&start)).take(2).collect();
        assert_eq!(
            places,
            [
                Place {
                    folder: package.clone(),
                    marker: "Cargo.toml",
                    trusted: false,
                },
                Place {
                    folder: root.path().join("ws"),
                    marker: BAREKEY_JSON,
                    trusted: false,
                },
            ]
        );
    }

    /// A workspace in `outer/ws` (its `Cargo.toml` given), the package `outer/ws/crates/app`,
    /// and a snapshot beside `outer/barekey.json`, above the workspace.
    fn workspace(workspace_toml: &str) -> (tempfile::TempDir, PathBuf) {
        let outer = tempfile::tempdir().unwrap();
        touch(&outer.path().join(BAREKEY_JSON));
        touch(&outer.path().join(SNAPSHOT_FILE));
        let ws = outer.path().join("ws");
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::write(ws.join("Cargo.toml"), workspace_toml).unwrap();
        let app = ws.join("crates/app");
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(app.join("Cargo.toml"), "[package]\nname = \"app\"\n").unwrap();
        (outer, app)
    }

    fn folders(start: Start<'_>) -> Vec<(PathBuf, bool)> {
        walk(start)
            .map(|place| (place.folder, place.trusted))
            .collect()
    }

    #[test]
    fn a_member_package_walks_no_higher_than_its_workspace_and_trusts_it() {
        for members in [
            r#"["crates/*"]"#,
            r#"["crates/app"]"#,
            r#"["./crates/app/"]"#,
        ] {
            let (outer, app) = workspace(&format!("[workspace]\nmembers = {members}\n"));
            let ws = outer.path().join("ws");
            assert_eq!(
                folders(Start::Package(&app)),
                [(app.clone(), true), (ws.clone(), true)],
                "{members}"
            );
            assert_eq!(
                reach(Start::Package(&app)),
                Reach {
                    last: Some(ws.clone()),
                    trusted: Some(ws)
                }
            );
        }
    }

    #[test]
    fn a_package_outside_any_workspace_walks_up_and_trusts_only_itself() {
        for toml in [
            "[workspace]\nmembers = [\"other\"]\n",
            "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/app\"]\n",
            "[workspace]\nmembers = [\"*\"]\n",
            "[package]\nname = \"root\"\n",
            "not toml [",
        ] {
            let (outer, app) = workspace(toml);
            let found = folders(Start::Package(&app));
            assert_eq!(found[0], (app.clone(), true), "{toml}");
            assert_eq!(
                found.last().unwrap(),
                &(outer.path().to_owned(), false),
                "{toml}: the walk goes on above, checking owners"
            );
        }
    }

    #[test]
    fn a_package_naming_its_workspace_walks_up_to_it() {
        let (outer, app) = workspace("[workspace]\n");
        std::fs::write(
            app.join("Cargo.toml"),
            "[package]\nname = \"app\"\nworkspace = \"../..\"\n",
        )
        .unwrap();
        let ws = outer.path().join("ws");
        assert_eq!(reach(Start::Package(&app)).last, Some(ws));
    }

    #[test]
    fn a_packaged_or_vendored_crate_never_walks_above_its_root() {
        for marker in PACKAGED_MARKERS {
            let (_outer, app) = workspace("[workspace]\nmembers = [\"crates/*\"]\n");
            touch(&app.join(marker));
            assert_eq!(
                folders(Start::Package(&app)),
                [(app.clone(), true)],
                "{marker}"
            );
        }
    }

    #[test]
    fn a_working_folder_reaches_as_far_as_its_package_and_trusts_nothing_unchecked() {
        let (outer, app) = workspace("[workspace]\nmembers = [\"crates/*\"]\n");
        let ws = outer.path().join("ws");
        let inside = app.join("src/deep");
        assert_eq!(
            reach(Start::Folder(&inside)),
            Reach {
                last: Some(ws.clone()),
                trusted: None
            }
        );
        let found = folders(Start::Folder(&inside));
        assert_eq!(found, [(app.clone(), false), (ws, false)]);
        // Outside any package (the folder above the workspace): everywhere.
        assert_eq!(reach(Start::Folder(outer.path())), Reach::default());
        // In a package outside any workspace: up to the root.
        let (outer, app) = workspace("[package]\nname = \"root\"\n");
        let found = folders(Start::Folder(&app));
        assert!(found.iter().all(|(_, trusted)| !trusted));
        assert_eq!(found.last().unwrap().0, outer.path());
    }
}
