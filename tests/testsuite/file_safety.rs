//! Writes that fail leave everything as it was: the CLI writing into an unwritable folder,
//! under a regular file used as a folder, over a folder, and onto a full disk (a file size
//! limit, so writes fail with `EFBIG` as on a full disk). Each gives one clear error naming the
//! file (a golden file, with the scratch folder shown as `<dir>`), exits 1, keeps the old file
//! byte for byte and leaves no temporary file. An update keeps the file's permissions.
#![cfg(unix)]

use crate::common;

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

/// `generate` run by `sh -c` with `setup` first (a umask, a file-size limit), in `dir`.
fn generate_in_shell(dir: &Path, setup: &str, outputs: &[&str]) -> Output {
    let script = format!("{setup}; exec \"$0\" \"$@\"");
    generate(dir, &["sh", "-c", &script], outputs)
}

#[test]
fn new_files_follow_the_umask() {
    let dir = scratch("umask");
    for (umask, mode) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let name = format!("env-{umask}.rs");
        let output = generate_in_shell(&dir, &format!("umask {umask}"), &["--rust", &name]);
        assert!(output.status.success(), "{output:?}");
        let actual = std::fs::metadata(dir.join(&name)).unwrap().mode() & 0o777;
        assert_eq!(actual, mode, "umask {umask}: {actual:o}");
    }
}

#[test]
fn a_file_size_limit_is_a_clear_error_not_a_killed_process() {
    // No `trap '' XFSZ` this time: the CLI itself must keep SIGXFSZ from killing it (exit 153).
    let dir = scratch("file-size-limit");
    std::fs::write(dir.join("env.ts"), OLD).unwrap();
    let before = listing(&dir);
    let output = generate_in_shell(&dir, "ulimit -f 1", &["--ts", "env.ts"]);
    let kept = dir.join("env.ts");
    assert_failed_cleanly("file-size-limit", &dir, &output, &kept, &before).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ulimit -f"), "{stderr}");
}

#[test]
fn a_chain_of_links_is_followed_to_the_real_file() {
    let dir = scratch("link-chain");
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/env.rs"), OLD).unwrap();
    std::os::unix::fs::symlink("real/env.rs", dir.join("middle.rs")).unwrap();
    std::os::unix::fs::symlink("middle.rs", dir.join("env.rs")).unwrap();
    let output = generate(&dir, &[], &["--rust", "env.rs"]);
    assert!(output.status.success(), "{output:?}");
    for link in ["env.rs", "middle.rs"] {
        let meta = std::fs::symlink_metadata(dir.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} was replaced");
    }
    let written = std::fs::read_to_string(dir.join("real/env.rs")).unwrap();
    assert!(written.contains("pub struct BarekeyEnv"), "{written}");

    // A loop is an error naming the file, not a hang.
    std::os::unix::fs::symlink("loop-b.rs", dir.join("loop-a.rs")).unwrap();
    std::os::unix::fs::symlink("loop-a.rs", dir.join("loop-b.rs")).unwrap();
    let output = generate(&dir, &[], &["--rust", "loop-a.rs"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("loop-a.rs") && stderr.contains("links"),
        "{stderr}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "test-seams"),
    ignore = "needs the feature test-seams, which the test command turns on"
)]
fn an_output_naming_the_manifest_or_the_other_output_is_a_usage_error() {
    let dir = scratch("clash");
    let manifest = dir.join("barekey.manifest.json");
    let original = std::fs::read(root().join("fixtures/demo.manifest.json")).unwrap();
    std::fs::write(&manifest, &original).unwrap();
    // What a relative BAREKEY_MANIFEST is relative to.
    std::fs::write(dir.join("barekey.json"), "{}").unwrap();
    std::os::unix::fs::symlink("barekey.manifest.json", dir.join("link.rs")).unwrap();
    let binary = env!("CARGO_BIN_EXE_barekey-typegen");
    let cases: [(&str, &[&str], Option<&str>); 5] = [
        (
            "--rust names it",
            &["--rust", "barekey.manifest.json"],
            None,
        ),
        ("--ts names it", &["--ts", "./barekey.manifest.json"], None),
        ("through a link", &["--rust", "link.rs"], None),
        (
            "through BAREKEY_MANIFEST",
            &["--ts", "barekey.manifest.json"],
            Some("barekey.manifest.json"),
        ),
        (
            "both outputs",
            &["--rust", "env.txt", "--ts", "./env.txt"],
            None,
        ),
    ];
    for (case, args, from_env) in cases {
        let mut command = Command::new(binary);
        command
            .arg("generate")
            .current_dir(&dir)
            .env_remove("BAREKEY_MANIFEST");
        match from_env {
            Some(path) => command.env("BAREKEY_MANIFEST", path),
            None => command.arg("--manifest").arg(&manifest),
        };
        let output = command.args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        assert!(
            stderr.contains("give each output its own file"),
            "{case}: {stderr}"
        );
        assert_eq!(std::fs::read(&manifest).unwrap(), original, "{case}");
        assert!(
            !dir.join("env.txt").exists(),
            "{case}: an output was written"
        );
    }
    let shown = {
        let output = Command::new(binary)
            .args([
                "generate",
                "--manifest",
                "barekey.manifest.json",
                "--rust",
                "link.rs",
            ])
            .current_dir(&dir)
            .env_remove("BAREKEY_MANIFEST")
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    check_golden("cli/output-clash.txt", &shown).unwrap();
}

/// A `generate` that pauses `millis` between writing its temporary file and renaming it.
fn slow_generate(dir: &Path, millis: u32) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_barekey-typegen"))
        .arg("generate")
        .arg("--manifest")
        .arg(root().join("fixtures/demo.manifest.json"))
        .args(["--rust", "env.rs"])
        .current_dir(dir)
        .env_remove("BAREKEY_MANIFEST")
        .env("__BAREKEY_TYPEGEN_TEST_SLOW_WRITE", millis.to_string())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// The temporary files in `dir`.
fn temporary_files(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|name| name.starts_with(".barekey-typegen-"))
        .collect()
}

/// Waits until `dir` holds a temporary file (the write is under way); panics after a minute.
fn wait_for_temporary_file(dir: &Path) {
    for _ in 0..6000 {
        if !temporary_files(dir).is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("no temporary file appeared in {}", dir.display());
}

#[test]
#[cfg_attr(
    not(feature = "test-seams"),
    ignore = "needs the feature test-seams, which the test command turns on"
)]
fn an_interrupted_write_leaves_the_old_file_and_no_temporary_file() {
    for (signal, status) in [("INT", 130), ("TERM", 143)] {
        let dir = scratch(&format!("signal-{signal}"));
        std::fs::write(dir.join("env.rs"), OLD).unwrap();
        let child = slow_generate(&dir, 60_000);
        wait_for_temporary_file(&dir);
        let killed = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(status),
            "SIG{signal}: {output:?}"
        );
        assert_eq!(std::fs::read_to_string(dir.join("env.rs")).unwrap(), OLD);
        assert_eq!(
            listing(&dir),
            ["env.rs"],
            "SIG{signal} left a temporary file"
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "test-seams"),
    ignore = "needs the feature test-seams, which the test command turns on"
)]
fn the_next_write_removes_what_a_killed_run_left_but_not_a_file_in_use() {
    use std::os::unix::process::ExitStatusExt as _;
    let dir = scratch("sigkill");
    std::fs::write(dir.join("env.rs"), OLD).unwrap();
    let mut child = slow_generate(&dir, 60_000);
    wait_for_temporary_file(&dir);
    child.kill().unwrap();
    assert_eq!(child.wait().unwrap().signal(), Some(9));
    let leftovers = temporary_files(&dir);
    assert_eq!(leftovers.len(), 1, "SIGKILL leaves its temporary file");

    // A temporary file another run is writing now (it holds the lock) stays.
    let busy_path = dir.join(".barekey-typegen-busy.tmp");
    let busy = std::fs::File::create(&busy_path).unwrap();
    let locked = Command::new("flock")
        .arg("--exclusive")
        .arg(&busy_path)
        .args(["sleep", "600"])
        .spawn()
        .unwrap();
    wait_until_locked(&busy_path);

    let output = generate(&dir, &[], &["--rust", "env.rs"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        temporary_files(&dir),
        [".barekey-typegen-busy.tmp"],
        "the abandoned file is removed, the locked one kept"
    );
    drop(busy);
    stop(locked);
}

fn stop(mut child: std::process::Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Waits until another process holds `path`'s lock (`flock --nonblock` then fails).
fn wait_until_locked(path: &Path) {
    for _ in 0..6000 {
        let free = Command::new("flock")
            .args(["--nonblock", "--exclusive"])
            .arg(path)
            .arg("true")
            .status()
            .unwrap()
            .success();
        if !free {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{} was never locked", path.display());
}

/// The shared-folder attack, as two users (root arranges it): another user (uid 65534) puts a
/// `barekey.json` and a `barekey.manifest.json` link to the victim's private file in a shared
/// folder. `pull` in a subfolder must refuse them, naming the file and its owner, and leave
/// the victim's file alone; `generate` and `check` refuse the planted snapshot the same way.
#[test]
fn files_another_user_planted_in_a_shared_folder_are_refused() {
    let dir = scratch("shared-folder");
    let me = std::fs::metadata(&dir).unwrap().uid();
    assert_eq!(
        me, 0,
        "this test plays two users, which needs root (CI runs the tests as root)"
    );
    let shared = dir.join("tmp");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let private = dir.join("victim-secret.txt");
    std::fs::write(&private, "the victim's private file\n").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let planted_json = shared.join("barekey.json");
    std::fs::write(&planted_json, r#"{"project": "theirs", "stage": "theirs"}"#).unwrap();
    let planted_link = shared.join("barekey.manifest.json");
    std::os::unix::fs::symlink(&private, &planted_link).unwrap();
    const OTHER: u32 = 65534;
    std::os::unix::fs::lchown(&planted_json, Some(OTHER), Some(OTHER)).unwrap();
    std::os::unix::fs::lchown(&planted_link, Some(OTHER), Some(OTHER)).unwrap();
    let work = shared.join("victim-work");
    std::fs::create_dir(&work).unwrap();

    let binary = env!("CARGO_BIN_EXE_barekey-typegen");
    let run = |args: &[&str]| {
        Command::new(binary)
            .args(args)
            .current_dir(&work)
            .env_remove("BAREKEY_MANIFEST")
            .env_remove("BAREKEY_SAFE_DIRECTORIES")
            .env_remove("BAREKEY_PROJECT")
            .env_remove("BAREKEY_STAGE")
            .env("BAREKEY_ACCESS_TOKEN", "bk_at_victim")
            .env("BAREKEY_API_URL", "http://127.0.0.1:9")
            .output()
            .unwrap()
    };
    let mut failures = Vec::new();
    for (case, args) in [
        ("pull", &["pull"][..]),
        ("generate", &["generate", "--rust", "-"][..]),
        ("check", &["check", "--rust", "env.rs"][..]),
    ] {
        let output = run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{case}: {stderr}");
        assert!(
            stderr.contains("belongs to another user (uid 65534)")
                && stderr.contains("BAREKEY_SAFE_DIRECTORIES"),
            "{case}: {stderr}"
        );
        let shown = stderr.replace(&dir.display().to_string(), "<dir>");
        failures.extend(check_golden(&format!("cli/untrusted-{case}.txt"), &shown).err());
        assert_eq!(
            std::fs::read_to_string(&private).unwrap(),
            "the victim's private file\n",
            "{case}"
        );
    }
    assert_all(failures);

    // Trusted on purpose, the folder's files are used (generate reads the planted snapshot,
    // which is the victim's text file here, and says it is no manifest).
    let output = Command::new(binary)
        .args(["generate", "--rust", "-"])
        .current_dir(&work)
        .env_remove("BAREKEY_MANIFEST")
        .env("BAREKEY_SAFE_DIRECTORIES", &shared)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("another user"), "{stderr}");
}
