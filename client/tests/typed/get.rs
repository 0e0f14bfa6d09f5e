//! `Client::get` and `Client::get_all` with the generated `Var` constants: every declared type,
//! switches as their enums, JSON structs, variables only some stages have, the stage checks,
//! every error the service sends for these routes, and no private value anywhere.

use super::*;

/// A stand-in service that holds `values` for the stage `stage`: `evaluate` answers the name
/// asked for (the decision of a switch as the code sends it), or `VARIABLE_NOT_FOUND`;
/// `evaluate-batch` answers every entry, or fails whole on one name it lacks.
fn service(stage: &'static str, values: Vec<(&'static str, &'static str)>) -> Server {
    Server::start(move |request| {
        let body = request.json();
        assert_eq!(body["stageSlug"], stage, "the client's stage is sent");
        let evaluate = |entry: &Value| -> Option<Value> {
            let name = entry["name"].as_str()?;
            let (_, value) = values.iter().find(|(known, _)| *known == name)?;
            let decision = match name {
                "CHECKOUT_FLOW" | "NEW_SEARCH_UI" => {
                    json!({"bucket": 0.8045196561142802, "chance": 0.5, "matchedRule": "bucket"})
                }
                _ => Value::Null,
            };
            let kind = if decision.is_null() {
                "secret"
            } else {
                "ab_roll"
            };
            Some(json!({"name": name, "kind": kind, "value": value,
                        "declaredType": entry["declaredType"], "decision": decision,
                        "requestId": "req_eval"}))
        };
        let not_found = || {
            Reply::error(
                404,
                "VARIABLE_NOT_FOUND",
                &format!("A variable was not found in stage '{stage}'."),
            )
        };
        match request.path() {
            "/v1/env/evaluate" => {
                evaluate(&body).map_or_else(not_found, |one| Reply::json(200, &one))
            }
            _ => {
                let entries = body["entries"].as_array().cloned().unwrap_or_default();
                let results: Option<Vec<Value>> = entries.iter().map(evaluate).collect();
                results.map_or_else(not_found, |results| {
                    Reply::json(200, &json!({"results": results, "requestId": "req_batch"}))
                })
            }
        }
    })
}

/// A client of `stage` of the stand-in `server`.
fn client_of(server: &Server, stage: &str) -> Client {
    builder(server).stage(stage).build().unwrap()
}

fn user_42() -> Evaluate {
    Evaluate::default().seed("user-42").key("checkout-v1")
}

/// The values the merged stages module loads with in `stage` (its stage-only variables too).
fn stage_values(stage: &str) -> Vec<(&'static str, &'static str)> {
    let mut values = vec![
        ("CHECKOUT_FLOW", "control"),
        ("DATABASE_URL", "postgres://db"),
        ("FEATURE_SIGNUPS", "true"),
        ("LAUNCH_AT", "2026-03-01T00:00:00Z"),
        ("LOG_LEVEL", "info"),
        ("MAX_UPLOAD_MB", "25"),
        ("NEW_DASHBOARD", "true"),
        ("PORT", "8080"),
        ("PRICING_EXPERIMENT", "7"),
        ("REQUEST_TIMEOUT_SECS", "2.5"),
        ("SEARCH_BACKEND_ROLLOUT", "typesense"),
        ("STRIPE_SECRET_KEY", "sk_live_hunter2"),
        ("THEME_CONFIG", r#"{"darkMode": false, "tiers": []}"#),
    ];
    match stage {
        "production" => values.extend([
            ("CDN_URL", "https://cdn.example"),
            ("SENTRY_DSN", "https://key@sentry.example/1"),
        ]),
        _ => values.extend([
            ("BETA_LIMITS", r#"{"maxSeats": 5, "regions": ["eu"]}"#),
            ("DEBUG_SQL", "yes"),
            ("NEW_SEARCH_UI", "instant"),
        ]),
    }
    values
}

#[tokio::test]
async fn get_decides_a_switch_for_one_user_as_its_enum_with_the_decision() {
    let server = service("production", DEMO_VALUES.to_vec());
    let client = client(&server);
    let flow = client
        .get(barekey::BarekeyEnv::CHECKOUT_FLOW, &user_42())
        .await
        .unwrap();
    // Exhaustive: a renamed arm breaks this line at compile time
    // (tests/testsuite/compile_generated.rs).
    let page = match flow.value {
        barekey::CheckoutFlow::Control => "old",
        barekey::CheckoutFlow::Treatment => "new",
    };
    assert_eq!(page, "new");
    let decision = flow.decision.unwrap();
    assert_eq!(
        (decision.arm, decision.bucket, decision.chance),
        (Arm::B, Some(0.804_519_656_114_280_2), Some(0.5))
    );
    assert_eq!(flow.kind, Some(Kind::AbRoll));
    assert_eq!(flow.request_id.as_deref(), Some("req_eval"));
    assert_no_secret("Evaluated", &format!("{flow:?}"));
    assert!(
        format!("{flow:?}").contains("value: <redacted>"),
        "{flow:?}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/v1/env/evaluate");
    assert_common_headers(&requests[0]);
    assert_eq!(
        requests[0].json(),
        json!({"orgSlug": "acme-42", "projectSlug": "web-1234", "stageSlug": "production",
               "name": "CHECKOUT_FLOW", "seed": "user-42", "key": "checkout-v1",
               "declaredType": "string"})
    );
}

#[tokio::test]
async fn get_reads_every_declared_type_switch_and_json_shape_as_the_fields_type() {
    let server = service("production", DEMO_VALUES.to_vec());
    let demo = client(&server);
    let options = user_42();
    type Env = barekey::BarekeyEnv;
    let port: i64 = demo.get(Env::PORT, &options).await.unwrap().value;
    let signups: bool = demo
        .get(Env::FEATURE_SIGNUPS, &options)
        .await
        .unwrap()
        .value;
    let timeout: f64 = demo
        .get(Env::REQUEST_TIMEOUT_SECS, &options)
        .await
        .unwrap()
        .value;
    let launch = demo.get(Env::LAUNCH_AT, &options).await.unwrap().value;
    let url: String = demo.get(Env::DATABASE_URL, &options).await.unwrap().value;
    let theme: barekey::ThemeConfig = demo.get(Env::THEME_CONFIG, &options).await.unwrap().value;
    let pricing = demo
        .get(Env::PRICING_EXPERIMENT, &options)
        .await
        .unwrap()
        .value;
    let search = demo
        .get(Env::SEARCH_BACKEND_ROLLOUT, &options)
        .await
        .unwrap()
        .value;
    let dashboard: bool = demo.get(Env::NEW_DASHBOARD, &options).await.unwrap().value;
    assert_eq!((port, signups, timeout), (8080, true, 10.0));
    assert_eq!(launch.to_string(), "2026-03-01T08:30:00.250Z");
    assert_eq!(url, "postgres://app:hunter2-db@db/app");
    assert_eq!(
        (theme.dark_mode, theme.tiers),
        (true, vec!["gold".to_owned()])
    );
    assert_eq!(pricing, barekey::PricingExperiment::B);
    assert_eq!(search, barekey::SearchBackendRollout::Elasticsearch);
    assert!(!dashboard);
    let declared: Vec<String> = server
        .requests()
        .iter()
        .map(|request| request.json()["declaredType"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        declared,
        [
            "int64", "boolean", "float", "date", "string", "json", "int64", "string", "boolean"
        ]
    );

    // JSON without a known shape, and a private array of structs.
    let server = service(
        "production",
        vec![
            ("NOT_AN_OBJECT", "[1, {\"a\": null}]"),
            (
                "PLANS",
                r#"[{"name": "pro", "limits": {"seats": 3, "api-calls": 9}, "tags": []}]"#,
            ),
        ],
    );
    let shaped = client(&server);
    let any = shaped
        .get(shapes::BarekeyEnv::NOT_AN_OBJECT, &options)
        .await
        .unwrap();
    assert_eq!(any.value, json!([1, {"a": null}]));
    let plans = shaped
        .get(shapes::BarekeyEnv::PLANS, &options)
        .await
        .unwrap();
    assert_eq!(plans.value[0].limits.api_calls, 9.0);
}

#[tokio::test]
async fn a_value_that_is_not_the_variables_type_is_shown_only_when_public() {
    let server = service(
        "production",
        vec![
            ("PORT", "80a"),
            ("CHECKOUT_FLOW", SECRET),
            ("THEME_CONFIG", r#"{"darkMode": "hunter2-db"}"#),
        ],
    );
    let client = client(&server);
    let options = user_42();
    let port = client
        .get(barekey::BarekeyEnv::PORT, &options)
        .await
        .unwrap_err();
    assert_eq!(port.kind(), ErrorKind::InvalidVariable);
    let flow = client
        .get(barekey::BarekeyEnv::CHECKOUT_FLOW, &options)
        .await
        .unwrap_err();
    assert_eq!(
        (flow.kind(), flow.variable()),
        (ErrorKind::InvalidVariable, Some("CHECKOUT_FLOW"))
    );
    assert_no_secret("a private switch's error", &format!("{flow} {flow:?}"));
    let theme = client
        .get(barekey::BarekeyEnv::THEME_CONFIG, &options)
        .await
        .unwrap_err();
    let mut golden = String::new();
    for error in [&port, &flow, &theme] {
        golden.push_str(&format!("{error}\n"));
    }
    assert!(golden.contains("\"80a\" is invalid"), "{golden}");
    assert_all(
        check_golden("client/typed-invalid.txt", &golden)
            .err()
            .into_iter()
            .collect(),
    );
}

#[tokio::test]
async fn get_of_a_stage_only_variable_is_none_where_the_stage_lacks_it() {
    // Production lacks NEW_SEARCH_UI: `None` without asking the service (it bills each call).
    let server = service("production", stage_values("production"));
    let ui = client_of(&server, "production")
        .get(stages::BarekeyEnv::NEW_SEARCH_UI, &user_42())
        .await
        .unwrap();
    assert_eq!(ui.value, None);
    assert_eq!(ui.kind, Some(Kind::AbRoll));
    assert!(
        server.requests().is_empty(),
        "no request for a stage without it"
    );

    // Staging has it: asked for, and typed.
    let server = service("staging", stage_values("staging"));
    let client = client_of(&server, "staging");
    let ui = client
        .get(stages::BarekeyEnv::NEW_SEARCH_UI, &user_42())
        .await
        .unwrap();
    assert_eq!(ui.value, Some(stages::NewSearchUi::Instant));
    assert_eq!(ui.decision.map(|decision| decision.arm), Some(Arm::B));
    let limits = client
        .get(stages::BarekeyEnv::BETA_LIMITS, &user_42())
        .await
        .unwrap();
    assert_eq!(limits.value.map(|limits| limits.max_seats), Some(5.0));

    // Staging should have it but the service says it has not: `None`, with its request id.
    let server = service("staging", vec![]);
    let debug = client_of(&server, "staging")
        .get(stages::BarekeyEnv::DEBUG_SQL, &user_42())
        .await
        .unwrap();
    assert_eq!(debug.value, None);
    assert_eq!(debug.request_id.as_deref(), Some("req_test_1"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn get_all_decides_the_whole_env_for_one_user_in_one_batch_request() {
    let server = service("production", DEMO_VALUES.to_vec());
    let options = user_42().request_key("page-view-9");
    let env: barekey::BarekeyEnv = client(&server).get_all(&options).await.unwrap();
    let from_env = barekey::BarekeyEnv::from_lookup(|name| {
        DEMO_VALUES
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, value)| (*value).to_owned())
    })
    .unwrap();
    assert_eq!(env, from_env);
    assert_eq!(env.checkout_flow, barekey::CheckoutFlow::Treatment);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one round trip, one billed event");
    assert_eq!(requests[0].path(), "/v1/env/evaluate-batch");
    assert_common_headers(&requests[0]);
    assert_eq!(
        requests[0].header("x-barekey-request-key"),
        Some("page-view-9")
    );
    let entries = requests[0].json()["entries"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 14);
    assert_eq!(
        entries[0],
        json!({"name": "CHECKOUT_FLOW", "seed": "user-42", "key": "checkout-v1",
               "declaredType": "string"})
    );
    assert_no_secret("BarekeyEnv", &format!("{env:?}"));
}

#[tokio::test]
async fn get_all_asks_only_for_the_variables_of_the_clients_stage() {
    let names = |server: &Server| -> Vec<String> {
        let body = server.requests()[0].json();
        let entries = body["entries"].as_array().unwrap().clone();
        entries
            .iter()
            .map(|entry| entry["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let server = service("production", stage_values("production"));
    let env: stages::BarekeyEnv = client_of(&server, "production")
        .get_all(&user_42())
        .await
        .unwrap();
    let asked = names(&server);
    assert_eq!(asked.len(), 15);
    for staging_only in ["BETA_LIMITS", "DEBUG_SQL", "NEW_SEARCH_UI"] {
        assert!(!asked.iter().any(|name| name == staging_only), "{asked:?}");
    }
    assert_eq!(env.cdn_url.as_deref(), Some("https://cdn.example"));
    assert_eq!(
        (env.beta_limits.is_none(), env.debug_sql, env.new_search_ui),
        (true, None, None)
    );

    let server = service("staging", stage_values("staging"));
    let env: stages::BarekeyEnv = client_of(&server, "staging")
        .get_all(&user_42())
        .await
        .unwrap();
    let asked = names(&server);
    assert_eq!(asked.len(), 16);
    assert!(
        !asked
            .iter()
            .any(|name| name == "CDN_URL" || name == "SENTRY_DSN")
    );
    assert_eq!((env.cdn_url, env.sentry_dsn), (None, None));
    assert_eq!(
        (env.debug_sql, env.new_search_ui),
        (Some(true), Some(stages::NewSearchUi::Instant))
    );
}

#[tokio::test]
async fn get_all_lists_every_problem_at_once_and_never_a_private_value() {
    let mut values = DEMO_VALUES.to_vec();
    for (name, value) in [
        ("PORT", "80a"),
        ("NEW_DASHBOARD", SECRET),
        ("CHECKOUT_FLOW", SECRET),
        ("SEARCH_BACKEND_ROLLOUT", "elastic"),
    ] {
        values.retain(|(known, _)| *known != name);
        values.push((name, value));
    }
    let server = service("production", values);
    let error = client(&server)
        .get_all::<barekey::BarekeyEnv>(&user_42())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Load);
    assert_eq!(error.load_error().unwrap().problems().len(), 4);
    let shown = format!("{error}\n{error:?}");
    assert_no_secret("the batch's load error", &shown);
    assert_all(
        check_golden("client/typed-load-error.txt", &format!("{error}\n"))
            .err()
            .into_iter()
            .collect(),
    );
}

/// Each way the stage and the module disagree, and a batch reply that leaves a variable out.
#[tokio::test]
async fn stage_mismatches_and_stale_modules_are_one_error_each_saying_what_to_do() {
    let mut golden = String::new();
    // A client stage the module was not generated for: refused before any request.
    let server = service("prod", vec![]);
    let prod = client_of(&server, "prod");
    let get = prod
        .get(stages::BarekeyEnv::PORT, &user_42())
        .await
        .unwrap_err();
    let get_all = prod
        .get_all::<stages::BarekeyEnv>(&user_42())
        .await
        .unwrap_err();
    for error in [&get, &get_all] {
        assert_eq!(error.kind(), ErrorKind::Config);
        golden.push_str(&format!("stage prod:\n{error}\n\n"));
    }
    assert!(server.requests().is_empty());

    // A stage that lacks a variable every stage of the module has.
    let server = service("production", vec![("PORT", "8080")]);
    let production = client(&server);
    let get = production
        .get(barekey::BarekeyEnv::DATABASE_URL, &user_42())
        .await
        .unwrap_err();
    let get_all = production
        .get_all::<barekey::BarekeyEnv>(&user_42())
        .await
        .unwrap_err();
    for (what, error) in [("get", &get), ("get_all", &get_all)] {
        assert_eq!(error.code(), Some(&ErrorCode::VariableNotFound), "{what}");
        assert_eq!(error.request_id(), Some("req_test_1"), "{what}");
        golden.push_str(&format!(
            "{what} VARIABLE_NOT_FOUND:\n{}\n\n",
            normalized(&error.to_string(), &server)
        ));
    }
    assert!(
        get_all.to_string().contains("the stage \"production\""),
        "{get_all}"
    );
    assert_eq!(server.requests().len(), 2, "never retried");

    // A variable retyped in Barekey since the module was generated: the service refuses the
    // declared type the request names.
    for route in ["get", "get_all"] {
        let server = Server::replying(vec![Reply::error(
            400,
            "INVALID_REQUEST",
            "declaredType does not match the stored type.",
        )]);
        let client = client(&server);
        let error = match route {
            "get" => client
                .get(barekey::BarekeyEnv::PORT, &user_42())
                .await
                .map(|_| ()),
            _ => client
                .get_all::<barekey::BarekeyEnv>(&user_42())
                .await
                .map(|_| ()),
        }
        .unwrap_err();
        assert_eq!(error.code(), Some(&ErrorCode::InvalidRequest), "{route}");
        golden.push_str(&format!(
            "{route} INVALID_REQUEST:\n{}\n\n",
            normalized(&error.to_string(), &server)
        ));
    }

    // A reply that leaves out a variable asked for.
    let server = Server::replying(vec![Reply::json(
        200,
        &json!({"results": [evaluation("PORT", "secret", "8080", Value::Null)]}),
    )]);
    let error = client_of(&server, "production")
        .get_all::<barekey::BarekeyEnv>(&user_42())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadReply);
    golden.push_str(&format!(
        "left out:\n{}\n",
        normalized(&error.to_string(), &server)
    ));
    assert_no_secret("the stage errors", &golden);
    assert_all(
        check_golden("client/typed-stages.txt", &golden)
            .err()
            .into_iter()
            .collect(),
    );
}

#[tokio::test]
async fn every_error_code_of_the_evaluate_routes_reaches_get_and_get_all_typed() {
    let codes = [
        (401, "UNAUTHORIZED", ErrorCode::Unauthorized, false),
        (400, "INVALID_JSON", ErrorCode::InvalidJson, false),
        (400, "INVALID_REQUEST", ErrorCode::InvalidRequest, false),
        (403, "INVALID_ORG_SCOPE", ErrorCode::OrgScopeInvalid, false),
        (403, "ORG_SCOPE_INVALID", ErrorCode::OrgScopeInvalid, false),
        (
            404,
            "VARIABLE_NOT_FOUND",
            ErrorCode::VariableNotFound,
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
    ];
    let mut failures = Vec::new();
    for (status, code, typed, retryable) in codes {
        for route in ["get", "get_all"] {
            let server = Server::replying(vec![Reply::error(status, code, "No.")]);
            let client = client(&server);
            let error = match route {
                "get" => client
                    .get(barekey::BarekeyEnv::CHECKOUT_FLOW, &user_42())
                    .await
                    .map(|_| ()),
                _ => client
                    .get_all::<barekey::BarekeyEnv>(&user_42())
                    .await
                    .map(|_| ()),
            }
            .unwrap_err();
            let requests = server.requests().len();
            let expected = if retryable { 4 } else { 1 };
            if (error.kind(), error.code(), error.is_retryable(), requests)
                != (ErrorKind::Api, Some(&typed), retryable, expected)
            {
                failures.push(format!(
                    "{route} {code}: {error:?} after {requests} requests"
                ));
            }
            assert_no_secret(code, &format!("{error}\n{error:?}"));
        }
    }
    assert_all(failures);
}

/// One HTTP/1.1 `GET` of `target` from the service at `address`: its status line and body.
fn http_get(address: &str, target: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nhost: {address}\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    format!("{}\n{body}", head.lines().next().unwrap_or_default())
}

/// `client/examples/checkout.rs`, a tokio service, against the stand-in service: each request
/// decides `CHECKOUT_FLOW` for its user (one evaluate each), `/settings` decides the whole
/// `BarekeyEnv` in one batch.
#[test]
fn the_checkout_service_decides_the_switch_per_request() {
    let values = DEMO_VALUES;
    let server = Server::start(move |request| {
        let body = request.json();
        // What the service decides: the arm of each entry's seed and key.
        let decide = |entry: &Value| -> Value {
            let name = entry["name"].as_str().unwrap();
            if name != "CHECKOUT_FLOW" {
                let (_, value) = values.iter().find(|(known, _)| *known == name).unwrap();
                return evaluation(name, "secret", value, Value::Null);
            }
            let b = bucket(
                DecisionKind::AbRoll,
                name,
                entry["seed"].as_str(),
                entry["key"].as_str(),
            )
            .unwrap();
            let value = if b < 0.5 { "control" } else { "treatment" };
            let decision = json!({"bucket": b, "chance": 0.5, "matchedRule": "bucket"});
            evaluation(name, "ab_roll", value, decision)
        };
        match request.path() {
            "/v1/env/evaluate" => Reply::json(200, &decide(&body)),
            _ => {
                let entries = body["entries"].as_array().unwrap();
                let results: Vec<Value> = entries.iter().map(decide).collect();
                Reply::json(200, &json!({"results": results}))
            }
        }
    });
    let folder = tempfile::tempdir().unwrap();
    let targets = [
        "/checkout?user=42",
        "/checkout?user=7",
        "/settings?user=42",
        "/checkout?user=a%20b",
        "/nope?user=1",
    ];
    let mut service = std::process::Command::new(example_binary("checkout"))
        .args(["127.0.0.1:0", "--requests", &targets.len().to_string()])
        .current_dir(folder.path())
        .env_clear()
        .env("BAREKEY_API_URL", server.url())
        .env("BAREKEY_ACCESS_TOKEN", TOKEN)
        .env("BAREKEY_PROJECT", "web-1234")
        .env("BAREKEY_STAGE", "production")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(service.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    let address = first
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("not listening: {first:?}"))
        .to_owned();
    let mut golden = String::new();
    for target in targets {
        golden.push_str(&format!("GET {target}\n{}\n", http_get(&address, target)));
    }
    let output = service.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_no_secret("the service's answers", &golden);
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(Request::path).collect();
    assert_eq!(
        paths,
        [
            "/v1/env/evaluate",
            "/v1/env/evaluate",
            "/v1/env/evaluate-batch"
        ],
        "one evaluate per checkout, one batch for the settings"
    );
    assert_eq!(requests[0].json()["seed"], "user-42");
    assert_all(
        check_golden("client/checkout-example.txt", &golden)
            .err()
            .into_iter()
            .collect(),
    );
}
