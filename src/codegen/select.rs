//! Which variables a generated module holds: every one by default, or only those a selection
//! names (`--only`, `Builder::only`) and, with `--public-only` (`Builder::public_only`), only
//! public ones. The pipeline applies it once per manifest, before any output is rendered, so
//! every output and every front-end sees the same variables.

use std::borrow::Cow;
use std::fmt;

use crate::manifest::{Manifest, Variable, Visibility};
use crate::{Error, Result, Warning};

pub use barekey_typegen_core::SelectionProblem;

/// A pattern of `--only` ([`Builder::only`](crate::build::Builder::only)): a Barekey name,
/// matched exactly (case included), in which `*` matches any run of characters, none
/// included. A name that itself holds `*` is written with `\*`, and `\\` is one backslash; any
/// other backslash stands for itself.
///
/// ```
/// use barekey_typegen::codegen::Pattern;
///
/// assert!(Pattern::new("QUEUE_URL").matches("QUEUE_URL"));
/// assert!(!Pattern::new("QUEUE_URL").matches("JOB_QUEUE_URL"));
/// assert!(Pattern::new("WORKER_*").matches("WORKER_CONCURRENCY"));
/// assert!(Pattern::new("*_URL").matches("DATABASE_URL"));
/// assert!(Pattern::new("A\\*B").matches("A*B") && !Pattern::new("A\\*B").matches("AxB"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written.
    text: String,
    /// The literal runs between the wildcards, escapes resolved: one run for a plain name.
    runs: Vec<String>,
}

impl Pattern {
    /// `text` read as a pattern (every text is one).
    pub fn new(text: &str) -> Pattern {
        let mut runs = Vec::new();
        let mut run = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if matches!(chars.peek(), Some('*' | '\\')) => run.extend(chars.next()),
                '*' => runs.push(std::mem::take(&mut run)),
                c => run.push(c),
            }
        }
        runs.push(run);
        Pattern {
            text: text.to_owned(),
            runs,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The name it stands for, when it holds no wildcard.
    pub(crate) fn name(&self) -> Option<&str> {
        match self.runs.as_slice() {
            [name] => Some(name),
            _ => None,
        }
    }

    /// Whether `name` matches: each literal run in order, the first at the start and the last
    /// at the end (the leftmost place for each run in between, which finds a match whenever
    /// there is one).
    pub fn matches(&self, name: &str) -> bool {
        let Some((first, rest)) = self.runs.split_first() else {
            return false;
        };
        let Some(mut left) = name.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return left.is_empty();
        };
        for run in middle {
            match left.find(run.as_str()) {
                Some(at) => left = &left[at + run.len()..],
                None => return false,
            }
        }
        left.ends_with(last.as_str())
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.text)
    }
}

/// Which variables a module holds ([`Options::selection`](super::Options::selection)): every
/// one by default; with patterns in [`only`](Selection::only), those that match one of them;
/// with [`public_only`](Selection::public_only), only public ones, so that no private
/// variable's name, type or arm appears in the output (a browser's module).
///
/// ```
/// use barekey_typegen::codegen::{Pattern, Selection};
///
/// let text = r#"{"variables": [{"name": "PORT"}, {"name": "QUEUE_URL"}, {"name": "WORKER_BATCH"}]}"#;
/// let manifest = barekey_typegen::manifest::parse(text, "m")?.manifest;
/// let mut selection = Selection::default();
/// selection.only = vec![Pattern::new("WORKER_*"), Pattern::new("QUEUE_URL")];
/// let selected = selection.apply(&manifest, "m")?;
/// let names: Vec<&str> = selected.variables.iter().map(|v| v.name.as_str()).collect();
/// assert_eq!(names, ["QUEUE_URL", "WORKER_BATCH"]);
///
/// selection.only = vec![Pattern::new("QUEUE_UR")];
/// let error = selection.apply(&manifest, "m").unwrap_err().to_string();
/// assert!(error.contains("no variable `QUEUE_UR` (did you mean `QUEUE_URL`?)"), "{error}");
/// # Ok::<(), barekey_typegen::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Selection {
    /// The patterns a variable must match one of; none selects every variable.
    pub only: Vec<Pattern>,
    /// Whether only public variables are selected. In a manifest merged from several stages, a
    /// variable private in any stage is private.
    pub public_only: bool,
}

impl Selection {
    /// Whether it selects every variable.
    pub fn is_everything(&self) -> bool {
        self.only.is_empty() && !self.public_only
    }

    /// Whether `variable` may be selected at all: public, or any with `public_only` off.
    fn admits(&self, variable: &Variable) -> bool {
        !self.public_only || variable.visibility == Visibility::Public
    }

    /// Whether `variable` is selected.
    fn selects(&self, variable: &Variable) -> bool {
        self.admits(variable)
            && (self.only.is_empty()
                || self
                    .only
                    .iter()
                    .any(|pattern| pattern.matches(&variable.name)))
    }

    /// The warnings among `warnings` (those of reading `manifest`) that concern what this
    /// selection keeps: one about a variable it leaves out is dropped, so a consumer is not
    /// told about a variable it does not read (a stage difference in another service's).
    pub fn relevant(&self, warnings: &[Warning], manifest: &Manifest) -> Vec<Warning> {
        warnings
            .iter()
            .filter(|warning| {
                let Some(name) = warning.variable() else {
                    return true;
                };
                let variable = manifest.variables.iter().find(|v| v.name == name);
                variable.is_none_or(|variable| self.selects(variable))
            })
            .cloned()
            .collect()
    }

    /// `manifest` with the selected variables only (borrowed when that is every one).
    ///
    /// # Errors
    ///
    /// [`Error::UnfitSelection`], naming every pattern that selects nothing: a name (no `*`)
    /// the manifest does not declare, with the closest declared names (public ones with
    /// `public_only`), a private name with `public_only`, and a pattern that matches no
    /// variable (no public one). `origin` names the manifest in it.
    pub fn apply<'m>(&self, manifest: &'m Manifest, origin: &str) -> Result<Cow<'m, Manifest>> {
        if self.is_everything() {
            return Ok(Cow::Borrowed(manifest));
        }
        let problems: Vec<SelectionProblem> = self
            .only
            .iter()
            .filter_map(|pattern| self.problem(pattern, manifest))
            .collect();
        if !problems.is_empty() {
            return Err(Error::UnfitSelection {
                origin: origin.to_owned(),
                stages: manifest.stages.iter().map(|s| s.slug.clone()).collect(),
                problems,
            });
        }
        let mut selected = manifest.clone();
        selected.variables.retain(|variable| self.selects(variable));
        Ok(Cow::Owned(selected))
    }

    /// Why `pattern` selects nothing in `manifest`, if it does not.
    fn problem(&self, pattern: &Pattern, manifest: &Manifest) -> Option<SelectionProblem> {
        let admitted = || manifest.variables.iter().filter(|v| self.admits(v));
        if admitted().any(|variable| pattern.matches(&variable.name)) {
            return None;
        }
        let Some(name) = pattern.name() else {
            return Some(SelectionProblem::NoMatch {
                pattern: pattern.as_str().to_owned(),
                public_only: self.public_only,
            });
        };
        if manifest.variables.iter().any(|v| v.name == name) {
            return Some(SelectionProblem::Private {
                name: name.to_owned(),
            });
        }
        let declared = admitted().map(|variable| variable.name.as_str());
        Some(SelectionProblem::UnknownName {
            name: name.to_owned(),
            suggestions: crate::suggest::closest_names(name, declared)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
    }

    /// What the module's docs call one of its variables: `Barekey variable`, or `public
    /// Barekey variable`.
    pub(crate) fn noun(&self) -> &'static str {
        match self.public_only {
            true => "public Barekey variable",
            false => "Barekey variable",
        }
    }

    /// What the module's docs say after its scope: `` selected by `A`, `B_*` `` (each pattern
    /// through `span`, which makes it inert in the output's comments), or nothing when every
    /// variable is selected.
    pub(crate) fn selected_by(&self, span: &dyn Fn(&str) -> String) -> String {
        if self.only.is_empty() {
            return String::new();
        }
        let patterns: Vec<String> = self.only.iter().map(|p| span(p.as_str())).collect();
        format!(" selected by {}", patterns.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_names_with_stars_for_any_run() {
        let cases = [
            ("PORT", "PORT", true),
            ("PORT", "port", false),
            ("PORT", "PORTS", false),
            ("*", "", true),
            ("*", "ANYTHING", true),
            ("A*", "A", true),
            ("*A", "BA", true),
            ("*A", "AB", false),
            ("A*B*C", "AxxBxxC", true),
            ("A*B*C", "ABC", true),
            ("A*B*C", "ACB", false),
            ("AB*BA", "ABA", false),
            ("AB*BA", "ABBA", true),
            ("**", "x", true),
            ("A\\*", "A*", true),
            ("A\\*", "AB", false),
            ("A\\\\*", "A\\B", true),
            ("A\\B", "A\\B", true),
            ("A\\", "A\\", true),
        ];
        for (pattern, name, expected) in cases {
            assert_eq!(
                Pattern::new(pattern).matches(name),
                expected,
                "{pattern:?} on {name:?}"
            );
        }
        assert_eq!(Pattern::new("A\\*").name(), Some("A*"));
        assert_eq!(Pattern::new("A*").name(), None);
    }

    #[test]
    fn every_pattern_that_selects_nothing_is_named_at_once() {
        let text = r#"{"variables": [{"name": "QUEUE_URL"}, {"name": "PORT"}]}"#;
        let manifest = crate::manifest::parse(text, "m").unwrap().manifest;
        let selection = Selection {
            only: ["QUEUE_UR", "PORT", "WORKER_*", "ZZZZZZZZ"]
                .map(Pattern::new)
                .to_vec(),
            public_only: false,
        };
        let error = selection.apply(&manifest, "m.json").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the selection does not fit m.json:\n\
             \x20 - no variable `QUEUE_UR` (did you mean `QUEUE_URL`?)\n\
             \x20 - `WORKER_*` matches no variable\n\
             \x20 - no variable `ZZZZZZZZ`\n\
             select declared variables only; a new one must first be declared in Barekey, then \
             the snapshot refreshed with `barekey-typegen pull`"
        );
    }

    #[test]
    fn public_only_keeps_public_variables_and_refuses_private_names() {
        let text = r#"{"variables": [
            {"name": "PORT", "visibility": "public"},
            {"name": "PUBLIC_URL", "visibility": "public"},
            {"name": "SECRET_KEY", "visibility": "private"},
            {"name": "SECRET_URL", "visibility": "private"}
        ]}"#;
        let manifest = crate::manifest::parse(text, "m").unwrap().manifest;
        let names = |selection: &Selection| -> Vec<String> {
            let selected = selection.apply(&manifest, "m").unwrap();
            selected.variables.iter().map(|v| v.name.clone()).collect()
        };
        let mut selection = Selection {
            only: Vec::new(),
            public_only: true,
        };
        assert_eq!(names(&selection), ["PORT", "PUBLIC_URL"]);
        selection.only = vec![Pattern::new("*_URL")];
        assert_eq!(names(&selection), ["PUBLIC_URL"]);

        selection.only = ["SECRET_KEY", "SECRET_*", "SECRET_KYE", "PORT"]
            .map(Pattern::new)
            .to_vec();
        let message = selection.apply(&manifest, "m").unwrap_err().to_string();
        let lines: Vec<&str> = message.lines().skip(1).take(3).collect();
        assert_eq!(
            lines,
            [
                "  - `SECRET_KEY` is private, and only public variables are selected",
                "  - `SECRET_*` matches no public variable",
                // No private name is suggested for a public module.
                "  - no variable `SECRET_KYE`",
            ]
        );
    }
}
