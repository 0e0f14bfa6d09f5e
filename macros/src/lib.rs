//! `barekey_env!`: a compile-time checked, typed read of one Barekey variable.
//!
//! ```text
//! use barekey_typegen_macros::barekey_env;
//!
//! let port: i64 = barekey_env!("PORT")?; // Result<i64, barekey_typegen::runtime::Error>
//! let url = barekey_env!("DATABASE_URL": string)?; // also asserts the declared type
//! ```
//!
//! (Shown as text: it needs a manifest. `examples/macro-demo` in the repository is built and run
//! by the tests.)
//!
//! The macro checks the name, and the type if one is given, against the manifest snapshot at
//! compile time, and expands to a read of the environment variable at run time. The crate
//! using it also depends on `barekey-typegen-runtime`, which the expansion calls (a crate that
//! depends on `barekey-typegen` instead gets the same runtime through
//! `barekey_typegen::runtime`; the macro reads the crate's `Cargo.toml` to know which, and
//! says what to add when it finds neither).
//!
//! The logic lives in `barekey_typegen::macro_core`; this crate parses the input with spans
//! and points each error at the token it is about.

mod expand;
mod input;

/// `barekey_env!("NAME")` or `barekey_env!("NAME": TYPE)`: the value of the environment
/// variable `NAME`, parsed by its declared type, as a
/// `Result<T, ::barekey_typegen::runtime::Error>` (the same type as
/// `barekey_typegen_runtime::Error`).
///
/// `T` follows the manifest's declared type: `string` `String`, `boolean` `bool`, `int64`
/// `i64`, `float` `f64`, `date` `runtime::Timestamp`, `json` `runtime::JsonValue`. `TYPE`, one
/// of those six words, asserts the declared type, so a retyped variable fails the build.
///
/// The manifest is `$BAREKEY_MANIFEST`, else `$OUT_DIR/barekey.manifest.json` (written by the
/// build helper), else `barekey.manifest.json` beside the nearest `barekey.json` or
/// `Cargo.toml` above the crate. It is read once per compiler process; editing it, or changing
/// `BAREKEY_MANIFEST`, makes Cargo recompile the crate. No value is embedded and the network
/// is never used.
#[proc_macro]
pub fn barekey_env(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as input::Input);
    expand::expand(&input).into()
}
