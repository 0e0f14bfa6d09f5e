//! Reads a few Barekey variables, typed, from the process environment.
//!
//! The generated module is included into a private module; the variables this binary does not
//! read (`THEME_CONFIG`) must not cause a warning.
#![deny(warnings)]

use std::process::ExitCode;

mod barekey {
    include!(concat!(env!("OUT_DIR"), "/barekey_env.rs"));
}

fn main() -> ExitCode {
    let env = match barekey::BarekeyEnv::from_env() {
        Ok(env) => env,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let port: i64 = env.port;
    let signups: bool = env.feature_signups;
    println!("manifest {}", barekey::MANIFEST_VERSION);
    println!("port {port}");
    println!("signups {signups}");
    println!("launch {}", env.launch_at);
    println!("database {} bytes", env.database_url.len());
    ExitCode::SUCCESS
}
