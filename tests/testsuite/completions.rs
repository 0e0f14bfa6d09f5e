//! `completions SHELL`: each script, loaded into its shell, completes subcommands, every flag
//! of each subcommand, and flag values. Bash is always driven; zsh and fish when installed
//! (their scripts are otherwise checked for every flag by name).

use crate::common;

use std::process::Command;

use common::root;

const BIN: &str = env!("CARGO_BIN_EXE_barekey-typegen");

fn stdout_of(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn script(shell: &str) -> String {
    stdout_of(Command::new(BIN).args(["completions", shell]))
}

/// The subcommands `--help` lists, and each one's long flags as its `--help` lists them:
/// what the scripts must complete.
fn commands_and_flags() -> Vec<(String, Vec<String>)> {
    let help = stdout_of(Command::new(BIN).arg("--help"));
    let commands = help
        .split("\nCommands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|line| !line.is_empty())
        // A description's wrapped lines are indented further.
        .filter_map(|line| {
            line.strip_prefix("  ")
                .filter(|rest| !rest.starts_with(' '))
        })
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned);
    commands
        .map(|command| {
            let help = stdout_of(Command::new(BIN).args([&command, "--help"]));
            let flags = help
                .lines()
                .filter_map(|line| {
                    let line = line.trim_start();
                    let line = line.strip_prefix("-").map_or(line, |short| {
                        short
                            .get(3..)
                            .filter(|_| short.get(1..3) == Some(", "))
                            .unwrap_or(line)
                    });
                    let flag = line.strip_prefix("--")?.split([' ', '=', '<']).next()?;
                    Some(format!("--{flag}"))
                })
                .collect();
            (command, flags)
        })
        .collect()
}

/// Each line of `lines`, as typed before a tab, and what must be among the candidates (all of
/// them, unordered), with what must not be.
fn cases() -> Vec<(String, Vec<String>, Vec<&'static str>)> {
    let words = |text: &str| text.split_whitespace().map(str::to_owned).collect();
    let mut cases = vec![
        (
            "barekey-typegen ".to_owned(),
            words("pull generate check completions"),
            vec![],
        ),
        (
            "barekey-typegen --".to_owned(),
            words("--quiet --help --version"),
            vec![],
        ),
        (
            "barekey-typegen completions ".to_owned(),
            words("bash elvish fish powershell zsh"),
            vec!["Cargo.toml"],
        ),
        (
            "barekey-typegen generate --ts-m".to_owned(),
            words("--ts-mode"),
            vec![],
        ),
        (
            "barekey-typegen generate --ts-mode ".to_owned(),
            words("standalone sdk"),
            vec!["Cargo.toml"],
        ),
        (
            "barekey-typegen check --rust x.rs --ts x.ts --ts-mode s".to_owned(),
            words("standalone sdk"),
            vec![],
        ),
        (
            "barekey-typegen pull --wa".to_owned(),
            words("--watch"),
            vec!["--interval"],
        ),
    ];
    // Every flag of every subcommand, after it (and after a flag that takes no value).
    for (command, flags) in commands_and_flags() {
        assert!(flags.contains(&"--help".to_owned()), "{command}: {flags:?}");
        cases.push((
            format!("barekey-typegen {command} --"),
            flags.clone(),
            vec![],
        ));
        cases.push((format!("barekey-typegen -q {command} --"), flags, vec![]));
    }
    cases
}

fn check(shell: &str, got: &[Vec<String>]) {
    let cases = cases();
    assert_eq!(got.len(), cases.len(), "{shell}: {got:?}");
    let mut failures = Vec::new();
    for ((line, wanted, unwanted), got) in cases.iter().zip(got) {
        let missing: Vec<&String> = wanted.iter().filter(|w| !got.contains(w)).collect();
        let extra: Vec<&&str> = unwanted
            .iter()
            .filter(|u| got.iter().any(|g| g == *u))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{shell}: `{line}<TAB>` gave {got:?}: missing {missing:?}, unwanted {extra:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs bash with the script loaded and, for each case, calls the function `complete -p`
/// registered for the binary as bash calls it (`COMP_WORDS`, `COMP_CWORD`, the command, the
/// word and the word before it), printing `COMPREPLY`.
#[test]
fn bash_completes_subcommands_flags_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barekey-typegen.bash");
    std::fs::write(&path, script("bash")).unwrap();
    let mut program = format!(
        "source {path:?}\n\
         function_name=$(complete -p barekey-typegen | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n\
         run() {{\n\
           COMP_LINE=\"$1\"; COMP_POINT=${{#1}}\n\
           read -ra COMP_WORDS <<< \"$1\"\n\
           [[ $1 == *' ' ]] && COMP_WORDS+=('')\n\
           COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
           COMPREPLY=()\n\
           \"$function_name\" barekey-typegen \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
           printf '%s\\n' \"${{COMPREPLY[@]}}\" '<end>'\n\
         }}\n",
        path = path.display().to_string()
    );
    for (line, ..) in cases() {
        program.push_str(&format!("run {}\n", shell_quote(&line)));
    }
    let output = stdout_of(
        Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .current_dir(root()),
    );
    check("bash", &split_cases(&output));
}

/// zsh's own completion system, driven through a pseudo-terminal (`zsh/zpty`): a tab after each
/// line, with `compadd` printing what it is given.
#[test]
fn zsh_completes_subcommands_flags_and_values() {
    let script = script("zsh");
    if !installed("zsh") {
        for (command, flags) in commands_and_flags() {
            assert!(script.contains(&format!("({command})")), "{command}");
            for flag in flags {
                assert!(
                    script.lines().any(|line| zsh_spec_of(line) == Some(&flag)),
                    "{command} {flag}"
                );
            }
        }
        #[allow(
            clippy::print_stderr,
            reason = "says, in the test's output, what was not run"
        )]
        {
            eprintln!("zsh is not installed: its script was checked by name only");
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_barekey-typegen"), script).unwrap();
    let mut got = Vec::new();
    for (line, ..) in cases() {
        let output = stdout_of(
            Command::new("zsh")
                .args(["-f", "-c", ZSH_CAPTURE, "capture", &line])
                .current_dir(root())
                .env("FUNCTIONS", dir.path()),
        );
        got.push(output.lines().map(str::to_owned).collect());
    }
    check("zsh", &got);
}

/// The flag a line of `_arguments` specs describes: `'--rust=[help]...`, with any
/// exclusion list (`'(--manifest)--live[...]`) or `*` (given several times) before it.
fn zsh_spec_of(line: &str) -> Option<&str> {
    let spec = line.strip_prefix('\'')?;
    let spec = match spec.strip_prefix('(') {
        Some(excluded) => &excluded[excluded.find(')')? + 1..],
        None => spec,
    };
    let spec = spec.strip_prefix('*').unwrap_or(spec);
    spec.find(['[', '=']).map(|end| &spec[..end])
}

/// Starts an interactive zsh on a pseudo-terminal with compinit and the script in `$FUNCTIONS`,
/// types `$1` and a tab, and prints each candidate `compadd` was given; the markers are split
/// so that the echoed input never holds them.
const ZSH_CAPTURE: &str = r#"
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "fpath=(${(q)FUNCTIONS} \$fpath); autoload -U compinit; compinit -u -D; PROMPT= ; RPROMPT="
zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; typeset -a hits; builtin compadd -A hits "$@"; (( $#hits )) && print -r -l -- "<""M>"${^hits}; builtin compadd -Q -- ; }'
zpty -w z 'comppostfuncs=(finish); finish() { print -r -- "<""END>"; exit }'
zpty -w z 'bindkey "^I" complete-word'
zpty -n -w z "$1"$'\t'
while zpty -r z l; do
  [[ $l == *'<END>'* ]] && break
  [[ $l == *'<M>'* ]] && print -r -- "${${l#*<M>}%%$'\r'*}"
done
zpty -d z
"#;

/// fish's `complete -C`, which lists the candidates for a command line.
#[test]
fn fish_completes_subcommands_flags_and_values() {
    let script = script("fish");
    if !installed("fish") {
        for (command, flags) in commands_and_flags() {
            let section = format!("__fish_barekey_typegen_using_subcommand {command}\"");
            for flag in flags {
                let long = flag.trim_start_matches("--");
                assert!(
                    script
                        .lines()
                        .any(|line| line.contains(&section) && line.contains(&format!("-l {long}"))),
                    "{command} {flag}"
                );
            }
        }
        #[allow(
            clippy::print_stderr,
            reason = "says, in the test's output, what was not run"
        )]
        {
            eprintln!("fish is not installed: its script was checked by name only");
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("barekey-typegen.fish");
    std::fs::write(&path, script).unwrap();
    let mut program = format!("source {}\n", shell_quote(&path.display().to_string()));
    for (line, ..) in cases() {
        program.push_str(&format!(
            "complete -C {}\necho '<end>'\n",
            shell_quote(&line)
        ));
    }
    let output = stdout_of(
        Command::new("fish")
            .args(["--no-config", "-c", &program])
            .current_dir(root()),
    );
    // `candidate<TAB>description`.
    let got: Vec<Vec<String>> = split_cases(&output)
        .into_iter()
        .map(|case| {
            case.iter()
                .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
                .collect()
        })
        .collect();
    check("fish", &got);
}

/// Output of one run per case, each ended by a `<end>` line.
fn split_cases(output: &str) -> Vec<Vec<String>> {
    let mut cases = vec![Vec::new()];
    for line in output.lines() {
        if line == "<end>" {
            cases.push(Vec::new());
        } else if let Some(case) = cases.last_mut() {
            case.push(line.to_owned());
        }
    }
    cases.pop();
    cases
}

/// `text` as one word of bash, zsh and fish: in single quotes (no case holds one).
fn shell_quote(text: &str) -> String {
    assert!(!text.contains('\''), "{text}");
    format!("'{text}'")
}

/// Whether `program` runs at all (`--version`).
fn installed(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}
