//! The Rust module: tokens with `quote`, formatted once with prettyplease.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

use super::arms::Arms;
use super::doc::{code_span, one_line, rust_string};
use super::shape::{NotUnicodeKey, Shape, Struct, Structs};
use super::syntax;
use super::vars;
use super::{Generated, Options, RuntimeCrate, generated_from, optional_note, scopes};
use crate::manifest::{Kind, Manifest, Variable, Visibility};
use crate::naming::{self, RustField};
use crate::{Error, Result, Warning};
use barekey_typegen_core::tokens::rust_type_in;

/// Generates the Rust module for `manifest`: `MANIFEST_VERSION`, `BarekeyEnv` with one field
/// per variable, `from_env`, `from_lookup` and a `Debug` that hides private values.
///
/// From 1,000 variables on, the module is formatted on two threads when the machine has two
/// cores; the text is the same either way.
///
/// `origin` names the manifest in the (never expected) error for output that does not parse.
///
/// Only the variables `options.selection` selects are generated (an error when it names what
/// the manifest lacks: [`Selection::apply`](super::Selection::apply)).
pub fn generate_rust(manifest: &Manifest, options: &Options, origin: &str) -> Result<Generated> {
    let selected = options.selection.apply(manifest, origin)?;
    generate_selected(&selected, options, origin)
}

/// [`generate_rust`] for a manifest `options.selection` was already applied to (the
/// pipeline's, which selects once for every output).
pub(crate) fn generate_selected(
    selected: &Manifest,
    options: &Options,
    origin: &str,
) -> Result<Generated> {
    let threads = threads_for(selected.variables.len());
    generate_rust_of(selected, options, origin, threads)
}

/// [`generate_rust`] with the module formatted on up to `threads` threads (at least one): the
/// text is the same for any count, which the tests check.
#[doc(hidden)]
pub fn generate_rust_on(
    manifest: &Manifest,
    options: &Options,
    origin: &str,
    threads: usize,
) -> Result<Generated> {
    let selected = options.selection.apply(manifest, origin)?;
    generate_rust_of(&selected, options, origin, threads)
}

/// The module of every variable of `manifest` (already selected) on up to `threads` threads.
fn generate_rust_of(
    manifest: &Manifest,
    options: &Options,
    origin: &str,
    threads: usize,
) -> Result<Generated> {
    let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
    let (fields, mut warnings) = naming::rust_fields(&names);
    let (types, type_warnings) = own_types(&manifest.variables, &fields, origin);
    warnings.extend(type_warnings);
    check_attributes(options, &names, &types, origin)?;
    let module = Module {
        manifest,
        fields: &fields,
        types: &types,
        options,
    };
    let parts = module
        .formatted(threads)
        .map_err(|error| Error::GeneratedRust {
            origin: origin.to_owned(),
            message: error.to_string(),
        })?;
    // One allocation of the final size: at 10k variables the module is megabytes, and each
    // doubling of a growing string is fresh memory the kernel has to zero.
    let header = header(manifest);
    let mut text =
        String::with_capacity(header.len() + 2 + parts.iter().map(String::len).sum::<usize>());
    text.push_str(&header);
    text.push_str("\n\n");
    parts.iter().for_each(|part| text.push_str(part));
    Ok(Generated { text, warnings })
}

/// Variables from which a module is formatted on more than one thread: below, one thread
/// takes a few tens of milliseconds (0.03 s of CPU at 1,000 variables), and a build script
/// had better leave the other cores to the rest of the build.
const PARALLEL_FROM: usize = 1_000;

/// How many threads format a module of `count` variables: two when there is work enough and
/// the machine has two cores or more, else one. Not more: `generate` usually runs beside other
/// work (a build, an editor), and two already halve the wait when a core is free.
fn threads_for(count: usize) -> usize {
    if count < PARALLEL_FROM {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |cores| cores.get().min(2))
}

/// A type the module generates for one variable's field. Names are text, not tokens, so that
/// every formatting thread can read them (tokens cannot cross threads).
enum OwnType {
    /// The enum of an A/B switch or rollout's two arms.
    Switch {
        /// The enum's name.
        name: String,
        /// The arms' values.
        arms: Arms,
    },

    /// The structs of a json variable of a known object type.
    Json {
        /// Each struct's name, by index.
        names: Vec<String>,
        /// The structs and the field's shape.
        structs: Structs,
    },
}

impl OwnType {
    /// The field's type.
    fn field_type(&self, runtime: &TokenStream) -> TokenStream {
        match self {
            OwnType::Switch { name, .. } => ident(name).into_token_stream(),
            OwnType::Json { names, structs } => structs.top.tokens(&idents(names), runtime),
        }
    }
}

/// An identifier already checked by naming.
fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

fn idents(names: &[String]) -> Vec<proc_macro2::Ident> {
    names.iter().map(|name| ident(name)).collect()
}

/// Each variable's own generated types, if it has any, and the warnings of their names and of
/// json types no struct can read (`origin` names the manifest in those).
fn own_types(
    variables: &[Variable],
    fields: &[RustField],
    origin: &str,
) -> (Vec<Option<OwnType>>, Vec<Warning>) {
    enum Wanted {
        Switch(Arms),
        Json(Structs),
    }
    let mut shape_warnings = Vec::new();
    let wanted: Vec<Option<Wanted>> = variables
        .iter()
        .zip(fields)
        .map(|(variable, field)| {
            if let Some(arms) = Arms::of(variable) {
                return Some(Wanted::Switch(arms));
            }
            match Structs::of(
                variable,
                &naming::rust_type_base(field),
                &mut shape_warnings,
            ) {
                Ok(structs) => structs.map(Wanted::Json),
                Err(NotUnicodeKey(key)) => {
                    shape_warnings.push(Warning::JsonKeyNotUnicode {
                        origin: origin.to_owned(),
                        variable: variable.name.clone(),
                        key,
                    });
                    None
                }
            }
        })
        .collect();
    let mut bases: Vec<(&str, String)> = Vec::new();
    for ((variable, field), wanted) in variables.iter().zip(fields).zip(&wanted) {
        match wanted {
            Some(Wanted::Switch(_)) => {
                bases.push((variable.name.as_str(), naming::rust_type_base(field)));
            }
            Some(Wanted::Json(structs)) => bases.extend(
                structs
                    .structs
                    .iter()
                    .map(|own| (variable.name.as_str(), own.base.clone())),
            ),
            None => {}
        }
    }
    let (names, mut warnings) = naming::rust_types(&bases);
    warnings.extend(shape_warnings);
    let mut names = names.into_iter();
    let types = wanted
        .into_iter()
        .map(|wanted| match wanted? {
            Wanted::Switch(arms) => Some(OwnType::Switch {
                name: names.next()?,
                arms,
            }),
            Wanted::Json(structs) => Some(OwnType::Json {
                names: names.by_ref().take(structs.structs.len()).collect(),
                structs,
            }),
        })
        .collect();
    (types, warnings)
}

/// The traits `BarekeyEnv` implements itself, which an attribute may not derive again (its
/// `Debug` hides private values).
const BAREKEY_ENV_TRAITS: &[&str] = &["Clone", "PartialEq", "Debug"];
/// The traits an A/B enum implements itself.
const SWITCH_TRAITS: &[&str] = &[
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Debug",
    "Display",
];
/// The traits a JSON struct implements itself.
const JSON_TRAITS: &[&str] = &["Clone", "PartialEq", "Debug", "Default"];

/// [`Error::UnfitAttributes`] when `options.attributes` name a type or a variable the module
/// lacks, or derive a trait a generated type implements itself.
fn check_attributes(
    options: &Options,
    variables: &[&str],
    types: &[Option<OwnType>],
    origin: &str,
) -> Result<()> {
    if options.attributes == super::Attributes::default() {
        return Ok(());
    }
    let mut named: Vec<(&str, &[&str])> = vec![("BarekeyEnv", BAREKEY_ENV_TRAITS)];
    for own in types.iter().flatten() {
        match own {
            OwnType::Switch { name, .. } => named.push((name, SWITCH_TRAITS)),
            OwnType::Json { names, .. } => {
                named.extend(names.iter().map(|name| (name.as_str(), JSON_TRAITS)));
            }
        }
    }
    let problems = options.attributes.problems(&named, variables);
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::UnfitAttributes {
        origin: origin.to_owned(),
        problems,
    })
}

/// The first line. Comments are not tokens, so it is added as text, with every manifest value
/// escaped onto one line.
fn header(manifest: &Manifest) -> String {
    format!(
        "// @generated by barekey-typegen from {}. Do not edit.",
        one_line(&generated_from(manifest))
    )
}

/// What the module is generated from: plain data that every formatting thread reads.
struct Module<'a> {
    manifest: &'a Manifest,
    fields: &'a [RustField],
    types: &'a [Option<OwnType>],
    options: &'a Options,
}

/// A piece of the module formatted on its own: its text is the same as that of the same items
/// formatted in one file, since prettyplease prints a file's items one after another.
enum Part {
    /// The skeleton's top-level item of this index, its variables' pieces spliced in.
    Skeleton(usize),
    /// The own types of the variables in this range of indices, in variable order.
    OwnTypes(std::ops::Range<usize>),
}

/// Variables per [`Part::OwnTypes`]: small enough that two threads end close together, large
/// enough that handing out parts costs nothing.
const OWN_TYPES_PER_PART: usize = 128;

impl Module<'_> {
    /// The module's text, in parts to be concatenated in order, formatted on up to `threads`
    /// threads.
    ///
    /// Syntax trees cannot cross threads, so each thread builds its own from the manifest and
    /// formats the parts it takes from a shared counter; the biggest parts (the skeleton's
    /// items) come first, so the threads end close together whatever else runs on the machine.
    /// A thread the system refuses to start leaves its share to the others.
    fn formatted(&self, threads: usize) -> syn::Result<Vec<String>> {
        let parts = self.parts()?;
        let next = AtomicUsize::new(0);
        let work = || -> syn::Result<Vec<(usize, String)>> {
            let mut emitter = Emitter::new(self)?;
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(part) = parts.get(index) else {
                    return Ok(done);
                };
                done.push((index, emitter.format(part)?));
            }
        };
        let shares = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
                .collect();
            let mut shares = vec![work()];
            for helper in helpers {
                // A helper only panics where the same code on this thread would have.
                shares.push(
                    helper
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
            shares
        });
        let mut texts = vec![String::new(); parts.len()];
        for share in shares {
            for (index, text) in share? {
                texts[index] = text;
            }
        }
        Ok(texts)
    }

    /// The parts, in output order: the skeleton's items, then the own types.
    fn parts(&self) -> syn::Result<Vec<Part>> {
        let items = syn::parse2::<syn::File>(skeleton(self.manifest, self.options))?
            .items
            .len();
        let count = self.manifest.variables.len();
        let own_types = (0..count)
            .step_by(OWN_TYPES_PER_PART)
            .map(|start| Part::OwnTypes(start..count.min(start + OWN_TYPES_PER_PART)));
        Ok((0..items).map(Part::Skeleton).chain(own_types).collect())
    }
}

/// One thread's view of a [`Module`]: its own skeleton and runtime path tokens.
struct Emitter<'a> {
    module: &'a Module<'a>,
    /// The skeleton's items; each is taken out when its part is formatted.
    skeleton: Vec<syn::Item>,
    runtime: TokenStream,
    /// What every variable's `Var` constant is built from.
    pieces: vars::Pieces,
}

impl<'a> Emitter<'a> {
    /// The skeleton is parsed once with no variables; each variable's pieces (field, read,
    /// comparison, `Debug` entry) are built as syntax trees and spliced in. Parsing one token
    /// stream holding every variable costs memory and time that grow faster than the manifest
    /// (syn copies the whole stream into its buffer before building the tree), and parsing
    /// each piece from tokens was a third of the time (see [`syntax`]).
    fn new(module: &'a Module<'a>) -> syn::Result<Self> {
        let file: syn::File = syn::parse2(skeleton(module.manifest, module.options))?;
        let runtime = module.options.runtime_crate.to_tokens();
        Ok(Emitter {
            module,
            skeleton: file.items,
            pieces: vars::Pieces::new(&runtime)?,
            runtime,
        })
    }

    /// `part`'s text. Each part's trees are dropped before the next is built, so only one item's
    /// tree per thread is alive at a time.
    fn format(&mut self, part: &Part) -> syn::Result<String> {
        let mut items = match part {
            Part::Skeleton(index) => vec![self.filled(*index)?],
            Part::OwnTypes(range) => {
                let mut text = String::new();
                for index in range.clone() {
                    if let Some(own) = &self.module.types[index] {
                        let variable = &self.module.manifest.variables[index];
                        let tokens = own_type_items(
                            variable,
                            own,
                            &self.module.options.attributes,
                            &self.runtime,
                        );
                        let mut file: syn::File = syn::parse2(tokens)?;
                        file.items.iter_mut().for_each(skipped_by_rustfmt);
                        text.push_str(&prettyplease::unparse(&file));
                    }
                }
                return Ok(text);
            }
        };
        items.iter_mut().for_each(skipped_by_rustfmt);
        Ok(prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items,
        }))
    }

    /// The skeleton's item `index` with every variable's piece spliced in.
    fn filled(&mut self, index: usize) -> syn::Result<syn::Item> {
        let Module {
            manifest,
            fields,
            types,
            ..
        } = self.module;
        let runtime = &self.runtime;
        let pieces = manifest.variables.iter().zip(*fields).zip(*types);
        let mut item = std::mem::replace(
            self.skeleton
                .get_mut(index)
                .ok_or_else(|| skeleton_error("the skeleton has fewer items than parts"))?,
            syn::Item::Verbatim(TokenStream::new()),
        );
        match &mut item {
            syn::Item::Struct(item) => {
                if let syn::Fields::Named(named) = &mut item.fields {
                    for ((variable, field), own) in pieces {
                        let mut declared = declaration(variable, field, own.as_ref(), runtime)?;
                        let added = self.module.options.attributes.of_field(&variable.name);
                        declared.attrs.extend(added);
                        named.named.push(declared);
                    }
                }
            }
            syn::Item::Impl(item) if item.trait_.is_none() && item.items.is_empty() => {
                for ((variable, field), own) in pieces {
                    let ty = syn::parse2(field_type(variable, own.as_ref(), runtime))?;
                    let constant = self.pieces.constant(variable, field, ty);
                    item.items.push(constant);
                }
            }
            syn::Item::Impl(item) if item.trait_.is_none() => {
                let reads = pieces.map(|((variable, field), _)| read(variable, field));
                splice_struct_literal(item, reads.collect())?;
            }
            syn::Item::Impl(item) if is_impl_of(item, "PartialEq") => {
                splice_before_last(item, "eq", fields.iter().map(comparison).collect())?;
            }
            syn::Item::Impl(item) if is_impl_of(item, "GeneratedEnv") => {
                splice_variables(item, fields.iter().map(vars::info))?;
            }
            syn::Item::Impl(item) => {
                let entries = pieces.map(|((variable, field), _)| debug_entry(variable, field));
                splice_before_last(item, "fmt", entries.collect())?;
            }
            _ => {}
        }
        Ok(item)
    }
}

/// The items of `variable`'s own type: an A/B enum with `value`, `arm`, `Display` and the
/// runtime's `AbSwitch` and `Read`, or a json variable's structs with their `JsonShape` (and
/// `Read` for the field's own struct).
///
/// Each type gets the attributes `attributes` give its name.
fn own_type_items(
    variable: &Variable,
    own: &OwnType,
    attributes: &super::Attributes,
    runtime: &TokenStream,
) -> TokenStream {
    match own {
        OwnType::Switch { name, arms } => {
            let added = attributes.of_type(name);
            switch_enum(variable, &ident(name), arms, &added, runtime)
        }
        OwnType::Json { names, structs } => {
            let added: Vec<TokenStream> = names.iter().map(|n| attributes.of_type(n)).collect();
            let names = idents(names);
            let items = structs
                .structs
                .iter()
                .zip(&names)
                .zip(&added)
                .enumerate()
                .map(|(index, ((own, name), added))| {
                    let field_type = structs.top == Shape::Struct(index);
                    json_struct(own, name, &names, added, field_type, runtime)
                });
            quote!(#(#items)*)
        }
    }
}

/// One struct of a json variable's type, and its `JsonShape`; and, when it is the field's type
/// (`field_type`, not a `Vec` of it nor nested in another), the runtime's `Read`, which says the
/// loader reads it the JSON way (the runtime reads a `Vec` of it so by itself).
fn json_struct(
    own: &Struct,
    name: &proc_macro2::Ident,
    names: &[proc_macro2::Ident],
    added: &TokenStream,
    field_type: bool,
    runtime: &TokenStream,
) -> TokenStream {
    let private = quote!(#runtime::__private);
    let struct_doc = doc(&format!(
        "An object of the JSON at {}, as its `typeScriptType` describes it.",
        code_span(&own.path)
    ));
    let declarations = own.fields.iter().map(|field| {
        let ident = field.ident.to_ident();
        let ty = field.shape.tokens(names, runtime);
        // An empty code span would be two backticks, which Markdown reads as an unclosed fence.
        let key = match field.key.is_empty() {
            true => "The empty key".to_owned(),
            false => code_span(&field.key),
        };
        let field_doc = doc(&format!("{key}: {}.", code_span(&field.type_script)));
        quote! {
            #field_doc
            pub #ident: #ty
        }
    });
    let from_json = json_from_json(own, name, runtime);
    let partial_eq = json_partial_eq(own, name);
    let read = field_type.then(|| {
        quote! {
            impl #private::Read for #name {
                type As = #private::Json;
            }
        }
    });
    quote! {
        #struct_doc
        ///
        /// Keys the JSON has beyond these are ignored.
        #[allow(dead_code, unreachable_pub)]
        #[allow(
            clippy::struct_excessive_bools,
            clippy::struct_field_names,
            reason = "one field per key of the JSON object, named and typed after it"
        )]
        #[derive(
            ::core::clone::Clone,
            ::core::fmt::Debug,
            ::core::default::Default
        )]
        #added
        pub struct #name {
            #(#declarations,)*
        }

        #partial_eq

        #[allow(clippy::too_many_lines, reason = "one line per key of the JSON object")]
        impl #private::JsonShape for #name {
            const EXPECTED: &'static str = "an object";

            fn from_json(
                value: #runtime::JsonValue,
                at: &#private::JsonPath<'_>,
            ) -> ::core::result::Result<Self, #private::ShapeError> {
                #from_json
            }
        }

        #read
    }
}

/// Fields per function in the code that reads or compares a json struct field by field.
///
/// rustc's time and memory for one function grow faster than its length (a struct literal
/// of `?`s: 1,000 keys took 7 s and 1.4 GB to check, 10,000 crashed it; a derived
/// `PartialEq` nests its `&&` chain as deep as the struct is wide). In functions of this many
/// statements each, they grow with the width, whatever it is.
const FIELDS_PER_FN: usize = 128;

/// `from_json`'s body: the object, a default value, then each key read into its field by
/// statements in functions of [`FIELDS_PER_FN`] fields (`fields_0`, ...), each returning at
/// the first problem.
fn json_from_json(own: &Struct, name: &proc_macro2::Ident, runtime: &TokenStream) -> TokenStream {
    let private = quote!(#runtime::__private);
    // With no fields, nothing is taken out of the object: a `mut` binding would warn.
    if own.fields.is_empty() {
        return quote! {
            #private::json_object(value, at)?;
            ::core::result::Result::Ok(Self {})
        };
    }
    let chunks: Vec<_> = own.fields.chunks(FIELDS_PER_FN).collect();
    let fns = chunks.iter().enumerate().map(|(index, fields)| {
        let fn_name = chunk_fn(index);
        let reads = fields.iter().map(|field| {
            let ident = field.ident.to_ident();
            let key = rust_string(&field.key);
            quote! { read.#ident = #private::json_field(object, #key, at)?; }
        });
        quote! {
            fn #fn_name(
                read: &mut #name,
                object: &mut #private::JsonObject,
                at: &#private::JsonPath<'_>,
            ) -> ::core::result::Result<(), #private::ShapeError> {
                #(#reads)*
                ::core::result::Result::Ok(())
            }
        }
    });
    let calls = (0..chunks.len()).map(|index| {
        let fn_name = chunk_fn(index);
        quote! { #fn_name(&mut read, &mut object, at)?; }
    });
    quote! {
        #(#fns)*
        let mut object = #private::json_object(value, at)?;
        let mut read = <Self as ::core::default::Default>::default();
        #(#calls)*
        ::core::result::Result::Ok(read)
    }
}

/// `PartialEq` for a json struct: field by field, in functions of [`FIELDS_PER_FN`] fields.
fn json_partial_eq(own: &Struct, name: &proc_macro2::Ident) -> TokenStream {
    if own.fields.is_empty() {
        return quote! {
            impl ::core::cmp::PartialEq for #name {
                fn eq(&self, _: &Self) -> bool {
                    true
                }
            }
        };
    }
    let chunks: Vec<_> = own.fields.chunks(FIELDS_PER_FN).collect();
    let fns = chunks.iter().enumerate().map(|(index, fields)| {
        let fn_name = chunk_fn(index);
        let comparisons = fields.iter().map(|field| {
            let ident = field.ident.to_ident();
            quote! {
                if a.#ident != b.#ident {
                    return false;
                }
            }
        });
        quote! {
            fn #fn_name(a: &#name, b: &#name) -> bool {
                #(#comparisons)*
                true
            }
        }
    });
    let body = if chunks.len() == 1 {
        quote! { fields_0(self, other) }
    } else {
        let calls = (0..chunks.len()).map(|index| {
            let fn_name = chunk_fn(index);
            quote! {
                if !#fn_name(self, other) {
                    return false;
                }
            }
        });
        quote! { #(#calls)* true }
    };
    quote! {
        #[allow(
            clippy::too_many_lines,
            clippy::float_cmp,
            reason = "one exact comparison per key of the JSON object, as a derived `PartialEq` makes"
        )]
        impl ::core::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                #(#fns)*
                #body
            }
        }
    }
}

/// Adds `#[cfg_attr(rustfmt, rustfmt::skip)]` to a top-level item, after its doc: a module
/// committed in `src/` (`mod barekey_env;`) stays as generated under `cargo fmt`, whatever the
/// crate's rustfmt.toml, so `cargo fmt --check` and `barekey-typegen check` can both pass.
/// rustfmt formats files marked `@generated` too (`format_generated_files` is on by default
/// and cannot be turned off on stable); an inner `#![rustfmt::skip]` would break `include!`,
/// which takes items only; and a plain `#[rustfmt::skip]` does not resolve under
/// `#![no_implicit_prelude]`, which hides the tool attributes: behind `cfg_attr(rustfmt, ..)`
/// rustc never sees it, and rustfmt does.
fn skipped_by_rustfmt(item: &mut syn::Item) {
    let attrs = match item {
        syn::Item::Const(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Fn(item) => &mut item.attrs,
        syn::Item::Impl(item) => &mut item.attrs,
        syn::Item::Mod(item) => &mut item.attrs,
        syn::Item::Static(item) => &mut item.attrs,
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Trait(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Union(item) => &mut item.attrs,
        syn::Item::Use(item) => &mut item.attrs,
        _ => return,
    };
    let after_doc = attrs
        .iter()
        .take_while(|attr| attr.path().is_ident("doc"))
        .count();
    attrs.insert(
        after_doc,
        syn::parse_quote!(#[cfg_attr(rustfmt, rustfmt::skip)]),
    );
}

/// `fields_<index>`, the function of the index-th [`FIELDS_PER_FN`] fields.
fn chunk_fn(index: usize) -> proc_macro2::Ident {
    ident(&format!("fields_{index}"))
}

fn switch_enum(
    variable: &Variable,
    name: &proc_macro2::Ident,
    arms: &Arms,
    added: &TokenStream,
    runtime: &TokenStream,
) -> TokenStream {
    let what = match variable.kind {
        Kind::Rollout => "gradual rollout",
        _ => "A/B switch",
    };
    let enum_doc = doc(&format!(
        "The two arms of the {what} {}: which value Barekey selected.",
        code_span(&variable.name)
    ));
    let variants = arms
        .variant_names()
        .map(|variant| proc_macro2::Ident::new(&variant, proc_macro2::Span::call_site()));
    let [a, b] = &variants;
    let shown = arms.shown();
    let a_doc = doc(&format!("Arm A: {}.", code_span(&shown[0])));
    let b_doc = doc(&format!("Arm B: {}.", code_span(&shown[1])));
    let [value_a, value_b] = arms.value_tokens();
    let (value_type, to_value) = match arms {
        Arms::String(_) => (
            quote!(&'static str),
            quote!(::std::string::ToString::to_string(self.value())),
        ),
        Arms::Int64(_) => (quote!(i64), quote!(self.value())),
        Arms::Float(_) => (quote!(f64), quote!(self.value())),
    };
    let parsed_type = rust_type_in(variable.declared_type, runtime);
    // Number arms are written as the manifest has them, without `_` separators.
    let unreadable = match arms {
        Arms::String(_) => None,
        Arms::Int64(_) | Arms::Float(_) => Some(quote! {
            #[allow(clippy::unreadable_literal, reason = "the arms as Barekey writes them")]
        }),
    };
    quote! {
        #enum_doc
        ///
        /// Matching on it is exhaustive: when an arm changes in Barekey, regenerating this
        /// module breaks the build wherever the old arm is named.
        #[allow(dead_code, unreachable_pub)]
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::core::fmt::Debug
        )]
        #added
        pub enum #name {
            #a_doc
            #a,
            #b_doc
            #b,
        }

        #[allow(dead_code, unreachable_pub)]
        #[allow(
            clippy::trivially_copy_pass_by_ref,
            reason = "`value(&self)` and `arm(&self)` are the documented signatures"
        )]
        #unreadable
        impl #name {
            /// The value of this arm.
            #[must_use]
            pub const fn value(&self) -> #value_type {
                match self {
                    Self::#a => #value_a,
                    Self::#b => #value_b,
                }
            }

            /// Which arm this is.
            #[must_use]
            pub const fn arm(&self) -> #runtime::Arm {
                match self {
                    Self::#a => #runtime::Arm::A,
                    Self::#b => #runtime::Arm::B,
                }
            }
        }

        /// The arm's value.
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl #runtime::__private::AbSwitch for #name {
            type Value = #parsed_type;
            const ARMS: [Self; 2] = [Self::#a, Self::#b];

            fn arm_value(self) -> #parsed_type {
                #to_value
            }
        }

        impl #runtime::__private::Read for #name {
            type As = #runtime::__private::Switch;
        }
    }
}

/// Everything but the per-variable pieces.
fn skeleton(manifest: &Manifest, options: &Options) -> TokenStream {
    let runtime = &options.runtime_crate;
    let version = rust_string(manifest.manifest_version.as_deref().unwrap_or_default());
    let variables = &manifest.variables;
    let impl_block = impl_block(variables, runtime);
    let debug_impl = debug_impl(variables, runtime);
    let partial_eq_impl = partial_eq_impl(variables);
    let versions = manifest_versions(manifest);
    let var_items = vars::skeleton_items(manifest, runtime);
    let added = options.attributes.of_type("BarekeyEnv");
    let (version_doc, struct_doc) = if manifest.stages.is_empty() {
        let version_doc = quote! {
            /// The `manifestVersion` of the manifest this module was generated from.
        };
        let struct_doc = doc(&format!(
            "Every {} of {}{}, typed by its declared type.",
            options.selection.noun(),
            spans(manifest),
            options.selection.selected_by(&code_span)
        ));
        (version_doc, struct_doc)
    } else {
        let version_doc = quote! {
            /// The `manifestVersion` of each stage's snapshot this module was generated from, as
            /// `stage=manifestVersion` joined by `, `; [`MANIFEST_VERSIONS`] lists them one by one.
        };
        let struct_doc = doc(&format!(
            "Every {} of the stages {}{}, typed by its declared type; a variable only some of \
             them have is an `Option`.",
            options.selection.noun(),
            spans(manifest),
            options.selection.selected_by(&code_span)
        ));
        (version_doc, struct_doc)
    };
    quote! {
        #version_doc
        #[allow(dead_code, unreachable_pub)]
        pub const MANIFEST_VERSION: &str = #version;

        #versions

        #struct_doc
        ///
        /// Load it with [`BarekeyEnv::from_env`]; `Debug` shows public values and hides private ones.
        #[allow(dead_code, unreachable_pub)]
        #[allow(
            clippy::struct_excessive_bools,
            clippy::struct_field_names,
            reason = "one field per Barekey variable, named and typed after it"
        )]
        #[derive(::core::clone::Clone)]
        #added
        pub struct BarekeyEnv {}

        #impl_block
        #partial_eq_impl
        #debug_impl
        #var_items
    }
}

/// The scopes the module was generated from as code spans joined by `, ` (one for one stage).
fn spans(manifest: &Manifest) -> String {
    let spans: Vec<String> = scopes(manifest)
        .iter()
        .map(|scope| code_span(scope))
        .collect();
    spans.join(", ")
}

/// `MANIFEST_VERSIONS`, each stage's slug and `manifestVersion`: only for a manifest merged
/// from several stages (a one-stage module stays as it was).
fn manifest_versions(manifest: &Manifest) -> Option<TokenStream> {
    if manifest.stages.is_empty() {
        return None;
    }
    let pairs = manifest.stages.iter().map(|stage| {
        let slug = rust_string(&stage.slug);
        let version = rust_string(stage.manifest_version.as_deref().unwrap_or_default());
        quote! { (#slug, #version) }
    });
    Some(quote! {
        /// Each stage's slug and the `manifestVersion` of its snapshot, in byte order of the
        /// slugs.
        #[allow(dead_code, unreachable_pub)]
        pub const MANIFEST_VERSIONS: &[(&str, &str)] = &[#(#pairs),*];
    })
}

/// Puts `reads` into the `Self { .. }` literal of `load`.
fn splice_struct_literal(item: &mut syn::ItemImpl, reads: Vec<syn::FieldValue>) -> syn::Result<()> {
    let stmts = &mut skeleton_fn(item, "load")?.block.stmts;
    let literal = stmts.iter_mut().find_map(|stmt| match stmt {
        syn::Stmt::Local(syn::Local {
            init: Some(init), ..
        }) => match &mut *init.expr {
            syn::Expr::Struct(literal) => Some(literal),
            _ => None,
        },
        _ => None,
    });
    let literal = literal.ok_or_else(|| skeleton_error("`load` has no `Self { .. }` literal"))?;
    literal.fields.extend(reads);
    Ok(())
}

/// Puts `elements` into the array of the skeleton's `const VARIABLES`.
fn splice_variables(
    item: &mut syn::ItemImpl,
    elements: impl Iterator<Item = syn::Expr>,
) -> syn::Result<()> {
    let array = item.items.iter_mut().find_map(|item| match item {
        syn::ImplItem::Const(constant) if constant.ident == "VARIABLES" => {
            match &mut constant.expr {
                syn::Expr::Reference(reference) => match &mut *reference.expr {
                    syn::Expr::Array(array) => Some(array),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    });
    let array = array.ok_or_else(|| skeleton_error("no `const VARIABLES: .. = &[]`"))?;
    array.elems.extend(elements);
    Ok(())
}

/// Whether `item` implements the trait whose path ends in `name`.
fn is_impl_of(item: &syn::ItemImpl, name: &str) -> bool {
    item.trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .is_some_and(|segment| segment.ident == name)
}

/// Puts `stmts` into the skeleton's `fn name`, just before its last statement (its result).
fn splice_before_last(
    item: &mut syn::ItemImpl,
    name: &str,
    entries: Vec<syn::Stmt>,
) -> syn::Result<()> {
    let stmts = &mut skeleton_fn(item, name)?.block.stmts;
    let end = stmts.len().saturating_sub(1);
    stmts.splice(end..end, entries);
    Ok(())
}

/// The function `name` of a skeleton impl block; its absence is a bug, reported rather than
/// silently generating a module without its variables.
fn skeleton_fn<'a>(
    item: &'a mut syn::ItemImpl,
    name: &str,
) -> syn::Result<&'a mut syn::ImplItemFn> {
    item.items
        .iter_mut()
        .find_map(|item| match item {
            syn::ImplItem::Fn(function) if function.sig.ident == name => Some(function),
            _ => None,
        })
        .ok_or_else(|| skeleton_error(&format!("the skeleton has no `fn {name}`")))
}

fn skeleton_error(message: &str) -> syn::Error {
    syn::Error::new(proc_macro2::Span::call_site(), message)
}

/// The field of `BarekeyEnv` for `variable`: its docs (built as trees) and type (parsed, from a
/// few tokens).
fn declaration(
    variable: &Variable,
    field: &RustField,
    own: Option<&OwnType>,
    runtime: &TokenStream,
) -> syn::Result<syn::Field> {
    let ty = field_type(variable, own, runtime);
    let mut docs = vec![syntax::doc(&format!(
        "{}: kind `{}`, type `{}`, {}.",
        code_span(&variable.name),
        variable.kind,
        variable.declared_type,
        variable.visibility
    ))];
    // Only a variable some stages lack pays for the note: required ones take no extra work.
    if !variable.required {
        docs.push(syntax::doc(""));
        docs.push(syntax::doc(&format!(
            "{}: `None` where it is not set.",
            optional_note(variable)
        )));
    }
    let arm_note = match (variable.kind, own) {
        (Kind::Secret, None) => None,
        (_, Some(OwnType::Json { .. })) => {
            Some("JSON of a known shape: its `typeScriptType` as Rust structs.".to_owned())
        }
        (kind, Some(OwnType::Switch { name, .. })) => {
            let what = if kind == Kind::Rollout {
                "A gradual rollout"
            } else {
                "An A/B switch"
            };
            Some(format!("{what}: the arm Barekey selected, as [`{name}`]."))
        }
        (Kind::AbRoll, None) => {
            Some("An A/B switch: holds the value of the arm Barekey selected (A or B).".to_owned())
        }
        (Kind::Rollout, None) => Some(
            "A gradual rollout: holds the value of the arm Barekey selected (A or B).".to_owned(),
        ),
    };
    if let Some(note) = arm_note {
        docs.push(syntax::doc(""));
        docs.push(syntax::doc(&note));
    }
    Ok(syntax::field(docs, field.to_ident(), syn::parse2(ty)?))
}

/// The type of `variable`'s field: its own type or its declared type's, in an `Option` when
/// some stages lack it.
fn field_type(variable: &Variable, own: Option<&OwnType>, runtime: &TokenStream) -> TokenStream {
    let ty = match own {
        Some(own) => own.field_type(runtime),
        None => rust_type_in(variable.declared_type, runtime),
    };
    if variable.required {
        ty
    } else {
        quote!(::core::option::Option<#ty>)
    }
}

/// One field of the `Self { .. }` literal in `load`: `loader.read("NAME", Visibility)`,
/// whatever the field's type, which tells the runtime how to read it.
fn read(variable: &Variable, field: &RustField) -> syn::FieldValue {
    let visibility = match variable.visibility {
        Visibility::Private => "Private",
        Visibility::Public => "Public",
    };
    // `#ident: loader.read(#name, #visibility)`
    let name = syntax::literal(syn::Lit::new(rust_string(&variable.name)));
    let call = syntax::method_call(
        syntax::name("loader"),
        syntax::ident("read"),
        [name, syntax::name(visibility)],
    );
    syntax::field_value(field.to_ident(), call)
}

fn impl_block(variables: &[Variable], runtime: &RuntimeCrate) -> TokenStream {
    let load_error_link = doc(&format!(
        "One [`LoadError`]({runtime}::LoadError) listing every missing"
    ));
    let load_error_doc = quote! {
        #load_error_link
        /// and every invalid variable; private values never appear in it.
    };
    let runtime = runtime.to_tokens();
    // Import only the variants in use: an unused import would be a warning in users' crates.
    let used = |wanted| {
        variables
            .iter()
            .any(|variable| variable.visibility == wanted)
    };
    let imports = [
        (Visibility::Private, quote!(Private)),
        (Visibility::Public, quote!(Public)),
    ]
    .into_iter()
    .filter(|(visibility, _)| used(*visibility))
    .map(|(_, variant)| quote! { use #runtime::Visibility::#variant; });
    // With no variables the loader is never written to; `mut` would then be a warning.
    let loader_binding = if variables.is_empty() {
        quote!(loader)
    } else {
        quote!(mut loader)
    };
    quote! {
        #[allow(dead_code, unreachable_pub)]
        #[allow(clippy::too_many_lines, reason = "one line per Barekey variable")]
        impl BarekeyEnv {
            /// Reads every variable from the process environment (the environment variable
            /// with exactly the Barekey name) and parses it by its declared type.
            ///
            /// # Errors
            ///
            #load_error_doc
            pub fn from_env() -> ::core::result::Result<Self, #runtime::LoadError> {
                Self::load(#runtime::__private::Loader::from_env())
            }

            /// Reads every variable through `lookup` (given the Barekey name, the value's text)
            /// and parses it by its declared type.
            ///
            /// # Errors
            ///
            #load_error_doc
            pub fn from_lookup(
                lookup: impl ::core::ops::Fn(&str) -> ::core::option::Option<::std::string::String>,
            ) -> ::core::result::Result<Self, #runtime::LoadError> {
                Self::load(#runtime::__private::Loader::from_lookup(&lookup))
            }

            fn load(
                #loader_binding: #runtime::__private::Loader<'_>,
            ) -> ::core::result::Result<Self, #runtime::LoadError> {
                #(#imports)*
                let env = Self {};
                loader.finish(env)
            }
        }
    }
}

/// One `debug.field(..)` statement of the `Debug` impl.
fn debug_entry(variable: &Variable, field: &RustField) -> syn::Stmt {
    let label = syntax::literal(syn::Lit::Str(syn::LitStr::new(
        field.as_str(),
        proc_macro2::Span::call_site(),
    )));
    let value = || syntax::member(syntax::name("self"), field.to_ident());
    let shown = match (variable.visibility, variable.required) {
        // `&Redacted`
        (Visibility::Private, true) => syntax::name("Redacted"),
        // Whether it is set is not its value: `None` or `Some(<redacted>)`.
        // `&self.#ident.as_ref().map(|_| Redacted)`
        (Visibility::Private, false) => syntax::method_call(
            syntax::method_call(value(), syntax::ident("as_ref"), []),
            syntax::ident("map"),
            [syntax::closure_ignoring_argument(syntax::name("Redacted"))],
        ),
        // `&self.#ident`
        (Visibility::Public, _) => value(),
    };
    // `debug.field(#label, &..);`
    syntax::statement(syntax::method_call(
        syntax::name("debug"),
        syntax::ident("field"),
        [label, syntax::reference(shown)],
    ))
}

fn debug_impl(variables: &[Variable], runtime: &RuntimeCrate) -> TokenStream {
    let runtime = runtime.to_tokens();
    let import = variables
        .iter()
        .any(|variable| variable.visibility == Visibility::Private)
        .then(|| quote! { use #runtime::__private::Redacted; });
    quote! {
        #[allow(clippy::too_many_lines, reason = "one statement per Barekey variable")]
        impl ::core::fmt::Debug for BarekeyEnv {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #import
                // Statements rather than one method chain: a chain of 100k calls nests 100k deep.
                let mut debug = f.debug_struct("BarekeyEnv");
                debug.finish()
            }
        }
    }
}

/// One field's test in `PartialEq::eq`.
fn comparison(field: &RustField) -> syn::Stmt {
    // `if self.#ident != other.#ident { return false; }`
    syntax::return_false_unless_equal(
        syntax::member(syntax::name("self"), field.to_ident()),
        syntax::member(syntax::name("other"), field.to_ident()),
    )
}

/// `PartialEq` by hand: a derive compares every field in one `&&` chain, which nests as deep as
/// the manifest is long and overflows rustc's stack near 5,500 fields; statements stay flat.
fn partial_eq_impl(variables: &[Variable]) -> TokenStream {
    // With no fields, `other` is never read; naming it would be an unused-variable warning.
    let other = if variables.is_empty() {
        quote!(_)
    } else {
        quote!(other)
    };
    quote! {
        #[allow(clippy::too_many_lines, reason = "one comparison per Barekey variable")]
        impl ::core::cmp::PartialEq for BarekeyEnv {
            fn eq(&self, #other: &Self) -> bool {
                true
            }
        }
    }
}

fn doc(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote! { #[doc = #text] }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-stage manifest whose rollout and json array of objects are not required (as in a
    /// merged manifest), both private, beside a required variable.
    fn optional_module() -> String {
        let text = r#"{"projectSlug": "web", "stageSlug": "staging", "manifestVersion": "v1",
            "variables": [
              {"name": "PORT", "kind": "secret", "declaredType": "int64", "visibility": "public"},
              {"name": "SEARCH_ROLLOUT", "kind": "rollout", "declaredType": "string",
               "visibility": "private", "required": false,
               "typeScriptType": "\"old\" | \"new\"",
               "valueATypeScriptType": "\"old\"", "valueBTypeScriptType": "\"new\""},
              {"name": "TIERS", "kind": "secret", "declaredType": "json",
               "visibility": "private", "required": false,
               "typeScriptType": "Array<{ name: string; seats: number; }>"}
            ]}"#;
        let manifest = crate::manifest::parse(text, "m").unwrap().manifest;
        generate_rust(&manifest, &Options::default(), "m")
            .unwrap()
            .text
    }

    /// Each field of `BarekeyEnv`: its name, type and doc, as tokens and text.
    fn fields(file: &syn::File) -> Vec<(String, String, String)> {
        let env = file.items.iter().find_map(|item| match item {
            syn::Item::Struct(item) if item.ident == "BarekeyEnv" => Some(item),
            _ => None,
        });
        let env = env.expect("the module defines BarekeyEnv");
        env.fields
            .iter()
            .map(|field| {
                let docs: Vec<String> = field
                    .attrs
                    .iter()
                    .filter_map(|attr| match &attr.meta {
                        syn::Meta::NameValue(syn::MetaNameValue {
                            value:
                                syn::Expr::Lit(syn::ExprLit {
                                    lit: syn::Lit::Str(text),
                                    ..
                                }),
                            ..
                        }) => Some(text.value()),
                        _ => None,
                    })
                    .collect();
                let ty = &field.ty;
                let name = field.ident.as_ref().map(ToString::to_string);
                (
                    name.unwrap_or_default(),
                    quote!(#ty).to_string(),
                    docs.join("\n"),
                )
            })
            .collect()
    }

    #[test]
    fn optional_switches_and_json_arrays_are_options_read_as_options() {
        let text = optional_module();
        let file = syn::parse_file(&text).unwrap();
        let fields = fields(&file);
        let types: Vec<(&str, &str)> = fields
            .iter()
            .map(|(name, ty, _)| (name.as_str(), ty.as_str()))
            .collect();
        assert_eq!(
            types,
            [
                ("port", "i64"),
                (
                    "search_rollout",
                    ":: core :: option :: Option < SearchRollout >"
                ),
                (
                    "tiers",
                    ":: core :: option :: Option < :: std :: vec :: Vec < Tiers > >"
                ),
            ]
        );
        assert!(!fields[0].2.contains("None"), "{}", fields[0].2);
        for (name, _, doc) in &fields[1..] {
            assert!(
                doc.contains("\n\n Optional: `None` where it is not set."),
                "{name}: {doc}"
            );
        }
        for read in [
            "port: loader.read(\"PORT\", Public)",
            // The field's type says how: one `read` for every field.
            "search_rollout: loader.read(\"SEARCH_ROLLOUT\", Private)",
            "tiers: loader.read(\"TIERS\", Private)",
            // The switch's enum is read the switch way; a `Vec` of structs the runtime knows.
            "impl ::barekey_typegen_runtime::__private::Read for SearchRollout {\n    \
             type As = ::barekey_typegen_runtime::__private::Switch;\n}",
            // Private: `None` or `Some(<redacted>)`, never the value.
            "debug.field(\"search_rollout\", &self.search_rollout.as_ref().map(|_| Redacted));",
            "debug.field(\"tiers\", &self.tiers.as_ref().map(|_| Redacted));",
        ] {
            assert!(text.contains(read), "{read} is not in:\n{text}");
        }
        assert!(!text.contains("Read for Tiers"), "{text}");
        // One stage, even with optional variables: no list of stages.
        assert!(!text.contains("MANIFEST_VERSIONS"), "{text}");
        assert!(
            text.starts_with("// @generated by barekey-typegen from web/staging, manifest v1.")
        );
    }
}
