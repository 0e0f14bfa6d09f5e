//! `barekey_env!`: a compile-time checked, typed read of one Barekey variable.
//!
//! The macro arrives with its own issue; this crate exists now so that the workspace layout,
//! the package name and the dependency graph are settled from the start.
