//! The Rust structs of a json variable whose `typeScriptType` is an object type (or an `Array`
//! of one): which structs, their fields, and the Rust type of each field.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::ts_type::TsType;
use crate::Warning;
use crate::manifest::{DeclaredType, Variable};
use crate::naming::{self, RustField, quote_js};

/// The Rust type of a value inside a variable's JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// `string`: `String`.
    String,
    /// `number`: `f64`.
    Number,
    /// `boolean`: `bool`.
    Boolean,
    /// Anything else: `JsonValue`.
    Any,
    /// `Array<T>`: `Vec<T>`.
    Array(Box<Shape>),
    /// An object type: the struct at this index of the variable's [`Structs`].
    Struct(usize),
}

/// One generated struct.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Struct {
    /// The type name before collisions are resolved: the parent's name and the key.
    pub(crate) base: String,
    /// Where its objects are in the variable's JSON, for its doc (`THEME_CONFIG.colors`).
    pub(crate) path: String,
    /// Its fields in key order.
    pub(crate) fields: Vec<Field>,
}

/// One field of a generated struct.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The key in the JSON, exactly.
    pub(crate) key: String,
    /// The field's name.
    pub(crate) ident: RustField,
    /// The key's type as TypeScript prints it, for the doc.
    pub(crate) type_script: String,
    /// The field's type.
    pub(crate) shape: Shape,
}

/// The structs of one variable, and the shape of its field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Structs {
    pub(crate) top: Shape,
    pub(crate) structs: Vec<Struct>,
}

/// How many `Array`s may nest directly in a field's Rust type (`Vec<Vec<...>>`); a longer run
/// stays `JsonValue`, as other types outside the structs' grammar do.
///
/// Why: syn and prettyplease walk a type recursively, with large frames in a debug build (a
/// build script's): 64 nested `Vec`s overflow a 2 MiB thread stack there, 50 do not; and
/// rustc refuses 128 (its recursion limit). Objects nest without limit here (up to the type
/// grammar's cap): each is a struct of its own, and a field names it without nesting.
const MAX_VEC_NESTING: usize = 32;

/// The most keys of an object type that become the fields of a struct; a wider object is read
/// as `JsonValue`, with a [`Warning::WideJsonShape`].
///
/// Checking a struct costs rustc more than its width times a constant, even with the code
/// that reads and compares it split into small functions (field names are looked up one by
/// one): `cargo check` of one such struct took 0.9 s at 2,048 keys, 2 s at 4,096, 8 s at
/// 10,000 and 90 s (2.2 GB) at 50,000. An object type listing thousands of keys is a map in
/// all but name.
pub const MAX_STRUCT_FIELDS: usize = 4_096;

/// An object key of a json variable's type that no struct field can be read by: it holds a
/// lone surrogate, which the runtime reads as U+FFFD. Its TypeScript literal (`"\ud800"`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotUnicodeKey(pub(crate) String);

impl Structs {
    /// The structs of `variable` when it is json and its `typeScriptType` is an object type or
    /// an `Array` of one (at any depth); `None` otherwise (its field stays `JsonValue`), and an
    /// error when a key of one of the structs is not valid Unicode (the field stays
    /// `JsonValue` too). `type_base` is the name its own type starts from (`ThemeConfig`). An
    /// object type wider than [`MAX_STRUCT_FIELDS`] is `JsonValue` (the whole field, when it is
    /// the outermost one), and is warned about in `warnings`.
    pub(crate) fn of(
        variable: &Variable,
        type_base: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<Structs>, NotUnicodeKey> {
        if variable.declared_type != DeclaredType::Json {
            return Ok(None);
        }
        let Some(ty) = variable.type_script_type.as_deref().and_then(TsType::parse) else {
            return Ok(None);
        };
        let (arrays, element) = array_run(&ty);
        if !matches!(element, TsType::Object(_)) || arrays > MAX_VEC_NESTING {
            return Ok(None);
        }
        let mut structs = Vec::new();
        let mut shaper = Shaper {
            variable: &variable.name,
            structs: &mut structs,
            warnings,
        };
        let top = shape(&ty, type_base, &variable.name, &mut shaper)?;
        Ok((!structs.is_empty()).then_some(Structs { top, structs }))
    }
}

/// What [`shape`] adds to as it goes: the structs, and warnings naming the variable.
struct Shaper<'a> {
    variable: &'a str,
    structs: &'a mut Vec<Struct>,
    warnings: &'a mut Vec<Warning>,
}

/// The shape of `ty`, adding the structs of its object types; `base` names the struct of an
/// object here and `path` says where it is. Recursive, as deep as the type, which its grammar
/// bounds.
fn shape(
    ty: &TsType,
    base: &str,
    path: &str,
    shaper: &mut Shaper<'_>,
) -> Result<Shape, NotUnicodeKey> {
    Ok(match ty {
        TsType::Keyword("string") => Shape::String,
        TsType::Keyword("number") => Shape::Number,
        TsType::Keyword("boolean") => Shape::Boolean,
        TsType::Array(_) => {
            let (arrays, element) = array_run(ty);
            if arrays > MAX_VEC_NESTING {
                return Ok(Shape::Any);
            }
            let element_path = format!("{path}{}", "[]".repeat(arrays));
            let mut shape = shape(element, base, &element_path, shaper)?;
            for _ in 0..arrays {
                shape = Shape::Array(Box::new(shape));
            }
            shape
        }
        TsType::Object(members) if members.len() > MAX_STRUCT_FIELDS => {
            shaper.warnings.push(Warning::WideJsonShape {
                variable: shaper.variable.to_owned(),
                path: path.to_owned(),
                keys: members.len(),
                max: MAX_STRUCT_FIELDS,
            });
            Shape::Any
        }
        TsType::Object(members) => {
            let index = shaper.structs.len();
            shaper.structs.push(Struct {
                base: base.to_owned(),
                path: path.to_owned(),
                fields: Vec::new(),
            });
            let keys = members
                .iter()
                .map(|member| {
                    let key = &member.key;
                    key.text()
                        .ok_or_else(|| NotUnicodeKey(key.quoted(quote_js)))
                })
                .collect::<Result<Vec<&str>, _>>()?;
            // Key collisions are resolved like variable names (deterministically), quietly: the
            // key is in each field's doc.
            let (idents, _) = naming::rust_fields(&keys);
            let fields = members
                .iter()
                .zip(keys)
                .zip(idents)
                .map(|((member, key), ident)| {
                    let child_base = format!("{base}{}", ident.as_str().to_upper_camel_case());
                    let child_path = format!("{path}{}", path_step(key));
                    Ok(Field {
                        key: key.to_owned(),
                        type_script: member.ty.print(),
                        shape: shape(&member.ty, &child_base, &child_path, shaper)?,
                        ident,
                    })
                })
                .collect::<Result<_, _>>()?;
            shaper.structs[index].fields = fields;
            Shape::Struct(index)
        }
        _ => Shape::Any,
    })
}

/// How many `Array`s nest directly at the top of `ty`, and the type inside them.
fn array_run(ty: &TsType) -> (usize, &TsType) {
    let (mut arrays, mut element) = (0, ty);
    while let TsType::Array(inner) = element {
        arrays += 1;
        element = inner;
    }
    (arrays, element)
}

/// `.key`, or `["key"]` when the key is not an ASCII identifier (as the runtime writes paths).
fn path_step(key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        format!(".{key}")
    } else {
        format!("[{}]", serde_json::Value::from(key))
    }
}

impl Shape {
    /// The Rust type, with the structs named `names` (by index) and the runtime at `runtime`.
    pub(crate) fn tokens(
        &self,
        names: &[proc_macro2::Ident],
        runtime: &TokenStream,
    ) -> TokenStream {
        match self {
            Shape::String => quote!(::std::string::String),
            Shape::Number => quote!(f64),
            Shape::Boolean => quote!(bool),
            Shape::Any => quote!(#runtime::JsonValue),
            Shape::Array(inner) => {
                let inner = inner.tokens(names, runtime);
                quote!(::std::vec::Vec<#inner>)
            }
            Shape::Struct(index) => {
                let name = &names[*index];
                quote!(#name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structs(type_script: &str) -> Option<Structs> {
        structs_or_key(type_script).unwrap()
    }

    fn structs_or_key(type_script: &str) -> Result<Option<Structs>, NotUnicodeKey> {
        let mut variable: Variable = crate::manifest::parse(
            r#"{"variables":[{"name":"THEME_CONFIG","declaredType":"json"}]}"#,
            "test",
        )
        .unwrap()
        .manifest
        .variables
        .remove(0);
        variable.type_script_type = Some(type_script.to_owned());
        Structs::of(&variable, "ThemeConfig", &mut Vec::new())
    }

    #[test]
    fn object_types_become_nested_structs() {
        let found = structs(
            "{ darkMode: boolean; tiers: Array<{ \"max-seats\": number; }>; label: string | null; }",
        )
        .unwrap();
        assert_eq!(found.top, Shape::Struct(0));
        let names: Vec<(&str, &str)> = found
            .structs
            .iter()
            .map(|s| (s.base.as_str(), s.path.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("ThemeConfig", "THEME_CONFIG"),
                ("ThemeConfigTiers", "THEME_CONFIG.tiers[]")
            ]
        );
        let shapes: Vec<(&str, &Shape)> = found.structs[0]
            .fields
            .iter()
            .map(|f| (f.ident.as_str(), &f.shape))
            .collect();
        assert_eq!(
            shapes,
            [
                ("dark_mode", &Shape::Boolean),
                ("tiers", &Shape::Array(Box::new(Shape::Struct(1)))),
                ("label", &Shape::Any),
            ]
        );
        assert_eq!(found.structs[1].fields[0].ident.as_str(), "max_seats");
    }

    #[test]
    fn only_object_types_and_arrays_of_them_are_structs() {
        assert_eq!(
            structs("Array<Array<{ a: string; }>>").map(|s| s.top),
            Some(Shape::Array(Box::new(Shape::Array(Box::new(
                Shape::Struct(0)
            )))))
        );
        for other in [
            "Array<string>",
            "unknown",
            "Record<string, never>",
            "null",
            "{ a: string; } | null",
            "{ a: ",
        ] {
            assert_eq!(structs(other), None, "{other}");
        }
    }

    #[test]
    fn a_key_no_rust_string_holds_keeps_the_field_a_json_value() {
        for text in [
            "{ \"\\ud800\": number; }",
            "Array<{ a: { b: string; \"x\\udfffy\": null; }; }>",
        ] {
            let key = structs_or_key(text).err().map(|NotUnicodeKey(key)| key);
            assert!(
                key.is_some_and(|key| key.contains("\\ud") && key.starts_with('"')),
                "{text}"
            );
        }
        // Only the structs' keys count: inside a member that stays `JsonValue`, any key will do.
        let beside = structs("{ a: { \"\\ud800\": number; } | null; b: string; }").unwrap();
        assert_eq!(beside.structs.len(), 1);
        assert_eq!(beside.structs[0].fields[0].shape, Shape::Any);
    }

    #[test]
    fn runs_of_arrays_past_the_vec_limit_stay_json_values() {
        let arrays = |count: usize, inner: &str| {
            format!("{}{inner}{}", "Array<".repeat(count), ">".repeat(count))
        };
        let top = structs(&arrays(MAX_VEC_NESTING, "{ a: string; }"))
            .unwrap()
            .top;
        let mut vecs = 0;
        let mut shape = &top;
        while let Shape::Array(inner) = shape {
            vecs += 1;
            shape = inner;
        }
        assert_eq!((vecs, shape), (MAX_VEC_NESTING, &Shape::Struct(0)));
        assert_eq!(
            structs(&arrays(MAX_VEC_NESTING + 1, "{ a: string; }")),
            None
        );
        // In a field: that field alone.
        let field = format!(
            "{{ a: {}; b: {}; }}",
            arrays(MAX_VEC_NESTING + 1, "string"),
            arrays(2, "number")
        );
        let found = structs(&field).unwrap();
        let shapes: Vec<&Shape> = found.structs[0].fields.iter().map(|f| &f.shape).collect();
        let numbers = Shape::Array(Box::new(Shape::Array(Box::new(Shape::Number))));
        assert_eq!(shapes, [&Shape::Any, &numbers]);
        // Objects nest as deep as the grammar goes: a struct each.
        let deep = format!("{}string{}", "{ a: ".repeat(100), "; }".repeat(100));
        assert_eq!(structs(&deep).map(|s| s.structs.len()), Some(100));
    }
}
