#!/usr/bin/env bash
# `make demo`: run threadwise on the bundled example project. Findings are the
# point of a demo, so they never make it fail; a broken tool does.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/.."
TW="$BUILD/bin/threadwise"
PLUGIN="$BUILD/lib/threadwise-plugin.so"
EX="$BUILD/examples/race-project"
CXX=$(command -v clang++-19 || command -v c++)

# A real CMake configure, as a user would do, for its compile_commands.json.
cmake -S examples/race-project -B "$EX" -G Ninja -DCMAKE_CXX_COMPILER="$CXX" >/dev/null

# check exits 1 when it reports findings; anything above 1 is a real failure.
run_check() {
  local rc=0
  "$TW" check -p "$EX" "$@" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "demo: threadwise check failed (exit $rc)" >&2
    exit "$rc"
  fi
}

echo "== threadwise check -p $EX  (two TUs, one program: a race across them) =="
run_check
run_check --quiet --format=json -o "$EX/threadwise.json"
run_check --quiet --format=sarif -o "$EX/threadwise.sarif"
echo
echo "JSON report:  $EX/threadwise.json"
echo "SARIF report: $EX/threadwise.sarif  (upload to GitHub code scanning)"

echo
echo "== clang++ -fplugin on main.cpp alone (per-TU findings, compilation goes on) =="
if [[ "$(basename "$CXX")" == clang++-19 ]]; then
  "$CXX" -fplugin="$PLUGIN" -std=c++17 -c examples/race-project/main.cpp -o "$EX/main-plugin.o"
  echo "(compiled $EX/main-plugin.o)"
else
  echo "(skipped: the plugin needs clang++-19)"
fi
