//! Lenient parsing of every manifest shape the service has sent, with full validation.

use std::fmt;

use serde_json::{Map, Value};

use super::model::{
    DeclaredType, Kind, Manifest, Milestone, RolloutFunction, Variable, Visibility,
};
use crate::{Error, Result, Warning};
use barekey_typegen_shared::Timestamp;
use barekey_typegen_shared::text::quoted;

/// A manifest that passed validation, with what is worth warning about.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Loaded {
    /// The manifest, variables sorted by name in byte order.
    pub manifest: Manifest,
    /// Unknown kinds, types and the like, each naming its variable.
    pub warnings: Vec<Warning>,
}

/// One thing wrong with a manifest, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    location: String,
    message: String,
}

impl Problem {
    fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            location: location.into(),
            message: message.into(),
        }
    }

    /// Where: `variables[2] ("PORT")`, `variables[2].required`, or the document itself.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What is wrong and, where it helps, what to do.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The problem of a manifest whose bytes stop being UTF-8 at `valid_up_to`.
    pub fn not_utf8(valid_up_to: usize) -> Self {
        Problem::new(
            "",
            format!(
                "not UTF-8 text (the first bad byte is at offset {valid_up_to}); a manifest is JSON in UTF-8"
            ),
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

/// Parses and validates manifest text. `origin` (a path or URL) names it in every message.
pub fn parse(text: &str, origin: &str) -> Result<Loaded> {
    let value = parse_json(text).map_err(|problem| invalid(origin, vec![problem]))?;
    parse_value(&value, origin)
}

/// Validates an already-parsed JSON document (as `pull` receives it).
pub fn parse_value(value: &Value, origin: &str) -> Result<Loaded> {
    let mut reader = Reader {
        origin,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let manifest = reader.manifest(value);
    match manifest {
        Some(manifest) if reader.problems.is_empty() => Ok(Loaded {
            manifest,
            warnings: reader.warnings,
        }),
        _ => Err(invalid(origin, reader.problems)),
    }
}

fn invalid(origin: &str, problems: Vec<Problem>) -> Error {
    Error::InvalidManifest {
        origin: origin.to_owned(),
        problems,
    }
}

fn parse_json(text: &str) -> Result<Value, Problem> {
    let text = text.trim_start_matches('\u{feff}');
    // JSON's own whitespace only (not U+2028 or a no-break space, which JSON rejects), and only
    // to look at the first character: serde_json reads the whole text, so the line numbers in
    // its errors are the file's.
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if trimmed.is_empty() {
        return Err(Problem::new(
            "",
            "the file is empty; run `barekey-typegen pull` to fetch the manifest again",
        ));
    }
    if trimmed.starts_with('<') {
        return Err(Problem::new(
            "",
            "this is an HTML page, not JSON; a login or error page was probably saved in place \
             of the manifest: run `barekey-typegen pull` to fetch it again",
        ));
    }
    serde_json::from_str(text).map_err(|error| {
        Problem::new(
            "",
            format!(
                "not valid JSON: {} (line {}, column {})",
                json_error_text(&error),
                error.line(),
                error.column()
            ),
        )
    })
}

/// serde_json appends " at line L column C" itself; we say it our way.
fn json_error_text(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Walks the document, recording every problem and warning; returns the manifest if its shape
/// was usable at all (callers still fail when any problem was recorded).
struct Reader<'a> {
    origin: &'a str,
    problems: Vec<Problem>,
    warnings: Vec<Warning>,
}

impl Reader<'_> {
    fn manifest(&mut self, value: &Value) -> Option<Manifest> {
        let Some(top) = value.as_object() else {
            self.problem(
                "",
                format!(
                    "the top level should be a JSON object with a `variables` array, found {}",
                    json_kind(value)
                ),
            );
            return None;
        };
        let fields = Fields {
            object: top,
            location: String::new(),
        };
        let org_id = fields.string(self, "orgId");
        let org_slug = fields.string(self, "orgSlug");
        let project_slug = fields.string(self, "projectSlug");
        let stage_slug = fields.string(self, "stageSlug");
        let manifest_version = self.manifest_version(top.get("manifestVersion"));
        let variables = match top.get("variables") {
            Some(Value::Array(items)) => self.variables(items),
            None | Some(Value::Null) => {
                self.problem(
                    "",
                    "there is no `variables` array; is this a Barekey typegen manifest?",
                );
                Vec::new()
            }
            Some(other) => {
                self.problem(
                    "variables",
                    format!(
                        "should be an array of variables, found {}",
                        json_kind(other)
                    ),
                );
                Vec::new()
            }
        };
        Some(Manifest {
            org_id,
            org_slug,
            project_slug,
            stage_slug,
            manifest_version_is_number: matches!(
                top.get("manifestVersion"),
                Some(Value::Number(_))
            ),
            manifest_version,
            variables,
            stages: Vec::new(),
        })
    }

    fn manifest_version(&mut self, value: Option<&Value>) -> Option<String> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            // Older docs show a number (`1`); keep its JSON spelling.
            Some(Value::Number(number)) => Some(number.to_string()),
            Some(other) => {
                self.problem(
                    "manifestVersion",
                    format!(
                        "should be a string (or a number), found {}",
                        json_kind(other)
                    ),
                );
                None
            }
        }
    }

    fn variables(&mut self, items: &[Value]) -> Vec<Variable> {
        let mut variables: Vec<(usize, Variable, Vec<Warning>)> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let before = self.warnings.len();
            let variable = self.variable(index, item);
            let warnings = self.warnings.split_off(before);
            variables.extend(variable.map(|variable| (index, variable, warnings)));
        }
        // Name order for the variables and their warnings: the output must not depend on the
        // order the server listed them in.
        variables.sort_by(|(_, a, _), (_, b, _)| a.name.cmp(&b.name));
        self.report_duplicates(&variables);
        variables
            .into_iter()
            .map(|(_, variable, warnings)| {
                self.warnings.extend(warnings);
                variable
            })
            .collect()
    }

    fn report_duplicates(&mut self, sorted: &[(usize, Variable, Vec<Warning>)]) {
        for group in sorted.chunk_by(|(_, a, _), (_, b, _)| a.name == b.name) {
            if let [(_, first, _), _, ..] = group {
                let mut indexes: Vec<usize> = group.iter().map(|(index, _, _)| *index).collect();
                indexes.sort_unstable();
                let at: Vec<String> = indexes.iter().map(|i| format!("variables[{i}]")).collect();
                self.problem(
                    format!("variable {}", quoted(&first.name)),
                    format!(
                        "appears {} times ({}); names must be unique, keep one",
                        group.len(),
                        at.join(", ")
                    ),
                );
            }
        }
    }

    fn variable(&mut self, index: usize, value: &Value) -> Option<Variable> {
        let location = format!("variables[{index}]");
        let Some(object) = value.as_object() else {
            self.problem(
                location,
                format!("should be an object, found {}", json_kind(value)),
            );
            return None;
        };
        let name = self.name(&location, object.get("name"));
        let location = match &name {
            Some(name) => format!("variables[{index}] ({})", quoted(name)),
            None => location,
        };
        let fields = Fields { object, location };
        let kind = fields.string(self, "kind");
        let declared_type = fields.string(self, "declaredType");
        let visibility = fields.string(self, "visibility");
        let required = fields.boolean(self, "required");
        let updated_at_ms = fields.integer(self, "updatedAtMs");
        let type_script_type = fields.string(self, "typeScriptType");
        let value_a_type_script_type = fields.string(self, "valueATypeScriptType");
        let value_b_type_script_type = fields.string(self, "valueBTypeScriptType");
        let rollout_function = fields.string(self, "rolloutFunction");
        let rollout_milestones = fields.milestones(self);
        let chance = fields.number(self, "chance");
        let name = name?;
        Some(Variable {
            kind: self.kind(&name, kind),
            declared_type: self.declared_type(&name, declared_type),
            visibility: self.visibility(&name, visibility),
            rollout_function: self.rollout_function(&name, rollout_function),
            required: required.unwrap_or(true),
            updated_at_ms,
            type_script_type,
            value_a_type_script_type,
            value_b_type_script_type,
            rollout_milestones,
            chance,
            only_in: Vec::new(),
            name,
        })
    }

    fn name(&mut self, location: &str, value: Option<&Value>) -> Option<String> {
        match value {
            Some(Value::String(name)) if !name.trim().is_empty() => Some(name.clone()),
            Some(Value::String(_)) => {
                self.problem(
                    location,
                    "has an empty name; give the variable a name in Barekey",
                );
                None
            }
            None | Some(Value::Null) => {
                self.problem(location, "has no `name`; every variable needs one");
                None
            }
            Some(other) => {
                self.problem(
                    format!("{location}.name"),
                    format!("should be a string, found {}", json_kind(other)),
                );
                None
            }
        }
    }

    fn kind(&mut self, variable: &str, found: Option<String>) -> Kind {
        let found = match found {
            None => return Kind::Secret,
            Some(found) => found,
        };
        Kind::from_wire(&found).unwrap_or_else(|| {
            self.warnings.push(Warning::UnknownKind {
                origin: self.origin.to_owned(),
                variable: variable.to_owned(),
                found,
            });
            Kind::Secret
        })
    }

    fn declared_type(&mut self, variable: &str, found: Option<String>) -> DeclaredType {
        let origin = self.origin.to_owned();
        let variable = variable.to_owned();
        match found {
            None => {
                self.warnings
                    .push(Warning::MissingDeclaredType { origin, variable });
                DeclaredType::String
            }
            Some(found) => DeclaredType::from_wire(&found).unwrap_or_else(|| {
                self.warnings.push(Warning::UnknownDeclaredType {
                    origin,
                    variable,
                    found,
                });
                DeclaredType::String
            }),
        }
    }

    fn visibility(&mut self, variable: &str, found: Option<String>) -> Visibility {
        let found = match found {
            None => return Visibility::Private,
            Some(found) => found,
        };
        Visibility::from_wire(&found).unwrap_or_else(|| {
            self.warnings.push(Warning::UnknownVisibility {
                origin: self.origin.to_owned(),
                variable: variable.to_owned(),
                found,
            });
            Visibility::Private
        })
    }

    fn rollout_function(
        &mut self,
        variable: &str,
        found: Option<String>,
    ) -> Option<RolloutFunction> {
        let found = found?;
        let function = RolloutFunction::from_wire(&found);
        if function.is_none() {
            self.warnings.push(Warning::UnknownRolloutFunction {
                origin: self.origin.to_owned(),
                variable: variable.to_owned(),
                found,
            });
        }
        function
    }

    fn problem(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(location, message));
    }
}

/// Typed access to an object's optional fields: `null` and absence are the same, a value of
/// the wrong JSON type is a problem.
struct Fields<'a> {
    object: &'a Map<String, Value>,
    location: String,
}

impl Fields<'_> {
    fn get(&self, key: &str) -> Option<&Value> {
        self.object.get(key).filter(|value| !value.is_null())
    }

    fn field_location(&self, key: &str) -> String {
        if self.location.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.location)
        }
    }

    fn wrong_type(&self, reader: &mut Reader<'_>, key: &str, expected: &str, found: &Value) {
        reader.problem(
            self.field_location(key),
            format!("should be {expected}, found {}", json_kind(found)),
        );
    }

    fn string(&self, reader: &mut Reader<'_>, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(text) => Some(text.clone()),
            other => {
                self.wrong_type(reader, key, "a string", other);
                None
            }
        }
    }

    fn boolean(&self, reader: &mut Reader<'_>, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(flag) => Some(*flag),
            other => {
                self.wrong_type(reader, key, "true or false", other);
                None
            }
        }
    }

    fn integer(&self, reader: &mut Reader<'_>, key: &str) -> Option<i64> {
        let value = self.get(key)?;
        let integer = value.as_i64().or_else(|| whole_f64(value));
        if integer.is_none() {
            self.wrong_type(reader, key, "an integer (Unix milliseconds)", value);
        }
        integer
    }

    fn number(&self, reader: &mut Reader<'_>, key: &str) -> Option<f64> {
        let value = self.get(key)?;
        let number = value.as_f64();
        if number.is_none() {
            self.wrong_type(reader, key, "a number", value);
        }
        number
    }

    fn milestones(&self, reader: &mut Reader<'_>) -> Option<Vec<Milestone>> {
        const KEY: &str = "rolloutMilestones";
        let items = match self.get(KEY)? {
            Value::Array(items) => items,
            other => {
                self.wrong_type(reader, KEY, "an array of {at, percentage}", other);
                return None;
            }
        };
        let base = self.field_location(KEY);
        let milestones: Vec<Option<Milestone>> = items
            .iter()
            .enumerate()
            .map(|(index, item)| milestone(reader, &format!("{base}[{index}]"), item))
            .collect();
        milestones.into_iter().collect()
    }
}

fn milestone(reader: &mut Reader<'_>, location: &str, value: &Value) -> Option<Milestone> {
    let Some(object) = value.as_object() else {
        reader.problem(
            location,
            format!(
                "should be an object {{at, percentage}}, found {}",
                json_kind(value)
            ),
        );
        return None;
    };
    let fields = Fields {
        object,
        location: location.to_owned(),
    };
    let at = match fields.get("at") {
        Some(Value::String(text)) => match text.parse::<Timestamp>() {
            Ok(at) => Some(at),
            Err(error) => {
                reader.problem(fields.field_location("at"), error.to_string());
                None
            }
        },
        // Tolerate Unix milliseconds, the other way the service stores instants.
        Some(number @ Value::Number(_)) => match number.as_i64() {
            Some(ms) => Some(Timestamp::from_unix_millis(ms)),
            None => {
                fields.wrong_type(reader, "at", "an RFC 3339 date", number);
                None
            }
        },
        Some(other) => {
            fields.wrong_type(reader, "at", "an RFC 3339 date", other);
            None
        }
        None => {
            reader.problem(location, "has no `at` date");
            None
        }
    };
    let percentage = fields.number(reader, "percentage");
    if percentage.is_none() && fields.get("percentage").is_none() {
        reader.problem(location, "has no `percentage`");
    }
    Some(Milestone::new(at?, percentage?))
}

/// `1.7e12` and `1773300000000.0` are integers too, as JavaScript writes them.
fn whole_f64(value: &Value) -> Option<i64> {
    let number = value.as_f64()?;
    let in_range = number.fract() == 0.0 && number.abs() < 9.007_199_254_740_992e15;
    #[allow(
        clippy::cast_possible_truncation,
        reason = "checked whole and within 2^53 above"
    )]
    in_range.then_some(number as i64)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
