use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: i64 = barekey_env!("PORT")?;
    println!("{port}");
    Ok(())
}
