#!/bin/bash
# Overhead of `threadwise profile`: wall time with / without the profiler,
# measured in the same run, on CPU-heavy, lock-heavy and I/O-heavy workloads,
# plus the RSS the runtime adds to the profiled program. For the lock
# microbenchmark it reports ns per lock/unlock next to the floor of a no-op
# interposer measured in the same run (docs/evaluation.md "Runtime overhead").
#
# usage: bench/profile/run.sh [BUILD_DIR] [REPS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
reps=${2:-5}
tw=$build/bin/threadwise
[ -x "$tw" ] || { echo "run.sh: $tw not built" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}
$cc -O2 -pthread -o "$work/workloads" "$here/workloads.c"
$cc -O2 -shared -fPIC -o "$work/noop.so" "$here/noop_preload.c" -ldl

now() { date +%s%N; }
# run MODE CMD...: prints "<wall_ns> <program output line> launcher_kb=<peak RSS of threadwise>"
run() {
  local mode=$1; shift
  local t0 t1 out
  t0=$(now)
  case $mode in
    plain) out=$("$@") ;;
    floor) out=$(LD_PRELOAD=$work/noop.so "$@") ;;
    tw)    out=$(/usr/bin/time -f "launcher_kb=%M" -o "$work/time.txt" \
                   "$tw" profile --quiet -- "$@"; cat "$work/time.txt") ;;
  esac
  t1=$(now)
  echo "$((t1 - t0)) $(echo $out)"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "$1=[0-9.]*" | cut -d= -f2; }

declare -A N=([cpu]=200000000 [lock]=60000000 [io]=1000000)
py=$(command -v python3)
cat > "$work/py" <<PY
#!/bin/sh
# The seed's GIL-bound threads: every GIL wait goes through the timed cond path.
t0=\$(date +%s%N)
$py "$here/../../examples/profile/cpu_threads.py" > /dev/null
t1=\$(date +%s%N)
echo "py ops=1 ns_per_op=\$((t1 - t0)) maxrss_kb=0"
PY
chmod +x "$work/py"

# The launcher's fixed cost (start-up with LLVM loaded, perf setup, merge, report).
fixed() {
  local t0 t1
  t0=$(now); "$@"; t1=$(now); echo $((t1 - t0))
}
fp=$(for ((r = 0; r < reps; r++)); do fixed /bin/true; done | median)
ft=$(for ((r = 0; r < reps; r++)); do fixed "$tw" profile --quiet -- /bin/true; done | median)
echo "fixed cost of 'threadwise profile -- /bin/true': $(( (ft - fp) / 1000000 )) ms"

printf "%-6s %-6s %12s %12s %10s %12s\n" workload mode wall_ms ns_per_op maxrss_mb ratio
for w in cpu lock io py; do
  modes="plain tw"
  [ $w = lock ] && modes="plain floor tw"
  declare -A wall=() nsop=() rss=()
  for m in $modes; do : > "$work/$w.$m"; done
  # Interleave the modes so machine load affects them alike.
  for ((r = 0; r < reps; r++)); do
    for m in $modes; do
      if [ $w = py ]; then run $m "$work/py" >> "$work/$w.$m"
      else run $m "$work/workloads" $w ${N[$w]} >> "$work/$w.$m"; fi
    done
  done
  for m in $modes; do
    wall[$m]=$(awk '{print $1}' "$work/$w.$m" | median)
    nsop[$m]=$(field ns_per_op < "$work/$w.$m" | median)
    rss[$m]=$(field maxrss_kb < "$work/$w.$m" | median)
    ratio=$(awk -v a="${wall[$m]}" -v b="${wall[plain]}" 'BEGIN {printf "%.3f", a / b}')
    printf "%-6s %-6s %12.1f %12s %10.1f %12s\n" $w $m \
      "$(awk -v x="${wall[$m]}" 'BEGIN {print x / 1e6}')" "${nsop[$m]}" \
      "$(awk -v x="${rss[$m]}" 'BEGIN {print x / 1024}')" "$ratio"
  done
  [ $w = py ] || echo "$w added_rss_mb $(awk -v a="${rss[tw]}" -v b="${rss[plain]}" 'BEGIN {printf "%.2f", (a - b) / 1024}') launcher_peak_rss_mb $(field launcher_kb < "$work/$w.tw" | median | awk '{printf "%.1f", $1 / 1024}')"
done
echo "reps=$reps median; wall includes process start; cores=$(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
