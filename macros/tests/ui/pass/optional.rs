//! `optional "NAME"` reads any variable as a `Result<Option<T>, _>`: `Ok(None)` when it is not
//! set, with or without the type asserted, A/B switches included.
#![deny(warnings)]

use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), barekey_typegen_runtime::Error> {
    let dsn: Option<String> = barekey_env!(optional "SENTRY_DSN")?;
    let port: Option<i64> = barekey_env!(optional "PORT": int64)?;
    let flow: Option<String> = barekey_env!(optional "CHECKOUT_FLOW": string)?;
    let theme = barekey_env!(optional "THEME_CONFIG": json);
    assert_eq!((dsn, port, flow), (None, None, None));
    assert!(matches!(theme, Ok(None)));
    Ok(())
}
