//! [`Arm`], which arm of an A/B switch or rollout a value is: what generated enums' `arm()`
//! return, with or without the `decisions` feature.

use barekey_typegen_shared::js::trim as js_trim;

/// The arm a decision selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arm {
    /// Arm A (`valueA`): the control, or the value before a rollout.
    A,
    /// Arm B (`valueB`): the treatment, or the value a rollout moves to.
    B,
}

impl Arm {
    /// The wire name: `a` or `b`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Arm::A => "a",
            Arm::B => "b",
        }
    }

    /// The arm with this wire name (`a` or `b`, any case, trimmed as JavaScript trims), if it is
    /// one.
    pub fn from_wire(text: &str) -> Option<Arm> {
        [Arm::A, Arm::B]
            .into_iter()
            .find(|arm| arm.as_str().eq_ignore_ascii_case(js_trim(text)))
    }
}
