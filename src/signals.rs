//! The binary's signal policy, installed once by `main` (library code never installs handlers
//! or ends the process):
//!
//! - SIGINT and SIGTERM remove the temporary files being written ([`write::remove_in_flight`])
//!   and end the process with status 130 and 143, as a shell reports them; while a watch runs
//!   with the stop [`watch_stop`] made, the first one requests that stop instead, and the watch
//!   ends between two writes;
//! - SIGXFSZ (a file-size limit, `ulimit -f`) is taken, so the write that crossed the limit
//!   fails with a clear error instead of killing the process.
//!
//! Unix only; elsewhere nothing is installed and Ctrl-C ends the process.

use std::io;
use std::sync::{Mutex, PoisonError};

use barekey_typegen::stop::{Stop, WeakStop};

/// The stop the next SIGINT or SIGTERM requests, if a watch made one.
static WATCH: Mutex<Option<WeakStop>> = Mutex::new(None);

/// Installs the policy: one handler thread for the life of the process.
///
/// # Errors
///
/// When the signal handlers cannot be installed.
pub(crate) fn install() -> io::Result<()> {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM, SIGXFSZ};
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGXFSZ])?;
        std::thread::Builder::new()
            .name("barekey-typegen-signals".to_owned())
            .spawn(move || {
                for signal in signals.forever() {
                    if signal == SIGXFSZ {
                        continue; // the write that crossed the limit fails with EFBIG
                    }
                    if watch_slot().as_ref().is_some_and(WeakStop::request_once) {
                        continue;
                    }
                    let _held = barekey_typegen::write::remove_in_flight();
                    std::process::exit(128 + signal);
                }
            })?;
    }
    Ok(())
}

/// A stop that the first SIGINT or SIGTERM requests, for as long as it (or a clone) lives; a
/// second signal, or one after it was dropped, ends the process as [`install`] says.
pub(crate) fn watch_stop() -> Stop {
    let stop = Stop::new();
    *watch_slot() = Some(stop.downgrade());
    stop
}

fn watch_slot() -> std::sync::MutexGuard<'static, Option<WeakStop>> {
    WATCH.lock().unwrap_or_else(PoisonError::into_inner)
}
