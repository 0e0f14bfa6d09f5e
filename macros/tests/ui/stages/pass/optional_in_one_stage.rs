//! Checked against production and staging at once: `optional "NAME"` reads a variable only one
//! stage has (and one both have) as an `Option`.
#![deny(warnings)]

use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), barekey_typegen_runtime::Error> {
    // Only production has SENTRY_DSN, only staging has DEBUG_SQL and NEW_SEARCH_UI.
    let dsn: Option<String> = barekey_env!(optional "SENTRY_DSN": string)?;
    let debug: Option<bool> = barekey_env!(optional "DEBUG_SQL")?;
    let ui: Option<String> = barekey_env!(optional "NEW_SEARCH_UI")?;
    let port: Option<i64> = barekey_env!(optional "PORT")?;
    assert_eq!((dsn, debug, ui, port), (None, None, None, None));
    Ok(())
}
