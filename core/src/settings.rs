//! Which Barekey organisation, project, stage and API a live fetch talks to, and where each
//! of those came from: the shared resolution (`barekey_typegen_shared::settings`, which the
//! client crate uses too).
//!
//! Each value is taken from the first of: an explicit override (a CLI flag or a builder
//! call), the environment (`BAREKEY_ORG`, `BAREKEY_PROJECT`, `BAREKEY_STAGE`,
//! `BAREKEY_API_URL`), the nearest `barekey.json` walking up from a start folder (organisation,
//! project and stage only), the Barekey CLI's config (`baseUrl` only), then the default API
//! URL. The environment is passed in as a lookup ([`crate::env::var_os`] for the process's).
//!
//! ```
//! use std::ffi::OsString;
//! use barekey_typegen_core::settings::{Overrides, Settings, Source};
//!
//! let folder = tempfile::tempdir()?;
//! std::fs::write(
//!     folder.path().join("barekey.json"),
//!     r#"{"org": "acme-42", "project": " web-1234 ", "stage": "production"}"#,
//! )?;
//! let env = |name: &str| (name == "BAREKEY_STAGE").then(|| OsString::from("staging"));
//! let settings = Settings::resolve(&Overrides::default(), &env, folder.path())?;
//! assert_eq!(settings.project.value, "web-1234");
//! assert_eq!(settings.stage.source, Source::Env("BAREKEY_STAGE"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

pub use barekey_typegen_shared::settings::{
    BAREKEY_JSON, DEFAULT_API_URL, EnvLookup, Overrides, Setting, Settings, SettingsError, Source,
    find_barekey_json,
};

/// [`Settings::resolve`], refusing a `barekey.json` found on the walk up that belongs to
/// another user ([`crate::trust`]): the CLI and the build helper call this, each as its
/// `front`, which the error for a missing project or stage addresses.
///
/// # Errors
///
/// What [`Settings::resolve`] refuses ([`crate::Error::MissingSettings`] among them), and
/// [`crate::Error::Untrusted`].
pub fn resolve_trusted(
    overrides: &Overrides,
    env: EnvLookup<'_>,
    start: &Path,
    front: crate::Front,
) -> crate::Result<Settings> {
    refuse_untrusted_barekey_json(start)?;
    Settings::resolve(overrides, env, start)
        .map_err(|error| crate::Error::from_settings(error, front))
}

/// [`Settings::resolve_stage`], refusing a `barekey.json` that belongs to another user, as
/// [`resolve_trusted`] does.
///
/// # Errors
///
/// A `barekey.json` that cannot be read or holds a stage that is not a string, and
/// [`crate::Error::Untrusted`].
pub fn resolve_stage_trusted(
    overrides: &Overrides,
    env: EnvLookup<'_>,
    start: &Path,
    front: crate::Front,
) -> crate::Result<Option<Setting>> {
    refuse_untrusted_barekey_json(start)?;
    Settings::resolve_stage(overrides, env, start)
        .map_err(|error| crate::Error::from_settings(error, front))
}

/// [`crate::Error::Untrusted`] when the nearest `barekey.json` above `start` belongs to
/// another user.
fn refuse_untrusted_barekey_json(start: &Path) -> crate::Result<()> {
    match find_barekey_json(start) {
        Some(path) => crate::trust::check_found(&path, "barekey.json"),
        None => Ok(()),
    }
}
