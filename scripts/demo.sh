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

# The runtime half: profile real runs and recommend threads or processes.
profile() {
  local rc=0
  "$TW" profile "$@" || rc=$?
  # The profiled program's own status passes through; 125 is threadwise's failure.
  if [ "$rc" -ge 125 ] && [ "$rc" -le 127 ]; then
    echo "demo: threadwise profile failed (exit $rc)" >&2
    exit "$rc"
  fi
}
echo
echo "== threadwise profile: CPU-bound Python threads (the GIL serializes them) =="
profile --report-html "$BUILD/examples/cpu_threads.html" -- /usr/bin/python3 examples/profile/cpu_threads.py
echo
echo "== threadwise profile: native threads queueing on one big lock =="
profile -- "$BUILD/bin/profile-example-big_lock"
echo
echo "== threadwise profile: Python threads waiting on I/O =="
profile -- /usr/bin/python3 examples/profile/io_threads.py
echo
echo "HTML report with the per-thread timeline: $BUILD/examples/cpu_threads.html"
