//! Small syntax trees the Rust emitter builds directly rather than parsing them from tokens.
//!
//! Each variable puts four pieces into the module (its field, its read, its comparison and its
//! `Debug` entry); at 10k variables, parsing them from `quote!` tokens was about a third of
//! `generate`'s time, most of it syn's general expression parser working out what these few
//! fixed shapes are. Each function's doc shows the code it builds; the tests check each tree
//! against the same code parsed, and the golden files check the formatted module.

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::{Expr, Stmt};

/// `#[doc = " text"]`, which prettyplease writes as `/// text`.
pub(crate) fn doc(text: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: ident("doc").into(),
            eq_token: Default::default(),
            value: literal(syn::Lit::Str(syn::LitStr::new(
                &format!(" {text}"),
                Span::call_site(),
            ))),
        }),
    }
}

/// `pub ident: ty`, under `attrs`.
pub(crate) fn field(attrs: Vec<syn::Attribute>, ident: Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        mutability: syn::FieldMutability::None,
        ident: Some(ident),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `ident: expr`, a field of a struct literal.
pub(crate) fn field_value(ident: Ident, expr: Expr) -> syn::FieldValue {
    syn::FieldValue {
        attrs: Vec::new(),
        member: syn::Member::Named(ident),
        colon_token: Some(Default::default()),
        expr,
    }
}

/// `name`, an identifier (`self`, `debug`, `Redacted`) as an expression.
pub(crate) fn name(name: &str) -> Expr {
    path(ident(name))
}

/// `ident` as an expression.
pub(crate) fn path(ident: Ident) -> Expr {
    path_of(ident.into())
}

/// `path` as an expression.
pub(crate) fn path_of(path: syn::Path) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `function(args, ..)`.
pub(crate) fn call(function: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(function),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `&[elements, ..]`.
pub(crate) fn array_reference(elements: impl IntoIterator<Item = Expr>) -> Expr {
    reference(Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elements.into_iter().collect(),
    }))
}

/// `path<argument>`, a type: `path` with a generic argument on its last segment.
pub(crate) fn generic_type(mut path: syn::Path, argument: syn::Type) -> syn::Type {
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: Punctuated::from_iter([syn::GenericArgument::Type(argument)]),
            gt_token: Default::default(),
        });
    }
    syn::Type::Path(syn::TypePath { qself: None, path })
}

/// `pub const ident: ty = expr;`, an item of an impl block, under `attrs`.
pub(crate) fn public_const(
    attrs: Vec<syn::Attribute>,
    ident: Ident,
    ty: syn::Type,
    expr: Expr,
) -> syn::ImplItem {
    syn::ImplItem::Const(syn::ImplItemConst {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        defaultness: None,
        const_token: Default::default(),
        ident,
        generics: syn::Generics::default(),
        colon_token: Default::default(),
        ty,
        eq_token: Default::default(),
        expr,
        semi_token: Default::default(),
    })
}

/// `base.member`.
pub(crate) fn member(base: Expr, member: Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: syn::Member::Named(member),
    })
}

/// `receiver.method(args, ..)`.
pub(crate) fn method_call(
    receiver: Expr,
    method: Ident,
    args: impl IntoIterator<Item = Expr>,
) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method,
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `&expr`.
pub(crate) fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `|_| body`.
pub(crate) fn closure_ignoring_argument(body: Expr) -> Expr {
    let wild = syn::Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Default::default(),
    });
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        constness: None,
        movability: None,
        asyncness: None,
        capture: None,
        or1_token: Default::default(),
        inputs: Punctuated::from_iter([wild]),
        or2_token: Default::default(),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `if left != right { return false; }`.
pub(crate) fn return_false_unless_equal(left: Expr, right: Expr) -> Stmt {
    let condition = Expr::Binary(syn::ExprBinary {
        attrs: Vec::new(),
        left: Box::new(left),
        op: syn::BinOp::Ne(Default::default()),
        right: Box::new(right),
    });
    let return_false = Expr::Return(syn::ExprReturn {
        attrs: Vec::new(),
        return_token: Default::default(),
        expr: Some(Box::new(literal(syn::Lit::Bool(syn::LitBool::new(
            false,
            Span::call_site(),
        ))))),
    });
    let if_expr = Expr::If(syn::ExprIf {
        attrs: Vec::new(),
        if_token: Default::default(),
        cond: Box::new(condition),
        then_branch: syn::Block {
            brace_token: Default::default(),
            stmts: vec![statement(return_false)],
        },
        else_branch: None,
    });
    Stmt::Expr(if_expr, None)
}

/// `expr;`.
pub(crate) fn statement(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// A literal as an expression.
pub(crate) fn literal(lit: syn::Lit) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// An identifier the emitter chose (never one from the manifest unchecked).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::*;

    /// The tree's tokens, as text.
    fn text(tree: &impl ToTokens) -> String {
        tree.to_token_stream().to_string()
    }

    #[test]
    fn each_tree_is_the_code_its_doc_shows() {
        let x = || ident("x");
        assert_eq!(text(&doc("A `b`.")), text(&quote!(#[doc = " A `b`."])));
        let ty: syn::Type = syn::parse_quote!(::core::option::Option<i64>);
        assert_eq!(
            text(&field(
                vec![doc("d")],
                Ident::new_raw("type", Span::call_site()),
                ty
            )),
            text(&quote!(#[doc = " d"] pub r#type: ::core::option::Option<i64>))
        );
        let call = method_call(name("loader"), ident("read"), [name("Public")]);
        assert_eq!(
            text(&field_value(x(), call)),
            text(&quote!(x: loader.read(Public)))
        );
        let optional = method_call(
            method_call(member(name("self"), x()), ident("as_ref"), []),
            ident("map"),
            [closure_ignoring_argument(name("Redacted"))],
        );
        assert_eq!(
            text(&statement(reference(optional))),
            text(&quote!(&self.x.as_ref().map(|_| Redacted);))
        );
        let var = || -> syn::Path { syn::parse_quote!(::rt::Var) };
        let ty = generic_type(var(), syn::parse_quote!(i64));
        let constructor = super::call(
            path_of(var()),
            [name("N"), array_reference([name("a"), name("b")])],
        );
        assert_eq!(
            text(&public_const(vec![doc("d")], x(), ty, constructor)),
            text(&quote!(
                #[doc = " d"]
                pub const x: ::rt::Var<i64> = ::rt::Var(N, &[a, b]);
            ))
        );
        assert_eq!(
            text(&return_false_unless_equal(
                member(name("self"), x()),
                member(name("other"), x())
            )),
            text(&quote!(if self.x != other.x {
                return false;
            }))
        );
    }
}
