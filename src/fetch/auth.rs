//! The token: `BAREKEY_ACCESS_TOKEN`, else the Barekey CLI's stored session, which is
//! refreshed (and its rotated pair saved back, mode 0600) when needed.

use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::http::{Client, into_json};
use crate::{Error, Result, Warning, env, write};
use barekey_typegen_http::Token;
use barekey_typegen_shared::settings::{
    cli_config_file, invalid_file, read_json_object, string_key,
};

/// A refresh happens when the access token expires within this many milliseconds.
const EXPIRY_MARGIN_MS: i64 = 10_000;

/// The route that trades a refresh token for a new pair.
const REFRESH_ROUTE: &str = "/v1/cli/token/refresh";

/// The longest a refresh waits for another run's refresh of the same session to finish before
/// it goes on without the lock (a run suspended while it holds it must not stop every other).
const REFRESH_LOCK_WAIT: Duration = Duration::from_secs(30);

/// What JavaScript's `encodeURIComponent` leaves alone: the Barekey CLI names credentials
/// files with it.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Where the token comes from.
pub(super) enum Auth {
    /// `BAREKEY_ACCESS_TOKEN`: used as it is, never refreshed.
    Env(Token),
    /// The Barekey CLI's session.
    Session(Session),
}

/// A Barekey CLI credentials file. No `Debug`: its document holds the tokens.
pub(super) struct Session {
    /// The Barekey CLI's config folder, whose lock orders this tool's refreshes.
    dir: PathBuf,
    path: PathBuf,
    document: Map<String, Value>,
    access: Token,
    refresh: Option<Token>,
    access_expires_ms: Option<i64>,
    refresh_expires_ms: Option<i64>,
    /// What the user should hear about the file (its permissions).
    warnings: Vec<Warning>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Env(token) => f.debug_tuple("Env").field(token).finish(),
            Auth::Session(session) => f
                .debug_struct("Session")
                .field("path", &session.path)
                .finish_non_exhaustive(),
        }
    }
}

impl Auth {
    /// `BAREKEY_ACCESS_TOKEN` (set but empty is an error), else the session in the Barekey
    /// CLI's config folder `cli_dir`.
    pub(super) fn resolve(
        env: &dyn Fn(&str) -> Option<OsString>,
        cli_dir: Option<&Path>,
    ) -> Result<Auth> {
        if let Some(value) = env(env::ACCESS_TOKEN) {
            return Token::new(&value.to_string_lossy())
                .map(Auth::Env)
                .ok_or(Error::EmptyToken);
        }
        let mut looked = vec![format!("${} (not set)", env::ACCESS_TOKEN)];
        let Some(dir) = cli_dir else {
            looked.push(format!(
                "the Barekey CLI's session (neither ${} nor ${} is set)",
                env::XDG_CONFIG_HOME,
                env::HOME
            ));
            return Err(Error::NoToken { looked });
        };
        match Session::find(dir, &mut looked)? {
            Some(session) => Ok(Auth::Session(session)),
            None => Err(Error::NoToken { looked }),
        }
    }

    pub(super) fn token(&self) -> &Token {
        match self {
            Auth::Env(token) => token,
            Auth::Session(session) => &session.access,
        }
    }

    /// Warnings about where the token came from (a credentials file others can read).
    pub(super) fn warnings(&self) -> &[Warning] {
        match self {
            Auth::Env(_) => &[],
            Auth::Session(session) => &session.warnings,
        }
    }

    pub(super) fn is_session(&self) -> bool {
        matches!(self, Auth::Session(_))
    }

    /// Whether a stored access token expires within the margin at `now_ms`.
    pub(super) fn expires_soon(&self, now_ms: i64) -> bool {
        match self {
            Auth::Env(_) => false,
            Auth::Session(session) => session
                .access_expires_ms
                .is_some_and(|expires| expires - now_ms <= EXPIRY_MARGIN_MS),
        }
    }

    /// Trades the session's refresh token for a new pair and saves it; a no-op for
    /// `BAREKEY_ACCESS_TOKEN`, which cannot be refreshed.
    pub(super) fn refresh(&mut self, client: &Client, now_ms: i64) -> Result<()> {
        match self {
            Auth::Env(_) => Ok(()),
            Auth::Session(session) => session.refresh(client, now_ms),
        }
    }

    /// What to do when the service answers `UNAUTHORIZED`.
    pub(super) fn unauthorized_hint(&self) -> &'static str {
        match self {
            Auth::Env(_) => {
                "BAREKEY_ACCESS_TOKEN was refused; set it to a valid, unexpired Barekey access token"
            }
            Auth::Session(_) => {
                "the Barekey CLI session was refused even after a refresh; log in again with the \
                 Barekey CLI"
            }
        }
    }
}

impl Session {
    /// The active account's credentials, or `None` with the reason added to `looked`.
    fn find(dir: &Path, looked: &mut Vec<String>) -> Result<Option<Session>> {
        let config_path = cli_config_file(dir);
        let Some(config) = read_json_object(&config_path)? else {
            looked.push(format!("{} (not found)", config_path.display()));
            return Ok(None);
        };
        let Some(account) = string_key(&config, &["activeAccountId"], &config_path)? else {
            looked.push(format!(
                "{} (no activeAccountId: not logged in)",
                config_path.display()
            ));
            return Ok(None);
        };
        let file = format!(
            "{}.json",
            utf8_percent_encode(&account.value, URI_COMPONENT)
        );
        let path = dir.join("credentials").join(file);
        let session = Session::read(dir, path.clone())?;
        if session.is_none() {
            looked.push(format!("{} (not found)", path.display()));
        }
        Ok(session)
    }

    /// The credentials file at `path` (`None` when there is none), of the config folder `dir`.
    fn read(dir: &Path, path: PathBuf) -> Result<Option<Session>> {
        let Some(document) = read_json_object(&path)? else {
            return Ok(None);
        };
        let secret = |key| match document.get(key) {
            Some(Value::String(text)) => Token::new(text),
            _ => None,
        };
        let Some(access) = secret("accessToken") else {
            return Err(invalid_file(&path, "it holds no accessToken".to_owned()).into());
        };
        // Checked here, not by the HTTP client: its "failed to parse header value" would
        // name neither the file nor the fix.
        if !is_token_text(access.expose()) {
            return Err(Error::InvalidSessionToken { path });
        }
        let refresh = secret("refreshToken");
        Ok(Some(Session {
            access_expires_ms: document
                .get("accessTokenExpiresAtMs")
                .and_then(Value::as_i64),
            refresh_expires_ms: document
                .get("refreshTokenExpiresAtMs")
                .and_then(Value::as_i64),
            warnings: exposure(&path).into_iter().collect(),
            dir: dir.to_owned(),
            path,
            document,
            access,
            refresh,
        }))
    }

    /// Trades the refresh token for a new pair and saves it, unless another process did so
    /// first. Refresh tokens rotate, so of two runs refreshing one session, the second would be
    /// told INVALID_REFRESH_TOKEN: this tool's runs take turns (a lock on the Barekey CLI's
    /// config folder), each rereading the file once it has the lock, and a run refused anyway
    /// (the Barekey CLI itself raced it) rereads the file again and goes on with a pair saved
    /// meanwhile.
    fn refresh(&mut self, client: &Client, now_ms: i64) -> Result<()> {
        let _turn = take_turn(&self.dir);
        if self.take_newer_pair()? {
            return Ok(());
        }
        match self.trade(client, now_ms) {
            Err(Error::Api(error))
                if error.code == "INVALID_REFRESH_TOKEN" && self.take_newer_pair()? =>
            {
                Ok(())
            }
            traded => traded,
        }
    }

    /// Rereads the credentials file: when it holds another refresh token than this session,
    /// another process has refreshed it since it was read, and its pair is taken. Whether it was.
    fn take_newer_pair(&mut self) -> Result<bool> {
        let Some(stored) = Session::read(&self.dir, self.path.clone())? else {
            return Ok(false);
        };
        if stored.refresh.is_none() || stored.refresh == self.refresh {
            return Ok(false);
        }
        *self = Session {
            warnings: std::mem::take(&mut self.warnings),
            ..stored
        };
        Ok(true)
    }

    /// The refresh itself: `POST /v1/cli/token/refresh`, the reply checked, the pair saved.
    fn trade(&mut self, client: &Client, now_ms: i64) -> Result<()> {
        let ended = |reason: &str| Error::SessionEnded {
            path: self.path.clone(),
            reason: reason.to_owned(),
        };
        let Some(refresh) = &self.refresh else {
            return Err(ended("it holds no refreshToken"));
        };
        if self
            .refresh_expires_ms
            .is_some_and(|expires| expires <= now_ms)
        {
            return Err(ended("its refresh token has expired"));
        }
        let reply = client.post_json(REFRESH_ROUTE, &json!({"refreshToken": refresh.expose()}))?;
        let (url, status) = (reply.url.clone(), reply.status);
        let body = into_json(reply, client.front(), |code| {
            matches!(code, "INVALID_REFRESH_TOKEN" | "UNAUTHORIZED")
                .then(|| "log in again with the Barekey CLI".to_owned())
        })?;
        // Checked whole before anything is kept: a bad pair saved would fail every later run
        // until the user logs in again.
        let pair = Refreshed::read(&body).map_err(|what| Error::BadReply {
            url,
            status,
            what: format!("a token refresh reply {what}; nothing was saved"),
            front: client.front(),
        })?;
        self.access = pair.access;
        self.refresh = pair.refresh.or(self.refresh.take());
        for key in [
            "accessToken",
            "refreshToken",
            "accessTokenExpiresAtMs",
            "refreshTokenExpiresAtMs",
        ] {
            if let Some(value) = body.get(key) {
                self.document.insert(key.to_owned(), value.clone());
            }
        }
        self.access_expires_ms = pair.access_expires_ms;
        self.refresh_expires_ms = pair.refresh_expires_ms.or(self.refresh_expires_ms);
        let mut bytes = serde_json::to_vec_pretty(&self.document).unwrap_or_default();
        bytes.push(b'\n');
        write::write_private(&self.path, &bytes)
    }
}

/// This run's turn to refresh a session of the Barekey CLI's config folder `dir`: its
/// advisory lock (`flock` on the folder, no file added), held until dropped, waiting at most
/// [`REFRESH_LOCK_WAIT`] for another run's turn to end. `None` where it cannot be taken (the
/// reread after a refused refresh still covers that case, as it covers the Barekey CLI itself).
#[cfg(unix)]
fn take_turn(dir: &Path) -> Option<File> {
    use rustix::fs::{FlockOperation, flock};
    use rustix::io::Errno;
    let folder = File::open(dir).ok()?;
    let start = std::time::Instant::now();
    loop {
        match flock(&folder, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Some(folder),
            Err(Errno::WOULDBLOCK | Errno::INTR) if start.elapsed() < REFRESH_LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => return None,
        }
    }
}

#[cfg(not(unix))]
fn take_turn(_dir: &Path) -> Option<File> {
    None
}

/// A token refresh reply, every field checked.
struct Refreshed {
    access: Token,
    refresh: Option<Token>,
    access_expires_ms: Option<i64>,
    refresh_expires_ms: Option<i64>,
}

impl Refreshed {
    /// The new pair, or what is wrong with the reply (never quoting a token).
    fn read(body: &Value) -> std::result::Result<Refreshed, String> {
        let token = |key: &str, required: bool| match body.get(key) {
            None | Some(Value::Null) if !required => Ok(None),
            Some(Value::String(text)) if is_token_text(text) => Ok(Token::new(text)),
            Some(Value::String(_)) => Err(format!(
                "whose {key} is empty or holds spaces or control characters"
            )),
            None | Some(Value::Null) => Err(format!("without {key}")),
            Some(_) => Err(format!("whose {key} is not a string")),
        };
        let millis = |key: &str| match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| format!("whose {key} is not a whole number of milliseconds")),
        };
        Ok(Refreshed {
            access: token("accessToken", true)?.ok_or("with an empty accessToken")?,
            refresh: token("refreshToken", false)?,
            access_expires_ms: millis("accessTokenExpiresAtMs")?,
            refresh_expires_ms: millis("refreshTokenExpiresAtMs")?,
        })
    }
}

/// Whether `text` can be a token as the service issues them (`bk_at_...`): visible ASCII
/// only, so it fits an HTTP header and one line of the credentials file.
fn is_token_text(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_graphic())
}

/// A warning when the credentials file at `path` can be read by group or others.
#[cfg(unix)]
fn exposure(path: &Path) -> Option<Warning> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| Warning::ExposedCredentials {
        path: path.to_owned(),
        mode,
    })
}

#[cfg(not(unix))]
fn exposure(_path: &Path) -> Option<Warning> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_reply_is_checked_whole() {
        let good = json!({"accessToken": "bk_at_new", "refreshToken": "bk_rt_new",
            "accessTokenExpiresAtMs": 1, "refreshTokenExpiresAtMs": 2});
        let pair = Refreshed::read(&good).unwrap();
        assert_eq!(pair.access.expose(), "bk_at_new");
        assert_eq!(pair.refresh_expires_ms, Some(2));
        let bad = [
            (
                json!({"accessToken": "bk_at_a\nb"}),
                "holds spaces or control",
            ),
            (
                json!({"accessToken": "bk_at_a b"}),
                "holds spaces or control",
            ),
            (json!({"accessToken": 42}), "accessToken is not a string"),
            (json!({"refreshToken": "bk_rt_x"}), "without accessToken"),
            (
                json!({"accessToken": "bk_at_a", "refreshToken": ["x"]}),
                "refreshToken is not",
            ),
            (
                json!({"accessToken": "bk_at_a", "refreshToken": "bk_rt\r"}),
                "control",
            ),
            (
                json!({"accessToken": "bk_at_a", "accessTokenExpiresAtMs": "soon"}),
                "whole number",
            ),
            (
                json!({"accessToken": "bk_at_a", "refreshTokenExpiresAtMs": 1.5}),
                "whole number",
            ),
        ];
        for (body, expected) in bad {
            let error = Refreshed::read(&body).err().unwrap();
            assert!(error.contains(expected), "{body}: {error}");
            assert!(!error.contains("bk_"), "{error}");
        }
    }

    #[test]
    fn credentials_file_names_are_encoded_like_encode_uri_component() {
        let encoded = utf8_percent_encode("acme-42:user_2x!(é)", URI_COMPONENT).to_string();
        assert_eq!(encoded, "acme-42%3Auser_2x!(%C3%A9)");
    }
}
