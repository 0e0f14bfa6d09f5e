//! The blocking HTTP client: the manifest URL, and the shared async HTTP code
//! (`barekey_typegen_http`: https or loopback, one request id per call, what is
//! retried, how replies are read) driven on a current-thread tokio runtime, so the CLI and the
//! client's `Client` (`barekey-typegen-client`) make requests the same way.

use std::future::{Future as _, poll_fn};
use std::pin::pin;
use std::task::Poll;

use barekey_typegen_http::{self as http, Backoff, Failure, Http, Token, Url, route};
use serde_json::Value;

use super::FetchOptions;
use crate::settings::Settings;
use crate::stop::Stop;
use crate::{Error, Front, Result};

/// The HTTP crate's error as this crate's, in the words of `front` (what sets the API URL, for
/// one).
fn from_http(error: http::HttpError, front: Front) -> Error {
    use http::HttpError;
    match error {
        HttpError::InvalidApiUrl { url, reason } => Error::InvalidApiUrl { url, reason, front },
        HttpError::InsecureApiUrl { url } => Error::InsecureApiUrl { url },
        HttpError::Network { url, what, source } => Error::Network {
            url,
            what,
            source: Box::new(source),
        },
        HttpError::BadReply { url, status, what } => Error::BadReply {
            url,
            status,
            what,
            front,
        },
        // It names the header and its value, not a URL: it is no `Network`.
        HttpError::InvalidHeader { name, value } => Error::InvalidHeader { name, value },
    }
}

/// The manifest route of `settings`, with its query URL-encoded; `orgSlug` only when known.
pub(super) fn manifest_url(settings: &Settings, front: Front) -> Result<Url> {
    let mut url = route(&settings.api_url.value, "/v1/typegen/manifest")
        .map_err(|error| from_http(error, front))?;
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

/// The shared HTTP client, and the single-threaded runtime that waits for it.
pub(super) struct Client {
    http: Http,
    runtime: tokio::runtime::Runtime,
    /// Abandons a request in flight when requested.
    stop: Option<Stop>,
    /// Who fetches, for the wording of errors.
    front: Front,
}

impl Client {
    /// A client for the API at `base`; refuses a base the token may not be sent to.
    pub(super) fn new(options: &FetchOptions, base: &str) -> Result<Client> {
        let config = http::Config {
            timeout: options.timeout,
            connect_timeout: options.connect_timeout,
            backoff: Backoff {
                retries: options.retries,
                base_delay: options.retry_base_delay,
                max_delay: options.retry_max_delay,
            },
            raise_timeout: options.front.raise_timeout(),
        };
        let http = Http::new(base, config).map_err(|error| from_http(error, options.front))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Error::Network {
                url: base.to_owned(),
                what: "cannot start the HTTP client's runtime".to_owned(),
                source: Box::new(error),
            })?;
        Ok(Client {
            http,
            runtime,
            stop: options.stop.clone(),
            front: options.front,
        })
    }

    /// `GET url` with the bearer token.
    pub(super) fn get(&self, url: &Url, token: &Token) -> Result<http::Reply> {
        self.send(&http::Request {
            json: None,
            url,
            token: Some(token),
            request_id: None,
            request_key: None,
        })
    }

    /// `POST base + path` with a JSON body (which may hold a secret: it is never shown).
    pub(super) fn post_json(&self, path: &str, body: &Value) -> Result<http::Reply> {
        let url = self
            .http
            .route(path)
            .map_err(|error| self.http_error(error))?;
        self.send(&http::Request {
            json: Some(serde_json::to_vec(body).unwrap_or_default()),
            url: &url,
            token: None,
            request_id: None,
            request_key: None,
        })
    }

    /// Sends the request, retrying what the shared backoff says to; returns the last reply.
    /// A requested stop abandons it at once (nothing is written while it is in flight).
    fn send(&self, request: &http::Request<'_>) -> Result<http::Reply> {
        let Some(stop) = &self.stop else {
            return self
                .runtime
                .block_on(self.http.send(request))
                .map_err(|error| self.http_error(error));
        };
        let mut reply = pin!(self.http.send(request));
        let mut stopped = pin!(stop.stopped());
        let raced = poll_fn(|context| {
            if stopped.as_mut().poll(context).is_ready() {
                return Poll::Ready(None);
            }
            reply.as_mut().poll(context).map(Some)
        });
        match self.runtime.block_on(raced) {
            Some(reply) => reply.map_err(|error| self.http_error(error)),
            None => Err(Error::Stopped {
                url: request.url.to_string(),
            }),
        }
    }

    /// The shared HTTP code's error, in this client's front-end's words.
    fn http_error(&self, error: http::HttpError) -> Error {
        from_http(error, self.front)
    }

    /// Who fetches, for the wording of errors.
    pub(super) fn front(&self) -> Front {
        self.front
    }
}

/// The JSON body of a success; an [`Error::Api`] (with `hint(code)`) or [`Error::BadReply`]
/// (worded for `front`) otherwise.
pub(super) fn into_json(
    reply: http::Reply,
    front: Front,
    hint: impl Fn(&str) -> Option<String>,
) -> Result<Value> {
    let error = match reply.json() {
        Ok(body) => return Ok(body),
        Err(Failure::BadReply(what)) => {
            return Err(Error::BadReply {
                url: reply.url,
                status: reply.status,
                what,
                front,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsendable_header_is_not_a_network_error_with_an_empty_url() {
        let error = from_http(
            http::HttpError::InvalidHeader {
                name: "x-request-id",
                value: "a\nb".to_owned(),
            },
            Front::Cli,
        );
        assert!(matches!(error, Error::InvalidHeader { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "\"a\\nb\" cannot be sent as x-request-id: use printable ASCII only"
        );
    }
}
