//! The HTTP client: URLs, the https-or-loopback rule, request headers, retries, and replies
//! turned into JSON or errors.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use reqwest::blocking::{self, RequestBuilder};
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;

use super::auth::Token;
use super::{FetchOptions, error_body, network};
use crate::settings::Settings;
use crate::{ApiError, Error, Result};

const USER_AGENT: &str = concat!("barekey-typegen/", env!("CARGO_PKG_VERSION"));

/// The manifest route of `settings`, with its query URL-encoded; `orgSlug` only when known.
pub(super) fn manifest_url(settings: &Settings) -> Result<Url> {
    let mut url = route(&settings.api_url.value, "/v1/typegen/manifest")?;
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("projectSlug", &settings.project.value);
        query.append_pair("stageSlug", &settings.stage.value);
        if let Some(org) = &settings.org {
            query.append_pair("orgSlug", &org.value);
        }
    }
    Ok(url)
}

/// `base` (the configured API URL, no trailing `/`) with `path` appended, checked.
pub(super) fn route(base: &str, path: &str) -> Result<Url> {
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

/// A reqwest client with our timeouts and headers, and the retry policy.
pub(super) struct Client {
    inner: blocking::Client,
    base: String,
    timeout: Duration,
    retries: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Client {
    /// A client for the API at `base`; refuses a base the token may not be sent to.
    pub(super) fn new(options: &FetchOptions, base: &str) -> Result<Client> {
        let checked = route(base, "/")?;
        let mut builder = blocking::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout.min(options.timeout))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT);
        if is_loopback(&checked) {
            // A proxy would see a loopback request's token in clear text.
            builder = builder.no_proxy();
        }
        let inner = builder.build().map_err(|error| Error::Network {
            url: base.to_owned(),
            what: "cannot set up the HTTP client".to_owned(),
            source: Box::new(error),
        })?;
        Ok(Client {
            inner,
            base: base.to_owned(),
            timeout: options.timeout,
            retries: options.retries,
            base_delay: options.retry_base_delay,
            max_delay: options.retry_max_delay,
        })
    }

    /// `GET url` with the bearer token.
    pub(super) fn get(&self, url: &Url, token: &Token) -> Result<Reply> {
        self.send(url, &|| {
            self.inner.get(url.clone()).bearer_auth(token.expose())
        })
    }

    /// `POST base + path` with a JSON body (which may hold a secret: it is never shown).
    pub(super) fn post_json(&self, path: &str, body: &Value) -> Result<Reply> {
        let url = route(&self.base, path)?;
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.send(&url, &|| {
            self.inner
                .post(url.clone())
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone())
        })
    }

    /// Sends the request, retrying 429, 503 and 500 `EVALUATION_FAILED` with bounded
    /// exponential backoff (or the reply's `Retry-After`); returns the last reply.
    fn send(&self, url: &Url, request: &dyn Fn() -> RequestBuilder) -> Result<Reply> {
        let shown = url.to_string();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let response = request()
                .header("x-request-id", uuid::Uuid::new_v4().to_string())
                .send()
                .map_err(|error| network(&shown, error, self.timeout))?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let body = response
                .bytes()
                .map_err(|error| network(&shown, error, self.timeout))?
                .to_vec();
            let reply = Reply {
                url: shown.clone(),
                status,
                body,
                attempts,
            };
            if attempts > self.retries || !reply.is_retryable() {
                return Ok(reply);
            }
            std::thread::sleep(self.delay(attempts, retry_after));
        }
    }

    /// The wait before retry number `attempt` (from 1).
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self.base_delay.saturating_mul(1 << (attempt - 1).min(16));
        retry_after.unwrap_or(backoff).min(self.max_delay)
    }
}

/// One complete HTTP reply.
pub(super) struct Reply {
    url: String,
    pub(super) status: u16,
    body: Vec<u8>,
    attempts: u32,
}

impl Reply {
    /// The URL asked.
    pub(super) fn url(&self) -> &str {
        &self.url
    }

    fn is_retryable(&self) -> bool {
        match self.status {
            429 | 503 => true,
            500 => serde_json::from_slice(&self.body)
                .ok()
                .and_then(|body: Value| error_body(&body))
                .is_some_and(|(code, _, _)| code == "EVALUATION_FAILED"),
            _ => false,
        }
    }

    /// The JSON body of a success; an [`Error::Api`] (with `hint(code)`) or
    /// [`Error::BadReply`] otherwise.
    pub(super) fn into_json(self, hint: impl Fn(&str) -> Option<String>) -> Result<Value> {
        let bad = |what: String| Error::BadReply {
            url: self.url.clone(),
            status: self.status,
            what,
        };
        let text = String::from_utf8_lossy(&self.body);
        let trimmed = text.trim_start_matches('\u{feff}').trim();
        if trimmed.is_empty() {
            return Err(bad("an empty body instead of JSON".to_owned()));
        }
        if trimmed.starts_with('<') {
            return Err(bad("an HTML page instead of JSON".to_owned()));
        }
        let body: Value = serde_json::from_str(trimmed).map_err(|error| {
            bad(if error.is_eof() {
                "JSON that is cut off before its end".to_owned()
            } else {
                format!("a body that is not JSON ({error})")
            })
        })?;
        if (200..300).contains(&self.status) {
            return Ok(body);
        }
        let Some((code, message, request_id)) = error_body(&body) else {
            return Err(bad("JSON that is not a Barekey error".to_owned()));
        };
        let mut hints: Vec<String> = hint(&code).into_iter().collect();
        if self.attempts > 1 {
            hints.push(format!(
                "gave up after {} attempts; try again later",
                self.attempts
            ));
        }
        Err(Error::Api(Box::new(ApiError {
            url: self.url,
            status: self.status,
            code,
            message,
            request_id,
            hint: (!hints.is_empty()).then(|| hints.join("\n")),
        })))
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
}
