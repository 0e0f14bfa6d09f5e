//! The Rust module's typed handles on single variables: one `Var<T>` constant per variable in
//! an `impl BarekeyEnv`, and the runtime's `GeneratedEnv` (the module's stages, every
//! variable's facts, the load). What `barekey-typegen-client`'s `get` and `get_all` take.
//!
//! A constant is named after its field in SCREAMING_SNAKE_CASE (`checkout_flow` ->
//! `CHECKOUT_FLOW`): fields are distinct ASCII snake_case identifiers (see [`naming`]), so their
//! upper cases are distinct too, never a keyword (Rust's are lower case, `Self` aside, which no
//! field is) and never a method of `BarekeyEnv` (those are lower case).

use proc_macro2::TokenStream;
use quote::quote;

use super::RuntimeCrate;
use super::doc::{code_span, rust_string};
use super::syntax;
use crate::manifest::{Kind, Manifest, Variable, Visibility};
use crate::naming::RustField;

/// The constant's name for `field`: [`RustField::as_str`] in upper case (the module doc says
/// why that is always a distinct, plain identifier).
pub(crate) fn constant_name(field: &RustField) -> String {
    field.as_str().to_ascii_uppercase()
}

/// The slugs of the stages the module is generated from, in byte order: each stage of a merged
/// manifest, else the one stage's, else none.
fn module_stages(manifest: &Manifest) -> Vec<&str> {
    if manifest.stages.is_empty() {
        return manifest.stage_slug.iter().map(String::as_str).collect();
    }
    manifest
        .stages
        .iter()
        .map(|stage| stage.slug.as_str())
        .collect()
}

/// The two items the variables' pieces are spliced into: the `impl BarekeyEnv` of constants
/// (empty) and `impl GeneratedEnv for BarekeyEnv` (its `VARIABLES` empty).
pub(super) fn skeleton_items(manifest: &Manifest, runtime: &RuntimeCrate) -> TokenStream {
    let first_line = format!(
        " Each variable on its own, typed as its field: a [`Var`]({runtime}::Var) constant"
    );
    let runtime = runtime.to_tokens();
    let stages = module_stages(manifest).into_iter().map(rust_string);
    quote! {
        #[doc = #first_line]
        /// named after the field in upper case, holding the variable's name, visibility,
        /// stages and reading rules. `barekey-typegen-client` decides one per request
        /// (`client.get(BarekeyEnv::NAME, &options)`) or all of them in one
        /// (`client.get_all::<BarekeyEnv>(&options)`).
        #[allow(dead_code, unreachable_pub)]
        impl BarekeyEnv {}

        impl #runtime::GeneratedEnv for BarekeyEnv {
            const STAGES: &'static [&'static str] = &[#(#stages),*];
            const VARIABLES: &'static [#runtime::VarInfo] = &[];

            fn from_loader(
                loader: #runtime::__private::Loader<'_>,
            ) -> ::core::result::Result<Self, #runtime::LoadError> {
                Self::load(loader)
            }
        }
    }
}

/// The runtime's path, from which each variable's constant builds its trees (syn's trees are
/// not `Clone` without a feature that would cost every build of the generator).
pub(super) struct Pieces {
    /// Whether the path starts with `::`.
    leading_colon: bool,
    /// Its segments (`barekey_typegen_runtime`).
    segments: Vec<proc_macro2::Ident>,
}

impl Pieces {
    pub(super) fn new(runtime: &TokenStream) -> syn::Result<Self> {
        let path: syn::Path = syn::parse2(runtime.clone())?;
        Ok(Pieces {
            leading_colon: path.leading_colon.is_some(),
            segments: path
                .segments
                .into_iter()
                .map(|segment| segment.ident)
                .collect(),
        })
    }

    /// `<runtime>::tail..`.
    fn path(&self, tail: &[&str]) -> syn::Path {
        let segments = self
            .segments
            .iter()
            .cloned()
            .chain(tail.iter().map(|t| syntax::ident(t)));
        syn::Path {
            leading_colon: self.leading_colon.then(Default::default),
            segments: segments.map(syn::PathSegment::from).collect(),
        }
    }

    /// `<Self as <runtime>::GeneratedEnv>::STAGES`.
    fn module_stages(&self) -> syn::Expr {
        let position = self.segments.len() + 1;
        let self_type = syn::Type::Path(syn::TypePath {
            qself: None,
            path: syntax::ident("Self").into(),
        });
        syn::Expr::Path(syn::ExprPath {
            attrs: Vec::new(),
            qself: Some(syn::QSelf {
                lt_token: Default::default(),
                ty: Box::new(self_type),
                position,
                as_token: Some(Default::default()),
                gt_token: Default::default(),
            }),
            path: self.path(&["GeneratedEnv", "STAGES"]),
        })
    }

    /// The constant of `variable`, whose field is `field` of type `ty` (an `Option` when the
    /// variable is not required). Its declared `Var<ty>` tells the runtime's one constructor
    /// how the text is read, the declared type and whether it is optional:
    ///
    /// ```text
    /// /// The variable `CHECKOUT_FLOW`, typed as the field `checkout_flow`.
    /// pub const CHECKOUT_FLOW: rt::Var<CheckoutFlow> = rt::__private::var(
    ///     "CHECKOUT_FLOW", rt::Kind::AbRoll, rt::Visibility::Private,
    ///     <Self as rt::GeneratedEnv>::STAGES, <Self as rt::GeneratedEnv>::STAGES,
    /// );
    /// ```
    ///
    /// The last argument, the stages that have it, is a list of slugs for a variable only some
    /// stages have.
    pub(super) fn constant(
        &self,
        variable: &Variable,
        field: &RustField,
        ty: syn::Type,
    ) -> syn::ImplItem {
        let function = self.path(&["__private", "var"]);
        let kind = match variable.kind {
            Kind::Secret => "Secret",
            Kind::AbRoll => "AbRoll",
            Kind::Rollout => "Rollout",
        };
        let visibility = match variable.visibility {
            Visibility::Private => "Private",
            Visibility::Public => "Public",
        };
        let stages = if variable.only_in.is_empty() {
            self.module_stages()
        } else {
            syntax::array_reference(
                variable
                    .only_in
                    .iter()
                    .map(|slug| syntax::literal(syn::Lit::new(rust_string(slug)))),
            )
        };
        let call = syntax::call(
            syntax::path_of(function),
            [
                syntax::literal(syn::Lit::new(rust_string(&variable.name))),
                syntax::path_of(self.path(&["Kind", kind])),
                syntax::path_of(self.path(&["Visibility", visibility])),
                self.module_stages(),
                stages,
            ],
        );
        let mut doc = vec![syntax::doc(&format!(
            "The variable {}, typed as the field `{}`.",
            code_span(&variable.name),
            field
        ))];
        if !variable.required {
            doc.push(syntax::doc(""));
            doc.push(syntax::doc(&format!(
                "{}: `None` where it is not set.",
                super::optional_note(variable)
            )));
        }
        let ty = syntax::generic_type(self.path(&["Var"]), ty);
        syntax::public_const(doc, syntax::ident(&constant_name(field)), ty, call)
    }
}

/// `Self::CONSTANT.info()`, the element of `VARIABLES` for `field`.
pub(super) fn info(field: &RustField) -> syn::Expr {
    let path = syn::Path {
        leading_colon: None,
        segments: [syntax::ident("Self"), syntax::ident(&constant_name(field))]
            .into_iter()
            .map(syn::PathSegment::from)
            .collect(),
    };
    syntax::method_call(syntax::path_of(path), syntax::ident("info"), [])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming;

    #[test]
    fn constants_are_the_fields_in_upper_case_and_never_clash() {
        let names = [
            "checkout-flow",
            "type",
            "self",
            "from_env",
            "API_KEY",
            "api_key",
            "3D",
        ];
        let (fields, _) = naming::rust_fields(&names);
        let constants: Vec<String> = fields.iter().map(constant_name).collect();
        assert_eq!(
            constants,
            [
                "CHECKOUT_FLOW",
                "TYPE",
                "SELF_",
                "FROM_ENV_",
                "API_KEY_2",
                "API_KEY",
                "VAR_3D"
            ]
        );
        for constant in &constants {
            syn::parse_str::<syn::Ident>(constant).unwrap_or_else(|e| panic!("{constant}: {e}"));
        }
    }
}
