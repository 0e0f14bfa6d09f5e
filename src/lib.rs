//! barekey-typegen: typed Rust and TypeScript accessors for Barekey variables.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod codegen;
pub mod env;
mod error;
pub mod manifest;
pub mod naming;
pub mod runtime;
pub mod source;
pub mod write;

pub use error::{Error, Result, Warning};
