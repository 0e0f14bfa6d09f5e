//! The manifest as this crate understands it, whatever shape the server sent.

use std::fmt;

use crate::runtime::Timestamp;

/// A parsed `GET /v1/typegen/manifest` reply (or a snapshot of one).
///
/// Every field but the variables' names has a default, so the legacy and documented shapes of
/// the reply load too; see [`crate::manifest::parse`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Manifest {
    /// The organisation's id (`orgId`), when the server sent it.
    pub org_id: Option<String>,
    /// The organisation's slug (`orgSlug`), when the server sent it.
    pub org_slug: Option<String>,
    /// The project's slug (`projectSlug`), when the server sent it.
    pub project_slug: Option<String>,
    /// The stage's slug (`stageSlug`), when the server sent it.
    pub stage_slug: Option<String>,
    /// The opaque content hash (`manifestVersion`); older servers sent a number.
    pub manifest_version: Option<String>,
    /// The variables, sorted by name in byte order.
    pub variables: Vec<Variable>,
}

/// One variable of a stage: its name, kind and declared type. Never its value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Variable {
    /// The name exactly as Barekey stores it; also the environment variable's name.
    pub name: String,
    /// A plain secret, an A/B switch or a rollout.
    pub kind: Kind,
    /// How the value's text is parsed.
    pub declared_type: DeclaredType,
    /// Whether the value may be shown (in errors, `Debug`) or must be hidden.
    pub visibility: Visibility,
    /// Always `true` on today's servers.
    pub required: bool,
    /// When the variable last changed, in Unix milliseconds.
    pub updated_at_ms: Option<i64>,
    /// The TypeScript type the server inferred from the stored value(s).
    pub type_script_type: Option<String>,
    /// The TypeScript literal type of arm A (ab_roll and rollout).
    pub value_a_type_script_type: Option<String>,
    /// The TypeScript literal type of arm B (ab_roll and rollout).
    pub value_b_type_script_type: Option<String>,
    /// How a rollout's percentage moves between milestones.
    pub rollout_function: Option<RolloutFunction>,
    /// A rollout's milestones, strictly increasing in time.
    pub rollout_milestones: Option<Vec<Milestone>>,
    /// The probability of arm A of an ab_roll (only the documented shape sends it).
    pub chance: Option<f64>,
}

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

/// How a variable's text value is parsed (BAREKEY.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclaredType {
    /// Any text, untrimmed.
    String,
    /// `true`/`1`/`yes` or `false`/`0`/`no`, trimmed, any case.
    Boolean,
    /// A 64-bit signed integer without leading zeros.
    Int64,
    /// A finite decimal number.
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
