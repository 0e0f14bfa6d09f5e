//! Writes that fail leave everything as it was: the CLI writing into an unwritable folder,
//! under a regular file used as a folder, over a folder, and onto a full disk (a file size
//! limit, so writes fail with `EFBIG` as on a full disk). Each gives one clear error naming the
//! file (a golden file, with the scratch folder shown as `<dir>`), exits 1, keeps the old file
//! byte for byte and leaves no temporary file. An update keeps the file's permissions.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_all, check_golden, root};

const OLD: &str = "// the previous module, which a failed write must keep\n";

/// An empty scratch folder, also when a failed run left a read-only folder in it.
fn scratch(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("file-safety")
        .join(name);
    if folder.exists() {
        make_writable(&folder);
    }
    common::scratch(&format!("file-safety/{name}"))
}

fn make_writable(folder: &Path) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            make_writable(&path);
        }
    }
}

/// `barekey-typegen generate` of the demo manifest into `args`, run in `dir` by `wrapper`.
fn generate(dir: &Path, wrapper: &[&str], outputs: &[&str]) -> Output {
    let binary = env!("CARGO_BIN_EXE_barekey-typegen");
    let manifest = root().join("fixtures/demo.manifest.json");
    let (program, wrapper_args) = match wrapper.split_first() {
        Some((program, rest)) => (*program, rest),
        None => (binary, &[][..]),
    };
    let mut command = Command::new(program);
    command.args(wrapper_args);
    if !wrapper.is_empty() {
        command.arg(binary);
    }
    command
        .arg("generate")
        .arg("--manifest")
        .arg(manifest)
        .args(outputs)
        .current_dir(dir)
        .env_remove("BAREKEY_MANIFEST")
        .output()
        .unwrap()
}

/// The file names in `folder`, sorted.
fn listing(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Exit 1, the error golden (scratch path as `<dir>`), the old file and folder as they were.
fn assert_failed_cleanly(
    case: &str,
    dir: &Path,
    output: &Output,
    kept: &Path,
    listing_before: &[String],
) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{case}: {stderr}");
    assert_eq!(std::fs::read_to_string(kept).unwrap(), OLD, "{case}");
    let folder = kept.parent().unwrap();
    assert_eq!(
        listing(folder),
        listing_before,
        "{case}: a temporary file was left"
    );
    let shown = stderr.replace(&dir.display().to_string(), "<dir>");
    check_golden(&format!("cli/write-error-{case}.txt"), &shown)
}

/// Whether this process runs as root, for whom folder permissions do not apply.
fn running_as_root(dir: &Path) -> bool {
    let probe = dir.join(".owner-probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(probe).unwrap();
    uid == 0
}

#[test]
fn failed_writes_leave_the_old_file_and_no_temporary_file() {
    let mut failures = Vec::new();

    // A folder the writer may not write to (as root, the CLI runs without the capabilities
    // that bypass file permissions, so they apply).
    let dir = scratch("unwritable");
    let folder = dir.join("src");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("env.rs"), OLD).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = listing(&folder);
    let wrapper: &[&str] = if running_as_root(&dir) {
        // Still root, so the checkout may be anywhere (even in an unreadable home folder).
        &["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    } else {
        &[]
    };
    let output = generate(&dir, wrapper, &["--rust", "src/env.rs"]);
    failures.extend(
        assert_failed_cleanly("unwritable", &dir, &output, &folder.join("env.rs"), &before).err(),
    );
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();

    // A regular file where a folder should be.
    let dir = scratch("file-as-folder");
    std::fs::write(dir.join("src"), OLD).unwrap();
    let before = listing(&dir);
    let output = generate(&dir, &[], &["--rust", "src/env.rs"]);
    failures.extend(
        assert_failed_cleanly("file-as-folder", &dir, &output, &dir.join("src"), &before).err(),
    );

    // A folder in place of the file.
    let dir = scratch("folder-in-place");
    std::fs::create_dir(dir.join("env.rs")).unwrap();
    std::fs::write(dir.join("env.rs/kept.txt"), OLD).unwrap();
    let before = listing(&dir.join("env.rs"));
    let output = generate(&dir, &[], &["--rust", "env.rs"]);
    let kept = dir.join("env.rs/kept.txt");
    failures.extend(assert_failed_cleanly("folder-in-place", &dir, &output, &kept, &before).err());

    // A full disk: at most 1 block per file, and SIGXFSZ ignored so the write returns EFBIG.
    let dir = scratch("full-disk");
    std::fs::write(dir.join("env.ts"), OLD).unwrap();
    let before = listing(&dir);
    let limited = ["sh", "-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\""];
    let output = generate(&dir, &limited, &["--ts", "env.ts"]);
    failures.extend(
        assert_failed_cleanly("full-disk", &dir, &output, &dir.join("env.ts"), &before).err(),
    );

    assert_all(failures);
}

#[test]
fn an_update_keeps_the_file_permissions() {
    let dir = scratch("permissions");
    for (name, mode) in [("env.rs", 0o640), ("env.ts", 0o604)] {
        let path = dir.join(name);
        std::fs::write(&path, OLD).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let output = generate(&dir, &[], &["--rust", "env.rs", "--ts", "env.ts"]);
    assert!(output.status.success(), "{output:?}");
    for (name, mode) in [("env.rs", 0o640), ("env.ts", 0o604)] {
        let path = dir.join(name);
        assert_ne!(
            std::fs::read_to_string(&path).unwrap(),
            OLD,
            "{name} was updated"
        );
        let actual = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(actual, mode, "{name}: {actual:o}");
    }
    assert_eq!(listing(&dir), ["env.rs", "env.ts"]);
}
