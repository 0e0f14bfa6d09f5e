//! Reads its settings with `barekey_env!`: each name and type is checked against
//! `barekey.manifest.json` (beside Cargo.toml) at compile time, and read from the environment
//! at run time.
#![deny(warnings)]

use std::process::ExitCode;

use barekey_typegen_runtime::{Error, barekey_env};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let port: i64 = barekey_env!("PORT": int64)?;
    let debug = barekey_env!("DEBUG": boolean)?;
    let sample_rate = barekey_env!("SAMPLE_RATE")?;
    let launch_at = barekey_env!("LAUNCH_AT": date)?;
    let theme = barekey_env!("THEME": json)?;
    let database_url = barekey_env!("DATABASE_URL": string)?;
    let checkout_flow = barekey_env!("CHECKOUT_FLOW")?;
    println!("listening on port {} (next: {})", port, port + 1);
    println!("debug: {debug}, sample rate: {}", sample_rate * 100.0);
    println!("launch at: {launch_at} ({} ms)", launch_at.unix_millis());
    println!("dark theme: {}", theme["dark"]);
    println!("database url: {} characters", database_url.len());
    println!("checkout flow: {checkout_flow}");
    Ok(())
}
