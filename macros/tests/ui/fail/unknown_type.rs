use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = barekey_env!("PORT": i64)?;
    let flag = barekey_env!("FEATURE_SIGNUPS": bool)?;
    let other = barekey_env!("LOG_LEVEL": type)?;
    println!("{port} {flag} {other}");
    Ok(())
}
