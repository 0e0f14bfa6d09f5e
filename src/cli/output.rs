//! Where messages go: stderr, so stdout carries only generated output; a spinner on a
//! terminal while network work runs. Every message and spinner text goes through
//! [`message_for_terminal`]: whatever outside text a message holds, no escape sequence,
//! carriage return or direction control reaches the terminal, and no line runs on without end.

use std::borrow::Cow;
use std::io::{self, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::time::Duration;

use barekey_typegen::manifest::Manifest;
use barekey_typegen::pipeline::Outcome;
use barekey_typegen::watch;
use barekey_typegen::write::Written;
use barekey_typegen::{Error, Warning};
use barekey_typegen_shared::text::{for_terminal, message_for_terminal};
use indicatif::ProgressBar;

use super::messages;

/// Where messages go: stderr, so stdout carries only generated output, or with
/// `--message-format json` only the JSON objects ([`super::messages`]).
pub(crate) struct Output {
    pub(crate) quiet: bool,
    /// The watch's spinner, which lines are printed around.
    pub(crate) spinner: Option<ProgressBar>,
    /// Whether `--message-format json` asked for JSON objects on stdout.
    pub(crate) json: bool,
}

impl Output {
    /// Prints `message` as one line of JSON on stdout, with `--message-format json`.
    pub(crate) fn emit(&mut self, message: &serde_json::Value) {
        if !self.json {
            return;
        }
        let mut line = message.to_string();
        line.push('\n');
        let write = || {
            // A reader that went away is told nothing; the exit status still says it all.
            let _ = write_stdout(line.as_bytes());
        };
        match &self.spinner {
            Some(spinner) => spinner.suspend(write),
            None => write(),
        }
    }

    pub(crate) fn info(&mut self, message: &str) {
        if !self.quiet {
            self.line(message);
        }
    }

    pub(crate) fn warnings(&mut self, warnings: &[Warning]) {
        for warning in warnings {
            self.warning(&warning.to_string());
        }
    }

    /// `warning: TEXT` on stderr (and a `warning` object).
    pub(crate) fn warning(&mut self, text: &str) {
        self.line(&format!("warning: {text}"));
        self.emit(&messages::warning(text));
    }

    /// A spinner on stderr while network work runs: only on a terminal, never with --quiet.
    pub(crate) fn spinner(&mut self, message: String) -> ProgressBar {
        if self.quiet || !io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let spinner = ProgressBar::new_spinner();
        spinner.set_message(message_for_terminal(&message).into_owned());
        spinner.enable_steady_tick(Duration::from_millis(100));
        spinner
    }

    /// The watch's spinner, shown until [`Output::stop_spinner`] (on a terminal, without
    /// --quiet).
    pub(crate) fn start_spinner(&mut self, message: String) {
        let spinner = self.spinner(message);
        if !spinner.is_hidden() {
            self.spinner = Some(spinner);
        }
    }

    pub(crate) fn stop_spinner(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }

    /// One watch event, as one line: with --quiet only changes and faults.
    pub(crate) fn watch_event(&mut self, event: &watch::Event<'_>, stage: &str) {
        match event {
            watch::Event::Started { manifest, outcomes } => {
                for outcome in *outcomes {
                    self.emit(&messages::file_written(outcome));
                }
                let wrote = outcomes
                    .iter()
                    .any(|outcome| outcome.written != Written::Unchanged);
                let count = manifest.variables.len();
                let line = format!(
                    "manifest {} of {stage}, {count} variable{}: {}",
                    version(manifest),
                    if count == 1 { "" } else { "s" },
                    list_outcomes(outcomes)
                );
                if wrote || !self.quiet {
                    self.line(&line);
                }
            }
            watch::Event::Changed {
                old,
                new,
                diff,
                outcomes,
            } => {
                let scope = messages::Scope {
                    snapshot: None,
                    stage,
                };
                for message in messages::variable_changes(&scope, diff) {
                    self.emit(&message);
                }
                for outcome in *outcomes {
                    self.emit(&messages::file_written(outcome));
                }
                self.line(&format!(
                    "manifest {} -> {}: {}; {}",
                    version(old),
                    version(new),
                    diff.lines().join("; "),
                    list_outcomes(outcomes)
                ));
            }
            watch::Event::Warnings(warnings) => self.warnings(warnings),
            watch::Event::Outage(error) => {
                let text = error.to_string();
                let text: Vec<&str> = text.lines().collect();
                let text = format!(
                    "{}; the watch goes on, retrying less often; the output is left as it is",
                    text.join("; ")
                );
                self.emit(&messages::watch_status("watch-outage", &text));
                self.line(&format!("error: {text}"));
            }
            watch::Event::Recovered { failures } => {
                let text = format!(
                    "the live manifest of {stage} answers again, after {failures} failed fetch{}",
                    if *failures == 1 { "" } else { "es" }
                );
                self.emit(&messages::watch_status("watch-recovered", &text));
                self.line(&text);
            }
            _ => {}
        }
    }

    pub(crate) fn drift(&mut self, message: &str) {
        self.line(&format!("error: {message}"));
    }

    pub(crate) fn error(&mut self, error: &Error) {
        let mut text = error.to_string();
        let mut cause = std::error::Error::source(error);
        while let Some(inner) = cause {
            text.push_str(&format!("\n  caused by: {inner}"));
            cause = inner.source();
        }
        self.emit(&messages::error(&text));
        self.line(&format!("error: {text}"));
    }

    pub(crate) fn line(&mut self, text: &str) {
        let text = message_for_terminal(text);
        // Nothing useful can be done when stderr itself is gone.
        let write = || {
            let _ = writeln!(io::stderr().lock(), "{text}");
        };
        match &self.spinner {
            Some(spinner) => spinner.suspend(write),
            None => write(),
        }
    }
}

/// A manifest's version as messages show it: the service's text, escaped and cut short.
pub(crate) fn version(manifest: &Manifest) -> Cow<'_, str> {
    manifest
        .manifest_version
        .as_deref()
        .map_or(Cow::Borrowed("(no version)"), for_terminal)
}

/// `updated src/env.rs, unchanged src/env.ts`.
fn list_outcomes(outcomes: &[Outcome]) -> String {
    let listed: Vec<String> = outcomes.iter().map(ToString::to_string).collect();
    listed.join(", ")
}

/// Writes `bytes` to standard output; a reader that went away (`| head`) is no error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        // Nothing is lost, and there is no one to tell.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(|source| Error::Write {
            path: PathBuf::from("<standard output>"),
            what: "writing",
            source,
        }),
    }
}
