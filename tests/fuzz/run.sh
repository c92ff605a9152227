#!/bin/bash
# Runs libFuzzer targets, each for SECONDS, on a corpus seeded from tests/data:
#   tests/fuzz/run.sh BUILD SECONDS TARGET...      (make fuzz, make fuzz-smoke)
# The corpus grows in BUILD/corpus/TARGET across runs. A crash, a leak, an unexpected exception
# or a hang (an input over 30 s; the result reader gives up on a looping HDF5 file after 10 s) stops the target, leaves the input in BUILD/fuzz-findings/TARGET
# and fails the script; such an input belongs in tests/data/fuzz/TARGET as a regression input
# (every run replays them first). Each target prints its executions and time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$1
SECONDS_EACH=$2
shift 2
# Seconds one input may take before libFuzzer calls it a hang. Wall-clock: a fuzzer run at low
# priority (nice 19) on a busy machine can wait that long for a core with an input that takes
# 25 ms, so long runs there want FUZZ_TIMEOUT=600 (replay a reported hang at normal priority).
TIMEOUT=${FUZZ_TIMEOUT:-30}
# libFuzzer's random seed: FUZZ_SEED fixes it (make fuzz-smoke, a gate of make check, so that
# the same code passes or fails it the same way); unset, each run draws its own and explores anew.
SEED_OPTION=()
if [ -n "${FUZZ_SEED:-}" ]; then SEED_OPTION=(-seed="$FUZZ_SEED"); fi
DATA=$ROOT/tests/data

# seed TARGET DIR: the files of tests/data the target reads, as seed inputs in DIR.
seed() {
  local target=$1 dir=$2
  case $target in
    fuzz_scenario)
      cp "$DATA"/scenarios/*.yaml "$dir"/
      # A chain for `extends`: main.yaml extends a.yaml (child.yaml -> tiny.yaml), then --set lines.
      { sed 's/tiny.yaml/a.yaml/' "$DATA/scenarios/child.yaml"; echo '#--file'; cat "$DATA/scenarios/tiny.yaml"
        echo '#--set'; echo 'inspectors.skill_mean=0.6'; echo 'time.years=1'; } > "$dir/chain.yaml" ;;
    fuzz_graphml) cp "$DATA"/networks/*.graphml "$dir"/ ;;
    fuzz_results) cp "$DATA"/results/*.h5 "$dir"/ ;;
  esac
  if [ -d "$DATA/fuzz/$target" ]; then cp "$DATA/fuzz/$target"/* "$dir"/; fi
}

status=0
for target in "$@"; do
  corpus=$BUILD/corpus/$target
  seeds=$BUILD/seeds/$target
  findings=$BUILD/fuzz-findings/$target
  rm -rf "$seeds"
  mkdir -p "$corpus" "$seeds" "$findings"
  seed "$target" "$seeds"
  log=$BUILD/fuzz-$target.log
  echo "fuzz: $target for ${SECONDS_EACH} s (log $log)"
  if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:verify_asan_link_order=0} UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$BUILD/tests/fuzz/$target" "$corpus" "$seeds" -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" \
       -rss_limit_mb=2048 -max_len=131072 -artifact_prefix="$findings/" -print_final_stats=1 "${SEED_OPTION[@]}" > "$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed "s/^/  $target /"
  else
    status=1
    echo "fuzz: $target FOUND A PROBLEM; input in $findings/, report:" >&2
    grep -E 'ERROR|SUMMARY|terminate|what\(\)|Test unit written' "$log" | head -20 >&2
  fi
done
exit $status
