//! `generate --live --watch` and `pull --watch` against a real HTTP server on 127.0.0.1:
//! regeneration on a change and only then, outages survived, faults that end it, SIGINT and
//! SIGTERM, and how often it asks.
//!
//! The watch runs as a child process whose stderr goes to a file; the tests wait for what they
//! need (a file, a number of requests) with a generous guard, and never assert a duration.
#![cfg(unix)]

use crate::common;

use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::{Reply, Server};
use common::{assert_all, check_golden, root};
use serde_json::{Value, json};

const TOKEN: &str = "bk_at_env_token_Wt21";
const SESSION_ACCESS: &str = "bk_at_session_access_Wt21";
const SESSION_REFRESH: &str = "bk_rt_session_refresh_Wt21";
const ROTATED_ACCESS: &str = "bk_at_rotated_access_Wt21";
const SECRETS: [&str; 4] = [TOKEN, SESSION_ACCESS, SESSION_REFRESH, ROTATED_ACCESS];

/// How long a test waits for something that takes a second or two before it gives up: a
/// guard against hanging, far above what any step needs.
const GUARD: Duration = Duration::from_secs(60);

/// The demo manifest as the service sends it, with volatile fields set.
fn live_manifest() -> Value {
    let text = fs::read_to_string(root().join("fixtures/demo.manifest.json")).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["requestId"] = json!("req_1");
    value["generatedAtMs"] = json!(1_773_400_000_000_i64);
    value
}

/// The next version of the demo manifest: one variable added, one removed, one retyped.
fn next_manifest() -> Value {
    let mut live = live_manifest();
    live["manifestVersion"] = json!("manifest-2");
    let variables = live["variables"].as_array_mut().unwrap();
    variables.retain(|variable| variable["name"] != "DATABASE_URL");
    variables.push(json!({"name": "NEW_ONE", "kind": "secret", "declaredType": "boolean"}));
    for variable in variables.iter_mut() {
        if variable["name"] == "PORT" {
            variable["declaredType"] = json!("float");
        }
    }
    live
}

/// A project folder with a barekey.json, and a watch started in it.
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
        project
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A Barekey CLI session (no `BAREKEY_ACCESS_TOKEN`) whose access token expires within
    /// the refresh margin.
    fn login(&self) -> PathBuf {
        let dir = self.path().join("barekey");
        fs::create_dir_all(dir.join("credentials")).unwrap();
        fs::write(
            dir.join("config.json"),
            r#"{"activeAccountId": "acme-42:user_1"}"#,
        )
        .unwrap();
        let credentials = dir.join("credentials/acme-42%3Auser_1.json");
        let document = json!({
            "accessToken": SESSION_ACCESS, "refreshToken": SESSION_REFRESH,
            "accessTokenExpiresAtMs": now_ms() + 5_000,
            "refreshTokenExpiresAtMs": now_ms() + 86_400_000
        });
        fs::write(&credentials, document.to_string()).unwrap();
        credentials
    }

    fn command(&self, server: &Server, args: &[&str]) -> Command {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("barekey-typegen"));
        command.current_dir(self.path()).args(args);
        for name in [
            "BAREKEY_MANIFEST",
            "BAREKEY_ORG",
            "BAREKEY_PROJECT",
            "BAREKEY_STAGE",
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
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path())
            .env("BAREKEY_API_URL", server.url())
            .env("NO_COLOR", "1");
        if !self.path().join("barekey").exists() {
            command.env("BAREKEY_ACCESS_TOKEN", TOKEN);
        } else {
            command.env_remove("BAREKEY_ACCESS_TOKEN");
        }
        command
    }

    /// Starts `barekey-typegen ARGS`, its stderr into a file.
    fn watch(&self, server: &Server, args: &[&str]) -> Watch {
        self.spawn(self.command(server, args))
    }

    /// Starts `command`, its stderr into a file.
    fn spawn(&self, mut command: Command) -> Watch {
        let stderr = self.path().join("stderr.txt");
        let stdout = self.path().join("stdout.txt");
        let child = command
            .stdin(Stdio::null())
            .stdout(fs::File::create(stdout).unwrap())
            .stderr(fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        Watch { child, stderr }
    }

    /// The temporary files of atomic writes left in the project.
    fn temporary_files(&self) -> Vec<PathBuf> {
        fs::read_dir(self.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.to_string_lossy().contains(".barekey-typegen-"))
            .collect()
    }
}

struct Watch {
    child: Child,
    stderr: PathBuf,
}

impl Watch {
    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{name}");
    }

    /// Waits for the process to end: its exit code and stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > GUARD {
                let _ = self.child.kill();
                panic!("the watch did not end: {}", self.stderr_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stderr = self.stderr_text();
        for secret in SECRETS {
            assert!(!stderr.contains(secret), "a token was printed: {stderr}");
        }
        (status.code(), stderr)
    }

    fn stderr_text(&self) -> String {
        fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // A failed assertion must not leave a watch running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `condition` holds, for at most [`GUARD`].
fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < GUARD, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::SystemTime::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// Which file a path holds now, and since when: equal only when it was not rewritten.
fn identity(path: &Path) -> (u64, i64, i64) {
    let meta = fs::metadata(path).unwrap();
    (meta.ino(), meta.mtime(), meta.mtime_nsec())
}

/// Stderr with what changes between runs (the port, the temporary folder) made stable.
fn normalized(text: &str, server: &Server, project: &Project) -> String {
    text.replace(&server.url(), "http://127.0.0.1:PORT")
        .replace(&project.path().display().to_string(), "<project>")
}

/// A server whose manifest the test replaces while the watch runs.
fn switchable() -> (Server, Arc<Mutex<Value>>) {
    let manifest = Arc::new(Mutex::new(live_manifest()));
    let served = Arc::clone(&manifest);
    let server = Server::start(move |_| Reply::json(200, &served.lock().unwrap()));
    (server, manifest)
}

#[test]
fn a_new_manifest_regenerates_every_output_and_nothing_is_rewritten_without_one() {
    let (server, manifest) = switchable();
    let project = Project::new();
    let watch = project.watch(
        &server,
        &[
            "generate",
            "--live",
            "--watch",
            "--interval",
            "1",
            "--rust",
            "env.rs",
            "--ts",
            "env.ts",
        ],
    );
    let (rust, ts) = (project.path().join("env.rs"), project.path().join("env.ts"));
    wait_until("the first generation", || ts.exists());
    let demo = fs::read_to_string(root().join("tests/golden/rust/demo.rs")).unwrap();
    assert_eq!(fs::read_to_string(&rust).unwrap(), demo);
    let before = (identity(&rust), identity(&ts));
    // Two more fetches of the same manifest: nothing may be written.
    wait_until("two more fetches", || server.requests().len() >= 3);
    assert_eq!((identity(&rust), identity(&ts)), before, "rewritten");

    *manifest.lock().unwrap() = next_manifest();
    wait_until("the regeneration", || {
        fs::read_to_string(&ts).is_ok_and(|text| text.contains("NEW_ONE"))
    });
    let rust_text = fs::read_to_string(&rust).unwrap();
    assert!(rust_text.contains("pub new_one: bool,"), "{rust_text}");
    assert!(rust_text.contains("\"manifest-2\""), "{rust_text}");
    watch.signal("INT");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(project.temporary_files().is_empty());
    assert_all(
        check_golden(
            "watch/regenerated.txt",
            &normalized(&stderr, &server, &project),
        )
        .err()
        .into_iter()
        .collect(),
    );
}

/// `--message-format json` in a watch: each write and each change of the live manifest as
/// objects on stdout, as `generate` and `check --remote` print them.
#[test]
fn a_watch_reports_writes_and_changes_as_json_objects() {
    let (server, manifest) = switchable();
    let project = Project::new();
    let args = [
        "generate",
        "--live",
        "--watch",
        "--interval",
        "1",
        "--rust",
        "env.rs",
    ];
    let watch = project.watch(
        &server,
        &[&args[..], &["--message-format", "json"]].concat(),
    );
    let rust = project.path().join("env.rs");
    wait_until("the first generation", || rust.exists());
    *manifest.lock().unwrap() = next_manifest();
    wait_until("the regeneration", || {
        fs::read_to_string(&rust).is_ok_and(|text| text.contains("NEW_ONE"))
    });
    watch.signal("INT");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    let stdout = fs::read_to_string(project.path().join("stdout.txt")).unwrap();
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect(line))
        .collect();
    let reasons: Vec<&str> = objects
        .iter()
        .map(|object| object["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "file-written",
            "variable-added",
            "variable-removed",
            "variable-changed",
            "file-written",
            "finished"
        ],
        "{stdout}"
    );
    assert_eq!(objects[0]["status"], "created");
    assert_eq!(objects[1]["name"], "NEW_ONE");
    assert_eq!(objects[1]["snapshot"], serde_json::Value::Null);
    assert_eq!(objects[3]["what"], "declared-type");
    assert_eq!(objects[4]["status"], "updated");
    assert!(objects.iter().all(|object| object["version"] == 1));
}

#[test]
fn a_stretch_of_503s_is_one_outage_and_leaves_the_output_alone() {
    let unavailable =
        Reply::error(503, "BILLING_UNAVAILABLE", "Billing is down").header("Retry-After", "0");
    // One good reply, then two fetches' worth of 503s (each fetch tries 4 times), then good.
    let mut replies = vec![Reply::json(200, &live_manifest())];
    replies.extend(std::iter::repeat_n(unavailable, 8));
    replies.push(Reply::json(200, &live_manifest()));
    let server = Server::replying(replies);
    let project = Project::new();
    let watch = project.watch(
        &server,
        &[
            "generate",
            "--live",
            "--watch",
            "--interval",
            "1",
            "--rust",
            "env.rs",
        ],
    );
    let rust = project.path().join("env.rs");
    wait_until("the first generation", || rust.exists());
    let before = identity(&rust);
    wait_until("the end of the outage", || server.requests().len() >= 10);
    wait_until("the recovery line", || {
        fs::read_to_string(&watch.stderr).is_ok_and(|text| text.contains("answers again"))
    });
    watch.signal("TERM");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(identity(&rust), before, "the output was rewritten");
    let demo = fs::read_to_string(root().join("tests/golden/rust/demo.rs")).unwrap();
    assert_eq!(fs::read_to_string(&rust).unwrap(), demo);
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert_all(
        check_golden("watch/outage.txt", &normalized(&stderr, &server, &project))
            .err()
            .into_iter()
            .collect(),
    );
}

#[test]
fn a_fault_that_cannot_heal_ends_the_watch_with_exit_1_and_the_usual_message() {
    let mut failures = Vec::new();
    for (name, fault) in [
        (
            "manifest-not-found",
            Reply::error(404, "MANIFEST_NOT_FOUND", "No such stage"),
        ),
        (
            "unauthorized",
            Reply::error(401, "UNAUTHORIZED", "Invalid token"),
        ),
        (
            "org-scope-invalid",
            Reply::error(403, "ORG_SCOPE_INVALID", "Org mismatch"),
        ),
        (
            "invalid-manifest",
            Reply::json(200, &json!({"variables": {"PORT": 1}})),
        ),
    ] {
        let server = Server::replying(vec![Reply::json(200, &live_manifest()), fault]);
        let project = Project::new();
        let watch = project.watch(
            &server,
            &[
                "pull",
                "--watch",
                "--interval",
                "1",
                "--out",
                "snapshot.json",
            ],
        );
        let (code, stderr) = watch.finish();
        if code != Some(1) {
            failures.push(format!("{name}: exit {code:?}\n{stderr}"));
        }
        let snapshot = fs::read(project.path().join("snapshot.json")).unwrap();
        let demo = fs::read(root().join("fixtures/demo.manifest.json")).unwrap();
        if snapshot != demo {
            failures.push(format!("{name}: the snapshot changed"));
        }
        failures.extend(
            check_golden(
                &format!("watch/{name}.txt"),
                &normalized(&stderr, &server, &project),
            )
            .err(),
        );
    }
    assert_all(failures);
}

#[test]
#[cfg_attr(
    not(feature = "test-seams"),
    ignore = "needs the feature test-seams, which the test command turns on"
)]
fn sigint_and_sigterm_end_the_watch_with_exit_0_and_no_temporary_file() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest())]);
    for signal in ["INT", "TERM"] {
        let project = Project::new();
        let watch = project.watch(&server, &["pull", "--watch", "--quiet"]);
        let snapshot = project.path().join("barekey.manifest.json");
        wait_until("the snapshot", || snapshot.exists());
        watch.signal(signal);
        let (code, stderr) = watch.finish();
        assert_eq!(code, Some(0), "SIG{signal}: {stderr}");
        assert!(project.temporary_files().is_empty(), "SIG{signal}");
        let demo = fs::read(root().join("fixtures/demo.manifest.json")).unwrap();
        assert_eq!(fs::read(&snapshot).unwrap(), demo);
        // --quiet: the one line says what was written; nothing about starting or stopping.
        assert_eq!(
            normalized(&stderr, &server, &project),
            "manifest t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC_mFJYt97S7o of web-1234/production, \
             14 variables: created <project>/barekey.manifest.json\n",
            "SIG{signal}"
        );
    }
}

/// A `pull --watch` whose writes pause `millis` between the temporary file and the rename.
fn slow_pull(project: &Project, server: &Server, millis: u32) -> Watch {
    let mut command = project.command(server, &["pull", "--watch", "--quiet"]);
    command.env("__BAREKEY_TYPEGEN_TEST_SLOW_WRITE", millis.to_string());
    project.spawn(command)
}

#[test]
#[cfg_attr(
    not(feature = "test-seams"),
    ignore = "needs the feature test-seams, which the test command turns on"
)]
fn a_signal_during_a_write_lets_it_finish_then_ends_the_watch_with_exit_0() {
    // One signal handler for the process (src/write.rs): while a watch runs it takes SIGINT
    // and SIGTERM from the clean-up that ends other commands with 130 or 143.
    let server = Server::replying(vec![Reply::json(200, &live_manifest())]);
    for signal in ["INT", "TERM"] {
        let project = Project::new();
        let watch = slow_pull(&project, &server, 3_000);
        wait_until("the temporary file", || {
            !project.temporary_files().is_empty()
        });
        watch.signal(signal);
        let (code, stderr) = watch.finish();
        assert_eq!(code, Some(0), "SIG{signal}: {stderr}");
        assert!(project.temporary_files().is_empty(), "SIG{signal}");
        let demo = fs::read(root().join("fixtures/demo.manifest.json")).unwrap();
        let snapshot = project.path().join("barekey.manifest.json");
        assert_eq!(fs::read(&snapshot).unwrap(), demo, "SIG{signal}");
    }
}

#[test]
#[cfg_attr(
    not(feature = "test-seams"),
    ignore = "needs the feature test-seams, which the test command turns on"
)]
fn a_second_signal_during_a_write_ends_the_process_as_without_a_watch() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest())]);
    let project = Project::new();
    let mut watch = slow_pull(&project, &server, 600_000);
    wait_until("the temporary file", || {
        !project.temporary_files().is_empty()
    });
    // Repeated: the first one only asks the watch to stop (two at once may arrive as one).
    let started = Instant::now();
    while watch.child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < GUARD, "the watch did not end");
        watch.signal("INT");
        std::thread::sleep(Duration::from_millis(200));
    }
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(project.temporary_files().is_empty());
    assert!(!project.path().join("barekey.manifest.json").exists());
}

#[test]
fn a_signal_abandons_a_request_in_flight() {
    // The reply would take far longer than the guard: only abandoning it ends the watch.
    let slow = Reply::json(200, &live_manifest()).delayed(GUARD * 3);
    let server = Server::replying(vec![slow]);
    let project = Project::new();
    let watch = project.watch(&server, &["pull", "--watch", "--timeout", "3600"]);
    wait_until("the request", || !server.requests().is_empty());
    watch.signal("INT");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!project.path().join("barekey.manifest.json").exists());
    assert!(project.temporary_files().is_empty());
}

#[test]
fn polling_is_bounded_by_the_interval() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest())]);
    let project = Project::new();
    let started = Instant::now();
    let watch = project.watch(
        &server,
        &[
            "generate",
            "--live",
            "--watch",
            "--interval",
            "1",
            "--rust",
            "env.rs",
        ],
    );
    wait_until("the first generation", || {
        project.path().join("env.rs").exists()
    });
    // Not a wait for readiness (the first generation was that): the window in which the
    // requests are counted, long enough that polling twice as often as the interval shows.
    std::thread::sleep(Duration::from_secs(3));
    watch.signal("INT");
    let (code, stderr) = watch.finish();
    let window = started.elapsed().as_secs_f64();
    assert_eq!(code, Some(0), "{stderr}");
    // One fetch at the start, then at most one per interval of the window.
    let requests = server.requests().len();
    let bound = window / 1.0 + 1.0;
    assert!(
        (1.0..=bound).contains(&f64::from(u32::try_from(requests).unwrap())),
        "{requests} requests in {window:.1} s with --interval 1"
    );
}

#[test]
fn watch_usage_errors_exit_2() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest())]);
    let project = Project::new();
    let mut text = String::new();
    for args in [
        &["generate", "--watch", "--rust", "env.rs"][..],
        &[
            "generate",
            "--live",
            "--watch",
            "--interval",
            "0",
            "--rust",
            "env.rs",
        ],
        &["generate", "--live", "--watch", "--rust", "-"],
        &["pull", "--watch", "--out", "-"],
        &["pull", "--interval", "3"],
        // As without --watch (tests/testsuite/file_safety.rs): one output would overwrite the
        // other.
        &[
            "generate", "--live", "--watch", "--rust", "env.rs", "--ts", "./env.rs",
        ],
    ] {
        let output = project.command(&server, args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        text.push_str(&format!(
            "$ barekey-typegen {}\n{}\n",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    assert!(server.requests().is_empty());
    assert_all(
        check_golden("watch/usage-errors.txt", &text)
            .err()
            .into_iter()
            .collect(),
    );
}

#[test]
fn different_faults_in_a_row_are_one_outage() {
    let rate_limited = Reply::error(429, "RATE_LIMITED", "Slow down").header("Retry-After", "0");
    // A good reply; a fetch of 429s (4 attempts); a reply slower than --timeout; good again.
    let mut replies = vec![Reply::json(200, &live_manifest())];
    replies.extend(std::iter::repeat_n(rate_limited, 4));
    replies.push(Reply::json(200, &live_manifest()).delayed(Duration::from_secs(3)));
    replies.push(Reply::json(200, &live_manifest()));
    let server = Server::replying(replies);
    let project = Project::new();
    let watch = project.watch(
        &server,
        &[
            "pull",
            "--watch",
            "--interval",
            "1",
            "--timeout",
            "1",
            "--out",
            "snapshot.json",
        ],
    );
    wait_until("the recovery line", || {
        fs::read_to_string(&watch.stderr).is_ok_and(|text| text.contains("answers again"))
    });
    watch.signal("INT");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert_all(
        check_golden(
            "watch/outage-mixed.txt",
            &normalized(&stderr, &server, &project),
        )
        .err()
        .into_iter()
        .collect(),
    );
}

#[test]
fn an_expiring_session_is_refreshed_once_as_in_pull() {
    let valid = Mutex::new(SESSION_ACCESS.to_owned());
    let server = Server::start(move |request| {
        let mut valid = valid.lock().unwrap();
        match request.path() {
            "/v1/cli/token/refresh" => {
                *valid = ROTATED_ACCESS.to_owned();
                Reply::json(
                    200,
                    &json!({"accessToken": ROTATED_ACCESS, "refreshToken": "bk_rt_next",
                            "accessTokenExpiresAtMs": now_ms() + 3_600_000}),
                )
            }
            _ if request.header("authorization") == Some(&format!("Bearer {valid}")) => {
                Reply::json(200, &live_manifest())
            }
            _ => Reply::error(401, "UNAUTHORIZED", "Token expired"),
        }
    });
    let project = Project::new();
    let credentials = project.login();
    let watch = project.watch(&server, &["pull", "--watch", "--interval", "1"]);
    wait_until("three fetches", || server.requests().len() >= 4);
    watch.signal("INT");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|request| request.path().to_owned())
        .collect();
    assert_eq!(paths[0], "/v1/cli/token/refresh");
    assert!(
        paths[1..].iter().all(|path| path == "/v1/typegen/manifest"),
        "{paths:?}"
    );
    let saved: Value = serde_json::from_slice(&fs::read(&credentials).unwrap()).unwrap();
    assert_eq!(saved["accessToken"], ROTATED_ACCESS);
}

/// Runs a watch in a pseudo-terminal (util-linux `script`) for a few seconds, ended by
/// SIGINT from coreutils `timeout`, and returns what the terminal showed. `--foreground`: the
/// signal goes to the CLI alone, once, as Ctrl-C sends it; without it `timeout` also signals
/// its process group, and a second SIGINT handled after the first ends the process (exit 130)
/// by design, which a loaded machine made happen now and then.
fn watch_on_a_terminal(project: &Project, server: &Server, extra: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin("barekey-typegen");
    let command_line = format!(
        "timeout --foreground -s INT --preserve-status 3 '{}' pull --watch --interval 1 {extra}",
        binary.display()
    );
    let template = project.command(server, &[]);
    common::on_a_terminal(project.path(), template.get_envs(), &command_line)
}

#[test]
fn the_spinner_shows_between_fetches_on_a_terminal_only() {
    let server = Server::replying(vec![Reply::json(200, &live_manifest())]);
    let project = Project::new();
    let shown = watch_on_a_terminal(&project, &server, "");
    assert!(shown.contains("watching web-1234/production"), "{shown:?}");
    assert!(shown.contains("stopped watching"), "{shown:?}");
    let quiet = watch_on_a_terminal(&project, &server, "--quiet");
    assert!(!quiet.contains("watching"), "{quiet:?}");
    let before = server.requests().len();
    let piped = project.watch(&server, &["pull", "--watch", "--interval", "1"]);
    wait_until("the first fetch", || server.requests().len() > before);
    piped.signal("INT");
    let (code, stderr) = piped.finish();
    assert_eq!(code, Some(0), "{stderr}");
    // The first line names the stage too; the spinner's own message never shows.
    assert!(!stderr.contains("\nwatching web-1234"), "{stderr}");
    assert!(!stderr.contains('\r'), "{stderr}");
}

/// Text from the service that would take over a terminal: an OSC 8 hyperlink and an OSC title,
/// a screen clear and a colour, a carriage return, a direction override, line and next-line
/// separators, then 100,000 characters on one line.
fn hostile(tag: &str) -> String {
    format!(
        "{tag}\u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7}\u{1b}]0;title\u{7}\
         \u{1b}[2J\u{1b}[31m\rline\u{202e}\u{2028}\u{85}{}",
        "x".repeat(100_000)
    )
}

/// A manifest of `web-1234/production` whose version, names, kinds, types and visibilities
/// are all [`hostile`]; `next` renames, adds and retypes some.
fn hostile_manifest(next: bool) -> Value {
    let version = if next { "v2" } else { "v1" };
    let retyped = if next { "int64" } else { "string" };
    let mut variables = vec![
        json!({"name": hostile("KEPT"), "kind": "secret", "declaredType": retyped,
               "visibility": "public"}),
        json!({"name": hostile("ODD"), "kind": hostile("kind"), "declaredType": hostile("type"),
               "visibility": hostile("visibility"), "rolloutFunction": hostile("function")}),
        json!({"name": hostile("SHAPE"), "kind": "secret", "declaredType": "json",
               "typeScriptType": hostile("{ a: ")}),
        // Two names that become one identifier: a warning naming both.
        json!({"name": format!("{}-", hostile("TWIN")), "declaredType": "string"}),
        json!({"name": format!("{}_", hostile("TWIN")), "declaredType": "string"}),
    ];
    variables.push(if next {
        json!({"name": hostile("ADDED"), "declaredType": "boolean"})
    } else {
        json!({"name": hostile("REMOVED"), "declaredType": "boolean"})
    });
    json!({"orgSlug": "acme-42", "projectSlug": "web-1234", "stageSlug": "production",
           "manifestVersion": hostile(version), "requestId": hostile("request"),
           "generatedAtMs": 1, "variables": variables})
}

/// What no terminal may be sent: a hidden character (a control, a direction control, a line
/// separator) other than the line break, or more of one outside text than messages show.
fn terminal_faults(label: &str, stderr: &str) -> Vec<String> {
    let mut faults = Vec::new();
    if let Some(c) = stderr
        .chars()
        .find(|&c| c != '\n' && barekey_typegen_shared::text::is_hidden(c))
    {
        faults.push(format!("{label}: {c:?} reached the terminal"));
    }
    let longest = stderr.split(|c| c != 'x').map(str::len).max().unwrap_or(0);
    if longest > barekey_typegen_shared::text::MAX_SHOWN_CHARS {
        faults.push(format!(
            "{label}: a run of {longest} characters of outside text"
        ));
    }
    if !stderr.contains(r"\u{1b}]8;;https://evil.example/") {
        faults.push(format!(
            "{label}: the outside text is not shown escaped: {stderr:.2000}"
        ));
    }
    faults
}

/// Every piece of the service's text the CLI prints goes through the one escaping and length
/// cap, in every mode: the watch's lines (versions, changes, an outage's error), warnings
/// naming variables, what `pull` changed, `check --remote`'s drift, errors naming variables.
#[test]
fn service_text_reaches_the_terminal_escaped_and_cut_in_every_mode() {
    let mut faults = Vec::new();
    let outage =
        Reply::error(503, &hostile("CODE"), &hostile("message")).header("Retry-After", "0");
    let mut replies = vec![
        Reply::json(200, &hostile_manifest(false)),
        Reply::json(200, &hostile_manifest(true)),
    ];
    replies.extend(std::iter::repeat_n(outage, 4));
    replies.push(Reply::json(200, &hostile_manifest(true)));
    let server = Server::replying(replies);
    let project = Project::new();
    let watch = project.watch(
        &server,
        &[
            "generate",
            "--live",
            "--watch",
            "--interval",
            "1",
            "--rust",
            "env.rs",
            "--ts",
            "env.ts",
        ],
    );
    wait_until("the recovery line", || {
        fs::read_to_string(&watch.stderr).is_ok_and(|text| text.contains("answers again"))
    });
    watch.signal("TERM");
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr:.2000}");
    for line in ["manifest v1", "-> v2", "added: ADDED", "error: "] {
        assert!(stderr.contains(line), "{line}: {stderr:.3000}");
    }
    faults.extend(terminal_faults("generate --live --watch", &stderr));

    let (server, manifest) = switchable();
    *manifest.lock().unwrap() = hostile_manifest(false);
    let project = Project::new();
    let run = |args: &[&str]| {
        let output = project.command(&server, args).output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let mut runs = vec![
        ("pull", run(&["pull"])),
        ("pull --watch", {
            let watch = project.watch(&server, &["pull", "--watch", "--out", "watched.json"]);
            wait_until("the watched snapshot", || {
                project.path().join("watched.json").exists()
            });
            wait_until("the watch's line", || {
                fs::read_to_string(&watch.stderr).is_ok_and(|text| text.contains("variables"))
            });
            watch.signal("INT");
            watch.finish()
        }),
        (
            "generate --live",
            run(&["generate", "--live", "--rust", "env.rs", "--ts", "env.ts"]),
        ),
    ];
    *manifest.lock().unwrap() = hostile_manifest(true);
    runs.push((
        "check --remote",
        run(&["check", "--remote", "--rust", "env.rs"]),
    ));
    runs.push(("pull, changed", run(&["pull"])));
    runs.push((
        "check, stale",
        run(&["check", "--rust", "env.rs", "--ts", "env.ts"]),
    ));
    let mut duplicated = hostile_manifest(true);
    let first = duplicated["variables"][0].clone();
    duplicated["variables"].as_array_mut().unwrap().push(first);
    *manifest.lock().unwrap() = duplicated;
    runs.push(("pull, invalid", run(&["pull"])));
    // A committed snapshot whose stageSlug is the service's text, under a stage's file name.
    let stages = Project::new();
    let mut snapshot = hostile_manifest(false);
    snapshot["stageSlug"] = json!(hostile("stage"));
    fs::write(
        stages.path().join("barekey.manifest.production.json"),
        snapshot.to_string(),
    )
    .unwrap();
    let output = stages
        .command(&server, &["check", "--rust", "env.rs"])
        .output()
        .unwrap();
    runs.push((
        "check, snapshot of another stage",
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ));
    for (label, (code, stderr)) in runs {
        let expected = match label {
            "check --remote" | "check, stale" | "pull, invalid" => Some(1),
            "check, snapshot of another stage" => Some(1),
            _ => Some(0),
        };
        if code != expected {
            faults.push(format!(
                "{label}: exit {code:?}, not {expected:?}: {stderr:.2000}"
            ));
        }
        faults.extend(terminal_faults(label, &stderr));
    }
    assert_all(faults);
}
