//! [`Var`], one variable of a generated module as a value (its name, visibility, stages and how
//! its text is read), and [`GeneratedEnv`], what a generated `BarekeyEnv` says about itself: the
//! pieces a typed per-request read needs, with or without the client crate.

use std::fmt;
use std::marker::PhantomData;

use super::error::Error;
use super::json_shape::JsonShape;
use super::load::{AbSwitch, LoadError, Loader};
use super::parse::DeclaredValue;
use crate::{DeclaredType, JsonValue, Kind, Visibility};

/// How a [`Var`] reads its text from a [`Loader`]: one of the loader's `read` methods.
type Read<T> = fn(&mut Loader<'_>, &str, Visibility) -> T;

/// One variable of a generated `BarekeyEnv`, typed: the generated constant
/// `BarekeyEnv::CHECKOUT_FLOW` is a `Var<CheckoutFlow>`.
///
/// It carries the variable's name, kind, declared type, visibility and stages (see
/// [`VarInfo`]), and how its text becomes a `T`: parsed by the declared type (`i64`, `String`,
/// [`Timestamp`](crate::Timestamp)...), then matched against the switch's two arms for a
/// generated A/B enum ([`AbSwitch`]), or taken apart by [`JsonShape`] for a generated JSON
/// struct. A variable only some stages have is a `Var<Option<T>>`, `None` where it is not set.
/// It holds no value, so it is `Copy` and its `Debug` shows nothing secret.
///
/// `barekey-typegen-client`'s `Client::get` decides one for one request; [`Var::parse`] reads
/// one text by the same rules.
///
/// ```
/// use barekey_typegen_runtime::{Kind, Var, Visibility};
///
/// const PORT: Var<i64> = Var::value("PORT", Kind::Secret, Visibility::Public, &["production"], &["production"]);
/// assert_eq!(PORT.parse(Some(" 8080 ".to_owned())), Ok(8080));
/// assert_eq!(
///     PORT.parse(Some("80a".to_owned())).unwrap_err().to_string(),
///     "Barekey variable PORT (int64, public): \"80a\" is invalid: expected an integer with no \
///      leading zeros, like 8080 or -1",
/// );
/// ```
pub struct Var<T> {
    info: VarInfo,
    read: Read<T>,
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

impl<T> Var<T> {
    /// The variable `name` read by `read`, declared `declared_type`, in `stages` of the
    /// module's `module_stages`.
    #[allow(
        clippy::too_many_arguments,
        reason = "private: each public constructor passes its own read and optionality"
    )]
    const fn new(
        name: &'static str,
        kind: Kind,
        declared_type: DeclaredType,
        visibility: Visibility,
        optional: bool,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
        read: Read<T>,
    ) -> Self {
        Var {
            info: VarInfo {
                name,
                kind,
                declared_type,
                visibility,
                optional,
                module_stages,
                stages,
            },
            read,
            _type: PhantomData,
        }
    }

    /// What it says about its variable, without its type.
    pub const fn info(&self) -> VarInfo {
        self.info
    }

    /// The variable's name, as Barekey spells it.
    pub const fn name(&self) -> &'static str {
        self.info.name
    }

    /// Reads the variable from `loader` as a generated `BarekeyEnv` reads its field: a problem
    /// is recorded in the loader (which [`Loader::finish`] reports) and a stand-in returned.
    #[must_use]
    pub fn read(&self, loader: &mut Loader<'_>) -> T {
        (self.read)(loader, self.info.name, self.info.visibility)
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
        let value = self.read(&mut loader);
        loader.finish(value).map_err(Error::first_problem)
    }
}

impl<T: DeclaredValue> Var<T> {
    /// A variable whose text is parsed by `T`'s declared type: `String`, `bool`, `i64`, `f64`,
    /// [`Timestamp`](crate::Timestamp) or [`JsonValue`].
    ///
    /// `module_stages` are the stages the module was generated from and `stages` those that
    /// have the variable (for a variable every stage has, the same slice); both empty when
    /// the manifest named no stage.
    pub const fn value(
        name: &'static str,
        kind: Kind,
        visibility: Visibility,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
    ) -> Self {
        let read: Read<T> = read_value::<T>;
        Var::new(
            name,
            kind,
            T::DECLARED_TYPE,
            visibility,
            false,
            module_stages,
            stages,
            read,
        )
    }
}

impl<T: DeclaredValue> Var<Option<T>> {
    /// [`Var::value`] for a variable only some stages have: `None` where it is not set.
    pub const fn optional_value(
        name: &'static str,
        kind: Kind,
        visibility: Visibility,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
    ) -> Self {
        let read: Read<Option<T>> = read_optional_value::<T>;
        Var::new(
            name,
            kind,
            T::DECLARED_TYPE,
            visibility,
            true,
            module_stages,
            stages,
            read,
        )
    }
}

impl<E: AbSwitch> Var<E> {
    /// An A/B switch or rollout read as its generated enum `E`: parsed by the declared type of
    /// `E`'s arms, then matched against them ([`Loader::read_switch`]).
    pub const fn switch(
        name: &'static str,
        kind: Kind,
        visibility: Visibility,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
    ) -> Self {
        let read: Read<E> = read_switch::<E>;
        Var::new(
            name,
            kind,
            <E::Value as DeclaredValue>::DECLARED_TYPE,
            visibility,
            false,
            module_stages,
            stages,
            read,
        )
    }
}

impl<E: AbSwitch> Var<Option<E>> {
    /// [`Var::switch`] for a variable only some stages have: `None` where it is not set.
    pub const fn optional_switch(
        name: &'static str,
        kind: Kind,
        visibility: Visibility,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
    ) -> Self {
        let read: Read<Option<E>> = read_optional_switch::<E>;
        Var::new(
            name,
            kind,
            <E::Value as DeclaredValue>::DECLARED_TYPE,
            visibility,
            true,
            module_stages,
            stages,
            read,
        )
    }
}

impl<S: JsonShape> Var<S> {
    /// A json variable read as its generated struct (or `Vec` of one) `S`
    /// ([`Loader::read_json`]).
    pub const fn json(
        name: &'static str,
        kind: Kind,
        visibility: Visibility,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
    ) -> Self {
        let read: Read<S> = read_json::<S>;
        Var::new(
            name,
            kind,
            <JsonValue as DeclaredValue>::DECLARED_TYPE,
            visibility,
            false,
            module_stages,
            stages,
            read,
        )
    }
}

impl<S: JsonShape> Var<Option<S>> {
    /// [`Var::json`] for a variable only some stages have: `None` where it is not set.
    pub const fn optional_json(
        name: &'static str,
        kind: Kind,
        visibility: Visibility,
        module_stages: &'static [&'static str],
        stages: &'static [&'static str],
    ) -> Self {
        let read: Read<Option<S>> = read_optional_json::<S>;
        Var::new(
            name,
            kind,
            <JsonValue as DeclaredValue>::DECLARED_TYPE,
            visibility,
            true,
            module_stages,
            stages,
            read,
        )
    }
}

// Functions, not the loader's methods themselves: a method of `Loader<'a>` is generic over the
// impl's `'a`, which a `fn(&mut Loader<'_>, ..)` pointer (any lifetime) cannot be made from.
fn read_value<T: DeclaredValue>(loader: &mut Loader<'_>, name: &str, visibility: Visibility) -> T {
    loader.read(name, visibility)
}

fn read_optional_value<T: DeclaredValue>(
    loader: &mut Loader<'_>,
    name: &str,
    visibility: Visibility,
) -> Option<T> {
    loader.read_optional(name, visibility)
}

fn read_switch<E: AbSwitch>(loader: &mut Loader<'_>, name: &str, visibility: Visibility) -> E {
    loader.read_switch(name, visibility)
}

fn read_optional_switch<E: AbSwitch>(
    loader: &mut Loader<'_>,
    name: &str,
    visibility: Visibility,
) -> Option<E> {
    loader.read_optional_switch(name, visibility)
}

fn read_json<S: JsonShape>(loader: &mut Loader<'_>, name: &str, visibility: Visibility) -> S {
    loader.read_json(name, visibility)
}

fn read_optional_json<S: JsonShape>(
    loader: &mut Loader<'_>,
    name: &str,
    visibility: Visibility,
) -> Option<S> {
    loader.read_optional_json(name, visibility)
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
/// loads from a [`Loader`]. Generated code implements it; `barekey-typegen-client`'s
/// `Client::get_all` uses it to ask for every variable of its stage in one request.
pub trait GeneratedEnv: Sized {
    /// The stages the module was generated from, in byte order; empty when its manifest named
    /// no stage.
    const STAGES: &'static [&'static str];

    /// Every variable of the struct, in the order of its fields.
    const VARIABLES: &'static [VarInfo];

    /// Reads every field from `loader`, then [`Loader::finish`]: the struct, or one
    /// [`LoadError`] listing every missing and invalid variable.
    ///
    /// # Errors
    ///
    /// The [`LoadError`]; it never shows a private value.
    fn from_loader(loader: Loader<'_>) -> Result<Self, LoadError>;

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
    use crate::{ErrorKind, JsonPath, ShapeError};

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
            let mut object = crate::json_object(value, at)?;
            Ok(Limits {
                seats: crate::json_field(&mut object, "seats", at)?,
            })
        }
    }

    const FLOW: Var<Flow> = Var::switch("FLOW", Kind::AbRoll, Visibility::Private, STAGES, STAGES);
    const UI: Var<Option<Flow>> =
        Var::optional_switch("UI", Kind::AbRoll, Visibility::Public, STAGES, &["staging"]);
    const LIMITS: Var<Limits> =
        Var::json("LIMITS", Kind::Secret, Visibility::Public, STAGES, STAGES);
    const BETA: Var<Option<Limits>> = Var::optional_json(
        "BETA",
        Kind::Secret,
        Visibility::Private,
        STAGES,
        &["staging"],
    );
    const DEBUG: Var<Option<bool>> = Var::optional_value(
        "DEBUG",
        Kind::Secret,
        Visibility::Public,
        STAGES,
        &["staging"],
    );

    fn text(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn each_constructor_reads_by_its_rule_and_knows_its_declared_type() {
        assert_eq!(FLOW.parse(text("treatment")), Ok(Flow::Treatment));
        assert_eq!(UI.parse(text("control")), Ok(Some(Flow::Control)));
        assert_eq!(UI.parse(None), Ok(None));
        assert_eq!(
            LIMITS.parse(text(r#"{"seats": 3}"#)),
            Ok(Limits { seats: 3.0 })
        );
        assert_eq!(BETA.parse(None), Ok(None));
        assert_eq!(DEBUG.parse(text(" yes ")), Ok(Some(true)));
        let types = [
            FLOW.info().declared_type(),
            LIMITS.info().declared_type(),
            DEBUG.info().declared_type(),
        ];
        assert_eq!(
            types,
            [
                DeclaredType::String,
                DeclaredType::Json,
                DeclaredType::Boolean
            ]
        );
        assert!(UI.info().is_optional() && !FLOW.info().is_optional());
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
        let unnamed: Var<i64> = Var::value("PORT", Kind::Secret, Visibility::Public, &[], &[]);
        assert!(unnamed.info().in_stage("anything"));
        assert_eq!(unnamed.info().check_stage("anything"), Ok(()));
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
}
