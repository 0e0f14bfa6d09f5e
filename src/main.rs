//! The `barekey-typegen` binary: arguments in, library call, exit code out.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
