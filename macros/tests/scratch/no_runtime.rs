//! Compiled as `src/main.rs` of a crate that depends on barekey-typegen-macros alone.
use barekey_typegen_macros::barekey_env;

fn main() {
    let port = barekey_env!("PORT").unwrap_or(8080);
    println!("{port}");
}
