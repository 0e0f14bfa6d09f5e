use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // PORT and TIMEOUT are declared differently in production and staging; RETRIES agrees, so
    // its call compiles.
    let port: i64 = barekey_env!("PORT")?;
    let retries: i64 = barekey_env!("RETRIES": int64)?;
    let timeout = barekey_env!("TIMEOUT": float)?;
    println!("{port} {retries} {timeout}");
    Ok(())
}
