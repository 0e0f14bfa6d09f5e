use barekey_typegen_macros::barekey_env;

fn main() {
    let _ = barekey_env!(optional);
    let _ = barekey_env!(optional SENTRY_DSN);
    let _ = barekey_env!("SENTRY_DSN" optional);
    let _ = barekey_env!(optional optional "SENTRY_DSN");
    let _ = barekey_env!(optional "SENTRY_DSN",);
}
