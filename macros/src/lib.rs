//! `barekey_env!`: a compile-time checked, typed read of one Barekey variable.
//!
//! Use it through the runtime, which re-exports it with its feature `macros`:
//!
//! ```text
//! use barekey_typegen_runtime::barekey_env;
//!
//! let port: i64 = barekey_env!("PORT")?; // Result<i64, barekey_typegen_runtime::Error>
//! let url = barekey_env!("DATABASE_URL": string)?; // also asserts the declared type
//! let dsn: Option<String> = barekey_env!(optional "SENTRY_DSN")?; // Ok(None) when unset
//! ```
//!
//! (Shown as text: it needs a manifest. `examples/macro-demo` in the repository is built and run
//! by the tests.)
//!
//! The macro checks the name, and the type if one is given, against the manifest snapshot at
//! compile time, and expands to a read of the environment variable at run time through the
//! runtime crate. The runtime's `barekey_env!` hands this macro its own path (`$crate`), so a
//! renamed dependency works by itself; called directly, this macro names
//! `::barekey_typegen_runtime` unless told otherwise with `crate = path` (see
//! [`barekey_env!`]).
//!
//! The logic lives in `barekey_typegen_core::macro_core`; this crate parses the input with spans
//! and points each error at the token it is about.

mod expand;
mod input;

/// `barekey_env!("NAME")` or `barekey_env!("NAME": TYPE)`: the value of the environment
/// variable `NAME`, parsed by its declared type, as a
/// `Result<T, barekey_typegen_runtime::Error>`; `barekey_env!(optional "NAME")` (or
/// `optional "NAME": TYPE`) reads it as a `Result<Option<T>, _>`: `Ok(None)` when it is not
/// set, an error when it is set but invalid.
///
/// `T` follows the manifest's declared type: `string` `String`, `boolean` `bool`, `int64`
/// `i64`, `float` `f64`, `date` `Timestamp`, `json` `JsonValue` (both of the runtime). `TYPE`,
/// one of those six words, asserts the declared type, so a retyped variable fails the build.
///
/// An A/B switch or rollout (ab_roll, rollout) of type string, int64 or float also returns its
/// declared type, never the generated module's enum (a macro cannot name it); but text that
/// parses and is neither arm's value is refused at run time, like the enum's loader does:
/// an error naming the variable and, unless it is private, the two arms. The two arms' values
/// are in the expansion for that check.
///
/// The expansion names the runtime `::barekey_typegen_runtime`. When Cargo.toml renames that
/// dependency (`bkrt = { package = "barekey-typegen-runtime", .. }`), either import the macro
/// from the runtime (`use bkrt::barekey_env;`, which passes its own path along), or say where
/// the runtime is, as serde's `#[serde(crate = "...")]` does:
///
/// ```text
/// let port: i64 = barekey_typegen_macros::barekey_env!(crate = ::bkrt, "PORT")?;
/// ```
///
/// The manifest is the one the build helper used for this crate (when a build script ran
/// `barekey_typegen::build::Builder`), else `$BAREKEY_MANIFEST`, else `barekey.manifest.json`
/// beside the nearest `barekey.json` or `Cargo.toml` above the crate. It is read once per
/// compiler process; editing it, or changing `BAREKEY_MANIFEST`, makes Cargo recompile the
/// crate. No value is embedded (beyond the arms of a switch, above) and the network is never
/// used.
///
/// With several stages (the build helper's stages, several paths in `BAREKEY_MANIFEST` joined
/// like `PATH`, or the `barekey.manifest.<stage>.json` files `pull --stage a --stage b` writes),
/// the name must be in every stage: a name some stages lack is a compile error saying which
/// stages have it and which lack it; read such a variable with `optional "NAME"`, which
/// accepts a name of any stage. A type word is checked against every stage, a type that
/// differs between stages is an error on the name, and unknown names are suggested from every
/// stage. The stages are merged once per compiler process.
#[proc_macro]
pub fn barekey_env(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    match syn::parse::<input::Input>(input) {
        Ok(input) => expand::expand(&input).into(),
        Err(error) => expand::error_expression(error).into(),
    }
}
