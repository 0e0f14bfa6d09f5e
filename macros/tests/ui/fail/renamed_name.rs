use barekey_typegen_macros::barekey_env;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Renamed in Barekey: STRIPE_KEY is now STRIPE_SECRET_KEY, DASHBOARD now NEW_DASHBOARD.
    // Too many edits for a typo, but each name holds the old one: both are suggested.
    let key: String = barekey_env!("SECRET_KEY")?;
    let dashboard = barekey_env!(optional "DASHBOARD")?;
    println!("{key} {dashboard:?}");
    Ok(())
}
