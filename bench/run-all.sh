#!/usr/bin/env bash
# Runs every benchmark script in bench/ and bench/*/ (`make bench`). A benchmark script is
# an executable *.sh whose usage comment names the build directory as its first argument
# (`#   bench/x.sh <build-dir> ...` or `# usage: bench/x/run.sh [BUILD_DIR] ...`); it prints
# its own table. Other scripts there (helpers, screenshots) are listed as skipped, and so
# is a benchmark that exits 77 (it cannot run here, e.g. perf without kernel samples).
# Benchmarks are never part of `make test` or CI: they need corpora from the network and
# their numbers are timings.
#
#   bench/run-all.sh <build-dir>
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <build-dir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
failed=()
for script in "$here"/*.sh "$here"/*/*.sh; do
  [ -x "$script" ] || continue
  name=${script#"$here"/}
  case $script in "$here/run-all.sh" | "$here"/lib/*) continue ;; esac
  if ! grep -qE '^#.*bench/[^ ]+\.sh \[?(<build-dir>|BUILD_DIR)' "$script"; then
    echo "run-all: skipping $name (its usage does not take the build directory)"
    continue
  fi
  echo
  echo "### $name"
  "$script" "$1"
  case $? in
    0) ;;
    77) echo "run-all: $name skipped itself (see above)" ;;
    *) failed+=("$name") ;;
  esac
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-all: failed: ${failed[*]}" >&2
  exit 1
fi
