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
            r#"{"project":"web","stage":"dev"}"#,
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
        codegen::TsMode::Standalone,
        &Default::default(),
        &origin,
    )
    .unwrap();
    assert_eq!(written, expected.text);
}

/// A Barekey API on 127.0.0.1 that answers every request with `manifest`; counts requests.
fn serve(manifest: &'static str) -> (String, Arc<AtomicUsize>) {
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
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{manifest}",
                manifest.len()
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
