#!/bin/bash
# Overhead of `threadwise profile --pid` (attach mode, issue 10): the wall time
# of a workload while threadwise is attached to it, as a ratio against the same
# workload unprofiled, runs interleaved in the same session; plus the CPU that
# threadwise itself used, as a share of one core over the run (the sampler
# competes with the program for this machine's 2 cores). Attach happens right
# after the program starts and ends when it exits.
#
# usage: bench/profile/attach.sh [BUILD_DIR] [REPS] [RATES]
#   RATES: space-separated --rate values in Hz (default "100 1000")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/common.sh"
profile_bench_setup "${1:-}"
reps=${2:-5}
rates=${3:-100 1000}
examples=$here/../../examples/profile
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cxx=${CXX:-c++}
for w in big_lock scalable_cpu; do
  $cxx -O1 -pthread -o "$work/$w" "$examples/native/$w.cpp"
done
py=/usr/bin/python3

now() { date +%s%N; }

# run RATE CMD...: prints "<wall_ns of CMD> <threadwise cpu ms>"; RATE 0 = unprofiled.
run() {
  local rate=$1; shift
  local t0 t1 pid cpu=0
  t0=$(now)
  "$@" > /dev/null &
  pid=$!
  pids=("$pid")
  if [ "$rate" != 0 ]; then
    /usr/bin/time -f "%U %S" -o "$work/time.txt" \
      "$tw" profile --quiet --rate "$rate" --pid "$pid" --report-json "$work/r.json" &
    local twpid=$!
    wait "$pid"
    t1=$(now)
    wait "$twpid"
    cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/time.txt")
  else
    wait "$pid"
    t1=$(now)
  fi
  pids=()
  echo "$((t1 - t0)) $cpu"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-14s %-9s %10s %10s %8s %14s %-8s %s\n" workload rate wall_ms plain_ms ratio tw_cpu_%core eff_rate verdict
for w in big_lock scalable_cpu cpu_threads.py; do
  case $w in
    *.py) cmd=("$py" "$examples/$w") ;;
    *) cmd=("$work/$w") ;;
  esac
  for rate in $rates; do
    : > "$work/plain"; : > "$work/tw"; : > "$work/cpu"
    for ((r = 0; r < reps; r++)); do
      run 0 "${cmd[@]}" | cut -d' ' -f1 >> "$work/plain"
      read -r wall cpu < <(run "$rate" "${cmd[@]}")
      echo "$wall" >> "$work/tw"
      echo "$((cpu * 100000000000 / wall))" >> "$work/cpu" # % of a core x 1000
    done
    p=$(median < "$work/plain"); t=$(median < "$work/tw"); c=$(median < "$work/cpu")
    # The verdict and the rate the sampler settled at (it backs off to stay
    # under ~10% of a core) of the last attached run.
    read -r verdict eff < <(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(r["recommendation"]["verdict"], "%dHz" % (1e9 / r["profile"]["final_sampling_interval_ns"]))' \
      "$work/r.json" 2>/dev/null || echo "? ?")
    printf "%-14s %-9s %10d %10d %8s %14s %-8s %s\n" "$w" "${rate}Hz" $((t / 1000000)) $((p / 1000000)) \
      "$(awk -v a="$t" -v b="$p" 'BEGIN {printf "%.3f", a / b}')" \
      "$(awk -v c="$c" 'BEGIN {printf "%.1f%%", c / 1000}')" "$eff" "$verdict"
  done
done
