//! Calls the core and turns its failure into one compile error on the token it is about.

use barekey_typegen_core::macro_core::ManifestCache;
use barekey_typegen_core::macro_core::{self, Culprit, Request};
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::ext::IdentExt as _;

use crate::input::Input;

/// The expression for `input`, or a `compile_error!` on the offending token
/// ([`error_expression`]).
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
    let env = barekey_typegen_core::env::var_os;
    macro_core::expand(&request, &env, ManifestCache::shared()).unwrap_or_else(|failure| {
        let span = match (failure.culprit, &input.type_word) {
            (Culprit::TypeWord, Some(word)) => word.span(),
            _ => input.name.span(),
        };
        // `Debug` is `Display` plus causes, such as why a file could not be read.
        error_expression(syn::Error::new(span, format!("{:?}", failure.error)))
    })
}

/// `error` as an expression: `{ ::core::compile_error!("..."); ... }`, one
/// `compile_error!(..)` per message, the last one the block's value.
///
/// Why a block of parenthesised calls: the macro stands where an expression is expected, and
/// syn's `compile_error! { .. }` is not one to a parser that reads the expansion on its own
/// (rust-analyzer reported "expected expression" beside each error). Why `compile_error!` is
/// a good stub: as the block's value, rustc gives it an error type that silences every
/// follow-on error (`?`, the `let` type), so each bad call reports exactly one error. Each
/// call keeps syn's spans, so the error still underlines the offending tokens.
pub(crate) fn error_expression(error: syn::Error) -> TokenStream {
    let mut block = TokenStream::new();
    for (index, message) in error.into_iter().enumerate() {
        if index > 0 {
            block.extend(quote::quote!(;));
        }
        block.extend(
            message
                .to_compile_error()
                .into_iter()
                .map(|tree| match tree {
                    TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                        let mut call = Group::new(Delimiter::Parenthesis, group.stream());
                        call.set_span(group.span());
                        TokenTree::Group(call)
                    }
                    other => other,
                }),
        );
    }
    TokenTree::Group(Group::new(Delimiter::Brace, block)).into()
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::*;

    #[test]
    fn an_error_is_one_block_expression_of_parenthesised_calls() {
        let mut error = syn::Error::new(Span::call_site(), "first");
        error.combine(syn::Error::new(Span::call_site(), "second"));
        let expression = error_expression(error);
        assert_eq!(
            expression.to_string(),
            "{ :: core :: compile_error ! (\"first\") ; :: core :: compile_error ! (\"second\") }"
        );
        assert!(syn::parse2::<syn::ExprBlock>(expression).is_ok());
    }
}
