#!/bin/bash
# The performance targets of issue 6 (docs/performance.md), one line per target:
#   <target>: <figure> (limit <limit>) met | NOT MET
# Wall times and peak memory are whole-process medians of RUNS runs (/usr/bin/time). The machine
# should be otherwise idle; the load average is printed first, since other work skews wall time.
#
#   tests/bench/run.sh                 # every target, RUNS=3
#   RUNS=5 BUILD=build tests/bench/run.sh
#   MICRO=1 tests/bench/run.sh         # also the Google Benchmark micro-benchmarks of the phases
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ANJIAN=$BUILD/anjian
RUNS=${RUNS:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
[ -x "$ANJIAN" ] || { echo "run.sh: $ANJIAN not found; run 'make build' first" >&2; exit 2; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
verdict() { awk -v x="$1" -v lim="$2" -v dir="$3" 'BEGIN {ok = dir == "max" ? x <= lim : x >= lim; print ok ? "met" : "NOT MET"}'; }

# run_once LABEL ARGS...: runs anjian once; adds the wall s, peak MiB and enterprise-days/s of the
# run to $OUT/LABEL.{wall,mem,rate}.
run_once() {
  local label=$1; shift
  rm -f "$OUT/$label.h5"
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$ANJIAN" run "$@" -q --stats -o "$OUT/$label.h5" > "$OUT/stats"
  [ -s "$OUT/$label.h5" ] || { echo "run.sh: $label wrote no result file" >&2; exit 1; }
  awk '{print $1}' "$OUT/time" >> "$OUT/$label.wall"
  awk '{printf "%.1f\n", $2 / 1024}' "$OUT/time" >> "$OUT/$label.mem"
  sed -n 's/.* wall, \([0-9.e+]*\) enterprise-days\/s.*/\1/p' "$OUT/stats" >> "$OUT/$label.rate"
}

# no_runs_yet LABEL...: empties the figures of each label.
no_runs_yet() { for label in "$@"; do : > "$OUT/$label.wall"; : > "$OUT/$label.mem"; : > "$OUT/$label.rate"; done; }

# run_timed LABEL ARGS...: runs anjian RUNS times (run_once).
run_timed() {
  local label=$1; shift
  no_runs_yet "$label"
  for _ in $(seq "$RUNS"); do run_once "$label" "$@"; done
}

# The province on two threads and on one, in turns: a shared machine's speed drifts over the
# minutes this takes, and runs in turns meet the same drift, so that the ratio of the medians
# compares like with like (two batches minutes apart differed by up to 10%).
no_runs_yet province province_1thread
for _ in $(seq "$RUNS"); do
  run_once province "$ROOT/scenarios/scale/province.yaml" --threads 2
  run_once province_1thread "$ROOT/scenarios/scale/province.yaml" --threads 1
done
province_wall=$(median < "$OUT/province.wall")
province_mem=$(median < "$OUT/province.mem")
province_rate=$(median < "$OUT/province.rate")
echo "province wall time (1,000,000 enterprises, 10 y, 2 threads): ${province_wall} s (limit 20 s) $(verdict "$province_wall" 20 max)"
echo "province peak memory: ${province_mem} MiB (limit 1536 MiB) $(verdict "$province_mem" 1536 max); result file written"

run_timed county "$ROOT/scenarios/scale/county.yaml" --threads 2
county_wall=$(median < "$OUT/county.wall")
echo "county baseline, 100 replicates, 10 y: ${county_wall} s (limit 10 s) $(verdict "$county_wall" 10 max)"

# The yardstick runs a year of days: its cost per enterprise-day does not depend on the length.
numpy_rate=$("$PYTHON" "$ROOT/tests/bench/numpy_yardstick.py" --enterprises 1000000 --days "${YARDSTICK_DAYS:-365}" |
             sed -n 's/numpy yardstick: \([0-9.e+]*\) .*/\1/p')
ratio=$(awk -v a="$province_rate" -v b="$numpy_rate" 'BEGIN {printf "%.1f", a / b}')
echo "throughput: ${province_rate} enterprise-days/s = ${ratio} x numpy yardstick's ${numpy_rate} (limit 5 x) $(verdict "$ratio" 5 min)"

# The one-thread runs were made in turns with the two-thread ones (above).
one_thread=$(median < "$OUT/province_1thread.wall")
speedup=$(awk -v a="$one_thread" -v b="$province_wall" 'BEGIN {printf "%.2f", a / b}')
pairs=$(paste "$OUT/province_1thread.wall" "$OUT/province.wall" | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2}')
echo "two threads vs one on the province: ${speedup} x (${one_thread} s / ${province_wall} s; run by run ${pairs}; limit 1.8 x) $(verdict "$speedup" 1.8 min)"

# Linearity: one year of the province's structure at 10,000 to 1,000,000 enterprises (townships
# and posts scaled with them); the engine's throughput must not fall as size grows.
RUNS_SAVED=$RUNS; RUNS=1
sizes="10000 100000 1000000"
for n in $sizes; do
  scale=$(awk -v n="$n" 'BEGIN {print n / 1000000}')
  run_timed "linear_$n" "$ROOT/scenarios/scale/province.yaml" --threads 2 --set time.years=1 \
    --set enterprises.count="$n" --set county.townships="$(awk -v s="$scale" 'BEGIN {print int(2000 * s)}')" \
    --set departments.emergency_management_staff="$(awk -v s="$scale" 'BEGIN {print int(500 * s)}')" \
    --set departments.construction_staff="$(awk -v s="$scale" 'BEGIN {print int(200 * s)}')" \
    --set departments.natural_resources_staff="$(awk -v s="$scale" 'BEGIN {print int(100 * s)}')" \
    --set departments.market_supervision_staff="$(awk -v s="$scale" 'BEGIN {print int(200 * s)}')"
done
RUNS=$RUNS_SAVED
rates=$(for n in $sizes; do printf "%s " "$(cat "$OUT/linear_$n.rate")"; done)
# Cost per enterprise-day at the largest size over that at the smallest: 1 = linear.
growth=$(echo "$rates" | awk '{printf "%.2f", $1 / $NF}')
echo "cost per enterprise-day, 1,000,000 vs 10,000 enterprises (1 y): ${growth} x (rates ${rates% } enterprise-days/s; limit 1.5 x) $(verdict "$growth" 1.5 max)"

if [ "${MICRO:-0}" = 1 ]; then
  "$BUILD/tests/bench/anjian_phase_benchmarks" --benchmark_min_time=0.5
fi
