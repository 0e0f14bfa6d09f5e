//! [`Var`], one variable of a generated module as a value (its name, visibility, stages and how
//! its text is read), and [`GeneratedEnv`], what a generated `BarekeyEnv` says about itself: the
//! pieces a typed per-request read needs, with or without the client crate.

use std::fmt;
use std::marker::PhantomData;

use super::error::Error;
use super::load::{LoadError, Loader};
use super::parse::DeclaredValue;
use super::read::{Read, ReadAs};
use crate::{DeclaredType, Kind, Visibility};

/// How a [`Var`] reads its text from a loader: [`read`] of its type.
type ReadFn<T> = fn(&mut Loader<'_>, &str, Visibility) -> T;

/// One variable of a generated `BarekeyEnv`, typed: the generated constant
/// `BarekeyEnv::CHECKOUT_FLOW` is a `Var<CheckoutFlow>`, `BarekeyEnv::PORT` a `Var<i64>`, and
/// a variable only some stages have a `Var<Option<T>>`, `None` where it is not set. The
/// generated module makes one per variable; an application uses them:
///
/// - `barekey-typegen-client`'s `Client::get(BarekeyEnv::CHECKOUT_FLOW, &options)` decides its
///   value for one request (a seed, a key), typed as its field;
/// - [`name`](Var::name) and [`info`](Var::info) say what the variable is: its kind, declared
///   type, visibility and stages ([`VarInfo`], the list [`GeneratedEnv::VARIABLES`] holds);
/// - [`parse`](Var::parse) reads a text from elsewhere by the rules the generated module reads
///   its field by: parsed by the declared type (`i64`, `String`,
///   [`Timestamp`](crate::Timestamp)...), then matched against the switch's two arms for a
///   generated A/B enum, or taken apart for a generated JSON struct.
///
/// It holds no value, so it is `Copy` and its `Debug` shows nothing secret.
///
/// ```
/// # mod barekey {
/// #     use barekey_typegen_runtime::{__private::var, Kind, Var, Visibility};
/// #     pub struct BarekeyEnv;
/// #     impl BarekeyEnv {
/// #         pub const PORT: Var<i64> =
/// #             var("PORT", Kind::Secret, Visibility::Public, &["production"], &["production"]);
/// #     }
/// # }
/// use barekey_typegen_runtime::{DeclaredType, Visibility};
/// // mod barekey { include!(concat!(env!("OUT_DIR"), "/barekey_env.rs")); }
/// use barekey::BarekeyEnv;
///
/// assert_eq!(BarekeyEnv::PORT.name(), "PORT");
/// let info = BarekeyEnv::PORT.info();
/// assert_eq!(info.declared_type(), DeclaredType::Int64);
/// assert_eq!(info.visibility(), Visibility::Public);
/// assert!(info.in_stage("production") && !info.is_optional());
///
/// assert_eq!(BarekeyEnv::PORT.parse(Some(" 8080 ".to_owned())), Ok(8080));
/// let invalid = BarekeyEnv::PORT.parse(Some("80a".to_owned())).unwrap_err();
/// assert_eq!(
///     invalid.to_string(),
///     "Barekey variable PORT (int64, public): \"80a\" is invalid: expected an integer with no \
///      leading zeros, like 8080 or -1",
/// );
///
/// // With barekey-typegen-client, its value for one request:
/// // let port: i64 = client.get(BarekeyEnv::PORT, &options).await?.value;
/// ```
pub struct Var<T> {
    info: VarInfo,
    read: ReadFn<T>,
    _type: PhantomData<fn() -> T>,
}

/// What a [`Var`] says about its variable, whatever its Rust type: the list
/// [`GeneratedEnv::VARIABLES`] holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VarInfo {
    name: &'static str,
    kind: Kind,
    declared_type: DeclaredType,
    visibility: Visibility,
    optional: bool,
    module_stages: &'static [&'static str],
    stages: &'static [&'static str],
}

/// The variable `name`, read as a `T` the [`Read`] way of `T`, in `stages` of the module's
/// `module_stages`: what each constant of a generated `BarekeyEnv` is, its `T` the constant's
/// declared `Var<T>`.
///
/// `module_stages` are the stages the module was generated from and `stages` those that have
/// the variable (for a variable every stage has, the same slice); both empty when the manifest
/// named no stage. The declared type is the one `T` is parsed as first, and the variable is
/// optional when `T` is an `Option` (not set is `None`).
pub const fn var<T: Read>(
    name: &'static str,
    kind: Kind,
    visibility: Visibility,
    module_stages: &'static [&'static str],
    stages: &'static [&'static str],
) -> Var<T> {
    Var {
        info: VarInfo {
            name,
            kind,
            declared_type: <<T::As as ReadAs<T>>::Parsed as DeclaredValue>::DECLARED_TYPE,
            visibility,
            optional: <T::As as ReadAs<T>>::OPTIONAL,
            module_stages,
            stages,
        },
        read: read::<T>,
        _type: PhantomData,
    }
}

impl<T> Var<T> {
    /// What it says about its variable, without its type: name, kind, declared type,
    /// visibility and stages.
    pub const fn info(&self) -> VarInfo {
        self.info
    }

    /// The variable's name, as Barekey spells it.
    pub const fn name(&self) -> &'static str {
        self.info.name
    }

    /// The value of `text` (`None`: the variable is not set), by the variable's rules: its
    /// declared type, then its arms or its JSON shape.
    ///
    /// # Errors
    ///
    /// The variable's one problem as an [`Error`] (`not set` for `None` unless the `Var` is
    /// optional, when `None` is `Ok(None)`); its text appears only for a public variable.
    pub fn parse(&self, text: Option<String>) -> Result<T, Error> {
        let lookup = move |_: &str| text.clone();
        let mut loader = Loader::from_lookup(&lookup);
        let value = (self.read)(&mut loader, self.info.name, self.info.visibility);
        loader.finish(value).map_err(Error::first_problem)
    }
}

// A function, not the loader's method itself: a method of `Loader<'a>` is generic over the
// impl's `'a`, which a `fn(&mut Loader<'_>, ..)` pointer (any lifetime) cannot be made from.
fn read<T: Read>(loader: &mut Loader<'_>, name: &str, visibility: Visibility) -> T {
    loader.read::<T>(name, visibility)
}

impl<T> Clone for Var<T> {
    fn clone(&self) -> Self {
        *self
    }
}

// By hand: a derive would ask `T: Copy`, and a `Var` holds no `T`.
impl<T> Copy for Var<T> {}

impl<T> fmt::Debug for Var<T> {
    /// The variable's facts ([`VarInfo`]'s `Debug`); a `Var` holds no value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Var").field(&self.info).finish()
    }
}

impl VarInfo {
    /// The variable's name, as Barekey and the environment spell it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Its kind: a secret, an A/B switch or a rollout.
    pub const fn kind(&self) -> Kind {
        self.kind
    }

    /// Its declared type, which its text is parsed by.
    pub const fn declared_type(&self) -> DeclaredType {
        self.declared_type
    }

    /// Whether its value may be shown in errors.
    pub const fn visibility(&self) -> Visibility {
        self.visibility
    }

    /// Whether its `Var` is a `Var<Option<T>>`: not every stage has it, so not set is `None`.
    pub const fn is_optional(&self) -> bool {
        self.optional
    }

    /// The stages the module was generated from, in byte order; empty when its manifest named
    /// no stage.
    pub const fn module_stages(&self) -> &'static [&'static str] {
        self.module_stages
    }

    /// The stages that have the variable, in byte order: all of
    /// [`module_stages`](Self::module_stages) unless it is optional.
    pub const fn stages(&self) -> &'static [&'static str] {
        self.stages
    }

    /// Whether the stage `stage` has the variable: it is one of [`stages`](Self::stages), or
    /// the module names no stage.
    pub fn in_stage(&self, stage: &str) -> bool {
        self.stages.is_empty() || self.stages.contains(&stage)
    }

    /// [`Ok`] when `stage` is one the module was generated from (or the module names none),
    /// else the error naming the module's stages: a client of another stage would be told of
    /// variables that stage may lack, or lack ones it has.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Config`](crate::ErrorKind::Config) error.
    pub fn check_stage(&self, stage: &str) -> Result<(), Error> {
        check_stage(self.module_stages, stage)
    }
}

/// [`VarInfo::check_stage`] for a module of `stages`.
pub(crate) fn check_stage(stages: &[&str], stage: &str) -> Result<(), Error> {
    if stages.is_empty() || stages.contains(&stage) {
        return Ok(());
    }
    let listed: Vec<String> = stages.iter().map(|stage| format!("{stage:?}")).collect();
    Err(Error::__config(format_args!(
        "the stage {stage:?} is not one the generated module was made for ({}); use a client \
         of one of them, or generate the module with that stage's snapshot too (barekey-typegen \
         pull --stage {stage})",
        listed.join(", ")
    )))
}

impl fmt::Debug for VarInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VarInfo")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("declared_type", &self.declared_type)
            .field("visibility", &self.visibility)
            .field("optional", &self.optional)
            .field("stages", &self.stages)
            .finish_non_exhaustive()
    }
}

/// A generated `BarekeyEnv`: the stages it was generated from, each of its variables, and how it
/// loads ([`from_lookup`](GeneratedEnv::from_lookup)). Generated code implements it;
/// `barekey-typegen-client`'s `Client::get_all` uses it to ask for every variable of its stage
/// in one request.
pub trait GeneratedEnv: Sized {
    /// The stages the module was generated from, in byte order; empty when its manifest named
    /// no stage.
    const STAGES: &'static [&'static str];

    /// Every variable of the struct, in the order of its fields.
    const VARIABLES: &'static [VarInfo];

    /// Reads every field from `loader`, then [`Loader::finish`]: the struct, or one
    /// [`LoadError`] listing every missing and invalid variable. What generated code
    /// implements; [`from_lookup`](GeneratedEnv::from_lookup) calls it.
    ///
    /// # Errors
    ///
    /// The [`LoadError`]; it never shows a private value.
    #[doc(hidden)]
    fn from_loader(loader: Loader<'_>) -> Result<Self, LoadError>;

    /// Reads every variable through `lookup` (given the Barekey name, the value's text; `None`
    /// means not set) and parses it by its declared type, as the generated
    /// `BarekeyEnv::from_lookup` does, for code generic over generated modules.
    ///
    /// # Errors
    ///
    /// One [`LoadError`] listing every missing and every invalid variable; private values never
    /// appear in it.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, LoadError> {
        Self::from_loader(Loader::from_lookup(&lookup))
    }

    /// [`Ok`] when `stage` is one of [`STAGES`](Self::STAGES) (or there are none), else the
    /// error naming them.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Config`](crate::ErrorKind::Config) error naming the module's stages.
    fn check_stage(stage: &str) -> Result<(), Error> {
        check_stage(Self::STAGES, stage)
    }

    /// The variables the stage `stage` has, which a request for all of them may name (the
    /// service refuses a whole batch that names one the stage lacks).
    fn variables_in(stage: &str) -> impl Iterator<Item = &'static VarInfo> {
        Self::VARIABLES
            .iter()
            .filter(move |info| info.in_stage(stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_shape::{JsonPath, JsonShape, ShapeError, json_field, json_object};
    use crate::read::{AbSwitch, Json, Switch};
    use crate::{ErrorKind, JsonValue};

    const STAGES: &[&str] = &["production", "staging"];

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Flow {
        Control,
        Treatment,
    }

    impl AbSwitch for Flow {
        type Value = String;
        const ARMS: [Self; 2] = [Flow::Control, Flow::Treatment];
        fn arm_value(self) -> String {
            match self {
                Flow::Control => "control".to_owned(),
                Flow::Treatment => "treatment".to_owned(),
            }
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Limits {
        seats: f64,
    }

    impl JsonShape for Limits {
        const EXPECTED: &'static str = "an object";
        fn from_json(value: JsonValue, at: &JsonPath<'_>) -> Result<Self, ShapeError> {
            let mut object = json_object(value, at)?;
            Ok(Limits {
                seats: json_field(&mut object, "seats", at)?,
            })
        }
    }

    // As generated code writes them: the way each is read, its declared type and whether it is
    // optional all come from its declared `Var<T>`.
    const FLOW: Var<Flow> = var("FLOW", Kind::AbRoll, Visibility::Private, STAGES, STAGES);
    const UI: Var<Option<Flow>> = var("UI", Kind::AbRoll, Visibility::Public, STAGES, &["staging"]);
    const LIMITS: Var<Limits> = var("LIMITS", Kind::Secret, Visibility::Public, STAGES, STAGES);
    const BETA: Var<Option<Limits>> = var(
        "BETA",
        Kind::Secret,
        Visibility::Private,
        STAGES,
        &["staging"],
    );
    const DEBUG: Var<Option<bool>> = var(
        "DEBUG",
        Kind::Secret,
        Visibility::Public,
        STAGES,
        &["staging"],
    );
    const PORT: Var<i64> = var("PORT", Kind::Secret, Visibility::Public, &[], &[]);
    const SHARDS: Var<Vec<Limits>> =
        var("SHARDS", Kind::Secret, Visibility::Public, STAGES, STAGES);

    fn text(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn each_type_is_read_its_way_and_says_its_declared_type_and_whether_it_is_optional() {
        assert_eq!(PORT.parse(text(" 8080 ")), Ok(8080));
        assert_eq!(FLOW.parse(text("treatment")), Ok(Flow::Treatment));
        assert_eq!(UI.parse(text("control")), Ok(Some(Flow::Control)));
        assert_eq!(UI.parse(None), Ok(None));
        assert_eq!(
            LIMITS.parse(text(r#"{"seats": 3}"#)),
            Ok(Limits { seats: 3.0 })
        );
        assert_eq!(
            SHARDS.parse(text(r#"[{"seats": 1}]"#)),
            Ok(vec![Limits { seats: 1.0 }])
        );
        assert_eq!(BETA.parse(None), Ok(None));
        assert_eq!(DEBUG.parse(text(" yes ")), Ok(Some(true)));
        let infos = [
            PORT.info(),
            FLOW.info(),
            LIMITS.info(),
            SHARDS.info(),
            UI.info(),
            BETA.info(),
            DEBUG.info(),
        ];
        let facts = infos
            .iter()
            .map(|info| (info.name(), info.declared_type(), info.is_optional()));
        assert_eq!(
            facts.collect::<Vec<_>>(),
            [
                ("PORT", DeclaredType::Int64, false),
                ("FLOW", DeclaredType::String, false),
                ("LIMITS", DeclaredType::Json, false),
                ("SHARDS", DeclaredType::Json, false),
                ("UI", DeclaredType::String, true),
                ("BETA", DeclaredType::Json, true),
                ("DEBUG", DeclaredType::Boolean, true),
            ]
        );
    }

    #[test]
    fn problems_name_the_variable_and_hide_private_values() {
        let hidden = FLOW.parse(text("hunter2-arm")).unwrap_err();
        assert_eq!(hidden.kind(), ErrorKind::InvalidVariable);
        assert_eq!(hidden.variable(), Some("FLOW"));
        let shown = format!("{hidden} {hidden:?}");
        assert!(shown.contains("neither arm"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let shape = BETA.parse(text(r#"{"seats": "hunter2"}"#)).unwrap_err();
        assert!(!format!("{shape} {shape:?}").contains("hunter2"));
        let public = LIMITS.parse(text("{}")).unwrap_err().to_string();
        assert_eq!(
            public,
            "Barekey variable LIMITS (json, public): LIMITS.seats is missing; expected a number"
        );
        let missing = FLOW.parse(None).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::MissingVariable);
        assert_eq!(
            PORT.parse(text("80a")).unwrap_err().to_string(),
            "Barekey variable PORT (int64, public): \"80a\" is invalid: expected an integer with \
             no leading zeros, like 8080 or -1"
        );
    }

    #[test]
    fn stages_say_which_variables_a_stage_has_and_refuse_a_stage_the_module_lacks() {
        assert!(FLOW.info().in_stage("production") && !UI.info().in_stage("production"));
        assert!(UI.info().in_stage("staging"));
        assert_eq!(FLOW.info().check_stage("staging"), Ok(()));
        let error = UI.info().check_stage("prod").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert_eq!(
            error.to_string(),
            "the stage \"prod\" is not one the generated module was made for (\"production\", \
             \"staging\"); use a client of one of them, or generate the module with that \
             stage's snapshot too (barekey-typegen pull --stage prod)"
        );
        assert!(PORT.info().in_stage("anything"));
        assert_eq!(PORT.info().check_stage("anything"), Ok(()));
    }

    #[test]
    fn debug_shows_the_facts_and_a_var_is_copy() {
        let copy = FLOW;
        let shown = format!("{copy:?}");
        assert_eq!(
            shown,
            "Var(VarInfo { name: \"FLOW\", kind: AbRoll, declared_type: String, visibility: \
             Private, optional: false, stages: [\"production\", \"staging\"], .. })"
        );
        assert_eq!(FLOW.name(), "FLOW");
    }

    impl Read for Flow {
        type As = Switch;
    }

    impl Read for Limits {
        type As = Json;
    }

    /// What the generator writes for a module of `FLOW` and `BETA`.
    #[derive(Debug, PartialEq)]
    struct Env {
        flow: Flow,
        beta: Option<Limits>,
    }

    impl GeneratedEnv for Env {
        const STAGES: &'static [&'static str] = STAGES;
        const VARIABLES: &'static [VarInfo] = &[FLOW.info(), BETA.info()];
        fn from_loader(mut loader: Loader<'_>) -> Result<Self, LoadError> {
            let env = Env {
                flow: loader.read("FLOW", Visibility::Private),
                beta: loader.read("BETA", Visibility::Private),
            };
            loader.finish(env)
        }
    }

    #[test]
    fn a_generated_env_loads_from_a_lookup_and_knows_its_stages() {
        let loaded = Env::from_lookup(|name| (name == "FLOW").then(|| "control".to_owned()));
        let expected = Env {
            flow: Flow::Control,
            beta: None,
        };
        assert_eq!(loaded, Ok(expected));
        let error = Env::from_lookup(|_| Some("hunter2".to_owned())).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.starts_with("2 Barekey variables"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let names: Vec<&str> = Env::variables_in("production").map(VarInfo::name).collect();
        assert_eq!(names, ["FLOW"]);
        assert!(Env::check_stage("prod").is_err());
    }
}
