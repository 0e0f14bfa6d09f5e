//! What the Barekey API says when it refuses: [`ApiError`] with its [`ErrorCode`]; and
//! [`Redacted`], which stands in for a secret in any output.

use std::fmt;

use crate::text::for_terminal;

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

/// A stable error code of the Barekey API, as its routes (the manifest route's included) document them.
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

/// Stands in for a private field's value in generated `Debug` output: prints `<redacted>`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
