//! Internal to [barekey-typegen](https://crates.io/crates/barekey-typegen): the one HTTP
//! implementation of the Barekey API, for its client (`barekey-typegen-client`) and its
//! generator's feature `fetch`. It pins nothing for others and has **no stable API**: depend
//! on `barekey-typegen-client`.
//!
//! The https-or-loopback rule, the token, one request with its retries ([`Http::send`]), and
//! replies read into JSON or a failure. The CLI's manifest fetch drives it on a current-thread
//! tokio runtime, the client on the application's, so the two cannot drift apart.
//!
//! One request id per logical call: [`Http::send`] sends the caller's `x-request-id`, or one
//! fresh id, with every attempt of that call, so the service's logs tie its retries together.
//!
//! It is a crate of its own so that nothing an application links for reading its environment
//! (the runtime, and the shared crate beneath it) has a feature that could bring reqwest in.

// docs.rs (`--cfg docsrs`, nightly) labels each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

pub use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use serde_json::Value;

use barekey_typegen_shared::{ApiError, ErrorCode, MAX_READ_BYTES, MAX_READ_SHOWN, Redacted};

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("barekey-typegen/", env!("CARGO_PKG_VERSION"));

/// The trace id header; the service echoes it as `requestId`.
pub const REQUEST_ID: &str = "x-request-id";

/// The billing idempotency key header, one per logical evaluation.
pub const REQUEST_KEY: &str = "x-barekey-request-key";

/// A secret (access or refresh token). `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// `text` trimmed; `None` when nothing is left.
    pub fn new(text: &str) -> Option<Token> {
        let text = text.trim();
        (!text.is_empty()).then(|| Token(text.to_owned()))
    }

    /// The secret itself, for the one place it goes: a request.
    pub fn expose(&self) -> &str {
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

/// Why a request could not be made or got no complete reply. Each front-end words it for its
/// own settings (CLI flags, or `ClientBuilder` methods and `BAREKEY_*` variables). Exhaustive on
/// purpose: this crate is internal, and each front-end must word every variant.
#[derive(Debug)]
pub enum HttpError {
    /// The API URL is not one a request can go to.
    InvalidApiUrl {
        /// The URL as configured (without a password).
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// The token would travel in clear text to a machine other than this one.
    InsecureApiUrl {
        /// The URL, without credentials or query.
        url: String,
    },
    /// No complete reply: connection refused, timeout, cut-off reply, or no HTTP client.
    Network {
        /// The URL asked.
        url: String,
        /// What went wrong, in a few words.
        what: String,
        /// The HTTP client's error, without the URL.
        source: reqwest::Error,
    },
    /// A reply that cannot be read: its body passed [`MAX_READ_BYTES`].
    BadReply {
        /// The URL asked.
        url: String,
        /// The HTTP status of the reply.
        status: u16,
        /// What came back instead of a reply that can be read.
        what: String,
    },
    /// A header value the caller gave cannot be sent.
    InvalidHeader {
        /// The header's name.
        name: &'static str,
        /// The value (a request id or key, never a secret).
        value: String,
    },
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::InvalidApiUrl { url, reason } => {
                write!(f, "{url:?} is not a usable Barekey API URL ({reason})")
            }
            HttpError::InsecureApiUrl { url } => write!(
                f,
                "refusing to send the Barekey token to {url} over plain http: use https, or \
                 plain http only to a loopback address (127.0.0.1, ::1, localhost)"
            ),
            HttpError::Network { url, what, .. } => write!(f, "cannot get {url}: {what}"),
            HttpError::BadReply { url, status, what } => {
                write!(f, "{url} answered HTTP {status} with {what}")
            }
            HttpError::InvalidHeader { name, value } => {
                write!(
                    f,
                    "{value:?} cannot be sent as {name}: use printable ASCII only"
                )
            }
        }
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HttpError::Network { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `base` (the configured API URL, no trailing `/`) with `path` appended, checked: http(s)
/// only, no credentials, query or fragment in it, and plain http only to this machine.
pub fn route(base: &str, path: &str) -> Result<Url, HttpError> {
    let invalid = |reason: &str| HttpError::InvalidApiUrl {
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
        return Err(HttpError::InvalidApiUrl {
            url: shown.to_string(),
            reason: "it must not hold a user name or password".to_owned(),
        });
    }
    // A query or fragment in the base would swallow every route appended to it
    // (`https://host/?x=1` + `/v1/typegen/manifest`): the request would go to `/`.
    if let Ok(mut shown) = Url::parse(base) {
        if shown.query().is_some() || shown.fragment().is_some() {
            // Shown without them: they are the user's text, and may hold a secret.
            shown.set_query(None);
            shown.set_fragment(None);
            return Err(HttpError::InvalidApiUrl {
                url: shown.to_string(),
                reason: "it must not hold a query (`?...`) or a fragment (`#...`): the API's \
                         routes are added to its path"
                    .to_owned(),
            });
        }
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        let mut shown = url.clone();
        shown.set_query(None);
        return Err(HttpError::InsecureApiUrl {
            url: shown.to_string(),
        });
    }
    Ok(url)
}

/// Whether the URL's host is this machine (a proxy must not see its requests).
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// A fresh trace id for a request whose caller gave none.
fn new_request_id() -> String {
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
pub struct Backoff {
    /// How many times a retryable failure is retried.
    pub retries: u32,
    /// The first retry's delay without `Retry-After`; it doubles each time.
    pub base_delay: Duration,
    /// No retry waits longer than this, whatever `Retry-After` says.
    pub max_delay: Duration,
}

impl Default for Backoff {
    /// 3 retries from 500 ms, never more than 10 s apart.
    fn default() -> Self {
        Backoff {
            retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl Backoff {
    /// How long to wait before trying `reply` again, or `None` to give up and return it.
    pub fn wait(&self, reply: &Reply) -> Option<Duration> {
        if reply.attempts > self.retries || !is_retryable(reply.status, &reply.body) {
            return None;
        }
        let backoff = self.delay(reply.attempts);
        Some(reply.retry_after.unwrap_or(backoff).min(self.max_delay))
    }

    /// The wait after failed attempt number `attempt` (from 1) when nothing says otherwise:
    /// `base_delay`, doubling with each attempt, never more than `max_delay`.
    pub fn delay(&self, attempt: u32) -> Duration {
        self.base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay)
    }
}

/// Whether to retry: 429, any 503 (the request was not processed: `BILLING_UNAVAILABLE`, or a
/// gateway's page while the service restarts), and the code `EVALUATION_FAILED`
/// (the Barekey API's documented error codes); never anything else.
pub fn is_retryable(status: u16, body: &[u8]) -> bool {
    status == 429
        || status == 503
        || serde_json::from_slice(body)
            .ok()
            .and_then(|body: Value| ErrorBody::read(&body))
            .is_some_and(|error| ErrorCode::parse(&error.code).is_retryable())
}

/// The service's error body, `{"error": {"code", "message", "requestId"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// The error code, `UNKNOWN` when there is none.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The request id to quote to Barekey support.
    pub request_id: Option<String>,
}

impl ErrorBody {
    /// The `error` object of a failure reply, if the body is one.
    pub fn read(body: &Value) -> Option<ErrorBody> {
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
    /// The [`ApiError`] for this body of a reply from `url`, with `hint` (what to do
    /// about the code, when known) and, after several `attempts`, that they were given up.
    pub fn into_api_error(
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
pub struct Reply {
    /// The URL asked (never holds a token).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The body, whole.
    pub body: Vec<u8>,
    /// The `Retry-After` the reply asked for.
    pub retry_after: Option<Duration>,
    /// How many requests it took, from 1.
    pub attempts: u32,
}

/// Why a reply is not the JSON of a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not JSON, or JSON that is not a Barekey error: what came instead.
    BadReply(String),
    /// The service's error body.
    Api(ErrorBody),
}

impl Reply {
    /// Attempt number `attempts` (from 1) at `url`, from its status and headers; its body is
    /// read next.
    fn started(url: &str, status: u16, headers: &HeaderMap, attempts: u32) -> Reply {
        Reply {
            url: url.to_owned(),
            status,
            body: Vec::new(),
            retry_after: retry_after(headers),
            attempts,
        }
    }

    /// Appends one chunk of the body as it arrives. Once the body would pass
    /// [`MAX_READ_BYTES`], keeps nothing more and returns what came
    /// back instead (for a `BadReply`), so a reply that never ends stops there.
    pub fn push_body(&mut self, chunk: &[u8]) -> Result<(), String> {
        if self.body.len() + chunk.len() > MAX_READ_BYTES {
            return Err(format!(
                "a body larger than {}, the most barekey-typegen reads from one reply",
                MAX_READ_SHOWN
            ));
        }
        self.body.extend_from_slice(chunk);
        Ok(())
    }

    /// The JSON body of a success, or why there is none.
    pub fn json(&self) -> Result<Value, Failure> {
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
fn describe(error: &reqwest::Error, timeout: Duration, raise: &str) -> String {
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

/// How an [`Http`] behaves: timeouts, retries, and how its user raises the timeout.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The longest a whole request may take, reply included.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
    /// What is retried, how often and how long apart.
    pub backoff: Backoff,
    /// How the user raises `timeout`, for the timeout message (`raise it with --timeout`).
    pub raise_timeout: &'static str,
}

/// One request: method, URL, token, JSON body and the caller's headers.
#[derive(Debug)]
pub struct Request<'a> {
    /// `POST` with this JSON body (which may hold a secret: it is never shown), else `GET`.
    pub json: Option<Vec<u8>>,
    /// Where to ([`route`] checked it).
    pub url: &'a Url,
    /// The bearer token, if any.
    pub token: Option<&'a Token>,
    /// The trace id; a fresh one, the same for every attempt, when `None`.
    pub request_id: Option<&'a str>,
    /// The billing idempotency key, if any.
    pub request_key: Option<&'a str>,
}

/// The HTTP client of the Barekey API at one base URL: reqwest with our timeouts and user
/// agent, following no redirect, and bypassing any proxy for this machine (a proxy would see
/// a loopback request's token in clear text).
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
    config: Config,
}

impl Http {
    /// A client for the API at `base` (no trailing `/`); refuses a base the token may not be
    /// sent to ([`route`]).
    pub fn new(base: &str, config: Config) -> Result<Http, HttpError> {
        let checked = route(base, "/")?;
        let builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout.min(config.timeout))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT);
        let builder = if is_loopback(&checked) {
            builder.no_proxy()
        } else {
            builder
        };
        let client = builder.build().map_err(|error| HttpError::Network {
            url: base.to_owned(),
            what: "cannot set up the HTTP client".to_owned(),
            source: error.without_url(),
        })?;
        Ok(Http {
            client,
            base: base.to_owned(),
            config,
        })
    }

    /// A client for the API at `base` that sends its requests with `client`, the caller's:
    /// its TLS set-up (roots, client certificates), proxies, redirect policy, default headers
    /// (`User-Agent` included), connection pool and connect timeout apply. `config`'s
    /// `timeout` still bounds each request, and its `backoff` still decides the retries;
    /// its `connect_timeout` is the given client's business. Refuses a base the token may not
    /// be sent to ([`route`]), as [`Http::new`] does.
    pub fn with_client(
        base: &str,
        client: reqwest::Client,
        config: Config,
    ) -> Result<Http, HttpError> {
        route(base, "/")?;
        Ok(Http {
            client,
            base: base.to_owned(),
            config,
        })
    }

    /// The base URL, as given.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The checked URL of `path` under the base.
    pub fn route(&self, path: &str) -> Result<Url, HttpError> {
        route(&self.base, path)
    }

    /// Sends `request`, retrying what [`Backoff`] says to, with one request id for every
    /// attempt; returns the last reply, whatever its status.
    pub async fn send(&self, request: &Request<'_>) -> Result<Reply, HttpError> {
        let request_id = match request.request_id {
            Some(id) => header(REQUEST_ID, id)?,
            None => header(REQUEST_ID, &new_request_id())?,
        };
        let request_key = match request.request_key {
            Some(key) => Some(header(REQUEST_KEY, key)?),
            None => None,
        };
        let shown = request.url.to_string();
        let network = |error: reqwest::Error| HttpError::Network {
            url: shown.clone(),
            what: describe(&error, self.config.timeout, self.config.raise_timeout),
            source: error.without_url(),
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut builder = match &request.json {
                Some(body) => self
                    .client
                    .post(request.url.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone()),
                None => self.client.get(request.url.clone()),
            };
            // Set on each request too, so it bounds a caller's client (`with_client`) as ours.
            builder = builder.timeout(self.config.timeout);
            if let Some(token) = request.token {
                builder = builder.bearer_auth(token.expose());
            }
            builder = builder.header(REQUEST_ID, request_id.clone());
            if let Some(key) = &request_key {
                builder = builder.header(REQUEST_KEY, key.clone());
            }
            let mut response = builder.send().await.map_err(network)?;
            let status = response.status().as_u16();
            let mut reply = Reply::started(&shown, status, response.headers(), attempts);
            // Chunk by chunk, so a reply past the cap stops there instead of filling memory.
            while let Some(chunk) = response.chunk().await.map_err(network)? {
                reply
                    .push_body(&chunk)
                    .map_err(|what| HttpError::BadReply {
                        url: shown.clone(),
                        status,
                        what,
                    })?;
            }
            if status >= 400 {
                // A service (or a proxy) that echoes the request in an error must not get the
                // token printed: error text is shown to the user.
                reply.body = redact_secrets(&reply.body, request.token);
            } else if request
                .token
                .is_some_and(|token| holds_token(&reply.body, token))
            {
                // What a success holds is shown, written to snapshots and generated code, or
                // handed to the application: one that repeats the token is refused instead.
                return Err(HttpError::BadReply {
                    url: shown,
                    status,
                    what: TOKEN_ECHOED.to_owned(),
                });
            }
            match self.config.backoff.wait(&reply) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return Ok(reply),
            }
        }
    }
}

/// What a reply that repeats the request's token is, for [`HttpError::BadReply`]: no part of
/// it is used, so the token is neither shown nor written anywhere.
pub const TOKEN_ECHOED: &str = "a reply that repeats the token this request sent in its \
     Authorization header (refused: nothing of it is used or written); check that the API URL is \
     Barekey's, and revoke the token if it is not";

/// Whether `body` holds `token`: as it is, or behind JSON escapes (`\u0062k_at_...`) that a
/// JSON reader would decode, in a key or a string value.
fn holds_token(body: &[u8], token: &Token) -> bool {
    let secret = token.expose();
    let text = String::from_utf8_lossy(body);
    if text.contains(secret) {
        return true;
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    text.contains('\\')
        && serde_json::from_str::<Value>(trimmed).is_ok_and(|value| json_holds(&value, secret))
}

/// Whether a key or string anywhere in `value` holds `secret` (serde_json nests at most 128
/// levels, so the recursion is bounded).
fn json_holds(value: &Value, secret: &str) -> bool {
    match value {
        Value::String(text) => text.contains(secret),
        Value::Array(items) => items.iter().any(|item| json_holds(item, secret)),
        Value::Object(map) => map
            .iter()
            .any(|(key, item)| key.contains(secret) || json_holds(item, secret)),
        _ => false,
    }
}

/// What [`redact_secrets`] puts in place of a secret.
pub const REDACTED: &str = "[redacted]";

/// `body` with every secret-looking run replaced by [`REDACTED`]: the `token` itself, any
/// Barekey token (`bk_at_...`, `bk_rt_...`, whatever token was sent: a refresh request carries
/// one in its body), and whatever follows `Bearer `. For the text of error replies, which
/// reaches the user's terminal.
pub fn redact_secrets(body: &[u8], token: Option<&Token>) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(body).into_owned();
    if let Some(token) = token.filter(|token| !token.expose().is_empty()) {
        text = text.replace(token.expose(), REDACTED);
    }
    for prefix in ["bk_at_", "bk_rt_", "Bearer ", "bearer "] {
        text = redact_after(&text, prefix);
    }
    text.into_bytes()
}

/// `text` with the run of token characters after each `prefix` (the prefix included, for a
/// Barekey token; kept, for `Bearer `) replaced by [`REDACTED`].
fn redact_after(text: &str, prefix: &str) -> String {
    let keeps_prefix = prefix.ends_with(' ');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        let run = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-._~+/=".contains(c)))
            .unwrap_or(after.len());
        out.push_str(&rest[..at]);
        if keeps_prefix {
            out.push_str(prefix);
        }
        if run == 0 && keeps_prefix {
            rest = after;
            continue;
        }
        out.push_str(REDACTED);
        rest = &after[run..];
    }
    out.push_str(rest);
    out
}

/// A header value the caller gave, checked before anything is sent.
fn header(name: &'static str, value: &str) -> Result<HeaderValue, HttpError> {
    HeaderValue::from_str(value).map_err(|_| HttpError::InvalidHeader {
        name,
        value: value.to_owned(),
    })
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
            assert!(
                matches!(error, HttpError::InsecureApiUrl { .. }),
                "{insecure}"
            );
        }
        for invalid in [
            "ftp://api.barekey.dev",
            "https://user:pw@api.barekey.dev",
            "api",
            // The route would land in the query or fragment, the request at `/`.
            "https://api.barekey.dev?x=1",
            "https://api.barekey.dev/base?pw=1",
            "http://127.0.0.1:9/?",
            "https://api.barekey.dev#f",
            "https://api.barekey.dev/#pw",
        ] {
            let error = route(invalid, "/v1/x").unwrap_err();
            assert!(
                matches!(error, HttpError::InvalidApiUrl { .. }),
                "{invalid}"
            );
            assert!(!error.to_string().contains("pw"), "{error}");
        }
    }

    #[test]
    fn secrets_in_error_text_are_redacted() {
        let token = Token::new("custom-secret-42").unwrap();
        let body = br#"{"error":{"code":"X","message":"got Authorization: Bearer custom-secret-42 and bk_rt_abc.DEF-1, refresh bk_at_zz"}}"#;
        let text = String::from_utf8(redact_secrets(body, Some(&token))).unwrap();
        for secret in ["custom-secret-42", "bk_rt_abc", "DEF-1", "bk_at_zz"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("Bearer [redacted]"), "{text}");
        assert!(text.contains(r#""code":"X""#), "the rest is kept: {text}");
        let plain = br#"{"error":{"message":"Bearer  and nothing"}}"#;
        assert_eq!(redact_secrets(plain, None), plain.to_vec());
    }

    #[test]
    fn a_success_holding_the_token_is_told_apart_escaped_or_not() {
        let token = Token::new("bk_at_sent_42").unwrap();
        for body in [
            r#"{"variables":[{"name":"bk_at_sent_42"}]}"#,
            r#"{"manifestVersion":"x bk_at_sent_42 y"}"#,
            r#"{"variables":[{"name":"\u0062k_at_sent_42"}]}"#,
            r#"{"k\u005fat":1,"bk\u005fat_sent\u005f42":1}"#,
            "\u{feff}[\"bk_at_sent\\u005f42\"]",
            "not json, but bk_at_sent_42",
        ] {
            assert!(holds_token(body.as_bytes(), &token), "{body}");
        }
        for body in [
            r#"{"variables":[{"name":"bk_at_sent_4"}]}"#,
            r#"{"name":"bk_at_sent_\\42"}"#,
            "not json \\ bk_at_sent",
        ] {
            assert!(!holds_token(body.as_bytes(), &token), "{body}");
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
        let delays: Vec<_> = (1..=6).map(|attempt| backoff.delay(attempt)).collect();
        assert_eq!(
            delays,
            [100, 200, 400, 800, 1000, 1000].map(Duration::from_millis)
        );
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
