//! The one place that writes output files: atomically, and only when the content changed.
//!
//! Content goes to a temporary file in the destination's folder, which is then renamed over
//! the destination, so a failure at any step leaves the previous file byte-identical, and a
//! reader never sees a half-written one. Several files written as one set
//! ([`write_all_or_none`]) are all written or none: every temporary file first, then the
//! renames, and those already renamed are put back when one fails.
//!
//! - A new file gets the mode the umask gives (0644 under umask 022, as `cargo` and `git`
//!   give); an existing file keeps its own; credentials are always 0600.
//! - A symbolic link, or a chain of them, is followed to the file it ends at, which is the one
//!   replaced; a link that belongs to another user is refused ([`crate::trust`]).
//! - A temporary file is locked while it is written. A binary's signal handler removes the
//!   ones in flight with [`remove_in_flight`] (the `barekey-typegen` binary does on SIGINT and
//!   SIGTERM), and the next write into a folder removes the unlocked leftovers of a process
//!   that was killed outright (SIGKILL); a lock on the folder itself keeps that sweep away
//!   from a temporary file another run has created but not yet locked, so any number of runs
//!   may write into one folder at once.

mod temporary;

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

pub use barekey_typegen_core::paths::{folder_of, same_file};
pub use temporary::{WritesHeld, remove_in_flight};

use crate::{Error, Result};
use barekey_typegen_core::paths::resolve_links;
use temporary::{Failed, Held, Temporary};

/// What [`write_if_changed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file did not exist.
    Created,
    /// The file existed with other content and was replaced.
    Updated,
    /// The file already held exactly this content; it was not touched.
    Unchanged,
}

/// Writes `contents` to `path` unless it already holds them. Creates missing parent folders.
/// An existing file keeps its permissions; a symbolic link is followed, not replaced.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<Written> {
    let staged = Staged::prepare(path, contents, false)?;
    let written = commit(vec![staged]).map_err(|failed| failed.error)?;
    Ok(written[0])
}

/// Writes each `(path, contents)` as [`write_if_changed`] does, as one set: every file is
/// written, or none is. Every temporary file is written first (with a copy of each file it
/// replaces), then each is renamed over its file in order; when a rename fails, the files
/// already renamed are put back as they were. (A device or pipe, written in place, cannot be
/// put back.)
///
/// # Errors
///
/// [`Error::SetNotWritten`], naming the file that failed, every file of the set and any that
/// could not be put back, with the failure as its source.
pub fn write_all_or_none(files: &[(&Path, &[u8])]) -> Result<Vec<Written>> {
    let not_written = |failed: Uncommitted| Error::SetNotWritten {
        path: failed.path,
        set: files.iter().map(|(path, _)| path.to_path_buf()).collect(),
        unrestored: failed.unrestored,
        source: Box::new(failed.error),
    };
    let mut staged = Vec::with_capacity(files.len());
    for (path, contents) in files {
        // Dropped on failure, which removes the temporary files staged so far.
        let file = Staged::prepare(path, contents, files.len() > 1).map_err(|error| {
            not_written(Uncommitted {
                path: path.to_path_buf(),
                error,
                unrestored: Vec::new(),
            })
        })?;
        staged.push(file);
    }
    commit(staged).map_err(|failed| not_written(*failed))
}

/// Replaces `path` atomically with `contents`, readable and writable by its owner alone
/// (mode 0600 on Unix), whatever its permissions were: for credentials. Creates missing parent
/// folders; a symbolic link is followed, not replaced.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    #[cfg(unix)]
    let permissions = Some(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    #[cfg(not(unix))]
    let permissions = None;
    let target = resolve_links(path)?;
    let staged = Staged {
        change: Change::Replace {
            new: new_content(path, &target, contents, permissions)?,
            copy: None,
        },
        written: Written::Updated,
        path: path.to_owned(),
        target,
    };
    commit(vec![staged]).map_err(|failed| failed.error)?;
    Ok(())
}

/// One file of a write, prepared: its new content waits in a locked temporary file beside it.
struct Staged {
    /// The path as given, for errors.
    path: PathBuf,
    /// The file at the end of its links, which is replaced.
    target: PathBuf,
    /// What committing it does.
    written: Written,
    change: Change,
}

enum Change {
    /// It already holds the content.
    None,
    /// A device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO): renaming over it would replace
    /// it with a regular file, and reading it first could block, so it is written in place.
    InPlace(Vec<u8>),
    /// Renamed over the file; `copy` holds what it held, to put back, when the set needs it.
    Replace {
        new: Temporary,
        copy: Option<Temporary>,
    },
}

impl Staged {
    /// Phase one: compares `contents` with the file at `path` and, when they differ, writes
    /// them to a temporary file beside it (and, with `keep_copy`, what the file holds to
    /// another).
    fn prepare(path: &Path, contents: &[u8], keep_copy: bool) -> Result<Staged> {
        let target = resolve_links(path)?;
        let fail = failing(path);
        let mut staged = Staged {
            path: path.to_owned(),
            target,
            written: Written::Unchanged,
            change: Change::None,
        };
        match fs::metadata(&staged.target) {
            Ok(meta) if meta.is_dir() => {
                let error = io::Error::from(io::ErrorKind::IsADirectory);
                return Err(fail(("a folder is in its place", error)));
            }
            Ok(meta) if !meta.is_file() => {
                staged.written = Written::Updated;
                staged.change = Change::InPlace(contents.to_owned());
                return Ok(staged);
            }
            _ => {}
        }
        // A byte past `contents` is enough to know it differs; a huge file is not read whole.
        let existing = match crate::limit::read_prefix(&staged.target, contents.len()) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) if error.kind() == io::ErrorKind::NotADirectory => {
                return Err(fail(("a file is in place of one of its folders", error)));
            }
            Err(error) => return Err(fail(("reading the existing file", error))),
        };
        if existing.as_deref() == Some(contents) {
            return Ok(staged);
        }
        let permissions = match existing {
            Some(_) => Some(
                fs::metadata(&staged.target)
                    .map_err(|error| fail(("reading its permissions", error)))?
                    .permissions(),
            ),
            None => None,
        };
        let copy = match &permissions {
            Some(permissions) if keep_copy => Some(copy_of(path, &staged.target, permissions)?),
            _ => None,
        };
        staged.written = if existing.is_some() {
            Written::Updated
        } else {
            Written::Created
        };
        staged.change = Change::Replace {
            new: new_content(path, &staged.target, contents, permissions)?,
            copy,
        };
        Ok(staged)
    }

    /// Phase two: puts the new content in place (renames it over the file), while `held`.
    fn apply(self, held: &mut Held) -> Result<Applied> {
        let fail = failing(&self.path);
        let copy = match self.change {
            Change::None => None,
            Change::InPlace(contents) => {
                fs::OpenOptions::new()
                    .write(true)
                    .open(&self.target)
                    .and_then(|mut file| file.write_all(&contents))
                    .map_err(|error| {
                        fail(("writing to it (a device or pipe, so in place)", error))
                    })?;
                None
            }
            Change::Replace { new, copy } => {
                if let Err(error) = new.persist(&self.target, held) {
                    if let Some(copy) = copy {
                        copy.discard(held);
                    }
                    return Err(fail(("renaming the temporary file over it", error)));
                }
                copy
            }
        };
        Ok(Applied {
            target: self.target,
            written: self.written,
            copy,
        })
    }

    /// Drops it without writing anything, while `held`.
    fn discard(self, held: &mut Held) {
        if let Change::Replace { new, copy } = self.change {
            new.discard(held);
            if let Some(copy) = copy {
                copy.discard(held);
            }
        }
    }
}

/// A staged file put in place, which can still be put back.
struct Applied {
    target: PathBuf,
    written: Written,
    copy: Option<Temporary>,
}

impl Applied {
    /// Keeps the new content; drops the copy of the old.
    fn keep(self, held: &mut Held) -> Written {
        if let Some(copy) = self.copy {
            copy.discard(held);
        }
        self.written
    }

    /// Puts back what the file held: its copy renamed over it, or a new file removed.
    fn put_back(self, held: &mut Held) -> io::Result<()> {
        match (self.written, self.copy) {
            (Written::Created, _) => fs::remove_file(&self.target),
            (_, Some(copy)) => copy.persist(&self.target, held),
            // Unchanged, written in place, or (outside a set) not copied: nothing to put back.
            (_, None) => Ok(()),
        }
    }
}

/// Why [`commit`] failed.
struct Uncommitted {
    /// The file that failed.
    path: PathBuf,
    /// The failure.
    error: Error,
    /// The files renamed before it that could not be put back, and why.
    unrestored: Vec<(PathBuf, io::Error)>,
}

/// Phase two of a write: renames every staged file over its own, in order. When one fails,
/// those already renamed are put back, and the error comes with any that could not be.
fn commit(staged: Vec<Staged>) -> Result<Vec<Written>, Box<Uncommitted>> {
    pause_for_tests();
    // Every rename, and any putting back, happens under the registry's lock: a signal handler
    // waits for the whole set instead of deleting a file under it or leaving it half renamed.
    let mut held = temporary::hold();
    let mut applied = Vec::with_capacity(staged.len());
    let mut rest = staged.into_iter();
    let failure = loop {
        let Some(file) = rest.next() else { break None };
        let path = file.path.clone();
        match file.apply(&mut held) {
            Ok(done) => applied.push(done),
            Err(error) => break Some((path, error)),
        }
    };
    rest.for_each(|file| file.discard(&mut held));
    let Some((path, error)) = failure else {
        return Ok(applied
            .into_iter()
            .map(|done| done.keep(&mut held))
            .collect());
    };
    let unrestored = applied
        .into_iter()
        .rev()
        .filter_map(|done| {
            let target = done.target.clone();
            done.put_back(&mut held).err().map(|error| (target, error))
        })
        .collect();
    Err(Box::new(Uncommitted {
        path,
        error,
        unrestored,
    }))
}

/// A temporary file beside `target` holding `contents`, with `permissions` (else the mode a
/// new file gets under the umask), its folders created. Errors name `path`.
fn new_content(
    path: &Path,
    target: &Path,
    contents: &[u8],
    permissions: Option<fs::Permissions>,
) -> Result<Temporary> {
    let folder = folder_of(target);
    fs::create_dir_all(&folder).map_err(|error| failing(path)(("creating its folder", error)))?;
    let mut fill = |file: &mut fs::File| file.write_all(contents).map_err(|e| (writing(&e), e));
    Temporary::create(&folder, permissions, &mut fill).map_err(failing(path))
}

/// A temporary file beside `target` holding a copy of it, with its `permissions`: what puts it
/// back. Errors name `path`.
fn copy_of(path: &Path, target: &Path, permissions: &fs::Permissions) -> Result<Temporary> {
    let mut fill = |file: &mut fs::File| {
        fs::File::open(target)
            .and_then(|mut old| io::copy(&mut old, file))
            .map(drop)
            .map_err(|error| match error.kind() {
                io::ErrorKind::FileTooLarge => (writing(&error), error),
                _ => ("keeping a copy of it to put back", error),
            })
    };
    Temporary::create(&folder_of(target), Some(permissions.clone()), &mut fill)
        .map_err(failing(path))
}

/// [`Error::Write`] for `path`, from what failed.
fn failing(path: &Path) -> impl Fn(Failed) -> Error + '_ {
    move |(what, source)| Error::Write {
        path: path.to_owned(),
        what,
        source,
    }
}

/// What a failed write was doing. Past a file-size limit (`ulimit -f`) the write fails with
/// EFBIG (when SIGXFSZ is ignored, as the binary does, rather than killing the process), which
/// says so.
fn writing(error: &io::Error) -> &'static str {
    if error.kind() == io::ErrorKind::FileTooLarge {
        "writing a temporary file: the file is larger than this process's file-size limit \
         (`ulimit -f`)"
    } else {
        "writing a temporary file"
    }
}

/// Waits `__BAREKEY_TYPEGEN_TEST_SLOW_WRITE` milliseconds, when set and the hidden feature
/// `test-seams` is on: the tests' window to interrupt a write (tests/testsuite/file_safety.rs).
#[cfg(not(feature = "test-seams"))]
fn pause_for_tests() {}

/// Waits `__BAREKEY_TYPEGEN_TEST_SLOW_WRITE` milliseconds, when set and the hidden feature
/// `test-seams` is on: the tests' window to interrupt a write (tests/testsuite/file_safety.rs).
#[cfg(feature = "test-seams")]
fn pause_for_tests() {
    let pause = crate::env::var_os(crate::env::TEST_SLOW_WRITE)
        .and_then(|value| value.to_str()?.parse::<u64>().ok());
    if let Some(millis) = pause {
        std::thread::sleep(std::time::Duration::from_millis(millis));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_device_is_written_in_place_never_replaced() {
        let null = Path::new("/dev/null");
        assert_eq!(
            write_if_changed(null, b"discarded").unwrap(),
            Written::Updated
        );
        let meta = fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null was replaced by a regular file");
        assert_eq!(fs::read(null).unwrap(), b"");
    }

    #[test]
    fn creates_updates_and_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/out.rs");
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Created);
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(write_if_changed(&path, b"two").unwrap(), Written::Updated);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_folder_in_place_of_the_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = write_if_changed(dir.path(), b"x").unwrap_err().to_string();
        assert!(error.contains("a folder is in its place"), "{error}");
        assert!(error.contains(&dir.path().display().to_string()), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_replaced_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials/a.json");
        write_private(&path, b"one").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    /// Issue 29, item 2: two runs writing into one folder at once, where one run's sweep took
    /// the other's temporary file for abandoned in the moment between its creation and its
    /// lock. Several writers, each writing the one shared file and a neighbour of its own, a
    /// fixed number of times: every write succeeds, every file is whole, nothing is left.
    #[test]
    fn concurrent_writers_of_the_same_and_neighbouring_files_all_succeed() {
        const WRITERS: usize = 8;
        const ROUNDS: usize = 150;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path();
        let content = |writer: usize, round: usize| format!("{writer}:{round}\n").repeat(64);
        std::thread::scope(|scope| {
            for writer in 0..WRITERS {
                scope.spawn(move || {
                    let own = folder.join(format!("own-{writer}.rs"));
                    let shared = folder.join("shared.rs");
                    for round in 0..ROUNDS {
                        let path = if round % 2 == 0 { &shared } else { &own };
                        let result = write_if_changed(path, content(writer, round).as_bytes());
                        if let Err(error) = result {
                            panic!("writer {writer}, round {round}: {error}");
                        }
                    }
                });
            }
        });
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut expected: Vec<String> = (0..WRITERS).map(|w| format!("own-{w}.rs")).collect();
        expected.push("shared.rs".to_owned());
        assert_eq!(
            names, expected,
            "every file written, no temporary file left"
        );
        let shared = fs::read_to_string(folder.join("shared.rs")).unwrap();
        let whole = (0..WRITERS).any(|w| (0..ROUNDS).any(|r| shared == content(w, r)));
        assert!(whole, "the shared file holds one writer's whole content");
    }

    /// Issue 29, item 5: a set whose second file cannot be written (a folder in its place)
    /// leaves the first as it was, and no temporary file.
    #[test]
    fn a_set_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (alpha, beta) = (dir.path().join("alpha.json"), dir.path().join("beta.json"));
        fs::write(&alpha, "old alpha").unwrap();
        fs::create_dir(&beta).unwrap();
        let files: [(&Path, &[u8]); 2] = [(&alpha, b"new alpha"), (&beta, b"new beta")];
        let error = write_all_or_none(&files).unwrap_err();
        assert!(matches!(error, Error::SetNotWritten { ref path, .. } if *path == beta));
        let text = error.to_string();
        assert!(text.contains("no file of its set was"), "{text}");
        assert!(text.contains(&alpha.display().to_string()), "{text}");
        assert_eq!(fs::read(&alpha).unwrap(), b"old alpha");
        assert_eq!(listing(dir.path()), ["alpha.json", "beta.json"]);

        fs::remove_dir(&beta).unwrap();
        let written = write_all_or_none(&files).unwrap();
        assert_eq!(written, [Written::Updated, Written::Created]);
        assert_eq!(fs::read(&beta).unwrap(), b"new beta");
        assert_eq!(listing(dir.path()), ["alpha.json", "beta.json"]);
    }

    /// A rename that fails once every temporary file is written puts back the files renamed
    /// before it: an updated file gets its old content and mode, a created one is removed.
    #[cfg(unix)]
    #[test]
    fn a_failed_rename_puts_back_the_files_renamed_before_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        fs::write(path("updated"), "old").unwrap();
        fs::set_permissions(path("updated"), fs::Permissions::from_mode(0o640)).unwrap();
        let staged = vec![
            Staged::prepare(&path("updated"), b"new", true).unwrap(),
            Staged::prepare(&path("created"), b"new", true).unwrap(),
            Staged::prepare(&path("failing"), b"new", true).unwrap(),
        ];
        // Between the phases, a folder that is not empty takes the last file's place.
        fs::create_dir_all(path("failing/inside")).unwrap();
        let failed = commit(staged).err().unwrap();
        let error = failed.error.to_string();
        assert!(error.contains("renaming the temporary file"), "{error}");
        assert!(failed.unrestored.is_empty(), "{:?}", failed.unrestored);
        assert_eq!(fs::read(path("updated")).unwrap(), b"old");
        let mode = fs::metadata(path("updated")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(listing(dir.path()), ["failing", "updated"]);
    }

    fn listing(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn permissions_and_links_are_kept() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.rs");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.rs");
        symlink(&real, &link).unwrap();
        assert_eq!(write_if_changed(&link, b"new").unwrap(), Written::Updated);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}
