//! The Rust and TypeScript readers against the service's own reading, differentially.
//!
//! Thousands of texts from adversarial generators (a fixed seed) go through every declared
//! type three ways: Node running the service's rules on its own built-ins (`tests/ts/
//! service.cjs`), the generated TypeScript reader (compiled by the pinned `tsc`, run in the same
//! Node process) and the Rust runtime. All three must accept and refuse alike and give equal
//! values, for the text as set by hand and for the text the service stores from it. Decisions
//! (bucket, rollout percentage, arm) are compared with the service's the same way.
//!
//! The generators reach the classes where readers once parted from the service: date fractions
//! of every length from 1 to 20 with leading zeros (V8's reading), `__proto__` keys at several
//! depths and beside repeated keys (the service drops them), and JSON read through types
//! nested to the type grammar's cap and one level past it. The test prints how many of each
//! it compared (`--nocapture` shows them) and requires every class to be reached.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use barekey_typegen::codegen::{self, MAX_TYPE_DEPTH, Options, TsMode};
use barekey_typegen::manifest;
use barekey_typegen_runtime::__private::Loader;
use barekey_typegen_runtime::{
    DecisionKind, DeclaredValue, JsonValue, Milestone, RolloutFunction, Timestamp, Visibility,
    bucket, rollout_percentage,
};
use common::{relative, root, scratch};
use serde_json::{Value, json};

const TYPES: [&str; 6] = ["string", "boolean", "int64", "float", "date", "json"];
/// How many texts each generator makes; each text is read as every declared type.
const PER_GENERATOR: usize = 700;
const DECISIONS: usize = 3_000;

#[test]
#[allow(
    clippy::print_stdout,
    reason = "the counts of the edge cases are the test's report"
)]
fn readers_and_decisions_agree_with_the_service() {
    let mut random = Random(0x5eed_b4e1_2026);
    let texts = texts(&mut random);
    let values: Vec<Value> = texts
        .iter()
        .flat_map(|text| TYPES.map(|ty| json!({"type": ty, "text": text})))
        .collect();
    let decisions: Vec<Decision> = (0..DECISIONS).map(|_| Decision::new(&mut random)).collect();
    let deep = DeepType::all();
    let batch = json!({
        "values": values,
        "decisions": decisions.iter().map(Decision::to_json).collect::<Vec<_>>(),
        "deep": deep.iter().map(DeepType::to_json).collect::<Vec<_>>(),
    });
    let results = run_node(&batch);
    let mut edges = EdgeCases::default();

    let mut disagreements = Vec::new();
    let mut accepted = [0_usize; TYPES.len()];
    let node_values = results["values"].as_array().unwrap();
    assert_eq!(node_values.len(), values.len());
    for (case, node) in values.iter().zip(node_values) {
        let (ty, text) = (
            case["type"].as_str().unwrap(),
            case["text"].as_str().unwrap(),
        );
        let reference = node["reference"].as_str();
        let rust = read(ty, text);
        let typescript = node["typescript"].as_str();
        if reference.is_some() {
            accepted[TYPES.iter().position(|known| *known == ty).unwrap()] += 1;
            edges.count(ty, text);
        }
        // Through each deep type, JSON the service accepts: the Rust reader's value when it has
        // the type (any value past the cap, where the type is `unknown`), against the generated
        // TypeScript's.
        if ty == "json" && reference.is_some() {
            for (deep, node) in deep.iter().zip(node["deep"].as_array().unwrap()) {
                let rust = deep.read(text);
                edges.deep_reads += 1;
                edges.deep_accepted += usize::from(rust.is_some());
                if rust.as_deref() != node.as_str() {
                    disagreements.push(format!(
                        "json {text:?} as {}\n    rust (the type's meaning): {rust:?}\n    typescript: {node}",
                        deep.name
                    ));
                }
            }
        }
        if rust.as_deref() != reference || typescript != reference {
            disagreements.push(format!(
                "{ty} {text:?}\n    service:    {reference:?}\n    rust:       {rust:?}\n    typescript: {typescript:?}"
            ));
        }
        if let Some(stored) = node["stored"].as_str() {
            let again = node["storedReference"].as_str();
            let (rust, typescript) = (read(ty, stored), node["storedTypescript"].as_str());
            if again != reference || rust.as_deref() != reference || typescript != reference {
                disagreements.push(format!(
                    "{ty} stored {stored:?} (from {text:?})\n    service:    {again:?} (first read {reference:?})\n    rust:       {rust:?}\n    typescript: {typescript:?}"
                ));
            }
        }
        // A variable only some stages have: set, it reads exactly as a required one.
        let optional = node["optionalTypescript"].as_str();
        let rust_optional = read_optional(ty, Some(text));
        if optional != reference || rust_optional != reference.map(|value| Some(value.to_owned())) {
            disagreements.push(format!(
                "optional {ty} {text:?}\n    service:    {reference:?}\n    rust:       {rust_optional:?}\n    typescript: {optional:?}"
            ));
        }
        if node.get("abFloat").is_some() && node["abFloat"].as_str() != reference {
            disagreements.push(format!(
                "float arm of -0 | 0 for {text:?}: typescript gives {}, the text reads as {reference:?}",
                node["abFloat"]
            ));
        }
    }
    // Unset, a variable only some stages have is absent (TypeScript) or `None` (Rust).
    assert_eq!(
        results["optionalUnset"],
        json!([]),
        "TypeScript set unset variables"
    );
    for ty in TYPES {
        assert_eq!(read_optional(ty, None), Some(None), "{ty}: unset is None");
    }
    let node_decisions = results["decisions"].as_array().unwrap();
    for (decision, node) in decisions.iter().zip(node_decisions) {
        let ours = decision.ours();
        if ours != *node {
            disagreements.push(format!(
                "decision {}\n    service: {node}\n    rust:    {ours}",
                decision.to_json()
            ));
        }
    }
    let shown: Vec<&String> = disagreements.iter().take(15).collect();
    assert!(
        disagreements.is_empty(),
        "{} of {} reads and {} decisions disagree with the service; the first:\n{}",
        disagreements.len(),
        values.len() * 2,
        decisions.len(),
        shown
            .iter()
            .map(|line| line.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generators must reach both sides of every type's rules, or agreement means little.
    for (ty, count) in TYPES.iter().zip(accepted) {
        let refused = texts.len() - count;
        let enough = if *ty == "string" {
            refused == 0
        } else {
            count >= 100 && refused >= 100
        };
        assert!(enough, "{ty}: {count} of {} accepted", texts.len());
    }
    let refused = decisions.iter().zip(node_decisions);
    let refused = refused.filter(|(d, node)| d.rollout.is_some() && node["percentage"].is_null());
    assert!((100..DECISIONS / 2).contains(&refused.count()));
    println!("{edges}");
    edges.assert_every_class_reached(&deep);
}

/// How many accepted texts of each class where readers once parted from the service the
/// generators reached: what the test reports and requires.
#[derive(Default)]
struct EdgeCases {
    /// Dates whose fraction starts with a zero, by the fraction's length.
    zero_led_fractions: BTreeMap<usize, usize>,
    /// Of those, the ones V8 reads otherwise than truncating to the millisecond.
    not_truncated: usize,
    /// JSON texts holding a `__proto__` key, by the depth of its object (1: the top level).
    proto_depths: BTreeMap<usize, usize>,
    /// JSON texts where a `__proto__` key shares its object with a repeated key.
    proto_beside_repeats: usize,
    /// Reads through the deep types, and how many the type accepted.
    deep_reads: usize,
    deep_accepted: usize,
}

impl EdgeCases {
    /// Counts `text`, which the service accepts as `ty`.
    fn count(&mut self, ty: &str, text: &str) {
        match ty {
            "date" => {
                let Some(fraction) = date_fraction_digits(text) else {
                    return;
                };
                if fraction.starts_with('0') {
                    *self.zero_led_fractions.entry(fraction.len()).or_default() += 1;
                    let truncated: i64 = format!("{fraction:0<3}")[..3].parse().unwrap();
                    // Where Rust disagrees, the disagreement is reported instead.
                    if let Ok(at) = Timestamp::parse_text(text) {
                        let millis = at.unix_millis().rem_euclid(1000);
                        self.not_truncated += usize::from(millis != truncated);
                    }
                }
            }
            "json" => {
                let (depths, beside_repeats) = proto_keys(text);
                for depth in depths.into_iter().collect::<BTreeSet<_>>() {
                    *self.proto_depths.entry(depth.min(4)).or_default() += 1;
                }
                self.proto_beside_repeats += usize::from(beside_repeats);
            }
            _ => {}
        }
    }

    fn assert_every_class_reached(&self, deep: &[DeepType]) {
        let lengths: BTreeSet<usize> = self.zero_led_fractions.keys().copied().collect();
        assert_eq!(
            lengths,
            (1..=20).collect(),
            "fraction lengths with leading zeros"
        );
        assert!(
            self.not_truncated >= 20,
            "{} not truncated",
            self.not_truncated
        );
        let depths: BTreeSet<usize> = self.proto_depths.keys().copied().collect();
        assert_eq!(
            depths,
            (1..=4).collect(),
            "depths of `__proto__` keys (4: 4 or more)"
        );
        assert!(
            self.proto_beside_repeats >= 20,
            "{}",
            self.proto_beside_repeats
        );
        assert!(deep.iter().any(|deep| deep.levels > MAX_TYPE_DEPTH));
        assert!(
            self.deep_accepted >= 100 && self.deep_reads - self.deep_accepted >= 100,
            "{} of {} deep-typed reads accepted",
            self.deep_accepted,
            self.deep_reads
        );
    }
}

impl std::fmt::Display for EdgeCases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fractions: usize = self.zero_led_fractions.values().sum();
        let per_length: Vec<String> = self
            .zero_led_fractions
            .iter()
            .map(|(length, count)| format!("{length}:{count}"))
            .collect();
        writeln!(
            f,
            "edge cases: {fractions} accepted dates whose fraction starts with 0 (length:count \
             {}), {} of them read otherwise than truncated",
            per_length.join(" "),
            self.not_truncated
        )?;
        let depths: Vec<String> = self
            .proto_depths
            .iter()
            .map(|(depth, count)| format!("{depth}{}:{count}", if *depth == 4 { "+" } else { "" }))
            .collect();
        writeln!(
            f,
            "edge cases: accepted JSON with `__proto__` keys by depth {}, {} beside a repeated key",
            depths.join(" "),
            self.proto_beside_repeats
        )?;
        write!(
            f,
            "edge cases: {} reads through types nested to and past the cap of {MAX_TYPE_DEPTH} \
             levels, {} accepted",
            self.deep_reads, self.deep_accepted
        )
    }
}

/// The fraction digits of a date text (trimmed as JavaScript trims), if it has any.
fn date_fraction_digits(text: &str) -> Option<&str> {
    let (_, after) = text.split_once('T')?;
    let (_, fraction) = after.split_once('.')?;
    let end = fraction.find(|c: char| !c.is_ascii_digit())?;
    Some(&fraction[..end])
}

/// The depths of the objects holding a `__proto__` key in the JSON `text` (1: the top level),
/// and whether one shares its object with a repeated key: a scan of its keys, by their decoded
/// text.
fn proto_keys(text: &str) -> (Vec<usize>, bool) {
    // Open containers: `Some(keys)` for an object.
    let mut open: Vec<Option<Vec<String>>> = Vec::new();
    let (mut depths, mut beside_repeats) = (Vec::new(), false);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' => open.push(Some(Vec::new())),
            '[' => open.push(None),
            '}' | ']' => {
                let depth = open.len();
                if let Some(Some(keys)) = open.pop() {
                    if keys.iter().any(|key| key == "__proto__") {
                        depths.push(depth);
                        let distinct: BTreeSet<&String> = keys.iter().collect();
                        beside_repeats |= distinct.len() < keys.len();
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                let mut end = at;
                for (index, c) in chars.by_ref() {
                    end = index;
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => {}
                    }
                }
                let is_key = text[end + 1..]
                    .trim_start_matches([' ', '\t', '\n', '\r'])
                    .starts_with(':');
                if let (true, Some(Some(keys))) = (is_key, open.last_mut()) {
                    keys.push(serde_json::from_str(&text[at..=end]).unwrap_or_default());
                }
            }
            _ => {}
        }
    }
    (depths, beside_repeats)
}

/// A json variable of the TypeScript module typed `Array<...<number>>` or
/// `{ a: ...number; }`, `levels` deep.
struct DeepType {
    name: String,
    object: bool,
    levels: usize,
}

impl DeepType {
    /// Arrays and objects, 40 levels deep (the issue's), 100, at the cap and one past it.
    fn all() -> Vec<DeepType> {
        let levels: BTreeSet<usize> = [40, 100, MAX_TYPE_DEPTH, MAX_TYPE_DEPTH + 1].into();
        let mut all = Vec::new();
        for object in [false, true] {
            for &levels in &levels {
                let kind = if object { "Object" } else { "Array" };
                let name = format!("deep{kind}{levels}");
                all.push(DeepType {
                    name,
                    object,
                    levels,
                });
            }
        }
        all
    }

    fn type_script(&self) -> String {
        let (open, close) = if self.object {
            ("{ a: ", "; }")
        } else {
            ("Array<", ">")
        };
        format!(
            "{}number{}",
            open.repeat(self.levels),
            close.repeat(self.levels)
        )
    }

    /// What `differential.cjs` reads it by.
    fn to_json(&self) -> Value {
        json!({"name": self.name})
    }

    /// The Rust runtime's value of `text` when it has this type (any JSON past the cap, where
    /// TypeScript types it `unknown`), in [`read`]'s form.
    fn read(&self, text: &str) -> Option<String> {
        let value = JsonValue::parse_text(text).ok()?;
        let fits = self.levels > MAX_TYPE_DEPTH || self.has_type(&value);
        fits.then(|| canonical_json(&value))
    }

    /// Whether `value` has the type, checked without recursion: arrays of arrays (of any
    /// length) or objects with a key `a` (and any others), `levels` deep, then numbers.
    fn has_type(&self, value: &JsonValue) -> bool {
        let mut pending = vec![(value, self.levels)];
        while let Some((value, left)) = pending.pop() {
            match (left, value) {
                (0, value) if value.is_number() => {}
                (1.., JsonValue::Array(items)) if !self.object => {
                    pending.extend(items.iter().map(|item| (item, left - 1)));
                }
                (1.., JsonValue::Object(map)) if self.object => match map.get("a") {
                    Some(inner) => pending.push((inner, left - 1)),
                    None => return false,
                },
                _ => return false,
            }
        }
        true
    }
}

/// A generator of texts from the seeded [`Random`].
type Generator = fn(&mut Random) -> String;

/// The edge classes of [`number_is_javascripts`], each with its generator.
const NUMBER_CLASSES: [(&str, Generator); 10] = [
    ("hex, 20-40 digits", |random| {
        big_radix(random, "xX", 20..41)
    }),
    ("octal, 10-120 digits", |random| {
        big_radix(random, "oO", 10..121)
    }),
    ("binary, 40-200 digits", |random| {
        big_radix(random, "bB", 40..201)
    }),
    ("decimal, long digit runs", long_decimal),
    ("exponent", exponent),
    ("whitespace and trim edges", |random| {
        let core = *random.pick(&["1", "0x1F", "-2.5", "", "1e3", "Infinity"]);
        // JavaScript spaces and look-alikes around, or a look-alike before, or a space inside.
        match random.below(3) {
            0 => random.wrap(core),
            1 => format!(
                "{}{core}",
                random.pick(&["\u{85}", "\u{180E}", "\u{200B}", "\u{0}"])
            ),
            _ => format!("{core}{}{core}", random.pick(&[" ", "\t", "\u{3000}"])),
        }
    }),
    ("signed", |random| {
        let sign = *random.pick(&["+", "-", "--", "+-"]);
        let core = match random.below(4) {
            0 => big_radix(random, "xXoObB", 1..30),
            1 => long_decimal(random),
            2 => exponent(random),
            _ => random
                .pick(&["0", "Infinity", ".5", "5.", "0.0"])
                .to_string(),
        };
        format!("{sign}{core}")
    }),
    ("Infinity and NaN spellings", |random| {
        let word = random.pick(&[
            "Infinity",
            "Infinity",
            "Infinity",
            "infinity",
            "INFINITY",
            "Inf",
            "inf",
            "Infinit",
            "Infinityy",
            "NaN",
            "nan",
            "Infinity1",
            "1Infinity",
            "∞",
        ]);
        let signed = format!("{}{word}", random.pick(&["", "", "+", "-"]));
        if random.chance(0.5) {
            random.wrap(&signed)
        } else {
            signed
        }
    }),
    ("empty and blank", |random| {
        if random.chance(0.3) {
            String::new()
        } else {
            random.wrap("")
        }
    }),
    ("malformed", |random| {
        random
            .pick(&[
                "1_000", "0x", "0x1g", "0b2", "0o8", "00x1", "0x1.5", "0b1e3", "1e", "1e+", ".",
                ".e1", "1.2.3", "0x1p3", "1,5", "1 .5", "１", "٣", "1f", "1n", "0xn", "e5", "- 1",
                "0x 1", "0X", "0b", "0o", "1e1.5", "1ee5", "+.", "-.",
            ])
            .to_string()
    }),
];

/// The one JavaScript `Number` (the shared crate's, which the runtime and the generator call)
/// against Node's own, text by text, compared as bits (so `-0` and rounding count); and the
/// runtime's float reading against the service's rule built on it.
#[test]
fn number_is_javascripts() {
    const PER_CLASS: usize = 400;
    let mut random = Random(0x6a5_4e75_6d62_6572);
    let mut texts = Vec::new();
    for (_, generate) in NUMBER_CLASSES {
        texts.extend((0..PER_CLASS).map(|_| generate(&mut random)));
    }
    let results = node_json(&[root().join("tests/ts/number.cjs")], &json!(texts));
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), texts.len());

    let mut disagreements = Vec::new();
    // Per class, how many are NaN, infinite and finite.
    let mut counts = [[0_usize; 3]; NUMBER_CLASSES.len()];
    for (index, (text, node)) in texts.iter().zip(results).enumerate() {
        let value = barekey_typegen_shared::js::number(text);
        let ours = if value.is_nan() {
            "NaN".to_owned()
        } else {
            float_bits(value)
        };
        let theirs = node["number"].as_str().unwrap();
        let float = f64::parse_text(text).ok().map(float_bits);
        if ours != theirs || float.as_deref() != node["float"].as_str() {
            disagreements.push(format!(
                "{text:?}\n    node: {theirs} (float {})\n    rust: {ours} (float {float:?})",
                node["float"]
            ));
        }
        let outcome = if value.is_nan() {
            0
        } else if value.is_infinite() {
            1
        } else {
            2
        };
        counts[index / PER_CLASS][outcome] += 1;
    }
    #[allow(clippy::print_stdout, reason = "the counts are this test's report")]
    for ((class, _), [nan, infinite, finite]) in NUMBER_CLASSES.iter().zip(counts) {
        println!("{class:>26}: {finite:>3} finite, {infinite:>3} infinite, {nan:>3} NaN");
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} texts read otherwise than Node's `Number`; the first:\n{}",
        disagreements.len(),
        texts.len(),
        disagreements[..disagreements.len().min(15)].join("\n")
    );
    // Every class reaches the outcomes it is about, or agreement means little.
    for ((class, _), [nan, infinite, finite]) in NUMBER_CLASSES.iter().zip(counts) {
        let enough = match *class {
            "decimal, long digit runs" => finite == PER_CLASS,
            "exponent" => finite >= 100 && infinite >= 50,
            "whitespace and trim edges" => finite >= 50 && nan >= 100,
            "Infinity and NaN spellings" => infinite >= 50 && nan >= 100,
            "empty and blank" => finite >= 200 && nan >= 20,
            "malformed" => nan == PER_CLASS,
            _ => finite >= 100 && nan >= 20,
        };
        assert!(
            enough,
            "{class}: {finite} finite, {infinite} infinite, {nan} NaN"
        );
    }
}

/// `0` and a prefix letter from `letters` (so either case), then a digit count in `lengths`:
/// digits of the base, sometimes after leading zeros, at a rounding tie, or with a bad one.
fn big_radix(random: &mut Random, letters: &str, lengths: std::ops::Range<usize>) -> String {
    let letter = random.digits(1, letters);
    let (alphabet, bits) = match letter.as_str() {
        "x" | "X" => ("0123456789abcdefABCDEF", 4),
        "o" | "O" => ("01234567", 3),
        _ => ("01", 1),
    };
    let length = lengths.start + random.below(lengths.len());
    let mut digits = random.digits(length, alphabet);
    match random.below(10) {
        0 => digits.insert_str(0, "000000"),
        // Exactly halfway between two doubles (bit 54 set, none after), or just past it.
        1 | 2 => {
            let tail = (length * bits).saturating_sub(54).max(1);
            let past = if random.chance(0.5) { "0" } else { "1" };
            let ones = format!(
                "1{}1{}{past}",
                random.digits(52, "01"),
                "0".repeat(tail - 1)
            );
            digits = in_base(&ones, bits);
        }
        3 => digits.push(*random.pick(&['g', '8', '2', '.', '_', 'n'])),
        _ => {}
    }
    format!("0{letter}{digits}")
}

/// The binary digits `ones` in base `2^bits`, lower case.
fn in_base(ones: &str, bits: usize) -> String {
    let padded = format!("{}{ones}", "0".repeat((bits - ones.len() % bits) % bits));
    padded
        .as_bytes()
        .chunks(bits)
        .map(|chunk| {
            let digit = u32::from_str_radix(std::str::from_utf8(chunk).unwrap(), 2).unwrap();
            char::from_digit(digit, 1 << bits).unwrap()
        })
        .collect()
}

/// A decimal with a long run of digits (17 to 60), often at or just past a rounding tie.
fn long_decimal(random: &mut Random) -> String {
    let length = 17 + random.below(44);
    let digits = match random.below(4) {
        // 2^53 + 1 (a tie) and its odd neighbours, then zeros or a last 1.
        0 => format!(
            "900719925474099{}{}{}",
            random.pick(&["3", "5", "7"]),
            "0".repeat(length - 16),
            random.pick(&["", "1"])
        ),
        1 => format!("{}{}", random.digits(1, "123456789"), "9".repeat(length)),
        _ => random.digits(length, "0123456789"),
    };
    match random.below(3) {
        0 => digits,
        1 => {
            let point = random.below(digits.len() + 1);
            format!("{}.{}", &digits[..point], &digits[point..])
        }
        _ => format!("0.{digits}"),
    }
}

/// A mantissa and an exponent, often around the ends of the double range and past them.
fn exponent(random: &mut Random) -> String {
    let mantissa = match random.below(4) {
        0 => random
            .pick(&[
                "1",
                "4.9",
                "2.4703282292062327",
                "2.4703282292062328",
                "1.7976931348623157",
                "1.7976931348623158",
                "0",
                ".5",
                "5.",
            ])
            .to_string(),
        1 => long_decimal(random),
        _ => {
            let length = random.below(6) + 1;
            random.digits(length, "0123456789")
        }
    };
    let exponent = match random.below(3) {
        0 => random
            .pick(&[
                "308",
                "309",
                "-324",
                "-325",
                "-308",
                "400",
                "-400",
                "0",
                "00000000000000000000000001",
                "99999999999999999999",
            ])
            .to_string(),
        _ => format!("{}{}", random.pick(&["", "+", "-"]), random.below(400)),
    };
    format!("{mantissa}{}{exponent}", random.pick(&["e", "E"]))
}

/// The Rust runtime's value of `text` as `ty`, in `service.canonical`'s form, or `None`.
fn read(ty: &str, text: &str) -> Option<String> {
    match ty {
        "string" => String::parse_text(text).ok(),
        "boolean" => bool::parse_text(text).ok().map(|value| value.to_string()),
        "int64" => i64::parse_text(text).ok().map(|value| value.to_string()),
        "float" => f64::parse_text(text).ok().map(float_bits),
        "date" => Timestamp::parse_text(text).ok().map(|at| at.to_string()),
        "json" => JsonValue::parse_text(text)
            .ok()
            .map(|value| canonical_json(&value)),
        other => panic!("unknown declared type {other}"),
    }
}

/// The Rust runtime's optional read of `text` (`None`: not set) as `ty` through a `Loader`, as
/// generated code reads a variable only some stages have: `Some(None)` when unset, `Some(value)`
/// in [`read`]'s form when set and valid, `None` when refused.
fn read_optional(ty: &str, text: Option<&str>) -> Option<Option<String>> {
    let lookup = |_: &str| text.map(str::to_owned);
    let mut loader = Loader::from_lookup(&lookup);
    let public = Visibility::Public;
    let value = match ty {
        "string" => loader.read::<Option<String>>(ty, public),
        "boolean" => loader
            .read::<Option<bool>>(ty, public)
            .map(|value| value.to_string()),
        "int64" => loader
            .read::<Option<i64>>(ty, public)
            .map(|value| value.to_string()),
        "float" => loader.read::<Option<f64>>(ty, public).map(float_bits),
        "date" => loader
            .read::<Option<Timestamp>>(ty, public)
            .map(|at| at.to_string()),
        "json" => loader
            .read::<Option<JsonValue>>(ty, public)
            .map(|value| canonical_json(&value)),
        other => panic!("unknown declared type {other}"),
    };
    loader.finish(value).ok()
}

fn float_bits(value: f64) -> String {
    format!("{:016x}", value.to_bits())
}

/// `service.canonicalJson` for a Rust value: serde_json's maps already sort keys by code point.
fn canonical_json(value: &JsonValue) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// One small frame per level: the generators nest 2,000 levels deep.
fn write_canonical(value: &JsonValue, out: &mut String) {
    match value {
        JsonValue::Null => out.push_str("null"),
        JsonValue::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        JsonValue::Number(number) => {
            out.push('n');
            out.push_str(&float_bits(number.as_f64().unwrap()));
        }
        JsonValue::String(text) => out.push_str(&serde_json::to_string(text).unwrap()),
        JsonValue::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        JsonValue::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

/// Compiles the reader module and runs `tests/ts/differential.cjs` on `batch`.
fn run_node(batch: &Value) -> Value {
    let module = compile_reader_module();
    node_json(&[root().join("tests/ts/differential.cjs"), module], batch)
}

/// Runs `node` with `arguments` and `input` on its standard input; its standard output as JSON.
fn node_json(arguments: &[PathBuf], input: &Value) -> Value {
    let mut child = Command::new("node")
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node is needed by the tests (see README.md)");
    let input = serde_json::to_vec(input).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Written from a thread: Node answers while it reads, and both pipes must keep moving.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The generated TypeScript for one public variable per declared type (named after it), an
/// A/B float with arms `-0 | 0` and one optional variable per declared type, compiled to CommonJS by the pinned `tsc`; the `.js` path.
fn compile_reader_module() -> PathBuf {
    let folder = scratch("differential");
    let mut variables: Vec<Value> = TYPES
        .iter()
        .map(|ty| {
            json!({"name": ty, "kind": "secret", "declaredType": ty, "visibility": "public",
                   "typeScriptType": "unknown"})
        })
        .collect();
    variables.push(
        json!({"name": "abFloat", "kind": "ab_roll", "declaredType": "float",
        "visibility": "public", "typeScriptType": "-0 | 0"}),
    );
    // The same types again as variables only some stages have (`optional_<type>`).
    variables.extend(TYPES.iter().map(|ty| {
        json!({"name": format!("optional_{ty}"), "kind": "secret", "declaredType": ty,
               "visibility": "public", "typeScriptType": "unknown", "required": false})
    }));
    // json typed with deep types, to the cap and past it; not required, so that reading another
    // variable leaves them unset rather than checking a deep value each time.
    variables.extend(DeepType::all().iter().map(|deep| {
        json!({"name": deep.name, "kind": "secret", "declaredType": "json",
               "visibility": "public", "typeScriptType": deep.type_script(),
               "required": false})
    }));
    let text = json!({"manifestVersion": "differential", "variables": variables}).to_string();
    let loaded = manifest::parse(&text, "differential").unwrap();
    let generated = codegen::generate_typescript(
        &loaded.manifest,
        &Options::default().with_ts_mode(TsMode::Standalone),
        "differential",
    )
    .unwrap();
    let source = folder.join("readers.ts");
    std::fs::write(&source, generated.text).unwrap();
    let tsc = root().join("ts/node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "{} is missing: run `bash scripts/test.sh` (it runs `npm ci` in ts/) first",
        relative(&tsc).display()
    );
    let out = folder.join("out");
    let config = json!({
        "compilerOptions": {"strict": true, "target": "ES2020", "lib": ["ES2020"],
                            "module": "commonjs", "types": [], "outDir": out},
        "files": [source],
    });
    let config_path = folder.join("tsconfig.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let output = Command::new(tsc)
        .arg("--project")
        .arg(&config_path)
        .args(["--pretty", "false"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tsc failed:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    out.join("readers.js")
}

/// One decision to compare: a bucket, and an ab_roll arm or a rollout's percentage and arm.
struct Decision {
    kind: DecisionKind,
    name: String,
    seed: Option<String>,
    key: Option<String>,
    chance: f64,
    rollout: Option<Rollout>,
}

/// A rollout's schedule, as (Unix ms, percentage) pairs, and the instant to decide at.
struct Rollout {
    function: RolloutFunction,
    milestones: Vec<(i64, f64)>,
    now: i64,
}

impl Decision {
    fn new(random: &mut Random) -> Self {
        let kind = if random.chance(0.5) {
            DecisionKind::AbRoll
        } else {
            DecisionKind::Rollout
        };
        let part = |random: &mut Random| {
            random.chance(0.9).then(|| {
                let core = random.pick(&["user-42", "", "checkout-v1", "user_abc", "ünï", "a b"]);
                random.wrap(core)
            })
        };
        let (seed, key) = (part(random), part(random));
        let rollout = (kind == DecisionKind::Rollout).then(|| {
            let function = *random.pick(&[
                RolloutFunction::Linear,
                RolloutFunction::Step,
                RolloutFunction::EaseInOut,
            ]);
            let count = random.below(5);
            let mut at = 1_772_323_200_000 + random.below(1_000) as i64;
            let milestones = (0..count)
                .map(|_| {
                    // Mostly increasing; sometimes the same instant or earlier.
                    at += *random.pick(&[0, -1, 86_400_000, 3_600_000, 1]) as i64
                        + random.below(1_000_000_000) as i64;
                    let (any, other) = (random.unit() * 100.0, random.unit() * 100.0);
                    let percentage = *random.pick(&[
                        0.0,
                        100.0,
                        50.0,
                        any,
                        other,
                        100.0 + f64::EPSILON * 128.0,
                        -0.0,
                        -1e-9,
                        101.0,
                        f64::NAN,
                        f64::INFINITY,
                    ]);
                    (at, percentage)
                })
                .collect::<Vec<_>>();
            let now = 1_772_323_200_000 + random.below(6_000_000_000) as i64;
            Rollout {
                function,
                milestones,
                now,
            }
        });
        let (any, other) = (random.unit(), random.unit());
        let chance = *random.pick(&[0.0, 1.0, 0.5, any, other]);
        let name = random
            .pick(&["CHECKOUT_FLOW", "NEW_DASHBOARD", "x"])
            .to_string();
        Decision {
            kind,
            name,
            seed,
            key,
            chance,
            rollout,
        }
    }

    fn to_json(&self) -> Value {
        let rollout = self.rollout.as_ref().map(|rollout| {
            let milestones: Vec<Value> = rollout
                .milestones
                .iter()
                .map(|(at, percentage)| {
                    // JSON has no NaN or infinity: those travel as the text `Number` reads.
                    let percentage = serde_json::Number::from_f64(*percentage)
                        .map_or_else(|| Value::from(js_number_text(*percentage)), Value::Number);
                    json!({"at": at, "percentage": percentage})
                })
                .collect();
            json!({"function": rollout.function.as_str(), "milestones": milestones,
                   "now": rollout.now})
        });
        json!({"kind": self.kind.as_str(), "name": self.name, "seed": self.seed, "key": self.key,
               "chance": self.chance, "rollout": rollout})
    }

    /// Our answer, in the form `differential.cjs` gives the service's.
    fn ours(&self) -> Value {
        let bucket = bucket(
            self.kind,
            &self.name,
            self.seed.as_deref(),
            self.key.as_deref(),
        );
        let percentage = self.rollout.as_ref().map(|rollout| {
            let milestones: Vec<Milestone> = rollout
                .milestones
                .iter()
                .map(|(at, percentage)| {
                    Milestone::new(Timestamp::from_unix_millis(*at), *percentage)
                })
                .collect();
            let now = Timestamp::from_unix_millis(rollout.now);
            rollout_percentage(rollout.function, &milestones, now).ok()
        });
        let arm = match (bucket, percentage) {
            (None, _) | (Some(_), Some(None)) => None,
            (Some(bucket), None) => Some(if bucket < self.chance { "a" } else { "b" }),
            (Some(bucket), Some(Some(percentage))) => Some(if bucket < percentage / 100.0 {
                "b"
            } else {
                "a"
            }),
        };
        json!({
            "bucket": bucket.map(float_bits),
            "percentage": percentage.flatten().map(float_bits),
            "arm": arm,
        })
    }
}

fn js_number_text(value: f64) -> &'static str {
    match value {
        f64::INFINITY => "Infinity",
        f64::NEG_INFINITY => "-Infinity",
        _ => "NaN",
    }
}

/// splitmix64: small, seedable, and the same sequence on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn digits(&mut self, count: usize, alphabet: &str) -> String {
        let alphabet: Vec<char> = alphabet.chars().collect();
        (0..count).map(|_| *self.pick(&alphabet)).collect()
    }

    /// `core`, often with whitespace of every kind around it: JavaScript's (trimmed), and
    /// look-alikes it does not trim (U+0085, U+180E, U+200B, controls).
    fn wrap(&mut self, core: &str) -> String {
        const SPACES: &[char] = &[
            '\t', '\u{B}', '\u{C}', ' ', '\u{A0}', '\u{FEFF}', '\n', '\r', '\u{2028}', '\u{2029}',
            '\u{1680}', '\u{2000}', '\u{2007}', '\u{200A}', '\u{202F}', '\u{205F}', '\u{3000}',
            '\u{85}', '\u{180E}', '\u{200B}', '\u{2060}', '\u{1C}', '\u{1F}', '\u{0}',
        ];
        let side = |random: &mut Random| -> String {
            let count = if random.chance(0.5) {
                0
            } else {
                random.below(3) + 1
            };
            (0..count).map(|_| *random.pick(SPACES)).collect()
        };
        let (before, after) = (side(self), side(self));
        format!("{before}{core}{after}")
    }
}

const GENERATORS: usize = 10;

/// Every generator's texts, each wrapped in whitespace or not.
fn texts(random: &mut Random) -> Vec<String> {
    let generators: [fn(&mut Random) -> String; GENERATORS] = [
        word,
        integer,
        decimal,
        radix,
        date,
        long_fraction_date,
        canonical_date,
        json_text,
        proto_json,
        deep_json,
    ];
    let mut texts = Vec::new();
    for generator in generators {
        for _ in 0..PER_GENERATOR {
            let core = generator(random);
            texts.push(random.wrap(&core));
        }
    }
    texts
}

fn word(random: &mut Random) -> String {
    let words = [
        "true",
        "false",
        "yes",
        "no",
        "1",
        "0",
        "y",
        "n",
        "on",
        "off",
        "2",
        "00",
        "01",
        "tru",
        "truee",
        "ye s",
        "ｙｅｓ",
        "yeſ",
        "\u{212A}",
        "İ",
        "true\u{0}",
        "+1",
        "-0",
        "1.0",
        "",
        "null",
        "\u{0661}",
    ];
    random
        .pick(&words)
        .chars()
        .map(|c| {
            if random.chance(0.3) {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn integer(random: &mut Random) -> String {
    let specials = [
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "0",
        "-0",
        "00",
        "1_000",
        "0x10",
        "1e3",
        "１",
        "٣",
        "-",
        "",
    ];
    if random.chance(0.2) {
        return random.pick(&specials).to_string();
    }
    let sign = *random.pick(&["", "", "-", "+", "--"]);
    let length = random.below(21) + 1;
    let mut digits = random.digits(length, "0123456789");
    if random.chance(0.7) && digits.len() > 1 {
        digits.replace_range(..1, random.pick::<&str>(&["1", "5", "9"]));
    }
    format!("{sign}{digits}")
}

fn decimal(random: &mut Random) -> String {
    let specials = [
        "Infinity",
        "-Infinity",
        "+Infinity",
        "infinity",
        "NaN",
        "inf",
        "1n",
        "0x1p3",
        ".",
        "e5",
        "5e",
        "1.2.3",
        "1e-400",
        "-0",
        "-0.0",
        "0e999999999999",
        "1e309",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "4.9e-324",
        "2.4703282292062328e-324",
        "9007199254740993",
        "1_0",
        "1,5",
        "+.5",
        "-.e1",
        "٣.٥",
    ];
    if random.chance(0.15) {
        return random.pick(&specials).to_string();
    }
    let sign = *random.pick(&["", "", "+", "-"]);
    let whole_length = random.below(26);
    let whole = random.digits(whole_length, "0123456789");
    let fraction = if random.chance(0.6) {
        let length = random.below(26);
        format!(".{}", random.digits(length, "0123456789"))
    } else {
        String::new()
    };
    let exponent = if random.chance(0.5) {
        let e = random.pick(&["e", "E"]);
        let sign = random.pick(&["", "+", "-"]);
        let digits = match random.below(3) {
            0 => random
                .pick(&["308", "309", "324", "400", "0", "22", "23"])
                .to_string(),
            1 => String::new(),
            _ => {
                let length = random.below(4) + 1;
                random.digits(length, "0123456789")
            }
        };
        format!("{e}{sign}{digits}")
    } else {
        String::new()
    };
    format!("{sign}{whole}{fraction}{exponent}")
}

fn radix(random: &mut Random) -> String {
    let (prefix, alphabet) = *random.pick(&[
        ("0x", "0123456789abcdefABCDEF"),
        ("0X", "0123456789abcdef"),
        ("0o", "01234567"),
        ("0O", "01234567"),
        ("0b", "01"),
        ("0B", "01"),
    ]);
    let digits = match random.below(5) {
        // Around 53 significant bits, where rounding decides.
        0 | 1 => {
            let length = match prefix {
                "0x" | "0X" => random.below(8) + 12,
                "0o" | "0O" => random.below(8) + 16,
                _ => random.below(16) + 50,
            };
            random.digits(length, alphabet)
        }
        // An exact tie, or just above one, in binary: 1, 52 bits, 1, then zeros or not.
        2 => {
            let middle = random.digits(52, "01");
            let tail = if random.chance(0.5) { "0000" } else { "0001" };
            return format!("0b1{middle}1{tail}");
        }
        // Near 2^1024, where a finite number becomes infinite.
        3 => {
            let length = *random.pick(&[255, 256, 257]);
            let top = if random.chance(0.5) { "f" } else { "7" };
            format!("{top}{}", random.digits(length - 1, "f"))
        }
        _ => {
            let length = random.below(4);
            let digits = random.digits(length, alphabet);
            let bad = random.pick(&["", "", "g", "8", "2", "_1", ".5", "n"]);
            format!("{digits}{bad}")
        }
    };
    let sign = *random.pick(&["", "", "", "-", "+"]);
    format!("{sign}{prefix}{digits}")
}

fn two_digits(random: &mut Random, choices: &[u32]) -> String {
    format!("{:02}", random.pick(choices))
}

fn date(random: &mut Random) -> String {
    let year = if random.chance(0.8) {
        let years = [
            "0000", "0001", "0099", "1900", "1969", "1970", "2000", "2023", "2024", "9999",
        ];
        random.pick(&years).to_string()
    } else {
        let sign = random.pick(&["+", "-"]);
        let years = [
            "000000", "010000", "275760", "271821", "275761", "099999", "002024",
        ];
        format!("{sign}{}", random.pick(&years))
    };
    let month = two_digits(random, &[0, 1, 2, 2, 4, 9, 12, 13]);
    let day = two_digits(random, &[0, 1, 15, 28, 29, 29, 30, 31, 32]);
    let hour = two_digits(random, &[0, 0, 12, 23, 24, 24, 25]);
    let minute = two_digits(random, &[0, 0, 30, 59, 60]);
    let second = two_digits(random, &[0, 0, 1, 59, 60]);
    let fraction = match random.below(5) {
        0 | 1 => String::new(),
        2 => ".".to_owned() + &"0".repeat(random.below(7) + 1),
        3 => {
            let length = random.below(12) + 1;
            ".".to_owned() + &random.digits(length, "0123456789")
        }
        _ => random
            .pick(&[".", ".000", ".999", ".0001", ".-1"])
            .to_string(),
    };
    let zone = match random.below(4) {
        0 | 1 => random
            .pick(&["Z", "Z", "z", "", "+0100", "+01"])
            .to_string(),
        _ => {
            let sign = random.pick(&["+", "-"]);
            let hours = two_digits(random, &[0, 1, 12, 23, 24, 99]);
            let minutes = two_digits(random, &[0, 30, 59, 60]);
            format!("{sign}{hours}:{minutes}")
        }
    };
    let t = random.pick(&["T", "T", "T", "t", " "]);
    let mut text = format!("{year}-{month}-{day}{t}{hour}:{minute}:{second}{fraction}{zone}");
    if random.chance(0.1) {
        let at = random.below(text.len());
        if text.is_char_boundary(at) {
            text.remove(at);
        }
    }
    text
}

/// Valid dates (mostly) whose fraction has leading zeros, of every length from 1 to 20: from
/// ten digits on, V8 reads such a fraction otherwise than truncating it (BAREKEY.md §2).
fn long_fraction_date(random: &mut Random) -> String {
    let length = random.below(20) + 1;
    let zeros = match random.chance(0.85) {
        true => random.below(length) + 1,
        false => 0,
    };
    let fraction = "0".repeat(zeros) + &random.digits(length - zeros, "0123456789");
    let year = random.pick(&[
        "1900", "1970", "2000", "2024", "0000", "9999", "-000001", "+010000",
    ]);
    let month = two_digits(random, &[1, 2, 6, 12]);
    let day = two_digits(random, &[1, 2, 3, 28, 29]);
    let hour = two_digits(random, &[0, 3, 15, 23, 24]);
    let minute = two_digits(random, &[0, 18, 45, 59]);
    let second = two_digits(random, &[0, 23, 40, 59]);
    let zone = random.pick(&["Z", "Z", "-00:00", "+05:30", "-23:59", "+01:00"]);
    format!("{year}-{month}-{day}T{hour}:{minute}:{second}.{fraction}{zone}")
}

/// Text as `toISOString` writes it for instants across a JavaScript `Date`'s whole range (and
/// just past its ends), which the service stores.
fn canonical_date(random: &mut Random) -> String {
    const LIMIT: i64 = 8_640_000_000_000_000;
    let ms = match random.below(4) {
        0 => *random.pick(&[
            LIMIT,
            -LIMIT,
            LIMIT + 1,
            -LIMIT - 1,
            0,
            -1,
            253_402_300_800_000,
        ]),
        1 => random.next() as i64 % 400_000_000_000_000,
        _ => random.next() as i64 % (LIMIT + 2),
    };
    Timestamp::from_unix_millis(ms).to_string()
}

fn json_text(random: &mut Random) -> String {
    let mut text = String::new();
    if random.chance(0.15) {
        let depth = *random.pick(&[100, 127, 128, 129, 500, 2_000]);
        let (open, close) = if random.chance(0.5) {
            ("[", "]")
        } else {
            ("{\"a\":", "}")
        };
        let inner = json_value(random, 1);
        text = format!("{}{inner}{}", open.repeat(depth), close.repeat(depth));
    } else {
        json_into(random, &mut text, 3);
    }
    if random.chance(0.2) {
        match random.below(5) {
            0 => {
                let cut = random.below(text.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|at| text.is_char_boundary(*at))
                    .unwrap_or(0);
                text.truncate(cut);
            }
            1 => text.push(','),
            2 => text.insert(0, '\u{FEFF}'),
            3 => text.push_str(random.pick::<&str>(&[" x", "]", "}", "\u{A0}", "\u{2028}"])),
            _ => text = text.replacen(':', " ", 1),
        }
    }
    text
}

/// JSON with `__proto__` keys (spelled plainly or with escapes) at depths 1 to 5, beside
/// repeated keys, repeated themselves, holding values of every kind, and nested under one
/// another.
fn proto_json(random: &mut Random) -> String {
    const KEYS: [&str; 5] = [
        r#""__proto__""#,
        r#""__proto__""#,
        r#""\u005f_proto__""#,
        r#""__proto\u005f_""#,
        r#""__proto__ ""#,
    ];
    let (first, second) = (*random.pick(&KEYS), *random.pick(&KEYS));
    let value = json_value(random, 2);
    let other = json_value(random, 1);
    let mut text = match random.below(5) {
        0 => format!("{{{first}:{value}}}"),
        1 => format!(r#"{{"a":1,{first}:{value},"a":{other}}}"#),
        2 => format!("{{{first}:{value},{second}:{other}}}"),
        3 => format!(r#"{{"b":[],{first}:{value},"é":{other},"b":{{}}}}"#),
        _ => format!(r#"{{{first}:{{"a":[false],{second}:{{}},"é":1}},"z":{other}}}"#),
    };
    for _ in 0..random.below(5) {
        text = match random.below(5) {
            0 => format!("[{text}]"),
            1 => format!("[1,{text},null]"),
            2 => format!(r#"{{"a":{text}}}"#),
            3 => format!(r#"{{"__proto__":{text},"k":{text}}}"#),
            _ => format!(r#"{{"x":{text},"x":{text}}}"#),
        };
    }
    text
}

/// JSON nested around the deep types' depths and far past them, arrays or `{"a": ...}`
/// objects, now and then with a twist at one level: a `__proto__` wrapper (dropped, so the
/// level is gone), an extra or repeated key, an extra item.
fn deep_json(random: &mut Random) -> String {
    let levels = *random.pick(&[39, 40, 41, 99, 100, 101, 102, 2_000]);
    let object = random.chance(0.5);
    let leaf = *random.pick(&["1", "-0.5", "1e400", "\"1\"", "null", "[]", "{}", "true"]);
    let twist = random
        .chance(0.4)
        .then(|| (random.below(levels), random.below(4)));
    let (mut opens, mut closes) = (Vec::new(), Vec::new());
    for level in 0..levels {
        let (open, close) = match (object, twist) {
            (true, Some((at, kind))) if at == level => [
                (r#"{"__proto__":{"a":"#, "}}"),
                (r#"{"z":1,"a":"#, r#","__proto__":{}}"#),
                (r#"{"a":0,"a":"#, "}"),
                (r#"{"__proto__":1,"a":"#, r#","__proto__":{"a":2}}"#),
            ][kind],
            (true, _) => (r#"{"a":"#, "}"),
            (false, Some((at, kind))) if at == level => {
                [("[", ",1]"), ("[[],", "]"), ("[", ",[]]"), ("[", ",null]")][kind]
            }
            (false, _) => ("[", "]"),
        };
        opens.push(open);
        closes.push(close);
    }
    closes.reverse();
    format!("{}{leaf}{}", opens.concat(), closes.concat())
}

fn json_value(random: &mut Random, depth: usize) -> String {
    let mut text = String::new();
    json_into(random, &mut text, depth);
    text
}

fn json_into(random: &mut Random, out: &mut String, depth: usize) {
    let space = |random: &mut Random| -> &'static str {
        random.pick::<&str>(&["", "", "", " ", "\n", "\t", "\r\n "])
    };
    let choice = if depth == 0 {
        random.below(4)
    } else {
        random.below(6)
    };
    match choice {
        0 => out.push_str(random.pick::<&str>(&["null", "true", "false", "nul", "True"])),
        1 => out.push_str(&json_number(random)),
        2 | 3 => out.push_str(&json_string(random)),
        4 => {
            out.push('[');
            for index in 0..random.below(4) {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(space(random));
                json_into(random, out, depth - 1);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for index in 0..random.below(4) {
                if index > 0 {
                    out.push(',');
                }
                let key = if random.chance(0.3) {
                    random
                        .pick(&[
                            "\"a\"",
                            "\"__proto__\"",
                            "\"\\ud800\"",
                            "\"\\udbff\"",
                            "\"b\"",
                        ])
                        .to_string()
                } else {
                    json_string(random)
                };
                let _ = write!(out, "{}{key}{}:", space(random), space(random));
                json_into(random, out, depth - 1);
            }
            out.push('}');
        }
    }
}

fn json_number(random: &mut Random) -> String {
    let specials = [
        "-0",
        "1e400",
        "-1e400",
        "9007199254740993",
        "1E+2",
        "0.1",
        "1e-400",
        "-0.0",
        "123456789012345678901234567890",
        "9223372036854775807",
        "18446744073709551616",
        "01",
        "1.",
        ".5",
        "+1",
        "0x10",
        "NaN",
        "-",
        "1e",
        "2.5e-3",
    ];
    if random.chance(0.5) {
        return random.pick(&specials).to_string();
    }
    let sign = random.pick(&["", "-"]);
    let length = random.below(20) + 1;
    let whole = random.digits(length, "0123456789");
    let whole = if whole.len() > 1 {
        whole.trim_start_matches('0').to_owned()
    } else {
        whole
    };
    let whole = if whole.is_empty() {
        "0".to_owned()
    } else {
        whole
    };
    let fraction = if random.chance(0.5) {
        let length = random.below(20) + 1;
        format!(".{}", random.digits(length, "0123456789"))
    } else {
        String::new()
    };
    format!("{sign}{whole}{fraction}")
}

fn json_string(random: &mut Random) -> String {
    let pieces = [
        "a",
        "é",
        "🚀",
        "\\\"",
        "\\\\",
        "\\/",
        "\\b",
        "\\f",
        "\\n",
        "\\r",
        "\\t",
        "\\u0000",
        "\\u00e9",
        "\\uD800",
        "\\udc00",
        "\\ud83d\\ude80",
        "\\uD83D",
        "\\uFFFF",
        "\\uFEFF",
        "\u{2028}",
        "\u{7F}",
        " ",
        "\\x41",
        "\\u12",
        "\t",
        "\u{1}",
    ];
    let count = random.below(5);
    let body: String = (0..count).map(|_| *random.pick(&pieces)).collect();
    format!("\"{body}\"")
}

#[test]
fn the_generators_are_deterministic() {
    let first = texts(&mut Random(7));
    let second = texts(&mut Random(7));
    assert_eq!(first, second);
    assert_eq!(first.len(), GENERATORS * PER_GENERATOR);
}
