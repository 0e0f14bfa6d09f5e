//! Compiled as `src/main.rs` of a crate in a temporary folder with no manifest anywhere above.
use barekey_typegen_runtime::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: i64 = barekey_env!("PORT")?;
    println!("{port}");
    Ok(())
}
