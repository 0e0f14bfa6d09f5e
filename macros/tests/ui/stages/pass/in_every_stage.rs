//! Checked against production and staging at once: a variable both stages have reads as with
//! one stage, its type word checked against both.
#![deny(warnings)]

use barekey_typegen_macros::barekey_env;

fn main() {
    let port = barekey_env!("PORT": int64);
    assert_eq!(
        port.unwrap_err().to_string(),
        "Barekey variable PORT (int64, public): not set; set the environment variable PORT"
    );
    let flow: Result<String, _> = barekey_env!("CHECKOUT_FLOW": string);
    assert!(flow.is_err());
    let theme = barekey_env!("THEME_CONFIG": json);
    assert!(theme.is_err());
}
