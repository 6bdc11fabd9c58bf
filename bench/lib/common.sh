# Sourced by the bench/*.sh scripts.

# The commit the build directory $1 was configured from, with "-dirty" when that source tree
# has uncommitted changes: a figure is only worth recording next to the code it measured.
# A source tree exported with `git archive` may carry its commit in a .commit file.
built_commit() {
  local src
  src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$1/CMakeCache.txt" 2>/dev/null)
  if [ -n "$src" ] && [ -f "$src/.commit" ]; then
    cat "$src/.commit"
  elif [ -n "$src" ]; then
    git -C "$src" describe --always --dirty --abbrev=7 2>/dev/null || echo '?'
  else
    echo '?'
  fi
}

# The start the corpus benchmarks share. Arguments: <build-dir> [project...]. Sets build, tw
# (the threadwise command), out (results directory) and specs (name=source-dir of each
# project, fetched into the corpus cache by scripts/fetch-corpus.sh). Needs $repo.
corpus_bench_setup() {
  [ $# -ge 1 ] || { echo "usage: $0 <build-dir> [project...]" >&2; exit 2; }
  build=$(cd "$1" && pwd); shift
  tw=$build/bin/threadwise
  [ -x "$tw" ] || { echo "$0: $tw not built" >&2; exit 2; }
  out=${BENCH_OUT:-$build/bench-results}
  specs=()
  local name dir
  while read -r name dir; do
    specs+=("$name=$dir")
  done < <("$repo/scripts/fetch-corpus.sh" "$@")
}

# The start the profiler benchmarks (bench/profile/*.sh) share. Argument: [build-dir] (default
# <repo>/build). Sets build, tw (the threadwise command) and work (a scratch directory removed
# on exit; a script that needs more clean-up sets its own EXIT trap). Needs $repo.
profile_bench_setup() {
  build=$(cd "${1:-$repo/build}" && pwd)
  tw=$build/bin/threadwise
  [ -x "$tw" ] || { echo "$(basename "$0"): $tw not built" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}
