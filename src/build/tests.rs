use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

const DEMO: &str = include_str!("../../fixtures/demo.manifest.json");
const COLLISIONS: &str = include_str!("../../fixtures/collisions.manifest.json");

/// A package folder (with `Cargo.toml`, a snapshot and `barekey.json` one level up) and an
/// out dir, and the build-script environment Cargo would set for it.
struct Package {
    _root: tempfile::TempDir,
    workspace: PathBuf,
    package: PathBuf,
    out: PathBuf,
    env: HashMap<String, OsString>,
}

impl Package {
    fn new(snapshot: Option<&str>) -> Package {
        let root = tempfile::tempdir().unwrap();
        let workspace = root.path().join("workspace");
        let package = workspace.join("app");
        let out = root.path().join("target/out");
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(
            workspace.join("barekey.json"),
            r#"{"project":"web-1234","stage":"production"}"#,
        )
        .unwrap();
        std::fs::write(package.join("Cargo.toml"), "[package]\n").unwrap();
        if let Some(snapshot) = snapshot {
            std::fs::write(package.join("barekey.manifest.json"), snapshot).unwrap();
        }
        let env = HashMap::from([
            ("OUT_DIR".to_owned(), out.clone().into_os_string()),
            (
                "CARGO_MANIFEST_DIR".to_owned(),
                package.clone().into_os_string(),
            ),
            (
                "BAREKEY_ACCESS_TOKEN".to_owned(),
                "bk_at_planted-token".into(),
            ),
        ]);
        Package {
            _root: root,
            workspace,
            package,
            out,
            env,
        }
    }

    /// Runs the builder; returns what it printed for Cargo.
    fn run(&self, builder: &Builder) -> Result<String> {
        let mut printed = Vec::new();
        let env = self.env.clone();
        builder.run(
            &(Arc::new(move |name: &str| env.get(name).cloned()) as Env),
            &mut printed,
        )?;
        let printed = String::from_utf8(printed).unwrap();
        assert!(!printed.contains("planted-token"), "{printed}");
        Ok(printed)
    }
}

#[test]
fn writes_the_module_tells_the_crate_its_manifest_and_cargo_what_to_watch() {
    let package = Package::new(Some(DEMO));
    let printed = package.run(&Builder::new()).unwrap();

    let snapshot = package.package.join("barekey.manifest.json");
    let expected = format!(
        "cargo:rerun-if-env-changed=BAREKEY_MANIFEST\n\
         cargo:rerun-if-env-changed=BAREKEY_OFFLINE\n\
         cargo:rerun-if-env-changed=BAREKEY_ORG\n\
         cargo:rerun-if-env-changed=BAREKEY_PROJECT\n\
         cargo:rerun-if-env-changed=BAREKEY_STAGE\n\
         cargo:rerun-if-env-changed=BAREKEY_API_URL\n\
         cargo:rerun-if-changed={}\n\
         cargo:rerun-if-changed={}\n\
         cargo:rustc-env=BAREKEY_TYPEGEN_BUILD_MANIFEST={}\n",
        package.workspace.join("barekey.json").display(),
        snapshot.display(),
        snapshot.display(),
    );
    assert_eq!(printed, expected);

    let module = std::fs::read_to_string(package.out.join(DEFAULT_RUST_FILE)).unwrap();
    let origin = snapshot.display().to_string();
    let manifest = crate::manifest::parse(DEMO, &origin).unwrap().manifest;
    let generated = codegen::generate_rust(&manifest, &Default::default(), &origin).unwrap();
    assert_eq!(module, generated.text);
    let written: Vec<_> = std::fs::read_dir(&package.out).unwrap().collect();
    assert_eq!(written.len(), 1, "only the module is written: {written:?}");
}

#[test]
fn unchanged_output_is_not_rewritten_and_changed_output_is() {
    let package = Package::new(Some(DEMO));
    let builder = Builder::new().rust_file("env.rs");
    package.run(&builder).unwrap();
    let module = package.out.join("env.rs");
    let identity = |path: &Path| std::fs::metadata(path).unwrap().ino();
    let before = identity(&module);

    package.run(&builder).unwrap();
    assert_eq!(identity(&module), before);

    let retyped = DEMO.replacen("\"int64\"", "\"string\"", 1);
    assert_ne!(retyped, DEMO);
    std::fs::write(package.package.join("barekey.manifest.json"), &retyped).unwrap();
    package.run(&builder).unwrap();
    assert_ne!(identity(&module), before);
}

#[test]
fn a_missing_snapshot_lists_every_place_it_looked() {
    let package = Package::new(None);
    let error = package.run(&Builder::new()).unwrap_err();
    let message = format!("{error:?}");
    for place in [
        package.package.join("barekey.manifest.json"),
        package.workspace.join("barekey.manifest.json"),
    ] {
        assert!(message.contains(&place.display().to_string()), "{message}");
    }
    assert!(message.contains("barekey-typegen pull"), "{message}");
    assert!(!package.out.join(DEFAULT_RUST_FILE).exists());
}

#[test]
fn explicit_manifest_and_barekey_manifest_env_are_honoured() {
    let mut package = Package::new(None);
    std::fs::write(package.package.join("other.json"), DEMO).unwrap();
    package.run(&Builder::new().manifest("other.json")).unwrap();
    assert!(package.out.join(DEFAULT_RUST_FILE).is_file());

    package
        .env
        .insert(env::MANIFEST.to_owned(), "gone.json".into());
    let message = package.run(&Builder::new()).unwrap_err().to_string();
    assert!(
        message.contains("BAREKEY_MANIFEST") && message.contains("gone.json"),
        "{message}"
    );
}

#[test]
fn warnings_become_one_cargo_warning_line_each() {
    let package = Package::new(Some(COLLISIONS));
    let printed = package.run(&Builder::new()).unwrap();
    let warnings: Vec<&str> = printed
        .lines()
        .filter_map(|line| line.strip_prefix("cargo:warning="))
        .collect();
    assert!(!warnings.is_empty(), "{printed}");
    assert!(
        warnings
            .iter()
            .all(|line| line.contains("become the identifier")),
        "{printed}"
    );
}

#[test]
fn outside_a_build_script_the_error_says_what_to_set() {
    let mut package = Package::new(Some(DEMO));
    package.env.remove("OUT_DIR");
    let message = format!("{:?}", package.run(&Builder::new()).unwrap_err());
    assert!(
        message.contains("$OUT_DIR is not set") && message.contains(".out_dir("),
        "{message}"
    );

    let explicit = Builder::new().out_dir(package.out.join("elsewhere"));
    package.run(&explicit).unwrap();
    assert!(
        package
            .out
            .join("elsewhere")
            .join(DEFAULT_RUST_FILE)
            .is_file()
    );
}

#[test]
fn typescript_goes_beside_the_package_and_matches_the_cli() {
    let package = Package::new(Some(DEMO));
    package
        .run(&Builder::new().typescript("web/src/barekey.ts"))
        .unwrap();
    let written = std::fs::read_to_string(package.package.join("web/src/barekey.ts")).unwrap();
    let origin = package
        .package
        .join("barekey.manifest.json")
        .display()
        .to_string();
    let manifest = crate::manifest::parse(DEMO, &origin).unwrap().manifest;
    let expected = codegen::generate_typescript(
        &manifest,
        &codegen::Options::default().with_ts_mode(codegen::TsMode::Standalone),
        &origin,
    )
    .unwrap();
    assert_eq!(written, expected.text);
}

#[test]
fn env_example_and_markdown_go_beside_the_package_through_the_pipeline() {
    let package = Package::new(Some(DEMO));
    let builder = Builder::new()
        .public_only()
        .env_example(".env.example")
        .markdown("docs/VARIABLES.md");
    package.run(&builder).unwrap();
    let manifest = crate::manifest::parse(DEMO, "m").unwrap().manifest;
    let selection = codegen::Selection {
        public_only: true,
        ..codegen::Selection::default()
    };
    let options = codegen::Options::default().with_selection(selection);
    for (path, expected) in [
        (
            ".env.example",
            codegen::generate_env_example(&manifest, &options, "m").unwrap(),
        ),
        (
            "docs/VARIABLES.md",
            codegen::generate_markdown(&manifest, &options, "m").unwrap(),
        ),
    ] {
        let written = std::fs::read_to_string(package.package.join(path)).unwrap();
        assert_eq!(written, expected.text, "{path}");
        assert!(
            written.contains("PORT") && !written.contains("DATABASE_URL"),
            "{written}"
        );
    }
    // Unchanged: not rewritten.
    let before = std::fs::metadata(package.package.join(".env.example"))
        .unwrap()
        .modified()
        .unwrap();
    package.run(&builder).unwrap();
    let after = std::fs::metadata(package.package.join(".env.example"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn only_generates_the_selected_variables_in_both_languages_and_refuses_unknown_names() {
    let package = Package::new(Some(DEMO));
    let builder = Builder::new()
        .only("PORT")
        .only("SEARCH_*")
        .typescript("web/barekey.ts");
    package.run(&builder).unwrap();
    let rust = std::fs::read_to_string(package.out.join(DEFAULT_RUST_FILE)).unwrap();
    let typescript = std::fs::read_to_string(package.package.join("web/barekey.ts")).unwrap();
    for text in [&rust, &typescript] {
        assert!(text.contains("\"PORT\"") && text.contains("\"SEARCH_BACKEND_ROLLOUT\""));
        assert!(
            !text.contains("DATABASE_URL") && !text.contains("LOG_LEVEL"),
            "{text}"
        );
    }

    let failure = package
        .run(&Builder::new().only("PROT").only("WORKER_*"))
        .unwrap_err();
    let message = failure.to_string();
    assert!(
        message.contains("- no variable `PROT` (did you mean `PORT`?)")
            && message.contains("- `WORKER_*` matches no variable"),
        "{message}"
    );
}

#[test]
fn public_only_leaves_out_every_private_variable() {
    let package = Package::new(Some(DEMO));
    package
        .run(&Builder::new().public_only().typescript("web/barekey.ts"))
        .unwrap();
    let rust = std::fs::read_to_string(package.out.join(DEFAULT_RUST_FILE)).unwrap();
    let typescript = std::fs::read_to_string(package.package.join("web/barekey.ts")).unwrap();
    for text in [&rust, &typescript] {
        assert!(text.contains("\"PORT\""), "{text}");
        for private in [
            "CHECKOUT_FLOW",
            "DATABASE_URL",
            "NEW_DASHBOARD",
            "STRIPE_SECRET_KEY",
        ] {
            assert!(!text.contains(private), "{private} in {text}");
        }
    }
    let failure = package
        .run(&Builder::new().public_only().only("DATABASE_URL"))
        .unwrap_err();
    assert!(
        failure
            .to_string()
            .contains("`DATABASE_URL` is private, and only public variables are selected"),
        "{failure}"
    );
}

#[test]
fn attributes_reach_the_module_and_bad_ones_fail_the_build() {
    let package = Package::new(Some(DEMO));
    let builder = Builder::new()
        .type_attribute("*", "#[derive(serde::Serialize)]")
        .field_attribute("DATABASE_URL", "serde(skip)");
    package.run(&builder).unwrap();
    let rust = std::fs::read_to_string(package.out.join(DEFAULT_RUST_FILE)).unwrap();
    assert_eq!(
        rust.matches("#[derive(serde::Serialize)]").count(),
        5,
        "{rust}"
    );
    assert!(
        rust.contains("#[serde(skip)]\n    pub database_url:"),
        "{rust}"
    );

    let invalid = package
        .run(&Builder::new().type_attribute("*", "derive("))
        .unwrap_err();
    assert!(
        matches!(invalid, Error::InvalidAttribute { .. }),
        "{invalid}"
    );
    let debug = package
        .run(&Builder::new().type_attribute("BarekeyEnv", "derive(Debug)"))
        .unwrap_err();
    assert!(
        debug
            .to_string()
            .contains("`BarekeyEnv` implements `Debug` itself, and shows no private value"),
        "{debug}"
    );
}

/// A Barekey API on 127.0.0.1 that answers every request with `manifest`; counts requests.
fn serve(manifest: &'static str) -> (String, Arc<AtomicUsize>) {
    serve_reply("200 OK", manifest)
}

/// A Barekey API on 127.0.0.1 that answers every request with `status` and the JSON `body`;
/// counts requests.
fn serve_reply(status: &'static str, body: &'static str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    (url, requests)
}

fn online(package: &mut Package, url: &str) {
    package.env.insert("BAREKEY_API_URL".to_owned(), url.into());
}

#[test]
fn fetch_if_missing_pulls_the_snapshot_beside_barekey_json_once() {
    let (url, requests) = serve(DEMO);
    let mut package = Package::new(None);
    online(&mut package, &url);
    let builder = Builder::new().fetch(Fetch::IfMissing);
    package.run(&builder).unwrap();
    let snapshot = package.workspace.join("barekey.manifest.json");
    assert_eq!(std::fs::read_to_string(&snapshot).unwrap(), DEMO);
    assert!(package.out.join(DEFAULT_RUST_FILE).is_file());
    assert_eq!(requests.load(Ordering::SeqCst), 1);

    package.run(&builder).unwrap();
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the snapshot exists now"
    );
}

#[test]
fn fetch_always_refreshes_an_existing_snapshot() {
    let (url, requests) = serve(DEMO);
    let mut package = Package::new(Some(COLLISIONS));
    online(&mut package, &url);
    package.run(&Builder::new().fetch(Fetch::Always)).unwrap();
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    let snapshot = package.package.join("barekey.manifest.json");
    assert_eq!(std::fs::read_to_string(snapshot).unwrap(), DEMO);
}

#[test]
fn offline_skips_the_fetch_with_a_warning_or_says_the_snapshot_is_needed() {
    let (url, requests) = serve(DEMO);
    for (variable, value) in [
        ("BAREKEY_OFFLINE", "1"),
        ("CARGO_NET_OFFLINE", "true"),
        ("DOCS_RS", "1"),
    ] {
        let mut package = Package::new(Some(COLLISIONS));
        online(&mut package, &url);
        package.env.insert(variable.to_owned(), value.into());
        let printed = package.run(&Builder::new().fetch(Fetch::Always)).unwrap();
        assert!(
            printed.contains("cargo:warning=barekey-typegen: not fetching the manifest"),
            "{printed}"
        );

        std::fs::remove_file(package.package.join("barekey.manifest.json")).unwrap();
        let message = format!(
            "{:?}",
            package
                .run(&Builder::new().fetch(Fetch::IfMissing))
                .unwrap_err()
        );
        assert!(
            message.contains("may not fetch") && message.contains(variable)
                || message.contains("docs.rs"),
            "{message}"
        );
        assert!(message.contains("barekey-typegen pull"), "{message}");
    }
    assert_eq!(requests.load(Ordering::SeqCst), 0);
}

const PRODUCTION: &str = include_str!("../../fixtures/stages/barekey.manifest.production.json");
const STAGING: &str = include_str!("../../fixtures/stages/barekey.manifest.staging.json");

impl Package {
    /// Writes the two stage fixtures as `barekey.manifest.<stage>.json` into `folder`.
    fn stage_files(&self, folder: &Path) -> [PathBuf; 2] {
        let production = folder.join("barekey.manifest.production.json");
        let staging = folder.join("barekey.manifest.staging.json");
        std::fs::write(&production, PRODUCTION).unwrap();
        std::fs::write(&staging, STAGING).unwrap();
        [production, staging]
    }

    /// The module the CLI would generate from the stages at `paths`.
    fn expected_module(&self, paths: &[PathBuf]) -> String {
        let merged = source::read_stages(paths).unwrap().manifest;
        let origin: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        codegen::generate_rust(&merged, &Default::default(), &origin.join(", "))
            .unwrap()
            .text
    }
}

/// The value of `cargo:rustc-env=BAREKEY_TYPEGEN_BUILD_MANIFEST=`, split like `PATH`.
fn handed_to_the_macro(printed: &str) -> Vec<PathBuf> {
    let prefix = format!("cargo:rustc-env={}=", env::BUILD_MANIFEST);
    let value = printed
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {printed}"));
    std::env::split_paths(value).collect()
}

fn rerun_if_changed(printed: &str) -> Vec<PathBuf> {
    printed
        .lines()
        .filter_map(|line| line.strip_prefix("cargo:rerun-if-changed="))
        .map(PathBuf::from)
        .collect()
}

#[test]
fn stage_snapshots_beside_barekey_json_are_merged_handed_to_the_macro_and_watched() {
    let package = Package::new(None);
    let [production, staging] = package.stage_files(&package.workspace);
    let printed = package.run(&Builder::new()).unwrap();

    assert_eq!(
        handed_to_the_macro(&printed),
        [production.clone(), staging.clone()]
    );
    // Each file read, never their folder: anything created there would rerun the script.
    assert_eq!(
        rerun_if_changed(&printed),
        [
            package.workspace.join("barekey.json"),
            production.clone(),
            staging.clone(),
        ]
    );
    let module = std::fs::read_to_string(package.out.join(DEFAULT_RUST_FILE)).unwrap();
    assert_eq!(module, package.expected_module(&[production, staging]));
    // The merge's warnings (arms that differ between stages) reach Cargo.
    assert!(
        printed.contains("cargo:warning=") && printed.contains("PRICING_EXPERIMENT"),
        "{printed}"
    );
}

#[test]
fn no_folder_is_watched_wherever_the_target_directory_is() {
    let mut package = Package::new(None);
    let snapshots = package.stage_files(&package.workspace);
    let out = package.workspace.join("target/debug/build/app-1/out");
    package
        .env
        .insert("OUT_DIR".to_owned(), out.clone().into_os_string());
    let printed = package.run(&Builder::new()).unwrap();
    let watched = rerun_if_changed(&printed);
    // A watched folder reruns the script for any file created in it (notes, swap files).
    assert!(watched.iter().all(|path| path.is_file()), "{printed}");
    assert!(
        snapshots.iter().all(|path| watched.contains(path)),
        "{printed}"
    );
    assert!(out.join(DEFAULT_RUST_FILE).is_file());
}

#[test]
fn stages_named_by_the_builder_are_found_walking_up_in_the_order_given() {
    let package = Package::new(None);
    let [production, staging] = package.stage_files(&package.workspace);
    let printed = package
        .run(&Builder::new().stage("staging").stage("production"))
        .unwrap();
    assert_eq!(
        handed_to_the_macro(&printed),
        [staging.clone(), production.clone()]
    );
    // The stages are named: no folder to watch for new ones.
    assert!(!rerun_if_changed(&printed).contains(&package.workspace));
    let module = std::fs::read_to_string(package.out.join(DEFAULT_RUST_FILE)).unwrap();
    assert_eq!(module, package.expected_module(&[staging, production]));

    // The nearest folder with the file wins, as in the lookup.
    let nearer = package.package.join("barekey.manifest.staging.json");
    std::fs::write(&nearer, STAGING).unwrap();
    let printed = package.run(&Builder::new().stage("staging")).unwrap();
    assert_eq!(handed_to_the_macro(&printed), [nearer]);
}

#[test]
fn a_stage_without_a_snapshot_names_every_place_and_the_fix() {
    let package = Package::new(None);
    package.stage_files(&package.workspace);
    let message = format!(
        "{:?}",
        package
            .run(&Builder::new().stage("production").stage("qa"))
            .unwrap_err()
    );
    for place in [
        format!(
            "{} (beside Cargo.toml)",
            package.package.join("barekey.manifest.qa.json").display()
        ),
        format!(
            "{} (beside barekey.json)",
            package.workspace.join("barekey.manifest.qa.json").display()
        ),
    ] {
        assert!(message.contains(&place), "{place} not in {message}");
    }
    assert!(
        message.contains("run `barekey-typegen pull --stage qa` beside your barekey.json"),
        "{message}"
    );
    assert!(!package.out.join(DEFAULT_RUST_FILE).exists());

    let error = package.run(&Builder::new().stage("../qa")).unwrap_err();
    assert!(matches!(error, Error::InvalidStageSlug { .. }), "{error}");
}

#[test]
fn each_manifest_call_adds_a_stage_and_a_type_conflict_fails_with_the_merges_message() {
    let package = Package::new(None);
    let [production, staging] = package.stage_files(&package.package);
    let printed = package
        .run(
            &Builder::new()
                .manifest("barekey.manifest.production.json")
                .manifest("barekey.manifest.staging.json"),
        )
        .unwrap();
    assert_eq!(handed_to_the_macro(&printed), [production, staging]);

    let conflict = |stage: &str| {
        std::fs::read_to_string(format!(
            "{}/fixtures/stages-conflict/barekey.manifest.{stage}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let fresh = Package::new(None);
    std::fs::write(fresh.package.join("p.json"), conflict("production")).unwrap();
    std::fs::write(fresh.package.join("s.json"), conflict("staging")).unwrap();
    let error = fresh
        .run(&Builder::new().manifest("p.json").manifest("s.json"))
        .unwrap_err();
    let message = format!("{error:?}");
    assert!(
        matches!(error, Error::StageTypeConflict { .. }),
        "{message}"
    );
    let production = fresh.package.join("p.json").display().to_string();
    assert!(
        message.contains("the stages disagree")
            && message.contains("\"PORT\"")
            && message.contains(&format!("int64 in production ({production})")),
        "{message}"
    );
    assert!(!fresh.out.join(DEFAULT_RUST_FILE).exists());
}

#[test]
fn a_snapshot_path_the_macro_cannot_be_handed_is_refused_by_name() {
    let package = Package::new(None);
    let odd = package.package.join("a:b");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::write(odd.join("demo.json"), DEMO).unwrap();
    let message = package
        .run(&Builder::new().manifest("a:b/demo.json"))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&odd.join("demo.json").display().to_string())
            && message.contains("separator (`:`)")
            && message.contains("move the snapshot"),
        "{message}"
    );
    assert!(!package.out.join(DEFAULT_RUST_FILE).exists());
}

/// A Barekey API on 127.0.0.1 that answers with the stage fixture the query names; counts
/// requests.
fn serve_stages() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            counter.fetch_add(1, Ordering::SeqCst);
            let manifest = if request_line.contains("stageSlug=staging") {
                STAGING
            } else {
                PRODUCTION
            };
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{manifest}",
                manifest.len()
            );
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    (url, requests)
}

#[test]
fn fetch_pulls_each_named_stage_into_its_own_snapshot_beside_barekey_json() {
    let (url, requests) = serve_stages();
    let mut package = Package::new(None);
    online(&mut package, &url);
    let builder = Builder::new()
        .stage("production")
        .stage("staging")
        .fetch(Fetch::IfMissing);
    let printed = package.run(&builder).unwrap();
    let production = package.workspace.join("barekey.manifest.production.json");
    let staging = package.workspace.join("barekey.manifest.staging.json");
    assert_eq!(std::fs::read_to_string(&production).unwrap(), PRODUCTION);
    assert_eq!(std::fs::read_to_string(&staging).unwrap(), STAGING);
    assert_eq!(handed_to_the_macro(&printed), [production, staging]);
    assert_eq!(requests.load(Ordering::SeqCst), 2);

    package.run(&builder).unwrap();
    assert_eq!(
        requests.load(Ordering::SeqCst),
        2,
        "both snapshots exist now"
    );
}

#[test]
fn fetching_several_snapshots_that_name_no_stage_is_refused() {
    let (url, requests) = serve_stages();
    let mut package = Package::new(None);
    online(&mut package, &url);
    // Neither the file's name nor a stageSlug inside says which stage to fetch.
    let unnamed = |text: &str| {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        value.as_object_mut().unwrap().remove("stageSlug");
        value.to_string()
    };
    std::fs::write(package.package.join("a.json"), unnamed(PRODUCTION)).unwrap();
    std::fs::write(package.package.join("b.json"), unnamed(STAGING)).unwrap();
    let message = format!(
        "{:?}",
        package
            .run(
                &Builder::new()
                    .manifest("a.json")
                    .manifest("b.json")
                    .fetch(Fetch::Always)
            )
            .unwrap_err()
    );
    assert!(
        message.contains(&package.package.join("a.json").display().to_string())
            && message.contains("Builder::stage"),
        "{message}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 0);
}

#[test]
fn several_snapshots_are_fetched_by_the_stage_each_one_holds() {
    // The layout's one rule (`stageSlug`, else the file's name), as `check --remote` follows it.
    let (url, requests) = serve_stages();
    let mut package = Package::new(None);
    online(&mut package, &url);
    let stale = |text: &str| {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["manifestVersion"] = "old".into();
        value.to_string()
    };
    std::fs::write(package.package.join("b.json"), stale(STAGING)).unwrap();
    std::fs::write(package.package.join("a.json"), stale(PRODUCTION)).unwrap();
    let builder = Builder::new()
        .manifest("b.json")
        .manifest("a.json")
        .fetch(Fetch::Always);
    package.run(&builder).unwrap();
    let read = |name: &str| std::fs::read_to_string(package.package.join(name)).unwrap();
    assert_eq!(read("a.json"), PRODUCTION);
    assert_eq!(read("b.json"), STAGING);
    assert_eq!(requests.load(Ordering::SeqCst), 2);
}

/// As root, building a checkout another user owns (a CI container, `docker run -v`): files
/// inside the package, and inside its workspace, are trusted as Cargo trusts them; a snapshot
/// above them that another user owns is still refused.
#[test]
fn a_checkout_another_user_owns_builds_as_root_but_what_lies_above_is_checked() {
    const OTHER: u32 = 65534;
    let give_away =
        |path: &Path| std::os::unix::fs::lchown(path, Some(OTHER), Some(OTHER)).unwrap();
    let package = Package::new(Some(DEMO));
    assert_eq!(
        std::fs::metadata(&package.package).unwrap().uid(),
        0,
        "this test plays two users, which needs root (CI runs the tests as root)"
    );
    for path in ["Cargo.toml", "barekey.manifest.json", ""] {
        give_away(&package.package.join(path));
    }
    package.run(&Builder::new()).unwrap();

    // The snapshot one level up, outside any Cargo workspace: the owner check applies.
    let package = Package::new(None);
    let above = package.workspace.join("barekey.manifest.json");
    std::fs::write(&above, DEMO).unwrap();
    give_away(&above);
    let error = package.run(&Builder::new()).unwrap_err().to_string();
    assert!(
        error.contains("belongs to another user (uid 65534)"),
        "{error}"
    );

    // The same folder as the root of the package's workspace: inside, so trusted.
    std::fs::write(
        package.workspace.join("Cargo.toml"),
        "[workspace]\nmembers = [\"app\"]\n",
    )
    .unwrap();
    give_away(&package.workspace.join("Cargo.toml"));
    package.run(&Builder::new()).unwrap();
}

/// What a build script is told to change never names a flag of the CLI, which it has not.
fn assert_no_cli_flag(message: &str) {
    for flag in ["--manifest", "--project", "--stage", "--api-url", "--org"] {
        assert!(!message.contains(flag), "{flag} in {message}");
    }
}

#[test]
fn errors_tell_a_build_script_what_it_can_set() {
    let mut package = Package::new(None);
    std::fs::write(
        package.workspace.join("barekey.json"),
        r#"{"project":"web"}"#,
    )
    .unwrap();
    let error = package
        .run(&Builder::new().fetch(Fetch::IfMissing))
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::MissingSettings { .. }), "{message}");
    assert!(
        message.ends_with("or set BAREKEY_PROJECT and BAREKEY_STAGE"),
        "{message}"
    );
    assert_no_cli_flag(&message);

    std::fs::write(
        package.workspace.join("barekey.json"),
        r#"{"project":"web","stage":"dev"}"#,
    )
    .unwrap();
    online(&mut package, "ftp://api.example");
    let error = package
        .run(&Builder::new().fetch(Fetch::IfMissing))
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::InvalidApiUrl { .. }), "{message}");
    assert!(
        message.ends_with("; fix BAREKEY_API_URL or the Barekey CLI's baseUrl"),
        "{message}"
    );
    assert_no_cli_flag(&message);

    let (url, _) = serve("<!doctype html><title>login</title>");
    online(&mut package, &url);
    let error = package
        .run(&Builder::new().fetch(Fetch::IfMissing))
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::BadReply { .. }), "{message}");
    assert!(
        message.ends_with(
            "; check that BAREKEY_API_URL or the Barekey CLI's baseUrl points at the Barekey API"
        ),
        "{message}"
    );
    assert_no_cli_flag(&message);

    let message = package
        .run(&Builder::new().stage("../qa"))
        .unwrap_err()
        .to_string();
    assert!(
        message.ends_with("; check the slug given to `Builder::stage`"),
        "{message}"
    );
    assert_no_cli_flag(&message);

    std::fs::write(package.package.join("barekey.manifest.json"), DEMO).unwrap();
    package.stage_files(&package.package);
    let error = package.run(&Builder::new()).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, Error::AmbiguousSnapshots { .. }),
        "{message}"
    );
    assert!(
        message.ends_with("or name the snapshots with `Builder::manifest` or BAREKEY_MANIFEST"),
        "{message}"
    );
    assert_no_cli_flag(&message);
}

#[test]
fn a_fetch_hint_says_where_the_build_script_took_the_stage_from() {
    let (url, _) = serve_reply(
        "404 Not Found",
        r#"{"error":{"code":"MANIFEST_NOT_FOUND","message":"No such stage","requestId":"r1"}}"#,
    );
    let mut package = Package::new(None);
    online(&mut package, &url);
    let message = package
        .run(&Builder::new().stage("qa").fetch(Fetch::IfMissing))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(
            "the stage \"qa\" (from Builder::stage) in the token's organization (no \
             BAREKEY_ORG or barekey.json \"organization\")"
        ),
        "{message}"
    );

    // A snapshot named for its stage, refreshed: the stage is the one it holds.
    let named = package.package.join("barekey.manifest.production.json");
    std::fs::write(&named, DEMO).unwrap();
    let message = package
        .run(&Builder::new().manifest(&named).fetch(Fetch::Always))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!(
            "the stage \"production\" (from {} (\"stageSlug\"))",
            named.display()
        )),
        "{message}"
    );
    assert_no_cli_flag(&message);
}

/// Issue 29, item 14: nothing printed to Cargo carries a line break from a path. A folder name
/// holding a line break and an instruction (above the package, or in an absolute
/// BAREKEY_MANIFEST), a path Cargo would trim, and one that is not UTF-8 are each refused with
/// an error that names the path, and every line printed before is a whole instruction.
#[test]
fn a_path_cargo_cannot_express_is_refused_naming_it() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let snapshot_in =
        |folder: &[u8]| Path::new(OsStr::from_bytes(folder)).join(layout::SNAPSHOT_FILE);
    // BAREKEY_MANIFEST splits at `:`, so there the line breaks without `cargo:`.
    let cases = [
        (
            "env",
            snapshot_in(b"evil\nrustc-env=INJECTED=1"),
            "line break",
        ),
        ("env", snapshot_in(b"evil\r"), "line break"),
        ("env", PathBuf::from("barekey.manifest.json "), "trims"),
        ("env", snapshot_in(b"bad\xff"), "not UTF-8"),
        // barekey.json and the package in such a folder, found by the walk.
        (
            "walk",
            PathBuf::from("evil\ncargo:rustc-env=INJECTED=1"),
            "line break",
        ),
    ];
    for (how, odd, why) in cases {
        let mut package = Package::new(None);
        let odd = package.workspace.join(odd);
        let named = if how == "env" {
            std::fs::create_dir_all(odd.parent().unwrap()).unwrap();
            std::fs::write(&odd, DEMO).unwrap();
            package
                .env
                .insert("BAREKEY_MANIFEST".to_owned(), odd.clone().into());
            odd.clone()
        } else {
            let package_dir = odd.join("app");
            std::fs::create_dir_all(&package_dir).unwrap();
            std::fs::write(odd.join("barekey.json"), "{}").unwrap();
            std::fs::write(package_dir.join("Cargo.toml"), "[package]\n").unwrap();
            std::fs::write(package_dir.join(layout::SNAPSHOT_FILE), DEMO).unwrap();
            package
                .env
                .insert("CARGO_MANIFEST_DIR".to_owned(), package_dir.into());
            odd.join("barekey.json")
        };
        let env = package.env.clone();
        let mut printed = Vec::new();
        let error = Builder::new()
            .run(
                &(Arc::new(move |name: &str| env.get(name).cloned()) as Env),
                &mut printed,
            )
            .expect_err(&format!("{odd:?}"));
        let printed = String::from_utf8(printed).unwrap();
        assert!(
            printed
                .lines()
                .all(|line| line.starts_with("cargo:rerun-if-")),
            "{odd:?}: {printed}"
        );
        assert!(!printed.contains("INJECTED"), "{odd:?}: {printed}");
        assert!(
            matches!(&error, Error::CargoCannotExpress { value, .. } if *value == named),
            "{odd:?}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(why), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }
}
