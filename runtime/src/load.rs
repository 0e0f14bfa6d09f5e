//! Reading every variable of a generated struct and reporting all problems at once.
//!
//! Privacy is by construction: the text of a private variable is dropped as soon as it fails
//! to parse, so no error, `Debug` output or log line can show it.

use std::fmt;

pub use barekey_typegen_shared::problem::{Found, LoadError, Problem, ProblemKind};

use super::json_shape::{JsonPath, JsonShape, ShapeError};
use super::parse::DeclaredValue;
use crate::{Arm, DeclaredType, JsonValue, ParseError, Visibility};

/// A generated A/B enum: the type of an `ab_roll` or `rollout` variable whose two arms are
/// known, with one variant per arm.
///
/// Generated code implements it; [`Loader::read_switch`] uses it to parse the variable's text
/// by the declared type and then refuse text that is neither arm.
///
/// ```
/// use barekey_typegen_runtime::{AbSwitch, Arm, Loader, Visibility};
///
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// enum CheckoutFlow { Control, Treatment }
///
/// impl AbSwitch for CheckoutFlow {
///     type Value = String;
///     const ARMS: [Self; 2] = [CheckoutFlow::Control, CheckoutFlow::Treatment];
///     fn arm_value(self) -> String {
///         match self {
///             CheckoutFlow::Control => "control".to_owned(),
///             CheckoutFlow::Treatment => "treatment".to_owned(),
///         }
///     }
/// }
///
/// let lookup = |_: &str| Some("treatment".to_owned());
/// let mut loader = Loader::from_lookup(&lookup);
/// let flow: CheckoutFlow = loader.read_switch("CHECKOUT_FLOW", Visibility::Public);
/// assert_eq!(loader.finish(flow), Ok(CheckoutFlow::Treatment));
///
/// let lookup = |_: &str| Some("other".to_owned());
/// let mut loader = Loader::from_lookup(&lookup);
/// let flow: CheckoutFlow = loader.read_switch("CHECKOUT_FLOW", Visibility::Public);
/// assert_eq!(
///     loader.finish(flow).unwrap_err().to_string(),
///     "1 Barekey variable could not be loaded:\n  - CHECKOUT_FLOW (string, public): \"other\" \
///      is neither arm: expected \"control\" (arm A) or \"treatment\" (arm B)",
/// );
/// ```
pub trait AbSwitch: Copy + 'static {
    /// The type the variable's text is parsed as first (`String`, `i64` or `f64`).
    type Value: DeclaredValue + PartialEq + fmt::Debug;

    /// The variants of arm A and arm B, in that order (they must differ).
    const ARMS: [Self; 2];

    /// The value of this variant's arm.
    fn arm_value(self) -> Self::Value;
}

/// Which of `arms` (A, then B) `value` is, if either: equality of the parsed values, so an
/// int64 arm `42` matches the text ` 42 ` and a float arm `0.5` matches `.50`.
fn which_arm<T: PartialEq>(value: &T, arms: &[T; 2]) -> Option<Arm> {
    if *value == arms[0] {
        Some(Arm::A)
    } else if *value == arms[1] {
        Some(Arm::B)
    } else {
        None
    }
}

/// Reads variables one by one for a generated struct, collecting every problem.
///
/// Each [`read`](Loader::read) returns a value even when the variable is missing or invalid
/// (a stand-in), so generated code can build its struct in one expression;
/// [`finish`](Loader::finish) then returns either that struct or one [`LoadError`] listing
/// every problem in read order. A variable that some stages do not have (a field of type
/// `Option<T>`) is read with [`read_optional`](Loader::read_optional) and its kin instead: not
/// set is `None` and no problem.
pub struct Loader<'a> {
    source: Source<'a>,
    problems: Vec<Problem>,
}

/// Where a [`Loader`] gets each variable's text.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// The process environment (`std::env::var_os`).
    Environment,
    /// A caller's function, for tests and other stores.
    Lookup(&'a dyn Fn(&str) -> Option<String>),
}

impl Loader<'static> {
    /// A loader that reads the process environment variable named exactly like each Barekey
    /// variable.
    ///
    /// A value that is not valid UTF-8 is reported as invalid ([`ParseError::NotUnicode`]),
    /// not as missing.
    pub fn from_env() -> Self {
        Loader {
            source: Source::Environment,
            problems: Vec::new(),
        }
    }
}

impl<'a> Loader<'a> {
    /// A loader that asks `lookup` for each variable's text; `None` means not set.
    pub fn from_lookup(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Loader {
            source: Source::Lookup(lookup),
            problems: Vec::new(),
        }
    }

    /// Reads and parses the variable `name` as a `T`.
    ///
    /// When it is missing or invalid, the problem is recorded and a stand-in value is
    /// returned; [`finish`](Loader::finish) will then fail, so the stand-in never reaches
    /// users. `visibility` decides whether an invalid value is kept for the error message.
    #[must_use]
    pub fn read<T: DeclaredValue>(&mut self, name: &str, visibility: Visibility) -> T {
        self.read_one(name, visibility).unwrap_or_else(|problem| {
            self.problems.push(problem);
            T::placeholder()
        })
    }

    /// Reads the A/B switch or rollout `name` as its generated enum `E`: parsed by the declared
    /// type, then matched against the two arms' values.
    ///
    /// Text that parses but is neither arm is a problem ([`ProblemKind::NotAnArm`]) naming the
    /// two arms unless the variable is private; a stand-in is returned as for
    /// [`read`](Loader::read).
    #[must_use]
    pub fn read_switch<E: AbSwitch>(&mut self, name: &str, visibility: Visibility) -> E {
        let switch = self.switch_one(name, visibility);
        switch.unwrap_or_else(|problem| {
            self.problems.push(problem);
            E::ARMS[0]
        })
    }

    /// Reads the json variable `name` as the generated struct (or `Vec` of one) `T`: parsed
    /// as JSON, then taken apart by [`JsonShape`].
    ///
    /// A missing key or a value of the wrong type is a problem ([`ProblemKind::NotTheShape`])
    /// with its path in the JSON's own keys (`THEME_CONFIG.tiers[2]`), showing the value
    /// found there only for a public variable; a stand-in (`T::default()`) is returned as for
    /// [`read`](Loader::read).
    #[must_use]
    pub fn read_json<T: JsonShape>(&mut self, name: &str, visibility: Visibility) -> T {
        let shaped = self.json_one(name, visibility);
        shaped.unwrap_or_else(|problem| {
            self.problems.push(problem);
            T::default()
        })
    }

    /// Reads the variable `name` as a `T` if it is set: [`read`](Loader::read) for a variable
    /// that some stages do not have.
    ///
    /// Not set is `None` and no problem. Set is parsed exactly as by `read`, so an empty text
    /// is set, and text that does not parse is a problem [`finish`](Loader::finish) reports
    /// (`None` is returned meanwhile).
    ///
    /// ```
    /// use barekey_typegen_runtime::{Loader, Visibility};
    ///
    /// let lookup = |name: &str| (name == "DEBUG_SQL").then(|| " yes ".to_owned());
    /// let mut loader = Loader::from_lookup(&lookup);
    /// let debug: Option<bool> = loader.read_optional("DEBUG_SQL", Visibility::Public);
    /// let cdn: Option<String> = loader.read_optional("CDN_URL", Visibility::Public);
    /// assert_eq!(loader.finish((debug, cdn)), Ok((Some(true), None)));
    ///
    /// let lookup = |_: &str| Some("maybe".to_owned());
    /// let mut loader = Loader::from_lookup(&lookup);
    /// let debug: Option<bool> = loader.read_optional("DEBUG_SQL", Visibility::Public);
    /// assert_eq!(
    ///     loader.finish(debug).unwrap_err().to_string(),
    ///     "1 Barekey variable could not be loaded:\n  - DEBUG_SQL (boolean, public): \"maybe\" \
    ///      is invalid: expected true, false, 1, 0, yes or no (any case)",
    /// );
    /// ```
    #[must_use]
    pub fn read_optional<T: DeclaredValue>(
        &mut self,
        name: &str,
        visibility: Visibility,
    ) -> Option<T> {
        let read = self.read_one(name, visibility);
        self.unless_missing(read)
    }

    /// Reads the A/B switch or rollout `name` as its generated enum `E` if it is set:
    /// [`read_switch`](Loader::read_switch) for a variable that some stages do not have.
    ///
    /// Not set is `None` and no problem; text that does not parse or is neither arm is the
    /// same problem as for `read_switch`.
    ///
    /// ```
    /// use barekey_typegen_runtime::{AbSwitch, Loader, Visibility};
    ///
    /// #[derive(Clone, Copy, Debug, PartialEq)]
    /// enum NewSearchUi { Classic, Instant }
    ///
    /// impl AbSwitch for NewSearchUi {
    ///     type Value = String;
    ///     const ARMS: [Self; 2] = [NewSearchUi::Classic, NewSearchUi::Instant];
    ///     fn arm_value(self) -> String {
    ///         match self {
    ///             NewSearchUi::Classic => "classic".to_owned(),
    ///             NewSearchUi::Instant => "instant".to_owned(),
    ///         }
    ///     }
    /// }
    ///
    /// let read = |text: Option<&str>| {
    ///     let lookup = |_: &str| text.map(str::to_owned);
    ///     let mut loader = Loader::from_lookup(&lookup);
    ///     let ui: Option<NewSearchUi> = loader.read_optional_switch("NEW_SEARCH_UI", Visibility::Public);
    ///     loader.finish(ui).map_err(|error| error.to_string())
    /// };
    /// assert_eq!(read(None), Ok(None));
    /// assert_eq!(read(Some("instant")), Ok(Some(NewSearchUi::Instant)));
    /// assert!(read(Some("other")).unwrap_err().contains("\"other\" is neither arm"));
    /// ```
    #[must_use]
    pub fn read_optional_switch<E: AbSwitch>(
        &mut self,
        name: &str,
        visibility: Visibility,
    ) -> Option<E> {
        let switch = self.switch_one(name, visibility);
        self.unless_missing(switch)
    }

    /// Reads the json variable `name` as the generated struct (or `Vec` of one) `T` if it is
    /// set: [`read_json`](Loader::read_json) for a variable that some stages do not have.
    ///
    /// Not set is `None` and no problem; text that is not JSON or not of the shape is the same
    /// problem as for `read_json`.
    ///
    /// ```
    /// use barekey_typegen_runtime::{JsonPath, JsonShape, JsonValue, Loader, ShapeError, Visibility};
    ///
    /// /// What the generator writes for `{ maxSeats: number; }`.
    /// #[derive(Debug, Default, PartialEq)]
    /// struct BetaLimits { max_seats: f64 }
    ///
    /// impl JsonShape for BetaLimits {
    ///     const EXPECTED: &'static str = "an object";
    ///     fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
    ///         let mut object = barekey_typegen_runtime::json_object(value, at)?;
    ///         Ok(BetaLimits { max_seats: barekey_typegen_runtime::json_field(&mut object, "maxSeats", at)? })
    ///     }
    /// }
    ///
    /// let read = |text: Option<&str>| {
    ///     let lookup = |_: &str| text.map(str::to_owned);
    ///     let mut loader = Loader::from_lookup(&lookup);
    ///     let limits: Option<BetaLimits> = loader.read_optional_json("BETA_LIMITS", Visibility::Public);
    ///     loader.finish(limits).map_err(|error| error.to_string())
    /// };
    /// assert_eq!(read(None), Ok(None));
    /// assert_eq!(read(Some(r#"{"maxSeats": 5}"#)), Ok(Some(BetaLimits { max_seats: 5.0 })));
    /// assert!(read(Some("{}")).unwrap_err().contains("BETA_LIMITS.maxSeats is missing"));
    /// ```
    #[must_use]
    pub fn read_optional_json<T: JsonShape>(
        &mut self,
        name: &str,
        visibility: Visibility,
    ) -> Option<T> {
        let shaped = self.json_one(name, visibility);
        self.unless_missing(shaped)
    }

    /// The value of an optional read: `None` when the variable is not set; a problem other
    /// than that is recorded as for a required read.
    fn unless_missing<T>(&mut self, read: Result<T, Problem>) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(problem) if *problem.kind() == ProblemKind::Missing => None,
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Reads `name` as the generated enum `E`, returning its problem instead of recording it.
    fn switch_one<E: AbSwitch>(&self, name: &str, visibility: Visibility) -> Result<E, Problem> {
        let arms = E::ARMS.map(E::arm_value);
        self.read_one_of(name, visibility, &arms)
            .map(|(_, arm)| match arm {
                Arm::A => E::ARMS[0],
                Arm::B => E::ARMS[1],
            })
    }

    /// Reads `name` as the JSON shape `T`, returning its problem instead of recording it.
    fn json_one<T: JsonShape>(&self, name: &str, visibility: Visibility) -> Result<T, Problem> {
        self.read_one::<JsonValue>(name, visibility)
            .and_then(|value| {
                T::from_json(value, &JsonPath::root())
                    .map_err(|error| shape_problem(name, visibility, error))
            })
    }

    /// Reads `name` as a `T` that must equal one of `arms` (A, then B): the value and its arm.
    pub(super) fn read_one_of<T: DeclaredValue + PartialEq + fmt::Debug>(
        &self,
        name: &str,
        visibility: Visibility,
        arms: &[T; 2],
    ) -> Result<(T, Arm), Problem> {
        let value: T = self.read_one(name, visibility)?;
        match which_arm(&value, arms) {
            Some(arm) => Ok((value, arm)),
            // Private: neither the text nor the arms (both are values of the variable).
            None => Err(Problem::new(
                name,
                T::DECLARED_TYPE,
                visibility,
                ProblemKind::not_an_arm(
                    format!("{value:?}"),
                    arms.each_ref().map(|arm| format!("{arm:?}")),
                    visibility,
                ),
            )),
        }
    }

    /// Reads and parses the variable `name` as a `T`, returning its problem instead of
    /// recording it: the one-variable read behind `barekey_env!`.
    pub(super) fn read_one<T: DeclaredValue>(
        &self,
        name: &str,
        visibility: Visibility,
    ) -> Result<T, Problem> {
        let parsed = self.fetch(name).and_then(|text| {
            T::parse_owned(text)
                .map_err(|(reason, text)| ProblemKind::invalid(reason, text, visibility))
        });
        parsed.map_err(|kind| Problem::new(name, T::DECLARED_TYPE, visibility, kind))
    }

    /// `value` when every read succeeded, else an error listing every problem in read order.
    pub fn finish<T>(self, value: T) -> Result<T, LoadError> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(LoadError::new(self.problems))
        }
    }

    /// The text of `name`, or why there is none.
    fn fetch(&self, name: &str) -> Result<String, ProblemKind> {
        match self.source {
            Source::Lookup(lookup) => lookup(name).ok_or(ProblemKind::Missing),
            Source::Environment => {
                // The one place the runtime reads the environment: the variable asked for.
                #[allow(
                    clippy::disallowed_methods,
                    reason = "clippy.toml keeps the code generator's reads in one module; this is \
                              the application's own read of its variable"
                )]
                let raw = std::env::var_os(name).ok_or(ProblemKind::Missing)?;
                // Why not `invalid(..)`: the raw bytes are not text to show, public or not.
                raw.into_string().map_err(|_| ProblemKind::Invalid {
                    reason: ParseError::NotUnicode,
                    value: None,
                })
            }
        }
    }
}

/// The problem of a json variable whose value does not have its type's shape.
fn shape_problem(name: &str, visibility: Visibility, error: ShapeError) -> Problem {
    let kind = ProblemKind::not_the_shape(name, error, visibility);
    Problem::new(name, DeclaredType::Json, visibility, kind)
}

impl fmt::Debug for Loader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match self.source {
            Source::Environment => "process environment",
            Source::Lookup(_) => "lookup function",
        };
        f.debug_struct("Loader")
            .field("source", &source)
            .field("problems", &self.problems)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::{JsonValue, Redacted, Timestamp};

    const SECRET: &str = "hunter2-Zq9-SECRET";

    fn lookup_in(vars: &HashMap<&str, &str>) -> impl Fn(&str) -> Option<String> {
        |name| vars.get(name).map(|value| (*value).to_owned())
    }

    #[derive(Debug, PartialEq)]
    struct Env {
        url: String,
        port: i64,
        debug: bool,
        ratio: f64,
        at: Timestamp,
        flags: JsonValue,
    }

    fn load(vars: &HashMap<&str, &str>) -> Result<Env, LoadError> {
        let lookup = lookup_in(vars);
        let mut loader = Loader::from_lookup(&lookup);
        let env = Env {
            url: loader.read("DATABASE_URL", Visibility::Private),
            port: loader.read("PORT", Visibility::Public),
            debug: loader.read("DEBUG", Visibility::Public),
            ratio: loader.read("RATIO", Visibility::Public),
            at: loader.read("LAUNCHED_AT", Visibility::Public),
            flags: loader.read("FLAGS", Visibility::Private),
        };
        loader.finish(env)
    }

    fn valid_vars() -> HashMap<&'static str, &'static str> {
        HashMap::from([
            ("DATABASE_URL", " postgres://db "),
            ("PORT", "8080"),
            ("DEBUG", " YES "),
            ("RATIO", "0.25"),
            ("LAUNCHED_AT", "2024-02-29T12:00:00+02:00"),
            ("FLAGS", "{\"dark\": true}"),
        ])
    }

    #[test]
    fn loads_every_type_from_a_lookup() {
        let env = load(&valid_vars());
        let expected = Env {
            url: " postgres://db ".to_owned(),
            port: 8080,
            debug: true,
            ratio: 0.25,
            at: Timestamp::from_unix_millis(1_709_200_800_000),
            flags: serde_json::json!({"dark": true}),
        };
        assert_eq!(env, Ok(expected));
    }

    #[test]
    fn lists_every_problem_in_read_order() {
        let mut vars = valid_vars();
        vars.remove("DATABASE_URL");
        vars.insert("PORT", "80a");
        vars.remove("RATIO");
        vars.insert("FLAGS", "{");
        let error = load(&vars).err();
        let names: Vec<_> = error
            .iter()
            .flat_map(|e| e.problems())
            .map(Problem::name)
            .collect();
        assert_eq!(names, ["DATABASE_URL", "PORT", "RATIO", "FLAGS"]);
        let expected = "4 Barekey variables could not be loaded:\n  \
            - DATABASE_URL (string, private): not set; set the environment variable DATABASE_URL\n  \
            - PORT (int64, public): \"80a\" is invalid: expected an integer with no leading zeros, like 8080 or -1\n  \
            - RATIO (float, public): not set; set the environment variable RATIO\n  \
            - FLAGS (json, private): the value is invalid (hidden, the variable is private): expected JSON: EOF while parsing an object at line 1, column 1";
        assert_eq!(error.map(|e| e.to_string()).as_deref(), Some(expected));
    }

    #[test]
    fn one_problem_is_singular() {
        let mut vars = valid_vars();
        vars.insert("DEBUG", "maybe");
        let error = load(&vars).err().map(|e| e.to_string());
        let expected = "1 Barekey variable could not be loaded:\n  \
            - DEBUG (boolean, public): \"maybe\" is invalid: expected true, false, 1, 0, yes or no (any case)";
        assert_eq!(error.as_deref(), Some(expected));
    }

    #[test]
    fn problems_expose_their_parts() {
        let mut vars = valid_vars();
        vars.insert("PORT", "99999999999999999999");
        vars.insert("DATABASE_URL", "ignored");
        vars.insert("FLAGS", "[");
        let error = load(&vars).err();
        let problems = error.as_ref().map(LoadError::problems).unwrap_or_default();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].name(), "PORT");
        assert_eq!(problems[0].declared_type(), DeclaredType::Int64);
        assert_eq!(problems[0].visibility(), Visibility::Public);
        assert_eq!(
            problems[0].kind(),
            &ProblemKind::Invalid {
                reason: ParseError::IntegerOutOfRange,
                value: Some("99999999999999999999".to_owned()),
            }
        );
        assert_eq!(problems[1].visibility(), Visibility::Private);
        assert!(matches!(
            problems[1].kind(),
            ProblemKind::Invalid { value: None, .. }
        ));
    }

    #[test]
    fn private_values_never_appear() {
        let mut vars = valid_vars();
        vars.insert("FLAGS", SECRET);
        let lookup = lookup_in(&vars);
        let mut loader = Loader::from_lookup(&lookup);
        let _: i64 = loader.read("FLAGS", Visibility::Private);
        let _: JsonValue = loader.read("FLAGS", Visibility::Private);
        let _: Timestamp = loader.read("FLAGS", Visibility::Private);
        let loader_debug = format!("{loader:?}");
        let error = loader.finish(());
        let shown = format!("{error:?} {loader_debug}");
        let displayed = error.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            displayed.contains("3 Barekey variables could not be loaded"),
            "{displayed}"
        );
        for text in [shown, displayed] {
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[test]
    fn public_values_appear() {
        let lookup = |_: &str| Some(SECRET.to_owned());
        let mut loader = Loader::from_lookup(&lookup);
        let _: bool = loader.read("SHOWN", Visibility::Public);
        let error = loader.finish(()).err();
        assert!(format!("{error:?}").contains(SECRET));
        assert!(error.is_some_and(|e| e.to_string().contains(&format!("{SECRET:?} is invalid"))));
    }

    #[test]
    fn missing_variables_read_as_placeholders() {
        let lookup = |_: &str| None;
        let mut loader = Loader::from_lookup(&lookup);
        assert_eq!(loader.read::<String>("A", Visibility::Private), "");
        assert_eq!(loader.read::<i64>("B", Visibility::Public), 0);
        let error = loader.finish(()).err();
        let kinds: Vec<_> = error
            .iter()
            .flat_map(|e| e.problems())
            .map(Problem::kind)
            .collect();
        assert_eq!(kinds, [&ProblemKind::Missing, &ProblemKind::Missing]);
    }

    #[test]
    fn empty_values_are_set_not_missing() {
        let lookup = |_: &str| Some(String::new());
        let mut loader = Loader::from_lookup(&lookup);
        assert_eq!(loader.read::<String>("EMPTY", Visibility::Public), "");
        assert!(loader.finish(()).is_ok());
    }

    #[test]
    fn from_env_reads_the_process_environment() {
        // PATH is set in any test environment; reading it must not change it.
        let mut loader = Loader::from_env();
        let path: String = loader.read("PATH", Visibility::Public);
        let missing: String = loader.read(
            "BAREKEY_TYPEGEN_TEST_SURELY_UNSET_4F1C",
            Visibility::Private,
        );
        assert!(!path.is_empty());
        assert!(missing.is_empty());
        let kinds: Vec<_> = loader.problems.iter().map(|p| p.kind().clone()).collect();
        assert_eq!(kinds, [ProblemKind::Missing]);
        assert!(format!("{loader:?}").starts_with("Loader { source: \"process environment\""));
    }

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Ratio {
        Half,
        Double,
    }

    impl AbSwitch for Ratio {
        type Value = f64;
        const ARMS: [Self; 2] = [Ratio::Half, Ratio::Double];
        fn arm_value(self) -> f64 {
            match self {
                Ratio::Half => 0.5,
                Ratio::Double => 2.0,
            }
        }
    }

    #[test]
    fn switches_match_parsed_values_and_refuse_other_text() {
        let read = |text: &str, visibility| {
            let lookup = |_: &str| Some(text.to_owned());
            let mut loader = Loader::from_lookup(&lookup);
            let ratio: Ratio = loader.read_switch("RATIO", visibility);
            loader.finish(ratio)
        };
        assert_eq!(read(" .50 ", Visibility::Public), Ok(Ratio::Half));
        assert_eq!(read("2e0", Visibility::Private), Ok(Ratio::Double));
        let shown = read("0.25", Visibility::Public).map_err(|e| e.to_string());
        assert_eq!(
            shown,
            Err(
                "1 Barekey variable could not be loaded:\n  - RATIO (float, public): 0.25 is \
                 neither arm: expected 0.5 (arm A) or 2.0 (arm B)"
                    .to_owned()
            )
        );
        let hidden = read("0.125", Visibility::Private).err();
        let text = format!(
            "{hidden:?} {}",
            hidden.as_ref().map(ToString::to_string).unwrap_or_default()
        );
        assert!(text.contains("neither arm"), "{text}");
        for leak in ["0.125", "0.5", "2.0"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        // Text that is not even a float is reported as invalid for the declared type.
        let invalid = read("half", Visibility::Public).err();
        assert!(matches!(
            invalid.as_ref().map(|e| e.problems()[0].kind()),
            Some(ProblemKind::Invalid {
                reason: ParseError::NotFloat,
                ..
            })
        ));
    }

    /// What the generator writes for `{ darkMode: boolean; tiers: Array<{ "max-seats": number; }>; }`.
    #[derive(Debug, Default, PartialEq)]
    struct Theme {
        dark_mode: bool,
        tiers: Vec<Tier>,
    }

    #[derive(Debug, Default, PartialEq)]
    struct Tier {
        max_seats: f64,
    }

    impl JsonShape for Theme {
        const EXPECTED: &'static str = "an object";
        fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
            let mut object = crate::json_object(value, at)?;
            Ok(Theme {
                dark_mode: crate::json_field(&mut object, "darkMode", at)?,
                tiers: crate::json_field(&mut object, "tiers", at)?,
            })
        }
    }

    impl JsonShape for Tier {
        const EXPECTED: &'static str = "an object";
        fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
            let mut object = crate::json_object(value, at)?;
            Ok(Tier {
                max_seats: crate::json_field(&mut object, "max-seats", at)?,
            })
        }
    }

    fn read_theme(text: &str, visibility: Visibility) -> Result<Theme, String> {
        let lookup = |_: &str| Some(text.to_owned());
        let mut loader = Loader::from_lookup(&lookup);
        let theme: Theme = loader.read_json("THEME_CONFIG", visibility);
        loader.finish(theme).map_err(|error| error.to_string())
    }

    #[test]
    fn json_structs_ignore_extra_keys_and_name_the_path_of_a_problem() {
        let public = Visibility::Public;
        assert_eq!(
            read_theme(
                r#"{"darkMode": true, "tiers": [{"max-seats": 5, "x": 1}], "extra": []}"#,
                public
            ),
            Ok(Theme {
                dark_mode: true,
                tiers: vec![Tier { max_seats: 5.0 }],
            })
        );
        let problem = |text: &str, visibility| {
            read_theme(text, visibility)
                .err()
                .and_then(|error| {
                    error
                        .split_once("\n  - ")
                        .map(|(_, problem)| problem.to_owned())
                })
                .unwrap_or_default()
        };
        assert_eq!(
            problem(r#"{"tiers": []}"#, public),
            "THEME_CONFIG (json, public): THEME_CONFIG.darkMode is missing; expected a boolean"
        );
        assert_eq!(
            problem(
                r#"{"darkMode": false, "tiers": [{"max-seats": 1}, {}, 3]}"#,
                public
            ),
            "THEME_CONFIG (json, public): THEME_CONFIG.tiers[1][\"max-seats\"] is missing; \
             expected a number"
        );
        assert_eq!(
            problem(r#"{"darkMode": "yes", "tiers": []}"#, public),
            "THEME_CONFIG (json, public): THEME_CONFIG.darkMode is \"yes\", expected a boolean"
        );
        assert_eq!(
            problem("[1]", public),
            "THEME_CONFIG (json, public): THEME_CONFIG is [1], expected an object"
        );
        let hidden = problem(
            r#"{"darkMode": "hunter2", "tiers": []}"#,
            Visibility::Private,
        );
        assert_eq!(
            hidden,
            "THEME_CONFIG (json, private): THEME_CONFIG.darkMode is not a boolean (value hidden, \
             the variable is private)"
        );
        // Not JSON at all: the declared type's own error.
        assert!(problem("{", public).contains("expected JSON"));
    }

    #[test]
    fn optional_reads_are_none_when_unset_and_problems_when_invalid() {
        let vars = HashMap::from([
            ("PORT", " 8080 "),
            ("EMPTY", ""),
            ("BAD_PORT", "80a"),
            ("SECRET_PORT", SECRET),
            ("RATIO", ".50"),
            ("BAD_RATIO", "0.25"),
            ("THEME", r#"{"darkMode": false, "tiers": []}"#),
            ("BAD_THEME", r#"{"tiers": []}"#),
        ]);
        let lookup = lookup_in(&vars);
        let mut loader = Loader::from_lookup(&lookup);
        let read = (
            loader.read_optional::<i64>("PORT", Visibility::Public),
            loader.read_optional::<String>("EMPTY", Visibility::Public),
            loader.read_optional::<i64>("UNSET", Visibility::Public),
            loader.read_optional::<i64>("BAD_PORT", Visibility::Public),
            loader.read_optional::<i64>("SECRET_PORT", Visibility::Private),
        );
        assert_eq!(
            read,
            (Some(8080), Some(String::new()), None, None, None),
            "an empty text is set; unset and invalid are None"
        );
        let switches = (
            loader.read_optional_switch::<Ratio>("RATIO", Visibility::Public),
            loader.read_optional_switch::<Ratio>("UNSET_RATIO", Visibility::Public),
            loader.read_optional_switch::<Ratio>("BAD_RATIO", Visibility::Public),
        );
        assert_eq!(switches, (Some(Ratio::Half), None, None));
        let themes = (
            loader.read_optional_json::<Theme>("THEME", Visibility::Public),
            loader.read_optional_json::<Theme>("UNSET_THEME", Visibility::Public),
            loader.read_optional_json::<Theme>("BAD_THEME", Visibility::Public),
        );
        let theme = Theme {
            dark_mode: false,
            tiers: Vec::new(),
        };
        assert_eq!(themes, (Some(theme), None, None));
        // Only the set but invalid ones are problems, each as its required read reports it.
        let error = loader.finish(()).err().map(|e| e.to_string());
        let expected = "4 Barekey variables could not be loaded:\n  \
            - BAD_PORT (int64, public): \"80a\" is invalid: expected an integer with no leading zeros, like 8080 or -1\n  \
            - SECRET_PORT (int64, private): the value is invalid (hidden, the variable is private): expected an integer with no leading zeros, like 8080 or -1\n  \
            - BAD_RATIO (float, public): 0.25 is neither arm: expected 0.5 (arm A) or 2.0 (arm B)\n  \
            - BAD_THEME (json, public): BAD_THEME.darkMode is missing; expected a boolean";
        assert_eq!(error.as_deref(), Some(expected));
    }

    #[test]
    fn json_reads_drop_proto_keys_as_the_service_does() {
        let vars = HashMap::from([
            (
                "THEME",
                r#"{"__proto__": {"darkMode": true}, "darkMode": false, "tiers": []}"#,
            ),
            (
                "INHERITED",
                r#"{"__proto__": {"darkMode": true}, "tiers": []}"#,
            ),
            (
                "ANY",
                r#"{"a": [{"__proto__": 1, "b": 2}], "__proto__": null}"#,
            ),
        ]);
        let lookup = lookup_in(&vars);
        let mut loader = Loader::from_lookup(&lookup);
        let read = (
            loader.read_json::<Theme>("THEME", Visibility::Public),
            loader.read_optional_json::<Theme>("THEME", Visibility::Public),
            loader.read_optional::<JsonValue>("ANY", Visibility::Public),
            loader.read_optional_json::<Theme>("INHERITED", Visibility::Public),
        );
        let theme = Theme {
            dark_mode: false,
            tiers: Vec::new(),
        };
        assert_eq!(read.0, theme);
        assert_eq!(read.1, Some(theme));
        assert_eq!(read.2, Some(serde_json::json!({"a": [{"b": 2}]})));
        // A key only under `__proto__` is missing, as in the value the service stores.
        assert_eq!(read.3, None);
        let error = loader.finish(()).err().map(|e| e.to_string());
        assert!(
            error.is_some_and(|e| e.contains("INHERITED.darkMode is missing")),
            "the key under `__proto__` was read"
        );
    }

    #[test]
    fn optional_reads_of_unset_variables_alone_succeed() {
        let lookup = |_: &str| None;
        let mut loader = Loader::from_lookup(&lookup);
        let read = (
            loader.read_optional::<bool>("A", Visibility::Private),
            loader.read_optional_switch::<Ratio>("B", Visibility::Private),
            loader.read_optional_json::<Theme>("C", Visibility::Private),
        );
        assert_eq!(loader.finish(read), Ok((None, None, None)));
    }

    #[test]
    fn redacted_prints_a_marker() {
        assert_eq!(format!("{:?}", Redacted), "<redacted>");
        assert_eq!(Redacted.to_string(), "<redacted>");
    }
}
