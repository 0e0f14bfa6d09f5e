//! `completions SHELL`: clap_complete's script for the shell, with what its generators miss for
//! this binary put right.

use clap::Command;
use clap_complete::Shell;

/// The completion script of `command` (named `bin`) for `shell`.
pub(crate) fn script(shell: Shell, command: &mut Command, bin: &str) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, command, bin, &mut script);
    match shell {
        Shell::Bash => bash_states_named_alike(script, bin),
        Shell::Fish => {
            script.extend(fish_positional_values(command, bin).into_bytes());
            script
        }
        _ => script,
    }
}

/// clap_complete's bash script names its states two ways when the binary's name has a `-`
/// (clap-rs/clap#6421): the loop that finds the subcommand spells `barekey-typegen check` as
/// `barekey__typegen__subcmd__check`, the `case` that completes it as
/// `barekey__subcmd__typegen__subcmd__check`, so nothing after a subcommand completed. The
/// labels are respelled as the loop spells them; once clap_complete agrees with itself, there is
/// nothing left to respell.
fn bash_states_named_alike(script: Vec<u8>, bin: &str) -> Vec<u8> {
    let as_looped = bin.replace('-', "__");
    let as_labelled = bin.replace('-', "__subcmd__");
    if as_looped == as_labelled {
        return script;
    }
    // The script holds the names and help texts it was given: UTF-8, so nothing is lost.
    String::from_utf8_lossy(&script)
        .replace(
            &format!("{as_labelled}__subcmd__"),
            &format!("{as_looped}__subcmd__"),
        )
        .into_bytes()
}

/// `complete` lines for the values of each subcommand's positional arguments (`completions
/// <TAB>`: the shells), which clap_complete's fish script leaves to file names.
fn fish_positional_values(command: &Command, bin: &str) -> String {
    let condition = format!("__fish_{}_using_subcommand", bin.replace('-', "_"));
    let mut lines = String::new();
    for subcommand in command.get_subcommands() {
        for positional in subcommand.get_positionals() {
            let values: Vec<String> = positional
                .get_possible_values()
                .iter()
                .filter(|value| !value.is_hide_set())
                .map(|value| value.get_name().to_owned())
                .collect();
            if !values.is_empty() {
                lines.push_str(&format!(
                    "complete -c {bin} -n \"{condition} {}\" -f -a \"{}\"\n",
                    subcommand.get_name(),
                    values.join(" ")
                ));
            }
        }
    }
    lines
}
