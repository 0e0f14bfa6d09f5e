//! The macro's input, `"NAME"` or `"NAME": type`, each after an optional `optional`, and all
//! after an optional `crate = path,`, parsed with the span of each part.

use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Path, Token};

/// How a call is written, repeated in every syntax error.
const USAGE: &str = "write `barekey_env!(\"NAME\")` or `barekey_env!(\"NAME\": TYPE)` where TYPE is \
                     `string`, `boolean`, `int64`, `float`, `date` or `json`, each also as \
                     `barekey_env!(optional \"NAME\")` for an `Option`";

syn::custom_keyword!(optional);

/// One parsed `barekey_env!` call.
pub(crate) struct Input {
    /// The runtime's path, from `crate = path,`.
    pub(crate) runtime: Option<Path>,
    /// Whether the call reads an `Option`: `optional "NAME"`.
    pub(crate) optional: bool,
    /// The variable's name.
    pub(crate) name: LitStr,
    /// The asserted type, as written.
    pub(crate) type_word: Option<Ident>,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let runtime = if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            // `$crate` from the runtime's forwarding macro parses as a path segment too.
            let path = Path::parse_mod_style(input).map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "expected the runtime crate's path after `crate =`, such as `::bkrt` \
                     (a path, not a string, without generic arguments)",
                )
            })?;
            input.parse::<Token![,]>().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "expected `,` after the runtime crate's path: \
                     `barekey_env!(crate = path, \"NAME\")`",
                )
            })?;
            Some(path)
        } else {
            None
        };
        let optional = input.parse::<Option<optional>>()?.is_some();
        let name = input.parse::<LitStr>().map_err(|error| {
            syn::Error::new(
                error.span(),
                format!("expected the variable's name as a string literal; {USAGE}"),
            )
        })?;
        if input.is_empty() {
            return Ok(Input {
                runtime,
                optional,
                name,
                type_word: None,
            });
        }
        input.parse::<Token![:]>().map_err(|error| {
            syn::Error::new(
                error.span(),
                format!("expected `:` and a type after the name, or nothing; {USAGE}"),
            )
        })?;
        // `parse_any` so that a keyword such as `type` gets the "unknown type" message.
        let type_word = Ident::parse_any(input).map_err(|error| {
            syn::Error::new(error.span(), format!("expected a type after `:`; {USAGE}"))
        })?;
        if !input.is_empty() {
            return Err(input.error(format!("unexpected tokens after the type; {USAGE}")));
        }
        Ok(Input {
            runtime,
            optional,
            name,
            type_word: Some(type_word),
        })
    }
}
