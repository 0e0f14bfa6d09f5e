//! Compiled as `src/main.rs` of a workspace member that gets the runtime as `bkrt` through
//! `[workspace.dependencies]`, with a build script running the build helper on a manifest the
//! lookup would not find (`config/demo.manifest.json`).
#![deny(warnings)]

use bkrt::barekey_env;

#[allow(unreachable_pub, reason = "the generated module is pub for crates that re-export it")]
mod barekey {
    include!(concat!(env!("OUT_DIR"), "/barekey_env.rs"));
}

fn main() {
    let port: i64 = barekey_env!("PORT").unwrap_or(0);
    let launch = match barekey_env!("LAUNCH_AT": date) {
        Ok(launch) => launch.to_string(),
        Err(error) => match error.kind() {
            bkrt::ErrorKind::MissingVariable => "LAUNCH_AT is not set".to_owned(),
            _ => error.to_string(),
        },
    };
    let level: String = barekey_env!("ONLY_IN_CONFIG": string).unwrap_or_default();
    println!("port {port}, launch at: {launch}, level {level}");
    let loaded: Result<barekey::BarekeyEnv, bkrt::LoadError> = barekey::BarekeyEnv::from_env();
    let first_line = loaded.err().map(|error| error.to_string());
    let first_line = first_line.as_deref().and_then(|text| text.lines().next());
    println!("from_env: {}", first_line.unwrap_or("loaded"));
}
