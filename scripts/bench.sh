#!/usr/bin/env bash
# Benchmarks, in one run (not part of CI: a shared machine makes absolute times noisy, so every
# figure is also given as a ratio against a baseline measured in this same run).
#
#   bash scripts/bench.sh            # every figure below, about five minutes
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

echo "--- building (release)" >&2
cargo build --release --locked --quiet --bin barekey-typegen --example synth_manifest
bin=target/release/barekey-typegen

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

echo "--- (a) generate --rust --ts on synthetic manifests (median of $runs, release)"
for count in 10000 100000; do
  target/release/examples/synth_manifest "$count" >"$work/synth-$count.manifest.json"
done
timed node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
  "$work/synth-10000.manifest.json"
baseline=$wall
outputs=(--rust "$work/out.rs" --ts "$work/out.ts")
for count in 10000 100000; do
  rm -f "$work/out.rs" "$work/out.ts"
  timed "$bin" generate --quiet --manifest "$work/synth-$count.manifest.json" "${outputs[@]}"
  declare "wall_$count=$wall" "peak_$count=$peak"
done
echo "10k variables:  ${wall_10000} s (target < 0.5 s), peak ${peak_10000} MiB," \
  "$(ratio "$wall_10000" "$baseline")x node's JSON.parse of the same file (${baseline} s)"
echo "100k variables: ${wall_100000} s, $(ratio "$wall_100000" "$wall_10000")x the 10k run" \
  "(target <= 12x), peak ${peak_100000} MiB (target < 1024)"

echo "--- (b) incremental rebuild: 400 barekey_env! calls vs std::env::var + parse (median of $rounds interleaved rounds)"
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
  "use barekey_typegen_macros::barekey_env;\n\nfn main() {\n" +
  lines((v) => `barekey_env!(${JSON.stringify(v.name)}).unwrap_or_default()`) + "}\n");
fs.writeFileSync(handMain,
  "fn main() {\n" +
  lines((v) => `std::env::var(${JSON.stringify(v.name)}).ok().and_then(|text| ${parse[v.declaredType]}).unwrap_or_default()`) +
  "}\n");
JS
# The documented set-up: the macro and the small runtime crate.
printf '[package]\nname = "macro-400"\nversion = "0.0.0"\nedition = "2024"\n[dependencies]\nbarekey-typegen-runtime = { path = "%s/runtime" }\nbarekey-typegen-macros = { path = "%s/macros" }\n[workspace]\n' \
  "$PWD" "$PWD" >"$macro_dir/Cargo.toml"
# The same calls in a crate that depends on the whole barekey-typegen instead (for comparison).
core_dir=$work/macro-400-core
rm -rf "$core_dir" && mkdir -p "$core_dir/src"
cp "$macro_dir/src/main.rs" "$macro_dir/barekey.manifest.json" "$core_dir/" && mv "$core_dir/main.rs" "$core_dir/src/"
printf '[package]\nname = "macro-400-core"\nversion = "0.0.0"\nedition = "2024"\n[dependencies]\nbarekey-typegen = { path = "%s", default-features = false }\nbarekey-typegen-macros = { path = "%s/macros" }\n[workspace]\n' \
  "$PWD" "$PWD" >"$core_dir/Cargo.toml"
cp Cargo.lock "$core_dir/"
printf '[package]\nname = "hand-400"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n' >"$hand_dir/Cargo.toml"
cp Cargo.lock "$macro_dir/"
# Rounds interleave the three crates, so a change in the machine's load touches all of them
# alike. Each rebuild is timed twice: cargo's wall time (what a user waits for, including Cargo
# checking every dependency's fingerprint), and rustc's time on the crate alone (the wrapper).
export CARGO_TARGET_DIR="$PWD/$work/target" RUSTC_WRAPPER="$PWD/scripts/bench-rustc-time.sh"
crates=("$hand_dir" "$macro_dir" "$core_dir")
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
    "core_$kind=$(figure "$core_dir" "$kind")"
done
echo "400 macro calls, cargo build: ${macro_wall} ms, $(ratio "$macro_wall" "$hand_wall")x the" \
  "hand-written crate's ${hand_wall} ms (target <= 1.5x)"
echo "  rustc on the crate alone: ${macro_rustc} ms, $(ratio "$macro_rustc" "$hand_rustc")x" \
  "the hand-written crate's ${hand_rustc} ms"
echo "  depending on the whole barekey-typegen instead of barekey-typegen-runtime:" \
  "${core_wall} ms, $(ratio "$core_wall" "$hand_wall")x (rustc alone $(ratio "$core_rustc" "$hand_rustc")x)"

echo "--- (c) no-op cargo build of examples/build-demo (median of $runs)"
scratch=target/bench/build-demo
rm -rf "$scratch" && mkdir -p "$scratch/src" "$work/hello/src"
cp examples/build-demo/build.rs examples/build-demo/barekey.manifest.json "$scratch/"
cp examples/build-demo/src/main.rs "$scratch/src/"
sed "s|path = \"../..\"|path = \"$PWD\"|" examples/build-demo/Cargo.toml >"$scratch/Cargo.toml"
printf '\n[workspace]\n' >>"$scratch/Cargo.toml"
printf '[package]\nname = "hello"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n' \
  >"$work/hello/Cargo.toml"
echo 'fn main() { println!("hello"); }' >"$work/hello/src/main.rs"
cp Cargo.lock "$scratch/"
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

echo "--- runtime: BarekeyEnv::from_lookup over 1,000 variables (criterion)"
cargo bench --locked --quiet --bench runtime -- --noplot >"$work/criterion.txt" 2>&1 ||
  { cat "$work/criterion.txt" >&2; exit 1; }
mean() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).mean.point_estimate)' \
  "target/criterion/runtime_1000_variables/$1/new/estimates.json"; }
generated=$(mean generated_from_lookup)
hand=$(mean hand_written_lookup_and_parse)
echo "generated from_lookup: $(ratio "$generated" "$hand")x the hand-written lookup + parse loop" \
  "(target <= 1.2x; $(ratio "$generated" 1000) us vs $(ratio "$hand" 1000) us)"
