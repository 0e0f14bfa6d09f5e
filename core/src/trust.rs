//! Who may decide what barekey-typegen reads and where it writes.
//!
//! A file found by walking up from the working folder (`barekey.json`, a snapshot) and a
//! symbolic link on the way to a file we write are trusted only when they belong to the user
//! running us or to root. Otherwise another local user could plant them in a shared folder
//! such as `/tmp`, and redirect our reads and writes (git refused the same in its repository
//! discovery, CVE-2022-24765). Folders themselves are walked through whoever owns them, so
//! `/`, `/tmp` and `/home` are passed on the way up.
//!
//! A user trusts another user's files on purpose with `BAREKEY_SAFE_DIRECTORIES`: folders
//! separated like `PATH` (a file is trusted when one of them is an ancestor of it), or `*` for
//! every folder, as git's `safe.directory`.

use std::fs::Metadata;
use std::path::{Path, PathBuf};

use crate::{Error, Result, env};

/// Ok when `path`, whose `symlink_metadata` is `meta`, belongs to us or to root, or lies in a
/// folder of `BAREKEY_SAFE_DIRECTORIES`; otherwise [`Error::Untrusted`], naming the path,
/// its owner and `what` it is (`"barekey.json"`, `"symbolic link"`, ...).
pub fn check_owner(path: &Path, meta: &Metadata, what: &'static str) -> Result<()> {
    match foreign_owner(meta) {
        Some(owner) if !is_declared_safe(path) => Err(Error::Untrusted {
            path: path.to_owned(),
            owner,
            what,
        }),
        _ => Ok(()),
    }
}

/// Ok when `path`, found on the walk up, belongs to us or to root, the link and the file it
/// ends at alike (this module): another user's file in a shared folder such as `/tmp`
/// must not decide what we read or where `pull` writes.
///
/// # Errors
///
/// [`Error::Untrusted`], naming the path, its owner and the way to trust it on purpose.
pub fn check_found(path: &Path, what: &'static str) -> Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let link = if meta.file_type().is_symlink() {
            "symbolic link"
        } else {
            what
        };
        check_owner(path, &meta, link)?;
    }
    if let Ok(meta) = std::fs::metadata(path) {
        check_owner(path, &meta, what)?;
    }
    Ok(())
}

/// The owner's user id when it is neither ours nor root's.
#[cfg(unix)]
fn foreign_owner(meta: &Metadata) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let owner = meta.uid();
    let me = rustix::process::geteuid().as_raw();
    (owner != me && owner != 0).then_some(owner)
}

#[cfg(not(unix))]
fn foreign_owner(_meta: &Metadata) -> Option<u32> {
    None
}

/// Whether `BAREKEY_SAFE_DIRECTORIES` holds `*` or a folder that is an ancestor of `path`.
fn is_declared_safe(path: &Path) -> bool {
    let Some(list) = env::var_os(env::SAFE_DIRECTORIES) else {
        return false;
    };
    let path = absolute(path);
    std::env::split_paths(&list)
        .filter(|folder| !folder.as_os_str().is_empty())
        .any(|folder| folder.as_os_str() == "*" || path.starts_with(absolute(&folder)))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn our_own_files_and_roots_are_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let meta = std::fs::symlink_metadata(dir.path()).unwrap();
        assert!(check_owner(dir.path(), &meta, "barekey.json").is_ok());
        let root = std::fs::symlink_metadata("/").unwrap();
        assert!(check_owner(Path::new("/"), &root, "folder").is_ok());
    }
}
