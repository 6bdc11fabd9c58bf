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
