//! Watching the live manifest (`generate --live --watch`, `pull --watch`): fetch it every
//! interval and, when it changes, write every output again (feature `fetch`).
//!
//! One call, [`watch`], which returns `Ok` when its [`Stop`] is requested (by its caller: the
//! binary's SIGINT and SIGTERM) and an error only for a fault that cannot heal by itself.
//!
//! - Nothing is written while the manifest stays the same (same snapshot bytes), and a
//!   regeneration goes through the one render-and-write step ([`pipeline`]), so an output whose
//!   text did not change keeps its file (and modification time).
//! - A fault that may heal (no connection, a timeout, a 429 or any 5xx, after the request's own
//!   retries) starts an outage: reported once, retried with the shared backoff (the interval,
//!   doubling, at most [`OUTAGE_MAX_DELAY`]), outputs left as they are; the first success ends
//!   it. An expiring or refused session token is refreshed by every fetch, as in `pull`.
//! - Everything else ends the watch: a refused token, a stage that does not exist, an
//!   organisation the token may not see, an invalid manifest, a failed write.
//! - A stop is honoured between steps: during a sleep or a request at once, during a
//!   regeneration once every output of it is written, so no file is left half-written and
//!   the outputs always come from one manifest.

use std::path::PathBuf;
use std::time::Duration;

use barekey_typegen_http::Backoff;

use crate::codegen;
use crate::fetch::{FetchOptions, Fetched, fetch_manifest};
use crate::manifest::{self, Manifest};
use crate::pipeline::{self, Outcome, Target};
use crate::settings::Settings;
use crate::write::write_if_changed;
use crate::{Error, Result, Warning};

use crate::stop::Stop;

/// The shortest interval between two fetches.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// The longest wait between two fetches during an outage.
pub const OUTAGE_MAX_DELAY: Duration = Duration::from_secs(60);

/// What to watch for and what to write: options with defaults, so new ones never break
/// callers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Plan {
    /// How long to wait after one fetch before the next (at least [`MIN_INTERVAL`]).
    pub interval: Duration,
    /// Where to write the manifest snapshot (`pull --watch`), if anywhere; written first.
    pub snapshot: Option<PathBuf>,
    /// The files to render from each new manifest, in order.
    pub targets: Vec<Target>,
    /// How to render them.
    pub options: codegen::Options,
}

impl Default for Plan {
    /// Every 5 seconds, nothing to write yet.
    fn default() -> Self {
        Plan {
            interval: Duration::from_secs(5),
            snapshot: None,
            targets: Vec::new(),
            options: codegen::Options::default(),
        }
    }
}

/// What a watch reports, in order, for its caller to show.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The first manifest was fetched and every target written from it.
    Started {
        /// The manifest.
        manifest: &'a Manifest,
        /// One per target, in order.
        outcomes: &'a [Outcome],
    },
    /// The live manifest changed and every target was written again.
    Changed {
        /// The manifest before.
        old: &'a Manifest,
        /// The manifest now.
        new: &'a Manifest,
        /// What changed ([`manifest::drift`]; [`manifest::Diff::lines`] says it one line per
        /// change).
        diff: &'a manifest::Diff,
        /// One per target, in order.
        outcomes: &'a [Outcome],
    },
    /// Warnings of a manifest or of the code generated from it, with each (re)generation.
    Warnings(&'a [Warning]),
    /// A fetch failed with a fault that may heal: the first of an outage, reported once.
    Outage(&'a Error),
    /// A fetch succeeded after `failures` failed ones: the outage is over.
    Recovered {
        /// How many fetches failed in a row.
        failures: u32,
    },
}

/// Fetches the live manifest of `settings`' stage every `plan.interval` and writes every
/// target whenever it changed, reporting what happened to `report`, until `stop` is
/// requested (then `Ok`).
///
/// # Errors
///
/// A fault that cannot heal by itself (see the module documentation); the targets then hold
/// what the last good manifest generated.
pub fn watch(
    settings: &Settings,
    options: &FetchOptions,
    plan: &Plan,
    stop: &Stop,
    report: &mut dyn FnMut(Event<'_>),
) -> Result<()> {
    let mut options = options.clone();
    options.stop = Some(stop.clone());
    let interval = plan.interval.max(MIN_INTERVAL);
    // Only its delays are used: an outage is retried for as long as the watch runs.
    let backoff = Backoff {
        retries: u32::MAX,
        base_delay: interval,
        max_delay: OUTAGE_MAX_DELAY.max(interval),
    };
    let mut current: Option<Fetched> = None;
    let mut failures = 0;
    while !stop.is_requested() {
        match fetch_manifest(settings, &options) {
            Err(Error::Stopped { .. }) => break,
            Err(error) if may_heal(&error) => {
                failures += 1;
                if failures == 1 {
                    report(Event::Outage(&error));
                }
            }
            Err(error) => return Err(error),
            Ok(fetched) => {
                if failures > 0 {
                    report(Event::Recovered { failures });
                    failures = 0;
                }
                // Stopped while the reply came in: nothing is started after a stop.
                if stop.is_requested() {
                    break;
                }
                if let Some(newer) = update(current.as_ref(), fetched, plan, report)? {
                    current = Some(newer);
                }
            }
        }
        let delay = match failures {
            0 => interval,
            failed => backoff.delay(failed),
        };
        if stop.sleep(delay) {
            break;
        }
    }
    Ok(())
}

/// Writes every target from `fetched` when it differs from `current` (or there is none yet),
/// and reports it; returns the manifest now current, `None` when it did not change.
fn update(
    current: Option<&Fetched>,
    fetched: Fetched,
    plan: &Plan,
    report: &mut dyn FnMut(Event<'_>),
) -> Result<Option<Fetched>> {
    let new = &fetched.loaded.manifest;
    let changed = match current {
        None => None,
        Some(old) => {
            match manifest::drift(&old.snapshot, &old.loaded.manifest, &fetched.snapshot, new) {
                None => return Ok(None),
                Some(diff) => Some((&old.loaded.manifest, diff)),
            }
        }
    };
    report(Event::Warnings(&fetched.loaded.warnings));
    // Rendered in full before anything is written: the outputs always come from one manifest.
    let rendering = pipeline::render(new, &fetched.url, &plan.targets, &plan.options)?;
    let mut outcomes = Vec::with_capacity(plan.targets.len() + 1);
    if let Some(path) = &plan.snapshot {
        outcomes.push(Outcome {
            path: path.clone(),
            written: write_if_changed(path, &fetched.snapshot)?,
        });
    }
    outcomes.extend(pipeline::write(&rendering.files)?);
    let warnings: Vec<Warning> = rendering.warnings().cloned().collect();
    report(Event::Warnings(&warnings));
    report(match &changed {
        None => Event::Started {
            manifest: new,
            outcomes: &outcomes,
        },
        Some((old, diff)) => Event::Changed {
            old,
            new,
            diff,
            outcomes: &outcomes,
        },
    });
    Ok(Some(fetched))
}

/// Whether a failed fetch may succeed later without anyone doing anything: no complete reply,
/// a 429, a 5xx (an error body or a gateway's page). A refused token, a missing stage, a
/// forbidden organisation, an invalid manifest or a bad setting will not.
fn may_heal(error: &Error) -> bool {
    match error {
        Error::Network { .. } => true,
        Error::Api(error) => error.status == 429 || error.status >= 500,
        Error::BadReply { status, .. } => *status >= 500,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiError;

    fn api(status: u16, code: &str) -> Error {
        let url = "https://api.barekey.dev/v1/typegen/manifest".to_owned();
        let error = ApiError::new(url, status, code.to_owned(), String::new(), None, None);
        Error::Api(Box::new(error))
    }

    #[test]
    fn only_faults_of_the_network_or_the_service_itself_may_heal() {
        let network = Error::Network {
            url: String::new(),
            what: "cannot connect".to_owned(),
            source: "refused".into(),
        };
        let gateway = |status| Error::BadReply {
            url: String::new(),
            status,
            what: "an HTML page instead of JSON".to_owned(),
            front: crate::Front::Cli,
        };
        for error in [
            network,
            api(429, "RATE_LIMITED"),
            api(503, "BILLING_UNAVAILABLE"),
            api(500, "INTERNAL_ERROR"),
            gateway(502),
        ] {
            assert!(may_heal(&error), "{error}");
        }
        for error in [
            api(401, "UNAUTHORIZED"),
            api(404, "MANIFEST_NOT_FOUND"),
            api(403, "ORG_SCOPE_INVALID"),
            gateway(200),
            Error::EmptyToken,
            Error::InvalidManifest {
                origin: String::new(),
                problems: Vec::new(),
            },
        ] {
            assert!(!may_heal(&error), "{error}");
        }
    }
}
