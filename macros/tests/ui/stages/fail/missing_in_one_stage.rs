use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Only staging has DEBUG_SQL, only production has SENTRY_DSN.
    let debug: bool = barekey_env!("DEBUG_SQL")?;
    let dsn = barekey_env!("SENTRY_DSN": string)?;
    println!("{debug} {dsn}");
    Ok(())
}
