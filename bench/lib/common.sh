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

# What was measured, as a short hash of the profiler's binaries in build directory $1 (the
# command, the launcher, the preload library): unlike the commit, it stays the same when only
# scripts or docs change, so measurements of one profiler can be pooled.
profiler_id() {
  cat "$1/bin/threadwise" "$1/libexec/threadwise/threadwise-profile" \
      "$1/lib/libthreadwise-preload.so" | sha256sum | cut -c1-12
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }

# The 90% percentile-bootstrap interval of the median of the numbers on stdin
# (2000 resamples, fixed seed), as "low-high": how far a median can be trusted.
# A resample is counted, not sorted: its median is the first sorted value its
# draws reach half of.
bootstrap_ci() {
  awk 'function isort(a, n,   i, j, t) {
         for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
       { x[++n] = $1 }
       END { if (!n) exit 1
             isort(x, n); srand(4); half = int((n + 1) / 2)
             for (k = 1; k <= 2000; k++) {
               split("", c); for (i = 1; i <= n; i++) c[int(rand() * n) + 1]++
               for (i = 1; s < half; i++) s += c[i]
               m[k] = x[i - 1]; s = 0 }
             isort(m, 2000); printf "%.3f-%.3f", m[100], m[1901] }'
}

# The verdict on a wall-time ratio against issue 4's <= 1.02, from its interval "low-high":
# pass when all of it is <= 1.02, FAIL when all of it is above, open when it straddles.
wall_verdict() { awk -F- '{print ($2 <= 1.02 ? "pass" : $1 > 1.02 ? "FAIL" : "open")}' <<< "$1"; }

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

# The profiler benchmarks' workloads, sized for ~2 s plain runs on the quiet 2-core VM
# (docs/evaluation.md), times ${SCALE:-1}: bench/profile/workloads.c (cpu, lock, io, file),
# built as $work/workloads, and the seed's GIL-bound Python threads (py), as the script
# $work/py. Both print "<workload> ops=N ns_per_op=X maxrss_kb=Y". Sets N and WHAT (each
# workload's size and description) and py (the interpreter). After profile_bench_setup.
profile_workloads() {
  local scale=${SCALE:-1} w
  ${CC:-cc} -O2 -pthread -o "$work/workloads" "$repo/bench/profile/workloads.c"
  declare -gA N=([cpu]=800000000 [lock]=270000000 [io]=5000000 [file]=200000 [py]=16000000)
  for w in cpu lock io file py; do N[$w]=$(awk -v n="${N[$w]}" -v s="$scale" 'BEGIN {printf "%d", n * s}'); done
  sci() { awk -v n="$1" 'BEGIN {printf "%.2g", n}'; }
  declare -gA WHAT=([cpu]="4 threads, $(sci ${N[cpu]}) multiply-adds"
                    [lock]="1 thread, $(sci ${N[lock]}) lock/unlock pairs"
                    [io]="$(sci ${N[io]}) 64-byte pipe write+read pairs"
                    [file]="$(sci ${N[file]}) 64 KiB blocks copied"
                    [py]="cpu_threads.py, 4 x $(sci ${N[py]}) GIL-bound")
  # Debian's interpreter, the one issue 4 names, when present: a pyenv build
  # (libpython3.11.so, no PGO) scatters +-25% between identical single-threaded
  # runs here, Debian's +-2%. Otherwise the interpreter itself, not a launcher
  # script in front of it: pyenv's python3 shim is a bash script that runs ~40
  # processes before the interpreter, each followed (and profiled) by threadwise.
  py=${PYTHON:-/usr/bin/python3}
  [ -x "$py" ] || py=$(python3 -c 'import sys; print(sys.executable)')
  cat > "$work/py" <<PY
#!/bin/sh
# The seed's GIL-bound threads: every GIL wait goes through the timed cond path.
t0=\$(date +%s%N)
$py "$repo/examples/profile/cpu_threads.py" --work ${N[py]} > /dev/null
t1=\$(date +%s%N)
echo "py ops=1 ns_per_op=\$((t1 - t0)) maxrss_kb=0"
PY
  chmod +x "$work/py"
}
