//! Paths as the file system resolves them: where a path's folder is, whether two paths name
//! one file, and the file at the end of a chain of symbolic links.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Error, Result, trust};

/// How many symbolic links a path may go through, as Linux's `MAXSYMLINKS`.
pub const MAX_LINKS: usize = 40;

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
pub fn resolve_links(path: &Path) -> Result<PathBuf> {
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
