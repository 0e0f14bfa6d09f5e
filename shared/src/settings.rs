//! Which Barekey organisation, project, stage and API a live fetch talks to, and where each
//! of those came from.
//!
//! Each value is taken from the first of: an explicit override (a CLI flag or a builder
//! call), the environment (`BAREKEY_ORG`, `BAREKEY_PROJECT`, `BAREKEY_STAGE`,
//! `BAREKEY_API_URL`), the nearest `barekey.json` walking up from a start folder (organisation,
//! project and stage only), the Barekey CLI's config (`baseUrl` only), then the default API
//! URL. The environment is passed in as a lookup, so none of this reads the process
//! environment behind the caller's back.
//!
//! The CLI and the build helper (`barekey_typegen::settings` re-exports this module) and the
//! runtime's `Client::from_env` resolve them here, each wording a [`SettingsError`] for its
//! own settings.
//!
//! ```
//! use std::ffi::OsString;
//! use barekey_typegen_shared::settings::{Overrides, Settings, Source};
//!
//! let folder = tempfile::tempdir()?;
//! std::fs::write(
//!     folder.path().join("barekey.json"),
//!     r#"{"org": "acme-42", "project": " web-1234 ", "stage": "production"}"#,
//! )?;
//! let env = |name: &str| (name == "BAREKEY_STAGE").then(|| OsString::from("staging"));
//! let settings = Settings::resolve(&Overrides::default(), &env, folder.path())?;
//! assert_eq!(settings.project.value, "web-1234");
//! assert_eq!(settings.stage.value, "staging");
//! assert_eq!(settings.stage.source, Source::Env("BAREKEY_STAGE"));
//! assert_eq!(settings.api_url.value, "https://api.barekey.dev");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use self::vars as env;

/// The environment variables settings come from (the one place that reads them is each
/// crate's `env` module, which passes a lookup in).
pub mod vars {
    /// `BAREKEY_ORG`: the organisation slug, when no `--org` is given.
    pub const ORG: &str = "BAREKEY_ORG";

    /// `BAREKEY_PROJECT`: the project slug, when no `--project` is given.
    pub const PROJECT: &str = "BAREKEY_PROJECT";

    /// `BAREKEY_STAGE`: the stage slug, when no `--stage` is given.
    pub const STAGE: &str = "BAREKEY_STAGE";

    /// `BAREKEY_API_URL`: the API's base URL, when no `--api-url` is given.
    pub const API_URL: &str = "BAREKEY_API_URL";

    /// `BAREKEY_ACCESS_TOKEN`: a token that takes the place of the Barekey CLI's session
    /// (CI). Secret: never reported to Cargo, never printed.
    pub const ACCESS_TOKEN: &str = "BAREKEY_ACCESS_TOKEN";

    /// `XDG_CONFIG_HOME`: where the Barekey CLI keeps its config, when set.
    pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";

    /// `HOME`: the Barekey CLI's config is in `$HOME/.config/barekey` without
    /// `XDG_CONFIG_HOME`.
    pub const HOME: &str = "HOME";
}

/// A `Result` whose error is [`SettingsError`].
pub type Result<T, E = SettingsError> = std::result::Result<T, E>;

/// Why the settings cannot be resolved.
#[derive(Debug)]
#[non_exhaustive]
pub enum SettingsError {
    /// A settings file exists but cannot be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A settings file (`barekey.json`, or the Barekey CLI's config or credentials) is
    /// unusable.
    InvalidFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it (never a secret it holds).
        message: String,
    },
    /// No project or stage was found.
    Missing {
        /// `project`, `stage`, or `project and stage`.
        what: &'static str,
        /// The overrides that would have given it, by their CLI flags (`--project, --stage`).
        flags: &'static str,
        /// Every other place that was looked at, in order.
        looked: Vec<String>,
        /// The `barekey.json` to create or edit.
        barekey_json: PathBuf,
        /// Whether that file exists already.
        exists: bool,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Read { path, .. } => write!(f, "cannot read {}", path.display()),
            SettingsError::InvalidFile { path, message } => {
                write!(
                    f,
                    "{} cannot be used: {message}; fix or remove it",
                    path.display()
                )
            }
            SettingsError::Missing { what, looked, .. } => {
                write!(f, "no Barekey {what} set; looked at:")?;
                looked.iter().try_for_each(|line| write!(f, "\n  - {line}"))
            }
        }
    }
}

impl std::error::Error for SettingsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SettingsError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The project settings file of the Barekey CLI.
pub const BAREKEY_JSON: &str = "barekey.json";

/// The API used when nothing else names one.
pub const DEFAULT_API_URL: &str = "https://api.barekey.dev";

/// A way to read environment variables; production passes its `env::var_os`.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// Values given explicitly (CLI flags, build helper calls); they win over everything else.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Overrides {
    /// The organisation slug (`--org`).
    pub org: Option<String>,
    /// The project slug (`--project`).
    pub project: Option<String>,
    /// The stage slug (`--stage`).
    pub stage: Option<String>,
    /// The API's base URL (`--api-url`).
    pub api_url: Option<String>,
}

/// Where a setting's value came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// An explicit override, by its flag name (`--project`).
    Flag(&'static str),
    /// An environment variable, by name.
    Env(&'static str),
    /// A key of a settings file (`barekey.json`, or the Barekey CLI's `config.json`).
    File {
        /// The file.
        path: PathBuf,
        /// The key the value was under.
        key: &'static str,
    },
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => f.write_str(flag),
            Source::Env(name) => write!(f, "${name}"),
            Source::File { path, key } => write!(f, "{} ({key:?})", path.display()),
            Source::Default => f.write_str("the default"),
        }
    }
}

/// One resolved value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// The value, trimmed.
    pub value: String,
    /// Where it was found.
    pub source: Source,
}

/// Everything a live fetch needs to know but the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// The organisation slug; without it the service takes the token's organisation.
    pub org: Option<Setting>,
    /// The project slug.
    pub project: Setting,
    /// The stage slug.
    pub stage: Setting,
    /// The API's base URL, without a trailing `/`.
    pub api_url: Setting,
    /// The `barekey.json` that was found, if any (a build script reruns when it changes).
    pub barekey_json: Option<PathBuf>,
    /// The Barekey CLI's config folder (`$XDG_CONFIG_HOME/barekey`, else
    /// `$HOME/.config/barekey`), where its session lives; `None` when neither variable is set.
    pub cli_config_dir: Option<PathBuf>,
}

impl Settings {
    /// The stage alone, from the places [`Settings::resolve`] takes it from, in its order: the
    /// `--stage` override, `BAREKEY_STAGE`, then the nearest `barekey.json`; `None` when none
    /// names one. For a command that needs no project (`env check`).
    pub fn resolve_stage(
        overrides: &Overrides,
        env: EnvLookup<'_>,
        start: &Path,
    ) -> Result<Option<Setting>> {
        let file = match find_barekey_json(start) {
            Some(path) => ProjectFile::read(&path)?,
            None => ProjectFile::default(),
        };
        Ok(stage_of(overrides, env, file.stage))
    }

    /// Resolves the settings for a process working in `start`, reading the environment
    /// through `env`. A missing project or stage is an error listing every place looked at.
    pub fn resolve(overrides: &Overrides, env: EnvLookup<'_>, start: &Path) -> Result<Settings> {
        let barekey_json = find_barekey_json(start);
        let file = match &barekey_json {
            Some(path) => ProjectFile::read(path)?,
            None => ProjectFile::default(),
        };
        let cli_config_dir = cli_config_dir(env);
        let pick = |flag: &'static str, value: &Option<String>, var: &'static str| {
            explicit(flag, value).or_else(|| from_env(env, var))
        };
        let org = pick("--org", &overrides.org, env::ORG).or(file.org);
        let project = pick("--project", &overrides.project, env::PROJECT).or(file.project);
        let stage = stage_of(overrides, env, file.stage);
        let api_url = match pick("--api-url", &overrides.api_url, env::API_URL) {
            Some(setting) => setting,
            None => cli_base_url(cli_config_dir.as_deref())?.unwrap_or(Setting {
                value: DEFAULT_API_URL.to_owned(),
                source: Source::Default,
            }),
        };
        let (Some(project), Some(stage)) = (project.clone(), stage.clone()) else {
            return Err(missing(
                project.is_none(),
                stage.is_none(),
                barekey_json,
                start,
            ));
        };
        Ok(Settings {
            org,
            project,
            stage,
            api_url: Setting {
                value: api_url.value.trim_end_matches('/').to_owned(),
                source: api_url.source,
            },
            barekey_json,
            cli_config_dir,
        })
    }
}

/// The nearest `barekey.json` in `start` or a folder above it.
pub fn find_barekey_json(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|folder| folder.join(BAREKEY_JSON))
        .find(|path| path.is_file())
}

/// The stage: the `--stage` override, else `BAREKEY_STAGE`, else `file_stage` (barekey.json's).
fn stage_of(
    overrides: &Overrides,
    env: EnvLookup<'_>,
    file_stage: Option<Setting>,
) -> Option<Setting> {
    explicit("--stage", &overrides.stage)
        .or_else(|| from_env(env, env::STAGE))
        .or(file_stage)
}

fn explicit(flag: &'static str, value: &Option<String>) -> Option<Setting> {
    let value = value.as_deref()?.trim();
    (!value.is_empty()).then(|| Setting {
        value: value.to_owned(),
        source: Source::Flag(flag),
    })
}

fn from_env(env: EnvLookup<'_>, name: &'static str) -> Option<Setting> {
    let value = env(name)?;
    let value = value.to_string_lossy();
    let value = value.trim();
    (!value.is_empty()).then(|| Setting {
        value: value.to_owned(),
        source: Source::Env(name),
    })
}

fn cli_config_dir(env: EnvLookup<'_>) -> Option<PathBuf> {
    let non_empty = |name| env(name).filter(|value: &OsString| !value.is_empty());
    if let Some(xdg) = non_empty(env::XDG_CONFIG_HOME) {
        return Some(PathBuf::from(xdg).join("barekey"));
    }
    non_empty(env::HOME).map(|home| PathBuf::from(home).join(".config/barekey"))
}

/// The Barekey CLI's `config.json` in its config folder.
pub fn cli_config_file(dir: &Path) -> PathBuf {
    dir.join("config.json")
}

/// Reads a settings file as a JSON object; `Ok(None)` when it does not exist.
pub fn read_json_object(path: &Path) -> Result<Option<serde_json::Map<String, Value>>> {
    let text = match crate::limit::read_file_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SettingsError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(object)) => Ok(Some(object)),
        Ok(_) => Err(invalid_file(path, "it is not a JSON object".to_owned())),
        Err(error) => Err(invalid_file(path, format!("it is not valid JSON: {error}"))),
    }
}

/// The error for the settings file at `path`, unusable because of `message`.
pub fn invalid_file(path: &Path, message: String) -> SettingsError {
    SettingsError::InvalidFile {
        path: path.to_owned(),
        message,
    }
}

/// A trimmed, non-empty string under the first of `keys` present; a non-string is an error.
pub fn string_key(
    object: &serde_json::Map<String, Value>,
    keys: &[&'static str],
    path: &Path,
) -> Result<Option<Setting>> {
    for &key in keys {
        match object.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::String(text)) if text.trim().is_empty() => continue,
            Some(Value::String(text)) => {
                return Ok(Some(Setting {
                    value: text.trim().to_owned(),
                    source: Source::File {
                        path: path.to_owned(),
                        key,
                    },
                }));
            }
            Some(_) => {
                return Err(invalid_file(path, format!("{key:?} must be a string")));
            }
        }
    }
    Ok(None)
}

fn cli_base_url(dir: Option<&Path>) -> Result<Option<Setting>> {
    let Some(dir) = dir else { return Ok(None) };
    let path = cli_config_file(dir);
    match read_json_object(&path)? {
        Some(object) => string_key(&object, &["baseUrl"], &path),
        None => Ok(None),
    }
}

/// The values a `barekey.json` holds (the keys and aliases the Barekey CLI reads).
#[derive(Default)]
struct ProjectFile {
    org: Option<Setting>,
    project: Option<Setting>,
    stage: Option<Setting>,
}

impl ProjectFile {
    fn read(path: &Path) -> Result<ProjectFile> {
        let Some(object) = read_json_object(path)? else {
            return Ok(ProjectFile::default());
        };
        Ok(ProjectFile {
            org: string_key(&object, &["organization", "org"], path)?,
            project: string_key(&object, &["project"], path)?,
            stage: string_key(&object, &["environment", "stage"], path)?,
        })
    }
}

fn missing(
    no_project: bool,
    no_stage: bool,
    barekey_json: Option<PathBuf>,
    start: &Path,
) -> SettingsError {
    let (what, flags, vars, keys) = match (no_project, no_stage) {
        (true, true) => (
            "project and stage",
            "--project, --stage",
            "$BAREKEY_PROJECT, $BAREKEY_STAGE",
            "\"project\", \"environment\"",
        ),
        (true, false) => ("project", "--project", "$BAREKEY_PROJECT", "\"project\""),
        _ => ("stage", "--stage", "$BAREKEY_STAGE", "\"environment\""),
    };
    let mut looked = vec![format!("{vars} (not set)")];
    looked.push(match &barekey_json {
        Some(path) => format!("{} (no {keys})", path.display()),
        None => format!(
            "{BAREKEY_JSON} in {} and every folder above it (none found)",
            start.display()
        ),
    });
    SettingsError::Missing {
        what,
        flags,
        looked,
        exists: barekey_json.is_some(),
        barekey_json: barekey_json.unwrap_or_else(|| start.join(BAREKEY_JSON)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn flags_beat_env_beat_the_nearest_barekey_json() {
        let root = tempfile::tempdir().unwrap();
        write(
            &root.path().join(BAREKEY_JSON),
            r#"{"organization": "far", "project": "far", "environment": "far"}"#,
        );
        let near = root.path().join("app/barekey.json");
        write(
            &near,
            r#"{"org": " near-org ", "project": "near", "stage": "near-stage", "config": {"x": 1}}"#,
        );
        let start = root.path().join("app/src");
        std::fs::create_dir_all(&start).unwrap();
        let env = |name: &str| (name == env::PROJECT).then(|| OsString::from("from-env"));
        let overrides = Overrides {
            stage: Some("flag-stage".into()),
            ..Overrides::default()
        };
        let settings = Settings::resolve(&overrides, &env, &start).unwrap();
        assert_eq!(settings.org.as_ref().unwrap().value, "near-org");
        assert_eq!(
            settings.org.unwrap().source,
            Source::File {
                path: near.clone(),
                key: "org"
            }
        );
        assert_eq!(settings.project.value, "from-env");
        assert_eq!(settings.project.source, Source::Env(env::PROJECT));
        assert_eq!(settings.stage.value, "flag-stage");
        assert_eq!(settings.stage.source, Source::Flag("--stage"));
        assert_eq!(settings.barekey_json, Some(near));
        assert_eq!(settings.cli_config_dir, None);
    }

    #[test]
    fn api_url_comes_from_flag_env_cli_config_then_default() {
        let root = tempfile::tempdir().unwrap();
        write(
            &root.path().join(BAREKEY_JSON),
            r#"{"project": "p", "environment": "s"}"#,
        );
        let home = root.path().join("home");
        let xdg = root.path().join("xdg");
        write(
            &xdg.join("barekey/config.json"),
            r#"{"baseUrl": "https://xdg.example/", "activeAccountId": "a:b"}"#,
        );
        let vars = |xdg_set: bool, api: Option<&str>| {
            let (home, xdg) = (home.clone(), xdg.clone());
            let api = api.map(OsString::from);
            move |name: &str| match name {
                env::HOME => Some(home.clone().into_os_string()),
                env::XDG_CONFIG_HOME if xdg_set => Some(xdg.clone().into_os_string()),
                env::API_URL => api.clone(),
                _ => None,
            }
        };
        let resolve = |env: &dyn Fn(&str) -> Option<OsString>, flag: Option<&str>| {
            let overrides = Overrides {
                api_url: flag.map(str::to_owned),
                ..Overrides::default()
            };
            Settings::resolve(&overrides, env, root.path()).unwrap()
        };
        let settings = resolve(&vars(true, None), None);
        assert_eq!(settings.api_url.value, "https://xdg.example");
        assert_eq!(settings.cli_config_dir, Some(xdg.join("barekey")));
        let settings = resolve(&vars(false, None), None);
        assert_eq!(settings.api_url.value, DEFAULT_API_URL);
        assert_eq!(settings.api_url.source, Source::Default);
        assert_eq!(settings.cli_config_dir, Some(home.join(".config/barekey")));
        let settings = resolve(&vars(true, Some("http://127.0.0.1:9")), None);
        assert_eq!(settings.api_url.value, "http://127.0.0.1:9");
        let settings = resolve(
            &vars(true, Some("http://127.0.0.1:9")),
            Some("https://f.io"),
        );
        assert_eq!(settings.api_url.source, Source::Flag("--api-url"));
    }

    #[test]
    fn missing_stage_lists_what_was_looked_at_and_the_file_to_edit() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(BAREKEY_JSON);
        write(&file, r#"{"project": "web"}"#);
        let error = Settings::resolve(&Overrides::default(), &no_env, root.path()).unwrap_err();
        let SettingsError::Missing {
            what,
            flags,
            looked,
            barekey_json,
            exists,
        } = error
        else {
            panic!("{error:?}");
        };
        assert_eq!((what, flags), ("stage", "--stage"));
        assert_eq!(
            looked,
            [
                "$BAREKEY_STAGE (not set)".to_owned(),
                format!("{} (no \"environment\")", file.display())
            ]
        );
        assert_eq!((barekey_json, exists), (file, true));
    }

    #[test]
    fn a_barekey_json_that_is_not_an_object_of_strings_is_an_error_naming_it() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(BAREKEY_JSON);
        for (text, expected) in [
            ("{", "not valid JSON"),
            ("[]", "not a JSON object"),
            (r#"{"project": 7}"#, "\"project\" must be a string"),
        ] {
            write(&file, text);
            let message = Settings::resolve(&Overrides::default(), &no_env, root.path())
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{message}");
            assert!(message.contains(&file.display().to_string()), "{message}");
        }
    }
}
