//! [`Error`], why reading Barekey variables at run time failed: from the environment (one
//! variable, or a whole `BarekeyEnv`) or from the Barekey API, with the service's stable
//! [`ErrorCode`].

use std::fmt;

use barekey_typegen_shared::{ApiError, ErrorCode};

use super::load::{LoadError, Problem, ProblemKind};

/// Why reading Barekey variables at run time failed.
///
/// One missing or invalid variable ([`problem`](Error::problem), what `barekey_env!`
/// returns), several of them ([`load_error`](Error::load_error), from a generated
/// `BarekeyEnv`), or a call to the Barekey API that failed: the service's answer
/// ([`code`](Error::code), [`status`](Error::status), [`request_id`](Error::request_id)), a
/// reply that is not the API's, or no reply at all. [`is_retryable`](Error::is_retryable) says
/// whether trying again later may help.
///
/// Its `Display` and `Debug` never show a token or the value of a private variable, so it is
/// safe to log. `Debug` prints the message (and its cause) as `Display` does, so
/// `fn main() -> Result<(), Error>` shows a readable failure rather than a struct dump.
///
/// ```
/// # mod barekey {
/// #     use barekey_typegen_runtime::{__private::var, Kind, Var, Visibility};
/// #     pub struct BarekeyEnv;
/// #     impl BarekeyEnv {
/// #         pub const PORT: Var<i64> = var("PORT", Kind::Secret, Visibility::Public, &[], &[]);
/// #     }
/// # }
/// use barekey_typegen_runtime::{ErrorCode, ErrorKind};
/// // mod barekey { include!(concat!(env!("OUT_DIR"), "/barekey_env.rs")); }
///
/// let error = barekey::BarekeyEnv::PORT.parse(None).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::MissingVariable);
/// assert_eq!(error.code(), None);
/// assert!(!error.is_retryable());
/// assert_eq!(ErrorCode::parse("INVALID_ORG_SCOPE"), ErrorCode::OrgScopeInvalid);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    repr: Repr,
}

/// What an [`Error`] holds; private so new cases never break users.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Repr {
    Variable(Problem),
    Load(LoadError),
    Api(Box<ApiFailure>),
    BadReply {
        url: String,
        status: u16,
        what: String,
    },
    Network {
        url: String,
        what: String,
        cause: Cause,
    },
    Config(String),
}

/// An error answer of the Barekey API, and its code typed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ApiFailure {
    error: ApiError,
    code: ErrorCode,
}

/// The broad category of an [`Error`], for code that reacts to failures differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The variable is not set.
    MissingVariable,
    /// The variable's text is not a valid value of its declared type.
    InvalidVariable,
    /// Some variables of a generated `BarekeyEnv` are missing or invalid
    /// ([`Error::load_error`] lists them).
    Load,
    /// The Barekey API answered with an error ([`Error::code`] says which).
    Api,
    /// The reply is not what the Barekey API sends: HTML, not JSON, or JSON of another shape.
    BadReply,
    /// No complete reply: the connection failed, timed out or was cut off.
    Network,
    /// The client could not be set up: no project or stage, no token, an unusable API URL.
    Config,
}

/// The HTTP client's own words for a failed request, kept as text so [`Error`] stays
/// `Clone + Eq`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cause(String);

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

impl Error {
    pub(crate) fn variable_problem(problem: Problem) -> Self {
        Error {
            repr: Repr::Variable(problem),
        }
    }

    /// The error of a load that read one variable: its one problem, as [`Error::problem`]
    /// gives it (a load error of several problems stays one).
    pub(crate) fn first_problem(error: LoadError) -> Self {
        match error.problems() {
            [problem] => Error::variable_problem(problem.clone()),
            _ => Error::from(error),
        }
    }

    // The constructors below are for `barekey-typegen-client`'s `Client`, which reports its
    // failures as this same type: public for that crate only, hidden, and outside the
    // stable API (what `Error` holds may change).

    /// The API's error answer `error`.
    #[doc(hidden)]
    pub fn __api(error: ApiError) -> Self {
        let code = ErrorCode::parse(&error.code);
        Error {
            repr: Repr::Api(Box::new(ApiFailure { error, code })),
        }
    }

    /// A reply from `url` that is not the API's: `what` came instead.
    #[doc(hidden)]
    pub fn __bad_reply(url: String, status: u16, what: String) -> Self {
        Error {
            repr: Repr::BadReply { url, status, what },
        }
    }

    /// No complete reply from `url`: `what` in a few words, `cause` in the client's.
    #[doc(hidden)]
    pub fn __network(url: String, what: String, cause: String) -> Self {
        Error {
            repr: Repr::Network {
                url,
                what,
                cause: Cause(cause),
            },
        }
    }

    /// The client could not be set up: `message` (a core error's text, which holds no
    /// secret, or the client's own words).
    #[doc(hidden)]
    pub fn __config(message: impl fmt::Display) -> Self {
        Error {
            repr: Repr::Config(message.to_string()),
        }
    }

    /// The same error with `hint`, what to do about it, in place of the API error's own
    /// (another error is returned as it is): for a caller that knows more about the request
    /// than the code says.
    #[doc(hidden)]
    #[must_use]
    pub fn __with_hint(mut self, hint: impl fmt::Display) -> Self {
        if let Repr::Api(failure) = &mut self.repr {
            failure.error.hint = Some(hint.to_string());
        }
        self
    }

    /// What sort of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.repr {
            Repr::Variable(problem) => match problem.kind() {
                ProblemKind::Missing => ErrorKind::MissingVariable,
                // Every other kind is a value that is there but not fit.
                _ => ErrorKind::InvalidVariable,
            },
            Repr::Load(_) => ErrorKind::Load,
            Repr::Api(_) => ErrorKind::Api,
            Repr::BadReply { .. } => ErrorKind::BadReply,
            Repr::Network { .. } => ErrorKind::Network,
            Repr::Config(_) => ErrorKind::Config,
        }
    }

    /// The name of the variable that failed, when one did.
    pub fn variable(&self) -> Option<&str> {
        self.problem().map(Problem::name)
    }

    /// What was wrong with the variable, when the failure is about one variable's value.
    pub fn problem(&self) -> Option<&Problem> {
        match &self.repr {
            Repr::Variable(problem) => Some(problem),
            _ => None,
        }
    }

    /// Every missing and invalid variable, when a generated `BarekeyEnv` failed to load.
    pub fn load_error(&self) -> Option<&LoadError> {
        match &self.repr {
            Repr::Load(error) => Some(error),
            _ => None,
        }
    }

    /// The API's error code, when the API answered with one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api_failure().map(|failure| &failure.code)
    }

    /// The HTTP status of the API's reply, when there was one.
    pub fn status(&self) -> Option<u16> {
        match &self.repr {
            Repr::Api(failure) => Some(failure.error.status),
            Repr::BadReply { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `requestId` of the API's error, to quote to Barekey support.
    pub fn request_id(&self) -> Option<&str> {
        self.api_failure()?.error.request_id.as_deref()
    }

    /// The URL of the API call that failed (never with a token).
    pub fn url(&self) -> Option<&str> {
        match &self.repr {
            Repr::Api(failure) => Some(&failure.error.url),
            Repr::BadReply { url, .. } | Repr::Network { url, .. } => Some(url),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: the codes `EVALUATION_FAILED` and
    /// `BILLING_UNAVAILABLE`, and HTTP 429 and 503. The client has already retried these.
    pub fn is_retryable(&self) -> bool {
        self.code().is_some_and(ErrorCode::is_retryable) || matches!(self.status(), Some(429 | 503))
    }

    fn api_failure(&self) -> Option<&ApiFailure> {
        match &self.repr {
            Repr::Api(failure) => Some(failure),
            _ => None,
        }
    }
}

impl From<LoadError> for Error {
    /// So `BarekeyEnv::from_lookup(...)?` works in a function returning this [`Error`].
    fn from(error: LoadError) -> Self {
        Error {
            repr: Repr::Load(error),
        }
    }
}

impl fmt::Display for Error {
    /// One variable: `Barekey variable NAME (type, visibility): what is wrong`; an API call:
    /// the URL, the status, the code and message, the request id, and what to do.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Variable(problem) => write!(f, "Barekey variable {problem}"),
            Repr::Load(error) => write!(f, "{error}"),
            Repr::Api(failure) => write!(f, "{}", failure.error),
            Repr::BadReply { url, status, what } => write!(
                f,
                "{url} answered HTTP {status} with {what}; check that the API URL \
                 (BAREKEY_API_URL) points at the Barekey API"
            ),
            Repr::Network { url, what, .. } => write!(f, "cannot reach {url}: {what}"),
            Repr::Config(message) => f.write_str(message),
        }
    }
}

impl fmt::Debug for Error {
    /// The message, then each cause on its own line: what `fn main() -> Result<(), Error>`
    /// prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        barekey_typegen_shared::text::write_with_causes(f, self)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            Repr::Variable(problem) => match problem.kind() {
                ProblemKind::Invalid { reason, .. } => Some(reason),
                _ => None,
            },
            Repr::Network { cause, .. } => Some(cause),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_the_org_scope_has_two_spellings() {
        let known = [
            "UNAUTHORIZED",
            "ORG_SCOPE_INVALID",
            "INVALID_JSON",
            "INVALID_REQUEST",
            "VARIABLE_NOT_FOUND",
            "MANIFEST_NOT_FOUND",
            "EVALUATION_FAILED",
            "USAGE_LIMIT_EXCEEDED",
            "BILLING_UNAVAILABLE",
            "DEVICE_CODE_NOT_FOUND",
            "DEVICE_CODE_EXPIRED",
            "USER_CODE_INVALID",
            "INVALID_REFRESH_TOKEN",
        ];
        for code in known {
            let parsed = ErrorCode::parse(code);
            assert!(!matches!(parsed, ErrorCode::Unknown(_)), "{code}");
            assert_eq!(parsed.as_str(), code);
            assert_eq!(
                parsed.is_retryable(),
                matches!(code, "EVALUATION_FAILED" | "BILLING_UNAVAILABLE"),
                "{code}"
            );
        }
        assert_eq!(
            ErrorCode::parse("INVALID_ORG_SCOPE"),
            ErrorCode::OrgScopeInvalid
        );
        let unknown = ErrorCode::parse("RATE_LIMITED");
        assert_eq!(unknown, ErrorCode::Unknown("RATE_LIMITED".to_owned()));
        assert_eq!(unknown.to_string(), "RATE_LIMITED");
    }

    #[test]
    fn debug_reads_like_display_with_its_causes() {
        let api = Error::__api(ApiError::new(
            "https://api.barekey.dev/v1/env/pull".to_owned(),
            404,
            "MANIFEST_NOT_FOUND".to_owned(),
            "no such stage".to_owned(),
            Some("req-1".to_owned()),
            Some("check the project and the stage".to_owned()),
        ));
        assert_eq!(
            format!("{api:?}"),
            "https://api.barekey.dev/v1/env/pull answered HTTP 404 MANIFEST_NOT_FOUND: no such \
             stage (requestId req-1)\ncheck the project and the stage"
        );
        assert_eq!(format!("{api:?}"), api.to_string());

        let network = Error::__network(
            "https://api.barekey.dev/v1/env/pull".to_owned(),
            "cannot connect".to_owned(),
            "connection refused".to_owned(),
        );
        assert_eq!(
            format!("{network:?}"),
            "cannot reach https://api.barekey.dev/v1/env/pull: cannot connect\n\
             caused by: connection refused"
        );

        let missing =
            crate::__private::read_lookup::<i64>(&|_| None, "PORT", crate::Visibility::Public)
                .unwrap_err();
        assert_eq!(format!("{missing:?}"), missing.to_string());
        assert!(!format!("{missing:?}").contains("repr"), "{missing:?}");
    }
}
