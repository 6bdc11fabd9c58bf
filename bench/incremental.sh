#!/usr/bin/env bash
# Incremental-cache benchmark (issue 7): `threadwise check -p` cold (empty cache) vs warm
# (after appending a comment to one .c/.cpp file) over real projects' compile DBs, in one run;
# prints warm/cold. Target: warm <= 10% of cold. See bench/README.md.
#
#   bench/incremental.sh <build-dir> [project...]   (default: memcached leveldb)
#
# Env: THREADWISE_CORPUS (source cache, default ~/.cache/threadwise-corpus), BENCH_JOBS (-j,
# default 2), BENCH_RUNS (cold/warm pairs, default 5), BENCH_OUT (results, default
# <build-dir>/bench-results). The corpus is copied to a scratch directory, never edited.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/bench/lib/common.sh"
corpus_bench_setup "$@"

echo "== threadwise check -p: cold vs warm after touching one file (-j ${BENCH_JOBS:-2}," \
     "median of ${BENCH_RUNS:-5} alternating pairs; $(date -u +%FT%TZ)," \
     "threadwise $(built_commit "$build"))"
exec python3 "$repo/bench/lib/incremental.py" --threadwise "$tw" --out "$out" \
  -j "${BENCH_JOBS:-2}" --runs "${BENCH_RUNS:-5}" "${specs[@]}"
