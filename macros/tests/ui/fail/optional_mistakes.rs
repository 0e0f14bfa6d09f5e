use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // An unknown name, a type that is not the declared one, an unknown type word.
    let dsn = barekey_env!(optional "SENTRY_DNS")?;
    let port = barekey_env!(optional "PORT": string)?;
    let level = barekey_env!(optional "LOG_LEVEL": text)?;
    println!("{dsn:?} {port:?} {level:?}");
    Ok(())
}
