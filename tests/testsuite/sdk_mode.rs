//! `--ts-mode sdk` against the official `barekey typegen`'s rules (BAREKEY.md §5), run by Node
//! from `tests/ts/official-sdk.cjs`: byte for byte whenever the official file type-checks and
//! holds no direction control or other invisible code point raw; otherwise a file that
//! type-checks and escapes those, with a warning naming each variable (or the
//! `manifestVersion`) whose lines differ, and no other line differing.
//! Manifests: every fixture, one of a few thousand generated names (the `localeCompare` order
//! and `JSON.stringify`), and generated ones holding the types the service writes, with a fixed
//! seed.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use barekey_typegen::codegen::{self, MAX_TYPE_DEPTH, Options, TsMode};
use barekey_typegen::naming::quote_json;
use barekey_typegen::{Warning, manifest};
use barekey_typegen_shared::text::is_hidden;
use common::{relative, root, scratch, valid_fixtures};
use serde_json::{Value, json};

/// SplitMix64: a fixed seed gives the same manifests on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces names are made of: mixed case, digits, `_`, punctuation, accents (precomposed and
/// combining), other scripts, emoji, and characters the collation ignores or that
/// `JSON.stringify` escapes.
const PIECES: &[&str] = &[
    "a",
    "B",
    "c",
    "Z",
    "z",
    "API",
    "api",
    "Key",
    "KEY",
    "_",
    "__",
    "0",
    "1",
    "9",
    "10",
    "2",
    "-",
    ".",
    ":",
    "/",
    " ",
    "!",
    "\"",
    "#",
    "$",
    "%",
    "&",
    "'",
    "(",
    "*",
    "+",
    ",",
    ";",
    "<",
    "=",
    ">",
    "?",
    "@",
    "[",
    "\\",
    "]",
    "^",
    "`",
    "{",
    "|",
    "}",
    "~",
    "é",
    "É",
    "e\u{301}",
    "è",
    "ü",
    "ñ",
    "å",
    "ø",
    "æ",
    "ß",
    "ç",
    "Ж",
    "ж",
    "α",
    "Ω",
    "日本",
    "한",
    "ع",
    "ש",
    "हि",
    "ไทย",
    "٣",
    "Ａ",
    "😀",
    "👍🏽",
    "🇫🇷",
    "🧑\u{200d}💻",
    "\u{1}",
    "\u{8}",
    "\t",
    "\n",
    "\u{c}",
    "\r",
    "\u{1f}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{200b}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffd}",
];

/// A name of one to six pieces that does not start or end with whitespace (the service trims).
fn name(rng: &mut Rng) -> String {
    let count = 1 + rng.below(6);
    let name: String = (0..count).map(|_| *rng.pick(PIECES)).collect();
    match name.trim() {
        "" => "blank".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// `count` distinct names, the issue's example among them.
fn names(rng: &mut Rng, count: usize) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ["_private", "9LIVES", "a_b", "API_KEY", "Zeta"]
        .map(str::to_owned)
        .into();
    while names.len() < count {
        names.insert(name(rng));
    }
    names
}

/// `JSON.stringify(text)`, as the official renderer writes a name, a string `manifestVersion`
/// and, in the service's types, a string literal (Node checks that this is so, through the
/// names).
fn json_stringify(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// A string literal type as the service writes one (`JSON.stringify`), hidden code points raw.
fn literal(text: &str) -> String {
    json_stringify(text)
}

/// `line` of the official file with every [`is_hidden`] code point written as JavaScript
/// `\uxxxx` escapes: what `--ts-mode sdk` writes instead, on a line a warning names.
fn escaped(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        match is_hidden(c) {
            true => {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            false => out.push(c),
        }
    }
    out
}

/// A json `typeScriptType` as the service infers one from a value.
fn json_type(rng: &mut Rng, depth: usize) -> String {
    let leaf = [
        "string",
        "number",
        "boolean",
        "null",
        "unknown",
        "Array<never>",
    ];
    if depth > 2 {
        return (*rng.pick(&leaf)).to_owned();
    }
    match rng.below(8) {
        0 => format!("Array<{}>", json_type(rng, depth + 1)),
        1 => "Record<string, never>".to_owned(),
        2 => format!("{} | null", rng.pick(&leaf[..3])),
        3 | 4 => {
            let mut keys = BTreeSet::new();
            for _ in 0..1 + rng.below(4) {
                keys.insert(match rng.below(2) {
                    0 => (*rng.pick(&["darkMode", "tiers", "a", "_x", "$y", "k9"])).to_owned(),
                    _ => name(rng),
                });
            }
            let fields: Vec<String> = keys
                .iter()
                .map(|key| {
                    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_$".contains(c));
                    let key = if plain { key.clone() } else { literal(key) };
                    format!("{key}: {};", json_type(rng, depth + 1))
                })
                .collect();
            format!("{{ {} }}", fields.join(" "))
        }
        _ => (*rng.pick(&leaf)).to_owned(),
    }
}

/// Float arms as the service stores them (the text `Number` accepted); `+1e3` and `01` are
/// stored too, but TypeScript refuses them in a type.
const FLOAT_ARMS: &[&str] = &[
    ".5", "5.", "0x1F", "0b101", "0O17", "1e3", "-1.5e-3", "0.25", "-0", "+1e3", "01",
];

/// A variable of a random kind and declared type, typed as the service types it; now and then
/// without a `typeScriptType` (an old server) or with one no server writes.
fn variable(rng: &mut Rng, name: String) -> Value {
    let declared = *rng.pick(&["string", "boolean", "int64", "float", "date", "json"]);
    let switch = declared != "date" && rng.below(3) == 0;
    let kind = match switch {
        true => *rng.pick(&["ab_roll", "rollout"]),
        false => "secret",
    };
    let arm = |rng: &mut Rng| match declared {
        "string" => literal(&self::name(rng)),
        "boolean" => (*rng.pick(&["false", "true"])).to_owned(),
        "int64" => format!("{}n", rng.next() as i64 / (1 << rng.below(63))),
        "float" => (*rng.pick(FLOAT_ARMS)).to_owned(),
        _ => json_type(rng, 1),
    };
    let ty = match (kind, declared) {
        ("secret", "string") => "string".to_owned(),
        ("secret", "boolean") => "boolean".to_owned(),
        ("secret", "int64") => "bigint".to_owned(),
        ("secret", "float") => "number".to_owned(),
        ("secret", "date") => "BarekeyTemporalInstant".to_owned(),
        ("secret", _) => json_type(rng, 0),
        _ => format!("{} | {}", arm(rng), arm(rng)),
    };
    let ty = match rng.below(25) {
        0 => Value::Null,
        1 => json!(*rng.pick(&["string; } export const x = 1; {", "Array<string", "*/ x /*"])),
        _ => json!(ty),
    };
    json!({"name": name, "kind": kind, "declaredType": declared, "typeScriptType": ty})
}

/// What the official renderer gets and what we generate from: the manifest in snapshot order.
fn manifest_text(variables: Vec<Value>, version: Value) -> String {
    let manifest = json!({"manifestVersion": version, "variables": variables});
    String::from_utf8(manifest::snapshot_bytes(&manifest)).unwrap()
}

/// A variable whose line differs from the official file's: its name, its `typeScriptType` (the
/// official file's text), the type we wrote, and whether TypeScript refuses the official text.
type Differing = (String, String, String, bool);

/// Whether TypeScript refuses `found`, a `typeScriptType` we re-printed: one outside the
/// service's grammar (the generated broken types, the fixtures' injections) but for its
/// depth, or in it with a number spelled with a `+` or a leading zero. The grammar's other
/// spellings (spacing, `,` or no `;` between fields, escapes in string literals) are valid
/// TypeScript, only not the service's text, and so is a type nested past the grammar's cap.
fn typescript_refuses(found: &str, in_grammar: bool) -> bool {
    // The text outside string literals, each literal left as a space.
    let (mut outside, mut in_string, mut escaped) = (String::new(), false, false);
    for c in found.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') | (false, _, '"') => {
                in_string = !in_string;
                outside.push(' ');
            }
            (true, false, _) => {}
            (false, _, c) => outside.push(c),
        }
    }
    let refused_number = outside
        .split(|c: char| " |<>{};:,".contains(c))
        .any(|token| {
            let digits = token.strip_prefix('-').unwrap_or(token).as_bytes();
            token.starts_with('+')
                || (digits.len() > 1 && digits[0] == b'0' && digits[1].is_ascii_digit())
        });
    // The nesting of `<` and `{`: one level each, as the grammar counts them.
    let (mut open, mut deepest) = (0_usize, 0);
    for c in outside.chars() {
        match c {
            '<' | '{' => open += 1,
            '>' | '}' => open = open.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(open);
    }
    (!in_grammar && deepest <= MAX_TYPE_DEPTH) || refused_number
}

/// The lines where `--ts-mode sdk` may differ from the official file, by the warnings.
#[derive(Debug, Default)]
struct Warned {
    /// Each [`Warning::SdkTypeDiffers`].
    types: Vec<Differing>,
    /// Each [`Warning::EscapedInSdkFile`]: a variable's name, or `None` for the
    /// `manifestVersion`.
    escaped: Vec<Option<String>>,
}

impl Warned {
    fn is_empty(&self) -> bool {
        self.types.is_empty() && self.escaped.is_empty()
    }
}

/// `--ts-mode sdk` for the manifest at `path`: the file, and the lines its warnings name.
fn ours(path: &Path) -> (String, Warned) {
    let (text, warnings) = generate(path);
    let mut warned = Warned::default();
    for warning in warnings {
        match warning {
            Warning::SdkTypeDiffers {
                variable,
                found,
                written,
                in_grammar,
                ..
            } => {
                let refused = typescript_refuses(&found, in_grammar);
                warned.types.push((variable, found, written, refused));
            }
            Warning::EscapedInSdkFile { variable, .. } => warned.escaped.push(variable),
            _ => {}
        }
    }
    (text, warned)
}

/// `--ts-mode sdk` for the manifest at `path`, and its warnings.
fn generate(path: &Path) -> (String, Vec<Warning>) {
    let origin = relative(path).display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let loaded = manifest::parse(&text, &origin).unwrap_or_else(|error| panic!("{error}"));
    let options = Options::default();
    let generated = codegen::generate_typescript(
        &loaded.manifest,
        &options.clone().with_ts_mode(TsMode::Sdk),
        &origin,
    )
    .unwrap();
    (generated.text, generated.warnings)
}

/// Runs `node ARGS`, failing with its output unless it succeeds; its stdout.
fn node(args: &[&Path]) -> String {
    let output = Command::new("node").args(args).output().unwrap();
    assert!(
        output.status.success(),
        "node {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The official file for each manifest, rendered by Node in one process.
fn official(folder: &Path, manifests: &[PathBuf]) -> Vec<String> {
    let out = folder.join("official");
    std::fs::create_dir_all(&out).unwrap();
    let script = root().join("tests/ts/official-sdk.cjs");
    let mut args = vec![script.as_path(), out.as_path()];
    args.extend(manifests.iter().map(PathBuf::as_path));
    node(&args);
    manifests
        .iter()
        .map(|path| {
            let name = format!("{}.ts", path.file_name().unwrap().to_str().unwrap());
            std::fs::read_to_string(out.join(name)).unwrap()
        })
        .collect()
}

/// Each file's TypeScript diagnostics, each file type-checked on its own against the SDK stub.
fn type_check(files: &[PathBuf]) -> BTreeMap<PathBuf, Vec<String>> {
    let tsc = root().join("ts/node_modules/typescript");
    assert!(
        tsc.exists(),
        "{} is missing: run `bash scripts/test.sh` (it runs `npm ci` in ts/) first",
        tsc.display()
    );
    let script = root().join("tests/ts/typecheck-each.cjs");
    let ts = root().join("ts");
    let stub = root().join("tests/ts/sdk-stub.d.ts");
    let mut args = vec![script.as_path(), ts.as_path(), stub.as_path()];
    args.extend(files.iter().map(PathBuf::as_path));
    serde_json::from_str(&node(&args)).unwrap()
}

/// The official file with each warned variable's type replaced by the one we wrote, and the
/// hidden code points of each line an [`Warning::EscapedInSdkFile`] names (the variable's
/// interface line and union line, or the `manifestVersion`'s) escaped: equal to ours when those
/// are the only differences. Each such warning must have escaped something.
fn patched(official: &str, warned: &Warned) -> String {
    let mut patched = official.to_owned();
    for (name, found, written, _) in &warned.types {
        let key = json_stringify(name);
        let line = format!("    {key}: {found};\n");
        assert_eq!(patched.matches(&line).count(), 1, "{line}");
        patched = patched.replace(&line, &format!("    {key}: {written};\n"));
    }
    let mut lines: Vec<String> = patched.split('\n').map(str::to_owned).collect();
    for variable in &warned.escaped {
        let covered = |line: &str| match variable {
            Some(name) => {
                let key = json_stringify(name);
                let union = line.strip_suffix(';').unwrap_or(line);
                line.starts_with(&format!("    {key}: ")) || union == format!("  | {key}")
            }
            None => line.starts_with("export const barekeyManifestVersion = "),
        };
        let mut changed = false;
        for line in lines.iter_mut().filter(|line| covered(line)) {
            let escaped = escaped(line);
            changed |= escaped != *line;
            *line = escaped;
        }
        assert!(
            changed,
            "{variable:?} is warned about, but nothing was escaped"
        );
    }
    lines.join("\n")
}

/// Checks `manifests` against the official renderer: byte for byte, or each differing line
/// warned about and ours type-checking, the official file failing exactly when a type we
/// re-printed is one TypeScript refuses (when only escapes or the service's spelling differ,
/// both pass). Returns how many were identical, how many differed only by escapes and how many
/// by a type.
fn compare_with_official(folder: &Path, manifests: &[PathBuf]) -> [usize; 3] {
    let official = official(folder, manifests);
    let [mut identical, mut escapes, mut types] = [0; 3];
    let mut files = Vec::new();
    let mut expect_errors = BTreeSet::new();
    for (index, (path, official)) in manifests.iter().zip(&official).enumerate() {
        let (text, warned) = ours(path);
        let file = folder.join(format!("ours-{index}.ts"));
        std::fs::write(&file, &text).unwrap();
        files.push(file);
        if text == *official {
            assert!(warned.is_empty(), "{}: warned {warned:?}", path.display());
            identical += 1;
            continue;
        }
        // Every difference is a line a warning names.
        assert_eq!(patched(official, &warned), text, "{}", path.display());
        match warned.types.is_empty() {
            true => escapes += 1,
            false => types += 1,
        }
        let file = folder.join(format!("official-{index}.ts"));
        std::fs::write(&file, official).unwrap();
        if warned.types.iter().any(|(.., refused)| *refused) {
            expect_errors.insert(file.clone());
        }
        files.push(file);
    }
    for (file, errors) in type_check(&files) {
        match expect_errors.contains(&file) {
            true => assert!(
                !errors.is_empty(),
                "{}: the official file type-checks",
                file.display()
            ),
            false => assert!(errors.is_empty(), "{}: {errors:#?}", file.display()),
        }
    }
    [identical, escapes, types]
}

/// A few thousand names: the order is `localeCompare`'s and every name is written as
/// `JSON.stringify` writes it, the whole file byte for byte but for the lines of the names (and
/// the version) holding a code point `JSON.stringify` leaves raw and we escape, each warned
/// about.
#[test]
fn names_sort_and_quote_as_node_does() {
    let folder = scratch("sdk_mode/names");
    let mut rng = Rng(17);
    let variables: Vec<Value> = names(&mut rng, 3000)
        .into_iter()
        .map(|name| json!({"name": name, "kind": "secret", "declaredType": "string", "typeScriptType": "string"}))
        .collect();
    let path = folder.join("names.manifest.json");
    let control: String = (0..0x20)
        .chain([0x7f, 0x85, 0x2028])
        .filter_map(char::from_u32)
        .collect();
    std::fs::write(
        &path,
        manifest_text(variables, json!(format!("v/{control}"))),
    )
    .unwrap();

    let (text, warned) = ours(&path);
    let official = official(&folder, std::slice::from_ref(&path)).remove(0);
    // The names, decoded: ours escape what the official file holds raw.
    let order = |text: &str| -> Vec<String> {
        let union = text
            .split_once("BarekeyKnownKey =\n")
            .unwrap()
            .1
            .split_once(";\n")
            .unwrap()
            .0;
        union
            .lines()
            .map(|line| serde_json::from_str(line.trim_start_matches("  | ")).unwrap())
            .collect()
    };
    let (mine, theirs) = (order(&text), order(&official));
    assert_eq!(mine.len(), 3000);
    if let Some(at) = mine.iter().zip(&theirs).position(|(a, b)| a != b) {
        panic!(
            "the order differs at {at}: ours {:?}, Node's {:?}",
            &mine[at..at + 3],
            &theirs[at..at + 3]
        );
    }
    assert_eq!(text, patched(&official, &warned));
    assert!(warned.types.is_empty(), "{:?}", warned.types);
    // Names with direction controls, separators and other invisible code points are among
    // them, and the version holds U+0085 and U+2028.
    assert!(
        warned.escaped.len() > 100,
        "{} escaped",
        warned.escaped.len()
    );
    assert!(warned.escaped.contains(&None));
    assert!(!text.contains(['\u{2028}', '\u{2029}', '\u{feff}', '\u{200b}', '\u{85}']));
    // `quote_json` is Node's `JSON.stringify` with those escaped.
    for name in &mine {
        assert_eq!(quote_json(name), escaped(&json_stringify(name)), "{name:?}");
    }
    // Names localeCompare calls equal are among them (ignorable and combining characters), in
    // the manifest's byte order on both sides, each group warned about.
    let (_, warnings) = generate(&path);
    let ties = warnings
        .iter()
        .filter(|warning| matches!(warning, Warning::SdkOrderTie { .. }))
        .count();
    assert!(ties > 0, "no names tie");
    // The escaped names type-check.
    let file = folder.join("names.ts");
    std::fs::write(&file, &text).unwrap();
    let errors = type_check(std::slice::from_ref(&file))
        .remove(&file)
        .unwrap();
    assert!(errors.is_empty(), "{errors:#?}");
    let issue = ["_private", "9LIVES", "a_b", "API_KEY", "Zeta"];
    let at: Vec<usize> = issue
        .iter()
        .map(|name| mine.iter().position(|m| m == name).unwrap())
        .collect();
    assert!(at.is_sorted(), "the issue's order: {at:?}");
}

/// Every fixture and generated manifests of the types the service writes, an old server's
/// (no `typeScriptType`, a numeric version) and a few broken ones.
#[test]
fn files_match_the_official_renderer_or_warn() {
    let folder = scratch("sdk_mode/manifests");
    let mut manifests: Vec<PathBuf> = valid_fixtures().into_iter().map(|(_, path)| path).collect();
    let mut rng = Rng(1717);
    let versions = [
        json!("t9sL3I_6eXDzXRvMBydM_C2_NbNfoTcC/mFJYt97S7o"),
        json!(1),
        json!(3.0),
        json!(2.5),
        json!(1e21),
        json!(-0.0),
        json!("a\"b\\c\n"),
    ];
    for index in 0..40 {
        let count = rng.below(30);
        let variables = names(&mut rng, count + 5)
            .into_iter()
            .skip(5)
            .map(|name| variable(&mut rng, name))
            .collect();
        let version = versions[index % versions.len()].clone();
        let path = folder.join(format!("generated-{index}.manifest.json"));
        std::fs::write(&path, manifest_text(variables, version)).unwrap();
        manifests.push(path);
    }
    let [identical, escapes, types] = compare_with_official(&folder, &manifests);
    // The fixed seed gives every kind; a change that made every file differ by more than the
    // escapes would show here.
    assert!(
        identical + escapes > manifests.len() / 3,
        "{identical} identical and {escapes} differing only by escapes of {}",
        manifests.len()
    );
    assert!(
        identical > 0 && escapes > 0 && types > 0,
        "not every kind was exercised: {identical} identical, {escapes} escapes only, {types} \
         types"
    );
}

/// `levels` levels of `shape` around `number`; `{}` in `shape` is where the next level goes.
fn nested(shape: &str, levels: usize) -> String {
    let (open, close) = shape.split_once("{}").unwrap();
    format!("{}number{}", open.repeat(levels), close.repeat(levels))
}

/// Types nested 40 levels (the issue's), 100 and the grammar's cap are the official file's,
/// byte for byte, for every way of nesting; one level more is `unknown`, with a warning, where
/// the official file (which type-checks) has the type. Keys with every escape the service
/// writes, lone surrogates included, are the official file's too.
#[test]
fn deep_and_escaped_key_types_are_the_official_files() {
    let folder = scratch("sdk_mode/deep");
    let shapes = [
        ("array", "Array<{}>"),
        ("object", "{ a: {}; }"),
        ("record", "Record<string, {}>"),
        ("alternating", "Array<{ \"k-1\": {}; z: string; }>"),
        ("nullable", "Array<{} | null>"),
        ("union", "{ a: {} | null; \"\\ud800\": boolean; }"),
    ];
    let mut variables = Vec::new();
    let mut past_the_cap = BTreeSet::new();
    for (label, shape) in shapes {
        // `alternating` opens two levels a step.
        let steps = if label == "alternating" { 2 } else { 1 };
        let levels: BTreeSet<usize> = [40, 100, MAX_TYPE_DEPTH, MAX_TYPE_DEPTH + 1].into();
        for levels in levels {
            let name = format!("{label}_{levels}");
            let ty = nested(shape, levels.div_ceil(steps));
            if levels > MAX_TYPE_DEPTH {
                past_the_cap.insert(name.clone());
            }
            variables.push(
                json!({"name": name, "kind": "secret", "declaredType": "json",
                                  "typeScriptType": ty}),
            );
        }
    }
    let keys = [
        r#"{ "\ud800": number; }"#,
        r#"{ "\udfff": string; "\ud800": string; "\ud83d🚀": null; "🚀": number; }"#,
        r#"Array<{ "a\udbffz": { "\udc00\n": Array<boolean>; }; b: Record<string, never>; }>"#,
        r#"{ "\"\\\b\f\n\r\t\u0000\u001f": number; "\ud800\u0007": null; }"#,
        r#"{ "\ud800": { "\ud800": { "\ud800": number; }; }; }"#,
    ];
    for (index, ty) in keys.iter().enumerate() {
        variables.push(json!({"name": format!("keys_{index}"), "kind": "secret",
                              "declaredType": "json", "typeScriptType": ty}));
    }
    let path = folder.join("deep.manifest.json");
    std::fs::write(&path, manifest_text(variables, json!("deep"))).unwrap();

    let (text, warned) = ours(&path);
    let official = official(&folder, std::slice::from_ref(&path)).remove(0);
    let differing: BTreeSet<String> = warned.types.iter().map(|(name, ..)| name.clone()).collect();
    assert_eq!(
        differing, past_the_cap,
        "only the types past the cap differ"
    );
    assert!(warned.escaped.is_empty(), "{:?}", warned.escaped);
    for (name, _, written, refused) in &warned.types {
        assert_eq!(written, "unknown", "{name}");
        assert!(!refused, "{name}: TypeScript takes the official type");
    }
    assert_eq!(patched(&official, &warned), text);
    for key in keys {
        assert!(
            text.contains(&format!(": {key};\n")),
            "{key} is not the official text"
        );
    }
    // Both type-check: ours, and the official file with every type, past the cap included.
    let [identical, escapes, types] = compare_with_official(&folder, std::slice::from_ref(&path));
    assert_eq!([identical, escapes, types], [0, 0, 1]);
}
