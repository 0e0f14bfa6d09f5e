#!/usr/bin/env bash
# Benchmarks, in one run (not part of CI: a shared machine makes absolute times noisy, so every
# figure is also given as a ratio against a baseline measured in this same run).
#
#   bash scripts/bench.sh              # every figure below, about fifteen minutes
#   bash scripts/bench.sh rebuild clean # only the sections named: generate, rebuild, noop,
#                                       # clean, workspace, runtime
#   BAREKEY_BENCH_BASELINE=/path/to/old/barekey-typegen bash scripts/bench.sh generate
#                                       # also times an older binary, run for run alternating
#                                       # with this one, and prints new/old ratios
#
# Needs Rust, Node (for arithmetic on the results) and GNU time (/usr/bin/time, for peak memory;
# Debian: apt-get install time). Phase-by-phase criterion figures: cargo bench --bench pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
rounds=9
work=target/bench
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "bench.sh needs GNU time: apt-get install time" >&2; exit 2; }

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(generate rebuild noop clean workspace runtime)
# wanted SECTION: whether this run measures SECTION.
wanted() { printf '%s\n' "${sections[@]}" | grep -qx "$1"; }

bin=target/release/barekey-typegen
if wanted generate || wanted rebuild; then
  echo "--- building (release)" >&2
  cargo build --release --locked --quiet --bin barekey-typegen --example synth_manifest
fi

# median VALUES...: the middle value of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ratio A B: A / B with two decimals.
ratio() { node -e 'console.log((Number(process.argv[1]) / Number(process.argv[2])).toFixed(2))' "$1" "$2"; }

# timed COMMAND...: runs it $runs times; sets $wall (median seconds) and $peak (max RSS, MiB).
timed() {
  local walls=() peaks=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" ||
      { cat "$work/stderr.txt" >&2; exit 1; }
    read -r seconds kib <"$work/time.txt"
    walls+=("$seconds")
    peaks+=("$kib")
  done
  wall=$(median "${walls[@]}")
  peak=$(( $(printf '%s\n' "${peaks[@]}" | sort -n | tail -1) / 1024 ))
}

# timed_pair OLD NEW ARGS...: runs OLD ARGS and NEW ARGS alternately, $runs times each, so a
# change in the machine's load touches both alike; sets $wall and $peak for NEW as `timed`
# does, and $old_wall and $old_peak for OLD.
timed_pair() {
  local old=$1 new=$2 program which
  shift 2
  local -A walls=() peaks=()
  for _ in $(seq "$runs"); do
    for which in old new; do
      program=$old
      [ "$which" = new ] && program=$new
      /usr/bin/time -f '%e %M' -o "$work/time.txt" "$program" "$@" >/dev/null 2>"$work/stderr.txt" ||
        { cat "$work/stderr.txt" >&2; exit 1; }
      read -r seconds kib <"$work/time.txt"
      walls[$which]+=" $seconds"
      peaks[$which]+=" $kib"
    done
  done
  # shellcheck disable=SC2086 # the lists are words on purpose
  wall=$(median ${walls[new]}) old_wall=$(median ${walls[old]})
  # shellcheck disable=SC2086
  peak=$(( $(printf '%s\n' ${peaks[new]} | sort -n | tail -1) / 1024 ))
  # shellcheck disable=SC2086
  old_peak=$(( $(printf '%s\n' ${peaks[old]} | sort -n | tail -1) / 1024 ))
}

if wanted generate; then
echo "--- (a) generate --rust --ts on synthetic manifests (median of $runs, release)"
for count in 10000 100000; do
  target/release/examples/synth_manifest "$count" >"$work/synth-$count.manifest.json"
done
timed node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
  "$work/synth-10000.manifest.json"
baseline=$wall
outputs=(--rust "$work/out.rs" --ts "$work/out.ts")
old_bin=${BAREKEY_BENCH_BASELINE:-}
for count in 10000 100000; do
  rm -f "$work/out.rs" "$work/out.ts"
  args=(generate --quiet --manifest "$work/synth-$count.manifest.json" "${outputs[@]}")
  if [ -n "$old_bin" ]; then
    timed_pair "$old_bin" "$bin" "${args[@]}"
    # Each binary writes its own files, compared byte for byte.
    same=yes
    for which in old new; do
      program=$old_bin
      [ "$which" = new ] && program=$bin
      rm -f "$work/$which.rs" "$work/$which.ts"
      "$program" generate --quiet --manifest "$work/synth-$count.manifest.json" \
        --rust "$work/$which.rs" --ts "$work/$which.ts"
    done
    cmp -s "$work/old.rs" "$work/new.rs" && cmp -s "$work/old.ts" "$work/new.ts" || same=NO
    echo "$count variables, this binary vs $old_bin (interleaved): wall" \
      "$(ratio "$wall" "$old_wall")x (${wall} s vs ${old_wall} s), peak" \
      "$(ratio "$peak" "$old_peak")x (${peak} MiB vs ${old_peak} MiB); identical output: $same"
  else
    timed "$bin" "${args[@]}"
  fi
  declare "wall_$count=$wall" "peak_$count=$peak"
done
echo "10k variables:  ${wall_10000} s (target < 0.5 s), peak ${peak_10000} MiB," \
  "$(ratio "$wall_10000" "$baseline")x node's JSON.parse of the same file (${baseline} s)"
echo "100k variables: ${wall_100000} s, $(ratio "$wall_100000" "$wall_10000")x the 10k run" \
  "(target <= 12x), peak ${peak_100000} MiB (target < 1024)"
fi

# build_demo_copy DIR: examples/build-demo in DIR, its path dependencies made absolute.
build_demo_copy() {
  rm -rf "$1" && mkdir -p "$1/src"
  cp examples/build-demo/build.rs examples/build-demo/barekey.manifest.json "$1/"
  cp examples/build-demo/src/main.rs "$1/src/"
  sed "s|path = \"../..|path = \"$PWD|" examples/build-demo/Cargo.toml >"$1/Cargo.toml"
  printf '\n[workspace]\n' >>"$1/Cargo.toml"
  cp Cargo.lock "$1/"
}

# hand_demo DIR: build-demo written with std::env::var + parse, no Barekey crate at all.
hand_demo() {
  rm -rf "$1" && mkdir -p "$1/src"
  printf '[package]\nname = "hand-demo"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n' \
    >"$1/Cargo.toml"
  cat >"$1/src/main.rs" <<'RS'
use std::process::ExitCode;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn main() -> ExitCode {
    let (Some(port), Some(signups), Some(launch), Some(database)) = (
        var("PORT").and_then(|text| text.trim().parse::<i64>().ok()),
        var("FEATURE_SIGNUPS").map(|text| matches!(text.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")),
        var("LAUNCH_AT"),
        var("DATABASE_URL"),
    ) else {
        eprintln!("missing or invalid variables");
        return ExitCode::FAILURE;
    };
    println!("port {port}");
    println!("signups {signups}");
    println!("launch {launch}");
    println!("database {} bytes", database.len());
    ExitCode::SUCCESS
}
RS
}

if wanted rebuild; then
echo "--- (b) incremental rebuild: 400 barekey_env! calls, and build-demo, vs std::env::var + parse (median of $rounds interleaved rounds)"
# Two binaries reading the same 400 variables (string, boolean, int64, float: the types the
# standard library parses), one through the macro, one by hand; touch main.rs, rebuild.
macro_dir=$work/macro-400
hand_dir=$work/hand-400
rm -rf "$macro_dir" "$hand_dir" && mkdir -p "$macro_dir/src" "$hand_dir/src"
target/release/examples/synth_manifest 600 >"$macro_dir/barekey.manifest.json"
node - "$macro_dir/barekey.manifest.json" "$macro_dir/src/main.rs" "$hand_dir/src/main.rs" <<'JS'
const fs = require("fs");
const [manifestPath, macroMain, handMain] = process.argv.slice(2);
const rust = { string: "String", boolean: "bool", int64: "i64", float: "f64" };
const parse = {
  string: "Some(text)",
  boolean: 'match text.trim().to_ascii_lowercase().as_str() { "true" | "1" | "yes" => Some(true), "false" | "0" | "no" => Some(false), _ => None }',
  int64: "text.trim().parse::<i64>().ok()",
  float: "text.trim().parse::<f64>().ok().filter(|value| value.is_finite())",
};
const chosen = JSON.parse(fs.readFileSync(manifestPath, "utf8")).variables
  .filter((v) => v.declaredType in rust).slice(0, 400);
if (chosen.length !== 400) throw new Error(`only ${chosen.length} variables`);
const lines = (read) => chosen.map((v, i) =>
  `    let v${i}: ${rust[v.declaredType]} = ${read(v)};\n    std::hint::black_box(&v${i});\n`).join("");
fs.writeFileSync(macroMain,
  "use barekey_typegen_runtime::barekey_env;\n\nfn main() {\n" +
  lines((v) => `barekey_env!(${JSON.stringify(v.name)}).unwrap_or_default()`) + "}\n");
fs.writeFileSync(handMain,
  "fn main() {\n" +
  lines((v) => `std::env::var(${JSON.stringify(v.name)}).ok().and_then(|text| ${parse[v.declaredType]}).unwrap_or_default()`) +
  "}\n");
JS
# The documented set-up: the runtime, with the macro re-exported.
printf '[package]\nname = "macro-400"\nversion = "0.0.0"\nedition = "2024"\n[dependencies]\nbarekey-typegen-runtime = { path = "%s/runtime", features = ["macros"] }\n[workspace]\n' \
  "$PWD" >"$macro_dir/Cargo.toml"
printf '[package]\nname = "hand-400"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n' >"$hand_dir/Cargo.toml"
cp Cargo.lock "$macro_dir/"
# build-demo (the build helper and include!) against the same program written by hand.
demo_dir=$work/build-demo-rebuild
hand_demo_dir=$work/hand-demo
build_demo_copy "$demo_dir"
hand_demo "$hand_demo_dir"
# Rounds interleave the four crates, so a change in the machine's load touches all of them
# alike. Each rebuild is timed twice: cargo's wall time (what a user waits for, including Cargo
# checking every dependency's fingerprint), and rustc's time on the crate alone (the wrapper).
export CARGO_TARGET_DIR="$PWD/$work/target" RUSTC_WRAPPER="$PWD/scripts/bench-rustc-time.sh"
crates=("$hand_dir" "$macro_dir" "$hand_demo_dir" "$demo_dir")
rebuild() { touch "$1/src/main.rs" && cargo build --quiet --manifest-path "$1/Cargo.toml"; }
for dir in "${crates[@]}"; do rebuild "$dir"; rm -f "$dir.wall" "$dir.rustc"; done
for _ in $(seq "$rounds"); do
  for dir in "${crates[@]}"; do
    start=$(date +%s%N)
    BAREKEY_BENCH_RUSTC_LOG="$PWD/$dir.rustc" rebuild "$dir"
    echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$dir.wall"
  done
done
unset CARGO_TARGET_DIR RUSTC_WRAPPER
# figure DIR KIND: the median of DIR's KIND (wall or rustc) times, in ms.
figure() { mapfile -t values <"$1.$2"; median "${values[@]}"; }
for kind in wall rustc; do
  declare "hand_$kind=$(figure "$hand_dir" "$kind")" "macro_$kind=$(figure "$macro_dir" "$kind")" \
    "hdemo_$kind=$(figure "$hand_demo_dir" "$kind")" "demo_$kind=$(figure "$demo_dir" "$kind")"
done
echo "400 macro calls, cargo build: ${macro_wall} ms, $(ratio "$macro_wall" "$hand_wall")x the" \
  "hand-written crate's ${hand_wall} ms (target <= 1.15x)"
echo "  rustc on the crate alone: ${macro_rustc} ms, $(ratio "$macro_rustc" "$hand_rustc")x" \
  "the hand-written crate's ${hand_rustc} ms"
echo "build-demo, cargo build: ${demo_wall} ms, $(ratio "$demo_wall" "$hdemo_wall")x the" \
  "hand-written crate's ${hdemo_wall} ms (target <= 1.15x)"
echo "  rustc on the crate alone: ${demo_rustc} ms, $(ratio "$demo_rustc" "$hdemo_rustc")x" \
  "the hand-written crate's ${hdemo_rustc} ms"
echo "  crates linked by build-demo's binary:" \
  "$(cd examples/build-demo && cargo tree --locked -e normal,no-proc-macro --prefix none |
    sed 's/ (\*)$//' | sort -u | wc -l)" \
  "(target <= 12)"
fi

if wanted noop; then
echo "--- (c) no-op cargo build of examples/build-demo (median of $runs)"
scratch=target/bench/build-demo
build_demo_copy "$scratch"
mkdir -p "$work/hello/src"
printf '[package]\nname = "hello"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n' \
  >"$work/hello/Cargo.toml"
echo 'fn main() { println!("hello"); }' >"$work/hello/src/main.rs"
export CARGO_TARGET_DIR="$PWD/$work/target"
(cd "$scratch" && cargo build --quiet) && (cd "$work/hello" && cargo build --quiet)
timed cargo build --quiet --manifest-path "$work/hello/Cargo.toml"
hello=$wall
timed cargo build --quiet --manifest-path "$scratch/Cargo.toml"
noop=$wall
if cargo build -v --manifest-path "$scratch/Cargo.toml" 2>&1 | grep -q 'build-demo-.*build-script-build'; then
  echo "FAIL: the build script reran on a no-op build"
fi
echo "no-op build: ${noop} s, $(ratio "$noop" "$hello")x a hello-world crate's (${hello} s);" \
  "build script not rerun"
unset CARGO_TARGET_DIR
fi

if wanted clean; then
echo "--- (d) clean build of examples/build-demo vs the same program by hand (debug, median of 3)"
# Each build starts from an empty target folder; the two alternate.
clean_demo=$work/clean-demo
clean_hand=$work/clean-hand
clean_json=$work/clean-json
build_demo_copy "$clean_demo"
hand_demo "$clean_hand"
# The same, also linking serde_json (the runtime's one dependency of note).
hand_demo "$clean_json"
sed -i 's/^name = "hand-demo"$/name = "json-demo"/; s/^\[workspace\]$/[dependencies]\nserde_json = "1"\n[workspace]/' \
  "$clean_json/Cargo.toml"
sed -i 's/^fn main() -> ExitCode {$/fn main() -> ExitCode {\n    std::hint::black_box(serde_json::Value::Null);/' \
  "$clean_json/src/main.rs"
cp Cargo.lock "$clean_json/"
# The workspace's lock file, pruned to this crate's packages without the network.
cargo fetch --offline --quiet --manifest-path "$clean_demo/Cargo.toml"
rm -f "$work/clean-demo.wall" "$work/clean-hand.wall" "$work/clean-json.wall"
for _ in 1 2 3; do
  for pair in "clean-hand:$clean_hand" "clean-json:$clean_json" "clean-demo:$clean_demo"; do
    name=${pair%%:*} dir=${pair#*:}
    rm -rf "$work/clean-target"
    start=$(date +%s%N)
    CARGO_TARGET_DIR="$PWD/$work/clean-target" cargo build --quiet --offline \
      --manifest-path "$dir/Cargo.toml"
    echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$work/$name.wall"
  done
done
mapfile -t demo_walls <"$work/clean-demo.wall"
mapfile -t hand_walls <"$work/clean-hand.wall"
mapfile -t json_walls <"$work/clean-json.wall"
clean_demo_ms=$(median "${demo_walls[@]}")
clean_hand_ms=$(median "${hand_walls[@]}")
clean_json_ms=$(median "${json_walls[@]}")
echo "clean build of build-demo: ${clean_demo_ms} ms, $(ratio "$clean_demo_ms" "$clean_json_ms")x" \
  "the hand-written crate with serde_json (${clean_json_ms} ms), $(ratio "$clean_demo_ms" "$clean_hand_ms")x" \
  "the one with no dependency (${clean_hand_ms} ms)"
# What dominates: the slowest units of one more clean build, from Cargo's own timings.
rm -rf "$work/clean-target"
CARGO_TARGET_DIR="$PWD/$work/clean-target" cargo build --quiet --offline --timings \
  --manifest-path "$clean_demo/Cargo.toml"
node - "$work/clean-target/cargo-timings/cargo-timing.html" <<'JS'
const html = require("fs").readFileSync(process.argv[2], "utf8");
const units = JSON.parse(html.match(/const UNIT_DATA = (\[.*?\]);\n/s)[1]);
const total = units.reduce((sum, unit) => sum + unit.duration, 0);
const top = units.sort((a, b) => b.duration - a.duration).slice(0, 6);
console.log("  slowest units (share of the summed compile time of " + units.length + " units):");
for (const unit of top) {
  const what = `${unit.name} ${unit.version}${unit.target.trim() ? " " + unit.target.trim() : ""}`;
  console.log(`    ${what}: ${unit.duration.toFixed(1)} s, ${(100 * unit.duration / total).toFixed(0)}%`);
}
JS
fi

if wanted workspace; then
echo "--- (e) clean debug build of a two-member workspace vs the same written by hand (one run each)"
# The set-up that made the client its own crate: a tokio service with the build helper and the
# client, and a worker that only uses barekey_env!; against the same two binaries written with
# std::env::var (the service calling the API with reqwest, rustls and tokio as the client does,
# the worker with no dependency). Both workspaces share this checkout's lock file, offline.
ws_barekey=$work/ws-barekey
ws_hand=$work/ws-hand
rm -rf "$ws_barekey" "$ws_hand"
mkdir -p "$ws_barekey/service/src" "$ws_barekey/worker/src" "$ws_hand/service/src" "$ws_hand/worker/src"
for ws in "$ws_barekey" "$ws_hand"; do
  printf '[workspace]\nmembers = ["service", "worker"]\nresolver = "2"\n' >"$ws/Cargo.toml"
  cp Cargo.lock "$ws/"
done
member() { printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\n' "$1"; }
tokio_dep='tokio = { version = "1", features = ["rt", "macros"] }'
{ member service
  printf '[dependencies]\nbarekey-typegen-runtime = { path = "%s/runtime" }\n' "$PWD"
  printf 'barekey-typegen-client = { path = "%s/client" }\n%s\n' "$PWD" "$tokio_dep"
  printf '[build-dependencies]\nbarekey-typegen = { path = "%s", default-features = false }\n' "$PWD"
} >"$ws_barekey/service/Cargo.toml"
{ member worker
  printf '[dependencies]\nbarekey-typegen-runtime = { path = "%s/runtime", features = ["macros"] }\n' "$PWD"
} >"$ws_barekey/worker/Cargo.toml"
{ member service
  printf '[dependencies]\nreqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }\n'
  printf 'serde_json = "1"\n%s\n' "$tokio_dep"
} >"$ws_hand/service/Cargo.toml"
member worker >"$ws_hand/worker/Cargo.toml"
cp examples/build-demo/barekey.manifest.json "$ws_barekey/service/"
cp examples/build-demo/barekey.manifest.json "$ws_barekey/worker/"
cp examples/build-demo/build.rs "$ws_barekey/service/"
cat >"$ws_barekey/service/src/main.rs" <<'RS'
mod barekey {
    include!(concat!(env!("OUT_DIR"), "/barekey_env.rs"));
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), barekey_typegen_client::Error> {
    let env = match barekey::BarekeyEnv::from_env() {
        Ok(env) => env,
        Err(_) => {
            let client = barekey_typegen_client::Client::from_env()?;
            barekey::BarekeyEnv::from_lookup(client.pull().await?.lookup())?
        }
    };
    println!("port {}, signups {}, launch {}", env.port, env.feature_signups, env.launch_at);
    println!("database {} bytes", env.database_url.len());
    Ok(())
}
RS
cat >"$ws_barekey/worker/src/main.rs" <<'RS'
use barekey_typegen_runtime::barekey_env;

fn main() -> Result<(), barekey_typegen_runtime::Error> {
    let port: i64 = barekey_env!("PORT")?;
    let signups: bool = barekey_env!("FEATURE_SIGNUPS")?;
    let database = barekey_env!("DATABASE_URL": string)?;
    println!("port {port}, signups {signups}, database {} bytes", database.len());
    Ok(())
}
RS
cat >"$ws_hand/service/src/main.rs" <<'RS'
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut values: serde_json::Map<String, serde_json::Value> = serde_json::Map::new();
    if var("PORT").is_none() {
        let url = format!("{}/v1/env/pull", var("BAREKEY_API_URL").unwrap_or_default());
        let body = serde_json::json!({"projectSlug": var("BAREKEY_PROJECT"), "stageSlug": var("BAREKEY_STAGE")});
        let reply = reqwest::Client::new().post(url).bearer_auth(var("BAREKEY_ACCESS_TOKEN").unwrap_or_default())
            .header("content-type", "application/json").body(body.to_string()).send().await?.bytes().await?;
        let reply: serde_json::Value = serde_json::from_slice(&reply)?;
        values = reply["variables"].as_object().cloned().unwrap_or_default();
    }
    let get = |name: &str| var(name).or_else(|| values.get(name)?.as_str().map(str::to_owned));
    let port: i64 = get("PORT").ok_or("PORT")?.trim().parse()?;
    let signups = matches!(get("FEATURE_SIGNUPS").ok_or("FEATURE_SIGNUPS")?.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes");
    let launch = get("LAUNCH_AT").ok_or("LAUNCH_AT")?;
    let database = get("DATABASE_URL").ok_or("DATABASE_URL")?;
    println!("port {port}, signups {signups}, launch {launch}");
    println!("database {} bytes", database.len());
    Ok(())
}
RS
cat >"$ws_hand/worker/src/main.rs" <<'RS'
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: i64 = std::env::var("PORT")?.trim().parse()?;
    let signups = matches!(std::env::var("FEATURE_SIGNUPS")?.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes");
    let database = std::env::var("DATABASE_URL")?;
    println!("port {port}, signups {signups}, database {} bytes", database.len());
    Ok(())
}
RS
# clean_build NAME DIR ARGS...: a debug build of DIR from an empty target folder; sets
# ${NAME}_wall and ${NAME}_cpu (user + system seconds of Cargo and every rustc it ran) and
# ${NAME}_mib (the target folder's size), ${NAME}_worker_mb (the worker binary's size, what it
# links). Cargo's timings land in $work/NAME-timing.html.
clean_build() {
  local name=$1 dir=$2 wall cpu
  shift 2
  rm -rf "$work/ws-target"
  CARGO_TARGET_DIR="$PWD/$work/ws-target" /usr/bin/time -f '%e %U %S' -o "$work/time.txt" \
    cargo build --quiet --offline --timings --manifest-path "$dir/Cargo.toml" "$@" \
    2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; exit 1; }
  read -r wall user system <"$work/time.txt"
  cpu=$(node -e 'console.log((Number(process.argv[1]) + Number(process.argv[2])).toFixed(1))' "$user" "$system")
  declare -g "${name}_wall=$wall" "${name}_cpu=$cpu" \
    "${name}_mib=$(du -sm "$work/ws-target" | cut -f1)" \
    "${name}_worker_mb=$(ratio "$(stat -c %s "$work/ws-target/debug/worker")" 1000000)"
  cp "$work/ws-target/cargo-timings/cargo-timing.html" "$work/$name-timing.html"
}
clean_build hand "$ws_hand"
clean_build barekey "$ws_barekey"
clean_build hand_worker "$ws_hand" -p worker
clean_build barekey_worker "$ws_barekey" -p worker
echo "workspace (service with the build helper and the client, worker with barekey_env!):" \
  "wall $(ratio "$barekey_wall" "$hand_wall")x (${barekey_wall} s vs ${hand_wall} s)," \
  "CPU $(ratio "$barekey_cpu" "$hand_cpu")x (${barekey_cpu} s vs ${hand_cpu} s)," \
  "target folder $(ratio "$barekey_mib" "$hand_mib")x (${barekey_mib} MiB vs ${hand_mib} MiB) the hand-written workspace;" \
  "the worker's debug binary built with the workspace: ${barekey_worker_mb} MB (hand-written: ${hand_worker_mb} MB)"
echo "the worker alone (-p worker): wall $(ratio "$barekey_worker_wall" "$hand_worker_wall")x" \
  "(${barekey_worker_wall} s vs ${hand_worker_wall} s), CPU" \
  "$(ratio "$barekey_worker_cpu" "$hand_worker_cpu")x (${barekey_worker_cpu} s vs ${hand_worker_cpu} s)" \
  "its hand-written twin (no dependency)"
# What the workspace's extra time is: each unit of the Barekey workspace that the hand-written
# one did not build, by summed compile time.
node - "$work/barekey-timing.html" "$work/hand-timing.html" "$work/barekey_worker-timing.html" <<'JS'
const fs = require("fs");
const units = (path) => JSON.parse(fs.readFileSync(path, "utf8").match(/const UNIT_DATA = (\[.*?\]);\n/s)[1]);
const key = (unit) => `${unit.name} ${unit.version}${unit.target.trim() ? " " + unit.target.trim() : ""}`;
const [barekey, hand, worker] = process.argv.slice(2).map(units);
const sum = (list) => list.reduce((total, unit) => total + unit.duration, 0);
const handKeys = new Set(hand.map(key));
const extra = barekey.filter((unit) => !handKeys.has(key(unit)));
console.log(`  summed unit time: ${sum(barekey).toFixed(1)} s (${barekey.length} units) vs ${sum(hand).toFixed(1)} s (${hand.length}); ` +
  `${extra.length} units only in the Barekey workspace: ${sum(extra).toFixed(1)} s; slowest of them:`);
for (const unit of extra.sort((a, b) => b.duration - a.duration).slice(0, 10)) {
  console.log(`    ${key(unit)}: ${unit.duration.toFixed(1)} s`);
}
console.log(`  the worker alone, ${worker.length} units, ${sum(worker).toFixed(1)} s summed; slowest:`);
for (const unit of worker.sort((a, b) => b.duration - a.duration).slice(0, 6)) {
  console.log(`    ${key(unit)}: ${unit.duration.toFixed(1)} s`);
}
JS
rm -rf "$work/ws-target"
fi

if wanted runtime; then

echo "--- runtime: BarekeyEnv::from_lookup over 1,000 variables (criterion)"
cargo bench --locked --quiet -p runtime-bench --bench runtime -- --noplot >"$work/criterion.txt" 2>&1 ||
  { cat "$work/criterion.txt" >&2; exit 1; }
mean() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).mean.point_estimate)' \
  "target/criterion/runtime_1000_variables/$1/new/estimates.json"; }
generated=$(mean generated_from_lookup)
hand=$(mean hand_written_lookup_and_parse)
echo "generated from_lookup: $(ratio "$generated" "$hand")x the hand-written lookup + parse loop" \
  "(target <= 1.2x; $(ratio "$generated" 1000) us vs $(ratio "$hand" 1000) us)"
fi
