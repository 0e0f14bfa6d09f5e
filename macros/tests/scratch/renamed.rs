//! Compiled as `src/main.rs` of a workspace member that gets the runtime as `bkrt` through
//! `[workspace.dependencies]`.
#![deny(warnings)]

use bkrt::barekey_env;

fn main() {
    let port: i64 = barekey_env!("PORT").unwrap_or(0);
    let launch = match barekey_env!("LAUNCH_AT": date) {
        Ok(launch) => launch.to_string(),
        Err(error) => match error.kind() {
            bkrt::ErrorKind::MissingVariable => "LAUNCH_AT is not set".to_owned(),
            _ => error.to_string(),
        },
    };
    println!("port {port}, launch at: {launch}");
}
