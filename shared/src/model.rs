//! The words of the manifest that the runtime needs too: a variable's kind, declared type and
//! visibility, and a rollout's schedule. `barekey_typegen::manifest` and the runtime re-export them.

use std::fmt;

use crate::Timestamp;

/// What sort of variable this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// One value.
    Secret,
    /// Two values; a deterministic bucket picks one.
    AbRoll,
    /// Two values; arm B's share grows over time along milestones.
    Rollout,
}

/// How a variable's text value is parsed (the service's parsing rules, which follow JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclaredType {
    /// Any text, untrimmed.
    String,
    /// `true`/`1`/`yes` or `false`/`0`/`no`, trimmed, any case.
    Boolean,
    /// A 64-bit signed integer without leading zeros.
    Int64,
    /// A finite number, as JavaScript's `Number` reads it (`3.14`, `.5`, `0x1F`).
    Float,
    /// An RFC 3339 instant with a real calendar date.
    Date,
    /// Any JSON value.
    Json,
}

/// Whether a variable's value may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Visibility {
    /// The value is a secret: never shown in errors or `Debug`.
    #[default]
    Private,
    /// The value may be shown.
    Public,
}

/// How a rollout's percentage moves between two milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RolloutFunction {
    /// Straight-line interpolation.
    Linear,
    /// Holds the earlier milestone's percentage.
    Step,
    /// `p * p * (3 - 2p)`.
    EaseInOut,
}

/// One point of a rollout schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Milestone {
    /// When this percentage is reached.
    pub at: Timestamp,
    /// The share of arm B at that time, from 0 to 100.
    pub percentage: f64,
}

impl Kind {
    /// The wire name: `secret`, `ab_roll` or `rollout`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::AbRoll => "ab_roll",
            Kind::Rollout => "rollout",
        }
    }

    /// The kind with this wire name, if it is one.
    pub fn from_wire(text: &str) -> Option<Self> {
        [Kind::Secret, Kind::AbRoll, Kind::Rollout]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

impl DeclaredType {
    /// Every declared type, in the order the docs list them.
    pub const ALL: [DeclaredType; 6] = [
        DeclaredType::String,
        DeclaredType::Boolean,
        DeclaredType::Int64,
        DeclaredType::Float,
        DeclaredType::Date,
        DeclaredType::Json,
    ];

    /// The wire name: `string`, `boolean`, `int64`, `float`, `date` or `json`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeclaredType::String => "string",
            DeclaredType::Boolean => "boolean",
            DeclaredType::Int64 => "int64",
            DeclaredType::Float => "float",
            DeclaredType::Date => "date",
            DeclaredType::Json => "json",
        }
    }

    /// The declared type with this wire name, if it is one.
    pub fn from_wire(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|ty| ty.as_str() == text)
    }
}

impl Visibility {
    /// The wire name: `private` or `public`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Public => "public",
        }
    }

    /// The visibility with this wire name, if it is one.
    pub fn from_wire(text: &str) -> Option<Self> {
        [Visibility::Private, Visibility::Public]
            .into_iter()
            .find(|visibility| visibility.as_str() == text)
    }
}

impl Milestone {
    /// A milestone: at `at`, the rollout reaches `percentage` (0 to 100).
    pub const fn new(at: Timestamp, percentage: f64) -> Self {
        Milestone { at, percentage }
    }
}

impl RolloutFunction {
    /// The wire name: `linear`, `step` or `ease_in_out`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RolloutFunction::Linear => "linear",
            RolloutFunction::Step => "step",
            RolloutFunction::EaseInOut => "ease_in_out",
        }
    }

    /// The function with this wire name, if it is one.
    pub fn from_wire(text: &str) -> Option<Self> {
        [
            RolloutFunction::Linear,
            RolloutFunction::Step,
            RolloutFunction::EaseInOut,
        ]
        .into_iter()
        .find(|function| function.as_str() == text)
    }
}

macro_rules! display_as_wire_name {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_wire_name!(Kind, DeclaredType, Visibility, RolloutFunction);
