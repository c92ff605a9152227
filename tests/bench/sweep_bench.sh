#!/usr/bin/env bash
# The sweep's performance targets (docs/experiments.md, "Performance"):
#  1. scenarios/sweeps/county_sobol20.yaml (20 factors, Sobol' first and total order, 22,528 runs of
#     a 5-year county, 1 replicate) within 30 minutes on 2 cores: timed on a subset of its base
#     samples (SUBSET, default 8: 176 runs) and extrapolated by the runs per second;
#  2. `mpirun -n 2` with 1 thread each against 1 process with 2 threads on the same subset.
# Usage: tests/bench/sweep_bench.sh [BUILD]    (SUBSET=32 tests/bench/sweep_bench.sh for more runs)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
subset=${SUBSET:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
design=$work/sobol20_subset.yaml
sed -e "s|^samples: .*|samples: $subset|" -e "s|^scenario: ../|scenario: $root/scenarios/|" \
    "$root/scenarios/sweeps/county_sobol20.yaml" > "$design"
runs=$(( subset * 22 ))
full=22528
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the cores)"

# Wall and CPU seconds of a command ("WALL CPU"): on a shared machine the CPU time shows what the
# runs cost, the wall time what other work left of the cores.
timed() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > /dev/null
  awk '{ print $1, $2 + $3 }' "$work/time"
}

read -r one one_cpu < <(timed "$build/anjian" sweep "$design" -o "$work/one.h5" -q -t 2)
printf '1 process x 2 threads: %d runs in %.1f s wall = %.2f runs/s -> %d runs in %.1f min (target 30 min)\n' \
  "$runs" "$one" "$(awk "BEGIN { print $runs / $one }")" "$full" "$(awk "BEGIN { print $full * $one / $runs / 60 }")"
printf '  CPU: %.1f s = %.3f s per run -> %d runs on 2 idle cores in %.1f min\n' "$one_cpu" \
  "$(awk "BEGIN { print $one_cpu / $runs }")" "$full" "$(awk "BEGIN { print $full * $one_cpu / $runs / 2 / 60 }")"
if command -v mpirun > /dev/null; then
  read -r two two_cpu < <(timed mpirun --allow-run-as-root --oversubscribe -n 2 "$build/anjian" sweep "$design" -o "$work/two.h5" -q -t 1)
  printf 'mpirun -n 2 x 1 thread: %d runs in %.1f s wall = %.2f runs/s; %.2f x the time of 1 process x 2 threads (target within 1.10); CPU %.1f s\n' \
    "$runs" "$two" "$(awk "BEGIN { print $runs / $two }")" "$(awk "BEGIN { print $two / $one }")" "$two_cpu"
  cmp -s "$work/one.h5" "$work/two.h5" && echo "files: identical" || { echo "files: DIFFERENT"; exit 1; }
fi
