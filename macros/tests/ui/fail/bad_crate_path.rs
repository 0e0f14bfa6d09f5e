use barekey_typegen_macros::barekey_env;

fn main() {
    let _ = barekey_env!(crate = "bkrt", "PORT");
    let _ = barekey_env!(crate = ::bkrt "PORT");
    let _ = barekey_env!(crate = ::bkrt::<T>, "PORT");
}
