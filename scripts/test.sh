#!/usr/bin/env bash
# The test command (README.md): everything a fresh machine with Rust, Node and npm needs.
# Cargo fetches the crates (versions pinned by Cargo.lock); the tests compile the golden
# Rust files in a scratch crate under target/, with rustc, clippy and rustdoc. npm installs the
# TypeScript compiler pinned by ts/package-lock.json, which the tests run over the golden
# TypeScript files (then Node runs the compiled modules).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix ts --no-audit --no-fund --loglevel=error >/dev/null

cargo test --workspace --all-features --locked
