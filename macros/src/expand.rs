//! Calls the core and turns its failure into one compile error on the token it is about.

use barekey_typegen::macro_core::ManifestCache;
use barekey_typegen::macro_core::{self, Culprit, Request};
use proc_macro2::TokenStream;
use syn::ext::IdentExt as _;

use crate::input::Input;

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
    let runtime = input.runtime.as_ref().map(quote::ToTokens::to_token_stream);
    let mut request = Request::new(&name, type_word.as_deref());
    if input.optional {
        request = request.optional();
    }
    if let Some(runtime) = &runtime {
        request = request.with_runtime(runtime);
    }
    let env = barekey_typegen::env::var_os;
    macro_core::expand(&request, &env, ManifestCache::shared()).unwrap_or_else(|failure| {
        let span = match (failure.culprit, &input.type_word) {
            (Culprit::TypeWord, Some(word)) => word.span(),
            _ => input.name.span(),
        };
        // `Debug` is `Display` plus causes, such as why a file could not be read.
        syn::Error::new(span, format!("{:?}", failure.error)).to_compile_error()
    })
}
