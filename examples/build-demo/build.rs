//! Generates `$OUT_DIR/barekey_env.rs` from `barekey.manifest.json`, beside this file.

fn main() {
    barekey_typegen::build::Builder::new().generate().unwrap();
}
