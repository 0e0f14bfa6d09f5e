//! The temporary files a write puts beside its destinations: each created already locked
//! (against the sweep of other runs), registered while it exists (for a binary's signal
//! handler), and the sweep of those a killed run left behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::trust;

/// The temporary files' names: `.barekey-typegen-<random>.tmp`, beside the file they replace.
const TEMPORARY_PREFIX: &str = ".barekey-typegen-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// The temporary files this process is writing now: what a signal must not leave behind.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry of temporary files, held: no rename starts and no signal handler removes a
/// file while it lives.
pub(super) type Held = MutexGuard<'static, Vec<PathBuf>>;

/// What failed, for [`crate::Error::Write`]: the step and its cause.
pub(super) type Failed = (&'static str, io::Error);

/// A locked temporary file in a destination's folder, registered while it exists; removed when
/// dropped, unless renamed over its destination.
pub(super) struct Temporary {
    file: tempfile::NamedTempFile,
    registered: Registered,
}

impl Temporary {
    /// Creates a temporary file in `folder` (after sweeping the folder's abandoned ones), locks
    /// it, fills it with `fill`, gives it `permissions` (else the mode a new file gets under the
    /// umask) and flushes it to disk.
    pub(super) fn create(
        folder: &Path,
        permissions: Option<fs::Permissions>,
        fill: &mut dyn FnMut(&mut fs::File) -> Result<(), Failed>,
    ) -> Result<Temporary, Failed> {
        remove_abandoned(folder);
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
        // The kernel applies the umask to this mode, as it does for `cargo` and `git`.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        // Created and locked under the folder's shared lock, so no sweep of another run sees it
        // unlocked in between and takes it for abandoned ([`FolderLock`]).
        let creating = FolderLock::shared(folder);
        let file = builder
            .tempfile_in(folder)
            .map_err(|error| ("creating a temporary file in its folder", unnamed(error)))?;
        let mut temporary = Temporary {
            registered: Registered::new(file.path()),
            file,
        };
        // Locked while it exists, so another run never mistakes it for a leftover; the lock
        // goes with the process, so a killed run's file is recognisable as abandoned.
        lock(temporary.file.as_file(), false)
            .map_err(|error| ("locking a temporary file", error))?;
        drop(creating);
        if let Some(permissions) = permissions {
            fs::set_permissions(temporary.file.path(), permissions)
                .map_err(|error| ("setting its permissions", error))?;
        }
        fill(temporary.file.as_file_mut())?;
        temporary
            .file
            .as_file()
            .sync_all()
            .map_err(|error| ("flushing a temporary file", error))?;
        Ok(temporary)
    }

    /// Renames it over `target`, while `held`; it is gone either way.
    pub(super) fn persist(self, target: &Path, held: &mut Held) -> io::Result<()> {
        let Temporary { file, registered } = self;
        let renamed = file.persist(target).map(drop).map_err(|error| {
            let (error, file) = (error.error, error.file);
            drop(file);
            unnamed(error)
        });
        registered.forget(held);
        renamed
    }

    /// Removes it, while `held` (its registration cannot be dropped then: that takes the
    /// registry).
    pub(super) fn discard(self, held: &mut Held) {
        let Temporary { file, registered } = self;
        drop(file);
        registered.forget(held);
    }
}

/// Takes the registry of temporary files: while it is held, no other thread's rename starts and
/// no signal handler removes a file.
pub(super) fn hold() -> Held {
    // A panic while the list was held cannot leave it inconsistent: each step is one call.
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A temporary file's path in [`IN_FLIGHT`] while it exists; removed from it on drop.
struct Registered(PathBuf);

impl Registered {
    fn new(path: &Path) -> Registered {
        hold().push(path.to_owned());
        Registered(path.to_owned())
    }

    /// Drops the entry while the registry is already held.
    fn forget(self, held: &mut Held) {
        held.retain(|path| *path != self.0);
        std::mem::forget(self);
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        hold().retain(|path| *path != self.0);
    }
}

/// Removes the temporary files this process is writing now, and holds the registry for as long
/// as the returned guard lives, so no rename starts meanwhile: for a binary's signal handler,
/// which keeps the guard until the process exits.
pub fn remove_in_flight() -> WritesHeld {
    let held = hold();
    for path in held.iter() {
        let _ = fs::remove_file(path);
    }
    WritesHeld(held)
}

/// While it lives, no write of this process renames a temporary file over its destination
/// ([`remove_in_flight`]).
#[must_use = "writes resume as soon as it is dropped"]
#[derive(Debug)]
pub struct WritesHeld(#[allow(dead_code, reason = "held for its lock")] Held);

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
