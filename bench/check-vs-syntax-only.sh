#!/usr/bin/env bash
# Speed benchmark: `threadwise check -p` vs `clang-19 -fsyntax-only` over the compile DB of
# real threaded projects (Debian source packages), in one run. See bench/README.md.
#
#   bench/check-vs-syntax-only.sh <build-dir> [project...]   (default: memcached leveldb)
#
# Env: THREADWISE_CORPUS (source cache, default ~/.cache/threadwise-corpus), BENCH_JOBS (-j of
# both sides, default 2), BENCH_RUNS (timed runs per side, default 5), BENCH_OUT (results,
# default <build-dir>/bench-results).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib/common.sh"
corpus_bench_setup "$@"

echo "== threadwise check -p vs clang-19 -fsyntax-only (-j ${BENCH_JOBS:-2}," \
     "median of ${BENCH_RUNS:-5} alternating runs; $(date -u +%FT%TZ)," \
     "threadwise $(built_commit "$build"))"
exec python3 "$repo/bench/lib/check_vs_syntax_only.py" --threadwise "$tw" --out "$out" \
  -j "${BENCH_JOBS:-2}" --runs "${BENCH_RUNS:-5}" "${specs[@]}"
