//! Code generation: one entry function per output language.

mod doc;
pub mod rust;
#[cfg(feature = "sdk")]
mod ts_sdk;
mod ts_type;
pub mod typescript;

pub use rust::generate_rust;
pub use typescript::{TsMode, generate_typescript};

/// What to generate, beyond the manifest itself. Options grow without breaking callers.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {}

/// Generated text and what is worth warning about (name collisions, unusable
/// `typeScriptType`s).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Generated {
    /// The file's content.
    pub text: String,
    /// Collisions resolved while naming, types replaced while emitting.
    pub warnings: Vec<crate::Warning>,
}

/// `project/stage` as the manifest names them, for headers and docs (not yet escaped).
fn project_and_stage(manifest: &crate::manifest::Manifest) -> String {
    let unknown = "(unknown)";
    format!(
        "{}/{}",
        manifest.project_slug.as_deref().unwrap_or(unknown),
        manifest.stage_slug.as_deref().unwrap_or(unknown)
    )
}
