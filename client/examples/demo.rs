//! Loads the typed `BarekeyEnv` from the Barekey API in one request, then evaluates the A/B
//! switch `CHECKOUT_FLOW` for one user and prints its value and the arm selected.
//!
//! ```sh
//! BAREKEY_API_URL=https://api.barekey.dev BAREKEY_ACCESS_TOKEN=bk_at_... \
//! BAREKEY_PROJECT=web-1234 BAREKEY_STAGE=production \
//!   cargo run -p barekey-typegen-client --example demo -- user-42
//! ```
//!
//! The project and stage may come from a `barekey.json` instead, as for the CLI. The module is
//! the generated one for `fixtures/demo.manifest.json`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example: its output is the point"
)]

#[allow(
    unreachable_pub,
    reason = "the generated module is pub for crates that re-export it; here it is private"
)]
mod barekey {
    include!("../../tests/golden/rust/demo.rs");
}

use std::process::ExitCode;

use barekey_typegen_client::{Arm, Client, Error, Evaluate};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let user = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "user-42".to_owned());
    match run(&user).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(user: &str) -> Result<(), Error> {
    let client = Client::from_env()?;
    let env = barekey::BarekeyEnv::from_lookup(client.pull().await?.lookup())?;
    println!("port {}, log level {}", env.port, env.log_level);

    let options = Evaluate::default().seed(user).key("checkout-v1");
    let flow = client
        .evaluate_as::<String>("CHECKOUT_FLOW", &options)
        .await?;
    let arm = match flow.decision.map(|decision| decision.arm) {
        Some(Arm::A) => "A",
        Some(Arm::B) => "B",
        None => "none",
    };
    println!("CHECKOUT_FLOW for {user}: {} (arm {arm})", flow.value);
    Ok(())
}
