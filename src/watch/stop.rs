//! [`Stop`]: how a watch is asked to end, by SIGINT or SIGTERM or by its caller, at a point
//! where no file is being written.

use std::io;
use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
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

/// The stop SIGINT and SIGTERM request, once [`Stop::on_signals`] made one, for as long as
/// it lives: weak, so a watch that ended (and dropped it) no longer takes signals.
static ON_SIGNAL: Mutex<Option<Weak<Inner>>> = Mutex::new(None);

impl Stop {
    /// A stop nothing has requested yet.
    pub fn new() -> Stop {
        Stop::default()
    }

    /// A stop that SIGINT and SIGTERM request, for a command-line watch, for as long as it
    /// (or a clone) lives; it replaces any earlier one.
    ///
    /// The signals are handled by the process's one handler thread,
    /// [`clean_up_on_signals`](crate::write::clean_up_on_signals), which this installs when
    /// the program has not: it offers each signal to this stop first. A second signal, after
    /// the first, or one after the stop was dropped, ends the process as that handler does
    /// without a watch (temporary files being written removed, exit status 130 or 143). On
    /// other systems than Unix no signal requests it (Ctrl-C ends the process).
    ///
    /// # Errors
    ///
    /// When the signal handlers cannot be installed.
    pub fn on_signals() -> io::Result<Stop> {
        let stop = Stop::new();
        *on_signal_slot() = Some(Arc::downgrade(&stop.inner));
        crate::write::clean_up_on_signals()?;
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

fn on_signal_slot() -> MutexGuard<'static, Option<Weak<Inner>>> {
    ON_SIGNAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What SIGINT or SIGTERM does while a watch runs: requests its stop and returns `true`;
/// `false` when there is none (never made, or dropped), or it was requested already, and the
/// process should end the way it does without a watch. The process's one signal handler
/// thread ([`crate::write::clean_up_on_signals`]) asks this first.
pub(crate) fn on_signal() -> bool {
    let stop = on_signal_slot()
        .as_ref()
        .and_then(Weak::upgrade)
        .map(|inner| Stop { inner });
    match stop {
        Some(stop) if !stop.is_requested() => {
            stop.request();
            true
        }
        _ => false,
    }
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
    fn a_signal_goes_to_the_living_stop_once_then_ends_the_process() {
        // The slot itself, without installing handlers: only this test touches it.
        let stop = Stop::new();
        *on_signal_slot() = Some(Arc::downgrade(&stop.inner));
        assert!(on_signal(), "the first signal requests the stop");
        assert!(stop.is_requested());
        assert!(!on_signal(), "a second one is the process's");
        let stop = Stop::new();
        *on_signal_slot() = Some(Arc::downgrade(&stop.inner));
        drop(stop);
        assert!(!on_signal(), "a dropped stop takes no signal");
        *on_signal_slot() = None;
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
