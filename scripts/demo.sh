#!/usr/bin/env bash
# `make demo`: run threadwise on the bundled examples.
set -uo pipefail
BUILD=${1:-build}
TW="$BUILD/bin/threadwise"
echo "== threadwise check on examples/race-project (expect a cross-TU race) =="
"$TW" check -p "$BUILD/examples/race-project" || true
