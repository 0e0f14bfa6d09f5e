//! Token hygiene: plant a token where the tools could pick it up, then look for it everywhere
//! they write. Every front-end's test (CLI, build helper, and later `pull` and the macro)
//! plants the same way and scans with the same function.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The access token planted in `BAREKEY_ACCESS_TOKEN` and in the Barekey CLI session.
pub(crate) const PLANTED_TOKEN: &str = "bk_at_PLANTED-access-token-5c1d9e";

/// The refresh token planted in the Barekey CLI session.
pub(crate) const PLANTED_REFRESH_TOKEN: &str = "bk_rt_PLANTED-refresh-token-77b0a4";

/// The environment that plants both tokens: `BAREKEY_ACCESS_TOKEN`, and a logged-in Barekey
/// CLI session (BAREKEY.md §4) written under `config_home`, which becomes `XDG_CONFIG_HOME`
/// (`HOME` stays: Cargo and rustup live there). Keep `config_home` out of the folders you
/// scan: it holds the tokens on purpose.
pub(crate) fn planted_env(config_home: &Path) -> Vec<(OsString, OsString)> {
    let barekey = config_home.join("barekey");
    std::fs::create_dir_all(barekey.join("credentials")).unwrap();
    let account = "acme-42:user_2x";
    let config = serde_json::json!({ "baseUrl": "http://127.0.0.1:9", "activeAccountId": account });
    std::fs::write(barekey.join("config.json"), config.to_string()).unwrap();
    let credentials = serde_json::json!({
        "accessToken": PLANTED_TOKEN, "refreshToken": PLANTED_REFRESH_TOKEN,
        "accessTokenExpiresAtMs": 4_102_444_800_000_i64,
        "refreshTokenExpiresAtMs": 4_102_444_800_000_i64,
        "clerkUserId": "user_2x", "orgId": "org_2ab", "orgSlug": "acme-42",
    });
    let file = barekey.join("credentials/acme-42%3Auser_2x.json");
    std::fs::write(file, credentials.to_string()).unwrap();
    [
        ("BAREKEY_ACCESS_TOKEN", PLANTED_TOKEN.as_ref()),
        ("XDG_CONFIG_HOME", config_home.as_os_str()),
    ]
    .into_iter()
    .map(|(name, value)| (OsString::from(name), value.to_owned()))
    .collect()
}

/// Where a planted token shows up in `text`, if anywhere.
pub(crate) fn token_in(text: &str) -> Option<&'static str> {
    [PLANTED_TOKEN, PLANTED_REFRESH_TOKEN]
        .into_iter()
        .find(|token| text.contains(token))
}

/// Fails, naming the command, when a planted token is in its stdout or stderr, or when it
/// panicked (a panic message is output too, and the next one might hold the token).
pub(crate) fn assert_clean_output(label: &str, output: &Output) {
    for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            token_in(&text).is_none(),
            "{label}: the token leaked into {stream}:\n{text}"
        );
        assert!(!text.contains("panicked"), "{label}: panicked:\n{text}");
    }
}

/// Fails when any file under `folders` holds a planted token.
pub(crate) fn assert_clean_files(folders: &[&Path]) {
    for folder in folders {
        let leaks = files_containing(folder, &[PLANTED_TOKEN, PLANTED_REFRESH_TOKEN]);
        assert!(leaks.is_empty(), "a token leaked into {leaks:?}");
    }
}

/// Every file under `folder` whose bytes contain one of `needles` (ASCII), each file read once:
/// the shared scratch target is more than a GiB.
///
/// Other tests may be building in the same target folder meanwhile (one test process, one
/// scratch target): a file or folder Cargo removes during the scan was not a leak.
pub(crate) fn files_containing(folder: &Path, needles: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(folder) = pending.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            entries => entries.unwrap(),
        };
        for entry in entries {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read(&path)
                // Lossy text keeps ASCII intact, and `str::contains` is fast even in debug.
                .map(|bytes| {
                    let text = String::from_utf8_lossy(&bytes);
                    needles.iter().any(|needle| text.contains(needle))
                })
                .unwrap_or(false)
            {
                found.push(path);
            }
        }
    }
    found
}
