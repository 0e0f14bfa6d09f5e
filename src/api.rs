//! What every call to the Barekey API shares, whichever HTTP client makes it: the
//! https-or-loopback rule, the token, the retry policy, and replies read into JSON or a
//! failure. The blocking manifest fetch (`fetch`) and the runtime's async client
//! (`runtime::Client`) both build on it, so they cannot drift apart.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::runtime::{ErrorCode, Redacted};
use crate::{ApiError, Error, Result};

/// The `User-Agent` of every request.
pub(crate) const USER_AGENT: &str = concat!("barekey-typegen/", env!("CARGO_PKG_VERSION"));

/// The trace id header; the service echoes it as `requestId`.
pub(crate) const REQUEST_ID: &str = "x-request-id";

/// The billing idempotency key header, one per logical evaluation.
#[cfg(feature = "client")]
pub(crate) const REQUEST_KEY: &str = "x-barekey-request-key";

/// A secret (access or refresh token). `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Token(String);

impl Token {
    /// `text` trimmed; `None` when nothing is left.
    pub(crate) fn new(text: &str) -> Option<Token> {
        let text = text.trim();
        (!text.is_empty()).then(|| Token(text.to_owned()))
    }

    /// The secret itself, for the one place it goes: a request.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Token").field(&Redacted).finish()
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Redacted, f)
    }
}

/// `base` (the configured API URL, no trailing `/`) with `path` appended, checked: http(s)
/// only, no credentials in it, and plain http only to this machine.
pub(crate) fn route(base: &str, path: &str) -> Result<Url> {
    let invalid = |reason: &str| Error::InvalidApiUrl {
        url: base.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(&format!("{base}{path}")).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(invalid("it must start with https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        let mut shown = url.clone();
        // Neither can fail on an http(s) URL; the error must not repeat the password.
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(Error::InvalidApiUrl {
            url: shown.to_string(),
            reason: "it must not hold a user name or password".to_owned(),
        });
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        let mut shown = url.clone();
        shown.set_query(None);
        return Err(Error::InsecureApiUrl {
            url: shown.to_string(),
        });
    }
    Ok(url)
}

/// Whether the URL's host is this machine (a proxy must not see its requests).
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// A reqwest client builder (`$builder`: blocking or async, which share no trait) for the API
/// at `$base`, with the timeouts and our user agent, following no redirect, and bypassing any
/// proxy for this machine (a proxy would see a loopback request's token in clear text);
/// `Err` for a base the token may not be sent to ([`route`]).
macro_rules! http_client_builder {
    ($builder:expr, $base:expr, $timeout:expr, $connect_timeout:expr) => {
        $crate::api::route($base, "/").map(|checked| {
            let builder = $builder
                .timeout($timeout)
                .connect_timeout($connect_timeout.min($timeout))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent($crate::api::USER_AGENT);
            if $crate::api::is_loopback(&checked) {
                builder.no_proxy()
            } else {
                builder
            }
        })
    };
}
pub(crate) use http_client_builder;

/// A fresh trace id for a request whose caller gave none.
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The `Retry-After` of a reply, in whole seconds as the service sends it.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// Bounded exponential backoff for the failures the service says are worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// How many times a retryable failure is retried.
    pub(crate) retries: u32,
    /// The first retry's delay without `Retry-After`; it doubles each time.
    pub(crate) base_delay: Duration,
    /// No retry waits longer than this, whatever `Retry-After` says.
    pub(crate) max_delay: Duration,
}

impl Backoff {
    /// How long to wait before trying `reply` again, or `None` to give up and return it.
    pub(crate) fn wait(&self, reply: &Reply) -> Option<Duration> {
        if reply.attempts > self.retries || !is_retryable(reply.status, &reply.body) {
            return None;
        }
        let backoff = self
            .base_delay
            .saturating_mul(1 << (reply.attempts - 1).min(16));
        Some(reply.retry_after.unwrap_or(backoff).min(self.max_delay))
    }
}

/// Whether to retry: 429, any 503 (the request was not processed: `BILLING_UNAVAILABLE`, or a
/// gateway's page while the service restarts), and the code `EVALUATION_FAILED`
/// (`seeds/errors.txt`); never anything else.
pub(crate) fn is_retryable(status: u16, body: &[u8]) -> bool {
    status == 429
        || status == 503
        || serde_json::from_slice(body)
            .ok()
            .and_then(|body: Value| ErrorBody::read(&body))
            .is_some_and(|error| ErrorCode::parse(&error.code).is_retryable())
}

/// The service's error body, `{"error": {"code", "message", "requestId"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
}

impl ErrorBody {
    /// The `error` object of a failure reply, if the body is one.
    pub(crate) fn read(body: &Value) -> Option<ErrorBody> {
        let error = body.get("error")?;
        let text = |key| error.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(ErrorBody {
            code: text("code").unwrap_or_else(|| "UNKNOWN".to_owned()),
            message: text("message").unwrap_or_default(),
            request_id: text("requestId")
                .or_else(|| body.get("requestId")?.as_str().map(str::to_owned)),
        })
    }
}

impl ErrorBody {
    /// The core's [`ApiError`] for this body of a reply from `url`, with `hint` (what to do
    /// about the code, when known) and, after several `attempts`, that they were given up.
    pub(crate) fn into_api_error(
        self,
        url: String,
        status: u16,
        attempts: u32,
        hint: Option<String>,
    ) -> ApiError {
        let mut hints: Vec<String> = hint.into_iter().collect();
        if attempts > 1 {
            hints.push(format!(
                "gave up after {attempts} attempts; try again later"
            ));
        }
        let hint = (!hints.is_empty()).then(|| hints.join("\n"));
        ApiError::new(url, status, self.code, self.message, self.request_id, hint)
    }
}

/// One complete HTTP reply.
#[derive(Debug)]
pub(crate) struct Reply {
    /// The URL asked (never holds a token).
    pub(crate) url: String,
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) retry_after: Option<Duration>,
    /// How many requests it took, from 1.
    pub(crate) attempts: u32,
}

/// Why a reply is not the JSON of a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Not JSON, or JSON that is not a Barekey error: what came instead.
    BadReply(String),
    /// The service's error body.
    Api(ErrorBody),
}

impl Reply {
    /// Attempt number `attempts` (from 1) at `url`, from its status and headers; its body is
    /// read next.
    pub(crate) fn started(url: &str, status: u16, headers: &HeaderMap, attempts: u32) -> Reply {
        Reply {
            url: url.to_owned(),
            status,
            body: Vec::new(),
            retry_after: retry_after(headers),
            attempts,
        }
    }

    /// Appends one chunk of the body as it arrives. Once the body would pass
    /// [`MAX_READ_BYTES`](crate::limit::MAX_READ_BYTES), keeps nothing more and returns what
    /// came back instead (for a `BadReply`), so a reply that never ends stops there.
    pub(crate) fn push_body(&mut self, chunk: &[u8]) -> Result<(), String> {
        if self.body.len() + chunk.len() > crate::limit::MAX_READ_BYTES {
            return Err(format!(
                "a body larger than {}, the most barekey-typegen reads from one reply",
                crate::limit::MAX_READ_SHOWN
            ));
        }
        self.body.extend_from_slice(chunk);
        Ok(())
    }

    /// The JSON body of a success, or why there is none.
    pub(crate) fn json(&self) -> Result<Value, Failure> {
        let text = String::from_utf8_lossy(&self.body);
        let trimmed = text.trim_start_matches('\u{feff}').trim();
        let bad = |what: &str| Failure::BadReply(what.to_owned());
        if trimmed.is_empty() {
            return Err(bad("an empty body instead of JSON"));
        }
        if trimmed.starts_with('<') {
            return Err(bad("an HTML page instead of JSON"));
        }
        let body: Value = serde_json::from_str(trimmed).map_err(|error| {
            Failure::BadReply(if error.is_eof() {
                "JSON that is cut off before its end".to_owned()
            } else {
                format!("a body that is not JSON ({error})")
            })
        })?;
        if (200..300).contains(&self.status) {
            return Ok(body);
        }
        ErrorBody::read(&body).map_or_else(
            || Err(bad("JSON that is not a Barekey error")),
            |error| Err(Failure::Api(error)),
        )
    }
}

/// What a failed request is, in a few words, for a message naming the URL (never the token);
/// `raise` says how to raise the `timeout`.
pub(crate) fn describe(error: &reqwest::Error, timeout: Duration, raise: &str) -> String {
    if error.is_timeout() {
        format!(
            "no complete reply within {} s ({raise})",
            timeout.as_secs_f64()
        )
    } else if error.is_connect() {
        "cannot connect (is the API URL right, and the network up?)".to_owned()
    } else if error.is_body() || error.is_decode() {
        "the reply was cut off before its end".to_owned()
    } else {
        "the request failed".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_over_https_or_to_a_loopback_address_only() {
        for allowed in [
            "https://api.barekey.dev",
            "https://10.0.0.1:8443/base",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:3000",
            "http://LOCALHOST",
        ] {
            assert!(route(allowed, "/v1/x").is_ok(), "{allowed}");
        }
        for insecure in ["http://api.barekey.dev", "http://10.0.0.1", "http://[::2]"] {
            let error = route(insecure, "/v1/x").unwrap_err();
            assert!(matches!(error, Error::InsecureApiUrl { .. }), "{insecure}");
        }
        for invalid in [
            "ftp://api.barekey.dev",
            "https://user:pw@api.barekey.dev",
            "api",
        ] {
            let error = route(invalid, "/v1/x").unwrap_err();
            assert!(matches!(error, Error::InvalidApiUrl { .. }), "{invalid}");
            assert!(!error.to_string().contains("pw"), "{error}");
        }
    }

    #[test]
    fn tokens_never_show_in_debug_or_display() {
        let token = Token::new(" bk_at_secret ").unwrap();
        assert_eq!(token.to_string(), "<redacted>");
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        assert_eq!(token.expose(), "bk_at_secret");
        assert_eq!(Token::new("  "), None);
    }

    fn reply(status: u16, body: &str, attempts: u32, retry_after: Option<u64>) -> Reply {
        Reply {
            url: "https://api.barekey.dev/v1/x".to_owned(),
            status,
            body: body.as_bytes().to_vec(),
            retry_after: retry_after.map(Duration::from_secs),
            attempts,
        }
    }

    #[test]
    fn only_429_and_the_retryable_codes_wait_with_doubling_bounded_delays() {
        let backoff = Backoff {
            retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        let error = |code: &str| format!(r#"{{"error":{{"code":"{code}"}}}}"#);
        let wait = |status, body: &str, attempts, after| {
            backoff.wait(&reply(status, body, attempts, after))
        };
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(wait(429, "", 1, None), ms(100));
        assert_eq!(wait(429, "", 3, None), ms(400));
        assert_eq!(wait(429, "", 4, None), None);
        assert_eq!(wait(429, "", 1, Some(60)), ms(1000));
        assert_eq!(wait(429, "", 1, Some(0)), ms(0));
        assert_eq!(wait(503, &error("BILLING_UNAVAILABLE"), 2, None), ms(200));
        assert_eq!(wait(500, &error("EVALUATION_FAILED"), 1, None), ms(100));
        for (status, code) in [
            (500, "INTERNAL_ERROR"),
            (500, "OTHER"),
            (404, "VARIABLE_NOT_FOUND"),
            (401, "UNAUTHORIZED"),
        ] {
            assert_eq!(wait(status, &error(code), 1, None), None, "{code}");
        }
        assert_eq!(wait(500, "<html>", 1, None), None);
        // A 503 was not processed, whatever its body: a gateway's page while the service restarts.
        assert_eq!(wait(503, "<html>", 1, None), ms(100));
        assert_eq!(wait(503, &error("OTHER"), 1, None), ms(100));
    }

    #[test]
    fn replies_become_json_an_error_body_or_what_came_instead() {
        let json = |status, body| reply(status, body, 1, None).json();
        assert_eq!(
            json(200, "\u{feff} {\"a\": 1}"),
            Ok(serde_json::json!({"a": 1}))
        );
        let failure = json(
            404,
            r#"{"error": {"code": "X", "message": "m"}, "requestId": "r"}"#,
        );
        assert_eq!(
            failure,
            Err(Failure::Api(ErrorBody {
                code: "X".to_owned(),
                message: "m".to_owned(),
                request_id: Some("r".to_owned()),
            }))
        );
        for (body, what) in [
            ("", "an empty body"),
            ("<html>", "an HTML page"),
            ("{\"a\":", "cut off"),
            ("hello", "not JSON"),
        ] {
            let Err(Failure::BadReply(said)) = json(200, body) else {
                panic!("{body}");
            };
            assert!(said.contains(what), "{said}");
        }
        assert_eq!(
            json(500, "{}"),
            Err(Failure::BadReply(
                "JSON that is not a Barekey error".to_owned()
            ))
        );
    }
}
