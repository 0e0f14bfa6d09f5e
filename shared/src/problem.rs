//! What a variable's read can find wrong, and the messages that say so: [`Problem`] (one
//! variable), [`LoadError`] (every problem of a load). The runtime's loader and
//! `barekey-typegen env check` build them, so an application and the CLI say the same thing.
//!
//! Privacy is by construction: [`ProblemKind::invalid`] and [`ProblemKind::not_an_arm`] drop
//! the text of a private variable before anything else can see it.

use std::fmt;

use crate::shape::ShapeError;
use crate::{DeclaredType, ParseError, Visibility};

/// Some Barekey variables were missing or invalid; lists every one of them.
///
/// Holds no value of a private variable, so its `Display` and `Debug` are safe to log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    problems: Vec<Problem>,
}

impl LoadError {
    /// The error listing `problems`, in the order the variables were read.
    pub fn new(problems: Vec<Problem>) -> LoadError {
        LoadError { problems }
    }

    /// Every problem, in the order the variables were read.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for LoadError {
    /// A count line, then one `  - ` line per problem:
    ///
    /// ```text
    /// 2 Barekey variables could not be loaded:
    ///   - DATABASE_URL (string, private): not set; set the environment variable DATABASE_URL
    ///   - PORT (int64, public): "80a" is invalid: expected an integer with no leading zeros, like 8080 or -1
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let plural = if count == 1 { "" } else { "s" };
        write!(f, "{count} Barekey variable{plural} could not be loaded:")?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// One variable that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    name: String,
    declared_type: DeclaredType,
    visibility: Visibility,
    kind: ProblemKind,
}

/// What was wrong with a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The variable is not set.
    Missing,
    /// The variable's text is not a valid value of its declared type.
    Invalid {
        /// What was expected instead.
        reason: ParseError,
        /// The text, for a public variable only; always `None` for a private one (and for
        /// text that is not UTF-8).
        value: Option<String>,
    },
    /// The variable is json whose type is known, and its value, valid JSON, does not have
    /// that type's shape.
    NotTheShape {
        /// Where, in the JSON's own keys after the variable's name (`THEME_CONFIG.tiers[2]`).
        path: String,
        /// What the type wants there (`a string`, `an object`).
        expected: &'static str,
        /// What is there instead.
        found: Found,
    },
    /// The variable is an A/B switch or rollout and its text is a valid value of the declared
    /// type but neither arm's value.
    NotAnArm {
        /// The value as Rust's `Debug` prints it (`"other"`, `7`), for a public variable only.
        value: Option<String>,
        /// Arm A's and arm B's values, printed the same way, for a public variable only.
        arms: Option<[String; 2]>,
    },
}

impl ProblemKind {
    /// The problem for `text` that failed to parse for `reason`, keeping the text only if the
    /// variable is public.
    pub fn invalid(reason: ParseError, text: String, visibility: Visibility) -> ProblemKind {
        let value = match visibility {
            Visibility::Public => Some(text),
            // Dropped here, before anything else can see it.
            Visibility::Private => None,
        };
        ProblemKind::Invalid { reason, value }
    }

    /// The problem of the json variable `name` whose value does not have its type's shape,
    /// keeping what was found only if the variable is public.
    pub fn not_the_shape(name: &str, error: ShapeError, visibility: Visibility) -> ProblemKind {
        let (path, expected, found) = error.into_parts();
        let found = match (found, visibility) {
            (None, _) => Found::Missing,
            (Some(value), Visibility::Public) => Found::Shown(value),
            // Dropped here, before anything else can see it.
            (Some(_), Visibility::Private) => Found::Hidden,
        };
        ProblemKind::NotTheShape {
            path: format!("{name}{path}"),
            expected,
            found,
        }
    }

    /// The problem for a value (as `Debug` prints it) that is neither of the `arms`, keeping
    /// value and arms only if the variable is public: both are values of the variable.
    pub fn not_an_arm(value: String, arms: [String; 2], visibility: Visibility) -> ProblemKind {
        match visibility {
            Visibility::Public => ProblemKind::NotAnArm {
                value: Some(value),
                arms: Some(arms),
            },
            Visibility::Private => ProblemKind::NotAnArm {
                value: None,
                arms: None,
            },
        }
    }
}

/// What a json variable has where its type wants something else.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Found {
    /// The key is missing.
    Missing,
    /// A value of another type, as JSON text (public variables only).
    Shown(String),
    /// A value of another type, hidden because the variable is private.
    Hidden,
}

impl Problem {
    /// The problem `kind` of the variable `name`, of `declared_type` and `visibility`.
    pub fn new(
        name: &str,
        declared_type: DeclaredType,
        visibility: Visibility,
        kind: ProblemKind,
    ) -> Problem {
        Problem {
            name: name.to_owned(),
            declared_type,
            visibility,
            kind,
        }
    }

    /// The variable's name, as Barekey and the environment spell it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The variable's declared type.
    pub fn declared_type(&self) -> DeclaredType {
        self.declared_type
    }

    /// Whether the variable's value may be shown.
    pub fn visibility(&self) -> Visibility {
        self.visibility
    }

    /// What was wrong.
    pub fn kind(&self) -> &ProblemKind {
        &self.kind
    }
}

impl fmt::Display for Problem {
    /// `NAME (type, visibility): what is wrong`.
    ///
    /// The name is bare when it is made only of letters, digits and ASCII punctuation other
    /// than quotes and backslash; otherwise it is quoted and escaped as by `{:?}`, so an empty
    /// name, spaces, quotes and control characters stay visible and unambiguous.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = VariableName(&self.name);
        write!(f, "{name} ({}, {}): ", self.declared_type, self.visibility)?;
        match (&self.kind, self.visibility) {
            (ProblemKind::Missing, _) => {
                write!(f, "not set; set the environment variable {name}")
            }
            (
                ProblemKind::Invalid {
                    reason,
                    value: Some(value),
                },
                _,
            ) => {
                write!(f, "{} is invalid: {reason}", ShownValue(value))
            }
            (
                ProblemKind::Invalid {
                    reason,
                    value: None,
                },
                Visibility::Private,
            ) => {
                write!(
                    f,
                    "the value is invalid (hidden, the variable is private): {reason}"
                )
            }
            (
                ProblemKind::Invalid {
                    reason,
                    value: None,
                },
                Visibility::Public,
            ) => {
                write!(f, "the value is invalid: {reason}")
            }
            (
                ProblemKind::NotAnArm {
                    value: Some(value),
                    arms: Some([a, b]),
                },
                _,
            ) => write!(
                f,
                "{value} is neither arm: expected {a} (arm A) or {b} (arm B)"
            ),
            (
                ProblemKind::NotTheShape {
                    path,
                    expected,
                    found,
                },
                _,
            ) => match found {
                Found::Missing => write!(f, "{path} is missing; expected {expected}"),
                Found::Shown(value) => {
                    write!(f, "{path} is {}, expected {expected}", ShownJson(value))
                }
                Found::Hidden => write!(
                    f,
                    "{path} is not {expected} (value hidden, the variable is private)"
                ),
            },
            (ProblemKind::NotAnArm { .. }, _) => write!(
                f,
                "the value is neither arm of the switch (value and arms hidden, the variable is \
                 private); set it to arm A's or arm B's value"
            ),
        }
    }
}

/// A variable name in a message, bare or quoted by the rule on `Problem`'s `Display`.
struct VariableName<'a>(&'a str);

impl fmt::Display for VariableName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = |c: char| {
            c.is_alphanumeric() || (c.is_ascii_punctuation() && !matches!(c, '"' | '\'' | '\\'))
        };
        if !self.0.is_empty() && self.0.chars().all(plain) {
            f.write_str(self.0)
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

/// A public JSON value in a message: as JSON text, cut after 80 characters with `…`.
struct ShownJson<'a>(&'a str);

impl fmt::Display for ShownJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(SHOWN_VALUE_CHARS) {
            Some((cut, _)) => write!(f, "{}…", &self.0[..cut]),
            None => f.write_str(self.0),
        }
    }
}

/// A public value in a message: quoted and escaped, cut after 80 characters with `…`.
struct ShownValue<'a>(&'a str);

/// Why a limit: a long public value (a JSON document, a certificate) would drown the list.
const SHOWN_VALUE_CHARS: usize = 80;

impl fmt::Display for ShownValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(SHOWN_VALUE_CHARS) {
            Some((cut, _)) => write!(f, "\"{}…\"", self.0[..cut].escape_debug()),
            None => write!(f, "{:?}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_public_values_are_cut() {
        let long = format!("{}\"tail", "é".repeat(80));
        let shown = ShownValue(&long).to_string();
        assert_eq!(shown, format!("\"{}…\"", "é".repeat(80)));
        let exact = "x".repeat(80);
        assert_eq!(ShownValue(&exact).to_string(), format!("\"{exact}\""));
        assert_eq!(ShownValue("a\"b\n").to_string(), "\"a\\\"b\\n\"");
    }

    #[test]
    fn names_are_quoted_only_when_needed() {
        let show = |name: &str| VariableName(name).to_string();
        assert_eq!(show("DATABASE_URL"), "DATABASE_URL");
        assert_eq!(show("app.db-url/v2"), "app.db-url/v2");
        assert_eq!(show("Größe"), "Größe");
        assert_eq!(show(""), "\"\"");
        assert_eq!(show("MY VAR"), "\"MY VAR\"");
        assert_eq!(show("say\"hi\""), "\"say\\\"hi\\\"\"");
        assert_eq!(show("it's"), "\"it's\"");
        assert_eq!(show("bell\u{7}"), "\"bell\\u{7}\"");
    }

    #[test]
    fn a_private_value_or_arm_is_dropped_when_the_problem_is_made() {
        let secret = "hunter2-Zq9-SECRET";
        let kinds = [
            ProblemKind::invalid(
                ParseError::NotBoolean,
                secret.to_owned(),
                Visibility::Private,
            ),
            ProblemKind::not_an_arm(
                format!("{secret:?}"),
                [secret.to_owned(), "b".to_owned()],
                Visibility::Private,
            ),
        ];
        for kind in kinds {
            let problem = Problem::new("X", DeclaredType::Boolean, Visibility::Private, kind);
            let error = LoadError::new(vec![problem]);
            assert!(!format!("{error} {error:?}").contains(secret), "{error:?}");
        }
    }
}
