//! `pull`, `generate --live` and `check --remote` against a real HTTP server on 127.0.0.1:
//! request shape, settings, every fault, retries, session refresh and rotation, and that the
//! token never shows.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use assert_cmd::Command;
use common::server::{Reply, Request, Server};
use common::{assert_all, check_golden, root};
use serde_json::{Value, json};

const TOKEN: &str = "bk_at_env_token_Zq81";
const SESSION_ACCESS: &str = "bk_at_session_access_Pw3";
const SESSION_REFRESH: &str = "bk_rt_session_refresh_Kx9";
const ROTATED_ACCESS: &str = "bk_at_rotated_access_Mv2";
const ROTATED_REFRESH: &str = "bk_rt_rotated_refresh_Hj4";
const SECRETS: [&str; 5] = [
    TOKEN,
    SESSION_ACCESS,
    SESSION_REFRESH,
    ROTATED_ACCESS,
    ROTATED_REFRESH,
];
const SNAPSHOT: &str = "barekey.manifest.json";

/// A project folder with a barekey.json, an empty home and config folder, and the env of a
/// child process pointed at them (never this process's environment).
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let project = Project {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::write(
            project.path().join("barekey.json"),
            r#"{"org": "acme-42", "project": "web-1234", "environment": "production"}"#,
        )
        .unwrap();
        fs::create_dir_all(project.path().join("home")).unwrap();
        fs::create_dir_all(project.path().join("xdg")).unwrap();
        project
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn snapshot(&self) -> PathBuf {
        self.path().join(SNAPSHOT)
    }

    /// The binary, run in the project with the token in BAREKEY_ACCESS_TOKEN.
    fn bin(&self, server: &str) -> Command {
        let mut command = self.bin_without_token(server);
        command.env("BAREKEY_ACCESS_TOKEN", TOKEN);
        command
    }

    fn bin_without_token(&self, server: &str) -> Command {
        let mut command = Command::cargo_bin("barekey-typegen").unwrap();
        command.current_dir(self.path()).env("NO_COLOR", "1");
        for name in [
            "BAREKEY_MANIFEST",
            "BAREKEY_ORG",
            "BAREKEY_PROJECT",
            "BAREKEY_STAGE",
            "BAREKEY_ACCESS_TOKEN",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            command.env_remove(name);
        }
        command
            .env("HOME", self.path().join("home"))
            .env("XDG_CONFIG_HOME", self.path().join("xdg"))
            .env("BAREKEY_API_URL", server);
        command
    }

    /// A Barekey CLI session whose access token expires at `expires_ms`.
    fn login(&self, expires_ms: i64) -> PathBuf {
        let dir = self.path().join("xdg/barekey");
        fs::create_dir_all(dir.join("credentials")).unwrap();
        fs::write(
            dir.join("config.json"),
            r#"{"baseUrl": "https://ignored.example", "activeAccountId": "acme-42:user_1"}"#,
        )
        .unwrap();
        let credentials = dir.join("credentials/acme-42%3Auser_1.json");
        let document = json!({
            "accessToken": SESSION_ACCESS, "refreshToken": SESSION_REFRESH,
            "accessTokenExpiresAtMs": expires_ms, "refreshTokenExpiresAtMs": now_ms() + 86_400_000,
            "clerkUserId": "user_1", "orgId": "org_2ab", "orgSlug": "acme-42"
        });
        fs::write(&credentials, serde_json::to_vec_pretty(&document).unwrap()).unwrap();
        credentials
    }

    /// Every file in the project, for the "token never written" check (credentials aside).
    fn files_without_credentials(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut folders = vec![self.path().to_owned()];
        while let Some(folder) = folders.pop() {
            for entry in fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if !path.to_string_lossy().contains("credentials") {
                    files.push(path);
                }
            }
        }
        files
    }
}

fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// The demo manifest as the service sends it: its own order, volatile fields set.
fn live_manifest(request_id: &str, generated_at: i64) -> Value {
    let text = fs::read_to_string(root().join("fixtures/demo.manifest.json")).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["variables"].as_array_mut().unwrap().reverse();
    value["requestId"] = json!(request_id);
    value["generatedAtMs"] = json!(generated_at);
    value
}

/// The demo manifest with one variable added, one removed, one retyped, one changed in kind.
fn drifted_manifest() -> Value {
    let mut live = live_manifest("r", 1);
    let variables = live["variables"].as_array_mut().unwrap();
    variables.retain(|variable| variable["name"] != "DATABASE_URL");
    variables.push(json!({"name": "NEW_ONE", "kind": "secret", "declaredType": "boolean"}));
    for variable in variables.iter_mut() {
        match variable["name"].as_str() {
            Some("PORT") => variable["declaredType"] = json!("float"),
            Some("CHECKOUT_FLOW") => variable["kind"] = json!("rollout"),
            _ => {}
        }
    }
    live
}

fn demo_bytes() -> Vec<u8> {
    fs::read(root().join("fixtures/demo.manifest.json")).unwrap()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for secret in SECRETS {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a token was printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// Stderr with what changes between runs (the port, the temporary folder) made stable.
fn normalized(text: &str, project: &Project, server: &str) -> String {
    text.replace(server, "http://127.0.0.1:PORT")
        .replace(&project.path().display().to_string(), "<project>")
}

fn paths(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|request| request.path().to_owned())
        .collect()
}

#[test]
fn pull_sends_the_documented_request_and_writes_a_byte_stable_snapshot() {
    let counter = Mutex::new(0_i64);
    let server = Server::start(move |_| {
        let mut counter = counter.lock().unwrap();
        *counter += 1;
        Reply::json(
            200,
            &live_manifest(&format!("req_{counter}"), 1_773_400_000_000 + *counter),
        )
    });
    let project = Project::new();
    let first = run(project.bin(&server.url()).arg("pull"));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(fs::read(project.snapshot()).unwrap(), demo_bytes());
    assert_eq!(
        normalized(&first.stderr, &project, &server.url()),
        "pulled 14 variables of web-1234/production into <project>/barekey.manifest.json \
         (new snapshot)\n"
    );
    let second = run(project.bin(&server.url()).arg("pull"));
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert!(
        second.stderr.ends_with("(unchanged)\n"),
        "{}",
        second.stderr
    );
    assert_eq!(fs::read(project.snapshot()).unwrap(), demo_bytes());

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/v1/typegen/manifest");
    assert_eq!(
        request.query(),
        "projectSlug=web-1234&stageSlug=production&orgSlug=acme-42"
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("barekey-typegen/", env!("CARGO_PKG_VERSION")))
    );
    let ids: Vec<&str> = requests
        .iter()
        .map(|request| request.header("x-request-id").unwrap())
        .collect();
    assert!(ids[0].len() >= 16 && ids[0] != ids[1], "{ids:?}");
}

#[test]
fn flags_override_settings_and_query_values_are_url_encoded() {
    let mut reply = live_manifest("r", 1);
    reply["projectSlug"] = json!("web & co/ü?");
    reply["stageSlug"] = json!("from env");
    let server = Server::replying(vec![Reply::json(200, &reply)]);
    let project = Project::new();
    fs::write(
        project.path().join("barekey.json"),
        r#"{"project": "ignored", "stage": "ignored"}"#,
    )
    .unwrap();
    let out = project.path().join("nested/snap.json");
    let result = run(project
        .bin(&server.url())
        .env("BAREKEY_STAGE", "from env")
        .args(["pull", "--project", "web & co/ü?", "--out"])
        .arg(&out));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let written: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(written["projectSlug"], "web & co/ü?");
    let request = &server.requests()[0];
    // No orgSlug: none was configured, so the service takes the token's organisation.
    assert_eq!(
        request.query(),
        "projectSlug=web+%26+co%2F%C3%BC%3F&stageSlug=from+env"
    );
}

#[test]
fn pull_summarises_added_removed_and_retyped_variables() {
    let server = Server::replying(vec![Reply::json(200, &drifted_manifest())]);
    let project = Project::new();
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let result = run(project.bin(&server.url()).args(["pull", "--quiet"]));
    assert_eq!((result.code, result.stderr.as_str()), (Some(0), ""));
    let result = run(project.bin(&server.url()).arg("pull"));
    assert!(
        result.stderr.ends_with("(unchanged)\n"),
        "{}",
        result.stderr
    );
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let result = run(project.bin(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert!(
        result.stderr.ends_with(
            "(1 added, 1 removed, 1 retyped, 1 changed kind):\n  \
             - added: NEW_ONE (secret, boolean)\n  \
             - removed: DATABASE_URL (secret, string)\n  \
             - retyped: PORT (int64 -> float)\n  \
             - kind changed: CHECKOUT_FLOW (ab_roll -> rollout)\n"
        ),
        "{}",
        result.stderr
    );
}

/// The demo manifest with the arms of a private switch and of a public one renamed, a json
/// variable's shape changed and a variable made public: nothing added, removed or retyped.
fn renamed_arms_manifest() -> Value {
    let mut live = live_manifest("r", 1);
    for variable in live["variables"].as_array_mut().unwrap() {
        match variable["name"].as_str() {
            Some("CHECKOUT_FLOW") => {
                variable["valueBTypeScriptType"] = json!("\"express\"");
                variable["typeScriptType"] = json!("\"control\" | \"express\"");
            }
            Some("PRICING_EXPERIMENT") => {
                variable["valueBTypeScriptType"] = json!("7n");
                variable["typeScriptType"] = json!("1n | 7n");
            }
            Some("THEME_CONFIG") => variable["typeScriptType"] = json!("{ darkMode: string; }"),
            Some("SENTRY_DSN") => variable["visibility"] = json!("private"),
            _ => {}
        }
    }
    live
}

/// Renaming an A/B arm is the change that breaks the build: `pull`, `check --remote` and a
/// watch name the switch and what changed in it (a private switch's arms never shown).
#[test]
fn a_renamed_arm_is_named_by_pull_and_check_remote() {
    let server = Server::replying(vec![
        Reply::json(200, &renamed_arms_manifest()),
        Reply::json(200, &renamed_arms_manifest()),
    ]);
    let project = Project::new();
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let check = run(project.bin(&server.url()).args(["check", "--remote"]));
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    let pull = run(project.bin(&server.url()).arg("pull"));
    assert_eq!(pull.code, Some(0), "{}", pull.stderr);
    for text in [&check.stderr, &pull.stderr] {
        assert!(
            text.contains("arms changed: CHECKOUT_FLOW (arm B;"),
            "{text}"
        );
        assert!(!text.contains("express"), "a private arm is shown: {text}");
    }
    let mut failures = Vec::new();
    for (golden, text) in [
        ("check-remote-arms", &check.stderr),
        ("pull-arms", &pull.stderr),
    ] {
        let text = normalized(text, &project, &server.url());
        failures.extend(check_golden(&format!("live/{golden}.txt"), &text).err());
    }
    assert_all(failures);
}

/// A snapshot whose variables all match the live ones but whose version and update times
/// differ: the report says so, and names no variable.
#[test]
fn check_remote_says_what_differs_when_no_variable_does() {
    let mut live = live_manifest("r", 1);
    live["manifestVersion"] = json!("newer-version-of-the-manifest-AAAAAAAAAAAA");
    for variable in live["variables"].as_array_mut().unwrap() {
        if variable["name"] == "PORT" {
            variable["updatedAtMs"] = json!(1_773_500_000_000_i64);
        }
    }
    let server = Server::replying(vec![Reply::json(200, &live)]);
    let project = Project::new();
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let result = run(project.bin(&server.url()).args(["check", "--remote"]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &server.url());
    assert_all(
        check_golden("live/check-remote-metadata.txt", &text)
            .err()
            .into_iter()
            .collect(),
    );
}

/// Every fault: exit 1, a golden message naming the code or cause, the old snapshot intact.
#[test]
fn every_fault_exits_1_with_a_clear_message_and_leaves_the_snapshot_alone() {
    let html = "<!doctype html><html><body>Bad gateway</body></html>";
    let manifest = live_manifest("r", 1).to_string();
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let retry_now = |reply: Reply| reply.header("Retry-After", "0");
    let faults: Vec<(&str, Vec<Reply>, usize)> = vec![
        (
            "invalid-request",
            vec![Reply::error(
                400,
                "INVALID_REQUEST",
                "projectSlug is required",
            )],
            1,
        ),
        (
            "unauthorized",
            vec![Reply::error(401, "UNAUTHORIZED", "Invalid token")],
            1,
        ),
        (
            "org-scope-invalid",
            vec![Reply::error(403, "ORG_SCOPE_INVALID", "Org mismatch")],
            1,
        ),
        (
            "invalid-org-scope",
            vec![Reply::error(403, "INVALID_ORG_SCOPE", "Org mismatch")],
            1,
        ),
        (
            "manifest-not-found",
            vec![Reply::error(404, "MANIFEST_NOT_FOUND", "No such stage")],
            1,
        ),
        (
            "internal-error",
            vec![Reply::error(500, "INTERNAL_ERROR", "Oops")],
            1,
        ),
        (
            "rate-limited",
            vec![retry_now(Reply::error(429, "RATE_LIMITED", "Slow down"))],
            4,
        ),
        (
            "billing-unavailable",
            vec![retry_now(Reply::error(
                503,
                "BILLING_UNAVAILABLE",
                "Billing is down",
            ))],
            4,
        ),
        (
            "evaluation-failed",
            vec![retry_now(Reply::error(
                500,
                "EVALUATION_FAILED",
                "Try again",
            ))],
            4,
        ),
        ("html-page", vec![Reply::new(200, "text/html", html)], 1),
        (
            "html-error-page",
            vec![Reply::new(502, "text/html", html)],
            1,
        ),
        ("not-json", vec![Reply::new(200, "text/plain", "hello")], 1),
        (
            "empty-body",
            vec![Reply::new(200, "application/json", "")],
            1,
        ),
        (
            "cut-off-body",
            vec![Reply::new(200, "application/json", &manifest[..40]).cut_off(500)],
            1,
        ),
        (
            "cut-off-json",
            vec![Reply::new(200, "application/json", &manifest[..40])],
            1,
        ),
        (
            "not-an-error-body",
            vec![Reply::json(418, &json!({"teapot": true}))],
            1,
        ),
        (
            "invalid-manifest",
            vec![Reply::json(200, &json!({"variables": {"PORT": 1}}))],
            1,
        ),
        (
            "timeout",
            vec![Reply::json(200, &live_manifest("r", 1)).delayed(Duration::from_secs(4))],
            1,
        ),
    ];
    let mut failures = Vec::new();
    for (name, replies, expected_requests) in faults {
        let server = Server::replying(replies);
        let project = Project::new();
        let old = b"{\"old\": \"snapshot, kept byte for byte\"}\n";
        fs::write(project.snapshot(), old).unwrap();
        let result = run(project.bin(&server.url()).args(["pull", "--timeout", "1"]));
        if result.code != Some(1) {
            failures.push(format!("{name}: exit {:?}\n{}", result.code, result.stderr));
        }
        if fs::read(project.snapshot()).unwrap() != old {
            failures.push(format!("{name}: the old snapshot changed"));
        }
        let count = server.requests().len();
        if count != expected_requests {
            failures.push(format!(
                "{name}: {count} requests, expected {expected_requests}"
            ));
        }
        let text = normalized(&result.stderr, &project, &server.url());
        failures.extend(check_golden(&format!("live/{name}.txt"), &text).err());
    }
    // Nothing listens: the connection is refused.
    let project = Project::new();
    let url = format!("http://127.0.0.1:{closed_port}");
    let result = run(project.bin(&url).arg("pull"));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &url);
    failures.extend(check_golden("live/connection-refused.txt", &text).err());
    assert!(!project.snapshot().exists());
    assert_all(failures);
}

#[test]
fn retryable_faults_succeed_after_retrying() {
    for first in [
        Reply::error(429, "RATE_LIMITED", "Slow down").header("Retry-After", "1"),
        Reply::error(503, "BILLING_UNAVAILABLE", "Billing is down").header("Retry-After", "0"),
        Reply::error(500, "EVALUATION_FAILED", "Try again").header("Retry-After", "0"),
    ] {
        let server = Server::replying(vec![
            first.clone(),
            first,
            Reply::json(200, &live_manifest("r", 1)),
        ]);
        let project = Project::new();
        let started = Instant::now();
        let result = run(project.bin(&server.url()).arg("pull"));
        assert_eq!(result.code, Some(0), "{}", result.stderr);
        assert_eq!(server.requests().len(), 3);
        assert_eq!(fs::read(project.snapshot()).unwrap(), demo_bytes());
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

/// Prepares a project for one case and returns the command to run in it.
type Setup<'a> = dyn Fn(&Project) -> Command + 'a;

#[test]
fn configuration_faults_are_reported_before_any_request() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest("r", 1))]);
    let mut failures = Vec::new();
    let cases: [(&str, &Setup<'_>); 5] = [
        ("missing-settings", &|project| {
            fs::remove_file(project.path().join("barekey.json")).unwrap();
            project.bin(&server.url())
        }),
        ("missing-stage", &|project| {
            fs::write(project.path().join("barekey.json"), r#"{"project": "web"}"#).unwrap();
            project.bin(&server.url())
        }),
        ("empty-token", &|project| {
            let mut command = project.bin_without_token(&server.url());
            command.env("BAREKEY_ACCESS_TOKEN", "");
            command
        }),
        ("no-token", &|project| {
            project.bin_without_token(&server.url())
        }),
        // TEST-NET-1 is unroutable: a connection attempt would time out, not be refused.
        ("plain-http-elsewhere", &|project| {
            project.bin("http://192.0.2.1:8080")
        }),
    ];
    for (name, setup) in cases {
        let project = Project::new();
        let mut command = setup(&project);
        let started = Instant::now();
        let result = run(command.arg("pull"));
        if result.code != Some(1) {
            failures.push(format!("{name}: exit {:?}\n{}", result.code, result.stderr));
        }
        if started.elapsed() > Duration::from_secs(3) {
            failures.push(format!(
                "{name}: took {:?}, so it tried to connect",
                started.elapsed()
            ));
        }
        let text = normalized(&result.stderr, &project, &server.url());
        failures.extend(check_golden(&format!("live/{name}.txt"), &text).err());
        assert!(!project.snapshot().exists());
    }
    assert!(server.requests().is_empty());
    assert_all(failures);
}

/// A mock of the token service: one valid access token and one valid refresh token at a
/// time; a refresh rotates both and kills the old refresh token.
fn token_service(access_revoked: bool) -> Server {
    let access = if access_revoked {
        "revoked"
    } else {
        SESSION_ACCESS
    };
    let valid = Mutex::new((access.to_owned(), SESSION_REFRESH.to_owned()));
    Server::start(move |request| {
        let mut valid = valid.lock().unwrap();
        match request.path() {
            "/v1/cli/token/refresh" => {
                if request.json()["refreshToken"] != json!(valid.1) {
                    return Reply::error(401, "INVALID_REFRESH_TOKEN", "Refresh token is invalid");
                }
                *valid = (ROTATED_ACCESS.to_owned(), ROTATED_REFRESH.to_owned());
                Reply::json(
                    200,
                    &json!({"accessToken": ROTATED_ACCESS, "refreshToken": ROTATED_REFRESH,
                            "accessTokenExpiresAtMs": now_ms() + 3_600_000,
                            "refreshTokenExpiresAtMs": now_ms() + 86_400_000}),
                )
            }
            _ if request.header("authorization") == Some(&format!("Bearer {}", valid.0)) => {
                Reply::json(200, &live_manifest("r", 1))
            }
            _ => Reply::error(401, "UNAUTHORIZED", "Token expired"),
        }
    })
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn an_expiring_session_is_refreshed_once_and_the_rotated_pair_saved_privately() {
    let server = token_service(false);
    let project = Project::new();
    // Expires in 5 s: inside the 10 s margin, so it is refreshed before the first request.
    let credentials = project.login(now_ms() + 5_000);
    let stale = fs::read(&credentials).unwrap();
    let result = run(project.bin_without_token(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert_eq!(
        paths(&server.requests()),
        ["/v1/cli/token/refresh", "/v1/typegen/manifest"]
    );
    let refresh = &server.requests()[0];
    assert_eq!(refresh.method, "POST");
    assert_eq!(refresh.json(), json!({"refreshToken": SESSION_REFRESH}));
    let saved: Value = serde_json::from_slice(&fs::read(&credentials).unwrap()).unwrap();
    assert_eq!(saved["accessToken"], ROTATED_ACCESS);
    assert_eq!(saved["refreshToken"], ROTATED_REFRESH);
    assert_eq!(saved["clerkUserId"], "user_1", "other fields are kept");
    #[cfg(unix)]
    assert_eq!(mode(&credentials), 0o600);
    for file in project.files_without_credentials() {
        let text = String::from_utf8_lossy(&fs::read(&file).unwrap()).into_owned();
        for secret in SECRETS {
            assert!(!text.contains(secret), "{} holds a token", file.display());
        }
    }

    // The old refresh token is dead: a session still holding it must log in again.
    fs::write(&credentials, stale).unwrap();
    let result = run(project.bin_without_token(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(1));
    let text = normalized(&result.stderr, &project, &server.url());
    assert_all(
        check_golden("live/invalid-refresh-token.txt", &text)
            .err()
            .into_iter()
            .collect(),
    );
}

#[test]
fn a_refused_session_token_is_refreshed_and_the_request_retried_once() {
    let server = token_service(true);
    let project = Project::new();
    // Not about to expire, but the service has revoked it.
    let credentials = project.login(now_ms() + 3_600_000);
    fs::write(
        project.path().join("xdg/barekey/config.json"),
        r#"{"activeAccountId": "acme-42:user_1"}"#,
    )
    .unwrap();
    let result = run(project.bin_without_token(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert_eq!(
        paths(&server.requests()),
        [
            "/v1/typegen/manifest",
            "/v1/cli/token/refresh",
            "/v1/typegen/manifest"
        ]
    );
    let saved: Value = serde_json::from_slice(&fs::read(&credentials).unwrap()).unwrap();
    assert_eq!(saved["refreshToken"], ROTATED_REFRESH);

    // An env token is never refreshed: a 401 is the end of it.
    let result = run(project.bin(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(1));
    assert_eq!(server.requests().len(), 4);
    assert!(
        result.stderr.contains("BAREKEY_ACCESS_TOKEN was refused"),
        "{}",
        result.stderr
    );
}

/// Issue 29, item 6: two runs refresh one expiring session at once and the service rotates
/// refresh tokens. The run that loses the race is told INVALID_REFRESH_TOKEN: it rereads the
/// session file, which the winner saved meanwhile, and goes on with that pair. The service here
/// lets "the other run" win at the moment this one's refresh arrives.
#[test]
fn the_run_that_loses_a_refresh_race_goes_on_with_the_pair_saved_meanwhile() {
    let project = Project::new();
    let credentials = project.login(now_ms() + 5_000);
    let winner = credentials.clone();
    let server = Server::start(move |request| match request.path() {
        "/v1/cli/token/refresh" => {
            let mut saved: Value = serde_json::from_slice(&fs::read(&winner).unwrap()).unwrap();
            saved["accessToken"] = json!(ROTATED_ACCESS);
            saved["refreshToken"] = json!(ROTATED_REFRESH);
            saved["accessTokenExpiresAtMs"] = json!(now_ms() + 3_600_000);
            fs::write(&winner, serde_json::to_vec_pretty(&saved).unwrap()).unwrap();
            Reply::error(401, "INVALID_REFRESH_TOKEN", "Refresh token is invalid")
        }
        _ if request.header("authorization") == Some(&format!("Bearer {ROTATED_ACCESS}")) => {
            Reply::json(200, &live_manifest("r", 1))
        }
        _ => Reply::error(401, "UNAUTHORIZED", "Token expired"),
    });
    let result = run(project.bin_without_token(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert_eq!(
        paths(&server.requests()),
        ["/v1/cli/token/refresh", "/v1/typegen/manifest"]
    );
    let saved: Value = serde_json::from_slice(&fs::read(&credentials).unwrap()).unwrap();
    assert_eq!(
        saved["refreshToken"], ROTATED_REFRESH,
        "the winner's pair stays"
    );
}

/// Several runs at once with one expiring session and rotating refresh tokens (a fixed number
/// of processes): every run succeeds, and the session file ends up holding a valid pair.
#[test]
fn runs_refreshing_one_session_at_once_all_succeed() {
    const RUNS: usize = 6;
    let server = token_service(false);
    let project = Project::new();
    let credentials = project.login(now_ms() + 5_000);
    let results: Vec<Run> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..RUNS)
            .map(|run_index| {
                let (project, url) = (&project, server.url());
                scope.spawn(move || {
                    let out = format!("snapshot-{run_index}.json");
                    run(project
                        .bin_without_token(&url)
                        .args(["pull", "--quiet", "--out", &out]))
                })
            })
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    for (index, result) in results.iter().enumerate() {
        assert_eq!(result.code, Some(0), "run {index}: {}", result.stderr);
    }
    let saved: Value = serde_json::from_slice(&fs::read(&credentials).unwrap()).unwrap();
    assert_eq!(saved["refreshToken"], ROTATED_REFRESH);
    assert_eq!(saved["accessToken"], ROTATED_ACCESS);
}

#[test]
fn generate_live_writes_the_same_module_as_the_snapshot() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest("r", 1))]);
    let project = Project::new();
    let result = run(project
        .bin(&server.url())
        .args(["generate", "--live", "--rust", "-"]));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let golden = fs::read_to_string(root().join("tests/golden/rust/demo.rs")).unwrap();
    assert_eq!(result.stdout, golden);
    assert!(
        !project.snapshot().exists(),
        "--live does not write a snapshot"
    );
}

#[test]
fn check_remote_lists_drift_and_passes_when_the_snapshot_is_current() {
    let current = Server::replying(vec![Reply::json(200, &live_manifest("r", 1))]);
    let project = Project::new();
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let result = run(project.bin(&current.url()).args(["check", "--remote"]));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert!(
        result.stderr.contains("matches the live manifest"),
        "{}",
        result.stderr
    );

    let drifted = Server::replying(vec![Reply::json(200, &drifted_manifest())]);
    let result = run(project.bin(&drifted.url()).args(["check", "--remote"]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &drifted.url());
    let mut failures: Vec<String> = check_golden("live/check-remote-drift.txt", &text)
        .err()
        .into_iter()
        .collect();
    assert_eq!(fs::read(project.snapshot()).unwrap(), demo_bytes());

    let mut visibility_only = live_manifest("r", 1);
    for variable in visibility_only["variables"].as_array_mut().unwrap() {
        if variable["name"] == "DATABASE_URL" {
            variable["visibility"] = json!("public");
        }
    }
    let other = Server::replying(vec![Reply::json(200, &visibility_only)]);
    let result = run(project.bin(&other.url()).args(["check", "--remote"]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &other.url());
    failures.extend(check_golden("live/check-remote-details.txt", &text).err());
    assert_all(failures);
}

#[test]
fn help_texts_of_the_live_commands_match_golden_files() {
    let project = Project::new();
    let result = run(project.bin("http://127.0.0.1:9").args(["pull", "--help"]));
    assert_eq!(result.code, Some(0));
    assert_all(
        check_golden("cli/pull-help.txt", &result.stdout)
            .err()
            .into_iter()
            .collect(),
    );
}

/// Runs `pull` in a pseudo-terminal (util-linux `script`, part of every Debian-like base) and
/// returns what the terminal showed.
fn pull_on_a_terminal(project: &Project, server: &str, extra: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin("barekey-typegen");
    let command_line = format!("'{}' pull {extra}", binary.display());
    let template = project.bin(server);
    common::on_a_terminal(project.path(), template.get_envs(), &command_line)
}

#[test]
fn a_spinner_shows_on_a_terminal_but_not_with_quiet_or_when_piped() {
    let slow = Reply::json(200, &live_manifest("r", 1)).delayed(Duration::from_millis(700));
    let server = Server::replying(vec![slow]);
    let project = Project::new();
    let shown = pull_on_a_terminal(&project, &server.url(), "");
    assert!(
        shown.contains("fetching the manifest of web-1234/production"),
        "{shown:?}"
    );
    let quiet = pull_on_a_terminal(&project, &server.url(), "--quiet");
    assert!(!quiet.contains("fetching"), "{quiet:?}");
    let piped = run(project.bin(&server.url()).arg("pull"));
    assert!(!piped.stderr.contains("fetching"), "{}", piped.stderr);
}

#[test]
fn a_bad_refresh_reply_saves_nothing_and_exposed_credentials_are_warned_about() {
    let bad_replies = [
        json!({"accessToken": "bk_at_line\nbreak", "refreshToken": ROTATED_REFRESH}),
        json!({"accessToken": ROTATED_ACCESS, "refreshToken": 42}),
        json!({"accessToken": ROTATED_ACCESS, "accessTokenExpiresAtMs": "tomorrow"}),
        json!({"refreshToken": ROTATED_REFRESH}),
    ];
    for reply in bad_replies {
        let server = Server::replying(vec![Reply::json(200, &reply)]);
        let project = Project::new();
        let credentials = project.login(now_ms() + 5_000);
        let before = fs::read(&credentials).unwrap();
        let result = run(project.bin_without_token(&server.url()).arg("pull"));
        assert_eq!(result.code, Some(1), "{reply}: {}", result.stderr);
        assert!(
            result.stderr.contains("nothing was saved"),
            "{}",
            result.stderr
        );
        assert_eq!(fs::read(&credentials).unwrap(), before, "{reply}");
        for secret in SECRETS.iter().chain([&"bk_at_line"]) {
            assert!(!result.stderr.contains(secret), "{}", result.stderr);
        }
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let server = token_service(false);
        let project = Project::new();
        let credentials = project.login(now_ms() + 3_600_000);
        fs::set_permissions(&credentials, fs::Permissions::from_mode(0o644)).unwrap();
        let result = run(project.bin_without_token(&server.url()).arg("pull"));
        assert_eq!(result.code, Some(0), "{}", result.stderr);
        let text = normalized(&result.stderr, &project, &server.url());
        assert_all(
            check_golden("live/exposed-credentials.txt", &text)
                .err()
                .into_iter()
                .collect(),
        );
    }
}

/// A reply body past the read cap (one that never ends, or one announcing 100 MiB) stops at
/// 64 MiB with an error naming the URL and the cap, instead of filling memory.
#[test]
fn a_reply_past_the_read_cap_is_refused() {
    let endless = Reply::new(200, "application/json", "{\"variables\": [").endless();
    let announced = Reply::new(200, "application/json", "")
        .cut_off(100 << 20)
        .endless();
    let mut failures = Vec::new();
    for (name, reply) in [("endless-body", endless), ("oversized-body", announced)] {
        let server = Server::replying(vec![reply]);
        let project = Project::new();
        // A long timeout: the cap, not the clock, must end the read.
        let result = run(project
            .bin(&server.url())
            .args(["pull", "--timeout", "600"]));
        assert_eq!(result.code, Some(1), "{name}: {}", result.stderr);
        assert!(!project.snapshot().exists(), "{name}");
        let text = normalized(&result.stderr, &project, &server.url());
        failures.extend(check_golden(&format!("live/{name}.txt"), &text).err());
    }
    assert_all(failures);
}

/// The service's code, message and request id, and the names in `check --remote`'s drift list,
/// reach the terminal with every control and direction character escaped and a huge message
/// cut short: no escape sequence, carriage return or 50 kB of text is printed as sent.
#[test]
fn server_text_is_escaped_and_cut_short_before_it_reaches_the_terminal() {
    let hostile = format!(
        "\u{1b}]0;owned\u{7}\u{1b}[2J\rall good\u{202e}dlrow{}",
        "x".repeat(50_000)
    );
    let error = Reply::json(
        400,
        &json!({"error": {"code": "BAD\u{1b}[31mCODE", "message": hostile,
                          "requestId": "req\r\u{2066}1"}}),
    );
    let mut drifted = live_manifest("r", 1);
    drifted["variables"].as_array_mut().unwrap().push(json!({
        "name": format!("NEW\u{1b}[1A\r\u{202e}{}", "N".repeat(600)),
        "kind": "secret",
        "declaredType": "string",
    }));
    let mut failures = Vec::new();
    for (name, reply, command) in [
        ("server-text-in-an-error", error, "pull"),
        ("server-text-in-drift", Reply::json(200, &drifted), "check"),
    ] {
        let server = Server::replying(vec![reply]);
        let project = Project::new();
        fs::write(project.snapshot(), demo_bytes()).unwrap();
        let mut bin = project.bin(&server.url());
        bin.arg(command);
        if command == "check" {
            bin.arg("--remote");
        }
        let result = run(&mut bin);
        assert_eq!(result.code, Some(1), "{name}: {}", result.stderr);
        assert!(
            !result
                .stderr
                .contains(['\u{1b}', '\r', '\u{7}', '\u{202e}', '\u{2066}']),
            "{name}: {:?}",
            result.stderr
        );
        assert!(
            result.stderr.len() < 5_000,
            "{name}: {} bytes",
            result.stderr.len()
        );
        let text = normalized(&result.stderr, &project, &server.url());
        failures.extend(check_golden(&format!("live/{name}.txt"), &text).err());
    }
    assert_all(failures);
}

/// A server (or proxy) that echoes the request's `Authorization` header, or the refresh token,
/// in an error must not get either printed: error text is shown with them redacted.
#[test]
fn a_server_echoing_the_token_in_an_error_gets_it_redacted() {
    let echo = format!(
        "invalid header Authorization: Bearer {TOKEN}; also saw {TOKEN} and {SESSION_REFRESH}"
    );
    let server = Server::replying(vec![Reply::error(400, "INVALID_REQUEST", &echo)]);
    let project = Project::new();
    let result = run(project.bin(&server.url()).arg("pull"));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert!(
        result.stderr.contains("Bearer [redacted]"),
        "{}",
        result.stderr
    );
    for secret in SECRETS {
        assert!(!result.stderr.contains(secret), "{}", result.stderr);
    }
}

/// A 200 reply that repeats the token sent in the `Authorization` header, anywhere in the
/// manifest (a name, a type, an arm, the version; as it is or behind JSON escapes), is refused
/// with a message that says so without showing it, and nothing is written: no snapshot, no
/// generated file, no warning line carrying it.
#[test]
fn a_manifest_echoing_the_token_is_refused_and_nothing_written() {
    let escaped = TOKEN.replacen('b', "\\u0062", 1).replace('_', "\\u005f");
    /// Puts the token (the second argument) into the manifest's variables.
    type Echo = fn(&mut Value, &str);
    let cases: [(&str, Echo); 5] = [
        ("name", |variables, token| {
            variables[0]["name"] = json!(token)
        }),
        ("type", |variables, token| {
            variables[0]["typeScriptType"] = json!(format!("\"{token}\""));
        }),
        ("arm", |variables, token| {
            let switch = variables
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|variable| variable["name"] == "CHECKOUT_FLOW")
                .unwrap();
            switch["valueATypeScriptType"] = json!(format!("\"{token}\""));
            switch["typeScriptType"] = json!(format!("\"{token}\" | \"treatment\""));
        }),
        ("version", |_, _| {}),
        ("unknown field", |variables, token| {
            variables[1]["note"] = json!(format!("seen: Bearer {token}"));
        }),
    ];
    for (place, echo) in cases {
        for spelled in [TOKEN, escaped.as_str()] {
            let mut manifest = live_manifest("r", 1);
            echo(&mut manifest["variables"], TOKEN);
            if place == "version" {
                manifest["manifestVersion"] = json!(TOKEN);
            }
            // The reply's text, with the token spelled as this case spells it.
            let body = manifest.to_string().replace(TOKEN, spelled);
            let server = Server::replying(vec![Reply::new(200, "application/json", body)]);
            let project = Project::new();
            let out = project.path().join("barekey_env.rs");
            for command in [
                vec!["pull"],
                vec!["generate", "--live", "--rust", out.to_str().unwrap()],
            ] {
                let result = run(project.bin(&server.url()).args(&command));
                let label = format!("{place} ({spelled}), {command:?}");
                assert_eq!(result.code, Some(1), "{label}: {}", result.stderr);
                assert!(
                    result
                        .stderr
                        .contains("repeats the token this request sent"),
                    "{label}: {}",
                    result.stderr
                );
            }
            assert!(
                !project.snapshot().exists(),
                "{place}: a snapshot was written"
            );
            assert!(!out.exists(), "{place}: a module was written");
            for file in project.files_without_credentials() {
                let text = fs::read_to_string(&file).unwrap_or_default();
                assert!(!text.contains(TOKEN), "{} holds the token", file.display());
            }
        }
    }
}

/// A stored access token holding what no header can carry (NUL, another control, a space
/// inside, non-ASCII) is an error naming the credentials file and the fix, before any request.
#[test]
fn a_stored_token_that_cannot_be_sent_names_the_session_file_and_the_fix() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest("r", 1))]);
    for bad in [
        "bk_at_a\0b",
        "bk_at_\u{1}x",
        "bk_at_a b",
        "bk_at_é",
        "bk_at_x\ny",
    ] {
        let project = Project::new();
        let credentials = project.login(now_ms() + 3_600_000);
        let mut document: Value = serde_json::from_slice(&fs::read(&credentials).unwrap()).unwrap();
        document["accessToken"] = json!(bad);
        fs::write(&credentials, document.to_string()).unwrap();
        let result = run(project.bin_without_token(&server.url()).arg("pull"));
        assert_eq!(result.code, Some(1), "{bad:?}: {}", result.stderr);
        let text = normalized(&result.stderr, &project, &server.url());
        assert_eq!(
            text,
            "error: the Barekey CLI session in <project>/xdg/barekey/credentials/\
             acme-42%3Auser_1.json holds an access token that cannot be sent (it has a control \
             character such as NUL, a space or a non-ASCII character); log in again with the \
             Barekey CLI to replace it\n",
            "{bad:?}"
        );
        assert!(!result.stderr.contains(bad), "{bad:?}: {}", result.stderr);
    }
    assert!(server.requests().is_empty(), "nothing is sent");
}

// Several stages in one call: `pull --stage a --stage b`, `generate --live` with several
// stages, `check --remote` with several stages' snapshots.

/// A stage's manifest as the service sends it (from `fixtures/stages/`): its own order,
/// volatile fields set.
fn stage_manifest(stage: &str) -> Value {
    let path = root().join(format!("fixtures/stages/barekey.manifest.{stage}.json"));
    let mut value: Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    value["variables"].as_array_mut().unwrap().reverse();
    value["requestId"] = json!(format!("req_{stage}"));
    value["generatedAtMs"] = json!(1_773_400_000_000_i64);
    value
}

fn stage_bytes(stage: &str) -> Vec<u8> {
    fs::read(root().join(format!("fixtures/stages/barekey.manifest.{stage}.json"))).unwrap()
}

/// `manifest` with variable `name` removed and one named `added` (a boolean) added.
fn with_changes(mut manifest: Value, removed: &str, added: &str) -> Value {
    let variables = manifest["variables"].as_array_mut().unwrap();
    variables.retain(|variable| variable["name"] != removed);
    variables.push(json!({"name": added, "kind": "secret", "declaredType": "boolean"}));
    manifest
}

/// A service that answers each stage's manifest by the request's `stageSlug`, and
/// `MANIFEST_NOT_FOUND` for any other stage.
fn stages_service(stages: Vec<(&'static str, Value)>) -> Server {
    Server::start(move |request| {
        let stage = stage_of(request);
        match stages.iter().find(|(name, _)| *name == stage) {
            Some((_, manifest)) => Reply::json(200, manifest),
            None => Reply::error(404, "MANIFEST_NOT_FOUND", "Manifest not found"),
        }
    })
}

/// The `stageSlug` a request asked for.
fn stage_of(request: &Request) -> String {
    request
        .query()
        .split('&')
        .find_map(|pair| pair.strip_prefix("stageSlug="))
        .unwrap_or_default()
        .to_owned()
}

fn stages_asked(server: &Server) -> Vec<String> {
    server.requests().iter().map(stage_of).collect()
}

/// Sets `path`'s modification time an hour back, so any rewrite shows.
fn age(path: &Path) -> SystemTime {
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    old
}

#[test]
fn pull_with_several_stages_writes_each_stages_snapshot() {
    let server = stages_service(vec![
        ("production", stage_manifest("production")),
        ("staging", stage_manifest("staging")),
    ]);
    let project = Project::new();
    let stage_file = |stage: &str| {
        project
            .path()
            .join(format!("barekey.manifest.{stage}.json"))
    };
    let pull = |extra: &[&str]| {
        run(project
            .bin(&server.url())
            .args(["pull", "--stage", "production", "--stage", "staging"])
            .args(extra))
    };
    let mut failures = Vec::new();
    let first = pull(&[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    for stage in ["production", "staging"] {
        assert_eq!(
            fs::read(stage_file(stage)).unwrap(),
            stage_bytes(stage),
            "{stage}"
        );
    }
    assert!(!project.snapshot().exists(), "no barekey.manifest.json");
    let text = normalized(&first.stderr, &project, &server.url());
    failures.extend(check_golden("live/pull-stages.txt", &text).err());
    assert_eq!(stages_asked(&server), ["production", "staging"]);
    assert_eq!(
        server.requests()[1].query(),
        "projectSlug=web-1234&stageSlug=staging&orgSlug=acme-42"
    );

    // Unchanged stages keep their files as they are.
    let times: Vec<SystemTime> = ["production", "staging"]
        .iter()
        .map(|stage| age(&stage_file(stage)))
        .collect();
    let second = pull(&[]);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert_eq!(
        second.stderr.matches("(unchanged)\n").count(),
        2,
        "{}",
        second.stderr
    );
    for (stage, time) in ["production", "staging"].iter().zip(times) {
        assert_eq!(
            fs::metadata(stage_file(stage)).unwrap().modified().unwrap(),
            time
        );
    }

    // A barekey.manifest.json beside them would make the lookup refuse the folder.
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let beside = pull(&["--quiet"]);
    assert_eq!(beside.code, Some(0), "{}", beside.stderr);
    let text = normalized(&beside.stderr, &project, &server.url());
    failures.extend(check_golden("live/pull-stages-beside-single.txt", &text).err());

    // The other way round: a one-stage pull beside the stage snapshots warns likewise.
    let single = run(project.bin(&server.url()).args(["pull", "--quiet"]));
    assert_eq!(single.code, Some(0), "{}", single.stderr);
    let text = normalized(&single.stderr, &project, &server.url());
    failures.extend(check_golden("live/pull-single-beside-stages.txt", &text).err());
    fs::remove_file(project.snapshot()).unwrap();

    // Without barekey.manifest.json, a one-stage pull refreshes that stage's own file and keeps
    // the folder's layout: barekey.json's stage, or --stage.
    let production = stage_file("production");
    fs::write(&production, demo_bytes()).unwrap();
    let refreshed = run(project.bin(&server.url()).args(["pull", "--quiet"]));
    assert_eq!(refreshed.code, Some(0), "{}", refreshed.stderr);
    assert_eq!(fs::read(&production).unwrap(), stage_bytes("production"));
    assert!(!project.snapshot().exists(), "no barekey.manifest.json");
    fs::write(stage_file("staging"), demo_bytes()).unwrap();
    let one = run(project
        .bin(&server.url())
        .args(["pull", "--quiet", "--stage", "staging"]));
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(
        fs::read(stage_file("staging")).unwrap(),
        stage_bytes("staging")
    );
    assert!(!project.snapshot().exists(), "no barekey.manifest.json");

    // --out names the folder.
    let folder = project.path().join("snapshots");
    let elsewhere = pull(&["--out", "snapshots"]);
    assert_eq!(elsewhere.code, Some(0), "{}", elsewhere.stderr);
    assert_eq!(
        fs::read(folder.join("barekey.manifest.staging.json")).unwrap(),
        stage_bytes("staging")
    );
    assert_all(failures);
}

#[test]
fn pull_with_a_failing_stage_writes_no_stage() {
    let server = stages_service(vec![("production", stage_manifest("production"))]);
    let project = Project::new();
    let production = project.path().join("barekey.manifest.production.json");
    fs::write(&production, demo_bytes()).unwrap();
    let time = age(&production);
    let result = run(project.bin(&server.url()).args([
        "pull",
        "--stage",
        "production",
        "--stage",
        "preview",
    ]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert_eq!(stages_asked(&server), ["production", "preview"]);
    assert_eq!(
        fs::read(&production).unwrap(),
        demo_bytes(),
        "production is kept"
    );
    assert_eq!(fs::metadata(&production).unwrap().modified().unwrap(), time);
    let mut left: Vec<String> = fs::read_dir(project.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "barekey.json",
            "barekey.manifest.production.json",
            "home",
            "xdg"
        ],
        "nothing written for any stage, no temporary file"
    );
    let text = normalized(&result.stderr, &project, &server.url());
    assert_all(
        check_golden("live/pull-stages-failing.txt", &text)
            .err()
            .into_iter()
            .collect(),
    );
}

/// Issue 29, item 5: a stage whose snapshot cannot be written (a folder in its place) leaves
/// every other stage's snapshot as it was: the set is written whole or not at all.
#[test]
fn pull_with_a_stage_that_cannot_be_written_writes_no_stage() {
    let server = stages_service(vec![
        ("production", stage_manifest("production")),
        ("staging", stage_manifest("staging")),
    ]);
    let project = Project::new();
    let production = project.path().join("barekey.manifest.production.json");
    fs::write(&production, demo_bytes()).unwrap();
    let time = age(&production);
    let staging = project.path().join("barekey.manifest.staging.json");
    fs::create_dir(&staging).unwrap();
    let result = run(project.bin(&server.url()).args([
        "pull",
        "--stage",
        "production",
        "--stage",
        "staging",
    ]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert!(
        fs::read(&production).unwrap() == demo_bytes(),
        "production is kept"
    );
    assert_eq!(fs::metadata(&production).unwrap().modified().unwrap(), time);
    assert!(staging.is_dir());
    let text = normalized(&result.stderr, &project, &server.url());
    assert!(
        text.contains("<project>/barekey.manifest.staging.json could not be written, so no file")
            && text.contains("  - <project>/barekey.manifest.production.json")
            && text.contains("a folder is in its place"),
        "{text}"
    );
    let mut left: Vec<String> = fs::read_dir(project.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "barekey.json",
            "barekey.manifest.production.json",
            "barekey.manifest.staging.json",
            "home",
            "xdg"
        ],
        "no temporary file"
    );
}

/// Issue 29, item 5: a reply for another stage, project or organisation than the one asked
/// for is refused, naming both, wherever a manifest is fetched; nothing is written.
#[test]
fn a_reply_for_another_stage_or_project_is_refused_naming_both() {
    let evil = |mut manifest: Value, key: &str| {
        manifest[key] = json!("evil");
        manifest
    };
    let mut failures = Vec::new();
    for key in ["stageSlug", "projectSlug", "orgSlug"] {
        let server = Server::start(move |request| {
            let stage = stage_of(request);
            Reply::json(200, &evil(stage_manifest(&stage), key))
        });
        let project = Project::new();
        let commands: [&[&str]; 4] = [
            &["pull", "--stage", "production", "--stage", "staging"],
            &["pull"],
            &["generate", "--live", "--rust", "env.rs"],
            &["check", "--remote", "--manifest", "snapshot.json"],
        ];
        fs::write(
            project.path().join("snapshot.json"),
            stage_bytes("production"),
        )
        .unwrap();
        for args in commands {
            let result = run(project.bin(&server.url()).args(args));
            assert_eq!(result.code, Some(1), "{key} {args:?}: {}", result.stderr);
            let what = &key[..key.len() - "Slug".len()];
            let what = if what == "org" { "organization" } else { what };
            let asked = match what {
                "stage" => "stage \"production\"",
                "project" => "project \"web-1234\"",
                _ => "organization \"acme-42\"",
            };
            assert!(
                result
                    .stderr
                    .contains(&format!("manifest of {what} \"evil\""))
                    && result.stderr.contains(&format!("asked for {asked} (from ")),
                "{key} {args:?}: {}",
                result.stderr
            );
            if key == "stageSlug" && args.len() == 5 {
                let text = normalized(&result.stderr, &project, &server.url());
                failures.extend(check_golden("live/pull-stages-other-stage.txt", &text).err());
            }
        }
        let mut left: Vec<String> = fs::read_dir(project.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["barekey.json", "home", "snapshot.json", "xdg"],
            "{key}: nothing written"
        );
    }
    assert_all(failures);
}

#[test]
fn generate_live_with_several_stages_merges_them_like_their_snapshots() {
    let server = stages_service(vec![
        ("production", stage_manifest("production")),
        ("staging", stage_manifest("staging")),
    ]);
    let project = Project::new();
    let live = run(project.bin(&server.url()).args([
        "generate",
        "--live",
        "--stage",
        "production",
        "--stage",
        "staging",
        "--ts",
        "-",
    ]));
    assert_eq!(live.code, Some(0), "{}", live.stderr);
    assert_eq!(stages_asked(&server), ["production", "staging"]);
    let from_files = run(Command::cargo_bin("barekey-typegen")
        .unwrap()
        .current_dir(root())
        .args(["generate", "--ts", "-"])
        .args([
            "--manifest",
            "fixtures/stages/barekey.manifest.production.json",
        ])
        .args([
            "--manifest",
            "fixtures/stages/barekey.manifest.staging.json",
        ]));
    assert_eq!(from_files.code, Some(0), "{}", from_files.stderr);
    assert!(
        live.stdout == from_files.stdout,
        "the live stages give the snapshots' module"
    );
    assert!(
        live.stderr
            .contains("variable \"PRICING_EXPERIMENT\" has different A/B arms"),
        "the merge's warnings are shown: {}",
        live.stderr
    );
}

#[test]
fn check_remote_compares_each_stage_with_its_own_live_manifest() {
    let project = Project::new();
    for stage in ["production", "staging"] {
        fs::write(
            project
                .path()
                .join(format!("barekey.manifest.{stage}.json")),
            stage_bytes(stage),
        )
        .unwrap();
    }
    let check = |server: &Server| run(project.bin(&server.url()).args(["check", "--remote"]));
    let mut failures = Vec::new();

    let current = stages_service(vec![
        ("production", stage_manifest("production")),
        ("staging", stage_manifest("staging")),
    ]);
    let result = check(&current);
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert_eq!(
        result
            .stderr
            .matches("matches the live manifest of")
            .count(),
        2
    );
    // Each snapshot's own stage, not barekey.json's ("production").
    assert_eq!(stages_asked(&current), ["production", "staging"]);
    // --stage has no say over several snapshots: a usage error, not silently ignored.
    let with_stage =
        run(project
            .bin(&current.url())
            .args(["check", "--remote", "--stage", "production"]));
    assert_eq!(with_stage.code, Some(2), "{}", with_stage.stderr);
    assert!(
        with_stage.stderr.contains("drop --stage"),
        "{}",
        with_stage.stderr
    );
    assert_eq!(
        stages_asked(&current).len(),
        2,
        "no request for the refused check"
    );

    let staging_drifted = stages_service(vec![
        ("production", stage_manifest("production")),
        (
            "staging",
            with_changes(stage_manifest("staging"), "DEBUG_SQL", "NEW_FLAG"),
        ),
    ]);
    let result = check(&staging_drifted);
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &staging_drifted.url());
    failures.extend(check_golden("live/check-remote-stages.txt", &text).err());
    // One stage's snapshot named on its own is compared with that stage, and its fix
    // writes that file again.
    let result = run(project.bin(&staging_drifted.url()).args([
        "check",
        "--remote",
        "--manifest",
        "barekey.manifest.staging.json",
    ]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "run `barekey-typegen pull --stage staging --out barekey.manifest.staging.json` \
             to update it"
        ),
        "{}",
        result.stderr
    );

    let both_drifted = stages_service(vec![
        (
            "production",
            with_changes(stage_manifest("production"), "CDN_URL", "PROD_FLAG"),
        ),
        (
            "staging",
            with_changes(stage_manifest("staging"), "DEBUG_SQL", "NEW_FLAG"),
        ),
    ]);
    let result = check(&both_drifted);
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &both_drifted.url());
    failures.extend(check_golden("live/check-remote-stages-both.txt", &text).err());
    // Its fix, run, brings both up to date.
    let fix = "run `barekey-typegen pull --stage production --stage staging` to update them";
    assert!(result.stderr.contains(fix), "{}", result.stderr);
    let pulled = run(project.bin(&both_drifted.url()).args([
        "pull",
        "--stage",
        "production",
        "--stage",
        "staging",
    ]));
    assert_eq!(pulled.code, Some(0), "{}", pulled.stderr);
    let result = check(&both_drifted);
    assert_eq!(result.code, Some(0), "{}", result.stderr);

    // A stage the service does not know: nothing is reported as checked.
    let production_only = stages_service(vec![("production", stage_manifest("production"))]);
    let result = check(&production_only);
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let text = normalized(&result.stderr, &project, &production_only.url());
    failures.extend(check_golden("live/check-remote-stages-failing.txt", &text).err());
    assert_all(failures);
}

/// Stages whose declared types conflict cannot be merged for code, but each snapshot is
/// still compared with its own stage: the conflict stops no comparison.
#[test]
fn check_remote_compares_stages_whose_types_conflict() {
    let project = Project::new();
    let conflict = |stage: &str| {
        root().join(format!(
            "fixtures/stages-conflict/barekey.manifest.{stage}.json"
        ))
    };
    for stage in ["production", "staging"] {
        fs::copy(
            conflict(stage),
            project
                .path()
                .join(format!("barekey.manifest.{stage}.json")),
        )
        .unwrap();
    }
    let live = |stage: &str| -> Value {
        serde_json::from_slice(&fs::read(conflict(stage)).unwrap()).unwrap()
    };
    let server = stages_service(vec![
        ("production", live("production")),
        ("staging", with_changes(live("staging"), "-", "NEW_FLAG")),
    ]);
    let result = run(project.bin(&server.url()).args(["check", "--remote"]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert_eq!(stages_asked(&server), ["production", "staging"]);
    let text = normalized(&result.stderr, &project, &server.url());
    assert!(
        text.contains("barekey.manifest.production.json matches the live manifest"),
        "{text}"
    );
    assert!(
        text.contains("  - added: NEW_FLAG (secret, boolean)"),
        "{text}"
    );
    assert!(!text.contains("declared"), "no merge, no conflict: {text}");
    // With an output to check, the conflict is then reported too, after the comparison.
    let result = run(project
        .bin(&server.url())
        .args(["check", "--remote", "--rust", "env.rs"]));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    let compared = result.stderr.find("added: NEW_FLAG").unwrap();
    let conflict = result
        .stderr
        .find("PORT")
        .expect("the conflict is reported");
    assert!(compared < conflict, "{}", result.stderr);
}

/// `--message-format json` for `check --remote` and `pull`: each variable added, removed or
/// changed is an object with both sides' types (a private switch's arms never shown), and the
/// snapshot's status carries the command that fixes it.
#[test]
fn check_remote_and_pull_report_changes_as_json_objects() {
    let mut live = renamed_arms_manifest();
    let variables = live["variables"].as_array_mut().unwrap();
    variables.retain(|variable| variable["name"] != "DATABASE_URL");
    variables.push(json!({"name": "NEW_ONE", "kind": "secret", "declaredType": "boolean"}));
    for variable in variables.iter_mut() {
        if variable["name"] == "PORT" {
            variable["declaredType"] = json!("float");
        }
    }
    let server = Server::replying(vec![Reply::json(200, &live), Reply::json(200, &live)]);
    let project = Project::new();
    fs::write(project.snapshot(), demo_bytes()).unwrap();
    let json = ["--message-format", "json"];
    let check = run(project
        .bin(&server.url())
        .args(["check", "--remote"])
        .args(json));
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    assert!(
        check.stderr.contains("arms changed: CHECKOUT_FLOW"),
        "{}",
        check.stderr
    );
    let pull = run(project.bin(&server.url()).arg("pull").args(json));
    assert_eq!(pull.code, Some(0), "{}", pull.stderr);
    let mut failures = Vec::new();
    for (golden, stdout) in [("check-remote", &check.stdout), ("pull", &pull.stdout)] {
        assert!(
            !stdout.contains("express"),
            "a private arm is shown: {stdout}"
        );
        for line in stdout.lines() {
            let object: Value = serde_json::from_str(line).expect(line);
            assert_eq!(object["version"], 1, "{line}");
        }
        let text = normalized(stdout, &project, &server.url());
        failures.extend(check_golden(&format!("live/{golden}.jsonl"), &text).err());
    }
    assert_all(failures);
}

/// `check --remote --format markdown`: a summary for a pull-request comment on stdout (stages,
/// what changed in each, the command that refreshes them; snapshots named relative to the
/// checkout), the human report on stderr as always.
#[test]
fn check_remote_prints_a_markdown_summary() {
    let project = Project::new();
    for stage in ["production", "staging"] {
        fs::write(
            project
                .path()
                .join(format!("barekey.manifest.{stage}.json")),
            stage_bytes(stage),
        )
        .unwrap();
    }
    let mut staging = with_changes(stage_manifest("staging"), "DEBUG_SQL", "NEW_FLAG");
    for variable in staging["variables"].as_array_mut().unwrap() {
        match variable["name"].as_str() {
            Some("PORT") => variable["declaredType"] = json!("float"),
            Some("PRICING_EXPERIMENT") => variable["valueBTypeScriptType"] = json!("9n"),
            Some("CHECKOUT_FLOW") => variable["valueBTypeScriptType"] = json!("\"express\""),
            _ => {}
        }
    }
    let server = stages_service(vec![
        ("production", stage_manifest("production")),
        ("staging", staging),
    ]);
    let args = ["check", "--remote", "--format", "markdown"];
    let result = run(project.bin(&server.url()).args(args));
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert!(
        result.stderr.contains("differs from the live manifest"),
        "{}",
        result.stderr
    );
    assert!(!result.stdout.contains("express"), "{}", result.stdout);
    assert!(
        !result
            .stdout
            .contains(&project.path().display().to_string()),
        "{}",
        result.stdout
    );
    let mut failures = Vec::new();
    failures.extend(check_golden("live/check-remote-markdown.md", &result.stdout).err());
    let current = stages_service(vec![
        ("production", stage_manifest("production")),
        ("staging", stage_manifest("staging")),
    ]);
    let result = run(project.bin(&current.url()).args(args));
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    failures.extend(check_golden("live/check-remote-markdown-fresh.md", &result.stdout).err());
    assert_all(failures);

    for refused in [
        &[
            "check",
            "--remote",
            "--format",
            "markdown",
            "--message-format",
            "json",
        ][..],
        &["check", "--rust", "env.rs", "--format", "markdown"],
    ] {
        let result = run(project.bin(&server.url()).args(refused));
        assert_eq!(result.code, Some(2), "{refused:?}: {}", result.stderr);
        assert!(result.stdout.is_empty());
    }
}
