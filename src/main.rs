//! The `barekey-typegen` binary: installs the signal policy, then arguments in, library call,
//! exit code out.

mod cli;
mod signals;

/// Code generation allocates many small token trees and frees them soon after; mimalloc does
/// that about a third faster than the system allocator on large manifests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let signals = signals::install();
    cli::run(signals)
}
