//! Reading one variable on its own, as `barekey_env!` expands to: a `Result` of the
//! variable's one problem instead of a [`Loader`] that collects them.

use std::fmt;

use super::error::Error;
use super::load::{Loader, Problem};
use super::read::{Read, ReadAs, arm_of};
use crate::Visibility;

/// Reads the process environment variable `name` as a `T`, the [`Read`] way of `T`: what
/// `barekey_env!("NAME")` expands to (`T` the declared type's Rust type), and
/// `barekey_env!(optional "NAME")` (`T` an `Option` of it: `Ok(None)` when not set), after
/// checking at compile time that `NAME` is declared with that type. `visibility` decides
/// whether an invalid value may appear in the error.
///
/// # Errors
///
/// The variable's one problem: not set (unless `T` is an `Option`), or invalid.
pub fn read_env<T: Read>(name: &str, visibility: Visibility) -> Result<T, Error> {
    read_alone(&Loader::from_env(), name, visibility, |_| Ok(()))
}

/// [`read_env`] with each variable's text asked of `lookup` (`None` means not set) instead of
/// the process environment.
///
/// # Errors
///
/// As for [`read_env`].
pub fn read_lookup<T: Read>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    visibility: Visibility,
) -> Result<T, Error> {
    read_alone(&Loader::from_lookup(lookup), name, visibility, |_| Ok(()))
}

/// [`read_env`] for an A/B switch or rollout whose arms are `arms` (A, then B): the value,
/// which must equal one of them once parsed by the declared type.
///
/// This is what `barekey_env!` expands to for a switch of type string, int64 or float whose
/// arms the manifest lists: the macro cannot name a generated enum, so it returns the declared
/// type (or an `Option` of it) and refuses other text at run time
/// ([`ProblemKind::NotAnArm`](crate::ProblemKind), naming the arms only for a public variable).
///
/// # Errors
///
/// As for [`read_env`], and text that is neither arm.
pub fn read_env_switch<T: Read>(
    name: &str,
    visibility: Visibility,
    arms: [Parsed<T>; 2],
) -> Result<T, Error>
where
    Parsed<T>: PartialEq + fmt::Debug,
{
    read_alone(&Loader::from_env(), name, visibility, |value| {
        arm_of(value, &arms, name, visibility).map(drop)
    })
}

/// [`read_env_switch`] with each variable's text asked of `lookup` instead of the process
/// environment.
///
/// # Errors
///
/// As for [`read_env_switch`].
pub fn read_lookup_switch<T: Read>(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
    visibility: Visibility,
    arms: [Parsed<T>; 2],
) -> Result<T, Error>
where
    Parsed<T>: PartialEq + fmt::Debug,
{
    read_alone(&Loader::from_lookup(lookup), name, visibility, |value| {
        arm_of(value, &arms, name, visibility).map(drop)
    })
}

/// What the text of a `T` is parsed as first (`Option<String>`'s is `String`).
type Parsed<T> = <<T as Read>::As as ReadAs<T>>::Parsed;

/// Reads `name` from `loader` as a `T`, with its parsed value checked by `check` first.
fn read_alone<T: Read>(
    loader: &Loader<'_>,
    name: &str,
    visibility: Visibility,
    check: impl FnOnce(&Parsed<T>) -> Result<(), Problem>,
) -> Result<T, Error> {
    let parsed = loader
        .parse(name, visibility)
        .and_then(|value| check(&value).map(|()| value));
    <T::As as ReadAs<T>>::from_parsed(parsed, name, visibility).map_err(Error::variable_problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DeclaredType, ErrorKind, JsonValue, ParseError, Timestamp};

    const SECRET: &str = "hunter2-Zq9-SECRET";

    fn read<T: Read>(text: Option<&str>, visibility: Visibility) -> Result<T, Error> {
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

    #[test]
    fn an_optional_read_is_none_when_unset_and_an_error_when_invalid() {
        let lookup = |name: &str| (name == "PORT").then(|| "8080".to_owned());
        let read = |name| read_lookup::<Option<i64>>(&lookup, name, Visibility::Public);
        assert_eq!(read("PORT"), Ok(Some(8080)));
        assert_eq!(read("SENTRY_PORT"), Ok(None));
        let invalid = read_lookup::<Option<bool>>(&lookup, "PORT", Visibility::Public);
        assert_eq!(
            invalid.map_err(|e| e.kind()),
            Err(ErrorKind::InvalidVariable)
        );
        let unset =
            read_env::<Option<i64>>("BAREKEY_TYPEGEN_TEST_SURELY_UNSET_DSN", Visibility::Public);
        assert_eq!(unset, Ok(None));
        let missing = read_lookup::<bool>(&lookup, "DEBUG", Visibility::Private).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "Barekey variable DEBUG (boolean, private): not set; set the environment variable DEBUG"
        );
    }

    #[test]
    fn a_switch_is_one_of_its_arms_and_names_them_only_when_public() {
        let arms = || ["alpha".to_owned(), "gamma".to_owned()];
        let read = |text: Option<&'static str>, visibility| {
            let lookup = move |_: &str| text.map(str::to_owned);
            let required = read_lookup_switch::<String>(&lookup, "CHANNEL", visibility, arms());
            let optional =
                read_lookup_switch::<Option<String>>(&lookup, "CHANNEL", visibility, arms());
            (required, optional)
        };
        // A string is taken as is, untrimmed: ` gamma` is neither arm.
        let (required, optional) = read(Some(" gamma"), Visibility::Public);
        assert!(required.is_err() && optional.is_err());
        let (required, optional) = read(Some("gamma"), Visibility::Public);
        assert_eq!(required, Ok("gamma".to_owned()));
        assert_eq!(optional, Ok(Some("gamma".to_owned())));
        let (required, optional) = read(None, Visibility::Public);
        assert_eq!(
            required.map_err(|e| e.kind()),
            Err(ErrorKind::MissingVariable)
        );
        assert_eq!(optional, Ok(None));
        let (required, optional) = read(Some("beta"), Visibility::Public);
        let expected = "Barekey variable CHANNEL (string, public): \"beta\" is neither arm: \
                        expected \"alpha\" (arm A) or \"gamma\" (arm B)";
        assert_eq!(required.unwrap_err().to_string(), expected);
        assert_eq!(optional.unwrap_err().to_string(), expected);
        let (required, _) = read(Some("beta"), Visibility::Private);
        let shown = required.map_err(|e| format!("{e} {e:?}")).unwrap_err();
        assert!(shown.contains("neither arm"), "{shown}");
        for leak in ["beta", "alpha", "gamma"] {
            assert!(!shown.contains(leak), "{leak} in {shown}");
        }
        let missing = read_env_switch::<i64>(
            "BAREKEY_TYPEGEN_TEST_SURELY_UNSET_ARM",
            Visibility::Public,
            [1, 42],
        );
        assert_eq!(
            missing.map_err(|e| e.kind()),
            Err(ErrorKind::MissingVariable)
        );
        // Equality of parsed values: ` 42 ` is the int64 arm 42.
        let lookup = |_: &str| Some(" 42 ".to_owned());
        let read = read_lookup_switch::<Option<i64>>(&lookup, "N", Visibility::Public, [1, 42]);
        assert_eq!(read, Ok(Some(42)));
    }
}
