//! Internal: the logic behind `barekey_env!` (crate `barekey-typegen-macros`), kept here so
//! the macro stays a thin front-end: it parses its input with spans, calls [`expand`], and
//! shows a [`Failure`] on the token its [`Culprit`] names. Not part of the documented API: it
//! changes with the macro crate, which pins this crate's version.
//!
//! ```
//! use std::ffi::OsString;
//! use barekey_typegen_core::macro_core::{Culprit, Request, expand};
//! use barekey_typegen_core::macro_core::ManifestCache;
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("barekey.manifest.json"),
//!     r#"{"variables": [{"name": "PORT", "declaredType": "int64", "visibility": "public"}]}"#,
//! )?;
//! let manifest_dir = dir.path().as_os_str().to_owned();
//! let env = move |name: &str| (name == "CARGO_MANIFEST_DIR").then(|| manifest_dir.clone());
//! let cache = ManifestCache::new();
//!
//! let tokens = expand(&Request::new("PORT", Some("int64")), &env, &cache).unwrap();
//! assert!(tokens.to_string().contains("read_env :: < i64 >"));
//!
//! let failure = expand(&Request::new("PORT", Some("string")), &env, &cache).unwrap_err();
//! assert_eq!(failure.culprit, Culprit::TypeWord);
//! assert!(failure.error.to_string().starts_with("`PORT` is declared `int64` in "));
//! # Ok::<(), std::io::Error>(())
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::arms::Arms;
use crate::manifest::{DeclaredType, Manifest, Variable};
use crate::tokens::{rust_type_in, visibility_variant};
use crate::{Error, env};

mod cache;

pub use crate::suggest::closest_names;
pub use cache::{ManifestCache, Stages};

/// One `barekey_env!` call: `barekey_env!("NAME")` or `barekey_env!("NAME": type_word)`, each
/// also as `barekey_env!(optional "NAME")`.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The variable's name, as Barekey and the environment spell it.
    pub name: &'a str,
    /// The type the caller asserts, as written (`int64`), if any.
    pub type_word: Option<&'a str>,
    /// Whether the call reads an `Option` (`optional "NAME"`): `None` when the variable is not
    /// set, and any variable of the manifest, one only some stages have included.
    pub optional: bool,
    /// The path the expansion calls the runtime by; `None` for `::barekey_typegen_runtime`.
    pub runtime: Option<&'a TokenStream>,
}

impl<'a> Request<'a> {
    /// A call for `name`, optionally asserting `type_word`, expanding to a call into
    /// `::barekey_typegen_runtime`.
    pub fn new(name: &'a str, type_word: Option<&'a str>) -> Self {
        Request {
            name,
            type_word,
            optional: false,
            runtime: None,
        }
    }

    /// The same call, read as an `Option` (`barekey_env!(optional "NAME")`).
    pub fn optional(self) -> Self {
        Request {
            optional: true,
            ..self
        }
    }

    /// The same call, expanding to a call into the runtime at `path`: `$crate` when the
    /// runtime's `barekey_env!` forwards the call, or what `crate = path` says.
    pub fn with_runtime(self, path: &'a TokenStream) -> Self {
        Request {
            runtime: Some(path),
            ..self
        }
    }
}

/// Why a call cannot expand, and which part of it to blame.
#[derive(Debug)]
#[non_exhaustive]
pub struct Failure {
    /// What is wrong; its `Display` is the compile error's message.
    pub error: Error,
    /// The token the error points at.
    pub culprit: Culprit,
}

/// The part of a `barekey_env!` call a [`Failure`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Culprit {
    /// The name literal: an unknown name, or no usable manifest at all.
    Name,
    /// The type word: unknown, or not the declared type.
    TypeWord,
}

/// Checks `request` against the manifest the crate being compiled sees and returns the
/// expression it expands to: `Result<T, ::barekey_typegen_runtime::Error>` with `T` from the
/// declared type (`Result<Option<T>, _>` for an optional request), read from the environment at
/// run time.
///
/// The manifest is found by [`ManifestCache::find_snapshots`] from `CARGO_MANIFEST_DIR`, with
/// `env` (so the build helper's choice comes first), and loaded through `cache`. When the lookup
/// gives several stages' snapshots, the name must be in every one of them
/// ([`Error::VariableNotInEveryStage`] otherwise, naming the stages that have it and those that
/// lack it), or for an optional request in one of them, with one declared type
/// ([`Error::StageTypeConflict`]); unknown names are suggested
/// from every stage, and the stages are merged once per `cache` ([`ManifestCache::load_stages`]).
/// The first expression for a manifest in `cache`'s life (one compiler process, one crate)
/// makes Cargo recompile the crate when the manifest file or `BAREKEY_MANIFEST` changes; the
/// others need not repeat it. No expression holds a value of any variable.
pub fn expand(
    request: &Request<'_>,
    env: &dyn Fn(&str) -> Option<OsString>,
    cache: &ManifestCache,
) -> Result<TokenStream, Failure> {
    let blame = |culprit| move |error| Failure { error, culprit };
    let asserted = request
        .type_word
        .map(parse_type_word)
        .transpose()
        .map_err(blame(Culprit::TypeWord))?;
    let paths = cache.find_snapshots(env).map_err(blame(Culprit::Name))?;
    let (variable, origin) = match paths.as_slice() {
        [path] => {
            let manifest = cache.load(path).map_err(blame(Culprit::Name))?;
            let origin = path.display().to_string();
            let variable = find_variable(&manifest, request.name, &origin)
                .map_err(blame(Culprit::Name))?
                .clone();
            (variable, origin)
        }
        several => {
            let stages = cache.load_stages(several).map_err(blame(Culprit::Name))?;
            let variable = find_in_stages(&stages, request.name, request.optional)
                .map_err(blame(Culprit::Name))?
                .clone();
            (variable, stages_origin(&stages))
        }
    };
    if let Some(asserted) = asserted {
        check_type(&variable, asserted, &origin).map_err(blame(Culprit::TypeWord))?;
    }
    let default_runtime = quote!(::barekey_typegen_runtime);
    let runtime = request.runtime.unwrap_or(&default_runtime);
    let tracked: Vec<&Path> = paths
        .iter()
        .filter(|path| cache.first_mention(path))
        .map(PathBuf::as_path)
        .collect();
    Ok(read_expression(
        &tracked,
        &variable,
        request.optional,
        runtime,
    ))
}

/// The variable called exactly `name` in several stages' merge, if every stage has it with one
/// declared type; else why not, with the closest names of every stage as suggestions.
pub fn find_in_every_stage<'s>(stages: &'s Stages, name: &str) -> Result<&'s Variable, Error> {
    find_in_stages(stages, name, false)
}

/// [`find_in_every_stage`], or with `optional` the variable some stage has.
fn find_in_stages<'s>(
    stages: &'s Stages,
    name: &str,
    optional: bool,
) -> Result<&'s Variable, Error> {
    if let Some(conflict) = stages
        .conflicts
        .iter()
        .find(|conflict| conflict.name == name)
    {
        return Err(Error::StageTypeConflict {
            conflicts: vec![conflict.clone()],
        });
    }
    let Some(variable) = stages
        .merged
        .variables
        .iter()
        .find(|variable| variable.name == name)
    else {
        let names = stages
            .merged
            .variables
            .iter()
            .map(|variable| variable.name.as_str())
            .chain(
                stages
                    .conflicts
                    .iter()
                    .map(|conflict| conflict.name.as_str()),
            );
        return Err(Error::UnknownVariable {
            name: name.to_owned(),
            origin: stages_origin(stages),
            stages: stages
                .stages
                .iter()
                .map(|(stage, _)| stage.clone())
                .collect(),
            suggestions: closest_names(name, names)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        });
    };
    if optional || variable.only_in.is_empty() {
        return Ok(variable);
    }
    let (has, lacks) = stages
        .stages
        .iter()
        .map(|(stage, path)| (stage.clone(), path.display().to_string()))
        .partition(|(stage, _)| variable.only_in.contains(stage));
    Err(Error::VariableNotInEveryStage {
        name: name.to_owned(),
        has,
        lacks,
    })
}

/// Where several stages' manifest came from, for messages: `the snapshots of stages
/// production (path), staging (path)`.
fn stages_origin(stages: &Stages) -> String {
    let listed: Vec<String> = stages
        .stages
        .iter()
        .map(|(stage, path)| format!("{stage} ({})", path.display()))
        .collect();
    format!("the snapshots of stages {}", listed.join(", "))
}

/// The declared type a type word names: `string`, `boolean`, `int64`, `float`, `date` or
/// `json`.
pub fn parse_type_word(word: &str) -> Result<DeclaredType, Error> {
    DeclaredType::from_wire(word).ok_or_else(|| Error::UnknownTypeWord {
        word: word.to_owned(),
    })
}

/// The variable called exactly `name`, or an error suggesting the closest declared names.
pub fn find_variable<'m>(
    manifest: &'m Manifest,
    name: &str,
    origin: &str,
) -> Result<&'m Variable, Error> {
    let names = manifest
        .variables
        .iter()
        .map(|variable| variable.name.as_str());
    manifest
        .variables
        .iter()
        .find(|variable| variable.name == name)
        .ok_or_else(|| Error::UnknownVariable {
            name: name.to_owned(),
            origin: origin.to_owned(),
            stages: Vec::new(),
            suggestions: closest_names(name, names)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
}

/// `Ok` when `variable` is declared `asserted`.
pub fn check_type(variable: &Variable, asserted: DeclaredType, origin: &str) -> Result<(), Error> {
    if variable.declared_type == asserted {
        return Ok(());
    }
    Err(Error::DeclaredTypeMismatch {
        name: variable.name.clone(),
        declared: variable.declared_type,
        asserted,
        origin: origin.to_owned(),
    })
}

/// The read of `variable` (as an `Option` when `optional`) through the runtime at `runtime`,
/// with the rebuild tracking for the manifests at `tracked` (none when an earlier expansion
/// tracked them).
fn read_expression(
    tracked: &[&Path],
    variable: &Variable,
    optional: bool,
    runtime: &TokenStream,
) -> TokenStream {
    let ty = rust_type_in(variable.declared_type, runtime);
    // One read for every type: an `Option` is `None` when the variable is not set.
    let ty = match optional {
        true => quote!(::core::option::Option<#ty>),
        false => ty,
    };
    let visibility = visibility_variant(variable.visibility);
    let name = &variable.name;
    // An A/B switch keeps its declared type (the macro cannot name a generated enum), but
    // text that is neither arm is refused at run time, as the generated enum's loader does.
    let read = match Arms::of(variable) {
        Some(arms) => {
            let [a, b] = arms.value_tokens();
            let (a, b) = match arms {
                Arms::String(_) => (
                    quote!(::std::string::String::from(#a)),
                    quote!(::std::string::String::from(#b)),
                ),
                _ => (a, b),
            };
            quote! {
                #runtime::__private::read_env_switch::<#ty>(
                    #name, #runtime::Visibility::#visibility, [#a, #b]
                )
            }
        }
        None => quote! {
            #runtime::__private::read_env::<#ty>(#name, #runtime::Visibility::#visibility)
        },
    };
    if tracked.is_empty() {
        return read;
    }
    // Why `include_bytes!`: rustc lists the file in the crate's dep-info, so Cargo recompiles
    // the crate when the manifest changes. The constant is never used, so no byte of the
    // manifest reaches the binary.
    let paths = tracked.iter().map(|path| path.to_string_lossy());
    // Why `option_env!`: the same for BAREKEY_MANIFEST and the build helper's choice, which
    // change where the manifest comes from. Nothing ever names BAREKEY_ACCESS_TOKEN: Cargo
    // stores tracked values under target/.
    let manifest_env = env::MANIFEST;
    let build_manifest = env::BUILD_MANIFEST;
    quote! {
        {
            #(const _: &[u8] = ::core::include_bytes!(#paths);)*
            const _: ::core::option::Option<&str> = ::core::option_env!(#manifest_env);
            const _: ::core::option::Option<&str> = ::core::option_env!(#build_manifest);
            #read
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const MANIFEST: &str = r#"{"variables": [
        {"name": "PORT", "declaredType": "int64", "visibility": "public"},
        {"name": "PORT_ALT", "declaredType": "int64"},
        {"name": "HOST", "declaredType": "string"},
        {"name": "POST", "declaredType": "boolean"},
        {"name": "SORT", "declaredType": "float"},
        {"name": "PART", "declaredType": "json"},
        {"name": "DATABASE_URL"},
        {"name": "CHECKOUT_FLOW", "kind": "ab_roll", "declaredType": "string",
         "valueATypeScriptType": "\"control\"", "valueBTypeScriptType": "\"treatment\""},
        {"name": "PRICING_TIER", "kind": "rollout", "declaredType": "int64",
         "valueATypeScriptType": "1n", "valueBTypeScriptType": "1n"}
    ]}"#;

    /// A crate folder with a snapshot beside its Cargo.toml, and an environment for it.
    struct Crate {
        dir: tempfile::TempDir,
    }

    impl Crate {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("Cargo.toml"), "[package]\n").unwrap();
            std::fs::write(
                dir.path().join(crate::source::layout::SNAPSHOT_FILE),
                MANIFEST,
            )
            .unwrap();
            Crate { dir }
        }

        fn path(&self, relative: &str) -> PathBuf {
            self.dir.path().join(relative)
        }

        fn env(&self, extra: &[(&str, PathBuf)]) -> impl Fn(&str) -> Option<OsString> + use<> {
            let mut vars = vec![("CARGO_MANIFEST_DIR".to_owned(), self.dir.path().to_owned())];
            vars.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
            move |name| {
                vars.iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone().into_os_string())
            }
        }
    }

    fn expand_with(krate: &Crate, name: &str, word: Option<&str>) -> Result<TokenStream, Failure> {
        expand(
            &Request::new(name, word),
            &krate.env(&[]),
            &ManifestCache::new(),
        )
    }

    #[test]
    fn a_switch_keeps_its_declared_type_and_is_checked_against_its_arms() {
        let krate = Crate::new();
        let tokens = expand_with(&krate, "CHECKOUT_FLOW", None)
            .unwrap()
            .to_string();
        let expected = ":: barekey_typegen_runtime :: __private :: read_env_switch :: < :: std :: \
                        string :: String > (\"CHECKOUT_FLOW\" , :: barekey_typegen_runtime :: \
                        Visibility :: \
                        Private , [:: std :: string :: String :: from (\"control\") , :: std :: \
                        string :: String :: from (\"treatment\")])";
        assert!(tokens.contains(expected), "{tokens}");
        // Equal arms tell nothing apart: a plain read.
        let tokens = expand_with(&krate, "PRICING_TIER", None)
            .unwrap()
            .to_string();
        assert!(tokens.contains("read_env :: < i64 >"), "{tokens}");
    }

    #[test]
    fn the_manifest_is_the_build_helpers_choice_then_the_lookup_from_the_crate() {
        let krate = Crate::new();
        let walk = krate.path(crate::source::layout::SNAPSHOT_FILE);
        let chosen = krate.path("chosen.json");
        std::fs::write(&chosen, MANIFEST.replace("PORT_ALT", "CHOSEN_ONLY")).unwrap();
        let cache = ManifestCache::new();
        let expand_in = |env: &dyn Fn(&str) -> Option<OsString>| {
            expand(&Request::new("CHOSEN_ONLY", None), env, &cache)
        };
        let failure = expand_in(&krate.env(&[])).unwrap_err();
        assert!(
            failure
                .error
                .to_string()
                .contains(&walk.display().to_string()),
            "without the build helper, the walk from CARGO_MANIFEST_DIR: {:?}",
            failure.error
        );
        let tokens = expand_in(&krate.env(&[(env::BUILD_MANIFEST, chosen.clone())]))
            .unwrap()
            .to_string();
        assert!(tokens.contains("chosen.json"), "{tokens}");
    }

    #[test]
    fn expands_to_a_typed_read_that_tracks_the_manifest() {
        let krate = Crate::new();
        let tokens = expand_with(&krate, "PORT", None).unwrap().to_string();
        let path = krate.path(crate::source::layout::SNAPSHOT_FILE);
        for expected in [
            format!("include_bytes ! ({:?})", path.to_string_lossy()),
            "option_env ! (\"BAREKEY_MANIFEST\")".to_owned(),
            "option_env ! (\"BAREKEY_TYPEGEN_BUILD_MANIFEST\")".to_owned(),
            ":: barekey_typegen_runtime :: __private :: read_env :: < i64 > (\"PORT\" , \
             :: barekey_typegen_runtime :: Visibility :: Public)"
                .to_owned(),
        ] {
            assert!(tokens.contains(&expected), "{expected} not in {tokens}");
        }
        assert!(!tokens.contains("ACCESS_TOKEN"), "{tokens}");
        let tokens = expand_with(&krate, "HOST", Some("string"))
            .unwrap()
            .to_string();
        assert!(tokens.contains(":: std :: string :: String >"), "{tokens}");
        assert!(tokens.contains("Visibility :: Private"), "{tokens}");
    }

    #[test]
    fn the_runtime_path_is_the_callers_choice() {
        let krate = Crate::new();
        let cache = ManifestCache::new();
        let env = krate.env(&[]);
        let renamed = quote!(::bkrt);
        let request = Request::new("PART", None).with_runtime(&renamed);
        let tokens = expand(&request, &env, &cache).unwrap().to_string();
        assert!(
            tokens.contains(
                ":: bkrt :: __private :: read_env :: < :: bkrt :: JsonValue > (\"PART\" , \
                 :: bkrt :: Visibility :: Private)"
            ),
            "{tokens}"
        );
        assert!(!tokens.contains("barekey_typegen"), "{tokens}");
    }

    #[test]
    fn only_the_first_expansion_per_manifest_carries_the_tracking() {
        let krate = Crate::new();
        let cache = ManifestCache::new();
        let env = krate.env(&[]);
        let expand = |name| {
            expand(&Request::new(name, None), &env, &cache)
                .unwrap()
                .to_string()
        };
        let first = expand("PORT");
        assert!(
            first.contains("include_bytes !") && first.contains("option_env !"),
            "{first}"
        );
        for name in ["PORT", "HOST"] {
            let again = expand(name);
            assert!(
                !again.contains("include_bytes") && !again.contains("option_env"),
                "{again}"
            );
            assert!(
                again.starts_with(":: barekey_typegen_runtime :: __private :: read_env ::"),
                "{again}"
            );
        }
    }

    #[test]
    fn each_failure_blames_its_token() {
        let krate = Crate::new();
        let failure = |name, word| expand_with(&krate, name, word).unwrap_err();
        let origin = krate
            .path(crate::source::layout::SNAPSHOT_FILE)
            .display()
            .to_string();

        let unknown = failure("PROT", None);
        assert_eq!(unknown.culprit, Culprit::Name);
        assert_eq!(
            unknown.error.to_string(),
            format!(
                "no variable `PROT` in {origin} (did you mean `PORT`, `PART` or `POST`?); if it \
                 is new, declare it in Barekey, then run `barekey-typegen pull` to refresh the \
                 snapshot"
            )
        );

        let mismatch = failure("PORT", Some("string"));
        assert_eq!(mismatch.culprit, Culprit::TypeWord);
        assert_eq!(
            mismatch.error.to_string(),
            format!("`PORT` is declared `int64` in {origin}, not `string`")
        );

        // The type word is checked first: it needs no manifest.
        let word = failure("NOPE", Some("integer"));
        assert_eq!(word.culprit, Culprit::TypeWord);
        assert_eq!(
            word.error.to_string(),
            "unknown type `integer`; expected one of `string`, `boolean`, `int64`, `float`, \
             `date`, `json`"
        );

        std::fs::write(krate.path(crate::source::layout::SNAPSHOT_FILE), "[]").unwrap();
        let invalid = failure("PORT", None);
        assert_eq!(invalid.culprit, Culprit::Name);
        assert!(matches!(invalid.error, Error::InvalidManifest { .. }));
    }

    /// A crate with the two stage fixtures beside its Cargo.toml (found by the lookup).
    fn staged_crate(fixtures: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[package]\n").unwrap();
        for stage in ["production", "staging"] {
            let file = format!("barekey.manifest.{stage}.json");
            // The workspace's fixtures, beside this crate's folder.
            let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../fixtures")
                .join(fixtures)
                .join(&file);
            std::fs::copy(fixture, dir.path().join(&file)).unwrap();
        }
        dir
    }

    fn crate_env(dir: &Path) -> impl Fn(&str) -> Option<OsString> + use<> {
        let dir = dir.as_os_str().to_owned();
        move |name| (name == "CARGO_MANIFEST_DIR").then(|| dir.clone())
    }

    #[test]
    fn with_several_stages_a_name_must_be_in_every_one() {
        let dir = staged_crate("stages");
        let env = crate_env(dir.path());
        let cache = ManifestCache::new();
        let expand = |name, word| expand(&Request::new(name, word), &env, &cache);
        let production = dir.path().join("barekey.manifest.production.json");
        let staging = dir.path().join("barekey.manifest.staging.json");

        // In both: read as today, both snapshots tracked once.
        let tokens = expand("PORT", Some("int64")).unwrap().to_string();
        for path in [&production, &staging] {
            let include = format!("include_bytes ! ({:?})", path.to_string_lossy());
            assert!(tokens.contains(&include), "{include} not in {tokens}");
        }
        assert!(tokens.contains("read_env :: < i64 > (\"PORT\""), "{tokens}");
        let again = expand("DATABASE_URL", None).unwrap().to_string();
        assert!(!again.contains("include_bytes"), "{again}");

        // Only in staging: which stages have it, which lack it, and the two fixes.
        let failure = expand("DEBUG_SQL", None).unwrap_err();
        assert_eq!(failure.culprit, Culprit::Name);
        assert_eq!(
            failure.error.to_string(),
            format!(
                "`DEBUG_SQL` is not in every stage this build is checked against: staging ({}) \
                 has it, production ({}) does not; add it to production in Barekey, then run \
                 `barekey-typegen pull --stage production --stage staging`, or read it as an \
                 `Option` that is `None` where it is not set: \
                 `barekey_env!(optional \"DEBUG_SQL\")`",
                staging.display(),
                production.display()
            )
        );
        // Only in production, with a type word: still the name's error.
        let failure = expand("SENTRY_DSN", Some("string")).unwrap_err();
        assert_eq!(failure.culprit, Culprit::Name);
        assert!(matches!(
            failure.error,
            Error::VariableNotInEveryStage { .. }
        ));

        // Read as an `Option`, a variable of one stage is fine, and so is one of every stage.
        let optional = |name, word| {
            let request = Request::new(name, word).optional();
            super::expand(&request, &env, &cache)
        };
        for (name, word, read) in [
            (
                "DEBUG_SQL",
                None,
                "read_env :: < :: core :: option :: Option < bool > > (\"DEBUG_SQL\"",
            ),
            (
                "SENTRY_DSN",
                Some("string"),
                "read_env :: < :: core :: option :: Option < :: std :: string :: String > >",
            ),
            (
                "PORT",
                None,
                "read_env :: < :: core :: option :: Option < i64 > > (\"PORT\"",
            ),
            (
                "NEW_SEARCH_UI",
                None,
                "read_env_switch :: < :: core :: option :: Option < :: std :: string :: \
                 String > >",
            ),
        ] {
            let tokens = optional(name, word).unwrap().to_string();
            assert!(tokens.contains(read), "{read} not in {tokens}");
        }
        // Its mistakes are those of any call: an unknown name, a type that is not declared.
        assert!(matches!(
            optional("DEBUG_SQ", None).unwrap_err().error,
            Error::UnknownVariable { .. }
        ));
        let mismatch = optional("SENTRY_DSN", Some("int64")).unwrap_err();
        assert_eq!(mismatch.culprit, Culprit::TypeWord);

        // In no stage: suggestions from every stage.
        let failure = expand("DEBUG_SQ", None).unwrap_err();
        assert_eq!(failure.culprit, Culprit::Name);
        let message = failure.error.to_string();
        assert!(
            message.starts_with(&format!(
                "no variable `DEBUG_SQ` in the snapshots of stages production ({}), staging ({}) \
                 (did you mean `DEBUG_SQL`?)",
                production.display(),
                staging.display()
            )),
            "{message}"
        );
        assert!(
            expand("CDN_UR", None)
                .unwrap_err()
                .error
                .to_string()
                .contains("`CDN_URL`")
        );

        // The type word is checked against every stage's declared type.
        let failure = expand("PORT", Some("string")).unwrap_err();
        assert_eq!(failure.culprit, Culprit::TypeWord);
        assert!(
            failure
                .error
                .to_string()
                .starts_with("`PORT` is declared `int64` in the snapshots of stages production ("),
            "{}",
            failure.error
        );
        assert_eq!(cache.merges(), 1, "merged once for every call");
    }

    #[test]
    fn a_type_conflict_fails_only_the_calls_naming_that_variable() {
        let dir = staged_crate("stages-conflict");
        let env = crate_env(dir.path());
        let cache = ManifestCache::new();
        let expand = |name| expand(&Request::new(name, None), &env, &cache);
        let failure = expand("PORT").unwrap_err();
        assert_eq!(failure.culprit, Culprit::Name);
        let message = failure.error.to_string();
        assert!(
            message.starts_with("the stages disagree on the declared type of one variable:")
                && message.contains("\"PORT\"")
                && !message.contains("TIMEOUT"),
            "{message}"
        );
        assert!(expand("RETRIES").is_ok());
        assert!(expand("TIMEOUT").is_err());
    }

    #[test]
    fn no_suggestion_means_no_did_you_mean() {
        let krate = Crate::new();
        let message = expand_with(&krate, "ZZZZZZZZ", None)
            .unwrap_err()
            .error
            .to_string();
        assert!(message.contains("`ZZZZZZZZ` in "), "{message}");
        assert!(!message.contains("did you mean"), "{message}");
    }
}
