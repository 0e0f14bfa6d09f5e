//! The one place that writes output files: atomically, and only when the content changed.
//!
//! Content goes to a temporary file in the destination's folder, which is then renamed over
//! the destination, so a failure at any step leaves the previous file byte-identical, and a
//! reader never sees a half-written one.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

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
    let target = resolve_link(path);
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
    replace(path, &resolve_link(path), contents, permissions)
}

/// Writes `contents` to a temporary file beside `target`, gives it `permissions` (else the
/// temporary file's own, owner-only), then renames it over `target`. Errors name `path`.
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
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&folder).map_err(fail("creating its folder"))?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".barekey-typegen-")
        .suffix(".tmp")
        .tempfile_in(&folder)
        .map_err(|error| fail("creating a temporary file in its folder")(unnamed(error)))?;
    if let Some(permissions) = permissions {
        fs::set_permissions(temporary.path(), permissions)
            .map_err(fail("setting its permissions"))?;
    }
    temporary
        .as_file_mut()
        .write_all(contents)
        .map_err(fail("writing a temporary file"))?;
    temporary
        .as_file()
        .sync_all()
        .map_err(fail("flushing a temporary file"))?;
    temporary
        .persist(target)
        .map_err(|error| fail("renaming the temporary file over it")(unnamed(error.error)))?;
    Ok(())
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

/// The file a symbolic link points to (so the link survives), or the path itself.
fn resolve_link(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if is_link {
        if let Ok(target) = fs::read_link(path) {
            return match path.parent() {
                Some(parent) if target.is_relative() => parent.join(target),
                _ => target,
            };
        }
    }
    path.to_owned()
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
