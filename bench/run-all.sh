#!/usr/bin/env bash
# Runs every benchmark script in bench/ and bench/*/ (`make bench`). Each script takes the
# build directory as its first argument and prints its own table. Benchmarks are never part
# of `make test` or CI: they need corpora from the network and their numbers are timings.
#
#   bench/run-all.sh <build-dir>
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <build-dir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
failed=()
for script in "$here"/*.sh "$here"/*/*.sh; do
  [ -x "$script" ] || continue
  case $script in "$here/run-all.sh" | "$here"/lib/*) continue ;; esac
  echo
  echo "### ${script#"$here"/}"
  "$script" "$1" || failed+=("${script#"$here"/}")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-all: failed: ${failed[*]}" >&2
  exit 1
fi
