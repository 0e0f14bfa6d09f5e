use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: i64 = barekey_env!("PROT")?;
    let url = barekey_env!("DATABASE_UR": string)?;
    let none: i64 = barekey_env!("NOTHING_LIKE_IT")?;
    println!("{port} {url} {none}");
    Ok(())
}
