use barekey_typegen_macros::barekey_env;

fn main() {
    let _ = barekey_env!();
    let _ = barekey_env!(PORT);
    let _ = barekey_env!("PORT", int64);
    let _ = barekey_env!("PORT":);
    let _ = barekey_env!("PORT": "int64");
    let _ = barekey_env!("PORT": int64 extra);
    let _ = barekey_env!(b"PORT");
}
