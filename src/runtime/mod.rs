//! What generated code calls at run time: the whole of the `barekey-typegen-runtime` crate,
//! re-exported (parsing by declared type, [`LoadError`], [`Timestamp`], [`read_env`] which
//! `barekey_env!` expands to, and the A/B and rollout decisions). With the `client` feature,
//! `Client` reads the same values from the Barekey API instead (async), and its failures are
//! the same [`Error`], with the service's [`ErrorCode`].
//!
//! An application that only runs generated code or `barekey_env!` calls can depend on
//! `barekey-typegen-runtime` alone: the types are the same, and its builds link much less.
//!
//! ```
//! use std::collections::HashMap;
//! use barekey_typegen::runtime::{Loader, Visibility};
//!
//! let vars = HashMap::from([("PORT", "8080")]);
//! let lookup = |name: &str| vars.get(name).map(|value| value.to_string());
//! let mut loader = Loader::from_lookup(&lookup);
//! let port: i64 = loader.read("PORT", Visibility::Public);
//! assert_eq!(loader.finish(port), Ok(8080));
//! ```

#[cfg(feature = "client")]
mod client;

#[doc(inline)]
pub use barekey_typegen_runtime::*;
#[cfg(feature = "client")]
pub use client::{Batch, Client, ClientBuilder, Decision, Evaluate, Evaluated, Pulled};
