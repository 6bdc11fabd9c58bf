#!/usr/bin/env bash
# Installs the Debian bookworm packages threadwise needs, only those that are missing.
set -euo pipefail
pkgs=(
  cmake ninja-build g++ make python3 python3-dev
  clang-19 libclang-19-dev llvm-19-dev llvm-19-tools clangd-19 clang-tidy-19 clang-tools-19
  libomp-19-dev libpfm4-dev libgtest-dev python3-jsonschema
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# npm installs the SARIF multitool for the SARIF validation test. Any npm will
# do (e.g. NodeSource's nodejs ships one); Debian's only when there is none.
command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "threadwise: installing ${missing[*]}" >&2
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
