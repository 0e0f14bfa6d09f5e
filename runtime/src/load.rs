//! Reading every variable of a generated struct and reporting all problems at once.
//!
//! Privacy is by construction: the text of a private variable is dropped as soon as it fails
//! to parse, so no error, `Debug` output or log line can show it.

use std::fmt;

pub use barekey_typegen_shared::problem::{Found, LoadError, Problem, ProblemKind};

use super::parse::DeclaredValue;
use super::read::{Read, ReadAs};
use crate::{ParseError, Visibility};

/// Reads variables one by one for a generated struct, collecting every problem.
///
/// Each [`read`](Loader::read) returns a value even when the variable is missing or invalid
/// (a stand-in), so generated code can build its struct in one expression;
/// [`finish`](Loader::finish) then returns either that struct or one [`LoadError`] listing
/// every problem in read order.
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

    /// Reads the variable `name` as a `T`, the [`Read`] way of `T`: parsed by the declared
    /// type, then, for a generated A/B enum, matched against its two arms, for a generated JSON
    /// struct, taken apart; an `Option<T>` is `None` when the variable is not set.
    ///
    /// When it is missing or invalid, the problem is recorded and a stand-in value is
    /// returned; [`finish`](Loader::finish) will then fail, so the stand-in never reaches
    /// users. `visibility` decides whether an invalid value is kept for the error message.
    #[must_use]
    pub fn read<T: Read>(&mut self, name: &str, visibility: Visibility) -> T {
        let parsed = self.parse(name, visibility);
        T::As::from_parsed(parsed, name, visibility).unwrap_or_else(|problem| {
            self.problems.push(problem);
            T::As::stand_in()
        })
    }

    /// Reads and parses the variable `name` as a `V` of its declared type, returning its
    /// problem instead of recording it: where every way of reading starts.
    pub(crate) fn parse<V: DeclaredValue>(
        &self,
        name: &str,
        visibility: Visibility,
    ) -> Result<V, Problem> {
        let parsed = self.fetch(name).and_then(|text| {
            V::parse_owned(text)
                .map_err(|(reason, text)| ProblemKind::invalid(reason, text, visibility))
        });
        parsed.map_err(|kind| Problem::new(name, V::DECLARED_TYPE, visibility, kind))
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
    use crate::__private::Redacted;
    use crate::json_shape::{JsonPath, JsonShape, ShapeError, json_field, json_object};
    use crate::read::{AbSwitch, Json, Switch};
    use crate::{DeclaredType, JsonValue, Timestamp};

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

    impl Read for Ratio {
        type As = Switch;
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
            let ratio: Ratio = loader.read("RATIO", visibility);
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

    impl Read for Theme {
        type As = Json;
    }

    impl JsonShape for Theme {
        const EXPECTED: &'static str = "an object";
        fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
            let mut object = json_object(value, at)?;
            Ok(Theme {
                dark_mode: json_field(&mut object, "darkMode", at)?,
                tiers: json_field(&mut object, "tiers", at)?,
            })
        }
    }

    impl JsonShape for Tier {
        const EXPECTED: &'static str = "an object";
        fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
            let mut object = json_object(value, at)?;
            Ok(Tier {
                max_seats: json_field(&mut object, "max-seats", at)?,
            })
        }
    }

    fn read_theme(text: &str, visibility: Visibility) -> Result<Theme, String> {
        let lookup = |_: &str| Some(text.to_owned());
        let mut loader = Loader::from_lookup(&lookup);
        let theme: Theme = loader.read("THEME_CONFIG", visibility);
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
            loader.read::<Option<i64>>("PORT", Visibility::Public),
            loader.read::<Option<String>>("EMPTY", Visibility::Public),
            loader.read::<Option<i64>>("UNSET", Visibility::Public),
            loader.read::<Option<i64>>("BAD_PORT", Visibility::Public),
            loader.read::<Option<i64>>("SECRET_PORT", Visibility::Private),
        );
        assert_eq!(
            read,
            (Some(8080), Some(String::new()), None, None, None),
            "an empty text is set; unset and invalid are None"
        );
        let switches = (
            loader.read::<Option<Ratio>>("RATIO", Visibility::Public),
            loader.read::<Option<Ratio>>("UNSET_RATIO", Visibility::Public),
            loader.read::<Option<Ratio>>("BAD_RATIO", Visibility::Public),
        );
        assert_eq!(switches, (Some(Ratio::Half), None, None));
        let themes = (
            loader.read::<Option<Theme>>("THEME", Visibility::Public),
            loader.read::<Option<Theme>>("UNSET_THEME", Visibility::Public),
            loader.read::<Option<Theme>>("BAD_THEME", Visibility::Public),
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
            loader.read::<Theme>("THEME", Visibility::Public),
            loader.read::<Option<Theme>>("THEME", Visibility::Public),
            loader.read::<Option<JsonValue>>("ANY", Visibility::Public),
            loader.read::<Option<Theme>>("INHERITED", Visibility::Public),
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
            loader.read::<Option<bool>>("A", Visibility::Private),
            loader.read::<Option<Ratio>>("B", Visibility::Private),
            loader.read::<Option<Theme>>("C", Visibility::Private),
        );
        assert_eq!(loader.finish(read), Ok((None, None, None)));
    }

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum CheckoutFlow {
        Control,
        Treatment,
    }

    impl Read for CheckoutFlow {
        type As = Switch;
    }

    impl AbSwitch for CheckoutFlow {
        type Value = String;
        const ARMS: [Self; 2] = [CheckoutFlow::Control, CheckoutFlow::Treatment];
        fn arm_value(self) -> String {
            match self {
                CheckoutFlow::Control => "control".to_owned(),
                CheckoutFlow::Treatment => "treatment".to_owned(),
            }
        }
    }

    /// The reads of a generated A/B enum, of a switch only some stages have and of a boolean
    /// only some stages have, as generated code writes them.
    #[test]
    fn a_string_switch_names_its_arms_and_an_optional_read_is_none_only_when_unset() {
        let read = |text: Option<&str>| {
            let lookup = |_: &str| text.map(str::to_owned);
            let mut loader = Loader::from_lookup(&lookup);
            let flow: CheckoutFlow = loader.read("CHECKOUT_FLOW", Visibility::Public);
            let optional: Option<CheckoutFlow> = loader.read("NEW_FLOW", Visibility::Public);
            loader
                .finish((flow, optional))
                .map_err(|error| error.to_string())
        };
        assert_eq!(
            read(Some("treatment")),
            Ok((CheckoutFlow::Treatment, Some(CheckoutFlow::Treatment)))
        );
        assert_eq!(
            read(Some("other")),
            Err("2 Barekey variables could not be loaded:\n  \
                 - CHECKOUT_FLOW (string, public): \"other\" is neither arm: expected \
                 \"control\" (arm A) or \"treatment\" (arm B)\n  \
                 - NEW_FLOW (string, public): \"other\" is neither arm: expected \"control\" \
                 (arm A) or \"treatment\" (arm B)"
                .to_owned())
        );
        let unset = read(None).unwrap_err();
        assert!(
            unset.starts_with("1 Barekey variable could not be loaded:\n  - CHECKOUT_FLOW"),
            "only the required switch is missing: {unset}"
        );

        let lookup = |name: &str| (name == "DEBUG_SQL").then(|| " yes ".to_owned());
        let mut loader = Loader::from_lookup(&lookup);
        let debug: Option<bool> = loader.read("DEBUG_SQL", Visibility::Public);
        let cdn: Option<String> = loader.read("CDN_URL", Visibility::Public);
        assert_eq!(loader.finish((debug, cdn)), Ok((Some(true), None)));
        let lookup = |_: &str| Some("maybe".to_owned());
        let mut loader = Loader::from_lookup(&lookup);
        let debug: Option<bool> = loader.read("DEBUG_SQL", Visibility::Public);
        assert_eq!(
            loader.finish(debug).unwrap_err().to_string(),
            "1 Barekey variable could not be loaded:\n  - DEBUG_SQL (boolean, public): \"maybe\" \
             is invalid: expected true, false, 1, 0, yes or no (any case)",
        );
    }

    #[test]
    fn a_vec_of_json_structs_is_read_the_json_way() {
        let lookup = |name: &str| match name {
            "TIERS" => Some(r#"[{"max-seats": 1}, {"max-seats": 2}]"#.to_owned()),
            _ => Some(r#"[{"max-seats": 1}, {}]"#.to_owned()),
        };
        let mut loader = Loader::from_lookup(&lookup);
        let tiers: Vec<Tier> = loader.read("TIERS", Visibility::Public);
        let broken: Option<Vec<Tier>> = loader.read("BROKEN", Visibility::Private);
        assert_eq!(tiers, [Tier { max_seats: 1.0 }, Tier { max_seats: 2.0 }]);
        assert_eq!(broken, None);
        assert_eq!(
            loader.finish(()).unwrap_err().to_string(),
            "1 Barekey variable could not be loaded:\n  - BROKEN (json, private): \
             BROKEN[1][\"max-seats\"] is missing; expected a number"
        );
    }

    #[test]
    fn redacted_prints_a_marker() {
        assert_eq!(format!("{:?}", Redacted), "<redacted>");
        assert_eq!(Redacted.to_string(), "<redacted>");
    }
}
