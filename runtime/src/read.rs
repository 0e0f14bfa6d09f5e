//! Reading one variable on its own, as `barekey_env!` expands to.

use std::fmt;

use super::error::Error;
use super::load::{Loader, Problem, ProblemKind};
use super::parse::DeclaredValue;
use crate::Visibility;

/// Reads the process environment variable `name` and parses it as a `T`, by the rules of
/// `T`'s declared type.
///
/// This is what `barekey_env!("NAME")` expands to, after checking at compile time that `NAME`
/// is declared with the type `T` holds. `visibility` decides whether an invalid value may
/// appear in the error.
///
/// ```
/// use barekey_typegen_runtime::{ErrorKind, Visibility, read_env};
///
/// let error = read_env::<i64>("BAREKEY_DOCTEST_SURELY_UNSET_PORT", Visibility::Public).unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::MissingVariable);
/// assert_eq!(error.variable(), Some("BAREKEY_DOCTEST_SURELY_UNSET_PORT"));
/// ```
pub fn read_env<T: DeclaredValue>(name: &str, visibility: Visibility) -> Result<T, Error> {
    Loader::from_env()
        .read_one(name, visibility)
        .map_err(Error::variable_problem)
}

/// [`read_env`] with each variable's text asked of `lookup` (`None` means not set) instead of
/// the process environment.
///
/// ```
/// use barekey_typegen_runtime::{Visibility, read_lookup};
///
/// let lookup = |name: &str| (name == "PORT").then(|| " 8080 ".to_owned());
/// assert_eq!(read_lookup::<i64>(&lookup, "PORT", Visibility::Public), Ok(8080));
/// let error = read_lookup::<bool>(&lookup, "DEBUG", Visibility::Private).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "Barekey variable DEBUG (boolean, private): not set; set the environment variable DEBUG",
/// );
/// ```
pub fn read_lookup<T: DeclaredValue>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    visibility: Visibility,
) -> Result<T, Error> {
    Loader::from_lookup(lookup)
        .read_one(name, visibility)
        .map_err(Error::variable_problem)
}

/// [`read_env`] for an A/B switch or rollout whose arms are `arms` (A, then B): the value,
/// which must equal one of them once parsed by the declared type.
///
/// This is what `barekey_env!` expands to for a switch of type string, int64 or float whose
/// arms the manifest lists: the macro cannot name a generated enum, so it returns the declared
/// type and refuses other text at run time ([`ProblemKind::NotAnArm`](crate::ProblemKind),
/// naming the arms only for a public variable).
///
/// ```
/// use barekey_typegen_runtime::{ErrorKind, Visibility, read_env_switch};
///
/// let missing = read_env_switch::<i64>("BAREKEY_DOCTEST_SURELY_UNSET_ARM", Visibility::Public, [1, 42]);
/// assert_eq!(missing.unwrap_err().kind(), ErrorKind::MissingVariable);
/// ```
pub fn read_env_switch<T: DeclaredValue + PartialEq + fmt::Debug>(
    name: &str,
    visibility: Visibility,
    arms: [T; 2],
) -> Result<T, Error> {
    Loader::from_env()
        .read_one_of(name, visibility, &arms)
        .map(|(value, _)| value)
        .map_err(Error::variable_problem)
}

/// [`read_env_switch`] with each variable's text asked of `lookup` instead of the process
/// environment.
///
/// ```
/// use barekey_typegen_runtime::{Visibility, read_lookup_switch};
///
/// let lookup = |_: &str| Some("beta".to_owned());
/// let arms = || ["alpha".to_owned(), "gamma".to_owned()];
/// let error = read_lookup_switch(&lookup, "CHANNEL", Visibility::Public, arms()).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "Barekey variable CHANNEL (string, public): \"beta\" is neither arm: expected \"alpha\" \
///      (arm A) or \"gamma\" (arm B)",
/// );
/// let error = read_lookup_switch(&lookup, "CHANNEL", Visibility::Private, arms()).unwrap_err();
/// assert!(!error.to_string().contains("beta") && !error.to_string().contains("alpha"));
/// ```
pub fn read_lookup_switch<T: DeclaredValue + PartialEq + fmt::Debug>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    visibility: Visibility,
    arms: [T; 2],
) -> Result<T, Error> {
    Loader::from_lookup(lookup)
        .read_one_of(name, visibility, &arms)
        .map(|(value, _)| value)
        .map_err(Error::variable_problem)
}

/// [`read_env`] for a variable that may be unset: `Ok(None)` when it is not set, `Ok(Some(..))`
/// when it is, and an error when its text does not parse. This is what
/// `barekey_env!(optional "NAME")` expands to: how a variable only some stages have is read.
///
/// ```
/// use barekey_typegen_runtime::{Visibility, read_env_optional};
///
/// let unset = read_env_optional::<i64>("BAREKEY_DOCTEST_SURELY_UNSET_DSN", Visibility::Public);
/// assert_eq!(unset, Ok(None));
/// ```
pub fn read_env_optional<T: DeclaredValue>(
    name: &str,
    visibility: Visibility,
) -> Result<Option<T>, Error> {
    unless_missing(Loader::from_env().read_one(name, visibility))
}

/// [`read_env_optional`] with each variable's text asked of `lookup` instead of the process
/// environment.
///
/// ```
/// use barekey_typegen_runtime::{Visibility, read_lookup_optional};
///
/// let lookup = |name: &str| (name == "PORT").then(|| "8080".to_owned());
/// assert_eq!(read_lookup_optional::<i64>(&lookup, "PORT", Visibility::Public), Ok(Some(8080)));
/// assert_eq!(read_lookup_optional::<i64>(&lookup, "SENTRY_PORT", Visibility::Public), Ok(None));
/// assert!(read_lookup_optional::<bool>(&lookup, "PORT", Visibility::Public).is_err());
/// ```
pub fn read_lookup_optional<T: DeclaredValue>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    visibility: Visibility,
) -> Result<Option<T>, Error> {
    unless_missing(Loader::from_lookup(lookup).read_one(name, visibility))
}

/// [`read_env_switch`] for a variable that may be unset: `Ok(None)` when it is not set.
pub fn read_env_optional_switch<T: DeclaredValue + PartialEq + fmt::Debug>(
    name: &str,
    visibility: Visibility,
    arms: [T; 2],
) -> Result<Option<T>, Error> {
    let read = Loader::from_env().read_one_of(name, visibility, &arms);
    unless_missing(read.map(|(value, _)| value))
}

/// [`read_env_optional_switch`] with each variable's text asked of `lookup` instead of the
/// process environment.
///
/// ```
/// use barekey_typegen_runtime::{Visibility, read_lookup_optional_switch};
///
/// let arms = || ["alpha".to_owned(), "gamma".to_owned()];
/// let read = |text: Option<&'static str>| {
///     let lookup = move |_: &str| text.map(str::to_owned);
///     read_lookup_optional_switch(&lookup, "CHANNEL", Visibility::Public, arms())
/// };
/// assert_eq!(read(None), Ok(None));
/// assert_eq!(read(Some("gamma")), Ok(Some("gamma".to_owned())));
/// assert!(read(Some("beta")).is_err());
/// ```
pub fn read_lookup_optional_switch<T: DeclaredValue + PartialEq + fmt::Debug>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    visibility: Visibility,
    arms: [T; 2],
) -> Result<Option<T>, Error> {
    let read = Loader::from_lookup(lookup).read_one_of(name, visibility, &arms);
    unless_missing(read.map(|(value, _)| value))
}

/// A read's value, `None` when the variable is not set, or its problem as an [`Error`].
fn unless_missing<T>(read: Result<T, Problem>) -> Result<Option<T>, Error> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(problem) if *problem.kind() == ProblemKind::Missing => Ok(None),
        Err(problem) => Err(Error::variable_problem(problem)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeclaredType, ErrorKind, JsonValue, ParseError, Problem, Timestamp};

    const SECRET: &str = "hunter2-Zq9-SECRET";

    fn read<T: DeclaredValue>(text: Option<&str>, visibility: Visibility) -> Result<T, Error> {
        let lookup = |_: &str| text.map(str::to_owned);
        read_lookup(&lookup, "VAR", visibility)
    }

    #[test]
    fn reads_every_declared_type() {
        let public = Visibility::Public;
        assert_eq!(read::<String>(Some(" a "), public), Ok(" a ".to_owned()));
        assert_eq!(read::<bool>(Some("Yes"), public), Ok(true));
        assert_eq!(read::<i64>(Some("-42"), public), Ok(-42));
        assert_eq!(read::<f64>(Some("1e3"), public), Ok(1000.0));
        assert_eq!(
            read::<Timestamp>(Some("1970-01-01T00:00:01.5Z"), public),
            Ok(Timestamp::from_unix_millis(1500))
        );
        assert_eq!(
            read::<JsonValue>(Some("[1]"), public),
            Ok(serde_json::json!([1]))
        );
    }

    #[test]
    fn a_missing_variable_names_itself() {
        let error = read::<i64>(None, Visibility::Public).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingVariable);
        assert_eq!(error.variable(), Some("VAR"));
        assert_eq!(
            error.problem().map(Problem::declared_type),
            Some(DeclaredType::Int64)
        );
        assert!(std::error::Error::source(&error).is_none());
        assert_eq!(
            error.to_string(),
            "Barekey variable VAR (int64, public): not set; set the environment variable VAR"
        );
    }

    #[test]
    fn an_invalid_public_value_is_shown_with_its_reason_as_source() {
        let error = read::<i64>(Some("80a"), Visibility::Public).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidVariable);
        assert_eq!(
            error.to_string(),
            "Barekey variable VAR (int64, public): \"80a\" is invalid: expected an integer with \
             no leading zeros, like 8080 or -1"
        );
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source, Some(ParseError::NotInteger.to_string()));
        // What `fn main() -> Result<(), Error>` prints says the reason once.
        assert_eq!(format!("{error:?}"), error.to_string());
    }

    #[test]
    fn a_private_value_never_appears() {
        let error = read::<bool>(Some(SECRET), Visibility::Private).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("hidden, the variable is private"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn read_env_reads_the_process_environment() {
        // PATH is set in any test environment; reading it must not change it.
        assert!(read_env::<String>("PATH", Visibility::Public).is_ok_and(|path| !path.is_empty()));
        let missing = read_env::<String>(
            "BAREKEY_TYPEGEN_TEST_SURELY_UNSET_7A2D",
            Visibility::Private,
        );
        assert_eq!(
            missing.map_err(|e| e.kind()),
            Err(ErrorKind::MissingVariable)
        );
    }
}
