//! The manifest as this crate understands it, whatever shape the server sent.

pub use barekey_typegen_shared::{DeclaredType, Kind, Milestone, RolloutFunction, Visibility};

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
    /// The opaque content hash (`manifestVersion`); older servers sent a number, kept here in
    /// its JSON spelling.
    pub manifest_version: Option<String>,
    /// Whether `manifestVersion` was a JSON number (older servers), which the official CLI's
    /// file writes bare (`= 1;`) where a string is quoted.
    pub manifest_version_is_number: bool,
    /// The variables, sorted by name in byte order.
    pub variables: Vec<Variable>,
    /// For a manifest merged from several stages' snapshots ([`crate::manifest::merge_stages`]):
    /// each stage's slug and `manifestVersion`, in byte order of the slugs. Empty for
    /// one stage's manifest, as the service sends it.
    pub stages: Vec<Stage>,
}

/// One stage of a merged manifest: its slug, the `manifestVersion` of its snapshot and its own
/// variables.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Stage {
    /// The stage's slug (`stageSlug`), or the snapshot's file name when it had none.
    pub slug: String,
    /// The snapshot's `manifestVersion`, when it had one.
    pub manifest_version: Option<String>,
    /// Where the snapshot was read from (a path, or a URL), for messages; never written into
    /// generated code.
    pub origin: String,
    /// The stage's own variables, as its snapshot declares them (sorted by name in byte
    /// order): what a variable x stage reference shows where a stage differs from the merge.
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
    /// Whether every stage the code runs in sets the variable: `true` on today's servers; `false`
    /// in a manifest merged from several stages when some lack it (see [`Variable::only_in`]).
    /// Generated code reads a variable that is not required as optional (`Option<T>` in Rust,
    /// an optional property in TypeScript).
    pub required: bool,
    /// In a manifest merged from several stages, the slugs of the stages that have this
    /// variable when some do not (in byte order of the slugs); empty when every
    /// stage has it, and always for one stage's manifest.
    pub only_in: Vec<String>,
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
