#!/usr/bin/env bash
# RUSTC_WRAPPER for scripts/bench.sh: runs rustc and, when it compiles the package Cargo was
# asked to build (not one of its dependencies), appends rustc's wall time in milliseconds to
# the file $BAREKEY_BENCH_RUSTC_LOG. This separates the compiler's work on the crate from
# Cargo's own (checking every dependency's fingerprint).
start=$(date +%s%N)
"$@"
status=$?
if [ -n "${CARGO_PRIMARY_PACKAGE:-}" ] && [ -n "${BAREKEY_BENCH_RUSTC_LOG:-}" ]; then
  echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$BAREKEY_BENCH_RUSTC_LOG"
fi
exit "$status"
