//! The library's fetch entry point with its inputs injected: environment, clock and retry
//! policy, as the build helper will call it.

use crate::common;

use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use barekey_typegen::fetch::{FetchOptions, fetch_manifest};
use barekey_typegen::settings::{Overrides, Settings};
use common::root;
use common::server::{Reply, Server};
use serde_json::{Value, json};

const EXPIRES_AT_MS: u64 = 1_900_000_000_000;

fn manifest_reply() -> Reply {
    let text = fs::read_to_string(root().join("fixtures/demo.manifest.json")).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["requestId"] = json!("req_1");
    Reply::json(200, &value)
}

/// Settings for `server`, resolved without the process environment.
fn settings(folder: &Path, server: &Server) -> Settings {
    let url = server.url();
    let xdg = folder.join("xdg");
    let env = move |name: &str| match name {
        "BAREKEY_API_URL" => Some(OsString::from(&url)),
        "XDG_CONFIG_HOME" => Some(xdg.clone().into_os_string()),
        _ => None,
    };
    let mut overrides = Overrides::default();
    overrides.project = Some("web-1234".to_owned());
    overrides.stage = Some("production".to_owned());
    Settings::resolve(&overrides, &env, folder).unwrap()
}

fn options(token: Option<&str>, now_ms: u64) -> FetchOptions {
    let token = token.map(OsString::from);
    let mut options = FetchOptions::default();
    options.env = Arc::new(move |name: &str| {
        (name == "BAREKEY_ACCESS_TOKEN")
            .then(|| token.clone())
            .flatten()
    });
    options.clock = Arc::new(move || SystemTime::UNIX_EPOCH + Duration::from_millis(now_ms));
    options.retry_base_delay = Duration::from_millis(1);
    options
}

fn login(folder: &Path) {
    let dir = folder.join("xdg/barekey");
    fs::create_dir_all(dir.join("credentials")).unwrap();
    fs::write(dir.join("config.json"), r#"{"activeAccountId": "acme:u1"}"#).unwrap();
    let credentials = json!({"accessToken": "bk_at_old", "refreshToken": "bk_rt_old",
        "accessTokenExpiresAtMs": EXPIRES_AT_MS, "refreshTokenExpiresAtMs": EXPIRES_AT_MS * 2});
    fs::write(
        dir.join("credentials/acme%3Au1.json"),
        credentials.to_string(),
    )
    .unwrap();
}

fn session_server() -> Server {
    Server::start(|request| match request.path() {
        "/v1/cli/token/refresh" => Reply::json(
            200,
            &json!({"accessToken": "bk_at_new", "refreshToken": "bk_rt_new"}),
        ),
        _ => manifest_reply(),
    })
}

#[test]
fn the_clock_decides_whether_the_session_is_refreshed_first() {
    for (now_ms, refreshes) in [
        (EXPIRES_AT_MS - 60_000, 0),
        (EXPIRES_AT_MS - 10_000, 1),
        (EXPIRES_AT_MS + 1, 1),
    ] {
        let folder = tempfile::tempdir().unwrap();
        login(folder.path());
        let server = session_server();
        let fetched =
            fetch_manifest(&settings(folder.path(), &server), &options(None, now_ms)).unwrap();
        assert_eq!(fetched.loaded.manifest.variables.len(), 14);
        let requests = server.requests();
        let refreshed = requests
            .iter()
            .filter(|request| request.path() == "/v1/cli/token/refresh")
            .count();
        assert_eq!(refreshed, refreshes, "at {now_ms}");
        let bearer = requests.last().unwrap().header("authorization").unwrap();
        let expected = if refreshes == 1 {
            "bk_at_new"
        } else {
            "bk_at_old"
        };
        assert_eq!(bearer, format!("Bearer {expected}"));
    }
}

#[test]
fn retries_back_off_without_retry_after_and_stop_at_the_configured_count() {
    let unavailable = Reply::error(503, "BILLING_UNAVAILABLE", "down");
    let folder = tempfile::tempdir().unwrap();

    let server = Server::replying(vec![
        unavailable.clone(),
        unavailable.clone(),
        manifest_reply(),
    ]);
    let fetched = fetch_manifest(
        &settings(folder.path(), &server),
        &options(Some("bk_at_env"), 0),
    )
    .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    // One request id for every attempt of one call, as the client (barekey-typegen-client) sends it.
    let ids: Vec<Option<&str>> = requests
        .iter()
        .map(|request| request.header("x-request-id"))
        .collect();
    assert!(ids[0].is_some_and(|id| !id.is_empty()), "{ids:?}");
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(
        fetched.snapshot,
        fs::read(root().join("fixtures/demo.manifest.json")).unwrap()
    );

    let server = Server::replying(vec![unavailable]);
    let mut few = options(Some("bk_at_env"), 0);
    few.retries = 1;
    let error = fetch_manifest(&settings(folder.path(), &server), &few).unwrap_err();
    assert_eq!(server.requests().len(), 2);
    let message = format!("{error:?}");
    assert!(message.contains("BILLING_UNAVAILABLE"), "{message}");
    assert!(message.contains("gave up after 2 attempts"), "{message}");
    assert!(!message.contains("bk_at_env"), "{message}");
    assert!(!format!("{few:?}").contains("bk_at_env"));
}

#[test]
fn a_session_whose_refresh_token_expired_asks_to_log_in_again_without_a_request() {
    let folder = tempfile::tempdir().unwrap();
    login(folder.path());
    let server = session_server();
    let error = fetch_manifest(
        &settings(folder.path(), &server),
        &options(None, EXPIRES_AT_MS * 2 + 1),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("has ended (its refresh token has expired)"),
        "{error}"
    );
    assert!(
        error.contains("log in again with the Barekey CLI"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

/// Issue 29, item 5, for every caller of the fetch (the build helper's included): a reply for
/// another stage or project is refused, naming both; one for another organisation only when
/// one was asked for; a reply without those keys (an older server) claims nothing.
#[test]
fn a_reply_for_another_stage_or_project_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let reply = |changes: &[(&str, Value)]| {
        let text = fs::read_to_string(root().join("fixtures/demo.manifest.json")).unwrap();
        let mut value: Value = serde_json::from_str(&text).unwrap();
        for (key, changed) in changes {
            match changed {
                Value::Null => drop(value.as_object_mut().unwrap().remove(*key)),
                _ => value[*key] = changed.clone(),
            }
        }
        Reply::json(200, &value)
    };
    let fetch = |reply: Reply| {
        let server = Server::replying(vec![reply]);
        fetch_manifest(
            &settings(folder.path(), &server),
            &options(Some("bk_at_env"), 0),
        )
        .map(drop)
        .map_err(|error| error.to_string())
    };
    for (key, what) in [("stageSlug", "stage"), ("projectSlug", "project")] {
        let error = fetch(reply(&[(key, json!("evil"))])).unwrap_err();
        let (asked, answered) = match what {
            "stage" => (r#"stage "production" (from --stage)"#, r#"stage "evil""#),
            _ => (
                r#"project "web-1234" (from --project)"#,
                r#"project "evil""#,
            ),
        };
        assert!(
            error.contains(&format!(
                "answered with the manifest of {answered}, but asked for {asked}"
            )),
            "{error}"
        );
    }
    // No organisation was asked for: the token's, whichever it is.
    fetch(reply(&[("orgSlug", json!("other"))])).unwrap();
    let older = [
        ("orgSlug", Value::Null),
        ("projectSlug", Value::Null),
        ("stageSlug", Value::Null),
    ];
    fetch(reply(&older)).unwrap();
}
