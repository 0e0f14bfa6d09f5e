//! `Client` against a real HTTP server on 127.0.0.1: every reply shape of pull,
//! evaluate and evaluate-batch, typed values and decisions, the headers sent, every error code,
//! retries, the https-or-loopback rule, and that no token or private value ever shows.

// The workspace's test helpers that use nothing of the generator: golden files, the demo
// values and the canned HTTP server.
#[path = "../../tests/testsuite/common/golden.rs"]
mod common;
#[path = "../../tests/testsuite/common/server.rs"]
mod server;

#[allow(
    unreachable_pub,
    reason = "the generated module is pub for crates that re-export it; here it is private"
)]
mod barekey {
    include!("../../tests/golden/rust/demo.rs");
}

/// The two stages of `fixtures/stages`, merged: variables only one stage has are `Option`s.
#[allow(unreachable_pub, reason = "as `barekey`")]
mod stages {
    include!("../../tests/golden/rust/stages.rs");
}

/// JSON of known shapes, and of none (`JsonValue`).
#[allow(unreachable_pub, reason = "as `barekey`")]
mod shapes {
    include!("../../tests/golden/rust/json-shapes.rs");
}

/// `get` and `get_all`: typed per-request decisions.
#[path = "typed/get.rs"]
mod typed;

use std::ffi::OsString;
use std::time::{Duration, Instant};

use barekey_typegen_client::{Arm, Client, ClientBuilder, ErrorCode, ErrorKind, Evaluate};
use barekey_typegen_runtime::{DecisionKind, Kind, bucket};
use common::{DEMO_VALUES, assert_all, check_golden};
use serde_json::{Value, json};
use server::{Reply, Request, Server};

const TOKEN: &str = "bk_at_client_token_Qx7";
const SECRET: &str = "hunter2-db";

fn builder(server: &Server) -> ClientBuilder {
    Client::builder()
        .api_url(server.url())
        .org("acme-42")
        .project("web-1234")
        .stage("production")
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
        .retry_max_delay(Duration::from_millis(20))
}

fn client(server: &Server) -> Client {
    builder(server).build().unwrap()
}

/// The reply of an evaluation of `name` with `value`.
fn evaluation(name: &str, kind: &str, value: &str, decision: Value) -> Value {
    json!({"name": name, "kind": kind, "value": value, "declaredType": "string",
           "decision": decision, "requestId": "req_eval"})
}

/// What a message says, with the server's port made stable.
fn normalized(text: &str, server: &Server) -> String {
    text.replace(&server.url(), "http://127.0.0.1:PORT")
}

fn assert_no_secret(label: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{label} shows the token: {text}");
    assert!(
        !text.contains(SECRET),
        "{label} shows a private value: {text}"
    );
}

fn assert_common_headers(request: &Request) {
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let id = request.header("x-request-id").unwrap_or_default();
    assert_eq!(id.len(), 36, "a generated UUID: {id:?}");
}

#[tokio::test]
async fn pull_reads_every_reply_shape_into_a_typed_barekey_env_in_one_request() {
    let flat: serde_json::Map<String, Value> = DEMO_VALUES
        .iter()
        .map(|(name, value)| (name.to_string(), json!(value)))
        .collect();
    let listed: Vec<Value> = DEMO_VALUES
        .iter()
        .map(|(name, value)| json!({"name": name, "value": value, "kind": "secret"}))
        .collect();
    let mut flat_with_id = flat.clone();
    flat_with_id.insert("requestId".to_owned(), json!("req_pull"));
    let shapes = [
        (
            "variables",
            json!({"variables": flat, "requestId": "req_pull"}),
        ),
        (
            "values",
            json!({"values": listed, "byName": flat, "requestId": "req_pull"}),
        ),
        ("flat", Value::Object(flat_with_id)),
    ];
    for (shape, body) in shapes {
        let server = Server::replying(vec![Reply::json(200, &body)]);
        let client = client(&server);
        let pulled = client.pull().await.unwrap();
        assert_eq!(pulled.request_id(), Some("req_pull"), "{shape}");
        assert_eq!(
            pulled.names().count(),
            14,
            "{shape}: requestId is not a variable"
        );
        let env = barekey::BarekeyEnv::from_lookup(pulled.lookup()).unwrap();
        assert_eq!(env.port, 8080, "{shape}");
        assert!(env.feature_signups, "{shape}");
        assert_eq!(env.request_timeout_secs, 10.0, "{shape}");
        assert_eq!(env.theme_config.tiers[0], "gold", "{shape}");
        assert_eq!(
            env.launch_at.to_string(),
            "2026-03-01T08:30:00.250Z",
            "{shape}"
        );
        assert_eq!(
            env.checkout_flow,
            barekey::CheckoutFlow::Treatment,
            "{shape}"
        );
        assert_eq!(env.checkout_flow.value(), "treatment", "{shape}");
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "{shape}: one request");
        assert_eq!(requests[0].path(), "/v1/env/pull");
        assert_common_headers(&requests[0]);
        assert_eq!(requests[0].header("x-barekey-request-key"), None);
        assert_eq!(
            requests[0].json(),
            json!({"orgSlug": "acme-42", "projectSlug": "web-1234", "stageSlug": "production"})
        );
        assert_no_secret(shape, &format!("{pulled:?}"));
    }
}

#[tokio::test]
async fn pull_sends_the_seed_key_and_the_callers_headers() {
    // Values are text; other JSON is taken as its JSON text, and null as no value.
    let server = Server::replying(vec![Reply::json(
        200,
        &json!({"variables": {"PORT": 1, "DEBUG": true, "GONE": null}}),
    )]);
    let options = Evaluate::default()
        .seed("user-42")
        .key("checkout-v1")
        .request_id("trace-1")
        .request_key("order-7");
    let pulled = client(&server).pull_with(&options).await.unwrap();
    assert_eq!(pulled.get("PORT"), Some("1"));
    assert_eq!(pulled.get("DEBUG"), Some("true"));
    assert_eq!(pulled.names().collect::<Vec<_>>(), ["DEBUG", "PORT"]);
    assert_eq!(pulled.request_id(), None);
    let request = &server.requests()[0];
    assert_eq!(request.header("x-request-id"), Some("trace-1"));
    assert_eq!(request.header("x-barekey-request-key"), Some("order-7"));
    assert_eq!(
        request.json(),
        json!({"orgSlug": "acme-42", "projectSlug": "web-1234", "stageSlug": "production",
               "seed": "user-42", "key": "checkout-v1"})
    );
}

#[tokio::test]
async fn missing_and_invalid_pulled_values_are_one_load_error_through_one_question_mark() {
    let server = Server::replying(vec![Reply::json(
        200,
        &json!({"variables": {"PORT": "80a", "NEW_DASHBOARD": SECRET}}),
    )]);
    let client = client(&server);
    async fn load(client: &Client) -> Result<barekey::BarekeyEnv, barekey_typegen_runtime::Error> {
        Ok(barekey::BarekeyEnv::from_lookup(
            client.pull().await?.lookup(),
        )?)
    }
    let error = load(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Load);
    let problems = error.load_error().unwrap().problems();
    assert_eq!(problems.len(), 14, "12 missing, 2 invalid");
    let shown = format!("{error}\n{error:?}");
    assert!(
        shown.contains("PORT (int64, public): \"80a\" is invalid"),
        "{shown}"
    );
    assert!(
        shown.contains("NEW_DASHBOARD (boolean, private)"),
        "{shown}"
    );
    assert_no_secret("the load error", &shown);
}

#[tokio::test]
async fn evaluate_reads_both_decision_shapes_and_parses_by_declared_type() {
    let ab = bucket(
        DecisionKind::AbRoll,
        "CHECKOUT_FLOW",
        Some("user-42"),
        Some("checkout-v1"),
    )
    .unwrap();
    let rollout = bucket(
        DecisionKind::Rollout,
        "NEW_DASHBOARD",
        None,
        Some("user_abc"),
    )
    .unwrap();
    // (reply, kind, arm, bucket): the docs' "a"/"b", and the code's object, whose arm follows
    // from the bucket and chance (A below the chance for ab_roll, B below it for rollout).
    let cases = [
        (
            evaluation("CHECKOUT_FLOW", "ab_roll", "control", json!("a")),
            Kind::AbRoll,
            Some(Arm::A),
            None,
        ),
        (
            evaluation("CHECKOUT_FLOW", "ab_roll", "treatment", json!("B")),
            Kind::AbRoll,
            Some(Arm::B),
            None,
        ),
        (
            evaluation(
                "CHECKOUT_FLOW",
                "ab_roll",
                "treatment",
                json!({"bucket": ab, "chance": 0.5, "seed": "user-42", "key": "checkout-v1",
                       "matchedRule": "bucket"}),
            ),
            Kind::AbRoll,
            Some(Arm::B),
            Some(ab),
        ),
        (
            evaluation(
                "NEW_DASHBOARD",
                "rollout",
                "true",
                json!({"bucket": rollout, "chance": 0.7, "matchedRule": "rollout"}),
            ),
            Kind::Rollout,
            Some(Arm::B),
            Some(rollout),
        ),
        (
            evaluation(
                "NEW_DASHBOARD",
                "rollout",
                "false",
                json!({"bucket": rollout, "chance": 0.6}),
            ),
            Kind::Rollout,
            Some(Arm::A),
            Some(rollout),
        ),
        (
            evaluation("DATABASE_URL", "secret", SECRET, Value::Null),
            Kind::Secret,
            None,
            None,
        ),
    ];
    for (reply, kind, arm, bucket) in cases {
        let server = Server::replying(vec![Reply::json(200, &reply)]);
        let name = reply["name"].as_str().unwrap();
        let options = Evaluate::default().seed("user-42").key("checkout-v1");
        let evaluated = client(&server).evaluate(name, &options).await.unwrap();
        assert_eq!(evaluated.value, reply["value"].as_str().unwrap());
        assert_eq!(evaluated.kind, Some(kind));
        assert_eq!(
            evaluated.decision.map(|decision| decision.arm),
            arm,
            "{reply}"
        );
        assert_eq!(
            evaluated.decision.and_then(|decision| decision.bucket),
            bucket
        );
        assert_eq!(evaluated.request_id.as_deref(), Some("req_eval"));
        assert_no_secret("Evaluated", &format!("{evaluated:?}"));
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/v1/env/evaluate");
        assert_common_headers(request);
        assert_eq!(
            request.json(),
            json!({"orgSlug": "acme-42", "projectSlug": "web-1234", "stageSlug": "production",
                   "name": name, "seed": "user-42", "key": "checkout-v1"})
        );
    }

    let server = Server::replying(vec![Reply::json(
        200,
        &json!({"name": "PRICING_EXPERIMENT", "kind": "ab_roll", "value": " 42 ", "decision": "b"}),
    )]);
    let typed = client(&server)
        .evaluate_as::<i64>("PRICING_EXPERIMENT", &Evaluate::default())
        .await
        .unwrap();
    assert_eq!(
        (typed.value, typed.decision.map(|d| d.arm)),
        (42, Some(Arm::B))
    );
    assert_eq!(server.requests()[0].json()["declaredType"], "int64");
}

#[tokio::test]
async fn a_typed_evaluation_never_shows_the_invalid_value() {
    let server = Server::replying(vec![Reply::json(
        200,
        &json!({"name": "PORT", "kind": "secret", "value": SECRET}),
    )]);
    let error = client(&server)
        .evaluate_as::<i64>("PORT", &Evaluate::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidVariable);
    assert_eq!(error.variable(), Some("PORT"));
    assert_no_secret(
        "the typed evaluation's error",
        &format!("{error} {error:?}"),
    );
}

#[tokio::test]
async fn evaluate_batch_reads_entries_results_and_values_into_a_barekey_env() {
    let names: Vec<&str> = DEMO_VALUES.iter().map(|(name, _)| *name).collect();
    for key in ["entries", "results", "values"] {
        let results: Vec<Value> = DEMO_VALUES
            .iter()
            .map(|(name, value)| evaluation(name, "secret", value, Value::Null))
            .collect();
        let server = Server::replying(vec![Reply::json(
            200,
            &json!({key: results, "requestId": "req_b"}),
        )]);
        let options = Evaluate::default().seed("user-42").request_key("batch-1");
        let batch = client(&server)
            .evaluate_batch(&names, &options)
            .await
            .unwrap();
        assert_eq!(batch.request_id.as_deref(), Some("req_b"), "{key}");
        let env = barekey::BarekeyEnv::from_lookup(batch.lookup()).unwrap();
        assert_eq!(env.max_upload_mb, 0, "{key}");
        assert_no_secret(key, &format!("{batch:?}"));
        let request = &server.requests()[0];
        assert_eq!(request.path(), "/v1/env/evaluate-batch");
        assert_common_headers(request);
        assert_eq!(request.header("x-barekey-request-key"), Some("batch-1"));
        let body = request.json();
        assert_eq!(body["projectSlug"], "web-1234");
        assert_eq!(body.get("seed"), None, "the seed goes in each entry");
        assert_eq!(body["entries"].as_array().unwrap().len(), 14);
        assert_eq!(
            body["entries"][7],
            json!({"name": "PORT", "seed": "user-42"})
        );
    }
}

#[tokio::test]
async fn one_missing_variable_fails_the_whole_batch() {
    let server = Server::replying(vec![Reply::error(
        404,
        "VARIABLE_NOT_FOUND",
        "No variable named 'NOPE' found in stage 'production'.",
    )]);
    let error = client(&server)
        .evaluate_batch(&["PORT", "NOPE"], &Evaluate::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.code(), Some(&ErrorCode::VariableNotFound));
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.request_id(), Some("req_test_1"));
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn every_error_code_is_typed_and_only_the_retryable_ones_are_retried() {
    // (status, code as sent, code as typed, retryable)
    let table = [
        (401, "UNAUTHORIZED", ErrorCode::Unauthorized, false),
        (403, "ORG_SCOPE_INVALID", ErrorCode::OrgScopeInvalid, false),
        (403, "INVALID_ORG_SCOPE", ErrorCode::OrgScopeInvalid, false),
        (400, "INVALID_JSON", ErrorCode::InvalidJson, false),
        (400, "INVALID_REQUEST", ErrorCode::InvalidRequest, false),
        (
            404,
            "VARIABLE_NOT_FOUND",
            ErrorCode::VariableNotFound,
            false,
        ),
        (
            404,
            "MANIFEST_NOT_FOUND",
            ErrorCode::ManifestNotFound,
            false,
        ),
        (500, "EVALUATION_FAILED", ErrorCode::EvaluationFailed, true),
        (
            402,
            "USAGE_LIMIT_EXCEEDED",
            ErrorCode::UsageLimitExceeded,
            false,
        ),
        (
            503,
            "BILLING_UNAVAILABLE",
            ErrorCode::BillingUnavailable,
            true,
        ),
        (
            404,
            "DEVICE_CODE_NOT_FOUND",
            ErrorCode::DeviceCodeNotFound,
            false,
        ),
        (
            410,
            "DEVICE_CODE_EXPIRED",
            ErrorCode::DeviceCodeExpired,
            false,
        ),
        (400, "USER_CODE_INVALID", ErrorCode::UserCodeInvalid, false),
        (
            401,
            "INVALID_REFRESH_TOKEN",
            ErrorCode::InvalidRefreshToken,
            false,
        ),
        (
            429,
            "RATE_LIMITED",
            ErrorCode::Unknown("RATE_LIMITED".to_owned()),
            true,
        ),
        (
            500,
            "SOMETHING_NEW",
            ErrorCode::Unknown("SOMETHING_NEW".to_owned()),
            false,
        ),
        // Any 503 was not processed (a gateway's page, a code we do not know): retried.
        (
            503,
            "MAINTENANCE",
            ErrorCode::Unknown("MAINTENANCE".to_owned()),
            true,
        ),
    ];
    let mut golden = String::new();
    let mut failures = Vec::new();
    for (status, code, typed, retryable) in table {
        let server = Server::replying(vec![Reply::error(status, code, "The service said no.")]);
        let error = client(&server)
            .evaluate("PORT", &Evaluate::default())
            .await
            .unwrap_err();
        let requests = server.requests().len();
        let expected = if retryable { 4 } else { 1 };
        if (
            error.kind(),
            error.code(),
            error.status(),
            error.request_id(),
            error.is_retryable(),
            requests,
        ) != (
            ErrorKind::Api,
            Some(&typed),
            Some(status),
            Some("req_test_1"),
            retryable,
            expected,
        ) {
            failures.push(format!("{code}: {error:?} after {requests} requests"));
        }
        assert_no_secret(code, &format!("{error}\n{error:?}"));
        golden.push_str(&format!(
            "{code}:\n{}\n\n",
            normalized(&error.to_string(), &server)
        ));
    }
    failures.extend(check_golden("client/api-errors.txt", &golden).err());
    assert_all(failures);
}

#[tokio::test]
async fn retries_reuse_the_request_ids_and_honour_a_capped_retry_after() {
    let server = Server::replying(vec![
        Reply::error(503, "BILLING_UNAVAILABLE", "Billing is down").header("Retry-After", "1"),
        Reply::error(429, "RATE_LIMITED", "Slow down"),
        Reply::error(500, "EVALUATION_FAILED", "Try again").header("Retry-After", "0"),
        Reply::json(200, &evaluation("PORT", "secret", "8080", Value::Null)),
    ]);
    let client = builder(&server)
        .retry_max_delay(Duration::from_millis(400))
        .build()
        .unwrap();
    let options = Evaluate::default().request_key("once");
    let started = Instant::now();
    let evaluated = client.evaluate("PORT", &options).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(evaluated.value, "8080");
    // Retry-After: 1 s, capped at 400 ms; then 2 ms of backoff; then Retry-After: 0.
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.header("x-request-id").unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.header("x-barekey-request-key") == Some("once"))
    );

    let server = Server::replying(vec![Reply::error(503, "BILLING_UNAVAILABLE", "down")]);
    let error = builder(&server)
        .retries(1)
        .build()
        .unwrap()
        .evaluate("PORT", &Evaluate::default())
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 2);
    assert!(
        error
            .to_string()
            .ends_with("\ngave up after 2 attempts; try again later"),
        "{error}"
    );
}

#[tokio::test]
async fn replies_that_are_not_the_apis_and_failed_connections_name_the_url() {
    let html = "<!doctype html><title>502</title>";
    let cases = [
        (
            Reply::new(502, "text/html", html),
            ErrorKind::BadReply,
            "an HTML page",
        ),
        (
            Reply::new(200, "text/plain", "hello"),
            ErrorKind::BadReply,
            "not JSON",
        ),
        (
            Reply::json(200, &json!({"name": "PORT"})),
            ErrorKind::BadReply,
            "without a value",
        ),
        (
            Reply::json(200, &json!({"name": "PORT", "value": "1", "decision": "c"})),
            ErrorKind::BadReply,
            "a decision that is neither",
        ),
        // A success that repeats the token sent (a hostile or broken server) is refused whole.
        (
            Reply::json(200, &evaluation("PORT", "secret", TOKEN, Value::Null)),
            ErrorKind::BadReply,
            "repeats the token this request sent",
        ),
        (
            Reply::json(200, &json!({"name": format!("x{TOKEN}"), "value": "1"})),
            ErrorKind::BadReply,
            "repeats the token this request sent",
        ),
        (
            Reply::json(200, &json!({"value": "1"})).cut_off(50),
            ErrorKind::Network,
            "cut off",
        ),
        (
            Reply::json(200, &json!({"value": "1"})).delayed(Duration::from_secs(3)),
            ErrorKind::Network,
            "no complete reply within 0.3 s",
        ),
    ];
    for (reply, kind, said) in cases {
        let server = Server::replying(vec![reply]);
        let client = builder(&server)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let error = client
            .evaluate("PORT", &Evaluate::default())
            .await
            .unwrap_err();
        let message = error.to_string();
        assert_eq!(error.kind(), kind, "{message}");
        assert!(message.contains(said), "{message}");
        assert!(
            message.contains(&format!("{}/v1/env/evaluate", server.url())),
            "{message}"
        );
        assert_eq!(
            error.url(),
            Some(format!("{}/v1/env/evaluate", server.url()).as_str())
        );
        assert!(!error.is_retryable());
        assert_no_secret(said, &format!("{message}\n{error:?}"));
    }
    // Nothing listens there: the listener is dropped at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = Client::builder()
        .api_url(format!("http://127.0.0.1:{port}"))
        .project("p")
        .stage("s")
        .token(TOKEN)
        .build()
        .unwrap()
        .pull()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert!(error.to_string().contains("cannot connect"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    assert_no_secret("connection refused", &format!("{error}\n{error:?}"));
}

#[test]
fn the_token_goes_over_https_or_to_loopback_only_and_the_client_needs_its_settings() {
    let build = |url: &str| {
        Client::builder()
            .api_url(url)
            .project("p")
            .stage("s")
            .token(TOKEN)
            .build()
    };
    for url in [
        "https://api.barekey.dev/",
        "http://127.0.0.1:1",
        "http://[::1]:1",
        "http://localhost",
    ] {
        assert!(build(url).is_ok(), "{url}");
    }
    let mut golden = String::new();
    for url in [
        "http://api.barekey.dev",
        "http://192.0.2.1",
        "https://user:pw-Zx@api.barekey.dev",
        "ftp://x",
        // Every route would land in the query or fragment.
        "http://127.0.0.1:1/?pw-Zx=1",
        "https://api.barekey.dev#pw-Zx",
    ] {
        let error = build(url).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{url}");
        assert!(!error.to_string().contains("pw-Zx"), "{error}");
        golden.push_str(&format!("{url}:\n{error}\n\n"));
    }
    let base = Client::builder().api_url("https://api.barekey.dev");
    for (what, builder) in [
        ("project", base.clone().stage("s").token(TOKEN)),
        ("stage", base.clone().project("p").token(TOKEN)),
        ("token", base.clone().project("p").stage("s").token("  ")),
    ] {
        let error = builder.build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{what}");
        golden.push_str(&format!("no {what}:\n{error}\n\n"));
    }
    assert_all(
        check_golden("client/config-errors.txt", &golden)
            .err()
            .into_iter()
            .collect(),
    );
}

#[tokio::test]
async fn a_request_id_or_key_that_is_no_header_value_is_refused_before_sending() {
    let server = Server::replying(vec![Reply::json(200, &json!({"variables": {}}))]);
    let client = client(&server);
    for options in [
        Evaluate::default().request_id("trace\n1"),
        Evaluate::default().request_key("k\u{7f}"),
    ] {
        let error = client.pull_with(&options).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        assert!(
            error.to_string().contains("use printable ASCII only"),
            "{error}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn from_lookup_takes_the_clis_settings_and_barekey_access_token() {
    let server = Server::replying(vec![Reply::json(200, &json!({"variables": {}}))]);
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("barekey.json"),
        r#"{"organization": "acme-42", "project": "web-1234", "environment": "staging"}"#,
    )
    .unwrap();
    let url = server.url();
    let env = |token: Option<&'static str>| {
        let url = url.clone();
        move |name: &str| match name {
            "BAREKEY_API_URL" => Some(OsString::from(&url)),
            "BAREKEY_STAGE" => Some(OsString::from("production")),
            "BAREKEY_ACCESS_TOKEN" => token.map(OsString::from),
            _ => None,
        }
    };
    let client = ClientBuilder::from_lookup(&env(Some(TOKEN)), folder.path())
        .unwrap()
        .build()
        .unwrap();
    client.pull().await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(
        request.json(),
        json!({"orgSlug": "acme-42", "projectSlug": "web-1234", "stageSlug": "production"})
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_no_secret("Client", &format!("{client:?}"));

    let unset = ClientBuilder::from_lookup(&env(None), folder.path()).unwrap_err();
    assert_eq!(unset.kind(), ErrorKind::Config);
    assert!(
        unset
            .to_string()
            .starts_with("BAREKEY_ACCESS_TOKEN is not set"),
        "{unset}"
    );
    let empty = ClientBuilder::from_lookup(&env(Some(" ")), folder.path()).unwrap_err();
    assert!(
        empty
            .to_string()
            .contains("BAREKEY_ACCESS_TOKEN is set but empty"),
        "{empty}"
    );
}

#[test]
fn a_missing_stage_names_the_clients_settings_not_the_clis_flags() {
    let folder = tempfile::tempdir().unwrap();
    let barekey_json = folder.path().join("barekey.json");
    std::fs::write(&barekey_json, r#"{"project": "web-1234"}"#).unwrap();
    let env = |name: &str| (name == "BAREKEY_ACCESS_TOKEN").then(|| OsString::from(TOKEN));
    let error = ClientBuilder::from_lookup(&env, folder.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert_eq!(
        error.to_string(),
        format!(
            "no Barekey stage for the client; looked at:\n  - $BAREKEY_STAGE (not set)\n  - {} \
             (no \"environment\")\nset BAREKEY_STAGE, write it in {}, or build the client with \
             ClientBuilder::stage",
            barekey_json.display(),
            barekey_json.display()
        )
    );
    assert_eq!(format!("{error:?}"), error.to_string());
    assert!(!error.to_string().contains("--"), "{error}");
}

#[test]
fn no_debug_of_the_client_or_its_builder_shows_the_token() {
    let builder = Client::builder().project("p").stage("s").token(TOKEN);
    let client = builder.clone().build().unwrap();
    for text in [format!("{builder:?}"), format!("{client:?}")] {
        assert!(text.contains("<redacted>"), "{text}");
        assert_no_secret("Debug", &text);
    }
}

#[test]
fn the_example_loads_barekey_env_and_evaluates_an_ab_switch_from_the_api() {
    let values = DEMO_VALUES;
    let server = Server::start(move |request| match request.path() {
        "/v1/env/pull" => Reply::json(
            200,
            &json!({"variables": serde_json::Map::from_iter(
            values.iter().map(|(name, value)| (name.to_string(), json!(value))))}),
        ),
        _ => {
            let body = request.json();
            let b = bucket(
                DecisionKind::AbRoll,
                "CHECKOUT_FLOW",
                body["seed"].as_str(),
                body["key"].as_str(),
            )
            .unwrap();
            let (value, _) = if b < 0.5 {
                ("control", "a")
            } else {
                ("treatment", "b")
            };
            Reply::json(
                200,
                &evaluation(
                    "CHECKOUT_FLOW",
                    "ab_roll",
                    value,
                    json!({"bucket": b, "chance": 0.5, "matchedRule": "bucket"}),
                ),
            )
        }
    });
    let folder = tempfile::tempdir().unwrap();
    let mut golden = String::new();
    for user in ["user-42", "user-7"] {
        let output = std::process::Command::new(example_binary("demo"))
            .arg(user)
            .current_dir(folder.path())
            .env_clear()
            .env("BAREKEY_API_URL", server.url())
            .env("BAREKEY_ACCESS_TOKEN", TOKEN)
            .env("BAREKEY_PROJECT", "web-1234")
            .env("BAREKEY_STAGE", "production")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{output:?}");
        assert_no_secret(
            "the example's output",
            &format!("{stdout}{}", String::from_utf8_lossy(&output.stderr)),
        );
        golden.push_str(&format!("$ demo {user}\n{stdout}"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "one pull and one evaluate per run");
    assert_all(
        check_golden("client/example.txt", &golden)
            .err()
            .into_iter()
            .collect(),
    );
}

/// The example program `name`, as `cargo test` builds it (with `--all-features`), else built
/// now.
fn example_binary(name: &str) -> std::path::PathBuf {
    let deps = std::env::current_exe().unwrap();
    let profile = deps.parent().unwrap().parent().unwrap();
    let binary = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        let status = std::process::Command::new("cargo")
            .args(["build", "-p", "barekey-typegen-client", "--example", name])
            .current_dir(common::root())
            .status()
            .unwrap();
        assert!(status.success());
    }
    binary
}

#[tokio::test]
async fn a_reply_past_the_read_cap_is_refused_with_the_url_and_the_cap() {
    let server = Server::replying(vec![
        Reply::new(200, "application/json", "{\"variables\": {").endless(),
    ]);
    // A long timeout: the cap, not the clock, must end the read.
    let client = builder(&server)
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let error = client.pull().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadReply, "{error}");
    let message = normalized(&error.to_string(), &server);
    assert_all(
        check_golden("client/reply-past-the-cap.txt", &format!("{message}\n"))
            .err()
            .into_iter()
            .collect(),
    );
    assert_eq!(server.requests().len(), 1, "a refused body is not retried");
}

/// An application's own `reqwest::Client`, with a default header and a long timeout of its own.
fn given_reqwest_client() -> barekey_typegen_client::reqwest::Client {
    use barekey_typegen_client::reqwest;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-app", reqwest::header::HeaderValue::from_static("given"));
    let mut secret = reqwest::header::HeaderValue::from_static("app-secret-9");
    secret.set_sensitive(true);
    headers.insert("x-app-secret", secret);
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("the-app/1")
        .timeout(Duration::from_secs(600))
        // A loopback API URL: no proxy may see the token (what the client's own does).
        .no_proxy()
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_given_reqwest_client_sends_the_requests_with_our_headers_timeout_and_retries() {
    let server = Server::replying(vec![
        Reply::error(429, "RATE_LIMITED", "Slow down"),
        Reply::json(200, &json!({"variables": {"PORT": "8080"}})),
    ]);
    let client = builder(&server)
        .reqwest_client(given_reqwest_client())
        .build()
        .unwrap();
    let options = Evaluate::default()
        .request_id("trace-1")
        .request_key("key-1");
    let pulled = client.pull_with(&options).await.unwrap();
    assert_eq!(pulled.get("PORT"), Some("8080"));
    // Our retries: the 429 was retried, with the same request id.
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        // The given client's default headers and user agent...
        assert_eq!(request.header("x-app"), Some("given"));
        assert_eq!(request.header("user-agent"), Some("the-app/1"));
        // ...and ours: the token, the trace id and the billing key.
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
        assert_eq!(request.header("x-request-id"), Some("trace-1"));
        assert_eq!(request.header("x-barekey-request-key"), Some("key-1"));
    }

    // Our timeout, not the given client's 600 s.
    let server = Server::replying(vec![
        Reply::json(200, &json!({"value": "1"})).delayed(Duration::from_secs(3)),
    ]);
    let client = builder(&server)
        .reqwest_client(given_reqwest_client())
        .timeout(Duration::from_millis(300))
        .retries(0)
        .build()
        .unwrap();
    let error = client
        .evaluate("PORT", &Evaluate::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert!(
        error.to_string().contains("no complete reply within 0.3 s"),
        "{error}"
    );
}

#[test]
fn a_given_reqwest_client_keeps_the_https_or_loopback_rule_and_hides_its_headers() {
    let error = Client::builder()
        .api_url("http://api.barekey.dev")
        .project("p")
        .stage("s")
        .token(TOKEN)
        .reqwest_client(given_reqwest_client())
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert!(error.to_string().contains("plain http"), "{error}");
    let builder = Client::builder()
        .project("p")
        .stage("s")
        .token(TOKEN)
        .reqwest_client(given_reqwest_client());
    let client = builder.clone().build().unwrap();
    for text in [format!("{builder:?}"), format!("{client:?}")] {
        assert!(!text.contains("app-secret-9"), "{text}");
        assert_no_secret("Debug", &text);
    }
    assert!(format!("{builder:?}").contains("given by the application"));
}

#[cfg(feature = "native-roots")]
#[test]
fn with_native_roots_the_client_builds_over_the_systems_roots_and_webpkis() {
    // reqwest loads the system's roots when the client is built (rustls-native-certs), beside
    // webpki-roots'; a machine with none still builds one.
    let client = Client::builder()
        .project("p")
        .stage("s")
        .token(TOKEN)
        .build()
        .unwrap();
    assert_no_secret("Debug", &format!("{client:?}"));
}
