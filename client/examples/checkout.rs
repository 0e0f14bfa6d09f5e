//! A small tokio service that decides the A/B switch `CHECKOUT_FLOW` for each request, typed:
//! `client.get(barekey::BarekeyEnv::CHECKOUT_FLOW, ..)` answers the generated enum, matched
//! exhaustively below, so a switch renamed in Barekey (or an arm) breaks this file when the
//! module is regenerated, not production.
//!
//! - `GET /checkout?user=ID`: the checkout the user sees (one `/v1/env/evaluate` request);
//! - `GET /settings?user=ID`: a few settings decided for the user, the whole `BarekeyEnv` in one
//!   `/v1/env/evaluate-batch` request (`client.get_all`).
//!
//! ```sh
//! BAREKEY_ACCESS_TOKEN=bk_at_... BAREKEY_PROJECT=web-1234 BAREKEY_STAGE=production \
//!   cargo run -p barekey-typegen-client --example checkout -- 127.0.0.1:3000
//! curl 'http://127.0.0.1:3000/checkout?user=42'
//! ```
//!
//! It prints `listening on http://ADDRESS` once bound; `--requests N` ends it after N requests
//! (what the tests do). The module is the generated one for `fixtures/demo.manifest.json`.
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

use std::io::Write as _;
use std::process::ExitCode;

use barekey_typegen_client::{Arm, Client, Error, Evaluate};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let address = args.next().unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let limit = match (args.next().as_deref(), args.next()) {
        (Some("--requests"), Some(count)) => count.parse().ok(),
        _ => None,
    };
    match serve(&address, limit).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Answers requests on `address`, each on its own task, until `limit` of them (if any).
async fn serve(address: &str, limit: Option<usize>) -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let listener = TcpListener::bind(address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let mut tasks = tokio::task::JoinSet::new();
    let mut served = 0;
    while limit.is_none_or(|limit| served < limit) {
        let (stream, _) = listener.accept().await?;
        tasks.spawn(answer(stream, client.clone()));
        served += 1;
    }
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// Reads one request from `stream` and writes its answer.
async fn answer(mut stream: TcpStream, client: Client) {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|end| end == b"\r\n\r\n") && head.len() < 8192 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split(' ').nth(1).unwrap_or_default();
    let (status, body) = route(target, &client).await;
    let reply = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    // A client that hung up has nothing to read the answer with.
    let _ = stream.write_all(reply.as_bytes()).await;
}

/// The status line and body for `target` (`/checkout?user=42`).
async fn route(target: &str, client: &Client) -> (&'static str, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let user = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("user="))
        .filter(|user| {
            !user.is_empty()
                && user
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    let Some(user) = user else {
        return (
            "400 Bad Request",
            "give ?user=ID (letters, digits, - or _)\n".to_owned(),
        );
    };
    let decided = match path {
        "/checkout" => checkout(client, user).await,
        "/settings" => settings(client, user).await,
        _ => return ("404 Not Found", "try /checkout or /settings\n".to_owned()),
    };
    match decided {
        Ok(body) => ("200 OK", body),
        // The error never shows the token or a private value: safe to log and to answer.
        Err(error) => {
            eprintln!("{path} for user {user}: {error}");
            ("502 Bad Gateway", format!("{error}\n"))
        }
    }
}

/// The options of one user's decisions: the same user always gets the same arm.
fn for_user(user: &str) -> Evaluate {
    Evaluate::default()
        .seed(format!("user-{user}"))
        .key("checkout-v1")
}

/// Which checkout `user` sees: `CHECKOUT_FLOW` decided for them, as its enum.
async fn checkout(client: &Client, user: &str) -> Result<String, Error> {
    let flow = client
        .get(barekey::BarekeyEnv::CHECKOUT_FLOW, &for_user(user))
        .await?;
    let page = match flow.value {
        barekey::CheckoutFlow::Control => "the one-page checkout",
        barekey::CheckoutFlow::Treatment => "the new three-step checkout",
    };
    let arm = match flow.decision.map(|decision| decision.arm) {
        Some(Arm::A) => "A",
        Some(Arm::B) => "B",
        None => "not said",
    };
    Ok(format!("user {user}: {page} (arm {arm})\n"))
}

/// A few of `user`'s settings, every variable decided for them in one batch request.
async fn settings(client: &Client, user: &str) -> Result<String, Error> {
    let env = client
        .get_all::<barekey::BarekeyEnv>(&for_user(user))
        .await?;
    let checkout = match env.checkout_flow {
        barekey::CheckoutFlow::Control => "one-page",
        barekey::CheckoutFlow::Treatment => "three-step",
    };
    Ok(format!(
        "user {user}: {checkout} checkout, search on {}, uploads up to {} MB\n",
        env.search_backend_rollout, env.max_upload_mb
    ))
}
