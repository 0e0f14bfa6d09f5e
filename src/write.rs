//! The one place that writes output files: atomically, and only when the content changed.
//!
//! Content goes to a temporary file in the destination's folder, which is then renamed over
//! the destination, so a failure at any step leaves the previous file byte-identical, and a
//! reader never sees a half-written one.
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

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::{Error, Result, trust};

/// The temporary files' names: `.barekey-typegen-<random>.tmp`, beside the file they replace.
const TEMPORARY_PREFIX: &str = ".barekey-typegen-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// How many symbolic links a path may go through, as Linux's `MAXSYMLINKS`.
const MAX_LINKS: usize = 40;

/// The temporary files this process is writing now: what a signal must not leave behind.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

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
    let target = resolve_links(path)?;
    let fail = |what: &'static str| {
        move |source: io::Error| Error::Write {
            path: path.to_owned(),
            what,
            source,
        }
    };
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            return Err(fail("a folder is in its place")(io::Error::from(
                io::ErrorKind::IsADirectory,
            )));
        }
        // A device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO): renaming over it would
        // replace it with a regular file, and reading it first could block, so write in place.
        Ok(meta) if !meta.is_file() => {
            fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .and_then(|mut file| file.write_all(contents))
                .map_err(fail("writing to it (a device or pipe, so in place)"))?;
            return Ok(Written::Updated);
        }
        _ => {}
    }
    // A byte past `contents` is enough to know it differs; a huge file is not read whole.
    let existing = match crate::limit::read_prefix(&target, contents.len()) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(error) if error.kind() == io::ErrorKind::NotADirectory => {
            return Err(fail("a file is in place of one of its folders")(error));
        }
        Err(error) => return Err(fail("reading the existing file")(error)),
    };
    if existing.as_deref() == Some(contents) {
        return Ok(Written::Unchanged);
    }
    let permissions = match existing {
        Some(_) => Some(
            fs::metadata(&target)
                .map_err(fail("reading its permissions"))?
                .permissions(),
        ),
        None => None,
    };
    replace(path, &target, contents, permissions)?;
    Ok(if existing.is_some() {
        Written::Updated
    } else {
        Written::Created
    })
}

/// Replaces `path` atomically with `contents`, readable and writable by its owner alone
/// (mode 0600 on Unix), whatever its permissions were: for credentials. Creates missing parent
/// folders; a symbolic link is followed, not replaced.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    #[cfg(unix)]
    let permissions = Some(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    #[cfg(not(unix))]
    let permissions = None;
    replace(path, &resolve_links(path)?, contents, permissions)
}

/// Writes `contents` to a temporary file beside `target`, gives it `permissions` (else the
/// mode a new file gets under the umask), then renames it over `target`. Errors name `path`.
fn replace(
    path: &Path,
    target: &Path,
    contents: &[u8],
    permissions: Option<fs::Permissions>,
) -> Result<()> {
    let fail = |what: &'static str| {
        move |source: io::Error| Error::Write {
            path: path.to_owned(),
            what,
            source,
        }
    };
    let folder = folder_of(target);
    fs::create_dir_all(&folder).map_err(fail("creating its folder"))?;
    remove_abandoned(&folder);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    // The kernel applies the umask to this mode, as it does for `cargo` and `git`.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Created and locked under the folder's shared lock, so no sweep of another run sees it
    // unlocked in between and takes it for abandoned ([`FolderLock`]).
    let creating = FolderLock::shared(&folder);
    let mut temporary = builder
        .tempfile_in(&folder)
        .map_err(|error| fail("creating a temporary file in its folder")(unnamed(error)))?;
    let registered = Registered::new(temporary.path());
    // Locked while written, so another run never mistakes it for a leftover; the lock goes
    // with the process, so a killed run's file is recognisable as abandoned.
    lock(temporary.as_file(), false).map_err(fail("locking a temporary file"))?;
    drop(creating);
    if let Some(permissions) = permissions {
        fs::set_permissions(temporary.path(), permissions)
            .map_err(fail("setting its permissions"))?;
    }
    temporary
        .as_file_mut()
        .write_all(contents)
        .map_err(|error| fail(writing(&error))(error))?;
    temporary
        .as_file()
        .sync_all()
        .map_err(fail("flushing a temporary file"))?;
    pause_for_tests();
    // Renamed under the registry's lock: a signal handler waits for the rename to finish
    // instead of deleting the file under it.
    let in_flight = in_flight();
    temporary
        .persist(target)
        .map_err(|error| fail("renaming the temporary file over it")(unnamed(error.error)))?;
    registered.forget(in_flight);
    Ok(())
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

/// Waits `__BAREKEY_TYPEGEN_TEST_SLOW_WRITE` milliseconds, when set: the tests' window to
/// interrupt a write (tests/file_safety.rs).
fn pause_for_tests() {
    let pause = crate::env::var_os(crate::env::TEST_SLOW_WRITE)
        .and_then(|value| value.to_str()?.parse::<u64>().ok());
    if let Some(millis) = pause {
        std::thread::sleep(std::time::Duration::from_millis(millis));
    }
}

/// A temporary file's path in [`IN_FLIGHT`] while it exists; removed from it on drop.
struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Registered {
        in_flight().push(path.to_owned());
        Registered(path.to_owned())
    }

    /// Drops the entry while `in_flight` is already held.
    fn forget(self, mut in_flight: MutexGuard<'_, Vec<PathBuf>>) {
        in_flight.retain(|path| *path != self.0);
        std::mem::forget(self);
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        in_flight().retain(|path| *path != self.0);
    }
}

fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while the list was held cannot leave it inconsistent: each step is one call.
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes the temporary files this process is writing now, and holds the registry for as long
/// as the returned guard lives, so no rename starts meanwhile: for a binary's signal handler,
/// which keeps the guard until the process exits.
pub fn remove_in_flight() -> WritesHeld {
    let in_flight = in_flight();
    for path in in_flight.iter() {
        let _ = fs::remove_file(path);
    }
    WritesHeld(in_flight)
}

/// While it lives, no write of this process renames a temporary file over its destination
/// ([`remove_in_flight`]).
#[must_use = "writes resume as soon as it is dropped"]
#[derive(Debug)]
pub struct WritesHeld(
    #[allow(dead_code, reason = "held for its lock")] MutexGuard<'static, Vec<PathBuf>>,
);

/// Removes `folder`'s `.barekey-typegen-*.tmp` files that nobody holds locked: leftovers of
/// a run that was killed while writing (SIGKILL gives it no chance to clean up). A file that
/// cannot be opened or locked, or that belongs to another user, is left alone. Runs only
/// while it holds the folder's lock exclusively, so no other run is between creating a
/// temporary file and locking it; when another run holds it, the sweep waits for a later
/// write.
fn remove_abandoned(folder: &Path) {
    let Some(_sweeping) = FolderLock::exclusive(folder) else {
        return;
    };
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let is_ours = fs::symlink_metadata(&path).is_ok_and(|meta| {
            meta.is_file() && trust::check_owner(&path, &meta, "temporary file").is_ok()
        });
        if !is_ours {
            continue;
        }
        let abandoned = fs::File::open(&path).is_ok_and(|file| lock(&file, true).is_ok());
        if abandoned {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The advisory lock on a folder itself (`flock` on the folder), which orders creating a
/// temporary file against the sweep of leftovers. A new temporary file is unlocked for a moment
/// after it is created, and the sweep takes an unlocked one for abandoned: so a writer holds
/// the folder's lock shared from creating its temporary file until that file is locked, and the
/// sweep holds it exclusively. Writers never wait for each other; a sweep never waits at all.
/// No file is added to the folder. The lock ends with the process, however it ends.
struct FolderLock(#[allow(dead_code, reason = "held for its lock")] Option<fs::File>);

impl FolderLock {
    /// The shared lock, waiting for a sweep under way to finish. When the folder cannot be
    /// opened (a folder its owner may write but not list) or locked (a file system without
    /// `flock`), none is held: no sweep can hold it exclusively there either, as it must to
    /// remove anything.
    fn shared(folder: &Path) -> FolderLock {
        FolderLock(Self::take(folder, false))
    }

    /// The exclusive lock if no other run holds the folder's lock now, else `None`.
    fn exclusive(folder: &Path) -> Option<FolderLock> {
        Self::take(folder, true).map(|file| FolderLock(Some(file)))
    }

    #[cfg(unix)]
    fn take(folder: &Path, exclusive: bool) -> Option<fs::File> {
        use rustix::fs::{FlockOperation, flock};
        let operation = if exclusive {
            FlockOperation::NonBlockingLockExclusive
        } else {
            FlockOperation::LockShared
        };
        let file = fs::File::open(folder).ok()?;
        loop {
            match flock(&file, operation) {
                Ok(()) => return Some(file),
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return None,
            }
        }
    }

    /// Elsewhere no sweep removes anything ([`lock`]), so there is nothing to order.
    #[cfg(not(unix))]
    fn take(_folder: &Path, _exclusive: bool) -> Option<fs::File> {
        None
    }
}

/// Takes the exclusive advisory lock on `file` (`flock`), failing at once when `try` and
/// another process holds it. The lock ends with the process, however it ends. (std's
/// `File::lock` needs Rust 1.89; this crate supports 1.85.)
#[cfg(unix)]
fn lock(file: &fs::File, try_: bool) -> io::Result<()> {
    use rustix::fs::{FlockOperation, flock};
    let operation = if try_ {
        FlockOperation::NonBlockingLockExclusive
    } else {
        FlockOperation::LockExclusive
    };
    flock(file, operation).map_err(io::Error::from)
}

/// Elsewhere no lock is taken, so no leftover is ever taken for abandoned.
#[cfg(not(unix))]
fn lock(_file: &fs::File, try_: bool) -> io::Result<()> {
    if try_ {
        Err(io::Error::from(io::ErrorKind::WouldBlock))
    } else {
        Ok(())
    }
}

/// The error without the temporary file's random name, which tempfile appends (`... at path
/// "/dir/.barekey-typegen-x1y2z3.tmp"`): the user never asked for that file, it is gone, and
/// the message must be the same on every run.
fn unnamed(error: io::Error) -> io::Error {
    let text = error.to_string();
    match text.rsplit_once(" at path \"") {
        Some((cause, _)) => io::Error::new(error.kind(), cause),
        None => error,
    }
}

/// Whether `a` and `b` name the same file once every symbolic link and `..` is resolved (the
/// files need not exist; their folders are compared then). `-` (stdout) is no file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let stdout = Path::new("-");
    a != stdout && b != stdout && identity(a) == identity(b)
}

/// `path` with its links and `..` resolved as far as the file system allows.
fn identity(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    let path = resolve_links(path).unwrap_or_else(|_| path.to_owned());
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            fs::canonicalize(parent)
                .map(|folder| folder.join(name))
                .unwrap_or(path)
        }
        _ => path,
    }
}

/// The file at the end of `path`'s chain of symbolic links (so every link survives), or the
/// path itself. A link that belongs to another user is refused, as is a chain longer than
/// [`MAX_LINKS`] (a loop).
fn resolve_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => meta,
            _ => return Ok(current),
        };
        trust::check_owner(&current, &meta, "symbolic link")?;
        let next = fs::read_link(&current).map_err(|source| Error::Write {
            path: path.to_owned(),
            what: "reading the symbolic link on its way",
            source,
        })?;
        current = match current.parent() {
            Some(parent) if next.is_relative() => parent.join(next),
            _ => next,
        };
    }
    Err(Error::Write {
        path: path.to_owned(),
        what: "following its symbolic links",
        source: io::Error::other(format!("more than {MAX_LINKS} links: a loop?")),
    })
}

/// The folder `path` is in: its parent, or `.` for a bare file name.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
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
