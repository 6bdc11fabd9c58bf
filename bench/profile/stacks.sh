#!/bin/bash
# Cost of call stacks (docs/runtime.md "Flame graphs"): wall time of the same
# workload plain, under `threadwise profile` with stacks off
# (THREADWISE_STACKS=0) and with stacks on (the default: off-CPU unwinding on
# slow paths + on-CPU sampling at 100 Hz), interleaved in the same run.
#   cpu:       4 threads of arithmetic: the sampling timer's SIGPROF + unwind
#   contended: 4 threads on one mutex from 16 calls deep: unwinding per wait
#   py:        the GIL-bound Python threads example: GIL waits + samples
#   unwind_cost: CPU time of one unwind (the unit cost of a sample or a wait)
# The ratios that matter are stacks/nostacks ("s/n": what stacks add to the
# profiler), of wall time and of the program's own CPU time.
#
# usage: bench/profile/stacks.sh [BUILD_DIR] [REPS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/common.sh"
profile_bench_setup "${1:-}"
reps=${2:-5}
cc=${CC:-cc}
$cc -O2 -pthread -o "$work/workloads" "$here/workloads.c"
$cc -O2 -g -pthread -fno-omit-frame-pointer -o "$work/contended" "$here/contended.c"
$cc -O2 -o "$work/unwind_cost" "$here/unwind_cost.c"
py=$(command -v python3)

now() { date +%s%N; }
cmd_for() {
  case $1 in
    cpu) echo "$work/workloads cpu 200000000" ;;
    contended) echo "$work/contended 400000" ;;
    py) echo "$py $here/../../examples/profile/cpu_threads.py" ;;
  esac
}
# run MODE WORKLOAD: prints "<wall ns> <CPU ns of the program>". The program's
# CPU time (user + system, all its threads) is far less sensitive to the load
# of a shared machine than wall time: plain from /usr/bin/time, profiled from
# the profile's per-thread cpu_ns (the launcher's own CPU is not counted).
run() {
  local t0 t1 cpu
  t0=$(now)
  case $1 in
    plain)
      /usr/bin/time -f "%U %S" -o "$work/time" $(cmd_for $2) > /dev/null
      cpu=$(awk '{printf "%.0f", ($1 + $2) * 1e9}' "$work/time") ;;
    nostacks|stacks)
      [ $1 = nostacks ] && export THREADWISE_STACKS=0
      "$tw" profile --quiet --raw-profile "$work/p.json" -- $(cmd_for $2) > /dev/null
      unset THREADWISE_STACKS
      cpu=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(sum(t["cpu_ns"] for pr in p["processes"] for t in pr["threads"]))' "$work/p.json") ;;
  esac
  t1=$(now)
  echo "$((t1 - t0)) $cpu"
}

printf "%-10s %9s %9s %9s %8s %8s %12s %12s\n" workload plain_ms nostk_ms stacks_ms \
  "wall s/n" "cpu s/n" "plain_cpu_ms" "stacks_cpu_ms"
for w in cpu contended py; do
  for m in plain nostacks stacks; do : > "$work/$w.$m"; done
  for ((r = 0; r < reps; r++)); do
    for m in plain nostacks stacks; do run $m $w >> "$work/$w.$m"; done
  done
  for m in plain nostacks stacks; do
    eval "wall_$m=$(awk '{print $1}' "$work/$w.$m" | median)"
    eval "cpu_$m=$(awk '{print $2}' "$work/$w.$m" | median)"
  done
  awk -v w=$w -v p=$wall_plain -v n=$wall_nostacks -v s=$wall_stacks -v cp=$cpu_plain \
    -v cn=$cpu_nostacks -v cs=$cpu_stacks 'BEGIN {printf "%-10s %9.1f %9.1f %9.1f %8.3f %8.3f %12.1f %12.1f\n",
      w, p/1e6, n/1e6, s/1e6, s/n, cs/cn, cp/1e6, cs/1e6}'
done
# What the stacks of one contended run hold: waits unwound, samples taken.
"$tw" profile --quiet --raw-profile "$work/c.json" -- $(cmd_for contended) > /dev/null
python3 - "$work/c.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
ts = [t for pr in p["processes"] for t in pr["threads"]]
waits = sum(t.get("lock_waits", 0) for t in ts)
unwound = sum(s["samples"] for t in ts for s in t["stacks"] if s["kind"] == "lock"
              and not any(p["processes"][0]["frames"][f]["kind"] == "other" for f in s["frames"]))
samples = sum(s["samples"] for t in ts for s in t["stacks"] if s["kind"] == "cpu")
print("contended: %d lock waits, %d unwound; %d on-CPU samples" % (waits, unwound, samples))
PY
# The unit cost: one unwind, by depth, in thread CPU time.
"$work/unwind_cost"
echo "reps=$reps median; wall includes process start; cores=$(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
