//! Generated TypeScript: golden files in both modes, type-checked by the real TypeScript
//! compiler (from `ts/`, installed by `scripts/test.sh`), and run in Node against the shared
//! parse-case table.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use barekey_typegen::codegen::{self, Options, TsMode};
use barekey_typegen::manifest;
use common::{assert_all, check_golden, relative, root, scratch, valid_fixtures};

fn generate(path: &Path, mode: TsMode) -> (String, Vec<String>) {
    let origin = relative(path).display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let loaded = manifest::parse(&text, &origin).unwrap_or_else(|error| panic!("{error}"));
    let generated = codegen::generate_typescript(
        &loaded.manifest,
        &codegen::Options::default().with_ts_mode(mode),
        &origin,
    )
    .unwrap();
    let warnings = generated.warnings.iter().map(ToString::to_string).collect();
    (generated.text, warnings)
}

#[test]
fn generated_typescript_matches_golden_files() {
    let mut failures = Vec::new();
    for (stem, path) in valid_fixtures() {
        let (standalone, warnings) = generate(&path, TsMode::Standalone);
        failures.extend(check_golden(&format!("ts/standalone/{stem}.ts"), &standalone).err());
        let (sdk, sdk_warnings) = generate(&path, TsMode::Sdk);
        failures.extend(check_golden(&format!("ts/sdk/{stem}.ts"), &sdk).err());
        let lines = |warnings: Vec<String>| -> String {
            warnings.iter().map(|line| format!("{line}\n")).collect()
        };
        failures.extend(check_golden(&format!("ts/warnings/{stem}.txt"), &lines(warnings)).err());
        let sdk_warnings = lines(sdk_warnings);
        failures.extend(check_golden(&format!("ts/sdk-warnings/{stem}.txt"), &sdk_warnings).err());
    }
    assert_all(failures);
}

/// The two stages of `fixtures/stages/` merged: stage-only variables are optional properties
/// documented with their stage; `--ts-mode sdk`, whose official file types one stage, refuses
/// the merged manifest and says what to use instead.
#[test]
fn merged_stages_match_golden_files_and_the_sdk_file_refuses_them() {
    let (manifest, _) = common::merged_stages();
    let options = Options::default();
    let generated = codegen::generate_typescript(
        &manifest,
        &options.clone().with_ts_mode(TsMode::Standalone),
        "stages",
    )
    .unwrap();
    for line in [
        "  readonly BETA_LIMITS?: { maxSeats: number; regions: Array<string>; };\n",
        "  readonly NEW_SEARCH_UI?: \"classic\" | \"instant\";\n",
        "  readonly PORT: bigint;\n",
    ] {
        assert!(
            generated.text.contains(line),
            "{line:?} is not in:\n{}",
            generated.text
        );
    }
    let mut failures = Vec::new();
    failures.extend(check_golden("ts/standalone/stages.ts", &generated.text).err());
    let warnings: String = generated
        .warnings
        .iter()
        .map(|w| format!("{w}\n"))
        .collect();
    failures.extend(check_golden("ts/warnings/stages.txt", &warnings).err());
    assert_all(failures);

    let error = codegen::generate_typescript(
        &manifest,
        &options.clone().with_ts_mode(TsMode::Sdk),
        "stages",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "--ts-mode sdk writes the official SDK file, which describes one stage, but the manifest \
         merges the stages production, staging; for several stages use the standalone TypeScript \
         module (--ts-mode standalone, the default), or give one stage's snapshot for the SDK file"
    );
}

/// Subsets of a manifest (`--only`) as standalone modules: the selected variables alone.
#[test]
fn subsets_match_golden_files() {
    let mut failures = Vec::new();
    for subset in common::subsets().iter().filter(|subset| !subset.rust_only) {
        let (manifest, origin) = subset.manifest();
        let generated = codegen::generate_typescript(&manifest, &subset.options, &origin).unwrap();
        let golden = format!("ts/standalone/{}.ts", subset.stem);
        failures.extend(check_golden(&golden, &generated.text).err());
    }
    assert_all(failures);
}

/// The SDK file is the official one byte for byte: it takes no selection.
#[test]
fn the_sdk_file_refuses_a_selection() {
    let (manifest, origin) = common::subsets()[0].manifest();
    let options = common::subsets()[0]
        .options
        .clone()
        .with_ts_mode(TsMode::Sdk);
    let error = codegen::generate_typescript(&manifest, &options, &origin).unwrap_err();
    assert!(
        matches!(error, barekey_typegen::Error::SdkModeSelection),
        "{error}"
    );
}

/// The manifest's text never reaches the output unescaped: hostile `typeScriptType`s, names,
/// slugs and arms stay inside string literals or comments.
#[test]
fn injection_attempts_stay_inert() {
    for fixture in ["hostile-names", "injection"] {
        let path = root().join(format!("fixtures/{fixture}.manifest.json"));
        for mode in [TsMode::Standalone, TsMode::Sdk] {
            let (text, warnings) = generate(&path, mode);
            // The injected code may be quoted or commented; it never starts a line of its own.
            for line in text.lines().map(str::trim_start) {
                let version = line.starts_with("export const barekeyManifestVersion = ");
                for injected in ["export const", "alert(1)", "fn evil"] {
                    let live = line.starts_with(injected) && !version;
                    assert!(!live, "{fixture} {mode:?}: {line}");
                }
            }
            // No line ends inside a literal, in either mode: the SDK file escapes U+2028 and
            // U+2029 too, where `JSON.stringify` would leave them raw (with a warning).
            assert!(
                !text.contains('\u{2028}') && !text.contains('\u{2029}') && !text.contains('\r'),
                "{fixture} {mode:?}"
            );
            // Every one-line doc comment ends exactly at its end: none from the manifest closes
            // early.
            for line in text.lines().filter(|line| line.contains("/** ")) {
                assert_eq!(line.matches("*/").count(), 1, "{line}");
                assert!(line.ends_with(" */"), "{line}");
            }
            assert!(
                warnings
                    .iter()
                    .any(|warning| warning.contains("export const x = 1; {")),
                "{warnings:?}"
            );
        }
    }
}

/// `ts/node_modules/.bin/tsc`, or a failure saying how to install it.
fn tsc() -> PathBuf {
    let tsc = root().join("ts/node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "{} is missing: run `bash scripts/test.sh` (it runs `npm ci` in ts/) first",
        tsc.display()
    );
    tsc
}

/// Writes `folder/tsconfig.json` for `files` with the strictest flags the issue asks for and
/// `extra`; compiling to CommonJS in `out`, or not emitting when `out` is `None`.
fn write_tsconfig(
    folder: &Path,
    files: &[PathBuf],
    extra: serde_json::Value,
    out: Option<&Path>,
) -> PathBuf {
    let mut options = serde_json::json!({
        "strict": true,
        "noUncheckedIndexedAccess": true,
        "exactOptionalPropertyTypes": true,
        "noImplicitReturns": true,
        "target": "ES2020",
        "lib": ["ES2020"],
        "module": "commonjs",
        "types": [],
        "rootDir": root(),
    });
    match out {
        Some(out) => options["outDir"] = serde_json::json!(out),
        None if extra.get("composite").is_none() => options["noEmit"] = serde_json::json!(true),
        None => {}
    }
    for (key, value) in extra.as_object().unwrap() {
        options[key] = value.clone();
    }
    let config = serde_json::json!({ "compilerOptions": options, "files": files });
    std::fs::create_dir_all(folder).unwrap();
    let path = folder.join("tsconfig.json");
    std::fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    path
}

/// Runs `command`, failing with its output unless it succeeds.
fn run(command: &mut Command) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn goldens(mode: &str) -> Vec<PathBuf> {
    valid_fixtures()
        .into_iter()
        .map(|(stem, _)| root().join(format!("tests/golden/ts/{mode}/{stem}.ts")))
        .collect()
}

/// The SDK files against a stub of the module they augment. Each augments the same interface,
/// so each is its own project; `tsc --build` checks them all in one process.
#[test]
fn sdk_golden_files_type_check() {
    let folder = scratch("typescript/sdk");
    let mut references = Vec::new();
    for (index, golden) in goldens("sdk").into_iter().enumerate() {
        let project = folder.join(index.to_string());
        let files = [golden, root().join("tests/ts/sdk-stub.d.ts")];
        let declarations = serde_json::json!({
            "composite": true,
            "emitDeclarationOnly": true,
            "outDir": project.join("out"),
        });
        write_tsconfig(&project, &files, declarations, None);
        references.push(serde_json::json!({ "path": project }));
    }
    let solution = serde_json::json!({ "files": [], "references": references });
    let solution_path = folder.join("tsconfig.json");
    std::fs::write(&solution_path, solution.to_string()).unwrap();
    run(Command::new(tsc()).arg("--build").arg(&solution_path));
}

/// Every standalone golden file and the type tests compile strictly; then Node runs the
/// parse-case table, the demo module (as CommonJS and as an ES module) and the hostile-names
/// module, and checks that every module exports exactly the runtime's four names.
#[test]
fn standalone_modules_type_check_and_parse_like_rust() {
    let folder = scratch("typescript/standalone");
    let cases_module = folder.join("parse-cases.ts");
    std::fs::write(&cases_module, parse_case_module()).unwrap();
    let mut files = goldens("standalone");
    let stages = root().join("tests/golden/ts/standalone/stages.ts");
    files.push(stages.clone());
    for subset in common::subsets().iter().filter(|subset| !subset.rust_only) {
        files.push(root().join(format!("tests/golden/ts/standalone/{}.ts", subset.stem)));
    }
    files.push(root().join("tests/ts/type-test.ts"));
    files.push(root().join("tests/ts/stages-type-test.ts"));
    files.push(cases_module);
    let out = folder.join("out");
    let unused = serde_json::json!({ "noUnusedLocals": true, "noUnusedParameters": true });
    let config = write_tsconfig(&folder, &files, unused, Some(&out));
    run(Command::new(tsc())
        .arg("--project")
        .arg(config)
        .args(["--pretty", "false"]));

    // The demo module again, as an ES module (the folder's package.json tells Node so).
    let demo = root().join("tests/golden/ts/standalone/demo.ts");
    let esm = folder.join("esm");
    let esm_options = serde_json::json!({ "module": "ES2020" });
    let esm_config = write_tsconfig(
        &esm,
        std::slice::from_ref(&demo),
        esm_options,
        Some(&esm.join("out")),
    );
    run(Command::new(tsc()).arg("--project").arg(esm_config));
    std::fs::write(esm.join("out/package.json"), r#"{"type": "module"}"#).unwrap();

    let compiled = |path: &Path| out.join(relative(path)).with_extension("js");
    run(Command::new("node")
        .arg(root().join("tests/ts/run.cjs"))
        .arg(root().join("fixtures/parse-cases.json"))
        .arg(compiled(&folder.join("parse-cases.ts")))
        .arg(compiled(&root().join("tests/golden/ts/standalone/demo.ts")))
        .arg(compiled(
            &root().join("tests/golden/ts/standalone/hostile-names.ts"),
        ))
        .arg(root().join("fixtures/hostile-names.manifest.json"))
        .arg(esm.join("out").join(relative(&demo)).with_extension("js"))
        .args(goldens("standalone").iter().map(|golden| compiled(golden))));
    // The merged stages module: stage-only variables absent, parsed or listed as problems.
    run(Command::new("node")
        .arg(root().join("tests/ts/stages.cjs"))
        .arg(compiled(&stages)));
    // The public-only module, fed the public values alone.
    run(Command::new("node")
        .arg(root().join("tests/ts/public-only.cjs"))
        .arg(compiled(
            &root().join("tests/golden/ts/standalone/demo-public.ts"),
        )));
}

/// A module with one public variable per declared type, named after it.
fn parse_case_module() -> String {
    let variables: Vec<serde_json::Value> = ["boolean", "date", "float", "int64", "json", "string"]
        .iter()
        .map(|ty| {
            serde_json::json!({
                "name": ty, "kind": "secret", "declaredType": ty, "visibility": "public",
                "typeScriptType": "unknown",
            })
        })
        .collect();
    let text = serde_json::json!({ "manifestVersion": "cases", "variables": variables });
    let loaded = manifest::parse(&text.to_string(), "parse cases").unwrap();
    let options = Options::default();
    codegen::generate_typescript(
        &loaded.manifest,
        &options.clone().with_ts_mode(TsMode::Standalone),
        "parse cases",
    )
    .unwrap()
    .text
}

/// `--ts-mode sdk` gives BAREKEY.md §5's example byte for byte, and its empty form.
#[test]
fn sdk_mode_reproduces_the_official_file() {
    let manifest = |variables: serde_json::Value| {
        let text = serde_json::json!({ "manifestVersion": "mv_1", "variables": variables });
        manifest::parse(&text.to_string(), "m").unwrap().manifest
    };
    let sdk = |variables| {
        let options = Options::default();
        codegen::generate_typescript(
            &manifest(variables),
            &options.clone().with_ts_mode(TsMode::Sdk),
            "m",
        )
        .unwrap()
        .text
    };
    let two = serde_json::json!([
        {"name": "DATABASE_URL", "kind": "secret", "declaredType": "string",
         "typeScriptType": "string"},
        {"name": "CHECKOUT_FLOW", "kind": "ab_roll", "declaredType": "string",
         "typeScriptType": "\"control\" | \"treatment\""},
    ]);
    let official = r#"/* eslint-disable */
/* This file is generated by barekey typegen. */

import type { BarekeyTemporalInstant } from "@barekey/sdk";
import "@barekey/sdk";

declare module "@barekey/sdk" {
  interface BarekeyGeneratedTypeMap {
    "CHECKOUT_FLOW": "control" | "treatment";
    "DATABASE_URL": string;
  }
}

export type BarekeyKnownKey =
  | "CHECKOUT_FLOW"
  | "DATABASE_URL";

export const barekeyManifestVersion = "mv_1";
"#;
    assert_eq!(sdk(two), official);
    // No variables: `[].join("\n")` leaves one empty line, and the union is `never`.
    let empty = sdk(serde_json::json!([]));
    let body = "  interface BarekeyGeneratedTypeMap {\n\n  }\n}\n\n";
    let union = "export type BarekeyKnownKey =\n  never;\n";
    assert!(empty.contains(&format!("{body}{union}")), "{empty}");
}

/// Generated TypeScript type-checks for any name, slug and version: 40 manifests with text drawn
/// from all of Unicode (direction controls weighted up) and pairs of them merged as two stages,
/// every standalone module in one strict project and every SDK file as its own project of one
/// `tsc --build`.
#[test]
fn typescript_generated_from_any_unicode_text_type_checks() {
    let mut manifests = common::unicode::manifests(40, 12);
    common::unicode::assert_direction_controls_drawn(&manifests);
    manifests.extend(common::unicode::merged_pairs(&manifests, 10));
    let folder = scratch("typescript/unicode");
    let options = Options::default();
    let mut standalone = Vec::new();
    let mut references = Vec::new();
    for (index, manifest) in manifests.iter().enumerate() {
        for mode in [TsMode::Standalone, TsMode::Sdk] {
            if mode == TsMode::Sdk && !manifest.stages.is_empty() {
                let refused = codegen::generate_typescript(
                    manifest,
                    &options.clone().with_ts_mode(mode),
                    "unicode",
                );
                assert!(refused.is_err(), "the SDK file of several stages");
                continue;
            }
            let text = codegen::generate_typescript(
                manifest,
                &options.clone().with_ts_mode(mode),
                "unicode",
            )
            .unwrap()
            .text;
            let label = format!("{mode:?} {index}");
            common::unicode::assert_no_hidden_code_point(&label, &text);
            if mode == TsMode::Standalone {
                let path = folder.join(format!("m_{index}.ts"));
                std::fs::write(&path, text).unwrap();
                standalone.push(path);
                continue;
            }
            let project = folder.join(format!("sdk_{index}"));
            std::fs::create_dir_all(&project).unwrap();
            let path = project.join("barekey.ts");
            std::fs::write(&path, text).unwrap();
            let files = [path, root().join("tests/ts/sdk-stub.d.ts")];
            let declarations = serde_json::json!({
                "composite": true,
                "emitDeclarationOnly": true,
                "outDir": project.join("out"),
            });
            write_tsconfig(&project, &files, declarations, None);
            references.push(serde_json::json!({ "path": project }));
        }
    }
    let unused = serde_json::json!({ "noUnusedLocals": true, "noUnusedParameters": true });
    let config = write_tsconfig(&folder.join("standalone"), &standalone, unused, None);
    run(Command::new(tsc())
        .arg("--project")
        .arg(config)
        .args(["--pretty", "false"]));
    let solution = serde_json::json!({ "files": [], "references": references });
    let solution_path = folder.join("tsconfig.json");
    std::fs::write(&solution_path, solution.to_string()).unwrap();
    run(Command::new(tsc()).arg("--build").arg(&solution_path));
}

/// A json object type of any width type-checks and is checked at run time: its check is a
/// table of `[key, predicate]` pairs, where one `&&` chain per key overflowed tsc's stack from
/// 1,000 keys. A value with every key parses; one missing a key, or with a wrong type in it,
/// is refused.
#[test]
fn a_json_object_type_of_any_width_type_checks_and_is_checked() {
    let keys = 2_000;
    let types = [
        "string",
        "number",
        "boolean",
        "Array<string>",
        "{ n: number; }",
    ];
    let values = [r#""s""#, "1.5", "true", r#"["a"]"#, r#"{"n": 2}"#];
    let members: String = (0..keys)
        .map(|key| format!("k{key}: {}; ", types[key % types.len()]))
        .collect();
    let value = |skip: usize, wrong: usize| {
        let entries: Vec<String> = (0..keys)
            .filter(|key| *key != skip)
            .map(|key| {
                let value = if key == wrong {
                    "null"
                } else {
                    values[key % values.len()]
                };
                format!("\"k{key}\": {value}")
            })
            .collect();
        format!("{{{}}}", entries.join(", "))
    };
    let manifest = serde_json::json!({"manifestVersion": "wide", "variables": [
        {"name": "WIDE", "kind": "secret", "declaredType": "json", "visibility": "public",
         "typeScriptType": format!("{{ {members}}}")},
    ]});
    let loaded = manifest::parse(&manifest.to_string(), "wide").unwrap();
    let generated =
        codegen::generate_typescript(&loaded.manifest, &Options::default(), "wide").unwrap();
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let folder = scratch("typescript/wide");
    let module = folder.join("wide.ts");
    std::fs::write(&module, &generated.text).unwrap();
    let out = folder.join("out");
    let unused = serde_json::json!({ "noUnusedLocals": true, "noUnusedParameters": true });
    let config = write_tsconfig(&folder, std::slice::from_ref(&module), unused, Some(&out));
    run(Command::new(tsc())
        .arg("--project")
        .arg(config)
        .args(["--pretty", "false"]));
    let compiled = out.join(relative(&module)).with_extension("js");
    let script = format!(
        "const assert = require('node:assert/strict');\n\
         const {{ parseBarekeyEnv }} = require({compiled:?});\n\
         const env = parseBarekeyEnv({{ WIDE: {full:?} }});\n\
         assert.equal(env.WIDE.k0, 's');\n\
         assert.equal(env.WIDE.k{last}.n, 2);\n\
         assert.throws(() => parseBarekeyEnv({{ WIDE: {missing:?} }}), /WIDE/);\n\
         assert.throws(() => parseBarekeyEnv({{ WIDE: {wrong:?} }}), /WIDE/);\n",
        compiled = compiled.display().to_string(),
        full = value(keys, keys),
        missing = value(keys - 3, keys),
        wrong = value(keys, keys - 2),
        last = keys - 1,
    );
    run(Command::new("node").args(["-e", &script]));
}
