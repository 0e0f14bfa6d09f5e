//! The two arms of an A/B switch or rollout, when its Rust type can be an enum of them.

use barekey_typegen_shared::js;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::manifest::{DeclaredType, Kind, Variable};
use crate::ts_type::TsType;

/// Arm A's and arm B's values, parsed from `valueATypeScriptType` / `valueBTypeScriptType`.
#[derive(Debug, Clone, PartialEq)]
pub enum Arms {
    /// A `string` switch.
    String([String; 2]),
    /// An `int64` switch.
    Int64([i64; 2]),
    /// A `float` switch.
    Float([f64; 2]),
}

impl Arms {
    /// The arms of `variable` when it is an ab_roll or rollout of type string, int64 or float
    /// whose two arm types are literals of that type, fit its Rust type and differ as values.
    /// `None` otherwise (a boolean, date or json switch, a secret, an older manifest without
    /// arm types, equal arms): the field then keeps its declared type.
    pub fn of(variable: &Variable) -> Option<Arms> {
        if variable.kind == Kind::Secret {
            return None;
        }
        let arm = |text: &Option<String>| TsType::parse(text.as_deref()?);
        let (a, b) = (
            arm(&variable.value_a_type_script_type)?,
            arm(&variable.value_b_type_script_type)?,
        );
        let arms = match (variable.declared_type, a, b) {
            (DeclaredType::String, TsType::String(a), TsType::String(b)) => Arms::String([a, b]),
            (DeclaredType::Int64, TsType::BigInt(a), TsType::BigInt(b)) => {
                Arms::Int64([a.parse().ok()?, b.parse().ok()?])
            }
            (DeclaredType::Float, TsType::Number(a), TsType::Number(b)) => {
                // The value the runtime reads from the same text: JavaScript's `Number`.
                let finite = |text: String| Some(js::number(&text)).filter(|x| x.is_finite());
                Arms::Float([finite(a)?, finite(b)?])
            }
            _ => return None,
        };
        // Equal as values (`0` and `-0`, `1.0` and `1`): no text could tell the arms apart.
        let distinct = match &arms {
            Arms::String([a, b]) => a != b,
            Arms::Int64([a, b]) => a != b,
            Arms::Float([a, b]) => a != b,
        };
        distinct.then_some(arms)
    }

    /// The variants' names: the UpperCamelCase of two string arms when that gives two distinct
    /// identifiers, else `A` and `B`.
    pub fn variant_names(&self) -> [String; 2] {
        let fallback = || ["A".to_owned(), "B".to_owned()];
        let Arms::String([a, b]) = self else {
            return fallback();
        };
        match (variant_name(a), variant_name(b)) {
            (Some(a), Some(b)) if a != b => [a, b],
            _ => fallback(),
        }
    }

    /// The arms' values as Rust expressions of the value type: `"control"`, `42i64`, `0.5f64`.
    pub fn value_tokens(&self) -> [TokenStream; 2] {
        match self {
            Arms::String(arms) => arms.each_ref().map(|arm| {
                let arm = crate::doc::rust_string(arm);
                quote!(#arm)
            }),
            Arms::Int64(arms) => arms.map(|arm| quote!(#arm)),
            Arms::Float(arms) => arms.map(|arm| quote!(#arm)),
        }
    }

    /// The arms as documentation shows them: `"control"`, `42`, `0.5`.
    pub fn shown(&self) -> [String; 2] {
        match self {
            Arms::String(arms) => arms.each_ref().map(|arm| format!("{arm:?}")),
            Arms::Int64(arms) => arms.map(|arm| arm.to_string()),
            Arms::Float(arms) => arms.map(|arm| format!("{arm:?}")),
        }
    }
}

/// A string arm as an UpperCamelCase ASCII identifier, if it makes one: transliterated like
/// field names, never empty, never starting with a digit, never `Self`.
fn variant_name(arm: &str) -> Option<String> {
    let mut name = deunicode::deunicode(arm).to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric());
    let starts_well = name.starts_with(|c: char| c.is_ascii_alphabetic());
    (starts_well && name != "Self").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn switch(declared: DeclaredType, a: &str, b: &str) -> Variable {
        let mut variable: Variable = crate::manifest::parse(
            r#"{"variables":[{"name":"X","kind":"ab_roll","declaredType":"string"}]}"#,
            "test",
        )
        .unwrap()
        .manifest
        .variables
        .remove(0);
        variable.declared_type = declared;
        variable.value_a_type_script_type = Some(a.to_owned());
        variable.value_b_type_script_type = Some(b.to_owned());
        variable
    }

    #[test]
    fn string_int_and_float_arms_are_read() {
        let arms = |declared, a, b| Arms::of(&switch(declared, a, b));
        assert_eq!(
            arms(DeclaredType::String, "\"control\"", "\"treatment\""),
            Some(Arms::String(["control".to_owned(), "treatment".to_owned()]))
        );
        assert_eq!(
            arms(DeclaredType::Int64, "1n", "-42n"),
            Some(Arms::Int64([1, -42]))
        );
        assert_eq!(
            arms(DeclaredType::Float, "0.5", "1e3"),
            Some(Arms::Float([0.5, 1000.0]))
        );
    }

    /// A float arm is the number the runtime reads from the same text (JavaScript's `Number`),
    /// so the variable's text matches its arm whatever notation the literal uses.
    #[test]
    fn float_arms_are_the_numbers_the_runtime_reads() {
        use barekey_typegen_runtime::DeclaredValue;
        // Past 128 bits too, rounded once (the arms once stopped at `u128`).
        let hex = format!("0x{}", "f3a9c".repeat(8));
        let binary = format!("0b1{}1", "0".repeat(140));
        let octal = format!("0o{}", "7".repeat(60));
        for (a, b) in [
            (".5", "5."),
            ("+1e3", "2"),
            ("0x1F", "-1.5e-3"),
            ("0o17", "0B101"),
            (hex.as_str(), binary.as_str()),
            (octal.as_str(), "1"),
        ] {
            let Some(Arms::Float(arms)) = Arms::of(&switch(DeclaredType::Float, a, b)) else {
                panic!("{a} | {b} are not float arms");
            };
            for (text, arm) in [a, b].into_iter().zip(arms) {
                assert_eq!(f64::parse_text(text), Ok(arm), "{text}");
            }
        }
    }

    #[test]
    fn unusable_arms_keep_the_declared_type() {
        let arms = |declared, a, b| Arms::of(&switch(declared, a, b));
        assert_eq!(arms(DeclaredType::Boolean, "false", "true"), None);
        assert_eq!(arms(DeclaredType::String, "\"same\"", "\"same\""), None);
        assert_eq!(arms(DeclaredType::Float, "0", "-0"), None);
        assert_eq!(arms(DeclaredType::Float, "1e400", "1"), None);
        assert_eq!(
            arms(DeclaredType::Int64, "99999999999999999999n", "1n"),
            None
        );
        assert_eq!(arms(DeclaredType::String, "1n", "\"x\""), None);
        assert_eq!(arms(DeclaredType::String, "string", "\"x\""), None);
        let mut older = switch(DeclaredType::String, "\"a\"", "\"b\"");
        older.value_b_type_script_type = None;
        assert_eq!(Arms::of(&older), None);
    }

    #[test]
    fn variants_are_the_arms_when_they_make_two_identifiers() {
        let names = |a: &str, b: &str| Arms::String([a.to_owned(), b.to_owned()]).variant_names();
        assert_eq!(names("control", "treatment"), ["Control", "Treatment"]);
        assert_eq!(names("new-flow", "über"), ["NewFlow", "Uber"]);
        assert_eq!(names("fn", "self"), ["A", "B"]);
        assert_eq!(names("", "x"), ["A", "B"]);
        assert_eq!(names("on_off", "OnOff"), ["A", "B"]);
        assert_eq!(names("1st", "2nd"), ["A", "B"]);
        assert_eq!(names("match", "loop"), ["Match", "Loop"]);
        assert_eq!(Arms::Int64([1, 2]).variant_names(), ["A", "B"]);
    }
}
