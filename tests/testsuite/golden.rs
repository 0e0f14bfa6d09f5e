//! Every fixture's generated Rust, warnings and validation errors, against golden files.

use crate::common;

use barekey_typegen::codegen::{self, Options};
use barekey_typegen::manifest;
use barekey_typegen::source::read_manifest;
use common::{assert_all, check_golden, invalid_fixtures, relative, valid_fixtures};
use serde_json::Value;

fn generate(text: &str, origin: &str) -> (String, Vec<String>) {
    let loaded = manifest::parse(text, origin).unwrap_or_else(|error| panic!("{error}"));
    let generated = codegen::generate_rust(&loaded.manifest, &Options::default(), origin).unwrap();
    let warnings = loaded
        .warnings
        .iter()
        .chain(&generated.warnings)
        .map(ToString::to_string)
        .collect();
    (generated.text, warnings)
}

#[test]
fn generated_rust_matches_golden_files() {
    let mut failures = Vec::new();
    for (stem, path) in valid_fixtures() {
        let origin = relative(&path).display().to_string();
        let (text, warnings) = generate(&std::fs::read_to_string(&path).unwrap(), &origin);
        failures.extend(check_golden(&format!("rust/{stem}.rs"), &text).err());
        let mut warnings = warnings.join("\n");
        if !warnings.is_empty() {
            warnings.push('\n');
        }
        failures.extend(check_golden(&format!("warnings/{stem}.txt"), &warnings).err());
    }
    assert_all(failures);
}

/// The two stages of `fixtures/stages/` merged: shared variables plain, stage-only ones
/// `Option`s documented with their stage, every stage and version in the header and
/// `MANIFEST_VERSIONS`.
#[test]
fn merged_stages_match_golden_files() {
    let (manifest, mut warnings) = common::merged_stages();
    let generated = codegen::generate_rust(&manifest, &Options::default(), "stages").unwrap();
    warnings.extend(generated.warnings.iter().map(ToString::to_string));
    let optional: Vec<(&str, &[String])> = manifest
        .variables
        .iter()
        .filter(|variable| !variable.required)
        .map(|variable| (variable.name.as_str(), variable.only_in.as_slice()))
        .collect();
    let production = ["production".to_owned()];
    let staging = ["staging".to_owned()];
    assert_eq!(
        optional,
        [
            ("BETA_LIMITS", &staging[..]),
            ("CDN_URL", &production[..]),
            ("DEBUG_SQL", &staging[..]),
            ("NEW_SEARCH_UI", &staging[..]),
            ("SENTRY_DSN", &production[..]),
        ],
        "the fixtures give the stage-only variables the golden file shows"
    );
    let text = &generated.text;
    for field in [
        "pub beta_limits: ::core::option::Option<BetaLimits>,",
        "pub new_search_ui: ::core::option::Option<NewSearchUi>,",
        "pub debug_sql: ::core::option::Option<bool>,",
        "pub port: i64,",
    ] {
        assert!(text.contains(field), "{field} is not in:\n{text}");
    }
    let mut failures = Vec::new();
    failures.extend(check_golden("rust/stages.rs", text).err());
    let warnings: String = warnings.iter().map(|line| format!("{line}\n")).collect();
    failures.extend(check_golden("warnings/stages.txt", &warnings).err());
    assert_all(failures);
}

/// Subsets of a manifest (`--only`): the selected variables alone, the docs naming the
/// selection.
#[test]
fn subsets_match_golden_files() {
    let mut failures = Vec::new();
    for subset in common::subsets() {
        let (manifest, origin) = subset.manifest();
        let generated = codegen::generate_rust(&manifest, &subset.options, &origin).unwrap();
        failures.extend(check_golden(&format!("rust/{}.rs", subset.stem), &generated.text).err());
    }
    assert_all(failures);
}

/// `--public-only`: for every private variable, neither its name, its field, its own type's
/// name nor its arms appear in the Rust or the TypeScript module; every public one is there.
#[test]
fn a_public_only_module_holds_nothing_of_a_private_variable() {
    use barekey_typegen::codegen::{Selection, TsMode};
    use barekey_typegen::manifest::{Manifest, Visibility};
    let fixture = |stem: &str| {
        let path = common::root().join(format!("fixtures/{stem}.manifest.json"));
        let text = std::fs::read_to_string(path).unwrap();
        manifest::parse(&text, stem).unwrap().manifest
    };
    let manifests: Vec<(&str, Manifest)> = vec![
        ("demo", fixture("demo")),
        ("switches", fixture("switches")),
        ("json-shapes", fixture("json-shapes")),
        ("stages", common::merged_stages().0),
    ];
    let mut selection = Selection::default();
    selection.public_only = true;
    let options = Options::default().with_selection(selection);
    for (stem, manifest) in &manifests {
        let rust = codegen::generate_rust(manifest, &options, stem)
            .unwrap()
            .text;
        let ts_options = options.clone().with_ts_mode(TsMode::Standalone);
        let ts = codegen::generate_typescript(manifest, &ts_options, stem)
            .unwrap()
            .text;
        let names: Vec<&str> = manifest.variables.iter().map(|v| v.name.as_str()).collect();
        let (fields, _) = barekey_typegen::naming::rust_fields(&names);
        let (public, private): (Vec<_>, Vec<_>) = manifest
            .variables
            .iter()
            .zip(&fields)
            .partition(|(variable, _)| variable.visibility == Visibility::Public);
        assert!(!private.is_empty(), "{stem} has private variables");
        let in_a_public_name = |text: &str| public.iter().any(|(v, _)| v.name.contains(text));
        for (variable, field) in &private {
            let base = barekey_typegen::naming::rust_type_base(field);
            let mut absent = vec![
                format!("{:?}", variable.name),
                format!("pub {field}:"),
                format!("pub enum {base} "),
                format!("pub struct {base} "),
            ];
            if !in_a_public_name(&variable.name) {
                absent.push(variable.name.clone());
            }
            // String and number arms, as each language writes them (`42n` in TypeScript).
            let arms = [
                &variable.value_a_type_script_type,
                &variable.value_b_type_script_type,
            ];
            let arms = arms
                .into_iter()
                .flatten()
                .filter(|arm| arm.len() >= 3 && !["true", "false"].contains(&arm.as_str()));
            for arm in arms {
                let rust_arm = arm.trim_end_matches('n');
                assert!(
                    !rust.contains(rust_arm),
                    "{stem}: {rust_arm} in the Rust module"
                );
                assert!(
                    !ts.contains(arm.as_str()),
                    "{stem}: {arm} in the TypeScript module"
                );
            }
            for text in &absent {
                assert!(
                    !rust.contains(text.as_str()),
                    "{stem}: {text} in the Rust module"
                );
                assert!(
                    !ts.contains(text.as_str()),
                    "{stem}: {text} in the TypeScript module"
                );
            }
        }
        for (variable, _) in &public {
            let quoted = format!("{:?}", variable.name);
            assert!(
                rust.contains(&quoted) && ts.contains(&quoted),
                "{stem}: {quoted}"
            );
        }
    }
}

#[test]
fn every_invalid_fixture_fails_with_every_problem_named() {
    let mut failures = Vec::new();
    for (stem, path) in invalid_fixtures() {
        match read_manifest(&relative(&path)) {
            Ok(_) => failures.push(format!("{stem}: loaded, but it is invalid")),
            Err(error) => {
                failures.extend(
                    check_golden(&format!("errors/{stem}.txt"), &format!("{error}\n")).err(),
                );
            }
        }
    }
    assert_all(failures);
}

/// The same variables in any order, with any volatile fields, give the same bytes.
#[test]
fn output_does_not_depend_on_variable_order() {
    for (stem, path) in valid_fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let (expected, expected_warnings) = generate(&text, "m");
        let document: Value = serde_json::from_str(&text).unwrap();
        let count = document["variables"].as_array().unwrap().len();
        for rotation in [0, 1, count / 2, count.saturating_sub(1)] {
            let mut shuffled = document.clone();
            let variables = shuffled["variables"].as_array_mut().unwrap();
            variables.reverse();
            variables.rotate_left(rotation.min(count));
            let (actual, warnings) = generate(&serde_json::to_string(&shuffled).unwrap(), "m");
            assert_eq!(actual, expected, "{stem} with rotation {rotation}");
            assert_eq!(
                warnings, expected_warnings,
                "{stem} with rotation {rotation}"
            );
        }
    }
}

/// Read back from every fixture's output (Rust with syn, TypeScript by its structure): exactly
/// the generated items, one field and one key per variable under its exact name, nothing that
/// a name, slug or `typeScriptType` injected (`fixtures/injection.manifest.json` tries).
#[test]
fn outputs_hold_exactly_the_generated_items() {
    for (stem, path) in valid_fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = manifest::parse(&text, "m").unwrap();
        let outcome =
            std::panic::catch_unwind(|| common::invariants::check_manifest(&loaded.manifest));
        assert!(outcome.is_ok(), "{stem}: see the panic above");
    }
}

/// The outputs for people of every fixture and of the merged stages: `.env.example` and the
/// Markdown reference, against golden files.
#[test]
fn env_examples_and_markdown_references_match_golden_files() {
    let mut failures = Vec::new();
    let mut manifests: Vec<(String, manifest::Manifest)> = valid_fixtures()
        .into_iter()
        .map(|(stem, path)| {
            let text = std::fs::read_to_string(&path).unwrap();
            (stem, manifest::parse(&text, "m").unwrap().manifest)
        })
        .collect();
    manifests.push(("stages".to_owned(), common::merged_stages().0));
    for (stem, manifest) in &manifests {
        let options = Options::default();
        let env = codegen::generate_env_example(manifest, &options, stem).unwrap();
        failures.extend(check_golden(&format!("env/{stem}.env"), &env.text).err());
        let markdown = codegen::generate_markdown(manifest, &options, stem).unwrap();
        failures.extend(check_golden(&format!("markdown/{stem}.md"), &markdown.text).err());
    }
    assert_all(failures);
}

/// Neither output for people holds a private switch's arm, a line that manifest text broke,
/// or a `manifestVersion` (which would make it stale at every change of any value).
#[test]
fn outputs_for_people_never_show_a_private_arm_or_a_version() {
    use barekey_typegen::manifest::{Kind, Visibility};
    let mut manifests: Vec<(String, manifest::Manifest)> = valid_fixtures()
        .into_iter()
        .map(|(stem, path)| {
            let text = std::fs::read_to_string(&path).unwrap();
            (stem, manifest::parse(&text, "m").unwrap().manifest)
        })
        .collect();
    manifests.push(("stages".to_owned(), common::merged_stages().0));
    let mut checked_arms = 0;
    for (stem, manifest) in &manifests {
        let options = Options::default();
        let env = codegen::generate_env_example(manifest, &options, stem)
            .unwrap()
            .text;
        let markdown = codegen::generate_markdown(manifest, &options, stem)
            .unwrap()
            .text;
        for text in [&env, &markdown] {
            for version in manifest.manifest_version.iter().filter(|v| v.len() > 4) {
                assert!(!text.contains(version.as_str()), "{stem}: {version}");
            }
        }
        // Every line of the .env.example is a comment, blank, or `NAME=` of a variable.
        for line in env.lines() {
            let is_key = line.strip_suffix('=').is_some_and(|name| {
                manifest
                    .variables
                    .iter()
                    .any(|variable| variable.name == name)
            });
            assert!(
                line.is_empty() || line.starts_with("# ") || is_key,
                "{stem}: {line:?}"
            );
        }
        let private_switches = manifest.variables.iter().filter(|variable| {
            variable.kind != Kind::Secret && variable.visibility == Visibility::Private
        });
        for variable in private_switches {
            let arms = [
                &variable.value_a_type_script_type,
                &variable.value_b_type_script_type,
            ];
            // String arms, quoted as the service writes them and as plain text.
            for arm in arms
                .into_iter()
                .flatten()
                .filter(|arm| arm.starts_with('"'))
            {
                let plain = arm.trim_matches('"');
                for text in [&env, &markdown] {
                    assert!(!text.contains(arm.as_str()), "{stem}: {arm}");
                    if plain.len() >= 4
                        && !manifest.variables.iter().any(|v| v.name.contains(plain))
                    {
                        assert!(!text.contains(plain), "{stem}: {plain}");
                    }
                }
                checked_arms += 1;
            }
        }
    }
    assert!(
        checked_arms > 0,
        "the fixtures have private string switches"
    );
}
