//! `barekey_env!` (feature `macros`): a `macro_rules!` front that hands the proc macro this
//! crate's own path, `$crate`, so the expansion resolves however the application named this
//! dependency in its Cargo.toml (renamed, or through `[workspace.dependencies]`). The proc
//! macro itself is `__private::barekey_env`.

/// `barekey_env!("NAME")` or `barekey_env!("NAME": TYPE)`: the environment variable `NAME`,
/// checked against the Barekey manifest at compile time and parsed by its declared type at run
/// time, as a `Result<T, `[`Error`](crate::Error)`>`; `barekey_env!(optional "NAME")` as a
/// `Result<Option<T>, Error>`, `Ok(None)` when it is not set.
///
/// ```text
/// use barekey_typegen_runtime::barekey_env;
///
/// let port: i64 = barekey_env!("PORT")?;
/// let url = barekey_env!("DATABASE_URL": string)?; // also asserts the declared type
/// let dsn: Option<String> = barekey_env!(optional "SENTRY_DSN")?; // Ok(None) when unset
/// ```
///
/// `optional` reads any variable of the manifest; it is how a variable only some of the stages
/// a build is checked against have is read (a plain read of one is a compile error saying
/// so).
///
/// (Shown as text: it needs a manifest. `examples/macro-demo` in the repository is built and
/// run by the tests.)
///
/// `T` follows the declared type: `string` `String`, `boolean` `bool`, `int64` `i64`, `float`
/// `f64`, `date` [`Timestamp`](crate::Timestamp), `json` [`JsonValue`](crate::JsonValue).
/// An A/B switch or rollout (ab_roll, rollout) of type string, int64 or float also returns its
/// declared type, never the generated module's enum (a macro cannot name it); but text that
/// parses and is neither arm's value is refused at run time, like the enum's loader does:
/// an error naming the variable and, unless it is private, the two arms. The two arms' values
/// are in the expansion for that check.
///
/// An unknown name (with the closest names), a type that is not the declared one, a missing or
/// invalid manifest are compile errors on the offending token. The manifest is the one the
/// build helper used for this crate, else `$BAREKEY_MANIFEST`, else `barekey.manifest.json`
/// beside the nearest `barekey.json` or `Cargo.toml` above the crate; a change to it
/// recompiles the crate. No value is embedded (beyond the arms of a switch, above), and the
/// network is never used.
///
/// Imported from this crate, the macro works under any name Cargo.toml gives the dependency.
/// The proc macro itself (`barekey_typegen_macros::barekey_env!`) names
/// `::barekey_typegen_runtime` unless told `crate = path,` first.
#[macro_export]
macro_rules! barekey_env {
    ($($input:tt)*) => {
        $crate::__private::barekey_env!(crate = $crate, $($input)*)
    };
}
