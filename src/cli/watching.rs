//! `--watch` (`pull --watch`, `generate --live --watch`): the library's watch, with the
//! binary's signals as its stop and one line per event.

use barekey_typegen::remote::Live;
use barekey_typegen::watch;

use super::output::Output;
use super::{Failure, Outcome, stage};

/// Writes the plan's outputs from the live manifest whenever it changes, until SIGINT or
/// SIGTERM (then exit 0), saying what changed.
pub(crate) fn watch_live(
    live: &Live<'_>,
    plan: &watch::Plan,
    out: &mut Output,
) -> Result<Outcome, Failure> {
    let settings = live.settings(None)?;
    let stage = stage(&settings);
    let stop = crate::signals::watch_stop();
    out.info(&format!(
        "watching the live manifest of {stage} every {} s; Ctrl-C stops",
        plan.interval.as_secs()
    ));
    out.start_spinner(format!("watching {stage}"));
    let result = watch::watch(&settings, live.options, plan, &stop, &mut |event| {
        out.watch_event(&event, &stage);
    });
    out.stop_spinner();
    result?;
    out.info("stopped watching");
    Ok(Outcome::Success)
}
