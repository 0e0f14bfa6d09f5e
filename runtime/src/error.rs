//! [`Error`], why reading Barekey variables at run time failed: from the environment (one
//! variable, or a whole `BarekeyEnv`) or from the Barekey API, with the service's stable
//! [`ErrorCode`].

use std::fmt;

use super::load::{LoadError, Problem, ProblemKind};
use super::text::for_terminal;

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
/// safe to log.
///
/// ```
/// use barekey_typegen_runtime::{ErrorCode, ErrorKind, Visibility, read_lookup};
///
/// let error = read_lookup::<i64>(&|_| None, "PORT", Visibility::Public).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::MissingVariable);
/// assert_eq!(error.code(), None);
/// assert!(!error.is_retryable());
/// assert_eq!(ErrorCode::parse("INVALID_ORG_SCOPE"), ErrorCode::OrgScopeInvalid);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// An error reply of the Barekey API, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The URL asked (no token is ever part of it).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The error code, such as `MANIFEST_NOT_FOUND`.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The request id to quote to Barekey support.
    pub request_id: Option<String>,
    /// What to do about it, when this tool knows.
    pub hint: Option<String>,
}

impl ApiError {
    /// The error reply to a request for `url`: `status`, and `code`, `message` and
    /// `request_id` as the service sent them, with `hint`, what to do about it.
    pub fn new(
        url: String,
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
        hint: Option<String>,
    ) -> Self {
        ApiError {
            url,
            status,
            code,
            message,
            request_id,
            hint,
        }
    }
}

/// Shows the service's code, message and request id through [`for_terminal`]: escape
/// sequences and carriage returns escaped, a huge message cut short.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered HTTP {} {}: {}",
            self.url,
            self.status,
            for_terminal(&self.code),
            for_terminal(&self.message)
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (requestId {})", for_terminal(id))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n{hint}")?;
        }
        Ok(())
    }
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

/// A stable error code of the Barekey API (`seeds/errors.txt`, and the manifest route's).
///
/// Codes this version does not know are kept as [`ErrorCode::Unknown`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `UNAUTHORIZED` (401): the token is missing, invalid, expired or revoked.
    Unauthorized,
    /// `ORG_SCOPE_INVALID` or `INVALID_ORG_SCOPE` (403): the token does not grant the
    /// organisation asked for.
    OrgScopeInvalid,
    /// `INVALID_JSON` (400): the request body is not JSON.
    InvalidJson,
    /// `INVALID_REQUEST` (400): a field is missing or wrong, such as a declared type that
    /// does not match the stored one.
    InvalidRequest,
    /// `VARIABLE_NOT_FOUND` (404): no variable of that name in the stage.
    VariableNotFound,
    /// `MANIFEST_NOT_FOUND` (404): no such project or stage.
    ManifestNotFound,
    /// `EVALUATION_FAILED` (500): the service could not decrypt or resolve a value; retryable.
    EvaluationFailed,
    /// `USAGE_LIMIT_EXCEEDED` (402): the plan's evaluation limit is reached.
    UsageLimitExceeded,
    /// `BILLING_UNAVAILABLE` (503): billing is down and nothing was done; retryable.
    BillingUnavailable,
    /// `DEVICE_CODE_NOT_FOUND` (404), of the CLI's device login.
    DeviceCodeNotFound,
    /// `DEVICE_CODE_EXPIRED` (410), of the CLI's device login.
    DeviceCodeExpired,
    /// `USER_CODE_INVALID` (400), of the CLI's device login.
    UserCodeInvalid,
    /// `INVALID_REFRESH_TOKEN` (401): the session has ended; log in again.
    InvalidRefreshToken,
    /// A code this version does not know, as the service sent it.
    Unknown(String),
}

impl ErrorCode {
    /// The code for the service's `code` text.
    pub fn parse(code: &str) -> ErrorCode {
        match code {
            "UNAUTHORIZED" => ErrorCode::Unauthorized,
            "ORG_SCOPE_INVALID" | "INVALID_ORG_SCOPE" => ErrorCode::OrgScopeInvalid,
            "INVALID_JSON" => ErrorCode::InvalidJson,
            "INVALID_REQUEST" => ErrorCode::InvalidRequest,
            "VARIABLE_NOT_FOUND" => ErrorCode::VariableNotFound,
            "MANIFEST_NOT_FOUND" => ErrorCode::ManifestNotFound,
            "EVALUATION_FAILED" => ErrorCode::EvaluationFailed,
            "USAGE_LIMIT_EXCEEDED" => ErrorCode::UsageLimitExceeded,
            "BILLING_UNAVAILABLE" => ErrorCode::BillingUnavailable,
            "DEVICE_CODE_NOT_FOUND" => ErrorCode::DeviceCodeNotFound,
            "DEVICE_CODE_EXPIRED" => ErrorCode::DeviceCodeExpired,
            "USER_CODE_INVALID" => ErrorCode::UserCodeInvalid,
            "INVALID_REFRESH_TOKEN" => ErrorCode::InvalidRefreshToken,
            other => ErrorCode::Unknown(other.to_owned()),
        }
    }

    /// The code as the service spells it (`ORG_SCOPE_INVALID` for both spellings).
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::OrgScopeInvalid => "ORG_SCOPE_INVALID",
            ErrorCode::InvalidJson => "INVALID_JSON",
            ErrorCode::InvalidRequest => "INVALID_REQUEST",
            ErrorCode::VariableNotFound => "VARIABLE_NOT_FOUND",
            ErrorCode::ManifestNotFound => "MANIFEST_NOT_FOUND",
            ErrorCode::EvaluationFailed => "EVALUATION_FAILED",
            ErrorCode::UsageLimitExceeded => "USAGE_LIMIT_EXCEEDED",
            ErrorCode::BillingUnavailable => "BILLING_UNAVAILABLE",
            ErrorCode::DeviceCodeNotFound => "DEVICE_CODE_NOT_FOUND",
            ErrorCode::DeviceCodeExpired => "DEVICE_CODE_EXPIRED",
            ErrorCode::UserCodeInvalid => "USER_CODE_INVALID",
            ErrorCode::InvalidRefreshToken => "INVALID_REFRESH_TOKEN",
            ErrorCode::Unknown(code) => code,
        }
    }

    /// Whether the service says to retry this code: only `EVALUATION_FAILED` and
    /// `BILLING_UNAVAILABLE`.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ErrorCode::EvaluationFailed | ErrorCode::BillingUnavailable
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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

    // The constructors below are for `barekey_typegen::runtime::Client`, which reports its
    // failures as this same type. Hidden: not part of this crate's API, and they change with
    // barekey-typegen, which pins this crate's exact version.

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

    /// What sort of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.repr {
            Repr::Variable(problem) => match problem.kind() {
                ProblemKind::Missing => ErrorKind::MissingVariable,
                ProblemKind::Invalid { .. } => ErrorKind::InvalidVariable,
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

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            Repr::Variable(problem) => match problem.kind() {
                ProblemKind::Invalid { reason, .. } => Some(reason),
                ProblemKind::Missing => None,
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
}
