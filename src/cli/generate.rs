//! `generate`: the outputs from the snapshots (or the live manifest), written only when they
//! changed; with --watch, again whenever the live manifest changes.

use std::path::{Path, PathBuf};

use barekey_typegen::codegen;
use barekey_typegen::pipeline::{self, Target};

use super::args::{Connection, Input, WatchArgs};
use super::manifests::{Manifests, refuse_output_clash};
use super::messages;
use super::output::{Output, write_stdout};
use super::{Failure, Outcome, current_dir, watching};

pub(crate) struct Args {
    pub(crate) input: Input,
    pub(crate) live: bool,
    pub(crate) rust: Option<PathBuf>,
    pub(crate) ts: Option<PathBuf>,
    pub(crate) env_example: Option<PathBuf>,
    pub(crate) markdown: Option<PathBuf>,
    pub(crate) options: codegen::Options,
    pub(crate) watch: WatchArgs,
    pub(crate) connection: Connection,
}

pub(crate) fn run(args: &Args, out: &mut Output) -> Result<Outcome, Failure> {
    let targets = targets(
        args.rust.as_ref(),
        args.ts.as_ref(),
        args.env_example.as_ref(),
        args.markdown.as_ref(),
    );
    let outputs: Vec<(&str, &Path)> = targets
        .iter()
        .map(|target| (target.flag(), target.path()))
        .collect();
    let paths: Vec<&Path> = outputs.iter().map(|(_, path)| *path).collect();
    if args.watch.watch {
        args.connection.refuse_several_stages(
            "generate",
            "--watch follows one stage's live manifest; give --stage once with --watch",
        )?;
    }
    let parts = args.connection.parts(current_dir()?);
    if let Some(mut plan) = args.watch.plan("generate", &paths)? {
        // --watch needs --live: there is no manifest file to clash with.
        refuse_output_clash(&outputs)?;
        plan.targets = targets.clone();
        plan.options = args.options.clone();
        return watching::watch_live(&parts.live(), &plan, out);
    }
    let manifests = if args.live {
        let stages = args.connection.several_stages("generate")?;
        Manifests::live(&parts.live(), stages, &args.options.selection, out)?
    } else {
        Manifests::load(
            "generate",
            &args.input.manifest,
            &current_dir()?,
            &args.options.selection,
            out,
        )?
    };
    manifests.refuse_clashes(&outputs)?;
    let rendering = pipeline::render(
        &manifests.loaded.manifest,
        &manifests.origin,
        &targets,
        &args.options,
    )?;
    for file in &rendering.files {
        out.warnings(&file.warnings);
        if file.target.path() == Path::new("-") {
            write_stdout(file.text.as_bytes())?;
            continue;
        }
        for outcome in pipeline::write(std::slice::from_ref(file))? {
            out.emit(&messages::file_written(&outcome));
            out.info(&outcome.to_string());
        }
    }
    Ok(Outcome::Success)
}

/// The outputs given, in the order of their flags: `--rust`, `--ts`, `--env-example`,
/// `--markdown`.
pub(crate) fn targets(
    rust: Option<&PathBuf>,
    ts: Option<&PathBuf>,
    env_example: Option<&PathBuf>,
    markdown: Option<&PathBuf>,
) -> Vec<Target> {
    let mut targets = Vec::new();
    targets.extend(rust.cloned().map(Target::Rust));
    targets.extend(ts.cloned().map(Target::TypeScript));
    targets.extend(env_example.cloned().map(Target::EnvExample));
    targets.extend(markdown.cloned().map(Target::Markdown));
    targets
}
