#!/usr/bin/env bash
# The adoption kit, tested as a team would use it (`.ci/run` runs this; not the README's test
# command): the pre-commit hook in .pre-commit-hooks.yaml, with the real pre-commit (from PyPI,
# into a venv under target/), via `pre-commit try-repo` against a scratch repository; then the
# steps of action.yml, run as bash the way GitHub runs a composite action, installing from this
# checkout in place of the pinned version. Each must pass on a fresh generated file and fail on
# a stale one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/adoption"
rm -rf "$work/scratch" "$work/install"
mkdir -p "$work"

# pre-commit pinned; PyYAML (its dependency) reads action.yml below.
if [ ! -x "$work/venv/bin/pre-commit" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==4.7.0"
fi
export PRE_COMMIT_HOME="$work/pre-commit-home"

cargo build --locked --quiet --bin barekey-typegen
export PATH="$root/target/debug:$PATH"

# A repository that commits its snapshot and the module generated from it, as the README says.
scratch="$work/scratch"
mkdir -p "$scratch/src"
cd "$scratch"
git init --quiet
printf '[package]\nname = "scratch"\nversion = "0.0.0"\nedition = "2024"\n' > Cargo.toml
cp "$root/fixtures/demo.manifest.json" barekey.manifest.json
barekey-typegen generate --quiet --rust src/barekey_env.rs
git add --all
git -c user.name=ci -c user.email=ci@localhost commit --quiet -m "generated"

expect() { # expect <0|1> <what> <command...>: the command exits as expected
  local want=$1 what=$2
  shift 2
  local status=0
  "$@" > "$work/out.txt" 2>&1 || status=$?
  if { [ "$want" = 0 ] && [ "$status" != 0 ]; } || { [ "$want" != 0 ] && [ "$status" = 0 ]; }; then
    echo "adoption: $what: exit $status, expected $want" >&2
    cat "$work/out.txt" >&2
    exit 1
  fi
  echo "ok: $what (exit $status)"
}
stale() { # the snapshot changes (a variable is added), the module is not regenerated
  python3 - <<'PY'
import json
with open("barekey.manifest.json") as f:
    manifest = json.load(f)
manifest["variables"].append({"name": "ADDED_BY_CI", "kind": "secret", "declaredType": "string", "visibility": "public"})
with open("barekey.manifest.json", "w") as f:
    json.dump(manifest, f, indent=2)
PY
}

hook() { "$work/venv/bin/pre-commit" try-repo "$root" barekey-typegen-check --all-files; }
expect 0 "pre-commit hook on a fresh module" hook
stale
expect 1 "pre-commit hook on a stale module" hook
grep -q "barekey-typegen generate" "$work/out.txt" || { echo "adoption: the hook's failure names no fix" >&2; cat "$work/out.txt" >&2; exit 1; }
git checkout --quiet -- barekey.manifest.json

# action.yml's steps, in order, with the inputs given to them through `env` as GitHub does.
action() {
  "$work/venv/bin/python" - "$root/action.yml" <<'PY'
import os, re, subprocess, sys, yaml
with open(sys.argv[1]) as f:
    action = yaml.safe_load(f)
inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
# This checkout in place of the pinned version; the debug build the tests already made.
inputs.update(path=os.environ["ROOT"], profile="dev")
for step in action["runs"]["steps"]:
    env = dict(os.environ)
    for key, value in (step.get("env") or {}).items():
        env[key] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], str(value))
    print(f"--- {step['name']}", flush=True)
    subprocess.run(["bash", "-c", step["run"]], env=env, check=True)
PY
}
export ROOT="$root" CARGO_TARGET_DIR="$root/target" CARGO_INSTALL_ROOT="$work/install"
export PATH="$work/install/bin:$PATH"
expect 0 "action.yml on a fresh module" action
grep -q "^barekey-typegen 0\." "$work/out.txt" || { echo "adoption: no version printed" >&2; cat "$work/out.txt" >&2; exit 1; }
stale
expect 1 "action.yml on a stale module" action
