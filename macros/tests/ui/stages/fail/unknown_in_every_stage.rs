use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Suggestions come from every stage (DEBUG_SQL is staging's, CDN_URL production's);
    // a type word is checked against every stage.
    let debug: bool = barekey_env!("DEBUG_SQ")?;
    let cdn = barekey_env!("CDN_UR": string)?;
    let port = barekey_env!("PORT": string)?;
    println!("{debug} {cdn} {port}");
    Ok(())
}
