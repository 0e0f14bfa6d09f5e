//! The generator's integration tests, as one binary (cargo's own `tests/testsuite` layout): the
//! library and the CLI link once instead of once per file. Each module is named after what it
//! tests; `common` holds what they share, and the golden files stay in `tests/golden/`.
//!
//! One test: `cargo test --test testsuite golden::` (a module) or a test's name; rewrite golden
//! files with `BAREKEY_BLESS=1` in front. A new file here is a new `mod` line below.
//!
//! The tests share one process: none may change its environment or working folder (children
//! get theirs through `Command::env` and `current_dir`), and scratch folders have unique names.

mod common;
/// The benches' synthetic manifests (`benches/support/synth.rs`).
#[path = "../../benches/support/synth.rs"]
#[allow(dead_code, reason = "the benches use the rest")]
mod synth;

mod bench_inputs;
mod build_helper;
mod build_helper_stages;
mod cli;
mod compile_generated;
mod completions;
mod differential;
mod fetch;
mod file_safety;
mod fuzz;
mod golden;
mod hygiene;
mod live;
mod manifest;
mod package_graph;
mod properties;
mod sdk_mode;
mod stages;
mod threads;
mod typescript;
mod watch;
