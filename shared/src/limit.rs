//! The one cap on what is read from a file or an HTTP reply, so that no input (`/dev/zero`, a
//! reply that never ends) can exhaust memory.

use std::fs::File;
use std::io::{self, Read as _};
use std::path::Path;

/// The most bytes barekey-typegen reads from one file (manifest, `barekey.json`, the Barekey
/// CLI's config and credentials, a generated file `check` compares) or one HTTP reply body:
/// 64 MiB. The largest real manifests are far below it: 100,000 variables take about 40 MB,
/// and so does the Rust module generated from them.
pub const MAX_READ_BYTES: usize = 64 * 1024 * 1024;

/// The cap, as messages show it.
pub const MAX_READ_SHOWN: &str = "64 MiB";

/// Reads the whole file at `path`, or fails with [`io::ErrorKind::FileTooLarge`] (a message
/// naming the cap) once it passes [`MAX_READ_BYTES`], without reading further.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    let bytes = read_prefix(path, MAX_READ_BYTES)?;
    if bytes.len() > MAX_READ_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "it holds more than {MAX_READ_SHOWN}, the most barekey-typegen reads from one \
                 file; is it the right file?"
            ),
        ));
    }
    Ok(bytes)
}

/// [`read_file`] as UTF-8 text, like [`std::fs::read_to_string`].
pub fn read_file_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_file(path)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// The first `limit + 1` bytes of the file at `path` at most: more than `limit` bytes back
/// means the file is longer than `limit`.
pub fn read_prefix(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let limit = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let file = File::open(path)?;
    // A regular file's size, so its bytes are read into one allocation of the right size; a
    // device or pipe says 0 and grows as it is read, up to the limit.
    let size = file.metadata().map_or(0, |meta| meta.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or_default());
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_past_the_cap_is_refused_after_reading_only_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b' '; MAX_READ_BYTES + 1]).unwrap();
        let error = read_file(&path).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        assert!(error.to_string().contains("64 MiB"), "{error}");
        std::fs::write(&path, vec![b' '; MAX_READ_BYTES]).unwrap();
        assert_eq!(read_file(&path).unwrap().len(), MAX_READ_BYTES);
    }

    #[test]
    fn a_prefix_is_one_byte_past_the_limit_at_most() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("text");
        std::fs::write(&path, "abcdef").unwrap();
        assert_eq!(read_prefix(&path, 3).unwrap(), b"abcd");
        assert_eq!(read_prefix(&path, 10).unwrap(), b"abcdef");
    }
}
