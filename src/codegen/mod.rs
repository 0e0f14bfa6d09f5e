//! Code generation: one entry function per output language.

mod doc;
pub mod rust;

pub use rust::generate_rust;

/// What to generate, beyond the manifest itself. Options grow without breaking callers.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {}

/// Generated text and what is worth warning about (name collisions).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Generated {
    /// The file's content.
    pub text: String,
    /// Collisions resolved while naming.
    pub warnings: Vec<crate::Warning>,
}
