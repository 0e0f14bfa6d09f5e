//! Calls the core and turns its failure into one compile error on the token it is about.

use std::path::PathBuf;

use barekey_typegen::macro_core::{self, Culprit, Request};
use barekey_typegen::source::ManifestCache;
use proc_macro2::TokenStream;
use syn::ext::IdentExt as _;

use crate::input::Input;
use crate::runtime_path::{self, Runtime};

/// The expression for `input`, or a `compile_error!` on the offending token.
///
/// Why `compile_error!` alone is a good stub: in expression position rustc gives it an error
/// type that silences every follow-on error (`?`, the `let` type), so each bad call reports
/// exactly one error.
pub(crate) fn expand(input: &Input) -> TokenStream {
    let name = input.name.value();
    let type_word = input
        .type_word
        .as_ref()
        .map(|word| word.unraw().to_string());
    let env = barekey_typegen::env::var_os;
    let manifest_dir = env("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let runtime = runtime_path::for_crate(manifest_dir.as_deref());
    let path = runtime.path();
    let mut request = Request::new(&name, type_word.as_deref());
    if let Some(path) = &path {
        request = request.with_runtime(path);
    }
    let expanded = macro_core::expand(&request, &env, ManifestCache::shared()).map_err(|failure| {
        let span = match (failure.culprit, &input.type_word) {
            (Culprit::TypeWord, Some(word)) => word.span(),
            _ => input.name.span(),
        };
        // `Debug` is `Display` plus causes, such as why a file could not be read.
        syn::Error::new(span, format!("{:?}", failure.error))
    });
    match (expanded, runtime) {
        (Err(error), _) => error.to_compile_error(),
        (Ok(_), Runtime::Missing { manifest }) => syn::Error::new(
            input.name.span(),
            format!(
                "barekey_env! reads the variable through barekey-typegen-runtime, which {} does \
                 not depend on; add it with `cargo add barekey-typegen-runtime`",
                manifest.display()
            ),
        )
        .to_compile_error(),
        (Ok(tokens), _) => tokens,
    }
}
