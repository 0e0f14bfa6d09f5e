//! The Rust that names the runtime's types and values, shared by a generated module and a
//! `barekey_env!` expansion so that both read a variable alike.

use proc_macro2::TokenStream;
use quote::quote;

use crate::manifest::{DeclaredType, Visibility};

/// The name of `visibility`'s variant of the runtime's `Visibility`.
pub fn visibility_variant(visibility: Visibility) -> TokenStream {
    match visibility {
        Visibility::Private => quote!(Private),
        Visibility::Public => quote!(Public),
    }
}

/// The Rust type that holds values of `declared`, with the runtime's types named under
/// `runtime` (a path such as `::barekey_typegen_runtime`).
pub fn rust_type_in(declared: DeclaredType, runtime: &TokenStream) -> TokenStream {
    match declared {
        DeclaredType::String => quote!(::std::string::String),
        DeclaredType::Boolean => quote!(bool),
        DeclaredType::Int64 => quote!(i64),
        DeclaredType::Float => quote!(f64),
        DeclaredType::Date => quote!(#runtime::Timestamp),
        DeclaredType::Json => quote!(#runtime::JsonValue),
    }
}
