#!/bin/sh
# Latency of threadwise-clangd's merged diagnostics, as a ratio to clangd's own.
# usage: bench/ide/latency.sh <build-dir> [source-file [compile-commands-dir]]
#   source-file: a file listed in <compile-commands-dir>/compile_commands.json
#   (default: plugin/lib/analysis/Summarizer.cpp, a large TU: Clang's AST headers);
#   compile-commands-dir: default <build-dir>, e.g. a corpus project's build directory.
# Env: BENCH_ROUNDS (default 2 sessions of each), BENCH_EDITS (default 5 per session),
#      BENCH_OUT (default <build-dir>/bench-results).
set -eu
BUILD=$(cd "${1:?usage: bench/ide/latency.sh <build-dir> [source-file]}" && pwd)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FILE=${2:-$REPO/plugin/lib/analysis/Summarizer.cpp}
CDB=$(cd "${3:-$BUILD}" && pwd)
OUT=${BENCH_OUT:-$BUILD/bench-results}
mkdir -p "$OUT"
test -x "$BUILD/bin/threadwise-clangd" || { echo "build threadwise-clangd first" >&2; exit 2; }
test -f "$CDB/compile_commands.json" || { echo "no $CDB/compile_commands.json" >&2; exit 2; }
/usr/bin/python3 "$REPO/bench/ide/latency.py" --proxy "$BUILD/bin/threadwise-clangd" \
  --compile-commands-dir "$CDB" --file "$FILE" \
  --rounds "${BENCH_ROUNDS:-2}" --edits "${BENCH_EDITS:-5}" --out "$OUT" | tee "$OUT/ide-latency.txt"
