#!/usr/bin/env bash
# Fetches Debian source packages of real threaded C/C++ projects and produces a
# compile_commands.json for each, for the static-analysis benchmark and the accuracy triage.
#
#   scripts/fetch-corpus.sh [project...]     (default: memcached leveldb; also: pigz)
#
# Everything lands in ${THREADWISE_CORPUS:-$HOME/.cache/threadwise-corpus}/<project>/, outside
# git: these are other people's sources, used as inputs only. Prints one line per project,
# "<project> <dir holding compile_commands.json>". Idempotent: a finished project is reused.
#
# Needs root or sudo the first time: it adds a deb-src entry for bookworm if apt has none and
# installs dpkg-dev, bear and the few -dev packages the projects' configure steps need.
set -euo pipefail

CORPUS=${THREADWISE_CORPUS:-$HOME/.cache/threadwise-corpus}
CC=${THREADWISE_CORPUS_CC:-clang-19}
CXX=${THREADWISE_CORPUS_CXX:-clang++-19}
JOBS=${JOBS:-2}
projects=("$@")
[ ${#projects[@]} -eq 0 ] && projects=(memcached leveldb)

SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
log() { echo "fetch-corpus: $*" >&2; }

ensure_deb_src() {
  apt-cache showsrc memcached 2>/dev/null | grep -q '^Package:' && return 0
  log "adding a deb-src entry for bookworm (/etc/apt/sources.list.d/threadwise-deb-src.sources)"
  $SUDO tee /etc/apt/sources.list.d/threadwise-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  $SUDO apt-get update -qq
}

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

# Unpacks the Debian source package (with Debian's patches applied) into $CORPUS/<pkg>/ and
# prints the unpacked directory.
fetch_source() {
  local pkg=$1 dir=$CORPUS/$1
  mkdir -p "$dir"
  if ! ls -d "$dir/$pkg"-*/ >/dev/null 2>&1; then
    log "apt-get source $pkg"
    (cd "$dir" && apt-get source -qq "$pkg" >&2)
  fi
  ls -d "$dir/$pkg"-*/ | head -n1 | sed 's:/$::'
}

# memcached: C, pthreads (worker threads, LRU crawler/maintainer, slab rebalancer).
build_memcached() {
  local src; src=$(fetch_source memcached)
  if [ ! -s "$src/compile_commands.json" ]; then
    log "building memcached under bear"
    (cd "$src" && { [ -f Makefile ] || CC=$CC ./configure -q --disable-sasl --disable-tls >&2; } \
      && make -s clean >/dev/null 2>&1; bear -- make -s -j"$JOBS" memcached >&2)
  fi
  echo "memcached $src"
}

# leveldb: C++, std::mutex/condition_variable behind port::Mutex, background compaction thread.
build_leveldb() {
  local src; src=$(fetch_source leveldb)
  local bld=$src/threadwise-build
  if [ ! -s "$bld/compile_commands.json" ]; then
    log "configuring leveldb (CMake compile_commands)"
    cmake -S "$src" -B "$bld" -G Ninja -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DLEVELDB_BUILD_TESTS=OFF \
      -DLEVELDB_BUILD_BENCHMARKS=OFF -DLEVELDB_INSTALL=OFF >/dev/null
  fi
  echo "leveldb $bld"
}

# pigz: C, pthreads via its own yarn.c wrapper, a few TUs. Not a default: on 2026-11-26 the
# Debian mirror here answered 404 for pigz_2.6's source files.
build_pigz() {
  local src; src=$(fetch_source pigz)
  if [ ! -s "$src/compile_commands.json" ]; then
    log "building pigz under bear"
    (cd "$src" && make -s clean >/dev/null 2>&1; bear -- make -s -j"$JOBS" CC="$CC" pigz >&2)
  fi
  echo "pigz $src"
}

needs=(dpkg-dev bear time clang-19 cmake ninja-build)
for p in "${projects[@]}"; do
  case $p in
    memcached) needs+=(libevent-dev) ;;
    pigz) needs+=(zlib1g-dev) ;;
    leveldb) ;;
    *) log "unknown project '$p' (known: memcached leveldb pigz)"; exit 2 ;;
  esac
done
ensure_deb_src
ensure_packages "${needs[@]}"
mkdir -p "$CORPUS"
for p in "${projects[@]}"; do
  "build_$p"
done
