//! Attributes the user adds to generated Rust (prost-build's `type_attribute` and
//! `field_attribute`): serde derives, `#[non_exhaustive]`, lints. Each is parsed with syn when
//! given, and matched against the module's types and fields when it is generated.

use std::fmt;

use proc_macro2::TokenStream;

use super::Pattern;
use crate::{Error, Result};

pub use barekey_typegen_core::AttributeProblem;

/// One or more outer attributes, checked to parse: `#[derive(serde::Serialize)]`, or the same
/// without `#[..]` (`derive(serde::Serialize)`).
///
/// ```
/// use barekey_typegen::codegen::Attribute;
///
/// let attribute = Attribute::new("#[derive(serde::Serialize)]")?;
/// assert_eq!(attribute.to_string(), "#[derive(serde::Serialize)]");
/// assert_eq!(Attribute::new("derive(Hash)")?.to_string(), "#[derive(Hash)]");
/// assert!(Attribute::new("#![deny(warnings)]").is_err());
/// assert!(Attribute::new("#[derive(").is_err());
/// # Ok::<(), barekey_typegen::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Attribute {
    /// As written, in `#[..]`: what messages show.
    written: String,
    /// The attributes' tokens as text: checked to parse, kept as text so that every formatting
    /// thread can read them (tokens cannot cross threads).
    tokens: String,
}

impl Attribute {
    /// `text` checked to be outer attributes; [`Error::InvalidAttribute`] otherwise.
    pub fn new(text: &str) -> Result<Attribute> {
        let invalid = |reason: String| Error::InvalidAttribute {
            attribute: text.to_owned(),
            reason,
        };
        let written = match text.trim() {
            bare if !bare.starts_with('#') => format!("#[{bare}]"),
            attributes => attributes.to_owned(),
        };
        let attributes = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &written)
            .map_err(|error| invalid(error.to_string()))?;
        if attributes.is_empty() {
            return Err(invalid("there is no attribute".to_owned()));
        }
        let tokens = attributes
            .iter()
            .map(|attribute| quote::ToTokens::to_token_stream(attribute).to_string())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Attribute { written, tokens })
    }

    /// The attributes, parsed again (they parsed in [`Attribute::new`]).
    pub(crate) fn parsed(&self) -> Vec<syn::Attribute> {
        syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &self.tokens).unwrap_or_default()
    }

    /// The attributes as tokens, for `quote!`.
    pub(crate) fn tokens(&self) -> TokenStream {
        self.tokens.parse().unwrap_or_default()
    }

    /// The last path segment of every trait it derives (`Debug` for `#[derive(::core::fmt::Debug)]`).
    fn derived(&self) -> Vec<String> {
        let mut traits = Vec::new();
        for attribute in self.parsed() {
            if !attribute.path().is_ident("derive") {
                continue;
            }
            let paths = attribute.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            );
            for path in paths.into_iter().flatten() {
                traits.extend(path.segments.last().map(|last| last.ident.to_string()));
            }
        }
        traits
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl fmt::Debug for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attribute({})", self.written)
    }
}

/// The attributes added to generated Rust ([`Options::attributes`](super::Options::attributes)):
/// each type whose name matches a type pattern gets its attributes, each field of `BarekeyEnv`
/// whose Barekey name matches a field pattern gets its own. Patterns are [`Pattern`]s: `*`
/// matches any run of characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attributes {
    /// For generated types, by name: `BarekeyEnv`, an A/B enum (`CheckoutFlow`), a JSON struct
    /// (`ThemeConfig`), or `*` for every one.
    pub types: Vec<(Pattern, Attribute)>,
    /// For the fields of `BarekeyEnv`, by the variable's Barekey name (`DATABASE_URL`, `*`).
    pub fields: Vec<(Pattern, Attribute)>,
}

impl Attributes {
    /// The attributes of the generated type `name`, in the order given.
    pub(crate) fn of_type(&self, name: &str) -> TokenStream {
        matching(&self.types, name)
    }

    /// The attributes of the field of the variable `name`, in the order given.
    pub(crate) fn of_field(&self, name: &str) -> Vec<syn::Attribute> {
        self.fields
            .iter()
            .filter(|(pattern, _)| pattern.matches(name))
            .flat_map(|(_, attribute)| attribute.parsed())
            .collect()
    }

    /// Every way these attributes do not fit a module whose types are `types` (each with the
    /// traits it implements itself) and whose variables are `variables`.
    pub(crate) fn problems(
        &self,
        types: &[(&str, &[&str])],
        variables: &[&str],
    ) -> Vec<AttributeProblem> {
        let mut problems = Vec::new();
        for (pattern, attribute) in &self.types {
            let named = pattern
                .name()
                .filter(|name| !types.iter().any(|(t, _)| t == name));
            if let Some(name) = named {
                let names = types.iter().map(|(name, _)| *name);
                problems.push(AttributeProblem::UnknownType {
                    name: name.to_owned(),
                    attribute: attribute.to_string(),
                    suggestions: suggest(name, names),
                });
            }
            if pattern.name().is_none() && !types.iter().any(|(name, _)| pattern.matches(name)) {
                problems.push(AttributeProblem::NoMatch {
                    pattern: pattern.to_string(),
                    attribute: attribute.to_string(),
                    of: "type",
                });
            }
            let derived = attribute.derived();
            for (name, implemented) in types.iter().filter(|(name, _)| pattern.matches(name)) {
                for trait_name in derived.iter().filter(|t| implemented.contains(&t.as_str())) {
                    problems.push(AttributeProblem::Implemented {
                        type_name: (*name).to_owned(),
                        trait_name: trait_name.clone(),
                        attribute: attribute.to_string(),
                    });
                }
            }
        }
        for (pattern, attribute) in &self.fields {
            let named = pattern.name().filter(|name| !variables.contains(name));
            if let Some(name) = named {
                problems.push(AttributeProblem::UnknownField {
                    name: name.to_owned(),
                    attribute: attribute.to_string(),
                    suggestions: suggest(name, variables.iter().copied()),
                });
            }
            if pattern.name().is_none() && !variables.iter().any(|name| pattern.matches(name)) {
                problems.push(AttributeProblem::NoMatch {
                    pattern: pattern.to_string(),
                    attribute: attribute.to_string(),
                    of: "variable",
                });
            }
        }
        problems
    }
}

fn matching(attributes: &[(Pattern, Attribute)], name: &str) -> TokenStream {
    attributes
        .iter()
        .filter(|(pattern, _)| pattern.matches(name))
        .map(|(_, attribute)| attribute.tokens())
        .collect()
}

fn suggest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<String> {
    crate::suggest::closest_names(name, candidates)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(types: &[(&str, &str)], fields: &[(&str, &str)]) -> Attributes {
        let parse = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(pattern, attribute)| {
                    (Pattern::new(pattern), Attribute::new(attribute).unwrap())
                })
                .collect()
        };
        Attributes {
            types: parse(types),
            fields: parse(fields),
        }
    }

    #[test]
    fn invalid_attributes_are_refused_with_the_parsers_reason() {
        for text in [
            "#![deny(warnings)]",
            "#[derive(",
            "",
            "fn main() {}",
            "#[a] fn",
        ] {
            let error = Attribute::new(text).unwrap_err();
            assert!(
                matches!(&error, Error::InvalidAttribute { attribute, .. } if attribute == text),
                "{text}: {error}"
            );
        }
        let several = Attribute::new("#[derive(Hash)] #[non_exhaustive]").unwrap();
        assert_eq!(several.parsed().len(), 2);
    }

    #[test]
    fn patterns_pick_types_and_fields() {
        let added = attributes(
            &[
                ("*", "derive(serde::Serialize)"),
                ("Checkout*", "non_exhaustive"),
            ],
            &[("DATABASE_URL", "#[serde(skip)]")],
        );
        assert_eq!(
            added.of_type("CheckoutFlow").to_string(),
            "# [derive (serde :: Serialize)] # [non_exhaustive]"
        );
        assert_eq!(
            added.of_type("BarekeyEnv").to_string(),
            "# [derive (serde :: Serialize)]"
        );
        assert_eq!(added.of_field("DATABASE_URL").len(), 1);
        assert!(added.of_field("PORT").is_empty());
    }

    #[test]
    fn unknown_names_and_derives_of_implemented_traits_are_problems() {
        let added = attributes(
            &[
                ("BarekeyEvn", "derive(Hash)"),
                ("*", "derive(::core::fmt::Debug, serde::Serialize)"),
                ("Check*", "derive(Eq)"),
            ],
            &[("DATABASE_UR", "serde(skip)"), ("*_URL", "serde(skip)")],
        );
        let types: [(&str, &[&str]); 2] = [
            ("BarekeyEnv", &["Clone", "PartialEq", "Debug"]),
            (
                "CheckoutFlow",
                &["Clone", "Copy", "PartialEq", "Eq", "Hash", "Debug"],
            ),
        ];
        let problems: Vec<String> = added
            .problems(&types, &["DATABASE_URL", "PORT"])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "no generated type `BarekeyEvn` for `#[derive(Hash)]` (did you mean `BarekeyEnv`?)",
                "`BarekeyEnv` implements `Debug` itself, and shows no private value: \
                 `#[derive(::core::fmt::Debug, serde::Serialize)]` cannot derive it",
                "`CheckoutFlow` implements `Debug` itself: \
                 `#[derive(::core::fmt::Debug, serde::Serialize)]` cannot derive it",
                "`CheckoutFlow` implements `Eq` itself: `#[derive(Eq)]` cannot derive it",
                "no variable `DATABASE_UR` in the module for `#[serde(skip)]` (did you mean \
                 `DATABASE_URL`?)",
            ]
        );
    }
}
