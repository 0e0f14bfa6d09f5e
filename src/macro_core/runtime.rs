//! Which crate a `barekey_env!` expansion calls the runtime through, from the using crate's
//! `Cargo.toml`.
//!
//! The runtime is `barekey-typegen-runtime`; `barekey_typegen::runtime` re-exports it, so both
//! paths name the same types. The light crate is preferred: a crate whose dependency graph
//! holds the whole of `barekey-typegen` (its code generator included) links much more on every
//! rebuild. A proc macro has no `$crate`, so the choice is read from the manifest, by name and
//! with renames (`rt = { package = "barekey-typegen-runtime" }`). No `cargo` is spawned, which
//! would cost more than the 400 expansions of a large crate.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::source::ManifestCache;

/// The light runtime crate.
const RUNTIME: &str = "barekey-typegen-runtime";
/// The whole tool, whose `runtime` module re-exports [`RUNTIME`].
const CORE: &str = "barekey-typegen";

/// How the expansion reaches the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Runtime {
    /// `::<name>`: the crate depends on `barekey-typegen-runtime`, as `name`.
    Light(String),
    /// `::<name>::runtime`: the crate depends on `barekey-typegen`, as `name`.
    Core(String),
    /// The manifest names neither: the expansion could not resolve.
    Missing {
        /// The crate's `Cargo.toml`.
        manifest: PathBuf,
    },
    /// The manifest could not be read or parsed (rust-analyzer, an unusual build): the
    /// documented `::barekey_typegen::runtime`, and rustc says what is missing.
    Unknown,
}

impl Runtime {
    /// The path the expansion calls the runtime by, or `None` for the default.
    pub fn path(&self) -> Option<TokenStream> {
        let ident = |name: &str| Ident::new(name, Span::call_site());
        match self {
            Runtime::Light(name) => {
                let name = ident(name);
                Some(quote!(::#name))
            }
            Runtime::Core(name) => {
                let name = ident(name);
                Some(quote!(::#name::runtime))
            }
            Runtime::Missing { .. } | Runtime::Unknown => None,
        }
    }
}

/// The runtime of the crate being compiled (the `Cargo.toml` in `$CARGO_MANIFEST_DIR`, as
/// `env` tells), read once per `cache` and again only when the file changes.
pub fn runtime_for_crate(env: &dyn Fn(&str) -> Option<OsString>, cache: &ManifestCache) -> Runtime {
    let Some(dir) = env("CARGO_MANIFEST_DIR") else {
        return Runtime::Unknown;
    };
    let manifest = Path::new(&dir).join("Cargo.toml");
    cache.cargo_toml(&manifest, |text| match text {
        Some(text) => choose(text, &manifest),
        None => Runtime::Unknown,
    })
}

/// The runtime a crate with the manifest `text` (at `path`) can call.
///
/// Normal dependencies first (every target of the package sees them), the light crate before
/// the whole tool; then dev-dependencies, for a crate that uses the macro in tests only.
fn choose(text: &str, path: &Path) -> Runtime {
    let Ok(manifest) = text.parse::<toml::Table>() else {
        return Runtime::Unknown;
    };
    let normal = dependency_tables(&manifest, "dependencies");
    let dev = dependency_tables(&manifest, "dev-dependencies");
    for tables in [&normal, &dev] {
        if let Some(name) = find(tables, RUNTIME) {
            return Runtime::Light(name);
        }
        if let Some(name) = find(tables, CORE) {
            return Runtime::Core(name);
        }
    }
    Runtime::Missing {
        manifest: path.to_owned(),
    }
}

/// The `[<kind>]` table and every `[target.'cfg(..)'.<kind>]` table of `manifest`.
fn dependency_tables<'m>(manifest: &'m toml::Table, kind: &str) -> Vec<&'m toml::Table> {
    let targets = manifest
        .get("target")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flat_map(|targets| targets.values())
        .filter_map(|target| target.get(kind)?.as_table());
    manifest
        .get(kind)
        .and_then(toml::Value::as_table)
        .into_iter()
        .chain(targets)
        .collect()
}

/// The name (as Rust spells it) under which `tables` depend on the package `package`.
fn find(tables: &[&toml::Table], package: &str) -> Option<String> {
    tables
        .iter()
        .flat_map(|table| table.iter())
        .find_map(|(key, spec)| {
            let renamed = spec.get("package").and_then(toml::Value::as_str);
            (renamed.unwrap_or(key) == package).then(|| key.replace('-', "_"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(text: &str) -> Runtime {
        choose(text, Path::new("/app/Cargo.toml"))
    }

    #[test]
    fn the_light_runtime_wins_over_the_whole_tool() {
        let both = "[dependencies]\nbarekey-typegen = { version = \"0.1\", default-features = \
                    false }\nbarekey-typegen-runtime = \"0.1\"\n";
        assert_eq!(
            chosen(both),
            Runtime::Light("barekey_typegen_runtime".into())
        );
        let core = "[dependencies]\nbarekey-typegen = \"0.1\"\n";
        assert_eq!(chosen(core), Runtime::Core("barekey_typegen".into()));
        assert_eq!(
            Runtime::Core("barekey_typegen".into())
                .path()
                .unwrap()
                .to_string(),
            ":: barekey_typegen :: runtime"
        );
    }

    #[test]
    fn renames_target_tables_and_workspace_inheritance_are_followed() {
        let renamed = "[dependencies]\nrt = { package = \"barekey-typegen-runtime\", version = \
                       \"0.1\" }\n";
        assert_eq!(chosen(renamed), Runtime::Light("rt".into()));
        assert_eq!(
            Runtime::Light("rt".into()).path().unwrap().to_string(),
            ":: rt"
        );
        let target = "[target.'cfg(unix)'.dependencies]\nbarekey-typegen-runtime = \"0.1\"\n";
        assert_eq!(
            chosen(target),
            Runtime::Light("barekey_typegen_runtime".into())
        );
        let inherited = "[dependencies]\nbarekey-typegen-runtime.workspace = true\n";
        assert_eq!(
            chosen(inherited),
            Runtime::Light("barekey_typegen_runtime".into())
        );
    }

    #[test]
    fn normal_dependencies_come_before_dev_dependencies() {
        let text = "[dependencies]\nbarekey-typegen = \"0.1\"\n[dev-dependencies]\n\
                    barekey-typegen-runtime = \"0.1\"\n";
        assert_eq!(chosen(text), Runtime::Core("barekey_typegen".into()));
        let dev_only = "[dev-dependencies]\nbarekey-typegen-runtime = \"0.1\"\n";
        assert_eq!(
            chosen(dev_only),
            Runtime::Light("barekey_typegen_runtime".into())
        );
    }

    #[test]
    fn neither_crate_or_an_unreadable_manifest() {
        assert_eq!(
            chosen("[dependencies]\nserde = \"1\"\n"),
            Runtime::Missing {
                manifest: PathBuf::from("/app/Cargo.toml")
            }
        );
        assert_eq!(chosen("[dependencies"), Runtime::Unknown);
        assert!(Runtime::Unknown.path().is_none());
    }
}
