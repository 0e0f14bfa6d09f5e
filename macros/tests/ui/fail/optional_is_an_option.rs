use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), barekey_typegen_runtime::Error> {
    // `optional` gives an `Option`: reading it as the value is a type error.
    let dsn: String = barekey_env!(optional "SENTRY_DSN")?;
    println!("{dsn}");
    Ok(())
}
