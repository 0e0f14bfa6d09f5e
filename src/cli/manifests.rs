//! The manifest a command works from (snapshots or the live manifest), and how the user
//! pointed at it.

use std::path::{Path, PathBuf};

use barekey_typegen::Error;
use barekey_typegen::codegen::Selection;
use barekey_typegen::fetch::{FetchOptions, Fetched, fetch_manifest};
use barekey_typegen::manifest::Loaded;
use barekey_typegen::remote::{self, Live};
use barekey_typegen::settings::{Settings, Source};
use barekey_typegen::source::{self, layout::shell_word};
use barekey_typegen::write;

use super::output::Output;
use super::{Failure, Usage, stage};

pub(crate) struct Manifests {
    /// The snapshots read, in the order given or found (several stages' are merged); none for
    /// the live manifest.
    pub(crate) paths: Vec<PathBuf>,
    /// Whether the snapshots were named with --manifest (else found by the lookup).
    pub(crate) explicit: bool,
    pub(crate) loaded: Loaded,
    /// What generated code names as its source: the snapshots' paths or the live URLs.
    pub(crate) origin: String,
}

impl Manifests {
    /// The snapshots named with --manifest (`given`), else those the lookup finds from
    /// `start`: one stage's, or several stages' merged. One file given twice with --manifest
    /// is a usage error of `command` (the lookup refuses one named twice by BAREKEY_MANIFEST).
    pub(crate) fn load(
        command: &'static str,
        given: &[PathBuf],
        start: &Path,
        selection: &Selection,
        out: &mut Output,
    ) -> Result<Manifests, Failure> {
        let (paths, explicit) = snapshot_paths(command, given, start)?;
        Manifests::read(paths, explicit, selection, out)
    }

    /// The snapshots at `paths` (named with --manifest when `explicit`), several stages'
    /// merged; their warnings about a variable `selection` leaves out are not shown.
    pub(crate) fn read(
        paths: Vec<PathBuf>,
        explicit: bool,
        selection: &Selection,
        out: &mut Output,
    ) -> Result<Manifests, Failure> {
        let loaded = source::read_stages(&paths)?;
        out.warnings(&selection.relevant(&loaded.warnings, &loaded.manifest));
        let origin: Vec<String> = paths
            .iter()
            .map(|path| path.display().to_string())
            .collect();
        Ok(Manifests {
            origin: origin.join(", "),
            paths,
            explicit,
            loaded,
        })
    }

    /// The live manifest, for `generate --live`: with several `stages`, each stage's, merged.
    pub(crate) fn live(
        live: &Live<'_>,
        stages: &[String],
        selection: &Selection,
        out: &mut Output,
    ) -> Result<Manifests, Error> {
        let chosen: Vec<Option<(String, Source)>> = if stages.is_empty() {
            vec![None]
        } else {
            super::args::Connection::chosen(stages)
        };
        let fetched = live.fetch_stages(&chosen, "nothing was generated", &mut |s, o| {
            fetch_with(s, o, out)
        })?;
        let (loaded, origin) = match <[_; 1]>::try_from(fetched) {
            Ok([(_, fetched)]) => (fetched.loaded, fetched.url),
            Err(fetched) => {
                let (loaded, origin) = remote::merge_live(&fetched)?;
                out.warnings(&selection.relevant(&loaded.warnings, &loaded.manifest));
                (loaded, origin)
            }
        };
        Ok(Manifests {
            paths: Vec::new(),
            explicit: false,
            loaded,
            origin,
        })
    }

    /// A usage error (exit 2) when an output would overwrite a manifest being read, or two
    /// outputs are one file, also through links, before anything is written.
    pub(crate) fn refuse_clashes(&self, outputs: &[(&str, &Path)]) -> Result<(), Error> {
        for (flag, output) in outputs {
            if self.paths.iter().any(|path| write::same_file(output, path)) {
                return Err(Error::OutputClash {
                    path: output.to_path_buf(),
                    other: format!("the manifest being read ({flag} names it)"),
                });
            }
        }
        refuse_output_clash(outputs)
    }

    /// The command that regenerates an output, given its flags (`--rust PATH`), from the same
    /// manifests (every --manifest again).
    pub(crate) fn fix_command(&self, output_flags: &str) -> String {
        let mut command = String::from("barekey-typegen generate");
        if self.explicit {
            for path in &self.paths {
                command.push_str(&format!(" --manifest {}", shell_word(path)));
            }
        }
        command.push_str(&format!(" {output_flags}"));
        command
    }
}

/// The snapshots named with --manifest (`given`), else those the lookup finds from `start`,
/// and whether they were named; read nothing. One file given twice with --manifest is a usage
/// error of `command`.
pub(crate) fn snapshot_paths(
    command: &'static str,
    given: &[PathBuf],
    start: &Path,
) -> Result<(Vec<PathBuf>, bool), Failure> {
    if given.is_empty() {
        Ok((source::find_snapshots(start)?, false))
    } else {
        refuse_repeated(command, given)?;
        Ok((given.to_vec(), true))
    }
}

/// A usage error of `command` when two of the `--manifest` paths `given` name one file.
fn refuse_repeated(command: &'static str, given: &[PathBuf]) -> Result<(), Failure> {
    for (later, path) in given.iter().enumerate() {
        if let Some(first) = given[..later]
            .iter()
            .find(|earlier| write::same_file(earlier, path))
        {
            return Err(Usage::new(
                command,
                format!(
                    "--manifest {} and --manifest {} name one file; give each stage's snapshot \
                     once",
                    first.display(),
                    path.display()
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// Refuses two outputs naming the same file (exit status 2): one would overwrite the other.
pub(crate) fn refuse_output_clash(outputs: &[(&str, &Path)]) -> Result<(), Error> {
    for (later, (flag, path)) in outputs.iter().enumerate() {
        if let Some((first, _)) = outputs[..later]
            .iter()
            .find(|(_, earlier)| write::same_file(earlier, path))
        {
            return Err(Error::OutputClash {
                path: path.to_path_buf(),
                other: format!("given to both {first} and {flag}"),
            });
        }
    }
    Ok(())
}

/// Fetches the live manifest of `settings`' stage, with a spinner on a terminal, and prints
/// its warnings.
pub(crate) fn fetch_with(
    settings: &Settings,
    options: &FetchOptions,
    out: &mut Output,
) -> Result<Fetched, Error> {
    let spinner = out.spinner(format!("fetching the manifest of {}", stage(settings)));
    let fetched = fetch_manifest(settings, options);
    spinner.finish_and_clear();
    let fetched = fetched?;
    out.warnings(&fetched.loaded.warnings);
    Ok(fetched)
}
