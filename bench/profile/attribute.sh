#!/bin/bash
# Where the profiler's overhead goes, by function, kernel included: each
# workload of run.sh runs plain and under `threadwise profile`, alternately
# (ABBA), each run inside a system-wide `perf record` of the cpu-clock
# software event (no call graphs, to disturb as little as possible). The
# workload's samples per function, scaled by the ns/op the run printed, give
# each function's cost per op; attribute.py prints the functions whose cost
# changed most and, as the part that is certainly ours, those that never ran
# in the plain runs (the preload's wrappers, the unwinder, kernel paths
# such as signal delivery), plus the launcher's own CPU. run.sh measures how
# much slower a profiled run is; this tells what the difference is made of,
# at a resolution (a few ns/op) that wall-time ratios on a noisy VM cannot
# reach. Sampling perturbs what it measures: read the absent-from-plain part
# as exact and the rest as a hint. (Under 2 kHz sampling GIL-bound Python
# runs ~10% slower profiled, against ~2-3% without perf: the interaction of
# perf's interrupts with our SIGPROF timer and GIL hand-offs, not a cost of
# threadwise on its own.)
#
# Needs perf with kernel samples on all CPUs: root with CAP_PERFMON (or
# CAP_SYS_ADMIN), or kernel.perf_event_paranoid <= 0. Exits 77 (skipped)
# when that is missing.
#
# usage: bench/profile/attribute.sh [BUILD_DIR] [REPS]
#   WORKLOADS="file cpu" (default) - any of cpu file py lock io
#   FREQ=999 (default)             - perf's sampling rate per CPU, Hz
#   SCALE=0.5                      - workloads half as long
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/common.sh"
profile_bench_setup "${1:-}"
reps=${2:-3}
freq=${FREQ:-999}
# A CPU-wide event opens only where kernel samples are allowed too.
if ! perf record -q -a -e cpu-clock -o "$work/probe.data" -- true 2>"$work/probe.err"; then
  echo "attribute.sh: skipped: perf cannot sample all CPUs here" \
       "(needs root with CAP_PERFMON, or kernel.perf_event_paranoid <= 0):" >&2
  sed 's/^/  /' "$work/probe.err" >&2
  exit 77
fi
profile_workloads

echo "threadwise profile overhead by function: $reps x ABBA, perf cpu-clock at $freq Hz," \
     "$(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), build $(built_commit "$build")"
for w in ${WORKLOADS:-file cpu}; do
  if [ "$w" = py ]; then cmd=("$work/py"); else cmd=("$work/workloads" "$w" "${N[$w]}"); fi
  : > "$work/$w.log"
  for ((r = 0; r < reps; r++)); do
    for m in plain tw tw plain; do
      data=$work/$w-$r-$m-$([ -e "$work/$w-$r-$m-a.data" ] && echo b || echo a).data
      if [ $m = plain ]; then run=("${cmd[@]}"); else run=("$tw" profile --quiet -- "${cmd[@]}"); fi
      out=$(perf record -q -a -F "$freq" -e cpu-clock -o "$data" -- "${run[@]}" 2>/dev/null)
      echo "$m $data $out" >> "$work/$w.log"
    done
  done
  echo
  echo "## $w (${WHAT[$w]})"
  python3 "$here/attribute.py" "$work/$w.log" "$freq"
done
