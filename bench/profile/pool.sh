#!/bin/bash
# Pools repetitions of bench/profile/run.sh measured at different times: each
# argument is a directory run.sh saved ("raw repetitions: DIR"). For every
# workload of the first set, prints the median profiled/plain wall ratio over
# the repetitions of all the sets that have it, with its 90% bootstrap interval
# and run.sh's verdict (the lock
# and io rows are judged by ns/op against their floor: see run.sh). Sets of
# different profiler binaries are refused: a pooled figure is about one build.
#
# usage: bench/profile/pool.sh DIR...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/common.sh"
[ $# -ge 1 ] || { echo "usage: $0 DIR..." >&2; exit 2; }
builds=$(for d in "$@"; do
  [ -f "$d/README" ] || { echo "$0: $d: not a run.sh results directory" >&2; exit 2; }
  cut -d' ' -f1 "$d/README"
done | sort -u)
[ "$(echo "$builds" | wc -l)" -eq 1 ] || { echo "$0: sets of different profiler builds:" $builds >&2; exit 2; }
echo "pooled $# sets of profiler build $builds ($(cut -d' ' -f2 "$1/README"))"
printf "%-6s %5s %7s %-11s %s\n" workload reps ratio ci90 wall
for f in "$1"/*.plain; do
  w=$(basename "$f" .plain)
  ratios=$(for d in "$@"; do
    [ -f "$d/$w.plain" ] && [ -f "$d/$w.tw" ] || continue
    paste -d' ' <(awk '{print $1}' "$d/$w.plain") <(awk '{print $1}' "$d/$w.tw") |
      awk '{printf "%.4f\n", $2 / $1}'
  done)
  ci=$(bootstrap_ci <<< "$ratios")
  verdict=$(wall_verdict "$ci")
  case $w in lock|io) verdict="- (floor)" ;; esac
  printf "%-6s %5d %7.3f %-11s %s\n" "$w" "$(wc -l <<< "$ratios")" "$(median <<< "$ratios")" "$ci" "$verdict"
done
