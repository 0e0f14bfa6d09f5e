//! One read of each declared type, with and without the type asserted; types are checked by
//! the `let` annotations. At run time the variables are unset, so each read is an error.
#![deny(warnings)]

use barekey_typegen_runtime::{ErrorKind, JsonValue, Timestamp};
use barekey_typegen_macros::barekey_env;

fn main() {
    let url: Result<String, barekey_typegen_runtime::Error> = barekey_env!("DATABASE_URL");
    let signups: Result<bool, _> = barekey_env!("FEATURE_SIGNUPS": boolean);
    let port: Result<i64, _> = barekey_env!("PORT");
    let port_again: Result<i64, _> = barekey_env!("PORT": int64);
    let timeout: Result<f64, _> = barekey_env!("REQUEST_TIMEOUT_SECS": float);
    let launch: Result<Timestamp, _> = barekey_env!("LAUNCH_AT": date);
    let theme: Result<JsonValue, _> = barekey_env!("THEME_CONFIG": json);
    let level: Result<String, _> = barekey_env!("LOG_LEVEL": string);
    assert_eq!(url.unwrap_err().variable(), Some("DATABASE_URL"));
    assert_eq!(port.unwrap_err().kind(), ErrorKind::MissingVariable);
    for missing in [
        signups.err(),
        port_again.err(),
        timeout.err(),
        launch.err(),
        theme.err(),
        level.err(),
    ] {
        assert_eq!(missing.map(|error| error.kind()), Some(ErrorKind::MissingVariable));
    }
}
