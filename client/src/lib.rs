//! The async HTTP client of [barekey-typegen](https://crates.io/crates/barekey-typegen):
//! Barekey variables read from the API at run time (`POST /v1/env/pull`, `/v1/env/evaluate`
//! and `/v1/env/evaluate-batch`) instead of the process environment, for tokio applications.
//!
//! ```toml
//! [dependencies]
//! barekey-typegen-runtime = "0.1"   # what the generated `BarekeyEnv` calls
//! barekey-typegen-client = "0.1"
//! [build-dependencies]
//! barekey-typegen = { version = "0.1", default-features = false }
//! ```
//!
//! It is a crate of its own, not a feature of the runtime, so that no crate that only reads its
//! environment (the module the build helper generates, `barekey_env!`) can be compiled with
//! HTTP code: Cargo unifies features across a workspace, and on resolver 1 across build- and
//! normal dependencies (prost and tonic are separate crates for the same reason).
//!
//! A generated module's `Var` constants type the per-request calls: [`Client::get`] decides
//! one variable for one request (`client.get(barekey::BarekeyEnv::CHECKOUT_FLOW, &options)`,
//! the generated enum with the decision), [`Client::get_all`] the whole `BarekeyEnv` in one
//! batch request:
//!
//! ```text
//! mod barekey { include!(concat!(env!("OUT_DIR"), "/barekey_env.rs")); } // the build helper's
//!
//! use barekey_typegen_client::{Client, Evaluate};
//!
//! let client = Client::from_env()?; // BAREKEY_ACCESS_TOKEN, BAREKEY_PROJECT, BAREKEY_STAGE
//! let options = Evaluate::default().seed(format!("user-{user}"));
//! let flow = client.get(barekey::BarekeyEnv::CHECKOUT_FLOW, &options).await?;
//! match flow.value {
//!     barekey::CheckoutFlow::Control => { /* the one-page checkout */ }
//!     barekey::CheckoutFlow::Treatment => { /* the new three-step checkout */ }
//! }
//! let env: barekey::BarekeyEnv = client.get_all(&options).await?; // one batch request
//! ```
//!
//! (Shown as text: it needs a generated module. `examples/checkout.rs` in the repository is
//! this service whole, built and run against a local server by the tests.)
//!
//! [`Client`] reports failures as the runtime's [`Error`] (re-exported here with [`ErrorKind`],
//! [`ErrorCode`] and [`Arm`]), so `BarekeyEnv::from_lookup(...)?` and the client's calls share
//! one `?`. It speaks TLS with rustls (ring), trusting webpki-roots' certificates; features:
//!
//! - `native-roots`: the operating system's trusted roots too (rustls-native-certs, reqwest's
//!   `rustls-tls-native-roots`), for an API reached through a corporate CA.
//!
//! An application with its own [`reqwest::Client`] (its proxies, roots or client certificates)
//! gives it to [`ClientBuilder::reqwest_client`]; [`reqwest`] is re-exported for that, at the
//! version this crate builds.

// docs.rs (`--cfg docsrs`, nightly) labels each feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod env;
mod replies;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use barekey_typegen_http::{self as http, Backoff, Failure, Http, HttpError, Token};
use barekey_typegen_runtime::{DeclaredType, DeclaredValue, VarInfo};
use barekey_typegen_shared::Redacted;
use barekey_typegen_shared::settings::{self, Overrides, Settings, SettingsError, vars};
use serde_json::{Map, Value, json};

pub use barekey_typegen_runtime::{Arm, Error, ErrorCode, ErrorKind, GeneratedEnv, Var};
pub use replies::{Batch, Decision, Evaluated, Pulled};
pub use reqwest;

/// A client of the Barekey API's runtime routes: `POST /v1/env/pull`, `/v1/env/evaluate`
/// and `/v1/env/evaluate-batch`, for one project and stage.
///
/// Build it from the same settings as the CLI with [`Client::from_env`], or explicitly with
/// [`Client::builder`]. Every call sends an `x-request-id` (the caller's, or a fresh one, the
/// same for each retry of the call) and the caller's `x-barekey-request-key`; it retries `EVALUATION_FAILED`, `BILLING_UNAVAILABLE`
/// and HTTP 429 with bounded exponential backoff (honouring `Retry-After`), and nothing else.
/// The token goes over https only, or plain http to this machine; `Debug` never shows it.
///
/// Its calls are async (reqwest on tokio): run them on a tokio runtime with its timer enabled
/// (`#[tokio::main]` does that).
///
/// ```no_run
/// # mod barekey { include!("../../tests/golden/rust/demo.rs"); }
/// use barekey_typegen_client::{Client, Error, Evaluate};
///
/// async fn run() -> Result<(), Error> {
///     let client = Client::from_env()?;
///     let user = Evaluate::default().seed("user-42").key("checkout-v1");
///     // One A/B switch for one user, as its generated enum, with the arm the service chose:
///     let flow = client.get(barekey::BarekeyEnv::CHECKOUT_FLOW, &user).await?;
///     match flow.value {
///         barekey::CheckoutFlow::Control => { /* ... */ }
///         barekey::CheckoutFlow::Treatment => { /* ... */ }
///     }
///     let arm = flow.decision.map(|decision| decision.arm);
///     // Every variable for that user in one request, typed by the generated struct:
///     let env = client.get_all::<barekey::BarekeyEnv>(&user).await?;
///     // Or every variable as text, decided at random (`pull`), parsed by the same struct:
///     let pulled = barekey::BarekeyEnv::from_lookup(client.pull().await?.lookup())?;
///     # let _ = (env, pulled, arm);
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct Client {
    http: Http,
    org: Option<String>,
    project: String,
    stage: String,
    token: Token,
    backoff: Backoff,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_url", &self.http.base())
            .field("org", &self.org)
            .field("project", &self.project)
            .field("stage", &self.stage)
            .field("token", &self.token)
            .field("backoff", &self.backoff)
            .finish()
    }
}

/// Builds a [`Client`]: the API, the project and stage, the token, timeouts and retries.
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    api_url: String,
    org: Option<String>,
    project: Option<String>,
    stage: Option<String>,
    token: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    backoff: Backoff,
    reqwest: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_url", &self.api_url)
            .field("org", &self.org)
            .field("project", &self.project)
            .field("stage", &self.stage)
            .field("token", &self.token.as_ref().map(|_| Redacted))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("backoff", &self.backoff)
            // Not the client itself: its `Debug` lists the default headers it was given.
            .field(
                "reqwest_client",
                &self.reqwest.as_ref().map(|_| "given by the application"),
            )
            .finish()
    }
}

impl Default for ClientBuilder {
    /// `https://api.barekey.dev`, 30 s per request (10 s to connect), 3 retries from 500 ms,
    /// never more than 10 s apart; no project, stage or token yet.
    fn default() -> Self {
        ClientBuilder {
            api_url: settings::DEFAULT_API_URL.to_owned(),
            org: None,
            project: None,
            stage: None,
            token: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            reqwest: None,
        }
    }
}

impl ClientBuilder {
    /// The settings the CLI would use in `start` (organisation, project, stage and API URL
    /// from `BAREKEY_*`, then the nearest `barekey.json`, then the Barekey CLI's config), and
    /// the token in `BAREKEY_ACCESS_TOKEN`, all read through `env`.
    pub fn from_lookup(
        env: &dyn Fn(&str) -> Option<OsString>,
        start: &Path,
    ) -> Result<ClientBuilder, Error> {
        let settings =
            Settings::resolve(&Overrides::default(), env, start).map_err(settings_error)?;
        let token = match env(vars::ACCESS_TOKEN) {
            Some(value) => Token::new(&value.to_string_lossy()).ok_or_else(|| {
                Error::__config(format_args!(
                    "{} is set but empty; set it to a Barekey access token",
                    vars::ACCESS_TOKEN
                ))
            })?,
            None => {
                return Err(Error::__config(format_args!(
                    "{} is not set; set it to a Barekey access token (the runtime client does \
                     not read the Barekey CLI's session)",
                    vars::ACCESS_TOKEN
                )));
            }
        };
        let mut builder = ClientBuilder::default()
            .api_url(settings.api_url.value)
            .project(settings.project.value)
            .stage(settings.stage.value)
            .token(token.expose());
        builder.org = settings.org.map(|org| org.value);
        Ok(builder)
    }

    /// The API's base URL, such as `https://api.barekey.dev` (a trailing `/` is dropped).
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = url.into().trim().trim_end_matches('/').to_owned();
        self
    }

    /// The organisation slug; without it the service takes the token's organisation.
    pub fn org(mut self, org: impl Into<String>) -> Self {
        self.org = Some(org.into());
        self
    }

    /// The project slug (required).
    pub fn project(mut self, project: impl Into<String>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// The stage slug (required).
    pub fn stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = Some(stage.into());
        self
    }

    /// The access token (required). It is only ever sent as the `Authorization` header.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The longest a whole request may take, reply included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (ignored with [`reqwest_client`](Self::reqwest_client):
    /// connecting is that client's business).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times a retryable failure is retried (0: never).
    pub fn retries(mut self, retries: u32) -> Self {
        self.backoff.retries = retries;
        self
    }

    /// The first retry's delay when the reply has no `Retry-After`; it doubles each time.
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.backoff.base_delay = delay;
        self
    }

    /// No retry waits longer than this, whatever `Retry-After` says.
    pub fn retry_max_delay(mut self, delay: Duration) -> Self {
        self.backoff.max_delay = delay;
        self
    }

    /// Sends every request with `client`, the application's own `reqwest::Client` (its
    /// proxies, trusted roots or client certificates), instead of one built here.
    ///
    /// Of the given client apply: its TLS set-up (roots, client certificates), proxies,
    /// redirect policy, default headers (`User-Agent` included), connection pool and connect
    /// timeout. Still this builder's: [`timeout`](Self::timeout), set on each request (it
    /// overrides the client's own), the retries and their delays, the https-or-loopback rule
    /// for the token, and the `x-request-id` and `x-barekey-request-key` headers.
    ///
    /// The client built here follows no redirect, sends `User-Agent: barekey-typegen/...`,
    /// and bypasses any proxy for a loopback API URL (a proxy would see a plain-http token);
    /// give a client set up alike (`reqwest::Client::builder().no_proxy()`) when the API URL
    /// is a loopback address. [`reqwest`] is re-exported at the version this crate uses.
    ///
    /// ```
    /// use barekey_typegen_client::{Client, reqwest};
    ///
    /// let shared = reqwest::Client::builder().https_only(true).build().unwrap();
    /// let client = Client::builder()
    ///     .project("web")
    ///     .stage("production")
    ///     .token("bk_at_...")
    ///     .reqwest_client(shared)
    ///     .build()
    ///     .unwrap();
    /// # let _ = client;
    /// ```
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest = Some(client);
        self
    }

    /// The client, or an [`ErrorKind::Config`] error when the
    /// project, stage or token is missing, or the token may not be sent to the API URL.
    pub fn build(self) -> Result<Client, Error> {
        let missing = |what: &str| {
            Error::__config(format_args!(
                "no Barekey {what} for the client of {}; call ClientBuilder::{what}",
                self.api_url
            ))
        };
        let project = non_empty(self.project.as_deref()).ok_or_else(|| missing("project"))?;
        let stage = non_empty(self.stage.as_deref()).ok_or_else(|| missing("stage"))?;
        let token = Token::new(self.token.as_deref().unwrap_or_default())
            .ok_or_else(|| missing("token"))?;
        let config = http::Config {
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            backoff: self.backoff,
            raise_timeout: "raise it with ClientBuilder::timeout",
        };
        let http = match self.reqwest {
            Some(client) => Http::with_client(&self.api_url, client, config),
            None => Http::new(&self.api_url, config),
        }
        .map_err(http_error)?;
        Ok(Client {
            http,
            org: non_empty(self.org.as_deref()),
            project,
            stage,
            token,
            backoff: self.backoff,
        })
    }
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// How one call is made: the `seed` and `key` of A/B and rollout decisions, and the request
/// headers `x-request-id` and `x-barekey-request-key`.
///
/// ```
/// use barekey_typegen_client::Evaluate;
///
/// let options = Evaluate::default().seed("user-42").key("checkout-v1").request_key("order-7");
/// assert_eq!(options.seed.as_deref(), Some("user-42"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evaluate {
    /// The seed of a deterministic decision (a user or session id).
    pub seed: Option<String>,
    /// The namespace key of a deterministic decision (an experiment name).
    pub key: Option<String>,
    /// The trace id sent as `x-request-id`; a fresh one when `None`.
    pub request_id: Option<String>,
    /// The billing idempotency key sent as `x-barekey-request-key`, one per logical
    /// evaluation (retries of one call reuse it).
    pub request_key: Option<String>,
}

impl Evaluate {
    /// Sets [`seed`](Evaluate::seed).
    #[must_use]
    pub fn seed(mut self, seed: impl Into<String>) -> Self {
        self.seed = Some(seed.into());
        self
    }

    /// Sets [`key`](Evaluate::key).
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets [`request_id`](Evaluate::request_id).
    #[must_use]
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Sets [`request_key`](Evaluate::request_key).
    #[must_use]
    pub fn request_key(mut self, key: impl Into<String>) -> Self {
        self.request_key = Some(key.into());
        self
    }
}

impl Client {
    /// A client with the CLI's settings for the current folder (`BAREKEY_ORG`,
    /// `BAREKEY_PROJECT`, `BAREKEY_STAGE`, `BAREKEY_API_URL`, then the nearest
    /// `barekey.json`, then the Barekey CLI's config) and the token in
    /// `BAREKEY_ACCESS_TOKEN`.
    pub fn from_env() -> Result<Client, Error> {
        let here = std::env::current_dir().map_err(|error| {
            Error::__config(format_args!("cannot read the current folder: {error}"))
        })?;
        ClientBuilder::from_lookup(&env::var_os, &here)?.build()
    }

    /// A builder for a client configured explicitly.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Every variable of the stage, as text (`POST /v1/env/pull`), in one request; A/B
    /// switches and rollouts are decided at random. See [`Client::pull_with`].
    pub async fn pull(&self) -> Result<Pulled, Error> {
        self.pull_with(&Evaluate::default()).await
    }

    /// Every variable of the stage, as text, with A/B switches and rollouts decided for
    /// `options`' seed and key. [`Pulled::lookup`] feeds a generated `BarekeyEnv::from_lookup`.
    pub async fn pull_with(&self, options: &Evaluate) -> Result<Pulled, Error> {
        let fields = decision_fields(None, options);
        let answer = self.post("/v1/env/pull", fields, options).await?;
        Pulled::read(&answer.body).ok_or_else(|| answer.bad_shape("a pull reply without variables"))
    }

    /// One variable's text (`POST /v1/env/evaluate`), with the decision for `options`' seed
    /// and key when it is an A/B switch or a rollout.
    pub async fn evaluate(&self, name: &str, options: &Evaluate) -> Result<Evaluated, Error> {
        self.evaluate_text(name, None, options).await
    }

    /// One variable parsed as a `T` by the rules of its declared type (the service checks it
    /// is declared so), with its decision. The value is treated as private: an invalid one is
    /// never shown.
    pub async fn evaluate_as<T: DeclaredValue>(
        &self,
        name: &str,
        options: &Evaluate,
    ) -> Result<Evaluated<T>, Error> {
        let evaluated = self
            .evaluate_text(name, Some(T::DECLARED_TYPE), options)
            .await?;
        evaluated.parse()
    }

    /// Several variables in one request (`POST /v1/env/evaluate-batch`), each with
    /// `options`' seed and key. The request is the documented
    /// `{orgSlug, projectSlug, stageSlug, entries: [{name, seed?, key?}]}`; one unknown name
    /// fails the whole batch with `VARIABLE_NOT_FOUND`. [`Batch::lookup`] feeds a generated
    /// `BarekeyEnv::from_lookup`.
    pub async fn evaluate_batch(&self, names: &[&str], options: &Evaluate) -> Result<Batch, Error> {
        let entries: Vec<Value> = names
            .iter()
            .map(|name| Value::Object(decision_fields(Some(name), options)))
            .collect();
        Ok(self.batch(entries, options).await?.1)
    }

    /// `POST /v1/env/evaluate-batch` of `entries`: the answer and the batch read from it.
    async fn batch(
        &self,
        entries: Vec<Value>,
        options: &Evaluate,
    ) -> Result<(Answer, Batch), Error> {
        let mut fields = Map::new();
        fields.insert("entries".to_owned(), Value::Array(entries));
        let answer = self.post("/v1/env/evaluate-batch", fields, options).await?;
        let batch = Batch::read(&answer.body).map_err(|what| answer.bad_shape(what))?;
        Ok((answer, batch))
    }

    /// One variable for one request (`POST /v1/env/evaluate`), typed by its generated
    /// constant: the value as the field's type (`CheckoutFlow`, `ThemeConfig`, `i64`), with the
    /// decision the service sent (the arm, and the bucket and chance when it sends them).
    ///
    /// ```no_run
    /// # mod barekey { include!("../../tests/golden/rust/demo.rs"); }
    /// use barekey_typegen_client::{Client, Error, Evaluate};
    ///
    /// async fn checkout(client: &Client, user: &str) -> Result<&'static str, Error> {
    ///     let options = Evaluate::default().seed(user).key("checkout-v1");
    ///     let flow = client.get(barekey::BarekeyEnv::CHECKOUT_FLOW, &options).await?;
    ///     Ok(match flow.value {
    ///         barekey::CheckoutFlow::Control => "the current checkout",
    ///         barekey::CheckoutFlow::Treatment => "the new checkout",
    ///     })
    /// }
    /// ```
    ///
    /// The request names the variable's declared type, which the service checks (a variable
    /// retyped since the module was generated is its `INVALID_REQUEST`). A variable only some
    /// stages have (a `Var<Option<T>>`) is `None` in a stage without it, with no request, and
    /// when the service answers `VARIABLE_NOT_FOUND`.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Config`] error when the client's stage is none of the module's (naming
    /// them); the service's error, `VARIABLE_NOT_FOUND` of a variable every stage has saying
    /// the module is stale (and `INVALID_REQUEST`, a declared type the service no longer has,
    /// saying so); an [`ErrorKind::InvalidVariable`] error when the value is not of
    /// the variable's type, its arms or its shape (showing it only for a public variable).
    pub async fn get<T>(&self, var: Var<T>, options: &Evaluate) -> Result<Evaluated<T>, Error> {
        let info = var.info();
        info.check_stage(&self.stage)?;
        if !info.in_stage(&self.stage) {
            return absent(&var, None);
        }
        let declared = Some(info.declared_type());
        match self.evaluate_text(info.name(), declared, options).await {
            Ok(evaluated) => evaluated.typed(&var),
            Err(error) if error.code() == Some(&ErrorCode::InvalidRequest) => Err(error
                .__with_hint(format_args!(
                    "the request gave {:?} the declared type {}, as the generated module has it; \
                     if the variable was retyped in Barekey, pull the snapshot again \
                     (barekey-typegen pull) and regenerate",
                    info.name(),
                    info.declared_type()
                ))),
            Err(error) if error.code() != Some(&ErrorCode::VariableNotFound) => Err(error),
            Err(error) if info.is_optional() => absent(&var, error.request_id()),
            Err(error) => Err(error.__with_hint(format_args!(
                "the stage {:?} has no variable {:?}, which the generated module says it has (it \
                 was renamed or deleted in Barekey); pull the snapshot again \
                 (barekey-typegen pull), regenerate, and fix what no longer builds",
                self.stage,
                info.name()
            ))),
        }
    }

    /// The whole generated `BarekeyEnv` decided for one request, in one round trip
    /// (`POST /v1/env/evaluate-batch`, which the service bills as one event): every variable the
    /// client's stage has, each with `options`' seed and key and its declared type, parsed as
    /// `from_env` parses, every problem listed at once.
    ///
    /// ```no_run
    /// # mod barekey { include!("../../tests/golden/rust/demo.rs"); }
    /// use barekey_typegen_client::{Client, Error, Evaluate};
    ///
    /// async fn for_user(client: &Client, user: &str) -> Result<barekey::BarekeyEnv, Error> {
    ///     let options = Evaluate::default().seed(user).key("checkout-v1");
    ///     client.get_all::<barekey::BarekeyEnv>(&options).await
    /// }
    /// ```
    ///
    /// A variable only some stages have is not asked for in a stage without it (the service
    /// fails a whole batch on one name the stage lacks) and is `None` there.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Config`] error when the client's stage is none of the module's (naming
    /// them); one [`ErrorKind::Api`] error naming the stage and the request id when the stage
    /// lacks a variable the module says it has (`VARIABLE_NOT_FOUND`); an
    /// [`ErrorKind::BadReply`] error when the reply leaves one out; an [`ErrorKind::Load`]
    /// error listing every invalid value (private ones never shown).
    pub async fn get_all<E: GeneratedEnv>(&self, options: &Evaluate) -> Result<E, Error> {
        E::check_stage(&self.stage)?;
        let wanted: Vec<&VarInfo> = E::variables_in(&self.stage).collect();
        let mut values = BTreeMap::new();
        if !wanted.is_empty() {
            let entries = wanted
                .iter()
                .map(|info| {
                    let mut fields = decision_fields(Some(info.name()), options);
                    let declared = info.declared_type().as_str();
                    fields.insert("declaredType".to_owned(), json!(declared));
                    Value::Object(fields)
                })
                .collect();
            let (answer, batch) =
                self.batch(entries, options)
                    .await
                    .map_err(|error| match error.code() {
                        Some(ErrorCode::VariableNotFound) => error.__with_hint(format_args!(
                            "the stage {:?} lacks a variable the generated module says it has (the \
                         whole batch fails on one); pull the snapshot again (barekey-typegen \
                         pull), regenerate, and fix what no longer builds",
                            self.stage
                        )),
                        Some(ErrorCode::InvalidRequest) => error.__with_hint(
                            "the request gave each variable its declared type in the generated \
                         module; if one was retyped in Barekey, pull the snapshot again \
                         (barekey-typegen pull) and regenerate",
                        ),
                        _ => error,
                    })?;
            let by_name: BTreeMap<&str, &Evaluated> = batch
                .results
                .iter()
                .map(|result| (result.name.as_str(), result))
                .collect();
            let mut left_out = Vec::new();
            for info in &wanted {
                match by_name.get(info.name()) {
                    Some(result) => {
                        values.insert(info.name(), result.value.clone());
                    }
                    None => left_out.push(info.name()),
                }
            }
            if !left_out.is_empty() {
                return Err(answer.bad_shape(&left_out_of_batch(&left_out)));
            }
        }
        let lookup = |name: &str| values.get(name).cloned();
        Ok(E::from_lookup(lookup)?)
    }

    async fn evaluate_text(
        &self,
        name: &str,
        declared: Option<DeclaredType>,
        options: &Evaluate,
    ) -> Result<Evaluated, Error> {
        let mut fields = decision_fields(Some(name), options);
        if let Some(declared) = declared {
            fields.insert("declaredType".to_owned(), json!(declared.as_str()));
        }
        let answer = self.post("/v1/env/evaluate", fields, options).await?;
        Evaluated::read(&answer.body).map_err(|what| answer.bad_shape(what))
    }

    /// The JSON body of a request: the slugs, then `fields`.
    fn body(&self, fields: Map<String, Value>) -> Value {
        let mut body = Map::new();
        if let Some(org) = &self.org {
            body.insert("orgSlug".to_owned(), json!(org));
        }
        body.insert("projectSlug".to_owned(), json!(self.project));
        body.insert("stageSlug".to_owned(), json!(self.stage));
        body.extend(fields);
        Value::Object(body)
    }

    /// `POST`s the slugs and `fields` to `path` with `options`' headers; the JSON of the
    /// success.
    async fn post(
        &self,
        path: &str,
        fields: Map<String, Value>,
        options: &Evaluate,
    ) -> Result<Answer, Error> {
        let url = self.http.route(path).map_err(http_error)?;
        let request = http::Request {
            json: Some(self.body(fields).to_string().into_bytes()),
            url: &url,
            token: Some(&self.token),
            request_id: options.request_id.as_deref(),
            request_key: options.request_key.as_deref(),
        };
        let reply = self.http.send(&request).await.map_err(http_error)?;
        let (url, status, attempts) = (reply.url.clone(), reply.status, reply.attempts);
        match reply.json() {
            Ok(body) => Ok(Answer { url, status, body }),
            Err(Failure::BadReply(what)) => Err(Error::__bad_reply(url, status, what)),
            Err(Failure::Api(body)) => Err(api_error(url, status, body, attempts)),
        }
    }
}

/// A failed request, in the client's words: its settings are `ClientBuilder` methods and
/// `BAREKEY_*` variables, not the CLI's flags.
fn http_error(error: HttpError) -> Error {
    match error {
        HttpError::InvalidApiUrl { url, reason } => Error::__config(format_args!(
            "{url:?} is not a usable Barekey API URL ({reason}); fix the URL given to \
             ClientBuilder::api_url, or (for Client::from_env) BAREKEY_API_URL or the Barekey \
             CLI's baseUrl"
        )),
        HttpError::Network {
            url, what, source, ..
        } => Error::__network(url, what, source.to_string()),
        HttpError::BadReply { url, status, what } => Error::__bad_reply(url, status, what),
        other => Error::__config(other),
    }
}

/// Unusable settings, in the client's words.
fn settings_error(error: SettingsError) -> Error {
    match error {
        SettingsError::Missing {
            what,
            looked,
            barekey_json,
            ..
        } => {
            let looked: Vec<String> = looked.iter().map(|line| format!("  - {line}")).collect();
            let calls = match what {
                "project" => "ClientBuilder::project",
                "stage" => "ClientBuilder::stage",
                _ => "ClientBuilder::project and ClientBuilder::stage",
            };
            Error::__config(format_args!(
                "no Barekey {what} for the client; looked at:\n{}\nset {}, write it in {}, or \
                 build the client with {calls}",
                looked.join("\n"),
                match what {
                    "project" => "BAREKEY_PROJECT",
                    "stage" => "BAREKEY_STAGE",
                    _ => "BAREKEY_PROJECT and BAREKEY_STAGE",
                },
                barekey_json.display()
            ))
        }
        other => Error::__config(other),
    }
}

/// `name`, if any, and `options`' seed and key, as request fields.
fn decision_fields(name: Option<&str>, options: &Evaluate) -> Map<String, Value> {
    let mut fields = Map::new();
    if let Some(name) = name {
        fields.insert("name".to_owned(), json!(name));
    }
    for (key, value) in [("seed", &options.seed), ("key", &options.key)] {
        if let Some(value) = value {
            fields.insert(key.to_owned(), json!(value));
        }
    }
    fields
}

/// What [`Client::get`] answers for `var` where its stage lacks it: `None` for an optional
/// variable (a `Var<Option<T>>`), with `request_id` when the service said so.
fn absent<T>(var: &Var<T>, request_id: Option<&str>) -> Result<Evaluated<T>, Error> {
    let info = var.info();
    Ok(Evaluated {
        name: info.name().to_owned(),
        kind: Some(info.kind()),
        value: var.parse(None)?,
        declared_type: Some(info.declared_type()),
        decision: None,
        request_id: request_id.map(str::to_owned),
    })
}

/// What a batch reply that leaves out `names` lacks, for its error: the first few names.
fn left_out_of_batch(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|name| format!("{name:?}"))
        .collect();
    let more = match names.len().saturating_sub(SHOWN) {
        0 => String::new(),
        more => format!(" and {more} more"),
    };
    format!(
        "a batch reply without the variables {}{more} it was asked for",
        shown.join(", ")
    )
}

/// A successful reply's JSON, and where it came from.
struct Answer {
    url: String,
    status: u16,
    body: Value,
}

impl Answer {
    /// The error for a body that is JSON but not of the route's shape.
    fn bad_shape(&self, what: &str) -> Error {
        Error::__bad_reply(self.url.clone(), self.status, what.to_owned())
    }
}

/// The service's error answer `body` to a request for `url`, after `attempts` requests.
fn api_error(url: String, status: u16, body: http::ErrorBody, attempts: u32) -> Error {
    let hint = hint(&ErrorCode::parse(&body.code)).map(str::to_owned);
    Error::__api(body.into_api_error(url, status, attempts, hint))
}

/// What to do about `code`, when there is something to say.
fn hint(code: &ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::Unauthorized => {
            "the token was refused; give a valid, unexpired Barekey access token \
             (BAREKEY_ACCESS_TOKEN)"
        }
        ErrorCode::OrgScopeInvalid => {
            "the token does not grant this organization; check the organization (BAREKEY_ORG \
             or barekey.json), or use a token of it"
        }
        ErrorCode::VariableNotFound => {
            "check the name and the stage, or declare the variable in Barekey"
        }
        ErrorCode::ManifestNotFound => "check the project and the stage",
        ErrorCode::UsageLimitExceeded => "the plan's limit is reached; upgrade the plan",
        ErrorCode::InvalidRefreshToken => "log in again with the Barekey CLI",
        _ => return None,
    })
}
