//! Generates `$OUT_DIR/barekey_env.rs` from `barekey.manifest.json`, beside this file.

fn main() {
    if let Err(error) = barekey_typegen::build::Builder::new().generate() {
        // The message and its causes, without the panic `.unwrap()` would wrap them in.
        eprintln!("{error:?}");
        std::process::exit(1);
    }
}
