//! The live manifest: `GET /v1/typegen/manifest` with the user's token (feature `fetch`).
//!
//! One call, [`fetch_manifest`], used by `pull`, `generate --live`, `check --remote` and the
//! build helper. It finds the token (`BAREKEY_ACCESS_TOKEN`, else the Barekey CLI's session,
//! refreshed when it is about to expire or is refused), refuses to send it anywhere but over
//! https or to this machine, retries what the service says is worth retrying, and turns every
//! other answer into an [`Error`] that names the URL, the code and what to do.
//! The token never appears in any message, `Debug` output or file other than the session's
//! own credentials file.

mod auth;
mod http;

use std::ffi::OsString;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::manifest::{self, Loaded, Manifest};
use crate::settings::Settings;
use crate::stop::Stop;
use crate::{Error, Front, Result, env};

use auth::Auth;
use http::Client;

/// Reads an environment variable; shared so [`FetchOptions`] stays `Clone + Send + Sync`.
pub type EnvFn = Arc<dyn Fn(&str) -> Option<OsString> + Send + Sync>;

/// The current time.
pub type ClockFn = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// How a fetch behaves: timeouts, retries, and its inputs (environment and clock), which tests
/// replace.
#[derive(Clone)]
#[non_exhaustive]
pub struct FetchOptions {
    /// The longest a whole request may take, reply included.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
    /// How many times a retryable failure (429, 503, 500 `EVALUATION_FAILED`) is retried.
    pub retries: u32,
    /// The first retry's delay when the reply has no `Retry-After`; it doubles each time.
    pub retry_base_delay: Duration,
    /// No retry waits longer than this, whatever `Retry-After` says.
    pub retry_max_delay: Duration,
    /// Reads environment variables (`BAREKEY_ACCESS_TOKEN`).
    pub env: EnvFn,
    /// The current time, to tell whether the stored access token is about to expire.
    pub clock: ClockFn,
    /// When requested, a request in flight is abandoned and the fetch fails with
    /// [`Error::Stopped`] (a watch's SIGINT); `None` by default.
    pub stop: Option<Stop>,
    /// Who fetches, so errors name what that front-end sets (the CLI's flags, or a build
    /// script's `BAREKEY_*` variables); [`Front::Cli`] by default.
    pub front: Front,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retries: 3,
            retry_base_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(10),
            env: Arc::new(env::var_os),
            clock: Arc::new(SystemTime::now),
            stop: None,
            front: Front::Cli,
        }
    }
}

impl fmt::Debug for FetchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FetchOptions")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retries", &self.retries)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("stop", &self.stop)
            .field("front", &self.front)
            .finish_non_exhaustive()
    }
}

/// A live manifest: validated, and as snapshot bytes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Fetched {
    /// The validated manifest and its warnings.
    pub loaded: Loaded,
    /// The byte-stable snapshot of the reply ([`manifest::snapshot_bytes`]).
    pub snapshot: Vec<u8>,
    /// The URL it came from (it names project and stage; never a token).
    pub url: String,
}

/// Fetches and validates the live manifest of `settings`' project and stage.
pub fn fetch_manifest(settings: &Settings, options: &FetchOptions) -> Result<Fetched> {
    let url = http::manifest_url(settings, options.front)?;
    let mut auth = Auth::resolve(options.env.as_ref(), settings.cli_config_dir.as_deref())?;
    let client = Client::new(options, &settings.api_url.value)?;
    let now_ms = || unix_millis((options.clock)());
    let mut refreshed = false;
    if auth.expires_soon(now_ms()) {
        auth.refresh(&client, now_ms())?;
        refreshed = true;
    }
    let mut reply = client.get(&url, auth.token())?;
    if reply.status == 401 && auth.is_session() && !refreshed {
        auth.refresh(&client, now_ms())?;
        reply = client.get(&url, auth.token())?;
    }
    let body = http::into_json(reply, options.front, |code| {
        hint(code, settings, &auth, options.front)
    })?;
    let origin = url.to_string();
    let mut loaded = manifest::parse_value(&body, &origin)?;
    refuse_other_stage(&loaded.manifest, settings, &origin)?;
    loaded.warnings.extend_from_slice(auth.warnings());
    Ok(Fetched {
        loaded,
        snapshot: manifest::snapshot_bytes(&body),
        url: origin,
    })
}

/// Refuses a reply whose organisation (when one was asked for), project or stage is not the one
/// `settings` asked for: a misrouted or hostile reply would otherwise become this stage's
/// snapshot or module. A reply without those keys (an older server) claims nothing, and passes.
fn refuse_other_stage(manifest: &Manifest, settings: &Settings, url: &str) -> Result<()> {
    let claims = [
        ("organization", settings.org.as_ref(), &manifest.org_slug),
        ("project", Some(&settings.project), &manifest.project_slug),
        ("stage", Some(&settings.stage), &manifest.stage_slug),
    ];
    let (mut asked, mut answered) = (Vec::new(), Vec::new());
    for (what, setting, reply) in claims {
        if let (Some(setting), Some(reply)) = (setting, reply) {
            if setting.value != *reply {
                asked.push(format!(
                    "{what} {:?} (from {})",
                    setting.value, setting.source
                ));
                answered.push(format!("{what} {reply:?}"));
            }
        }
    }
    if asked.is_empty() {
        return Ok(());
    }
    Err(Error::ReplyForOther {
        url: url.to_owned(),
        asked,
        answered,
        api_url_source: settings.api_url.source.to_string(),
    })
}

/// What to do about an error code of the manifest route, when this tool knows.
fn hint(code: &str, settings: &Settings, auth: &Auth, front: Front) -> Option<String> {
    let org = match &settings.org {
        Some(org) => format!("organization {:?} (from {})", org.value, org.source),
        None => format!("the token's organization ({})", front.org_settings()),
    };
    match code {
        "MANIFEST_NOT_FOUND" => Some(format!(
            "check the project {:?} (from {}) and the stage {:?} (from {}) in {org}",
            settings.project.value,
            settings.project.source,
            settings.stage.value,
            settings.stage.source
        )),
        "ORG_SCOPE_INVALID" | "INVALID_ORG_SCOPE" => Some(format!(
            "the token does not grant access to {org}; check the organization, or log in to it \
             with the Barekey CLI"
        )),
        "UNAUTHORIZED" => Some(auth.unauthorized_hint().to_owned()),
        "INVALID_REFRESH_TOKEN" => Some("log in again with the Barekey CLI".to_owned()),
        _ => None,
    }
}

fn unix_millis(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_millis()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
    }
}
