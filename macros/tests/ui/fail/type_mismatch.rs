use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = barekey_env!("PORT": string)?;
    let launch = barekey_env!("LAUNCH_AT": json)?;
    println!("{port} {launch}");
    Ok(())
}
