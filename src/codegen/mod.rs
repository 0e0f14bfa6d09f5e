//! Code generation: one entry function per output: Rust, TypeScript, `.env.example` and the
//! Markdown reference.

mod attributes;
pub mod env_example;
pub mod markdown;
mod reference;
pub mod rust;
mod select;
pub(crate) mod shape;
mod syntax;
#[cfg(feature = "sdk")]
mod ts_sdk;
pub mod typescript;
mod vars;

// The type grammar, a switch's arms and the doc helpers are the macro's too: they live in the
// internal crate it shares with this one.
pub(crate) use barekey_typegen_core::{arms, doc, ts_type};

pub use attributes::{Attribute, AttributeProblem, Attributes};
pub use env_example::generate_env_example;
pub use markdown::generate_markdown;
pub use rust::generate_rust;
pub use select::{Pattern, Selection, SelectionProblem};
pub use shape::MAX_STRUCT_FIELDS;

/// A JSON value of the type `type_script_type` (the service's `typeScriptType` grammar), if it is in the grammar and
/// has values: what tests and examples feed a json variable of a known shape.
#[doc(hidden)]
pub fn example_json(type_script_type: &str) -> Option<serde_json::Value> {
    ts_type::TsType::parse(type_script_type)?.example()
}
/// How deep a `typeScriptType` may nest and still be used: deeper, TypeScript types it
/// `unknown` with a warning (see docs/typescript.md); for tests.
#[doc(hidden)]
pub use ts_type::MAX_DEPTH as MAX_TYPE_DEPTH;
pub use typescript::{TsMode, generate_typescript};

use std::fmt;

use proc_macro2::TokenStream;

use crate::{Error, Result};

/// What to generate, beyond the manifest itself. Options grow without breaking callers.
///
/// ```
/// use barekey_typegen::codegen::{Options, RuntimeCrate};
///
/// let mut options = Options::default();
/// assert_eq!(options.runtime_crate.to_string(), "::barekey_typegen_runtime");
/// options.runtime_crate = RuntimeCrate::new("::bkrt")?;
/// assert!(RuntimeCrate::new("not a path").is_err());
/// assert!(RuntimeCrate::new("::self").is_err());
/// # Ok::<(), barekey_typegen::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The path generated Rust names the runtime by; `::barekey_typegen_runtime` unless the
    /// application renamed the dependency (prost-build's `prost_path`).
    pub runtime_crate: RuntimeCrate,
    /// Which TypeScript file [`generate_typescript`] writes (standalone by default).
    pub ts_mode: TsMode,
    /// Which variables the outputs hold (every one by default).
    pub selection: Selection,
    /// Attributes added to generated Rust types and fields (none by default).
    pub attributes: Attributes,
}

impl Options {
    /// The same options, writing the TypeScript file `mode`.
    #[must_use]
    pub fn with_ts_mode(mut self, mode: TsMode) -> Self {
        self.ts_mode = mode;
        self
    }

    /// The same options, adding `attributes` to generated Rust.
    #[must_use]
    pub fn with_attributes(mut self, attributes: Attributes) -> Self {
        self.attributes = attributes;
        self
    }

    /// The same options, generating the variables `selection` selects.
    #[must_use]
    pub fn with_selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }
}

/// The path of `barekey-typegen-runtime` as generated Rust names it: a Rust path without
/// generic arguments, such as `::barekey_typegen_runtime` (the default), `::bkrt` for a
/// dependency renamed in Cargo.toml, or `crate::deps::barekey` for a re-export.
#[derive(Clone, PartialEq, Eq)]
pub struct RuntimeCrate {
    /// The path as text, segments joined by `::` (a leading `::` kept).
    text: String,
}

impl RuntimeCrate {
    /// `path` checked to be a path that can name a crate (`::a::b`, `crate::x`, `super::x`); an
    /// [`Error::InvalidRuntimeCrate`] saying why otherwise: not a Rust path, generic arguments,
    /// `Self` anywhere, `crate`, `self` or `super` where Rust does not take them or at the end
    /// (where they name a module of the crate being built, not the runtime).
    pub fn new(path: &str) -> Result<RuntimeCrate> {
        let invalid = |why: String| Error::InvalidRuntimeCrate {
            path: path.to_owned(),
            why,
        };
        let parsed = syn::parse_str::<syn::Path>(path)
            .map_err(|_| invalid("it is not a Rust path".to_owned()))?;
        if parsed
            .segments
            .iter()
            .any(|segment| !segment.arguments.is_none())
        {
            return Err(invalid(
                "a crate's path has no generic arguments".to_owned(),
            ));
        }
        // Raw identifiers keep their `r#`; `r#self` and the like do not parse.
        let segments: Vec<String> = parsed
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        let absolute = parsed.leading_colon.is_some();
        if let Some(why) = misplaced_keyword(absolute, &segments) {
            return Err(invalid(why));
        }
        // `gen` is a keyword from edition 2024 on; raw, it is the same name in every edition.
        let segments: Vec<&str> = segments
            .iter()
            .map(|segment| if segment == "gen" { "r#gen" } else { segment })
            .collect();
        let leading = if absolute { "::" } else { "" };
        Ok(RuntimeCrate {
            text: format!("{leading}{}", segments.join("::")),
        })
    }

    /// The path as tokens, for `quote!`.
    pub(crate) fn to_tokens(&self) -> TokenStream {
        // Checked in `new`: it always parses.
        self.text.parse().unwrap_or_default()
    }
}

/// Why a path whose segments are `segments` (after a leading `::` when `absolute`) cannot name
/// a crate, if it cannot: rustc takes `crate` and `self` only first, `super` only after the
/// start, `self` or another `super`, none of them after a leading `::`, and `Self` only for a
/// type.
fn misplaced_keyword(absolute: bool, segments: &[String]) -> Option<String> {
    for (index, segment) in segments.iter().enumerate() {
        let keyword = segment.as_str();
        let leading_only = match keyword {
            "Self" => return Some("`Self` names a type, never a crate or a module".to_owned()),
            "crate" | "self" => index == 0,
            "super" => segments[..index]
                .iter()
                .enumerate()
                .all(|(before, segment)| segment == "super" || (before == 0 && segment == "self")),
            _ => continue,
        };
        if absolute {
            return Some(format!(
                "a leading `::` is followed by a crate's name, and `{keyword}` is not one"
            ));
        }
        if !leading_only {
            return Some(match keyword {
                "super" => {
                    "`super` only follows the start of a path, `self` or another `super`".to_owned()
                }
                _ => format!("`{keyword}` only starts a path"),
            });
        }
    }
    let last = segments.last()?.as_str();
    matches!(last, "crate" | "self" | "super").then(|| {
        format!(
            "`{last}` at its end names a module of the crate being built, not the runtime; \
             name the runtime within it, such as `crate::deps::barekey_typegen_runtime`"
        )
    })
}

impl Default for RuntimeCrate {
    fn default() -> Self {
        RuntimeCrate {
            text: "::barekey_typegen_runtime".to_owned(),
        }
    }
}

impl fmt::Display for RuntimeCrate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for RuntimeCrate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuntimeCrate({})", self.text)
    }
}

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

/// Every `project/stage` the module is generated from (not yet escaped): one for one stage's
/// manifest, each stage of a manifest merged from several.
fn scopes(manifest: &crate::manifest::Manifest) -> Vec<String> {
    if manifest.stages.is_empty() {
        return vec![project_and_stage(manifest)];
    }
    let project = manifest.project_slug.as_deref().unwrap_or("(unknown)");
    manifest
        .stages
        .iter()
        .map(|stage| format!("{project}/{}", stage.slug))
        .collect()
}

/// What the first line of a generated file says it was generated from (not yet escaped):
/// `project/stage, manifest <version>`, or for several stages `project/stage (manifest
/// <version>)` for each.
fn generated_from(manifest: &crate::manifest::Manifest) -> String {
    let none = "(none)";
    if manifest.stages.is_empty() {
        let version = manifest.manifest_version.as_deref().unwrap_or(none);
        return format!("{}, manifest {version}", project_and_stage(manifest));
    }
    let stages: Vec<String> = scopes(manifest)
        .into_iter()
        .zip(&manifest.stages)
        .map(|(scope, stage)| {
            let version = stage.manifest_version.as_deref().unwrap_or(none);
            format!("{scope} (manifest {version})")
        })
        .collect();
    stages.join(", ")
}

/// The doc of a variable that is not required, up to the colon: `Only in stage `staging``
/// (its stages as code spans) when some stages lack it, else `Optional`.
fn optional_note(variable: &crate::manifest::Variable) -> String {
    match variable.only_in.as_slice() {
        [] => "Optional".to_owned(),
        [one] => format!("Only in stage {}", doc::code_span(one)),
        several => {
            let spans: Vec<String> = several.iter().map(|slug| doc::code_span(slug)).collect();
            format!("Only in stages {}", spans.join(", "))
        }
    }
}
