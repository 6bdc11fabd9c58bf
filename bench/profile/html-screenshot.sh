#!/bin/sh
# Renders a threadwise HTML report in a real headless browser (Debian's
# chromium) and saves a screenshot, to check that the page is self-contained
# and that the timeline shows. Installs chromium when missing (it is big, so
# scripts/install-deps.sh leaves it out).
#
#   bench/profile/html-screenshot.sh [PROFILE_OR_REPORT.json] [OUT.png]
#
# Defaults: the recorded GIL-bound Python profile, docs/img/report-timeline.png.
# Needs a built threadwise: THREADWISE=path/to/threadwise (default build/bin).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
input=${1:-$repo/tests/runtime/Inputs/recorded-py-cpu-threads.json}
out=${2:-$repo/docs/img/report-timeline.png}
tw=${THREADWISE:-$repo/build/bin/threadwise}

if ! command -v chromium >/dev/null 2>&1; then
  apt-get install -y chromium >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tw" report "$input" --format html -o "$work/report.html"

# A fresh profile directory and every background service off: the page must
# render with no network at all.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --screenshot="$work/shot.png" \
  --window-size=1400,900 "file://$work/report.html" >"$work/chromium.log" 2>&1 || {
  cat "$work/chromium.log" >&2
  exit 1
}
[ -s "$work/shot.png" ] || { echo "html-screenshot: no screenshot written" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$work/shot.png" "$out"
echo "html-screenshot: $out ($(wc -c <"$out") bytes) from $input"
