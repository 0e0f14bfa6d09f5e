//! Which way each type a generated field can have is read from its variable's text: [`Read`]
//! names the way ([`ReadAs`]): [`Plain`], [`Switch`], [`Json`] or [`Optional`].
//!
//! Every way starts alike: the text is parsed by the declared type (the way's
//! [`Parsed`](ReadAs::Parsed), a [`DeclaredValue`]), so a missing or invalid variable is the
//! same problem, with the same message, whatever its field's type. The way then makes the
//! field's value of the parsed one: as is, one of a generated enum's two arms, a generated
//! struct taken apart from the JSON, or `Some` of another way's (and `None` when not set).

use std::fmt;
use std::marker::PhantomData;

use barekey_typegen_shared::problem::{Problem, ProblemKind};

use super::json_shape::{JsonPath, JsonShape};
use super::parse::DeclaredValue;
use crate::{Arm, DeclaredType, JsonValue, Visibility};

/// A type a field of a generated `BarekeyEnv`, or a `barekey_env!` read, can have; its
/// [`As`](Read::As) is the way [`Loader::read`](crate::__private::Loader::read) reads it.
///
/// The runtime implements it for every [`DeclaredValue`] ([`Plain`]), for a `Vec` of a
/// [`JsonShape`] ([`Json`]) and for `Option<T>` of any `Read` type ([`Optional`]: not set is
/// `None` and no problem, set but invalid is a problem). Generated code implements it for its
/// A/B enums and for the JSON structs fields have, in one line each:
///
/// ```text
/// impl ::barekey_typegen_runtime::__private::Read for CheckoutFlow {
///     type As = ::barekey_typegen_runtime::__private::Switch;
/// }
/// ```
///
/// (Coherent beside the blanket impl for every `DeclaredValue`: the generated type is local
/// to the crate that implements both, and implements no `DeclaredValue`.)
pub trait Read: Sized {
    /// The way it is read.
    type As: ReadAs<Self>;
}

/// One way of reading a `T` from a variable's text; implemented by [`Plain`], [`Switch`],
/// [`Json`] and [`Optional`] only.
pub trait ReadAs<T> {
    /// What the text is parsed as first: the Rust type of the variable's declared type.
    type Parsed: DeclaredValue;

    /// Whether a `T` read this way is an `Option`, whose variable not every stage has: not
    /// set is `None`. True of [`Optional`] only.
    const OPTIONAL: bool = false;

    /// The value of the variable `name` from `read`, its text parsed as [`Self::Parsed`] (or
    /// why there is none: not set, or invalid), or its problem. A problem shows a value only
    /// when `visibility` is public.
    ///
    /// # Errors
    ///
    /// The problem of `read`, or the one this way finds in its value.
    fn from_parsed(
        read: Result<Self::Parsed, Problem>,
        name: &str,
        visibility: Visibility,
    ) -> Result<T, Problem>;

    /// A stand-in value that lets the loader keep reading after a problem, so that it reports
    /// every problem at once. It is never returned to users: a load that needed one fails.
    fn stand_in() -> T;
}

/// The way of a [`DeclaredValue`] (`String`, `bool`, `i64`, `f64`, `Timestamp`,
/// `JsonValue`): the parsed value itself.
pub enum Plain {}

/// The way of a generated A/B enum ([`AbSwitch`]): the parsed value must be one of its two
/// arms' values, else the problem [`ProblemKind::NotAnArm`].
pub enum Switch {}

/// The way of a generated JSON struct, or a `Vec` of one ([`JsonShape`]): parsed as JSON,
/// then taken apart, else the problem [`ProblemKind::NotTheShape`] at its path in the JSON.
pub enum Json {}

/// The way of an `Option<T>`, a variable that some stages do not have: `How`'s way of reading
/// a `T`, and `None` (no problem) when the variable is not set.
pub struct Optional<How>(PhantomData<How>);

/// A generated A/B enum: the type of an `ab_roll` or `rollout` variable whose two arms are
/// known, with one variant per arm, read the [`Switch`] way.
pub trait AbSwitch: Copy + 'static {
    /// The type the variable's text is parsed as first (`String`, `i64` or `f64`).
    type Value: DeclaredValue + PartialEq + fmt::Debug;

    /// The variants of arm A and arm B, in that order (they must differ).
    const ARMS: [Self; 2];

    /// The value of this variant's arm.
    fn arm_value(self) -> Self::Value;
}

impl<T: DeclaredValue> Read for T {
    type As = Plain;
}

impl<T: JsonShape> Read for Vec<T> {
    type As = Json;
}

impl<T: Read> Read for Option<T> {
    type As = Optional<T::As>;
}

impl<T: DeclaredValue> ReadAs<T> for Plain {
    type Parsed = T;

    fn from_parsed(read: Result<T, Problem>, _: &str, _: Visibility) -> Result<T, Problem> {
        read
    }

    fn stand_in() -> T {
        T::placeholder()
    }
}

impl<E: AbSwitch> ReadAs<E> for Switch {
    type Parsed = E::Value;

    fn from_parsed(
        read: Result<E::Value, Problem>,
        name: &str,
        visibility: Visibility,
    ) -> Result<E, Problem> {
        let arms = E::ARMS.map(E::arm_value);
        let arm = arm_of(&read?, &arms, name, visibility)?;
        Ok(match arm {
            Arm::A => E::ARMS[0],
            Arm::B => E::ARMS[1],
        })
    }

    fn stand_in() -> E {
        E::ARMS[0]
    }
}

impl<S: JsonShape> ReadAs<S> for Json {
    type Parsed = JsonValue;

    fn from_parsed(
        read: Result<JsonValue, Problem>,
        name: &str,
        visibility: Visibility,
    ) -> Result<S, Problem> {
        S::from_json(read?, &JsonPath::root()).map_err(|error| {
            let kind = ProblemKind::not_the_shape(name, error, visibility);
            Problem::new(name, DeclaredType::Json, visibility, kind)
        })
    }

    fn stand_in() -> S {
        S::default()
    }
}

impl<T, How: ReadAs<T>> ReadAs<Option<T>> for Optional<How> {
    type Parsed = How::Parsed;

    const OPTIONAL: bool = true;

    fn from_parsed(
        read: Result<How::Parsed, Problem>,
        name: &str,
        visibility: Visibility,
    ) -> Result<Option<T>, Problem> {
        match How::from_parsed(read, name, visibility) {
            Ok(value) => Ok(Some(value)),
            Err(problem) if *problem.kind() == ProblemKind::Missing => Ok(None),
            Err(problem) => Err(problem),
        }
    }

    fn stand_in() -> Option<T> {
        None
    }
}

/// Which of `arms` (A, then B) `value`, read from the variable `name`, is: equality of the
/// parsed values, so an int64 arm `42` matches the text ` 42 ` and a float arm `0.5` matches
/// `.50`. Neither is the problem [`ProblemKind::NotAnArm`], which shows the value and the arms
/// only for a public variable (both are values of the variable).
pub(crate) fn arm_of<V: DeclaredValue + PartialEq + fmt::Debug>(
    value: &V,
    arms: &[V; 2],
    name: &str,
    visibility: Visibility,
) -> Result<Arm, Problem> {
    if *value == arms[0] {
        Ok(Arm::A)
    } else if *value == arms[1] {
        Ok(Arm::B)
    } else {
        let kind = ProblemKind::not_an_arm(
            format!("{value:?}"),
            arms.each_ref().map(|arm| format!("{arm:?}")),
            visibility,
        );
        Err(Problem::new(name, V::DECLARED_TYPE, visibility, kind))
    }
}
