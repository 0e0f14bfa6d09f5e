//! The TypeScript module: plain text, since every piece taken from the manifest is either
//! quoted with [`quote_js`], made inert in a comment, or re-printed from the parsed
//! `typeScriptType` grammar (the service's).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::doc::code_span;
use super::ts_type::TsType;
use super::{Generated, Options, Selection, generated_from, optional_note, scopes};
use crate::manifest::{DeclaredType, Kind, Manifest, Variable};
use crate::naming::{quote_js, typescript_key};
use crate::{Result, Warning};

/// Which TypeScript file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TsMode {
    /// A self-contained module with no imports: `BarekeyEnv`, `parseBarekeyEnv` and friends.
    #[default]
    Standalone,
    /// The official Barekey CLI's `declare module "@barekey/sdk"` file, byte for byte whenever
    /// that file would type-check (as the official CLI's output does). Feature `sdk` (on with `cli`).
    #[cfg(feature = "sdk")]
    Sdk,
}

/// How deep a json type may nest and still be spelled out twice in the module, in the
/// interface and in its check's predicate; deeper, the predicate names the interface's field
/// ([`Typed::checked_type`]). tsc compares two copies to 99 levels of objects; 32, the grammar's
/// cap before it rose, keeps every type that compiled before spelled as it was.
const SPELLED_TWICE_DEPTH: usize = 32;

/// The runtime helpers, split into sections so a module carries only those it uses (a user's
/// `noUnusedLocals` would reject the others).
const RUNTIME: &str = include_str!("ts_runtime.ts");

/// Generates the TypeScript file for `manifest` in the mode `options.ts_mode` says.
///
/// A `typeScriptType` outside the service's `typeScriptType` grammar is never copied to the output: the
/// variable is typed `unknown` (json) or by its declared type (A/B switches and rollouts), with
/// a [`Warning::UnsupportedTypeScriptType`] in the standalone module and a
/// [`Warning::SdkTypeDiffers`] in the SDK file. `origin` names the manifest in warnings.
///
/// ```
/// use barekey_typegen::codegen::{self, TsMode};
///
/// let text = r#"{"manifestVersion": "v1", "variables": [
///     {"name": "PORT", "kind": "secret", "declaredType": "int64"},
///     {"name": "my-var", "kind": "ab_roll", "declaredType": "string",
///      "typeScriptType": "\"a\" | \"b\""}
/// ]}"#;
/// let loaded = barekey_typegen::manifest::parse(text, "barekey.manifest.json")?;
/// let options = codegen::Options::default().with_ts_mode(TsMode::Standalone);
/// let module = codegen::generate_typescript(&loaded.manifest, &options, "m")?;
/// assert!(module.text.contains("  readonly PORT: bigint;\n"));
/// assert!(module.text.contains("  readonly \"my-var\": \"a\" | \"b\";\n"));
/// # Ok::<(), barekey_typegen::Error>(())
/// ```
///
/// Only the variables `options.selection` selects are generated (an error when it names what
/// the manifest lacks: [`Selection::apply`](super::Selection::apply)); the SDK file, the
/// official one byte for byte, refuses a selection.
pub fn generate_typescript(
    manifest: &Manifest,
    options: &Options,
    origin: &str,
) -> Result<Generated> {
    refuse_selection_in_sdk_file(options)?;
    let selected = options.selection.apply(manifest, origin)?;
    generate_selected(&selected, options, origin)
}

/// [`Error::SdkModeSelection`](crate::Error::SdkModeSelection) for the SDK file with a
/// selection: the official file types every variable of its stage.
fn refuse_selection_in_sdk_file(options: &Options) -> Result<()> {
    match options.ts_mode {
        #[cfg(feature = "sdk")]
        TsMode::Sdk if !options.selection.is_everything() => Err(crate::Error::SdkModeSelection),
        _ => Ok(()),
    }
}

/// [`generate_typescript`] for a manifest `options.selection` was already applied to (the
/// pipeline's, which selects once for every output).
pub(crate) fn generate_selected(
    manifest: &Manifest,
    options: &Options,
    origin: &str,
) -> Result<Generated> {
    refuse_selection_in_sdk_file(options)?;
    match options.ts_mode {
        TsMode::Standalone => {}
        // The official file types one stage's variables for the SDK, which fails on a variable
        // its stage lacks: it has no way to say "only in some stages".
        #[cfg(feature = "sdk")]
        TsMode::Sdk if !manifest.stages.is_empty() => {
            return Err(crate::Error::SdkModeOneStage {
                stages: manifest
                    .stages
                    .iter()
                    .map(|stage| stage.slug.clone())
                    .collect(),
            });
        }
        #[cfg(feature = "sdk")]
        TsMode::Sdk => return Ok(super::ts_sdk::generate(manifest, origin)),
    }
    let mut warnings = Vec::new();
    let typed: Vec<Typed<'_>> = manifest
        .variables
        .iter()
        .map(|variable| Typed::new(variable, origin, &mut warnings))
        .collect();
    let text = standalone(manifest, &options.selection, &typed);
    Ok(Generated { text, warnings })
}

/// A variable and its TypeScript type.
struct Typed<'a> {
    variable: &'a Variable,
    /// The parsed `typeScriptType` (json), or the arms' union (ab_roll, rollout), when usable.
    ty: Option<TsType>,
}

impl<'a> Typed<'a> {
    fn new(variable: &'a Variable, origin: &str, warnings: &mut Vec<Warning>) -> Self {
        // A date's arms are instants, never literal types: its type is always `Date`.
        let needs_type = match variable.declared_type {
            DeclaredType::Json => true,
            DeclaredType::Date => false,
            _ => variable.kind != Kind::Secret,
        };
        let Some(text) = variable.type_script_type.as_deref().filter(|_| needs_type) else {
            return Typed { variable, ty: None };
        };
        let parsed = TsType::parse(text).filter(|ty| fits(ty, variable));
        if parsed == Some(TsType::Keyword("unknown")) {
            // The declared type's own: read without a check.
            return Typed { variable, ty: None };
        }
        if parsed.is_none() {
            warnings.push(Warning::UnsupportedTypeScriptType {
                origin: origin.to_owned(),
                variable: variable.name.clone(),
                found: text.to_owned(),
                used: base_type(variable.declared_type).to_owned(),
            });
        }
        Typed {
            variable,
            ty: parsed,
        }
    }

    /// The type in the standalone module.
    fn standalone_type(&self) -> String {
        match &self.ty {
            Some(ty) => ty.print(),
            None => base_type(self.variable.declared_type).to_owned(),
        }
    }

    /// The parser expression `parseBarekeyEnv` reads this variable with.
    fn parser(&self) -> String {
        let declared = self.variable.declared_type;
        match (&self.ty, declared) {
            (Some(ty), DeclaredType::Json) => {
                let check = ty.json_check("value", 0);
                format!(
                    "parseJson((value: unknown): value is {} => {check}, {})",
                    self.checked_type(ty),
                    quote_js(&ty.print())
                )
            }
            (Some(ty), _) => {
                let arms: Vec<String> = ty.members().iter().map(TsType::print).collect();
                format!(
                    "oneOf({}, [{}] as const)",
                    base_parser(declared),
                    arms.join(", ")
                )
            }
            (None, _) => base_parser(declared).to_owned(),
        }
    }

    /// The type a json check's predicate names: `ty` itself, or for a type nested deeper than
    /// [`SPELLED_TWICE_DEPTH`] the interface's own field (`BarekeyEnv["X"]`).
    ///
    /// Why: two copies of an object type are two types to tsc, which compares them level by
    /// level when the parsed value meets its field, and gives up at 100 levels ("Excessive
    /// stack depth comparing types"); the field itself is the same type, compared at once.
    fn checked_type(&self, ty: &TsType) -> String {
        if ty.depth() <= SPELLED_TWICE_DEPTH {
            return ty.print();
        }
        let key = quote_js(&self.variable.name);
        match self.variable.required {
            true => format!("BarekeyEnv[{key}]"),
            // An optional field's type read through `BarekeyEnv` has `undefined` added;
            // `Required` gives the field's own type, the very one `barekeyValueReaders` names.
            false => format!("Required<BarekeyEnv>[{key}]"),
        }
    }

    /// The runtime sections the parser needs.
    fn sections(&self) -> Vec<&'static str> {
        let declared = self.variable.declared_type;
        let mut sections = vec![declared.as_str()];
        if !self.variable.required {
            sections.push("optional");
        }
        match &self.ty {
            Some(_) if declared != DeclaredType::Json => sections.push("arms"),
            Some(ty) => {
                let mut helpers = BTreeSet::new();
                ty.json_helpers(&mut helpers);
                sections.extend(helpers);
            }
            None if declared == DeclaredType::Json => sections.push("anyjson"),
            None => {}
        }
        sections
    }
}

/// Whether a parsed `typeScriptType` can type this variable: any type for a json secret; for an
/// A/B switch or rollout of a json value too, else only literal types of the declared type
/// (whose values `oneOf` checks at run time).
fn fits(ty: &TsType, variable: &Variable) -> bool {
    // The SDK's date type exists only in the SDK file.
    if ty.names_temporal_instant() {
        return false;
    }
    if variable.declared_type == DeclaredType::Json {
        return true;
    }
    ty.members().iter().all(|member| {
        matches!(
            (member, variable.declared_type),
            (TsType::String(_), DeclaredType::String)
                | (TsType::Boolean(_), DeclaredType::Boolean)
                | (TsType::BigInt(_), DeclaredType::Int64)
                | (TsType::Number(_), DeclaredType::Float)
        )
    })
}

fn base_type(declared: DeclaredType) -> &'static str {
    match declared {
        DeclaredType::String => "string",
        DeclaredType::Boolean => "boolean",
        DeclaredType::Int64 => "bigint",
        DeclaredType::Float => "number",
        DeclaredType::Date => "Date",
        DeclaredType::Json => "unknown",
    }
}

fn base_parser(declared: DeclaredType) -> &'static str {
    match declared {
        DeclaredType::String => "parseString",
        DeclaredType::Boolean => "parseBoolean",
        DeclaredType::Int64 => "parseInt64",
        DeclaredType::Float => "parseFloat64",
        DeclaredType::Date => "parseDate",
        DeclaredType::Json => "parseJson(isAnyJson, \"unknown\")",
    }
}

/// Text from the manifest inside a `/** ... */` comment: one line, as a Markdown code span,
/// with `*/` broken up and `@` escaped so it can neither end the comment nor start a tag.
fn comment(text: &str) -> String {
    inert(&code_span(text))
}

/// Text for a `/** ... */` comment, already on one line, with `*/` broken up and `@` escaped.
fn inert(text: &str) -> String {
    text.replace("*/", "*\\/").replace('@', "\\@")
}

fn manifest_version(manifest: &Manifest) -> String {
    quote_js(manifest.manifest_version.as_deref().unwrap_or_default())
}

/// What the module's docs say it covers: `` `project/stage` ``, or for a manifest merged from
/// several stages `` the stages `project/a`, `project/b` ``.
fn scope(manifest: &Manifest) -> String {
    let spans: Vec<String> = scopes(manifest)
        .iter()
        .map(|scope| comment(scope))
        .collect();
    match manifest.stages.is_empty() {
        true => spans.join(", "),
        false => format!("the stages {}", spans.join(", ")),
    }
}

/// `barekeyManifestVersion`, and for a manifest merged from several stages
/// `barekeyManifestVersions`, each with its doc.
fn manifest_versions(manifest: &Manifest) -> String {
    if manifest.stages.is_empty() {
        return format!(
            "/** The `manifestVersion` of the manifest this module was generated from. */\n\
             export const barekeyManifestVersion = {};\n\n",
            manifest_version(manifest)
        );
    }
    let pairs: Vec<String> = manifest
        .stages
        .iter()
        .map(|stage| {
            let version = stage.manifest_version.as_deref().unwrap_or_default();
            format!("\n  [{}, {}],", quote_js(&stage.slug), quote_js(version))
        })
        .collect();
    format!(
        "/**\n * The `manifestVersion` of each stage's snapshot this module was generated from, as\n \
         * `stage=manifestVersion` joined by `, `; `barekeyManifestVersions` lists them one by one.\n \
         */\n\
         export const barekeyManifestVersion = {};\n\n\
         /** Each stage's slug and the `manifestVersion` of its snapshot, in byte order of the slugs. */\n\
         export const barekeyManifestVersions: ReadonlyArray<readonly [stage: string, manifestVersion: string]> = [{}\n];\n\n",
        manifest_version(manifest),
        pairs.join("")
    )
}

/// `export type BarekeyKnownKey = ...;`, one name per line, `never` when there are none.
fn known_key(typed: &[Typed<'_>]) -> String {
    if typed.is_empty() {
        return "export type BarekeyKnownKey = never;\n".to_owned();
    }
    let mut out = String::from("export type BarekeyKnownKey =");
    for entry in typed {
        write!(out, "\n  | {}", quote_js(&entry.variable.name)).unwrap();
    }
    out.push_str(";\n");
    out
}

fn standalone(manifest: &Manifest, selection: &Selection, typed: &[Typed<'_>]) -> String {
    let scope = scope(manifest);
    let (noun, selected_by) = (selection.noun(), selection.selected_by(&comment));
    let mut out = format!(
        "// @generated by barekey-typegen from {}. Do not edit.\n\
         /* eslint-disable */\n\
         // Needs ES2020 or later (bigint); no imports, works as an ES module and as CommonJS.\n\n",
        super::doc::one_line(&generated_from(manifest)),
    );
    out.push_str(&manifest_versions(manifest));
    write!(
        out,
        "/** The name of every {noun} of {scope}{selected_by}. */\n{}\n",
        known_key(typed)
    )
    .unwrap();
    let optional = match manifest.stages.is_empty() {
        true => "",
        false => "; a variable only some of them have is optional",
    };
    write!(
        out,
        "/** Every {noun} of {scope}{selected_by}, typed by its declared type{optional}. */\n\
         export interface BarekeyEnv {{\n"
    )
    .unwrap();
    for entry in typed {
        let variable = entry.variable;
        // Only a variable some stages lack pays for the note: required ones take no extra work.
        let (note, mark) = match variable.required {
            true => (String::new(), ""),
            false => {
                let note = inert(&optional_note(variable));
                (format!(" {note}: absent where it is not set."), "?")
            }
        };
        write!(
            out,
            "  /** {}: kind `{}`, type `{}`, {}.{note} */\n  readonly {}{mark}: {};\n",
            comment(&variable.name),
            variable.kind,
            variable.declared_type,
            variable.visibility,
            typescript_key(&variable.name),
            entry.standalone_type()
        )
        .unwrap();
    }
    out.push_str("}\n\n");
    out.push_str(ERROR_TYPES);
    out.push_str(&readers(typed));
    out.push_str(&parse_function(typed));
    out.push_str(&parse_value_function(typed));
    let used: BTreeSet<&str> = typed.iter().flat_map(Typed::sections).collect();
    if !typed.is_empty() {
        out.push_str(&runtime(&used));
    }
    out
}

/// The problem and error types; the same for every manifest.
const ERROR_TYPES: &str = r#"/** A Barekey declared type. */
export type BarekeyDeclaredType = "string" | "boolean" | "int64" | "float" | "date" | "json";

/** One variable that is missing or whose text is not a valid value of its declared type. */
export interface BarekeyEnvProblem {
  /** The variable's name. */
  readonly name: BarekeyKnownKey;
  /** How its text is parsed. */
  readonly declaredType: BarekeyDeclaredType;
  /** Whether its value may be shown; a private value never appears in `message`. */
  readonly visibility: "private" | "public";
  /** `missing` when it is not set, `invalid` when its text does not parse. */
  readonly kind: "missing" | "invalid";
  /** What is wrong, as one line of `BarekeyEnvError`'s message. */
  readonly message: string;
}

/** Some Barekey variables were missing or invalid; lists every one and never a private value. */
export class BarekeyEnvError extends Error {
  /** Every problem, in variable name order. */
  readonly problems: readonly BarekeyEnvProblem[];

  constructor(problems: readonly BarekeyEnvProblem[]) {
    const count = problems.length;
    const lines = problems.map((problem) => `\n  - ${problem.message}`).join("");
    super(`${count} Barekey variable${count === 1 ? "" : "s"} could not be loaded:${lines}`);
    this.name = "BarekeyEnvError";
    this.problems = problems;
  }
}

"#;

/// `parseBarekeyEnv`: every variable read from `source` through its reader.
fn parse_function(typed: &[Typed<'_>]) -> String {
    let mut out = String::from(
        "/**\n * An environment object of a common runtime or bundler: `process.env` (Node, Bun),\n \
         * `Deno.env.toObject()`, Vite's and Nuxt's `import.meta.env`, or a plain object. A value\n \
         * that is not a string is reported as invalid.\n */\n\
         export type BarekeyEnvSource = { readonly [name: string]: unknown };\n\n\
         /**\n * Reads every variable from `source` (for example `process.env`) and parses it by its\n \
         * declared type, with the rules of the Barekey service.\n *\n \
         * @throws {BarekeyEnvError} listing every missing and invalid variable.\n */\n\
         export function parseBarekeyEnv(source: BarekeyEnvSource): BarekeyEnv {\n",
    );
    if typed.is_empty() {
        out.push_str("  void source;\n  return Object.freeze({});\n}\n");
        return out;
    }
    out.push_str("  const problems: BarekeyEnvProblem[] = [];\n  const env: BarekeyEnv = {\n");
    for entry in typed {
        let variable = entry.variable;
        let name = quote_js(&variable.name);
        if !variable.required {
            // Spread: an unset variable leaves no property at all (not one holding `undefined`).
            writeln!(
                out,
                "    ...readOptional(source, problems, {name}, ...barekeyValueReaders[{name}]),",
            )
            .unwrap();
            continue;
        }
        writeln!(
            out,
            "    {}: readVariable(source, problems, {name}, ...barekeyValueReaders[{name}]),",
            object_key(&variable.name)
        )
        .unwrap();
    }
    out.push_str(
        "  };\n  if (problems.length > 0) {\n    throw new BarekeyEnvError(problems);\n  }\n  \
         return Object.freeze(env);\n}\n",
    );
    out
}

/// A property key of an object literal for `name`: computed for `__proto__`, which as a plain
/// key sets the prototype instead.
fn object_key(name: &str) -> String {
    match name {
        "__proto__" => format!("[{}]", quote_js(name)),
        name => typescript_key(name),
    }
}

/// The reader of every variable (its declared type, visibility and parser), which both
/// `parseBarekeyEnv` and `parseBarekeyValue` read through: one place says how each is read.
///
/// Typed by `Required<BarekeyEnv>[K]`: a required field's own type, the same type object its
/// parser names (tsc compares two spellings of a deep type level by level, and gives up), and
/// an optional field's type without the `undefined` reading it adds.
fn readers(typed: &[Typed<'_>]) -> String {
    if typed.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "/** A variable's declared type, its visibility and the parser of its text. */\n\
         type BarekeyValueReader<T> = readonly [\n  \
         declaredType: BarekeyDeclaredType,\n  \
         visibility: \"private\" | \"public\",\n  \
         parse: (text: string) => Parsed<T>,\n];\n\n\
         /** How each variable's text is read, by `parseBarekeyEnv` and `parseBarekeyValue` alike. */\n\
         const barekeyValueReaders: {\n  \
         readonly [K in BarekeyKnownKey]: BarekeyValueReader<Required<BarekeyEnv>[K]>;\n\
         } = {\n",
    );
    for entry in typed {
        let variable = entry.variable;
        writeln!(
            out,
            "  {}: [\"{}\", \"{}\", {}],",
            object_key(&variable.name),
            variable.declared_type,
            variable.visibility,
            entry.parser()
        )
        .unwrap();
    }
    out.push_str("};\n\n");
    out
}

/// `parseBarekeyValue`: one variable's text, as `parseBarekeyEnv` reads it.
fn parse_value_function(typed: &[Typed<'_>]) -> String {
    let mut out = String::from(
        "\n/**\n * Parses the text of the variable `name` alone, as `parseBarekeyEnv` parses it: for a\n \
         * value fetched per request (the `value` of Barekey's `POST /v1/env/evaluate`), typed by\n \
         * its key.\n *\n \
         * @throws {BarekeyEnvError} with its one problem when the text is not a valid value (a\n \
         * private value never shown); a `TypeError` for a name this module does not have. A\n \
         * variable only some stages have is typed without `undefined`: this returns a value or\n \
         * throws.\n */\n\
         export function parseBarekeyValue<K extends BarekeyKnownKey>(name: K, text: string): Required<BarekeyEnv>[K] {\n",
    );
    if typed.is_empty() {
        out.push_str(
            "  void text;\n  \
             throw new TypeError(`${JSON.stringify(name)} is not a Barekey variable of this module`);\n}\n",
        );
        return out;
    }
    out.push_str(
        "  if (!Object.prototype.hasOwnProperty.call(barekeyValueReaders, name)) {\n    \
         throw new TypeError(`${displayName(name)} is not a Barekey variable of this module`);\n  \
         }\n  \
         const [declaredType, visibility, parse] = barekeyValueReaders[name];\n  \
         const problems: BarekeyEnvProblem[] = [];\n  \
         // A computed key: `{ __proto__: text }` would set the prototype instead.\n  \
         const value = readVariable({ [name]: text }, problems, name, declaredType, visibility, parse);\n  \
         if (problems.length > 0) {\n    throw new BarekeyEnvError(problems);\n  }\n  \
         return value;\n}\n",
    );
    out
}

/// The runtime sections in `used`, plus the core, in the file's order, without the markers.
fn runtime(used: &BTreeSet<&str>) -> String {
    let mut out = String::new();
    for section in RUNTIME.split("//@section ").skip(1) {
        let (name, body) = section.split_once('\n').unwrap_or((section, ""));
        if name == "core" || used.contains(name) {
            out.push('\n');
            out.push_str(body.trim_end());
            out.push('\n');
        }
    }
    out
}
