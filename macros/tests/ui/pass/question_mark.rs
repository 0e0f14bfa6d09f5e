//! The expansion is an expression: `?` works on it in any function returning a compatible
//! error, and it can be used in a nested block or a closure.
#![deny(warnings)]

use barekey_typegen_macros::barekey_env;

fn port() -> Result<i64, Box<dyn std::error::Error>> {
    Ok(barekey_env!("PORT")? + 1)
}

fn main() {
    let message = port().unwrap_err().to_string();
    assert_eq!(
        message,
        "Barekey variable PORT (int64, public): not set; set the environment variable PORT"
    );
    let read = || barekey_env!("STRIPE_SECRET_KEY": string).is_err();
    assert!(read());
}
