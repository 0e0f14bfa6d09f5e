//! Prints a synthetic manifest of N variables (default 10,000) for the benchmark script:
//! `cargo run --release --example synth_manifest -- 100000 > big.manifest.json`.

#[path = "../benches/support/synth.rs"]
#[allow(dead_code, reason = "the benches use the rest")]
mod synth;

use std::io::Write as _;

fn main() -> std::process::ExitCode {
    let count = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 10_000,
        Some(Ok(count)) => count,
        Some(Err(error)) => {
            let _ = writeln!(std::io::stderr(), "usage: synth_manifest [COUNT]: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let text = serde_json::to_string_pretty(&synth::manifest(count)).expect("JSON values print");
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    std::process::ExitCode::SUCCESS
}
