#!/usr/bin/env bash
# The test command (README.md): everything a fresh machine with Rust, Node and npm needs.
# Cargo fetches the crates (versions pinned by Cargo.lock); the tests compile the golden
# Rust files in a scratch crate under target/, with rustc, clippy and rustdoc.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --all-features --locked
