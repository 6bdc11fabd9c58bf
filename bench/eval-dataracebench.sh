#!/usr/bin/env bash
# Accuracy: precision/recall of `threadwise check` on DataRaceBench's labelled C/C++
# micro-benchmarks (file level: -yes.c has a race, -no.c has none). See bench/README.md.
#
#   bench/eval-dataracebench.sh <build-dir> [<drb-dir>]
#
# <drb-dir> is a DataRaceBench checkout (https://github.com/LLNL/dataracebench; it must hold
# micro-benchmarks/), default ${THREADWISE_CORPUS:-~/.cache/threadwise-corpus}/dataracebench.
# Keep it outside this repository: its code is LLNL's, never committed here. When it is
# missing this script says so and exits 0, so bench/run-all.sh carries on.
# Env: BENCH_JOBS (files checked at once, default 2), BENCH_OUT (default <build-dir>/bench-results).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 <build-dir> [<drb-dir>]" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib/common.sh"
build=$(cd "$1" && pwd)
drb=${2:-${THREADWISE_CORPUS:-$HOME/.cache/threadwise-corpus}/dataracebench}
tw=$build/bin/threadwise
[ -x "$tw" ] || { echo "$0: $tw not built" >&2; exit 2; }
if [ ! -d "$drb/micro-benchmarks" ]; then
  echo "== DataRaceBench: skipped, no $drb/micro-benchmarks" \
       "(git clone https://github.com/LLNL/dataracebench \"$drb\")"
  exit 0
fi
# An exported tree carries its commit in a REVISION file; a git checkout knows it.
drb_rev=$(cat "$drb/REVISION" 2>/dev/null || git -C "$drb" rev-parse HEAD 2>/dev/null || echo '?')
drb_rev=${drb_rev:0:12}
echo "== DataRaceBench accuracy (file level; DRB $drb_rev; $(date -u +%FT%TZ)," \
     "threadwise $(built_commit "$build"))"
exec python3 "$repo/bench/lib/eval_dataracebench.py" --threadwise "$tw" \
  --out "${BENCH_OUT:-$build/bench-results}" -j "${BENCH_JOBS:-2}" "$drb"
