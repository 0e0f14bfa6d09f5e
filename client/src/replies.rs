//! The replies of the runtime routes, read in every shape the service sends.
//! Values are secrets: no `Debug` here shows one.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

// What `barekey_env!` expands to, reading one text by a declared type: this crate is of the
// runtime's version, so it may call the plumbing generated code calls.
use barekey_typegen_runtime::__private::read_lookup;
use barekey_typegen_runtime::{
    Arm, DecisionKind, DeclaredType, DeclaredValue, Error, Kind, Var, Visibility, arm_for_bucket,
};
use barekey_typegen_shared::Redacted;

/// Every variable of a stage as text, from `POST /v1/env/pull`.
///
/// `Debug` shows the names only.
#[derive(Clone, PartialEq, Eq)]
pub struct Pulled {
    values: BTreeMap<String, String>,
    request_id: Option<String>,
}

impl Pulled {
    /// Reads `{variables: {NAME: text}}`, `{values: [{name, value}], byName}` or a flat
    /// `{NAME: text}`, each with an optional `requestId`; `None` for any other JSON.
    pub(super) fn read(body: &Value) -> Option<Pulled> {
        let object = body.as_object()?;
        let values = if let Some(Value::Object(variables)) = object.get("variables") {
            variables
                .iter()
                .filter_map(|(name, value)| Some((name.clone(), text(value)?)))
                .collect()
        } else if let Some(Value::Array(entries)) = object.get("values") {
            let named = |entry: &Value| {
                let name = entry.get("name")?.as_str()?.to_owned();
                Some((name, text(entry.get("value")?)?))
            };
            entries.iter().filter_map(named).collect()
        } else {
            object
                .iter()
                .filter(|(name, _)| *name != "requestId")
                .filter_map(|(name, value)| Some((name.clone(), text(value)?)))
                .collect()
        };
        Some(Pulled {
            values,
            request_id: request_id(body),
        })
    }

    /// The text of the variable `name`, if the stage has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A lookup for a generated `BarekeyEnv::from_lookup`, which then parses and checks
    /// every variable at once.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |name| self.get(name).map(str::to_owned)
    }

    /// The variables' names, in byte order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The reply's `requestId`, if it had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Debug for Pulled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.names().collect();
        f.debug_struct("Pulled")
            .field("names", &names)
            .field("values", &Redacted)
            .field("request_id", &self.request_id)
            .finish()
    }
}

/// The arm an A/B switch or rollout selected, from `POST /v1/env/evaluate`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Decision {
    /// The arm selected: A (`valueA`) or B (`valueB`).
    pub arm: Arm,
    /// The bucket in `[0, 1)`, when the service said.
    pub bucket: Option<f64>,
    /// The chance the bucket was compared with, when the service said (of A for an
    /// `ab_roll`, of B for a `rollout`).
    pub chance: Option<f64>,
}

impl Decision {
    /// Reads `"a"`/`"b"`, or `{bucket, chance, ...}` (the arm then follows from `kind`).
    fn read(decision: &Value, kind: Option<Kind>) -> Option<Decision> {
        if let Some(arm) = decision.as_str().and_then(Arm::from_wire) {
            return Some(Decision {
                arm,
                bucket: None,
                chance: None,
            });
        }
        let bucket = decision.get("bucket")?.as_f64()?;
        let chance = decision.get("chance")?.as_f64()?;
        let kind = match kind {
            Some(Kind::Rollout) => DecisionKind::Rollout,
            _ => DecisionKind::AbRoll,
        };
        Some(Decision {
            arm: arm_for_bucket(kind, bucket, chance),
            bucket: Some(bucket),
            chance: Some(chance),
        })
    }
}

/// One variable from `POST /v1/env/evaluate` (or one entry of a batch): its value as text
/// (`T = String`), or parsed by its declared type
/// ([`Client::evaluate_as`](super::Client::evaluate_as)).
///
/// `Debug` never shows the value.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Evaluated<T = String> {
    /// The variable's name.
    pub name: String,
    /// Its kind, when the service said and this version knows it.
    pub kind: Option<Kind>,
    /// Its value: of the arm selected, for an A/B switch or a rollout.
    pub value: T,
    /// Its stored declared type, when the service said and this version knows it.
    pub declared_type: Option<DeclaredType>,
    /// The arm selected, for an A/B switch or a rollout.
    pub decision: Option<Decision>,
    /// The reply's `requestId`, if it had one.
    pub request_id: Option<String>,
}

impl Evaluated {
    /// Reads `{name, kind, value, declaredType?, decision?, requestId?}`.
    pub(super) fn read(body: &Value) -> Result<Evaluated, &'static str> {
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .ok_or("an evaluation without a name")?;
        let value = body
            .get("value")
            .and_then(text)
            .ok_or("an evaluation without a value")?;
        let word = |key| body.get(key).and_then(Value::as_str);
        let kind = word("kind").and_then(Kind::from_wire);
        let decision = match body.get("decision") {
            None | Some(Value::Null) => None,
            Some(decision) => Some(
                Decision::read(decision, kind)
                    .ok_or("a decision that is neither \"a\", \"b\" nor {bucket, chance}")?,
            ),
        };
        Ok(Evaluated {
            name: name.to_owned(),
            kind,
            value,
            declared_type: word("declaredType").and_then(DeclaredType::from_wire),
            decision,
            request_id: request_id(body),
        })
    }

    /// The value parsed as a `T`, as a private variable (an invalid value is never shown).
    pub(super) fn parse<T: DeclaredValue>(self) -> Result<Evaluated<T>, Error> {
        let lookup = |_: &str| Some(self.value.clone());
        let value = read_lookup::<T>(&lookup, &self.name, Visibility::Private)?;
        Ok(Evaluated {
            name: self.name,
            kind: self.kind,
            value,
            declared_type: self.declared_type,
            decision: self.decision,
            request_id: self.request_id,
        })
    }
}

impl Evaluated {
    /// The value read by `var`'s rules (its declared type, arms or JSON shape; shown in an error
    /// only when the variable is public).
    pub(super) fn typed<T>(self, var: &Var<T>) -> Result<Evaluated<T>, Error> {
        let Evaluated {
            name,
            kind,
            value,
            declared_type,
            decision,
            request_id,
        } = self;
        Ok(Evaluated {
            value: var.parse(Some(value))?,
            name,
            kind,
            declared_type,
            decision,
            request_id,
        })
    }
}

impl<T> fmt::Debug for Evaluated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluated")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("value", &Redacted)
            .field("declared_type", &self.declared_type)
            .field("decision", &self.decision)
            .field("request_id", &self.request_id)
            .finish()
    }
}

/// Several variables from `POST /v1/env/evaluate-batch`, in the order of the reply.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Batch {
    /// Each variable evaluated.
    pub results: Vec<Evaluated>,
    /// The reply's `requestId`, if it had one.
    pub request_id: Option<String>,
}

impl Batch {
    /// Reads an array of evaluations under `entries`, `results` or `values`.
    pub(super) fn read(body: &Value) -> Result<Batch, &'static str> {
        let entries = ["entries", "results", "values"]
            .into_iter()
            .find_map(|key| body.get(key)?.as_array())
            .ok_or("a batch reply without entries, results or values")?;
        Ok(Batch {
            results: entries
                .iter()
                .map(Evaluated::read)
                .collect::<Result<_, _>>()?,
            request_id: request_id(body),
        })
    }

    /// The evaluation of the variable `name`, if it was asked for.
    pub fn get(&self, name: &str) -> Option<&Evaluated> {
        self.results.iter().find(|result| result.name == name)
    }

    /// A lookup for a generated `BarekeyEnv::from_lookup`.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |name| self.get(name).map(|result| result.value.clone())
    }
}

/// A value as text: strings as they are, other JSON (numbers, booleans, objects) as JSON
/// text; `null` is no value.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

fn request_id(body: &Value) -> Option<String> {
    body.get("requestId")?.as_str().map(str::to_owned)
}
