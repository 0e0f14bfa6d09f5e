//! The `barekey-typegen` binary: arguments in, library call, exit code out.

mod cli;

/// Code generation allocates many small token trees and frees them soon after; mimalloc does
/// that about a third faster than the system allocator on large manifests.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
