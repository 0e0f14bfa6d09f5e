//! `generate`: the outputs from the snapshots (or the live manifest), written only when they
//! changed; with --watch, again whenever the live manifest changes.

use std::path::{Path, PathBuf};

use barekey_typegen::codegen;
use barekey_typegen::pipeline::{self, Target};

use super::args::{Connection, Input, WatchArgs};
use super::manifests::{Manifests, refuse_output_clash};
use super::output::{Output, write_stdout};
use super::{Failure, Outcome, current_dir, watching};

pub(crate) struct Args {
    pub(crate) input: Input,
    pub(crate) live: bool,
    pub(crate) rust: Option<PathBuf>,
    pub(crate) ts: Option<PathBuf>,
    pub(crate) options: codegen::Options,
    pub(crate) watch: WatchArgs,
    pub(crate) connection: Connection,
}

pub(crate) fn run(args: &Args, out: &mut Output) -> Result<Outcome, Failure> {
    let mut targets = Vec::new();
    let mut outputs: Vec<(&str, &Path)> = Vec::new();
    if let Some(path) = &args.rust {
        targets.push(Target::Rust(path.clone()));
        outputs.push(("--rust", path));
    }
    if let Some(path) = &args.ts {
        targets.push(Target::TypeScript(path.clone()));
        outputs.push(("--ts", path));
    }
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
        plan.targets = targets;
        plan.options = args.options.clone();
        return watching::watch_live(&parts.live(), &plan, out);
    }
    let manifests = if args.live {
        let stages = args.connection.several_stages("generate")?;
        Manifests::live(&parts.live(), stages, out)?
    } else {
        Manifests::load("generate", &args.input.manifest, &current_dir()?, out)?
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
            out.info(&outcome.to_string());
        }
    }
    Ok(Outcome::Success)
}
