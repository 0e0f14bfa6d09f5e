//! What must hold for the output of any valid manifest, checked by parsing the output back
//! (never by searching it for text): shared by the property tests and the fuzz harness.

use barekey_typegen::codegen::{self, Options, TsMode};
use barekey_typegen::manifest::Manifest;

/// Every output of one manifest, and the warnings of each.
#[derive(Debug, PartialEq)]
pub(crate) struct Outputs {
    pub(crate) rust: String,
    pub(crate) standalone: String,
    pub(crate) sdk: String,
    pub(crate) warnings: Vec<String>,
}

/// Generates Rust and both TypeScript modes; generation of a valid manifest must not fail.
pub(crate) fn generate_all(manifest: &Manifest) -> Outputs {
    let options = Options::default();
    let rust = codegen::generate_rust(manifest, &options, "m").unwrap_or_else(|e| panic!("{e}"));
    let typescript = |mode| {
        codegen::generate_typescript(manifest, &options.clone().with_ts_mode(mode), "m")
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let standalone = typescript(TsMode::Standalone);
    // The SDK file types one stage: a merged manifest is refused, never half written.
    let sdk = if manifest.stages.is_empty() {
        Some(typescript(TsMode::Sdk))
    } else {
        let refused =
            codegen::generate_typescript(manifest, &options.clone().with_ts_mode(TsMode::Sdk), "m");
        assert!(refused.is_err(), "--ts-mode sdk wrote several stages");
        None
    };
    let sdk_warnings = sdk
        .as_ref()
        .map(|sdk| sdk.warnings.as_slice())
        .unwrap_or_default();
    let mut warnings: Vec<String> = [&rust.warnings[..], &standalone.warnings[..], sdk_warnings]
        .into_iter()
        .flatten()
        .map(ToString::to_string)
        .collect();
    warnings.sort();
    Outputs {
        rust: rust.text,
        standalone: standalone.text,
        sdk: sdk.map(|sdk| sdk.text).unwrap_or_default(),
        warnings,
    }
}

/// Generates everything for `manifest` and checks every invariant; panics naming the first
/// broken one.
pub(crate) fn check_manifest(manifest: &Manifest) -> Outputs {
    let outputs = generate_all(manifest);
    let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
    if manifest.stages.is_empty() {
        check_rust(&outputs.rust, &names);
        check_sdk(&outputs.sdk, &names);
    } else {
        check_rust_items(&outputs.rust, &names, &MERGED_ITEMS);
    }
    check_standalone_of(&outputs.standalone, &names, !manifest.stages.is_empty());
    outputs
}

/// The items of a one-stage module (`const *`: one `Var` constant per variable).
const ITEMS: [&str; 7] = [
    "const MANIFEST_VERSION",
    "struct BarekeyEnv",
    "impl BarekeyEnv: from_env from_lookup load",
    "impl :: core :: cmp :: PartialEq for BarekeyEnv: eq",
    "impl :: core :: fmt :: Debug for BarekeyEnv: fmt",
    "impl BarekeyEnv: const *",
    "impl :: barekey_typegen_runtime :: GeneratedEnv for BarekeyEnv: const STAGES const \
     VARIABLES from_loader",
];

/// The items of a module generated from several stages: one more, the version list.
const MERGED_ITEMS: [&str; 8] = [
    "const MANIFEST_VERSION",
    "const MANIFEST_VERSIONS",
    "struct BarekeyEnv",
    "impl BarekeyEnv: from_env from_lookup load",
    "impl :: core :: cmp :: PartialEq for BarekeyEnv: eq",
    "impl :: core :: fmt :: Debug for BarekeyEnv: fmt",
    "impl BarekeyEnv: const *",
    "impl :: barekey_typegen_runtime :: GeneratedEnv for BarekeyEnv: const STAGES const \
     VARIABLES from_loader",
];

/// The Rust module parses, holds exactly the generated items, one distinct field per variable,
/// each read under its exact name and documented with it.
pub(crate) fn check_rust(text: &str, names: &[&str]) {
    check_rust_items(text, names, &ITEMS);
}

/// [`check_rust`] for a module whose top-level items are `expected`.
pub(crate) fn check_rust_items(text: &str, names: &[&str], expected: &[&str]) {
    let file = syn::parse_file(text).unwrap_or_else(|error| panic!("{error}:\n{text}"));
    let mut items = Vec::new();
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    // The variables' own types (A/B enums, JSON structs) and the types their impls are for.
    let mut own_types = Vec::new();
    let mut own_impls = Vec::new();
    // Each `Var` constant's name and the variable name it is made with.
    let mut constants = Vec::new();
    let mut listed = 0;
    for item in &file.items {
        match item {
            syn::Item::Const(item) => items.push(format!("const {}", item.ident)),
            syn::Item::Enum(item) => own_types.push(item.ident.to_string()),
            syn::Item::Struct(item) if item.ident != "BarekeyEnv" => {
                own_types.push(item.ident.to_string());
            }
            syn::Item::Impl(item) if !is_barekey_env(&item.self_ty) => {
                let self_ty = &item.self_ty;
                own_impls.push(quote::quote!(#self_ty).to_string());
            }
            syn::Item::Struct(item) => {
                items.push(format!("struct {}", item.ident));
                for field in &item.fields {
                    let ident = field.ident.as_ref().expect("named fields").to_string();
                    fields.push((ident, doc_of(&field.attrs)));
                }
            }
            syn::Item::Impl(item) if item.trait_.is_none() && is_constants(item) => {
                items.push("impl BarekeyEnv: const *".to_owned());
                constants.extend(item.items.iter().map(constant_of));
            }
            syn::Item::Impl(item) => {
                let functions: Vec<String> = item
                    .items
                    .iter()
                    .map(|item| match item {
                        syn::ImplItem::Fn(function) => function.sig.ident.to_string(),
                        syn::ImplItem::Const(constant) if item_is_trait_const(constant) => {
                            if constant.ident == "VARIABLES" {
                                listed = variables_listed(constant);
                            }
                            format!("const {}", constant.ident)
                        }
                        other => panic!("unexpected impl item {}", quote::quote!(#other)),
                    })
                    .collect();
                let trait_ = item
                    .trait_
                    .as_ref()
                    .map(|(_, path, _)| quote::quote!(#path));
                let trait_ = trait_
                    .map(|path| format!("{path} for "))
                    .unwrap_or_default();
                items.push(format!("impl {trait_}BarekeyEnv: {}", functions.join(" ")));
                collect_reads(item, &mut reads);
            }
            other => panic!("unexpected item {}", quote::quote!(#other)),
        }
    }
    assert_eq!(
        items, expected,
        "the module holds exactly the generated items"
    );
    let mut distinct = own_types.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), own_types.len(), "type names are distinct");
    for name in &own_types {
        assert!(
            name != "BarekeyEnv" && name != "MANIFEST_VERSION",
            "{name}: a generated type takes a name of the module"
        );
    }
    for self_ty in &own_impls {
        assert!(
            own_types.contains(self_ty),
            "an impl for {self_ty}, which the module does not define"
        );
    }
    let mut unique: Vec<&str> = fields.iter().map(|(ident, _)| ident.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "one distinct field per variable");
    // Each field is read by its exact name (the struct literal of `load`, in field order).
    let read_names: Vec<&str> = reads.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(
        read_names, names,
        "every variable is read by its exact name"
    );
    // One `Var` constant per field, its name in upper case, made with the exact name, and
    // listed in `GeneratedEnv::VARIABLES`.
    let expected_constants: Vec<(String, String)> = fields
        .iter()
        .zip(names)
        .map(|((ident, _), name)| {
            let ident = ident.strip_prefix("r#").unwrap_or(ident);
            (ident.to_ascii_uppercase(), (*name).to_owned())
        })
        .collect();
    assert_eq!(
        constants, expected_constants,
        "one Var constant per field, named after it"
    );
    assert_eq!(listed, names.len(), "VARIABLES lists every variable");
    for ((ident, doc), (read_ident, name)) in fields.iter().zip(&reads) {
        assert_eq!(
            ident, read_ident,
            "{name:?}: declared and read as one field"
        );
        assert!(
            doc.contains(&one_line(name)),
            "{name:?}: the doc comment shows the name: {doc:?}"
        );
    }
}

/// Whether `item` is the `impl BarekeyEnv` of `Var` constants (it holds no function).
fn is_constants(item: &syn::ItemImpl) -> bool {
    item.items
        .iter()
        .all(|item| matches!(item, syn::ImplItem::Const(_)))
}

/// Whether `constant` is one of `GeneratedEnv`'s (not public: a trait's items take none).
fn item_is_trait_const(constant: &syn::ImplItemConst) -> bool {
    matches!(constant.vis, syn::Visibility::Inherited)
}

/// A `Var` constant's name and the variable name it is made with (its first argument).
fn constant_of(item: &syn::ImplItem) -> (String, String) {
    let syn::ImplItem::Const(constant) = item else {
        panic!("unexpected item {}", quote::quote!(#item));
    };
    let syn::Expr::Call(call) = &constant.expr else {
        panic!("{} is not made by a call", constant.ident);
    };
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    })) = call.args.first()
    else {
        panic!("{} is not made with a literal name", constant.ident);
    };
    (constant.ident.to_string(), name.value())
}

/// How many elements the array of `const VARIABLES: .. = &[..]` has.
fn variables_listed(constant: &syn::ImplItemConst) -> usize {
    match &constant.expr {
        syn::Expr::Reference(reference) => match &*reference.expr {
            syn::Expr::Array(array) => array.elems.len(),
            _ => panic!("VARIABLES is not a reference to an array"),
        },
        _ => panic!("VARIABLES is not a reference to an array"),
    }
}

fn is_barekey_env(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("BarekeyEnv"))
}

fn doc_of(attrs: &[syn::Attribute]) -> String {
    let mut doc = String::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            doc.push_str(&text.value());
            doc.push('\n');
        }
    }
    doc
}

/// `field: loader.read("NAME", ..)` pairs of the `Self { .. }` literal in `load`.
fn collect_reads(item: &syn::ItemImpl, reads: &mut Vec<(String, String)>) {
    for item in &item.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        for stmt in &function.block.stmts {
            let syn::Stmt::Local(syn::Local {
                init: Some(init), ..
            }) = stmt
            else {
                continue;
            };
            let syn::Expr::Struct(literal) = &*init.expr else {
                continue;
            };
            for field in &literal.fields {
                let syn::Member::Named(ident) = &field.member else {
                    panic!("unnamed member");
                };
                let syn::Expr::MethodCall(call) = &field.expr else {
                    panic!("{ident} is not read with a method call");
                };
                let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                })) = call.args.first()
                else {
                    panic!("{ident} is not read by a literal name");
                };
                reads.push((ident.to_string(), name.value()));
            }
        }
    }
}

/// The manifest text as the generators put it in a comment: control characters escaped.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if barekey_typegen_shared::text::is_hidden(c) {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The standalone module's interface has exactly one line per variable whose key, read back
/// as a TypeScript property name, is the variable's exact name; nothing else is exported.
pub(crate) fn check_standalone(text: &str, names: &[&str]) {
    check_standalone_of(text, names, false);
}

/// [`check_standalone`] for a module of one stage (`merged` false) or several, which also
/// exports the stages' version list.
pub(crate) fn check_standalone_of(text: &str, names: &[&str], merged: bool) {
    let body = between(text, "export interface BarekeyEnv {", "\n}\n");
    let lines: Vec<&str> = body.lines().skip(1).collect();
    assert_eq!(
        lines.len(),
        2 * names.len(),
        "two lines per variable:\n{body}"
    );
    let keys: Vec<String> = lines
        .chunks(2)
        .map(|pair| {
            assert!(pair[0].starts_with("  /** ") && pair[0].ends_with(" */"));
            assert_eq!(pair[0].matches("*/").count(), 1, "{}", pair[0]);
            let declaration = pair[1].strip_prefix("  readonly ").expect(pair[1]);
            property_name(declaration).0
        })
        .collect();
    assert_eq!(keys, names, "every key is its variable's exact name");
    let versions: &[&str] = if merged {
        &["const barekeyManifestVersions:"]
    } else {
        &[]
    };
    let expected: Vec<&str> = ["const barekeyManifestVersion"]
        .into_iter()
        .chain(versions.iter().copied())
        .chain([
            "type BarekeyKnownKey",
            "interface BarekeyEnv",
            "type BarekeyDeclaredType",
            "interface BarekeyEnvProblem",
            "class BarekeyEnvError",
            "type BarekeyEnvSource",
            "function parseBarekeyEnv",
            "function parseBarekeyValue",
        ])
        .collect();
    check_exports(text, &expected);
    check_known_keys(text, names);
}

/// The SDK file: one line per variable in the augmented interface, keyed by the exact name
/// (in `localeCompare` order, which tests/testsuite/sdk_mode.rs checks against Node: here, as a
/// set).
pub(crate) fn check_sdk(text: &str, names: &[&str]) {
    let body = between(text, "interface BarekeyGeneratedTypeMap {\n", "  }\n}\n");
    let mut keys: Vec<String> = body
        .lines()
        .filter(|line| !names.is_empty() || !line.is_empty())
        .map(|line| {
            let (key, rest) = property_name(line.strip_prefix("    ").expect(line));
            assert!(rest.starts_with(": ") && rest.ends_with(';'), "{line}");
            key
        })
        .collect();
    let union = known_keys(text, names);
    assert_eq!(
        keys, union,
        "the interface and the union list the names in one order"
    );
    keys.sort();
    assert_eq!(keys, names, "every key is its variable's exact name");
    check_exports(
        text,
        &["type BarekeyKnownKey", "const barekeyManifestVersion"],
    );
    let lines = text.lines().count();
    // The fixed lines, one per variable in the interface and one per variable in the union
    // (with none, an empty line and `never`).
    let expected = 14 + 2 * names.len().max(1);
    assert_eq!(lines, expected, "no line was injected:\n{text}");
}

/// The `BarekeyKnownKey` union lists exactly the names, in name order.
fn check_known_keys(text: &str, names: &[&str]) {
    assert_eq!(known_keys(text, names), names);
}

/// The names the `BarekeyKnownKey` union lists, in its order.
fn known_keys(text: &str, names: &[&str]) -> Vec<String> {
    let union = between(text, "export type BarekeyKnownKey =", ";\n");
    if names.is_empty() {
        assert!(union == " never" || union == "\n  never", "{union:?}");
        return Vec::new();
    }
    union
        .lines()
        .skip(1)
        .map(|line| {
            let (key, rest) = property_name(line.strip_prefix("  | ").expect(line));
            assert!(rest.is_empty(), "{line}");
            key
        })
        .collect()
}

/// Every line starting with `export ` is one of `expected`, each exactly once, in order.
fn check_exports(text: &str, expected: &[&str]) {
    let exports: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("export "))
        .map(|rest| {
            rest.split([' ', '<', '(', '='])
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        exports, expected,
        "the module exports exactly the generated items"
    );
}

/// The text after `start` up to the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let (_, rest) = text
        .split_once(start)
        .unwrap_or_else(|| panic!("no {start:?}"));
    rest.split_once(end)
        .unwrap_or_else(|| panic!("no {end:?}"))
        .0
}

/// A property name at the start of `text` (an identifier, or a JSON-compatible string
/// literal), decoded, and the text after it.
fn property_name(text: &str) -> (String, &str) {
    if text.starts_with('"') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<String>();
        let key = stream.next().expect(text).expect(text);
        (key, &text[stream.byte_offset()..])
    } else {
        let end = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(text.len());
        assert!(end > 0, "no property name at {text:?}");
        (text[..end].to_owned(), &text[end..])
    }
}
