//! [`Stop`]: how a watch is asked to end, by SIGINT or SIGTERM or by its caller, at a point
//! where no file is being written.

use std::io;
use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// A request to stop, shared by whoever may ask (a signal, a test) and the work that honours
/// it. Cloning gives another handle to the same request.
///
/// The work checks it between steps and sleeps on it ([`Stop::sleep`]), so a stop is prompt
/// but never cuts a file write short; a request in flight is abandoned (a fetch then fails
/// with [`Error::Stopped`](crate::Error::Stopped)).
#[derive(Debug, Clone, Default)]
pub struct Stop {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    requested: Mutex<bool>,
    /// Wakes [`Stop::sleep`].
    woken: Condvar,
    /// Wakes [`Stop::stopped`], for async work.
    notify: Notify,
}

/// The stop SIGINT and SIGTERM request, once [`Stop::on_signals`] made one.
static ON_SIGNAL: Mutex<Option<Stop>> = Mutex::new(None);

impl Stop {
    /// A stop nothing has requested yet.
    pub fn new() -> Stop {
        Stop::default()
    }

    /// A stop that SIGINT and SIGTERM request, for a command-line watch. A second signal,
    /// after the first, ends the process at once as if no handler were installed. On other
    /// systems than Unix no signal requests it (Ctrl-C ends the process).
    ///
    /// # Errors
    ///
    /// When the signal handlers cannot be installed.
    pub fn on_signals() -> io::Result<Stop> {
        let stop = Stop::new();
        *on_signal_slot() = Some(stop.clone());
        #[cfg(unix)]
        install_handlers()?;
        Ok(stop)
    }

    /// Asks the work to stop; wakes it if it sleeps or waits for a reply.
    pub fn request(&self) {
        *self.requested() = true;
        self.inner.woken.notify_all();
        self.inner.notify.notify_waiters();
    }

    /// Whether a stop was requested.
    pub fn is_requested(&self) -> bool {
        *self.requested()
    }

    /// Sleeps for `duration`, or less when a stop is requested; returns whether it was.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut requested = self.requested();
        while !*requested {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            requested = self
                .inner
                .woken
                .wait_timeout(requested, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    /// Completes when a stop is requested: for racing a request against it.
    pub(crate) async fn stopped(&self) {
        loop {
            // Registered before the check, so a request between the two still wakes it.
            let mut notified = pin!(self.inner.notify.notified());
            notified.as_mut().enable();
            if self.is_requested() {
                return;
            }
            notified.await;
        }
    }

    fn requested(&self) -> MutexGuard<'_, bool> {
        // A flag cannot be left inconsistent by a panic.
        self.inner
            .requested
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn on_signal_slot() -> MutexGuard<'static, Option<Stop>> {
    ON_SIGNAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What SIGINT or SIGTERM does while a watch runs: requests its stop and returns `true`;
/// `false` when there is none, or it was requested already, and the process should end the
/// way it does without a watch. (A process-wide signal handler asks this first.)
pub(crate) fn on_signal() -> bool {
    match on_signal_slot().as_ref() {
        Some(stop) if !stop.is_requested() => {
            stop.request();
            true
        }
        _ => false,
    }
}

/// One thread, for the whole process, that turns SIGINT and SIGTERM into [`on_signal`].
#[cfg(unix)]
fn install_handlers() -> io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use std::sync::OnceLock;
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("barekey-typegen-signals".to_owned())
        .spawn(move || {
            for signal in signals.forever() {
                if !on_signal() {
                    // Ends the process as the signal would have (exit status 128 + signal).
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                }
            }
        })?;
    let _ = INSTALLED.set(());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_ends_a_sleep_and_is_seen_by_every_clone() {
        let stop = Stop::new();
        assert!(!stop.sleep(Duration::from_millis(1)));
        let other = stop.clone();
        let sleeper = std::thread::spawn(move || other.sleep(Duration::from_secs(600)));
        stop.request();
        assert!(sleeper.join().unwrap(), "the sleep saw the request");
        assert!(stop.is_requested());
        assert!(
            stop.sleep(Duration::from_secs(600)),
            "returns at once once requested"
        );
    }

    #[test]
    fn a_request_wakes_async_work() {
        let stop = Stop::new();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let other = stop.clone();
        std::thread::spawn(move || other.request());
        runtime.block_on(stop.stopped());
        assert!(stop.is_requested());
    }
}
