//! The blocking HTTP client: the manifest URL, request headers and the retry loop; the rules
//! it follows (https or loopback, what is retried, how replies are read) are [`crate::api`]'s.

use std::io;
use std::time::Duration;

use reqwest::Url;
use reqwest::blocking::{self, RequestBuilder};
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use super::FetchOptions;
use crate::api::{self, Backoff, Failure, Token, route};
use crate::settings::Settings;
use crate::{Error, Result};

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

/// A reqwest client with our timeouts and headers, and the retry policy.
pub(super) struct Client {
    inner: blocking::Client,
    base: String,
    timeout: Duration,
    backoff: Backoff,
}

impl Client {
    /// A client for the API at `base`; refuses a base the token may not be sent to.
    pub(super) fn new(options: &FetchOptions, base: &str) -> Result<Client> {
        let builder = api::http_client_builder!(
            blocking::Client::builder(),
            base,
            options.timeout,
            options.connect_timeout
        )?;
        let inner = builder.build().map_err(|error| Error::Network {
            url: base.to_owned(),
            what: "cannot set up the HTTP client".to_owned(),
            source: Box::new(error),
        })?;
        Ok(Client {
            inner,
            base: base.to_owned(),
            timeout: options.timeout,
            backoff: Backoff {
                retries: options.retries,
                base_delay: options.retry_base_delay,
                max_delay: options.retry_max_delay,
            },
        })
    }

    /// `GET url` with the bearer token.
    pub(super) fn get(&self, url: &Url, token: &Token) -> Result<api::Reply> {
        self.send(url, &|| {
            self.inner.get(url.clone()).bearer_auth(token.expose())
        })
    }

    /// `POST base + path` with a JSON body (which may hold a secret: it is never shown).
    pub(super) fn post_json(&self, path: &str, body: &Value) -> Result<api::Reply> {
        let url = route(&self.base, path)?;
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.send(&url, &|| {
            self.inner
                .post(url.clone())
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone())
        })
    }

    /// Sends the request, retrying what [`Backoff`] says to; returns the last reply.
    fn send(&self, url: &Url, request: &dyn Fn() -> RequestBuilder) -> Result<api::Reply> {
        let shown = url.to_string();
        let network = |error: reqwest::Error| Error::Network {
            url: shown.clone(),
            what: api::describe(&error, self.timeout, "raise it with --timeout"),
            source: Box::new(error.without_url()),
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut response = request()
                .header(api::REQUEST_ID, api::new_request_id())
                .send()
                .map_err(network)?;
            let status = response.status().as_u16();
            let mut reply = api::Reply::started(&shown, status, response.headers(), attempts);
            let mut body = Body {
                reply: &mut reply,
                refused: None,
            };
            if let Err(error) = response.copy_to(&mut body) {
                return Err(match body.refused {
                    Some(what) => Error::BadReply {
                        url: shown,
                        status,
                        what,
                    },
                    None => network(error),
                });
            }
            match self.backoff.wait(&reply) {
                Some(delay) => std::thread::sleep(delay),
                None => return Ok(reply),
            }
        }
    }
}

/// A reply's body as the place `copy_to` writes to, chunk by chunk, stopping at the cap.
struct Body<'a> {
    reply: &'a mut api::Reply,
    /// Why the body was refused: it passed the cap.
    refused: Option<String>,
}

impl io::Write for Body<'_> {
    fn write(&mut self, chunk: &[u8]) -> io::Result<usize> {
        self.reply.push_body(chunk).map_err(|what| {
            self.refused = Some(what.clone());
            io::Error::new(io::ErrorKind::FileTooLarge, what)
        })?;
        Ok(chunk.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The JSON body of a success; an [`Error::Api`] (with `hint(code)`) or [`Error::BadReply`]
/// otherwise.
pub(super) fn into_json(reply: api::Reply, hint: impl Fn(&str) -> Option<String>) -> Result<Value> {
    let error = match reply.json() {
        Ok(body) => return Ok(body),
        Err(Failure::BadReply(what)) => {
            return Err(Error::BadReply {
                url: reply.url,
                status: reply.status,
                what,
            });
        }
        Err(Failure::Api(error)) => error,
    };
    let hint = hint(&error.code);
    Err(Error::Api(Box::new(error.into_api_error(
        reply.url,
        reply.status,
        reply.attempts,
        hint,
    ))))
}
