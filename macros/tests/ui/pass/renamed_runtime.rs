//! `crate = path` names the runtime when it is not `::barekey_typegen_runtime`, like a
//! dependency renamed in Cargo.toml (here an `extern crate` alias, which trybuild allows).
#![deny(warnings)]

extern crate barekey_typegen_runtime as bkrt;

use barekey_typegen_macros::barekey_env;

mod nested {
    /// A re-export, reached by a relative path.
    pub use ::barekey_typegen_runtime as runtime;
}

fn main() {
    let port: Result<i64, bkrt::Error> = barekey_env!(crate = ::bkrt, "PORT");
    let launch: Result<bkrt::Timestamp, _> = barekey_env!(crate = nested::runtime, "LAUNCH_AT": date);
    assert_eq!(port.unwrap_err().variable(), Some("PORT"));
    assert_eq!(launch.unwrap_err().kind(), bkrt::ErrorKind::MissingVariable);
}
