//! [`Stop`]: how a watch (and a request in flight) is asked to end, by its caller or by the
//! binary's signal policy, at a point where no file is being written.

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

impl Stop {
    /// A stop nothing has requested yet.
    pub fn new() -> Stop {
        Stop::default()
    }

    /// A handle to this stop that does not keep it alive ([`WeakStop`]).
    pub fn downgrade(&self) -> WeakStop {
        WeakStop {
            inner: Arc::downgrade(&self.inner),
        }
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

/// A handle that does not keep its [`Stop`] alive: what a process-wide signal handler holds,
/// so that a watch that ended (and dropped its stop) no longer takes signals.
#[derive(Debug, Clone, Default)]
pub struct WeakStop {
    inner: Weak<Inner>,
}

impl WeakStop {
    /// Requests the stop if it still lives and was not requested yet; returns whether it did.
    /// `false` tells a signal handler that no watch takes this signal: the process should end
    /// the way it does without one.
    pub fn request_once(&self) -> bool {
        match self.inner.upgrade().map(|inner| Stop { inner }) {
            Some(stop) if !stop.is_requested() => {
                stop.request();
                true
            }
            _ => false,
        }
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
    fn a_weak_handle_requests_a_living_stop_once() {
        let stop = Stop::new();
        let weak = stop.downgrade();
        assert!(weak.request_once(), "the first request reaches the stop");
        assert!(stop.is_requested());
        assert!(!weak.request_once(), "a second one is not taken");
        let weak = Stop::new().downgrade();
        assert!(!weak.request_once(), "a dropped stop takes no request");
        assert!(!WeakStop::default().request_once());
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
